import assert from "node:assert/strict";
import { concat } from "./bytes.ts";
import { createWriter } from "./writer.ts";
import type { BlockInput, ByteSink } from "./types.ts";

/** 32 MiB of blocks (arenas grow to 4 MiB, then are reused), each of its own bytes. */
function* blocks(): Generator<BlockInput> {
  for (let i = 0; i < 4096; i++) {
    const payload = new Uint8Array(8192 + (i % 7) * 3);
    for (let j = 0; j < payload.length; j += 64) payload[j] = (i * 31 + j) & 255;
    yield { track_id: "v", pts_us: i * 40_000, kind: "I", keyframe: i % 25 === 0, payload };
  }
}

async function write(sink: ByteSink, expectedBytes?: number): Promise<void> {
  const w = createWriter(sink, { expectedBytes });
  for (const b of blocks()) await w.add(b);
  await w.finish();
}

for (const expectedBytes of [undefined, 32 << 20]) {
  const arenas = expectedBytes ? "1 MiB arenas" : "arenas growing to 4 MiB";
  Deno.test(`writer: ${arenas} are not reused while the sink is still writing them`, async () => {
    // A sink that copies at once, and one that reads the bytes only when its write completes
    // (as the kernel does with an asynchronous write): the same output.
    const now: Uint8Array[] = [];
    await write({ write: (b) => void now.push(b.slice()) }, expectedBytes);
    const later: Uint8Array[] = [];
    await write({
      write: (b) =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            later.push(b.slice());
            resolve();
          }, 1)
        ),
    }, expectedBytes);
    assert.ok(now.length > 3);
    const a = concat(later);
    const b = concat(now);
    assert.equal(a.length, b.length);
    // The first differing byte, if any (a byte-wise comparison of 32 MiB prints too much).
    assert.equal(a.findIndex((x, i) => x !== b[i]), -1);
  });
}
