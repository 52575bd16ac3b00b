import assert from "node:assert/strict";
import { bytesSource } from "../format/byte_source.ts";
import { concat } from "../format/bytes.ts";
import { encodeChunk } from "../format/chunk.ts";
import type { H4ErrorCode } from "../format/errors.ts";
import { decodeKsek, encodeKsek } from "../format/ksek.ts";
import { sha256 } from "../hash/sha256.ts";
import { decodeTrks, encodeTrks } from "../format/trks.ts";
import type { ByteSource } from "../format/types.ts";
import { packContainer } from "../format/writer.ts";
import {
  avBlocks,
  blk,
  buildOriginal,
  chunk,
  collect,
  decodePage,
  editLoca,
  fixCrc,
  flip,
  locaOf,
  parseFile,
  payload,
  rebuild,
  rejectsH4,
  rejectsH4Any,
  setBhsh,
  setPage,
  tablesOf,
  throwsH4,
  walk,
} from "../format/testdata/helpers.ts";
import { openContainer } from "./container.ts";

Deno.test("container: open errors on the header (magic, version, short files)", async () => {
  const bytes = await packContainer(avBlocks(4));
  for (let n = 0; n < 8; n++) {
    await rejectsH4(openContainer(bytes.subarray(0, n)), "H4_TRUNCATED");
  }
  await rejectsH4(openContainer(flip(bytes, 0)), "H4_BAD_MAGIC", "H4-FMT-001");
  await rejectsH4(openContainer(flip(bytes, 3)), "H4_BAD_MAGIC", "H4-FMT-001");
  // Version 3 in the header and its LOCA copy.
  const v3 = bytes.slice();
  v3[5] = 3;
  await rejectsH4(openContainer(v3), "H4_UNSUPPORTED_VERSION", "H4-FMT-002");
  const v3both = editLoca(v3, (l) => (l.header[5] = 3));
  await rejectsH4(openContainer(v3both), "H4_UNSUPPORTED_VERSION", "H4-FMT-002");
  for (const v of [0, 256, 0xffff]) {
    const x = bytes.slice();
    x[4] = v >> 8;
    x[5] = v & 0xff;
    await rejectsH4(openContainer(x), "H4_UNSUPPORTED_VERSION", "H4-FMT-002");
  }
  // The copy's magic is checked too, when the real header is not read.
  const badCopy = editLoca(bytes, (l) => (l.header[0] = 0x58));
  await rejectsH4Any(openContainer(badCopy), ["H4_BAD_MAGIC", "H4_BAD_LOCATOR"]);
  await rejectsH4(openContainer(badCopy, { tailProbe: 172 }), "H4_BAD_MAGIC", "H4-FMT-001");
  // Header and copy disagree.
  const v1head = bytes.slice();
  v1head[5] = 1;
  await rejectsH4(openContainer(v1head), "H4_BAD_LOCATOR", "H4-LOC-002");
  // Reserved bytes are ignored (H4-FMT-003), when header and copy agree.
  const reserved = editLoca(bytes, (l) => (l.header[7] = 9));
  reserved[7] = 9;
  // The root covers the header copy, so this file only opens if the root is recomputed.
  const t = tablesOf(reserved);
  t.header = reserved.slice(0, 8);
  assert.equal((await openContainer(rebuild(t))).blockCount, 8);
  // 8 bytes only.
  await rejectsH4(openContainer(bytes.subarray(0, 8)), "H4_BAD_LOCATOR", "H4-LOC-001");
  const v1only = Uint8Array.of(0x48, 0x34, 0x4d, 0x4b, 0, 1, 0, 0);
  await rejectsH4(openContainer(v1only), "H4_LEGACY_NO_INDEX", "H4-LEG-001");
});

const STRUCTURE: H4ErrorCode[] = [
  "H4_TRUNCATED",
  "H4_CHUNK_OVERRUN",
  "H4_BAD_CHUNK",
  "H4_BAD_LOCATOR",
  "H4_LEGACY_NO_INDEX",
  "H4_BAD_MAGIC",
  "H4_CRC_MISMATCH",
];

Deno.test("container: a file truncated at any offset is refused with a typed error", async () => {
  for (const profile of ["v1", "v2"] as const) {
    const bytes = await packContainer(avBlocks(5), { profile, safe: { a: 1 } });
    const seen = new Set<string>();
    for (let n = 0; n < bytes.length; n++) {
      const e = await rejectsH4Any(openContainer(bytes.subarray(0, n)), STRUCTURE);
      seen.add(e.code);
    }
    if (profile === "v2") assert.ok(seen.has("H4_BAD_LOCATOR"));
    else assert.ok(seen.has("H4_CHUNK_OVERRUN") && seen.has("H4_LEGACY_NO_INDEX"));
  }
});

