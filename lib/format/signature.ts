/**
 * The signature chunk `SIGN`, SPEC.md section 18: an Ed25519 signature over the root digest
 * and the container's identity, found between VERI and LOCA.
 *
 * @module
 */
import { concat, encodeUtf8 } from "./bytes.ts";
import { CHUNK_HEADER_LENGTH } from "./constants.ts";
import { signEd25519, verifyEd25519 } from "./ed25519.ts";
import { H4Error } from "./errors.ts";
import { sha256 } from "../hash/sha256.ts";

/** The chunk tag of a signature. */
export const SIGN_TAG = "SIGN";
/** Domain-separation label that starts every signed message (H4-SIG-003). */
export const SIGN_DOMAIN = "H4MK-SIGN-1";
/** Domain-separation label of key ids (H4-SIG-006). */
export const KEY_ID_DOMAIN = "H4MK-KEYID-1";
/** SIGN payload length: version, algorithm, public key, signature (H4-SIG-002). */
export const SIGN_PAYLOAD_LENGTH = 100;
/** SIGN payload version. */
export const SIGN_VERSION = 1;
/** Algorithm id of Ed25519. */
export const SIGN_ALG_ED25519 = 1;

/** One decoded signature chunk. */
export interface SignatureRecord {
  /** Ed25519 public key of the signer. */
  publicKey: Uint8Array;
  /** The 64-byte signature. */
  signature: Uint8Array;
  /** Short key id of the public key (16 hex digits). */
  keyId: string;
  /** File offset of the chunk header. */
  offset: number;
}

/**
 * The short id of a public key: the first 8 bytes of SHA-256("H4MK-KEYID-1" || key), as hex.
 *
 * @example
 * ```ts
 * import { keyIdOf } from "./signature.ts";
 * import assert from "node:assert/strict";
 * assert(keyIdOf(new Uint8Array(32)).length === 16);
 * ```
 */
export function keyIdOf(publicKey: Uint8Array): string {
  return sha256(concat([encodeUtf8(KEY_ID_DOMAIN), publicKey])).subarray(0, 8).toHex();
}

/**
 * The message a signature signs (H4-SIG-003): the label, LOCA payload bytes 0..32 (header
 * copy with version, locator version, flags, counts), the root digest, and the SHA-256 of the
 * LIVC payload (32 zero bytes when unencrypted), which the root does not cover.
 *
 * @example
 * ```ts
 * import { signedMessage } from "./signature.ts";
 * import assert from "node:assert/strict";
 * assert(signedMessage(new Uint8Array(160), null).length === 11 + 32 + 32 + 32);
 * ```
 */
export function signedMessage(locaPayload: Uint8Array, livc: Uint8Array | null): Uint8Array {
  return concat([
    encodeUtf8(SIGN_DOMAIN),
    locaPayload.subarray(0, 32),
    locaPayload.subarray(128, 160),
    livc ? sha256(livc) : new Uint8Array(32),
  ]);
}

/**
 * Encodes a SIGN payload.
 *
 * @example
 * ```ts
 * import { encodeSignPayload } from "./signature.ts";
 * import assert from "node:assert/strict";
 * assert(encodeSignPayload(new Uint8Array(32), new Uint8Array(64)).length === 100);
 * ```
 */
export function encodeSignPayload(publicKey: Uint8Array, signature: Uint8Array): Uint8Array {
  const out = new Uint8Array(SIGN_PAYLOAD_LENGTH);
  out[1] = SIGN_VERSION;
  out[3] = SIGN_ALG_ED25519;
  out.set(publicKey, 4);
  out.set(signature, 36);
  return out;
}

function bad(message: string, offset: number): never {
  throw new H4Error("H4_BAD_SIGNATURE", message, {
    offset,
    chunk: SIGN_TAG,
    rule: "H4-SIG-002",
  });
}

