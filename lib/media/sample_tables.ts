/**
 * The sample tables of each `trak` of a `moov`, read straight from the bytes (the headers and
 * sample descriptions are read by moov_head.ts, or mp4box, from the moov these leave with its
 * tables blanked; the importer moves the sample bytes itself, in file order, SPEC.md section
 * 17). Every count is checked against the bytes that
 * hold it, so a corrupt table is a typed error and never an allocation sized by an unchecked
 * length. The `trun`s of fragments are read by moof_tables.ts, the units of a track made by
 * track_units.ts.
 *
 * @module
 */
import { type Child, children, malformed } from "./mp4_boxes.ts";

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
  /**
   * A copy of the moov with the sample tables turned into `free` boxes, for mp4box: empty ones
   * (8 bytes, their parents shrunk to match) where the parents have 32-bit sizes, so that
   * mp4box does not copy megabytes of tables it skips (measured: 0.14 s of CPU for a 10-minute
   * clip's 43,000 samples).
   */
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
  // The table boxes cut down to an 8-byte `free` box (start, end), and whether their parents'
  // sizes can be shrunk (32-bit size fields) so that they may be.
  const cuts: number[] = [];
  let shrinkable = true;
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
    let chain: Child[] = [];
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
          if (s.type === "stbl") {
            stbl = s;
            chain = [t, m, s];
          }
        }
      }
    }
    const boxes = new Map<string, Child>();
    if (stbl) {
      for (const b of children(moov, stbl.body, stbl.end, `${where} stbl`)) {
        if (!TABLES.has(b.type)) continue;
        boxes.set(b.type, b);
        freed.set([0x66, 0x72, 0x65, 0x65], b.start + 4); // "free": mp4box skips it
        cuts.push(b.start, b.end);
      }
      // moov, trak, mdia, minf and stbl hold the tables: the parents whose sizes shrink.
      for (const p of [top, c, ...chain]) {
        if (p.body - p.start !== 8 || v.getUint32(p.start) === 0) shrinkable = false;
      }
    }
    traks.push({ trackId, tables: parseStbl(moov, boxes, fileSize, where) });
  }
  return { traks, trex, freed: shrinkable && cuts.length ? shrink(freed, cuts) : freed };
}

/**
 * `freed` without the bodies of the boxes `cuts` (start, end pairs, in order): each becomes an
 * 8-byte `free` box, and every box that holds one shrinks by as much (their size fields are
 * 32-bit: the caller checked). Parents are found by containment: a box holds a cut when it
 * starts before it and ends after it.
 */
function shrink(freed: Uint8Array, cuts: number[]): Uint8Array {
  const v = new DataView(freed.buffer, freed.byteOffset, freed.byteLength);
  // Every box on the way down to each cut: moov and its descendants that hold a cut.
  const holders = new Map<number, number>();
  const walk = (from: number, to: number, depth: number): void => {
    for (const b of children(freed, from, to, "moov")) {
      let removed = 0;
      for (let i = 0; i < cuts.length; i += 2) {
        if (cuts[i] >= b.start && cuts[i + 1] <= b.end && cuts[i] !== b.start) {
          removed += cuts[i + 1] - cuts[i] - 8;
        }
      }
      if (removed === 0) continue;
      holders.set(b.start, removed);
      if (depth < 5) walk(b.body, b.end, depth + 1);
    }
  };
  walk(0, freed.length, 0);
  let total = 0;
  for (let i = 0; i < cuts.length; i += 2) total += cuts[i + 1] - cuts[i] - 8;
  const out = new Uint8Array(freed.length - total);
  const o = new DataView(out.buffer);
  let from = 0;
  let at = 0;
  for (let i = 0; i < cuts.length; i += 2) {
    const keep = freed.subarray(from, cuts[i] + 8);
    out.set(keep, at);
    at += keep.length;
    o.setUint32(at - 8, 8);
    from = cuts[i + 1];
  }
  out.set(freed.subarray(from), at);
  // Size fields sit before any cut that follows them: shift each by the cuts before it.
  for (const [start, removed] of holders) {
    let before = 0;
    for (let i = 0; i < cuts.length && cuts[i] < start; i += 2) before += cuts[i + 1] - cuts[i] - 8;
    o.setUint32(start - before, v.getUint32(start) - removed);
  }
  return out;
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
