/**
 * SHA-256 for VERI, BHSH, page digests and the root, SPEC.md section 9. Uses the runtime's
 * native `node:crypto` once loaded (native.ts; about 1.7 GB/s in Deno) and `@noble/hashes`
 * otherwise (browsers, quick commands); `sha256Async` uses Web Crypto when `node:crypto` is not
 * loaded. Tests check all give the same bytes.
 *
 * @module
 */
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { native } from "./native.ts";

/** An incremental SHA-256. */
export interface Sha256 {
  /** Adds bytes. */
  update(bytes: Uint8Array): Sha256;
  /** The 32-byte digest; the hash cannot be used after. */
  digest(): Uint8Array;
}

/**
 * Pure-JS incremental SHA-256 (`@noble/hashes`).
 *
 * @example
 * ```ts
 * import { createSha256Portable } from "./sha256.ts";
 * import assert from "node:assert/strict";
 * assert(createSha256Portable().update(new Uint8Array(1)).digest().length === 32);
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
 * An incremental SHA-256, native once loaded (native.ts), else pure JavaScript.
 *
 * @example
 * ```ts
 * import { createSha256 } from "./sha256.ts";
 * import assert from "node:assert/strict";
 * const d = createSha256().update(new Uint8Array([1])).update(new Uint8Array([2])).digest();
 * assert(d.length === 32);
 * ```
 */
export function createSha256(): Sha256 {
  if (!native.createSha256) return createSha256Portable();
  const h = native.createSha256();
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
 * import assert from "node:assert/strict";
 * assert(sha256(new Uint8Array(0)).toHex().startsWith("e3b0c442"));
 * ```
 */
export function sha256(bytes: Uint8Array): Uint8Array {
  return createSha256().update(bytes).digest();
}

type Digest = (algorithm: string, data: Uint8Array) => Promise<ArrayBuffer>;
const subtleDigest: Digest | undefined = (() => {
  const s = (globalThis as { crypto?: { subtle?: { digest?: unknown } } }).crypto?.subtle;
  return typeof s?.digest === "function" ? (s.digest as Digest).bind(s) : undefined;
})();

/**
 * SHA-256 of `bytes`, computed off the calling thread where that is cheaper than here: with Web
 * Crypto where the only synchronous hash is JavaScript (browsers). Where a native hash exists it
 * hashes in place: Deno's Web Crypto costs the calling thread about 0.5 s per GB in copies and
 * dispatch, two thirds of hashing in place (measured). The bytes are taken before it returns,
 * so the caller may reuse them at once. Same digest as {@linkcode sha256}.
 *
 * @example
 * ```ts
 * import { sha256Async } from "./sha256.ts";
 * import assert from "node:assert/strict";
 * assert((await sha256Async(new Uint8Array(0))).toHex().startsWith("e3b0c442"));
 * ```
 */
export function sha256Async(bytes: Uint8Array): Promise<Uint8Array> {
  if (!subtleDigest || native.createSha256) return Promise.resolve(sha256(bytes));
  return subtleDigest("SHA-256", bytes).then((d) => new Uint8Array(d));
}
