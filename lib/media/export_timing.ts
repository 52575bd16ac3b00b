/**
 * What an export learns in its pass over the index (the tracks' samples and the blocks in
 * order) and the sample tables it makes of it for the muxer (SPEC.md section 17, H4-MED-001).
 *
 * @module
 */
import { H4Error } from "../format/errors.ts";
import { ctsFromPts, expandRuns, type PtsOrigin, ptsOrigin } from "./mapping.ts";
import type { MediaTrackMeta } from "./media_meta.ts";
import type { MuxChunk, MuxTrack } from "./mp4_mux.ts";

/** One media track of an export, filled by the pass over the index. */
export interface TrackState {
  /** H4MK track id. */
  id: string;
  /** Its META.media entry. */
  meta: MediaTrackMeta;
  /** pts_us of each kept block. */
  pts: number[];
  /** Plain length of each kept block. */
  sizes: number[];
  /** Keyframe flag of each kept block. */
  sync: boolean[];
  /** Chunks of the mdat, in order. */
  chunks: MuxChunk[];
  /** Sample description index of every block (empty: all 1). */
  entryOf: number[];
  /** Samples of the track seen in the index so far, kept or not. */
  seen: number;
  /** Leading samples left out (sealed to an epoch key, or before the first keyframe after them). */
  skipped: number;
  /** Samples in the kept blocks of a packed track (H4-MED-007). */
  packedSamples: number;
}

/** The exported blocks in mdat order, as parallel lists (one entry per block). */
export interface BlockLayout {
  /** Block index in the container. */
  order: number[];
  /** Plain length. */
  sizes: number[];
  /** Its track. */
  track: TrackState[];
  /** File offset of its bytes when stored as they are (no codec, no cipher), else −1. */
  offset: number[];
  /** Stored length. */
  stored: number[];
}

/** The output of an export: writes gathered into large pieces, and a final flush. */
export interface OutSink {
  /** Writes `b` (its bytes are copied or written before this resolves). */
  write(b: Uint8Array): Promise<void>;
  /** Copies `b` into what is gathered when it fits, without a write; false when it does not. */
  add(b: Uint8Array): boolean;
  /** Writes what is gathered. */
  flush(): Promise<void>;
}

/**
 * A track's sample tables for the muxer: decode times from META's durations, composition
 * times from the blocks' pts_us (H4-MED-001), sizes, sync flags and chunks from pass 1; a
 * packed track (H4-MED-007) as whole chunks. Its lists cover its blocks (checked by
 * `exportableMedia`, export_checks.ts); a track whose leading blocks were left out drops its edit
 * list and durations.
 *
 * @example
 * ```ts ignore
 * const mux = tracks.map((t) => timing(t, entryBoxes.get(t.id)!, media.movie_timescale));
 * ```
 */
export function timing(t: TrackState, entries: Uint8Array[], movieTimescale: number): MuxTrack {
  // A track whose leading samples stayed sealed keeps the timing of the samples it has; its edit
  // list and durations, written for the whole track, are dropped (recomputed from the samples).
  const m: MediaTrackMeta = t.skipped > 0
    ? { ...t.meta, edits: undefined, duration: 0, tkhd_duration: 0 }
    : t.meta;
  const first = t.skipped;
  const n = t.sizes.length;
  const all = expandRuns(m.durations);
  const durations = all.slice(first);
  const ctsOffsets: number[] = new Array(n);
  if (m.cts_offsets) {
    let i = 0;
    for (const o of expandRuns(m.cts_offsets)) {
      if (i >= first) ctsOffsets[i - first] = o;
      i++;
    }
  } else {
    const origin = ptsOrigin(t.meta.edits, movieTimescale);
    // Decode times continue those of the samples left out, so composition offsets stay as imported.
    let dts = all.slice(0, first).reduce((a, b) => a + b, 0);
    for (let i = 0; i < n; i++) {
      ctsOffsets[i] = ctsOffsetOf(t, i, dts, origin, "ctts");
      dts += durations[i];
    }
  }
  if (m.packed) {
    // Each block is one chunk of whole samples: its duration and composition time must agree.
    const p = m.packed;
    if (t.packedSamples !== p.samples) {
      throw new H4Error(
        "H4_BAD_ARGUMENT",
        `META.media.tracks.${t.id}.packed.samples is ${p.samples}, the blocks hold ${t.packedSamples}`,
      );
    }
    for (let i = 0; i < n; i++) {
      if (durations[i] !== t.chunks[i].count * p.sample_duration || ctsOffsets[i] !== 0) {
        throw new H4Error(
          "H4_BAD_ARGUMENT",
          `block ${i} of ${t.id}: duration ${durations[i]} and composition offset ${
            ctsOffsets[i]
          } do not fit ${t.chunks[i].count} packed samples of ${p.sample_duration} ticks`,
        );
      }
    }
    return {
      meta: m,
      entries,
      sizes: [],
      durations: [],
      ctsOffsets: [],
      sync: [],
      chunks: t.chunks,
      packed: { size: p.sample_size, duration: p.sample_duration, count: p.samples },
    };
  }
  return {
    meta: m,
    entries,
    sizes: t.sizes,
    durations,
    ctsOffsets,
    sync: t.sync,
    chunks: t.chunks,
  };
}

/**
 * A sample entry box from META, checked to be exactly one box (its size field equals its
 * length, a printable type), else `H4_BAD_ARGUMENT` naming `what`.
 *
 * @example
 * ```ts
 * import { checkedEntry } from "./export_timing.ts";
 * import assert from "node:assert/strict";
 * const box = new Uint8Array([0, 0, 0, 8, 0x61, 0x76, 0x63, 0x31]);
 * assert(checkedEntry(box, "video_main.sample_entries[0]") === box);
 * assert.throws(() => checkedEntry(box.subarray(0, 7), "x"), /not one MP4 box/);
 * ```
 */
export function checkedEntry(b: Uint8Array, what: string): Uint8Array {
  const size = b.length >= 8 ? new DataView(b.buffer, b.byteOffset).getUint32(0) : -1;
  if (size !== b.length || !/^[\x20-\x7e]{4}$/.test(String.fromCharCode(...b.subarray(4, 8)))) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `META.media.tracks.${what} is not one MP4 box (${b.length} bytes)`,
    );
  }
  return b;
}

/**
 * The composition offset of kept block `b` of track `t` decoded at `dts`: its pts_us mapped
 * back to a composition time (H4-MED-001) minus `dts`. `H4_BAD_ARGUMENT` when no sample time
 * gives that pts_us, or when the offset does not fit a signed 32-bit field of `box`.
 *
 * @example
 * ```ts ignore
 * const off = ctsOffsetOf(t, i, dts, ptsOrigin(t.meta.edits, 1000), "ctts");
 * ```
 */
export function ctsOffsetOf(
  t: TrackState,
  b: number,
  dts: number,
  origin: PtsOrigin,
  box: "ctts" | "trun",
): number {
  const cts = ctsFromPts(t.pts[b], t.meta.timescale, origin);
  if (cts === undefined) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `block ${b} of ${t.id} has pts_us ${
        t.pts[b]
      }, which no sample time at timescale ${t.meta.timescale} gives`,
    );
  }
  const off = cts - dts;
  if (off < -0x8000_0000 || off > 0x7fff_ffff) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `block ${b} of ${t.id}: composition offset ${off} does not fit ${box}`,
    );
  }
  return off;
}
