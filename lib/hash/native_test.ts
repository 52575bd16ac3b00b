import assert from "node:assert/strict";
import { withoutNative } from "./testdata/without_native.ts";
import { crc32 } from "./crc32.ts";
import { loadNative, native } from "./native.ts";
import { createSha256, sha256, sha256Async } from "./sha256.ts";
import { randomBytes, rng } from "./testdata/random.ts";

Deno.test("native: loadNative loads once, and finds node:crypto and node:zlib in Deno", async () => {
  const a = loadNative();
  assert.equal(loadNative(), a);
  await a;
  assert.ok(native.createSha256 !== undefined);
  assert.equal(typeof native.crc32, "function");
  assert.equal(typeof native.inflateSync, "function");
});

Deno.test("native: CRC-32 and SHA-256 give the same results without the native primitives", async () => {
  const r = rng(31);
  const inputs = [0, 1, 7, 8, 63, 64, 65, 1000, 70_000].map((n) => randomBytes(r, n));
  const run = async () => ({
    crc: inputs.map((b) => crc32(b, 99)),
    sha: inputs.map((b) => sha256(b).toHex()),
    inc: inputs.map((b) => createSha256().update(b).update(b).digest().toHex()),
    async: await Promise.all(inputs.map(async (b) => (await sha256Async(b)).toHex())),
    native: native.createSha256 !== undefined,
  });
  const withIt = await run();
  const without = await withoutNative(run);
  assert.equal(withIt.native, true);
  assert.equal(without.native, false);
  assert.deepEqual({ ...without, native: true }, withIt);
});
