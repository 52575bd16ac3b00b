import assert from "node:assert/strict";
import {
  ed25519PublicKey,
  generateEd25519,
  signEd25519,
  usePortableEd25519,
  verifyEd25519,
} from "./ed25519.ts";

// RFC 8032 section 7.1, TEST 2 (one-byte message).
const SEED = Uint8Array.fromHex(
  "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
);
const PUB = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
const SIG = "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da" +
  "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";
const MSG = new Uint8Array([0x72]);

for (const portable of [false, true]) {
  const name = portable ? "@noble/curves" : "Web Crypto";
  Deno.test(`ed25519 (${name}): RFC 8032 test 2, and a wrong message or key fails`, async () => {
    await usePortableEd25519(portable);
    try {
      assert.equal((await ed25519PublicKey(SEED)).toHex(), PUB);
      const sig = await signEd25519(SEED, MSG);
      assert.equal(sig.toHex(), SIG);
      assert.ok(await verifyEd25519(Uint8Array.fromHex(PUB), MSG, sig));
      assert.ok(!await verifyEd25519(Uint8Array.fromHex(PUB), new Uint8Array([0x73]), sig));
      const other = await generateEd25519();
      assert.ok(!await verifyEd25519(other.publicKey, MSG, sig));
      // Not a curve point, wrong lengths: false, never a throw.
      assert.ok(!await verifyEd25519(new Uint8Array(32).fill(0xff), MSG, sig));
      assert.ok(!await verifyEd25519(Uint8Array.fromHex(PUB), MSG, sig.subarray(0, 63)));
    } finally {
      await usePortableEd25519(false);
    }
  });
}

Deno.test("ed25519: a seed of the wrong length is a typed error", async () => {
  await assert.rejects(signEd25519(new Uint8Array(31), MSG), { code: "H4_BAD_ARGUMENT" });
});
