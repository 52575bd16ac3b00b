import assert from "node:assert/strict";
import {
  checkDistinctSigners,
  decodeSignPayload,
  encodeSignPayload,
  keyIdOf,
  makeSignPayload,
  signedMessage,
  verifySignature,
} from "./signature.ts";
import { signingKeyFromSeed } from "./sign_keys.ts";
import { throwsH4 } from "./testdata/helpers.ts";

const loca = (fill: number) => new Uint8Array(160).fill(fill);

Deno.test("SIGN payload: 100 bytes, version 1, Ed25519; anything else is H4_BAD_SIGNATURE", () => {
  const p = encodeSignPayload(new Uint8Array(32).fill(1), new Uint8Array(64).fill(2));
  assert.deepEqual([...p.subarray(0, 4)], [0, 1, 0, 1]);
  const r = decodeSignPayload(p, 500);
  assert.equal(r.offset, 500);
  assert.equal(r.keyId, keyIdOf(new Uint8Array(32).fill(1)));
  throwsH4(() => decodeSignPayload(p.subarray(0, 99), 0), "H4_BAD_SIGNATURE", "H4-SIG-002");
  throwsH4(() => decodeSignPayload(new Uint8Array(101), 0), "H4_BAD_SIGNATURE", "H4-SIG-002");
  const v2 = p.slice();
  v2[1] = 2;
  throwsH4(() => decodeSignPayload(v2, 0), "H4_BAD_SIGNATURE", "H4-SIG-002");
  const alg = p.slice();
  alg[3] = 7;
  throwsH4(() => decodeSignPayload(alg, 0), "H4_BAD_SIGNATURE", "H4-SIG-002");
  throwsH4(() => checkDistinctSigners([r, { ...r, offset: 612 }]), "H4_BAD_SIGNATURE");
});

Deno.test("signed message: label, LOCA 0..32, root, D(LIVC); each part binds", async () => {
  const m = signedMessage(loca(3), null);
  assert.equal(new TextDecoder().decode(m.subarray(0, 11)), "H4MK-SIGN-1");
  assert.equal(m.length, 11 + 32 + 32 + 32);
  const key = await signingKeyFromSeed(new Uint8Array(32).fill(9));
  const p = await makeSignPayload(key.seed, key.publicKey, loca(3), null);
  const r = decodeSignPayload(p, 0);
  assert.ok(await verifySignature(r, loca(3), null));
  // Another root (bytes 128..160), other counts (0..32), a LIVC: no longer verifies.
  const root = loca(3);
  root[140] ^= 1;
  assert.ok(!await verifySignature(r, root, null));
  const counts = loca(3);
  counts[20] ^= 1;
  assert.ok(!await verifySignature(r, counts, null));
  assert.ok(!await verifySignature(r, loca(3), new Uint8Array(4)));
  // Bytes 32..128 (the slots) are covered by the root, not signed twice.
  const slots = loca(3);
  slots[60] ^= 1;
  assert.ok(await verifySignature(r, slots, null));
});
