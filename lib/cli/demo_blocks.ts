/**
 * The blocks of `h4mk demo`: three seconds of a 30 fps video track with I, P and B frames in
 * decode order (one keyframe per second) and a 48 kHz AAC-like audio track (1024 samples per
 * frame, every frame a keyframe), interleaved by decode time. Payloads look random but are the
 * same on every run.
 *
 * @module
 */

import type { BlockInput, BlockKind } from "../format/types.ts";

/** Track id of the demo's video track. */
export const DEMO_VIDEO = "video";
/** Track id of the demo's audio track. */
export const DEMO_AUDIO = "audio";

const FPS = 30;
const GOP = 30;
const SAMPLE_RATE = 48_000;
const AUDIO_FRAME = 1024;

/** xorshift32: small, fast and deterministic; the payloads only need to look random. */
function fill(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

function sizeFor(kind: BlockKind, seed: number): number {
  const r = fill(seed ^ 0x5bd1e995, 2);
  const jitter = (r[0] << 8 | r[1]) / 65535;
  return Math.round(
    kind === "I" ? 6000 + 2000 * jitter : kind === "P" ? 1200 + 800 * jitter : 400 + 400 * jitter,
  );
}

interface Timed {
  dts: number;
  block: BlockInput;
}

/** Frame numbers of one GOP in decode order: I, then P before the Bs it anchors. */
function gopDecodeOrder(first: number, length: number): { frame: number; kind: BlockKind }[] {
  const out: { frame: number; kind: BlockKind }[] = [{ frame: first, kind: "I" }];
  for (let start = first + 1; start < first + length; start += 3) {
    const last = Math.min(start + 2, first + length - 1);
    out.push({ frame: last, kind: "P" });
    for (let f = start; f < last; f++) out.push({ frame: f, kind: "B" });
  }
  return out;
}

/**
 * The demo blocks, `seconds` long (default 3).
 *
 * @example
 * ```ts
 * import { demoBlocks } from "./demo_blocks.ts";
 * import assert from "node:assert/strict";
 * const blocks = demoBlocks(1);
 * assert(blocks.filter((b) => b.track_id === "video").length === 30);
 * ```
 */
export function demoBlocks(seconds = 3): BlockInput[] {
  const timed: Timed[] = [];
  const frames = seconds * FPS;
  let decodeIndex = 0;
  for (let gop = 0; gop < frames; gop += GOP) {
    for (const { frame, kind } of gopDecodeOrder(gop, Math.min(GOP, frames - gop))) {
      const seed = 1 + frame;
      timed.push({
        dts: Math.round((decodeIndex++ * 1_000_000) / FPS),
        block: {
          track_id: DEMO_VIDEO,
          pts_us: Math.round((frame * 1_000_000) / FPS),
          kind,
          keyframe: kind === "I",
          payload: fill(seed, sizeFor(kind, seed)),
        },
      });
    }
  }
  const audioFrames = Math.ceil((seconds * SAMPLE_RATE) / AUDIO_FRAME);
  for (let i = 0; i < audioFrames; i++) {
    const pts = Math.round((i * AUDIO_FRAME * 1_000_000) / SAMPLE_RATE);
    const seed = 100_000 + i;
    timed.push({
      dts: pts,
      block: {
        track_id: DEMO_AUDIO,
        pts_us: pts,
        kind: "I",
        keyframe: true,
        payload: fill(seed, 300 + (fill(seed, 1)[0] % 100)),
      },
    });
  }
  // Stable sort keeps each track's decode order; video first on equal decode times.
  timed.sort((a, b) => a.dts - b.dts || (a.block.track_id === DEMO_VIDEO ? -1 : 1));
  return timed.map((t) => t.block);
}
