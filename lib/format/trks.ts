/**
 * TRKS, the track table, SPEC.md section 6.1.
 *
 * @module
 */
import { ByteReader, ByteWriter, compareCodePoints, decodeUtf8, encodeUtf8 } from "./bytes.ts";
import { codecName } from "./codec.ts";
import { CODEC_IDS, LIMITS } from "./constants.ts";
import { H4Error } from "./errors.ts";
import type { CodecName } from "./types.ts";

/** One TRKS record. */
export interface TrackRecord {
  /** Track id. */
  track_id: string;
  /** Default codec. */
  codec: CodecName;
  /** Number of blocks. */
  blocks: number;
  /** Number of keyframes. */
  keyframes: number;
}

/**
 * Checks a track id against SPEC.md section 5 and returns its UTF-8 bytes.
 *
 * @example
 * ```ts
 * import { trackIdBytes } from "./trks.ts";
 * import assert from "node:assert/strict";
 * assert(trackIdBytes("音声").length === 6);
 * ```
 */
export function trackIdBytes(id: string): Uint8Array {
  if (typeof id !== "string") {
    throw new H4Error("H4_BAD_ARGUMENT", `track_id must be a string, got ${typeof id}`);
  }
  if (id.isWellFormed && !id.isWellFormed()) {
    throw new H4Error("H4_BAD_ARGUMENT", `track_id ${JSON.stringify(id)} has a lone surrogate`);
  }
  const b = encodeUtf8(id);
  if (b.length < 1 || b.length > LIMITS.trackIdBytes) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `track_id must be 1 to 255 bytes of UTF-8, got ${b.length}`,
    );
  }
  return b;
}

/**
 * Encodes TRKS; `tracks` must already be in code point order.
 *
 * @example
 * ```ts
 * import { decodeTrks, encodeTrks } from "./trks.ts";
 * import assert from "node:assert/strict";
 * const t = [{ track_id: "a", codec: "none" as const, blocks: 1, keyframes: 1 }];
 * assert(decodeTrks(encodeTrks(t))[0].track_id === "a");
 * ```
 */
export function encodeTrks(tracks: readonly TrackRecord[]): Uint8Array {
  const w = new ByteWriter();
  w.u32(tracks.length);
  for (const t of tracks) {
    const id = trackIdBytes(t.track_id);
    w.u16(id.length);
    w.bytes(id);
    w.u8(CODEC_IDS[t.codec]);
    w.u8(0);
    w.u64(t.blocks);
    w.u64(t.keyframes);
  }
  return w.finish();
}

/**
 * Decodes TRKS with the checks of H4-TRK-001.
 *
 * @example
 * ```ts
 * import { decodeTrks, encodeTrks } from "./trks.ts";
 * import assert from "node:assert/strict";
 * assert(decodeTrks(encodeTrks([])).length === 0);
 * ```
 */
export function decodeTrks(payload: Uint8Array, base = 0): TrackRecord[] {
  const r = new ByteReader(payload, "H4_BAD_TRACKS", "TRKS", base);
  const n = r.u32("track_count");
  if (n > LIMITS.tracks) {
    r.fail(`track_count ${n} exceeds ${LIMITS.tracks}`, "H4_LIMIT_EXCEEDED", "H4-LIM-001");
  }
  // Each record takes at least 21 bytes: refuse counts the payload cannot hold before looping.
  if (n * 21 > r.remaining) {
    r.fail(`track_count ${n} needs at least ${n * 21} bytes, ${r.remaining} left`);
  }
  const out: TrackRecord[] = [];
  let prev: string | undefined;
  for (let i = 0; i < n; i++) {
    const len = r.u16("id_length");
    if (len < 1 || len > LIMITS.trackIdBytes) {
      r.fail(`track ${i}: id_length ${len} not in 1..255`, "H4_BAD_TRACKS", "H4-TRK-001");
    }
    const id = decodeUtf8(r.take(len, "id"), "TRKS", base + r.pos);
    if (prev !== undefined && compareCodePoints(prev, id) >= 0) {
      r.fail(
        `track ids not in strictly increasing code point order: ${JSON.stringify(prev)} then ${
          JSON.stringify(id)
        }`,
        "H4_BAD_TRACKS",
        "H4-TRK-001",
      );
    }
    const codec = codecName(r.u8("codec"), base + r.pos, "TRKS");
    r.u8("flags");
    const blocks = r.u64("blocks");
    const keyframes = r.u64("keyframes");
    if (keyframes > blocks) {
      r.fail(
        `track ${JSON.stringify(id)}: ${keyframes} keyframes > ${blocks} blocks`,
        "H4_BAD_TRACKS",
        "H4-TRK-001",
      );
    }
    out.push({ track_id: id, codec, blocks, keyframes });
    prev = id;
  }
  r.end("tracks");
  return out;
}
