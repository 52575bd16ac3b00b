import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import {
  decodeLivc,
  encodeLivc,
  epochCount,
  type LivcFields,
  livcLength,
  parseLivc,
} from "./livc.ts";

const fields: LivcFields = {
  suite: "chacha20-poly1305",
  containerId: Uint8Array.from({ length: 16 }, (_, i) => i),
  epochBlocks: 4,
  blockCount: 10,
  keyCheck: new Uint8Array(16).fill(0xcc),
  transcript: new Uint8Array(32).fill(0x77),
  seal: new Uint8Array(32).fill(0x55),
};

Deno.test("livc: layout (SPEC.md 12.8)", () => {
  const b = encodeLivc(fields);
  assert.equal(b.length, livcLength(17));
  assert.equal(b.length, 136);
  const hex = b.toHex();
  const want = "0001" + "11" + new TextEncoder().encode("chacha20-poly1305").toHex() +
    fields.containerId.toHex() +
    "00000004" + "000000000000000a" + "0000000000000003" + "cc".repeat(16) + "77".repeat(32) +
    "55".repeat(32);
  assert.equal(hex, want);
  const d = decodeLivc(b);
  assert.equal(d.epochCount, 3);
  assert.equal(d.suite, fields.suite);
  assert.deepEqual(d.containerId, fields.containerId);
  assert.deepEqual(d.seal, fields.seal);
  assert.equal(d.sealedPart.length, b.length - 32);
});

Deno.test("livc: epochCount", () => {
  assert.equal(epochCount(0, 1), 0);
  assert.equal(epochCount(1, 4096), 1);
  assert.equal(epochCount(4096, 4096), 1);
  assert.equal(epochCount(4097, 4096), 2);
  assert.equal(epochCount(0xffff_ffff, 4096), 1 << 20);
});

Deno.test("livc: every malformed payload is H4_CIPHER_BAD_HEADER", () => {
  const good = encodeLivc(fields);
  const edit = (f: (b: Uint8Array, v: DataView) => void): Uint8Array => {
    const b = good.slice();
    f(b, new DataView(b.buffer));
    return b;
  };
  const bad = [
    new Uint8Array(0),
    new Uint8Array(2),
    good.subarray(0, good.length - 1),
    new Uint8Array([...good, 0]),
    edit((_, v) => v.setUint16(0, 2)),
    edit((b) => (b[2] = 0)),
    edit((b) => (b[2] = 33)),
    edit((b) => (b[2] = 16)),
    edit((_, v) => v.setUint32(36, 0)), // epoch_blocks 0
    edit((_, v) => v.setUint32(40, 1)), // block_count ≥ 2^32
    edit((_, v) => v.setUint32(52, 2)), // epoch_count wrong
    edit((_, v) => v.setUint32(48, 1)), // epoch_count high word
    edit((_, v) => v.setUint32(36, 5)), // K = 5: ceil(10/5) = 2, epoch_count says 3
  ];
  for (const [i, b] of bad.entries()) {
    assert.throws(() => decodeLivc(b), (e) => isH4Error(e, "H4_CIPHER_BAD_HEADER"), `case ${i}`);
  }
  // A consistent change of K and epoch_count is structurally fine (the key check catches it).
  const consistent = edit((_, v) => {
    v.setUint32(36, 5);
    v.setUint32(52, 2);
  });
  assert.equal(decodeLivc(consistent).epochBlocks, 5);
});

Deno.test("livc: parseLivc shows public values and flags unknown suites instead of refusing", () => {
  const v = parseLivc(encodeLivc(fields));
  assert.deepEqual(v, {
    version: 1,
    suite: "chacha20-poly1305",
    suiteSupported: true,
    containerId: fields.containerId.toHex(),
    epochBlocks: 4,
    blockCount: 10,
    epochs: 3,
    keyCheck: "cc".repeat(16),
    transcript: "77".repeat(32),
    seal: "55".repeat(32),
  });
  assert.equal(
    parseLivc(encodeLivc({ ...fields, suite: "xchacha20-poly1305" })).suiteSupported,
    false,
  );
});

Deno.test("livc: encodeLivc rejects bad fields with H4_BAD_ARGUMENT", () => {
  for (
    const f of [{ suite: "" }, { suite: "x".repeat(33) }, { containerId: new Uint8Array(15) }, {
      epochBlocks: 0,
    }, {
      blockCount: 2 ** 32,
    }, { seal: new Uint8Array(31) }]
  ) {
    assert.throws(
      () => encodeLivc({ ...fields, ...f }),
      (e) => isH4Error(e, "H4_BAD_ARGUMENT"),
      JSON.stringify(f),
    );
  }
});
