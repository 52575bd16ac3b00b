/**
 * Test helpers for the format core: typed-error assertions, block builders, a fake cipher, a
 * deterministic PRNG, chunk surgery, and `rebuild` which re-signs a file after its tables were
 * edited (new TDIR digests, root, VERI, LOCA) so tests can reach the checks behind the root.
 *
 * Test-only: nothing here is exported from a mod.ts.
 *
 * @module
 */
import assert from "node:assert/strict";
import { decodeBidxPage, encodeBidxPage } from "../bidx.ts";
import { concat } from "../bytes.ts";
import { encodeChunk, walkChunks } from "../chunk.ts";
import { CODEC_IDS, LOCA_CHUNK_LENGTH, LOCA_SLOTS, type LocaSlot } from "../constants.ts";
import { crc32 } from "../../hash/crc32.ts";
import { H4Error, type H4ErrorCode } from "../errors.ts";
import type { IndexColumns } from "../index_columns.ts";
import { decodeLoca, encodeLoca, type Locator, type SlotRef } from "../loca.ts";
import { computeRoot } from "../root.ts";
import { sha256 } from "../../hash/sha256.ts";
import { decodeTdir, encodeTdir, type TableDirectory } from "../tdir.ts";
import { decodeTrks, type TrackRecord } from "../trks.ts";
import { decodeKsek, type SeekTable } from "../ksek.ts";
import { decodeJsonDoc, type JsonObject } from "../meta.ts";
import { computeVeri } from "../veri.ts";
import type {
  BlockContext,
  BlockInput,
  BlockKind,
  BlockOpener,
  BlockSealer,
  CodecName,
} from "../types.ts";

/** The repository root (this file is lib/format/testdata/helpers.ts). */
export const REPO_ROOT: URL = new URL("../../../", import.meta.url);
/** The original writer's samples, copied into the repository: `testdata/legacy-v1/`. */
export const LEGACY_DIR: URL = new URL("testdata/legacy-v1/", REPO_ROOT);

function checkError(e: unknown, code: H4ErrorCode, rule?: string): H4Error {
  if (!(e instanceof H4Error)) {
    assert.fail(`expected H4Error ${code}, got ${(e as Error)?.name}: ${(e as Error)?.message}`);
  }
  assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
  if (rule !== undefined) assert.equal(e.rule, rule, `rule of ${e.code}: ${e.message}`);
  assert.ok(!e.message.includes("\n"), "message is one line");
  return e;
}

/** Asserts `f` throws an H4Error with `code` (and `rule` when given); returns it. */
export function throwsH4(f: () => unknown, code: H4ErrorCode, rule?: string): H4Error {
  try {
    f();
  } catch (e) {
    return checkError(e, code, rule);
  }
  return assert.fail(`expected H4Error ${code}, nothing was thrown`);
}

/** Asserts the promise (or async function) rejects with an H4Error `code`; returns it. */
export async function rejectsH4(
  p: Promise<unknown> | (() => Promise<unknown>),
  code: H4ErrorCode,
  rule?: string,
): Promise<H4Error> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    return checkError(e, code, rule);
  }
  return assert.fail(`expected H4Error ${code}, the promise resolved`);
}

/** Asserts a rejection with an H4Error whose code is one of `codes`. */
export async function rejectsH4Any(
  p: Promise<unknown> | (() => Promise<unknown>),
  codes: readonly H4ErrorCode[],
): Promise<H4Error> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    if (!(e instanceof H4Error)) {
      assert.fail(`expected H4Error, got ${(e as Error)?.name}: ${(e as Error)?.message}`);
    }
    assert.ok(codes.includes(e.code), `expected one of ${codes.join(", ")}, got ${e.code}`);
    return e;
  }
  return assert.fail(`expected H4Error (${codes.join(", ")}), the promise resolved`);
}

/** A deterministic PRNG (mulberry32): same seed, same numbers. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` pseudo-random bytes. */
export function randomBytes(r: () => number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(r() * 256);
  return out;
}

/** A payload whose bytes depend on `seed`, with some runs (so rle and deflate do something). */
export function payload(seed: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = ((seed * 131 + (i >> 3) * 7) ^ (i % 5 === 0 ? i : 0)) & 0xff;
  return out;
}

