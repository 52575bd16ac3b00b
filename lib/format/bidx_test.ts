import assert from "node:assert/strict";
import { decodeBidxPage, encodeBidxPage } from "./bidx.ts";
import { ByteWriter } from "./bytes.ts";
import { allocColumns, growColumns, type IndexColumns } from "./index_columns.ts";
import { rng, throwsH4 } from "./testdata/helpers.ts";
import { H4Error } from "./errors.ts";

interface Row {
  track: number;
  pts: number;
  kind?: number;
  keyframe?: number;
  codec?: number;
  stored: number;
  plain?: number;
  newChunk: number;
}

/** Columns for rows, with offsets and chunk numbers laid out as a writer would. */
function columns(rows: Row[], firstOffset = 20, firstChunk = 0, overhead = 0): IndexColumns {
  const c = allocColumns(rows.length);
  let offset = firstOffset, chunk = firstChunk;
  rows.forEach((r, i) => {
    if (i > 0) {
      offset = c.offset[i - 1] + c.stored[i - 1] + (r.newChunk ? 12 : 0);
      chunk += r.newChunk;
    }
    c.track[i] = r.track;
    c.pts[i] = r.pts;
    c.kind[i] = r.kind ?? 0;
    c.keyframe[i] = r.keyframe ?? 1;
    c.codec[i] = r.codec ?? 0;
    c.newChunk[i] = r.newChunk;
    c.offset[i] = offset;
    c.stored[i] = r.stored;
    c.plain[i] = r.plain ?? r.stored - overhead;
    c.chunk[i] = chunk;
  });
  c.count = rows.length;
  return c;
}

function rowsOf(c: IndexColumns): unknown[] {
  return Array.from({ length: c.count }, (_, i) => [
    c.track[i],
    c.pts[i],
    c.kind[i],
    c.keyframe[i],
    c.codec[i],
    c.newChunk[i],
    c.offset[i],
    c.stored[i],
    c.plain[i],
    c.chunk[i],
  ]);
}

const ctx = (count: number, trackCodecs: number[] = [0, 0, 0], overhead = 0, first = 0) => ({
  first,
  count,
  trackCodecs,
  overhead,
});

Deno.test("bidx: a page round trips: pts prediction per track, offsets, chunks, codecs", () => {
  const rows: Row[] = [];
  const r = rng(51);
  for (let i = 0; i < 300; i++) {
    const t = i % 3;
    rows.push({
      track: t,
      // Track 0 regular, track 1 B-frame order, track 2 random and negative.
      pts: t === 0
        ? i * 33_333
        : t === 1
        ? [0, 3, 1, 2][i % 4] * 40_000 + Math.floor(i / 4) * 160_000
        : Math.floor((r() - 0.5) * 2 ** 40),
      kind: i % 3,
      keyframe: i % 5 === 0 ? 1 : 0,
      codec: i % 7 === 0 ? 2 : i % 11 === 0 ? 1 : 0,
      stored: Math.floor(r() * 5000),
      plain: Math.floor(r() * 10_000),
      newChunk: i === 0 || i % 4 === 0 ? 1 : 0,
    });
  }
  // Codec none: plain = stored (no overhead).
  for (const row of rows) if (!row.codec) row.plain = row.stored;
  const cols = columns(rows, 20, 0);
  const page = encodeBidxPage(cols, 0, cols.count, [0, 0, 0]);
  const back = decodeBidxPage(page, ctx(cols.count));
  assert.deepEqual(rowsOf(back), rowsOf(cols));
  // Track defaults other than none: codec bytes appear only where blocks differ.
  const page2 = encodeBidxPage(cols, 0, cols.count, [2, 1, 0]);
  assert.deepEqual(rowsOf(decodeBidxPage(page2, ctx(cols.count, [2, 1, 0]))), rowsOf(cols));
});

Deno.test("bidx: a middle slice of the columns is a page of its own", () => {
  const rows: Row[] = Array.from({ length: 40 }, (_, i) => ({
    track: i % 2,
    pts: i * 1000 - 5000,
    stored: 10 + i,
    newChunk: i % 3 === 0 ? 1 : 0,
  }));
  rows[0].newChunk = 1;
  const cols = columns(rows);
  const page = encodeBidxPage(cols, 16, 32, [0, 0]);
  const back = decodeBidxPage(page, ctx(16, [0, 0], 0, 16));
  const want = columns(rows).pts.slice(16, 32);
  assert.deepEqual([...back.pts.subarray(0, 16)], [...want]);
  assert.equal(back.offset[0], cols.offset[16], "first_offset");
  assert.equal(back.chunk[0], cols.chunk[16], "first_chunk");
  for (let i = 0; i < 16; i++) {
    assert.equal(back.offset[i], cols.offset[16 + i]);
    assert.equal(back.chunk[i], cols.chunk[16 + i]);
  }
});

