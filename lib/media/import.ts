/**
 * MP4 → H4MK: every track of an MP4, M4A, MOV or fragmented MP4 into one block per sample
 * (one per chunk for PCM and other tiny samples, H4-MED-007), in the input's order (SPEC.md
 * section 17). mp4box reads the sample descriptions; the sample tables are read here
 * (sample_tables.ts) and the sample bytes moved in large sequential reads.
 *
 * @module
 */
import type { ISOFile, MP4BoxBuffer } from "mp4box";
import { H4Error, isH4Error } from "../format/errors.ts";
import type { BlockInput, BlockSealer, ByteSink, ByteSource, Profile } from "../format/types.ts";
import type { SigningKey } from "../format/sign_keys.ts";
import { bytesSource, createWriter, openFileSource, type WriteSummary } from "./_core.ts";
import { loadMp4box } from "./quiet.ts";
import { readerOf, type ReadInto, windows } from "./window.ts";
import {
  type BoxSpan,
  type FragmentTrack,
  packByGroup,
  readMoof,
  readMoov,
  topLevelBoxes,
  TrackUnits,
  unitsFromStbl,
} from "./sample_tables.ts";
import {
  assignTrackIds,
  type EditEntry,
  kindClassifier,
  type PtsOrigin,
  ptsOrigin,
  ptsUs,
  pushRun,
  TRACK_CLASSES,
  trackClass,
} from "./mapping.ts";
import {
  type FtypMeta,
  MEDIA_META_KEY,
  MEDIA_META_VERSION,
  type MediaMeta,
  type MediaTrackMeta,
  type TkhdMeta,
  toBase64,
} from "./media_meta.ts";
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
  /** Bytes per read of the input (default 8 MiB); memory use is a few of these. */
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

const DEFAULT_READ_SIZE = 8 << 20;

// The parts of mp4box's box objects we read. mp4box types them loosely; these name our use.
interface RawBox {
  type: string;
  start: number;
  size: number;
}
interface TrakLike {
  tkhd: RawBox & { track_id: number; duration: number };
  edts?: { elst?: { entries: EditEntry[] } };
  mdia: {
    mdhd: { timescale: number; duration: number; language: number };
    hdlr: { handler: string; name?: string };
    minf: { stbl: { stsd: { entries: (RawBox & Record<string, unknown>)[] } } };
  };
}

interface TrackPlan {
  id: string;
  mp4Id: number;
  meta: MediaTrackMeta;
  origin: PtsOrigin;
  classify: (isSync: boolean, cts: number) => "I" | "P" | "B";
  units: TrackUnits;
  keyframes: number;
  bytes: number;
  entryRuns: [number, number][];
  rawEntries: RawBox[];
  tkhdBox: RawBox;
  configBox?: RawBox;
}

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
  const { createFile } = await loadMp4box();
  const boxes = await topLevelBoxes(src);
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
  // mp4box reads the headers and sample descriptions from ftyp and a moov whose sample tables
  // are blanked out (we read those ourselves), so it never sees a sample.
  const head = new Uint8Array(ftypBytes.length + tables.freed.length);
  head.set(ftypBytes);
  head.set(tables.freed, ftypBytes.length);
  // mp4box and the plan read a moov that anyone may have written: whatever they trip on is a
  // malformed input, reported without the demuxer's internals.
  const describe = () => {
    const file = createFile() as ISOFile;
    let demuxError: string | undefined;
    file.onError = (module: string, message: string) => {
      demuxError ??= `${module}: ${message}`;
    };
    (file as unknown as { discardMdatData: boolean }).discardMdatData = true;
    file.appendBuffer(toMp4BoxBuffer(head, 0));
    file.flush();
    if (demuxError) throw new H4Error("H4_BAD_ARGUMENT", `malformed MP4: ${demuxError}`);
    const moov = (file as unknown as { moov?: { traks: TrakLike[]; mvhd: { timescale: number } } })
      .moov;
    if (!moov || moov.traks.length !== tables.traks.length) {
      throw new H4Error("H4_BAD_ARGUMENT", "malformed MP4: its moov box could not be read");
    }
    const traks = moov.traks;
    const ids = assignTrackIds(traks.map((t) => t.mdia.hdlr.handler));
    const ftypMeta = (file as unknown as { ftyp?: FtypMeta }).ftyp;
    const info = file.getInfo();
    const fragmented = boxes.some((b) => b.type === "moof") || Boolean(info.isFragmented);
    const media: MediaMeta = {
      version: MEDIA_META_VERSION,
      format: "mp4",
      fragmented,
      ftyp: ftypMeta
        ? {
          major_brand: ftypMeta.major_brand,
          minor_version: ftypMeta.minor_version,
          compatible_brands: [...ftypMeta.compatible_brands],
        }
        : null,
      movie_timescale: moov.mvhd.timescale,
      tracks: {},
    };
    const order: TrackPlan[] = [];
    const frag = new Map<number, FragmentTrack>();
    traks.forEach((trak, i) => {
      const id = ids[i];
      if (!selected(select, id, trak.mdia.hdlr.handler)) return;
      const plan = planTrack(
        trak,
        id,
        media.movie_timescale,
        info.tracks.find((t) => t.id === trak.tkhd.track_id)?.codec,
      );
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
    if (isH4Error(e)) throw e;
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      "malformed MP4: a box of its moov is missing or damaged",
      { cause: e },
    );
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
  });
  // Blocks follow the input: merge the tracks (each in decode order) by file offset, and read
  // the input in windows of readSize bytes, one read ahead.
  const at = order.map(() => 0);
  let blocks = 0;
  let win: Uint8Array = new Uint8Array(0);
  let winStart = 0;
  const input = windows(readInto, src.size, readSize);
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

