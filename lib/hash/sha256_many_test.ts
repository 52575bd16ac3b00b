import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { _forceFallback, sha256Many, sha256ManyUsesSimd } from "./sha256_many.ts";
import { isH4Error } from "../format/errors.ts";
import { rng } from "./testdata/random.ts";

function nodeSha(b: Uint8Array): string {
  return createHash("sha256").update(b).digest("hex");
}

function check(src: Uint8Array, at: number[], length: number[]): void {
  const out = new Uint8Array(32 * at.length);
  sha256Many(src, at, length, at.length, out);
  for (let i = 0; i < at.length; i++) {
    assert.equal(
      out.subarray(32 * i, 32 * i + 32).toHex(),
      nodeSha(src.subarray(at[i], at[i] + length[i])),
      `message ${i} at ${at[i]} of ${length[i]} bytes`,
    );
  }
}

for (const simd of [true, false]) {
  const name = simd ? "SIMD lanes" : "fallback";
  Deno.test(`sha256Many (${name}): every length 0..600, in one batch and one at a time`, () => {
    _forceFallback(!simd);
    try {
      if (simd) assert(sha256ManyUsesSimd(), "Deno has WebAssembly SIMD");
      const r = rng(1);
      const src = new Uint8Array(700 * 601);
      for (let i = 0; i < src.length; i++) src[i] = r() * 256;
      const at: number[] = [], length: number[] = [];
      let p = 0;
      for (let n = 0; n <= 600; n++) {
        at.push(p);
        length.push(n);
        p += n + (n % 7);
      }
      check(src, at, length);
      // Block boundaries, one message per call.
      for (const n of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 121, 127, 128, 183, 184, 600]) {
        check(src, [3], [n]);
      }
    } finally {
      _forceFallback(false);
    }
  });

  Deno.test(`sha256Many (${name}): random batches of odd counts, overlaps and KiB messages`, () => {
    _forceFallback(!simd);
    try {
      const r = rng(2);
      const src = new Uint8Array(64 * 1024);
      for (let i = 0; i < src.length; i++) src[i] = r() * 256;
      for (const count of [0, 1, 2, 3, 5, 7, 8, 9, 33, 250]) {
        for (let round = 0; round < 3; round++) {
          const at: number[] = [], length: number[] = [];
          for (let i = 0; i < count; i++) {
            const big = r() < 0.1;
            const n = Math.floor(r() * (big ? 6000 : 300));
            at.push(Math.floor(r() * (src.length - n)));
            length.push(n);
          }
          check(src, at, length);
        }
      }
      // Far apart in a large source (copied one by one), and longer than the lanes take.
      const wide = new Uint8Array(12 * 1024 * 1024);
      wide.set(src.subarray(0, 5000), 10);
      wide.set(src.subarray(0, 5000), wide.length - 30000);
      check(wide, [10, wide.length - 30000, 0], [5000, 20000, 100]);
    } finally {
      _forceFallback(false);
    }
  });
}

Deno.test("sha256Many: batches past the copy limit give the same digests", () => {
  const r = rng(3);
  const src = new Uint8Array(9 * 1024 * 1024);
  for (let i = 0; i < src.length; i += 97) src[i] = r() * 256;
  const at: number[] = [], length: number[] = [];
  for (let p = 0; p + 4000 < src.length; p += 3000) {
    at.push(p);
    length.push(100 + (p % 3900));
  }
  check(src, at, length);
});

Deno.test("sha256Many: bad arguments are H4_BAD_ARGUMENT", () => {
  const src = new Uint8Array(100), out = new Uint8Array(64);
  const bad = (f: () => void, text: string) =>
    assert.throws(f, (e) => isH4Error(e, "H4_BAD_ARGUMENT") && e.message.includes(text));
  bad(() => sha256Many(src, [90], [11], 1, out), "message 0 at 90 of 11 bytes is outside 100");
  bad(() => sha256Many(src, [-1], [1], 1, out), "message 0 at -1");
  bad(() => sha256Many(src, [0.5], [1], 1, out), "message 0 at 0.5");
  bad(() => sha256Many(src, [0], [1], 2, out), "count is 2, offsets 1");
  bad(() => sha256Many(src, [0], [1], -1, out), "count is -1");
  bad(() => sha256Many(src, [0, 0, 0], [1, 1, 1], 3, out), "out is 64 bytes, needs 96");
});
