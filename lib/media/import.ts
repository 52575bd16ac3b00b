/**
 * MP4 → H4MK: every track of an MP4, M4A, MOV or fragmented MP4 into one block per sample
 * (one per chunk for PCM and other tiny samples, H4-MED-007), in the input's order (SPEC.md
 * section 17). The headers and sample descriptions are read by moov_head.ts (mp4box for the
 * uncommon ones), the sample tables by sample_tables.ts, and the sample bytes moved in large
 * sequential reads.
 *
 * @module
 */
import { H4Error, isH4Error } from "../format/errors.ts";
import type { BlockSealer, ByteSink, ByteSource, Profile } from "../format/types.ts";
import type { SigningKey } from "../format/sign_keys.ts";
// Not through _core.ts, which also brings the container reader: import does not read one.
import { createWriter, type WriteSummary } from "../format/writer.ts";
import { bytesSource } from "../format/byte_source.ts";
import { openFileSource } from "../io/file.ts";
import { readHead } from "./moov_head.ts";
import { readHeadMp4box } from "./moov_head_mp4box.ts";
import { readerOf, type ReadInto, windows } from "./window.ts";
import { type BoxSpan, topLevelBoxes } from "./mp4_boxes.ts";
import { readMoov } from "./sample_tables.ts";
import { type FragmentTrack, readMoof } from "./moof_tables.ts";
import { packByGroup, unitsFromStbl } from "./track_units.ts";
import {
  describeUnits,
  fragmentLayout,
  planTrack,
  readRawBoxes,
  toBlock,
  type TrackPlan,
} from "./import_track.ts";
import { assignTrackIds, TRACK_CLASSES, trackClass } from "./mapping.ts";
import { MEDIA_META_KEY, MEDIA_META_VERSION, type MediaMeta } from "./media_meta.ts";
import { sniffMedia } from "./sniff.ts";

/** Progress of an import, reported after each read. */
export interface ImportProgress {
  /** Input bytes handed to the demuxer so far (may exceed the size when moov is at the end). */
  bytes_read: number;
  /** Input size. */
  total_bytes: number;
  /** Blocks written so far. */
  blocks: number;
}

/** Options of {@linkcode importMedia}. */
export interface ImportMediaOptions {
  /** Tracks to import: classes (`"video"`, `"audio"`, `"data"`) or track ids (`"audio_2"`). Default all. */
  tracks?: string[];
  /** Encrypts every block while writing (LivingCipher), in the same pass. */
  sealer?: BlockSealer;
  /** Signs the container with these keys as it is written (SPEC.md section 18). */
  signingKeys?: readonly SigningKey[];
  /** Block-store profile of the container (default `v2`). */
  profile?: Profile;
  /** Called after each read of the input. */
  onProgress?: (p: ImportProgress) => void;
  /** Bytes per read of the input (default 2 MiB); memory use is a few of these. */
  readSize?: number;
}

/** One imported track. */
export interface ImportedTrack {
  /** H4MK track id, e.g. `video_main`. */
  track_id: string;
  /** `track_ID` in the MP4. */
  mp4_track_id: number;
  /** Handler type, e.g. `vide`. */
  handler: string;
  /** Codec string, e.g. `avc1.64000c`. */
  codec: string;
  /** Blocks (samples) written. */
  samples: number;
  /** Keyframe blocks. */
  keyframes: number;
  /** Payload bytes. */
  bytes: number;
}

/** What {@linkcode importMedia} did. */
export interface ImportSummary {
  /** Blocks written. */
  blocks: number;
  /** Size of the input. */
  bytes_in: number;
  /** True when the input was a fragmented MP4. */
  fragmented: boolean;
  /** Imported tracks, in MP4 order. */
  tracks: ImportedTrack[];
  /** The writer's summary. */
  container: WriteSummary;
}

/**
 * Reads of 2 MiB: the first one is waited for (an 8 MiB one took 33 to 96 ms here, its pages
 * new to the process), the next ones come while the last is worked on, and the two reused
 * buffers are 6 MiB of memory the kernel zeroes once instead of 18.
 */
const DEFAULT_READ_SIZE = 2 << 20;

/**
 * Imports an MP4 (also M4A, MOV, fragmented MP4) into an H4MK container written to `sink`:
 * one block per sample (per chunk for PCM and other tiny samples, H4-MED-007), blocks of all
 * tracks in the order of their bytes in the input, track ids by handler type, `pts_us` by the
 * exact rounding rule, and `META.media` with what {@linkcode exportMp4} needs to rebuild the
 * file (SPEC.md section 17). The sample tables are read first; then the input is read front
 * to back through two reused windows of `readSize` bytes, so memory holds the tables and the
 * windows whatever the input's size. Matroska/WebM and other inputs are refused with
 * `H4_BAD_ARGUMENT`, naming what they are.
 *
 * @example
 * ```ts ignore
 * import { importMedia } from "./import.ts";
 * const out: Uint8Array[] = [];
 * const s = await importMedia("lib/media/testdata/av.mp4", { write: (b) => void out.push(b.slice()) });
 * console.log(s.tracks.map((t) => `${t.track_id}: ${t.samples}`));
 * ```
 */
