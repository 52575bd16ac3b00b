/**
 * A second H4MK writer, written from SPEC.md for crafting conformance vectors. It builds a file
 * in stages (blocks, tracks, storage, index records, seek tables, table structures, table bytes,
 * chunks, VERI, LOCA, root) and lets a vector change any stage through a hook; every later
 * stage is then computed from the changed data. A vector that breaks one BIDX rule thus still
 * has correct TDIR page digests, root, VERI and CRCs, and tests that rule only.
 *
 * It is test tooling, not the library's writer: it favours being able to write anything over
 * speed, and it never validates its input.
 *
 * @module
 */

import { isStorageTag, ROOTED_TAGS, SLOT_TAGS } from "../../lib/format/chunk_types.ts";
import { crc32 } from "../../lib/hash/crc32.ts";
import type { BlockSealer } from "../../lib/format/types.ts";
import { sha256 } from "../../lib/hash/sha256.ts";
import { cat, type Field, svarint, u16, u32, u64, u8, utf8, varint } from "./fields.ts";
import { zlibFixed } from "./zlib.ts";

/** Frame kind names. */
export type Kind = "I" | "P" | "B";
/** Codec names. */
export type Codec = "none" | "deflate" | "rle";
/** Profiles the builder writes; `legacy` is the original Python writer's layout. */
export type CraftProfile = "v1" | "v2" | "legacy";

/** Codec ids of SPEC.md section 5. */
export const CODEC_ID: Record<Codec, number> = { none: 0, deflate: 1, rle: 2 };
/** Codec names by id. */
export const CODEC_NAME: readonly Codec[] = ["none", "deflate", "rle"];
/** Kind ids of SPEC.md section 5. */
export const KIND_ID: Record<Kind, number> = { I: 0, P: 1, B: 2 };
/** Kind names by id. */
export const KIND_NAME: readonly Kind[] = ["I", "P", "B"];

/** The legacy `compression` META value, as the original writer wrote it. */
export const LEGACY_COMPRESSION: Readonly<Record<string, unknown>> = {
  engine: "geometric-reference",
  engine_id: "unknown",
  fingerprint: "unknown",
  deterministic: true,
  identity_safe: true,
  opaque: false,
  sealed: false,
};

// The LOCA slot order of SPEC.md section 7, from lib/format's registry of chunk types.
export { SLOT_TAGS };

/** A block handed to the builder. */
export interface CraftBlock {
  /** Track id. */
  track_id: string;
  /** Presentation time, µs. */
  pts_us: number;
  /** Frame kind. */
  kind: Kind;
  /** Keyframe flag. */
  keyframe: boolean;
  /** Plain payload. */
  payload: Uint8Array;
  /** Codec; default the build's codec. */
  codec?: Codec;
  /**
   * Stored bytes placed as they are (e.g. a sealed body taken from another file), instead of the
   * payload encoded (and sealed): the sealer is not called for this block. The index still
   * describes `payload` (its length is the plain length).
   */
  stored?: Uint8Array;
}

/** A block after encoding. `kind` and `codec` are numeric so hooks can write invalid ids. */
export interface BlockState {
  /** Block index. */
  index: number;
  /** Track id. */
  track_id: string;
  /** pts, µs. */
  pts_us: number;
  /** Kind id (0..2; hooks may set 3). */
  kind: number;
  /** Keyframe flag. */
  keyframe: boolean;
  /** Codec id. */
  codec: number;
  /** Plain payload (for the expected result). */
  payload: Uint8Array;
  /** Stored bytes. */
  stored: Uint8Array;
  /** Plain length written to the index. */
  plain_length: number;
}

/** One track, as TRKS will list it. */
export interface TrackState {
  /** Track id. */
  id: string;
  /** Default codec id. */
  codec: number;
  /** Block count. */
  blocks: number;
  /** Keyframe count. */
  keyframes: number;
}

/** One storage chunk (CORE or SEGM). */
export interface StorageChunk {
  /** Tag. */
  tag: string;
  /** Indices of the blocks it holds. */
  blocks: number[];
  /** Payload as written. */
  payload: Uint8Array;
}

/** One block as the index describes it (absolute values; BIDX coding comes later). */
export interface RecordState {
  /** Track index in TRKS order. */
  track_index: number;
  /** Codec id. */
  codec: number;
  /** Whether the record carries a codec byte. */
  has_codec: boolean;
  /** Kind id. */
  kind: number;
  /** Keyframe flag. */
  keyframe: boolean;
  /** new_chunk flag. */
  new_chunk: boolean;
  /** pts, µs. */
  pts: number;
  /** Stored length. */
  stored_length: number;
  /** Plain length, written only when the codec is not none. */
  plain_length: number;
  /** File offset of the stored bytes. */
  offset: number;
  /** Storage chunk number. */
  chunk: number;
}

