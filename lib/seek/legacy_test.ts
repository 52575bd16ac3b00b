import assert from "node:assert/strict";
import { concat } from "../format/bytes.ts";
import {
  avBlocks,
  blk,
  buildOriginal,
  chunk,
  fakeOpener,
  flip,
  payload,
  rejectsH4,
  walk,
} from "../format/testdata/helpers.ts";
import { openContainer } from "./container.ts";
import { seekBlocks } from "./testdata/container_blocks.ts";

Deno.test("container: legacy files (SPEC.md section 11)", async () => {
  const blocks = seekBlocks().map((b, i) => ({ ...b, payload: payload(i, 256 * (i % 3)) }));
  for (const rle of [false, true]) {
    const c = await openContainer(
      buildOriginal(blocks, { rle, meta: { title: "x" }, safe: { s: 1 } }),
    );
    assert.equal(c.profile, "legacy");
    assert.equal(c.version, 1);
    assert.equal(c.root, null);
    assert.equal(c.locator, null);
    assert.equal(c.directory, null);
    assert.equal(c.encrypted, false);
    assert.deepEqual(c.safe, { s: 1 });
    assert.equal(await c.storageHash(0), null);
    const codec = rle ? "rle" : "none";
    for (const t of c.tracks) assert.equal(t.codec, codec);
    for (const [i, b] of blocks.entries()) {
      const e = await c.entry(i);
      assert.equal(e.codec, codec);
      assert.equal(e.plain_length, b.payload.length);
      assert.equal(e.chunk, i);
      assert.deepEqual(await c.readBlock(i), b.payload);
      assert.deepEqual(await c.readBlock(i, { verify: true }), b.payload);
    }
    assert.ok((await c.verify()).ok);
  }
});

Deno.test("container: legacy open errors", async () => {
  const blocks = avBlocks(3);
  await rejectsH4(
    openContainer(buildOriginal(blocks, { trak: false })),
    "H4_LEGACY_NO_INDEX",
    "H4-LEG-001",
  );
  await rejectsH4(
    openContainer(buildOriginal(blocks, { meta: { trak_b64: "!!" }, trak: false })),
    "H4_LEGACY_NO_INDEX",
    "H4-LEG-001",
  );
  // trak_b64 listing another number of blocks.
  const other = buildOriginal(blocks.slice(0, 2));
  const otherMeta = JSON.parse(new TextDecoder().decode(chunk(other, "META").payload));
  await rejectsH4(
    openContainer(buildOriginal(blocks, { trak: false, meta: { trak_b64: otherMeta.trak_b64 } })),
    "H4_INDEX_MISMATCH",
    "H4-LEG-001",
  );
  // SEEKM naming a non-keyframe.
  const vid = [blk("v", 0, "I", true), blk("v", 1, "P", false)];
  const bad = buildOriginal(vid, {
    seekm: false,
    meta: { seekm_b64: "AAAAAQABdgAAAAEAAAAAAAAAAQAAAAE=" },
  });
  await rejectsH4(openContainer(bad), "H4_BAD_SEEK_TABLE", "H4-LEG-003");
  // Trailing bytes that cannot hold a chunk header (H4-FMT-012).
  const good = buildOriginal(blocks);
  for (const n of [1, 5, 11]) {
    await rejectsH4(openContainer(concat([good, new Uint8Array(n)])), "H4_TRUNCATED", "H4-FMT-012");
  }
  // A chunk running past the end, a bad tag byte, a META with a bad CRC.
  await rejectsH4(
    openContainer(good.subarray(0, good.length - 1)),
    "H4_CHUNK_OVERRUN",
    "H4-FMT-010",
  );
  const tag = good.slice();
  tag[8] = 0x01;
  await rejectsH4(openContainer(tag), "H4_BAD_CHUNK", "H4-FMT-014");
  const meta = chunk(good, "META");
  await rejectsH4(openContainer(flip(good, meta.offset + 20)), "H4_CRC_MISMATCH", "H4-FMT-011");
  // No META at all.
  const noMeta = concat([
    good.subarray(0, 8),
    ...walk(good).filter((x) => x.tag === "CORE").map((x) =>
      good.subarray(x.offset, x.offset + 12 + x.length)
    ),
  ]);
  await rejectsH4(openContainer(noMeta), "H4_LEGACY_NO_INDEX", "H4-LEG-001");
});

Deno.test("container: a legacy file with an encryption key is refused (H4-LEG-005)", async () => {
  const c = await openContainer(
    buildOriginal(avBlocks(2), { meta: { encryption: { suite: "LivingCipher v3" } } }),
  );
  assert.equal(c.encrypted, true);
  await rejectsH4(c.readBlock(0), "H4_ENCRYPTED", "H4-LEG-005");
  await rejectsH4(c.readBlock(0, { opener: fakeOpener }), "H4_ENCRYPTED", "H4-LEG-005");
  assert.equal((await c.readBlock(0, { raw: true })).length, 40);
});

Deno.test("container: a legacy CORE chunk with a wrong CRC is refused when read (H4-FMT-011)", async () => {
  // BUG: legacy blocks are whole CORE payloads but readBlock never checks their CRC, so
  // damaged bytes are returned as the payload.
  const blocks = avBlocks(3);
  const c = await openContainer(buildOriginal(blocks, { corruptCore: 1 }));
  assert.deepEqual(await c.readBlock(0), blocks[0].payload);
  await rejectsH4(c.readBlock(1), "H4_CRC_MISMATCH", "H4-FMT-011");
});

Deno.test("container: readBlock verify on a legacy file checks the CORE CRC", async () => {
  // BUG: for legacy files `verify: true` checks nothing at all (no BHSH, and the CRC is skipped).
  const c = await openContainer(buildOriginal(avBlocks(3), { corruptCore: 1 }));
  await rejectsH4(c.readBlock(1, { verify: true }), "H4_CRC_MISMATCH", "H4-FMT-011");
});
