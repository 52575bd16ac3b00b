/**
 * Sample tables of an ISO BMFF file read straight from the bytes: the top-level boxes, the
 * `stbl` tables of each `trak` and the `trun`s of each `moof`. The importer uses mp4box only
 * for the sample descriptions and headers, and moves the sample bytes itself, in file order
 * (SPEC.md section 17). Every count is checked against the bytes that hold it, so a corrupt
 * table is a typed error and never an allocation sized by an unchecked length.
 *
 * @module
 */
import { H4Error } from "../format/errors.ts";
import type { ByteSource } from "../format/types.ts";

/** A box of the input: type, where it starts, header length and total size. */
export interface BoxSpan {
  /** Four-character type. */
  type: string;
  /** Offset of the box's first byte. */
  start: number;
  /** Header bytes (8, 16 with a 64-bit size, more for `uuid`). */
  header: number;
  /** Total size as the header says (may run past the end of a truncated file). */
  size: number;
}

function malformed(what: string): H4Error {
  return new H4Error("H4_BAD_ARGUMENT", `malformed MP4: ${what}`);
}

function fourcc(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
}

function shownType(t: string): string {
  return /^[\x20-\x7e]{4}$/.test(t)
    ? `'${t}'`
    : `of bytes ${[...t].map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join(" ")}`;
}

/**
 * The top-level boxes of `src`, read header by header (16 bytes each). Stops at the first box
 * that runs past the end of the input (a truncated file) or at fewer than 8 trailing bytes.
 *
 * @example
 * ```ts
 * import { topLevelBoxes } from "./sample_tables.ts";
 * import assert from "node:assert/strict";
 * const b = new Uint8Array([0, 0, 0, 8, 0x66, 0x72, 0x65, 0x65]);
 * const boxes = await topLevelBoxes({ size: 8, read: (o, n) => Promise.resolve(b.slice(o, o + n)) });
 * assert(boxes[0].type === "free");
 * ```
 */
export async function topLevelBoxes(src: ByteSource): Promise<BoxSpan[]> {
  const out: BoxSpan[] = [];
  let pos = 0;
  while (src.size - pos >= 8) {
    const h = await src.read(pos, Math.min(16, src.size - pos));
    const v = new DataView(h.buffer, h.byteOffset, h.byteLength);
    let size = v.getUint32(0);
    const type = fourcc(h, 4);
    let header = 8;
    if (size === 1) {
      if (h.length < 16) throw malformed(`box ${shownType(type)} at ${pos} is cut off`);
      size = Number(v.getBigUint64(8));
      header = 16;
    } else if (size === 0) size = src.size - pos;
    if (size < header || !Number.isSafeInteger(size)) {
      throw malformed(`box ${shownType(type)} at offset ${pos} has size ${size}`);
    }
    out.push({ type, start: pos, header, size });
    pos += size;
  }
  return out;
}

/** A child box inside a parent's bytes. */
interface Child {
  type: string;
  start: number;
  body: number;
  end: number;
}

function* children(b: Uint8Array, from: number, to: number, where: string): Generator<Child> {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let pos = from;
  while (to - pos >= 8) {
    let size = v.getUint32(pos);
    const type = fourcc(b, pos + 4);
    let header = 8;
    if (size === 1) {
      if (to - pos < 16) throw malformed(`box ${shownType(type)} in ${where} is cut off`);
      size = Number(v.getBigUint64(pos + 8));
      header = 16;
    } else if (size === 0) size = to - pos;
    if (size < header || pos + size > to) {
      throw malformed(
        `box ${shownType(type)} in ${where} has size ${size}, ${to - pos} bytes left`,
      );
    }
    yield { type, start: pos, body: pos + header, end: pos + size };
    pos += size;
  }
}

/** The sample tables of one `stbl`. */
export interface StblTables {
  /** Sample count (stsz/stz2). */
  count: number;
  /** Size of every sample when constant (stsz sample_size), else 0. */
  constSize: number;
  /** Per-sample sizes when not constant. */
  sizes: Uint32Array | null;
  /** stsc as triples: first_chunk, samples_per_chunk, sample_description_index. */
  stsc: Uint32Array;
  /** Chunk offsets (stco or co64). */
  chunkOffsets: Float64Array;
  /** stts as pairs: count, delta. */
  stts: Uint32Array;
  /** ctts counts (null without ctts). */
  cttsCounts: Uint32Array | null;
  /** ctts offsets, signed. */
  cttsOffsets: Int32Array | null;
  /** stss 1-based sample numbers (null: every sample is sync). */
  stss: Uint32Array | null;
}