export async function importMedia(
  input: ByteSource | string,
  sink: ByteSink,
  opts: ImportMediaOptions = {},
): Promise<ImportSummary> {
  const select = parseTrackSelection(opts.tracks);
  const readSize = opts.readSize ?? DEFAULT_READ_SIZE;
  if (!Number.isSafeInteger(readSize) || readSize < 4096 || readSize > 1 << 30) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `readSize must be an integer in 4096..2^30, got ${readSize}`,
    );
  }
  const src = typeof input === "string" ? await openFileSource(input) : input;
  const reader = await readerOf(src, typeof input === "string" ? input : undefined);
  try {
    return await importFrom(src, reader.readInto, sink, opts, select, readSize);
  } finally {
    await reader.close();
    if (typeof input === "string") await src.close?.();
  }
}

function parseTrackSelection(tracks: string[] | undefined): Set<string> | null {
  if (tracks === undefined) return null;
  if (!Array.isArray(tracks) || tracks.length === 0) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `tracks must be a non-empty list such as ["video", "audio"], got ${JSON.stringify(tracks)}`,
    );
  }
  for (const t of tracks) {
    if (typeof t !== "string" || !/^(video|audio|data)(_(main|[2-9]|[1-9][0-9]+))?$/.test(t)) {
      throw new H4Error(
        "H4_BAD_ARGUMENT",
        `unknown track selector ${JSON.stringify(t)}: use ${
          TRACK_CLASSES.join(", ")
        } or a track id such as audio_2`,
      );
    }
  }
  return new Set(tracks);
}

function selected(select: Set<string> | null, id: string, handler: string): boolean {
  return select === null || select.has(id) || select.has(trackClass(handler));
}

/** Largest moov or moof read into memory. */
const MAX_HEADER_BOX = 1 << 30;

async function readBox(src: ByteSource, b: BoxSpan): Promise<Uint8Array> {
  if (b.start + b.size > src.size) {
    throw new H4Error(
      "H4_TRUNCATED",
      `input of ${src.size} bytes ends inside its ${b.type} box (${b.size} bytes at ${b.start})`,
    );
  }
  if (b.size > MAX_HEADER_BOX) {
    throw new H4Error("H4_LIMIT_EXCEEDED", `${b.type} box of ${b.size} bytes is too large`);
  }
  return await src.read(b.start, b.size);
}

