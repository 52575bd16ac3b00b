/**
 * A writer of WebAssembly binary modules, for the two small modules the reader assembles at first
 * use from readable TypeScript instead of checking in a binary: SHA-256 in SIMD lanes
 * (lib/hash/sha256_lanes_wasm.ts) and BIDX page decoding (bidx_wasm.ts). It writes bytes,
 * LEB128 numbers and sections; each module names the instructions it uses.
 *
 * @module
 */

/** A module being written. */
export interface WasmWriter {
  /** Appends bytes. */
  put(...bytes: number[]): void;
  /** Appends an unsigned LEB128 number (below 2^32). */
  uleb(n: number): void;
  /** Appends a signed LEB128 number: a 32-bit integer, or a safe integer with `wide`. */
  sleb(n: number, wide?: boolean): void;
  /** Appends a float64, little-endian (the immediate of f64.const). */
  f64(x: number): void;
  /** Appends a name: its length, then its bytes (ASCII). */
  name(s: string): void;
  /**
   * Appends a section: its id, its length, then what `body` writes (id -1: a function body, sized
   * like a section without an id). The length is written after the body in five bytes (LEB128
   * may be padded so), so that nothing is copied.
   */
  section(id: number, body: () => void): void;
  /** The module's bytes. */
  finish(): Uint8Array<ArrayBuffer>;
}

/**
 * The exports of the module `assemble()` writes, instantiated without imports; null where
 * WebAssembly is missing, refuses the module (a runtime without SIMD), or is not allowed here (a
 * page whose Content-Security-Policy lacks 'wasm-unsafe-eval', a browser's main thread refusing
 * to compile). Callers then do the same work in JavaScript.
 *
 * @example
 * ```ts
 * import { instantiateWasm } from "./wasm_writer.ts";
 * import assert from "node:assert/strict";
 * const header = () => new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
 * assert.deepEqual(Object.keys(instantiateWasm(header)!), []);
 * assert.equal(instantiateWasm(() => new Uint8Array([1, 2, 3])), null);
 * ```
 */
export function instantiateWasm<T>(assemble: () => Uint8Array<ArrayBuffer>): T | null {
  try {
    if (typeof WebAssembly !== "object") return null;
    const bytes = assemble();
    if (!WebAssembly.validate(bytes)) return null;
    return new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as T;
  } catch {
    return null;
  }
}

/**
 * A writer with room for `capacity` bytes (the module must fit: a short writer throws).
 *
 * @example
 * ```ts
 * import { wasmWriter } from "./wasm_writer.ts";
 * import assert from "node:assert/strict";
 * const w = wasmWriter(64);
 * w.put(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
 * assert(WebAssembly.validate(w.finish()));
 * ```
 */
export function wasmWriter(capacity: number): WasmWriter {
  // One buffer: a fresh process is slow at copies.
  const c = new Uint8Array(capacity);
  const f = new DataView(new ArrayBuffer(8));
  let pos = 0;
  const room = (n: number) => {
    if (pos + n > capacity) throw new RangeError(`a module over ${capacity} bytes`);
  };
  const w: WasmWriter = {
    put(...bytes) {
      room(bytes.length);
      for (let i = 0; i < bytes.length; i++) c[pos++] = bytes[i];
    },
    uleb(n) {
      room(5);
      do {
        let b = n & 0x7f;
        n >>>= 7;
        if (n !== 0) b |= 0x80;
        c[pos++] = b;
      } while (n !== 0);
    },
    sleb(n, wide = false) {
      room(10);
      if (!wide) n |= 0;
      for (;;) {
        // Seven bits at a time, by division: a safe integer exceeds the 32 bits of `>>`.
        const b = ((n % 128) + 128) % 128;
        n = (n - b) / 128;
        if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
          c[pos++] = b;
          return;
        }
        c[pos++] = b | 0x80;
      }
    },
    f64(x) {
      room(8);
      f.setFloat64(0, x, true);
      for (let i = 0; i < 8; i++) c[pos++] = f.getUint8(i);
    },
    name(s) {
      w.uleb(s.length);
      room(s.length);
      for (let i = 0; i < s.length; i++) c[pos++] = s.charCodeAt(i);
    },
    section(id, body) {
      if (id >= 0) w.put(id);
      room(5);
      const at = pos;
      pos += 5;
      body();
      const n = pos - at - 5;
      for (let i = 0; i < 4; i++) c[at + i] = ((n >>> (7 * i)) & 0x7f) | 0x80;
      c[at + 4] = n >>> 28;
    },
    finish: () => c.slice(0, pos),
  };
  return w;
}