/** Defaults of `trex`. */
export interface Trex {
  /** default_sample_description_index. */
  entry: number;
  /** default_sample_duration. */
  duration: number;
  /** default_sample_size. */
  size: number;
  /** default_sample_flags. */
  flags: number;
}

/** What {@linkcode readMoov} finds. */
export interface MoovTables {
  /** Per trak in moov order: track_ID and its tables. */
  traks: { trackId: number; tables: StblTables }[];
  /** trex defaults by track_ID. */
  trex: Map<number, Trex>;
  /** A copy of the moov with the sample tables turned into `free` boxes, for mp4box. */
  freed: Uint8Array;
}

const TABLES = new Set(["stsz", "stz2", "stsc", "stco", "co64", "stts", "ctts", "stss"]);

/**
 * Reads the sample tables of every `trak` of a whole `moov` box (`moov` holds its header too),
 * checking each entry count against its box; `fileSize` bounds constant-size sample counts.
 *
 * @example
 * ```ts ignore
 * const { traks } = readMoov(moovBytes, fileSize);
 * ```
 */
export function readMoov(moov: Uint8Array, fileSize: number): MoovTables {
  const freed = moov.slice();
  const traks: MoovTables["traks"] = [];
  const trex = new Map<number, Trex>();
  const v = new DataView(moov.buffer, moov.byteOffset, moov.byteLength);
  const [top] = [...children(moov, 0, moov.length, "the file")];
  if (!top || top.type !== "moov") throw malformed("moov box expected");
  for (const c of children(moov, top.body, top.end, "moov")) {
    if (c.type === "mvex") {
      for (const x of children(moov, c.body, c.end, "mvex")) {
        if (x.type !== "trex") continue;
        if (x.end - x.body < 24) throw malformed(`trex of ${x.end - x.start} bytes is too short`);
        trex.set(v.getUint32(x.body + 4), {
          entry: v.getUint32(x.body + 8),
          duration: v.getUint32(x.body + 12),
          size: v.getUint32(x.body + 16),
          flags: v.getUint32(x.body + 20),
        });
      }
    }
    if (c.type !== "trak") continue;
    const where = `trak ${traks.length + 1}`;
    let trackId = 0;
    let stbl: Child | undefined;
    for (const t of children(moov, c.body, c.end, where)) {
      if (t.type === "tkhd") {
        const at = t.body + (moov[t.body] === 1 ? 20 : 12);
        if (at + 4 > t.end) throw malformed(`tkhd of ${where} is too short`);
        trackId = v.getUint32(at);
      }
      if (t.type !== "mdia") continue;
      for (const m of children(moov, t.body, t.end, `${where} mdia`)) {
        if (m.type !== "minf") continue;
        for (const s of children(moov, m.body, m.end, `${where} minf`)) {
          if (s.type === "stbl") stbl = s;
        }
      }
    }
    const boxes = new Map<string, Child>();
    if (stbl) {
      for (const b of children(moov, stbl.body, stbl.end, `${where} stbl`)) {
        if (!TABLES.has(b.type)) continue;
        boxes.set(b.type, b);
        freed.set([0x66, 0x72, 0x65, 0x65], b.start + 4); // "free": mp4box skips it
      }
    }
    traks.push({ trackId, tables: parseStbl(moov, boxes, fileSize, where) });
  }
  return { traks, trex, freed };
}

function entries(b: Uint8Array, c: Child | undefined, per: number, name: string): number {
  if (!c) return 0;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (c.end - c.body < 8) throw malformed(`${name} of ${c.end - c.start} bytes is too short`);
  const n = v.getUint32(c.body + 4);
  if (n * per > c.end - c.body - 8) {
    throw malformed(`${name} says ${n} entries but holds ${c.end - c.body - 8} bytes of them`);
  }
  return n;
}

