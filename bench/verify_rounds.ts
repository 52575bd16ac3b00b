/**
 * Figure 7 of BENCHMARKS.md, round by round: `verify()` of each file, `--rounds` times in one
 * process, in `--runs` fresh processes, so that the first verify of a process (code not yet
 * optimised by V8, buffers not yet touched) is seen apart from the later ones. Prints the
 * median wall and CPU milliseconds of each round over the runs, the median over the rounds of
 * a run (what bench/verify_throughput.ts reports, medianed over the runs), and each file's
 * ratio to the last file given (issue 19: 263,041 small blocks against large blocks).
 * CPU is user + system of the whole process (`process.cpuUsage`, microseconds), so it includes
 * V8's compiler and GC threads.
 *
 * Each file is verified in processes of its own, the files' order alternating from run to run:
 * in one process the file verified first also pays for compiling the code every file shares
 * (the walk, hashing, opening), which made the same two files 1.52 apart in one order and 0.97
 * in the other (BENCHMARKS.md figure 7). `--together` verifies the files one after the other in
 * each process, as this script did before, to show that.
 *
 * Usage: deno run -A bench/verify_rounds.ts [--runs 8] [--rounds 5] [--together] FILE... (e.g.
 * bench/data/ref-1h-v2.h4mk bench/data/synthetic-0.0445.h4mk, the latter made by
 * `deno run -A bench/verify_throughput.ts --gb 0.0445`)
 *
 * @module
 */
import process from "node:process";
import { openFileSource } from "../mod.ts";
import { openContainer } from "../lib/seek/container.ts";
import { median } from "./reference.ts";

const args = [...Deno.args];
const opt = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  args.splice(i, 2);
  return v;
};
const child = args.includes("--child");
const runs = opt("--runs", 8);
const rounds = opt("--rounds", 5);
const files = args.filter((a) => !a.startsWith("--"));
if (files.length === 0) {
  console.error("usage: deno run -A bench/verify_rounds.ts [--runs N] [--rounds N] FILE...");
  Deno.exit(2);
}

/** [wall ms, CPU ms] of each round, per file. */
type Rounds = Record<string, [number, number][]>;

if (child) {
  const out: Rounds = {};
  for (const path of files) {
    out[path] = [];
    for (let r = 0; r < rounds; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const c = await openContainer(await openFileSource(path));
      const report = await c.verify();
      await c.close();
      const c1 = process.cpuUsage(c0);
      if (!report.ok) throw new Error(`${path} does not verify`);
      out[path].push([performance.now() - t0, (c1.user + c1.system) / 1000]);
    }
  }
  console.log(JSON.stringify(out));
} else {
  const self = new URL(import.meta.url).pathname;
  const together = args.includes("--together");
  const all: Rounds[] = [];
  const loads = [Deno.loadavg()[0]];
  const verifyIn = async (paths: string[]): Promise<Rounds> => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", self, "--child", "--rounds", String(rounds), ...paths],
      stderr: "inherit",
    }).output();
    if (!out.success) Deno.exit(1);
    return JSON.parse(new TextDecoder().decode(out.stdout));
  };
  for (let k = 0; k < runs; k++) {
    if (together) all.push(await verifyIn(files));
    else {
      const run: Rounds = {};
      const order = k % 2 === 0 ? files : [...files].reverse();
      for (const path of order) Object.assign(run, await verifyIn([path]));
      all.push(run);
    }
    loads.push(Deno.loadavg()[0]);
  }
  const f = (x: number) => x.toFixed(1);
  console.log(
    `${runs} runs of ${rounds} rounds, ${
      together ? "the files one after the other in each process" : "each file in its own processes"
    }; load average ${loads.map(f).join(" ")}`,
  );
  const summary: Record<string, { wall: number; cpu: number }> = {};
  for (const path of files) {
    const perRound = Array.from({ length: rounds }, (_, r) => [
      median(all.map((o) => o[path][r][0])),
      median(all.map((o) => o[path][r][1])),
    ]);
    summary[path] = {
      wall: median(all.map((o) => median(o[path].map((x) => x[0])))),
      cpu: median(all.map((o) => median(o[path].map((x) => x[1])))),
    };
    console.log(
      `${path}: rounds (wall/CPU ms) ${perRound.map(([w, c]) => `${f(w)}/${f(c)}`).join(" ")}; ` +
        `median of a run's rounds ${f(summary[path].wall)}/${f(summary[path].cpu)}`,
    );
  }
  const last = summary[files[files.length - 1]];
  for (const path of files.slice(0, -1)) {
    const s = summary[path];
    console.log(
      `${path} / ${files[files.length - 1]}: ${(s.wall / last.wall).toFixed(2)} wall, ${
        (s.cpu / last.cpu).toFixed(2)
      } CPU`,
    );
  }
}
