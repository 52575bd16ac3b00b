/**
 * Generates the LivingCipher conformance vectors in `conformance/vectors/cipher/` (SPEC.md
 * section 12.15): known answers (`kat.json`), valid encrypted containers, and Wycheproof-style
 * invalid ones, each an `.h4mk` with a `.json` expectation beside it. Deterministic: fixed keys,
 * container ids and blocks; running it again reproduces every byte.
 *
 *     deno run -A lib/living/gen_vectors.ts [OUT_DIR]
 *
 * Expectations follow the conformance schema (`class`, `rules`, `description`, `expect_error`,
 * `error_class`, `also_accept`, `result`, `read_args`, `file_sha256`), where `expect_error` is
 * what a strict reader (open, full verification, decrypt every block) must report. Extra fields:
 * `flags` (names of the attack), `key` (the key file's text) and `random_access` (what a
 * random-access reader sees: the outcome of opening, of single block reads without BHSH checks,
 * and of full transcript verification).
 *
 * @module
 */
import { computeVeri } from "../format/veri.ts";
import { LEGACY_COMPRESSION } from "../format/constants.ts";
import { concat } from "../format/bytes.ts";
import { encodeChunk } from "../format/chunk.ts";
import { crc32 } from "../hash/crc32.ts";
import { rleEncode } from "../format/rle.ts";
import { encodeSeekm } from "../format/seekm.ts";
import { sha256 } from "../hash/sha256.ts";
import type { BlockContext, BlockInput, BlockSealer, CodecName, Profile } from "../format/types.ts";
import { packContainer, type WriterOptions } from "../format/writer.ts";
import { openContainer } from "../seek/container.ts";
import { DIGEST_LENGTH, TAG_LENGTH } from "./constants.ts";
import { blockNonce, createAdEncoder } from "./context.ts";
import { blockKey, computeSeal, createEpochChain, epochZeroKey, keyCheck } from "./key_schedule.ts";
import { deriveKeyFromSharedSecret, encodeKeyFile, type LivingKey } from "./keys.ts";
import { decodeLivc, encodeLivc, epochCount } from "./livc.ts";
import { grantEpochKey } from "./opener.ts";
import { createVectorSealer } from "./sealer.ts";
import { createTranscript } from "./transcript.ts";

/** Where the vectors live, relative to the repository root; key paths in `read_args` use it. */
export const CIPHER_VECTOR_DIR = "conformance/vectors/cipher";

const enc = new TextEncoder();

/** Fixed test bytes: the first `n` bytes of SHA-256("H4MK-LC1 vectors " || label). */
function fixed(label: string, n: number): Uint8Array {
  return sha256(enc.encode(`H4MK-LC1 vectors ${label}`)).slice(0, n);
}

/** The root key of the vectors (public: test material only). */
export const VECTOR_KEY: Uint8Array = fixed("root key", 32);
const OTHER_KEY = fixed("other root key", 32);
/** The container id of the vectors. */
export const VECTOR_CONTAINER_ID: Uint8Array = fixed("container id", 16);
const OTHER_CONTAINER_ID = fixed("other container id", 16);
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

const META = { title: "LivingCipher vector", camera: "cam-7" };
const SAFE = { rating: "G", region: "eu" };

