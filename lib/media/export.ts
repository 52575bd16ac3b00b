/**
 * H4MK → MP4: rebuilds the MP4 that {@linkcode importMedia} read, from the blocks and
 * `META.media` (SPEC.md section 17): same samples, same decode and composition times, same
 * sync flags, sample entries and edit lists.
 *
 * @module
 */
import { H4Error } from "../format/errors.ts";
import type { BlockOpener, ByteSink } from "../format/types.ts";
import type { Container } from "./_core.ts";
import { ctsFromPts, expandRuns, ptsOrigin, runsCount } from "./mapping.ts";
import { fromBase64, MEDIA_META_KEY, type MediaTrackMeta, parseMediaMeta } from "./media_meta.ts";
import { buildFtyp, buildMoov, mdatHeader, type MuxChunk, type MuxTrack } from "./mp4_mux.ts";
import { type ReadInto, windows } from "./window.ts";
import { buildMoof, buildMvex, type TrafPlan, type TrunRun } from "./fragment_mux.ts";

/** Options of {@linkcode exportMp4}. */
export interface ExportMp4Options {
  /** Decrypts the blocks of an encrypted container. */
  opener?: BlockOpener;
  /** Called after each block written, with the blocks done and the total. */
  onProgress?: (p: { blocks: number; total_blocks: number }) => void;
  /**
   * Reads the container's bytes into a buffer (see {@linkcode readerOf}): plain blocks are
   * then moved through two reused windows instead of a fresh buffer per read, which costs
   * more than the read itself.
   */
  readInto?: ReadInto;
}

interface TrackState {
  id: string;
  meta: MediaTrackMeta;
  pts: number[];
  sizes: number[];
  sync: boolean[];
  chunks: MuxChunk[];
  entryOf: number[];
  /** Samples of the track seen in the index so far, kept or not. */
  seen: number;
  /** Leading samples left out (sealed to an epoch key, or before the first keyframe after them). */
  skipped: number;
  packedSamples: number;
}

/**
 * Writes to `sink` an MP4 with the media tracks of `container` (those in `META.media`;
 * other tracks such as `controls` are left out): `ftyp`, one `mdat` with the payloads in block
 * order, then `moov`. Packets and timestamps are those of the imported file (as ffprobe
 * shows them); a fragmented input comes back unfragmented.
 *
 * @example
 * ```ts ignore
 * import { exportMp4 } from "./export.ts";
 * import { open } from "../../mod.ts";
 * const c = await open("clip.h4mk");
 * const f = await Deno.open("clip.mp4", { write: true, create: true });
 * await exportMp4(c, { write: (b) => f.write(b).then(() => {}) });
 * ```
 */