async function importFrom(
  src: ByteSource,
  readInto: ReadInto,
  sink: ByteSink,
  opts: ImportMediaOptions,
  select: Set<string> | null,
  readSize: number,
): Promise<ImportSummary> {
  await sniffMedia(src);
  const boxes = await topLevelBoxes(src);
  // The samples start in the first mdat, as a rule: its first window is read while the
  // tables are (the first read is the one waited for).
  const input = windows(readInto, src.size, readSize);
  const mdat = boxes.find((b) => b.type === "mdat");
  if (mdat) input.prefetch(mdat.start + mdat.header);
  const moovBox = boxes.find((b) => b.type === "moov");
  if (!moovBox || moovBox.start + moovBox.size > src.size) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `input of ${src.size} bytes has no complete moov box: not an MP4 or truncated`,
    );
  }
  const tables = readMoov(await readBox(src, moovBox), src.size);
  const ftypBox = boxes.find((b) => b.type === "ftyp" && b.size <= 4096);
  const ftypBytes = ftypBox ? await readBox(src, ftypBox) : new Uint8Array(0);
  // The headers and sample descriptions come from ftyp and a moov whose sample tables are
  // blanked out (we read those ourselves): read here for the common kinds (moov_head.ts),
  // by mp4box for the others, so that it never sees a sample, and most imports never load it.
  const head = new Uint8Array(ftypBytes.length + tables.freed.length);
  head.set(ftypBytes);
  head.set(tables.freed, ftypBytes.length);
  // The head and the plan come from a moov that anyone may have written: whatever trips them
  // is a malformed input, reported without the demuxer's internals.
  const malformedMoov = (e: unknown): never => {
    if (isH4Error(e)) throw e;
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      "malformed MP4: a box of its moov is missing or damaged",
      { cause: e },
    );
  };
  const headInfo = readHead(head) ?? await readHeadMp4box(head).catch(malformedMoov);
  const describe = () => {
    const { traks, codecs } = headInfo;
    if (traks.length !== tables.traks.length) {
      throw new H4Error("H4_BAD_ARGUMENT", "malformed MP4: its moov box could not be read");
    }
    const ids = assignTrackIds(traks.map((t) => t.mdia.hdlr.handler));
    const fragmented = boxes.some((b) => b.type === "moof") || headInfo.fragmented;
    const media: MediaMeta = {
      version: MEDIA_META_VERSION,
      format: "mp4",
      fragmented,
      ftyp: headInfo.ftyp,
      movie_timescale: headInfo.movieTimescale,
      tracks: {},
    };
    const order: TrackPlan[] = [];
    const frag = new Map<number, FragmentTrack>();
    traks.forEach((trak, i) => {
      const id = ids[i];
      if (!selected(select, id, trak.mdia.hdlr.handler)) return;
      const plan = planTrack(trak, id, media.movie_timescale, codecs[i]);
      plan.units = unitsFromStbl(plan.meta.handler, tables.traks[i].tables, `trak ${i + 1}`);
      const u = plan.units;
      const end = u.length ? u.dts[u.length - 1] + u.duration[u.length - 1] : 0;
      frag.set(plan.mp4Id, { units: u, nextDts: end });
      media.tracks[id] = plan.meta;
      order.push(plan);
    });
    return { media, order, frag, ids };
  };
  let described: ReturnType<typeof describe>;
  try {
    described = describe();
  } catch (e) {
    described = malformedMoov(e);
  }
  const { media, order, frag, ids } = described;
  const missing = [...(select ?? [])].filter((t) => t.includes("_") && !ids.includes(t));
  if (order.length === 0 || missing.length) throw noTracks(ids, select);
  if (new Set(order.map((p) => p.mp4Id)).size !== order.length) {
    throw new H4Error("H4_BAD_ARGUMENT", "malformed MP4: two tracks have the same track_ID");
  }
  const serial = { n: 0 };
  // Where the moov holds no sample, the fragments are kept (H4-MED-010): per moof, the trafs
  // of the imported tracks with their decode times and trun groups (blocks are counted after
  // packing, which merges a trun's samples).
  const layout = order.every((p) => p.units.length === 0);
  const moofs: { mp4Id: number; baseTime: number; groups: [number, number] }[][] = [];
  for (const b of boxes) {
    if (b.type !== "moof") continue;
    const trafs: (typeof moofs)[number] = [];
    readMoof(
      await readBox(src, b),
      b.start,
      tables.trex,
      frag,
      src.size,
      serial,
      (mp4Id, baseTime, groups) => void trafs.push({ mp4Id, baseTime, groups }),
    );
    if (trafs.length) moofs.push(trafs);
  }
  const headSrc = bytesSource(head);
  for (const p of order) {
    if (p.units.packedSize === 0) p.units = packByGroup(p.meta.handler, p.units);
    await readRawBoxes(headSrc, p);
    describeUnits(p);
  }
  if (layout && moofs.length) media.fragments = fragmentLayout(order, moofs);

  const writer = createWriter(sink, {
    profile: opts.profile,
    sealer: opts.sealer,
    signingKeys: opts.signingKeys,
    meta: { [MEDIA_META_KEY]: media },
    // The samples are most of the input: the writer starts its hashing thread only for a
    // large one, at once, and not for a smaller one, where it costs more than it saves.
    expectedBytes: src.size,
    expectedBlocks: order.reduce((n, p) => n + p.units.length, 0),
  });
  // Blocks follow the input: merge the tracks (each in decode order) by file offset, and read
  // the input in windows of readSize bytes, one read ahead.
  const at = order.map(() => 0);
  let blocks = 0;
  let win: Uint8Array = new Uint8Array(0);
  let winStart = 0;
  for (;;) {
    let best = -1;
    let bestOff = Infinity;
    for (let k = 0; k < order.length; k++) {
      const u = order[k].units;
      if (at[k] < u.length && u.offset[at[k]] < bestOff) {
        best = k;
        bestOff = u.offset[at[k]];
      }
    }
    if (best < 0) break;
    const p = order[best];
    const i = at[best]++;
    const size = p.units.size[i];
    if (!(bestOff >= 0) || bestOff + size > src.size) {
      throw new H4Error(
        "H4_TRUNCATED",
        `input ends inside the sample data: sample ${i} of ${p.id} lies at ${bestOff}..${
          bestOff + size
        } of a ${src.size}-byte input`,
      );
    }
    let payload: Uint8Array;
    if (bestOff >= winStart && bestOff + size <= winStart + win.length) {
      payload = win.subarray(bestOff - winStart, bestOff - winStart + size);
    } else if (size >= readSize) {
      payload = await src.read(bestOff, size);
    } else {
      win = await input.at(bestOff);
      winStart = bestOff;
      payload = win.subarray(0, size);
      opts.onProgress?.({ bytes_read: bestOff, total_bytes: src.size, blocks });
    }
    await writer.add(toBlock(p, i, payload));
    blocks++;
  }
  opts.onProgress?.({ bytes_read: src.size, total_bytes: src.size, blocks });
  const container = await writer.finish();
  return {
    blocks,
    bytes_in: src.size,
    fragmented: media.fragmented,
    tracks: order.map((p) => ({
      track_id: p.id,
      mp4_track_id: p.mp4Id,
      handler: p.meta.handler,
      codec: p.meta.codec,
      samples: p.units.length,
      keyframes: p.keyframes,
      bytes: p.bytes,
    })),
    container,
  };
}

function noTracks(ids: string[], select: Set<string> | null): H4Error {
  return new H4Error(
    "H4_BAD_ARGUMENT",
    ids.length === 0
      ? "the input has no tracks"
      : `the input has no track matching ${[...(select ?? [])].join(",")}: it has ${
        ids.join(", ")
      }`,
  );
}
