/**
 * SHA-256 of many short messages at once: four at a time in the lanes of WebAssembly SIMD
 * (sha256_lanes_wasm.ts, assembled at first use), for verifying files of many small storage
 * chunks (a v1 file has one CORE chunk per block). Where WebAssembly SIMD is missing, or the
 * module does not instantiate, each message is hashed by small_sha256.ts's `sha256Into`, with
 * the same results.
 *
 * @module
 */
import { H4Error } from "../format/errors.ts";
import { putBitLength, sha256Into } from "./small_sha256.ts";
import { sha256LanesWasm } from "./sha256_lanes_wasm.ts";
import { instantiateWasm } from "../format/wasm_writer.ts";

/** Messages longer than this are hashed one at a time (sha256Into), not in lanes. */
const LANE_MAX = 16 * 1024;
/** Most message bytes copied into the module's memory per call of the kernel. */
const BATCH_BYTES = 4 * 1024 * 1024;
/** Bytes 0..2048 of the module's memory are its message schedule and round constants. */
const SCRATCH = 2048;
const PAGE = 65536;

interface Kernel {
  mem: WebAssembly.Memory;
  run: (rec: number, groups: number) => void;
}

/** The instantiated module; `null` when unavailable (then sha256Into is used). */
let kernel: Kernel | null | undefined;

function loadKernel(): Kernel | null {
  return kernel === undefined ? kernel = instantiateWasm<Kernel>(() => sha256LanesWasm(1)) : kernel;
}

/**
 * Whether the WebAssembly SIMD path is in use (false where the runtime lacks it; the results
 * are the same either way).
 *
 * @example
 * ```ts
 * import { sha256ManyUsesSimd } from "./sha256_many.ts";
 * import assert from "node:assert/strict";
 * assert(typeof sha256ManyUsesSimd() === "boolean");
 * ```
 */
export function sha256ManyUsesSimd(): boolean {
  return loadKernel() !== null;
}

/**
 * For tests: use the fallback (`true`) or detect again (`false`).
 *
 * @example
 * ```ts
 * import { _forceFallback, sha256ManyUsesSimd } from "./sha256_many.ts";
 * import assert from "node:assert/strict";
 * _forceFallback(true);
 * assert(!sha256ManyUsesSimd());
 * _forceFallback(false);
 * ```
 */
export function _forceFallback(on: boolean): void {
  kernel = on ? null : undefined;
}

function argError(message: string): H4Error {
  return new H4Error("H4_BAD_ARGUMENT", `sha256Many: ${message}`);
}

// Reused between calls: each message's place in memory, block count, and the batch's order.
let place = new Int32Array(0), nbs = new Int32Array(0), order = new Int32Array(0);
/** Counts for the order by block count (a lane message has at most 258 blocks). */
const counts = new Int32Array(LANE_MAX / 64 + 3);

/**
 * Writes the SHA-256 of each message `i < count`, `src[at[i] .. at[i] + length[i]]`, to
 * `out[32 * i .. 32 * i + 32]`. Fastest for many messages of up to a few KiB (four are hashed
 * together in WebAssembly SIMD lanes). Throws `H4_BAD_ARGUMENT` when a message is out of `src`,
 * `count` is not a count, or `out` is too short.
 *
 * @example
 * ```ts
 * import { sha256Many } from "./sha256_many.ts";
 * import assert from "node:assert/strict";
 * const src = new TextEncoder().encode("abcabcd");
 * const out = new Uint8Array(64);
 * sha256Many(src, [0, 3], [3, 4], 2, out);
 * assert(out.subarray(0, 32).toHex().startsWith("ba7816bf")); // SHA-256("abc")
 * assert(out.subarray(32).toHex().startsWith("88d4266f")); // SHA-256("abcd")
 * ```
 */
export function sha256Many(
  src: Uint8Array,
  at: ArrayLike<number>,
  length: ArrayLike<number>,
  count: number,
  out: Uint8Array,
): void {
  if (!Number.isSafeInteger(count) || count < 0) throw argError(`count is ${count}`);
  if (at.length < count || length.length < count) {
    throw argError(`count is ${count}, offsets ${at.length}, lengths ${length.length}`);
  }
  if (out.length < 32 * count) throw argError(`out is ${out.length} bytes, needs ${32 * count}`);
  const size = src.length;
  for (let i = 0; i < count; i++) {
    const a = at[i], n = length[i];
    // Plain arithmetic (a cold process runs this loop in the interpreter first); NaN fails too.
    if (!(a >= 0 && n >= 0 && a + n <= size) || Math.floor(a) !== a || Math.floor(n) !== n) {
      throw argError(`message ${i} at ${a} of ${n} bytes is outside ${src.length} bytes`);
    }
  }
  const k = loadKernel();
  let i = 0;
  while (i < count) {
    if (!k || length[i] > LANE_MAX) {
      sha256Into(src, at[i], length[i], out, 32 * i);
      i++;
      continue;
    }
    // A batch: messages i..j of up to LANE_MAX bytes, BATCH_BYTES in all, within src[lo, hi).
    let j = i, total = 0, blocks = 0, lo = at[i], hi = lo;
    while (j < count && length[j] <= LANE_MAX && total + length[j] <= BATCH_BYTES) {
      const a = at[j], n = length[j++];
      total += n;
      blocks += (n >> 6) + ((n & 63) < 56 ? 1 : 2);
      if (a < lo) lo = a;
      if (a + n > hi) hi = a + n;
    }
    batch(k, src, at, length, i, j, { total, blocks, lo, hi }, out);
    i = j;
  }
}