function parseStbl(
  b: Uint8Array,
  boxes: Map<string, Child>,
  fileSize: number,
  where: string,
): StblTables {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u32s = (c: Child | undefined, n: number, per: number, skip = 8): Uint32Array => {
    const out = new Uint32Array(n * per);
    if (!c) return out;
    for (let i = 0; i < out.length; i++) out[i] = v.getUint32(c.body + skip + 4 * i);
    return out;
  };
  let count = 0;
  let constSize = 0;
  let sizes: Uint32Array | null = null;
  const stsz = boxes.get("stsz");
  const stz2 = boxes.get("stz2");
  if (stsz) {
    if (stsz.end - stsz.body < 12) throw malformed(`stsz of ${where} is too short`);
    constSize = v.getUint32(stsz.body + 4);
    count = v.getUint32(stsz.body + 8);
    if (constSize === 0) {
      if (count * 4 > stsz.end - stsz.body - 12) {
        throw malformed(
          `stsz of ${where} says ${count} samples but holds ${
            stsz.end - stsz.body - 12
          } bytes of sizes`,
        );
      }
      sizes = u32s(stsz, count, 1, 12);
    } else if (count * constSize > fileSize) {
      throw malformed(
        `stsz of ${where} says ${count} samples of ${constSize} bytes, more than the ${fileSize}-byte input`,
      );
    }
  } else if (stz2) {
    if (stz2.end - stz2.body < 12) throw malformed(`stz2 of ${where} is too short`);
    const field = b[stz2.body + 7];
    count = v.getUint32(stz2.body + 8);
    if (![4, 8, 16].includes(field) || Math.ceil(count * field / 8) > stz2.end - stz2.body - 12) {
      throw malformed(`stz2 of ${where} has field size ${field} for ${count} samples`);
    }
    sizes = new Uint32Array(count);
    const at = stz2.body + 12;
    for (let i = 0; i < count; i++) {
      sizes[i] = field === 16
        ? v.getUint16(at + 2 * i)
        : field === 8
        ? b[at + i]
        : (b[at + (i >> 1)] >> (i & 1 ? 0 : 4)) & 15;
    }
  }
  const stscN = entries(b, boxes.get("stsc"), 12, `stsc of ${where}`);
  const stsc = u32s(boxes.get("stsc"), stscN, 3);
  let chunkOffsets: Float64Array;
  const co64 = boxes.get("co64");
  if (co64) {
    const n = entries(b, co64, 8, `co64 of ${where}`);
    chunkOffsets = new Float64Array(n);
    for (let i = 0; i < n; i++) chunkOffsets[i] = Number(v.getBigUint64(co64.body + 8 + 8 * i));
  } else {
    const n = entries(b, boxes.get("stco"), 4, `stco of ${where}`);
    chunkOffsets = Float64Array.from(u32s(boxes.get("stco"), n, 1));
  }
  const sttsN = entries(b, boxes.get("stts"), 8, `stts of ${where}`);
  const stts = u32s(boxes.get("stts"), sttsN, 2);
  let cttsCounts: Uint32Array | null = null;
  let cttsOffsets: Int32Array | null = null;
  const ctts = boxes.get("ctts");
  if (ctts) {
    const n = entries(b, ctts, 8, `ctts of ${where}`);
    cttsCounts = new Uint32Array(n);
    cttsOffsets = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      cttsCounts[i] = v.getUint32(ctts.body + 8 + 8 * i);
      cttsOffsets[i] = v.getInt32(ctts.body + 12 + 8 * i);
    }
  }
  const stssBox = boxes.get("stss");
  const stss = stssBox ? u32s(stssBox, entries(b, stssBox, 4, `stss of ${where}`), 1) : null;
  if (count > 0 && (chunkOffsets.length === 0 || stscN === 0)) {
    throw malformed(`${where} has ${count} samples but no chunks`);
  }
  return { count, constSize, sizes, stsc, chunkOffsets, stts, cttsCounts, cttsOffsets, stss };
}

/**
 * Most blocks of one track: 2^24, a day of 60 fps video three times over; the tables of a
 * track take about 70 bytes per block while importing.
 */
export const MAX_UNITS = 1 << 24;

/**
 * The blocks of one track, in decode order: each is one sample, or for a packed track
 * (H4-MED-007) the samples of one chunk or `trun`.
 */
