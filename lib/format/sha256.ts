/**
 * SHA-256 for VERI, BHSH, page digests and the root, SPEC.md section 9. Uses the runtime's
 * native `node:crypto` where there is one (about 1.7 GB/s in Deno) and `@noble/hashes`
 * otherwise (browsers); tests check both give the same bytes.
 *
 * @module
 */
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";

/** An incremental SHA-256. */
export interface Sha256 {
  /** Adds bytes. */
  update(bytes: Uint8Array): Sha256;
  /** The 32-byte digest; the hash cannot be used after. */
  digest(): Uint8Array;
}

type NodeHash = { update(b: Uint8Array): unknown; digest(): Uint8Array };
let createNative: (() => NodeHash) | undefined;
try {
  const crypto = await import("node:crypto");
  if (typeof crypto.createHash === "function") {
    createNative = () => crypto.createHash("sha256") as unknown as NodeHash;
  }
} catch {
  // not a Node-compatible runtime
}

/**
 * Pure-JS incremental SHA-256 (`@noble/hashes`).
 *
 * @example
 * ```ts
 * import { createSha256Portable } from "./sha256.ts";
 * console.assert(createSha256Portable().update(new Uint8Array(1)).digest().length === 32);
 * ```
 */
export function createSha256Portable(): Sha256 {
  const h = nobleSha256.create();
  const api: Sha256 = {
    update(bytes) {
      h.update(bytes);
      return api;
    },
    digest: () => h.digest(),
  };
  return api;
}

/**
 * An incremental SHA-256, native where the runtime has one.
 *
 * @example
 * ```ts
 * import { createSha256 } from "./sha256.ts";
 * const d = createSha256().update(new Uint8Array([1])).update(new Uint8Array([2])).digest();
 * console.assert(d.length === 32);
 * ```
 */
export function createSha256(): Sha256 {
  if (!createNative) return createSha256Portable();
  const h = createNative();
  const api: Sha256 = {
    update(bytes) {
      h.update(bytes);
      return api;
    },
    digest: () => new Uint8Array(h.digest()),
  };
  return api;
}

/**
 * SHA-256 of `bytes`.
 *
 * @example
 * ```ts
 * import { sha256 } from "./sha256.ts";
 * console.assert(sha256(new Uint8Array(0)).toHex().startsWith("e3b0c442"));
 * ```
 */
export function sha256(bytes: Uint8Array): Uint8Array {
  return createSha256().update(bytes).digest();
}