/** Hashes messages [i, j) (`total` bytes) in the kernel. */
function batch(
  k: Kernel,
  src: Uint8Array,
  at: ArrayLike<number>,
  length: ArrayLike<number>,
  i: number,
  j: number,
  { total, blocks, lo, hi }: { total: number; blocks: number; lo: number; hi: number },
  out: Uint8Array,
): void {
  const n = j - i;
  // The messages' span in src: copied in one piece when it is not much more than the messages.
  const span = hi - lo <= 2 * total + 4096;
  const groups = Math.ceil(n / 4);
  // Memory: schedule, digests, padded tails, group records, message bytes.
  const outAt = SCRATCH;
  const tailAt = outAt + 32 * n;
  const recAt = tailAt + 128 * n;
  const dataAt = recAt + 48 * groups + 16 * blocks;
  const need = dataAt + (span ? hi - lo : total);
  if (k.mem.buffer.byteLength < need) {
    k.mem.grow(Math.ceil((need - k.mem.buffer.byteLength) / PAGE));
  }
  const mem = new Uint8Array(k.mem.buffer);
  const i32 = new Int32Array(k.mem.buffer);
  if (place.length < n) {
    const cap = Math.max(n, 2 * place.length);
    place = new Int32Array(cap), nbs = new Int32Array(cap), order = new Int32Array(cap);
  }
  // Where each message lies in memory.
  if (span) mem.set(src.subarray(lo, hi), dataAt);
  else {
    let p = dataAt;
    for (let m = 0; m < n; m++) {
      mem.set(src.subarray(at[i + m], at[i + m] + length[i + m]), p);
      place[m] = p;
      p += length[i + m];
    }
  }
  // Each message's last one or two blocks: its tail, 0x80, zeros and its length in bits.
  mem.fill(0, tailAt, tailAt + 128 * n);
  let fewest = Infinity, most = 0;
  for (let m = 0; m < n; m++) {
    if (span) place[m] = dataAt + at[i + m] - lo;
    const len = length[i + m], rest = len & 63, full = len - rest, t = tailAt + 128 * m;
    if (rest > 0) mem.copyWithin(t, place[m] + full, place[m] + len);
    mem[t + rest] = 0x80;
    const nb = full / 64 + (rest < 56 ? 1 : 2);
    nbs[m] = nb;
    fewest = Math.min(fewest, nb);
    most = Math.max(most, nb);
    putBitLength(mem, t + (rest < 56 ? 64 : 128), len);
  }
  // Lanes of a group have about the same block count: messages ordered by it (a counting sort).
  if (fewest === most) { for (let m = 0; m < n; m++) order[m] = m; }
  else {
    counts.fill(0);
    for (let m = 0; m < n; m++) counts[nbs[m] + 1]++;
    for (let b = 1; b < counts.length; b++) counts[b] += counts[b - 1];
    for (let m = 0; m < n; m++) order[counts[nbs[m]]++] = m;
  }
  let r = recAt;
  for (let g = 0; g < n; g += 4) {
    const lanes = Math.min(4, n - g);
    const q = r >> 2;
    let top = 0;
    for (let l = 0; l < 4; l++) {
      const m = l < lanes ? order[g + l] : -1;
      const nb = m < 0 ? 0 : nbs[m];
      top = Math.max(top, nb);
      i32[q + 4 + l] = nb;
      i32[q + 8 + l] = m < 0 ? 0 : outAt + 32 * m;
    }
    i32[q] = top;
    for (let l = 0; l < lanes; l++) {
      const m = order[g + l], nb = nbs[m], base = place[m], t = tailAt + 128 * m;
      const full = length[i + m] >> 6;
      // A lane past its blocks keeps its state: any address in memory does.
      for (let b = 0; b < top; b++) {
        i32[q + 12 + 4 * b + l] = b >= nb ? 0 : b < full ? base + 64 * b : t + 64 * (b - full);
      }
    }
    for (let l = lanes; l < 4; l++) for (let b = 0; b < top; b++) i32[q + 12 + 4 * b + l] = 0;
    r += 48 + 16 * top;
  }
  k.run(recAt, groups);
  out.set(mem.subarray(outAt, outAt + 32 * n), 32 * i);
}
