/**
 * Figure 4 of BENCHMARKS.md (`deno bench -A bench/seek_bench.ts`): seek lookups per second
 * on an open container of the one-hour reference, against the bare binary search of the seek
 * table in the same run; and open + seek + read of one block from memory.
 *
 * Uses bench/data/ref-1h-v2.h4mk when it exists (deno task bench:reference), otherwise packs
 * the reference in memory first (a few seconds).
 *
 * @module
 */
import { packContainer } from "../mod.ts";
import { openContainer } from "../lib/seek/container.ts";
import { seekEntry } from "../lib/seek/seek_table.ts";
import { DATA_DIR, loadReferencePackets, referenceBlocks } from "./reference.ts";

async function referenceBytes(): Promise<Uint8Array> {
  try {
    return await Deno.readFile(`${DATA_DIR}ref-1h-v2.h4mk`);
  } catch {
    return await packContainer(referenceBlocks(await loadReferencePackets()));
  }
}

const bytes = await referenceBytes();
const c = await openContainer(bytes);
const table = c.seekTable("video_main");
// Deterministic targets spread over the hour (and a little before and after it).
const targets = new Float64Array(4096);
let x = 0x2545f491;
for (let i = 0; i < targets.length; i++) {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  targets[i] = Math.floor(((x >>> 0) / 2 ** 32) * 3_610_000_000) - 5_000_000;
}
let k = 0;
let sink = 0;

// 1000 lookups per iteration: one lookup alone is below the timer's resolution.
Deno.bench({
  name: "1000 x seekEntry (binary search of the KSEK table)",
  group: "seek lookups, 1000 per iteration",
  baseline: true,
  fn() {
    for (let i = 0; i < 1000; i++) sink += seekEntry(table, targets[k++ & 4095]).entry;
  },
});

Deno.bench({
  name: "1000 x container.seek(video_main, t)",
  group: "seek lookups, 1000 per iteration",
  fn() {
    for (let i = 0; i < 1000; i++) sink += c.seek("video_main", targets[k++ & 4095]).core_index;
  },
});

Deno.bench({
  name: "1000 x container.seek(audio_main, t)",
  group: "seek lookups, 1000 per iteration",
  fn() {
    for (let i = 0; i < 1000; i++) sink += c.seek("audio_main", targets[k++ & 4095]).core_index;
  },
});

Deno.bench({
  name: "openContainer(bytes in memory)",
  group: "open",
  baseline: true,
  async fn() {
    await openContainer(bytes);
  },
});

Deno.bench({
  name: "openContainer + seek(video_main, 1800 s) + readBlock",
  group: "open",
  async fn() {
    const o = await openContainer(bytes);
    sink += (await o.readBlock(o.seek("video_main", 1_800_000_000).core_index)).length;
  },
});

globalThis.addEventListener("unload", () => {
  if (sink === 0.5) console.log(sink); // keeps the results used
});
