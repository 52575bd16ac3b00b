/**
 * `META.media`: what {@linkcode importMedia} records so that {@linkcode exportMp4} can rebuild
 * the MP4 (SPEC.md section 17, H4-MED-004), and its validation. META is read from files
 * that anyone may have written, so every field is checked before use.
 *
 * @module
 */
import { H4Error } from "../format/errors.ts";
import type { EditEntry, Runs } from "./mapping.ts";

/** The META key under which the media mapping lives. */
export const MEDIA_META_KEY = "media";
/** Version of the `META.media` layout. */
export const MEDIA_META_VERSION = 1;

/** `ftyp` of the source file. */
export interface FtypMeta {
  /** Major brand, four characters. */
  major_brand: string;
  /** Minor version. */
  minor_version: number;
  /** Compatible brands, four characters each. */
  compatible_brands: string[];
}

/** Fields of the source `tkhd` that are not derived from the samples. */
export interface TkhdMeta {
  /** tkhd flags (1 enabled, 2 in movie, 4 in preview). */
  flags: number;
  /** Layer. */
  layer: number;
  /** Alternate group. */
  alternate_group: number;
  /** Volume, 8.8 fixed point as stored (0x0100 = 1.0). */
  volume: number;
  /** Transformation matrix, nine 32-bit values as stored. */
  matrix: number[];
  /** Width, 16.16 fixed point as stored. */
  width: number;
  /** Height, 16.16 fixed point as stored. */
  height: number;
}

/** One imported track. */
export interface MediaTrackMeta {
  /** `track_ID` in the source file. */
  mp4_track_id: number;
  /** `hdlr` handler type, e.g. `vide`. */
  handler: string;
  /** `hdlr` name. */
  handler_name: string;
  /** RFC 6381 codec string, e.g. `avc1.64000c`. */
  codec: string;
  /** Media timescale (`mdhd`), ticks per second. */
  timescale: number;
  /** Media duration (`mdhd`) in the timescale; 0 when the source did not give it. */
  duration: number;
  /** Duration of the source `tkhd`, in the movie timescale (0 when not given). */
  tkhd_duration: number;
  /** Number of samples (= blocks of the track). */
  samples: number;
  /** Payload bytes of the track (informative: bitrate in manifests). */
  bytes?: number;
  /** ISO 639-2 language of `mdhd`, e.g. `und`; absent when the file uses a QuickTime code. */
  language?: string;
  /** Raw `mdhd` language field when it is not ISO 639-2 letters (QuickTime codes, 0x7fff). */
  language_code?: number;
  /** Video: coded width of the sample entry. */
  width?: number;
  /** Video: coded height of the sample entry. */
  height?: number;
  /** Audio: sample rate of the sample entry. */
  sample_rate?: number;
  /** Audio: channel count of the sample entry. */
  channels?: number;
  /** tkhd fields. */
  tkhd: TkhdMeta;
  /** Every `stsd` entry box (e.g. a whole `avc1` box with its `avcC`), base64. */
  sample_entries: string[];
  /** Four-character type of the decoder configuration box, e.g. `avcC` or `esds`. */
  config_box?: string;
  /** That box, base64 (informative: it is also inside the sample entry). */
  config_b64?: string;
  /** The edit list (`elst`), when the source had one. */
  edits?: EditEntry[];
  /** Sample durations in decode order, run-length (`stts`). */
  durations: Runs;
  /** Composition offsets `cts − dts`, run-length (`ctts`); only for timescales above 10^6. */
  cts_offsets?: Runs;
  /** Sample description index (1-based) per sample, run-length; only with several entries. */
  entry_runs?: Runs;
  /**
   * A packed track (H4-MED-007: PCM and other tiny constant samples): each block holds the
   * samples of one chunk, all of `sample_size` bytes and `sample_duration` ticks; `samples`
   * above and the lists count blocks, `packed.samples` the samples.
   */
  packed?: PackedMeta;
}

