import assert from "node:assert/strict";
import { ByteWriter } from "./bytes.ts";
import { decodeTdir, encodeTdir, type TableDirectory } from "./tdir.ts";
import { randomBytes, rng, throwsH4 } from "./testdata/helpers.ts";

const r = rng(61);
const dir = (pages: number, bhsh: number, P = 4, H = 2): TableDirectory => ({
  blocksPerPage: P,
  bidxPageLengths: Array.from({ length: pages }, (_, i) => 10 + i),
  bidxPageDigests: Array.from({ length: pages }, () => randomBytes(r, 32)),
  hashesPerPage: H,
  bhshPageDigests: Array.from({ length: bhsh }, () => randomBytes(r, 32)),
});

Deno.test("tdir: round trip, layout and page counts from N and C", () => {
  // 10 blocks in pages of 4: 3 pages; 5 chunks in pages of 2: 3 pages.
  const d = dir(3, 3);
  const bytes = encodeTdir(d);
  assert.equal(bytes.length, 4 + 4 + 3 * 36 + 4 + 4 + 3 * 32);
  assert.deepEqual(decodeTdir(bytes, 10, 5), d);
  const empty = dir(0, 0, 4096, 1024);
  assert.deepEqual(decodeTdir(encodeTdir(empty), 0, 0), empty);
  // Exact multiples.
  const exact = dir(2, 1);
  assert.deepEqual(decodeTdir(encodeTdir(exact), 8, 2), exact);
});

Deno.test("tdir: per-page bounds 1..65536 (H4-TDR-001)", () => {
  for (const P of [0, 65_537, 0xffffffff]) {
    throwsH4(() => decodeTdir(encodeTdir(dir(0, 0, P)), 0, 0), "H4_BAD_INDEX", "H4-TDR-001");
  }
  for (const H of [0, 65_537]) {
    throwsH4(() => decodeTdir(encodeTdir(dir(0, 0, 4, H)), 0, 0), "H4_BAD_INDEX", "H4-TDR-001");
  }
  assert.equal(
    decodeTdir(encodeTdir(dir(1, 1, 65_536, 65_536)), 65_536, 65_536).blocksPerPage,
    65_536,
  );
});

Deno.test("tdir: page counts must match N and C (H4-TDR-001)", () => {
  throwsH4(() => decodeTdir(encodeTdir(dir(3, 3)), 13, 5), "H4_BAD_INDEX", "H4-TDR-001");
  throwsH4(() => decodeTdir(encodeTdir(dir(3, 3)), 8, 5), "H4_BAD_INDEX", "H4-TDR-001");
  throwsH4(() => decodeTdir(encodeTdir(dir(3, 3)), 10, 7), "H4_BAD_INDEX", "H4-TDR-001");
  throwsH4(() => decodeTdir(encodeTdir(dir(3, 3)), 10, 4), "H4_BAD_INDEX", "H4-TDR-001");
});

Deno.test("tdir: truncation and leftovers are H4_BAD_INDEX", () => {
  const bytes = encodeTdir(dir(3, 3));
  for (let n = 0; n < bytes.length; n++) {
    throwsH4(() => decodeTdir(bytes.subarray(0, n), 10, 5), "H4_BAD_INDEX");
  }
  throwsH4(() => decodeTdir(Uint8Array.from([...bytes, 0]), 10, 5), "H4_BAD_INDEX");
});

Deno.test("tdir: a page longer than 1 MiB is H4_LIMIT_EXCEEDED", () => {
  const d = dir(1, 0);
  d.bidxPageLengths[0] = 1024 * 1024 + 1;
  throwsH4(() => decodeTdir(encodeTdir(d), 4, 0), "H4_LIMIT_EXCEEDED", "H4-LIM-001");
});

Deno.test("tdir: counts claiming millions of pages in a tiny payload fail before allocating", () => {
  // 2^32 - 1 blocks in pages of 1: a matching count, but no room for its entries.
  const w = new ByteWriter();
  w.u32(1);
  w.u32(0xffffffff);
  w.bytes(new Uint8Array(36));
  throwsH4(() => decodeTdir(w.finish(), 0xffffffff, 0), "H4_BAD_INDEX");
  const w2 = new ByteWriter();
  w2.u32(1);
  w2.u32(0);
  w2.u32(1);
  w2.u32(10_000_000);
  throwsH4(() => decodeTdir(w2.finish(), 0, 10_000_000), "H4_BAD_INDEX");
});