/** A block. */
export function blk(
  track_id: string,
  pts_us: number,
  kind: BlockKind = "I",
  keyframe: boolean = kind === "I",
  data: Uint8Array = payload(pts_us & 0xff, 8),
  codec?: CodecName,
): BlockInput {
  const b: BlockInput = { track_id, pts_us, kind, keyframe, payload: data };
  if (codec) b.codec = codec;
  return b;
}

/**
 * A small two-track stream: video (GOPs of `gop` frames, I then P/B) and audio (all keyframes),
 * interleaved in decode order.
 */
export function avBlocks(frames = 30, gop = 10): BlockInput[] {
  const out: BlockInput[] = [];
  for (let i = 0; i < frames; i++) {
    const key = i % gop === 0;
    const kind: BlockKind = key ? "I" : i % 3 === 1 ? "B" : "P";
    out.push(blk("video_main", i * 33_333, kind, key, payload(i, 40 + (i % 7) * 13)));
    out.push(blk("audio_main", i * 21_333 - 21_333, "I", true, payload(1000 + i, 16 + (i % 3))));
  }
  return out;
}

/** Sum of bytes a fake-sealed block gains: a 16-byte tag, as every LivingCipher suite. */
export const FAKE_TAG = 16;

function xorKey(ctx: BlockContext): number {
  // Binds the context: a reader passing another context gets other bytes.
  let k = ctx.index * 31 + ctx.pts_us + ctx.plain_length * 7 + ctx.track_id.length * 13;
  k += ctx.keyframe ? 101 : 0;
  k += { I: 1, P: 2, B: 3 }[ctx.kind] * 17 + CODEC_IDS[ctx.codec] * 19;
  return ((k % 251) + 251) % 251 + 1;
}

/** A trivial BlockSealer: XOR with a context-bound byte, then 16 zero bytes. Not a cipher. */
export function fakeSealer(
  log: { contexts: BlockContext[]; roots: Uint8Array[] } = { contexts: [], roots: [] },
): BlockSealer {
  return {
    suite: "test-xor",
    seal(ctx, data) {
      log.contexts.push({ ...ctx });
      const k = xorKey(ctx);
      const out = new Uint8Array(data.length + FAKE_TAG);
      for (let i = 0; i < data.length; i++) out[i] = data[i] ^ k;
      return out;
    },
    finish(root) {
      log.roots.push(root.slice());
      return concat([new TextEncoder().encode("FAKE-LIVC"), root]);
    },
  };
}

/** The matching BlockOpener; a non-zero tag is an authentication failure. */
export const fakeOpener: BlockOpener = {
  open(ctx, stored) {
    if (stored.length < FAKE_TAG || stored.subarray(stored.length - FAKE_TAG).some((b) => b)) {
      throw new H4Error("H4_CIPHER_AUTH_FAILED", `block ${ctx.index}: bad fake tag`);
    }
    const k = xorKey(ctx);
    const out = new Uint8Array(stored.length - FAKE_TAG);
    for (let i = 0; i < out.length; i++) out[i] = stored[i] ^ k;
    return out;
  },
};

/** A chunk as found by walking a file. */
export interface WalkedChunk {
  /** Header offset. */
  offset: number;
  /** Tag. */
  tag: string;
  /** Payload length. */
  length: number;
  /** CRC from the header. */
  crc: number;
  /** Payload (a view). */
  payload: Uint8Array;
}

/** Walks every chunk from offset 8 (no checks beyond bounds); a chunk that overruns throws. */
export function walk(bytes: Uint8Array): WalkedChunk[] {
  const out = walkChunks(bytes);
  const end = out.length ? out[out.length - 1].offset + 12 + out[out.length - 1].length : 8;
  if (end + 12 <= bytes.length) throw new Error(`test walk: the chunk at ${end} overruns`);
  return out;
}

/** The `nth` chunk with `tag`. */
export function chunk(bytes: Uint8Array, tag: string, nth = 0): WalkedChunk {
  const found = walk(bytes).filter((c) => c.tag === tag)[nth];
  if (!found) throw new Error(`test: no ${tag} #${nth}`);
  return found;
}

/** Rewrites the CRC of the chunk whose header is at `offset` (in place). */
export function fixCrc(bytes: Uint8Array, offset: number): Uint8Array {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = v.getUint32(offset + 4);
  v.setUint32(offset + 8, crc32(bytes.subarray(offset + 12, offset + 12 + len)));
  return bytes;
}