/**
 * `META.media.fragments` (H4-MED-010): per moof, `[track_id, blocks, base_time]` for each traf
 * of an imported track, in file order; trafs without blocks are left out.
 */
function fragmentLayout(
  order: TrackPlan[],
  moofs: { mp4Id: number; baseTime: number; groups: [number, number] }[][],
): [string, number, number][][] {
  const out: [string, number, number][][] = [];
  const byMp4 = new Map(order.map((p) => [p.mp4Id, p]));
  // Blocks per trun group of each track (a packed block is one group's run of samples).
  const perGroup = new Map<number, Map<number, number>>();
  for (const p of order) {
    const m = new Map<number, number>();
    for (const g of p.units.group) m.set(g, (m.get(g) ?? 0) + 1);
    perGroup.set(p.mp4Id, m);
  }
  for (const trafs of moofs) {
    const row: [string, number, number][] = [];
    for (const t of trafs) {
      const p = byMp4.get(t.mp4Id)!;
      const m = perGroup.get(t.mp4Id)!;
      let n = 0;
      for (let g = t.groups[0]; g < t.groups[1]; g++) n += m.get(g) ?? 0;
      if (n > 0) row.push([p.id, n, t.baseTime]);
    }
    if (row.length) out.push(row);
  }
  return out;
}

/** META lists of a track from its units: durations, entry runs, offsets, packing. */
function describeUnits(p: TrackPlan): void {
  const u = p.units;
  for (let i = 0; i < u.length; i++) {
    pushRun(p.meta.durations, u.duration[i]);
    pushRun(p.entryRuns, u.entry[i]);
    if (p.meta.cts_offsets) pushRun(p.meta.cts_offsets, u.ctsOffset[i]);
    if (!Number.isSafeInteger(u.dts[i] + u.ctsOffset[i])) {
      throw new H4Error(
        "H4_BAD_ARGUMENT",
        `malformed MP4: sample ${i} of ${p.id} has decode time ${u.dts[i]}`,
      );
    }
    if (u.entry[i] < 1 || u.entry[i] > p.meta.sample_entries.length) {
      throw new H4Error(
        "H4_BAD_ARGUMENT",
        `malformed MP4: sample ${i} of ${p.id} names sample description ${
          u.entry[i]
        } of ${p.meta.sample_entries.length}`,
      );
    }
  }
  p.meta.samples = u.length;
  let bytes = 0;
  for (let i = 0; i < u.length; i++) bytes += u.size[i];
  p.meta.bytes = bytes;
  if (p.rawEntries.length > 1) p.meta.entry_runs = p.entryRuns;
  if (u.packedSize) {
    p.meta.packed = {
      sample_size: u.packedSize,
      sample_duration: u.packedDuration,
      samples: u.packedSamples,
    };
  }
}

