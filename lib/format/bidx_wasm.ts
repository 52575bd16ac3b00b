/**
 * BIDX page decoding (SPEC.md 6.2) in a small WebAssembly module, assembled at first use by this
 * file. Why not JavaScript alone: a fresh process runs its first pages of records unoptimised, and
 * verifying the one-hour reference (263,041 records in 65 pages) spent 30 ms decoding its index
 * the first time and 5.5 ms once V8 had optimised the loop; WebAssembly runs compiled from the
 * first record (BENCHMARKS.md figure 7). The module makes exactly the checks of bidx.ts's
 * `decodeBidxPageFast` and gives the same columns; where it answers no, or where WebAssembly is
 * missing, bidx.ts decodes in JavaScript (and throws the error of the first fault).
 * bidx_wasm_test.ts compares the two on valid, damaged and edge-case pages.
 *
 * The module exports its memory `mem` and
 * `decode(page, length, count, tracks, codecs, overhead, state, out) -> end`: the page's bytes
 * at `page`, each track's default codec id (a byte) at `codecs`, 16 × tracks zero bytes at
 * `state` (each track's last pts and last pts delta, float64), and room for the columns at
 * `out` (`COLUMNS`, each of `count` rows). It answers the offset after the last record read, or
 * -1 where the page is not well formed.
 *
 * @module
 */
import { CHUNK_HEADER_LENGTH, LIMITS } from "./constants.ts";
import type { BidxPageContext } from "./bidx.ts";
import type { IndexColumns } from "./index_columns.ts";
import { instantiateWasm, type WasmWriter, wasmWriter } from "./wasm_writer.ts";

/** Where each column lies in the output, as a multiple of the row count, and its row size. */
const COLUMNS = {
  pts: [0, 8],
  offset: [8, 8],
  stored: [16, 4],
  plain: [20, 4],
  chunk: [24, 4],
  track: [28, 2],
  kind: [30, 1],
  keyframe: [31, 1],
  codec: [32, 1],
  newChunk: [33, 1],
} as const;
/** Output bytes per row. */
const ROW_BYTES = 34;

const I32 = 0x7f, I64 = 0x7e, F64 = 0x7c;