/** A copy with byte `at` XORed with `mask`. */
export function flip(bytes: Uint8Array, at: number, mask = 0x01): Uint8Array {
  const out = bytes.slice();
  out[at] ^= mask;
  return out;
}

/** The decoded LOCA of a file written by this implementation. */
export function locaOf(bytes: Uint8Array): Locator {
  return decodeLoca(bytes.subarray(bytes.length - LOCA_CHUNK_LENGTH + 12));
}

/** A copy whose LOCA is re-encoded after `edit` (CRC fixed; root kept unless edited). */
export function editLoca(bytes: Uint8Array, edit: (l: Locator) => void): Uint8Array {
  const out = bytes.slice();
  const l = locaOf(out);
  edit(l);
  const at = out.length - LOCA_CHUNK_LENGTH;
  out.set(encodeLoca(l), at + 12);
  return fixCrc(out, at);
}

/** The tables of a file, for editing with {@linkcode rebuild}. */
export interface Tables {
  /** The 8-byte header. */
  header: Uint8Array;
  /** Storage chunks, whole (bytes 8 up to the first table chunk). */
  storage: Uint8Array;
  /** Table payloads. */
  BIDX: Uint8Array;
  BHSH: Uint8Array;
  KSEK: Uint8Array;
  TDIR: Uint8Array;
  TRKS: Uint8Array;
  META: Uint8Array;
  SAFE: Uint8Array | null;
  LIVC: Uint8Array | null;
  /** LOCA fields. */
  flags: number;
  trackCount: number;
  blockCount: number;
  chunkCount: number;
  /** Extra chunks written before META (unknown tags, for H4-FMT-013). */
  extra: { tag: string; payload: Uint8Array }[];
}

/** Reads the tables of a file written by this implementation. */
export function tablesOf(bytes: Uint8Array): Tables {
  const l = locaOf(bytes);
  const payload = (s: LocaSlot): Uint8Array | null => {
    const ref = l.slots[s];
    return ref ? bytes.slice(ref.offset + 12, ref.offset + ref.length) : null;
  };
  const firstTable = walk(bytes).find((c) => c.tag !== "CORE" && c.tag !== "SEGM")!;
  return {
    header: bytes.slice(0, 8),
    storage: bytes.slice(8, firstTable.offset),
    BIDX: payload("BIDX")!,
    BHSH: payload("BHSH")!,
    KSEK: payload("KSEK")!,
    TDIR: payload("TDIR")!,
    TRKS: payload("TRKS")!,
    META: payload("META")!,
    SAFE: payload("SAFE"),
    LIVC: payload("LIVC"),
    flags: l.flags,
    trackCount: l.trackCount,
    blockCount: l.blockCount,
    chunkCount: l.chunkCount,
    extra: [],
  };
}

/** TDIR of `t`, decoded with its own counts. */
export function tdirOf(t: Tables): TableDirectory {
  return decodeTdir(t.TDIR, t.blockCount, t.chunkCount);
}

/** The BIDX pages of `t`, split by TDIR's page lengths. */
export function bidxPages(t: Tables): Uint8Array[] {
  const d = tdirOf(t);
  const pages: Uint8Array[] = [];
  let o = 0;
  for (const len of d.bidxPageLengths) {
    pages.push(t.BIDX.slice(o, o + len));
    o += len;
  }
  return pages;
}

/** Decodes page `p` of `t` (unencrypted files). */
export function decodePage(t: Tables, p: number): IndexColumns {
  const d = tdirOf(t);
  const codecs = decodeTrks(t.TRKS).map((r) => CODEC_IDS[r.codec]);
  return decodeBidxPage(bidxPages(t)[p], {
    first: p * d.blocksPerPage,
    count: Math.min(d.blocksPerPage, t.blockCount - p * d.blocksPerPage),
    trackCodecs: codecs,
    overhead: t.flags & 1 ? 16 : 0,
  });
}

/** Re-encodes page `p` of `t` from (edited) columns and updates BIDX and TDIR. */
export function setPage(t: Tables, p: number, cols: IndexColumns): void {
  const codecs = decodeTrks(t.TRKS).map((r) => CODEC_IDS[r.codec]);
  const pages = bidxPages(t);
  pages[p] = encodeBidxPage(cols, 0, cols.count, codecs);
  setPages(t, pages);
}

