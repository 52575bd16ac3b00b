import assert from "node:assert/strict";
import fc from "fast-check";
import { isH4Error } from "../format/errors.ts";
import {
  assignTrackIds,
  ctsFromPts,
  expandRuns,
  kindClassifier,
  ptsOrigin,
  ptsUs,
  pushRun,
  roundDiv,
  type Runs,
  runsCount,
  trackClass,
} from "./mapping.ts";

Deno.test("roundDiv rounds halves away from zero, exactly", () => {
  const cases: [bigint, bigint, bigint][] = [
    [5n, 2n, 3n],
    [-5n, 2n, -3n],
    [7n, 2n, 4n],
    [-7n, 2n, -4n],
    [4n, 3n, 1n],
    [5n, 3n, 2n],
    [-4n, 3n, -1n],
    [0n, 9n, 0n],
  ];
  for (const [n, d, q] of cases) assert.equal(roundDiv(n, d), q, `${n}/${d}`);
  assert.throws(() => roundDiv(1n, 0n), (e) => isH4Error(e, "H4_BAD_ARGUMENT"));
  fc.assert(fc.property(fc.bigInt(-(2n ** 80n), 2n ** 80n), fc.bigInt(1n, 2n ** 60n), (n, d) => {
    const q = roundDiv(n, d);
    // |n/d − q| ≤ 1/2, and exactly 1/2 only with |q| > |n/d|
    const twice = 2n * n - 2n * q * d;
    const abs = twice < 0n ? -twice : twice;
    return abs < d || (abs === d && (q < 0n ? -q : q) * d > (n < 0n ? -n : n));
  }));
});

Deno.test("ptsUs: H4-MED-001 examples", () => {
  const none = ptsOrigin(undefined, 1000);
  assert.equal(ptsUs(0, 12800, none), 0);
  assert.equal(ptsUs(512, 12800, none), 40_000);
  assert.equal(ptsUs(1, 3, none), 333_333);
  assert.equal(ptsUs(2, 3, none), 666_667);
  const aac = ptsOrigin([{
    segment_duration: 3000,
    media_time: 1024,
    media_rate_integer: 1,
    media_rate_fraction: 0,
  }], 1000);
  assert.equal(ptsUs(0, 44100, aac), -23_220);
  assert.equal(ptsUs(1024, 44100, aac), 0);
  // half a microsecond at 2 MHz: away from zero on both sides
  assert.equal(ptsUs(1, 2_000_000, none), 1);
  assert.equal(ptsUs(-1, 2_000_000, none), -1);
  // an empty edit of 0.5 s (movie timescale 600) delays everything
  const delayed = ptsOrigin([
    { segment_duration: 300, media_time: -1, media_rate_integer: 1, media_rate_fraction: 0 },
    { segment_duration: 600, media_time: 0, media_rate_integer: 1, media_rate_fraction: 0 },
  ], 600);
  assert.equal(ptsUs(0, 90000, delayed), 500_000);
  assert.equal(ctsFromPts(500_000, 90000, delayed), 0);
});

Deno.test("ctsFromPts inverts ptsUs exactly for every timescale up to 10^6", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
      fc.integer({ min: 0, max: 2 ** 31 }),
      fc.integer({ min: 0, max: 2 ** 31 }),
      fc.integer({ min: 1, max: 1_000_000 }),
      (ts, cts, mediaTime, empty, mts) => {
        fc.pre((Math.abs(cts) + mediaTime) / ts * 1e6 + empty / mts * 1e6 < 2 ** 52); // pts_us stays safe
        const o = { media_time: mediaTime, empty, movie_timescale: mts };
        return ctsFromPts(ptsUs(cts, ts, o), ts, o) === cts;
      },
    ),
    { numRuns: 2000 },
  );
  // above 10^6 two times can share a microsecond, which is why import keeps cts_offsets there
  const none = ptsOrigin(undefined, 1000);
  assert.equal(ptsUs(1, 10_000_000, none), ptsUs(2, 10_000_000, none));
});

Deno.test("ctsFromPts answers undefined for a pts no sample time gives", () => {
  const none = ptsOrigin(undefined, 1000);
  assert.equal(ctsFromPts(1, 25, none), undefined);
  assert.equal(ctsFromPts(40_000, 25, none), 1);
});

Deno.test("track ids by handler: video_main, audio_main, video_2, data_main", () => {
  assert.deepEqual(assignTrackIds(["vide", "soun", "vide", "text", "soun", "vide", "meta"]), [
    "video_main",
    "audio_main",
    "video_2",
    "data_main",
    "audio_2",
    "video_3",
    "data_2",
  ]);
  assert.equal(trackClass("subt"), "data");
});

Deno.test("kinds: I for sync, B when shown before a sample decoded earlier, P otherwise", () => {
  const k = kindClassifier();
  const decode = [
    [true, 0],
    [false, 3],
    [false, 1],
    [false, 2],
    [false, 6],
    [false, 4],
    [false, 5],
    [true, 7],
    [false, 8],
  ];
  assert.equal(decode.map(([s, c]) => k(s as boolean, c as number)).join(""), "IPBBPBBIP");
  const audio = kindClassifier();
  assert.equal([0, 1, 2].map((c) => audio(true, c)).join(""), "III");
  const open = kindClassifier(); // open GOP: leading pictures after a sync sample are B
  assert.equal(
    [[false, 5], [true, 8], [false, 6], [false, 7]].map(([s, c]) => open(s as boolean, c as number))
      .join(""),
    "PIBB",
  );
});

Deno.test("runs", () => {
  const r: Runs = [];
  for (const v of [1, 1, 2, 2, 2, 1]) pushRun(r, v);
  assert.deepEqual(r, [[2, 1], [3, 2], [1, 1]]);
  assert.equal(runsCount(r), 6);
  assert.deepEqual([...expandRuns(r)], [1, 1, 2, 2, 2, 1]);
});
