import assert from "node:assert/strict";
import { bytesSource } from "../format/byte_source.ts";
import { spanSource } from "./span_source.ts";

Deno.test("spanSource: reads inside the prefetched span need no read of the inner source", async () => {
  const inner = bytesSource(Uint8Array.from({ length: 100 }, (_, i) => i));
  let reads = 0, closed = 0;
  const s = spanSource({
    size: inner.size,
    read: (o, n) => (reads++, inner.read(o, n)),
    close: () => void closed++,
  });
  assert.equal(s.size, 100);
  await s.prefetch(10, 20);
  assert.equal(reads, 1);
  assert.deepEqual(await s.read(10, 20), await inner.read(10, 20));
  assert.deepEqual(await s.read(25, 5), Uint8Array.from([25, 26, 27, 28, 29]));
  assert.equal(reads, 1);
  // Past the span's end, or before its start: the inner source.
  assert.deepEqual(await s.read(28, 5), Uint8Array.from([28, 29, 30, 31, 32]));
  assert.deepEqual(await s.read(5, 6), Uint8Array.from([5, 6, 7, 8, 9, 10]));
  assert.equal(reads, 3);
  await s.close?.();
  assert.equal(closed, 1);
});
