/**
 * Writes the boxes of a plain (unfragmented) MP4 from sample tables: `ftyp`, the `mdat`
 * header and `moov`. Written by hand rather than with mp4box's writer so that every table
 * (stts, ctts, stss, stsc, edit list, sample entries) is exactly what export asks for.
 *
 * @module
 */
import { ByteWriter, concat } from "../format/bytes.ts";
import { H4Error } from "../format/errors.ts";
import type { EditEntry } from "./mapping.ts";
import type { FtypMeta, MediaTrackMeta } from "./media_meta.ts";

/** One chunk of a track in the mdat: where it starts and how many samples it holds. */
export interface MuxChunk {
  /** File offset of the chunk's first sample. */
  offset: number;
  /** Samples in the chunk. */
  count: number;
  /** 1-based sample description index of the chunk's samples. */
  entry: number;
}

/** The sample tables of one track. */
export interface MuxTrack {
  /** The track's META.media entry (handler, timescale, tkhd, sample entries, edits...). */
  meta: MediaTrackMeta;
  /** Sample entry boxes (stsd entries), raw. */
  entries: Uint8Array[];
  /** Sample sizes, decode order. */
  sizes: number[];
  /** Sample durations, decode order. */
  durations: number[];
  /** Composition offsets (cts − dts), decode order. */
  ctsOffsets: number[];
  /** Sync flags, decode order. */
  sync: boolean[];
  /**
   * A packed track (H4-MED-007): `count` samples of `size` bytes and `duration` ticks each;
   * `sizes`, `durations`, `ctsOffsets` and `sync` are then empty (all sync, no offsets).
   */
  packed?: { size: number; duration: number; count: number };
  /** Chunks, in file order. */
  chunks: MuxChunk[];
}

const U32_MAX = 0xffff_ffff;
const IDENTITY = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000];

function box(type: string, ...parts: Uint8Array[]): Uint8Array {
  let n = 8;
  for (const p of parts) n += p.length;
  if (n > U32_MAX) throw new H4Error("H4_LIMIT_EXCEEDED", `${type} box of ${n} bytes is too large`);
  const head = new ByteWriter(8);
  head.u32(n);
  head.bytes(fourcc(type));
  return concat([head.finish(), ...parts]);
}

function fourcc(type: string): Uint8Array {
  const b = new Uint8Array(4);
  for (let i = 0; i < 4; i++) b[i] = type.charCodeAt(i) & 0xff;
  return b;
}

function fullHead(w: ByteWriter, version: number, flags: number): void {
  w.u32(((version & 0xff) << 24 | (flags & 0xff_ffff)) >>> 0);
}

function s32(w: ByteWriter, v: number): void {
  w.u32(v >>> 0);
}

function s64(w: ByteWriter, v: number): void {
  const b = BigInt.asUintN(64, BigInt(v));
  w.u32(Number(b >> 32n));
  w.u32(Number(b & 0xffff_ffffn));
}

/**
 * The `ftyp` box.
 *
 * @example
 * ```ts
 * import { buildFtyp } from "./mp4_mux.ts";
 * import assert from "node:assert/strict";
 * const b = buildFtyp({ major_brand: "isom", minor_version: 512, compatible_brands: ["isom", "mp41"] });
 * assert(b.length === 24);
 * ```
 */
export function buildFtyp(ftyp: FtypMeta): Uint8Array {
  const w = new ByteWriter();
  w.bytes(fourcc(ftyp.major_brand));
  w.u32(ftyp.minor_version);
  for (const b of ftyp.compatible_brands) w.bytes(fourcc(b));
  return box("ftyp", w.finish());
}

/**
 * Header of an `mdat` box holding `payload` bytes (a 64-bit size when it needs one).
 *
 * @example
 * ```ts
 * import { mdatHeader } from "./mp4_mux.ts";
 * import assert from "node:assert/strict";
 * assert(mdatHeader(100).length === 8 && mdatHeader(2 ** 32).length === 16);
 * ```
 */
export function mdatHeader(payload: number): Uint8Array {
  const w = new ByteWriter(16);
  if (payload + 8 <= U32_MAX) {
    w.u32(payload + 8);
    w.bytes(fourcc("mdat"));
  } else {
    w.u32(1);
    w.bytes(fourcc("mdat"));
    w.u64(payload + 16);
  }
  return w.finish();
}

