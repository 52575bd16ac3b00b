/**
 * The fast varint reader of the table decoders' fast paths (BIDX and KSEK pages): it reads what
 * `ByteReader.varint` reads and answers -1 where that would throw, so that a decoder can fall
 * back to its checked path for the error. The position lives in a typed-array slot, which V8
 * reads and writes faster than a module `let` across calls.
 *
 * @module
 */

/** Position of {@linkcode fastVarint}: set `vpos[0]` before the first read. */
export const vpos: Int32Array = new Int32Array(1);

/**
 * The varint at `vpos[0]` as ByteReader.varint reads it, advancing `vpos[0]`; -1 where it throws
 * (truncated, longer than 8 bytes, a final zero byte, or above 2^53 - 1).
 *
 * @example
 * ```ts
 * import { fastVarint, vpos } from "./fast_varint.ts";
 * import assert from "node:assert/strict";
 * vpos[0] = 0;
 * assert.equal(fastVarint(new Uint8Array([0xac, 0x02])), 300);
 * assert.equal(vpos[0], 2);
 * assert.equal(fastVarint(new Uint8Array([0x80])), -1);
 * ```
 */
export function fastVarint(b: Uint8Array): number {
  let p = vpos[0];
  if (p >= b.length) return -1;
  let x = b[p++];
  if (x < 0x80) {
    vpos[0] = p;
    return x;
  }
  let result = x & 0x7f;
  let scale = 128;
  for (let i = 1;; i++) {
    if (p >= b.length) return -1;
    x = b[p++];
    result += (x & 0x7f) * scale;
    if (x < 0x80) {
      if (x === 0 || result > Number.MAX_SAFE_INTEGER) return -1;
      vpos[0] = p;
      return result;
    }
    scale *= 128;
    if (i >= 7) return -1;
  }
}
