/**
 * The LIVC chunk, SPEC.md section 12.8 (H4-LC-010): the readable header of an encrypted
 * container. It names the suite, the container id and the epoch size, and holds the key check,
 * the transcript hash and the seal. It holds no key.
 *
 * ```
 * u16 livc_version = 1
 * u8  suite_length S (1..32), S bytes suite name (ASCII)
 * 16  container_id
 * u32 epoch_blocks K (≥ 1)
 * u64 block_count N (≤ 2^32 − 1)
 * u64 epoch_count n = ceil(N / K)
 * 16  key_check
 * 32  transcript
 * 32  seal              (HMAC over everything before it and the root digest)
 * ```
 *
 * @module
 */
import { H4Error } from "../format/errors.ts";
import {
  CONTAINER_ID_LENGTH,
  DIGEST_LENGTH,
  KEY_CHECK_LENGTH,
  LIVC_VERSION,
  MAX_BLOCKS,
  MAX_EPOCH_BLOCKS,
  MAX_SUITE_NAME_LENGTH,
} from "./constants.ts";
import { SUITE_NAMES } from "./suites.ts";

const TWO_32 = 0x1_0000_0000;

/** The fields of a LIVC payload. */
export interface LivcFields {
  /** Suite name. */
  suite: string;
  /** Container id, 16 bytes. */
  containerId: Uint8Array;
  /** Blocks per epoch K. */
  epochBlocks: number;
  /** Number of blocks N. */
  blockCount: number;
  /** Key check value, 16 bytes. */
  keyCheck: Uint8Array;
  /** Transcript hash, 32 bytes. */
  transcript: Uint8Array;
  /** Seal, 32 bytes. */
  seal: Uint8Array;
}

/** A decoded LIVC payload, with the bytes the seal covers. */
export interface DecodedLivc extends LivcFields {
  /** LIVC layout version (1). */
  version: number;
  /** Number of epochs n = ceil(N / K); the closing epoch is n. */
  epochCount: number;
  /** Payload bytes before the seal field (what the seal authenticates, with the root). */
  sealedPart: Uint8Array;
}

/** The LIVC payload length for a suite name of `suiteLength` bytes. */
export function livcLength(suiteLength: number): number {
  return 2 + 1 + suiteLength + CONTAINER_ID_LENGTH + 4 + 8 + 8 + KEY_CHECK_LENGTH + DIGEST_LENGTH +
    DIGEST_LENGTH;
}

/**
 * Number of epochs of N blocks of K: ceil(N / K); also the closing epoch's number.
 *
 * @example
 * ```ts
 * import { epochCount } from "./livc.ts";
 * import assert from "node:assert/strict";
 * assert(epochCount(10, 4) === 3 && epochCount(0, 4) === 0);
 * ```
 */
export function epochCount(blockCount: number, epochBlocks: number): number {
  return Math.ceil(blockCount / epochBlocks);
}

/**
 * Encodes a LIVC payload; the sealer fills `seal` last (see {@linkcode DecodedLivc.sealedPart}).
 *
 * @example
 * ```ts
 * import { decodeLivc, encodeLivc } from "./livc.ts";
 * import assert from "node:assert/strict";
 * const f = { suite: "chacha20-poly1305", containerId: new Uint8Array(16), epochBlocks: 4, blockCount: 10,
 *   keyCheck: new Uint8Array(16), transcript: new Uint8Array(32), seal: new Uint8Array(32) };
 * assert(decodeLivc(encodeLivc(f)).epochCount === 3);
 * ```
 */
export function encodeLivc(f: LivcFields): Uint8Array {
  const suite = new TextEncoder().encode(f.suite);
  const bad = (m: string): never => {
    throw new H4Error("H4_BAD_ARGUMENT", `LIVC: ${m}`);
  };
  if (suite.length < 1 || suite.length > MAX_SUITE_NAME_LENGTH) {
    bad(`suite name of ${suite.length} bytes`);
  }
  if (f.containerId.length !== CONTAINER_ID_LENGTH) {
    bad(`container id of ${f.containerId.length} bytes`);
  }
  if (!Number.isInteger(f.epochBlocks) || f.epochBlocks < 1 || f.epochBlocks > MAX_EPOCH_BLOCKS) {
    bad(`epoch_blocks ${f.epochBlocks}`);
  }
  if (!Number.isInteger(f.blockCount) || f.blockCount < 0 || f.blockCount > MAX_BLOCKS) {
    bad(`block_count ${f.blockCount}`);
  }
  if (
    f.keyCheck.length !== KEY_CHECK_LENGTH || f.transcript.length !== DIGEST_LENGTH ||
    f.seal.length !== DIGEST_LENGTH
  ) {
    bad("key check, transcript or seal of the wrong length");
  }
  const out = new Uint8Array(livcLength(suite.length));
  const view = new DataView(out.buffer);
  view.setUint16(0, LIVC_VERSION);
  out[2] = suite.length;
  out.set(suite, 3);
  let o = 3 + suite.length;
  out.set(f.containerId, o);
  o += CONTAINER_ID_LENGTH;
  view.setUint32(o, f.epochBlocks);
  view.setUint32(o + 4, Math.floor(f.blockCount / TWO_32));
  view.setUint32(o + 8, f.blockCount % TWO_32);
  const n = epochCount(f.blockCount, f.epochBlocks);
  view.setUint32(o + 12, Math.floor(n / TWO_32));
  view.setUint32(o + 16, n % TWO_32);
  o += 20;
  out.set(f.keyCheck, o);
  out.set(f.transcript, o + KEY_CHECK_LENGTH);
  out.set(f.seal, o + KEY_CHECK_LENGTH + DIGEST_LENGTH);
  return out;
}

