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
