import assert from "node:assert/strict";
import { cat, hex, raw, svarint, u16, u32, u64, u8, utf8, varint, varintPadded } from "./fields.ts";

Deno.test("fields: varints, minimal and padded", () => {
  assert.deepEqual([...varint(0)], [0]);
  assert.deepEqual([...varint(127)], [127]);
  assert.deepEqual([...varint(128)], [0x80, 1]);
  assert.deepEqual([...varint(2 ** 53 - 1)], [255, 255, 255, 255, 255, 255, 255, 15]);
  assert.deepEqual([...varint(2n ** 53n)], [128, 128, 128, 128, 128, 128, 128, 16]);
  assert.deepEqual([...varintPadded(5, 1).raw], [0x85, 0x00]);
  assert.deepEqual([...varintPadded(20, 2).raw], [0x94, 0x80, 0x00]);
  assert.deepEqual([...varint(raw(1, 2))], [1, 2]);
});

Deno.test("fields: zigzag svarints", () => {
  assert.deepEqual([...svarint(0)], [0]);
  assert.deepEqual([...svarint(-1)], [1]);
  assert.deepEqual([...svarint(1)], [2]);
  assert.deepEqual([...svarint(-64)], [127]);
  assert.deepEqual([...svarint(64)], [0x80, 1]);
});

Deno.test("fields: fixed-width big-endian, bigints, range errors", () => {
  assert.deepEqual([...u8(7)], [7]);
  assert.deepEqual([...u16(0x0102)], [1, 2]);
  assert.deepEqual([...u32(0x01020304)], [1, 2, 3, 4]);
  assert.deepEqual([...u64(2n ** 63n)], [0x80, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual([...u64(2 ** 53 - 1)], [0, 0x1f, 255, 255, 255, 255, 255, 255]);
  assert.throws(() => u16(65536));
  assert.throws(() => u8(-1));
  assert.equal(hex(cat(utf8("A"), new Uint8Array([255]))), "41ff");
});