Deno.test("container: LOCA CRC, length and fields", async () => {
  const bytes = await packContainer(avBlocks(4), { safe: {} });
  const at = bytes.length - 172;
  // A flipped payload byte without a CRC fix.
  await rejectsH4(openContainer(flip(bytes, at + 12 + 20)), "H4_CRC_MISMATCH", "H4-FMT-011");
  await rejectsH4(openContainer(flip(bytes, bytes.length - 1)), "H4_CRC_MISMATCH", "H4-FMT-011");
  // Payload length 159: not a LOCA of 160.
  const short = bytes.slice();
  new DataView(short.buffer).setUint32(at + 4, 159);
  await rejectsH4(openContainer(short), "H4_BAD_LOCATOR", "H4-LOC-002");
  const long = bytes.slice();
  new DataView(long.buffer).setUint32(at + 4, 161);
  await rejectsH4Any(openContainer(long), ["H4_BAD_LOCATOR", "H4_CHUNK_OVERRUN"]);
  await rejectsH4(
    openContainer(editLoca(bytes, (l) => (l.flags = 2))),
    "H4_BAD_LOCATOR",
    "H4-LOC-002",
  );
  const ver = bytes.slice();
  ver[at + 12 + 9] = 2;
  fixCrc(ver, at);
  await rejectsH4(openContainer(ver), "H4_BAD_LOCATOR", "H4-LOC-002");
});

Deno.test("container: LOCA slots pointing wrong are H4_BAD_LOCATOR or H4_MISSING_CHUNK", async () => {
  const bytes = await packContainer(avBlocks(4), { safe: { a: 1 } });
  const l = locaOf(bytes);
  const cases: [(x: typeof l) => void, H4ErrorCode, string][] = [
    [(x) => (x.slots.TRKS = { ...x.slots.META! }), "H4_BAD_LOCATOR", "H4-LOC-002"],
    [(x) => (x.slots.META = { ...x.slots.SAFE! }), "H4_BAD_LOCATOR", "H4-LOC-002"],
    [(x) => (x.slots.KSEK!.length += 1), "H4_BAD_LOCATOR", "H4-LOC-002"],
    [(x) => (x.slots.META = { offset: bytes.length, length: 20 }), "H4_BAD_LOCATOR", "H4-LOC-002"],
    [(x) => (x.slots.TRKS = { offset: 2 ** 40, length: 12 }), "H4_BAD_LOCATOR", "H4-LOC-002"],
    [(x) => (x.slots.SAFE = { offset: 4, length: 12 }), "H4_BAD_LOCATOR", "H4-LOC-002"],
    [
      (x) => (x.slots.BIDX = { offset: bytes.length - 172, length: 172 }),
      "H4_BAD_LOCATOR",
      "H4-LOC-002",
    ],
    [(x) => (x.slots.META = null), "H4_MISSING_CHUNK", "H4-LOC-003"],
    [(x) => (x.slots.BIDX = null), "H4_MISSING_CHUNK", "H4-LOC-003"],
    [(x) => (x.slots.BHSH = null), "H4_MISSING_CHUNK", "H4-LOC-003"],
    [(x) => (x.slots.TRKS = null), "H4_MISSING_CHUNK", "H4-LOC-003"],
    [(x) => (x.slots.LIVC = { ...x.slots.SAFE! }), "H4_MISSING_CHUNK", "H4-LOC-003"],
    [(x) => (x.flags = 1), "H4_MISSING_CHUNK", "H4-LOC-003"],
  ];
  for (const [edit, code, rule] of cases) {
    await rejectsH4(openContainer(editLoca(bytes, edit)), code, rule);
  }
  // A slot pointing inside a chunk: its "tag" there may not even be printable.
  await rejectsH4Any(
    openContainer(editLoca(bytes, (x) => (x.slots.TDIR!.offset += 1))),
    ["H4_BAD_LOCATOR", "H4_BAD_CHUNK"],
  );
  // SAFE is optional: dropping its slot leaves a file whose root no longer matches.
  await rejectsH4(
    openContainer(editLoca(bytes, (x) => (x.slots.SAFE = null))),
    "H4_DIGEST_MISMATCH",
    "H4-INT-004",
  );
});

