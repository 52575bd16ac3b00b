/**
 * `deno bench` view of figure 5 (BENCHMARKS.md), small enough for every `deno task bench`:
 * packing 96 MB of synthetic 1080p-like blocks (past the 64 MiB at which VERI moves to a
 * worker thread) to a null sink, against node:crypto SHA-256 of the same payload bytes, and
 * the one-hour reference content (263,041 small blocks) in both profiles. The multi-GB figures
 * come from bench/pack_throughput.ts.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { writeContainer } from "../mod.ts";
import { loadReferencePackets, nullSink, referenceBlocks, syntheticBlocks } from "./reference.ts";

const totalBytes = 96e6;
const synthetic = [...syntheticBlocks({ totalBytes })];
let reference: Awaited<ReturnType<typeof referenceBlocks>> | undefined;
try {
  reference = referenceBlocks(await loadReferencePackets());
} catch {
  // No reference packet list here: those benches are skipped.
}

Deno.bench({
  name: "node:crypto SHA-256 of 96 MB of payloads",
  group: "pack 96 MB",
  baseline: true,
  fn() {
    const h = createHash("sha256");
    for (const b of synthetic) h.update(b.payload);
    h.digest();
  },
});

Deno.bench({
  name: "pack v2, 96 MB, null sink",
  group: "pack 96 MB",
  async fn() {
    await writeContainer(nullSink(), synthetic);
  },
});

for (const profile of ["v2", "v1"] as const) {
  Deno.bench({
    name: `pack ${profile}, one-hour reference (263,041 blocks, 43.5 MB)`,
    group: "pack the reference",
    baseline: profile === "v2",
    ignore: !reference,
    async fn() {
      await writeContainer(nullSink(), reference!, { profile });
    },
  });
}