/** One seek table entry (absolute values). */
export interface SeekEntry {
  /** pts, µs. */
  pts: number;
  /** Block index. */
  index: number;
  /** File offset. */
  offset: number;
  /** Stored length. */
  stored_length: number;
  /** Kind id. */
  kind: number;
  /** Codec id. */
  codec: number;
  /** Plain length. */
  plain_length: number;
}

/** A BIDX record as coded. */
export interface BidxRecordStruct {
  /** The head varint. */
  head: Field;
  /** The codec byte; written when present. */
  codec?: Field;
  /** pts residual (svarint). */
  pts_residual: Field;
  /** Stored length. */
  stored_length: Field;
  /** Plain length; written when present. */
  plain_length?: Field;
}

/** A BIDX page as coded. */
export interface BidxPageStruct {
  /** first_offset varint. */
  first_offset: Field;
  /** first_chunk varint. */
  first_chunk: Field;
  /** Records. */
  records: BidxRecordStruct[];
  /** Bytes appended after the last record. */
  trailer: Uint8Array;
}

/** A KSEK entry as coded. */
export interface KsekEntryStruct {
  /** pts residual. */
  pts_residual: Field;
  /** Block index delta. */
  index_delta: Field;
  /** Offset delta. */
  offset_delta: Field;
  /** Stored length. */
  stored_length: Field;
  /** kind << 2 | codec. */
  info: Field;
  /** Plain length; written when present. */
  plain_length?: Field;
}

/** One track's KSEK table as coded. */
export interface KsekTableStruct {
  /** Entry count. */
  n: Field;
  /** Entries. */
  entries: KsekEntryStruct[];
  /** Bytes appended after the entries. */
  trailer: Uint8Array;
}

/** KSEK as coded. */
export interface KsekStruct {
  /** track_count. */
  track_count: Field;
  /** Table lengths; an undefined entry is computed from the table bytes. */
  lengths: (Field | undefined)[];
  /** Tables. */
  tables: KsekTableStruct[];
  /** Bytes appended at the end. */
  trailer: Uint8Array;
}

/** One TRKS entry as coded. */
export interface TrksTrackStruct {
  /** id_length. */
  id_length: Field;
  /** id bytes. */
  id: Uint8Array;
  /** Codec id. */
  codec: Field;
  /** Flags. */
  flags: Field;
  /** Block count. */
  blocks: Field;
  /** Keyframe count. */
  keyframes: Field;
}

/** TRKS as coded. */
export interface TrksStruct {
  /** track_count. */
  track_count: Field;
  /** Entries. */
  tracks: TrksTrackStruct[];
  /** Bytes appended at the end. */
  trailer: Uint8Array;
}

/** TDIR as coded. */
export interface TdirStruct {
  /** blocks_per_page. */
  blocks_per_page: Field;
  /** bidx_page_count. */
  bidx_page_count: Field;
  /** Page lengths and digests. */
  pages: { length: Field; digest: Uint8Array }[];
  /** hashes_per_page. */
  hashes_per_page: Field;
  /** bhsh_page_count. */
  bhsh_page_count: Field;
  /** BHSH page digests. */
  bhsh_digests: Uint8Array[];
  /** Bytes appended at the end. */
  trailer: Uint8Array;
}

/** A chunk to serialise. `length` and `crc` override the header fields when set. */
export interface ChunkState {
  /** Tag: four characters, or four raw bytes. */
  tag: string | Uint8Array;
  /** Payload. */
  payload: Uint8Array;
  /** Header length field, when it must differ from the payload length. */
  length?: number;
  /** Header CRC, when it must differ from the payload's. */
  crc?: number;
}

/** LOCA as coded. */
export interface LocaStruct {
  /** Copy of the file header (8 bytes). */
  header: Uint8Array;
  /** locator_version. */
  locator_version: Field;
  /** Flags. */
  flags: Field;
  /** track_count. */
  track_count: Field;
  /** Block count N. */
  block_count: Field;
  /** Storage chunk count C. */
  chunk_count: Field;
  /** Eight slots in {@linkcode SLOT_TAGS} order. */
  slots: { offset: Field; length: Field }[];
  /** Bytes appended after the root (to make the payload longer than 160). */
  trailer: Uint8Array;
}

type Hook<T> = (value: T, s: Craft) => T | void;