Deno.test("container: the root (flip META: CRC; flip and fix the CRC: digest)", async () => {
  const bytes = await packContainer(avBlocks(4), { safe: { a: 1 }, meta: { m: "x" } });
  for (const tag of ["META", "SAFE", "TRKS", "KSEK", "TDIR"]) {
    const c = chunk(bytes, tag);
    const at = c.offset + 12 + Math.floor(c.length / 2);
    await rejectsH4(openContainer(flip(bytes, at)), "H4_CRC_MISMATCH", "H4-FMT-011");
    const fixed = fixCrc(flip(bytes, at), c.offset);
    await rejectsH4(openContainer(fixed), "H4_DIGEST_MISMATCH", "H4-INT-004");
  }
  // The root in LOCA, and the counts it covers.
  await rejectsH4(
    openContainer(editLoca(bytes, (l) => (l.root[0] ^= 1))),
    "H4_DIGEST_MISMATCH",
    "H4-INT-004",
  );
  await rejectsH4(
    openContainer(editLoca(bytes, (l) => (l.blockCount += 1))),
    "H4_DIGEST_MISMATCH",
    "H4-INT-004",
  );
});

Deno.test("container: expectedRoot", async () => {
  const bytes = await packContainer(avBlocks(4));
  const root = locaOf(bytes).root;
  assert.deepEqual((await openContainer(bytes, { expectedRoot: root })).root, root);
  const other = root.slice();
  other[31] ^= 1;
  await rejectsH4(
    openContainer(bytes, { expectedRoot: other }),
    "H4_DIGEST_MISMATCH",
    "H4-INT-004",
  );
  await rejectsH4(
    openContainer(bytes, { expectedRoot: new Uint8Array(32) }),
    "H4_DIGEST_MISMATCH",
    "H4-INT-004",
  );
});

/** A source that records its reads. */
function counting(bytes: Uint8Array): ByteSource & { reads: [number, number][] } {
  const inner = bytesSource(bytes);
  const reads: [number, number][] = [];
  return {
    reads,
    size: bytes.length,
    read(o, n) {
      reads.push([o, n]);
      return inner.read(o, n);
    },
  };
}

Deno.test("container: tail probes of any size open the same file", async () => {
  const blocks = avBlocks(30);
  const bytes = await packContainer(blocks, { meta: { pad: "x".repeat(3000) }, safe: { s: 1 } });
  const want = await openContainer(bytes);
  for (
    const tailProbe of [0, -5, 172, 173, 200, 1000, 4096, 65_536, bytes.length, bytes.length * 10]
  ) {
    const src = counting(bytes);
    const c = await openContainer(src, { tailProbe });
    const openReads = src.reads.length;
    if (tailProbe >= bytes.length) {
      assert.equal(openReads, 1, "one read of the whole file");
      assert.deepEqual(src.reads[0], [0, bytes.length]);
    }
    if (tailProbe <= 173) {
      // LOCA first, then one read for the small tables.
      assert.equal(openReads, 2, `probe ${tailProbe}`);
      const probe = Math.max(172, tailProbe);
      assert.deepEqual(src.reads[0], [bytes.length - probe, probe]);
    }
    assert.ok(openReads <= 2);
    assert.deepEqual(c.tracks, want.tracks);
    assert.deepEqual(c.meta, want.meta);
    assert.deepEqual(c.safe, want.safe);
    assert.deepEqual(c.root, want.root);
    assert.deepEqual(c.seek("video_main", 500_000), want.seek("video_main", 500_000));
    for (let i = 0; i < blocks.length; i += 7) {
      assert.deepEqual(await c.readBlock(i), blocks[i].payload);
    }
  }
  await rejectsH4(openContainer(bytes, { tailProbe: NaN }), "H4_BAD_ARGUMENT");
});

