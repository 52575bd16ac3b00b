/**
 * The least a Deno program verifying a file must do: load `node:crypto` (Deno's Node layer),
 * read the file in 2 MiB windows and hash every byte once. No CRC, no index, no checks: a
 * floor for `h4mk verify` as a process, which bench/verify_throughput.ts `--cli` times beside
 * it (BENCHMARKS.md figure 7).
 *
 * Usage: deno run -A bench/hash_floor.ts FILE
 *
 * @module
 */
const { createHash } = await import("node:crypto");
const file = await Deno.open(Deno.args[0]);
const buf = new Uint8Array(2 << 20);
const hash = createHash("sha256");
for (;;) {
  const n = await file.read(buf);
  if (n === null) break;
  hash.update(buf.subarray(0, n));
}
file.close();
console.log(hash.digest("hex"));