/** Hooks, run in this order; each may change its value in place or return a replacement. */
export interface Hooks {
  /** After encoding the blocks. */
  blocks?: Hook<BlockState[]>;
  /** After deriving the tracks. */
  tracks?: Hook<TrackState[]>;
  /** After grouping blocks into storage chunks. */
  storage?: Hook<StorageChunk[]>;
  /** After computing the index records. */
  records?: Hook<RecordState[]>;
  /** After computing the seek tables (one array per track). */
  seek?: Hook<SeekEntry[][]>;
  /** BIDX pages as coded. */
  bidx?: Hook<BidxPageStruct[]>;
  /** BIDX page bytes. */
  bidxBytes?: Hook<Uint8Array[]>;
  /** BHSH payload. */
  bhsh?: Hook<Uint8Array>;
  /** TDIR as coded. */
  tdir?: Hook<TdirStruct>;
  /** TDIR payload. */
  tdirBytes?: Hook<Uint8Array>;
  /** KSEK as coded. */
  ksek?: Hook<KsekStruct>;
  /** KSEK payload. */
  ksekBytes?: Hook<Uint8Array>;
  /** TRKS as coded. */
  trks?: Hook<TrksStruct>;
  /** TRKS payload. */
  trksBytes?: Hook<Uint8Array>;
  /** META object before encoding. */
  meta?: Hook<Record<string, unknown>>;
  /** META payload. */
  metaBytes?: Hook<Uint8Array>;
  /** SAFE payload (null = absent). */
  safeBytes?: Hook<Uint8Array | null>;
  /** The chunks before VERI. */
  chunks?: Hook<ChunkState[]>;
  /** The 8-byte file header. */
  header?: Hook<Uint8Array>;
  /** VERI payload. */
  veri?: Hook<Uint8Array>;
  /** The chunks after the body (VERI, unless omitted), before LOCA. */
  tail?: Hook<ChunkState[]>;
  /** LOCA before the root is computed. */
  loca?: Hook<LocaStruct>;
  /** The root digest. */
  root?: Hook<Uint8Array>;
  /** LOCA payload bytes. */
  locaBytes?: Hook<Uint8Array>;
  /** The LOCA chunk (tag, CRC, length overrides). */
  locaChunk?: Hook<ChunkState>;
  /** The whole file. */
  final?: Hook<Uint8Array>;
}

/** Build options. */
export interface CraftOptions {
  /** Profile; default v2. */
  profile?: CraftProfile;
  /** Codec of blocks that name none; also every track's default codec. Default none. */
  codec?: Codec;
  /** Caller's META keys. */
  meta?: Record<string, unknown>;
  /** SAFE document; null or absent = no SAFE (legacy: the original always writes one). */
  safe?: Record<string, unknown> | null;
  /** BIDX blocks_per_page; default 4096. */
  blocksPerPage?: number;
  /** BHSH hashes_per_page; default 1024. */
  hashesPerPage?: number;
  /** Seek thinning interval for all-keyframe tracks; default 1 000 000. */
  seekIntervalUs?: number;
  /** v2: start a new SEGM before block `b` when this returns true (besides the SHOULD rule). */
  segmentBefore?: (b: BlockState, segmentBytes: number) => boolean;
  /** v1 and legacy: write trak_b64 in META (legacy: always). */
  legacyTrak?: boolean;
  /**
   * Encrypts every block with this LivingCipher sealer (after compression, H4-COD-003) and
   * writes its LIVC, sealed over the root, then the chunks of its `chunksAfterLivc` (RCPT);
   * sets LOCA flag bit 0. A block with `stored` is placed as given, not sealed.
   */
  sealer?: BlockSealer;
  /** LOCA flag bit 0 and a LIVC chunk with these bytes. */
  livc?: Uint8Array;
  /** Set LOCA flag bit 0 even without LIVC. */
  encryptedFlag?: boolean;
  /** Omit VERI. */
  noVeri?: boolean;
  /** Hooks. */
  hooks?: Hooks;
}

/** The whole build state, visible to hooks. */
export interface Craft {
  /** Options. */
  opts: CraftOptions;
  /** Profile. */
  profile: CraftProfile;
  /** Blocks. */
  blocks: BlockState[];
  /** Tracks in code point order. */
  tracks: TrackState[];
  /** Storage chunks. */
  storage: StorageChunk[];
  /** Index records. */
  records: RecordState[];
  /** Seek tables per track (KSEK). */
  seek: SeekEntry[][];
  /** SEEKM entries per track (v1, legacy): every keyframe. */
  seekm: [number, number][][];
  /** META object as written (before any metaBytes hook). */
  meta: Record<string, unknown>;
  /** SAFE object as written. */
  safe: Record<string, unknown> | null;
  /** Table payloads by tag. */
  tables: Record<string, Uint8Array | null>;
  /** Chunks written so far (body, tail, then LOCA) with offsets and lengths (header included). */
  layout: { tag: string; offset: number; length: number }[];
  /** The file. */
  bytes: Uint8Array;
}

function run<T>(hook: Hook<T> | undefined, v: T, s: Craft): T {
  if (!hook) return v;
  const r = hook(v, s);
  return r === undefined ? v : r;
}

