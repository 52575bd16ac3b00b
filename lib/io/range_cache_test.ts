import assert from "node:assert/strict";
import { createRangeCache } from "./range_cache.ts";

Deno.test("range cache: hits inside a range, least recently used out, big reads not kept", () => {
  const cache = createRangeCache(40);
  const bytes = (n: number, v: number) => new Uint8Array(n).fill(v);
  cache.remember(0, bytes(10, 1));
  cache.remember(100, bytes(10, 2));
  cache.remember(200, bytes(10, 3));
  assert.deepEqual(cache.get(2, 3), bytes(3, 1)); // 0 is now the most recent
  assert.equal(cache.get(8, 3), null); // runs past the range
  cache.remember(300, bytes(10, 4));
  cache.remember(400, bytes(10, 5)); // over 40 bytes: the least recent (100) goes
  assert.equal(cache.get(100, 1), null);
  assert.deepEqual(cache.get(0, 1), bytes(1, 1));
  cache.remember(500, bytes(11, 6)); // over a quarter of the budget: not kept
  assert.equal(cache.get(500, 1), null);
  // A copy: changing it does not change the cache.
  cache.get(0, 1)![0] = 9;
  assert.deepEqual(cache.get(0, 1), bytes(1, 1));
  cache.clear();
  assert.equal(cache.get(0, 1), null);
  assert.equal(createRangeCache(0).get(0, 0), null);
});
