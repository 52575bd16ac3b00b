import assert from "node:assert/strict";
import { crc32, crc32Portable } from "./crc32.ts";
import { randomBytes, rng } from "./testdata/random.ts";
import { loadNative, native } from "./native.ts";

// These tests compare the native primitives with the portable ones: load them.
await loadNative();
assert.ok(native.crc32 && native.createSha256 && native.inflateSync, "native primitives loaded");

const ascii = (s: string) => new TextEncoder().encode(s);

Deno.test("crc32: known values (IEEE 802.3, as zlib)", () => {
  for (const f of [crc32, crc32Portable]) {
    assert.equal(f(new Uint8Array(0)), 0);
    assert.equal(f(ascii("123456789")), 0xcbf43926);
    assert.equal(f(ascii("The quick brown fox jumps over the lazy dog")), 0x414fa339);
    assert.equal(f(new Uint8Array(32)), 0x190a55ad);
    assert.equal(f(new Uint8Array(32).fill(0xff)), 0xff6cab0b);
  }
});

Deno.test("crc32: native and portable agree on many random inputs", () => {
  const r = rng(7);
  for (let i = 0; i < 300; i++) {
    const n = i < 40 ? i : Math.floor(r() * 5000);
    const b = randomBytes(r, n);
    const want = crc32Portable(b);
    assert.equal(crc32(b), want, `length ${n}`);
    assert.ok(want >= 0 && want <= 0xffffffff && Number.isInteger(want), "unsigned 32-bit");
  }
});

Deno.test("crc32: incremental updates with odd splits equal one pass, across implementations", () => {
  const r = rng(8);
  for (let i = 0; i < 100; i++) {
    const b = randomBytes(r, 1 + Math.floor(r() * 3000));
    const whole = crc32Portable(b);
    let a = 0, p = 0, mixed = 0;
    let k = 0;
    for (let o = 0; o < b.length;) {
      const step = 1 + Math.floor(r() * 97);
      const part = b.subarray(o, o + step);
      a = crc32(part, a);
      p = crc32Portable(part, p);
      mixed = k++ % 2 ? crc32(part, mixed) : crc32Portable(part, mixed);
      o += step;
    }
    assert.equal(a, whole);
    assert.equal(p, whole);
    assert.equal(mixed, whole);
  }
});

Deno.test("crc32: works on subarrays with a byte offset", () => {
  const big = randomBytes(rng(9), 1000);
  const sub = big.subarray(13, 777);
  assert.equal(crc32(sub), crc32Portable(sub.slice()));
  assert.equal(crc32Portable(sub), crc32(sub.slice()));
});