/** Replaces the BIDX pages of `t` and rewrites TDIR's lengths and digests for them. */
export function setPages(t: Tables, pages: Uint8Array[]): void {
  const d = tdirOf(t);
  t.BIDX = concat(pages);
  t.TDIR = encodeTdir({
    ...d,
    bidxPageLengths: pages.map((p) => p.length),
    bidxPageDigests: pages.map((p) => sha256(p)),
  });
}

/** Replaces BHSH (and the chunk count) and rewrites TDIR's BHSH page digests for it. */
export function setBhsh(t: Tables, bhsh: Uint8Array): void {
  const d = tdirOf(t);
  t.chunkCount = bhsh.length / 32;
  t.BHSH = bhsh;
  const digests: Uint8Array[] = [];
  for (let c = 0; c < t.chunkCount; c += d.hashesPerPage) {
    digests.push(sha256(bhsh.subarray(c * 32, Math.min(t.chunkCount, c + d.hashesPerPage) * 32)));
  }
  t.TDIR = encodeTdir({ ...d, bhshPageDigests: digests });
}

/**
 * Writes a file from `t` in the writer's layout, with a fresh root, VERI and LOCA. TDIR is used
 * as is (call {@linkcode setPages} after editing BIDX).
 */
export function rebuild(t: Tables): Uint8Array {
  const version = (t.header[4] << 8) | t.header[5];
  const parts: Uint8Array[] = [t.header, t.storage];
  let pos = 8 + t.storage.length;
  const slots = Object.fromEntries(LOCA_SLOTS.map((s) => [s, null])) as Record<
    LocaSlot,
    SlotRef | null
  >;
  const put = (tag: string, payload: Uint8Array) => {
    if ((LOCA_SLOTS as readonly string[]).includes(tag)) {
      slots[tag as LocaSlot] = { offset: pos, length: payload.length + 12 };
    }
    const c = encodeChunk(tag, payload);
    parts.push(c);
    pos += c.length;
  };
  if (version === 1) put("SEEK", new Uint8Array(4));
  put("BIDX", t.BIDX);
  put("BHSH", t.BHSH);
  put("KSEK", t.KSEK);
  put("TDIR", t.TDIR);
  put("TRKS", t.TRKS);
  if (t.LIVC) put("LIVC", t.LIVC);
  for (const x of t.extra) put(x.tag, x.payload);
  put("META", t.META);
  if (t.SAFE) put("SAFE", t.SAFE);
  const body = concat(parts);
  const veri = computeVeri(body, body.length);
  const loca: Locator = {
    header: t.header,
    flags: t.flags,
    trackCount: t.trackCount,
    blockCount: t.blockCount,
    chunkCount: t.chunkCount,
    slots,
    root: new Uint8Array(32),
  };
  loca.root = computeRoot(encodeLoca(loca), {
    TRKS: t.TRKS,
    KSEK: t.KSEK,
    TDIR: t.TDIR,
    META: t.META,
    SAFE: t.SAFE,
  });
  return concat([body, encodeChunk("VERI", veri), encodeChunk("LOCA", encodeLoca(loca))]);
}

/** One block index row, as decoded from BIDX by {@linkcode parseFile}. */
export interface Row {
  index: number;
  track_id: string;
  pts: number;
  kind: number;
  keyframe: number;
  codec: number;
  newChunk: number;
  offset: number;
  stored: number;
  plain: number;
  chunk: number;
}

/** Everything in a file written by this implementation, decoded with the format functions. */
export interface ParsedFile {
  tables: Tables;
  loca: Locator;
  trks: TrackRecord[];
  tdir: TableDirectory;
  ksek: SeekTable[];
  meta: JsonObject;
  safe: JsonObject | null;
  rows: Row[];
  chunks: WalkedChunk[];
}