export class TrackUnits {
  /** File offset of each unit. */
  offset: number[] = [];
  /** Bytes of each unit. */
  size: number[] = [];
  /** Decode time of each unit's first sample. */
  dts: number[] = [];
  /** Composition offset (cts − dts) of each unit's first sample. */
  ctsOffset: number[] = [];
  /** Duration of each unit (the sum of its samples'). */
  duration: number[] = [];
  /** Sync flag. */
  sync: boolean[] = [];
  /** 1-based sample description index. */
  entry: number[] = [];
  /** Chunk (stbl) or trun (fragments) each unit comes from, for packing. */
  group: number[] = [];
  /** Bytes of each sample of a packed track, else 0. */
  packedSize = 0;
  /** Duration of each sample of a packed track. */
  packedDuration = 0;
  /** Samples in all of a packed track's units. */
  packedSamples = 0;

  /** Number of units. */
  get length(): number {
    return this.offset.length;
  }

  /** Appends a unit; more than {@linkcode MAX_UNITS} in one track is `H4_LIMIT_EXCEEDED`. */
  push(
    offset: number,
    size: number,
    dts: number,
    ctsOffset: number,
    duration: number,
    sync: boolean,
    entry: number,
    group: number,
  ): void {
    if (this.offset.length >= MAX_UNITS) {
      throw new H4Error(
        "H4_LIMIT_EXCEEDED",
        `a track of more than ${MAX_UNITS} samples (not packed by chunk): not imported`,
      );
    }
    this.offset.push(offset);
    this.size.push(size);
    this.dts.push(dts);
    this.ctsOffset.push(ctsOffset);
    this.duration.push(duration);
    this.sync.push(sync);
    this.entry.push(entry);
    this.group.push(group);
  }
}

/** Largest sample of a track whose samples are packed by chunk (H4-MED-007). */
export const PACKED_MAX_SAMPLE = 64;

/** Whether a track of handler `handler` with these tables is packed by chunk (H4-MED-007). */
function stblPacked(handler: string, t: StblTables): boolean {
  if (handler !== "soun" || t.constSize === 0 || t.constSize > PACKED_MAX_SAMPLE) return false;
  if (t.stss !== null || t.stts.length < 2) return false;
  for (let i = 2; i < t.stts.length; i += 2) if (t.stts[i + 1] !== t.stts[1]) return false;
  if (t.cttsOffsets && t.cttsOffsets.some((o) => o !== 0)) return false;
  return true;
}

/**
 * The units of a track from its `stbl` tables: one per sample, or one per chunk for a packed
 * track (H4-MED-007), whose samples are never listed one by one.
 *
 * @example
 * ```ts ignore
 * const units = unitsFromStbl("vide", tables, "trak 1");
 * ```
 */
