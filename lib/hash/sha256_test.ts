import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createSha256, createSha256Portable, sha256, sha256Async } from "./sha256.ts";
import { randomBytes, rng } from "./testdata/random.ts";
import { loadNative, native } from "./native.ts";

// These tests compare the native primitives with the portable ones: load them.
await loadNative();
assert.ok(native.crc32 && native.createSha256 && native.inflateSync, "native primitives loaded");

const ascii = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => b.toHex();

Deno.test("sha256: FIPS 180-4 vectors", () => {
  const vectors: [Uint8Array, string][] = [
    [new Uint8Array(0), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    [ascii("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    [
      ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    ],
  ];
  for (const [input, want] of vectors) {
    assert.equal(hex(sha256(input)), want);
    assert.equal(hex(createSha256().update(input).digest()), want);
    assert.equal(hex(createSha256Portable().update(input).digest()), want);
  }
  // One million 'a'.
  const m = new Uint8Array(1_000_000).fill(0x61);
  assert.equal(
    hex(createSha256Portable().update(m).digest()),
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
  );
  assert.equal(hex(sha256(m)), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
});

Deno.test("sha256: native and portable agree on many random inputs", () => {
  const r = rng(11);
  for (let i = 0; i < 200; i++) {
    const n = i < 130 ? i : Math.floor(r() * 10_000);
    const b = randomBytes(r, n);
    const want = createHash("sha256").update(b).digest("hex");
    assert.equal(hex(sha256(b)), want, `length ${n}`);
    assert.equal(hex(createSha256Portable().update(b).digest()), want, `portable, length ${n}`);
  }
});

Deno.test("sha256: incremental updates with odd splits equal one pass", () => {
  const r = rng(12);
  for (let i = 0; i < 60; i++) {
    const b = randomBytes(r, Math.floor(r() * 4000));
    const want = hex(sha256(b));
    const native = createSha256();
    const portable = createSha256Portable();
    for (let o = 0; o < b.length;) {
      // 0-length updates, 1, 63, 64, 65 and random sizes.
      const step = [0, 1, 63, 64, 65, 3][Math.floor(r() * 6)] || Math.floor(r() * 200);
      const part = b.subarray(o, o + step);
      assert.equal(native.update(part), native, "update chains");
      portable.update(part);
      o += step;
    }
    assert.equal(hex(native.digest()), want);
    assert.equal(hex(portable.digest()), want);
  }
});

Deno.test("sha256: digests are fresh 32-byte arrays", () => {
  const d = sha256(ascii("x"));
  assert.equal(d.length, 32);
  assert.ok(d instanceof Uint8Array);
  const d2 = sha256(ascii("x"));
  d[0] ^= 1;
  assert.notEqual(d[0], d2[0], "callers may mutate a digest without affecting others");
});

Deno.test("sha256Async: same digests as sha256; the caller may reuse the bytes at once", async () => {
  const r = rng(13);
  for (let i = 0; i < 40; i++) {
    const b = randomBytes(r, Math.floor(r() * 100_000));
    const want = hex(sha256(b));
    const p = sha256Async(b);
    b.fill(0); // reused before the digest resolves
    assert.equal(hex(await p), want);
  }
  assert.equal(
    hex(await sha256Async(new Uint8Array(0))),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
  // A subarray hashes only its own bytes.
  const big = randomBytes(r, 1000);
  assert.equal(hex(await sha256Async(big.subarray(10, 500))), hex(sha256(big.slice(10, 500))));
});
