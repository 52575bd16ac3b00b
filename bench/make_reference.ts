/**
 * Figure 1 of BENCHMARKS.md: packs the one-hour reference content (263,041 packets, random
 * payloads of the listed sizes) in both profiles to `bench/data/ref-1h-v1.h4mk` and
 * `bench/data/ref-1h-v2.h4mk`, and reports the container overhead: bytes per BIDX record, per
 * KSEK entry, every byte that is not payload as % of payload, and how much of the tail holds
 * LOCA + KSEK + TDIR + TRKS + META.
 *
 * Usage: deno run -A bench/make_reference.ts [--json]   (deno task bench:reference)
 *
 * @module
 */
import { type ByteSink, writeContainer, writeFileAtomic } from "../mod.ts";
import { openContainer } from "../lib/seek/container.ts";
import type { WriteSummary } from "../mod.ts";
import {
  DATA_DIR,
  loadReferencePackets,
  machine,
  mbps,
  referenceBlocks,
  referencePath,
} from "./reference.ts";
import { walkChunks } from "../lib/format/chunk.ts";
import { CHUNK_TYPES, WHOLE_SLOTS } from "../lib/format/chunk_types.ts";

/** Recommended tail probe, SPEC.md section 4. */
const TAIL_PROBE = 64 * 1024;
/**
 * Tables the tail target covers, the required ones an open reads whole: KSEK, TDIR, TRKS, META
 * (SAFE and VERI lie between them when present).
 */
const TAIL_TABLES = WHOLE_SLOTS.filter((s) => CHUNK_TYPES[s].required);

interface ChunkTally {
  count: number;
  bytes: number;
}

/** Every chunk of `bytes` by tag: count and bytes including the 12-byte header. */
function tally(
  bytes: Uint8Array,
): { tags: Record<string, ChunkTally>; at: Record<string, number> } {
  const tags: Record<string, ChunkTally> = {};
  const at: Record<string, number> = {};
  for (const c of walkChunks(bytes)) {
    const t = (tags[c.tag] ??= { count: 0, bytes: 0 });
    t.count++;
    t.bytes += 12 + c.length;
    at[c.tag] ??= c.offset;
  }
  return { tags, at };
}

async function packTo(
  path: string,
  blocks: Parameters<typeof writeContainer>[1],
  profile: "v1" | "v2",
) {
  let summary: WriteSummary | undefined;
  const t0 = performance.now();
  await writeFileAtomic(path, async (sink: ByteSink) => {
    summary = await writeContainer(sink, blocks, { profile });
  }, { force: true });
  return { summary: summary!, seconds: (performance.now() - t0) / 1000 };
}

const json = Deno.args.includes("--json");
const packets = await loadReferencePackets();
const blocks = referenceBlocks(packets);
await Deno.mkdir(DATA_DIR, { recursive: true });
const results = [];
for (const profile of ["v2", "v1"] as const) {
  const path = `${DATA_DIR}ref-1h-${profile}.h4mk`;
  const { summary, seconds } = await packTo(path, blocks, profile);
  const bytes = await Deno.readFile(path);
  const { tags, at } = tally(bytes);
  const c = await openContainer(bytes);
  const seekEntries = c.tracks.reduce((n, t) => n + t.seek_entries, 0);
  const payload = summary.payloadBytes;
  const overhead = bytes.length - payload;
  const storageTag = profile === "v1" ? "CORE" : "SEGM";
  const lowest = Math.min(...TAIL_TABLES.map((t) => at[t]));
  const tailNeeded = bytes.length - lowest;
  const r = {
    profile,
    path,
    fileBytes: bytes.length,
    payloadBytes: payload,
    blocks: summary.blocks,
    storageChunks: summary.chunks,
    packSeconds: +seconds.toFixed(3),
    packMBps: +mbps(bytes.length, seconds).toFixed(1),
    overheadBytes: overhead,
    overheadPct: +(100 * overhead / payload).toFixed(3),
    breakdown: Object.fromEntries(
      Object.entries(tags).map(([tag, t]) => [
        tag,
        {
          count: t.count,
          bytes: tag === storageTag ? 12 * t.count : t.bytes,
          pctOfPayload: +(100 * (tag === storageTag ? 12 * t.count : t.bytes) / payload).toFixed(3),
        },
      ]),
    ),
    bidxBytesPerBlock: +((tags.BIDX.bytes - 12) / summary.blocks).toFixed(3),
    ksekEntries: seekEntries,
    ksekBytesPerEntry: +((tags.KSEK.bytes - 12) / seekEntries).toFixed(3),
    seekEntriesPerTrack: Object.fromEntries(c.tracks.map((t) => [t.track_id, t.seek_entries])),
    metaBytes: tags.META.bytes,
    tailBytesNeeded: tailNeeded,
    tailTargetMet: tailNeeded <= TAIL_PROBE,
    tailMissBy: Math.max(0, tailNeeded - TAIL_PROBE),
  };
  results.push(r);
}
const report = {
  machine: await machine(),
  reference: referencePath(),
  packets: packets.count,
  payloadBytes: packets.payloadBytes,
  results,
};
if (json) console.log(JSON.stringify(report, null, 2));
else {
  console.log(`machine: ${report.machine}`);
  console.log(`reference: ${packets.count} packets, ${packets.payloadBytes} payload bytes`);
  for (const r of results) {
    console.log(`\n${r.profile}: ${r.path}`);
    console.log(
      `  file ${r.fileBytes} B, ${r.blocks} blocks in ${r.storageChunks} storage chunks, packed in ${r.packSeconds} s (${r.packMBps} MB/s)`,
    );
    console.log(`  overhead ${r.overheadBytes} B = ${r.overheadPct} % of payload`);
    for (const [tag, b] of Object.entries(r.breakdown)) {
      console.log(
        `    ${tag.padEnd(5)} x${String(b.count).padEnd(7)} ${
          String(b.bytes).padStart(9)
        } B  ${b.pctOfPayload} %`,
      );
    }
    console.log(
      `  BIDX ${r.bidxBytesPerBlock} B/block, KSEK ${r.ksekBytesPerEntry} B/entry (${r.ksekEntries} entries: ${
        JSON.stringify(r.seekEntriesPerTrack)
      })`,
    );
    console.log(
      `  tail: LOCA+KSEK+TDIR+TRKS+META need the last ${r.tailBytesNeeded} B: ${
        r.tailTargetMet ? "within" : `misses by ${r.tailMissBy} B`
      } 64 KiB`,
    );
  }
}
await Deno.writeTextFile(`${DATA_DIR}reference.json`, JSON.stringify(report, null, 2) + "\n");
