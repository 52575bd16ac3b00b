import assert from "node:assert/strict";
import { buildMoof, buildMvex } from "./fragment_mux.ts";
import { type FragmentTrack, readMoof } from "./moof_tables.ts";
import { TrackUnits } from "./track_units.ts";
import { unitColumn } from "./testdata/helpers.ts";

Deno.test("buildMoof: read back by readMoof, the same samples at the same offsets", () => {
  const moof = buildMoof(3, [
    {
      trackId: 1,
      entry: 1,
      baseTime: 1000,
      runs: [{
        at: 0,
        sizes: [5, 7],
        durations: [10, 10],
        sync: [true, false],
        ctsOffsets: [20, -10],
      }],
    },
    {
      trackId: 2,
      entry: 2,
      baseTime: 0,
      runs: [{ at: 12, sizes: [4], durations: [1024], sync: [true], ctsOffsets: [0] }],
    },
  ], 8);
  const tracks = new Map<number, FragmentTrack>([
    [1, { units: new TrackUnits(), nextDts: 0 }],
    [2, { units: new TrackUnits(), nextDts: 0 }],
  ]);
  const start = 500;
  readMoof(moof, start, new Map(), tracks, 1 << 20, { n: 0 });
  const a = tracks.get(1)!.units;
  const data = start + moof.length + 8;
  assert.deepEqual(unitColumn(a, "offset"), [data, data + 5]);
  assert.deepEqual(unitColumn(a, "dts"), [1000, 1010]);
  assert.deepEqual(unitColumn(a, "ctsOffset"), [20, -10]);
  assert.deepEqual(unitColumn(a, "sync"), [1, 0]);
  const b = tracks.get(2)!.units;
  assert.deepEqual(
    [unitColumn(b, "offset"), unitColumn(b, "entry"), unitColumn(b, "duration")],
    [[data + 12], [2], [1024]],
  );
});

Deno.test("buildMvex: one trex per track", () => {
  const m = buildMvex([1, 2, 3]);
  assert.equal(new TextDecoder().decode(m.subarray(4, 8)), "mvex");
  assert.equal(m.length, 8 + 3 * 32);
});
