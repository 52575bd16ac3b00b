/**
 * Figure 2 of BENCHMARKS.md: open a file + seek to the keyframe at 1800 s on `video_main` +
 * read that block, in one process. Every run opens the file and the container anew (the OS page
 * cache stays warm: "cold-ish"); the source is wrapped to count reads and bytes read.
 *
 * Usage: deno run -A bench/open_seek.ts [FILE] [--runs N] [--json] [--compare-reader PATH]
 * (default FILE: bench/data/ref-1h-v2.h4mk from bench/make_reference.ts)
 *
 * @module
 */
import { openFileSource } from "../mod.ts";
import { openContainer } from "../lib/seek/container.ts";
import { countingSource, DATA_DIR, machine, median, percentile } from "./reference.ts";

const args = [...Deno.args];
const json = args.includes("--json");
const runsAt = args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 2000;
const compareAt = args.indexOf("--compare-reader");
const file =
  args.find((a, i) =>
    !a.startsWith("--") && args[i - 1] !== "--runs" && args[i - 1] !== "--compare-reader"
  ) ??
    `${DATA_DIR}ref-1h-v2.h4mk`;
const TRACK = "video_main";
const AT_US = 1_800_000_000;

/** One open + seek + readBlock; returns the time and what was read. */
async function once() {
  const t0 = performance.now();
  const src = countingSource(await openFileSource(file));
  const c = await openContainer(src);
  const hit = c.seek(TRACK, AT_US);
  const block = await c.readBlock(hit.core_index);
  const t1 = performance.now();
  // readBlock also fetches the block's index page in the background (for reading on): wait for
  // it, so its work does not fall into the next measurement, and report it apart.
  await c.entry(hit.core_index);
  const t2 = performance.now();
  await c.close();
  return {
    ms: t1 - t0,
    msWithPage: t2 - t0,
    reads: src.reads,
    bytes: src.bytes,
    hit,
    blockBytes: block.length,
  };
}

// The ranges one run reads, for the baselines below.
const ranges: [number, number][] = [];
{
  const f = await openFileSource(file);
  const c = await openContainer({
    size: f.size,
    read: (o, n) => (ranges.push([o, n]), f.read(o, n)),
  });
  await c.readBlock(c.seek(TRACK, AT_US).core_index);
  await new Promise((r) => setTimeout(r, 50)); // let a prefetch finish
  await f.close?.();
}

/** Baseline: the same file open, the same reads, close; no parsing (the I/O floor). */
async function readsOnly(): Promise<number> {
  const t0 = performance.now();
  const f = await openFileSource(file);
  for (const [o, n] of ranges) await f.read(o, n);
  const t1 = performance.now();
  await f.close?.();
  return t1 - t0;
}

/** What synchronous positional reads would cost for the same ranges (for lib/io). */
function readsSync(): number {
  const t0 = performance.now();
  const f = Deno.openSync(file);
  for (const [o, n] of ranges) {
    const buf = new Uint8Array(n);
    f.seekSync(o, Deno.SeekMode.Start);
    for (let got = 0; got < n;) got += f.readSync(buf.subarray(got)) ?? n;
  }
  const t1 = performance.now();
  f.close();
  return t1 - t0;
}

// --compare-reader PATH: the same open + seek + readBlock with the container.ts at PATH (an
// older checkout, say), interleaved with the others, to compare before and after a change.
const compareOpen: typeof openContainer | undefined = compareAt >= 0
  ? (await import(new URL(args[compareAt + 1], `file://${Deno.cwd()}/`).href)).openContainer
  : undefined;
async function compared(): Promise<number> {
  const t0 = performance.now();
  const f = await openFileSource(file);
  const c = await compareOpen!(f);
  const i = c.seek(TRACK, AT_US).core_index;
  await c.readBlock(i);
  const t1 = performance.now();
  await c.entry(i);
  await f.close?.();
  return t1 - t0;
}

const bytes = await Deno.readFile(file);
/** The container work alone: the same open + seek + readBlock over the file in memory. */
async function inMemory(): Promise<number> {
  const t0 = performance.now();
  const c = await openContainer(bytes);
  const i = c.seek(TRACK, AT_US).core_index;
  await c.readBlock(i);
  const t1 = performance.now();
  await c.entry(i);
  return t1 - t0;
}

const warm = Math.min(200, runs);
for (let i = 0; i < warm; i++) {
  await once();
  await readsOnly();
  await inMemory();
}
const times: number[] = [], withPage: number[] = [], floor: number[] = [];
const sync: number[] = [], memory: number[] = [], other: number[] = [];
let last = await once();
// Interleaved, so that load from other processes falls on all of them alike.
for (let i = 0; i < runs; i++) {
  last = await once();
  times.push(last.ms);
  withPage.push(last.msWithPage);
  floor.push(await readsOnly());
  sync.push(readsSync());
  memory.push(await inMemory());
  if (compareOpen) other.push(await compared());
}

const report = {
  machine: await machine(),
  file,
  size: (await Deno.stat(file)).size,
  runs,
  medianMs: +median(times).toFixed(4),
  p90Ms: +percentile(times, 0.9).toFixed(4),
  minMs: +Math.min(...times).toFixed(4),
  medianMsWithIndexPage: +median(withPage).toFixed(4),
  readsOnlyMedianMs: +median(floor).toFixed(4),
  ratioToReadsOnly: +(median(times) / median(floor)).toFixed(2),
  syncReadsMedianMs: +median(sync).toFixed(4),
  inMemoryMedianMs: +median(memory).toFixed(4),
  compareReader: compareOpen ? args[compareAt + 1] : null,
  compareMedianMs: compareOpen ? +median(other).toFixed(4) : null,
  reads: last.reads,
  bytesRead: last.bytes,
  ranges,
  seek: last.hit,
  blockBytes: last.blockBytes,
  targetMet: median(times) < 1 && last.bytes < 100_000,
};
if (json) console.log(JSON.stringify(report, null, 2));
else {
  console.log(`machine: ${report.machine}`);
  console.log(`file: ${file} (${report.size} B), ${runs} runs after ${warm} warm-up runs`);
  console.log(
    `open + seek(${TRACK}, ${AT_US}) + readBlock(${last.hit.core_index}): median ${report.medianMs} ms, p90 ${report.p90Ms} ms, min ${report.minMs} ms`,
  );
  console.log(
    `  until the prefetched index page is in too: median ${report.medianMsWithIndexPage} ms`,
  );
  console.log(
    `  baseline, the same file open + ${ranges.length} reads + close without parsing (lib/io file source): median ${report.readsOnlyMedianMs} ms; ratio ${report.ratioToReadsOnly}`,
  );
  console.log(
    `  the same reads with synchronous Deno.FsFile calls: median ${report.syncReadsMedianMs} ms`,
  );
  console.log(
    `  the container work alone (file already in memory): median ${report.inMemoryMedianMs} ms`,
  );
  console.log(
    `  ${report.reads} reads, ${report.bytesRead} bytes read (block of ${report.blockBytes} B, keyframe at ${last.hit.keyframe_pts_us} us): ${
      ranges.map(([o, n]) => `${n} B at ${o}`).join(", ")
    }`,
  );
  if (compareOpen) {
    console.log(
      `  the same with ${report.compareReader}: median ${report.compareMedianMs} ms (${
        (median(other) / median(times)).toFixed(2)
      } x)`,
    );
  }
  console.log(`  target < 1 ms and < 100 KB: ${report.targetMet ? "met" : "NOT met"}`);
}
