/**
 * The LivingCipher key schedule, SPEC.md section 12.4 (H4-LC-006): a per-container epoch-0
 * key from the root key and the container id, a one-way step from each epoch key to the next,
 * and the block key, key check and seal key derived from an epoch key. All are HKDF-SHA256
 * (RFC 5869) with distinct labels.
 *
 * @module
 */
import { expand, extract } from "@noble/hashes/hkdf.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { H4Error } from "../format/errors.ts";
import { CONTAINER_ID_LENGTH, KEY_CHECK_LENGTH, KEY_LENGTH, LABELS } from "./constants.ts";

const ASCII = new TextEncoder();
const EPOCH_ZERO_INFO = ASCII.encode(LABELS.epochZero);
const STEP_INFO = ASCII.encode(LABELS.epochStep);
const KEY_CHECK_INFO = ASCII.encode(LABELS.keyCheck);
const SEAL_KEY_INFO = ASCII.encode(LABELS.sealKey);
const SEAL_DOMAIN = ASCII.encode(LABELS.seal);

/**
 * E_0 = HKDF-SHA256(IKM = root key, salt = container id, info = "H4MK-LC1 epoch 0", L = 32).
 *
 * @example
 * ```ts
 * import { epochZeroKey } from "./key_schedule.ts";
 * import assert from "node:assert/strict";
 * assert(epochZeroKey(new Uint8Array(32), new Uint8Array(16)).length === 32);
 * ```
 */
export function epochZeroKey(rootKey: Uint8Array, containerId: Uint8Array): Uint8Array {
  if (rootKey.length !== KEY_LENGTH) {
    throw new H4Error(
      "H4_CIPHER_BAD_KEY",
      `a root key is ${KEY_LENGTH} bytes, got ${rootKey.length}`,
      {
        rule: "H4-LC-001",
      },
    );
  }
  if (containerId.length !== CONTAINER_ID_LENGTH) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `a container id is ${CONTAINER_ID_LENGTH} bytes, got ${containerId.length}`,
    );
  }
  return expand(sha256, extract(sha256, rootKey, containerId), EPOCH_ZERO_INFO, KEY_LENGTH);
}

/**
 * The one-way step E_{e+1} = HKDF-Expand(E_e, "H4MK-LC1 epoch step", 32).
 *
 * @example
 * ```ts
 * import { nextEpochKey } from "./key_schedule.ts";
 * import assert from "node:assert/strict";
 * assert(nextEpochKey(new Uint8Array(32)).length === 32);
 * ```
 */
export function nextEpochKey(epochKey: Uint8Array): Uint8Array {
  // HKDF-Expand of one block is HMAC(PRK, info || 0x01); written out to skip expand's loop.
  return hmac(sha256, epochKey, STEP_WITH_COUNTER);
}
const STEP_WITH_COUNTER = new Uint8Array([...STEP_INFO, 1]);

/**
 * K_e = HKDF-Expand(E_e, "H4MK-LC1 block key " || suite name, 32): the AEAD key of epoch e.
 *
 * @example
 * ```ts
 * import { blockKey } from "./key_schedule.ts";
 * import assert from "node:assert/strict";
 * assert(blockKey(new Uint8Array(32), "chacha20-poly1305").length === 32);
 * ```
 */
export function blockKey(epochKey: Uint8Array, suite: string): Uint8Array {
  return expand(sha256, epochKey, ASCII.encode(LABELS.blockKey + suite), KEY_LENGTH);
}

/**
 * The key check value, HKDF-Expand(E_n, "H4MK-LC1 key check", 16), from the closing epoch key.
 *
 * @example
 * ```ts
 * import { keyCheck } from "./key_schedule.ts";
 * import assert from "node:assert/strict";
 * assert(keyCheck(new Uint8Array(32)).length === 16);
 * ```
 */
export function keyCheck(closingKey: Uint8Array): Uint8Array {
  return expand(sha256, closingKey, KEY_CHECK_INFO, KEY_CHECK_LENGTH);
}