/** Writes the module (about 1 KB). */
function assemble(): Uint8Array<ArrayBuffer> {
  const w: WasmWriter = wasmWriter(4096);
  const { put, uleb } = w;
  // The instructions used (WebAssembly 1.0 binary format).
  const block = () => put(0x02, 0x40);
  const loop = () => put(0x03, 0x40);
  const ifThen = (type = 0x40) => put(0x04, type);
  const orElse = () => put(0x05);
  const end = () => put(0x0b);
  const br = (d: number) => put(0x0c, d);
  const brIf = (d: number) => put(0x0d, d);
  const ret = () => put(0x0f);
  const call = (f: number) => put(0x10, f);
  const get = (l: number) => put(0x20, l);
  const set = (l: number) => put(0x21, l);
  const gget = (g: number) => put(0x23, g);
  const gset = (g: number) => put(0x24, g);
  const load8 = () => put(0x2d, 0, 0);
  const f64Load = () => put(0x2b, 3, 0);
  const f64Store = () => put(0x39, 3, 0);
  const i32Store = () => put(0x36, 2, 0);
  const i32Store16 = () => put(0x3b, 1, 0);
  const i32Store8 = () => put(0x3a, 0, 0);
  const i32 = (n: number) => (put(0x41), w.sleb(n));
  const i64 = (n: number) => (put(0x42), w.sleb(n, true));
  const f64 = (x: number) => (put(0x44), w.f64(x));
  const op = (code: number) => () => put(code);
  const i32Eqz = op(0x45), i32Eq = op(0x46), i32GeU = op(0x4f), i32GtU = op(0x4b);
  const i32LtU = op(0x49), i32Add = op(0x6a), i32And = op(0x71), i32ShrU = op(0x76);
  const i32Shl = op(0x74), i32Mul = op(0x6c), i32Or = op(0x72);
  const i64LtS = op(0x53), i64GtS = op(0x55), i64GeU = op(0x5a), i64Add = op(0x7c);
  const i64Sub = op(0x7d), i64And = op(0x83), i64Or = op(0x84), i64Shl = op(0x86);
  const i64ShrU = op(0x88), i64Eqz = op(0x50);
  const f64Le = op(0x65), f64Abs = op(0x99), f64Neg = op(0x9a), f64Add = op(0xa0);
  const f64Sub = op(0xa1), f64Div = op(0xa3);
  const wrap = op(0xa7), extendU = op(0xad), toF64 = op(0xb9);
  /** Returns -1 from the function when the i32 on the stack is not zero. */
  const failIf = () => (ifThen(), i32(-1), ret(), end());
  /** Pushes 1 when the i64 on the stack (a varint, -1 when bad) is below 0. */
  const bad = () => (i64(0), i64LtS());

  // Globals: 0 the read position, 1 the page's end.
  const POS = 0, END = 1;

  /** Function 0, varint() -> i64: ByteReader.varint's value at POS, or -1 where it throws. */
  const varintBody = () => {
    const X = 0, I = 1, RESULT = 2, SHIFT = 3;
    put(2, 2, I32, 2, I64); // locals: x, i; result, shift
    gget(POS), gget(END), i32GeU(), ifThen(), i64(-1), ret(), end();
    gget(POS), load8(), set(X);
    gget(POS), i32(1), i32Add(), gset(POS);
    get(X), i32(128), i32LtU(), ifThen(), get(X), extendU(), ret(), end();
    get(X), i32(127), i32And(), extendU(), set(RESULT);
    i64(7), set(SHIFT);
    i32(1), set(I);
    loop();
    gget(POS), gget(END), i32GeU(), ifThen(), i64(-1), ret(), end();
    gget(POS), load8(), set(X);
    gget(POS), i32(1), i32Add(), gset(POS);
    get(RESULT), get(X), i32(127), i32And(), extendU(), get(SHIFT), i64Shl(), i64Or(), set(RESULT);
    get(X), i32(128), i32LtU(), ifThen();
    // A last byte of zero (not minimal) and values past 2^53 - 1 are refused, as ByteReader.
    get(X), i32Eqz(), ifThen(), i64(-1), ret(), end();
    get(RESULT), i64(Number.MAX_SAFE_INTEGER), i64GtS(), ifThen(), i64(-1), ret(), end();
    get(RESULT), ret();
    end();
    get(SHIFT), i64(7), i64Add(), set(SHIFT);
    // At most eight bytes.
    get(I), i32(7), i32GeU(), ifThen(), i64(-1), ret(), end();
    get(I), i32(1), i32Add(), set(I);
    br(0);
    end();
    i64(-1);
  };

  /** Function 1, decode(...) -> i32: see the module's documentation. */
  const decodeBody = () => {
    // Parameters.
    const PAGE = 0, LENGTH = 1, COUNT = 2, TRACKS = 3, CODECS = 4, OVERHEAD = 5, STATE = 6;
    const OUT = 7;
    // Locals: i32 8..16, i64 17..21, f64 22..26, i32 27..36 (the columns' addresses), 37..39.
    const I = 8, T = 9, CODEC = 10, C = 11, KIND = 12, NEW = 13, HEAD32 = 14, LAST = 15;
    const DELTA = 16;
    const HEAD = 17, Z = 18, STORED = 19, PLAIN = 20, CHUNK = 21;
    const OFFSET = 22, PREV_END = 23, PTS = 24, ZZ = 25, LP = 26;
    const COL = 27; // COL + k: column k of COLUMNS
    const P = 37, E = 38, X = 39; // the read position and the page's end, kept in locals
    put(4, 9, I32, 5, I64, 5, F64, 13, I32);
    /**
     * Reads a varint into local `l` (i64), returning -1 when it is bad: a byte below 128 here
     * (most of a page's), a longer one by function 0.
     */
    const varint = (l: number) => {
      get(P), get(E), i32LtU(), ifThen(I32), get(P), load8(), orElse(), i32(128), end(), set(X);
      get(X), i32(128), i32LtU(), ifThen();
      get(X), extendU(), set(l);
      get(P), i32(1), i32Add(), set(P);
      orElse();
      get(P), gset(POS), call(0), set(l), gget(POS), set(P);
      get(l), bad(), failIf();
      end();
    };
    const names = Object.keys(COLUMNS) as (keyof typeof COLUMNS)[];
    const col = (name: keyof typeof COLUMNS) => COL + names.indexOf(name);
    // Each column's address: out + at × count.
    names.forEach((name, k) => {
      get(OUT), get(COUNT), i32(COLUMNS[name][0]), i32Mul(), i32Add(), set(COL + k);
    });
    get(PAGE), set(P);
    get(PAGE), get(LENGTH), i32Add(), set(E);
    get(E), gset(END);
    // first_offset and first_chunk; first_chunk + count within the block limit (H4-IDX-002).
    varint(HEAD);
    get(HEAD), toF64(), set(OFFSET);
    varint(CHUNK);
    get(CHUNK), get(COUNT), extendU(), i64Add(), i64(LIMITS.blocks), i64GtS(), failIf();
    f64(0), set(PREV_END);
    i32(0), set(I);
    block(), loop();
    get(I), get(COUNT), i32GeU(), brIf(1);
    // The record's head: track × 32 + has_codec × 16 + kind × 4 + keyframe × 2 + new_chunk.
    varint(HEAD);
    get(HEAD), wrap(), set(HEAD32);
    get(HEAD32), i32(1), i32And(), set(NEW);
    get(HEAD32), i32(2), i32ShrU(), i32(3), i32And(), set(KIND);
    get(HEAD), i64(5), i64ShrU(), get(TRACKS), extendU(), i64GeU(), failIf();
    get(HEAD), i64(5), i64ShrU(), wrap(), set(T);
    get(KIND), i32(3), i32Eq(), failIf();
    get(CODECS), get(T), i32Add(), load8(), set(CODEC);
    get(HEAD32), i32(16), i32And(), ifThen();
    get(P), get(E), i32GeU(), failIf();
    get(P), load8(), set(C);
    get(P), i32(1), i32Add(), set(P);
    get(C), i32(2), i32GtU(), get(C), get(CODEC), i32Eq(), i32Or(), failIf();
    get(C), set(CODEC);
    end();
    // pts = zigzag residual + last pts + last delta, in float64 as JavaScript adds them.
    varint(Z);
    get(Z), i64(1), i64And(), i64Eqz(), ifThen(F64);
    get(Z), toF64(), f64(2), f64Div();
    orElse();
    get(Z), toF64(), f64(1), f64Add(), f64Neg(), f64(2), f64Div();
    end();
    set(ZZ);
    get(STATE), get(T), i32(3), i32Shl(), i32Add(), set(LAST);
    get(LAST), get(TRACKS), i32(3), i32Shl(), i32Add(), set(DELTA);
    get(LAST), f64Load(), set(LP);
    get(ZZ), get(LP), f64Add(), get(DELTA), f64Load(), f64Add(), set(PTS);
    get(PTS), f64Abs(), f64(LIMITS.ptsAbs), f64Le(), i32Eqz(), failIf();
    get(DELTA), get(PTS), get(LP), f64Sub(), f64Store();
    get(LAST), get(PTS), f64Store();
    // stored_length, and plain_length when coded (else stored less the cipher tag).
    varint(STORED);
    get(STORED), i64(LIMITS.blockBytes), i64GtS(), failIf();
    get(CODEC), ifThen();
    varint(PLAIN);
    get(PLAIN), i64(LIMITS.blockBytes), i64GtS(), failIf();
    orElse();
    get(STORED), get(OVERHEAD), i64Sub(), set(PLAIN);
    get(PLAIN), bad(), failIf();
    end();
    // Each block after the first follows the one before, in the same chunk or the next.
    get(I), ifThen();
    get(PREV_END), get(NEW), ifThen(F64), f64(CHUNK_HEADER_LENGTH), orElse(), f64(0), end();
    f64Add(), set(OFFSET);
    get(CHUNK), get(NEW), extendU(), i64Add(), set(CHUNK);
    end();
    /** Pushes the address of row I of column `name`. */
    const row = (name: keyof typeof COLUMNS) => {
      get(col(name)), get(I);
      const size = COLUMNS[name][1];
      if (size > 1) i32(Math.log2(size)), i32Shl();
      i32Add();
    };
    row("pts"), get(PTS), f64Store();
    row("offset"), get(OFFSET), f64Store();
    row("stored"), get(STORED), wrap(), i32Store();
    row("plain"), get(PLAIN), wrap(), i32Store();
    row("chunk"), get(CHUNK), wrap(), i32Store();
    row("track"), get(T), i32Store16();
    row("kind"), get(KIND), i32Store8();
    row("keyframe"), get(HEAD32), i32(1), i32ShrU(), i32(1), i32And(), i32Store8();
    row("codec"), get(CODEC), i32Store8();
    row("newChunk"), get(NEW), i32Store8();
    get(OFFSET), get(STORED), toF64(), f64Add(), set(PREV_END);
    get(I), i32(1), i32Add(), set(I);
    br(0);
    end(), end();
    get(P), get(PAGE), put(0x6b); // i32.sub: bytes read
  };

  put(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
  w.section(1, () => {
    put(2);
    put(0x60, 0, 1, I64); // type 0: () -> i64
    put(0x60, 8, I32, I32, I32, I32, I32, I64, I32, I32, 1, I32); // type 1: decode
  });
  w.section(3, () => put(2, 0, 1)); // function 0 of type 0, function 1 of type 1
  w.section(5, () => (put(1, 0x00), uleb(1))); // one memory of one 64 KiB page, no maximum
  w.section(6, () => {
    put(2);
    put(I32, 1), i32(0), end(); // POS
    put(I32, 1), i32(0), end(); // END
  });
  w.section(7, () => {
    put(2);
    w.name("mem"), put(0x02, 0);
    w.name("decode"), put(0x00, 1);
  });
  w.section(10, () => {
    put(2);
    w.section(-1, () => (varintBody(), end()));
    w.section(-1, () => (decodeBody(), end()));
  });
  return w.finish();
}

/**
 * The module's bytes.
 *
 * @example
 * ```ts
 * import { bidxWasm } from "./bidx_wasm.ts";
 * import assert from "node:assert/strict";
 * assert(WebAssembly.validate(bidxWasm()));
 * ```
 */
export function bidxWasm(): Uint8Array<ArrayBuffer> {
  return assemble();
}

interface Kernel {
  mem: WebAssembly.Memory;
  decode: (
    page: number,
    length: number,
    count: number,
    tracks: number,
    codecs: number,
    overhead: bigint,
    state: number,
    out: number,
  ) => number;
}

/** The instantiated module; null where unavailable (then bidx.ts decodes in JavaScript). */
let kernel: Kernel | null | undefined;

function loadKernel(): Kernel | null {
  return kernel === undefined ? kernel = instantiateWasm<Kernel>(assemble) : kernel;
}

/** Largest module memory used: a larger page is decoded in JavaScript. */
const MEMORY_LIMIT = 64 * 1024 * 1024;
const align8 = (n: number) => Math.ceil(n / 8) * 8;

/**
 * Decodes `page` into `cols` (which have room for `ctx.count` rows) as bidx.ts's fast path
 * does: true when the page is well formed and every byte was read, false when not (`cols` are
 * then unchanged), undefined when the module cannot be used here.
 *
 * @example
 * ```ts
 * import { decodeBidxPageWasm } from "./bidx_wasm.ts";
 * import { encodeBidxPage } from "./bidx.ts";
 * import { allocColumns } from "./index_columns.ts";
 * import assert from "node:assert/strict";
 * const c = allocColumns(1);
 * c.count = 1; c.offset[0] = 20; c.stored[0] = 5; c.plain[0] = 5; c.newChunk[0] = 1;
 * const ctx = { first: 0, count: 1, trackCodecs: [0], overhead: 0 };
 * const out = allocColumns(1);
 * const ok = decodeBidxPageWasm(encodeBidxPage(c, 0, 1, [0]), ctx, out);
 * assert(ok === undefined || (ok && out.stored[0] === 5 && out.offset[0] === 20));
 * ```
 */
export function decodeBidxPageWasm(
  page: Uint8Array,
  ctx: BidxPageContext,
  cols: IndexColumns,
): boolean | undefined {
  const k = loadKernel();
  if (!k) return undefined;
  const tracks = ctx.trackCodecs.length, n = ctx.count;
  // What the module takes as bytes and integers; anything else is JavaScript's to judge.
  if (!Number.isSafeInteger(n) || n < 0 || !Number.isSafeInteger(ctx.overhead)) return undefined;
  for (let t = 0; t < tracks; t++) {
    const c = ctx.trackCodecs[t];
    if (!(Number.isInteger(c) && c >= 0 && c <= 255)) return undefined;
  }
  const codecsAt = 16 * tracks, pageAt = align8(codecsAt + tracks);
  const outAt = align8(pageAt + page.length), size = outAt + ROW_BYTES * n;
  if (size > MEMORY_LIMIT) return undefined;
  if (k.mem.buffer.byteLength < size) {
    try {
      k.mem.grow(Math.ceil((size - k.mem.buffer.byteLength) / 65536));
    } catch {
      return undefined; // no memory to grow into: decoded in JavaScript
    }
  }
  const buf = k.mem.buffer;
  new Float64Array(buf, 0, 2 * tracks).fill(0);
  const mem = new Uint8Array(buf);
  for (let t = 0; t < tracks; t++) mem[codecsAt + t] = ctx.trackCodecs[t];
  mem.set(page, pageAt);
  const read = k.decode(pageAt, page.length, n, tracks, codecsAt, BigInt(ctx.overhead), 0, outAt);
  if (read !== page.length) return false;
  const at = (name: keyof typeof COLUMNS) => outAt + COLUMNS[name][0] * n;
  cols.pts.set(new Float64Array(buf, at("pts"), n));
  cols.offset.set(new Float64Array(buf, at("offset"), n));
  cols.stored.set(new Uint32Array(buf, at("stored"), n));
  cols.plain.set(new Uint32Array(buf, at("plain"), n));
  cols.chunk.set(new Uint32Array(buf, at("chunk"), n));
  cols.track.set(new Uint16Array(buf, at("track"), n));
  cols.kind.set(mem.subarray(at("kind"), at("kind") + n));
  cols.keyframe.set(mem.subarray(at("keyframe"), at("keyframe") + n));
  cols.codec.set(mem.subarray(at("codec"), at("codec") + n));
  cols.newChunk.set(mem.subarray(at("newChunk"), at("newChunk") + n));
  cols.count = n;
  return true;
}
