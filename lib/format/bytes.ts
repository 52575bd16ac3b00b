/**
 * Bounds-checked big-endian readers and a growable writer, with the varints of SPEC.md
 * section 1. Every read checks the bytes that remain first, so no length from a file is
 * trusted before it is checked.
 *
 * @module
 */
import { H4Error, type H4ErrorCode } from "./errors.ts";

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * A cursor over bytes. Errors carry `code` (what the caller is parsing decides it) and the
 * chunk tag, and say what was received.
 *
 * @example
 * ```ts
 * import { ByteReader } from "./bytes.ts";
 * import assert from "node:assert/strict";
 * const r = new ByteReader(new Uint8Array([0, 1, 0x96, 0x01]), "H4_BAD_INDEX", "TEST");
 * assert(r.u16() === 1 && r.varint() === 150 && r.remaining === 0);
 * ```
 */
export class ByteReader {
  /** Current position. */
  pos: number;
  readonly #view: DataView;

  /** Reads `bytes`; `code` and `chunk` label errors; `base` is added to reported offsets. */
  constructor(
    readonly bytes: Uint8Array,
    readonly code: H4ErrorCode,
    readonly chunk: string,
    readonly base: number = 0,
  ) {
    this.pos = 0;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Bytes left. */
  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  /** Throws a typed error at the current position. */
  fail(message: string, code: H4ErrorCode = this.code, rule?: string): never {
    throw new H4Error(code, `${this.chunk}: ${message}`, {
      offset: this.base + this.pos,
      chunk: this.chunk,
      rule,
    });
  }

  /** Checks that `n` bytes remain. */
  need(n: number, what: string): void {
    if (n > this.remaining) {
      this.fail(`${what} needs ${n} bytes, ${this.remaining} left`);
    }
  }

  /** Reads a u8. */
  u8(what = "u8"): number {
    this.need(1, what);
    return this.bytes[this.pos++];
  }

  /** Reads a big-endian u16. */
  u16(what = "u16"): number {
    this.need(2, what);
    const v = this.#view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }

  /** Reads a big-endian u32. */
  u32(what = "u32"): number {
    this.need(4, what);
    const v = this.#view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  /** Reads a big-endian u64 that must be at most 2^53 - 1 (H4-ENC-004). */
  u64(what = "u64"): number {
    this.need(8, what);
    const hi = this.#view.getUint32(this.pos);
    const lo = this.#view.getUint32(this.pos + 4);
    if (hi > 0x1fffff) {
      this.fail(
        `${what} exceeds 2^53-1 (high word 0x${hi.toString(16)})`,
        "H4_BAD_VARINT",
        "H4-ENC-004",
      );
    }
    this.pos += 8;
    return hi * 0x1_0000_0000 + lo;
  }

  /** Reads `n` bytes (a view, not a copy). */
  take(n: number, what = "bytes"): Uint8Array {
    this.need(n, what);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Reads a minimal unsigned LEB128 varint of at most 2^53 - 1 (H4-ENC-001). */
  varint(what = "varint"): number {
    let result = 0;
    let scale = 1;
    const start = this.pos;
    for (let i = 0;; i++) {
      if (this.pos >= this.bytes.length) {
        this.pos = start;
        this.fail(`${what} runs past the end`, "H4_BAD_VARINT", "H4-ENC-001");
      }
      const b = this.bytes[this.pos++];
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (b === 0 && i > 0) {
          this.pos = start;
          this.fail(`${what} is not minimal`, "H4_BAD_VARINT", "H4-ENC-001");
        }
        if (result > MAX_SAFE) {
          this.pos = start;
          this.fail(`${what} exceeds 2^53-1`, "H4_BAD_VARINT", "H4-ENC-001");
        }
        return result;
      }
      scale *= 128;
      if (i >= 7) {
        this.pos = start;
        this.fail(`${what} is longer than 8 bytes`, "H4_BAD_VARINT", "H4-ENC-001");
      }
    }
  }

  /** Reads a zigzag svarint (H4-ENC-003). */
  svarint(what = "svarint"): number {
    const z = this.varint(what);
    // z <= 2^53-1, so both branches stay safe integers.
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  /** Throws unless every byte was consumed. */
  end(what = "table"): void {
    if (this.remaining !== 0) this.fail(`${this.remaining} bytes left after the ${what}`);
  }
}

/**
 * A growable byte buffer with the same encodings as {@linkcode ByteReader}.
 *
 * @example
 * ```ts
 * import { ByteWriter } from "./bytes.ts";
 * import assert from "node:assert/strict";
 * const w = new ByteWriter();
 * w.u16(1); w.varint(150); w.svarint(-1);
 * assert(w.finish().length === 5);
 * ```
 */
export class ByteWriter {
  #buf: Uint8Array;
  #view: DataView;
  #len = 0;

  /** Starts with `capacity` bytes of room. */
  constructor(capacity = 256) {
    this.#buf = new Uint8Array(capacity);
    this.#view = new DataView(this.#buf.buffer);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#len;
  }

  #room(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    let cap = this.#buf.length * 2;
    while (cap < this.#len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  /** Writes a u8. */
  u8(v: number): void {
    this.#room(1);
    this.#buf[this.#len++] = v;
  }

  /** Writes a big-endian u16. */
  u16(v: number): void {
    this.#room(2);
    this.#view.setUint16(this.#len, v);
    this.#len += 2;
  }

  /** Writes a big-endian u32. */
  u32(v: number): void {
    this.#room(4);
    this.#view.setUint32(this.#len, v);
    this.#len += 4;
  }

  /** Writes a big-endian u64 from a safe integer. */
  u64(v: number): void {
    this.#room(8);
    this.#view.setUint32(this.#len, Math.floor(v / 0x1_0000_0000));
    this.#view.setUint32(this.#len + 4, v >>> 0);
    this.#len += 8;
  }

  /** Writes bytes. */
  bytes(b: Uint8Array): void {
    this.#room(b.length);
    this.#buf.set(b, this.#len);
    this.#len += b.length;
  }

  /** Writes a minimal unsigned LEB128 varint. */
  varint(v: number): void {
    this.#room(8);
    while (v >= 0x80) {
      this.#buf[this.#len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.#buf[this.#len++] = v;
  }

  /** Writes a zigzag svarint. */
  svarint(v: number): void {
    this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  /** The bytes written (a copy sized exactly). */
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }
}

/**
 * Concatenates byte arrays.
 *
 * @example
 * ```ts
 * import { concat } from "./bytes.ts";
 * import assert from "node:assert/strict";
 * assert(concat([new Uint8Array([1]), new Uint8Array([2])]).length === 2);
 * ```
 */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
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
 * Byte-wise equality.
 *
 * @example
 * ```ts
 * import { equalBytes } from "./bytes.ts";
 * import assert from "node:assert/strict";
 * assert(equalBytes(new Uint8Array([1]), new Uint8Array([1])));
 * ```
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const FATAL_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const UTF8 = new TextEncoder();

/**
 * Strict UTF-8 decoding (H4-ENC-005): invalid input is an `H4_BAD_UTF8` error.
 *
 * @example
 * ```ts
 * import { decodeUtf8 } from "./bytes.ts";
 * import assert from "node:assert/strict";
 * assert(decodeUtf8(new Uint8Array([0x68, 0x69]), "TRKS") === "hi");
 * ```
 */
export function decodeUtf8(bytes: Uint8Array, chunk: string, offset?: number): string {
  try {
    return FATAL_UTF8.decode(bytes);
  } catch {
    throw new H4Error("H4_BAD_UTF8", `${chunk}: invalid UTF-8 in ${bytes.length} bytes`, {
      chunk,
      offset,
      rule: "H4-ENC-005",
    });
  }
}

/**
 * UTF-8 encoding.
 *
 * @example
 * ```ts
 * import { encodeUtf8 } from "./bytes.ts";
 * import assert from "node:assert/strict";
 * assert(encodeUtf8("é").length === 2);
 * ```
 */
export function encodeUtf8(text: string): Uint8Array {
  return UTF8.encode(text);
}

/**
 * Compares strings in code point order (SPEC.md section 1), which JavaScript's `<` does not do
 * for characters outside the BMP.
 *
 * @example
 * ```ts
 * import { compareCodePoints } from "./bytes.ts";
 * import assert from "node:assert/strict";
 * assert(compareCodePoints("\uFFFF", "\u{10000}") < 0);
 * ```
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n;) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca - cb;
    i += ca > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}
