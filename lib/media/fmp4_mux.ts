/**
 * Fragmented MP4 (ISO/IEC 14496-12 `moof`/`mdat`), written by hand from sample lists: an
 * initialisation segment (`ftyp` and a `moov` with empty sample tables and `mvex`) and media
 * fragments (`moof` with one `traf` per run of samples, then `mdat`). The same code serves the
 * web player, which feeds fragments to Media Source Extensions, and `h4mk export --fragmented`.
 * It runs in browsers: it uses no `node:` module.
 *
 * Timing is the caller's: each run gives its first decode time and, per sample, the duration
 * and the composition offset (signed; `trun` version 1), so the muxer never guesses.
 *
 * @module
 */
import { concat } from "../format/bytes.ts";
import { H4Error } from "../format/errors.ts";
import type { EditEntry } from "./mapping.ts";

/** One track of an initialisation segment. */
export interface FragTrackInit {
  /** MP4 `track_ID`, 1 or more. */
  track_id: number;
  /** `hdlr` handler type: `vide`, `soun`, or another (a null media header is written). */
  handler: string;
  /** `hdlr` name; default empty. */
  handler_name?: string;
  /** Media timescale, ticks per second. */
  timescale: number;
  /** Sample entry boxes (whole `avc1`, `mp4a`... boxes), at least one. */
  entries: Uint8Array[];
  /** Video: width and height in pixels, for `tkhd`. */
  width?: number;
  /** Video: height in pixels. */
  height?: number;
  /** ISO 639-2 language, three lower-case letters; default `und`. */
  language?: string;
  /** Edit list to carry in `edts` (movie and media timescales as in `elst`); none by default. */
  edits?: EditEntry[];
}

/** One sample of a fragment. */
export interface FragSample {
  /** Bytes of the sample. */
  size: number;
  /** Duration in the track's timescale. */
  duration: number;
  /** Composition time minus decode time, in the track's timescale (may be negative). */
  cts_offset: number;
  /** Sync sample (keyframe). */
  sync: boolean;
}

/** The samples of one track in a fragment, contiguous in decode order. */
export interface FragRun {
  /** MP4 `track_ID` of the track. */
  track_id: number;
  /** Decode time of the first sample, in the track's timescale (`tfdt`). */
  base_decode_time: number;
  /** 1-based sample description index; default 1. */
  entry?: number;
  /** The samples. */
  samples: FragSample[];
}

const U32_MAX = 0xffff_ffff;
const IDENTITY = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000];
/** `trun` flags: data offset, and per-sample duration, size, flags and composition offset. */
const TRUN_FLAGS = 0x000001 | 0x000100 | 0x000200 | 0x000400 | 0x000800;
/** Sample flags of a sync sample: depends on no other. */
const SYNC_FLAGS = 0x0200_0000;
/** Sample flags of another sample: depends on others, is not a sync sample. */
const NON_SYNC_FLAGS = 0x0101_0000;

/** A growable big-endian writer (small, so that this file stands alone in a page bundle). */
class Out {
  #buf = new Uint8Array(64);
  #view = new DataView(this.#buf.buffer);
  #n = 0;
  #room(k: number): void {
    if (this.#n + k <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#n + k));
    next.set(this.#buf.subarray(0, this.#n));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }
  u8(v: number): this {
    this.#room(1);
    this.#buf[this.#n++] = v & 0xff;
    return this;
  }
  u16(v: number): this {
    this.#room(2);
    this.#view.setUint16(this.#n, v & 0xffff);
    this.#n += 2;
    return this;
  }
  u32(v: number): this {
    this.#room(4);
    this.#view.setUint32(this.#n, v >>> 0);
    this.#n += 4;
    return this;
  }
  s32(v: number): this {
    this.#room(4);
    this.#view.setInt32(this.#n, v | 0);
    this.#n += 4;
    return this;
  }
  u64(v: number): this {
    const b = BigInt.asUintN(64, BigInt(v));
    return this.u32(Number(b >> 32n)).u32(Number(b & 0xffff_ffffn));
  }
  bytes(b: Uint8Array): this {
    this.#room(b.length);
    this.#buf.set(b, this.#n);
    this.#n += b.length;
    return this;
  }
  ascii(s: string): this {
    for (let i = 0; i < s.length; i++) this.u8(s.charCodeAt(i));
    return this;
  }
  full(version: number, flags: number): this {
    return this.u32(((version & 0xff) << 24 | (flags & 0xff_ffff)) >>> 0);
  }
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#n);
  }
}

function box(type: string, ...parts: Uint8Array[]): Uint8Array {
  let n = 8;
  for (const p of parts) n += p.length;
  if (n > U32_MAX) throw new H4Error("H4_LIMIT_EXCEEDED", `${type} box of ${n} bytes is too large`);
  return concat([new Out().u32(n).ascii(type).finish(), ...parts]);
}

function checkInt(v: number, what: string, min: number, max: number): void {
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `${what} must be an integer in [${min}, ${max}], got ${v}`,
    );
  }
}

