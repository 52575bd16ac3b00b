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
import { expandRuns } from "./mapping.ts";
import { fromBase64 } from "./media_meta.ts";
import { buildFtyp, buildMoov, mdatHeader, type MuxTrack } from "./mp4_mux.ts";
import type { ReadInto } from "./window.ts";
import { exportableMedia } from "./export_checks.ts";
import {
  type BlockLayout,
  checkedEntry,
  type OutSink,
  timing,
  type TrackState,
} from "./export_timing.ts";
import { blockReader, writeFragments } from "./export_fragments.ts";
import { forEachIndexRow } from "../seek/index_rows.ts";

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
  const media = exportableMedia(container, opts.opener);
  const states = new Map<string, TrackState>();
  for (const [id, meta] of Object.entries(media.tracks)) {
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
    t.entryOf = t.meta.entry_runs ? expandRuns(t.meta.entry_runs) : [];
  }

  // Pass 1 over the index (no payloads): layout of the mdat.
  const ftyp = media.ftyp ? buildFtyp(media.ftyp) : new Uint8Array(0);
  // The blocks in mdat order; where each block's bytes lie, for reading plain blocks at once.
  const layout: BlockLayout = { order: [], sizes: [], track: [], offset: [], stored: [] };
  const { order, sizes: orderSizes, offset: direct, stored } = layout;
  let payload = 0;
  let prev: TrackState | undefined;
  // Blocks before an epoch key's epoch stay sealed: each track then starts at its first keyframe
  // after them, since a decoder cannot start anywhere else (SPEC.md 12.10).
  const sealed = container.encrypted
    ? Math.min(opts.opener?.firstOpenBlock ?? 0, container.blockCount)
    : 0;
  // The index's columns, without an object or a promise per block.
  await forEachIndexRow(container, (e) => {
    const t = states.get(e.track_id);
    if (!t) return;
    const k = t.seen++;
    if (t.sizes.length === 0 && (e.index < sealed || (sealed > 0 && !e.keyframe))) {
      t.skipped++;
      return;
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
    layout.track.push(t);
    direct.push(e.uncoded && !container.encrypted ? e.offset : -1);
    stored.push(e.stored_length);
    payload += e.plain_length;
  });
  for (const t of tracks) {
    if (t.seen !== t.meta.samples) {
      throw new H4Error(
        "H4_INDEX_MISMATCH",
        `the index lists ${t.seen} blocks of ${t.id}, its track table ${t.meta.samples}`,
      );
    }
  }
  // A grant that leaves leading blocks sealed cannot follow the input's fragments (they count
  // every block): such an export is written unfragmented, each track from its first open keyframe.
  const out = coalescingSink(sink);
  if (ftyp.length) await out.write(ftyp);
  if (media.fragmented && media.fragments && tracks.every((t) => t.skipped === 0)) {
    // Written back fragment for fragment (H4-MED-010).
    const { fragments } = media;
    await writeFragments(out, {
      ...opts,
      container,
      media: { ...media, fragments },
      tracks,
      entryBoxes,
      layout,
    });
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
  await out.write(head);
  if (opts.readInto) {
    const blocks = blockReader(container, opts, layout);
    for (let j = 0; j < order.length; j++) {
      // Inside a window neither the read nor the copy needs a promise.
      const bytes = blocks.now(j) ?? await blocks.at(j);
      if (bytes.length !== orderSizes[j]) {
        throw new H4Error(
          "H4_INDEX_MISMATCH",
          `block ${order[j]} has ${bytes.length} bytes, the index says ${orderSizes[j]}`,
        );
      }
      if (!out.add(bytes)) await out.write(bytes);
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
    if (direct[k] >= 0) {
      let bytes = stored[k];
      while (
        end < order.length &&
        direct[end] === direct[end - 1] + stored[end - 1] &&
        bytes + stored[end] <= RUN_BYTES
      ) bytes += stored[end++];
    }
    runs.push([k, end]);
    k = end;
  }
  // One run read ahead while the current one is written.
  const readRun = ([k, end]: [number, number]): Promise<Uint8Array> | undefined => {
    if (end - k < 2) return undefined;
    const p = container.source.read(
      direct[k],
      direct[end - 1] + stored[end - 1] - direct[k],
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
    const first = direct[k];
    for (let j = k; j < end; j++) {
      const bytes = run
        ? run.subarray(direct[j] - first, direct[j] - first + stored[j])
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

/**
 * Gathers small writes into pieces of about {@linkcode RUN_BYTES}, in two buffers used in
 * turn: one is written while the other fills (waiting for each write left this thread idle
 * for it, about 85 times in an 85 MB export). One write at a time, in order; a buffer is
 * filled again only once its write has resolved (a sink keeps a reference until then), and
 * `flush` resolves once every write has.
 *
 * @example
 * ```ts
 * import { coalescingSink } from "./export.ts";
 * import assert from "node:assert/strict";
 * const parts: Uint8Array[] = [];
 * const out = coalescingSink({ write: (b) => void parts.push(b.slice()) });
 * await out.write(new Uint8Array([1, 2]));
 * assert(out.add(new Uint8Array([3])));
 * await out.flush();
 * assert.deepEqual(parts, [new Uint8Array([1, 2, 3])]);
 * ```
 */
export function coalescingSink(sink: ByteSink): OutSink {
  const bufs = [new Uint8Array(RUN_BYTES), new Uint8Array(RUN_BYTES)];
  let buf = bufs[0];
  let size = 0;
  // The sink's write in progress, if any.
  let last: Promise<void> | undefined;
  const settle = async (): Promise<void> => {
    if (last) {
      const l = last;
      last = undefined;
      await l;
    }
  };
  const send = async (b: Uint8Array): Promise<void> => {
    await settle();
    const w = sink.write(b);
    if (w && typeof (w as Promise<void>).then === "function") {
      const p = Promise.resolve(w);
      p.catch(() => {}); // awaited by the next send or by flush, which see its error
      last = p;
    }
  };
  const sendGathered = async (): Promise<void> => {
    if (size === 0) return;
    const full = buf.subarray(0, size);
    buf = buf === bufs[0] ? bufs[1] : bufs[0];
    size = 0;
    await send(full);
  };
  return {
    add(b: Uint8Array): boolean {
      if (size + b.length > RUN_BYTES) return false;
      buf.set(b, size);
      size += b.length;
      return true;
    },
    async write(b: Uint8Array): Promise<void> {
      if (size + b.length > RUN_BYTES) await sendGathered();
      if (b.length >= RUN_BYTES) {
        // The caller's bytes: written before this resolves.
        await send(b);
        await settle();
        return;
      }
      buf.set(b, size);
      size += b.length;
    },
    async flush(): Promise<void> {
      await sendGathered();
      await settle();
    },
  };
}
