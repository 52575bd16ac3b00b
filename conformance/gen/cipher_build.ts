/**
 * The material of the LivingCipher vectors (conformance/gen/cipher_vectors.ts): fixed keys, container
 * ids and blocks; `build`, which packs an encrypted container with the writer and keeps what the
 * sealer produced; `packForgery`, a consistent forgery written by the writer with chosen stored bytes
 * and LIVC; and in-place changes of stored bytes with the chunk CRC fixed by the forging kit.
 *
 * @module
 */
import { sha256 } from "../../lib/hash/sha256.ts";
import { fixCrcAt } from "../../lib/format/testdata/forge.ts";
import type {
  BlockContext,
  BlockInput,
  BlockSealer,
  CodecName,
  Profile,
} from "../../lib/format/types.ts";
import { packContainer, type WriterOptions } from "../../lib/format/writer.ts";
import { openContainer } from "../../lib/seek/container.ts";
import { TAG_LENGTH } from "../../lib/living/constants.ts";
import { decodeLivc, encodeLivc } from "../../lib/living/livc.ts";
import { createVectorSealer } from "../../lib/living/sealer.ts";

/** Where the vectors live, relative to the repository root; key paths in `read_args` use it. */
export const CIPHER_VECTOR_DIR = "conformance/vectors/cipher";

/** UTF-8 encoder of the generators. */
export const enc: TextEncoder = new TextEncoder();

/** Fixed test bytes: the first `n` bytes of SHA-256("H4MK-LC1 vectors " || label). */
export function fixed(label: string, n: number): Uint8Array {
  return sha256(enc.encode(`H4MK-LC1 vectors ${label}`)).slice(0, n);
}

/** The root key of the vectors (public: test material only). */
export const VECTOR_KEY: Uint8Array = fixed("root key", 32);
/** Another root key. */
export const OTHER_KEY: Uint8Array = fixed("other root key", 32);
/** The container id of the vectors. */
export const VECTOR_CONTAINER_ID: Uint8Array = fixed("container id", 16);
/** Another container id. */
export const OTHER_CONTAINER_ID: Uint8Array = fixed("other container id", 16);
const EPOCH_BLOCKS = 4;

function payload(i: number, n: number): Uint8Array {
  // Deterministic bytes that do not compress: SHA-256 in counter mode.
  const out = new Uint8Array(n);
  for (let o = 0, c = 0; o < n; o += 32, c++) {
    out.set(fixed(`payload ${i} ${c}`, 32).subarray(0, n - o), o);
  }
  return out;
}

function runs(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = i < n / 2 ? 0x20 : 0x3c;
  return out;
}

/** The ten blocks of the vectors: two tracks, three epochs of 4 (the last has 2 blocks). */
export function vectorBlocks(): BlockInput[] {
  const b = (
    track_id: string,
    pts_us: number,
    kind: "I" | "P" | "B",
    keyframe: boolean,
    p: Uint8Array,
    codec?: CodecName,
  ) => ({
    track_id,
    pts_us,
    kind,
    keyframe,
    payload: p,
    ...(codec ? { codec } : {}),
  });
  return [
    b("video", 0, "I", true, payload(0, 96)),
    b("audio", -21_333, "I", true, payload(1, 24)),
    b("video", 80_000, "P", false, payload(2, 40)),
    b("video", 40_000, "B", false, payload(3, 33)),
    b("audio", 0, "I", true, payload(4, 24)),
    b("video", 120_000, "P", false, payload(5, 57)),
    b("audio", 21_333, "I", true, runs(512), "rle"),
    b("video", 160_000, "I", true, payload(7, 128)),
    b("audio", 42_667, "I", true, payload(8, 24)),
    b("video", 200_000, "P", false, payload(9, 1)),
  ];
}

/** META of the vectors. */
export const META: Record<string, unknown> = { title: "LivingCipher vector", camera: "cam-7" };
/** SAFE of the vectors. */
export const SAFE: Record<string, unknown> = { rating: "G", region: "eu" };

/** Options of {@linkcode build}. */
export interface BuildOptions {
  blocks?: BlockInput[];
  key?: Uint8Array;
  containerId?: Uint8Array;
  profile?: Profile;
  meta?: Record<string, unknown>;
  safe?: Record<string, unknown> | null;
  /** Changes the context a block is sealed with (the index keeps the true one). */
  lie?: (ctx: BlockContext) => BlockContext;
  /** Replaces the LIVC payload the sealer returns (`root` is what the writer passed). */
  livc?: (livc: Uint8Array, root: Uint8Array) => Uint8Array;
}

