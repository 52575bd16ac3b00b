/**
 * Forgeries that are meant to be patches: a change made to a finished file by someone who fixes
 * what is cheap to fix and nothing else. Each helper here is a hook for `craft` (build.ts), so a
 * vector still says what it changes in the builder's terms (a block, a chunk) rather than at a
 * byte offset worked out by hand.
 *
 * @module
 */

import { crc32 } from "../../lib/hash/crc32.ts";
import type { ChunkState, Craft } from "./build.ts";
import { u32 } from "./fields.ts";

/** A change of one block's stored bytes in a finished file; the new bytes have the same length. */
export interface StoredEdit {
  /** Block index. */
  block: number;
  /** The new stored bytes, from a copy of the old ones. */
  stored: (old: Uint8Array) => Uint8Array;
}

/**
 * A `final` hook that changes blocks' stored bytes in place and fixes the CRC of each storage
 * chunk it touches, and nothing else: BHSH, TDIR, VERI, the root and LIVC keep describing the
 * bytes as built, as after an edit by someone who only fixes chunk CRCs.
 *
 * @example
 * ```ts
 * import { craft } from "./build.ts";
 * import { editStoredInPlace } from "./in_place.ts";
 * import assert from "node:assert/strict";
 * const blocks = [{ track_id: "v", pts_us: 0, kind: "I" as const, keyframe: true, payload: new Uint8Array(4) }];
 * const a = craft(blocks).bytes;
 * const b = craft(blocks, { hooks: { final: editStoredInPlace([{ block: 0, stored: (s) => s.fill(1) }]) } }).bytes;
 * assert(a.length === b.length && a[20] === 0 && b[20] === 1);
 * ```
 */
export function editStoredInPlace(
  edits: readonly StoredEdit[],
): (bytes: Uint8Array, s: Craft) => Uint8Array {
  return (bytes, s) => {
    const out = bytes.slice();
    for (const { block, stored } of edits) {
      const r = s.records[block];
      const now = stored(out.slice(r.offset, r.offset + r.stored_length));
      if (now.length !== r.stored_length) {
        throw new Error(
          `in-place edit of block ${block}: ${now.length} bytes for ${r.stored_length}`,
        );
      }
      out.set(now, r.offset);
      const c = s.layout.find((x) => x.offset <= r.offset && r.offset < x.offset + x.length);
      if (!c) throw new Error(`in-place edit of block ${block}: no chunk at ${r.offset}`);
      out.set(u32(crc32(out.subarray(c.offset + 12, c.offset + c.length))), c.offset + 8);
    }
    return out;
  };
}

/**
 * A `chunks` hook that appends chunks after the body, before VERI: outside the root and (in an
 * encrypted file) the seal. VERI and LOCA are then computed over the file with them, as anyone
 * can.
 *
 * @example
 * ```ts
 * import { craft } from "./build.ts";
 * import { appendBeforeVeri } from "./in_place.ts";
 * import assert from "node:assert/strict";
 * const s = craft([], { hooks: { chunks: appendBeforeVeri({ tag: "XTRA", payload: new Uint8Array(2) }) } });
 * assert(s.layout.map((c) => c.tag).join() === "BIDX,BHSH,KSEK,TDIR,TRKS,META,XTRA,VERI,LOCA");
 * ```
 */
export function appendBeforeVeri(...extra: ChunkState[]): (chunks: ChunkState[]) => ChunkState[] {
  return (chunks) => [...chunks, ...extra];
}

/**
 * A `final` hook that cuts the last `n` bytes off the finished file.
 *
 * @example
 * ```ts
 * import { craft } from "./build.ts";
 * import { cutEnd } from "./in_place.ts";
 * import assert from "node:assert/strict";
 * assert(craft([], { hooks: { final: cutEnd(100) } }).bytes.length === craft([]).bytes.length - 100);
 * ```
 */
export function cutEnd(n: number): (bytes: Uint8Array) => Uint8Array {
  return (bytes) => bytes.subarray(0, bytes.length - n);
}
