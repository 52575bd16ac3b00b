/// <reference lib="dom" />
/**
 * What the web player shows besides the video: the tracks table, the blocks around the last
 * seek, and the keyframe timeline. Elements are found by the ids of the page
 * (lib/web/page.ts); lib/web/player_browser_test.ts checks them in a browser.
 *
 * @module
 */
import type { Container } from "../seek/container.ts";
import type { MediaMeta } from "../media/media_meta.ts";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/**
 * Fills the tracks table: id, codec (with size or sample rate from `META.media`), blocks,
 * keyframes and whether the track plays.
 *
 * @example
 * ```ts ignore
 * import { showTracks } from "./player_view.ts";
 * showTracks(container, null, new Map());
 * ```
 */
export function showTracks(
  c: Container,
  media: MediaMeta | null,
  play: Map<string, string>,
): void {
  const body = $<HTMLTableElement>("tracks").tBodies[0];
  body.replaceChildren();
  for (const t of c.tracks) {
    const m = media?.tracks[t.track_id];
    const row = body.insertRow();
    for (
      const v of [
        t.track_id,
        m
          ? `${m.codec}${m.width ? ` ${m.width}×${m.height}` : ""}${
            m.sample_rate ? ` ${m.sample_rate} Hz` : ""
          }`
          : t.codec,
        String(t.blocks),
        String(t.keyframes),
        play.get(t.track_id) ?? "no",
      ]
    ) row.insertCell().textContent = v;
  }
}

/**
 * Fills the blocks table with the 12 blocks from index `around` on.
 *
 * @example
 * ```ts ignore
 * import { showBlocks } from "./player_view.ts";
 * await showBlocks(container, 0);
 * ```
 */
export async function showBlocks(c: Container, around: number): Promise<void> {
  const body = $<HTMLDetailsElement>("blocks").querySelector("tbody")!;
  const rows: HTMLTableRowElement[] = [];
  for (let i = around; i < Math.min(c.blockCount, around + 12); i++) {
    const e = await c.entry(i);
    const row = document.createElement("tr");
    for (
      const v of [
        String(e.index),
        e.track_id,
        (e.pts_us / 1e6).toFixed(3),
        e.kind + (e.keyframe ? " key" : ""),
        String(e.plain_length),
      ]
    ) row.insertCell().textContent = v;
    rows.push(row);
  }
  body.replaceChildren(...rows);
}

/**
 * Draws a mark per keyframe time (seconds; at most 1,500 marks) on the timeline, calls
 * `onSeek(seconds)` on a click, and moves the cursor with `video`'s playhead.
 *
 * @example
 * ```ts ignore
 * import { showTimeline } from "./player_view.ts";
 * showTimeline(video, [0, 2, 4], 6, (s) => console.log("seek", s));
 * ```
 */
export function showTimeline(
  video: HTMLVideoElement,
  keyTimes: number[],
  duration: number,
  onSeek: (s: number) => void,
): void {
  const line = $<HTMLDivElement>("timeline");
  const cursor = $<HTMLDivElement>("cursor");
  const step = Math.max(1, Math.ceil(keyTimes.length / 1500));
  for (let i = 0; i < keyTimes.length; i += step) {
    const k = document.createElement("div");
    k.className = "k";
    k.style.left = `${(100 * keyTimes[i] / duration).toFixed(3)}%`;
    line.append(k);
  }
  line.addEventListener("click", (ev) => {
    const r = line.getBoundingClientRect();
    onSeek(Math.max(0, (ev.clientX - r.left) / r.width) * duration);
  });
  video.addEventListener("timeupdate", () => {
    cursor.style.left = `${(100 * Math.min(1, video.currentTime / duration)).toFixed(3)}%`;
  });
}
