/**
 * The writer's options and the checks of its options and blocks: a bad argument fails with
 * H4_BAD_ARGUMENT (or H4_LIMIT_EXCEEDED) before anything is written for it.
 *
 * @module
 */
import { codecId } from "./codec.ts";
import { KIND_IDS, LIMITS } from "./constants.ts";
import { H4Error } from "./errors.ts";
import { encodeJsonDoc, type JsonObject } from "./meta.ts";
import type { SigningKey } from "./sign_keys.ts";
import type { BlockInput, BlockSealer, CodecName, Profile } from "./types.ts";

/** Options of the writer. */
export interface WriterOptions {
  /** Block-store profile; `v2` (compact) by default, `v1` for the original reader. */
  profile?: Profile;
  /** Default codec of every track; `none` by default (media payloads are already compressed). */
  codec?: CodecName;
  /** Caller's META keys. */
  meta?: JsonObject;
  /** SAFE document; absent when null or undefined. */
  safe?: JsonObject | null;
  /** Encrypts every block (LivingCipher). */
  sealer?: BlockSealer;
  /** v1: also embed `trak_b64` in META for the original reader. */
  legacyTrak?: boolean;
  /** Seek-table thinning interval for all-keyframe tracks, SPEC.md 6.5; 0 lists every keyframe. */
  seekIntervalUs?: number;
  /** BIDX blocks per page (tests use small pages). */
  blocksPerPage?: number;
  /** BHSH hashes per page (tests use small pages). */
  hashesPerPage?: number;
  /** v2: close a segment before it would exceed this many bytes. */
  segmentTarget?: number;
  /** Sign the container with these keys: one SIGN chunk each, between VERI and LOCA (SPEC.md 18). */
  signingKeys?: readonly SigningKey[];
  /**
   * About how many payload bytes will be added (an importer knows its input's size): a hint
   * that changes no byte. With it, version 2 hashes on a worker thread from the start when
   * that is large (128 MiB or more) and a core is idle, and never otherwise (starting the
   * thread costs the writer's thread 60 to 200 ms, more than hashing a smaller rest saves).
   */
  expectedBytes?: number;
  /**
   * About how many blocks will be added: a hint that changes no byte. The block index is then
   * allocated once for that many (up to 2^20; it grows past them) instead of doubling from
   * 1,024, each time a copy into pages the kernel zeroes.
   */
  expectedBlocks?: number;
}

/**
 * Checks the options; returns the profile and default codec they give.
 *
 * @example
 * ```ts
 * import { checkOptions } from "./writer_options.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(checkOptions({}), { profile: "v2", codec: "none" });
 * assert.throws(() => checkOptions({ segmentTarget: 0 }), { code: "H4_BAD_ARGUMENT" });
 * ```
 */
export function checkOptions(
  opts: WriterOptions,
): Required<Pick<WriterOptions, "profile" | "codec">> {
  const profile = opts.profile ?? "v2";
  if (profile !== "v1" && profile !== "v2") {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `profile must be v1 or v2, got ${JSON.stringify(profile)}`,
    );
  }
  const codec = opts.codec ?? "none";
  codecId(codec);
  for (const [k, v] of [["meta", opts.meta], ["safe", opts.safe]] as const) {
    if (v != null && (typeof v !== "object" || Array.isArray(v))) {
      throw new H4Error(
        "H4_BAD_ARGUMENT",
        `${k} must be a JSON object, got ${Array.isArray(v) ? "an array" : typeof v}`,
      );
    }
    // Encode once up front: a document the reader would refuse fails here, not at finish().
    if (v != null) encodeJsonDoc(v);
  }
  const counts = [
    "seekIntervalUs",
    "blocksPerPage",
    "hashesPerPage",
    "segmentTarget",
    "expectedBytes",
    "expectedBlocks",
  ] as const;
  for (const k of counts) {
    const v = opts[k];
    const min = k === "seekIntervalUs" || k.startsWith("expected") ? 0 : 1;
    if (v !== undefined && (!Number.isSafeInteger(v) || v < min)) {
      throw new H4Error("H4_BAD_ARGUMENT", `${k} must be a positive integer, got ${v}`);
    }
  }
  const signers = opts.signingKeys ?? [];
  for (let i = 0; i < signers.length; i++) {
    for (let j = 0; j < i; j++) {
      if (signers[i].keyId === signers[j].keyId) {
        throw new H4Error(
          "H4_BAD_ARGUMENT",
          `signing key ${signers[i].keyId} is given twice; a key signs once (H4-SIG-002)`,
        );
      }
    }
  }
  if ((opts.segmentTarget ?? 0) > LIMITS.segmentBytes) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `segmentTarget must be at most 16 MiB (H4-FMT-023), got ${opts.segmentTarget}`,
    );
  }
  for (const k of ["blocksPerPage", "hashesPerPage"] as const) {
    if ((opts[k] ?? 1) > LIMITS.perPage) {
      throw new H4Error("H4_BAD_ARGUMENT", `${k} must be at most 65536`);
    }
  }
  return { profile, codec };
}

/**
 * Checks block number `index` as given by the caller.
 *
 * @example
 * ```ts
 * import { checkBlock } from "./writer_options.ts";
 * import assert from "node:assert/strict";
 * const b = { track_id: "a", pts_us: 0, kind: "I" as const, keyframe: true, payload: new Uint8Array(1) };
 * checkBlock(b, 0);
 * assert.throws(() => checkBlock({ ...b, pts_us: 0.5 }, 1), { code: "H4_BAD_ARGUMENT" });
 * ```
 */
export function checkBlock(b: BlockInput, index: number): void {
  const bad = (m: string): never => {
    throw new H4Error("H4_BAD_ARGUMENT", `block ${index}: ${m}`);
  };
  if (b === null || typeof b !== "object") {
    bad(`expected an object, got ${b === null ? "null" : typeof b}`);
  }
  if (!Number.isSafeInteger(b.pts_us) || Math.abs(b.pts_us) > LIMITS.ptsAbs) {
    bad(`pts_us must be an integer within ±(2^50 - 1) (H4-LIM-001), got ${b.pts_us}`);
  }
  if (typeof b.kind !== "string" || !Object.hasOwn(KIND_IDS, b.kind)) {
    bad(`kind must be I, P or B, got ${JSON.stringify(b.kind)}`);
  }
  if (typeof b.keyframe !== "boolean") bad(`keyframe must be a boolean, got ${typeof b.keyframe}`);
  if (!(b.payload instanceof Uint8Array)) bad(`payload must be a Uint8Array`);
  if (b.payload.length > LIMITS.blockBytes) {
    bad(`payload of ${b.payload.length} bytes exceeds 2^30`);
  }
  if (b.codec !== undefined) codecId(b.codec);
}

/**
 * Rows the writer's block index starts with: `expectedBlocks` (at least 1,024, at most 2^20).
 *
 * @example
 * ```ts
 * import { indexCapacity } from "./writer_options.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([indexCapacity({}), indexCapacity({ expectedBlocks: 43_126 })], [1024, 43_126]);
 * ```
 */
export function indexCapacity(opts: WriterOptions): number {
  return Math.max(1024, Math.min(opts.expectedBlocks ?? 0, 1 << 20));
}
