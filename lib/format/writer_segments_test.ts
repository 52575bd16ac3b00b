import assert from "node:assert/strict";
import { createSegmentBuffer } from "./writer_segments.ts";

const head = (slot: number) => (payload: Uint8Array) => ({
  head: new Uint8Array(12).fill(payload.length & 0xff),
  slot,
});

Deno.test("segments: follow each other in one arena, each behind room for its header", () => {
  const s = createSegmentBuffer(100, () => undefined);
  assert.equal(s.open, false);
  s.append(new Uint8Array([1, 2]));
  assert.equal(s.open, true);
  s.append(new Uint8Array([3]));
  assert.equal(s.length, 3);
  const a = s.close(head(0));
  assert.deepEqual([...a], [...new Uint8Array(12).fill(3), 1, 2, 3]);
  assert.equal(s.open, false);
  assert.equal(s.length, 0);
  // The first arena is small (one segment of the target); the next ones are larger.
  assert.equal(s.fits(100), false);
  assert.deepEqual(s.retire()!.ranges, [12, 15, 0]);
  assert.equal(s.retire(), undefined, "nothing left to hand out");
  s.append(new Uint8Array([4]));
  const b = s.close(head(1));
  assert.equal(s.fits(100), true, "room for another segment of 100 bytes");
  s.append(new Uint8Array(0));
  const c = s.close(head(2));
  assert.equal(c.length, 12);
  assert.equal(c.buffer, b.buffer, "the same arena");
  assert.equal(c.byteOffset, b.byteOffset + b.length, "right after the one before");
  const r = s.retire()!;
  assert.deepEqual(r.ranges, [12, 13, 1, 25, 25, 2]);
  assert.equal(r.buffer, b.buffer);
});

Deno.test("segments: the first arena grows with its first segment; later ones hold the target", () => {
  const target = 3 << 20; // more than the first arena (1 MiB)
  const s = createSegmentBuffer(target, () => undefined);
  const part = new Uint8Array(700 * 1024).fill(7);
  for (let i = 0; i < 4; i++) s.append(part); // 2.8 MiB: grows twice, keeps the bytes
  const c = s.close(head(0));
  assert.equal(c.length, 12 + 4 * part.length);
  assert.ok(c.subarray(12).every((x) => x === 7));
  assert.equal(s.fits(target), false, "a new segment of up to 3 MiB does not fit");
  assert.throws(() => s.close(head(1)), "closing without a segment open is a bug");
});

Deno.test("segments: a full arena is handed out and the next one comes from reuse", () => {
  const back: ArrayBuffer[] = [];
  const asked: number[] = [];
  const s = createSegmentBuffer(1000, (min) => {
    asked.push(min);
    return back.pop();
  });
  const got: number[][] = [];
  for (let k = 0; k < 40; k++) {
    if (!s.fits(1000)) {
      const r = s.retire()!;
      got.push(r.ranges);
      back.push(r.buffer); // hashed at once, as this thread does before the worker starts
    }
    s.append(new Uint8Array(1000).fill(k));
    const c = s.close(head(k));
    assert.equal(c[12], k);
    assert.equal(c.length, 1012);
  }
  // Each arena held whole segments, in order, and no segment was ever moved.
  const slots = got.flatMap((r) => r.filter((_, i) => i % 3 === 2));
  assert.deepEqual(slots, slots.map((_, i) => i));
  assert.ok(asked.length >= got.length);
});

Deno.test("segments: with arenaBytes every arena has that size from the first", () => {
  const s = createSegmentBuffer(1024, () => undefined, 8192);
  s.append(new Uint8Array(10));
  s.close(() => ({ head: new Uint8Array(12), slot: 0 }));
  assert.equal(s.retire()?.buffer.byteLength, 8192);
  // never smaller than one segment and its header
  const t = createSegmentBuffer(1024, () => undefined, 100);
  t.append(new Uint8Array(10));
  t.close(() => ({ head: new Uint8Array(12), slot: 0 }));
  assert.equal(t.retire()?.buffer.byteLength, 1036);
});
