/**
 * A deterministic zlib (RFC 1950) encoder for vectors. `CompressionStream` output may change
 * with the runtime's zlib; committed vectors must regenerate byte for byte on any runtime, so
 * the generator compresses with this small fixed-Huffman encoder (literals plus distance-1
 * runs), which any inflater decodes.
 *
 * @module
 */

class BitWriter {
  out: number[] = [];
  cur = 0;
  n = 0;
  /** Writes `count` bits of `value`, least significant first (deflate's bit order). */
  bits(value: number, count: number): void {
    for (let i = 0; i < count; i++) {
      this.cur |= ((value >>> i) & 1) << this.n;
      if (++this.n === 8) this.flush();
    }
  }
  /** Writes a Huffman code, most significant bit first. */
  code(value: number, count: number): void {
    for (let i = count - 1; i >= 0; i--) this.bits((value >>> i) & 1, 1);
  }
  flush(): void {
    if (this.n > 0) {
      this.out.push(this.cur);
      this.cur = 0;
      this.n = 0;
    }
  }
}

function literal(w: BitWriter, sym: number): void {
  if (sym < 144) w.code(0x30 + sym, 8);
  else if (sym < 256) w.code(0x190 + sym - 144, 9);
  else if (sym < 280) w.code(sym - 256, 7);
  else w.code(0xc0 + sym - 280, 8);
}

const LENGTH_BASE = [
  3,
  4,
  5,
  6,
  7,
  8,
  9,
  10,
  11,
  13,
  15,
  17,
  19,
  23,
  27,
  31,
  35,
  43,
  51,
  59,
  67,
  83,
  99,
  115,
  131,
  163,
  195,
  227,
  258,
];
const LENGTH_EXTRA = [
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  1,
  1,
  1,
  1,
  2,
  2,
  2,
  2,
  3,
  3,
  3,
  3,
  4,
  4,
  4,
  4,
  5,
  5,
  5,
  5,
  0,
];

function match(w: BitWriter, length: number): void {
  let i = LENGTH_BASE.length - 1;
  while (LENGTH_BASE[i] > length) i--;
  literal(w, 257 + i);
  w.bits(length - LENGTH_BASE[i], LENGTH_EXTRA[i]);
  w.code(0, 5); // distance code 0 = distance 1, no extra bits
}

/**
 * Adler-32 of `data`.
 *
 * @example
 * ```ts
 * import { adler32 } from "./zlib.ts";
 * import assert from "node:assert/strict";
 * assert(adler32(new Uint8Array()) === 1);
 * ```
 */
export function adler32(data: Uint8Array): number {
  let a = 1, b = 0;
  for (const x of data) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function trailer(data: Uint8Array): number[] {
  const s = adler32(data);
  return [s >>> 24, (s >>> 16) & 0xff, (s >>> 8) & 0xff, s & 0xff];
}

/**
 * zlib stream of `data`: one final fixed-Huffman block; runs of a repeated byte become
 * distance-1 matches.
 *
 * @example
 * ```ts
 * import { zlibFixed } from "./zlib.ts";
 * import assert from "node:assert/strict";
 * assert(zlibFixed(new Uint8Array(1000)).length < 40);
 * ```
 */
export function zlibFixed(data: Uint8Array): Uint8Array {
  const w = new BitWriter();
  w.bits(1, 1); // BFINAL
  w.bits(1, 2); // BTYPE = 01, fixed Huffman
  for (let i = 0; i < data.length;) {
    let run = 0;
    if (i > 0) {
      while (i + run < data.length && data[i + run] === data[i - 1] && run < 258) run++;
    }
    if (run >= 3) {
      match(w, run);
      i += run;
    } else {
      literal(w, data[i]);
      i++;
    }
  }
  literal(w, 256);
  w.flush();
  return new Uint8Array([0x78, 0x01, ...w.out, ...trailer(data)]);
}

/**
 * zlib stream of `data` in stored (uncompressed) deflate blocks of at most `blockSize` bytes.
 *
 * @example
 * ```ts
 * import { zlibStored } from "./zlib.ts";
 * import assert from "node:assert/strict";
 * assert(zlibStored(new Uint8Array(3)).length === 2 + 5 + 3 + 4);
 * ```
 */
export function zlibStored(data: Uint8Array, blockSize = 65535): Uint8Array {
  const out: number[] = [0x78, 0x01];
  let i = 0;
  do {
    const n = Math.min(blockSize, data.length - i);
    const final = i + n >= data.length ? 1 : 0;
    out.push(final, n & 0xff, n >>> 8, ~n & 0xff, (~n >>> 8) & 0xff);
    for (let k = 0; k < n; k++) out.push(data[i + k]);
    i += n;
  } while (i < data.length);
  out.push(...trailer(data));
  return new Uint8Array(out);
}
