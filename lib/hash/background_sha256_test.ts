import assert from "node:assert/strict";
import {
  type BackgroundSha256,
  type BackgroundSha256Options,
  createBackgroundSha256,
} from "./background_sha256.ts";
import { loadNative } from "./native.ts";
import { sha256 } from "./sha256.ts";
import { randomBytes, rng } from "./testdata/random.ts";

// The worker path needs the native hash, as the writer (which loads it) has it.
await loadNative();

const hex = (b: Uint8Array) => b.toHex();

async function feedAll(h: BackgroundSha256, parts: Uint8Array[]): Promise<string> {
  for (const p of parts) {
    const copy = p.slice();
    const wait = h.update(copy);
    if (wait) await wait;
    copy.fill(0xaa); // taken: the caller may reuse it
  }
  return hex(await h.digest());
}

Deno.test("createBackgroundSha256: inline, below and above the worker threshold, odd splits", async () => {
  const r = rng(14);
  // 12 MiB (more than the worker's 8 MiB in flight, so back-pressure happens), built fast by
  // tiling 64 KiB of random bytes and marking each tile.
  const tile = randomBytes(r, 65_536);
  const data = new Uint8Array(12 * 1024 * 1024 + 777);
  for (let k = 0; k * 65_536 < data.length; k++) {
    data.set(tile.subarray(0, Math.min(65_536, data.length - k * 65_536)), k * 65_536);
    data[k * 65_536] ^= k & 0xff;
    data[k * 65_536 + 1] ^= k >> 8;
  }
  const want = hex(sha256(data));
  const splits = (step: () => number) => {
    const parts: Uint8Array[] = [];
    for (let o = 0; o < data.length;) {
      const n = step();
      parts.push(data.subarray(o, o + n));
      o += n;
    }
    return parts;
  };
  const cases: [BackgroundSha256Options, Uint8Array[]][] = [
    [{ worker: false }, splits(() => 1 + Math.floor(r() * 3_000_000))],
    [{}, splits(() => 1 + Math.floor(r() * 3_000_000))], // below the 32 MiB default: no worker
    [{ threshold: 0 }, splits(() => 1 + Math.floor(r() * 5_000_000))],
    [{ threshold: 1000 }, splits(() => 1 + Math.floor(r() * 300_000))],
    [{ threshold: 2_000_000 }, [
      data.subarray(0, 1),
      data.subarray(1, 2_500_000),
      data.subarray(2_500_000),
    ]],
    [{ threshold: 1 << 20 }, splits(() => 1 << 20)], // exact buffer multiples
  ];
  for (const [opts, parts] of cases) {
    assert.equal(await feedAll(createBackgroundSha256(opts), parts), want, JSON.stringify(opts));
  }
  // Empty input, with and without a worker.
  const e = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  assert.equal(await feedAll(createBackgroundSha256({ threshold: 0 }), [new Uint8Array(0)]), e);
  assert.equal(await feedAll(createBackgroundSha256(), []), e);
});

Deno.test("createBackgroundSha256: digest twice or update after digest is refused; close stops it", async () => {
  const h = createBackgroundSha256({ threshold: 10 });
  await h.update(new Uint8Array(100));
  await h.digest();
  await assert.rejects(async () => await h.digest());
  assert.throws(() => h.update(new Uint8Array(1)));
  const g = createBackgroundSha256({ threshold: 10 });
  await g.update(new Uint8Array(100));
  await g.close();
});

Deno.test("createBackgroundSha256: without the stream hash, chunk hashes only (v2 writer)", async () => {
  const r = rng(15);
  const chunks = Array.from({ length: 40 }, (_, i) => randomBytes(r, 20_000 + i * 9_000));
  const h = createBackgroundSha256({ stream: false, threshold: 100_000 });
  const got: Promise<Uint8Array>[] = [];
  let byWorker = 0;
  for (const c of chunks) {
    const framed = new Uint8Array(12 + c.length);
    framed.set(c, 12);
    const bg = h.updateChunk(framed, 12);
    if (bg) {
      byWorker++;
      got.push(bg.digest);
      if (bg.wait) await bg.wait;
    } else {
      got.push(Promise.resolve(sha256(c)));
      const wait = h.update(framed);
      if (wait) await wait;
    }
    framed.fill(0x55); // taken: the caller may reuse it
  }
  h.flush();
  const digests = await Promise.all(got);
  digests.forEach((d, i) => assert.equal(hex(d), hex(sha256(chunks[i])), `chunk ${i}`));
  assert.ok(byWorker > 0, "the worker took chunks past the threshold");
  await assert.rejects(h.digest(), TypeError);
  await h.close();
});