export function unitsFromStbl(handler: string, t: StblTables, where: string): TrackUnits {
  const u = new TrackUnits();
  const { stsc, chunkOffsets: co } = t;
  const runs = stsc.length / 3;
  if (runs > 0 && stsc[0] !== 1) throw malformed(`stsc of ${where} does not start at chunk 1`);
  for (let r = 1; r < runs; r++) {
    if (stsc[3 * r] <= stsc[3 * r - 3]) throw malformed(`stsc of ${where} is not in chunk order`);
  }
  // Samples per chunk for chunk index c (0-based), walking the stsc runs forward.
  let run = 0;
  const runOf = (c: number): number => {
    while (run + 1 < runs && c + 1 >= stsc[3 * (run + 1)]) run++;
    return run;
  };
  if (stblPacked(handler, t)) {
    const delta = t.stts[1];
    u.packedSize = t.constSize;
    u.packedDuration = delta;
    let left = t.count;
    let dts = 0;
    for (let c = 0; c < co.length && left > 0; c++) {
      const r = runOf(c);
      const n = Math.min(stsc[3 * r + 1], left);
      if (n === 0) continue;
      u.push(co[c], n * t.constSize, dts, 0, n * delta, true, stsc[3 * r + 2], c);
      dts += n * delta;
      left -= n;
    }
    if (left > 0) throw malformed(`${where}: its chunks hold fewer than its ${t.count} samples`);
    u.packedSamples = t.count;
    return u;
  }
  let chunk = -1;
  let left = 0;
  let off = 0;
  let sttsRun = 0;
  let sttsLeft = t.stts.length ? t.stts[0] : 0;
  let cttsRun = 0;
  let cttsLeft = t.cttsCounts?.length ? t.cttsCounts[0] : 0;
  let stssAt = 0;
  let dts = 0;
  for (let j = 0; j < t.count; j++) {
    while (left === 0) {
      chunk++;
      if (chunk >= co.length) {
        throw malformed(`${where}: its ${co.length} chunks hold fewer than its ${t.count} samples`);
      }
      left = stsc[3 * runOf(chunk) + 1];
      off = co[chunk];
    }
    const size = t.sizes ? t.sizes[j] : t.constSize;
    while (sttsLeft === 0 && sttsRun + 1 < t.stts.length / 2) sttsLeft = t.stts[2 * ++sttsRun];
    const dur = t.stts.length ? t.stts[2 * sttsRun + 1] : 0;
    if (sttsLeft > 0) sttsLeft--;
    let cto = 0;
    if (t.cttsCounts && t.cttsOffsets) {
      while (cttsLeft === 0 && cttsRun + 1 < t.cttsCounts.length) {
        cttsLeft = t.cttsCounts[++cttsRun];
      }
      if (cttsLeft > 0) {
        cto = t.cttsOffsets[cttsRun];
        cttsLeft--;
      }
    }
    let sync = true;
    if (t.stss) {
      while (stssAt < t.stss.length && t.stss[stssAt] < j + 1) stssAt++;
      sync = stssAt < t.stss.length && t.stss[stssAt] === j + 1;
    }
    u.push(off, size, dts, cto, dur, sync, stsc[3 * run + 2], chunk);
    dts += dur;
    off += size;
    left--;
  }
  return u;
}

/** Per-track state kept across `moof`s. */
export interface FragmentTrack {
  /** The track's units so far. */
  units: TrackUnits;
  /** Decode time after the last sample read. */
  nextDts: number;
}

/**
 * Adds the samples of one `moof` (its whole bytes, starting at file offset `moofStart`) to the
 * tracks it names; tracks not in `tracks` are skipped. `serial` numbers trun groups;
 * `onTraf` hears, per traf of a listed track, its decode time and its trun groups.
 *
 * @example
 * ```ts ignore
 * readMoof(moofBytes, start, trex, tracks, fileSize, serial);
 * ```
 */
