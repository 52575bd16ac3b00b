/**
 * The root digest, SPEC.md section 9.
 *
 * @module
 */
import { encodeUtf8 } from "./bytes.ts";
import { ROOT_DOMAIN } from "./constants.ts";
import { createSha256, sha256 } from "./sha256.ts";

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

const ZERO = new Uint8Array(32);
const DOMAIN = encodeUtf8(ROOT_DOMAIN);

/**
 * Computes the root from the first 32 bytes of the LOCA payload and the covered payloads.
 *
 * @example
 * ```ts
 * import { computeRoot } from "./root.ts";
 * const r = computeRoot(new Uint8Array(32), { TRKS: null, KSEK: null, TDIR: null, META: null, SAFE: null });
 * console.assert(r.length === 32);
 * ```
 */
export function computeRoot(locaPrefix: Uint8Array, inputs: RootInputs): Uint8Array {
  const h = createSha256().update(DOMAIN).update(locaPrefix.subarray(0, 32));
  for (const k of ["TRKS", "KSEK", "TDIR", "META", "SAFE"] as const) {
    const p = inputs[k];
    h.update(p ? sha256(p) : ZERO);
  }
  return h.digest();
}