/** `packed` of a track (H4-MED-007). */
export interface PackedMeta {
  /** Bytes of each sample (`stsz` sample_size). */
  sample_size: number;
  /** Duration of each sample in the track timescale. */
  sample_duration: number;
  /** Number of samples in all blocks. */
  samples: number;
}

/** `META.media`. */
export interface MediaMeta {
  /** {@linkcode MEDIA_META_VERSION}. */
  version: number;
  /** Source family: always `"mp4"` (MP4, M4A, MOV, fragmented MP4). */
  format: "mp4";
  /** True when the source was a fragmented MP4. */
  fragmented: boolean;
  /** Source `ftyp`, or null when it had none (old QuickTime). */
  ftyp: FtypMeta | null;
  /** Movie timescale (`mvhd`). */
  movie_timescale: number;
  /** Imported tracks by H4MK track id. */
  tracks: Record<string, MediaTrackMeta>;
  /**
   * Fragmented input whose moov held no sample (H4-MED-010): per moof, in file order, each
   * traf of an imported track as `[track_id, blocks, base_time]` (`tfdt`, track timescale).
   */
  fragments?: [string, number, number][][];
}

function bad(path: string, what: string, got: unknown): never {
  const shown = typeof got === "string"
    ? JSON.stringify(got.slice(0, 40))
    : Array.isArray(got)
    ? "an array"
    : String(got);
  throw new H4Error("H4_BAD_ARGUMENT", `META.${path} must be ${what}, got ${shown.slice(0, 60)}`);
}

function obj(v: unknown, path: string): Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) bad(path, "an object", v);
  return v as Record<string, unknown>;
}

function int(v: unknown, path: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min || v > max) {
    bad(path, `an integer in ${min}..${max}`, v);
  }
  return v as number;
}

function str(v: unknown, path: string, max = 1024): string {
  if (typeof v !== "string" || v.length > max) {
    bad(path, `a string of at most ${max} characters`, v);
  }
  return v as string;
}

function fourcc(v: unknown, path: string): string {
  if (typeof v !== "string" || !/^[\x20-\x7e]{4}$/.test(v)) {
    bad(path, "four printable ASCII characters", v);
  }
  return v as string;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function b64(v: unknown, path: string): string {
  if (typeof v !== "string" || !BASE64.test(v)) bad(path, "standard padded base64", v);
  return v as string;
}

function runs(v: unknown, path: string, min: number, max: number): Runs {
  if (!Array.isArray(v)) bad(path, "a list of [count, value] runs", v);
  return (v as unknown[]).map((r, i) => {
    if (!Array.isArray(r) || r.length !== 2) bad(`${path}[${i}]`, "a [count, value] pair", r);
    return [int(r[0], `${path}[${i}][0]`, 1), int(r[1], `${path}[${i}][1]`, min, max)] as [
      number,
      number,
    ];
  });
}

const U32 = 0xffff_ffff;
const S32_MIN = -0x8000_0000;

/**
 * Checks `META.media` and returns it typed; any problem is an `H4_BAD_ARGUMENT` naming the
 * field. `undefined` (a container not made by `importMedia`) is an error too.
 *
 * @example
 * ```ts
 * import { parseMediaMeta } from "./media_meta.ts";
 * import assert from "node:assert/strict";
 * const m = parseMediaMeta({ version: 1, format: "mp4", fragmented: false, ftyp: null, movie_timescale: 1000, tracks: {} });
 * assert(m.movie_timescale === 1000);
 * ```
 */
export function parseMediaMeta(value: unknown): MediaMeta {
  if (value === undefined) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      "container has no META.media: it was not made by importMedia, nothing to export",
    );
  }
  const m = obj(value, "media");
  if (m.version !== MEDIA_META_VERSION) bad("media.version", String(MEDIA_META_VERSION), m.version);
  if (m.format !== "mp4") bad("media.format", '"mp4"', m.format);
  if (typeof m.fragmented !== "boolean") bad("media.fragmented", "a boolean", m.fragmented);
  let ftyp: FtypMeta | null = null;
  if (m.ftyp !== null) {
    const f = obj(m.ftyp, "media.ftyp");
    const brands = f.compatible_brands;
    if (!Array.isArray(brands) || brands.length > 256) {
      bad("media.ftyp.compatible_brands", "a list", brands);
    }
    ftyp = {
      major_brand: fourcc(f.major_brand, "media.ftyp.major_brand"),
      minor_version: int(f.minor_version, "media.ftyp.minor_version", 0, U32),
      compatible_brands: (brands as unknown[]).map((b, i) =>
        fourcc(b, `media.ftyp.compatible_brands[${i}]`)
      ),
    };
  }
  const movieTimescale = int(m.movie_timescale, "media.movie_timescale", 1, U32);
  const tracksIn = obj(m.tracks, "media.tracks");
  const tracks: Record<string, MediaTrackMeta> = {};
  for (const [id, tv] of Object.entries(tracksIn)) {
    tracks[id] = parseTrack(tv, `media.tracks.${id}`);
  }
  const out: MediaMeta = {
    version: MEDIA_META_VERSION,
    format: "mp4",
    fragmented: m.fragmented as boolean,
    ftyp,
    movie_timescale: movieTimescale,
    tracks,
  };
  if (m.fragments !== undefined) out.fragments = parseFragments(m.fragments, tracks);
  return out;
}

