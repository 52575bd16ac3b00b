/**
 * Figure 7 of BENCHMARKS.md: full verification (`container.verify()`: every CRC, VERI, the
 * root, every index page and BHSH entry, every storage chunk against BHSH, the index against
 * the chunks, seek tables, and every block decoded) from a file, against, in the same run and
 * round by round: `sha256sum FILE` (a process), reading the same file and hashing it once with
 * `node:crypto` SHA-256 in this process, and with `--cli` `h4mk verify FILE` as a process and
 * bench/hash_floor.ts, the least a Deno process verifying the file must do (start, load the Node
 * layer, read and hash every byte once). Times
 * are wall clock and CPU seconds (user + system; `/usr/bin/time` for processes), as other
 * processes share the cores.
 *
 * Files: the one-hour reference in both profiles (deno task bench:reference), and with
 * `--gb N` a synthetic v2 file of N GB packed first to bench/data/synthetic-N.h4mk.
 *
 * Usage: deno run -A bench/verify_throughput.ts [--gb 2] [--rounds 3] [--cli] [--json] [FILE...]
 *
 * @module
 */
import { createHash } from "node:crypto";
import { openFileSource, writeContainer, writeFileAtomic } from "../mod.ts";
import { openContainer } from "../lib/seek/container.ts";
import { cpuSeconds, DATA_DIR, machine, mbps, median, syntheticBlocks } from "./reference.ts";

/** Wall and CPU seconds of a command, from /usr/bin/time. */
async function timed(cmd: string[]): Promise<{ wall: number; cpu: number }> {
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "TIME %e %U %S", ...cmd],
    stdout: "null",
    stderr: "piped",
  }).output();
  const line = new TextDecoder().decode(out.stderr).split("\n").find((l) => l.startsWith("TIME"));
  if (!out.success || !line) throw new Error(`${cmd.join(" ")} failed`);
  const [wall, user, sys] = line.split(" ").slice(1).map(Number);
  return { wall, cpu: user + sys };
}
const cpuNow = () => {
  const c = cpuSeconds();
  return c ? c.main + c.others : NaN;
};

const args = [...Deno.args];
const json = args.includes("--json");
const opt = (name: string): number | undefined => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = Number(args[i + 1]);
  args.splice(i, 2);
  return v;
};
const gb = opt("--gb");
const rounds = opt("--rounds") ?? 3;
const cli = args.includes("--cli");
const files = args.filter((a) => !a.startsWith("--"));
if (files.length === 0) {
  for (const p of ["v2", "v1"]) {
    const f = `${DATA_DIR}ref-1h-${p}.h4mk`;
    try {
      await Deno.stat(f);
      files.push(f);
    } catch { /* not made */ }
  }
}
if (gb) {
  const f = `${DATA_DIR}synthetic-${gb}.h4mk`;
  try {
    await Deno.stat(f);
  } catch {
    await writeFileAtomic(f, async (sink) => {
      await writeContainer(sink, syntheticBlocks({ totalBytes: gb * 1e9 }));
    }, { force: true });
  }
  files.push(f);
}
if (files.length === 0) {
  console.error("no file: run deno task bench:reference first, or pass --gb N");
  Deno.exit(2);
}

/** Reads the whole file in 4 MiB slices through the same kind of source and hashes it. */
async function readAndHash(path: string): Promise<{ wall: number; cpu: number }> {
  const c0 = cpuNow();
  const t0 = performance.now();
  const src = await openFileSource(path);
  const h = createHash("sha256");
  for (let o = 0; o < src.size; o += 4 << 20) {
    h.update(await src.read(o, Math.min(4 << 20, src.size - o)));
  }
  h.digest();
  await src.close?.();
  return { wall: (performance.now() - t0) / 1000, cpu: cpuNow() - c0 };
}

async function verifyFile(path: string): Promise<{ wall: number; cpu: number; ok: boolean }> {
  const c0 = cpuNow();
  const t0 = performance.now();
  const c = await openContainer(await openFileSource(path));
  const report = await c.verify();
  await c.close();
  return { wall: (performance.now() - t0) / 1000, cpu: cpuNow() - c0, ok: report.ok };
}

const CLI = new URL("../cli.ts", import.meta.url).pathname;
const FLOOR = new URL("./hash_floor.ts", import.meta.url).pathname;
const load = () => Deno.loadavg().map((x) => x.toFixed(1)).join(" ");

