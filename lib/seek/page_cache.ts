/**
 * The reader's one bounded cache: index pages, hash pages and verified storage chunks are each
 * kept in one, bounded by a number of entries or by bytes, oldest first out. Memory stays flat
 * however much of a file is read (SPEC.md 18.5 for verified chunks).
 *
 * @module
 */

/** Bounds of a {@linkcode BoundedCache}. */
export interface CacheBounds<V> {
  /** Most entries kept. */
  maxEntries?: number;
  /** Most total weight kept (bytes, with `weigh`). */
  maxWeight?: number;
  /** Weight of a value; values over a quarter of `maxWeight` are not kept. */
  weigh?: (value: V) => number;
}

/** A map that forgets its oldest entries past its bounds. */
export interface BoundedCache<K, V> {
  /** The value of `key`, if kept. */
  get(key: K): V | undefined;
  /** Whether `key` is kept. */
  has(key: K): boolean;
  /** Keeps `value` under `key`, forgetting the oldest entries to stay within the bounds. */
  set(key: K, value: V): void;
  /** Forgets `key`. */
  delete(key: K): void;
  /** Number of entries kept. */
  readonly size: number;
}

/**
 * A cache kept within `bounds`, oldest entry out first.
 *
 * @example
 * ```ts
 * import { boundedCache } from "./page_cache.ts";
 * import assert from "node:assert/strict";
 * const c = boundedCache<number, string>({ maxEntries: 2 });
 * c.set(1, "a"); c.set(2, "b"); c.set(3, "c");
 * assert(!c.has(1) && c.get(3) === "c" && c.size === 2);
 * ```
 */
export function boundedCache<K, V>(bounds: CacheBounds<V>): BoundedCache<K, V> {
  const map = new Map<K, V>();
  const maxEntries = bounds.maxEntries ?? Infinity;
  const maxWeight = bounds.maxWeight ?? Infinity;
  const weigh = bounds.weigh ?? (() => 0);
  let weight = 0;
  const drop = (key: K) => {
    if (!map.has(key)) return;
    weight -= weigh(map.get(key)!);
    map.delete(key);
  };
  return {
    get: (key) => map.get(key),
    has: (key) => map.has(key),
    set(key, value) {
      const w = weigh(value);
      if (w > maxWeight / 4) return;
      drop(key);
      while (map.size > 0 && (map.size >= maxEntries || weight + w > maxWeight)) {
        drop(map.keys().next().value!);
      }
      map.set(key, value);
      weight += w;
    },
    delete: drop,
    get size() {
      return map.size;
    },
  };
}

/**
 * Keeps the promise `got` under `key` and forgets it if it rejects, so that a failed read is
 * tried again; returns `got`.
 *
 * @example
 * ```ts
 * import { boundedCache, cachePromise } from "./page_cache.ts";
 * import assert from "node:assert/strict";
 * const c = boundedCache<number, Promise<number>>({ maxEntries: 4 });
 * await assert.rejects(cachePromise(c, 1, Promise.reject(new Error("x"))));
 * assert(!c.has(1));
 * ```
 */
export function cachePromise<K, V>(
  cache: BoundedCache<K, Promise<V>>,
  key: K,
  got: Promise<V>,
): Promise<V> {
  got.catch(() => {
    if (cache.get(key) === got) cache.delete(key);
  });
  cache.set(key, got);
  return got;
}