function parseFragments(
  v: unknown,
  tracks: Record<string, MediaTrackMeta>,
): [string, number, number][][] {
  const p = "media.fragments";
  if (!Array.isArray(v) || v.length > 16_777_216) bad(p, "a list of fragments", v);
  const counts = new Map<string, number>();
  const out = (v as unknown[]).map((f, i) => {
    if (!Array.isArray(f) || f.length === 0 || f.length > 1024) {
      bad(`${p}[${i}]`, "a non-empty list of [track_id, blocks, base_time]", f);
    }
    return (f as unknown[]).map((t, j) => {
      const q = `${p}[${i}][${j}]`;
      if (!Array.isArray(t) || t.length !== 3) bad(q, "[track_id, blocks, base_time]", t);
      const [id, n, base] = t as unknown[];
      if (typeof id !== "string" || !Object.hasOwn(tracks, id)) {
        bad(`${q}[0]`, "a track id of media.tracks", id);
      }
      const blocks = int(n, `${q}[1]`, 1, U32);
      counts.set(id as string, (counts.get(id as string) ?? 0) + blocks);
      return [id as string, blocks, int(base, `${q}[2]`)] as [string, number, number];
    });
  });
  for (const [id, t] of Object.entries(tracks)) {
    if ((counts.get(id) ?? 0) !== t.samples) {
      bad(`${p}`, `fragments covering the ${t.samples} blocks of ${id}`, `${counts.get(id) ?? 0}`);
    }
  }
  return out;
}