/** A built container and what its sealer produced. */
export interface Built {
  bytes: Uint8Array;
  stored: Uint8Array[];
  livc: Uint8Array;
  root: Uint8Array;
  blocks: BlockInput[];
}

function writerOptions(
  o: { profile?: Profile; meta?: Record<string, unknown>; safe?: Record<string, unknown> | null },
): WriterOptions {
  return {
    profile: o.profile ?? "v2",
    meta: o.meta ?? META,
    safe: o.safe === undefined ? SAFE : o.safe,
    seekIntervalUs: 0,
  };
}

/** Packs an encrypted container and keeps what the sealer produced. */
export async function build(o: BuildOptions = {}): Promise<Built> {
  const blocks = o.blocks ?? vectorBlocks();
  const real = createVectorSealer(o.key ?? VECTOR_KEY, {
    containerId: o.containerId ?? VECTOR_CONTAINER_ID,
    epochBlocks: EPOCH_BLOCKS,
    backend: "portable",
  });
  const stored: Uint8Array[] = [];
  let livc: Uint8Array = new Uint8Array(0);
  let root: Uint8Array = new Uint8Array(0);
  const sealer: BlockSealer = {
    suite: real.suite,
    seal(ctx, data) {
      const s = real.seal(o.lie ? o.lie(ctx) : ctx, data);
      stored.push(s);
      return s;
    },
    finish(r) {
      root = r.slice();
      livc = real.finish(r);
      if (o.livc) livc = o.livc(livc, root);
      return livc;
    },
  };
  const bytes = await packContainer(blocks, { ...writerOptions(o), sealer });
  return { bytes, stored, livc, root, blocks };
}

/**
 * A consistent forgery: writes `blocks` (the readable index) with `stored` as their stored bytes
 * and `livc` as LIVC, recomputing every unkeyed check (CRCs, BHSH, TDIR, root, VERI) the way a
 * keyless attacker can. Only the seal and the AEAD tags can catch it.
 */
export async function packForgery(
  blocks: BlockInput[],
  stored: Uint8Array[],
  livc: Uint8Array,
  o: { profile?: Profile; meta?: Record<string, unknown>; safe?: Record<string, unknown> | null } =
    {},
): Promise<Uint8Array> {
  let i = 0;
  const sealer: BlockSealer = {
    suite: "chacha20-poly1305",
    seal: () => stored[i++],
    finish: () => livc,
  };
  // The writer derives plain_length from the payload: give payloads of the right length.
  const shaped = blocks.map((b, k) => ({
    ...b,
    payload: (b.codec ?? "none") === "none"
      ? new Uint8Array(stored[k].length - TAG_LENGTH)
      : b.payload,
  }));
  return await packContainer(shaped, { ...writerOptions(o), sealer });
}

/** Flips bit `bit` of block `i`'s stored bytes in place and fixes its storage chunk's CRC only. */
export async function flipStoredRaw(
  bytes: Uint8Array,
  i: number,
  at: (len: number) => number,
): Promise<Uint8Array> {
  const c = await openContainer(bytes);
  const e = await c.entry(i);
  const out = bytes.slice();
  out[e.offset + at(e.stored_length)] ^= 0x01;
  fixCrcAt(out, e.offset);
  return out;
}

/** Replaces block i's stored bytes in place (same length) and fixes the chunk's CRC only. */
export async function replaceStoredRaw(
  bytes: Uint8Array,
  i: number,
  replacement: Uint8Array,
): Promise<Uint8Array> {
  const c = await openContainer(bytes);
  const e = await c.entry(i);
  if (replacement.length !== e.stored_length) throw new Error("replacement of another length");
  const out = bytes.slice();
  out.set(replacement, e.offset);
  fixCrcAt(out, e.offset);
  return out;
}

/** A LIVC edit flipping bit `bit` of the payload (bit 0 = the high bit of byte 0). */
export function flipLivc(bit: number): (livc: Uint8Array) => Uint8Array {
  return (livc) => {
    const out = livc.slice();
    out[bit >> 3] ^= 1 << (7 - (bit & 7));
    return out;
  };
}

/** A LIVC payload naming suite `name` instead (otherwise well-formed). */
export function renameSuite(livc: Uint8Array, name: string): Uint8Array {
  const d = decodeLivc(livc);
  return encodeLivc({ ...d, suite: name });
}
