/**
 * The fragmented half of {@linkcode exportMp4}: a container imported from a fragmented MP4 is
 * written back fragment for fragment (H4-MED-010), each `moof` with the trafs, decode times
 * and trun groups that `META.media.fragments` kept, the payloads read through reused windows.
 *
 * @module
 */
import { H4Error } from "../format/errors.ts";
import type { BlockOpener } from "../format/types.ts";
import type { Container } from "./_core.ts";
import { expandRuns, ptsOrigin } from "./mapping.ts";
import type { MediaMeta } from "./media_meta.ts";
import { buildMoov, mdatHeader, type MuxTrack } from "./mp4_mux.ts";
import { buildMoof, buildMvex, type TrafPlan, type TrunRun } from "./fragment_mux.ts";
import { type ReadInto, windows } from "./window.ts";
import { type BlockLayout, ctsOffsetOf, type OutSink, type TrackState } from "./export_timing.ts";

/** Bytes of each of the two windows blocks are read through. */
export const WINDOW_BYTES = 8 << 20;

/** What {@linkcode writeFragments} needs of an export. */
export interface FragmentExport {
  /** The container exported. */
  container: Container;
  /** Its checked META.media, with `fragments`. */
  media: MediaMeta & { fragments: [string, number, number][][] };
  /** The media tracks in mp4_track_id order, none with leading blocks left out. */
  tracks: TrackState[];
  /** Sample entry boxes per track id. */
  entryBoxes: Map<string, Uint8Array[]>;
  /** The blocks exported, in order (pass 1). */
  layout: BlockLayout;
  /** Decrypts an encrypted container's blocks. */
  opener?: BlockOpener;
  /** Reads the container's bytes into reused windows. */
  readInto?: ReadInto;
  /** Hears the blocks written. */
  onProgress?: (p: { blocks: number; total_blocks: number }) => void;
}

/**
 * Writes the moov (with `mvex`) and one `moof` + `mdat` per entry of `META.media.fragments`
 * to `out`, after the ftyp; `H4_BAD_ARGUMENT` when the fragments do not cover the blocks.
 *
 * @example
 * ```ts ignore
 * await writeFragments(out, { container, media, tracks, entryBoxes, layout });
 * ```
 */
export async function writeFragments(out: OutSink, x: FragmentExport): Promise<void> {
  const { media, tracks, entryBoxes, container } = x;
  const { order, sizes: orderSizes, track: orderTrack } = x.layout;
  const states = new Map(tracks.map((t) => [t.id, t]));
  const empty = tracks.map((t): MuxTrack => ({
    meta: t.meta,
    entries: entryBoxes.get(t.id)!,
    sizes: [],
    durations: [],
    ctsOffsets: [],
    sync: [],
    chunks: [],
  }));
  await out.write(
    buildMoov(media.movie_timescale, empty, [buildMvex(tracks.map((t) => t.meta.mp4_track_id))]),
  );
  const blocks = blockReader(container, x, x.layout);
  let j = 0;
  const next = new Map(tracks.map((t) => [t.id, 0]));
  const times = new Map(tracks.map((t) => [t.id, fragmentTimes(t, media.movie_timescale)]));
  for (const [f, trafs] of media.fragments.entries()) {
    let n = 0;
    for (const [, count] of trafs) n += count;
    if (j + n > order.length) {
      throw new H4Error("H4_BAD_ARGUMENT", `META.media.fragments[${f}] runs past the blocks`);
    }
    const at: number[] = [];
    let bytes = 0;
    for (let k = j; k < j + n; k++) {
      at.push(bytes);
      bytes += orderSizes[k];
    }
    const plans: TrafPlan[] = trafs.map(([id, count, baseTime]) => {
      const t = states.get(id)!;
      const tm = times.get(id)!;
      const runs: TrunRun[] = [];
      let dts = baseTime;
      let seen = 0;
      let last = -2;
      const first = next.get(id)!;
      for (let k = j; k < j + n; k++) {
        if (orderTrack[k] !== t) continue;
        const b = first + seen++;
        if (seen > count) break;
        if (k !== last + 1 || runs.length === 0) {
          runs.push({ at: at[k - j], sizes: [], durations: [], sync: [], ctsOffsets: [] });
        }
        last = k;
        const r = runs[runs.length - 1];
        const cto = tm.cto(b, dts);
        const p = t.meta.packed;
        if (p) {
          const c = t.sizes[b] / p.sample_size;
          for (let i = 0; i < c; i++) {
            r.sizes.push(p.sample_size);
            r.durations.push(p.sample_duration);
            r.sync.push(true);
            r.ctsOffsets.push(i === 0 ? cto : 0);
          }
        } else {
          r.sizes.push(t.sizes[b]);
          r.durations.push(tm.durations[b]);
          r.sync.push(t.sync[b]);
          r.ctsOffsets.push(cto);
        }
        dts += tm.durations[b];
      }
      if (seen !== count) {
        throw new H4Error(
          "H4_BAD_ARGUMENT",
          `META.media.fragments[${f}] gives ${id} ${count} blocks, the container ${seen} there`,
        );
      }
      next.set(id, first + count);
      return {
        trackId: t.meta.mp4_track_id,
        entry: t.entryOf.length ? t.entryOf[first] : 1,
        baseTime,
        runs,
      };
    });
    const head = mdatHeader(bytes);
    await out.write(buildMoof(f + 1, plans, head.length));
    await out.write(head);
    for (let k = j; k < j + n; k++) {
      const bytes = blocks.now(k) ?? await blocks.at(k);
      if (!out.add(bytes)) await out.write(bytes);
    }
    x.onProgress?.({ blocks: j + n, total_blocks: order.length });
    j += n;
  }
  if (j !== order.length) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `META.media.fragments cover ${j} blocks, the container has ${order.length}`,
    );
  }
}

