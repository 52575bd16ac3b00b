/**
 * What both exports check first (SPEC.md section 17): `META.media` parses, an encrypted
 * container comes with an opener, and every per-sample list of each media track covers
 * exactly the container's blocks of that track, so that the muxers can index those lists by
 * block without checking again.
 *
 * @module
 */
import { H4Error } from "../format/errors.ts";
import type { BlockOpener } from "../format/types.ts";
import type { Container } from "./_core.ts";
import { runsCount } from "./mapping.ts";
import { MEDIA_META_KEY, type MediaMeta, parseMediaMeta } from "./media_meta.ts";

/**
 * `META.media` of `container`, checked for export: `H4_ENCRYPTED` when the container is
 * encrypted and no `opener` is given; `H4_BAD_ARGUMENT` when META.media is malformed or when
 * a track's `samples`, `durations`, `cts_offsets` or `entry_runs` do not cover its blocks.
 *
 * @example
 * ```ts
 * import { exportableMedia } from "./export_checks.ts";
 * import { openContainer } from "../seek/container.ts";
 * import { packContainer } from "../format/writer.ts";
 * import assert from "node:assert/strict";
 * const c = await openContainer(await packContainer([]));
 * assert.throws(() => exportableMedia(c), /META\.media/);
 * ```
 */
export function exportableMedia(container: Container, opener?: BlockOpener): MediaMeta {
  const media = parseMediaMeta(container.meta[MEDIA_META_KEY]);
  if (container.encrypted && !opener) {
    throw new H4Error(
      "H4_ENCRYPTED",
      "the container is encrypted: export needs its key (an opener)",
    );
  }
  for (const [id, meta] of Object.entries(media.tracks)) {
    const blocks = container.tracks.find((t) => t.track_id === id)?.blocks ?? 0;
    const counts: [string, number][] = [["samples", meta.samples]];
    counts.push(["durations", runsCount(meta.durations)]);
    if (meta.cts_offsets) counts.push(["cts_offsets", runsCount(meta.cts_offsets)]);
    if (meta.entry_runs) counts.push(["entry_runs", runsCount(meta.entry_runs)]);
    for (const [what, n] of counts) {
      if (n !== blocks) {
        throw new H4Error(
          "H4_BAD_ARGUMENT",
          `META.media.tracks.${id}.${what} covers ${n} samples, the container has ${blocks} blocks of that track`,
        );
      }
    }
  }
  return media;
}