function parseTrack(v: unknown, p: string): MediaTrackMeta {
  const t = obj(v, p);
  const k = obj(t.tkhd, `${p}.tkhd`);
  const matrix = k.matrix;
  if (!Array.isArray(matrix) || matrix.length !== 9) {
    bad(`${p}.tkhd.matrix`, "nine numbers", matrix);
  }
  const entries = t.sample_entries;
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > 1024) {
    bad(`${p}.sample_entries`, "a non-empty list of base64 boxes", entries);
  }
  const out: MediaTrackMeta = {
    mp4_track_id: int(t.mp4_track_id, `${p}.mp4_track_id`, 1, U32),
    handler: fourcc(t.handler, `${p}.handler`),
    handler_name: str(t.handler_name, `${p}.handler_name`),
    codec: str(t.codec, `${p}.codec`),
    timescale: int(t.timescale, `${p}.timescale`, 1, U32),
    duration: int(t.duration, `${p}.duration`),
    tkhd_duration: int(t.tkhd_duration, `${p}.tkhd_duration`),
    samples: int(t.samples, `${p}.samples`, 0, U32),
    tkhd: {
      flags: int(k.flags, `${p}.tkhd.flags`, 0, 0xff_ffff),
      layer: int(k.layer, `${p}.tkhd.layer`, -0x8000, 0x7fff),
      alternate_group: int(k.alternate_group, `${p}.tkhd.alternate_group`, -0x8000, 0x7fff),
      volume: int(k.volume, `${p}.tkhd.volume`, -0x8000, 0x7fff),
      matrix: (matrix as unknown[]).map((x, i) =>
        int(x, `${p}.tkhd.matrix[${i}]`, S32_MIN, 0x7fff_ffff)
      ),
      width: int(k.width, `${p}.tkhd.width`, 0, U32),
      height: int(k.height, `${p}.tkhd.height`, 0, U32),
    },
    sample_entries: (entries as unknown[]).map((e, i) => b64(e, `${p}.sample_entries[${i}]`)),
    durations: runs(t.durations, `${p}.durations`, 0, U32),
  };
  if (t.language !== undefined) {
    out.language = str(t.language, `${p}.language`, 3);
    if (!/^[a-z]{3}$/.test(out.language)) {
      bad(`${p}.language`, "three lowercase letters", out.language);
    }
  } else out.language_code = int(t.language_code, `${p}.language_code`, 0, 0xffff);
  if (t.bytes !== undefined) out.bytes = int(t.bytes, `${p}.bytes`);
  for (const key of ["width", "height", "sample_rate", "channels"] as const) {
    if (t[key] !== undefined) out[key] = int(t[key], `${p}.${key}`, 0, U32);
  }
  if (t.config_box !== undefined) out.config_box = fourcc(t.config_box, `${p}.config_box`);
  if (t.config_b64 !== undefined) out.config_b64 = b64(t.config_b64, `${p}.config_b64`);
  if (t.edits !== undefined) {
    if (!Array.isArray(t.edits) || t.edits.length > 65536) bad(`${p}.edits`, "a list", t.edits);
    out.edits = (t.edits as unknown[]).map((e, i) => {
      const q = `${p}.edits[${i}]`;
      const o = obj(e, q);
      return {
        segment_duration: int(o.segment_duration, `${q}.segment_duration`),
        media_time: int(o.media_time, `${q}.media_time`, -1),
        media_rate_integer: int(o.media_rate_integer, `${q}.media_rate_integer`, -0x8000, 0x7fff),
        media_rate_fraction: int(o.media_rate_fraction, `${q}.media_rate_fraction`, 0, 0xffff),
      };
    });
  }
  if (t.cts_offsets !== undefined) {
    out.cts_offsets = runs(t.cts_offsets, `${p}.cts_offsets`, S32_MIN, 0x7fff_ffff);
  }
  if (t.entry_runs !== undefined) {
    out.entry_runs = runs(t.entry_runs, `${p}.entry_runs`, 1, out.sample_entries.length);
  }
  if (t.packed !== undefined) {
    const k = obj(t.packed, `${p}.packed`);
    out.packed = {
      sample_size: int(k.sample_size, `${p}.packed.sample_size`, 1, U32),
      sample_duration: int(k.sample_duration, `${p}.packed.sample_duration`, 0, U32),
      samples: int(k.samples, `${p}.packed.samples`, 0, Number.MAX_SAFE_INTEGER),
    };
  }
  return out;
}

/**
 * Standard padded base64 of bytes.
 *
 * @example
 * ```ts
 * import { toBase64 } from "./media_meta.ts";
 * import assert from "node:assert/strict";
 * assert(toBase64(new Uint8Array([1, 2, 3])) === "AQID");
 * ```
 */
export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

/**
 * Bytes of standard padded base64 (checked by {@linkcode parseMediaMeta} beforehand).
 *
 * @example
 * ```ts
 * import { fromBase64 } from "./media_meta.ts";
 * import assert from "node:assert/strict";
 * assert(fromBase64("AQID").join() === "1,2,3");
 * ```
 */
export function fromBase64(text: string): Uint8Array {
  if (!BASE64.test(text)) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `not standard padded base64: ${JSON.stringify(text.slice(0, 40))}`,
    );
  }
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