/** The payloads of the exported blocks by position j in the mdat (see {@linkcode blockReader}). */
export interface BlockReader {
  /** The payload of block j; valid until the next call of either method. */
  at(j: number): Promise<Uint8Array>;
  /** The payload of block j when it lies in the window at hand (no read needed), else undefined. */
  now(j: number): Uint8Array | undefined;
}

/**
 * The payloads of the exported blocks: through two reused windows when the caller gave
 * `readInto` and the block is stored as it is, else as the container reads it. Each result
 * is valid until the next call. `now` spares a promise per block inside a window.
 *
 * @example
 * ```ts ignore
 * const blocks = blockReader(container, { readInto, opener }, layout);
 * const bytes = blocks.now(0) ?? await blocks.at(0);
 * ```
 */
export function blockReader(
  container: Container,
  opts: { readInto?: ReadInto; opener?: BlockOpener },
  layout: BlockLayout,
): BlockReader {
  const input = opts.readInto
    ? windows(opts.readInto, container.source.size, WINDOW_BYTES)
    : undefined;
  let win: Uint8Array = new Uint8Array(0);
  let winStart = 0;
  const now = (j: number): Uint8Array | undefined => {
    const offset = layout.offset[j], stored = layout.stored[j];
    if (input && offset >= winStart && offset + stored <= winStart + win.length) {
      return win.subarray(offset - winStart, offset - winStart + stored);
    }
    return undefined;
  };
  return {
    now,
    async at(j) {
      const offset = layout.offset[j], stored = layout.stored[j];
      if (!input || offset < 0 || stored >= WINDOW_BYTES) {
        return await container.readBlock(layout.order[j], { opener: opts.opener });
      }
      const here = now(j);
      if (here) return here;
      win = await input.at(offset);
      winStart = offset;
      return win.subarray(0, stored);
    },
  };
}

/** Per block of a track: its duration, and its composition time (H4-MED-001). */
function fragmentTimes(
  t: TrackState,
  movieTimescale: number,
): { durations: number[]; cto(b: number, dts: number): number } {
  const m = t.meta;
  // The lists cover the track's blocks (exportableMedia), none left out on this path.
  const durations = expandRuns(m.durations);
  if (m.cts_offsets) {
    // Decode times are the tfdt plus durations; offsets come from META.
    const offs = expandRuns(m.cts_offsets);
    return { durations, cto: (b) => offs[b] };
  }
  const origin = ptsOrigin(m.edits, movieTimescale);
  return { durations, cto: (b, dts) => ctsOffsetOf(t, b, dts, origin, "trun") };
}