export async function exportMp4(
  container: Container,
  sink: ByteSink,
  opts: ExportMp4Options = {},
): Promise<void> {
  const media = parseMediaMeta(container.meta[MEDIA_META_KEY]);
  if (container.encrypted && !opts.opener) {
    throw new H4Error(
      "H4_ENCRYPTED",
      "the container is encrypted: export needs its key (an opener)",
    );
  }
  const states = new Map<string, TrackState>();
  for (const [id, meta] of Object.entries(media.tracks)) {
    const info = container.tracks.find((t) => t.track_id === id);
    const blocks = info?.blocks ?? 0;
    if (blocks !== meta.samples) {
      throw new H4Error(
        "H4_BAD_ARGUMENT",
        `META.media.tracks.${id}.samples is ${meta.samples} but the container has ${blocks} blocks of that track`,
      );
    }
    states.set(id, {
      id,
      meta,
      pts: [],
      sizes: [],
      sync: [],
      chunks: [],
      entryOf: [],
      seen: 0,
      skipped: 0,
      packedSamples: 0,
    });
  }
  const tracks = [...states.values()].sort((a, b) => a.meta.mp4_track_id - b.meta.mp4_track_id);
  if (new Set(tracks.map((t) => t.meta.mp4_track_id)).size !== tracks.length) {
    throw new H4Error("H4_BAD_ARGUMENT", "META.media gives two tracks the same mp4_track_id");
  }
  const entryBoxes = new Map<string, Uint8Array[]>();
  for (const t of tracks) {
    entryBoxes.set(
      t.id,
      t.meta.sample_entries.map((b, i) =>
        checkedEntry(fromBase64(b), `${t.id}.sample_entries[${i}]`)
      ),
    );
    const n = t.meta.entry_runs ? runsCount(t.meta.entry_runs) : t.meta.samples;
    if (n !== t.meta.samples) {
      throw new H4Error(
        "H4_BAD_ARGUMENT",
        `META.media.tracks.${t.id}.entry_runs covers ${n} samples, not ${t.meta.samples}`,
      );
    }
    t.entryOf = t.meta.entry_runs ? [...expandRuns(t.meta.entry_runs)] : [];
  }

  // Pass 1 over the index (no payloads): layout of the mdat.
  const ftyp = media.ftyp ? buildFtyp(media.ftyp) : new Uint8Array(0);
  const order: number[] = [];
  const orderSizes: number[] = [];
  const orderTrack: TrackState[] = [];
  // Where each block's bytes lie, for reading runs of plain blocks at once.
  const direct: { offset: number; stored: number }[] = [];
  let payload = 0;
  let prev: TrackState | undefined;
  // Blocks before an epoch key's epoch stay sealed: each track then starts at its first keyframe
  // after them, since a decoder cannot start anywhere else (SPEC.md 12.10).
  const sealed = container.encrypted
    ? Math.min(opts.opener?.firstOpenBlock ?? 0, container.blockCount)
    : 0;
  for await (const e of container.entries()) {
    const t = states.get(e.track_id);
    if (!t) continue;
    const k = t.seen++;
    if (t.sizes.length === 0 && (e.index < sealed || (sealed > 0 && !e.keyframe))) {
      t.skipped++;
      continue;
    }
    const entry = t.entryOf.length ? t.entryOf[k] : 1;
    t.pts.push(e.pts_us);
    t.sizes.push(e.plain_length);
    t.sync.push(e.keyframe);
    const last = t.chunks[t.chunks.length - 1];
    const packed = t.meta.packed;
    if (packed) {
      // One chunk per block, of the samples it holds (H4-MED-007).
      const n = e.plain_length / packed.sample_size;
      if (!Number.isSafeInteger(n) || n < 1) {
        throw new H4Error(
          "H4_BAD_ARGUMENT",
          `block ${e.index} of ${t.id} has ${e.plain_length} bytes, not whole samples of ${packed.sample_size}`,
        );
      }
      t.chunks.push({ offset: payload, count: n, entry });
      t.packedSamples += n;
    } else if (prev === t && last && last.entry === entry) last.count++;
    else {
      t.chunks.push({ offset: payload, count: 1, entry });
    }
    prev = t;
    order.push(e.index);
    orderSizes.push(e.plain_length);
    orderTrack.push(t);
    direct.push({
      offset: e.codec === "none" && !container.encrypted ? e.offset : -1,
      stored: e.stored_length,
    });
    payload += e.plain_length;
  }
  // A grant that leaves leading blocks sealed cannot follow the input's fragments (they count
  // every block): such an export is written unfragmented, each track from its first open keyframe.
  if (media.fragmented && media.fragments && tracks.every((t) => t.skipped === 0)) {
    // Written back fragment for fragment (H4-MED-010).
    const out = coalescingSink(sink);
    if (ftyp.length) await out.write(ftyp);
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
    const readAt = blockReader(container, opts, direct, order);
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
      for (let k = j; k < j + n; k++) await out.write(await readAt(k));
      opts.onProgress?.({ blocks: j + n, total_blocks: order.length });
      j += n;
    }
    if (j !== order.length) {
      throw new H4Error(
        "H4_BAD_ARGUMENT",
        `META.media.fragments cover ${j} blocks, the container has ${order.length}`,
      );
    }
    await out.flush();
    return;
  }
  const head = mdatHeader(payload);
  const base = ftyp.length + head.length;
  for (const t of tracks) for (const c of t.chunks) c.offset += base;

  const mux: MuxTrack[] = tracks.map((t) =>
    timing(t, entryBoxes.get(t.id)!, media.movie_timescale)
  );
  const moov = buildMoov(media.movie_timescale, mux);

  // Pass 2: the payloads, in block order. Blocks stored as they are (no codec, no cipher) and
  // back to back in the container are read in runs of up to RUN_BYTES; output is written in
  // pieces of about that size.
  const out = coalescingSink(sink);
  if (ftyp.length) await out.write(ftyp);
  await out.write(head);
  if (opts.readInto) {
    const input = windows(opts.readInto, container.source.size, WINDOW_BYTES);
    let win: Uint8Array = new Uint8Array(0);
    let winStart = 0;
    for (let j = 0; j < order.length; j++) {
      const { offset, stored } = direct[j];
      let bytes: Uint8Array;
      if (offset < 0) bytes = await container.readBlock(order[j], { opener: opts.opener });
      else if (offset >= winStart && offset + stored <= winStart + win.length) {
        bytes = win.subarray(offset - winStart, offset - winStart + stored);
      } else if (stored >= WINDOW_BYTES) bytes = await container.source.read(offset, stored);
      else {
        win = await input.at(offset);
        winStart = offset;
        bytes = win.subarray(0, stored);
      }
      if (bytes.length !== orderSizes[j]) {
        throw new H4Error(
          "H4_INDEX_MISMATCH",
          `block ${order[j]} has ${bytes.length} bytes, the index says ${orderSizes[j]}`,
        );
      }
      await out.write(bytes);
      if (opts.onProgress && (j % 256 === 255 || j === order.length - 1)) {
        opts.onProgress({ blocks: j + 1, total_blocks: order.length });
      }
    }
    await out.write(moov);
    await out.flush();
    return;
  }
  const runs: [number, number][] = [];
  for (let k = 0; k < order.length;) {
    let end = k + 1;
    if (direct[k].offset >= 0) {
      let bytes = direct[k].stored;
      while (
        end < order.length &&
        direct[end].offset === direct[end - 1].offset + direct[end - 1].stored &&
        bytes + direct[end].stored <= RUN_BYTES
      ) bytes += direct[end++].stored;
    }
    runs.push([k, end]);
    k = end;
  }
  // One run read ahead while the current one is written.
  const readRun = ([k, end]: [number, number]): Promise<Uint8Array> | undefined => {
    if (end - k < 2) return undefined;
    const p = container.source.read(
      direct[k].offset,
      direct[end - 1].offset + direct[end - 1].stored - direct[k].offset,
    );
    p.catch(() => {}); // awaited below; an error is reported there
    return p;
  };
  let next = runs.length ? readRun(runs[0]) : undefined;
  for (let r = 0; r < runs.length; r++) {
    const [k, end] = runs[r];
    const pending = next;
    next = r + 1 < runs.length ? readRun(runs[r + 1]) : undefined;
    const run = pending ? await pending : undefined;
    const first = direct[k].offset;
    for (let j = k; j < end; j++) {
      const bytes = run
        ? run.subarray(direct[j].offset - first, direct[j].offset - first + direct[j].stored)
        : await container.readBlock(order[j], { opener: opts.opener });
      if (bytes.length !== orderSizes[j]) {
        throw new H4Error(
          "H4_INDEX_MISMATCH",
          `block ${order[j]} has ${bytes.length} bytes, the index says ${orderSizes[j]}`,
        );
      }
      await out.write(bytes);
      opts.onProgress?.({ blocks: j + 1, total_blocks: order.length });
    }
  }
  await out.write(moov);
  await out.flush();
}

