import assert from "node:assert/strict";
import { allocSeekTable, type SeekTable } from "../format/ksek.ts";
import { rng } from "../format/testdata/helpers.ts";
import { seekEntry } from "./seek_table.ts";

function table(entries: [number, number][]): SeekTable {
  const t = allocSeekTable(entries.length);
  entries.forEach(([pts, block], i) => {
    t.pts[i] = pts;
    t.block[i] = block;
  });
  return t;
}

/** SPEC.md section 10, by brute force over the entries. */
function reference(entries: [number, number][], t: number): { entry: number; found: boolean } {
  if (entries.length === 0) return { entry: -1, found: false };
  let best = -1;
  for (let i = 0; i < entries.length; i++) {
    const [p, b] = entries[i];
    if (p > t) continue;
    if (best < 0 || p > entries[best][0] || (p === entries[best][0] && b < entries[best][1])) {
      best = i;
    }
  }
  return best < 0 ? { entry: 0, found: false } : { entry: best, found: true };
}

Deno.test("seekEntry: empty, before, equal, between, after", () => {
  assert.deepEqual(seekEntry(table([]), 0), { entry: -1, found: false });
  const t = table([[0, 1], [400, 5], [400, 6], [600, 8], [1000, 9]]);
  const cases: [number, number, boolean][] = [
    [-1, 0, false],
    [0, 0, true],
    [399, 0, true],
    [400, 1, true],
    [599, 1, true],
    [600, 3, true],
    [999, 3, true],
    [1000, 4, true],
    [Number.MAX_SAFE_INTEGER, 4, true],
    [-Number.MAX_SAFE_INTEGER, 0, false],
  ];
  for (const [pts, entry, found] of cases) {
    assert.deepEqual(seekEntry(t, pts), { entry, found }, `${pts}`);
  }
  // Runs of equal pts: the first of the run (smallest block index).
  const same = table([[5, 1], [5, 2], [5, 3], [5, 4]]);
  assert.deepEqual(seekEntry(same, 5), { entry: 0, found: true });
  assert.deepEqual(seekEntry(same, 100), { entry: 0, found: true });
  assert.deepEqual(seekEntry(same, 4), { entry: 0, found: false });
  assert.deepEqual(seekEntry(table([[-10, 0]]), -10), { entry: 0, found: true });
});

Deno.test("seekEntry: equals the brute-force reference on random sorted tables", () => {
  const r = rng(101);
  for (let n = 0; n < 500; n++) {
    const size = Math.floor(r() * 40);
    const entries: [number, number][] = [];
    let pts = Math.floor((r() - 0.5) * 1000);
    for (let i = 0; i < size; i++) {
      pts += r() < 0.3 ? 0 : Math.floor(r() * 50);
      entries.push([pts, i * 3 + Math.floor(r() * 3)]);
    }
    entries.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const t = table(entries);
    for (let k = 0; k < 20; k++) {
      const q = Math.floor((r() - 0.5) * 3000);
      assert.deepEqual(seekEntry(t, q), reference(entries, q), `table ${n} pts ${q}`);
    }
    for (const [p] of entries) {
      for (const q of [p - 1, p, p + 1]) assert.deepEqual(seekEntry(t, q), reference(entries, q));
    }
  }
});
