/**
 * One imported track: its plan from a `trak` as mp4box gives it, or moov_head.ts the same
 * ({@linkcode planTrack}), the raw boxes
 * kept in META ({@linkcode readRawBoxes}), META's lists from its units
 * ({@linkcode describeUnits}), the fragment layout (H4-MED-010) and the block of each unit
 * ({@linkcode toBlock}) (SPEC.md section 17).
 *
 * @module
 */
import { H4Error } from "../format/errors.ts";
import type { BlockInput, ByteSource } from "../format/types.ts";
import {
  type EditEntry,
  kindClassifier,
  type PtsOrigin,
  ptsOrigin,
  ptsUs,
  pushRun,
} from "./mapping.ts";
import { type MediaTrackMeta, toBase64 } from "./media_meta.ts";
import { TrackUnits } from "./track_units.ts";
import { aacChannels, audioParams, parseTkhd } from "./box_fields.ts";

// The parts of mp4box's box objects we read. mp4box types them loosely; these name our use.
/** A box as mp4box gives it: type, offset and size. */
export interface RawBox {
  /** Four-character type. */
  type: string;
  /** Offset of its first byte. */
  start: number;
  /** Total size. */
  size: number;
}
/** The parts of mp4box's `trak` object the importer reads. */
export interface TrakLike {
  tkhd: RawBox & { track_id: number; duration: number };
  edts?: { elst?: { entries: EditEntry[] } };
  mdia: {
    mdhd: { timescale: number; duration: number; language: number };
    hdlr: { handler: string; name?: string };
    minf: { stbl: { stsd: { entries: (RawBox & Record<string, unknown>)[] } } };
  };
}

/** One track being imported: its META, its units and what is counted while writing. */
export interface TrackPlan {
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
 * `META.media.fragments` (H4-MED-010): per moof, `[track_id, blocks, base_time]` for each traf
 * of an imported track, in file order; trafs without blocks are left out.
 *
 * @example
 * ```ts ignore
 * media.fragments = fragmentLayout(order, moofs);
 * ```
 */
export function fragmentLayout(
  order: TrackPlan[],
  moofs: { mp4Id: number; baseTime: number; groups: [number, number] }[][],
): [string, number, number][][] {
  const out: [string, number, number][][] = [];
  const byMp4 = new Map(order.map((p) => [p.mp4Id, p]));
  // Blocks per trun group of each track (a packed block is one group's run of samples).
  const perGroup = new Map<number, Map<number, number>>();
  for (const p of order) {
    const m = new Map<number, number>();
    const u = p.units;
    for (let i = 0; i < u.length; i++) m.set(u.group[i], (m.get(u.group[i]) ?? 0) + 1);
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

/**
 * Fills META's lists of a track from its units (durations, entry runs, composition offsets,
 * packing, sample and byte counts), checking each unit's times and sample description.
 *
 * @example
 * ```ts ignore
 * describeUnits(plan);
 * ```
 */
export function describeUnits(p: TrackPlan): void {
  const u = p.units;
  // Locals, not properties, in the loop over every unit (tens of thousands): the plans of a
  // video and an audio track differ in shape, which sent property reads back to slow code.
  const { duration, entry, ctsOffset, dts } = u;
  const { durations, cts_offsets: ctsRuns } = p.meta;
  const entryRuns = p.entryRuns;
  const entries = p.meta.sample_entries.length;
  for (let i = 0; i < u.length; i++) {
    pushRun(durations, duration[i]);
    pushRun(entryRuns, entry[i]);
    if (ctsRuns) pushRun(ctsRuns, ctsOffset[i]);
    if (!Number.isSafeInteger(dts[i] + ctsOffset[i])) {
      throw new H4Error(
        "H4_BAD_ARGUMENT",
        `malformed MP4: sample ${i} of ${p.id} has decode time ${dts[i]}`,
      );
    }
    if (entry[i] < 1 || entry[i] > entries) {
      throw new H4Error(
        "H4_BAD_ARGUMENT",
        `malformed MP4: sample ${i} of ${p.id} names sample description ${entry[i]} of ${entries}`,
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

/**
 * The plan of one track from its `trak` (mp4box's, or moov_head.ts's): its META (handler,
 * codec, timescale, language, edits, dimensions or audio parameters), pts origin and the raw
 * boxes to read.
 *
 * @example
 * ```ts ignore
 * const plan = planTrack(trak, "video_main", 1000, "avc1.64001f");
 * ```
 */
export function planTrack(
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

/**
 * Reads the sample entries, the config box and tkhd as they are in the input into the plan's
 * META (each box checked to lie inside `src`).
 *
 * @example
 * ```ts ignore
 * await readRawBoxes(bytesSource(head), plan);
 * ```
 */
export async function readRawBoxes(src: ByteSource, p: TrackPlan): Promise<void> {
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
 * The block of unit `i` of a track with `payload`: pts_us by H4-MED-001, kind by H4-MED-003;
 * counts the track's keyframes and bytes.
 *
 * @example
 * ```ts ignore
 * await writer.add(toBlock(plan, i, payload));
 * ```
 */
export function toBlock(p: TrackPlan, i: number, payload: Uint8Array): BlockInput {
  const u = p.units;
  const keyframe = u.sync[i] === 1;
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
