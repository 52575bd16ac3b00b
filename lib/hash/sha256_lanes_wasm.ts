/**
 * The bytes of a small WebAssembly module that hashes four SHA-256 messages at once with SIMD
 * (each i32x4 lane one message), written out by this file at first use so that no opaque binary
 * is checked in and no assembler is needed. sha256_many.ts prepares the blocks and calls it.
 *
 * The module exports its memory as `mem` and `run(rec, groups)`. At `rec` lie `groups` group
 * records, one after the other, each for up to four messages:
 *
 * | bytes        | what                                                                 |
 * | ------------ | -------------------------------------------------------------------- |
 * | 0..4         | M, the most blocks of the four messages                              |
 * | 16..32       | each lane's block count (i32 x 4); a lane with 0 is unused           |
 * | 32..48       | each lane's output address (32 bytes, the digest, big-endian)        |
 * | 48..48+16M   | for each block j < M, the address of each lane's 64-byte block j     |
 *
 * Bytes 0..1024 of memory are the message schedule (64 x v128), 1024..2048 the round constants
 * (each in four lanes, from the module's data). A lane past its own block count
 * keeps its state (a mask from the block counts), so the four messages may differ in length.
 *
 * @module
 */
import { SHA256_IV as IV, SHA256_K as K } from "./small_sha256.ts";
import { type WasmWriter, wasmWriter } from "../format/wasm_writer.ts";

/** The module being written. */
let w: WasmWriter = wasmWriter(0);
const put = (...bytes: number[]) => w.put(...bytes);
const uleb = (n: number) => w.uleb(n);
const sleb = (n: number) => w.sleb(n);

