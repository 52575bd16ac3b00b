import assert from "node:assert/strict";
import { allocSeekTable, type SeekTable } from "../format/ksek.ts";
import { allocColumns } from "../format/index_columns.ts";
import { checkRows, endRows, newRowState, sortedEntries } from "./verify_rows.ts";

function table(blocks: number[]): SeekTable {
  const t = allocSeekTable(blocks.length);
  t.count = blocks.length;
  blocks.forEach((b, k) => {
    t.block[k] = b;
    t.pts[k] = b * 10;
  });
  return t;
}

/** What a stable sort by block of the entries, table by table, gives: [block, track, k]. */
function expected(tables: SeekTable[], n: number): number[][] {
  const all: number[][] = [];
  tables.forEach((t, tk) => {
    for (let k = 0; k < t.count; k++) {
      if (Number.isInteger(t.block[k]) && t.block[k] >= 0 && t.block[k] < n) {
        all.push([t.block[k], tk, k]);
      }
    }
  });
  return all.sort((a, b) => a[0] - b[0]);
}

function got(tables: SeekTable[], n: number): number[][] {
  const total = tables.reduce((s, t) => s + t.count, 0);
  const e = sortedEntries(tables, total, n, new Float64Array(tables.length).fill(-1));
  return Array.from({ length: e.count }, (_, j) => [e.block[j], e.track[j], e.k[j]]);
}

Deno.test("sortedEntries: tables in block order are merged as a stable sort orders them", () => {
  const cases = [
    [table([0, 3, 6, 9]), table([1, 2, 3, 10])],
    [table([]), table([5, 5, 7]), table([0, 5, 8])],
    [table([2]), table([]), table([]), table([1, 2])],
  ];
  for (const tables of cases) assert.deepEqual(got(tables, 11), expected(tables, 11));
});

Deno.test("sortedEntries: a table out of block order, and entries naming no block", () => {
  const tables = [table([4, 1, 3]), table([2, 0, 99, -1, 1.5])];
  assert.deepEqual(got(tables, 5), expected(tables, 5));
  const bad = new Float64Array([-1, -1]);
  sortedEntries(tables, 8, 5, bad);
  assert.deepEqual([...bad], [-1, 2]);
  // More tracks than are merged: sorted.
  const many = Array.from({ length: 20 }, (_, t) => table([t, 40 - t]));
  assert.deepEqual(got(many, 50), expected(many, 50));
});

Deno.test("checkRows: state carries across pages; chunk sums are stored as each chunk ends", () => {
  // Blocks of 3 and 5 bytes in chunk 0 (at 8), then one of 4 bytes in chunk 1.
  const page = allocColumns(3);
  page.count = 3;
  [20, 23, 40].forEach((o, r) => page.offset[r] = o);
  [3, 5, 4].forEach((l, r) => page.stored[r] = l);
  [0, 0, 1].forEach((c, r) => page.chunk[r] = c);
  page.keyframe[0] = 1;
  const state = newRowState({
    legacy: false,
    collectKeys: true,
    starts: new Float64Array([8, 28]),
    chunks: 2,
    trackIds: ["v"],
    entries: sortedEntries([table([0])], 1, 3, new Float64Array(1).fill(-1)),
    decodeFrom: 0,
    encrypted: false,
  });
  state.entries.pts[0] = page.pts[0];
  state.entries.offset[0] = 20;
  state.entries.stored[0] = 3;
  checkRows(state, page, 0, 2, null);
  checkRows(state, page, 2, 1, null);
  endRows(state);
  assert.deepEqual([...state.sums], [8, 4]);
  assert.deepEqual([...state.blocksIn], [2, 1]);
  assert.equal(state.indexed, 3);
  assert.deepEqual(state.keyBlocks, [[0]]);
  assert.equal(state.firstKeyListed[0], 1);
  assert.equal(state.badEntry[0], -1);
  // A block that does not follow the one before: H4-IDX-005, `indexed` at the block.
  const next = newRowState({
    legacy: false,
    collectKeys: false,
    starts: new Float64Array([8, 28]),
    chunks: 2,
    trackIds: ["v"],
    entries: undefined,
    decodeFrom: 0,
    encrypted: false,
  });
  page.offset[1] = 24;
  assert.throws(() => checkRows(next, page, 0, 3, null), { rule: "H4-IDX-005" });
  assert.equal(next.indexed, 1);
});
