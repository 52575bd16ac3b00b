/// <reference lib="dom" />
/**
 * Which tracks the web player plays: those that `h4mk import` described in `META.media`, one
 * video and one audio track at most, when the browser's Media Source Extensions take their
 * codec; and why the others are not played.
 *
 * @module
 */
import type { Container } from "../seek/container.ts";
import { MEDIA_META_KEY, type MediaMeta, parseMediaMeta } from "../media/media_meta.ts";

/** What {@linkcode plan} decides. */
export interface PlayPlan {
  /** `META.media`, or null when the container has none (or it is not valid). */
  media: MediaMeta | null;
  /** The track ids played, each to "yes". */
  play: Map<string, string>;
  /** Why nothing or not everything plays ("" when every media track plays). */
  why: string;
}

/**
 * The MIME type a SourceBuffer is asked for, for a track of `kind` with RFC 6381 `codec`.
 *
 * @example
 * ```ts
 * import { mime } from "./player_plan.ts";
 * import assert from "node:assert/strict";
 * assert(mime("video", "avc1.64000c") === 'video/mp4; codecs="avc1.64000c"');
 * ```
 */
export function mime(kind: "video" | "audio", codec: string): string {
  return `${kind}/mp4; codecs="${codec}"`;
}

/**
 * Decides which tracks the browser plays, and says why for the others.
 *
 * @example
 * ```ts
 * import { plan } from "./player_plan.ts";
 * import assert from "node:assert/strict";
 * assert.match(plan({ meta: {} }).why, /not made by h4mk import/);
 * ```
 */
export function plan(c: Pick<Container, "meta">): PlayPlan {
  const play = new Map<string, string>();
  let media: MediaMeta | null = null;
  try {
    media = c.meta[MEDIA_META_KEY] === undefined ? null : parseMediaMeta(c.meta[MEDIA_META_KEY]);
  } catch (e) {
    return { media: null, play, why: `META.media is not valid: ${(e as Error).message}` };
  }
  if (!media) {
    return {
      media,
      play,
      why: "this container was not made by h4mk import: META has no codec configuration",
    };
  }
  if (typeof MediaSource === "undefined") {
    return { media, play, why: "this browser has no Media Source Extensions" };
  }
  const refused: string[] = [];
  let videos = 0, audios = 0;
  for (const [id, t] of Object.entries(media.tracks)) {
    const kind = t.handler === "vide" ? "video" : t.handler === "soun" ? "audio" : null;
    if (!kind) continue;
    if ((kind === "video" ? videos : audios) > 0) continue; // one of each
    if (MediaSource.isTypeSupported(mime(kind, t.codec))) {
      play.set(id, "yes");
      kind === "video" ? videos++ : audios++;
    } else refused.push(`${id} (${t.codec})`);
  }
  // With some tracks playable, `why` names the others (they are left out of playback).
  const why = refused.length
    ? `this browser cannot play ${refused.join(", ")}`
    : play.size
    ? ""
    : "no video or audio track in META.media";
  return { media, play, why };
}
