import assert from "node:assert/strict";
import { boundedCache, cachePromise } from "./page_cache.ts";

Deno.test("boundedCache: keeps at most maxEntries, oldest out first", () => {
  const c = boundedCache<number, number>({ maxEntries: 3 });
  for (let i = 0; i < 5; i++) c.set(i, i * 10);
  assert.equal(c.size, 3);
  assert.deepEqual([0, 1, 2, 3, 4].map((k) => c.has(k)), [false, false, true, true, true]);
  assert.equal(c.get(4), 40);
  c.delete(4);
  assert.equal(c.size, 2);
});

Deno.test("boundedCache: by weight, and a value over a quarter of it is not kept", () => {
  const c = boundedCache<string, Uint8Array>({ maxWeight: 100, weigh: (v) => v.length });
  c.set("a", new Uint8Array(20));
  c.set("b", new Uint8Array(20));
  c.set("big", new Uint8Array(26));
  assert.ok(!c.has("big"));
  for (let i = 0; i < 4; i++) c.set(`x${i}`, new Uint8Array(20));
  // 6 × 20 bytes do not fit in 100: the oldest went.
  assert.ok(!c.has("a") && c.has("b") && c.has("x0") && c.has("x3"));
  // Replacing a key counts its new weight only: 85 bytes, and 20 more push out one entry.
  c.set("x3", new Uint8Array(5));
  c.set("y", new Uint8Array(20));
  assert.ok(!c.has("b") && c.has("x0") && c.has("y"));
});

Deno.test("cachePromise: a rejected promise is forgotten, a later one for the key is kept", async () => {
  const c = boundedCache<number, Promise<number>>({ maxEntries: 2 });
  const failed = cachePromise(c, 1, Promise.reject(new Error("read failed")));
  const ok = Promise.resolve(2);
  await assert.rejects(failed);
  assert.ok(!c.has(1));
  cachePromise(c, 1, ok);
  await ok;
  assert.equal(c.get(1), ok);
});
