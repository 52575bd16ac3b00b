import assert from "node:assert/strict";
import { LOCA_SLOTS, type LocaSlot } from "./constants.ts";
import { decodeLoca, encodeLoca, type Locator } from "./loca.ts";
import { throwsH4 } from "./testdata/helpers.ts";

function locator(): Locator {
  const slots = Object.fromEntries(LOCA_SLOTS.map((s, i) => [
    s,
    s === "SAFE" ? null : { offset: 1000 + i * 100, length: 12 + i },
  ])) as Locator["slots"];
  return {
    header: Uint8Array.of(0x48, 0x34, 0x4d, 0x4b, 0, 2, 0, 0),
    flags: 1,
    trackCount: 3,
    blockCount: 2 ** 32 + 5,
    chunkCount: 2 ** 53 - 1,
    slots,
    root: new Uint8Array(32).map((_, i) => i),
  };
}

Deno.test("loca: 160-byte payload round trip with its field offsets", () => {
  const l = locator();
  const b = encodeLoca(l);
  assert.equal(b.length, 160);
  assert.deepEqual(decodeLoca(b), l);
  const v = new DataView(b.buffer);
  assert.deepEqual(b.subarray(0, 8), l.header);
  assert.equal(v.getUint16(8), 1, "locator_version");
  assert.equal(v.getUint16(10), 1, "flags");
  assert.equal(v.getUint32(12), 3);
  assert.equal(v.getUint32(16) * 2 ** 32 + v.getUint32(20), 2 ** 32 + 5);
  // Slots: 12 bytes each from offset 32, in the order BIDX BHSH KSEK TDIR TRKS META SAFE LIVC.
  LOCA_SLOTS.forEach((s: LocaSlot, i) => {
    const ref = l.slots[s];
    assert.equal(v.getUint32(32 + 12 * i + 4), ref ? ref.offset : 0, s);
    assert.equal(v.getUint32(32 + 12 * i + 8), ref ? ref.length : 0, s);
  });
  assert.deepEqual(b.subarray(128), l.root);
});

Deno.test("loca: a payload that is not 160 bytes is H4_BAD_LOCATOR (H4-LOC-002)", () => {
  const b = encodeLoca(locator());
  for (const n of [0, 159, 161, 172]) {
    const x = new Uint8Array(n);
    x.set(b.subarray(0, Math.min(n, 160)));
    throwsH4(() => decodeLoca(x), "H4_BAD_LOCATOR", "H4-LOC-002");
  }
});

Deno.test("loca: locator_version, unknown flags, half-empty slots (H4-LOC-002)", () => {
  const b = encodeLoca(locator());
  const v2 = b.slice();
  v2[9] = 2;
  throwsH4(() => decodeLoca(v2), "H4_BAD_LOCATOR", "H4-LOC-002");
  for (const flag of [2, 4, 0x80, 0x100, 0x8000]) {
    const f = b.slice();
    new DataView(f.buffer).setUint16(10, 1 | flag);
    throwsH4(() => decodeLoca(f), "H4_BAD_LOCATOR", "H4-LOC-002");
  }
  // Offset without length and length without offset.
  const noLen = b.slice();
  new DataView(noLen.buffer).setUint32(32 + 8, 0);
  throwsH4(() => decodeLoca(noLen), "H4_BAD_LOCATOR", "H4-LOC-002");
  const noOff = b.slice();
  new DataView(noOff.buffer).setUint32(32 + 4, 0);
  throwsH4(() => decodeLoca(noOff), "H4_BAD_LOCATOR", "H4-LOC-002");
});

Deno.test("loca: u64 fields above 2^53-1 are rejected (H4-ENC-004)", () => {
  for (const at of [16, 24, 32, 32 + 12 * 5]) {
    const b = encodeLoca(locator());
    b[at + 1] = 0x20;
    b[at] = 0;
    throwsH4(() => decodeLoca(b), "H4_BAD_VARINT", "H4-ENC-004");
  }
});