function sum(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

/** Duration of a track in the movie timescale, as tkhd and mvhd carry it. */
function trackMovieDuration(t: MuxTrack, movieTimescale: number): number {
  if (t.meta.tkhd_duration > 0) return t.meta.tkhd_duration;
  if (t.meta.edits?.length) return sum(t.meta.edits.map((e) => e.segment_duration));
  const media = BigInt(mediaDuration(t));
  return Number(ceilDiv(media * BigInt(movieTimescale), BigInt(t.meta.timescale)));
}

function mediaDuration(t: MuxTrack): number {
  if (t.meta.duration > 0) return t.meta.duration;
  return t.packed ? t.packed.count * t.packed.duration : sum(t.durations);
}

/**
 * The `moov` box for `tracks`, whose samples already lie at the chunk offsets given; `extra`
 * boxes (such as `mvex`) go at its end.
 *
 * @example
 * ```ts ignore
 * const moov = buildMoov(1000, [track]);
 * ```
 */
export function buildMoov(
  movieTimescale: number,
  tracks: MuxTrack[],
  extra: Uint8Array[] = [],
): Uint8Array {
  const durations = tracks.map((t) => trackMovieDuration(t, movieTimescale));
  const movieDuration = Math.max(0, ...durations);
  const nextId = Math.max(0, ...tracks.map((t) => t.meta.mp4_track_id)) + 1;
  return box(
    "moov",
    mvhd(movieTimescale, movieDuration, nextId),
    ...tracks.map((t, i) => trak(t, durations[i])),
    ...extra,
  );
}

function mvhd(timescale: number, duration: number, nextId: number): Uint8Array {
  const w = new ByteWriter(120);
  const v1 = duration > U32_MAX;
  fullHead(w, v1 ? 1 : 0, 0);
  if (v1) {
    w.u64(0);
    w.u64(0);
    w.u32(timescale);
    w.u64(duration);
  } else {
    w.u32(0);
    w.u32(0);
    w.u32(timescale);
    w.u32(duration);
  }
  w.u32(0x00010000); // rate 1.0
  w.u16(0x0100); // volume 1.0
  w.bytes(new Uint8Array(10));
  for (const m of IDENTITY) s32(w, m);
  w.bytes(new Uint8Array(24));
  w.u32(nextId);
  return box("mvhd", w.finish());
}

function trak(t: MuxTrack, movieDuration: number): Uint8Array {
  const parts = [tkhd(t, movieDuration)];
  if (t.meta.edits?.length) parts.push(box("edts", elst(t.meta.edits)));
  parts.push(box("mdia", mdhd(t), hdlr(t.meta), minf(t)));
  return box("trak", ...parts);
}

function tkhd(t: MuxTrack, duration: number): Uint8Array {
  const k = t.meta.tkhd;
  const w = new ByteWriter(104);
  const v1 = duration > U32_MAX;
  fullHead(w, v1 ? 1 : 0, k.flags);
  if (v1) {
    w.u64(0);
    w.u64(0);
    w.u32(t.meta.mp4_track_id);
    w.u32(0);
    w.u64(duration);
  } else {
    w.u32(0);
    w.u32(0);
    w.u32(t.meta.mp4_track_id);
    w.u32(0);
    w.u32(duration);
  }
  w.bytes(new Uint8Array(8));
  w.u16(k.layer & 0xffff);
  w.u16(k.alternate_group & 0xffff);
  w.u16(k.volume & 0xffff);
  w.u16(0);
  for (const m of k.matrix.length === 9 ? k.matrix : IDENTITY) s32(w, m);
  w.u32(k.width);
  w.u32(k.height);
  return box("tkhd", w.finish());
}

function elst(edits: EditEntry[]): Uint8Array {
  const v1 = edits.some((e) => e.segment_duration > U32_MAX || e.media_time > 0x7fff_ffff);
  const w = new ByteWriter();
  fullHead(w, v1 ? 1 : 0, 0);
  w.u32(edits.length);
  for (const e of edits) {
    if (v1) {
      w.u64(e.segment_duration);
      s64(w, e.media_time);
    } else {
      w.u32(e.segment_duration);
      s32(w, e.media_time);
    }
    w.u16(e.media_rate_integer & 0xffff);
    w.u16(e.media_rate_fraction);
  }
  return box("elst", w.finish());
}

function mdhd(t: MuxTrack): Uint8Array {
  const duration = mediaDuration(t);
  const v1 = duration > U32_MAX;
  const w = new ByteWriter(44);
  fullHead(w, v1 ? 1 : 0, 0);
  if (v1) {
    w.u64(0);
    w.u64(0);
    w.u32(t.meta.timescale);
    w.u64(duration);
  } else {
    w.u32(0);
    w.u32(0);
    w.u32(t.meta.timescale);
    w.u32(duration);
  }
  const l = t.meta.language;
  w.u16(
    l === undefined
      ? t.meta.language_code ?? 0
      : ((l.charCodeAt(0) - 0x60) << 10) | ((l.charCodeAt(1) - 0x60) << 5) |
        (l.charCodeAt(2) - 0x60),
  );
  w.u16(0);
  return box("mdhd", w.finish());
}

function hdlr(m: MediaTrackMeta): Uint8Array {
  const w = new ByteWriter();
  fullHead(w, 0, 0);
  w.u32(0);
  w.bytes(fourcc(m.handler));
  w.bytes(new Uint8Array(12));
  w.bytes(new TextEncoder().encode(m.handler_name));
  w.u8(0);
  return box("hdlr", w.finish());
}

function minf(t: MuxTrack): Uint8Array {
  const w = new ByteWriter(16);
  let header: Uint8Array;
  if (t.meta.handler === "vide") {
    fullHead(w, 0, 1);
    w.bytes(new Uint8Array(8)); // graphicsmode, opcolor
    header = box("vmhd", w.finish());
  } else if (t.meta.handler === "soun") {
    fullHead(w, 0, 0);
    w.u32(0); // balance, reserved
    header = box("smhd", w.finish());
  } else {
    fullHead(w, 0, 0);
    header = box("nmhd", w.finish());
  }
  const url = box("url ", new Uint8Array([0, 0, 0, 1]));
  const dref = box("dref", new Uint8Array([0, 0, 0, 0, 0, 0, 0, 1]), url);
  return box("minf", header, box("dinf", dref), stbl(t));
}

function stbl(t: MuxTrack): Uint8Array {
  const parts: Uint8Array[] = [];
  // stsd
  {
    const w = new ByteWriter(8);
    fullHead(w, 0, 0);
    w.u32(t.entries.length);
    parts.push(box("stsd", w.finish(), ...t.entries));
  }
  // stts
  {
    const runs = t.packed
      ? (t.packed.count ? [[t.packed.count, t.packed.duration]] : [])
      : runsOf(t.durations);
    const w = new ByteWriter(8 + runs.length * 8);
    fullHead(w, 0, 0);
    w.u32(runs.length);
    for (const [c, d] of runs) {
      w.u32(c);
      w.u32(d);
    }
    parts.push(box("stts", w.finish()));
  }
  // stss, only when some sample is not sync (no stss means all are)
  if (t.sync.some((s) => !s)) {
    const idx: number[] = [];
    t.sync.forEach((s, i) => s && idx.push(i + 1));
    const w = new ByteWriter(8 + idx.length * 4);
    fullHead(w, 0, 0);
    w.u32(idx.length);
    for (const i of idx) w.u32(i);
    parts.push(box("stss", w.finish()));
  }
  // ctts, only when some offset is not 0; version 1 when some is negative
  if (t.ctsOffsets.some((o) => o !== 0)) {
    const runs = runsOf(t.ctsOffsets);
    const v1 = t.ctsOffsets.some((o) => o < 0);
    const w = new ByteWriter(8 + runs.length * 8);
    fullHead(w, v1 ? 1 : 0, 0);
    w.u32(runs.length);
    for (const [c, o] of runs) {
      w.u32(c);
      s32(w, o);
    }
    parts.push(box("ctts", w.finish()));
  }
  // stsc: runs of chunks with the same sample count and description index
  {
    const rows: [number, number, number][] = [];
    t.chunks.forEach((c, i) => {
      const last = rows[rows.length - 1];
      if (!last || last[1] !== c.count || last[2] !== c.entry) rows.push([i + 1, c.count, c.entry]);
    });
    const w = new ByteWriter(8 + rows.length * 12);
    fullHead(w, 0, 0);
    w.u32(rows.length);
    for (const [first, count, entry] of rows) {
      w.u32(first);
      w.u32(count);
      w.u32(entry);
    }
    parts.push(box("stsc", w.finish()));
  }
  // stsz
  {
    const same = t.packed !== undefined ||
      (t.sizes.length > 0 && t.sizes.every((s) => s === t.sizes[0]));
    const w = new ByteWriter(12 + (same ? 0 : t.sizes.length * 4));
    fullHead(w, 0, 0);
    w.u32(t.packed ? t.packed.size : same ? t.sizes[0] : 0);
    w.u32(t.packed ? t.packed.count : t.sizes.length);
    if (!same) { for (const s of t.sizes) w.u32(s); }
    parts.push(box("stsz", w.finish()));
  }
  // stco or co64
  {
    const wide = t.chunks.some((c) => c.offset > U32_MAX);
    const w = new ByteWriter(8 + t.chunks.length * (wide ? 8 : 4));
    fullHead(w, 0, 0);
    w.u32(t.chunks.length);
    for (const c of t.chunks) wide ? w.u64(c.offset) : w.u32(c.offset);
    parts.push(box(wide ? "co64" : "stco", w.finish()));
  }
  return box("stbl", ...parts);
}

function runsOf(values: number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const v of values) {
    const last = runs[runs.length - 1];
    if (last && last[1] === v) last[0]++;
    else runs.push([1, v]);
  }
  return runs;
}
