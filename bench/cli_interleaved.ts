/**
 * Figure 3 of BENCHMARKS.md, interleaved: `h4mk seek` then `h4mk block` (two processes, as a
 * player's helper runs them) against one `ffprobe -read_intervals 1800%+#1 -show_packets` on the
 * MP4 of the same content, alternating round by round so that load from other processes hits
 * both alike (hyperfine runs one command after the other). Reports medians and the median of
 * the per-round ratios. Output of every process goes to /dev/null.
 *
 * Needs: ffmpeg (ffprobe), bench/data/ref-1h-v2.h4mk (deno task bench:reference) and
 * bench/data/ref-1h.mp4 (sh bench/make_mp4.sh).
 * Usage: deno run -A bench/cli_interleaved.ts [--rounds 60]
 *
 * @module
 */
import { machine, median } from "./reference.ts";

const at = Deno.args.indexOf("--rounds");
const rounds = at >= 0 ? Number(Deno.args[at + 1]) : 60;
const h4 = "bench/data/ref-1h-v2.h4mk";
const mp4 = "bench/data/ref-1h.mp4";
const deno = Deno.execPath();

async function time(cmd: string, args: string[]): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).output();
  const ms = performance.now() - t0;
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return ms;
}

const seek = ["run", "-A", "cli.ts", "seek", h4, "--track", "video_main", "--pts-us", "1800000000"];
const block = ["run", "-A", "cli.ts", "block", h4, "--index", "131521", "-o", "-"];
const probe = ["-read_intervals", "1800%+#1", "-show_packets", mp4];

const r = {
  seek: [] as number[],
  block: [] as number[],
  both: [] as number[],
  ffprobe: [] as number[],
};
const ratios: number[] = [];
for (let i = 0; i < rounds + 3; i++) {
  // Alternate which goes first; the first 3 rounds warm the caches and are not counted.
  let s = 0, b = 0, f = 0;
  if (i % 2 === 0) {
    s = await time(deno, seek);
    b = await time(deno, block);
    f = await time("ffprobe", probe);
  } else {
    f = await time("ffprobe", probe);
    s = await time(deno, seek);
    b = await time(deno, block);
  }
  if (i < 3) continue;
  r.seek.push(s);
  r.block.push(b);
  r.both.push(s + b);
  r.ffprobe.push(f);
  ratios.push((s + b) / f);
}
const fmt = (xs: number[]) => `${median(xs).toFixed(1)} ms`;
console.log(`machine: ${await machine()}; ${rounds} rounds, interleaved`);
console.log(`  h4mk seek               ${fmt(r.seek)}`);
console.log(`  h4mk block              ${fmt(r.block)}`);
console.log(`  seek + block (2 procs)  ${fmt(r.both)}`);
console.log(`  ffprobe                 ${fmt(r.ffprobe)}`);
const rm = median(ratios);
const below = ratios.filter((x) => x <= 1).length;
console.log(
  `  (seek + block) / ffprobe: median ${rm.toFixed(3)}, at most 1 in ${below} of ${rounds} rounds`,
);
console.log(`  target seek + block <= ffprobe: ${rm <= 1 ? "met" : "NOT met"}`);
