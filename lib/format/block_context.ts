/**
 * The readable context of a block that its encryption is bound to (SPEC.md section 12).
 *
 * @module
 */
import type { BlockContext, BlockEntry } from "./types.ts";

/**
 * The {@linkcode BlockContext} of an index entry.
 *
 * @example
 * ```ts
 * import { contextOf } from "./block_context.ts";
 * import assert from "node:assert/strict";
 * const e = { index: 2, track_id: "v", pts_us: 5, kind: "P" as const, keyframe: false, codec: "none" as const,
 *   offset: 0, stored_length: 20, plain_length: 4, chunk: 0 };
 * assert(contextOf(e).plain_length === 4);
 * ```
 */
export function contextOf(e: BlockEntry): BlockContext {
  return {
    index: e.index,
    track_id: e.track_id,
    pts_us: e.pts_us,
    kind: e.kind,
    keyframe: e.keyframe,
    codec: e.codec,
    plain_length: e.plain_length,
  };
}
