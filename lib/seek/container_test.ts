import assert from "node:assert/strict";
import { concat } from "../format/bytes.ts";
import { H4Error } from "../format/errors.ts";
import { sha256 } from "../hash/sha256.ts";
import type { BlockInput } from "../format/types.ts";
import { packContainer, type WriterOptions } from "../format/writer.ts";
import { openFileSource } from "../io/file.ts";
import {
  avBlocks,
  buildOriginal,
  collect,
  fakeOpener,
  fakeSealer,
  fixCrc,
  flip,
  locaOf,
  rejectsH4,
  throwsH4,
  walk,
} from "../format/testdata/helpers.ts";
import { openContainer } from "./container.ts";
import {
  checkRoundTrip,
  checkSeeks,
  CODECS,
  roundTripBlocks,
  seekBlocks,
} from "./testdata/container_blocks.ts";

Deno.test("container: every block round trips in v1 and v2, all codecs, many pages", async () => {
  const blocks = roundTripBlocks();
  for (const profile of ["v1", "v2"] as const) {
    for (const codec of CODECS) {
      const opts: WriterOptions = {
        profile,
        codec,
        blocksPerPage: 3,
        hashesPerPage: 2,
        segmentTarget: 500,
        meta: { title: "t" },
        safe: { s: [1] },
      };
      const bytes = await packContainer(blocks, opts);
      const c = await openContainer(bytes);
      assert.equal(c.version, profile === "v1" ? 1 : 2);
      assert.equal(c.profile, profile);
      assert.equal(c.size, bytes.length);
      assert.equal(c.encrypted, false);
      assert.equal(c.livc, null);
      assert.deepEqual(c.root, locaOf(bytes).root);
      assert.equal(c.meta.title, "t");
      assert.deepEqual(c.safe, { s: [1] });
      assert.equal(
        c.chunkCount,
        walk(bytes).filter((x) => x.tag === "CORE" || x.tag === "SEGM").length,
      );
      assert.ok(c.directory!.bidxPageLengths.length >= blocks.length / 3);
      await checkRoundTrip(c, blocks, codec);
    }
  }
});