/**
 * The original writer's run-length code: (value, run 1..255) pairs.
 *
 * @example
 * ```ts
 * import { rle } from "./build.ts";
 * import assert from "node:assert/strict";
 * assert(rle(new Uint8Array(300)).join() === "0,255,0,45");
 * ```
 */
export function rle(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < data.length;) {
    let j = i + 1;
    while (j < data.length && data[j] === data[i] && j - i < 255) j++;
    out.push(data[i], j - i);
    i = j;
  }
  return new Uint8Array(out);
}

/**
 * Stored bytes of a payload under a codec (deflate: the deterministic encoder of zlib.ts).
 *
 * @example
 * ```ts
 * import { encodeWith } from "./build.ts";
 * import assert from "node:assert/strict";
 * assert(encodeWith("none", new Uint8Array(3)).length === 3);
 * ```
 */
export function encodeWith(codec: Codec, payload: Uint8Array): Uint8Array {
  if (codec === "none") return payload;
  if (codec === "rle") return rle(payload);
  return zlibFixed(payload);
}

/**
 * Compares strings in code point order (their UTF-8 bytes).
 *
 * @example
 * ```ts
 * import { codePointCompare } from "./build.ts";
 * import assert from "node:assert/strict";
 * assert(codePointCompare("\uffff", "\u{10000}") < 0);
 * ```
 */
