/**
 * Expected results of crafted files, derived from what the builder put in (not from reading the
 * file back): the canonical read result and a set of seek queries with their answers.
 *
 * @module
 */

import { sha256 } from "../../lib/hash/sha256.ts";
import { type CanonicalRead, seekAnswer } from "../canonical.ts";
import type { SeekQuery } from "../vectors.ts";
import { CODEC_NAME, type Craft, KIND_NAME } from "./build.ts";
import { hex } from "./fields.ts";

/**
 * The canonical read result of a crafted file.
 *
 * @example
 * ```ts
 * import { craft } from "./build.ts";
 * import { expectedRead } from "./expect.ts";
 * import assert from "node:assert/strict";
 * const r = expectedRead(craft([{ track_id: "a", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array(1) }]));
 * assert(r.blocks.length === 1 && r.seek.a.length === 1);
 * ```
 */
export function expectedRead(s: Craft, opts: { decrypted?: boolean } = {}): CanonicalRead {
  if (s.profile === "legacy") {
    const rleAll = (s.meta.compression as { engine?: unknown } | undefined)?.engine ===
      "geometric-reference";
    const codec = rleAll ? "rle" : "none";
    const encrypted = "encryption" in s.meta;
    return {
      version: 1,
      profile: "legacy",
      encrypted,
      tracks: s.tracks.map((t, i) => ({
        track_id: t.id,
        codec,
        blocks: t.blocks,
        keyframes: t.keyframes,
        seek_entries: s.seekm[i].length,
      })),
      blocks: s.blocks.map((b) => ({
        index: b.index,
        track_id: b.track_id,
        pts_us: b.pts_us,
        kind: KIND_NAME[b.kind],
        keyframe: b.keyframe,
        codec,
        stored_length: b.stored.length,
        plain_length: encrypted ? null : b.plain_length,
        sha256: encrypted ? null : hex(sha256(b.payload)),
      })),
      meta: s.meta,
      safe: s.safe,
      seek: Object.fromEntries(s.tracks.map((t, i) => [t.id, s.seekm[i]])),
    };
  }
  // Encrypted files: payload hashes only when read with the key.
  const encrypted = s.tables.LIVC != null;
  const hidden = encrypted && !opts.decrypted;
  return {
    version: s.profile === "v1" ? 1 : 2,
    profile: s.profile,
    encrypted,
    tracks: s.tracks.map((t, i) => ({
      track_id: t.id,
      codec: CODEC_NAME[t.codec],
      blocks: t.blocks,
      keyframes: t.keyframes,
      seek_entries: s.seek[i].length,
    })),
    blocks: s.blocks.map((b, i) => ({
      index: i,
      track_id: b.track_id,
      pts_us: b.pts_us,
      kind: KIND_NAME[b.kind],
      keyframe: b.keyframe,
      codec: CODEC_NAME[b.codec],
      stored_length: s.records[i].stored_length,
      plain_length: s.records[i].plain_length,
      sha256: hidden ? null : hex(sha256(b.payload)),
    })),
    meta: s.meta,
    safe: s.safe,
    seek: Object.fromEntries(
      s.tracks.map((t, i) => [t.id, s.seek[i].map((e) => [e.pts, e.index] as [number, number])]),
    ),
  };
}

/** A track id no vector uses, for the unknown-track query of H4-SEEK-001. */
export const UNKNOWN_TRACK = "no-such-track";

/**
 * Seek queries over a read result: for each track, before its first entry, at the first entry,
 * just after a middle entry, at a non-keyframe's pts, at the last entry and far after it; an
 * empty table gives H4_UNKNOWN_TRACK (H4-SEEK-002); and one unknown track (H4-SEEK-001).
 *
 * @example
 * ```ts
 * import { craft } from "./build.ts";
 * import { expectedRead, seekQueries } from "./expect.ts";
 * import assert from "node:assert/strict";
 * const r = expectedRead(craft([{ track_id: "a", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array(1) }]));
 * assert(seekQueries(r).some((q) => q.expect_error === "H4_UNKNOWN_TRACK"));
 * ```
 */
export function seekQueries(r: CanonicalRead, extra: [string, number][] = []): SeekQuery[] {
  const out: SeekQuery[] = [];
  const seen = new Set<string>();
  const add = (track: string, t: number) => {
    if (!Number.isSafeInteger(t)) return;
    const key = `${track}\u0000${t}`;
    if (seen.has(key)) return;
    seen.add(key);
    const table = r.seek[track];
    const a = table ? seekAnswer(track, table, t) : null;
    out.push(
      a ? { track_id: track, pts_us: t, result: a } : {
        track_id: track,
        pts_us: t,
        expect_error: "H4_UNKNOWN_TRACK",
      },
    );
  };
  for (const t of r.tracks) {
    const table = r.seek[t.track_id] ?? [];
    if (table.length === 0) {
      add(t.track_id, 0);
      continue;
    }
    const first = table[0][0], last = table[table.length - 1][0];
    add(t.track_id, first - 1);
    add(t.track_id, first);
    const mid = table[Math.floor(table.length / 2)][0];
    add(t.track_id, mid + 1);
    const nonKey = r.blocks.find((b) => b.track_id === t.track_id && !b.keyframe);
    if (nonKey) add(t.track_id, nonKey.pts_us);
    add(t.track_id, last);
    add(t.track_id, last + 1_000_000);
  }
  for (const [track, t] of extra) add(track, t);
  add(UNKNOWN_TRACK, 0);
  return out;
}
