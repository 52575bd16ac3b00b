/**
 * Figure 7 of BENCHMARKS.md: full verification (`container.verify()`: every CRC, VERI, the
 * root, every index page and BHSH entry, every storage chunk against BHSH, the index against
 * the chunks, seek tables, and every block decoded) from a file, against reading the same file
 * and hashing it once with `node:crypto` SHA-256 in the same run.
 *
 * Files: the one-hour reference in both profiles (deno task bench:reference), and with
 * `--gb N` a synthetic v2 file of N GB packed first to bench/data/synthetic-N.h4mk.
 *
 * Usage: deno run -A bench/verify_throughput.ts [--gb 2] [--rounds 3] [--json] [FILE...]
 *
 * @module
 */
import { createHash } from "node:crypto";
import { openContainer, openFileSource, writeContainer, writeFileAtomic } from "../mod.ts";
import { DATA_DIR, machine, mbps, median, syntheticBlocks } from "./reference.ts";

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
async function readAndHash(path: string): Promise<number> {
  const t0 = performance.now();
  const src = await openFileSource(path);
  const h = createHash("sha256");
  for (let o = 0; o < src.size; o += 4 << 20) {
    h.update(await src.read(o, Math.min(4 << 20, src.size - o)));
  }
  h.digest();
  await src.close?.();
  return (performance.now() - t0) / 1000;
}

async function verifyFile(path: string): Promise<{ seconds: number; ok: boolean }> {
  const t0 = performance.now();
  const c = await openContainer(await openFileSource(path));
  const report = await c.verify();
  await c.close();
  return { seconds: (performance.now() - t0) / 1000, ok: report.ok };
}

const results = [];
for (const path of files) {
  const size = (await Deno.stat(path)).size;
  const c = await openContainer(await openFileSource(path));
  const info = { profile: c.profile, blocks: c.blockCount, chunks: c.chunkCount };
  await c.close();
  const base: number[] = [];
  const ver: number[] = [];
  let ok = true;
  for (let r = 0; r < rounds; r++) {
    base.push(await readAndHash(path));
    const v = await verifyFile(path);
    ver.push(v.seconds);
    ok &&= v.ok;
  }
  results.push({
    file: path,
    bytes: size,
    ...info,
    ok,
    readAndSha256MBps: +mbps(size, median(base)).toFixed(0),
    verifyMBps: +mbps(size, median(ver)).toFixed(1),
    verifySeconds: +median(ver).toFixed(2),
    ratio: +median(ver.map((s, i) => base[i] / s)).toFixed(3),
  });
}
const report = { machine: await machine(), rounds, results };
if (json) console.log(JSON.stringify(report, null, 2));
else {
  console.log(`machine: ${report.machine}`);
  for (const r of results) {
    console.log(
      `${r.file}: ${
        (r.bytes / 1e6).toFixed(1)
      } MB, ${r.profile}, ${r.blocks} blocks, ${r.chunks} chunks`,
    );
    console.log(`  read + SHA-256 once (baseline): ${r.readAndSha256MBps} MB/s`);
    console.log(
      `  verify(): ${r.verifySeconds} s = ${r.verifyMBps} MB/s = ${r.ratio} x baseline, ${
        r.ok ? "ok" : "FAILED"
      }`,
    );
  }
}