/**
 * The initialisation segment: `ftyp` (brands `iso6`, `iso5`, `mp41`) and a `moov` whose tracks
 * have empty sample tables, with `mvex`/`trex` announcing fragments. Throws `H4_BAD_ARGUMENT`
 * for a track without sample entry or with a bad id or timescale.
 *
 * @example
 * ```ts
 * import { buildInitSegment } from "./fmp4_mux.ts";
 * import assert from "node:assert/strict";
 * const entry = new Uint8Array([0, 0, 0, 8, 0x6d, 0x70, 0x34, 0x61]); // an (empty) mp4a box
 * const init = buildInitSegment([{ track_id: 1, handler: "soun", timescale: 48000, entries: [entry] }]);
 * assert(new TextDecoder().decode(init.subarray(4, 8)) === "ftyp");
 * ```
 */
export function buildInitSegment(tracks: FragTrackInit[]): Uint8Array {
  if (tracks.length === 0) throw new H4Error("H4_BAD_ARGUMENT", "an MP4 needs at least one track");
  const ids = new Set<number>();
  for (const t of tracks) {
    checkInt(t.track_id, "track_id", 1, U32_MAX - 1);
    checkInt(t.timescale, `timescale of track ${t.track_id}`, 1, U32_MAX);
    if (ids.has(t.track_id)) {
      throw new H4Error("H4_BAD_ARGUMENT", `two tracks have track_id ${t.track_id}`);
    }
    ids.add(t.track_id);
    if (t.entries.length === 0) {
      throw new H4Error("H4_BAD_ARGUMENT", `track ${t.track_id} has no sample entry`);
    }
  }
  const ftyp = box("ftyp", new Out().ascii("iso6").u32(0).ascii("iso6iso5mp41").finish());
  const mvhd = new Out().full(0, 0).u32(0).u32(0).u32(1000).u32(0).u32(0x0001_0000).u16(0x0100)
    .u16(0).u32(0).u32(0);
  for (const m of IDENTITY) mvhd.u32(m);
  for (let i = 0; i < 6; i++) mvhd.u32(0);
  mvhd.u32(Math.max(...ids) + 1);
  const traks = tracks.map(trak);
  const trexes = tracks.map((t) =>
    box("trex", new Out().full(0, 0).u32(t.track_id).u32(1).u32(0).u32(0).u32(0).finish())
  );
  return concat([ftyp, box("moov", box("mvhd", mvhd.finish()), ...traks, box("mvex", ...trexes))]);
}

function trak(t: FragTrackInit): Uint8Array {
  const tkhd = new Out().full(0, 3).u32(0).u32(0).u32(t.track_id).u32(0).u32(0).u32(0).u32(0)
    .u16(0).u16(0).u16(t.handler === "soun" ? 0x0100 : 0).u16(0);
  for (const m of IDENTITY) tkhd.u32(m);
  tkhd.u32(Math.round((t.width ?? 0) * 65536)).u32(Math.round((t.height ?? 0) * 65536));
  const lang = /^[a-z]{3}$/.test(t.language ?? "") ? t.language! : "und";
  const code = ((lang.charCodeAt(0) - 0x60) << 10) | ((lang.charCodeAt(1) - 0x60) << 5) |
    (lang.charCodeAt(2) - 0x60);
  const mdhd = new Out().full(0, 0).u32(0).u32(0).u32(t.timescale).u32(0).u16(code).u16(0);
  const hdlr = new Out().full(0, 0).u32(0).ascii(t.handler.padEnd(4, " ").slice(0, 4))
    .u32(0).u32(0).u32(0).bytes(new TextEncoder().encode(t.handler_name ?? "")).u8(0);
  const header = t.handler === "vide"
    ? box("vmhd", new Out().full(0, 1).u32(0).u32(0).finish())
    : t.handler === "soun"
    ? box("smhd", new Out().full(0, 0).u32(0).finish())
    : box("nmhd", new Out().full(0, 0).finish());
  const dref = box(
    "dref",
    new Out().full(0, 0).u32(1).finish(),
    box("url ", new Out().full(0, 1).finish()),
  );
  const empty = (type: string, extra = 0) => {
    const o = new Out().full(0, 0);
    for (let i = 0; i <= extra; i++) o.u32(0);
    return box(type, o.finish());
  };
  const stbl = box(
    "stbl",
    box("stsd", new Out().full(0, 0).u32(t.entries.length).finish(), ...t.entries),
    empty("stts"),
    empty("stsc"),
    empty("stsz", 1),
    empty("stco"),
  );
  const minf = box("minf", header, box("dinf", dref), stbl);
  const parts = [box("tkhd", tkhd.finish())];
  if (t.edits?.length) parts.push(box("edts", elst(t.edits)));
  parts.push(box("mdia", box("mdhd", mdhd.finish()), box("hdlr", hdlr.finish()), minf));
  return box("trak", ...parts);
}

