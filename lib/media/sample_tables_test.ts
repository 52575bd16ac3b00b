import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import { bytesSource } from "../format/byte_source.ts";
import { readMoov } from "./sample_tables.ts";
import { topLevelBoxes } from "./mp4_boxes.ts";
import { unitsFromStbl } from "./track_units.ts";
import { fixture, mp4Box, unitColumn } from "./testdata/helpers.ts";

Deno.test("topLevelBoxes and readMoov of av.mp4: boxes, tables, and a moov for mp4box without them", async () => {
  const bytes = await Deno.readFile(fixture("av.mp4"));
  const boxes = await topLevelBoxes(bytesSource(bytes));
  assert.deepEqual(boxes.map((b) => b.type), ["ftyp", "free", "mdat", "moov"]);
  const moov = boxes[3];
  const t = readMoov(bytes.subarray(moov.start, moov.start + moov.size), bytes.length);
  assert.deepEqual(t.traks.map((x) => [x.trackId, x.tables.count]), [[1, 75], [2, 131]]);
  const text = new TextDecoder("latin1").decode(t.freed);
  for (const table of ["stsz", "stco", "stsc", "stts", "ctts", "stss"]) {
    assert.ok(!text.includes(table), table);
  }
  const video = unitsFromStbl("vide", t.traks[0].tables, "trak 1");
  assert.equal(video.length, 75);
  assert.equal(unitColumn(video, "sync").filter((s) => s).length, 3);
  assert.equal(video.packedSize, 0);
});

Deno.test("readMoov refuses a table whose entry count runs past its box", () => {
  // moov > trak > mdia > minf > stbl > stco saying 1000 entries in 4 bytes.
  const stco = mp4Box("stco", Uint8Array.of(0, 0, 0, 0, 0, 0, 0x03, 0xe8, 0, 0, 0, 0));
  const moov = mp4Box("moov", mp4Box("trak", mp4Box("mdia", mp4Box("minf", mp4Box("stbl", stco)))));
  assert.throws(
    () => readMoov(moov, 1 << 20),
    (e) => isH4Error(e, "H4_BAD_ARGUMENT") && /stco of trak 1 says 1000 entries/.test(e.message),
  );
});

Deno.test("readMoov: the moov for mp4box holds 8-byte free boxes where the tables were, its parents shrunk", async () => {
  const { children } = await import("./mp4_boxes.ts");
  const bytes = await Deno.readFile(fixture("av.mp4"));
  const moov = (await topLevelBoxes(bytesSource(bytes))).find((b) => b.type === "moov")!;
  const t = readMoov(bytes.subarray(moov.start, moov.start + moov.size), bytes.length);
  assert.ok(t.freed.length < moov.size);
  // Every size adds up (children() checks each box ends within its parent) and every table
  // box is an empty free box.
  const walk = (from: number, to: number, depth: number): string[] => {
    const seen: string[] = [];
    for (const b of children(t.freed, from, to, "test")) {
      seen.push(b.type);
      if (b.type === "free") assert.equal(b.end - b.start, 8);
      if (["moov", "trak", "mdia", "minf", "stbl"].includes(b.type) && depth < 6) {
        seen.push(...walk(b.body, b.end, depth + 1));
      }
    }
    return seen;
  };
  const types = walk(0, t.freed.length, 0);
  // Video: stsz, stco, stsc, stts, ctts, stss; audio: stsz, stco, stsc, stts.
  assert.equal(types.filter((x) => x === "free").length, 10);
  assert.ok(types.includes("stsd"));
});

Deno.test("readMoov keeps the tables' room when a parent has a 64-bit size", () => {
  const stco = mp4Box("stco", Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0));
  const stbl = mp4Box("stbl", stco);
  // A minf with a 64-bit size (size field 1, then the largesize).
  const body = stbl;
  const minf = new Uint8Array(16 + body.length);
  new DataView(minf.buffer).setUint32(0, 1);
  minf.set([0x6d, 0x69, 0x6e, 0x66], 4);
  new DataView(minf.buffer).setBigUint64(8, BigInt(minf.length));
  minf.set(body, 16);
  const moov = mp4Box("moov", mp4Box("trak", mp4Box("mdia", minf)));
  const t = readMoov(moov, 1 << 20);
  assert.equal(t.freed.length, moov.length);
  assert.equal(
    new TextDecoder().decode(t.freed.subarray(moov.length - 16, moov.length - 12)),
    "free",
  );
});
