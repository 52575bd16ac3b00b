/**
 * Two checkouts of this repository side by side: runs `deno run -A cli.ts ARGS...` in each,
 * alternating round by round (so that load from other processes hits both alike), and
 * `sha256sum` of the first `.h4mk` argument in the same rounds; prints the medians and the
 * median of the per-round ratios to `sha256sum`. The other checkout is made with, e.g.,
 * `git worktree add ../before <commit>` (same bench/data paths: give them absolute).
 *
 * Usage: deno run -A bench/cli_ab.ts --before DIR [--rounds 15] -- ARGS...
 * e.g. deno run -A bench/cli_ab.ts --before ../before -- verify -q $PWD/bench/data/ref-1h-v2.h4mk
 *
 * @module
 */
import { median } from "./reference.ts";

const dash = Deno.args.indexOf("--");
const own = dash < 0 ? Deno.args : Deno.args.slice(0, dash);
const args = dash < 0 ? [] : Deno.args.slice(dash + 1);
const opt = (name: string) => {
  const i = own.indexOf(name);
  return i < 0 ? undefined : own[i + 1];
};
const before = opt("--before");
const rounds = Number(opt("--rounds") ?? 15);
if (!before || args.length === 0) {
  console.error("usage: deno run -A bench/cli_ab.ts --before DIR [--rounds 15] -- ARGS...");
  Deno.exit(2);
}
const here = new URL("..", import.meta.url).pathname;
const file = args.find((a) => a.endsWith(".h4mk"));

async function ms(cwd: string, cmd: string, a: string[]): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(cmd, { args: a, cwd, stdout: "null", stderr: "piped" })
    .output();
  const t = performance.now() - t0;
  if (!out.success) {
    throw new Error(`${cwd}: ${a.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return t;
}

const r = { before: [] as number[], now: [] as number[], sha256sum: [] as number[] };
for (let i = 0; i < rounds; i++) {
  r.before.push(await ms(before, Deno.execPath(), ["run", "-A", "cli.ts", ...args]));
  r.now.push(await ms(here, Deno.execPath(), ["run", "-A", "cli.ts", ...args]));
  if (file) r.sha256sum.push(await ms(here, "sha256sum", [file]));
}
const f = (x: number) => x.toFixed(0);
console.log(`h4mk ${args.join(" ")}: ${rounds} rounds, load average ${Deno.loadavg()[0]}`);
console.log(`  before: median ${f(median(r.before))} ms; now: median ${f(median(r.now))} ms`);
if (file) {
  const ratio = (xs: number[]) => median(xs.map((x, i) => x / r.sha256sum[i])).toFixed(2);
  console.log(
    `  sha256sum: median ${f(median(r.sha256sum))} ms; before / sha256sum ${
      ratio(r.before)
    }, now / sha256sum ${ratio(r.now)}`,
  );
}