Deno.test("bidx: regular streams code pts in one byte", () => {
  const rows: Row[] = Array.from({ length: 1000 }, (_, i) => ({
    track: 0,
    pts: 1_000_000 + i * 33_333,
    stored: 100,
    newChunk: i === 0 ? 1 : 0,
  }));
  const page = encodeBidxPage(columns(rows), 0, 1000, [0]);
  // first_offset (1) + first_chunk (1) + first two records (head 1, pts up to 3, stored 1) +
  // 998 records of head, pts residual 0, stored length 100: 3 bytes each.
  assert.ok(page.length <= 2 + 2 * 5 + 998 * 3, `page is ${page.length} bytes`);
});

Deno.test("bidx: encrypted pages derive plain = stored - 16 for codec none", () => {
  const rows: Row[] = [
    { track: 0, pts: 0, stored: 16, newChunk: 1 },
    { track: 0, pts: 1, stored: 116, newChunk: 0 },
    { track: 0, pts: 2, stored: 50, codec: 2, plain: 300, newChunk: 0 },
  ];
  const cols = columns(rows, 20, 0, 16);
  const back = decodeBidxPage(encodeBidxPage(cols, 0, 3, [0]), ctx(3, [0], 16));
  assert.deepEqual([...back.plain.subarray(0, 3)], [0, 100, 300]);
  // A stored length shorter than the tag.
  const bad = columns([{ track: 0, pts: 0, stored: 15, newChunk: 1 }], 20, 0, 16);
  throwsH4(
    () => decodeBidxPage(encodeBidxPage(bad, 0, 1, [0]), ctx(1, [0], 16)),
    "H4_BAD_INDEX",
    "H4-IDX-002",
  );
});

/** A page written field by field. */
function rawPage(build: (w: ByteWriter) => void, firstOffset = 20, firstChunk = 0): Uint8Array {
  const w = new ByteWriter();
  w.varint(firstOffset);
  w.varint(firstChunk);
  build(w);
  return w.finish();
}
const head = (t: number, hasCodec: number, kind: number, key: number, nc: number) =>
  t * 32 + hasCodec * 16 + kind * 4 + key * 2 + nc;

Deno.test("bidx: kind 3 is H4_BAD_INDEX (H4-IDX-001)", () => {
  const page = rawPage((w) => {
    w.varint(head(0, 0, 3, 1, 1));
    w.svarint(0);
    w.varint(5);
  });
  throwsH4(() => decodeBidxPage(page, ctx(1, [0])), "H4_BAD_INDEX", "H4-IDX-001");
});

Deno.test("bidx: track index not in TRKS, codec byte equal to the track's (H4-IDX-002)", () => {
  const badTrack = rawPage((w) => {
    w.varint(head(2, 0, 0, 1, 1));
    w.svarint(0);
    w.varint(5);
  });
  throwsH4(() => decodeBidxPage(badTrack, ctx(1, [0, 0])), "H4_BAD_INDEX", "H4-IDX-002");
  const sameCodec = rawPage((w) => {
    w.varint(head(0, 1, 0, 1, 1));
    w.u8(2);
    w.svarint(0);
    w.varint(5);
    w.varint(5);
  });
  throwsH4(() => decodeBidxPage(sameCodec, ctx(1, [2])), "H4_BAD_INDEX", "H4-IDX-002");
  assert.equal(decodeBidxPage(sameCodec, ctx(1, [0])).codec[0], 2);
  const unknownCodec = rawPage((w) => {
    w.varint(head(0, 1, 0, 1, 1));
    w.u8(3);
    w.svarint(0);
    w.varint(5);
    w.varint(5);
  });
  throwsH4(() => decodeBidxPage(unknownCodec, ctx(1, [0])), "H4_UNKNOWN_CODEC", "H4-COD-001");
});

Deno.test("bidx: leftover bytes after the last record are H4_BAD_INDEX", () => {
  const cols = columns([{ track: 0, pts: 0, stored: 4, newChunk: 1 }]);
  const page = encodeBidxPage(cols, 0, 1, [0]);
  throwsH4(() => decodeBidxPage(Uint8Array.from([...page, 0, 0, 0]), ctx(1, [0])), "H4_BAD_INDEX");
});

Deno.test("bidx: a page that ends inside a record is rejected at every cut", () => {
  const rows: Row[] = Array.from({ length: 20 }, (_, i) => ({
    track: i % 2,
    pts: i * 100_000,
    codec: i % 3 === 0 ? 1 : 0,
    stored: 200 + i * 50,
    plain: 1000 + i,
    newChunk: i % 4 === 0 ? 1 : 0,
  }));
  for (const row of rows) if (!row.codec) row.plain = row.stored;
  const cols = columns(rows);
  const page = encodeBidxPage(cols, 0, 20, [0, 0]);
  for (let n = 0; n < page.length; n++) {
    try {
      decodeBidxPage(page.subarray(0, n), ctx(20, [0, 0]));
      assert.fail(`a page cut at ${n} of ${page.length} was accepted`);
    } catch (e) {
      // SPEC.md H4-IDX-002 names H4_BAD_INDEX; a varint cut short is reported as H4_BAD_VARINT.
      assert.ok(e instanceof H4Error, String(e));
      assert.ok(["H4_BAD_INDEX", "H4_BAD_VARINT"].includes(e.code), e.code);
    }
  }
});

