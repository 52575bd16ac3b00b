/**
 * The remote reader's memory of recently fetched ranges, so that a read inside one (a block's
 * header, then the block) costs no request. Least recently used first out, within a budget.
 *
 * @module
 */

/** A cache of fetched ranges. */
export interface RangeCache {
  /** A copy of `length` bytes at `offset` when one cached range holds them all, else null. */
  get(offset: number, length: number): Uint8Array | null;
  /** Keeps `bytes` fetched at `start` (not when over a quarter of the budget). */
  remember(start: number, bytes: Uint8Array): void;
  /** Forgets everything. */
  clear(): void;
}

/**
 * Makes a cache of at most `budget` bytes (0 = none).
 *
 * @example
 * ```ts
 * import { createRangeCache } from "./range_cache.ts";
 * import assert from "node:assert/strict";
 * const cache = createRangeCache(1024);
 * cache.remember(100, new Uint8Array([1, 2, 3]));
 * assert(cache.get(101, 2)?.join() === "2,3");
 * assert(cache.get(102, 2) === null);
 * ```
 */
export function createRangeCache(budget: number): RangeCache {
  const recent: { start: number; bytes: Uint8Array }[] = []; // most recent last
  let held = 0;
  return {
    get(offset, length) {
      for (let i = recent.length - 1; i >= 0; i--) {
        const c = recent[i];
        if (offset >= c.start && offset + length <= c.start + c.bytes.length) {
          if (i !== recent.length - 1) recent.push(...recent.splice(i, 1));
          return c.bytes.slice(offset - c.start, offset - c.start + length);
        }
      }
      return null;
    },
    remember(start, bytes) {
      if (bytes.length > budget / 4) return; // a big read would evict everything for little
      recent.push({ start, bytes });
      held += bytes.length;
      while (held > budget) held -= recent.shift()!.bytes.length;
    },
    clear() {
      recent.length = 0;
      held = 0;
    },
  };
}
