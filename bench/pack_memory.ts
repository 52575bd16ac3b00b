/**
 * Figure 6 of BENCHMARKS.md: memory while packing a 10 GB input generated on the fly and
 * written to a null sink (or to /dev/null with --dev-null): resident set size sampled every
 * 64 MB of input, reported at 1, 5 and 10 GB with the peak so far, next to the RSS before
 * packing (input pool loaded) and the size of the in-memory block index, which is the only
 * part that grows with the input (about 34 bytes a block, in arrays that double).
 *
 * Usage: deno run -A bench/pack_memory.ts [--gb 10] [--dev-null] [--json]
 *        [--compare-writer PATH]   (pack with the writer.ts at PATH instead, e.g. an older
 *        checkout: run once with and once without to compare)
 *
 * @module
 */
import { type ByteSink, writeContainer as currentWriter } from "../mod.ts";
import { machine, syntheticBlocks } from "./reference.ts";

const args = Deno.args;
const gbAt = args.indexOf("--gb");
const totalGb = gbAt >= 0 ? Number(args[gbAt + 1]) : 10;
const json = args.includes("--json");
const devNull = args.includes("--dev-null");
const compareAt = args.indexOf("--compare-writer");
const writeContainer: typeof currentWriter = compareAt >= 0
  ? (await import(new URL(args[compareAt + 1], `file://${Deno.cwd()}/`).href)).writeContainer
  : currentWriter;
const marks = [1, 5, 10, 20, 50].filter((g) => g <= totalGb);
if (!marks.includes(totalGb)) marks.push(totalGb);

const MiB = 2 ** 20;
const rss = () => Deno.memoryUsage().rss;
let file: Deno.FsFile | undefined;
let written = 0;
const sink: ByteSink = devNull
  ? {
    async write(b) {
      for (let o = 0; o < b.length;) o += await file!.write(b.subarray(o));
      written += b.length;
    },
  }
  : { write: (b) => void (written += b.length) };
if (devNull) file = await Deno.open("/dev/null", { write: true });

// The input: a generator over a 64 MiB random pool; count what it yields and sample RSS.
let fed = 0, blocks = 0, peak = 0, nextSample = 0, nextMark = 0;
const rows: { gb: number; blocks: number; rssMiB: number; peakMiB: number; indexMiB: number }[] =
  [];
function* input() {
  for (const b of syntheticBlocks({ totalBytes: totalGb * 1e9 })) {
    yield b;
    fed += b.payload.length;
    blocks++;
    // The generator stops at about totalGb: the last mark is taken on the last block.
    if (fed >= nextSample || fed >= totalGb * 1e9 - 1e6) {
      nextSample += 64e6;
      const r = rss();
      if (r > peak) peak = r;
      if (nextMark < marks.length && fed >= marks[nextMark] * 1e9) {
        rows.push({
          gb: marks[nextMark],
          blocks,
          rssMiB: +(r / MiB).toFixed(1),
          peakMiB: +(peak / MiB).toFixed(1),
          // Index columns: 34 bytes a block, capacity doubling (up to twice that).
          indexMiB: +((2 ** Math.ceil(Math.log2(blocks)) * 34) / MiB).toFixed(1),
        });
        nextMark++;
      }
    }
  }
}

// Touch the pool before measuring the starting point.
for (const _ of syntheticBlocks({ totalBytes: 1 })) break;
const before = rss();
const t0 = performance.now();
const summary = await writeContainer(sink, input());
const seconds = (performance.now() - t0) / 1000;
file?.close();
const after = rss();
const report = {
  machine: await machine(),
  sink: devNull ? "/dev/null" : "null sink (counts bytes)",
  writer: compareAt >= 0 ? args[compareAt + 1] : "lib/format/writer.ts",
  inputBytes: fed,
  outputBytes: written,
  blocks: summary.blocks,
  storageChunks: summary.chunks,
  seconds: +seconds.toFixed(1),
  rssBeforeMiB: +(before / MiB).toFixed(1),
  rows,
  rssAfterFinishMiB: +(after / MiB).toFixed(1),
  peakMiB: +(Math.max(peak, after) / MiB).toFixed(1),
};
if (json) console.log(JSON.stringify(report, null, 2));
else {
  console.log(`machine: ${report.machine}`);
  console.log(
    `packed ${
      (fed / 1e9).toFixed(2)
    } GB (${summary.blocks} blocks, ${summary.chunks} chunks) to ${report.sink} in ${report.seconds} s with ${report.writer}`,
  );
  console.log(`RSS before packing (input pool loaded): ${report.rssBeforeMiB} MiB`);
  for (const r of rows) {
    console.log(
      `  at ${r.gb} GB: RSS ${r.rssMiB} MiB, peak so far ${r.peakMiB} MiB, index arrays <= ${r.indexMiB} MiB (${r.blocks} blocks)`,
    );
  }
  console.log(`after finish: RSS ${report.rssAfterFinishMiB} MiB; peak ${report.peakMiB} MiB`);
}
