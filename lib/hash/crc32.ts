/**
 * CRC-32 (IEEE 802.3, as zlib's `crc32`) for chunk framing, SPEC.md section 3. Uses the
 * runtime's native `node:zlib` crc32 once loaded (native.ts), a table-driven version otherwise
 * (browsers, quick commands); both give the same numbers.
 *
 * @module
 */
import { native } from "./native.ts";

// Eight tables for slicing-by-8 (eight bytes a step, about four times the one-table speed):
// T[k * 256 + n] is the CRC of byte n followed by k zero bytes.
let T: Int32Array | undefined;

function tables(): Int32Array {
  if (T) return T;
  T = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    T[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++) {
      const prev = T[(k - 1) * 256 + n];
      T[k * 256 + n] = (prev >>> 8) ^ T[prev & 0xff];
    }
  }
  return T;
}

/**
 * Pure-JS CRC-32, for runtimes without `node:zlib` (or before it is loaded, see native.ts)
 * and to check the native one.
 *
 * @example
 * ```ts
 * import { crc32Portable } from "./crc32.ts";
 * import assert from "node:assert/strict";
 * assert(crc32Portable(new TextEncoder().encode("123456789")) === 0xcbf43926);
 * ```
 */
export function crc32Portable(bytes: Uint8Array, seed = 0): number {
  const t = tables();
  let c = ~seed;
  let i = 0;
  const end8 = bytes.length - (bytes.length & 7);
  for (; i < end8; i += 8) {
    c ^= bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    c = t[1792 + (c & 0xff)] ^ t[1536 + ((c >>> 8) & 0xff)] ^ t[1280 + ((c >>> 16) & 0xff)] ^
      t[1024 + (c >>> 24)] ^ t[768 + bytes[i + 4]] ^ t[512 + bytes[i + 5]] ^
      t[256 + bytes[i + 6]] ^ t[bytes[i + 7]];
  }
  for (; i < bytes.length; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * CRC-32 of `bytes`, continuing from `seed` (the CRC of the bytes before).
 *
 * @example
 * ```ts
 * import { crc32 } from "./crc32.ts";
 * import assert from "node:assert/strict";
 * assert(crc32(new TextEncoder().encode("123456789")) === 0xcbf43926);
 * ```
 */
export function crc32(bytes: Uint8Array, seed = 0): number {
  return native.crc32 ? native.crc32(bytes, seed) >>> 0 : crc32Portable(bytes, seed);
}
