import assert from "node:assert/strict";
import { createHmac, hkdfSync } from "node:crypto";
import { isH4Error } from "../format/errors.ts";
import {
  blockKey,
  computeSeal,
  createEpochChain,
  epochZeroKey,
  keyCheck,
  MAX_CACHED_EPOCHS,
  nextEpochKey,
  timingSafeEqual,
} from "./key_schedule.ts";

const enc = new TextEncoder();
const ROOT = Uint8Array.from({ length: 32 }, (_, i) => i);
const CID = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

function nodeExpand(prk: Uint8Array, info: string, len: number): Uint8Array {
  // HKDF-Expand for L ≤ 32 is one HMAC block: T(1) = HMAC(PRK, info || 0x01).
  return new Uint8Array(
    createHmac("sha256", prk).update(enc.encode(info)).update(new Uint8Array([1])).digest(),
  ).slice(0, len);
}

Deno.test("key schedule: every derivation matches an independent HKDF (node:crypto)", () => {
  const e0 = epochZeroKey(ROOT, CID);
  assert.deepEqual(
    e0,
    new Uint8Array(hkdfSync("sha256", ROOT, CID, enc.encode("H4MK-LC1 epoch 0"), 32)),
  );
  const e1 = nextEpochKey(e0);
  assert.deepEqual(e1, nodeExpand(e0, "H4MK-LC1 epoch step", 32));
  assert.deepEqual(
    blockKey(e1, "chacha20-poly1305"),
    nodeExpand(e1, "H4MK-LC1 block key chacha20-poly1305", 32),
  );
  assert.deepEqual(keyCheck(e1), nodeExpand(e1, "H4MK-LC1 key check", 16));
  const sealKey = nodeExpand(e1, "H4MK-LC1 seal key", 32);
  const head = new Uint8Array([1, 2, 3]);
  const root = new Uint8Array(32).fill(9);
  const mac = createHmac("sha256", sealKey).update(enc.encode("H4MK-LC1 seal")).update(head).update(
    root,
  ).digest();
  assert.deepEqual(computeSeal(e1, head, root), new Uint8Array(mac));
});

Deno.test("key schedule: known answers (pinned)", () => {
  const e0 = epochZeroKey(ROOT, CID);
  assert.equal(e0.toHex(), KAT.e0);
  assert.equal(nextEpochKey(e0).toHex(), KAT.e1);
  assert.equal(blockKey(e0, "chacha20-poly1305").toHex(), KAT.k0);
});
const KAT = {
  e0: "570864774f90619f3432e2187183a1b813797061801e7f1d4e171c7da9ea83a1",
  e1: "6adc44bac190191d62929b40e2f97c9ba492216ccf1f95a1b06625428f6b4ba8",
  k0: "253b69726ee0114b624a013fc170efd9c68aa01f90f85a9322e48e1bad592a32",
};

Deno.test("key schedule: the container id and the suite separate keys", () => {
  const cid2 = CID.slice();
  cid2[15] ^= 1;
  assert.notDeepEqual(epochZeroKey(ROOT, CID), epochZeroKey(ROOT, cid2));
  const e0 = epochZeroKey(ROOT, CID);
  assert.notDeepEqual(blockKey(e0, "chacha20-poly1305"), blockKey(e0, "chacha20-poly1306"));
  assert.throws(
    () => epochZeroKey(new Uint8Array(31), CID),
    (e) => isH4Error(e, "H4_CIPHER_BAD_KEY"),
  );
  assert.throws(
    () => epochZeroKey(ROOT, new Uint8Array(8)),
    (e) => isH4Error(e, "H4_BAD_ARGUMENT"),
  );
});

Deno.test("key schedule: a chain gives the same keys as stepping, from any start", () => {
  const e0 = epochZeroKey(ROOT, CID);
  const steps = [e0];
  for (let i = 1; i <= 20; i++) steps.push(nextEpochKey(steps[i - 1]));
  const full = createEpochChain(0, e0, 20);
  for (let e = 20; e >= 0; e--) assert.deepEqual(full.key(e), steps[e], `epoch ${e}`);
  const granted = createEpochChain(7, steps[7], 20);
  for (let e = 7; e <= 20; e++) assert.deepEqual(granted.key(e), steps[e]);
  assert.throws(() => granted.key(6), (e) => isH4Error(e, "H4_CIPHER_WRONG_EPOCH"));
  assert.throws(() => granted.key(21), (e) => isH4Error(e, "H4_CIPHER_WRONG_EPOCH"));
  // The caller's key is not erased; wipe erases the chain's own copies.
  assert.deepEqual(steps[7], nextEpochKey(steps[6]));
  granted.wipe();
  assert.deepEqual(granted.key(7), new Uint8Array(32));
});

Deno.test("key schedule: long chains keep checkpoints and still give every key", () => {
  const e0 = new Uint8Array(32).fill(3);
  const last = MAX_CACHED_EPOCHS + 10; // stride 2
  const chain = createEpochChain(0, e0, last);
  let k: Uint8Array = e0;
  const want = new Map<number, Uint8Array>();
  for (let e = 0; e <= last; e++) {
    if (e === 0 || e === 1 || e === 12345 || e === last - 1 || e === last) want.set(e, k);
    k = nextEpochKey(k);
  }
  for (const [e, v] of want) assert.deepEqual(chain.key(e), v, `epoch ${e}`);
});

Deno.test("key schedule: timingSafeEqual", () => {
  assert.equal(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])), true);
  assert.equal(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])), false);
  assert.equal(timingSafeEqual(new Uint8Array([1]), new Uint8Array([1, 0])), false);
});