export function codePointCompare(a: string, b: string): number {
  const x = utf8(a), y = utf8(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/**
 * SEEKM bytes (SPEC.md section 11).
 *
 * @example
 * ```ts
 * import { encodeSeekm } from "./build.ts";
 * import assert from "node:assert/strict";
 * assert(encodeSeekm([["a", [[0, 0]]]]).length === 4 + 3 + 4 + 12);
 * ```
 */
export function encodeSeekm(tracks: [string, [number, number][]][]): Uint8Array {
  const parts: Uint8Array[] = [u32(tracks.length)];
  for (const [id, entries] of tracks) {
    const b = utf8(id);
    parts.push(u16(b.length), b, u32(entries.length));
    // H4-LEG-006: a negative pts is written as its 64-bit two's complement.
    for (const [pts, core] of entries) parts.push(u64(BigInt.asUintN(64, BigInt(pts))), u32(core));
  }
  return cat(...parts);
}

/**
 * trak_b64 JSON text (SPEC.md section 11).
 *
 * @example
 * ```ts
 * import { trakJson } from "./build.ts";
 * import assert from "node:assert/strict";
 * assert(trakJson([]) === '{"trak":[]}');
 * ```
 */
export function trakJson(blocks: readonly BlockState[]): string {
  return JSON.stringify({
    trak: blocks.map((b) => ({
      track_id: b.track_id,
      pts_us: b.pts_us,
      kind: KIND_NAME[b.kind] ?? b.kind,
      keyframe: b.keyframe,
      core_index: b.index,
    })),
  });
}

/**
 * Standard padded base64.
 *
 * @example
 * ```ts
 * import { b64 } from "./build.ts";
 * import assert from "node:assert/strict";
 * assert(b64(new Uint8Array([1, 2, 3])) === "AQID");
 * ```
 */
export function b64(bytes: Uint8Array): string {
  let s = "";
  for (const x of bytes) s += String.fromCharCode(x);
  return btoa(s);
}

/**
 * A chunk's bytes: header (tag, length, CRC) and payload.
 *
 * @example
 * ```ts
 * import { chunkBytes } from "./build.ts";
 * import assert from "node:assert/strict";
 * assert(chunkBytes({ tag: "ABCD", payload: new Uint8Array(2) }).length === 14);
 * ```
 */
export function chunkBytes(c: ChunkState): Uint8Array {
  const tag = typeof c.tag === "string" ? utf8(c.tag) : c.tag;
  return cat(
    tag,
    u32(c.length ?? c.payload.length),
    u32(c.crc ?? crc32(c.payload)),
    c.payload,
  );
}

/**
 * VERI over `parts`: the 8-byte header, then one chunk's bytes per part (SPEC.md section 9). A
 * version 1 file: SHA-256 of every byte after the header. Otherwise (H4-INT-005): SHA-256 of
 * "H4MK-VERI-2", the header, and each chunk with a CORE or SEGM payload replaced by its SHA-256.
 */
export function veriOf(parts: Uint8Array[]): Uint8Array {
  const header = parts[0];
  if (header[4] === 0 && header[5] === 1) return sha256(cat(...parts).subarray(8));
  const input: Uint8Array[] = [utf8("H4MK-VERI-2"), header];
  for (const p of parts.slice(1)) {
    const tag = String.fromCharCode(...p.subarray(0, 4));
    if (isStorageTag(tag)) input.push(p.subarray(0, 12), sha256(p.subarray(12)));
    else input.push(p);
  }
  return sha256(cat(...input));
}

function tagOf(c: ChunkState): string {
  return typeof c.tag === "string" ? c.tag : String.fromCharCode(...c.tag);
}

/** Encodes one BIDX page. */
export function encodeBidxPage(p: BidxPageStruct): Uint8Array {
  const parts = [varint(p.first_offset), varint(p.first_chunk)];
  for (const r of p.records) {
    parts.push(varint(r.head));
    if (r.codec !== undefined) parts.push(u8(r.codec));
    parts.push(svarint(r.pts_residual), varint(r.stored_length));
    if (r.plain_length !== undefined) parts.push(varint(r.plain_length));
  }
  parts.push(p.trailer);
  return cat(...parts);
}

/**
 * BIDX head varint value.
 *
 * @example
 * ```ts
 * import { bidxHead } from "./build.ts";
 * import assert from "node:assert/strict";
 * assert(bidxHead(1, false, 0, true, true) === 0b100011);
 * ```
 */
export function bidxHead(
  track: number,
  hasCodec: boolean,
  kind: number,
  keyframe: boolean,
  newChunk: boolean,
): number {
  return track * 32 + (hasCodec ? 16 : 0) + kind * 4 + (keyframe ? 2 : 0) + (newChunk ? 1 : 0);
}

/** BIDX pages as coded, from records: per-page pts prediction as in SPEC.md section 6.2. */
export function bidxPages(records: readonly RecordState[], perPage: number): BidxPageStruct[] {
  const pages: BidxPageStruct[] = [];
  for (let s = 0; s < records.length; s += perPage) {
    const last = new Map<number, { pts: number; delta: number }>();
    const recs: BidxRecordStruct[] = [];
    for (const r of records.slice(s, s + perPage)) {
      const prev = last.get(r.track_index) ?? { pts: 0, delta: 0 };
      recs.push({
        head: bidxHead(r.track_index, r.has_codec, r.kind, r.keyframe, r.new_chunk),
        codec: r.has_codec ? r.codec : undefined,
        pts_residual: r.pts - (prev.pts + prev.delta),
        stored_length: r.stored_length,
        plain_length: r.codec !== 0 ? r.plain_length : undefined,
      });
      last.set(r.track_index, { pts: r.pts, delta: r.pts - prev.pts });
    }
    pages.push({
      first_offset: records[s].offset,
      first_chunk: records[s].chunk,
      records: recs,
      trailer: new Uint8Array(),
    });
  }
  return pages;
}

/** One KSEK table as coded, from entries. */
export function ksekTable(entries: readonly SeekEntry[]): KsekTableStruct {
  let prevPts = 0, prevDelta = 0, prevIndex = 0, prevOffset = 0;
  const out: KsekEntryStruct[] = [];
  for (const e of entries) {
    out.push({
      pts_residual: e.pts - (prevPts + prevDelta),
      index_delta: e.index - prevIndex,
      offset_delta: e.offset - prevOffset,
      stored_length: e.stored_length,
      info: e.kind * 4 + e.codec,
      plain_length: e.codec !== 0 ? e.plain_length : undefined,
    });
    prevDelta = e.pts - prevPts;
    prevPts = e.pts;
    prevIndex = e.index;
    prevOffset = e.offset;
  }
  return { n: entries.length, entries: out, trailer: new Uint8Array() };
}

/** Encodes one KSEK table. */
export function encodeKsekTable(t: KsekTableStruct): Uint8Array {
  const parts = [varint(t.n)];
  for (const e of t.entries) {
    parts.push(
      svarint(e.pts_residual),
      svarint(e.index_delta),
      svarint(e.offset_delta),
      varint(e.stored_length),
      varint(e.info),
    );
    if (e.plain_length !== undefined) parts.push(varint(e.plain_length));
  }
  parts.push(t.trailer);
  return cat(...parts);
}

/** Encodes KSEK. */
export function encodeKsek(k: KsekStruct): Uint8Array {
  const tables = k.tables.map(encodeKsekTable);
  const lengths = tables.map((t, i) => u32(k.lengths[i] ?? t.length));
  for (let i = tables.length; i < k.lengths.length; i++) lengths.push(u32(k.lengths[i]!));
  return cat(u32(k.track_count), ...lengths, ...tables, k.trailer);
}

/** Encodes TRKS. */
export function encodeTrks(t: TrksStruct): Uint8Array {
  const parts = [u32(t.track_count)];
  for (const x of t.tracks) {
    parts.push(u16(x.id_length), x.id, u8(x.codec), u8(x.flags), u64(x.blocks), u64(x.keyframes));
  }
  parts.push(t.trailer);
  return cat(...parts);
}

/** Encodes TDIR. */
export function encodeTdir(t: TdirStruct): Uint8Array {
  const parts = [u32(t.blocks_per_page), u32(t.bidx_page_count)];
  for (const p of t.pages) parts.push(u32(p.length), p.digest);
  parts.push(u32(t.hashes_per_page), u32(t.bhsh_page_count), ...t.bhsh_digests, t.trailer);
  return cat(...parts);
}

/** Encodes LOCA's payload; the root is appended by the caller. */
export function encodeLocaPrefix(l: LocaStruct): Uint8Array {
  const parts = [
    l.header,
    u16(l.locator_version),
    u16(l.flags),
    u32(l.track_count),
    u64(l.block_count),
    u64(l.chunk_count),
  ];
  for (const s of l.slots) parts.push(u64(s.offset), u32(s.length));
  return cat(...parts);
}

/** The root digest of SPEC.md section 9 over LOCA's first 32 bytes and the table payloads. */
export function rootDigest(
  locaPrefix: Uint8Array,
  tables: Record<string, Uint8Array | null | undefined>,
): Uint8Array {
  const parts = [utf8("H4MK-ROOT-1"), locaPrefix.subarray(0, 32)];
  for (const t of ROOTED_TAGS) {
    const p = tables[t];
    parts.push(p ? sha256(p) : new Uint8Array(32));
  }
  return sha256(cat(...parts));
}

/** Header bytes for a version. */
export function fileHeader(version: number, reserved = 0): Uint8Array {
  return cat(utf8("H4MK"), u16(version), u16(reserved));
}

/**
 * Builds a file. See the module documentation.
 *
 * @example
 * ```ts
 * import { craft } from "./build.ts";
 * import assert from "node:assert/strict";
 * const s = craft([{ track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array(4) }]);
 * assert(s.bytes.length > 172);
 * ```
 */
export function craft(input: readonly CraftBlock[], opts: CraftOptions = {}): Craft {
  const h = opts.hooks ?? {};
  const profile = opts.profile ?? "v2";
  const s: Craft = {
    opts,
    profile,
    blocks: [],
    tracks: [],
    storage: [],
    records: [],
    seek: [],
    seekm: [],
    meta: {},
    safe: null,
    tables: {},
    layout: [],
    bytes: new Uint8Array(),
  };
  const defaultCodec = opts.codec ?? "none";
  const sealer = opts.sealer;

  // 1. Blocks.
  s.blocks = run(
    h.blocks,
    input.map((b, index) => {
      const codec = b.codec ?? defaultCodec;
      return {
        index,
        track_id: b.track_id,
        pts_us: b.pts_us,
        kind: KIND_ID[b.kind],
        keyframe: b.keyframe,
        codec: CODEC_ID[codec],
        payload: b.payload,
        // Compression, then encryption (H4-COD-003); seal() is called in block order.
        stored: b.stored ?? (sealer
          ? sealer.seal({
            index,
            track_id: b.track_id,
            pts_us: b.pts_us,
            kind: b.kind,
            keyframe: b.keyframe,
            codec,
            plain_length: b.payload.length,
          }, encodeWith(codec, b.payload))
          : encodeWith(codec, b.payload)),
        plain_length: b.payload.length,
      };
    }),
    s,
  );

  // 2. Tracks, in code point order.
  const ids = [...new Set(s.blocks.map((b) => b.track_id))].sort(codePointCompare);
  s.tracks = run(
    h.tracks,
    ids.map((id) => {
      const bs = s.blocks.filter((b) => b.track_id === id);
      return {
        id,
        codec: CODEC_ID[defaultCodec],
        blocks: bs.length,
        keyframes: bs.filter((b) => b.keyframe).length,
      };
    }),
    s,
  );
  const trackIndex = new Map(s.tracks.map((t, i) => [t.id, i]));

  // 3. Storage chunks: CORE per block (v1, legacy) or SEGMs (v2: the SHOULD rule of
  // H4-FMT-023, plus segmentBefore).
  const storage: StorageChunk[] = [];
  if (profile === "v2") {
    let cur: StorageChunk | null = null;
    let curLen = 0;
    for (const b of s.blocks) {
      const split = cur !== null && (
        (b.keyframe && curLen >= 64 * 1024) ||
        curLen + b.stored.length > 16 * 1024 * 1024 ||
        (opts.segmentBefore?.(b, curLen) ?? false)
      );
      if (cur === null || split) {
        cur = { tag: "SEGM", blocks: [], payload: new Uint8Array() };
        storage.push(cur);
        curLen = 0;
      }
      cur.blocks.push(b.index);
      curLen += b.stored.length;
    }
  } else {
    for (const b of s.blocks) storage.push({ tag: "CORE", blocks: [b.index], payload: b.stored });
  }
  for (const c of storage) c.payload = cat(...c.blocks.map((i) => s.blocks[i].stored));
  s.storage = run(h.storage, storage, s);

  // 4. Index records.
  const records: RecordState[] = [];
  let pos = 8;
  s.storage.forEach((c, ci) => {
    let off = pos + 12;
    c.blocks.forEach((bi, k) => {
      const b = s.blocks[bi];
      const t = trackIndex.get(b.track_id) ?? 0;
      records[bi] = {
        track_index: t,
        codec: b.codec,
        has_codec: b.codec !== s.tracks[t]?.codec,
        kind: b.kind,
        keyframe: b.keyframe,
        new_chunk: k === 0,
        pts: b.pts_us,
        stored_length: b.stored.length,
        plain_length: b.plain_length,
        offset: off,
        chunk: ci,
      };
      off += b.stored.length;
    });
    pos += 12 + c.payload.length;
  });
  s.records = run(h.records, records, s);

  // 5. Seek tables: every keyframe of a track with a non-keyframe; thinned otherwise.
  const interval = opts.seekIntervalUs ?? 1_000_000;
  s.seek = run(
    h.seek,
    s.tracks.map((t, ti) => {
      const out: SeekEntry[] = [];
      const all = t.blocks === t.keyframes;
      let last: number | null = null;
      s.records.forEach((r, i) => {
        if (r.track_index !== ti || !r.keyframe) return;
        if (all && interval > 0 && last !== null && r.pts < last + interval) return;
        last = r.pts;
        out.push({
          pts: r.pts,
          index: i,
          offset: r.offset,
          stored_length: r.stored_length,
          kind: r.kind,
          codec: r.codec,
          plain_length: r.plain_length,
        });
      });
      return out.sort((a, b) => a.pts - b.pts || a.index - b.index);
    }),
    s,
  );
  s.seekm = s.tracks.map((t) =>
    s.blocks.filter((b) => b.track_id === t.id && b.keyframe)
      .map((b) => [b.pts_us, b.index] as [number, number])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1])
  );

  // 6. META and SAFE.
  const meta: Record<string, unknown> = { ...(opts.meta ?? {}) };
  meta.domain = "video-transport";
  meta.tracks = s.tracks.map((t) => t.id);
  const allRle = s.blocks.length > 0 && s.blocks.every((b) => b.codec === 2);
  if (profile !== "v2") {
    meta.seekm_b64 = b64(encodeSeekm(s.tracks.map((t, i) => [t.id, s.seekm[i]])));
    if (profile === "legacy" || opts.legacyTrak) meta.trak_b64 = b64(utf8(trakJson(s.blocks)));
    if (allRle) meta.compression = { ...LEGACY_COMPRESSION };
  }
  s.meta = run(h.meta, meta, s);
  const metaBytes = run(h.metaBytes, utf8(JSON.stringify(s.meta)), s);
  // The original writer always wrote SAFE; `safe: null` omits it in every profile.
  s.safe = opts.safe === undefined ? (profile === "legacy" ? {} : null) : opts.safe;
  const safeBytes = run(h.safeBytes, s.safe === null ? null : utf8(JSON.stringify(s.safe)), s);

  // 7. Tables (the header first: LIVC seals a root that covers LOCA's copy of it).
  const version = profile === "v2" ? 2 : 1;
  const header = run(h.header, fileHeader(version), s);
  const body: ChunkState[] = s.storage.map((c) => ({ tag: c.tag, payload: c.payload }));
  if (profile !== "v2") body.push({ tag: "SEEK", payload: u32(0) });
  if (profile === "legacy") {
    s.tables = { META: metaBytes, SAFE: safeBytes };
    body.push({ tag: "META", payload: metaBytes });
    if (safeBytes) body.push({ tag: "SAFE", payload: safeBytes });
  } else {
    const perPage = opts.blocksPerPage ?? 4096;
    const pages = run(h.bidx, bidxPages(s.records, perPage), s);
    const pageBytes = run(h.bidxBytes, pages.map(encodeBidxPage), s);
    const bidx = cat(...pageBytes);
    const bhsh = run(h.bhsh, cat(...s.storage.map((c) => sha256(c.payload))), s);
    const hashesPer = opts.hashesPerPage ?? 1024;
    const bhshDigests: Uint8Array[] = [];
    for (let o = 0; o < bhsh.length; o += hashesPer * 32) {
      bhshDigests.push(sha256(bhsh.subarray(o, Math.min(bhsh.length, o + hashesPer * 32))));
    }
    const tdirS = run(h.tdir, {
      blocks_per_page: perPage,
      bidx_page_count: pageBytes.length,
      pages: pageBytes.map((p) => ({ length: p.length, digest: sha256(p) })),
      hashes_per_page: hashesPer,
      bhsh_page_count: bhshDigests.length,
      bhsh_digests: bhshDigests,
      trailer: new Uint8Array(),
    }, s);
    const tdir = run(h.tdirBytes, encodeTdir(tdirS), s);
    const ksekS = run(h.ksek, {
      track_count: s.tracks.length,
      lengths: [],
      tables: s.seek.map(ksekTable),
      trailer: new Uint8Array(),
    }, s);
    const ksek = run(h.ksekBytes, encodeKsek(ksekS), s);
    const trksS = run(h.trks, {
      track_count: s.tracks.length,
      tracks: s.tracks.map((t) => {
        const id = utf8(t.id);
        return {
          id_length: id.length,
          id,
          codec: t.codec,
          flags: 0,
          blocks: t.blocks,
          keyframes: t.keyframes,
        };
      }),
      trailer: new Uint8Array(),
    }, s);
    const trks = run(h.trksBytes, encodeTrks(trksS), s);
    let livc = opts.livc ?? null;
    if (sealer) {
      const prefix = encodeLocaPrefix({
        header,
        locator_version: 1,
        flags: 1,
        track_count: s.tracks.length,
        block_count: s.blocks.length,
        chunk_count: s.storage.length,
        slots: [],
        trailer: new Uint8Array(),
      });
      const tables = { TRKS: trks, KSEK: ksek, TDIR: tdir, META: metaBytes, SAFE: safeBytes };
      livc = sealer.finish(rootDigest(prefix, tables));
    }
    s.tables = {
      BIDX: bidx,
      BHSH: bhsh,
      KSEK: ksek,
      TDIR: tdir,
      TRKS: trks,
      META: metaBytes,
      SAFE: safeBytes,
      LIVC: livc,
    };
    body.push(
      { tag: "BIDX", payload: bidx },
      { tag: "BHSH", payload: bhsh },
      { tag: "KSEK", payload: ksek },
      { tag: "TDIR", payload: tdir },
      { tag: "TRKS", payload: trks },
    );
    if (livc) body.push({ tag: "LIVC", payload: livc });
    // What the sealer writes right after LIVC (RCPT, SPEC.md 12.16), as the library's writer does.
    if (livc) { for (const c of sealer?.chunksAfterLivc?.() ?? []) body.push({ ...c }); }
    body.push({ tag: "META", payload: metaBytes });
    if (safeBytes) body.push({ tag: "SAFE", payload: safeBytes });
  }
  const chunks = run(h.chunks, body, s);

  // 8. Serialise the body, then VERI (SPEC.md section 9).
  const parts: Uint8Array[] = [header];
  // s.layout grows as chunks are written, so later hooks (loca, root) can see where chunks are.
  const layout = s.layout;
  let at = header.length;
  const push = (c: ChunkState) => {
    const b = chunkBytes(c);
    layout.push({ tag: tagOf(c), offset: at, length: b.length });
    parts.push(b);
    at += b.length;
  };
  chunks.forEach(push);
  const tailIn: ChunkState[] = [];
  if (!opts.noVeri) {
    tailIn.push({ tag: "VERI", payload: run(h.veri, veriOf(parts), s) });
  }
  run(h.tail, tailIn, s).forEach(push);

  // 9. LOCA (not for legacy files): slots point at the chunks by tag; root over what they hold.
  if (profile !== "legacy") {
    const find = (tag: string) => layout.find((c) => c.tag === tag);
    const loca = run(h.loca, {
      header: header.slice(0, 8),
      locator_version: 1,
      flags: opts.livc || opts.encryptedFlag || sealer ? 1 : 0,
      track_count: s.tracks.length,
      block_count: s.blocks.length,
      chunk_count: s.storage.length,
      slots: SLOT_TAGS.map((t) => {
        const c = find(t);
        return c ? { offset: c.offset, length: c.length } : { offset: 0, length: 0 };
      }),
      trailer: new Uint8Array(),
    }, s);
    const prefix = encodeLocaPrefix(loca);
    const pointed: Record<string, Uint8Array | null> = {};
    const file = cat(...parts);
    SLOT_TAGS.forEach((t, i) => {
      const sl = loca.slots[i];
      const off = typeof sl.offset === "number" ? sl.offset : 0;
      const len = typeof sl.length === "number" ? sl.length : 0;
      pointed[t] = off > 0 && len >= 12 && off + len <= file.length
        ? file.slice(off + 12, off + len)
        : null;
    });
    const root = run(h.root, rootDigest(prefix, pointed), s);
    const payload = run(h.locaBytes, cat(prefix, root, loca.trailer), s);
    push(run(h.locaChunk, { tag: "LOCA", payload }, s));
  }
  s.bytes = run(h.final, cat(...parts), s);
  return s;
}
