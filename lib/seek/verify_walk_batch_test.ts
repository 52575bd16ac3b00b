import assert from "node:assert/strict";
import { bytesSource } from "../format/byte_source.ts";
import { blk, payload } from "../format/testdata/helpers.ts";
import { fixCrc, flip, walk } from "../format/testdata/forge.ts";
import type { BlockInput } from "../format/types.ts";
import { packContainer } from "../format/writer.ts";
import { _forceFallback } from "../hash/sha256_many.ts";
import { openContainer } from "./container.ts";
import { walkForVerify } from "./verify_walk.ts";

/** Many short blocks (v1: one CORE chunk each, hashed in batches), a few long ones. */
const blocks: BlockInput[] = Array.from(
  { length: 120 },
  (_, i) => blk("v", i * 40_000, "I", i % 5 === 0, payload(i, i % 17 === 0 ? 1500 : 20 + 9 * i)),
);

async function bhshOf(bytes: Uint8Array) {
  const c = await openContainer(bytes);
  return {
    version: c.version,
    bhsh: {
      at: c.locator!.slots.BHSH!.offset + 12,
      count: c.chunkCount,
      perPage: c.directory!.hashesPerPage,
      digests: c.directory!.bhshPageDigests,
    },
  };
}

/** What the walk reports, with and without the SIMD batches. */
async function report(bytes: Uint8Array, tables: Uint8Array, window?: number) {
  const { version, bhsh } = await bhshOf(tables);
  const out = { partial: undefined } as Parameters<typeof walkForVerify>[3];
  let thrown: string | undefined;
  try {
    await walkForVerify(bytesSource(bytes), version, bytes.length, out, 4, bhsh, window);
  } catch (e) {
    thrown = (e as Error).message;
  }
  const w = out.partial!;
  return {
    thrown,
    count: w.storage.count,
    crc: w.crcFailures,
    findings: w.findings.map((f) => f.error?.message ?? f.message),
    bhsh: (w.bhshError as Error | undefined)?.message,
  };
}

Deno.test("walkForVerify: batched chunks report the first that differs from BHSH, as one by one", async () => {
  const bytes = await packContainer(blocks, { profile: "v1", hashesPerPage: 8 });
  const cores = walk(bytes).filter((c) => c.tag === "CORE");
  assert.equal(cores.length, blocks.length);
  // Two chunks changed (CRC fixed), the later first in file order of damage: the earlier one is
  // reported. A third only with its CRC wrong.
  let bad = fixCrc(flip(bytes, cores[70].offset + 13), cores[70].offset);
  bad = fixCrc(flip(bad, cores[33].offset + 20), cores[33].offset);
  bad = flip(bad, cores[90].offset + 30);
  // A cut file: the walk breaks off inside a chunk header; the chunks batched before it are
  // still compared.
  const cut = bad.subarray(0, cores[60].offset + 5);
  for (const [name, file] of [["whole", bytes], ["damaged", bad], ["cut", cut]] as const) {
    _forceFallback(true);
    let want;
    try {
      want = await report(file, bytes);
    } finally {
      _forceFallback(false);
    }
    for (const window of [undefined, 12, 50, 300, 2000, 5000]) {
      assert.deepEqual(await report(file, bytes, window), want, `${name}, window ${window}`);
    }
    if (name === "damaged") {
      assert.equal(want.bhsh, `storage chunk 33 at ${cores[33].offset} differs from BHSH`);
      assert.equal(want.crc, 1);
    }
    if (name === "cut") {
      assert.ok(want.thrown && want.count === 60);
      // BHSH lies past the cut: its read fails when the batch is compared (after the throw).
      assert.match(want.bhsh!, /passes the end/);
    }
  }
});