/** Bytes read at once from a container, and written at once to the sink. */
const RUN_BYTES = 1 << 20;
/** Bytes of each of the two windows of {@linkcode ExportMp4Options.readInto}. */
const WINDOW_BYTES = 8 << 20;

/**
 * Gathers small writes into pieces of about {@linkcode RUN_BYTES}, in one buffer used again
 * after each write resolves (a sink keeps a reference only until then).
 */
function coalescingSink(
  sink: ByteSink,
): { write(b: Uint8Array): Promise<void>; flush(): Promise<void> } {
  const buf = new Uint8Array(RUN_BYTES);
  let size = 0;
  const flush = async (): Promise<void> => {
    if (size === 0) return;
    const n = size;
    size = 0;
    await sink.write(buf.subarray(0, n));
  };
  return {
    async write(b: Uint8Array): Promise<void> {
      if (size + b.length > RUN_BYTES) await flush();
      if (b.length >= RUN_BYTES) {
        await sink.write(b);
        return;
      }
      buf.set(b, size);
      size += b.length;
    },
    flush,
  };
}

/**
 * The payload of the j-th exported block: through two reused windows when the caller gave
 * `readInto`, else as the container reads it. Each result is valid until the next call.
 */
function blockReader(
  container: Container,
  opts: ExportMp4Options,
  direct: { offset: number; stored: number }[],
  order: number[],
): (j: number) => Promise<Uint8Array> {
  const input = opts.readInto
    ? windows(opts.readInto, container.source.size, WINDOW_BYTES)
    : undefined;
  let win: Uint8Array = new Uint8Array(0);
  let winStart = 0;
  return async (j) => {
    const { offset, stored } = direct[j];
    if (!input || offset < 0 || stored >= WINDOW_BYTES) {
      return await container.readBlock(order[j], { opener: opts.opener });
    }
    if (!(offset >= winStart && offset + stored <= winStart + win.length)) {
      win = await input.at(offset);
      winStart = offset;
    }
    return win.subarray(offset - winStart, offset - winStart + stored);
  };
}

