/**
 * The pure part of the MP4 ↔ H4MK mapping (SPEC.md section 17): track ids, the pts rounding
 * rule and its inverse, frame kinds, and the run-length lists kept in META.
 *
 * @module
 */
import { H4Error } from "../format/errors.ts";
import type { BlockKind } from "../format/types.ts";

/** Microseconds per second, the unit of `pts_us`. */
export const US_PER_SECOND = 1_000_000n;

/** Class of a track, from its handler type (H4-MED-002). */
export type TrackClass = "video" | "audio" | "data";

/** The track classes, in the order `--tracks` lists them. */
export const TRACK_CLASSES: readonly TrackClass[] = ["video", "audio", "data"];

/**
 * Class of an MP4 track from its `hdlr` handler type: `vide` is video, `soun` audio, every
 * other handler (text, subtitles, timed metadata, hints) data.
 *
 * @example
 * ```ts
 * import { trackClass } from "./mapping.ts";
 * import assert from "node:assert/strict";
 * assert(trackClass("vide") === "video" && trackClass("sbtl") === "data");
 * ```
 */
export function trackClass(handler: string): TrackClass {
  if (handler === "vide") return "video";
  if (handler === "soun") return "audio";
  return "data";
}

/**
 * H4MK track ids for MP4 tracks given by handler type in `moov` order (H4-MED-002): the first
 * track of a class is `<class>_main`, the n-th (n ≥ 2) `<class>_<n>`.
 *
 * @example
 * ```ts
 * import { assignTrackIds } from "./mapping.ts";
 * import assert from "node:assert/strict";
 * const ids = assignTrackIds(["soun", "vide", "soun", "text"]);
 * assert(ids.join() === "audio_main,video_main,audio_2,data_main");
 * ```
 */
export function assignTrackIds(handlers: readonly string[]): string[] {
  const seen = new Map<TrackClass, number>();
  return handlers.map((h) => {
    const cls = trackClass(h);
    const n = (seen.get(cls) ?? 0) + 1;
    seen.set(cls, n);
    return n === 1 ? `${cls}_main` : `${cls}_${n}`;
  });
}

/**
 * `num / den` rounded to the nearest integer, halves away from zero, exactly (H4-MED-001).
 * `den` must be positive.
 *
 * @example
 * ```ts
 * import { roundDiv } from "./mapping.ts";
 * import assert from "node:assert/strict";
 * assert(roundDiv(5n, 2n) === 3n && roundDiv(-5n, 2n) === -3n && roundDiv(7n, 3n) === 2n);
 * ```
 */
export function roundDiv(num: bigint, den: bigint): bigint {
  if (den <= 0n) {
    throw new H4Error("H4_BAD_ARGUMENT", `roundDiv needs a positive divisor, got ${den}`);
  }
  const mag = (2n * (num < 0n ? -num : num) + den) / (2n * den);
  return num < 0n ? -mag : mag;
}

/** `roundDiv` for safe integers `n` and `d > 0`, exact: the quotient is corrected by the remainder. */
function roundDivSafe(n: number, d: number): number {
  const a = Math.abs(n);
  let q = Math.floor(a / d);
  let r = a - q * d; // exact: q·d is within 2^53 of a
  while (r < 0) {
    q--;
    r += d;
  }
  while (r >= d) {
    q++;
    r -= d;
  }
  if (2 * r >= d) q++;
  return n < 0 ? -q : q;
}

/** One entry of an MP4 edit list, as kept in META (movie and media timescales as in `elst`). */
export interface EditEntry {
  /** Duration of the edit in the movie timescale. */
  segment_duration: number;
  /** Start of the edit in media time (track timescale); −1 is an empty edit. */
  media_time: number;
  /** Integer part of the playback rate (usually 1). */
  media_rate_integer: number;
  /** Fraction part of the playback rate (usually 0). */
  media_rate_fraction: number;
}

