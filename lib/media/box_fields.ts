/**
 * Fields of raw MP4 boxes that mp4box reads wrongly or not at all, taken from the bytes: the
 * sample rate and channel count of an audio sample entry (QuickTime versions included), the
 * channel count of AAC from its `esds`, and the `tkhd` fields kept as stored.
 *
 * @module
 */
import { H4Error } from "../format/errors.ts";
import type { TkhdMeta } from "./media_meta.ts";

/**
 * Sample rate and channel count of a raw audio sample entry: ISO and QuickTime versions 0
 * and 1 keep them in the fixed fields, QuickTime version 2 (`lpcm`) in its extension.
 *
 * @example
 * ```ts
 * import { audioParams } from "./box_fields.ts";
 * import assert from "node:assert/strict";
 * const e = new Uint8Array(36);
 * const v = new DataView(e.buffer);
 * v.setUint16(24, 2); // channels
 * v.setUint32(32, 48000 * 65536); // 16.16 sample rate
 * assert.deepEqual(audioParams(e), { sample_rate: 48000, channels: 2 });
 * ```
 */
export function audioParams(e: Uint8Array): { sample_rate: number; channels: number } | undefined {
  if (e.length < 36) return undefined;
  const v = new DataView(e.buffer, e.byteOffset, e.byteLength);
  const version = v.getUint16(16);
  if (version === 2 && e.length >= 52) {
    const rate = v.getFloat64(40);
    const ch = v.getUint32(48);
    return Number.isSafeInteger(rate) && rate > 0 ? { sample_rate: rate, channels: ch } : undefined;
  }
  return { sample_rate: v.getUint32(32) >>> 16, channels: v.getUint16(24) };
}

/**
 * Channel count of AAC from an `esds` box (its AudioSpecificConfig's channel configuration
 * 1..7), or undefined when it is not there or not one of those.
 *
 * @example
 * ```ts
 * import { aacChannels } from "./box_fields.ts";
 * import assert from "node:assert/strict";
 * // ES descriptor, decoder config (13 bytes), AAC LC at 44.1 kHz in 2 channels (0x12 0x10).
 * const esds = new Uint8Array([
 *   0, 0, 0, 37, 0x65, 0x73, 0x64, 0x73, 0, 0, 0, 0,
 *   0x03, 25, 0, 1, 0, 0x04, 17, ...new Array(13).fill(0), 0x05, 2, 0x12, 0x10, 0,
 * ]);
 * assert(aacChannels(esds) === 2);
 * ```
 */
export function aacChannels(esds: Uint8Array): number | undefined {
  let i = 12; // box header and full box header
  const len = (): number => {
    let n = 0;
    for (let k = 0; k < 4 && i < esds.length; k++) {
      const b = esds[i++];
      n = (n << 7) | (b & 0x7f);
      if (!(b & 0x80)) break;
    }
    return n;
  };
  if (esds[i++] !== 0x03) return undefined;
  len();
  const flags = esds[i + 2];
  i += 3;
  if (flags & 0x80) i += 2;
  if (flags & 0x40) i += 1 + esds[i];
  if (flags & 0x20) i += 2;
  if (esds[i++] !== 0x04) return undefined;
  len();
  i += 13;
  if (esds[i++] !== 0x05) return undefined;
  len();
  if (i + 2 > esds.length) return undefined;
  const aot = esds[i] >> 3;
  // With the escape object type (31) the fields move by 6 bits; those are rare: not shown.
  if (aot === 31) return undefined;
  const freqIndex = ((esds[i] & 7) << 1) | (esds[i + 1] >> 7);
  const at = freqIndex === 15 ? 24 : 0; // an explicit 24-bit frequency follows the index
  const bit = 9 + at; // bits before the channel configuration
  const byte = i + (bit >> 3);
  if (byte + 1 >= esds.length) return undefined;
  const v = ((esds[byte] << 8) | esds[byte + 1]) >> (16 - 4 - (bit & 7));
  const cfg = v & 15;
  return cfg >= 1 && cfg <= 7 ? [0, 1, 2, 3, 4, 5, 6, 8][cfg] : undefined;
}

/**
 * The fields of a raw tkhd box that mp4box rounds (volume) or that we keep as stored; a box
 * too short for them is `H4_BAD_ARGUMENT`.
 *
 * @example
 * ```ts
 * import { parseTkhd } from "./box_fields.ts";
 * import assert from "node:assert/strict";
 * const tkhd = new Uint8Array(92); // version 0
 * new DataView(tkhd.buffer).setUint32(8, 3); // flags: enabled, in movie
 * assert.deepEqual([parseTkhd(tkhd).flags, parseTkhd(tkhd).matrix.length], [3, 9]);
 * ```
 */
export function parseTkhd(box: Uint8Array): TkhdMeta {
  const v = new DataView(box.buffer, box.byteOffset, box.byteLength);
  const version = box[8];
  const flags = v.getUint32(8) & 0xff_ffff;
  // After version/flags: times and track_ID and reserved and duration, then 8 reserved bytes.
  const o = 12 + (version === 1 ? 32 : 20) + 8;
  if (box.length < o + 52) {
    throw new H4Error("H4_BAD_ARGUMENT", `malformed MP4: tkhd of ${box.length} bytes is too short`);
  }
  const matrix: number[] = [];
  for (let i = 0; i < 9; i++) matrix.push(v.getInt32(o + 8 + i * 4));
  return {
    flags,
    layer: v.getInt16(o),
    alternate_group: v.getInt16(o + 2),
    volume: v.getInt16(o + 4),
    matrix,
    width: v.getUint32(o + 8 + 36),
    height: v.getUint32(o + 8 + 40),
  };
}
