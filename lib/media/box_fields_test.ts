import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import { aacChannels, audioParams, parseTkhd } from "./box_fields.ts";

Deno.test("audioParams: QuickTime version 2 (lpcm) keeps rate and channels in its extension", () => {
  const e = new Uint8Array(52);
  const v = new DataView(e.buffer);
  v.setUint16(16, 2); // version 2
  v.setFloat64(40, 96000);
  v.setUint32(48, 6);
  assert.deepEqual(audioParams(e), { sample_rate: 96000, channels: 6 });
  v.setFloat64(40, 0.5); // not a whole rate
  assert.equal(audioParams(e), undefined);
  assert.equal(audioParams(new Uint8Array(20)), undefined);
});

Deno.test("aacChannels: channel configuration 7 is 8 channels; other descriptors are unknown", () => {
  const esds = (asc: number[]) =>
    new Uint8Array([
      ...[0, 0, 0, 0, 0x65, 0x73, 0x64, 0x73, 0, 0, 0, 0],
      ...[0x03, 25, 0, 1, 0, 0x04, 17, ...new Array(13).fill(0), 0x05, 2, ...asc, 0],
    ]);
  assert.equal(aacChannels(esds([0x12, 0x10])), 2);
  assert.equal(aacChannels(esds([0x12, 0x38])), 8);
  assert.equal(aacChannels(esds([0xf8, 0x10])), undefined); // escape object type
  assert.equal(aacChannels(new Uint8Array(14)), undefined);
});

Deno.test("parseTkhd: version 1 fields after the 64-bit times; a short box is a typed error", () => {
  const tkhd = new Uint8Array(104);
  const v = new DataView(tkhd.buffer);
  tkhd[8] = 1; // version 1
  v.setInt16(52 + 4, 0x100); // volume 1.0
  v.setUint32(52 + 8 + 36, 640 << 16);
  assert.deepEqual([parseTkhd(tkhd).volume, parseTkhd(tkhd).width], [0x100, 640 << 16]);
  assert.throws(() => parseTkhd(new Uint8Array(60)), (e) => isH4Error(e, "H4_BAD_ARGUMENT"));
});
