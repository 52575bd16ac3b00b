/**
 * What binds a block to its place, SPEC.md sections 12.5 and 12.6: the canonical associated
 * data (AD) of a block's context, and its nonce. The AD is versioned, has a fixed field order,
 * fixed-width integers and a length before every variable field, so two different contexts
 * never encode to the same bytes.
 *
 * @module
 */
import { CODEC_IDS, KIND_IDS, LIMITS } from "../format/constants.ts";
import { H4Error } from "../format/errors.ts";
import { trackIdBytes } from "../format/trks.ts";
import type { BlockContext } from "../format/types.ts";
import {
  AD_VERSION,
  CONTAINER_ID_LENGTH,
  MAX_BLOCKS,
  MAX_SUITE_NAME_LENGTH,
  NONCE_LENGTH,
} from "./constants.ts";

const TWO_32 = 0x1_0000_0000;

/** Longest AD: version, suite, container id, a 255-byte track id and the fixed fields. */
export const MAX_AD_LENGTH: number = 1 + (1 + MAX_SUITE_NAME_LENGTH) + (1 + CONTAINER_ID_LENGTH) +
  (2 + 255) + 8 +
  8 + 1 + 1 + 1 + 8;

/** Writes a u64 (a safe integer ≥ 0) big-endian. */
function putU64(view: DataView, off: number, v: number): void {
  view.setUint32(off, Math.floor(v / TWO_32));
  view.setUint32(off + 4, v % TWO_32);
}

/** Writes an i64 (a safe integer) as big-endian two's complement. */
function putI64(view: DataView, off: number, v: number): void {
  const hi = Math.floor(v / TWO_32);
  view.setInt32(off, hi);
  view.setUint32(off + 4, v - hi * TWO_32);
}

function bad(message: string): never {
  throw new H4Error("H4_BAD_ARGUMENT", `block context: ${message}`);
}

/**
 * Checks a {@linkcode BlockContext} (types and ranges of SPEC.md sections 5 and 13); a bad one is
 * `H4_BAD_ARGUMENT`. Returns the track id's UTF-8 bytes.
 *
 * @example
 * ```ts
 * import { checkContext } from "./context.ts";
 * import assert from "node:assert/strict";
 * const ctx = { index: 0, track_id: "v", pts_us: 0, kind: "I" as const, keyframe: true, codec: "none" as const, plain_length: 1 };
 * assert(checkContext(ctx).length === 1);
 * ```
 */
export function checkContext(ctx: BlockContext): Uint8Array {
  checkFields(ctx);
  return trackIdBytes(ctx.track_id);
}

/** Checks every field but the track id. */
function checkFields(ctx: BlockContext): void {
  if (ctx === null || typeof ctx !== "object") {
    bad(`expected an object, got ${ctx === null ? "null" : typeof ctx}`);
  }
  if (!Number.isSafeInteger(ctx.index) || ctx.index < 0 || ctx.index >= MAX_BLOCKS) {
    bad(`index must be an integer 0..${MAX_BLOCKS - 1}, got ${ctx.index}`);
  }
  if (!Number.isSafeInteger(ctx.pts_us)) bad(`pts_us must be a safe integer, got ${ctx.pts_us}`);
  if (!Object.hasOwn(KIND_IDS, ctx.kind)) {
    bad(`kind must be I, P or B, got ${JSON.stringify(ctx.kind)}`);
  }
  if (typeof ctx.keyframe !== "boolean") {
    bad(`keyframe must be a boolean, got ${typeof ctx.keyframe}`);
  }
  if (!Object.hasOwn(CODEC_IDS, ctx.codec)) {
    bad(`codec must be none, deflate or rle, got ${JSON.stringify(ctx.codec)}`);
  }
  if (
    !Number.isSafeInteger(ctx.plain_length) || ctx.plain_length < 0 ||
    ctx.plain_length > LIMITS.blockBytes
  ) {
    bad(`plain_length must be an integer 0..2^30, got ${ctx.plain_length}`);
  }
}

/** Encodes the AD of blocks of one container; caches the constant prefix and the track ids. */
export interface AdEncoder {
  /** Writes the AD of `ctx` at `out[offset..]` (room for {@linkcode MAX_AD_LENGTH} bytes); returns its length. */
  write(ctx: BlockContext, out: Uint8Array, offset: number): number;
  /** The AD of `ctx` as new bytes. */
  encode(ctx: BlockContext): Uint8Array;
}