function planTrack(
  trak: TrakLike,
  id: string,
  movieTimescale: number,
  codec: string | undefined,
): TrackPlan {
  const mdhd = trak.mdia.mdhd;
  const entries = trak.mdia.minf.stbl.stsd.entries;
  const first = entries[0] as Record<string, unknown> | undefined;
  const edits = trak.edts?.elst?.entries.map((e) => ({
    segment_duration: e.segment_duration,
    media_time: e.media_time,
    media_rate_integer: e.media_rate_integer,
    media_rate_fraction: e.media_rate_fraction,
  }));
  const meta: MediaTrackMeta = {
    mp4_track_id: trak.tkhd.track_id,
    handler: trak.mdia.hdlr.handler,
    handler_name: trak.mdia.hdlr.name ?? "",
    codec: codec ?? String(first?.type ?? ""),
    timescale: mdhd.timescale,
    // All ones (2^64 − 1 in version 1 boxes, as ismv writes) means unknown: kept as 0.
    duration: knownDuration(mdhd.duration),
    tkhd_duration: knownDuration(trak.tkhd.duration),
    samples: 0,
    tkhd: { flags: 3, layer: 0, alternate_group: 0, volume: 0, matrix: [], width: 0, height: 0 },
    sample_entries: [],
    durations: [],
  };
  // ISO 639-2 packs three letters in 5 bits each; anything else (QuickTime codes, 0x7fff) is kept raw.
  const lang = [10, 5, 0].map((sh) => String.fromCharCode(((mdhd.language >> sh) & 31) + 0x60))
    .join("");
  if (mdhd.language < 0x8000 && /^[a-z]{3}$/.test(lang)) meta.language = lang;
  else meta.language_code = mdhd.language;
  if (meta.handler === "vide" && first) {
    meta.width = Number(first.width);
    meta.height = Number(first.height);
  }
  if (meta.handler === "soun" && first) {
    meta.sample_rate = Number(first.samplerate);
    meta.channels = Number(first.channel_count);
  }
  if (edits && edits.length) meta.edits = edits;
  // Above 10^6 ticks per second two cts can share one pts_us, so keep the offsets (H4-MED-001).
  if (mdhd.timescale > 1_000_000) meta.cts_offsets = [];
  let configBox: RawBox | undefined;
  for (const b of (first?.boxes ?? []) as RawBox[]) {
    if (/^(avcC|hvcC|av1C|vpcC|esds|dOps|dfLa|dac3|dec3|vvcC)$/.test(b.type)) {
      configBox = b;
      break;
    }
  }
  return {
    id,
    mp4Id: trak.tkhd.track_id,
    meta,
    origin: ptsOrigin(meta.edits, movieTimescale),
    classify: kindClassifier(),
    units: new TrackUnits(),
    keyframes: 0,
    bytes: 0,
    entryRuns: [],
    rawEntries: entries.map((e) => ({ type: e.type, start: e.start, size: e.size })),
    tkhdBox: { type: "tkhd", start: trak.tkhd.start, size: trak.tkhd.size },
    configBox,
  };
}

/** A box's duration, or 0 when it is unknown (all ones) or past 2^53. */
function knownDuration(d: number): number {
  return Number.isSafeInteger(d) && d >= 0 && d !== 0xffff_ffff ? d : 0;
}

/** Reads the sample entries, the config box and tkhd as they are in the input. */
async function readRawBoxes(src: ByteSource, p: TrackPlan): Promise<void> {
  const read = async (b: RawBox): Promise<Uint8Array> => {
    if (!(b.start >= 0 && b.size >= 8 && b.start + b.size <= src.size)) {
      throw new H4Error(
        "H4_BAD_ARGUMENT",
        `malformed MP4: ${b.type} box at ${b.start} of ${b.size} bytes is outside the input`,
      );
    }
    return await src.read(b.start, b.size);
  };
  for (const e of p.rawEntries) p.meta.sample_entries.push(toBase64(await read(e)));
  if (p.meta.handler === "soun" && p.rawEntries.length) {
    const a = audioParams(await read(p.rawEntries[0]));
    if (a) {
      p.meta.sample_rate = a.sample_rate;
      p.meta.channels = a.channels;
    } else {
      delete p.meta.sample_rate;
      delete p.meta.channels;
    }
  }
  if (p.configBox) {
    p.meta.config_box = p.configBox.type;
    const config = await read(p.configBox);
    p.meta.config_b64 = toBase64(config);
    // MP4 muxers write 2 in the sample entry whatever the AAC channel layout: the decoder
    // configuration says the truth.
    const ch = p.configBox.type === "esds" ? aacChannels(config) : undefined;
    if (ch !== undefined && p.meta.channels !== undefined) p.meta.channels = ch;
  }
  p.meta.tkhd = parseTkhd(await read(p.tkhdBox));
}