export function readMoof(
  b: Uint8Array,
  moofStart: number,
  trex: Map<number, Trex>,
  tracks: Map<number, FragmentTrack>,
  fileSize: number,
  serial: { n: number },
  onTraf?: (trackId: number, baseTime: number, groups: [number, number]) => void,
): void {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const where = `moof at ${moofStart}`;
  const [top] = [...children(b, 0, b.length, where)];
  if (!top || top.type !== "moof") throw malformed(`${where} is not a moof box`);
  let prevEnd = moofStart;
  let first = true;
  for (const traf of children(b, top.body, top.end, where)) {
    if (traf.type !== "traf") continue;
    let tfhd: Child | undefined;
    let tfdt: Child | undefined;
    const truns: Child[] = [];
    for (const c of children(b, traf.body, traf.end, `traf of ${where}`)) {
      if (c.type === "tfhd") tfhd = c;
      else if (c.type === "tfdt") tfdt = c;
      else if (c.type === "trun") truns.push(c);
    }
    if (!tfhd || tfhd.end - tfhd.body < 8) throw malformed(`traf of ${where} has no tfhd`);
    const flags = v.getUint32(tfhd.body) & 0xff_ffff;
    const trackId = v.getUint32(tfhd.body + 4);
    const d = trex.get(trackId) ?? { entry: 1, duration: 0, size: 0, flags: 0 };
    let at = tfhd.body + 8;
    const need = (n: number) => {
      if (at + n > tfhd!.end) throw malformed(`tfhd of ${where} is too short for its flags`);
    };
    let base = first || (flags & 0x20000) ? moofStart : prevEnd;
    if (flags & 0x1) {
      need(8);
      base = Number(v.getBigUint64(at));
      at += 8;
    }
    let entry = d.entry, dDur = d.duration, dSize = d.size, dFlags = d.flags;
    if (flags & 0x2) (need(4), entry = v.getUint32(at), at += 4);
    if (flags & 0x8) (need(4), dDur = v.getUint32(at), at += 4);
    if (flags & 0x10) (need(4), dSize = v.getUint32(at), at += 4);
    if (flags & 0x20) (need(4), dFlags = v.getUint32(at), at += 4);
    first = false;
    const track = tracks.get(trackId);
    let dts = track?.nextDts ?? 0;
    if (tfdt) {
      if (tfdt.end - tfdt.body < 8) throw malformed(`tfdt of ${where} is too short`);
      const wide = b[tfdt.body] === 1;
      if (tfdt.end - tfdt.body < (wide ? 12 : 8)) throw malformed(`tfdt of ${where} is too short`);
      dts = wide ? Number(v.getBigUint64(tfdt.body + 4)) : v.getUint32(tfdt.body + 4);
    }
    let pos = base;
    const firstGroup = serial.n;
    const baseTime = dts;
    for (const trun of truns) {
      if (trun.end - trun.body < 8) throw malformed(`trun of ${where} is too short`);
      const version = b[trun.body];
      const tf = v.getUint32(trun.body) & 0xff_ffff;
      const n = v.getUint32(trun.body + 4);
      let p = trun.body + 8;
      if (tf & 0x1) {
        if (p + 4 > trun.end) throw malformed(`trun of ${where} is too short`);
        pos = base + v.getInt32(p);
        p += 4;
      }
      let firstFlags = -1;
      if (tf & 0x4) {
        if (p + 4 > trun.end) throw malformed(`trun of ${where} is too short`);
        firstFlags = v.getUint32(p);
        p += 4;
      }
      const per = ((tf & 0x100) ? 4 : 0) + ((tf & 0x200) ? 4 : 0) + ((tf & 0x400) ? 4 : 0) +
        ((tf & 0x800) ? 4 : 0);
      if (per ? n * per > trun.end - p : n * Math.max(1, dSize) > fileSize) {
        throw malformed(`trun of ${where} says ${n} samples in ${trun.end - p} bytes`);
      }
      const group = serial.n++;
      for (let i = 0; i < n; i++) {
        const dur = (tf & 0x100) ? v.getUint32((p += 4) - 4) : dDur;
        const size = (tf & 0x200) ? v.getUint32((p += 4) - 4) : dSize;
        let sf = dFlags;
        if (tf & 0x400) sf = v.getUint32((p += 4) - 4);
        else if (i === 0 && firstFlags >= 0) sf = firstFlags;
        const cto = (tf & 0x800)
          ? (version === 0 ? v.getUint32((p += 4) - 4) : v.getInt32((p += 4) - 4))
          : 0;
        track?.units.push(pos, size, dts, cto, dur, !((sf >> 16) & 1), entry, group);
        pos += size;
        dts += dur;
      }
    }
    prevEnd = pos;
    if (track) {
      track.nextDts = dts;
      onTraf?.(trackId, baseTime, [firstGroup, serial.n]);
    }
  }
}

/**
 * Packs the per-sample units of a fragmented track by `trun` when the track qualifies
 * (H4-MED-007): audio, every sample of one size of at most {@linkcode PACKED_MAX_SAMPLE}
 * bytes and one duration, all sync, no composition offsets. Returns the units unchanged
 * otherwise.
 *
 * @example
 * ```ts ignore
 * const packed = packByGroup("soun", units);
 * ```
 */
export function packByGroup(handler: string, u: TrackUnits): TrackUnits {
  const n = u.length;
  if (handler !== "soun" || n === 0 || u.packedSize) return u;
  const size = u.size[0], dur = u.duration[0];
  if (size === 0 || size > PACKED_MAX_SAMPLE) return u;
  for (let i = 0; i < n; i++) {
    if (u.size[i] !== size || u.duration[i] !== dur || !u.sync[i] || u.ctsOffset[i] !== 0) {
      return u;
    }
  }
  const p = new TrackUnits();
  p.packedSize = size;
  p.packedDuration = dur;
  p.packedSamples = n;
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (
      j < n && u.group[j] === u.group[i] && u.entry[j] === u.entry[i] &&
      u.offset[j] === u.offset[j - 1] + size
    ) j++;
    p.push(u.offset[i], (j - i) * size, u.dts[i], 0, (j - i) * dur, true, u.entry[i], u.group[i]);
    i = j;
  }
  return p;
}
