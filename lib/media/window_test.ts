import assert from "node:assert/strict";
import { bytesSource } from "../format/byte_source.ts";
import { readerOf, windows } from "./window.ts";

Deno.test("windows: every view holds the input's bytes, in order and out of order", async () => {
  const data = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 31) & 0xff);
  const reader = await readerOf(bytesSource(data));
  const w = windows(reader.readInto, data.length, 1000);
  // sequential (the prefetch is used), a step back into the last window (its tail goes in
  // front of the prefetch: 500 more bytes), then jumps back and forth (a wrong guess is dropped)
  const longer: Record<number, number> = { 2500: 500, 3500: 500, 4000: 1000 };
  for (const at of [0, 1000, 2000, 2500, 9500, 100, 9999, 3000, 3500, 4000]) {
    const v = await w.at(at);
    assert.equal(v.length, Math.min(1000, data.length - at) + (longer[at] ?? 0), `at ${at}`);
    assert.deepEqual(v, data.subarray(at, at + v.length), `at ${at}`);
  }
});

Deno.test("windows: a sample across the end of a window does not make the input be read again", async () => {
  const data = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) & 0xff);
  let read = 0;
  const w = windows(
    async (b, o) => {
      read += b.length;
      await Promise.resolve();
      b.set(data.subarray(o, o + b.length));
    },
    data.length,
    8192,
  );
  // As the importer does: samples of 700 bytes; a window from each sample that does not fit.
  let win: Uint8Array = new Uint8Array(0);
  let winStart = 0;
  for (let at = 0; at < data.length; at += 700) {
    const n = Math.min(700, data.length - at);
    if (!(at >= winStart && at + n <= winStart + win.length)) {
      win = await w.at(at);
      winStart = at;
    }
    assert.deepEqual(win.subarray(at - winStart, at - winStart + n), data.subarray(at, at + n));
  }
  // Each byte read once (the last read-ahead may be wasted: at most one window more).
  assert.ok(read <= data.length + 8192, `read ${read} bytes of ${data.length}`);
});

Deno.test("readerOf a path reads with the file API, and reports a file that shrank", async () => {
  const path = await Deno.makeTempFile();
  try {
    const data = Uint8Array.from({ length: 5000 }, (_, i) => i & 0xff);
    await Deno.writeFile(path, data);
    const r = await readerOf(bytesSource(data), path);
    const buf = new Uint8Array(100);
    await r.readInto(buf, 4000);
    assert.deepEqual(buf, data.subarray(4000, 4100));
    await Deno.truncate(path, 4050);
    await assert.rejects(
      r.readInto(buf, 4000),
      (e) => (e as { code?: string }).code === "H4_SOURCE_CHANGED",
    );
    await r.close();
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("windows: a prefetched first window is used when it is the one asked for", async () => {
  const data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 13) & 0xff);
  const reads: number[] = [];
  const readInto = async (b: Uint8Array, o: number) => {
    reads.push(o);
    await Promise.resolve();
    b.set(data.subarray(o, o + b.length));
  };
  const w = windows(readInto, data.length, 1000);
  w.prefetch(200);
  assert.deepEqual(await w.at(200), data.subarray(200, 1200));
  assert.deepEqual(reads, [200, 1200]); // the prefetch, then the next window ahead
  // A wrong guess is read again where asked.
  const w2 = windows(readInto, data.length, 1000);
  reads.length = 0;
  w2.prefetch(0);
  assert.deepEqual(await w2.at(300), data.subarray(300, 1300));
  assert.deepEqual(reads, [0, 300, 1300]);
});

Deno.test("readerOf a path: sequential reads and reads elsewhere give the file's bytes", async () => {
  const path = await Deno.makeTempFile();
  try {
    const data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff);
    await Deno.writeFile(path, data);
    const r = await readerOf(bytesSource(data), path);
    const buf = new Uint8Array(100);
    // in order (no seek between them), back, forward past a gap, and in order again
    for (const at of [0, 100, 200, 50, 4000, 4100, 4900]) {
      await r.readInto(buf, at);
      assert.deepEqual(buf, data.subarray(at, at + 100), `at ${at}`);
    }
    await r.close();
  } finally {
    await Deno.remove(path);
  }
});
