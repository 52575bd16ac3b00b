import assert from "node:assert/strict";
import { createOutput } from "./writer_output.ts";

Deno.test("output: writes go one at a time, in order; pos counts them at once", async () => {
  const log: string[] = [];
  const resolvers: (() => void)[] = [];
  const out = createOutput({
    write(b) {
      log.push(`start ${b[0]}`);
      return new Promise<void>((r) =>
        resolvers.push(() => {
          log.push(`end ${b[0]}`);
          r();
        })
      );
    },
  });
  const first = out.write(new Uint8Array([1, 1]), false);
  assert.equal(out.pos, 2);
  await Promise.resolve();
  resolvers.shift()!();
  await first; // not held: resolves with the write possibly in progress
  const second = out.write(new Uint8Array([2]), false);
  await Promise.resolve();
  assert.equal(out.pos, 3);
  const settled = out.settle();
  while (resolvers.length === 0) await Promise.resolve();
  resolvers.shift()!();
  await second;
  await settled;
  assert.deepEqual(log, ["start 1", "end 1", "start 2", "end 2"]);
});

Deno.test("output: a held write resolves only once the sink is done", async () => {
  let done = false;
  const out = createOutput({
    write: () => new Promise<void>((r) => setTimeout(() => (done = true, r()), 1)),
  });
  await out.write(new Uint8Array(1), true);
  assert.equal(done, true);
});

Deno.test("output: a sink's failure reaches the next write or settle", async () => {
  let n = 0;
  const out = createOutput({
    write: () => (++n === 1 ? Promise.reject(new Error("disk full")) : undefined),
  });
  await out.write(new Uint8Array(1), false);
  await assert.rejects(out.settle(), /disk full/);
  await out.write(new Uint8Array(1), false);
  assert.equal(n, 2);
});
