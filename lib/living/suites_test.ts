import assert from "node:assert/strict";
import fc from "fast-check";
import { isH4Error } from "../format/errors.ts";
import { getSuite, hasNativeSuite, SUITE_NAMES } from "./suites.ts";

const hex = (s: string) => Uint8Array.fromHex(s.replace(/[\s:]/g, ""));

// RFC 8439 section 2.8.2.
const RFC_KEY = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
const RFC_NONCE = hex("070000004041424344454647");
const RFC_AD = hex("50515253c0c1c2c3c4c5c6c7");
const RFC_PT = new TextEncoder().encode(
  "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
);
const RFC_CT_START = hex("d31a8d34648e60db7b86afbc53ef7ec2");
const RFC_TAG = hex("1ae10b594f09e26a7e902ecbd0600691");

const backends = hasNativeSuite("chacha20-poly1305")
  ? ["native", "portable"] as const
  : ["portable"] as const;

Deno.test("suites: chacha20-poly1305 is the mandatory suite and present natively in Deno", () => {
  assert.deepEqual(SUITE_NAMES, ["chacha20-poly1305"]);
  assert.equal(hasNativeSuite("chacha20-poly1305"), true);
  assert.equal(getSuite("chacha20-poly1305").backend, "native");
});

for (const b of backends) {
  Deno.test(`suites: RFC 8439 2.8.2 vector, ${b}`, () => {
    const s = getSuite("chacha20-poly1305", b);
    const stored = s.seal(RFC_KEY, RFC_NONCE, RFC_AD, RFC_PT);
    assert.equal(stored.length, RFC_PT.length + 16);
    assert.deepEqual(stored.subarray(0, 16), RFC_CT_START);
    assert.deepEqual(stored.subarray(RFC_PT.length), RFC_TAG);
    assert.deepEqual(s.open(RFC_KEY, RFC_NONCE, RFC_AD, stored), RFC_PT);
  });

  Deno.test(`suites: ${b} rejects every tampering and short input with null`, () => {
    const s = getSuite("chacha20-poly1305", b);
    const stored = s.seal(RFC_KEY, RFC_NONCE, RFC_AD, RFC_PT);
    for (const bit of [0, 7, 8 * 50, 8 * RFC_PT.length, 8 * stored.length - 1]) {
      const t = stored.slice();
      t[bit >> 3] ^= 1 << (bit & 7);
      assert.equal(s.open(RFC_KEY, RFC_NONCE, RFC_AD, t), null, `bit ${bit}`);
    }
    const ad = RFC_AD.slice();
    ad[0] ^= 1;
    assert.equal(s.open(RFC_KEY, RFC_NONCE, ad, stored), null);
    const nonce = RFC_NONCE.slice();
    nonce[11] ^= 1;
    assert.equal(s.open(RFC_KEY, nonce, RFC_AD, stored), null);
    assert.equal(s.open(RFC_KEY, RFC_NONCE, RFC_AD, stored.subarray(0, 15)), null);
    assert.equal(s.open(RFC_KEY, RFC_NONCE, RFC_AD, stored.subarray(0, stored.length - 1)), null);
    assert.equal(s.open(RFC_KEY, RFC_NONCE, RFC_AD, new Uint8Array(0)), null);
  });

  Deno.test(`suites: ${b} returns plain Uint8Arrays, also for empty plaintexts`, () => {
    const s = getSuite("chacha20-poly1305", b);
    const stored = s.seal(RFC_KEY, RFC_NONCE, RFC_AD, new Uint8Array(0));
    assert.equal(stored.length, 16);
    assert.equal(Object.getPrototypeOf(stored), Uint8Array.prototype);
    const back = s.open(RFC_KEY, RFC_NONCE, RFC_AD, stored)!;
    assert.equal(back.length, 0);
    assert.equal(Object.getPrototypeOf(back), Uint8Array.prototype);
  });
}

Deno.test("suites: native and portable give identical bytes (property)", () => {
  const native = getSuite("chacha20-poly1305", "native");
  const portable = getSuite("chacha20-poly1305", "portable");
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.uint8Array({ minLength: 12, maxLength: 12 }),
      fc.uint8Array({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 5000 }),
      (key, nonce, ad, pt) => {
        const a = native.seal(key, nonce, ad, pt);
        const b = portable.seal(key, nonce, ad, pt);
        assert.deepEqual(a, b);
        assert.deepEqual(native.open(key, nonce, ad, b), pt);
        assert.deepEqual(portable.open(key, nonce, ad, a), pt);
      },
    ),
    { numRuns: 200 },
  );
  // Sizes around ChaCha and Poly1305 block boundaries, and one large block.
  const key = new Uint8Array(32).fill(1);
  const nonce = new Uint8Array(12).fill(2);
  for (const n of [0, 1, 15, 16, 17, 63, 64, 65, 4099, 1 << 20]) {
    const pt = new Uint8Array(n).map((_, i) => i * 13);
    assert.deepEqual(
      native.seal(key, nonce, pt.subarray(0, 40), pt),
      portable.seal(key, nonce, pt.subarray(0, 40), pt),
      `${n}`,
    );
  }
});

Deno.test("suites: an unknown suite is H4_CIPHER_UNKNOWN_SUITE, a bad backend H4_BAD_ARGUMENT", () => {
  assert.throws(
    () => getSuite("aes-128-cbc"),
    (e) => isH4Error(e, "H4_CIPHER_UNKNOWN_SUITE") && /aes-128-cbc/.test(e.message),
  );
  assert.throws(
    () => getSuite("ChaCha20-Poly1305"),
    (e) => isH4Error(e, "H4_CIPHER_UNKNOWN_SUITE"),
  );
  assert.throws(
    () => getSuite("\u0000\u0001"),
    (e) => isH4Error(e, "H4_CIPHER_UNKNOWN_SUITE") && /non-printable/.test(e.message),
  );
  assert.throws(
    () => getSuite("chacha20-poly1305", "fast" as never),
    (e) => isH4Error(e, "H4_BAD_ARGUMENT"),
  );
});
