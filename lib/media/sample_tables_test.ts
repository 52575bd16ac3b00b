import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import { bytesSource } from "../format/byte_source.ts";
import { readMoov, topLevelBoxes, unitsFromStbl } from "./sample_tables.ts";
import { fixture } from "./testdata/helpers.ts";

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
  assert.equal(video.sync.filter((s) => s).length, 3);
  assert.equal(video.packedSize, 0);
});

Deno.test("unitsFromStbl packs tiny constant audio samples by chunk (H4-MED-007)", () => {
  const tables = {
    count: 10,
    constSize: 4,
    sizes: null,
    stsc: Uint32Array.of(1, 4, 1, 3, 2, 1),
    chunkOffsets: Float64Array.of(100, 200, 300),
    stts: Uint32Array.of(10, 1),
    cttsCounts: null,
    cttsOffsets: null,
    stss: null,
  };
  const u = unitsFromStbl("soun", tables, "t");
  assert.deepEqual([u.offset, u.size, u.dts, u.duration], [
    [100, 200, 300],
    [16, 16, 8],
    [0, 4, 8],
    [
      4,
      4,
      2,
    ],
  ]);
  assert.deepEqual([u.packedSize, u.packedDuration, u.packedSamples], [4, 1, 10]);
  // the same tables in a video track stay one block per sample
  assert.equal(unitsFromStbl("vide", tables, "t").length, 10);
  // too few chunks for the samples
  assert.throws(
    () => unitsFromStbl("vide", { ...tables, chunkOffsets: Float64Array.of(100) }, "t"),
    (e) => isH4Error(e, "H4_BAD_ARGUMENT") && /chunks hold fewer/.test(e.message),
  );
});

Deno.test("topLevelBoxes refuses a box smaller than its header", async () => {
  const bad = new Uint8Array([0, 0, 0, 4, 0x66, 0x72, 0x65, 0x65]);
  await assert.rejects(
    topLevelBoxes(bytesSource(bad)),
    (e) => isH4Error(e, "H4_BAD_ARGUMENT") && /size 4/.test(e.message),
  );
});
