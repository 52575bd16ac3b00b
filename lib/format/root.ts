/**
 * The root digest, SPEC.md section 9.
 *
 * @module
 */
import { concat, encodeUtf8 } from "./bytes.ts";
import { ROOT_DOMAIN } from "./constants.ts";
import { createSha256, sha256, sha256Async } from "../hash/sha256.ts";

/** Payloads the root covers; null for an absent chunk. */
export interface RootInputs {
  /** TRKS payload. */
  TRKS: Uint8Array | null;
  /** KSEK payload. */
  KSEK: Uint8Array | null;
  /** TDIR payload. */
  TDIR: Uint8Array | null;
  /** META payload. */
  META: Uint8Array | null;
  /** SAFE payload. */
  SAFE: Uint8Array | null;
}

/** The tags whose payloads the root covers, in the root's order (SPEC.md section 9). */
export const ROOTED_TAGS: readonly (keyof RootInputs)[] = ["TRKS", "KSEK", "TDIR", "META", "SAFE"];

const ZERO = new Uint8Array(32);
const DOMAIN = encodeUtf8(ROOT_DOMAIN);

/**
 * Computes the root from the first 32 bytes of the LOCA payload and the covered payloads.
 *
 * @example
 * ```ts
 * import { computeRoot } from "./root.ts";
 * import assert from "node:assert/strict";
 * const r = computeRoot(new Uint8Array(32), { TRKS: null, KSEK: null, TDIR: null, META: null, SAFE: null });
 * assert(r.length === 32);
 * ```
 */
export function computeRoot(locaPrefix: Uint8Array, inputs: RootInputs): Uint8Array {
  const h = createSha256().update(DOMAIN).update(locaPrefix.subarray(0, 32));
  for (const k of ROOTED_TAGS) {
    const p = inputs[k];
    h.update(p ? sha256(p) : ZERO);
  }
  return h.digest();
}

/**
 * {@linkcode computeRoot}, hashing with {@linkcode sha256Async}: native Web Crypto where the
 * runtime's `node:crypto` is not loaded (see lib/hash/native.ts), so a quick reader needs neither.
 *
 * @example
 * ```ts
 * import { computeRoot, computeRootAsync } from "./root.ts";
 * import assert from "node:assert/strict";
 * const inputs = { TRKS: new Uint8Array(3), KSEK: null, TDIR: null, META: null, SAFE: null };
 * const a = computeRoot(new Uint8Array(32), inputs);
 * const b = await computeRootAsync(new Uint8Array(32), inputs);
 * assert(a.toHex() === b.toHex());
 * ```
 */
export async function computeRootAsync(
  locaPrefix: Uint8Array,
  inputs: RootInputs,
): Promise<Uint8Array> {
  // All at once: Web Crypto hashes on other threads, and one wait costs about half a millisecond.
  const digests = await Promise.all(
    ROOTED_TAGS.map((k) => {
      const p = inputs[k];
      return p ? sha256Async(p) : ZERO;
    }),
  );
  return sha256Async(concat([DOMAIN, locaPrefix.subarray(0, 32), ...digests]));
}