/**
 * The seal: HMAC-SHA256(HKDF-Expand(E_n, "H4MK-LC1 seal key", 32),
 * "H4MK-LC1 seal" || LIVC bytes before the seal || root digest).
 *
 * @example
 * ```ts
 * import { computeSeal } from "./key_schedule.ts";
 * import assert from "node:assert/strict";
 * assert(computeSeal(new Uint8Array(32), new Uint8Array(10), new Uint8Array(32)).length === 32);
 * ```
 */
export function computeSeal(
  closingKey: Uint8Array,
  livcHead: Uint8Array,
  root: Uint8Array,
): Uint8Array {
  const sealKey = expand(sha256, closingKey, SEAL_KEY_INFO, KEY_LENGTH);
  const mac = hmac.create(sha256, sealKey).update(SEAL_DOMAIN).update(livcHead).update(root)
    .digest();
  sealKey.fill(0);
  return mac;
}

/**
 * Constant-time equality of two byte strings of public length, for tags, checks and seals.
 *
 * @example
 * ```ts
 * import { timingSafeEqual } from "./key_schedule.ts";
 * import assert from "node:assert/strict";
 * assert(timingSafeEqual(new Uint8Array([1]), new Uint8Array([1])));
 * ```
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

/** Epoch keys from a starting epoch up to the closing epoch, cached for random access. */
export interface EpochChain {
  /** Epoch of the starting key (0 for a root key). */
  readonly first: number;
  /** The closing epoch n = ceil(N / K). */
  readonly last: number;
  /** The key of epoch `e`, `first ≤ e ≤ last`; a fresh copy the caller may wipe. */
  key(e: number): Uint8Array;
  /** Erases every cached key. */
  wipe(): void;
}

/** Most epoch keys an {@linkcode EpochChain} keeps (2 MiB); beyond that it keeps checkpoints. */
export const MAX_CACHED_EPOCHS = 65_536;

/**
 * Walks the chain from `startKey` (epoch `first`) to epoch `last` once, keeping every key, or
 * every s-th key when there are more than {@linkcode MAX_CACHED_EPOCHS}, so that any epoch key
 * afterwards costs at most s − 1 steps.
 *
 * @example
 * ```ts
 * import { createEpochChain, nextEpochKey } from "./key_schedule.ts";
 * import assert from "node:assert/strict";
 * const e0 = new Uint8Array(32);
 * const chain = createEpochChain(0, e0, 3);
 * assert(chain.key(1).join() === nextEpochKey(e0).join());
 * ```
 */
export function createEpochChain(first: number, startKey: Uint8Array, last: number): EpochChain {
  const count = last - first + 1;
  const stride = Math.max(1, Math.ceil(count / MAX_CACHED_EPOCHS));
  const slots = Math.ceil(count / stride);
  const cache = new Uint8Array(slots * KEY_LENGTH);
  let k: Uint8Array = startKey.slice();
  for (let e = first; e <= last; e++) {
    const rel = e - first;
    if (rel % stride === 0) cache.set(k, (rel / stride) * KEY_LENGTH);
    if (e < last) {
      const next = nextEpochKey(k);
      k.fill(0);
      k = next;
    }
  }
  k.fill(0);
  return {
    first,
    last,
    key(e: number): Uint8Array {
      if (!Number.isInteger(e) || e < first || e > last) {
        throw new H4Error(
          "H4_CIPHER_WRONG_EPOCH",
          `epoch ${e} is outside the key's epochs ${first}..${last}`,
          {
            rule: "H4-LC-016",
          },
        );
      }
      const rel = e - first;
      const slot = Math.floor(rel / stride);
      let key: Uint8Array = cache.slice(slot * KEY_LENGTH, (slot + 1) * KEY_LENGTH);
      for (let s = slot * stride; s < rel; s++) {
        const next = nextEpochKey(key);
        key.fill(0);
        key = next;
      }
      return key;
    },
    wipe: () => cache.fill(0),
  };
}