/** The few instructions used (core and SIMD opcodes of the WebAssembly 2.0 binary format). */
const block = () => put(0x02, 0x40);
const loop = () => put(0x03, 0x40);
const end = () => put(0x0b);
const br = (d: number) => put(0x0c, d);
const brIf = (d: number) => put(0x0d, d);
const get = (l: number) => put(0x20, l);
const set = (l: number) => put(0x21, l);
const i32Load = (offset: number) => (put(0x28, 2), uleb(offset));
const i32Store = (offset: number) => (put(0x36, 2), uleb(offset));
const i32Const = (n: number) => (put(0x41), sleb(n));
const i32Eqz = () => put(0x45);
const i32GeS = () => put(0x4e);
const i32Add = () => put(0x6a);
const i32Sub = () => put(0x6b);
const simd = (code: number) => (put(0xfd), uleb(code));
const v128Load = (offset: number) => (simd(0x00), put(4), uleb(offset));
const v128Store = (offset: number) => (simd(0x0b), put(4), uleb(offset));
/** A 32-bit lane's bytes, little-endian. */
const v128Lane = (v: number) => put(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24);
/** Pushes x with the bytes of each 32-bit lane reversed (SHA-256 words are big-endian). */
const bswap = (x: () => void) => {
  x();
  x();
  simd(0x0d);
  put(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
};
const splat = () => simd(0x11);
const extractLane = (l: number) => (simd(0x1b), put(l));
const replaceLane = (l: number) => (simd(0x1c), put(l));
const gtS = () => simd(0x3b);
const xor = () => simd(0x51);
const bitselect = () => simd(0x52);
const add = () => simd(0xae);

/** Pushes x rotated right by n (no vector rotate: two shifts and an or). */
function rotr(x: () => void, n: number): void {
  x();
  i32Const(n);
  simd(0xad); // i32x4.shr_u
  x();
  i32Const(32 - n);
  simd(0xab); // i32x4.shl
  simd(0x50); // v128.or
}

/** Pushes rotr(x, a) ^ rotr(x, b) ^ (x >>> c when `shift`, else rotr(x, c)). */
function sigma(x: () => void, a: number, b: number, n: number, shift: boolean): void {
  rotr(x, a);
  rotr(x, b);
  xor();
  if (shift) {
    x();
    i32Const(n);
    simd(0xad);
  } else rotr(x, n);
  xor();
}

/** Writes the body of `run(rec, groups)` (without its locals). */
function runBody(): void {
  // Parameters 0 rec, 1 groups; i32 locals 2 M, 3 j, 4 p, 5..8 lane addresses, 9 q (a
  // position in the schedule); v128 locals 10..17 state, 18..25 state before the block, 26 block
  // counts, 27 t1.
  const REC = 0, GROUPS = 1, M = 2, J = 3, P = 4, ADDR = 5, Q = 9;
  const S = 10, OLD = 18, NB = 26, T1 = 27;
  /** The v128 at q + offset. */
  const at = (offset: number) => () => (get(Q), v128Load(offset));
  block(), loop();
  // while (groups > 0)
  get(GROUPS), i32Eqz(), brIf(1);
  get(REC), i32Load(0), set(M);
  get(REC), v128Load(16), set(NB);
  for (let i = 0; i < 8; i++) i32Const(IV[i]), splat(), set(S + i);
  i32Const(0), set(J);
  get(REC), i32Const(48), i32Add(), set(P);
  // for (j = 0; j < M; j++): one block of each lane
  block(), loop();
  get(J), get(M), i32GeS(), brIf(1);
  for (let l = 0; l < 4; l++) get(P), i32Load(4 * l), set(ADDR + l);
  // The schedule: words 0..15 from the four blocks, byte-swapped; 16..63 computed.
  for (let t = 0; t < 16; t++) {
    get(ADDR), i32Load(4 * t), splat();
    for (let l = 1; l < 4; l++) get(ADDR + l), i32Load(4 * t), replaceLane(l);
    set(T1), i32Const(0), bswap(() => get(T1)), v128Store(16 * t);
  }
  // for (q = 0; q < 768; q += 16): W[t] at q + 256 from W[t - 16] at q (a loop, not unrolled:
  // a small module is assembled and compiled sooner)
  i32Const(0), set(Q);
  block(), loop();
  get(Q), i32Const(768), i32GeS(), brIf(1);
  get(Q);
  sigma(at(224), 17, 19, 10, true), at(144)(), add();
  sigma(at(16), 7, 18, 3, true), add(), at(0)(), add();
  v128Store(256);
  get(Q), i32Const(16), i32Add(), set(Q);
  br(0), end(), end();
  for (let i = 0; i < 8; i++) get(S + i), set(OLD + i);
  // The rounds, eight per turn of a loop (q = 0, 128, ... 896 into the schedule, and the round
  // constants at 1024 + q): the eight working variables are renamed each round instead of moved
  // (after eight rounds the names are back in place).
  i32Const(0), set(Q);
  block(), loop();
  get(Q), i32Const(1024), i32GeS(), brIf(1);
  for (let t = 0; t < 8; t++) {
    const v = (i: number) => S + ((i - t) % 8 + 8) % 8; // a = v(0) ... h = v(7)
    const a = v(0), b = v(1), cc = v(2), d = v(3), e = v(4), f = v(5), g = v(6), h = v(7);
    // t1 = h + S1(e) + ch(e, f, g) + K[t] + W[t]; ch = bitselect(f, g, e)
    get(h), sigma(() => get(e), 6, 11, 25, false), add();
    get(f), get(g), get(e), bitselect(), add();
    at(1024 + 16 * t)(), add(), at(16 * t)(), add(), set(T1);
    // d += t1 (d becomes the next e)
    get(d), get(T1), add(), set(d);
    // h = t1 + S0(a) + maj(a, b, c) (h becomes the next a); maj = bitselect(c, b, a ^ b)
    get(T1), sigma(() => get(a), 2, 13, 22, false), add();
    get(cc), get(b), get(a), get(b), xor(), bitselect(), add();
    set(h);
  }
  get(Q), i32Const(128), i32Add(), set(Q);
  br(0), end(), end();
  // state = lane in use for block j ? old + state : old
  for (let i = 0; i < 8; i++) {
    get(OLD + i), get(S + i), add(), get(OLD + i);
    get(NB), get(J), splat(), gtS(), bitselect(), set(S + i);
  }
  get(J), i32Const(1), i32Add(), set(J);
  get(P), i32Const(16), i32Add(), set(P);
  br(0), end(), end();
  // The digests, each to its lane's output address.
  for (let i = 0; i < 8; i++) {
    bswap(() => get(S + i)), set(S + i);
    for (let l = 0; l < 4; l++) {
      get(REC), i32Load(32 + 4 * l);
      get(S + i), extractLane(l), i32Store(4 * i);
    }
  }
  get(P), set(REC);
  get(GROUPS), i32Const(1), i32Sub(), set(GROUPS);
  br(0), end(), end();
}

/**
 * The module's bytes (about 20 KB): memory `mem` (exported, `pages` 64 KiB pages to start) and
 * `run(rec, groups)`.
 *
 * @example
 * ```ts
 * import { sha256LanesWasm } from "./sha256_lanes_wasm.ts";
 * import assert from "node:assert/strict";
 * const bytes = sha256LanesWasm(1);
 * assert(bytes[0] === 0 && bytes[1] === 0x61); // "\0asm"
 * // Whether the runtime accepts it (a runtime without SIMD does not).
 * assert(typeof WebAssembly.validate(bytes) === "boolean");
 * ```
 */
export function sha256LanesWasm(pages: number): Uint8Array<ArrayBuffer> {
  const I32 = 0x7f, V128 = 0x7b;
  w = wasmWriter(32 * 1024);
  const { section, name } = w;
  put(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
  section(1, () => put(1, 0x60, 2, I32, I32, 0)); // one type: (i32, i32) -> ()
  section(3, () => put(1, 0)); // one function, of type 0
  section(5, () => (put(1, 0x00), uleb(pages))); // one memory, no maximum
  section(7, () => {
    put(2);
    name("mem"), put(0x02, 0); // memory 0
    name("run"), put(0x00, 0); // function 0
  });
  section(10, () => {
    put(1);
    section(-1, () => {
      put(2, 8, I32, 18, V128); // locals: 8 i32, 18 v128
      runBody();
      end();
    });
  });
  section(11, () => {
    // One active data segment: the round constants at 1024, each in four lanes, little-endian.
    put(1, 0x00), i32Const(1024), end(), uleb(1024);
    for (const k of K) for (let l = 0; l < 4; l++) v128Lane(k);
  });
  const bytes = w.finish();
  w = wasmWriter(0);
  return bytes;
}
