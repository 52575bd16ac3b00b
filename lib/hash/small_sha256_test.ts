import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { sha256Into } from "./small_sha256.ts";

Deno.test("sha256Into: the same digests as node:crypto for every length 0..300 and a few large", () => {
  const src = new Uint8Array(70_000);
  for (let i = 0; i < src.length; i++) src[i] = (i * 2654435761) >>> 24;
  const out = new Uint8Array(40);
  const lengths = [...Array(301).keys(), 1023, 1024, 1025, 4096, 65_537];
  for (const length of lengths) {
    const at = length % 7;
    sha256Into(src, at, length, out, 5);
    const want = createHash("sha256").update(src.subarray(at, at + length)).digest();
    assert.deepEqual(out.subarray(5, 37), new Uint8Array(want), `length ${length}`);
  }
});

Deno.test("sha256Into: writes only its 32 bytes", () => {
  const out = new Uint8Array(34).fill(7);
  sha256Into(new Uint8Array(3), 0, 3, out, 1);
  assert.equal(out[0], 7);
  assert.equal(out[33], 7);
});