const results = [];
const loads = [load()];
for (const path of files) {
  const size = (await Deno.stat(path)).size;
  const c = await openContainer(await openFileSource(path));
  const info = { profile: c.profile, blocks: c.blockCount, chunks: c.chunkCount };
  await c.close();
  type T = { wall: number; cpu: number };
  const sum: T[] = [], base: T[] = [], ver: T[] = [], proc: T[] = [], floor: T[] = [];
  let ok = true;
  for (let r = 0; r < rounds; r++) {
    sum.push(await timed(["sha256sum", path]));
    const v = await verifyFile(path);
    ver.push(v);
    ok &&= v.ok;
    base.push(await readAndHash(path));
    if (cli) {
      proc.push(await timed([Deno.execPath(), "run", "-A", CLI, "verify", "-q", path]));
      floor.push(await timed([Deno.execPath(), "run", "-A", FLOOR, path]));
    }
    loads.push(load());
  }
  const med = (xs: T[], k: "wall" | "cpu") => +median(xs.map((x) => x[k])).toFixed(3);
  // Ratios per round (same load), then the median; > 1 means slower than the baseline.
  const ratio = (xs: T[], ys: T[], k: "wall" | "cpu") =>
    +median(xs.map((x, i) => x[k] / ys[i][k])).toFixed(3);
  results.push({
    file: path,
    bytes: size,
    ...info,
    ok,
    sha256sum: { wall: med(sum, "wall"), cpu: med(sum, "cpu") },
    readAndSha256: { wall: med(base, "wall"), cpu: med(base, "cpu") },
    verify: { wall: med(ver, "wall"), cpu: med(ver, "cpu") },
    verifyMBps: +mbps(size, med(ver, "wall")).toFixed(1),
    verifyOverSha256sum: { wall: ratio(ver, sum, "wall"), cpu: ratio(ver, sum, "cpu") },
    readAndSha256OverVerify: { wall: ratio(base, ver, "wall"), cpu: ratio(base, ver, "cpu") },
    ...(cli
      ? {
        cliVerify: { wall: med(proc, "wall"), cpu: med(proc, "cpu") },
        cliOverSha256sum: { wall: ratio(proc, sum, "wall"), cpu: ratio(proc, sum, "cpu") },
        floor: { wall: med(floor, "wall"), cpu: med(floor, "cpu") },
        floorOverSha256sum: { wall: ratio(floor, sum, "wall"), cpu: ratio(floor, sum, "cpu") },
      }
      : {}),
  });
}
const report = { machine: await machine(), rounds, loadAverages: loads, results };
if (json) console.log(JSON.stringify(report, null, 2));
else {
  console.log(`machine: ${report.machine}`);
  console.log(`load average (1, 5, 15 min) before and after each round: ${loads.join(" | ")}`);
  const f = (t: { wall: number; cpu: number }) => `${t.wall} s wall, ${t.cpu} s CPU`;
  for (const r of results) {
    console.log(
      `${r.file}: ${
        (r.bytes / 1e6).toFixed(1)
      } MB, ${r.profile}, ${r.blocks} blocks, ${r.chunks} chunks, ${r.ok ? "ok" : "FAILED"}`,
    );
    console.log(`  sha256sum (process):             ${f(r.sha256sum)}`);
    console.log(`  read + SHA-256 once (in process): ${f(r.readAndSha256)}`);
    console.log(`  verify() (in process):            ${f(r.verify)} = ${r.verifyMBps} MB/s`);
    console.log(
      `  verify / sha256sum: ${r.verifyOverSha256sum.wall} wall, ${r.verifyOverSha256sum.cpu} CPU; read+SHA-256 / verify: ${r.readAndSha256OverVerify.wall} wall, ${r.readAndSha256OverVerify.cpu} CPU (speed ratio)`,
    );
    if (r.cliVerify) {
      console.log(
        `  h4mk verify (process): ${f(r.cliVerify)}; / sha256sum: ${
          r.cliOverSha256sum!.wall
        } wall, ${r.cliOverSha256sum!.cpu} CPU`,
      );
      console.log(
        `  least Deno process (hash_floor.ts): ${f(r.floor!)}; / sha256sum: ${
          r.floorOverSha256sum!.wall
        } wall, ${r.floorOverSha256sum!.cpu} CPU`,
      );
    }
  }
}