/**
 * Where presentation time zero lies, derived from the edit list (H4-MED-001): `empty` is the
 * sum of the leading empty edits (movie timescale) and `media_time` the start of the first
 * non-empty edit (track timescale). Without an edit list both are 0.
 */
export interface PtsOrigin {
  /** Media time shown at the end of the leading empty edits, in the track timescale. */
  media_time: number;
  /** Leading empty time, in the movie timescale. */
  empty: number;
  /** Movie timescale (`mvhd`), the unit of `empty`. */
  movie_timescale: number;
}

/**
 * The pts origin of a track with edit list `edits` (H4-MED-001).
 *
 * @example
 * ```ts
 * import { ptsOrigin } from "./mapping.ts";
 * import assert from "node:assert/strict";
 * const o = ptsOrigin([{ segment_duration: 3000, media_time: 1024, media_rate_integer: 1, media_rate_fraction: 0 }], 1000);
 * assert(o.media_time === 1024 && o.empty === 0);
 * ```
 */
export function ptsOrigin(
  edits: readonly EditEntry[] | undefined,
  movieTimescale: number,
): PtsOrigin {
  let empty = 0;
  for (const e of edits ?? []) {
    if (e.media_time === -1) {
      empty += e.segment_duration;
      continue;
    }
    return { media_time: e.media_time, empty, movie_timescale: movieTimescale };
  }
  return { media_time: 0, empty, movie_timescale: movieTimescale };
}

/** The exact rational presentation time of `cts`, in seconds: [numerator, denominator]. */
function ptsRational(cts: bigint, timescale: bigint, o: PtsOrigin): [bigint, bigint] {
  const mts = BigInt(o.movie_timescale);
  return [(cts - BigInt(o.media_time)) * mts + BigInt(o.empty) * timescale, timescale * mts];
}

/**
 * `pts_us` of a sample with composition time `cts` (H4-MED-001):
 * round half away from zero of `((cts − media_time) / timescale + empty / movie_timescale) · 10^6`,
 * computed exactly with BigInt.
 *
 * @example
 * ```ts
 * import { ptsUs } from "./mapping.ts";
 * import assert from "node:assert/strict";
 * const origin = { media_time: 1024, empty: 0, movie_timescale: 1000 };
 * assert(ptsUs(0, 44100, origin) === -23220); // AAC priming: −23 219.95 µs
 * ```
 */
export function ptsUs(cts: number, timescale: number, origin: PtsOrigin): number {
  // Fast path: every product exact in doubles (below 2^53), the plain case without empty edits.
  if (origin.empty === 0) {
    const n = (cts - origin.media_time) * 1_000_000;
    if (Number.isSafeInteger(n) && Number.isSafeInteger(cts - origin.media_time)) {
      return roundDivSafe(n, timescale);
    }
  }
  const [num, den] = ptsRational(BigInt(cts), BigInt(timescale), origin);
  const us = roundDiv(num * US_PER_SECOND, den);
  if (us > BigInt(Number.MAX_SAFE_INTEGER) || us < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new H4Error(
      "H4_LIMIT_EXCEEDED",
      `composition time ${cts}/${timescale} s is outside the safe pts_us range`,
    );
  }
  return Number(us);
}

/**
 * The composition time that {@linkcode ptsUs} maps to `pts`, or `undefined` when none does.
 * For a timescale of at most 10^6 the map is one-to-one, so the inverse is exact (H4-MED-001).
 *
 * @example
 * ```ts
 * import { ctsFromPts, ptsUs } from "./mapping.ts";
 * import assert from "node:assert/strict";
 * const origin = { media_time: 1024, empty: 0, movie_timescale: 1000 };
 * assert(ctsFromPts(ptsUs(4096, 44100, origin), 44100, origin) === 4096);
 * ```
 */
