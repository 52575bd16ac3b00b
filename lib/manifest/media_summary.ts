/**
 * What `manifest` shows of an imported media track first, as ffprobe and MP4Box do: codec,
 * picture size, frame rate, sample rate, channels, language, duration and bitrate, read from
 * `META.media` (SPEC.md section 17). META comes from the file, so every field is checked and a
 * field of the wrong type is simply not shown.
 *
 * @module
 */

import type { TrackInfo } from "../format/types.ts";

/** One media track as `manifest` shows it. */
export interface MediaTrackSummary {
  /** Four-character type of the sample entry, e.g. `avc1`, `mp4a`, `sowt`. */
  sample_entry: string | null;
  /** RFC 6381 codec string, e.g. `avc1.64000c`. */
  codec: string | null;
  /** Handler type of the source track, e.g. `vide`. */
  handler: string | null;
  /** Video: width in pixels. */
  width: number | null;
  /** Video: height in pixels. */
  height: number | null;
  /** Video: frames per second (samples over duration), rounded to 3 decimals. */
  frame_rate: number | null;
  /** Audio: samples per second. */
  sample_rate: number | null;
  /** Audio: channel count. */
  channels: number | null;
  /** ISO 639-2 language, or null. */
  language: string | null;
  /** Duration in seconds (media time), rounded to milliseconds. */
  duration_s: number | null;
  /** Average bits per second of the payloads. */
  bitrate: number | null;
  /** Blocks of the track in the container. */
  blocks: number;
  /** Samples of the source track (several per block for packed PCM). */
  samples: number | null;
}

function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : null;
}

function text(v: unknown, max = 64): string | null {
  return typeof v === "string" && v.length <= max ? v : null;
}

/** Total of `[count, value]` runs, or null when they are not such runs. */
function runsTotal(v: unknown): { count: number; sum: number } | null {
  if (!Array.isArray(v)) return null;
  let count = 0;
  let sum = 0;
  for (const r of v) {
    if (!Array.isArray(r) || num(r[0]) === null || num(r[1]) === null) return null;
    count += r[0];
    sum += r[0] * r[1];
  }
  return { count, sum };
}

/** Type of a base64 sample entry box (bytes 4..8), or null. */
function entryType(b64: unknown): string | null {
  if (typeof b64 !== "string" || b64.length < 12) return null;
  try {
    const head = atob(b64.slice(0, 12));
    const t = head.slice(4, 8);
    return /^[\x20-\x7e]{4}$/.test(t) ? t : null;
  } catch {
    return null;
  }
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Per media track summary from `META.media`, or null when the container has none.
 *
 * @example
 * ```ts
 * import { mediaSummary } from "./media_summary.ts";
 * import assert from "node:assert/strict";
 * const meta = { media: { tracks: { audio_main: {
 *   handler: "soun", codec: "mp4a.40.2", timescale: 48000, duration: 96000, samples: 94,
 *   sample_rate: 48000, channels: 2, language: "eng", bytes: 24000, durations: [[94, 1024]],
 *   sample_entries: [] } } } };
 * const s = mediaSummary(meta, [{ track_id: "audio_main", codec: "none", blocks: 94, keyframes: 94, seek_entries: 2 }]);
 * assert(s?.audio_main.duration_s === 2 && s.audio_main.bitrate === 96000);
 * ```
 */
export function mediaSummary(
  meta: Record<string, unknown>,
  tracks: TrackInfo[],
): Record<string, MediaTrackSummary> | null {
  const media = meta.media;
  if (media === null || typeof media !== "object") return null;
  const mt = (media as Record<string, unknown>).tracks;
  if (mt === null || typeof mt !== "object" || Array.isArray(mt)) return null;
  const out: Record<string, MediaTrackSummary> = {};
  for (const [id, raw] of Object.entries(mt as Record<string, unknown>)) {
    if (raw === null || typeof raw !== "object") continue;
    const t = raw as Record<string, unknown>;
    const ts = num(t.timescale);
    const runs = runsTotal(t.durations);
    const mdhd = num(t.duration);
    const ticks = mdhd ? mdhd : runs?.sum ?? null;
    const duration = ts && ticks !== null ? ticks / ts : null;
    const packed = t.packed && typeof t.packed === "object"
      ? num((t.packed as Record<string, unknown>).samples)
      : null;
    const samples = packed ?? num(t.samples);
    const bytes = num(t.bytes);
    const video = t.handler === "vide";
    const audio = t.handler === "soun";
    out[id] = {
      sample_entry: Array.isArray(t.sample_entries) ? entryType(t.sample_entries[0]) : null,
      codec: text(t.codec),
      handler: text(t.handler, 4),
      width: video ? num(t.width) : null,
      height: video ? num(t.height) : null,
      frame_rate: video && samples && duration ? round(samples / duration, 3) : null,
      sample_rate: audio ? num(t.sample_rate) : null,
      channels: audio ? num(t.channels) : null,
      language: text(t.language, 3),
      duration_s: duration === null ? null : round(duration, 3),
      bitrate: bytes !== null && duration ? Math.round((bytes * 8) / duration) : null,
      blocks: tracks.find((x) => x.track_id === id)?.blocks ?? 0,
      samples,
    };
  }
  return out;
}

/**
 * One line for a track of {@linkcode mediaSummary}, e.g.
 * `avc1 (avc1.64000c), 160x120, 25 fps, 3.000 s, 151 kb/s, und`.
 *
 * @example
 * ```ts
 * import { formatMediaTrack } from "./media_summary.ts";
 * import assert from "node:assert/strict";
 * const line = formatMediaTrack({ sample_entry: "sowt", codec: "sowt", handler: "soun", width: null,
 *   height: null, frame_rate: null, sample_rate: 8000, channels: 1, language: "und",
 *   duration_s: 2, bitrate: 128000, blocks: 8, samples: 16000 });
 * assert(line === "sowt, 8000 Hz, 1 channel, 2.000 s, 128 kb/s, und, 16000 samples");
 * ```
 */
export function formatMediaTrack(s: MediaTrackSummary): string {
  const parts: string[] = [];
  const entry = s.sample_entry ?? "?";
  parts.push(s.codec && s.codec !== entry ? `${entry} (${s.codec})` : entry);
  if (s.width !== null && s.height !== null) parts.push(`${s.width}x${s.height}`);
  if (s.frame_rate !== null) parts.push(`${s.frame_rate} fps`);
  if (s.sample_rate !== null) parts.push(`${s.sample_rate} Hz`);
  if (s.channels !== null) parts.push(`${s.channels} channel${s.channels === 1 ? "" : "s"}`);
  if (s.duration_s !== null) parts.push(`${s.duration_s.toFixed(3)} s`);
  if (s.bitrate !== null) parts.push(`${Math.round(s.bitrate / 1000)} kb/s`);
  if (s.language !== null) parts.push(s.language);
  if (s.samples !== null && s.samples !== s.blocks) parts.push(`${s.samples} samples`);
  return parts.join(", ");
}