Deno.test("bidx: stored or plain length over 2^30 is H4_LIMIT_EXCEEDED", () => {
  const stored = rawPage((w) => {
    w.varint(head(0, 0, 0, 1, 1));
    w.svarint(0);
    w.varint(2 ** 30 + 1);
  });
  throwsH4(() => decodeBidxPage(stored, ctx(1, [0])), "H4_LIMIT_EXCEEDED", "H4-LIM-001");
  const plain = rawPage((w) => {
    w.varint(head(0, 0, 0, 1, 1));
    w.svarint(0);
    w.varint(10);
    w.varint(2 ** 30 + 1);
  });
  throwsH4(() => decodeBidxPage(plain, ctx(1, [1])), "H4_LIMIT_EXCEEDED", "H4-LIM-001");
  // 2^30 itself is allowed.
  const edge = rawPage((w) => {
    w.varint(head(0, 0, 0, 1, 1));
    w.svarint(0);
    w.varint(2 ** 30);
  });
  assert.equal(decodeBidxPage(edge, ctx(1, [0])).stored[0], 2 ** 30);
});

Deno.test("bidx: pts outside -2^50..2^50, read or predicted, is rejected (H4-LIM-001)", () => {
  const page = rawPage((w) => {
    w.varint(head(0, 0, 0, 1, 1));
    w.svarint(2 ** 52 - 1);
    w.varint(1);
    w.varint(head(0, 0, 0, 1, 0));
    w.svarint(2 ** 52 - 1); // predicted 2 * (2^52 - 1), plus this: 3 * 2^52 > 2^53
    w.varint(1);
  });
  throwsH4(() => decodeBidxPage(page, ctx(2, [0])), "H4_LIMIT_EXCEEDED", "H4-LIM-001");
  const direct = rawPage((w) => {
    w.varint(head(0, 0, 0, 1, 1));
    w.svarint(2 ** 50 + 1);
    w.varint(1);
  });
  throwsH4(() => decodeBidxPage(direct, ctx(1, [0])), "H4_LIMIT_EXCEEDED", "H4-LIM-001");
});

Deno.test("bidx: a count claiming millions of records in a tiny page fails before allocating", () => {
  const page = rawPage((w) => {
    w.varint(head(0, 0, 0, 1, 1));
    w.svarint(0);
    w.varint(1);
  });
  for (const count of [10_000_000, 2 ** 32 - 1, 2 ** 40]) {
    throwsH4(() => decodeBidxPage(page, ctx(count, [0])), "H4_BAD_INDEX");
  }
});

Deno.test("bidx: non-minimal varints inside a page are H4_BAD_VARINT (H4-ENC-001)", () => {
  const page = Uint8Array.from([20, 0, 0x83, 0x00, 0, 5]); // head 3 written in two bytes
  throwsH4(() => decodeBidxPage(page, ctx(1, [0])), "H4_BAD_VARINT", "H4-ENC-001");
});

Deno.test("index_columns: growColumns keeps rows and doubles", () => {
  let c = allocColumns(2);
  c.count = 2;
  c.pts.set([5, 6]);
  c.offset.set([20, 40]);
  c = growColumns(c, 3);
  assert.ok(c.pts.length >= 16);
  assert.equal(c.count, 2);
  assert.deepEqual([...c.pts.subarray(0, 2)], [5, 6]);
  assert.deepEqual([...c.offset.subarray(0, 2)], [20, 40]);
  assert.equal(growColumns(c, 1), c, "no copy when there is room");
});

Deno.test("bidx: mutated pages either throw or decode to columns that encode to the same bytes (fast and slow decoders agree)", () => {
  const next = rng(19);
  const rows: Row[] = [];
  for (let i = 0; i < 40; i++) {
    rows.push({
      track: i % 3,
      pts: i * 1000 + (i % 3),
      kind: i % 3,
      keyframe: i % 5 === 0 ? 1 : 0,
      codec: i % 7 === 0 ? 1 : 0,
      stored: 5 + i,
      plain: i % 7 === 0 ? 50 + i : undefined,
      newChunk: i % 4 === 0 ? 1 : 0,
    });
  }
  const cols = columns(rows);
  const page = encodeBidxPage(cols, 0, cols.count, [0, 0, 1]);
  const ctx = { first: 0, count: cols.count, trackCodecs: [0, 0, 1], overhead: 0 };
  let decoded = 0;
  for (let k = 0; k < 3000; k++) {
    const m = page.slice();
    for (let j = 0; j <= k % 3; j++) m[Math.floor(next() * m.length)] = Math.floor(next() * 256);
    let got: IndexColumns;
    try {
      got = decodeBidxPage(m, ctx, k % 2 ? allocColumns(cols.count) : undefined);
    } catch (e) {
      assert.ok(e instanceof H4Error, String(e));
      continue;
    }
    decoded++;
    assert.deepEqual(encodeBidxPage(got, 0, got.count, [0, 0, 1]), m);
  }
  assert.ok(decoded > 0);
});
