/**
 * Codec adapters and playback from a seek point: H4MK never decodes payloads, but a player
 * built on it needs to start at a keyframe and feed the following blocks to a decoder.
 *
 * @module
 */
import { H4Error } from "../format/errors.ts";
import type { BlockEntry, BlockOpener, SeekResult } from "../format/types.ts";
import type { Container } from "./_core.ts";

/**
 * What a decoder offers `playFrom`. `State` is the decoder's reference state (for a video
 * codec, its reference pictures), `Frame` what `render` produces.
 * `applyB` is optional: an adapter without it skips `B` blocks (they are not references, so
 * skipping them loses those frames only).
 */
export interface CodecAdapter<State, Frame> {
  /** Starts from a keyframe (`I`) payload. */
  decodeI(payload: Uint8Array, entry: BlockEntry): State | Promise<State>;
  /** Applies a `P` payload to the reference state; returns the new reference state. */
  applyP(state: State, payload: Uint8Array, entry: BlockEntry): State | Promise<State>;
  /** Decodes a `B` payload against the reference state; the result is rendered, not kept. */
  applyB?(state: State, payload: Uint8Array, entry: BlockEntry): State | Promise<State>;
  /** Produces the output of one decoded block. */
  render(state: State, entry: BlockEntry): Frame | Promise<Frame>;
}

/** What the pass-through adapter renders: the block as it is. */
export interface PassThroughFrame {
  /** Block index. */
  index: number;
  /** pts of the block. */
  pts_us: number;
  /** Kind of the block. */
  kind: "I" | "P" | "B";
  /** The payload, untouched. */
  payload: Uint8Array;
}

/**
 * An adapter for opaque payloads: the state is the last payload, rendering returns it with
 * its block's time and kind. Useful to drive a real decoder elsewhere (WebCodecs, ffmpeg)
 * in the order `playFrom` establishes, and in tests.
 *
 * @example
 * ```ts
 * import { passThroughAdapter } from "./adapter.ts";
 * import assert from "node:assert/strict";
 * const a = passThroughAdapter();
 * const e = { index: 0, track_id: "v", pts_us: 0, kind: "I" as const, keyframe: true, codec: "none" as const, offset: 20, stored_length: 1, plain_length: 1, chunk: 0 };
 * const f = await a.render(await a.decodeI(new Uint8Array([7]), e), e);
 * assert(f.payload[0] === 7 && f.kind === "I");
 * ```
 */
export function passThroughAdapter(): CodecAdapter<Uint8Array, PassThroughFrame> {
  return {
    decodeI: (payload) => payload,
    applyP: (_state, payload) => payload,
    applyB: (_state, payload) => payload,
    render: (state, entry) => ({
      index: entry.index,
      pts_us: entry.pts_us,
      kind: entry.kind,
      payload: state,
    }),
  };
}

/** Options of {@linkcode playFrom}. */
export interface PlayOptions<Frame> {
  /** Decrypts blocks of an encrypted container. */
  opener?: BlockOpener;
  /**
   * Play until this time: the walk stops at the first keyframe of the track whose pts is
   * greater (so the whole group holding it is fed). Default: the requested pts.
   */
  untilUs?: number;
  /** Stop after this many blocks of the track (default: no limit). */
  maxBlocks?: number;
  /** Receives each rendered frame, in decode order. */
  onFrame?: (frame: Frame, entry: BlockEntry) => void | Promise<void>;
}

/** What {@linkcode playFrom} did. */
export interface PlayReport {
  /** The seek answer the walk started from. */
  seek: SeekResult;
  /** Blocks of the track fed to the adapter. */
  fed: number;
  /** Frames rendered. */
  rendered: number;
  /** `B` blocks skipped because the adapter has no `applyB`. */
  skipped: number;
}

/**
 * Seeks `trackId` to `ptsUs` (`container.seek`, SPEC.md section 10) and walks from that
 * keyframe through the following blocks of the track in block (decode) order: `I` blocks go to
 * `decodeI`, `P` to `applyP`, `B` to `applyB`; every decoded block is rendered and passed to
 * `onFrame`. Errors: `H4_UNKNOWN_TRACK` from the seek, `H4_BAD_ARGUMENT` for bad options,
 * `H4_BAD_INDEX` when the walk meets a `P`/`B` block before any keyframe state exists.
 *
 * @example
 * ```ts
 * import { packContainer } from "../format/writer.ts";
 * import { openContainer } from "../seek/container.ts";
 * import { passThroughAdapter, playFrom } from "./adapter.ts";
 * import assert from "node:assert/strict";
 * const blocks = [0, 1, 2, 3].map((i) => ({ track_id: "video_main", pts_us: i * 40_000, kind: (i % 2 ? "P" : "I") as "I" | "P", keyframe: i % 2 === 0, payload: new Uint8Array([i]) }));
 * const c = await openContainer(await packContainer(blocks));
 * const r = await playFrom(c, "video_main", 50_000, passThroughAdapter());
 * assert(r.seek.core_index === 0 && r.fed === 2);
 * ```
 */
export async function playFrom<State, Frame>(
  container: Container,
  trackId: string,
  ptsUs: number,
  adapter: CodecAdapter<State, Frame>,
  opts: PlayOptions<Frame> = {},
): Promise<PlayReport> {
  if (!Number.isSafeInteger(ptsUs)) {
    throw new H4Error("H4_BAD_ARGUMENT", `pts_us must be a safe integer, got ${ptsUs}`);
  }
  const until = opts.untilUs ?? ptsUs;
  if (!Number.isSafeInteger(until)) {
    throw new H4Error("H4_BAD_ARGUMENT", `untilUs must be a safe integer, got ${until}`);
  }
  const max = opts.maxBlocks ?? Infinity;
  if (max !== Infinity && (!Number.isSafeInteger(max) || max < 0)) {
    throw new H4Error("H4_BAD_ARGUMENT", `maxBlocks must be a non-negative integer, got ${max}`);
  }
  if (
    !adapter || typeof adapter.decodeI !== "function" || typeof adapter.applyP !== "function" ||
    typeof adapter.render !== "function"
  ) {
    throw new H4Error("H4_BAD_ARGUMENT", "adapter must have decodeI, applyP and render functions");
  }
  const seek = container.seek(trackId, ptsUs);
  const report: PlayReport = { seek, fed: 0, rendered: 0, skipped: 0 };
  let state: State | undefined;
  let has = false;
  for (let i = seek.core_index; i < container.blockCount && report.fed < max; i++) {
    const entry = await container.entry(i);
    if (entry.track_id !== trackId) continue;
    if (entry.keyframe && i > seek.core_index && entry.pts_us > until) break;
    report.fed++;
    let out: State;
    if (entry.kind === "B" && !adapter.applyB) {
      report.skipped++;
      continue;
    }
    const payload = await container.readBlock(i, { opener: opts.opener });
    if (entry.kind === "I" || (entry.keyframe && !has)) {
      state = await adapter.decodeI(payload, entry);
      has = true;
      out = state;
    } else if (!has) {
      throw new H4Error(
        "H4_BAD_INDEX",
        `block ${i} of ${trackId} is ${entry.kind} but no keyframe precedes it`,
      );
    } else if (entry.kind === "P") {
      state = await adapter.applyP(state as State, payload, entry);
      out = state;
    } else {
      out = await adapter.applyB!(state as State, payload, entry);
    }
    const frame = await adapter.render(out, entry);
    report.rendered++;
    await opts.onFrame?.(frame, entry);
  }
  return report;
}