Deno.test("container: open from a file gives the same container", async () => {
  const blocks = roundTripBlocks();
  const bytes = await packContainer(blocks, { codec: "rle", blocksPerPage: 4 });
  const path = await Deno.makeTempFile({ suffix: ".h4mk" });
  try {
    await Deno.writeFile(path, bytes);
    const src = await openFileSource(path);
    const c = await openContainer(src);
    assert.equal(c.source, src);
    await checkRoundTrip(c, blocks, "rle");
    assert.ok((await c.verify()).ok);
    await c.close();
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("container: SAFE absent is null; storage hashes are the chunks' SHA-256", async () => {
  const bytes = await packContainer(avBlocks(10), { segmentTarget: 200, hashesPerPage: 2 });
  const c = await openContainer(bytes);
  assert.equal(c.safe, null);
  const storage = walk(bytes).filter((x) => x.tag === "SEGM");
  for (const [k, s] of storage.entries()) {
    assert.deepEqual(await c.storageHash(k), sha256(s.payload));
  }
  for (const k of [-1, storage.length, 1.5, NaN]) {
    await rejectsH4(c.storageHash(k), "H4_BLOCK_OUT_OF_RANGE");
  }
});

Deno.test("container: entry out of range is H4_BLOCK_OUT_OF_RANGE", async () => {
  const c = await openContainer(await packContainer(avBlocks(3)));
  for (const i of [-1, 6, 7, 1.5, NaN, Infinity, 2 ** 53]) {
    await rejectsH4(c.entry(i), "H4_BLOCK_OUT_OF_RANGE");
    await rejectsH4(c.readBlock(i), "H4_BLOCK_OUT_OF_RANGE");
    await rejectsH4(c.readStored(i), "H4_BLOCK_OUT_OF_RANGE");
  }
  const empty = await openContainer(await packContainer([]));
  assert.equal(empty.blockCount, 0);
  assert.deepEqual(empty.tracks, []);
  assert.deepEqual(await collect(empty.entries()), []);
  await rejectsH4(empty.entry(0), "H4_BLOCK_OUT_OF_RANGE");
  throwsH4(() => empty.seek("v", 0), "H4_UNKNOWN_TRACK", "H4-SEEK-001");
});

/** The seek fixture of SPEC.md section 10 (block index: track kind pts). */

Deno.test("container: seek semantics of SPEC.md section 10 (v1, v2, legacy)", async () => {
  const blocks = seekBlocks();
  for (const profile of ["v1", "v2"] as const) {
    await checkSeeks(
      await openContainer(await packContainer(blocks, { profile, blocksPerPage: 2 })),
    );
  }
  const legacy = await openContainer(buildOriginal(blocks, { rle: true }));
  assert.equal(legacy.profile, "legacy");
  await checkSeeks(legacy);
});

Deno.test("container: readBlock verify detects a flipped byte in a block (H4-INT-003)", async () => {
  const blocks = avBlocks(20, 5);
  for (const profile of ["v1", "v2"] as const) {
    const bytes = await packContainer(blocks, { profile, segmentTarget: 300, hashesPerPage: 2 });
    const c0 = await openContainer(bytes);
    const target = 7;
    const e = await c0.entry(target);
    // Flip a byte of block 7 and fix its chunk's CRC: only BHSH can tell.
    const bad = flip(bytes, e.offset + 1, 0x40);
    const head = walk(bad).find((x) => x.offset < e.offset && e.offset < x.offset + 12 + x.length)!;
    fixCrc(bad, head.offset);
    const c = await openContainer(bad);
    const tampered = await c.readBlock(target);
    assert.notDeepEqual(tampered, blocks[target].payload, "unverified reads return the bytes");
    const err = await rejectsH4(
      c.readBlock(target, { verify: true }),
      "H4_BLOCK_HASH_MISMATCH",
      "H4-INT-003",
    );
    assert.equal(err.offset, head.offset);
    // Blocks sharing the chunk fail too; blocks of other chunks verify.
    for (let i = 0; i < blocks.length; i++) {
      const ei = await c.entry(i);
      if (ei.chunk === e.chunk) {
        await rejectsH4(c.readBlock(i, { verify: true }), "H4_BLOCK_HASH_MISMATCH");
      } else {
        assert.deepEqual(await c.readBlock(i, { verify: true }), blocks[i].payload);
      }
    }
  }
});

Deno.test("container: an encrypted file needs an opener (H4_ENCRYPTED)", async () => {
  const blocks = roundTripBlocks();
  for (const profile of ["v1", "v2"] as const) {
    for (const codec of ["none", "rle"] as const) {
      const bytes = await packContainer(blocks, {
        profile,
        codec,
        sealer: fakeSealer(),
        blocksPerPage: 4,
        segmentTarget: 400,
      });
      const c = await openContainer(bytes);
      assert.equal(c.encrypted, true);
      assert.deepEqual(c.livc, concat([new TextEncoder().encode("FAKE-LIVC"), c.root!]));
      for (let i = 0; i < blocks.length; i += 5) {
        await rejectsH4(c.readBlock(i), "H4_ENCRYPTED");
        await rejectsH4(c.readBlock(i, { verify: true }), "H4_ENCRYPTED");
      }
      await checkRoundTrip(c, blocks, codec, { encrypted: true });
      // (v1 verify also checks SEEKM, which negative pts break: see verify_test.ts.)
      if (profile === "v1") continue;
      const withOpener = await c.verify({ opener: fakeOpener });
      assert.ok(withOpener.ok, JSON.stringify(withOpener.checks.filter((k) => !k.ok)));
      const without = await c.verify();
      assert.ok(without.ok);
      assert.ok(
        !without.checks.some((k) => k.rule === "H4-COD-002"),
        "blocks not decoded without a key",
      );
    }
  }
});

Deno.test("container: an opener that fails is reported as its own error", async () => {
  const bytes = await packContainer(avBlocks(3), { sealer: fakeSealer() });
  const c = await openContainer(bytes);
  const e = await c.entry(1);
  const bad = flip(bytes, e.offset + e.stored_length - 1);
  const c2 = await openContainer(bad);
  await rejectsH4(c2.readBlock(1, { opener: fakeOpener }), "H4_CIPHER_AUTH_FAILED");
});

Deno.test("container: chunks() walks the file and reports CRCs", async () => {
  const bytes = await packContainer(avBlocks(3), { profile: "v1", safe: {} });
  const c = await openContainer(bytes);
  const list = await collect(c.chunks());
  assert.deepEqual(
    list.map((x) => [x.offset, x.tag, x.length]),
    walk(bytes).map((x) => [x.offset, x.tag, x.length]),
  );
  assert.ok(list.every((x) => x.crcOk));
  const bad = await openContainer(flip(bytes, 21));
  const l2 = await collect(bad.chunks());
  assert.equal(l2[0].crcOk, false);
  assert.ok(l2.slice(1).every((x) => x.crcOk));
});

Deno.test("container: concurrent reads of many pages give the right blocks", async () => {
  const blocks = avBlocks(100, 10);
  const c = await openContainer(
    await packContainer(blocks, { blocksPerPage: 2, hashesPerPage: 1, segmentTarget: 100 }),
  );
  const got = await Promise.all(blocks.map((_, i) => c.readBlock(i, { verify: true })));
  got.forEach((p, i) => assert.deepEqual(p, blocks[i].payload));
  // Reading pages again after the page cache turned over.
  for (let i = blocks.length - 1; i >= 0; i -= 13) {
    assert.deepEqual(await c.readBlock(i), blocks[i].payload);
  }
});

Deno.test("container: errors are H4Error with one-line messages", async () => {
  const bytes = await packContainer(avBlocks(2));
  try {
    await openContainer(flip(bytes, 0));
    assert.fail("opened");
  } catch (e) {
    assert.ok(e instanceof H4Error);
    assert.ok(!e.message.includes("\n"));
    assert.match(e.message, /H4MK/);
  }
});

Deno.test("container: the unknown-track error lists at most 8 track ids (issue 16 row 7)", async () => {
  const blocks: BlockInput[] = Array.from({ length: 500 }, (_, i) => ({
    track_id: `t${String(i).padStart(3, "0")}`,
    pts_us: 0,
    kind: "I",
    keyframe: true,
    payload: new Uint8Array([i & 255]),
  }));
  const c = await openContainer(await packContainer(blocks));
  let err: unknown = null;
  try {
    c.seek("nope".repeat(100), 0);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof H4Error && err.code === "H4_UNKNOWN_TRACK");
  assert.ok(err.message.length < 300, err.message);
  assert.match(err.message, /"t007" and 492 more$/);
});
