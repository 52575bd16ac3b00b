/**
 * The material of the LivingCipher vectors (conformance/gen/cipher_vectors.ts): fixed keys,
 * container ids and blocks; `build`, which crafts an encrypted container with the conformance
 * builder (builder/build.ts), sealing with lib/living's sealer, and keeps what the sealer
 * produced; `forge`, a consistent forgery crafted with chosen stored bytes and LIVC; and the
 * in-place changes of stored bytes (builder/in_place.ts) that fix the chunk CRC only.
 *
 * @module
 */
import { sha256 } from "../../lib/hash/sha256.ts";
import type { BlockContext, BlockSealer } from "../../lib/format/types.ts";
import { decodeLivc, encodeLivc } from "../../lib/living/livc.ts";
import { createVectorSealer } from "../../lib/living/sealer.ts";
import {
  type Codec,
  type Craft,
  craft,
  type CraftBlock,
  type Hooks,
  type Kind,
} from "../builder/build.ts";
import { editStoredInPlace, type StoredEdit } from "../builder/in_place.ts";

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
export function vectorBlocks(): CraftBlock[] {
  const b = (
    track_id: string,
    pts_us: number,
    kind: Kind,
    keyframe: boolean,
    p: Uint8Array,
    codec?: Codec,
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

/** The profiles of the vectors. */
export type Profile = "v1" | "v2";

/** What the vectors' files say besides their blocks. */
export interface FileOptions {
  profile?: Profile;
  meta?: Record<string, unknown>;
  safe?: Record<string, unknown> | null;
  /** Builder hooks (e.g. an in-place edit, a chunk outside the seal, a cut). */
  hooks?: Hooks;
}

/** Options of {@linkcode build}. */
export interface BuildOptions extends FileOptions {
  blocks?: CraftBlock[];
  key?: Uint8Array;
  containerId?: Uint8Array;
  /** Changes the context a block is sealed with (the index keeps the true one). */
  lie?: (ctx: BlockContext) => BlockContext;
  /** Replaces the LIVC payload the sealer returns (`root` is what the builder passed). */
  livc?: (livc: Uint8Array, root: Uint8Array) => Uint8Array;
}

/** A built container and what its sealer produced. */
export interface Built {
  bytes: Uint8Array;
  stored: Uint8Array[];
  livc: Uint8Array;
  root: Uint8Array;
  blocks: CraftBlock[];
  /** The builder's state: what went into the file (expected results come from it). */
  craft: Craft;
}

/** The builder's options for the vectors' files: META, SAFE, every keyframe in KSEK. */
function fileOptions(o: FileOptions) {
  return {
    profile: o.profile ?? "v2",
    meta: o.meta ?? META,
    safe: o.safe === undefined ? SAFE : o.safe,
    seekIntervalUs: 0,
    hooks: o.hooks,
  };
}

/**
 * Crafts an encrypted container, sealed by lib/living's sealer, and keeps what the sealer
 * produced.
 */
export function build(o: BuildOptions = {}): Built {
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
  const s = craft(blocks, { ...fileOptions(o), sealer });
  return { bytes: s.bytes, stored, livc, root, blocks, craft: s };
}

/**
 * A consistent forgery: crafts `blocks` (the readable index) with `stored` placed as their stored
 * bytes and `livc` as LIVC; the builder computes every unkeyed check (CRCs, BHSH, TDIR, root,
 * VERI) over them, as a keyless attacker can. Only the seal and the AEAD tags can catch it.
 */
export function forge(
  blocks: readonly CraftBlock[],
  stored: readonly Uint8Array[],
  livc: Uint8Array,
  o: FileOptions = {},
): Uint8Array {
  const placed = blocks.map((b, k) => ({ ...b, stored: stored[k] }));
  return craft(placed, { ...fileOptions(o), livc }).bytes;
}

/**
 * The base container with blocks' stored bytes changed in place (same length) and their storage
 * chunk's CRC fixed, nothing else (builder/in_place.ts).
 */
export function editStored(edits: readonly StoredEdit[], o: BuildOptions = {}): Uint8Array {
  return build({ ...o, hooks: { final: editStoredInPlace(edits) } }).bytes;
}

/** An edit flipping bit 0 of byte `at(length)` of a block's stored bytes. */
export function flipByte(at: (len: number) => number): (old: Uint8Array) => Uint8Array {
  return (old) => {
    old[at(old.length)] ^= 0x01;
    return old;
  };
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
