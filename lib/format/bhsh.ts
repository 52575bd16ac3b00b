/**
 * BHSH, the storage chunk hashes, SPEC.md section 6.4: 32 bytes per chunk, addressable.
 *
 * @module
 */
import { H4Error } from "./errors.ts";

/**
 * Entry `c` of a BHSH payload (or of a page of it starting at chunk `first`).
 *
 * @example
 * ```ts
 * import { bhshEntry } from "./bhsh.ts";
 * import assert from "node:assert/strict";
 * assert(bhshEntry(new Uint8Array(64), 1).length === 32);
 * ```
 */
export function bhshEntry(payload: Uint8Array, c: number, first = 0): Uint8Array {
  const at = (c - first) * 32;
  if (!Number.isSafeInteger(at) || at < 0 || at + 32 > payload.length) {
    throw new H4Error("H4_BAD_INDEX", `BHSH has no entry ${c}`, {
      chunk: "BHSH",
      rule: "H4-BHS-001",
    });
  }
  return payload.subarray(at, at + 32);
}