export function ctsFromPts(pts: number, timescale: number, origin: PtsOrigin): number | undefined {
  if (origin.empty === 0 && Number.isSafeInteger(pts * timescale)) {
    // Fast path in doubles, exact while every product stays below 2^53.
    const est = origin.media_time + roundDivSafe(pts * timescale, 1_000_000);
    // The estimate, then its neighbours (no array: this runs once per sample on export).
    for (let d = 0; d < 3; d++) {
      const c = d === 0 ? est : d === 1 ? est - 1 : est + 1;
      if (
        Number.isSafeInteger((c - origin.media_time) * 1_000_000) &&
        ptsUs(c, timescale, origin) === pts
      ) return c;
    }
    return undefined;
  }
  const ts = BigInt(timescale);
  const mts = BigInt(origin.movie_timescale);
  // cts ≈ media_time + (pts·ts/10^6 − empty·ts/mts); try the neighbours of the rounded estimate.
  const est = BigInt(origin.media_time) +
    roundDiv(
      BigInt(pts) * ts * mts - BigInt(origin.empty) * ts * US_PER_SECOND,
      US_PER_SECOND * mts,
    );
  for (const c of [est, est - 1n, est + 1n]) {
    const [num, den] = ptsRational(c, ts, origin);
    if (roundDiv(num * US_PER_SECOND, den) === BigInt(pts)) {
      const n = Number(c);
      return Number.isSafeInteger(n) ? n : undefined;
    }
  }
  return undefined;
}

/**
 * A per-track frame-kind classifier (H4-MED-003), fed samples in decode order: `I` for a sync
 * sample; `B` for a non-sync sample whose composition time is less than that of some sample
 * before it in decode order (it is shown before a frame decoded earlier); `P` otherwise.
 *
 * @example
 * ```ts
 * import { kindClassifier } from "./mapping.ts";
 * import assert from "node:assert/strict";
 * const k = kindClassifier();
 * const kinds = [[true, 1024], [false, 2560], [false, 1536], [false, 2048], [false, 4096]]
 *   .map(([sync, cts]) => k(sync as boolean, cts as number));
 * assert(kinds.join("") === "IPBBP");
 * ```
 */
export function kindClassifier(): (isSync: boolean, cts: number) => BlockKind {
  let maxCts = -Infinity;
  return (isSync, cts) => {
    const kind: BlockKind = isSync ? "I" : cts < maxCts ? "B" : "P";
    if (cts > maxCts) maxCts = cts;
    return kind;
  };
}

/** A run-length list: `[count, value]` pairs, as `stts` keeps sample durations. */
export type Runs = [number, number][];

/**
 * Appends `value` to a run-length list, extending the last run when it has the same value.
 *
 * @example
 * ```ts
 * import { pushRun, type Runs } from "./mapping.ts";
 * import assert from "node:assert/strict";
 * const r: Runs = [];
 * for (const v of [512, 512, 512, 256]) pushRun(r, v);
 * assert(JSON.stringify(r) === "[[3,512],[1,256]]");
 * ```
 */
export function pushRun(runs: Runs, value: number): void {
  const last = runs[runs.length - 1];
  if (last && last[1] === value) last[0]++;
  else runs.push([1, value]);
}

/**
 * Total count of a run-length list.
 *
 * @example
 * ```ts
 * import { runsCount } from "./mapping.ts";
 * import assert from "node:assert/strict";
 * assert(runsCount([[3, 512], [1, 256]]) === 4);
 * ```
 */
export function runsCount(runs: Runs): number {
  let n = 0;
  for (const [c] of runs) n += c;
  return n;
}

/**
 * Expands a run-length list value by value, into an array. The caller bounds the total
 * first ({@linkcode runsCount}): META's lists are checked against the container's block
 * counts before they are expanded.
 *
 * @example
 * ```ts
 * import { expandRuns } from "./mapping.ts";
 * import assert from "node:assert/strict";
 * assert(expandRuns([[2, 7], [1, 9]]).join() === "7,7,9");
 * ```
 */
export function expandRuns(runs: Runs): number[] {
  const out: number[] = [];
  for (const [count, value] of runs) for (let i = 0; i < count; i++) out.push(value);
  return out;
}