Deno.test("container: a BIDX or BHSH page that differs from TDIR is H4_DIGEST_MISMATCH", async () => {
  const blocks = avBlocks(20);
  const bytes = await packContainer(blocks, {
    blocksPerPage: 4,
    hashesPerPage: 2,
    segmentTarget: 200,
  });
  const t = tablesOf(bytes);
  const bidx = chunk(bytes, "BIDX");
  const pageLens = parseFile(bytes).tdir.bidxPageLengths;
  // A byte of page 1, CRC fixed (BIDX is outside the root; TDIR's digests are inside).
  const at = bidx.offset + 12 + pageLens[0] + 1;
  const bad = fixCrc(flip(bytes, at), bidx.offset);
  const c = await openContainer(bad);
  assert.deepEqual(await c.readBlock(0), blocks[0].payload, "page 0 still reads");
  await rejectsH4(c.entry(4), "H4_DIGEST_MISMATCH", "H4-TDR-002");
  await rejectsH4(c.entry(7), "H4_DIGEST_MISMATCH", "H4-TDR-002");
  assert.ok(t.BHSH.length >= 64);
  const bhsh = chunk(bytes, "BHSH");
  const bad2 = fixCrc(flip(bytes, bhsh.offset + 12 + 32 * 2 + 5), bhsh.offset);
  const c2 = await openContainer(bad2);
  // Chunk 2 is in BHSH page 1 (2 hashes per page).
  for (let i = 0; i < blocks.length; i++) {
    const e = await c2.entry(i);
    if (e.chunk === 2 || e.chunk === 3) {
      await rejectsH4(c2.readBlock(i, { verify: true }), "H4_DIGEST_MISMATCH", "H4-TDR-002");
    }
  }
  await rejectsH4(c2.storageHash(3), "H4_DIGEST_MISMATCH", "H4-TDR-002");
  assert.deepEqual(await c2.storageHash(0), await (await openContainer(bytes)).storageHash(0));
});

Deno.test("container: a BIDX page whose first_offset disagrees with the previous page is H4_BAD_INDEX", async () => {
  // BUG: SPEC.md H4-IDX-002 requires a reader to reject a page whose first_offset or
  // first_chunk differs from what the previous page's last record implies; container.ts
  // checks only that blocks lie in the storage region, so readBlock returns shifted bytes.
  const blocks = avBlocks(20);
  const bytes = await packContainer(blocks, { blocksPerPage: 4 });
  const t = tablesOf(bytes);
  const cols = decodePage(t, 1);
  cols.offset[0] += 1; // every block of page 1 moves one byte
  for (let k = 1; k < cols.count; k++) cols.offset[k] += 1;
  setPage(t, 1, cols);
  const c = await openContainer(rebuild(t));
  assert.deepEqual(await c.readBlock(0), blocks[0].payload);
  await rejectsH4(c.entry(4), "H4_BAD_INDEX", "H4-IDX-005");
});

Deno.test("container: crafted tables behind a valid root are still checked", async () => {
  const blocks = avBlocks(12);
  const bytes = await packContainer(blocks, { blocksPerPage: 4, segmentTarget: 300 });
  const edit = async (f: (t: ReturnType<typeof tablesOf>) => void) => {
    const t = tablesOf(bytes);
    f(t);
    return await openContainer(rebuild(t));
  };
  // Unchanged: rebuild itself is faithful.
  const same = await edit(() => {});
  assert.deepEqual(same.root, locaOf(bytes).root);
  // TRKS counts vs LOCA (H4-TRK-002) and track count (H4-LOC-004).
  await rejectsH4(
    edit((t) => {
      const r = decodeTrks(t.TRKS);
      r[0].blocks += 1;
      t.TRKS = encodeTrks(r);
    }),
    "H4_INDEX_MISMATCH",
    "H4-TRK-002",
  );
  await rejectsH4(edit((t) => (t.trackCount += 1)), "H4_INDEX_MISMATCH", "H4-LOC-004");
  // TDIR pages vs BIDX length, BHSH length (H4-TDR-001, H4-BHS-001).
  await rejectsH4(
    edit((t) => (t.BIDX = concat([t.BIDX, Uint8Array.of(0)]))),
    "H4_BAD_INDEX",
    "H4-TDR-001",
  );
  await rejectsH4(
    edit((t) => (t.BHSH = concat([t.BHSH, new Uint8Array(32)]))),
    "H4_BAD_INDEX",
    "H4-BHS-001",
  );
  // A seek entry naming a block past the end (H4-SEK-001). Each track's table is decoded and
  // checked when it is first used, so the error comes before any answer from that table; the
  // other track's table still works.
  const badSeek = await edit((t) => {
    const tables = decodeKsek(t.KSEK, t.trackCount, 0);
    tables[1].block[0] = 1000;
    t.KSEK = encodeKsek(tables);
  });
  const [good, bad] = badSeek.tracks.map((t) => t.track_id);
  throwsH4(() => badSeek.seek(bad, 0), "H4_BAD_SEEK_TABLE", "H4-SEK-001");
  throwsH4(() => badSeek.seekTable(bad), "H4_BAD_SEEK_TABLE", "H4-SEK-001");
  await rejectsH4(badSeek.readBlock(blocks.length - 1), "H4_BAD_SEEK_TABLE", "H4-SEK-001");
  assert.equal(badSeek.seek(good, 0).keyframe_pts_us, badSeek.seekTable(good).pts[0]);
  assert.equal((await badSeek.verify()).ok, false);
  // META nested 100,000 deep behind a valid root.
  await rejectsH4(
    edit((
      t,
    ) => (t.META = new TextEncoder().encode(`{"a":${"[".repeat(100_000)}${"]".repeat(100_000)}}`))),
    "H4_BAD_JSON",
    "H4-MET-001",
  );
  await rejectsH4(edit((t) => (t.META = Uint8Array.of(0x7b, 0xc0, 0x80, 0x7d))), "H4_BAD_UTF8");
  await rejectsH4(edit((t) => (t.META = new TextEncoder().encode("[]"))), "H4_BAD_JSON");
  // A block reaching past the storage region (H4-IDX-003).
  const c = await edit((t) => {
    const last = Math.ceil(t.blockCount / 4) - 1;
    const cols = decodePage(t, last);
    cols.stored[cols.count - 1] += 100;
    cols.plain[cols.count - 1] += 100;
    setPage(t, last, cols);
  });
  await rejectsH4(c.entry(blocks.length - 1), "H4_INDEX_OUT_OF_FILE", "H4-IDX-003");
  // Counts claiming billions of blocks in tiny tables fail before allocating.
  await rejectsH4Any(
    edit((t) => {
      t.blockCount = 2 ** 32 - 1;
      const r = decodeTrks(t.TRKS);
      r[0].blocks = 2 ** 32 - 1 - r.slice(1).reduce((n, x) => n + x.blocks, 0);
      t.TRKS = encodeTrks(r);
    }),
    ["H4_BAD_INDEX", "H4_INDEX_MISMATCH", "H4_LIMIT_EXCEEDED"],
  );
  // Unknown chunks among the tables are skipped (H4-FMT-013).
  const extra = await edit((t) => t.extra.push({ tag: "ZZZZ", payload: payload(1, 50) }));
  assert.ok((await extra.verify()).ok);
  assert.ok((await collect(extra.chunks())).some((x) => x.tag === "ZZZZ"));
});

