import assert from "node:assert/strict";
import { createAnswerPool, HEAD_ROOM, POOL_KEEP } from "./answer_pool.ts";

Deno.test("answer pool: a buffer given back is taken again, in its size class only", () => {
  const pool = createAnswerPool();
  const a = pool.take(4096 + HEAD_ROOM);
  assert.equal(a.length, 4096 + HEAD_ROOM);
  assert.equal(a.buffer.byteLength, 4096 + HEAD_ROOM);
  pool.give(a);
  assert.equal(pool.free, 1);
  // Another class does not take it.
  const big = pool.take(5000 + HEAD_ROOM);
  assert.notEqual(big.buffer, a.buffer);
  assert.equal(big.buffer.byteLength, 8192 + HEAD_ROOM);
  // The same class does, once.
  const again = pool.take(10);
  assert.equal(again.buffer, a.buffer);
  assert.equal(pool.free, 0);
  assert.notEqual(pool.take(10).buffer, a.buffer);
});

Deno.test("answer pool: at most 2x the answer, large ones unpooled, foreign buffers ignored", () => {
  const pool = createAnswerPool();
  for (const n of [1, 4096, 4097 + HEAD_ROOM, 40_000, 65536 + HEAD_ROOM]) {
    const b = pool.take(n);
    assert.equal(b.length, n);
    assert.ok(b.buffer.byteLength <= Math.max(2 * n, 4096 + HEAD_ROOM), String(n));
  }
  const huge = pool.take(65537 + HEAD_ROOM);
  pool.give(huge);
  pool.give(new Uint8Array(1000));
  pool.give(new Uint8Array(4096 + HEAD_ROOM).subarray(1));
  assert.equal(pool.free, 0);
});

Deno.test("answer pool: keeps at most POOL_KEEP buffers of a class", () => {
  const pool = createAnswerPool();
  const taken = Array.from({ length: POOL_KEEP + 10 }, () => pool.take(100));
  for (const b of taken) pool.give(b);
  assert.equal(pool.free, POOL_KEEP);
});
