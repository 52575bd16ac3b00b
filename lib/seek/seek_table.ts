/**
 * Seek semantics, SPEC.md section 10: binary search over one track's seek table.
 *
 * @module
 */
import type { SeekTable } from "../format/ksek.ts";

/**
 * Position in `table` of the entry where decoding starts for time `pts`: among entries with the
 * greatest pts ≤ `pts`, the one with the smallest block index; before the first entry, entry 0
 * with `found = false`. Returns -1 for an empty table. O(log n).
 *
 * @example
 * ```ts
 * import { seekEntry } from "./seek_table.ts";
 * import { allocSeekTable } from "../format/ksek.ts";
 * import assert from "node:assert/strict";
 * const t = allocSeekTable(2);
 * t.pts.set([0, 1000]); t.block.set([0, 30]);
 * assert(seekEntry(t, 999).entry === 0 && seekEntry(t, 1000).entry === 1);
 * ```
 */
export function seekEntry(table: SeekTable, pts: number): { entry: number; found: boolean } {
  const n = table.count;
  if (n === 0) return { entry: -1, found: false };
  const p = table.pts;
  if (pts < p[0]) return { entry: 0, found: false };
  // Last entry with p <= pts.
  let lo = 0, hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (p[mid] <= pts) lo = mid;
    else hi = mid - 1;
  }
  // Entries are sorted by (pts, block): step back to the first entry of equal pts.
  const target = p[lo];
  let lo2 = 0, hi2 = lo;
  while (lo2 < hi2) {
    const mid = (lo2 + hi2) >>> 1;
    if (p[mid] < target) lo2 = mid + 1;
    else hi2 = mid;
  }
  return { entry: lo2, found: true };
}