/** Per block of a track: its duration, and its composition time (H4-MED-001). */
function fragmentTimes(
  t: TrackState,
  movieTimescale: number,
): { durations: number[]; cto(b: number, dts: number): number } {
  const m = t.meta;
  const n = t.sizes.length;
  if (runsCount(m.durations) !== n) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `META.media.tracks.${t.id}.durations covers ${
        runsCount(m.durations)
      } samples, the track has ${n}`,
    );
  }
  const durations = [...expandRuns(m.durations)];
  if (m.cts_offsets) {
    if (runsCount(m.cts_offsets) !== n) {
      throw new H4Error(
        "H4_BAD_ARGUMENT",
        `META.media.tracks.${t.id}.cts_offsets covers ${
          runsCount(m.cts_offsets)
        } samples, the track has ${n}`,
      );
    }
    // Decode times are the tfdt plus durations; offsets come from META.
    const offs = [...expandRuns(m.cts_offsets)];
    return { durations, cto: (b) => offs[b] };
  }
  const origin = ptsOrigin(m.edits, movieTimescale);
  return {
    durations,
    cto(b, dts) {
      const cts = ctsFromPts(t.pts[b], m.timescale, origin);
      if (cts === undefined) {
        throw new H4Error(
          "H4_BAD_ARGUMENT",
          `block ${b} of ${t.id} has pts_us ${
            t.pts[b]
          }, which no sample time at timescale ${m.timescale} gives`,
        );
      }
      const off = cts - dts;
      if (off < -0x8000_0000 || off > 0x7fff_ffff) {
        throw new H4Error(
          "H4_BAD_ARGUMENT",
          `block ${b} of ${t.id}: composition offset ${off} does not fit trun`,
        );
      }
      return off;
    },
  };
}

/** Decode times from META's durations, composition times from pts_us (H4-MED-001). */
function timing(t: TrackState, entries: Uint8Array[], movieTimescale: number): MuxTrack {
  // A track whose leading samples stayed sealed keeps the timing of the samples it has; its edit
  // list and durations, written for the whole track, are dropped (recomputed from the samples).
  const m: MediaTrackMeta = t.skipped > 0
    ? { ...t.meta, edits: undefined, duration: 0, tkhd_duration: 0 }
    : t.meta;
  const first = t.skipped;
  const n = t.sizes.length;
  if (runsCount(m.durations) !== first + n) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `META.media.tracks.${t.id}.durations covers ${
        runsCount(m.durations)
      } samples, the track has ${first + n}`,
    );
  }
  const all = [...expandRuns(m.durations)];
  const durations = all.slice(first);
  const ctsOffsets: number[] = new Array(n);
  if (m.cts_offsets) {
    if (runsCount(m.cts_offsets) !== first + n) {
      throw new H4Error(
        "H4_BAD_ARGUMENT",
        `META.media.tracks.${t.id}.cts_offsets covers ${
          runsCount(m.cts_offsets)
        } samples, the track has ${first + n}`,
      );
    }
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
      const cts = ctsFromPts(t.pts[i], m.timescale, origin);
      if (cts === undefined) {
        throw new H4Error(
          "H4_BAD_ARGUMENT",
          `block ${i} of ${t.id} has pts_us ${
            t.pts[i]
          }, which no sample time at timescale ${m.timescale} gives`,
        );
      }
      const off = cts - dts;
      if (off < -0x8000_0000 || off > 0x7fff_ffff) {
        throw new H4Error(
          "H4_BAD_ARGUMENT",
          `block ${i} of ${t.id}: composition offset ${off} does not fit ctts`,
        );
      }
      ctsOffsets[i] = off;
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

/** A sample entry box must be exactly one box: its size field equals its length. */
function checkedEntry(b: Uint8Array, what: string): Uint8Array {
  const size = b.length >= 8 ? new DataView(b.buffer, b.byteOffset).getUint32(0) : -1;
  if (size !== b.length || !/^[\x20-\x7e]{4}$/.test(String.fromCharCode(...b.subarray(4, 8)))) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `META.media.tracks.${what} is not one MP4 box (${b.length} bytes)`,
    );
  }
  return b;
}
