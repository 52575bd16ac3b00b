/**
 * Field encoders for crafting vectors. Every encoder takes a {@linkcode Field}: a number, a
 * bigint (to write values beyond 2^53 − 1 on purpose) or {@linkcode Raw} bytes written verbatim
 * (to write a non-minimal varint, a truncated field, anything a correct writer never would).
 *
 * @module
 */

/** Bytes written as they are, in place of a field's encoding. */
export interface Raw {
  /** The bytes to write. */
  raw: Uint8Array;
}

/** A field value: a number, a bigint, or raw bytes. */
export type Field = number | bigint | Raw;

/**
 * Raw bytes for a field.
 *
 * @example
 * ```ts
 * import { raw, varint } from "./fields.ts";
 * import assert from "node:assert/strict";
 * assert(varint(raw(0x85, 0x00)).length === 2); // non-minimal 5
 * ```
 */
export function raw(...bytes: number[]): Raw {
  return { raw: new Uint8Array(bytes) };
}

function isRaw(v: Field): v is Raw {
  return typeof v === "object";
}

function big(v: number | bigint): bigint {
  if (typeof v === "bigint") return v;
  if (!Number.isSafeInteger(v)) throw new Error(`field value ${v} is not a safe integer`);
  return BigInt(v);
}

function fixed(v: Field, bytes: number): Uint8Array {
  if (isRaw(v)) return v.raw;
  let n = big(v);
  if (n < 0n || n >= 1n << BigInt(8 * bytes)) {
    throw new Error(`field value ${n} does not fit ${bytes} bytes`);
  }
  const out = new Uint8Array(bytes);
  for (let i = bytes - 1; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

/**
 * Big-endian u8.
 *
 * @example
 * ```ts
 * import { u8 } from "./fields.ts";
 * import assert from "node:assert/strict";
 * assert(u8(7)[0] === 7);
 * ```
 */
export function u8(v: Field): Uint8Array {
  return fixed(v, 1);
}

/**
 * Big-endian u16.
 *
 * @example
 * ```ts
 * import { u16 } from "./fields.ts";
 * import assert from "node:assert/strict";
 * assert(u16(258)[1] === 2);
 * ```
 */
export function u16(v: Field): Uint8Array {
  return fixed(v, 2);
}

/**
 * Big-endian u32.
 *
 * @example
 * ```ts
 * import { u32 } from "./fields.ts";
 * import assert from "node:assert/strict";
 * assert(u32(1).length === 4);
 * ```
 */
export function u32(v: Field): Uint8Array {
  return fixed(v, 4);
}

/**
 * Big-endian u64; a bigint may exceed 2^53 − 1 (for vectors of H4-ENC-004).
 *
 * @example
 * ```ts
 * import { u64 } from "./fields.ts";
 * import assert from "node:assert/strict";
 * assert(u64(2n ** 53n)[1] === 0x20);
 * ```
 */
export function u64(v: Field): Uint8Array {
  return fixed(v, 8);
}

/**
 * Minimal unsigned LEB128 (bigint values may exceed 2^53 − 1).
 *
 * @example
 * ```ts
 * import { varint } from "./fields.ts";
 * import assert from "node:assert/strict";
 * assert(varint(300).join() === "172,2");
 * ```
 */
export function varint(v: Field): Uint8Array {
  if (isRaw(v)) return v.raw;
  let n = big(v);
  if (n < 0n) throw new Error(`varint of negative ${n}`);
  const out: number[] = [];
  while (n >= 0x80n) {
    out.push(Number(n & 0x7fn) | 0x80);
    n >>= 7n;
  }
  out.push(Number(n));
  return new Uint8Array(out);
}

/**
 * A varint of `v` padded with `extra` continuation groups of zero: decodes to `v`, but is not
 * minimal (H4-ENC-001).
 *
 * @example
 * ```ts
 * import { varintPadded } from "./fields.ts";
 * import assert from "node:assert/strict";
 * assert(varintPadded(5, 1).raw.join() === "133,0");
 * ```
 */
export function varintPadded(v: number, extra: number): Raw {
  const m = [...varint(v)];
  m[m.length - 1] |= 0x80;
  for (let i = 1; i < extra; i++) m.push(0x80);
  m.push(0x00);
  return { raw: new Uint8Array(m) };
}

/**
 * Zigzag svarint.
 *
 * @example
 * ```ts
 * import { svarint } from "./fields.ts";
 * import assert from "node:assert/strict";
 * assert(svarint(-1)[0] === 1 && svarint(1)[0] === 2);
 * ```
 */
export function svarint(v: Field): Uint8Array {
  if (isRaw(v)) return v.raw;
  const n = big(v);
  return varint(n >= 0n ? 2n * n : -2n * n - 1n);
}

/**
 * Concatenates byte arrays.
 *
 * @example
 * ```ts
 * import { cat } from "./fields.ts";
 * import assert from "node:assert/strict";
 * assert(cat(new Uint8Array([1]), new Uint8Array([2])).length === 2);
 * ```
 */
export function cat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * UTF-8 bytes of a string.
 *
 * @example
 * ```ts
 * import { utf8 } from "./fields.ts";
 * import assert from "node:assert/strict";
 * assert(utf8("é").length === 2);
 * ```
 */
export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/**
 * Lowercase hex of bytes.
 *
 * @example
 * ```ts
 * import { hex } from "./fields.ts";
 * import assert from "node:assert/strict";
 * assert(hex(new Uint8Array([255, 1])) === "ff01");
 * ```
 */
export function hex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}
