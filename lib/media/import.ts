/**
 * MP4 → H4MK: demux every track of an MP4, M4A, MOV or fragmented MP4 with mp4box.js into
 * one block per sample, streaming (SPEC.md section 17).
 *
 * @module
 */
import { createFile, type ISOFile, type MP4BoxBuffer, type Sample } from "mp4box";
import { H4Error, isH4Error } from "../format/errors.ts";
import type { BlockInput, BlockSealer, ByteSink, ByteSource, Profile } from "../format/types.ts";
import type { SigningKey } from "../format/sign_keys.ts";
import { createWriter, openFileSource, type WriteSummary } from "./_core.ts";
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
  /** Bytes per read of the input (default 1 MiB); memory use is a few of these. */
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

const DEFAULT_READ_SIZE = 1 << 20;
/** Samples per mp4box callback; we drain after every read anyway. */
const EXTRACT_BATCH = 256;

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
  samples: Sample[];
}

interface TrackPlan {
  id: string;
  mp4Id: number;
  meta: MediaTrackMeta;
  origin: PtsOrigin;
  classify: (isSync: boolean, cts: number) => "I" | "P" | "B";
  queue: Sample[];
  delivered: number;
  keyframes: number;
  bytes: number;
  entryRuns: [number, number][];
  rawEntries: RawBox[];
  tkhdBox: RawBox;
  configBox?: RawBox;
}