/**
 * Decodes a SIGN payload whose chunk header is at `offset`; rejects a payload that is not 100
 * bytes, another version or another algorithm (`H4_BAD_SIGNATURE`, H4-SIG-002).
 *
 * @example
 * ```ts
 * import { decodeSignPayload, encodeSignPayload } from "./signature.ts";
 * import assert from "node:assert/strict";
 * const r = decodeSignPayload(encodeSignPayload(new Uint8Array(32), new Uint8Array(64)), 0);
 * assert(r.signature.length === 64);
 * ```
 */
export function decodeSignPayload(payload: Uint8Array, offset: number): SignatureRecord {
  if (payload.length !== SIGN_PAYLOAD_LENGTH) {
    bad(`SIGN at ${offset} has ${payload.length} payload bytes, must be 100`, offset);
  }
  const version = (payload[0] << 8) | payload[1];
  const alg = (payload[2] << 8) | payload[3];
  if (version !== SIGN_VERSION) bad(`SIGN at ${offset} has version ${version}, not 1`, offset);
  if (alg !== SIGN_ALG_ED25519) {
    bad(`SIGN at ${offset} has algorithm ${alg}, this reader knows 1 (Ed25519)`, offset);
  }
  const publicKey = payload.slice(4, 36);
  return { publicKey, signature: payload.slice(36, 100), keyId: keyIdOf(publicKey), offset };
}

/**
 * Checks that no public key signs twice (H4-SIG-002).
 *
 * @example
 * ```ts
 * import { checkDistinctSigners } from "./signature.ts";
 * checkDistinctSigners([]);
 * ```
 */
export function checkDistinctSigners(records: readonly SignatureRecord[]): void {
  // A Set, not pairs: a file may hold many SIGN chunks, and this runs on every open.
  const seen = new Map<string, SignatureRecord>();
  for (const r of records) {
    const k = r.publicKey.toHex();
    const first = seen.get(k);
    if (first) {
      bad(`SIGN at ${r.offset} repeats the signer ${r.keyId} of SIGN at ${first.offset}`, r.offset);
    }
    seen.set(k, r);
  }
}

/**
 * Makes a SIGN payload: signs {@linkcode signedMessage} with an Ed25519 seed.
 *
 * @example
 * ```ts
 * import { makeSignPayload } from "./signature.ts";
 * import { ed25519PublicKey } from "./ed25519.ts";
 * import assert from "node:assert/strict";
 * const seed = new Uint8Array(32).fill(3);
 * const p = await makeSignPayload(seed, await ed25519PublicKey(seed), new Uint8Array(160), null);
 * assert(p.length === 100);
 * ```
 */
export async function makeSignPayload(
  seed: Uint8Array,
  publicKey: Uint8Array,
  locaPayload: Uint8Array,
  livc: Uint8Array | null,
): Promise<Uint8Array> {
  const sig = await signEd25519(seed, signedMessage(locaPayload, livc));
  return encodeSignPayload(publicKey, sig);
}

/**
 * True when a signature verifies over this container's LOCA payload and LIVC (H4-SIG-004).
 *
 * @example
 * ```ts
 * import { makeSignPayload, decodeSignPayload, verifySignature } from "./signature.ts";
 * import { ed25519PublicKey } from "./ed25519.ts";
 * import assert from "node:assert/strict";
 * const seed = new Uint8Array(32).fill(3), loca = new Uint8Array(160);
 * const p = await makeSignPayload(seed, await ed25519PublicKey(seed), loca, null);
 * assert(await verifySignature(decodeSignPayload(p, 0), loca, null));
 * ```
 */
export async function verifySignature(
  record: SignatureRecord,
  locaPayload: Uint8Array,
  livc: Uint8Array | null,
): Promise<boolean> {
  return await verifyEd25519(
    record.publicKey,
    signedMessage(locaPayload, livc),
    record.signature,
  );
}

/** Whole SIGN chunk length. */
export const SIGN_CHUNK_LENGTH: number = CHUNK_HEADER_LENGTH + SIGN_PAYLOAD_LENGTH;
