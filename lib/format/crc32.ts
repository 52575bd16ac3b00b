/**
 * CRC-32 (IEEE 802.3, as zlib's `crc32`) for chunk framing, SPEC.md section 3. Uses the
 * runtime's native `node:zlib` crc32 when there is one, a table-driven version otherwise
 * (browsers); both give the same numbers.
 *
 * @module
 */

let TABLE: Uint32Array | undefined;

/**
 * Pure-JS CRC-32, kept for runtimes without `node:zlib` and to check the native one.
 *
 * @example
 * ```ts
 * import { crc32Portable } from "./crc32.ts";
 * console.assert(crc32Portable(new TextEncoder().encode("123456789")) === 0xcbf43926);
 * ```
 */
export function crc32Portable(bytes: Uint8Array, seed = 0): number {
  if (!TABLE) {
    TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      TABLE[n] = c >>> 0;
    }
  }
  let c = (seed ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

type Crc = (bytes: Uint8Array, seed?: number) => number;
let native: Crc | undefined;
try {
  const zlib = await import("node:zlib");
  if (typeof zlib.crc32 === "function") native = zlib.crc32 as Crc;
} catch {
  // not a Node-compatible runtime
}

/**
 * CRC-32 of `bytes`, continuing from `seed` (the CRC of the bytes before).
 *
 * @example
 * ```ts
 * import { crc32 } from "./crc32.ts";
 * console.assert(crc32(new TextEncoder().encode("123456789")) === 0xcbf43926);
 * ```
 */
export function crc32(bytes: Uint8Array, seed = 0): number {
  return native ? native(bytes, seed) >>> 0 : crc32Portable(bytes, seed);
}