interface BuildOptions {
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

interface Built {
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
async function build(o: BuildOptions = {}): Promise<Built> {
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
async function forge(
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
async function flipStoredRaw(
  bytes: Uint8Array,
  i: number,
  at: (len: number) => number,
): Promise<Uint8Array> {
  const c = await openContainer(bytes);
  const e = await c.entry(i);
  const out = bytes.slice();
  out[e.offset + at(e.stored_length)] ^= 0x01;
  fixStorageCrc(out, e.offset);
  return out;
}

/** Recomputes the CRC of the chunk that holds file offset `at`. */
function fixStorageCrc(bytes: Uint8Array, at: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 8;
  while (o + 12 <= bytes.length) {
    const len = view.getUint32(o + 4);
    if (at >= o + 12 && at < o + 12 + len) {
      view.setUint32(o + 8, crc32(bytes.subarray(o + 12, o + 12 + len)) >>> 0);
      return;
    }
    o += 12 + len;
  }
  throw new Error(`offset ${at} is in no chunk`);
}

/** Replaces block i's stored bytes in place (same length) and fixes the chunk's CRC only. */
async function replaceStoredRaw(
  bytes: Uint8Array,
  i: number,
  replacement: Uint8Array,
): Promise<Uint8Array> {
  const c = await openContainer(bytes);
  const e = await c.entry(i);
  if (replacement.length !== e.stored_length) throw new Error("replacement of another length");
  const out = bytes.slice();
  out.set(replacement, e.offset);
  fixStorageCrc(out, e.offset);
  return out;
}

/**
 * Inserts a chunk `tag` with `payload` just before VERI and recomputes VERI (and its CRC), as
 * anyone can: no LOCA slot moves, so every unkeyed check still holds. Only a keyed check of the
 * bytes outside the root and the seal (H4-LC-018) notices it.
 */
export function insertChunkBeforeVeri(
  bytes: Uint8Array,
  tag: string,
  payload: Uint8Array,
): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 8;
  while (o + 12 <= bytes.length) {
    const t = String.fromCharCode(...bytes.subarray(o, o + 4));
    const len = view.getUint32(o + 4);
    if (t === "VERI") {
      const chunk = encodeChunk(tag, payload);
      const before = concat([bytes.subarray(0, o), chunk]);
      const veri = encodeChunk("VERI", computeVeri(before, before.length));
      return concat([before, veri, bytes.subarray(o + 12 + len)]);
    }
    o += 12 + len;
  }
  throw new Error("no VERI chunk");
}

function flipLivc(bit: number): (livc: Uint8Array) => Uint8Array {
  return (livc) => {
    const out = livc.slice();
    out[bit >> 3] ^= 1 << (7 - (bit & 7));
    return out;
  };
}

// ---------------------------------------------------------------------------------------------
// Expectations.

/** What a random-access reader sees: outcome of opening, of block reads, of full transcript verification. */
export interface RandomAccessExpectation {
  /** `ok` or the code of openContainer + openCipher. */
  open: string;
  /** Single block reads (`readBlock(i, { opener })`, no BHSH check): `ok` or a code. */
  blocks?: { index: number; expect: string }[];
  /** `opener.verifyTranscript()`: `ok` or the code of its first failing check. */
  verify_transcript?: string;
}

/** The expectation file of a cipher vector: the conformance schema plus cipher fields. */
export interface CipherExpectation {
  /** Vector class. */
  class: "valid" | "invalid";
  /** SPEC.md rule ids. */
  rules: string[];
  /** Why the vector exists. */
  description: string;
  /** Names of the attack (Wycheproof style). */
  flags: string[];
  /** Strict read: the error code. */
  expect_error?: string;
  /** Its class (always `cipher` here, or `structure` for a cut file). */
  error_class?: string;
  /** Other codes a strict reader may give instead (it may find the damage by an unkeyed check first). */
  also_accept?: string[];
  /** Valid vectors: the canonical read result. */
  result?: unknown;
  /** Arguments after FILE for the conformance adapter's `read`. */
  read_args: string[];
  /** The key file's text. */
  key: string;
  /** Random-access expectations. */
  random_access: RandomAccessExpectation;
  /** SHA-256 of the `.h4mk` file, hex. */
  file_sha256?: string;
}

interface KeyFile {
  name: string;
  key: LivingKey;
}

interface GeneratedVector {
  name: string;
  bytes: Uint8Array;
  exp: CipherExpectation;
}

const CLASS_OF: Record<string, string> = { H4_BAD_LOCATOR: "structure" };

function expectation(
  cls: "valid" | "invalid",
  rules: string[],
  flags: string[],
  description: string,
  key: KeyFile,
  random_access: RandomAccessExpectation,
  error?: { code: string; also?: string[] },
  result?: unknown,
): CipherExpectation {
  const e: CipherExpectation = {
    class: cls,
    rules,
    description,
    flags,
    read_args: ["--key", `${CIPHER_VECTOR_DIR}/keys/${key.name}.key`],
    key: encodeKeyFile(key.key).trim(),
    random_access,
  };
  if (error) {
    e.expect_error = error.code;
    e.error_class = CLASS_OF[error.code] ?? "cipher";
    if (error.also?.length) e.also_accept = error.also;
  }
  if (result) e.result = result;
  return e;
}

const hex = (b: Uint8Array) => b.toHex();

/** The canonical read result of a container written from `blocks` (derived from the input). */
function canonicalResult(
  blocks: BlockInput[],
  profile: Profile,
  meta = META,
  safe: Record<string, unknown> | null = SAFE,
  sealed = 0,
) {
  const ids = [...new Set(blocks.map((b) => b.track_id))].sort();
  const seek: Record<string, [number, number][]> = {};
  for (const id of ids) {
    seek[id] = blocks.flatMap((
      b,
      i,
    ) => (b.track_id === id && b.keyframe ? [[b.pts_us, i] as [number, number]] : []))
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  }
  const fullMeta: Record<string, unknown> = { ...meta, domain: "video-transport", tracks: ids };
  if (profile === "v1") {
    fullMeta.seekm_b64 = encodeSeekm(ids.map((id) => ({ track_id: id, entries: seek[id] })))
      .toBase64();
    if (blocks.length > 0 && blocks.every((b) => b.codec === "rle")) {
      fullMeta.compression = { ...LEGACY_COMPRESSION };
    }
  }
  return {
    version: profile === "v1" ? 1 : 2,
    profile,
    encrypted: true,
    tracks: ids.map((id) => ({
      track_id: id,
      codec: "none",
      blocks: blocks.filter((b) => b.track_id === id).length,
      keyframes: blocks.filter((b) => b.track_id === id && b.keyframe).length,
      seek_entries: seek[id].length,
    })),
    blocks: blocks.map((b, i) => {
      const codec = b.codec ?? "none";
      const encoded = codec === "rle" ? rleEncode(b.payload) : b.payload;
      return {
        index: i,
        track_id: b.track_id,
        pts_us: b.pts_us,
        kind: b.kind,
        keyframe: b.keyframe,
        codec,
        stored_length: encoded.length + TAG_LENGTH,
        plain_length: b.payload.length,
        // Blocks before an epoch key's epoch stay sealed: no payload to hash (H4-LC-017).
        sha256: i < sealed ? null : hex(sha256(b.payload)),
      };
    }),
    meta: fullMeta,
    safe,
    seek,
  };
}

// ---------------------------------------------------------------------------------------------
// Known answers.

/** The pure-crypto known-answer file: every intermediate value for fixed inputs. */
export function knownAnswers(): Record<string, unknown> {
  const suite = "chacha20-poly1305";
  const k = 2;
  const blocks = vectorBlocks().slice(0, 5);
  const root = fixed("root digest", 32);
  const sealer = createVectorSealer(VECTOR_KEY, {
    containerId: VECTOR_CONTAINER_ID,
    epochBlocks: k,
    backend: "portable",
  });
  const ad = createAdEncoder(suite, VECTOR_CONTAINER_ID);
  const e0 = epochZeroKey(VECTOR_KEY, VECTOR_CONTAINER_ID);
  const n = epochCount(blocks.length, k);
  const chain = createEpochChain(0, e0, n);
  const transcript = createTranscript(true);
  const rows = blocks.map((b, i) => {
    const ctx: BlockContext = {
      index: i,
      track_id: b.track_id,
      pts_us: b.pts_us,
      kind: b.kind,
      keyframe: b.keyframe,
      codec: "none",
      plain_length: b.payload.length,
    };
    const stored = sealer.seal(ctx, b.payload);
    const a = ad.encode(ctx);
    transcript.add(a, stored.subarray(stored.length - TAG_LENGTH));
    const epoch = Math.floor(i / k);
    return {
      context: ctx,
      plaintext: hex(b.payload),
      epoch,
      epoch_key: hex(chain.key(epoch)),
      block_key: hex(blockKey(chain.key(epoch), suite)),
      nonce: hex(blockNonce(i)),
      ad: hex(a),
      stored: hex(stored),
    };
  });
  const livc = sealer.finish(root);
  const d = decodeLivc(livc);
  const shared = fixed("shared secret", 32);
  return {
    description:
      "LivingCipher known answers (SPEC.md section 12): fixed root key, container id and blocks; every intermediate value. Regenerate with lib/living/gen_vectors.ts.",
    suite,
    root_key: hex(VECTOR_KEY),
    root_key_file: encodeKeyFile({ kind: "root", key: VECTOR_KEY }).trim(),
    container_id: hex(VECTOR_CONTAINER_ID),
    epoch_blocks: k,
    epoch_0_key: hex(e0),
    blocks: rows,
    closing_epoch: n,
    closing_epoch_key: hex(chain.key(n)),
    key_check: hex(keyCheck(chain.key(n))),
    transcript: hex(transcript.digest()),
    root_digest: hex(root),
    seal: hex(computeSeal(chain.key(n), d.sealedPart, root)),
    livc: hex(livc),
    epoch_key_file_epoch_1: encodeKeyFile({
      kind: "epoch",
      containerId: VECTOR_CONTAINER_ID,
      epoch: 1,
      key: chain.key(1),
    })
      .trim(),
    shared_secret: {
      secret: hex(shared),
      info: "h4mk living key",
      key: hex(deriveKeyFromSharedSecret(shared)),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The vectors.

/** Every cipher vector and key file, in a fixed order. */
export async function generateVectors(): Promise<{ vectors: GeneratedVector[]; keys: KeyFile[] }> {
  const base = await build();
  const baseContainer = await openContainer(base.bytes);
  const rootKey: LivingKey = { kind: "root", key: VECTOR_KEY };
  const grant = (e: number) => grantEpochKey(baseContainer, rootKey, e);
  const keys: Record<string, KeyFile> = {};
  const key = (name: string, k: LivingKey): KeyFile => (keys[name] ??= { name, key: k });
  const root = key("root", rootKey);
  const other = key("other-root", { kind: "root", key: OTHER_KEY });
  const epoch0 = key("epoch-0", grant(0));
  const epoch1 = key("epoch-1", grant(1));
  const relabelled = key("epoch-1-labelled-0", { ...grant(1), epoch: 0 });
  const otherContainer = key("epoch-1-other-container", {
    ...grant(1),
    containerId: OTHER_CONTAINER_ID,
  });
  const pastEnd = key("epoch-9", { ...grant(1), epoch: 9 });
  const closing = key("epoch-3-closing", grant(3));
  // Blocks 1 and 4 (audio, 24 bytes) swapped in place, chunk CRC fixed only.
  const swappedInPlace = await replaceStoredRaw(
    await replaceStoredRaw(base.bytes, 1, base.stored[4]),
    4,
    base.stored[1],
  );
  const rawAlsoGrant = ["H4_VERI_MISMATCH", "H4_BLOCK_HASH_MISMATCH"];

  const vs: GeneratedVector[] = [];
  const add = (name: string, bytes: Uint8Array, exp: CipherExpectation) =>
    vs.push({ name, bytes, exp });
  const allOk = (n: number) => Array.from({ length: n }, (_, index) => ({ index, expect: "ok" }));
  const openFails = (code: string): RandomAccessExpectation => ({ open: code });
  const blocks = base.blocks;

  // Valid.
  add(
    "v_basic",
    base.bytes,
    expectation(
      "valid",
      // Reading it with the root key file exercises the key file (001, 002), the container id
      // (005), the key schedule (006), nonces (008), the transcript (009) and seal (012); no
      // key byte may appear in the file (013, checked by lib/living/no_key_material_test.ts).
      [
        "H4-LC-001",
        "H4-LC-002",
        "H4-LC-004",
        "H4-LC-005",
        "H4-LC-006",
        "H4-LC-007",
        "H4-LC-008",
        "H4-LC-009",
        "H4-LC-012",
        "H4-LC-013",
        "H4-LC-015",
        "H4-LC-017",
      ],
      ["Valid"],
      "Ten blocks of two tracks, one rle-compressed, in three epochs of 4 blocks (v2); root key.",
      root,
      { open: "ok", blocks: allOk(10), verify_transcript: "ok" },
      undefined,
      canonicalResult(blocks, "v2"),
    ),
  );
  const v1 = await build({ profile: "v1" });
  add(
    "v_profile_v1",
    v1.bytes,
    expectation(
      "valid",
      ["H4-LC-004", "H4-LC-015"],
      ["Valid", "ProfileV1"],
      "The same blocks in profile v1 (one CORE chunk per block); the seal covers the same tables.",
      root,
      { open: "ok", blocks: allOk(10), verify_transcript: "ok" },
      undefined,
      canonicalResult(blocks, "v1"),
    ),
  );
  add(
    "v_epoch_key_0",
    base.bytes,
    expectation(
      "valid",
      ["H4-LC-016"],
      ["Valid", "EpochKey"],
      "Opened with the epoch key of epoch 0, which opens every block like the root key.",
      epoch0,
      { open: "ok", blocks: allOk(10), verify_transcript: "ok" },
      undefined,
      canonicalResult(blocks, "v2"),
    ),
  );
  const empty = await build({ blocks: [] });
  add(
    "v_empty",
    empty.bytes,
    expectation(
      "valid",
      ["H4-LC-010", "H4-LC-015"],
      ["Valid", "NoBlocks"],
      "An encrypted container without blocks: zero epochs; the closing epoch is 0.",
      root,
      { open: "ok", blocks: [], verify_transcript: "ok" },
      undefined,
      canonicalResult([], "v2"),
    ),
  );

  // Keys.
  add(
    "n_wrong_key",
    base.bytes,
    expectation(
      "invalid",
      ["H4-LC-014"],
      ["WrongKey"],
      "Another root key: the key check in LIVC differs.",
      other,
      openFails("H4_CIPHER_BAD_KEY"),
      { code: "H4_CIPHER_BAD_KEY" },
    ),
  );
  add(
    "n_epoch_key_other_container",
    base.bytes,
    expectation(
      "invalid",
      ["H4-LC-016"],
      ["WrongEpochKey", "OtherContainer"],
      "An epoch key whose container id is another container's.",
      otherContainer,
      openFails("H4_CIPHER_BAD_KEY"),
      { code: "H4_CIPHER_BAD_KEY" },
    ),
  );
  add(
    "n_epoch_key_relabelled",
    base.bytes,
    expectation(
      "invalid",
      ["H4-LC-014"],
      ["WrongEpochKey", "RelabelledEpoch"],
      "The key bytes of epoch 1 labelled as epoch 0: stepping from the wrong epoch misses the key check.",
      relabelled,
      openFails("H4_CIPHER_BAD_KEY"),
      { code: "H4_CIPHER_BAD_KEY" },
    ),
  );
  add(
    "n_epoch_key_past_end",
    base.bytes,
    expectation(
      "invalid",
      ["H4-LC-016"],
      ["WrongEpochKey", "EpochPastEnd"],
      "An epoch key for epoch 9 of a container whose closing epoch is 3.",
      pastEnd,
      openFails("H4_CIPHER_WRONG_EPOCH"),
      { code: "H4_CIPHER_WRONG_EPOCH" },
    ),
  );
  // Grants: an epoch key verifies and opens its epochs; earlier blocks stay sealed, which is not
  // an error of the file (H4-LC-016, H4-LC-017). Random access to a sealed block is refused.
  add(
    "v_epoch_key_1",
    base.bytes,
    expectation(
      "valid",
      ["H4-LC-016", "H4-LC-017", "H4-LC-019"],
      ["Valid", "EpochKey", "TimeBoundedAccess"],
      "A genuine epoch-1 key: full verification passes; blocks 4..9 open; blocks 0..3 (epoch 0) stay sealed (sha256 null) and a random-access read of one is refused.",
      epoch1,
      {
        open: "ok",
        blocks: [{ index: 0, expect: "H4_CIPHER_WRONG_EPOCH" }, {
          index: 3,
          expect: "H4_CIPHER_WRONG_EPOCH",
        }, ...allOk(10).slice(4)],
        verify_transcript: "ok",
      },
      undefined,
      canonicalResult(blocks, "v2", META, SAFE, 4),
    ),
  );
  add(
    "v_epoch_key_closing",
    base.bytes,
    expectation(
      "valid",
      ["H4-LC-016", "H4-LC-017"],
      ["Valid", "EpochKey", "VerifierKey"],
      "The key of the closing epoch 3 opens no block but checks the seal and the transcript: every block stays sealed (sha256 null).",
      closing,
      {
        open: "ok",
        blocks: [{ index: 0, expect: "H4_CIPHER_WRONG_EPOCH" }, {
          index: 9,
          expect: "H4_CIPHER_WRONG_EPOCH",
        }],
        verify_transcript: "ok",
      },
      undefined,
      canonicalResult(blocks, "v2", META, SAFE, 10),
    ),
  );
  // Tampering with a block a grant cannot open: the transcript catches it (the seal does not:
  // the change is in place, so the tables and the root are those the writer sealed).
  add(
    "n_epoch_key_sealed_block_swapped",
    swappedInPlace,
    expectation(
      "invalid",
      ["H4-LC-017", "H4-LC-019"],
      ["EpochKey", "SwappedBlocks", "SealedToKey"],
      "Stored bytes of blocks 1 and 4 swapped in place, read with the epoch-1 key: block 4 fails authentication (blocks first), block 1 is sealed to the key; the transcript differs too.",
      epoch1,
      {
        open: "ok",
        blocks: [{ index: 1, expect: "H4_CIPHER_WRONG_EPOCH" }, {
          index: 4,
          expect: "H4_CIPHER_AUTH_FAILED",
        }, { index: 5, expect: "ok" }],
        verify_transcript: "H4_CIPHER_AUTH_FAILED",
      },
      { code: "H4_CIPHER_AUTH_FAILED", also: rawAlsoGrant },
    ),
  );

  // LIVC header: one bit flipped in each field (the LIVC CRC and VERI recomputed: LIVC is outside the root).
  const s = 17; // suite name length
  const fields: [string, number, string, string][] = [
    ["version", 15, "H4_CIPHER_BAD_HEADER", "H4-LC-010"],
    ["suite_length", 16 + 7, "H4_CIPHER_BAD_HEADER", "H4-LC-010"],
    ["suite", 24 + 7, "H4_CIPHER_UNKNOWN_SUITE", "H4-LC-003"],
    ["container_id", (3 + s) * 8 + 7, "H4_CIPHER_BAD_KEY", "H4-LC-014"],
    ["epoch_blocks", (3 + s + 16 + 3) * 8 + 7, "H4_CIPHER_BAD_HEADER", "H4-LC-010"],
    ["block_count", (3 + s + 20 + 7) * 8 + 7, "H4_CIPHER_SEAL_MISMATCH", "H4-LC-011"],
    ["epoch_count", (3 + s + 28 + 7) * 8 + 7, "H4_CIPHER_BAD_HEADER", "H4-LC-010"],
    ["key_check", (3 + s + 36) * 8, "H4_CIPHER_BAD_KEY", "H4-LC-014"],
    ["transcript", (3 + s + 52) * 8, "H4_CIPHER_SEAL_MISMATCH", "H4-LC-015"],
    ["seal", (3 + s + 84 + 31) * 8 + 7, "H4_CIPHER_SEAL_MISMATCH", "H4-LC-015"],
  ];
  for (const [field, bit, code, rule] of fields) {
    const b = await build({ livc: flipLivc(bit) });
    add(
      `n_livc_${field}_bitflip`,
      b.bytes,
      expectation(
        "invalid",
        [rule],
        ["ModifiedLivcHeader", `Modified_${field}`],
        `One bit of LIVC's ${field} flipped (bit ${bit} of the payload); chunk CRC and VERI recomputed.`,
        root,
        openFails(code),
        { code },
      ),
    );
  }
  add(
    "n_livc_truncated",
    (await build({ livc: (l) => l.subarray(0, l.length - 1) })).bytes,
    expectation(
      "invalid",
      ["H4-LC-010"],
      ["ModifiedLivcHeader", "TruncatedLivc"],
      "LIVC one byte short: the reader must check its exact length, not guess it.",
      root,
      openFails("H4_CIPHER_BAD_HEADER"),
      { code: "H4_CIPHER_BAD_HEADER" },
    ),
  );
  add(
    "n_livc_extended",
    (await build({ livc: (l) => new Uint8Array([...l, 0]) })).bytes,
    expectation(
      "invalid",
      ["H4-LC-010"],
      ["ModifiedLivcHeader", "ExtendedLivc"],
      "LIVC with one byte appended.",
      root,
      openFails("H4_CIPHER_BAD_HEADER"),
      { code: "H4_CIPHER_BAD_HEADER" },
    ),
  );
  add(
    "n_unknown_suite",
    (await build({ livc: (l) => renameSuite(l, "aes-256-gcm-siv") })).bytes,
    expectation(
      "invalid",
      ["H4-LC-003"],
      ["UnknownSuite"],
      "A well-formed LIVC naming suite aes-256-gcm-siv: refused with its own code, never a fallback.",
      root,
      openFails("H4_CIPHER_UNKNOWN_SUITE"),
      { code: "H4_CIPHER_UNKNOWN_SUITE" },
    ),
  );

  // Stored bytes changed in place: only the storage chunk's CRC is fixed. VERI and BHSH also break,
  // so a strict reader may name those; a random-access reader that skips BHSH gets the AEAD failure.
  const rawAlso = ["H4_VERI_MISMATCH", "H4_BLOCK_HASH_MISMATCH"];
  const rawBlocks = (
    i: number,
    code: string,
  ) => [{ index: i, expect: code }, { index: (i + 1) % 10, expect: "ok" }];
  add(
    "n_tag_bitflip",
    await flipStoredRaw(base.bytes, 5, (n) => n - 1),
    expectation(
      "invalid",
      ["H4-LC-007"],
      ["ModifiedTag"],
      "Last tag byte of block 5 flipped in place.",
      root,
      {
        open: "ok",
        blocks: rawBlocks(5, "H4_CIPHER_AUTH_FAILED"),
        verify_transcript: "H4_CIPHER_AUTH_FAILED",
      },
      { code: "H4_CIPHER_AUTH_FAILED", also: rawAlso },
    ),
  );
  add(
    "n_ciphertext_bitflip",
    await flipStoredRaw(base.bytes, 7, () => 0),
    expectation(
      "invalid",
      ["H4-LC-007"],
      ["ModifiedCiphertext"],
      "First ciphertext byte of block 7 flipped in place.",
      root,
      {
        open: "ok",
        blocks: rawBlocks(7, "H4_CIPHER_AUTH_FAILED"),
        verify_transcript: "H4_CIPHER_AUTH_FAILED",
      },
      { code: "H4_CIPHER_AUTH_FAILED", also: rawAlso },
    ),
  );
  // Blocks 2 and 3 are not of one length; 1 and 4 (audio, 24 bytes) are.
  add(
    "n_blocks_swapped_in_place",
    swappedInPlace,
    expectation(
      "invalid",
      ["H4-LC-007"],
      ["SwappedBlocks"],
      "Stored bytes of blocks 1 and 4 (same track and length) swapped in place; the index is unchanged.",
      root,
      {
        open: "ok",
        blocks: [{ index: 1, expect: "H4_CIPHER_AUTH_FAILED" }, {
          index: 4,
          expect: "H4_CIPHER_AUTH_FAILED",
        }, { index: 0, expect: "ok" }],
        verify_transcript: "H4_CIPHER_AUTH_FAILED",
      },
      { code: "H4_CIPHER_AUTH_FAILED", also: rawAlso },
    ),
  );
  const elsewhere = await build({ containerId: OTHER_CONTAINER_ID });
  add(
    "n_block_from_other_container_in_place",
    await replaceStoredRaw(base.bytes, 2, elsewhere.stored[2]),
    expectation(
      "invalid",
      ["H4-LC-007"],
      ["MovedFromOtherContainer"],
      "Block 2 replaced in place by block 2 of another container sealed with the same key and the same blocks.",
      root,
      {
        open: "ok",
        blocks: rawBlocks(2, "H4_CIPHER_AUTH_FAILED"),
        verify_transcript: "H4_CIPHER_AUTH_FAILED",
      },
      { code: "H4_CIPHER_AUTH_FAILED", also: rawAlso },
    ),
  );

  // Consistent forgeries: every unkeyed check recomputed; the seal over the root catches them at open.
  const seal = (rule: string[], flags: string[], description: string, bytes: Uint8Array) =>
    add(
      `n_forged_${flags.at(-1)!.replace(/[A-Z]/g, (c, i) => (i ? "_" : "") + c.toLowerCase())}`,
      bytes,
      expectation(
        "invalid",
        rule,
        ["ConsistentForgery", ...flags],
        description,
        root,
        openFails("H4_CIPHER_SEAL_MISMATCH"),
        { code: "H4_CIPHER_SEAL_MISMATCH" },
      ),
    );
  const st = base.stored;
  const flipLast = (b: Uint8Array) => {
    const c = b.slice();
    c[c.length - 1] ^= 1;
    return c;
  };
  seal(
    ["H4-LC-015"],
    ["ModifiedTag"],
    "Tag of block 5 changed, BHSH, TDIR, root and VERI recomputed.",
    await forge(blocks, st.map((x, i) => (i === 5 ? flipLast(x) : x)), base.livc),
  );
  seal(
    ["H4-LC-015"],
    ["ModifiedCiphertext"],
    "Ciphertext of block 7 changed, all unkeyed checks recomputed.",
    await forge(
      blocks,
      st.map((x, i) => (i === 7 ? Uint8Array.of(x[0] ^ 1, ...x.subarray(1)) : x)),
      base.livc,
    ),
  );
  const swap = (a: unknown[], i: number, j: number) => ([a[i], a[j]] = [a[j], a[i]]);
  const sw = [...st];
  swap(sw, 1, 4);
  seal(
    ["H4-LC-015"],
    ["SwappedBlocks"],
    "Stored bytes of blocks 1 and 4 swapped, all unkeyed checks recomputed.",
    await forge(blocks, sw, base.livc),
  );
  const swIdx = [...blocks];
  const swSt = [...st];
  swap(swIdx, 1, 4);
  swap(swSt, 1, 4);
  seal(
    ["H4-LC-015"],
    ["ReorderedBlocks"],
    "Blocks 1 and 4 swapped with their index entries (a reordered stream).",
    await forge(swIdx, swSt, base.livc),
  );
  seal(
    ["H4-LC-011"],
    ["DroppedBlock"],
    "Block 6 removed from storage and index.",
    await forge(blocks.filter((_, i) => i !== 6), st.filter((_, i) => i !== 6), base.livc),
  );
  seal(
    ["H4-LC-011"],
    ["DuplicatedBlock"],
    "Block 3 stored twice (index entry duplicated).",
    await forge([...blocks.slice(0, 4), blocks[3], ...blocks.slice(4)], [
      ...st.slice(0, 4),
      st[3],
      ...st.slice(4),
    ], base.livc),
  );
  seal(
    ["H4-LC-011"],
    ["AppendedBlock"],
    "Block 9 of another container appended.",
    await forge([...blocks, blocks[9]], [...st, elsewhere.stored[9]], base.livc),
  );
  seal(
    ["H4-LC-011"],
    ["TruncatedStream"],
    "The last three blocks cut off, the tables rewritten for seven.",
    await forge(blocks.slice(0, 7), st.slice(0, 7), base.livc),
  );
  seal(
    ["H4-LC-015"],
    ["MovedFromOtherContainer"],
    "Block 2 replaced by block 2 of another container, all checks recomputed.",
    await forge(blocks, st.map((x, i) => (i === 2 ? elsewhere.stored[2] : x)), base.livc),
  );
  seal(
    ["H4-LC-015"],
    ["RelabelledPts"],
    "Index says block 5 has pts 120001 instead of 120000.",
    await forge(
      blocks.map((b, i) => (i === 5 ? { ...b, pts_us: b.pts_us + 1 } : b)),
      st,
      base.livc,
    ),
  );
  seal(
    ["H4-LC-015"],
    ["RelabelledTrack"],
    "Index moves block 8 from track audio to track video.",
    await forge(blocks.map((b, i) => (i === 8 ? { ...b, track_id: "video" } : b)), st, base.livc),
  );
  seal(
    ["H4-LC-015"],
    ["RelabelledKeyframe"],
    "Index marks block 5 as a keyframe (a seek target).",
    await forge(
      blocks.map((b, i) => (i === 5 ? { ...b, keyframe: true, kind: "I" as const } : b)),
      st,
      base.livc,
    ),
  );
  seal(
    ["H4-LC-015"],
    ["ModifiedMeta"],
    "META's title changed.",
    await forge(blocks, st, base.livc, { meta: { ...META, title: "LivingCipher vectoR" } }),
  );
  seal(
    ["H4-LC-015"],
    ["ModifiedSafe"],
    "SAFE's rating changed.",
    await forge(blocks, st, base.livc, { safe: { ...SAFE, rating: "X" } }),
  );
  seal(
    ["H4-LC-015"],
    ["RemovedSafe"],
    "SAFE removed.",
    await forge(blocks, st, base.livc, { safe: null }),
  );
  seal(
    ["H4-LC-015"],
    ["LivcFromOtherContainer"],
    "LIVC replaced by the LIVC of another container under the same key.",
    await forge(
      blocks,
      st,
      (await build({ containerId: OTHER_CONTAINER_ID, meta: { ...META, title: "x" } })).livc,
    ),
  );

  add(
    "n_epoch_key_sealed_block_bitflip",
    await flipStoredRaw(base.bytes, 2, (n) => n - 1),
    expectation(
      "invalid",
      ["H4-LC-017"],
      ["EpochKey", "ModifiedTag", "SealedToKey"],
      "Last tag byte of block 2 flipped in place, read with the epoch-1 key: the key cannot open block 2, the recomputed transcript catches the change.",
      epoch1,
      {
        open: "ok",
        blocks: [{ index: 2, expect: "H4_CIPHER_WRONG_EPOCH" }, { index: 4, expect: "ok" }],
        verify_transcript: "H4_CIPHER_TRANSCRIPT_MISMATCH",
      },
      { code: "H4_CIPHER_TRANSCRIPT_MISMATCH", also: rawAlsoGrant },
    ),
  );

  // Bytes outside the root and the seal: anyone can insert a chunk of an unknown tag (or a copy
  // of a table LOCA does not point at) before VERI and recompute VERI; every unkeyed check and
  // the seal still hold. Full verification with a key rejects it (H4-LC-018).
  const outside: [string, string, Uint8Array, string[], string][] = [
    [
      "n_inserted_unknown_chunk",
      "XTRA",
      enc.encode("not covered by the seal"),
      ["InsertedChunk", "UnknownTag"],
      "A chunk of unknown tag XTRA inserted before VERI, VERI recomputed: only the check of bytes outside the root and the seal catches it.",
    ],
    [
      "n_inserted_meta_copy",
      "META",
      enc.encode(JSON.stringify({ ...META, title: "a second META" })),
      ["InsertedChunk", "UnlocatedCopy"],
      "A second META chunk (which LOCA does not point at) inserted before VERI, VERI recomputed: a reader that scans chunks could take it for META.",
    ],
  ];
  for (const [name, tag, payload, flags, description] of outside) {
    add(
      name,
      insertChunkBeforeVeri(base.bytes, tag, payload),
      expectation(
        "invalid",
        ["H4-LC-018"],
        ["OutsideSeal", ...flags],
        description,
        root,
        { open: "ok", blocks: allOk(10), verify_transcript: "ok" },
        { code: "H4_CIPHER_UNSEALED_DATA" },
      ),
    );
  }

  // The file cut: the locator is gone (SPEC.md H4-LOC-001).
  add(
    "n_file_truncated",
    base.bytes.subarray(0, base.bytes.length - 100),
    expectation(
      "invalid",
      ["H4-LOC-001"],
      ["TruncatedFile"],
      "The last 100 bytes of the file cut off.",
      root,
      openFails("H4_BAD_LOCATOR"),
      { code: "H4_BAD_LOCATOR" },
    ),
  );

  // AD binding: the writer sealed a block under a context other than the one its index holds. The
  // seal is valid (the writer sealed the real root), so only the block's AEAD catches it.
  const lies: [string, number, (c: BlockContext) => BlockContext][] = [
    ["pts", 5, (c) => ({ ...c, pts_us: c.pts_us + 1 })],
    ["track", 8, (c) => ({ ...c, track_id: "video" })],
    ["kind", 3, (c) => ({ ...c, kind: "P" })],
    ["keyframe", 2, (c) => ({ ...c, keyframe: true })],
    ["codec", 6, (c) => ({ ...c, codec: "deflate" })],
    ["plain_length", 6, (c) => ({ ...c, plain_length: c.plain_length - 1 })],
  ];
  for (const [field, i, lie] of lies) {
    const b = await build({ lie: (c) => (c.index === i ? lie(c) : c) });
    add(
      `n_ad_${field}`,
      b.bytes,
      expectation(
        "invalid",
        ["H4-LC-007"],
        ["AdMismatch", `Ad_${field}`],
        `Block ${i} sealed with another ${field} than its index entry says; the seal is genuine.`,
        root,
        {
          open: "ok",
          blocks: [{ index: i, expect: "H4_CIPHER_AUTH_FAILED" }, {
            index: (i + 1) % 10,
            expect: "ok",
          }],
          verify_transcript: "H4_CIPHER_AUTH_FAILED",
        },
        { code: "H4_CIPHER_AUTH_FAILED" },
      ),
    );
  }

  // A key holder replaced the transcript and resealed: every block opens; only full verification
  // (the recomputed transcript) tells.
  const resealed = await build({
    livc: (l, r) => {
      const d = decodeLivc(l);
      const e0 = epochZeroKey(VECTOR_KEY, d.containerId);
      const closing = createEpochChain(0, e0, d.epochCount).key(d.epochCount);
      const out = encodeLivc({ ...d, transcript: fixed("not the transcript", 32) });
      out.set(
        computeSeal(closing, out.subarray(0, out.length - DIGEST_LENGTH), r),
        out.length - DIGEST_LENGTH,
      );
      return out;
    },
  });
  add(
    "n_transcript_resealed",
    resealed.bytes,
    expectation(
      "invalid",
      ["H4-LC-017"],
      ["ModifiedTranscript", "Resealed"],
      "LIVC's transcript hash replaced and the seal recomputed with the key: blocks open, the transcript does not match.",
      root,
      { open: "ok", blocks: allOk(10), verify_transcript: "H4_CIPHER_TRANSCRIPT_MISMATCH" },
      { code: "H4_CIPHER_TRANSCRIPT_MISMATCH" },
    ),
  );

  return { vectors: vs, keys: Object.values(keys) };
}

/** One key-file vector: a key file's text and what a reader and a writer must do with it. */
export interface KeyFileVector {
  /** Test case id, from 1. */
  tc_id: number;
  /** Wycheproof-style names of the case. */
  flags: string[];
  /** SPEC.md rule ids. */
  rules: string[];
  /** Why the case exists. */
  description: string;
  /** The key file's exact text (a JSON string: CR, tab and LF are visible). */
  text: string;
  /** Parsing (H4-LC-002): `ok` or the error code. */
  parse: string;
  /** The parsed key's role, when it parses. */
  role?: "root" | "epoch";
  /** Sealing a new container with it (H4-LC-020): `ok` or the error code. */
  seal: string;
}

/**
 * The key-file vectors (`key_files.json`): the strict grammar of SPEC.md 12.2 and the roles of
 * 12.2/12.9 (only a root key seals; an epoch key, the epoch-0 grant included, never does).
 */
export function keyFileVectors(): KeyFileVector[] {
  const b64 = VECTOR_KEY.toBase64();
  const rootLine = `h4mk-key-1 ${b64}`;
  const e0 = epochZeroKey(VECTOR_KEY, VECTOR_CONTAINER_ID);
  const grantLine = `h4mk-epoch-key-1 ${hex(VECTOR_CONTAINER_ID)} 0 ${e0.toBase64()}`;
  const bad = "H4_CIPHER_BAD_KEY";
  // The last character of 32 bytes in base64 has two unused bits: setting one is non-canonical.
  const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const cases: [string[], string[], string, string, string, ("root" | "epoch")?, string?][] = [
    [
      ["Valid", "RootKey"],
      ["H4-LC-002"],
      "A root key file as keygen writes it.",
      `${rootLine}\n`,
      "ok",
      "root",
      "ok",
    ],
    [
      ["Valid", "NoFinalNewline"],
      ["H4-LC-002"],
      "The final LF is optional.",
      rootLine,
      "ok",
      "root",
      "ok",
    ],
    [
      ["GrantAsSealingKey", "EpochKey"],
      ["H4-LC-020"],
      "The epoch-0 grant of a container (grant --from-epoch 0): it opens that container, and sealing with it is refused. Accepting it sealed every container under its container id: key and nonce reuse.",
      `${grantLine}\n`,
      "ok",
      "epoch",
      bad,
    ],
    [
      ["GrantAsSealingKey", "EpochKey"],
      ["H4-LC-020"],
      "An epoch-2 grant used as a sealing key.",
      `${grantLine.replace(" 0 ", " 2 ")}\n`,
      "ok",
      "epoch",
      bad,
    ],
    [["Crlf"], ["H4-LC-002"], "A CR LF line ending.", `${rootLine}\r\n`, bad],
    [["Tab"], ["H4-LC-002"], "A tab between the fields.", `h4mk-key-1\t${b64}\n`, bad],
    [["DoubleSpace"], ["H4-LC-002"], "Two spaces between the fields.", `h4mk-key-1  ${b64}\n`, bad],
    [["LeadingSpace"], ["H4-LC-002"], "A space before the first field.", ` ${rootLine}\n`, bad],
    [["TrailingSpace"], ["H4-LC-002"], "A space after the last field.", `${rootLine} \n`, bad],
    [
      ["TrailingBlankLine"],
      ["H4-LC-002"],
      "A blank line after the key line.",
      `${rootLine}\n\n`,
      bad,
    ],
    [
      ["LeadingBlankLine"],
      ["H4-LC-002"],
      "A blank line before the key line.",
      `\n${rootLine}\n`,
      bad,
    ],
    [
      ["ByteOrderMark"],
      ["H4-LC-002"],
      "A UTF-8 byte order mark first.",
      `\ufeff${rootLine}\n`,
      bad,
    ],
    [["TwoKeys"], ["H4-LC-002"], "Two key lines.", `${rootLine}\n${rootLine}\n`, bad],
    [["Empty"], ["H4-LC-002"], "An empty file.", "", bad],
    [
      ["UnknownType"],
      ["H4-LC-002"],
      "A type this version does not define: refused by name, never guessed.",
      `h4mk-recipient-1 ${b64}\n`,
      bad,
    ],
    [
      ["NonCanonicalBase64"],
      ["H4-LC-002"],
      "Base64 whose unused bits are not zero.",
      `h4mk-key-1 ${b64.slice(0, 42)}${B64[B64.indexOf(b64[42]) ^ 1]}=\n`,
      bad,
    ],
    [
      ["UppercaseHex"],
      ["H4-LC-002"],
      "A container id in uppercase hex.",
      `${grantLine.replace(hex(VECTOR_CONTAINER_ID), hex(VECTOR_CONTAINER_ID).toUpperCase())}\n`,
      bad,
    ],
    [
      ["LeadingZeroEpoch"],
      ["H4-LC-002"],
      "An epoch with a leading zero.",
      `${grantLine.replace(" 0 ", " 00 ")}\n`,
      bad,
    ],
  ];
  return cases.map(([flags, rules, description, text, parse, role, seal], i) => ({
    tc_id: i + 1,
    flags,
    rules,
    description,
    text,
    parse,
    ...(role ? { role } : {}),
    seal: seal ?? parse,
  }));
}

function renameSuite(livc: Uint8Array, name: string): Uint8Array {
  const d = decodeLivc(livc);
  return encodeLivc({ ...d, suite: name });
}

const README = `# LivingCipher vectors (SPEC.md section 12)

Generated by \`deno run -A lib/living/gen_vectors.ts\`; do not edit. Regenerating reproduces every
byte (\`lib/living/gen_vectors_test.ts\` checks it). All keys here are public test keys.

- \`kat.json\`: known answers for fixed inputs: epoch keys, block keys, nonces, associated data,
  stored bytes, transcript, key check, seal and LIVC of five blocks; a shared-secret derivation.
- \`keys/*.key\`: key files (section 12.2) used by the vectors.
- \`key_files.json\`: key-file texts (\`tests\`, each with \`tc_id\` and \`flags\`) with whether they
  parse (H4-LC-002: the strict one-line grammar), their role, and whether they may seal
  (H4-LC-020: only a root key; \`GrantAsSealingKey\` cases must be refused).
- \`NAME.h4mk\` + \`NAME.json\`: one vector. \`v_*\` are valid, \`n_*\` invalid.

Expectation fields are those of the conformance suite (\`class\`, \`rules\`, \`description\`,
\`expect_error\`, \`error_class\`, \`also_accept\`, \`result\`, \`read_args\`, \`file_sha256\`), where
\`expect_error\` is what a strict reader reports first, in the order of H4-LC-019: it opens the file
with the key (\`read_args\`: \`--key PATH\`, PATH relative to the repository root), runs full
verification (the unkeyed checks, then bytes outside the seal, then every block the key opens, then
the transcript) and decrypts every block the key opens. With an epoch key, the blocks before its
epoch stay sealed: a valid vector's \`result\` has \`sha256\` null for them. Extra fields:

- \`flags\`: names of the attack, Wycheproof style (\`ModifiedTag\`, \`ConsistentForgery\`, ...).
- \`key\`: the key file's text.
- \`random_access\`: what a random-access reader must see. \`open\` is \`ok\` or the code of opening
  (container, then LIVC, key and seal); \`blocks\` lists single block reads without BHSH checks
  (\`ok\` means the payload of \`kat\`-style input block \`index\`); \`verify_transcript\` is \`ok\`
  or the code of the first failing check of full transcript verification.

\`n_forged_*\` files are consistent forgeries: every unkeyed check (CRCs, BHSH, TDIR, root, VERI)
was recomputed, as a keyless attacker can; only the seal catches them. \`*_bitflip\` and
\`*_in_place\` files change bytes in place and fix the chunk CRC only, so a strict reader may
notice VERI or BHSH first (\`also_accept\`). \`n_ad_*\` files were sealed under a context other
than their index entry with a genuine seal: only the block's AEAD tag catches them. \`n_inserted_*\`
files hold a chunk outside the root and the seal, VERI recomputed: only H4-LC-018 catches them.
`;

async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  if (typeof data === "string") await Deno.writeTextFile(tmp, data);
  else await Deno.writeFile(tmp, data);
  await Deno.rename(tmp, path);
}

/** JSON with two-space indentation and a final newline. */
function json(v: unknown): string {
  return JSON.stringify(v, null, 2) + "\n";
}

/**
 * Writes every vector, key file, `kat.json` and `manifest.json` under `dir`; returns the file
 * names written.
 */
export async function writeVectors(dir: string = CIPHER_VECTOR_DIR): Promise<string[]> {
  const { vectors, keys } = await generateVectors();
  await Deno.mkdir(`${dir}/keys`, { recursive: true });
  const written: string[] = [];
  for (const k of keys) {
    await writeAtomic(`${dir}/keys/${k.name}.key`, encodeKeyFile(k.key));
    written.push(`keys/${k.name}.key`);
  }
  for (const v of vectors) {
    v.exp.file_sha256 = hex(sha256(v.bytes));
    await writeAtomic(`${dir}/${v.name}.h4mk`, v.bytes);
    await writeAtomic(`${dir}/${v.name}.json`, json(v.exp));
    written.push(`${v.name}.h4mk`, `${v.name}.json`);
  }
  await writeAtomic(`${dir}/kat.json`, json(knownAnswers()));
  await writeAtomic(
    `${dir}/key_files.json`,
    json({
      description:
        "LivingCipher key files (SPEC.md 12.2): the strict grammar (H4-LC-002) and the roles (H4-LC-020: only a root key seals). Generated by lib/living/gen_vectors.ts; do not edit.",
      tests: keyFileVectors(),
    }),
  );
  written.push("key_files.json");
  await writeAtomic(`${dir}/README.md`, README);
  written.push("kat.json", "README.md");
  await writeAtomic(
    `${dir}/manifest.json`,
    json({
      description:
        "LivingCipher vectors (SPEC.md section 12). Generated by lib/living/gen_vectors.ts; do not edit.",
      vectors: vectors.map((v) => ({
        name: v.name,
        class: v.exp.class,
        flags: v.exp.flags,
        expect_error: v.exp.expect_error ?? null,
      })),
    }),
  );
  written.push("manifest.json");
  return written;
}

if (import.meta.main) {
  const dir = Deno.args[0] ?? CIPHER_VECTOR_DIR;
  const files = await writeVectors(dir);
  console.log(`wrote ${files.length} files to ${dir}`);
}
