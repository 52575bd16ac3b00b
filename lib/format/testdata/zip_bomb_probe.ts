/**
 * Run by deflate_test.ts in a fresh process: builds a zlib stream of `size` zero bytes (a zip
 * bomb of a few hundred KiB), decodes it with a small plain length, and prints the error code
 * and how much the process's peak resident memory (VmHWM) grew while decoding.
 *
 * Usage: deno run -A zip_bomb_probe.ts SIZE PLAIN_LENGTH [--portable] (Deno needs -A to read
 * /proc). With --portable the native primitives are not loaded: DecompressionStream decodes.
 *
 * @module
 */
import { deflateDecode } from "../deflate.ts";
import { loadNative } from "../../hash/native.ts";

if (!Deno.args.includes("--portable")) await loadNative();

const size = Number(Deno.args[0]);
const plain = Number(Deno.args[1]);

const peak = (): number =>
  Number(/VmHWM:\s+(\d+)\s*kB/.exec(Deno.readTextFileSync("/proc/self/status"))![1]) * 1024;

const cs = new CompressionStream("deflate");
const writer = cs.writable.getWriter();
const parts: Uint8Array[] = [];
const reading = (async () => {
  const r = cs.readable.getReader();
  for (;;) {
    const { value, done } = await r.read();
    if (done) break;
    parts.push(value);
  }
})();
const zeros = new Uint8Array(1 << 22);
for (let o = 0; o < size; o += zeros.length) await writer.write(zeros);
await writer.close();
await reading;
const bomb = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
let at = 0;
for (const p of parts) {
  bomb.set(p, at);
  at += p.length;
}

const before = peak();
let code = "resolved";
try {
  await deflateDecode(bomb, plain);
} catch (e) {
  code = (e as { code?: string }).code ?? (e as Error).name;
}
console.log(JSON.stringify({ code, growth: peak() - before, bombBytes: bomb.length }));