Deno.test("container: storage chunks with the other version's tag are H4_INDEX_MISMATCH", async () => {
  const blocks = avBlocks(4);
  const v2 = await packContainer(blocks);
  const asCore = v2.slice();
  for (const c of walk(v2).filter((x) => x.tag === "SEGM")) {
    asCore.set(new TextEncoder().encode("CORE"), c.offset);
  }
  const c = await openContainer(asCore);
  await rejectsH4(c.readBlock(0, { verify: true }), "H4_INDEX_MISMATCH", "H4-IDX-004");
  const legacy = buildOriginal(blocks);
  const seg = legacy.slice();
  seg.set(new TextEncoder().encode("SEGM"), 8);
  await rejectsH4(openContainer(seg), "H4_INDEX_MISMATCH", "H4-FMT-021");
});

Deno.test("container: a SEGM over 16 MiB holding several blocks is H4_LIMIT_EXCEEDED", async () => {
  // BUG: SPEC.md section 13 limits a SEGM payload to 16 MiB (or one block's length if larger)
  // and H4-LIM-001 makes the reader enforce it; nothing in container.ts or verify.ts does.
  const big = 9 * 1024 * 1024;
  const blocks = [
    blk("v", 0, "I", true, new Uint8Array(big).fill(1)),
    blk("v", 1, "P", false, new Uint8Array(big).fill(2)),
  ];
  const t = tablesOf(await packContainer(blocks));
  // Merge the two SEGMs (one block each) into one of 18 MiB.
  const segs = walk(concat([t.header, t.storage])).filter((x) => x.tag === "SEGM");
  assert.equal(segs.length, 2);
  const merged = concat(segs.map((x) => x.payload));
  t.storage = encodeChunk("SEGM", merged);
  const cols = decodePage(t, 0);
  cols.newChunk[1] = 0;
  cols.offset[1] -= 12;
  cols.chunk[1] = 0;
  setPage(t, 0, cols);
  setBhsh(t, sha256(merged));
  const c = await openContainer(rebuild(t));
  assert.equal(c.chunkCount, 1);
  await rejectsH4(c.readBlock(1, { verify: true }), "H4_LIMIT_EXCEEDED", "H4-LIM-001");
  const r = await c.verify();
  assert.ok(r.checks.some((k) => !k.ok && k.code === "H4_LIMIT_EXCEEDED"), "verify reports it");
});
