/**
 * TRAK, the original writer's JSON block list inside META's `trak_b64`, SPEC.md section 11.
 *
 * @module
 */
import { decodeUtf8, encodeUtf8 } from "./bytes.ts";
import { H4Error } from "./errors.ts";
import type { BlockKind } from "./types.ts";

/** One TRAK entry. */
export interface TrakEntry {
  /** Track id. */
  track_id: string;
  /** pts in microseconds. */
  pts_us: number;
  /** Kind. */
  kind: BlockKind;
  /** Keyframe flag. */
  keyframe: boolean;
  /** Position among CORE chunks. */
  core_index: number;
}

/**
 * Encodes TRAK JSON bytes (not yet base64), key order as the original writer.
 *
 * @example
 * ```ts
 * import { decodeTrak, encodeTrak } from "./trak.ts";
 * import assert from "node:assert/strict";
 * const e = [{ track_id: "v", pts_us: 0, kind: "I" as const, keyframe: true, core_index: 0 }];
 * assert(decodeTrak(encodeTrak(e))[0].track_id === "v");
 * ```
 */
export function encodeTrak(entries: readonly TrakEntry[]): Uint8Array {
  return encodeUtf8(JSON.stringify({
    trak: entries.map((e) => ({
      track_id: e.track_id,
      pts_us: e.pts_us,
      kind: e.kind,
      keyframe: e.keyframe,
      core_index: e.core_index,
    })),
  }));
}

/**
 * Decodes TRAK JSON bytes, checking every field (H4-LEG-001).
 *
 * @example
 * ```ts
 * import { decodeTrak } from "./trak.ts";
 * import assert from "node:assert/strict";
 * assert(decodeTrak(new TextEncoder().encode('{"trak":[]}')).length === 0);
 * ```
 */
export function decodeTrak(bytes: Uint8Array): TrakEntry[] {
  const fail = (m: string): never => {
    throw new H4Error("H4_LEGACY_NO_INDEX", `META.trak_b64: ${m}`, {
      chunk: "META",
      rule: "H4-LEG-001",
    });
  };
  let doc: unknown;
  try {
    doc = JSON.parse(decodeUtf8(bytes, "META.trak_b64"));
  } catch (e) {
    if (e instanceof H4Error) throw e;
    fail("not valid JSON");
  }
  const list = (doc as { trak?: unknown })?.trak;
  if (!Array.isArray(list)) return fail(`no "trak" array`);
  return list.map((x, i): TrakEntry => {
    const e = x as Record<string, unknown>;
    if (
      typeof e !== "object" || e === null || typeof e.track_id !== "string" ||
      !Number.isSafeInteger(e.pts_us) || !["I", "P", "B"].includes(e.kind as string) ||
      typeof e.keyframe !== "boolean" || !Number.isSafeInteger(e.core_index)
    ) {
      fail(`entry ${i} is not {track_id, pts_us, kind I|P|B, keyframe, core_index}`);
    }
    if (e.core_index !== i) {
      throw new H4Error(
        "H4_INDEX_MISMATCH",
        `META.trak_b64: entry ${i} says core_index ${e.core_index}; entries are in block order`,
        { chunk: "META", rule: "H4-LEG-001" },
      );
    }
    return {
      track_id: e.track_id as string,
      pts_us: e.pts_us as number,
      kind: e.kind as BlockKind,
      keyframe: e.keyframe as boolean,
      core_index: i,
    };
  });
}
