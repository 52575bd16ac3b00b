/**
 * The blocks of one imported track, in decode order ({@linkcode TrackUnits}): one per sample,
 * or one per chunk or `trun` for tiny constant audio samples (H4-MED-007), made from the
 * `stbl` tables (sample_tables.ts) or the `trun`s of fragments (moof_tables.ts).
 *
 * @module
 */
import { H4Error } from "../format/errors.ts";
import { malformed } from "./mp4_boxes.ts";
import type { StblTables } from "./sample_tables.ts";

/**
 * Most blocks of one track: 2^24, a day of 60 fps video three times over; the tables of a
 * track take about 70 bytes per block while importing.
 */
export const MAX_UNITS = 1 << 24;

/** Most units {@linkcode TrackUnits.reserve} allocates at once (about 60 MB of columns). */
const RESERVE_MAX = 1 << 20;

/**
 * The blocks of one track, in decode order: each is one sample, or for a packed track
 * (H4-MED-007) the samples of one chunk or `trun`. Columns are typed arrays grown by
 * doubling (an hour of video is 10^5 units: plain arrays of numbers cost more in pushes and
 * garbage collection than the whole table walk); entries at `length` and beyond are unused.
 *
 * @example
 * ```ts
 * import { TrackUnits } from "./track_units.ts";
 * import assert from "node:assert/strict";
 * const u = new TrackUnits();
 * u.push(1000, 42, 0, 512, 1024, true, 1, 0);
 * assert(u.length === 1 && u.offset[0] === 1000 && u.sync[0] === 1);
 * ```
 */
export class TrackUnits {
  /** File offset of each unit. */
  offset: Float64Array = new Float64Array(0);
  /** Bytes of each unit. */
  size: Float64Array = new Float64Array(0);
  /** Decode time of each unit's first sample. */
  dts: Float64Array = new Float64Array(0);
  /** Composition offset (cts − dts) of each unit's first sample. */
  ctsOffset: Float64Array = new Float64Array(0);
  /** Duration of each unit (the sum of its samples'). */
  duration: Float64Array = new Float64Array(0);
  /** Sync flag: 1 or 0. */
  sync: Uint8Array = new Uint8Array(0);
  /** 1-based sample description index. */
  entry: Float64Array = new Float64Array(0);
  /** Chunk (stbl) or trun (fragments) each unit comes from, for packing. */
  group: Float64Array = new Float64Array(0);
  /** Number of units. */
  length = 0;
  /** Bytes of each sample of a packed track, else 0. */
  packedSize = 0;
  /** Duration of each sample of a packed track. */
  packedDuration = 0;
  /** Samples in all of a packed track's units. */
  packedSamples = 0;

  /** Appends a unit; more than {@linkcode MAX_UNITS} in one track is `H4_LIMIT_EXCEEDED`. */
  push(
    offset: number,
    size: number,
    dts: number,
    ctsOffset: number,
    duration: number,
    sync: boolean,
    entry: number,
    group: number,
  ): void {
    const i = this.length;
    if (i === this.offset.length) this.grow();
    this.offset[i] = offset;
    this.size[i] = size;
    this.dts[i] = dts;
    this.ctsOffset[i] = ctsOffset;
    this.duration[i] = duration;
    this.sync[i] = sync ? 1 : 0;
    this.entry[i] = entry;
    this.group[i] = group;
    this.length = i + 1;
  }

  /**
   * Makes room for `n` units in all (at most {@linkcode RESERVE_MAX} at once: a count read
   * from a table only sizes the first allocation up to that, the rest grows as units come).
   */
  reserve(n: number): void {
    const cap = Math.min(n, RESERVE_MAX, MAX_UNITS);
    if (cap > this.offset.length) this.resize(cap);
  }

  private grow(): void {
    if (this.length >= MAX_UNITS) {
      throw new H4Error(
        "H4_LIMIT_EXCEEDED",
        `a track of more than ${MAX_UNITS} samples (not packed by chunk): not imported`,
      );
    }
    this.resize(Math.min(MAX_UNITS, Math.max(256, this.length * 2)));
  }

  private resize(cap: number): void {
    const f = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.offset = f(this.offset);
    this.size = f(this.size);
    this.dts = f(this.dts);
    this.ctsOffset = f(this.ctsOffset);
    this.duration = f(this.duration);
    this.entry = f(this.entry);
    this.group = f(this.group);
    const sync = new Uint8Array(cap);
    sync.set(this.sync);
    this.sync = sync;
  }
}

/** Largest sample of a track whose samples are packed by chunk (H4-MED-007). */
export const PACKED_MAX_SAMPLE = 64;

/** Whether a track of handler `handler` with these tables is packed by chunk (H4-MED-007). */
function stblPacked(handler: string, t: StblTables): boolean {
  if (handler !== "soun" || t.constSize === 0 || t.constSize > PACKED_MAX_SAMPLE) return false;
  if (t.stss !== null || t.stts.length < 2) return false;
  for (let i = 2; i < t.stts.length; i += 2) if (t.stts[i + 1] !== t.stts[1]) return false;
  if (t.cttsOffsets && t.cttsOffsets.some((o) => o !== 0)) return false;
  return true;
}

