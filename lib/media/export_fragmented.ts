/**
 * H4MK → fragmented MP4 (`h4mk export --fragmented`): the samples and times of
 * {@linkcode exportMp4}, written as an initialisation segment and one `moof`/`mdat` fragment per
 * keyframe interval of the first video track, through the muxer the web player uses
 * (fmp4_mux.ts). A file for Media Source Extensions or DASH/HLS packagers, made ahead of time.
 *
 * @module
 */
import { H4Error } from "../format/errors.ts";
import type { BlockOpener, ByteSink } from "../format/types.ts";
import type { Container } from "./_core.ts";
import { buildFragment, buildInitSegment, type FragRun } from "./fmp4_mux.ts";
import { ctsFromPts, expandRuns, type PtsOrigin, ptsOrigin } from "./mapping.ts";
import { fromBase64, type MediaTrackMeta } from "./media_meta.ts";
import { exportableMedia } from "./export_checks.ts";

/** Options of {@linkcode exportFragmentedMp4}. */
export interface ExportFragmentedOptions {
  /** Decrypts the blocks of an encrypted container. */
  opener?: BlockOpener;
  /** Called after each block written, with the blocks done and the total. */
  onProgress?: (p: { blocks: number; total_blocks: number }) => void;
}

/** A fragment is also closed once its payload reaches this size. */
const MAX_FRAGMENT_BYTES = 64 << 20;

interface Lane {
  id: string;
  meta: MediaTrackMeta;
  origin: PtsOrigin;
  durations: number[];
  ctsOffsets: number[] | null;
  entryOf: number[] | null;
  /** Samples of the track seen so far. */
  n: number;
  /** Decode time of the next sample. */
  dts: number;
}

/**
 * Writes to `sink` a fragmented MP4 with the media tracks of `container` (those of
 * `META.media`): decode times from the stored durations, composition offsets from the blocks'
 * pts (H4-MED-001), the source's edit lists and sample entries. Throws `H4_BAD_ARGUMENT` when
 * META.media does not match the blocks, `H4_ENCRYPTED` without an opener.
 *
 * @example
 * ```ts ignore
 * import { exportFragmentedMp4 } from "./export_fragmented.ts";
 * import { open } from "../../mod.ts";
 * const c = await open("clip.h4mk");
 * const f = await Deno.open("clip-frag.mp4", { write: true, create: true });
 * await exportFragmentedMp4(c, { write: (b) => f.write(b).then(() => {}) });
 * ```
 */
export async function exportFragmentedMp4(
  container: Container,
  sink: ByteSink,
  opts: ExportFragmentedOptions = {},
): Promise<void> {
  const media = exportableMedia(container, opts.opener);
  const lanes = new Map<string, Lane>();
  for (const [id, meta] of Object.entries(media.tracks)) {
    lanes.set(id, {
      id,
      meta,
      origin: ptsOrigin(meta.edits, media.movie_timescale),
      durations: expandRuns(meta.durations),
      ctsOffsets: meta.cts_offsets ? expandRuns(meta.cts_offsets) : null,
      entryOf: meta.entry_runs ? expandRuns(meta.entry_runs) : null,
      n: 0,
      dts: 0,
    });
  }
  const ordered = [...lanes.values()].sort((a, b) => a.meta.mp4_track_id - b.meta.mp4_track_id);
  if (ordered.length === 0) throw new H4Error("H4_BAD_ARGUMENT", "META.media has no track");
  const lead = ordered.find((l) => l.meta.handler === "vide") ?? ordered[0];
  await sink.write(buildInitSegment(ordered.map((l) => ({
    track_id: l.meta.mp4_track_id,
    handler: l.meta.handler,
    handler_name: l.meta.handler_name,
    timescale: l.meta.timescale,
    entries: l.meta.sample_entries.map(fromBase64),
    width: l.meta.tkhd.width / 65536,
    height: l.meta.tkhd.height / 65536,
    language: l.meta.language,
    edits: l.meta.edits,
  }))));

  // The fragment being gathered: runs per track (a new run when the sample entry changes).
  let runs = new Map<string, { run: FragRun; data: Uint8Array[] }[]>();
  let bytes = 0;
  let sequence = 1;
  let done = 0;
  const total = container.blockCount;
  const flush = async () => {
    if (bytes === 0 && runs.size === 0) return;
    const all = ordered.flatMap((l) => runs.get(l.id) ?? []);
    await sink.write(buildFragment(sequence++, all.map((r) => r.run)));
    for (const r of all) for (const d of r.data) await sink.write(d);
    runs = new Map();
    bytes = 0;
  };
  for await (const e of container.entries()) {
    const lane = lanes.get(e.track_id);
    if (!lane) {
      opts.onProgress?.({ blocks: ++done, total_blocks: total });
      continue;
    }
    if ((lane === lead && e.keyframe) || bytes >= MAX_FRAGMENT_BYTES) await flush();
    const i = lane.n++;
    const duration = lane.durations[i];
    let offset: number;
    if (lane.ctsOffsets) offset = lane.ctsOffsets[i];
    else {
      const cts = ctsFromPts(e.pts_us, lane.meta.timescale, lane.origin);
      if (cts === undefined) {
        throw new H4Error(
          "H4_BAD_ARGUMENT",
          `block ${e.index} of ${lane.id} has pts_us ${e.pts_us}, which no sample time at timescale ${lane.meta.timescale} gives`,
        );
      }
      offset = cts - lane.dts;
    }
    const data = await container.readBlock(e.index, { opener: opts.opener });
    if (data.length !== e.plain_length) {
      throw new H4Error(
        "H4_INDEX_MISMATCH",
        `block ${e.index} has ${data.length} bytes, the index says ${e.plain_length}`,
      );
    }
    const entry = lane.entryOf ? lane.entryOf[i] : 1;
    const mine = runs.get(lane.id) ?? [];
    runs.set(lane.id, mine);
    let last = mine[mine.length - 1];
    if (!last || (last.run.entry ?? 1) !== entry) {
      last = {
        run: { track_id: lane.meta.mp4_track_id, base_decode_time: lane.dts, entry, samples: [] },
        data: [],
      };
      mine.push(last);
    }
    last.run.samples.push({ size: data.length, duration, cts_offset: offset, sync: e.keyframe });
    last.data.push(data);
    bytes += data.length;
    lane.dts += duration;
    opts.onProgress?.({ blocks: ++done, total_blocks: total });
  }
  await flush();
}
