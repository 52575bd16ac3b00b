/**
 * Test helpers for the format core: typed-error assertions, block builders, a fake cipher, a
 * deterministic PRNG, a file as the original writer wrote it; and, re-exported, the forging kit
 * (forge.ts: CRC, VERI, root and BHSH/TDIR fix-ups after changing bytes) and the table surgery of
 * tables.ts (`rebuild` re-signs a file after its tables were edited).
 *
 * Test-only: nothing here is exported from a mod.ts.
 *
 * @module
 */
import assert from "node:assert/strict";
import { concat } from "../bytes.ts";
import { type ChunkView, encodeChunk } from "../chunk.ts";
import { CODEC_IDS } from "../constants.ts";
import { H4Error, type H4ErrorCode } from "../errors.ts";
import { sha256 } from "../../hash/sha256.ts";
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

// One seeded generator for every test: lib/hash's (at the bottom, importing nothing).
export { randomBytes, rng } from "../../hash/testdata/random.ts";

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
export type WalkedChunk = ChunkView;

// The forging kit, re-exported so tests find everything in one import.
export {
  chunk,
  fixCrc,
  fixCrcAt,
  fixCrcs,
  fixRoot,
  fixVeri,
  flip,
  forge,
  insertChunkBeforeVeri,
  setPayload,
  walk,
} from "./forge.ts";
export {
  bidxPages,
  decodePage,
  editLoca,
  locaOf,
  type ParsedFile,
  parseFile,
  rebuild,
  type Row,
  setBhsh,
  setPage,
  setPages,
  type Tables,
  tablesOf,
  tdirOf,
} from "./tables.ts";

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
