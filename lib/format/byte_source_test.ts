import assert from "node:assert/strict";
import { bytesSource } from "./byte_source.ts";
import { rejectsH4 } from "./testdata/helpers.ts";

Deno.test("bytesSource: reads views within bounds", async () => {
  const data = Uint8Array.of(1, 2, 3, 4, 5);
  const s = bytesSource(data);
  assert.equal(s.size, 5);
  assert.deepEqual([...await s.read(1, 3)], [2, 3, 4]);
  assert.deepEqual([...await s.read(0, 5)], [1, 2, 3, 4, 5]);
  assert.deepEqual([...await s.read(5, 0)], []);
});

Deno.test("bytesSource: out-of-bounds and bad ranges are typed errors", async () => {
  const s = bytesSource(new Uint8Array(10));
  await rejectsH4(s.read(8, 3), "H4_TRUNCATED");
  await rejectsH4(s.read(11, 0), "H4_TRUNCATED");
  for (const [o, n] of [[-1, 1], [0, -1], [NaN, 1], [0, 1.5], [Infinity, 0], [2 ** 53, 1]]) {
    await rejectsH4(s.read(o, n), "H4_BAD_ARGUMENT");
  }
});
