import assert from "node:assert/strict";
import { rleDecode, rleEncode } from "./rle.ts";
import { randomBytes, rng, throwsH4 } from "./testdata/helpers.ts";

Deno.test("rle: exact encoding of the original writer (value, run 1..255)", () => {
  assert.deepEqual([...rleEncode(Uint8Array.of(5, 5, 5, 7))], [5, 3, 7, 1]);
  assert.deepEqual([...rleEncode(new Uint8Array(0))], []);
  assert.deepEqual([...rleEncode(new Uint8Array(255).fill(9))], [9, 255]);
  assert.deepEqual([...rleEncode(new Uint8Array(256).fill(9))], [9, 255, 9, 1]);
  assert.deepEqual([...rleEncode(new Uint8Array(1000))], [0, 255, 0, 255, 0, 255, 0, 235]);
  assert.deepEqual([...rleEncode(Uint8Array.of(1, 2, 1, 2))], [1, 1, 2, 1, 1, 1, 2, 1]);
});

Deno.test("rle: round trips random, run-heavy and empty payloads", () => {
  const r = rng(21);
  for (let i = 0; i < 200; i++) {
    const n = Math.floor(r() * 3000);
    const data = new Uint8Array(n);
    // Runs of random lengths (some > 255) of random values.
    for (let o = 0; o < n;) {
      const run = Math.floor(r() * (r() < 0.1 ? 700 : 8)) + 1;
      data.fill(Math.floor(r() * 4), o, o + run);
      o += run;
    }
    const enc = rleEncode(data);
    assert.equal(enc.length % 2, 0);
    for (let k = 1; k < enc.length; k += 2) assert.ok(enc[k] >= 1 && enc[k] <= 255);
    assert.deepEqual(rleDecode(enc, n), data);
  }
  const noise = randomBytes(r, 4096);
  assert.deepEqual(rleDecode(rleEncode(noise), noise.length), noise);
  assert.deepEqual(rleDecode(new Uint8Array(0), 0), new Uint8Array(0));
});

Deno.test("rle: malformed input is H4_CODEC_ERROR (H4-COD-002)", () => {
  // Odd length.
  throwsH4(() => rleDecode(Uint8Array.of(1, 2, 3), 2), "H4_CODEC_ERROR", "H4-COD-002");
  throwsH4(() => rleDecode(Uint8Array.of(1), 0), "H4_CODEC_ERROR", "H4-COD-002");
  // A run of 0.
  throwsH4(() => rleDecode(Uint8Array.of(1, 2, 7, 0, 3, 1), 3), "H4_CODEC_ERROR", "H4-COD-002");
  throwsH4(() => rleDecode(Uint8Array.of(7, 0), 0), "H4_CODEC_ERROR", "H4-COD-002");
  // Wrong plain length, both ways.
  throwsH4(() => rleDecode(Uint8Array.of(1, 3), 2), "H4_CODEC_ERROR", "H4-COD-002");
  throwsH4(() => rleDecode(Uint8Array.of(1, 3), 4), "H4_CODEC_ERROR", "H4-COD-002");
  throwsH4(() => rleDecode(Uint8Array.of(1, 3, 2, 200), 4), "H4_CODEC_ERROR", "H4-COD-002");
  throwsH4(() => rleDecode(new Uint8Array(0), 1), "H4_CODEC_ERROR", "H4-COD-002");
});

Deno.test("rle: a plain length the stream cannot reach fails before allocating it", () => {
  // 2 stored bytes decode to at most 255: a claim of 1 GiB is refused up front.
  throwsH4(() => rleDecode(Uint8Array.of(1, 255), 2 ** 30), "H4_CODEC_ERROR", "H4-COD-002");
  throwsH4(() => rleDecode(new Uint8Array(0), 2 ** 30), "H4_CODEC_ERROR", "H4-COD-002");
  // Output larger than the plain length stops at the first pair that passes it.
  const bomb = new Uint8Array(2 * 100_000).fill(255);
  throwsH4(() => rleDecode(bomb, 10), "H4_CODEC_ERROR", "H4-COD-002");
});
