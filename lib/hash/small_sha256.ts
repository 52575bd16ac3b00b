/**
 * SHA-256 of short messages in plain JavaScript, written into a caller's buffer: for verifying
 * files of many small storage chunks (a v1 file has one CORE chunk per block). Below about
 * 1 KiB a native hash costs more in its per-call overhead (3 to 10 µs for `node:crypto`'s
 * createHash, update and digest in Deno) than this takes to hash the bytes (about 1.4 µs for
 * 225 bytes; measured on the one-hour reference's 263,041 chunks).
 *
 * @module
 */

/**
 * SHA-256's round constants (FIPS 180-4 4.2.2), as signed 32-bit words; the WebAssembly lanes
 * (sha256_lanes_wasm.ts) take theirs from here.
 *
 * @example
 * ```ts
 * import { SHA256_K } from "./small_sha256.ts";
 * import assert from "node:assert/strict";
 * assert(SHA256_K.length === 64 && SHA256_K[0] === 0x428a2f98);
 * ```
 */
export const SHA256_K: Int32Array = new Int32Array([
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
]);
/**
 * SHA-256's initial hash value (FIPS 180-4 5.3.3), as signed 32-bit words.
 *
 * @example
 * ```ts
 * import { SHA256_IV } from "./small_sha256.ts";
 * import assert from "node:assert/strict";
 * assert(SHA256_IV.length === 8 && SHA256_IV[0] === 0x6a09e667);
 * ```
 */
export const SHA256_IV: Int32Array = new Int32Array([
  0x6a09e667,
  0xbb67ae85,
  0x3c6ef372,
  0xa54ff53a,
  0x510e527f,
  0x9b05688c,
  0x1f83d9ab,
  0x5be0cd19,
]);
const W = new Int32Array(64);
const H = new Int32Array(8);
/** The last one or two blocks: the message's tail, the 0x80 byte, zeros and the bit length. */
const TAIL = new Uint8Array(128);

function compress(b: Uint8Array, p: number): void {
  for (let i = 0; i < 16; i++, p += 4) {
    W[i] = (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
  }
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15], w2 = W[i - 2];
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = (s1 + W[i - 7] + s0 + W[i - 16]) | 0;
  }
  let a = H[0], b1 = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + SHA256_K[i] + W[i]) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b1) ^ (a & c) ^ (b1 & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b1;
    b1 = a;
    a = (t1 + t2) | 0;
  }
  H[0] = (H[0] + a) | 0;
  H[1] = (H[1] + b1) | 0;
  H[2] = (H[2] + c) | 0;
  H[3] = (H[3] + d) | 0;
  H[4] = (H[4] + e) | 0;
  H[5] = (H[5] + f) | 0;
  H[6] = (H[6] + g) | 0;
  H[7] = (H[7] + h) | 0;
}

/**
 * Writes a message's length in bits, 64-bit big-endian, as SHA-256 padding ends: into
 * `buf[end - 8..end]`, `end` being the end of the message's last block.
 *
 * @example
 * ```ts
 * import { putBitLength } from "./small_sha256.ts";
 * import assert from "node:assert/strict";
 * const block = new Uint8Array(64);
 * putBitLength(block, 64, 3);
 * assert.deepEqual([...block.subarray(56)], [0, 0, 0, 0, 0, 0, 0, 24]);
 * ```
 */
export function putBitLength(buf: Uint8Array, end: number, length: number): void {
  const bits = length * 8, high = Math.floor(bits / 0x1_0000_0000);
  buf[end - 8] = high >>> 24;
  buf[end - 7] = high >>> 16;
  buf[end - 6] = high >>> 8;
  buf[end - 5] = high;
  buf[end - 4] = bits >>> 24;
  buf[end - 3] = bits >>> 16;
  buf[end - 2] = bits >>> 8;
  buf[end - 1] = bits;
}

/**
 * Writes the SHA-256 of `src[at .. at + length]` to `out[outAt .. outAt + 32]`. Meant for short
 * messages (any length is hashed correctly; past about 1 KiB a native hash is faster).
 *
 * @example
 * ```ts
 * import { sha256Into } from "./small_sha256.ts";
 * import assert from "node:assert/strict";
 * const out = new Uint8Array(32);
 * sha256Into(new TextEncoder().encode("abc"), 0, 3, out, 0);
 * assert(out.toHex().startsWith("ba7816bf"));
 * ```
 */
export function sha256Into(
  src: Uint8Array,
  at: number,
  length: number,
  out: Uint8Array,
  outAt: number,
): void {
  H.set(SHA256_IV);
  const full = length - (length & 63);
  for (let p = 0; p < full; p += 64) compress(src, at + p);
  const rest = length - full;
  TAIL.fill(0);
  TAIL.set(src.subarray(at + full, at + length));
  TAIL[rest] = 0x80;
  const end = rest < 56 ? 64 : 128;
  putBitLength(TAIL, end, length);
  compress(TAIL, 0);
  if (end === 128) compress(TAIL, 64);
  for (let i = 0; i < 8; i++) {
    const v = H[i], o = outAt + 4 * i;
    out[o] = v >>> 24;
    out[o + 1] = v >>> 16;
    out[o + 2] = v >>> 8;
    out[o + 3] = v;
  }
}