/** Decodes a whole file without the reader in lib/seek (an independent check of the writer). */
export function parseFile(bytes: Uint8Array): ParsedFile {
  const t = tablesOf(bytes);
  const trks = decodeTrks(t.TRKS);
  const tdir = tdirOf(t);
  const ksek = decodeKsek(t.KSEK, trks.length, t.flags & 1 ? 16 : 0);
  const rows: Row[] = [];
  for (let p = 0; p < tdir.bidxPageLengths.length; p++) {
    const c = decodePage(t, p);
    for (let k = 0; k < c.count; k++) {
      rows.push({
        index: rows.length,
        track_id: trks[c.track[k]].track_id,
        pts: c.pts[k],
        kind: c.kind[k],
        keyframe: c.keyframe[k],
        codec: c.codec[k],
        newChunk: c.newChunk[k],
        offset: c.offset[k],
        stored: c.stored[k],
        plain: c.plain[k],
        chunk: c.chunk[k],
      });
    }
  }
  return {
    tables: t,
    loca: locaOf(bytes),
    trks,
    tdir,
    ksek,
    meta: decodeJsonDoc(t.META, "META"),
    safe: t.SAFE ? decodeJsonDoc(t.SAFE, "SAFE") : null,
    rows,
    chunks: walk(bytes),
  };
}

/** Reads a file from a `file:` URL. */
export function readUrl(url: URL): Uint8Array {
  return Deno.readFileSync(url);
}

/** Collects an async iterable. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/**
 * Builds a file as the original Python writer does (FORMAT-NOTES.md): CORE x N, SEEK (count 0),
 * META, SAFE, VERI. `rle` compresses every payload with the original's run-length code.
 */
export function buildOriginal(
  blocks: readonly BlockInput[],
  opts: {
    rle?: boolean;
    meta?: Record<string, unknown>;
    safe?: Record<string, unknown> | null;
    trak?: boolean;
    seekm?: boolean;
    version?: number;
    corruptCore?: number;
  } = {},
): Uint8Array {
  const enc = new TextEncoder();
  const rle = (d: Uint8Array): Uint8Array => {
    const out: number[] = [];
    for (let i = 0; i < d.length;) {
      let j = i + 1;
      while (j < d.length && d[j] === d[i] && j - i < 255) j++;
      out.push(d[i], j - i);
      i = j;
    }
    return new Uint8Array(out);
  };
  const ids = [...new Set(blocks.map((b) => b.track_id))].sort((a, b) => {
    const x = enc.encode(a), y = enc.encode(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  });
  const parts: Uint8Array[] = [];
  const header = new Uint8Array([0x48, 0x34, 0x4d, 0x4b, 0, opts.version ?? 1, 0, 0]);
  blocks.forEach((b, i) => {
    const c = encodeChunk("CORE", opts.rle ? rle(b.payload) : b.payload);
    if (opts.corruptCore === i) c[c.length - 1] ^= 0xff;
    parts.push(c);
  });
  const seek = new Uint8Array(4);
  parts.push(encodeChunk("SEEK", seek));
  const meta: Record<string, unknown> = { ...(opts.meta ?? {}) };
  meta.domain = "video-transport";
  meta.tracks = ids;
  if (opts.seekm !== false) {
    const w: number[] = [];
    const u32 = (n: number) => w.push(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
    u32(ids.length);
    for (const id of ids) {
      const idb = enc.encode(id);
      w.push(idb.length >> 8, idb.length & 255, ...idb);
      const keys = blocks.map((b, i) => [b, i] as const).filter(([b]) =>
        b.track_id === id && b.keyframe
      ).sort((x, y) => x[0].pts_us - y[0].pts_us || x[1] - y[1]);
      u32(keys.length);
      for (const [b, i] of keys) {
        u32(Math.floor(b.pts_us / 2 ** 32));
        u32(b.pts_us >>> 0);
        u32(i);
      }
    }
    meta.seekm_b64 = new Uint8Array(w).toBase64();
  }
  if (opts.trak !== false) {
    meta.trak_b64 = enc.encode(JSON.stringify({
      trak: blocks.map((b, i) => ({
        track_id: b.track_id,
        pts_us: b.pts_us,
        kind: b.kind,
        keyframe: b.keyframe,
        core_index: i,
      })),
    })).toBase64();
  }
  if (opts.rle) {
    meta.compression = {
      engine: "geometric-reference",
      engine_id: "unknown",
      fingerprint: "unknown",
      deterministic: true,
      identity_safe: true,
      opaque: false,
      sealed: false,
    };
  }
  parts.push(encodeChunk("META", enc.encode(JSON.stringify(meta))));
  if (opts.safe !== null) {
    parts.push(encodeChunk("SAFE", enc.encode(JSON.stringify(opts.safe ?? {}))));
  }
  const body = concat(parts);
  return concat([header, body, encodeChunk("VERI", sha256(body))]);
}