/**
 * Imports an MP4 (also M4A, MOV, fragmented MP4) into an H4MK container written to `sink`:
 * one block per sample, track ids by handler type, `pts_us` by the exact rounding rule, and
 * `META.media` with what {@linkcode exportMp4} needs to rebuild the file (SPEC.md section 17).
 * The input is read in chunks through mp4box's `appendBuffer`, and each sample's memory is
 * released as soon as its block is written, so memory stays flat whatever the input's size.
 * Matroska/WebM and other inputs are refused with `H4_BAD_ARGUMENT`.
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
  try {
    return await importFrom(src, sink, opts, select, readSize);
  } finally {
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

async function importFrom(
  src: ByteSource,
  sink: ByteSink,
  opts: ImportMediaOptions,
  select: Set<string> | null,
  readSize: number,
): Promise<ImportSummary> {
  await sniffMedia(src);
  const file = createFile() as ISOFile;
  let demuxError: string | undefined;
  file.onError = (module: string, message: string) => {
    demuxError ??= `${module}: ${message}`;
  };
  let ready = false;
  const plans = new Map<number, TrackPlan>();
  const order: TrackPlan[] = [];
  let media: MediaMeta | undefined;
  let ids: string[] = [];
  file.onReady = () => {
    ready = true;
    const moov =
      (file as unknown as { moov: { traks: TrakLike[]; mvhd: { timescale: number } } }).moov;
    const traks = moov.traks;
    ids = assignTrackIds(traks.map((t) => t.mdia.hdlr.handler));
    const ftypBox = (file as unknown as { ftyp?: FtypMeta }).ftyp;
    const info = file.getInfo();
    media = {
      version: MEDIA_META_VERSION,
      format: "mp4",
      fragmented: Boolean(info.isFragmented),
      ftyp: ftypBox
        ? {
          major_brand: ftypBox.major_brand,
          minor_version: ftypBox.minor_version,
          compatible_brands: [...ftypBox.compatible_brands],
        }
        : null,
      movie_timescale: moov.mvhd.timescale,
      tracks: {},
    };
    traks.forEach((trak, i) => {
      const id = ids[i];
      if (!selected(select, id, trak.mdia.hdlr.handler)) return;
      const plan = planTrack(
        trak,
        id,
        media!.movie_timescale,
        info.tracks.find((t) => t.id === trak.tkhd.track_id)?.codec,
      );
      media!.tracks[id] = plan.meta;
      plans.set(plan.mp4Id, plan);
      order.push(plan);
      file.setExtractionOptions(plan.mp4Id, null, { nbSamples: EXTRACT_BATCH });
    });
    if (order.length > 0) file.start();
  };
  file.onSamples = (id: number, _user: unknown, samples: Sample[]) => {
    const plan = plans.get(id);
    if (plan) { for (const s of samples) plan.queue.push(s); }
  };

  let writer: ReturnType<typeof createWriter> | undefined;
  let blocks = 0;
  const drain = async (): Promise<void> => {
    if (!writer) return;
    // Merge the tracks' queues by file offset (each queue stays in decode order), so that
    // blocks follow the input's interleaving.
    for (;;) {
      let best: TrackPlan | undefined;
      for (const p of order) {
        if (p.queue.length && (!best || p.queue[0].offset < best.queue[0].offset)) best = p;
      }
      if (!best) return;
      const s = best.queue.shift()!;
      await writer.add(toBlock(best, s));
      blocks++;
      file.releaseUsedSamples(best.mp4Id, s.number + 1);
      forgetSample(file, best.mp4Id, s.number);
    }
  };

  let pos = 0;
  let fed = 0;
  const maxFed = 4 * src.size + 16 * readSize;
  // The demuxer nearly always asks for the bytes right after the last read: read them while
  // it works on the current ones.
  let ahead: { at: number; len: number; bytes: Promise<Uint8Array> } | undefined;
  const readAt = (at: number, len: number): Promise<Uint8Array> => {
    const hit = ahead && ahead.at === at && ahead.len === len ? ahead.bytes : src.read(at, len);
    ahead = undefined;
    return hit;
  };
  while (pos < src.size) {
    const len = Math.min(readSize, src.size - pos);
    const bytes = await readAt(pos, len);
    if (pos + len < src.size) {
      const at = pos + len;
      const p = src.read(at, Math.min(readSize, src.size - at));
      p.catch(() => {}); // a wrong guess is dropped; its error must not go unhandled
      ahead = { at, len: Math.min(readSize, src.size - at), bytes: p };
    }
    fed += len;
    const buf = toMp4BoxBuffer(bytes, pos);
    let next: number | undefined;
    try {
      next = file.appendBuffer(buf);
    } catch (e) {
      throw new H4Error("H4_BAD_ARGUMENT", `malformed MP4 near offset ${pos}: ${oneLine(e)}`, {
        offset: pos,
        cause: e,
      });
    }
    if (demuxError) throw new H4Error("H4_BAD_ARGUMENT", `malformed MP4: ${demuxError}`);
    if (ready && !writer) {
      const missing = [...(select ?? [])].filter((t) => t.includes("_") && !ids.includes(t));
      if (order.length === 0 || missing.length) throw noTracks(ids, select);
      for (const p of order) await readRawBoxes(src, p);
      writer = createWriter(sink, {
        profile: opts.profile,
        sealer: opts.sealer,
        signingKeys: opts.signingKeys,
        meta: { [MEDIA_META_KEY]: media },
      });
    }
    await drain();
    opts.onProgress?.({ bytes_read: fed, total_bytes: src.size, blocks });
    if (fed > maxFed) {
      throw new H4Error(
        "H4_BAD_ARGUMENT",
        `malformed MP4: the demuxer asked for ${fed} bytes of a ${src.size}-byte input`,
      );
    }
    pos = typeof next === "number" && Number.isFinite(next) ? next : pos + len;
  }
  if (!ready || !writer || !media) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `input of ${src.size} bytes has no complete moov box: not an MP4 or truncated`,
    );
  }
  try {
    file.flush();
  } catch (e) {
    throw new H4Error("H4_BAD_ARGUMENT", `malformed MP4 at its end: ${oneLine(e)}`, { cause: e });
  }
  await drain();
  for (const p of order) {
    const total = (file.getTrackById(p.mp4Id) as unknown as TrakLike).samples.length;
    if (p.delivered !== total) {
      throw new H4Error(
        "H4_TRUNCATED",
        `input ends inside the sample data: ${p.id} has ${total} samples, ${p.delivered} could be read`,
      );
    }
    p.meta.samples = p.delivered;
    if (p.rawEntries.length > 1) p.meta.entry_runs = p.entryRuns;
  }
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
      samples: p.delivered,
      keyframes: p.keyframes,
      bytes: p.bytes,
    })),
    container,
  };
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
    duration: mdhd.duration,
    tkhd_duration: trak.tkhd.duration,
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
    queue: [],
    delivered: 0,
    keyframes: 0,
    bytes: 0,
    entryRuns: [],
    rawEntries: entries.map((e) => ({ type: e.type, start: e.start, size: e.size })),
    tkhdBox: { type: "tkhd", start: trak.tkhd.start, size: trak.tkhd.size },
    configBox,
  };
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
  if (p.configBox) {
    p.meta.config_box = p.configBox.type;
    p.meta.config_b64 = toBase64(await read(p.configBox));
  }
  p.meta.tkhd = parseTkhd(await read(p.tkhdBox));
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

function toBlock(p: TrackPlan, s: Sample): BlockInput {
  if (!s.data || s.data.length !== s.size) {
    throw new H4Error("H4_TRUNCATED", `sample ${s.number} of ${p.id} is incomplete`);
  }
  if (!Number.isSafeInteger(s.cts) || !Number.isSafeInteger(s.dts) || !(s.duration >= 0)) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `malformed MP4: sample ${s.number} of ${p.id} has dts ${s.dts}, cts ${s.cts}`,
    );
  }
  const keyframe = Boolean(s.is_sync);
  const kind = p.classify(keyframe, s.cts);
  pushRun(p.meta.durations, s.duration);
  if (p.meta.cts_offsets) pushRun(p.meta.cts_offsets, s.cts - s.dts);
  pushRun(p.entryRuns, s.description_index + 1);
  p.delivered++;
  if (keyframe) p.keyframes++;
  p.bytes += s.size;
  return {
    track_id: p.id,
    pts_us: ptsUs(s.cts, p.meta.timescale, p.origin),
    kind,
    keyframe,
    payload: s.data,
  };
}

/** Stands in for samples already written, so that mp4box's table holds no per-sample object. */
const WRITTEN_SAMPLE = Object.freeze({ data: undefined, alreadyRead: 0, size: 0 });

/**
 * Drops mp4box's object for the sample before `number` (already written and released): the
 * sample list would otherwise keep one object per sample of the file. The sample `number`
 * itself stays, as the last one of a fragment is where mp4box continues decode times.
 */
function forgetSample(file: ISOFile, mp4Id: number, number: number): void {
  if (number < 1) return;
  const samples = (file.getTrackById(mp4Id) as unknown as { samples: unknown[] }).samples;
  samples[number - 1] = WRITTEN_SAMPLE;
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

function oneLine(e: unknown): string {
  if (isH4Error(e)) return e.message;
  return (e instanceof Error ? e.message : String(e)).split("\n")[0].slice(0, 200);
}
