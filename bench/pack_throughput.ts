/**
 * Figure 5 of BENCHMARKS.md: pack throughput against SHA-256 alone over the same bytes, in
 * the same run. Each round hashes the synthetic input with `node:crypto` SHA-256 (the baseline),
 * then packs it (v2) to a null sink and to a file in bench/data (deleted after). Rounds
 * interleave so that load from other processes hits baseline and pack alike. Also reports
 * zlib CRC-32 and `@noble/hashes` SHA-256 over part of the input, and `openssl speed -evp sha256`
 * when openssl is installed.
 *
 * Other load does not hit them alike: the pack hashes on a second thread, which only helps with
 * a free core (with autogroup, as here, Linux shares the CPU between sessions, not threads:
 * under load the second thread mostly takes time from the first). The time the main thread
 * waited for a core is printed beside the CPU times: when it is more than a few percent of the
 * run, the ratio says more about the other processes than about the writer.
 *
 * Usage: deno run -A bench/pack_throughput.ts [--gb 4] [--rounds 3] [--no-file] [--json]
 *        [--compare-writer PATH]   (also packs with the writer.ts at PATH, e.g. an older
 *        checkout, to compare before and after a change in the same run)
 *
 * @module
 */
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { writeContainer, writeFileAtomic } from "../mod.ts";
import {
  cpuSeconds,
  DATA_DIR,
  machine,
  mbps,
  median,
  nullSink,
  syntheticBlocks,
} from "./reference.ts";

function flag(name: string, fallback: number): number {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
}
const json = Deno.args.includes("--json");
const toFile = !Deno.args.includes("--no-file");
const totalBytes = Math.round(flag("--gb", 4) * 1e9);
const rounds = flag("--rounds", 3);

/** Sum of the payload bytes the generator yields for `totalBytes`. */
function inputBytes(): number {
  let n = 0;
  for (const b of syntheticBlocks({ totalBytes })) n += b.payload.length;
  return n;
}

// CPU seconds of the last timed call: on the main thread and on the others (worker, pools);
// `queued`: seconds the main thread was ready to run but waited for a core (other load).
let lastCpu = { main: 0, others: 0, queued: 0 };
function cpuSince(c0: ReturnType<typeof cpuSeconds>, q0: number): void {
  const c1 = cpuSeconds();
  if (c0 && c1) {
    lastCpu = { main: c1.main - c0.main, others: c1.others - c0.others, queued: queued() - q0 };
  }
}
/** Seconds the main thread has waited in the run queue (Linux schedstat; 0 elsewhere). */
function queued(): number {
  try {
    const f = Deno.readTextFileSync(`/proc/self/task/${Deno.pid}/schedstat`).split(" ");
    return Number(f[1]) / 1e9;
  } catch {
    return 0;
  }
}

function timeSync(f: () => void): number {
  const c0 = cpuSeconds();
  const q0 = queued();
  const t0 = performance.now();
  f();
  const s = (performance.now() - t0) / 1000;
  cpuSince(c0, q0);
  return s;
}

async function timeAsync(f: () => Promise<unknown>): Promise<number> {
  const c0 = cpuSeconds();
  const q0 = queued();
  const t0 = performance.now();
  await f();
  const s = (performance.now() - t0) / 1000;
  cpuSince(c0, q0);
  return s;
}

const shaNode = () =>
  timeSync(() => {
    const h = createHash("sha256");
    for (const b of syntheticBlocks({ totalBytes })) h.update(b.payload);
    h.digest();
  });
const crcOnly = () =>
  timeSync(() => {
    let c = 0;
    for (const b of syntheticBlocks({ totalBytes })) c = crc32(b.payload, c);
  });
const packNull = () => timeAsync(() => writeContainer(nullSink(), syntheticBlocks({ totalBytes })));
const compareAt = Deno.args.indexOf("--compare-writer");
const compareWriter: typeof writeContainer | undefined = compareAt >= 0
  ? (await import(new URL(Deno.args[compareAt + 1], `file://${Deno.cwd()}/`).href)).writeContainer
  : undefined;
const packCompare = () =>
  timeAsync(() => compareWriter!(nullSink(), syntheticBlocks({ totalBytes })));
const filePath = `${DATA_DIR}pack-throughput.h4mk`;
const packFile = () =>
  timeAsync(async () => {
    await writeFileAtomic(filePath, async (sink) => {
      await writeContainer(sink, syntheticBlocks({ totalBytes }));
    }, { force: true });
    await Deno.remove(filePath);
  });

/** noble over the first 256 MiB only: it is an order of magnitude slower. */
function nobleRate(): number {
  const limit = 256 * 1024 * 1024;
  let n = 0;
  const s = timeSync(() => {
    const h = nobleSha256.create();
    for (const b of syntheticBlocks({ totalBytes: limit })) {
      h.update(b.payload);
      n += b.payload.length;
    }
    h.digest();
  });
  return mbps(n, s);
}

async function opensslSpeed(): Promise<string | null> {
  try {
    const out = await new Deno.Command("openssl", {
      args: ["speed", "-evp", "sha256", "-seconds", "2"],
      stdout: "piped",
      stderr: "null",
    }).output();
    const line = new TextDecoder().decode(out.stdout).split("\n").find((l) =>
      /^sha256\s/i.test(l.trim())
    );
    if (!line) return null;
    const cols = line.trim().split(/\s+/);
    // Columns: 16, 64, 256, 1024, 8192, 16384 bytes, in 1000s of bytes per second.
    const last = cols[cols.length - 1].replace(/k$/, "");
    return `${(Number(last) / 1000).toFixed(0)} MB/s (16 KiB blocks, one core)`;
  } catch {
    return null;
  }
}

