import assert from "node:assert/strict";
import { encodeChunk } from "../format/chunk.ts";
import { allocColumns } from "../format/index_columns.ts";
import { seekTableFromRows } from "../format/ksek.ts";
import { sha256 } from "../hash/sha256.ts";
import {
  checkBhshLength,
  checkChunkHeaderRoom,
  checkHeaderCopy,
  checkMagicAndVersion,
  checkPageBlocks,
  checkPageContinuity,
  checkPageDigest,
  checkSeekTableBounds,
  checkSlotChunk,
  checkSlotTarget,
} from "./rules.ts";

const header = (v: number) => new Uint8Array([0x48, 0x34, 0x4d, 0x4b, 0, v, 0, 0]);

Deno.test("rules: header magic and version (H4-FMT-001, H4-FMT-002) and the LOCA copy (H4-LOC-002)", () => {
  assert.equal(checkMagicAndVersion(header(1), "header"), 1);
  assert.throws(() => checkMagicAndVersion(new TextEncoder().encode("H4MX\0\x02\0\0"), "header"), {
    code: "H4_BAD_MAGIC",
    rule: "H4-FMT-001",
    message: 'header: expected "H4MK", got "H4MX"',
  });
  assert.throws(() => checkMagicAndVersion(header(3), "LOCA header copy"), {
    code: "H4_UNSUPPORTED_VERSION",
    rule: "H4-FMT-002",
  });
  checkHeaderCopy(header(2), header(2), 50);
  assert.throws(() => checkHeaderCopy(header(2), header(1), 50), {
    code: "H4_BAD_LOCATOR",
    rule: "H4-LOC-002",
    offset: 50,
  });
});

Deno.test("rules: chunk header room (H4-FMT-012), slots (H4-LOC-002), BHSH length (H4-BHS-001)", () => {
  checkChunkHeaderRoom(20, 8);
  assert.throws(() => checkChunkHeaderRoom(19, 8), { code: "H4_TRUNCATED", rule: "H4-FMT-012" });
  const meta = encodeChunk("META", new Uint8Array(3));
  assert.equal(checkSlotChunk("META", 15, meta, 100, 1000).offset, 100);
  assert.throws(() => checkSlotChunk("META", 16, meta, 100, 1000), { code: "H4_BAD_LOCATOR" });
  assert.throws(() => checkSlotChunk("META", 15, new Uint8Array(12), 100, 1000), {
    code: "H4_BAD_LOCATOR",
    message: "LOCA slot META at 100 does not point at a chunk",
  });
  checkSlotTarget("META", 15, 100, { tag: "META", length: 3 });
  assert.throws(() => checkSlotTarget("TRKS", 15, 100, { tag: "META", length: 3 }), {
    message: "LOCA slot TRKS points at META of 15 bytes, expected TRKS of 15",
  });
  checkBhshLength(96, 3, "BHSH");
  assert.throws(() => checkBhshLength(95, 3, "BHSH (by its LOCA slot)"), {
    code: "H4_BAD_INDEX",
    rule: "H4-BHS-001",
    message: "BHSH (by its LOCA slot) has 95 bytes, 3 chunks need 96",
  });
});

Deno.test("rules: index pages: digest (H4-TDR-002), bounds (H4-IDX-003/004), continuity (H4-IDX-005)", async () => {
  const page = new Uint8Array([1, 2, 3]);
  await checkPageDigest("BIDX", 2, page, sha256(page), 40);
  await assert.rejects(checkPageDigest("BIDX", 2, page, sha256(new Uint8Array(1)), 40), {
    code: "H4_DIGEST_MISMATCH",
    rule: "H4-TDR-002",
    message: "BIDX page 2 does not match its TDIR digest",
  });
  const cols = allocColumns(2);
  cols.count = 2;
  cols.offset.set([20, 25]);
  cols.stored.set([5, 5]);
  cols.chunk.set([0, 0]);
  cols.newChunk.set([1, 0]);
  checkPageBlocks(cols, 0, 30, 1, 8);
  assert.throws(() => checkPageBlocks(cols, 0, 29, 1, 8), { rule: "H4-IDX-003" });
  cols.chunk[1] = 1;
  assert.throws(() => checkPageBlocks(cols, 0, 30, 1, 8), { rule: "H4-IDX-004" });
  cols.chunk[1] = 0;
  // The first and last rows decide; a failure names the first block that fails.
  const three = allocColumns(3);
  three.count = 3;
  three.offset.set([20, 33, 41]);
  three.stored.set([5, 8, 1]);
  three.chunk.set([0, 1, 1]);
  checkPageBlocks(three, 10, 42, 2, 8);
  assert.throws(() => checkPageBlocks(three, 10, 40, 2, 8), {
    rule: "H4-IDX-003",
    message: "block 11 at 33+8 is outside the storage region 20..40",
  });
  assert.throws(() => checkPageBlocks(three, 10, 42, 1, 8), {
    rule: "H4-IDX-004",
    message: "block 11 is in storage chunk 1, LOCA counts 1",
  });
  checkPageContinuity(0, null, cols, 8);
  const next = allocColumns(1);
  next.count = 1;
  next.offset[0] = 30;
  next.chunk[0] = 1;
  next.newChunk[0] = 0;
  assert.throws(() => checkPageContinuity(1, cols, next, 8), { rule: "H4-IDX-005" });
  next.offset[0] = 42;
  next.chunk[0] = 1;
  next.newChunk[0] = 1;
  checkPageContinuity(1, cols, next, 8);
});

Deno.test("rules: seek table bounds (H4-SEK-001, H4-IDX-003)", () => {
  const cols = allocColumns(2);
  cols.count = 2;
  cols.offset.set([20, 30]);
  cols.stored.set([4, 4]);
  cols.keyframe.set([1, 1]);
  const table = seekTableFromRows(cols, [0, 1]);
  checkSeekTableBounds(table, "v", 2, 34);
  assert.throws(() => checkSeekTableBounds(table, "v", 1, 34), { rule: "H4-SEK-001" });
  assert.throws(() => checkSeekTableBounds(table, "v", 2, 33), { rule: "H4-IDX-003" });
});