function badHeader(message: string, offset?: number): never {
  throw new H4Error("H4_CIPHER_BAD_HEADER", `LIVC: ${message}`, {
    chunk: "LIVC",
    rule: "H4-LC-010",
    offset,
  });
}

/**
 * Decodes a LIVC payload (H4-LC-010). Its length must be exact, its version 1, epoch_blocks ≥ 1,
 * block_count ≤ 2^32 − 1 and epoch_count = ceil(N / K); otherwise `H4_CIPHER_BAD_HEADER`.
 * The suite name is not checked here (an unknown suite is refused when opening).
 *
 * @example
 * ```ts
 * import { decodeLivc } from "./livc.ts";
 * import assert from "node:assert/strict";
 * try { decodeLivc(new Uint8Array(3)); } catch (e) { assert((e as { code: string }).code === "H4_CIPHER_BAD_HEADER"); }
 * ```
 */
export function decodeLivc(bytes: Uint8Array): DecodedLivc {
  if (!(bytes instanceof Uint8Array)) badHeader(`expected bytes, got ${typeof bytes}`);
  if (bytes.length < 3) {
    badHeader(`payload of ${bytes.length} bytes is shorter than its first fields`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(0);
  if (version !== LIVC_VERSION) badHeader(`livc_version ${version} is not ${LIVC_VERSION}`, 0);
  const s = bytes[2];
  if (s < 1 || s > MAX_SUITE_NAME_LENGTH) {
    badHeader(`suite_length ${s} is not 1..${MAX_SUITE_NAME_LENGTH}`, 2);
  }
  if (bytes.length !== livcLength(s)) {
    badHeader(
      `payload of ${bytes.length} bytes; a suite name of ${s} bytes makes it ${livcLength(s)}`,
    );
  }
  // latin1 keeps every byte visible in messages; registered names are ASCII.
  const suite = String.fromCharCode(...bytes.subarray(3, 3 + s));
  let o = 3 + s;
  const containerId = bytes.slice(o, o + CONTAINER_ID_LENGTH);
  o += CONTAINER_ID_LENGTH;
  const epochBlocks = view.getUint32(o);
  if (epochBlocks < 1) badHeader("epoch_blocks is 0", o);
  const readU64 = (at: number, what: string): number => {
    const hi = view.getUint32(at);
    if (hi !== 0) badHeader(`${what} exceeds ${MAX_BLOCKS}`, at);
    return view.getUint32(at + 4);
  };
  const blockCount = readU64(o + 4, "block_count");
  const n = readU64(o + 12, "epoch_count");
  if (n !== epochCount(blockCount, epochBlocks)) {
    badHeader(
      `epoch_count ${n} is not ceil(${blockCount} / ${epochBlocks}) = ${
        epochCount(blockCount, epochBlocks)
      }`,
      o + 12,
    );
  }
  o += 20;
  const keyCheck = bytes.slice(o, o + KEY_CHECK_LENGTH);
  o += KEY_CHECK_LENGTH;
  const transcript = bytes.slice(o, o + DIGEST_LENGTH);
  o += DIGEST_LENGTH;
  return {
    version,
    suite,
    containerId,
    epochBlocks,
    blockCount,
    epochCount: n,
    keyCheck,
    transcript,
    seal: bytes.slice(o, o + DIGEST_LENGTH),
    sealedPart: bytes.subarray(0, o),
  };
}

/** A readable view of a LIVC chunk for `inspect`: public values only, bytes as hex. */
export interface LivcView {
  /** LIVC layout version. */
  version: number;
  /** Suite name. */
  suite: string;
  /** Whether this implementation knows the suite. */
  suiteSupported: boolean;
  /** Container id, 32 hex digits. */
  containerId: string;
  /** Blocks per epoch K. */
  epochBlocks: number;
  /** Blocks N. */
  blockCount: number;
  /** Epochs n = ceil(N / K). */
  epochs: number;
  /** Key check value, hex (public: it reveals nothing about the key). */
  keyCheck: string;
  /** Transcript hash, hex. */
  transcript: string;
  /** Seal, hex. */
  seal: string;
}

/**
 * Decodes a LIVC payload for display (`h4mk inspect`); needs no key and shows no secret.
 * A malformed payload is `H4_CIPHER_BAD_HEADER`; an unknown suite is shown, not refused.
 *
 * @example
 * ```ts
 * import { encodeLivc, parseLivc } from "./livc.ts";
 * import assert from "node:assert/strict";
 * const v = parseLivc(encodeLivc({ suite: "chacha20-poly1305", containerId: new Uint8Array(16), epochBlocks: 4,
 *   blockCount: 10, keyCheck: new Uint8Array(16), transcript: new Uint8Array(32), seal: new Uint8Array(32) }));
 * assert(v.epochs === 3 && v.containerId === "0".repeat(32));
 * ```
 */
export function parseLivc(bytes: Uint8Array): LivcView {
  const d = decodeLivc(bytes);
  return {
    version: d.version,
    suite: d.suite,
    suiteSupported: SUITE_NAMES.includes(d.suite),
    containerId: d.containerId.toHex(),
    epochBlocks: d.epochBlocks,
    blockCount: d.blockCount,
    epochs: d.epochCount,
    keyCheck: d.keyCheck.toHex(),
    transcript: d.transcript.toHex(),
    seal: d.seal.toHex(),
  };
}
