/**
 * The block index held in memory as columns of typed arrays: about 40 bytes a block, no object
 * per block, so a writer's memory stays flat apart from this and a reader can hold pages.
 *
 * @module
 */

/** Columns of the block index; row `i` is block `first + i`. */
export interface IndexColumns {
  /** Number of rows. */
  count: number;
  /** Track index (position in TRKS). */
  track: Uint16Array;
  /** pts in microseconds. */
  pts: Float64Array;
  /** Kind id. */
  kind: Uint8Array;
  /** 1 for keyframes. */
  keyframe: Uint8Array;
  /** Codec id. */
  codec: Uint8Array;
  /** 1 when the block starts a storage chunk. */
  newChunk: Uint8Array;
  /** File offset of the stored bytes. */
  offset: Float64Array;
  /** Stored length. */
  stored: Uint32Array;
  /** Plain length. */
  plain: Uint32Array;
  /** Storage chunk number. */
  chunk: Uint32Array;
}

/**
 * Allocates columns with room for `capacity` rows.
 *
 * @example
 * ```ts
 * import { allocColumns } from "./index_columns.ts";
 * import assert from "node:assert/strict";
 * assert(allocColumns(4).pts.length === 4);
 * ```
 */
export function allocColumns(capacity: number): IndexColumns {
  return {
    count: 0,
    track: new Uint16Array(capacity),
    pts: new Float64Array(capacity),
    kind: new Uint8Array(capacity),
    keyframe: new Uint8Array(capacity),
    codec: new Uint8Array(capacity),
    newChunk: new Uint8Array(capacity),
    offset: new Float64Array(capacity),
    stored: new Uint32Array(capacity),
    plain: new Uint32Array(capacity),
    chunk: new Uint32Array(capacity),
  };
}

/**
 * Returns columns with room for at least `need` rows, copying when it must grow (doubling).
 *
 * @example
 * ```ts
 * import { allocColumns, growColumns } from "./index_columns.ts";
 * import assert from "node:assert/strict";
 * assert(growColumns(allocColumns(1), 5).pts.length >= 5);
 * ```
 */
export function growColumns(c: IndexColumns, need: number): IndexColumns {
  if (need <= c.pts.length) return c;
  let cap = Math.max(16, c.pts.length * 2);
  while (cap < need) cap *= 2;
  const n = allocColumns(cap);
  n.count = c.count;
  n.track.set(c.track);
  n.pts.set(c.pts);
  n.kind.set(c.kind);
  n.keyframe.set(c.keyframe);
  n.codec.set(c.codec);
  n.newChunk.set(c.newChunk);
  n.offset.set(c.offset);
  n.stored.set(c.stored);
  n.plain.set(c.plain);
  n.chunk.set(c.chunk);
  return n;
}
