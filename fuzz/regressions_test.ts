/**
 * Regressions for what the robustness tests of issue 9 found, each as the smallest input.
 *
 * @module
 */
import assert from "node:assert/strict";
import { isH4Error } from "../lib/format/errors.ts";
import type { BlockInput } from "../lib/format/types.ts";
import { packContainer, type WriterOptions } from "../lib/format/writer.ts";
import { createSealer } from "../lib/living/mod.ts";
import { openContainer } from "../lib/seek/container.ts";
import { walkChunks } from "../lib/format/chunk.ts";

const BLOCKS: BlockInput[] = Array.from({ length: 6 }, (_, i) => ({
  track_id: i % 2 ? "audio" : "video",
  pts_us: i * 20_000,
  kind: "I",
  keyframe: true,
  payload: new Uint8Array(24).fill(i + 1),
}));

async function rejects(bytes: Uint8Array, code: string, what: string): Promise<void> {
  await assert.rejects(openContainer(bytes), (e) => {
    assert.ok(isH4Error(e), `${what}: ${e}`);
    assert.equal(e.code, code, `${what}: ${e.message}`);
    return true;
  });
}

Deno.test("regression: a v1 file with trak_b64 that lost its LOCA is not read as an original-writer file", async () => {
  // Read as legacy, these returned deflate streams or ciphertext as payloads and verified.
  const variants: [string, WriterOptions][] = [
    ["deflate", { codec: "deflate" }],
    ["encrypted", { sealer: createSealer(new Uint8Array(32).fill(1), { epochBlocks: 2 }) }],
    ["plain", {}],
  ];
  for (const [name, opts] of variants) {
    const bytes = await packContainer(BLOCKS, { profile: "v1", legacyTrak: true, ...opts });
    await rejects(bytes.subarray(0, bytes.length - 172), "H4_BAD_LOCATOR", `${name}, LOCA cut`);
    for (const bit of [0, 1, 2, 3, 4, 5, 6]) {
      const flipped = bytes.slice();
      flipped[bytes.length - 172 + 3] ^= 1 << bit; // "LOCA" -> another printable or bad tag
      const tag = flipped[bytes.length - 169];
      const code = tag >= 0x20 && tag <= 0x7e ? "H4_BAD_LOCATOR" : "H4_BAD_CHUNK";
      await rejects(flipped, code, `${name}, LOCA tag bit ${bit}`);
    }
  }
  // Without trak_b64 the same cut is the same defect (SPEC.md H4-LOC-001, n_trunc_v1_before_loca).
  const plain = await packContainer(BLOCKS, { profile: "v1" });
  await rejects(plain.subarray(0, plain.length - 172), "H4_BAD_LOCATOR", "no trak_b64");
});

Deno.test("regression: a duplicated VERI fails verification as H4_VERI_MISMATCH, not a caught raw error", async () => {
  const bytes = await packContainer(BLOCKS);
  const veri = walkChunks(bytes).find((c) => c.tag === "VERI")!;
  const end = veri.offset + 12 + 32;
  const dup = new Uint8Array([
    ...bytes.subarray(0, end),
    ...bytes.subarray(veri.offset, end),
    ...bytes.subarray(end),
  ]);
  const report = await (await openContainer(dup)).verify();
  const failed = report.checks.filter((k) => !k.ok);
  assert.deepEqual(failed.map((k) => k.code), ["H4_VERI_MISMATCH"], JSON.stringify(failed));
});
