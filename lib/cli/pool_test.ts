import assert from "node:assert/strict";
import { createPool } from "./pool.ts";

Deno.test("pool bounds concurrency and runs everything", async () => {
  const pool = createPool(3);
  let active = 0;
  let peak = 0;
  let done = 0;
  for (let i = 0; i < 20; i++) {
    await pool.run(async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 1));
      active--;
      done++;
    });
  }
  await pool.drain();
  assert.equal(done, 20);
  assert.ok(peak <= 3 && peak >= 2);
});

Deno.test("pool reports the first error and starts nothing after it", async () => {
  const pool = createPool(2);
  let started = 0;
  await assert.rejects(async () => {
    for (let i = 0; i < 50; i++) {
      await pool.run(async () => {
        started++;
        await Promise.resolve();
        if (i === 3) throw new Error("disk full");
      });
    }
    await pool.drain();
  }, /disk full/);
  assert.ok(started < 50);
  await assert.rejects(() => pool.drain(), /disk full/);
});
