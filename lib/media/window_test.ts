import assert from "node:assert/strict";
import { bytesSource } from "../format/byte_source.ts";
import { readerOf, windows } from "./window.ts";

Deno.test("windows: every view holds the input's bytes, in order and out of order", async () => {
  const data = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 31) & 0xff);
  const reader = await readerOf(bytesSource(data));
  const w = windows(reader.readInto, data.length, 1000);
  // sequential (the prefetch is used), then jumps back and forth (a wrong guess is dropped)
  for (const at of [0, 1000, 2000, 2500, 9500, 100, 9999, 3000, 4000]) {
    const v = await w.at(at);
    assert.equal(v.length, Math.min(1000, data.length - at));
    assert.deepEqual(v, data.subarray(at, at + v.length), `at ${at}`);
  }
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