function elst(edits: EditEntry[]): Uint8Array {
  const o = new Out().full(1, 0).u32(edits.length);
  for (const e of edits) {
    o.u64(e.segment_duration).u64(e.media_time).u16(e.media_rate_integer).u16(
      e.media_rate_fraction,
    );
  }
  return box("elst", o.finish());
}

/**
 * A media fragment: the `moof` (sequence number `sequence`, one `traf` per run, in the order
 * given) and the `mdat` header. The sample bytes follow the header in the same order (runs in
 * order, samples in order); this returns the two boxes' bytes up to there, so that a caller can
 * write the payloads without copying them. Throws `H4_BAD_ARGUMENT` for a bad run and
 * `H4_LIMIT_EXCEEDED` when the data does not fit a 32-bit offset.
 *
 * @example
 * ```ts
 * import { buildFragment } from "./fmp4_mux.ts";
 * import assert from "node:assert/strict";
 * const head = buildFragment(1, [{
 *   track_id: 1,
 *   base_decode_time: 0,
 *   samples: [{ size: 3, duration: 1024, cts_offset: 0, sync: true }],
 * }]);
 * assert(new TextDecoder().decode(head.subarray(4, 8)) === "moof");
 * const whole = new Uint8Array([...head, 1, 2, 3]); // the fragment, with its one sample
 * assert(whole.length === head.length + 3);
 * ```
 */
export function buildFragment(sequence: number, runs: FragRun[]): Uint8Array {
  checkInt(sequence, "sequence", 1, U32_MAX);
  let payload = 0;
  for (const r of runs) {
    checkInt(r.track_id, "track_id", 1, U32_MAX - 1);
    checkInt(r.base_decode_time, `base_decode_time of track ${r.track_id}`, 0, 2 ** 53 - 1);
    checkInt(r.entry ?? 1, `entry of track ${r.track_id}`, 1, U32_MAX);
    for (const s of r.samples) {
      checkInt(s.size, "sample size", 0, U32_MAX);
      checkInt(s.duration, "sample duration", 0, U32_MAX);
      checkInt(s.cts_offset, "composition offset", -0x8000_0000, 0x7fff_ffff);
      payload += s.size;
    }
  }
  // trun data offsets are signed 32-bit, from the start of the moof.
  if (payload > 0x7fff_0000) {
    throw new H4Error("H4_LIMIT_EXCEEDED", `a fragment of ${payload} bytes is too large`);
  }
  // The moof's size does not depend on the data offsets, so it is built once with zeros, then
  // the offsets (from the moof's start, default-base-is-moof) are patched in.
  const trafs: Uint8Array[] = [];
  const offsetAt: number[] = [];
  for (const r of runs) {
    const tfhdFlags = 0x020000 | (r.entry && r.entry !== 1 ? 0x000002 : 0);
    const tfhd = new Out().full(0, tfhdFlags).u32(r.track_id);
    if (tfhdFlags & 2) tfhd.u32(r.entry!);
    const tfdt = new Out().full(1, 0).u64(r.base_decode_time);
    const trun = new Out().full(1, TRUN_FLAGS).u32(r.samples.length).s32(0);
    for (const s of r.samples) {
      trun.u32(s.duration).u32(s.size).u32(s.sync ? SYNC_FLAGS : NON_SYNC_FLAGS).s32(s.cts_offset);
    }
    const head = concat([box("tfhd", tfhd.finish()), box("tfdt", tfdt.finish())]);
    // data_offset lies 8 (traf header) + head + 8 (trun header) + 8 (full head, count) in.
    offsetAt.push(8 + head.length + 16);
    trafs.push(box("traf", head, box("trun", trun.finish())));
  }
  const mfhd = box("mfhd", new Out().full(0, 0).u32(sequence).finish());
  const moof = box("moof", mfhd, ...trafs);
  const view = new DataView(moof.buffer, moof.byteOffset, moof.length);
  let pos = 8 + mfhd.length;
  let data = moof.length + 8;
  runs.forEach((r, i) => {
    view.setInt32(pos + offsetAt[i], data);
    pos += trafs[i].length;
    for (const s of r.samples) data += s.size;
  });
  return concat([moof, new Out().u32(payload + 8).ascii("mdat").finish()]);
}