/**
 * The units of a track from its `stbl` tables: one per sample, or one per chunk for a packed
 * track (H4-MED-007), whose samples are never listed one by one.
 *
 * @example
 * ```ts ignore
 * const units = unitsFromStbl("vide", tables, "trak 1");
 * ```
 */
export function unitsFromStbl(handler: string, t: StblTables, where: string): TrackUnits {
  const u = new TrackUnits();
  const { stsc, chunkOffsets: co } = t;
  const runs = stsc.length / 3;
  if (runs > 0 && stsc[0] !== 1) throw malformed(`stsc of ${where} does not start at chunk 1`);
  for (let r = 1; r < runs; r++) {
    if (stsc[3 * r] <= stsc[3 * r - 3]) throw malformed(`stsc of ${where} is not in chunk order`);
  }
  // The stsc run of chunk index c (0-based), walked forward as c grows (inline below: a
  // closure made per call of this function is a new call target each time, which sent the
  // loop back to slow code for the second track).
  let run = 0;
  if (stblPacked(handler, t)) {
    u.reserve(co.length);
    const delta = t.stts[1];
    u.packedSize = t.constSize;
    u.packedDuration = delta;
    let left = t.count;
    let dts = 0;
    for (let c = 0; c < co.length && left > 0; c++) {
      while (run + 1 < runs && c + 1 >= stsc[3 * (run + 1)]) run++;
      const r = run;
      const n = Math.min(stsc[3 * r + 1], left);
      if (n === 0) continue;
      u.push(co[c], n * t.constSize, dts, 0, n * delta, true, stsc[3 * r + 2], c);
      dts += n * delta;
      left -= n;
    }
    if (left > 0) throw malformed(`${where}: its chunks hold fewer than its ${t.count} samples`);
    u.packedSamples = t.count;
    return u;
  }
  u.reserve(t.count);
  let chunk = -1;
  let left = 0;
  let off = 0;
  let sttsRun = 0;
  let sttsLeft = t.stts.length ? t.stts[0] : 0;
  let cttsRun = 0;
  let cttsLeft = t.cttsCounts?.length ? t.cttsCounts[0] : 0;
  let stssAt = 0;
  let dts = 0;
  for (let j = 0; j < t.count; j++) {
    while (left === 0) {
      chunk++;
      if (chunk >= co.length) {
        throw malformed(`${where}: its ${co.length} chunks hold fewer than its ${t.count} samples`);
      }
      while (run + 1 < runs && chunk + 1 >= stsc[3 * (run + 1)]) run++;
      left = stsc[3 * run + 1];
      off = co[chunk];
    }
    const size = t.sizes ? t.sizes[j] : t.constSize;
    while (sttsLeft === 0 && sttsRun + 1 < t.stts.length / 2) sttsLeft = t.stts[2 * ++sttsRun];
    const dur = t.stts.length ? t.stts[2 * sttsRun + 1] : 0;
    if (sttsLeft > 0) sttsLeft--;
    let cto = 0;
    if (t.cttsCounts && t.cttsOffsets) {
      while (cttsLeft === 0 && cttsRun + 1 < t.cttsCounts.length) {
        cttsLeft = t.cttsCounts[++cttsRun];
      }
      if (cttsLeft > 0) {
        cto = t.cttsOffsets[cttsRun];
        cttsLeft--;
      }
    }
    let sync = true;
    if (t.stss) {
      while (stssAt < t.stss.length && t.stss[stssAt] < j + 1) stssAt++;
      sync = stssAt < t.stss.length && t.stss[stssAt] === j + 1;
    }
    u.push(off, size, dts, cto, dur, sync, stsc[3 * run + 2], chunk);
    dts += dur;
    off += size;
    left--;
  }
  return u;
}

/**
 * Packs the per-sample units of a fragmented track by `trun` when the track qualifies
 * (H4-MED-007): audio, every sample of one size of at most {@linkcode PACKED_MAX_SAMPLE}
 * bytes and one duration, all sync, no composition offsets. Returns the units unchanged
 * otherwise.
 *
 * @example
 * ```ts ignore
 * const packed = packByGroup("soun", units);
 * ```
 */
export function packByGroup(handler: string, u: TrackUnits): TrackUnits {
  const n = u.length;
  if (handler !== "soun" || n === 0 || u.packedSize) return u;
  const size = u.size[0], dur = u.duration[0];
  if (size === 0 || size > PACKED_MAX_SAMPLE) return u;
  for (let i = 0; i < n; i++) {
    if (u.size[i] !== size || u.duration[i] !== dur || !u.sync[i] || u.ctsOffset[i] !== 0) {
      return u;
    }
  }
  const p = new TrackUnits();
  p.reserve(n);
  p.packedSize = size;
  p.packedDuration = dur;
  p.packedSamples = n;
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (
      j < n && u.group[j] === u.group[i] && u.entry[j] === u.entry[i] &&
      u.offset[j] === u.offset[j - 1] + size
    ) j++;
    p.push(u.offset[i], (j - i) * size, u.dts[i], 0, (j - i) * dur, true, u.entry[i], u.group[i]);
    i = j;
  }
  return p;
}
