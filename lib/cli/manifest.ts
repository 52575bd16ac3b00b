/**
 * The manifest as `h4mk manifest` shows it to a person: a short summary of the document that
 * lib/manifest/manifest.ts builds (the same for `--json` and the server), with per-track seek
 * summaries taken from the seek tables, so that the summary never walks the block index.
 *
 * @module
 */

import type { Container } from "../seek/container.ts";
import type { TrackInfo } from "../format/types.ts";
import type { Manifest } from "../manifest/manifest.ts";
import { printable } from "./text.ts";
import { formatMediaTrack } from "../manifest/media_summary.ts";

/** Per-track summary of a seek table. */
export interface SeekSummary {
  /** Number of entries in the track's seek table. */
  entries: number;
  /** pts of the first entry (null when the table is empty). */
  first_pts_us: number | null;
  /** pts of the last entry (null when the table is empty). */
  last_pts_us: number | null;
}

/**
 * The seek summary of every track, from the seek tables (no walk of the block index).
 *
 * @example
 * ```ts
 * import { seekSummaries } from "./manifest.ts";
 * import { packContainer } from "../format/writer.ts";
 * import { openContainer } from "../seek/container.ts";
 * import assert from "node:assert/strict";
 * const c = await openContainer(await packContainer([
 *   { track_id: "v", pts_us: 5, kind: "I", keyframe: true, payload: new Uint8Array([7]) },
 * ]));
 * assert.deepEqual(seekSummaries(c).v, { entries: 1, first_pts_us: 5, last_pts_us: 5 });
 * ```
 */
export function seekSummaries(c: Container): Record<string, SeekSummary> {
  const out: Record<string, SeekSummary> = {};
  for (const t of c.tracks) {
    if (t.seek_entries === 0) {
      out[t.track_id] = { entries: 0, first_pts_us: null, last_pts_us: null };
      continue;
    }
    // The first entry answers any target before it; the last answers the largest target.
    out[t.track_id] = {
      entries: t.seek_entries,
      first_pts_us: c.seek(t.track_id, Number.MIN_SAFE_INTEGER).keyframe_pts_us,
      last_pts_us: c.seek(t.track_id, Number.MAX_SAFE_INTEGER).keyframe_pts_us,
    };
  }
  return out;
}

/**
 * `n` and a noun, plural unless n is 1: `plural(1, "block")` is "1 block".
 *
 * @example
 * ```ts
 * import { plural } from "./manifest.ts";
 * import assert from "node:assert/strict";
 * assert(plural(1, "track") === "1 track" && plural(2, "entry", "entries") === "2 entries");
 * ```
 */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Terminal columns a string takes: East Asian wide and fullwidth characters take two.
 *
 * @example
 * ```ts
 * import { displayWidth } from "./manifest.ts";
 * import assert from "node:assert/strict";
 * assert(displayWidth("音声") === 4 && displayWidth("ab") === 2);
 * ```
 */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const wide = (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x1f300 && c <= 0x1faff) ||
      (c >= 0x20000 && c <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - displayWidth(text)));
}

/**
 * Formats a manifest (built without `seek` and `trak`) and the seek summaries as a short human
 * summary.
 *
 * @example
 * ```ts
 * import { formatManifest, seekSummaries } from "./manifest.ts";
 * import { buildManifest } from "../manifest/manifest.ts";
 * import { packContainer } from "../format/writer.ts";
 * import { openContainer } from "../seek/container.ts";
 * import assert from "node:assert/strict";
 * const c = await openContainer(await packContainer([
 *   { track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array([7]) },
 * ]));
 * const m = await buildManifest(c, { name: "a.h4mk", seek: false, trak: false });
 * assert.match(formatManifest("a.h4mk", m, seekSummaries(c)), /^a\.h4mk: H4MK version 2/);
 * ```
 */
export function formatManifest(
  name: string,
  m: Manifest,
  seek: Record<string, SeekSummary>,
): string {
  const c = m.h4mk;
  const profile = c.profile === "legacy" ? "file of the original writer" : `profile ${c.profile}`;
  const lines = [
    `${printable(name)}: H4MK version ${c.version} (${profile}), ${c.size} bytes, ` +
    `${plural(m.core_blocks, "block")} in ${plural(m.tracks.length, "track")}, ` +
    `${plural(c.chunks, "storage chunk")}`,
  ];
  const check = c.integrity;
  const integrity = check.verified === null
    ? (check.root_checked ? "root digest ok" : "no root digest (legacy file)") +
      "; run h4mk verify for a full check"
    : check.verified
    ? "verified, all checks pass"
    : `INVALID: ${check.failed.join(", ")}`;
  lines.push(`root:       ${c.root ?? "none"}`);
  lines.push(`compression: ${c.block_compression} (how blocks are stored)`);
  lines.push(`encrypted:  ${c.encrypted ? "yes" : "no"}`);
  lines.push(`integrity:  ${integrity}`);
  lines.push(
    `signed:     ${
      m.h4mk.signatures.length === 0
        ? "no"
        : m.h4mk.signatures.map((s) => `${s.key_id} (${s.valid ? "valid" : "INVALID"})`).join(", ")
    }${check.trusted ? "; trusted" : ""}`,
  );
  lines.push("tracks:");
  const width = (f: (t: TrackInfo) => string) =>
    Math.max(0, ...m.track_info.map((t) => displayWidth(f(t))));
  const idW = Math.min(24, width((t) => printable(t.track_id)));
  const codecW = width((t) => t.codec);
  const media = c.media ?? {};
  const blocksW = width((t) => String(t.blocks));
  const keysW = width((t) => String(t.keyframes));
  for (const t of m.track_info) {
    const s = seek[t.track_id];
    const seekText = s.entries === 0
      ? "no keyframe"
      : `${
        plural(s.entries, "seek entry", "seek entries")
      }, ${s.first_pts_us}..${s.last_pts_us} us`;
    lines.push(
      `  ${pad(printable(t.track_id), idW)}  compression=${pad(t.codec, codecW)}  ` +
        `blocks=${pad(String(t.blocks), blocksW)}  keyframes=${
          pad(String(t.keyframes), keysW)
        }  ${seekText}`,
    );
    const s2 = media[t.track_id];
    if (s2) lines.push(`  ${pad("", idW)}  ${printable(formatMediaTrack(s2))}`);
  }
  if (m.tracks.length === 0) lines.push("  (none)");
  // META.media is shown above, track by track; the rest of META as JSON.
  const rest = { ...m.meta };
  if (c.media) delete rest.media;
  const metaText = Object.keys(rest).length ? clip(printable(JSON.stringify(rest)), 160) : "";
  const mediaNote = c.media ? "media (MP4 import mapping, shown under tracks)" : "";
  lines.push(`meta:       ${[mediaNote, metaText].filter((x) => x).join("; ") || "{}"}`);
  lines.push(
    `safe:       ${m.safe === null ? "none" : clip(printable(JSON.stringify(m.safe)), 160)}`,
  );
  return lines.join("\n") + "\n";
}