await Deno.mkdir(DATA_DIR, { recursive: true });
const bytes = inputBytes();
// Warm-up: JIT, first-touch of the pool, native hash init.
const warm = Math.min(totalBytes, 256e6);
{
  const h = createHash("sha256");
  for (const b of syntheticBlocks({ totalBytes: warm })) h.update(b.payload);
  await writeContainer(nullSink(), syntheticBlocks({ totalBytes: warm }));
}
const r: Record<string, number[]> = { sha: [], crc: [], packNull: [], packFile: [], compare: [] };
const cpu: Record<string, { main: number; others: number; queued: number }[]> = {
  sha: [],
  packNull: [],
  compare: [],
};
for (let i = 0; i < rounds; i++) {
  r.sha.push(shaNode());
  cpu.sha.push(lastCpu);
  r.crc.push(crcOnly());
  r.packNull.push(await packNull());
  cpu.packNull.push(lastCpu);
  if (compareWriter) {
    r.compare.push(await packCompare());
    cpu.compare.push(lastCpu);
  }
  if (toFile) r.packFile.push(await packFile());
}
// CPU seconds per GB of input, and what they allow on this machine with no other load: a job
// takes at least its busiest thread's CPU time, and at least its total CPU time over the cores.
const cores = navigator.hardwareConcurrency;
const perGb = (k: string) => {
  const main = median(cpu[k].map((c) => c.main)) / (bytes / 1e9);
  const others = median(cpu[k].map((c) => c.others)) / (bytes / 1e9);
  const queued = median(cpu[k].map((c) => c.queued)) / (bytes / 1e9);
  return { main: +main.toFixed(3), others: +others.toFixed(3), queued: +queued.toFixed(3) };
};
const idleRatio = (k: string) => {
  const sha = perGb("sha"), p = perGb(k);
  // The other threads of a pack are one worker (plus short-lived pool threads).
  const floor = Math.max(p.main, p.others, (p.main + p.others) / cores);
  return +((sha.main + sha.others) / floor).toFixed(3);
};
const rate = (k: string) => mbps(bytes, median(r[k]));
// Ratio per round (pack and its own baseline ran back to back), then the median of the ratios.
const ratio = (k: string) => median(r[k].map((s, i) => r.sha[i] / s));
const report = {
  machine: await machine(),
  inputBytes: bytes,
  rounds,
  shaNodeMBps: +rate("sha").toFixed(0),
  crc32MBps: +rate("crc").toFixed(0),
  nobleMBps: +nobleRate().toFixed(0),
  packNullMBps: +rate("packNull").toFixed(0),
  packNullRatio: +ratio("packNull").toFixed(3),
  compareWriter: compareWriter ? Deno.args[compareAt + 1] : null,
  compareMBps: compareWriter ? +rate("compare").toFixed(0) : null,
  compareRatio: compareWriter ? +ratio("compare").toFixed(3) : null,
  packFileMBps: toFile ? +rate("packFile").toFixed(0) : null,
  packFileRatio: toFile ? +ratio("packFile").toFixed(3) : null,
  openssl: await opensslSpeed(),
  cpuSecondsPerGb: Object.fromEntries(
    Object.keys(cpu).filter((k) => cpu[k].length).map((k) => [
      k,
      perGb(k),
    ]),
  ),
  idleRatioPackNull: idleRatio("packNull"),
  idleRatioCompare: compareWriter ? idleRatio("compare") : null,
  seconds: r,
};
if (json) console.log(JSON.stringify(report, null, 2));
else {
  console.log(`machine: ${report.machine}`);
  console.log(`input: ${(bytes / 1e9).toFixed(2)} GB of synthetic payload, ${rounds} rounds`);
  console.log(`  node:crypto SHA-256 alone   ${report.shaNodeMBps} MB/s (baseline)`);
  console.log(`  zlib CRC-32 alone           ${report.crc32MBps} MB/s`);
  console.log(`  @noble/hashes SHA-256       ${report.nobleMBps} MB/s`);
  console.log(
    `  pack v2 -> null sink        ${report.packNullMBps} MB/s = ${report.packNullRatio} x SHA-256`,
  );
  if (compareWriter) {
    console.log(
      `  same, writer ${report.compareWriter}: ${report.compareMBps} MB/s = ${report.compareRatio} x SHA-256`,
    );
  }
  if (toFile) {
    console.log(
      `  pack v2 -> file             ${report.packFileMBps} MB/s = ${report.packFileRatio} x SHA-256`,
    );
  }
  if (report.openssl) console.log(`  openssl speed -evp sha256   ${report.openssl}`);
  for (const [k, c] of Object.entries(report.cpuSecondsPerGb)) {
    console.log(
      `  CPU s/GB ${k.padEnd(9)} main thread ${c.main}, other threads ${c.others}` +
        ` (main thread waited ${c.queued} s/GB for a core: other load)`,
    );
  }
  console.log(
    `  ratio these CPU times allow on ${cores} idle cores: pack ${report.idleRatioPackNull}${
      compareWriter ? `, compared writer ${report.idleRatioCompare}` : ""
    }`,
  );
  console.log(`  target pack >= 0.9 x SHA-256: ${report.packNullRatio >= 0.9 ? "met" : "NOT met"}`);
}
