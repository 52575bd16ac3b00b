/**
 * H4-LEG-004 for full verification: a v1 file's META.seekm_b64 lists exactly the index's
 * keyframes, per track in (pts, block) order. Compared in its bytes first (a file of small
 * blocks lists hundreds of thousands); decoded only when it differs, which reports the fault.
 *
 * @module
 */
import { H4Error } from "../format/errors.ts";
import { decodeSeekm } from "../format/seekm.ts";

/**
 * H4-LEG-004 over each track's keyframes (`keyBlocks` and `keyPts`, in index order).
 *
 * @example
 * ```ts
 * import { checkSeekmKeys } from "./verify_seekm.ts";
 * import { encodeSeekm } from "../format/seekm.ts";
 * import assert from "node:assert/strict";
 * const seekm_b64 = encodeSeekm([{ track_id: "v", entries: [[0, 0]] }]).toBase64();
 * checkSeekmKeys({ seekm_b64 }, [{ track_id: "v" }], [[0]], [[0]]);
 * assert.throws(() => checkSeekmKeys({ seekm_b64 }, [{ track_id: "v" }], [[1]], [[0]]), {
 *   code: "H4_BAD_SEEK_TABLE",
 * });
 * ```
 */
export function checkSeekmKeys(
  meta: Record<string, unknown>,
  tracks: readonly { track_id: string }[],
  keyBlocks: number[][],
  keyPts: number[][],
): void {
  if (typeof meta.seekm_b64 !== "string") {
    throw new H4Error("H4_BAD_SEEK_TABLE", "v1 META has no seekm_b64", { rule: "H4-LEG-004" });
  }
  let raw: Uint8Array;
  try {
    raw = Uint8Array.fromBase64(meta.seekm_b64);
  } catch {
    throw new H4Error("H4_BAD_SEEK_TABLE", "META.seekm_b64 is not valid base64", {
      rule: "H4-LEG-004",
    });
  }
  // Each track's keyframes in (pts, block) order: the index order when pts do not decrease
  // along it, else sorted.
  const orders = keyBlocks.map((b, k) => {
    const p = keyPts[k];
    const want = b.map((_, j) => j);
    for (let j = 1; j < p.length; j++) {
      if (p[j] < p[j - 1]) return want.sort((x, y) => p[x] - p[y] || b[x] - b[y]);
    }
    return want;
  });
  // The bytes the writer would write for these keyframes: then they decode to them (fixed-width
  // fields, TRKS's ids in code point order). Anything else is decoded, which reports a fault.
  if (seekmIs(raw, tracks, keyBlocks, keyPts, orders)) return;
  const got = decodeSeekm(raw);
  let same = got.length === tracks.length;
  for (let k = 0; same && k < tracks.length; k++) {
    const b = keyBlocks[k], p = keyPts[k], want = orders[k];
    const g = got[k];
    same = g.track_id === tracks[k].track_id && g.entries.length === want.length;
    for (let j = 0; same && j < want.length; j++) {
      const e = g.entries[j];
      same = e[0] === p[want[j]] && e[1] === b[want[j]];
    }
  }
  if (!same) {
    throw new H4Error(
      "H4_BAD_SEEK_TABLE",
      "META.seekm_b64 differs from the index's keyframes",
      { rule: "H4-LEG-004" },
    );
  }
}

/** Whether `raw` is exactly the SEEKM encoding of the tracks' keyframes in `orders`. */
function seekmIs(
  raw: Uint8Array,
  tracks: readonly { track_id: string }[],
  keyBlocks: number[][],
  keyPts: number[][],
  orders: number[][],
): boolean {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (raw.length < 4 || v.getUint32(0) !== tracks.length) return false;
  let p = 4;
  for (let k = 0; k < tracks.length; k++) {
    const id = new TextEncoder().encode(tracks[k].track_id);
    const want = orders[k], b = keyBlocks[k], pts = keyPts[k];
    if (p + 6 + id.length + want.length * 12 > raw.length) return false;
    if (v.getUint16(p) !== id.length) return false;
    for (let j = 0; j < id.length; j++) if (raw[p + 2 + j] !== id[j]) return false;
    p += 2 + id.length;
    if (v.getUint32(p) !== want.length) return false;
    p += 4;
    for (let j = 0; j < want.length; j++, p += 12) {
      const hi = v.getInt32(p), lo = v.getUint32(p + 4);
      if (hi * 0x1_0000_0000 + lo !== pts[want[j]] || v.getUint32(p + 8) !== b[want[j]]) {
        return false;
      }
    }
  }
  return p === raw.length;
}
