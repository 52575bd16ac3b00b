/**
 * SEEKM, the original writer's seek tables inside META's `seekm_b64`, SPEC.md section 11.
 *
 * @module
 */
import { ByteReader, ByteWriter, compareCodePoints, decodeUtf8, encodeUtf8 } from "./bytes.ts";
import { LIMITS } from "./constants.ts";

/** One track's legacy table: keyframe (pts, core_index) pairs sorted by pts. */
export interface SeekmTrack {
  /** Track id. */
  track_id: string;
  /** Entries as [pts_us, core_index]. */
  entries: [number, number][];
}

/**
 * Encodes SEEKM; tracks in code point order of id.
 *
 * @example
 * ```ts
 * import { decodeSeekm, encodeSeekm } from "./seekm.ts";
 * import assert from "node:assert/strict";
 * assert(decodeSeekm(encodeSeekm([{ track_id: "v", entries: [[0, 0]] }]))[0].entries.length === 1);
 * ```
 */
export function encodeSeekm(tracks: readonly SeekmTrack[]): Uint8Array {
  const w = new ByteWriter();
  w.u32(tracks.length);
  for (const t of tracks) {
    const id = encodeUtf8(t.track_id);
    w.u16(id.length);
    w.bytes(id);
    w.u32(t.entries.length);
    for (const [pts, idx] of t.entries) {
      // u64 pts: the original writer packs with ">Q"; negative pts cannot be written there,
      // so they are stored as two's complement, which the original reader reads back as written.
      const v = BigInt.asUintN(64, BigInt(pts));
      w.u32(Number(v >> 32n));
      w.u32(Number(v & 0xffffffffn));
      w.u32(idx);
    }
  }
  return w.finish();
}

/**
 * Decodes SEEKM (H4-LEG-003: truncation and leftovers are `H4_BAD_SEEK_TABLE`).
 *
 * @example
 * ```ts
 * import { decodeSeekm, encodeSeekm } from "./seekm.ts";
 * import assert from "node:assert/strict";
 * assert(decodeSeekm(encodeSeekm([])).length === 0);
 * ```
 */
export function decodeSeekm(bytes: Uint8Array): SeekmTrack[] {
  const r = new ByteReader(bytes, "H4_BAD_SEEK_TABLE", "META.seekm_b64");
  const n = r.u32("track_count");
  if (n * 6 > r.remaining) {
    r.fail(
      `track_count ${n} cannot fit in ${r.remaining} bytes`,
      "H4_BAD_SEEK_TABLE",
      "H4-LEG-003",
    );
  }
  const out: SeekmTrack[] = [];
  for (let i = 0; i < n; i++) {
    const len = r.u16("id_length");
    if (len < 1 || len > LIMITS.trackIdBytes) {
      r.fail(`id_length ${len}`, "H4_BAD_SEEK_TABLE", "H4-LEG-003");
    }
    const id = decodeUtf8(r.take(len, "id"), "META.seekm_b64");
    const m = r.u32("n");
    r.need(m * 12, `${m} entries`);
    const entries: [number, number][] = [];
    for (let j = 0; j < m; j++) {
      const hi = r.u32("pts hi");
      const lo = r.u32("pts lo");
      // Two's complement u64, as encodeSeekm writes negative pts: the signed high word times
      // 2^32 is exact, and the sum is exact whenever it is a safe integer (no BigInt per entry).
      const pts = (hi | 0) * 0x1_0000_0000 + lo;
      if (!Number.isSafeInteger(pts)) {
        r.fail(`pts out of the safe range`, "H4_BAD_SEEK_TABLE", "H4-LEG-006");
      }
      entries.push([pts, r.u32("core_index")]);
    }
    out.push({ track_id: id, entries });
  }
  r.end("SEEKM");
  for (let i = 1; i < out.length; i++) {
    if (compareCodePoints(out[i - 1].track_id, out[i].track_id) >= 0) {
      r.fail(`tracks not in code point order`, "H4_BAD_SEEK_TABLE", "H4-LEG-003");
    }
  }
  return out;
}
