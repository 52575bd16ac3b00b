/**
 * µs per 225-byte message: small_sha256.ts's `sha256Into` (plain JS, one at a time) against
 * sha256_many.ts's `sha256Many` (WebAssembly SIMD, four lanes), in batches of one 2 MiB window
 * of 237-byte chunks (as verify walks a v1 file). "cold" is the first batch of this process
 * (module assembly and compilation included); "warm" the median of the next 20.
 *
 * Run: `deno run -A bench/sha256_many_micro.ts [js|wasm]` (a fresh process per figure).
 *
 * @module
 */
import { sha256Into } from "../lib/hash/small_sha256.ts";
import { sha256Many } from "../lib/hash/sha256_many.ts";

const which = Deno.args[0] ?? "wasm";
const window = new Uint8Array(2 * 1024 * 1024);
for (let i = 0; i < window.length; i++) window[i] = (i * 2654435761) >>> 24;
const n = Math.floor(window.length / 237);
const at = new Float64Array(n), length = new Float64Array(n);
for (let i = 0; i < n; i++) {
  at[i] = 237 * i + 12;
  length[i] = 225;
}
const out = new Uint8Array(32 * n);
const once = () => {
  const t = performance.now();
  if (which === "js") { for (let i = 0; i < n; i++) sha256Into(window, at[i], 225, out, 32 * i); }
  else sha256Many(window, at, length, n, out);
  return ((performance.now() - t) * 1000) / n;
};
const cold = once();
const warm: number[] = [];
for (let r = 0; r < 20; r++) warm.push(once());
warm.sort((a, b) => a - b);
console.log(
  `${which}: ${n} messages of 225 bytes per batch; cold ${cold.toFixed(3)} µs, warm median ${
    warm[10].toFixed(3)
  } µs per message`,
);