/**
 * An {@linkcode AdEncoder} for `suite` and `containerId`. The AD layout (SPEC.md section 12.5,
 * H4-LC-007):
 *
 * ```
 * u8 ad_version = 1 | u8 len, suite | u8 len = 16, container_id | u16 len, track_id (UTF-8)
 * | i64 pts_us | u64 block_index | u8 kind | u8 keyframe | u8 codec | u64 plain_length
 * ```
 *
 * @example
 * ```ts
 * import { createAdEncoder } from "./context.ts";
 * import assert from "node:assert/strict";
 * const enc = createAdEncoder("chacha20-poly1305", new Uint8Array(16));
 * const ad = enc.encode({ index: 0, track_id: "v", pts_us: -1, kind: "I", keyframe: true, codec: "none", plain_length: 4 });
 * assert(ad.length === 1 + 18 + 17 + 3 + 8 + 8 + 3 + 8);
 * ```
 */
export function createAdEncoder(suite: string, containerId: Uint8Array): AdEncoder {
  const suiteBytes = new TextEncoder().encode(suite);
  if (suiteBytes.length < 1 || suiteBytes.length > MAX_SUITE_NAME_LENGTH) {
    bad(`suite name of ${suiteBytes.length} bytes`);
  }
  if (containerId.length !== CONTAINER_ID_LENGTH) {
    bad(`container id of ${containerId.length} bytes`);
  }
  const prefix = new Uint8Array(1 + 1 + suiteBytes.length + 1 + CONTAINER_ID_LENGTH);
  prefix[0] = AD_VERSION;
  prefix[1] = suiteBytes.length;
  prefix.set(suiteBytes, 2);
  prefix[2 + suiteBytes.length] = CONTAINER_ID_LENGTH;
  prefix.set(containerId, 3 + suiteBytes.length);
  // Track ids repeat on every block: keep their length-prefixed encoding.
  const tracks = new Map<string, Uint8Array>();

  function trackField(ctx: BlockContext): Uint8Array {
    let f = tracks.get(ctx.track_id);
    if (f === undefined) {
      const id = trackIdBytes(ctx.track_id);
      f = new Uint8Array(2 + id.length);
      f[0] = id.length >> 8;
      f[1] = id.length & 0xff;
      f.set(id, 2);
      if (tracks.size < 4096) tracks.set(ctx.track_id, f);
    }
    return f;
  }

  // The sealer and the opener write into one scratch buffer: keep its view.
  let lastOut: Uint8Array | null = null;
  let lastView: DataView | null = null;

  function write(ctx: BlockContext, out: Uint8Array, offset: number): number {
    checkFields(ctx);
    const track = trackField(ctx); // checks the track id when it is new
    out.set(prefix, offset);
    let o = offset + prefix.length;
    out.set(track, o);
    o += track.length;
    if (out !== lastOut) {
      lastOut = out;
      lastView = new DataView(out.buffer, out.byteOffset, out.byteLength);
    }
    const view = lastView!;
    putI64(view, o, ctx.pts_us);
    putU64(view, o + 8, ctx.index);
    out[o + 16] = KIND_IDS[ctx.kind];
    out[o + 17] = ctx.keyframe ? 1 : 0;
    out[o + 18] = CODEC_IDS[ctx.codec];
    putU64(view, o + 19, ctx.plain_length);
    return o + 27 - offset;
  }

  return {
    write,
    encode(ctx) {
      const out = new Uint8Array(MAX_AD_LENGTH);
      return out.slice(0, write(ctx, out, 0));
    },
  };
}

/**
 * The nonce of block `index` (SPEC.md section 12.6, H4-LC-008): four zero bytes, then the index
 * as a u64. Written into `out` when given.
 *
 * @example
 * ```ts
 * import { blockNonce } from "./context.ts";
 * import assert from "node:assert/strict";
 * assert(blockNonce(258).join() === "0,0,0,0,0,0,0,0,0,0,1,2");
 * ```
 */
export function blockNonce(
  index: number,
  out: Uint8Array = new Uint8Array(NONCE_LENGTH),
): Uint8Array {
  if (!Number.isSafeInteger(index) || index < 0) bad(`index must be an integer ≥ 0, got ${index}`);
  const view = new DataView(out.buffer, out.byteOffset, NONCE_LENGTH);
  view.setUint32(0, 0);
  putU64(view, 4, index);
  return out;
}
