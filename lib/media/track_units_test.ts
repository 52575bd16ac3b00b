import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import { packByGroup, TrackUnits, unitsFromStbl } from "./track_units.ts";
import { unitColumn } from "./testdata/helpers.ts";

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
  assert.deepEqual(["offset", "size", "dts", "duration"].map((c) => unitColumn(u, c as "offset")), [
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

Deno.test("packByGroup packs a fragmented track's tiny samples by trun, and leaves video alone", () => {
  const u = new TrackUnits();
  for (let i = 0; i < 6; i++) u.push(1000 + 4 * i, 4, i, 0, 1, true, 1, i < 4 ? 0 : 1);
  const p = packByGroup("soun", u);
  assert.deepEqual(
    ["offset", "size", "duration", "group"].map((c) => unitColumn(p, c as "offset")),
    [[1000, 1016], [16, 8], [4, 2], [
      0,
      1,
    ]],
  );
  assert.deepEqual([p.packedSize, p.packedDuration, p.packedSamples], [4, 1, 6]);
  assert.equal(packByGroup("vide", u), u);
});