/**
 * Sample rate and channel count of a raw audio sample entry: ISO and QuickTime versions 0
 * and 1 keep them in the fixed fields, QuickTime version 2 (`lpcm`) in its extension.
 */
function audioParams(e: Uint8Array): { sample_rate: number; channels: number } | undefined {
  if (e.length < 36) return undefined;
  const v = new DataView(e.buffer, e.byteOffset, e.byteLength);
  const version = v.getUint16(16);
  if (version === 2 && e.length >= 52) {
    const rate = v.getFloat64(40);
    const ch = v.getUint32(48);
    return Number.isSafeInteger(rate) && rate > 0 ? { sample_rate: rate, channels: ch } : undefined;
  }
  return { sample_rate: v.getUint32(32) >>> 16, channels: v.getUint16(24) };
}

/**
 * Channel count of AAC from an `esds` box (its AudioSpecificConfig's channel configuration
 * 1..7), or undefined when it is not there or not one of those.
 */
function aacChannels(esds: Uint8Array): number | undefined {
  let i = 12; // box header and full box header
  const len = (): number => {
    let n = 0;
    for (let k = 0; k < 4 && i < esds.length; k++) {
      const b = esds[i++];
      n = (n << 7) | (b & 0x7f);
      if (!(b & 0x80)) break;
    }
    return n;
  };
  if (esds[i++] !== 0x03) return undefined;
  len();
  const flags = esds[i + 2];
  i += 3;
  if (flags & 0x80) i += 2;
  if (flags & 0x40) i += 1 + esds[i];
  if (flags & 0x20) i += 2;
  if (esds[i++] !== 0x04) return undefined;
  len();
  i += 13;
  if (esds[i++] !== 0x05) return undefined;
  len();
  if (i + 2 > esds.length) return undefined;
  const aot = esds[i] >> 3;
  // With the escape object type (31) the fields move by 6 bits; those are rare: not shown.
  if (aot === 31) return undefined;
  const freqIndex = ((esds[i] & 7) << 1) | (esds[i + 1] >> 7);
  const at = freqIndex === 15 ? 24 : 0; // an explicit 24-bit frequency follows the index
  const bit = 9 + at; // bits before the channel configuration
  const byte = i + (bit >> 3);
  if (byte + 1 >= esds.length) return undefined;
  const v = ((esds[byte] << 8) | esds[byte + 1]) >> (16 - 4 - (bit & 7));
  const cfg = v & 15;
  return cfg >= 1 && cfg <= 7 ? [0, 1, 2, 3, 4, 5, 6, 8][cfg] : undefined;
}

/** The fields of a raw tkhd box that mp4box rounds (volume) or that we keep as stored. */
function parseTkhd(box: Uint8Array): TkhdMeta {
  const v = new DataView(box.buffer, box.byteOffset, box.byteLength);
  const version = box[8];
  const flags = v.getUint32(8) & 0xff_ffff;
  // After version/flags: times and track_ID and reserved and duration, then 8 reserved bytes.
  const o = 12 + (version === 1 ? 32 : 20) + 8;
  if (box.length < o + 52) {
    throw new H4Error("H4_BAD_ARGUMENT", `malformed MP4: tkhd of ${box.length} bytes is too short`);
  }
  const matrix: number[] = [];
  for (let i = 0; i < 9; i++) matrix.push(v.getInt32(o + 8 + i * 4));
  return {
    flags,
    layer: v.getInt16(o),
    alternate_group: v.getInt16(o + 2),
    volume: v.getInt16(o + 4),
    matrix,
    width: v.getUint32(o + 8 + 36),
    height: v.getUint32(o + 8 + 40),
  };
}

function toBlock(p: TrackPlan, i: number, payload: Uint8Array): BlockInput {
  const u = p.units;
  const keyframe = u.sync[i];
  const cts = u.dts[i] + u.ctsOffset[i];
  const kind = p.classify(keyframe, cts);
  if (keyframe) p.keyframes++;
  p.bytes += payload.length;
  return {
    track_id: p.id,
    pts_us: ptsUs(cts, p.meta.timescale, p.origin),
    kind,
    keyframe,
    payload,
  };
}

function toMp4BoxBuffer(bytes: Uint8Array, fileStart: number): MP4BoxBuffer {
  // mp4box keeps the buffer and indexes it from 0: give it one that is exactly these bytes.
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer;
  const ab = (whole ? bytes.buffer : bytes.slice().buffer) as MP4BoxBuffer;
  ab.fileStart = fileStart;
  return ab;
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
