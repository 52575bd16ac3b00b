/**
 * The headers and sample descriptions of an input's `ftyp` and `moov` (its sample tables
 * blanked, sample_tables.ts), read straight from the bytes for the common case: what mp4box
 * would give the importer (import_track.ts `TrakLike`, the codec strings of its `getInfo`),
 * without loading mp4box (about 30 ms of a short import's 0.5 s, measured). It reads a subset
 * only, the one it can read exactly as mp4box does: every box of the walk well formed (32-bit
 * sizes, printable types, children that fit their parent), and a first sample entry of type
 * `avc1`, `avc2`, `avc3`, `avc4` (with a well-formed `avcC`, or none) or `mp4a` (version 0, with
 * a well-formed `esds`, or none). Anything else gives `undefined`, and the importer asks mp4box
 * (moov_head_mp4box.ts); moov_head_test.ts checks that both give the same on every input the
 * tests make, damaged ones included.
 *
 * @module
 */
import type { FtypMeta } from "./media_meta.ts";
import type { RawBox, TrakLike } from "./import_track.ts";
import type { EditEntry } from "./mapping.ts";

/** What the importer reads from ftyp and moov. */
export interface HeadInfo {
  /** The traks, in moov order, as mp4box gives them (the fields the importer reads). */
  traks: TrakLike[];
  /** mvhd timescale. */
  movieTimescale: number;
  /** ftyp, or null without one. */
  ftyp: FtypMeta | null;
  /** An `mvex` box is present (mp4box `getInfo().isFragmented`). */
  fragmented: boolean;
  /** Per trak: the codec string `getInfo` gives the first trak with its track_ID. */
  codecs: (string | undefined)[];
}

interface Box {
  type: string;
  start: number;
  end: number;
}

/** Not read here: the caller asks mp4box. */
class Unread extends Error {}

const latin1 = (b: Uint8Array, from: number, to: number): string => {
  let s = "";
  for (let i = from; i < to; i++) s += String.fromCharCode(b[i]);
  return s;
};

/**
 * The children of `b[from..to]` as mp4box reads them when they are all well formed (32-bit
 * sizes of at least 8 that fit, printable types other than `uuid`); fewer than 8 trailing
 * bytes end the list, as in mp4box. Anything else: {@linkcode Unread}.
 */
function kids(b: Uint8Array, v: DataView, from: number, to: number): Box[] {
  const out: Box[] = [];
  let at = from;
  while (to - at >= 8) {
    const size = v.getUint32(at);
    const type = latin1(b, at + 4, at + 8);
    if (!/^[\x20-\x7e]{4}$/.test(type) || type === "uuid" || size < 8 || size > to - at) {
      throw new Unread();
    }
    out.push({ type, start: at, end: at + size });
    at += size;
  }
  return out;
}

/** How many times the four characters `type` occur in `b` (as a box type or not). */
function countType(b: Uint8Array, type: string): number {
  const [c0, c1, c2, c3] = [0, 1, 2, 3].map((i) => type.charCodeAt(i));
  let n = 0;
  for (let i = b.indexOf(c0); i >= 0 && i + 4 <= b.length; i = b.indexOf(c0, i + 1)) {
    if (b[i + 1] === c1 && b[i + 2] === c2 && b[i + 3] === c3) n++;
  }
  return n;
}

/** The first child of `type`, as mp4box keeps it (a second one is ignored). */
const first = (list: Box[], type: string): Box | undefined => list.find((x) => x.type === type);

/** mp4box's 64-bit reads: high word times 2^32 plus low word, in floating point. */
const u64 = (v: DataView, at: number): number => v.getUint32(at) * 4294967296 + v.getUint32(at + 4);
const i64 = (v: DataView, at: number): number => v.getInt32(at) * 4294967296 + v.getUint32(at + 4);

const hex2 = (n: number): string => n.toString(16).padStart(2, "0");

/** A box's body must hold `n` bytes after its 8-byte header. */
function need(box: Box, n: number): void {
  if (box.end - box.start - 8 < n) throw new Unread();
}

/**
 * Reads `head` (an `ftyp`, if any, then the `moov` whose sample tables are blanked) as mp4box
 * would for the importer, or returns `undefined` when it holds anything outside the subset this
 * reads exactly (the caller then asks mp4box).
 *
 * @example
 * ```ts
 * import { readHead } from "./moov_head.ts";
 * import assert from "node:assert/strict";
 * // An empty moov: no mvhd, which mp4box is left to judge.
 * assert.equal(readHead(new Uint8Array([0, 0, 0, 8, 0x6d, 0x6f, 0x6f, 0x76])), undefined);
 * ```
 */
export function readHead(head: Uint8Array): HeadInfo | undefined {
  try {
    return read(head);
  } catch (e) {
    if (e instanceof Unread || e instanceof RangeError) return undefined;
    throw e;
  }
}

function read(b: Uint8Array): HeadInfo {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const top = kids(b, v, 0, b.length);
  // Exactly what the importer gives: an optional ftyp, then the moov, to the end.
  const moov = top[top.length - 1];
  if (!moov || moov.type !== "moov" || moov.end !== b.length) throw new Unread();
  if (top.length > 2 || (top.length === 2 && top[0].type !== "ftyp")) throw new Unread();
  const ftyp = top.length === 2 ? readFtyp(b, v, top[0]) : null;
  const inMoov = kids(b, v, moov.start + 8, moov.end);
  // mp4box finds an mvex anywhere in the tree: only one in moov itself is read here.
  const mvex = inMoov.filter((x) => x.type === "mvex");
  if (countType(b, "mvex") !== mvex.length) throw new Unread();
  const mvhd = first(inMoov, "mvhd");
  if (!mvhd) throw new Unread();
  const version = b[mvhd.start + 8];
  need(mvhd, version === 1 ? 112 : 100);
  const movieTimescale = v.getUint32(mvhd.start + (version === 1 ? 28 : 20));
  const traks: TrakLike[] = [];
  const entryCodecs: string[] = [];
  for (const t of inMoov) {
    if (t.type !== "trak") continue;
    const [trak, codec] = readTrak(b, v, t);
    traks.push(trak);
    entryCodecs.push(codec);
  }
  // getInfo lists every trak; the importer takes the codec of the first with its track_ID.
  const codecs = traks.map((t) =>
    entryCodecs[traks.findIndex((u) => u.tkhd.track_id === t.tkhd.track_id)]
  );
  return { traks, movieTimescale, ftyp, fragmented: mvex.length > 0, codecs };
}

function readFtyp(b: Uint8Array, v: DataView, box: Box): FtypMeta {
  need(box, 8);
  const s = box.start + 8;
  const minor = v.getUint32(s + 4);
  const minorText = String.fromCharCode(
    minor >> 24,
    (minor >> 16) & 255,
    (minor >> 8) & 255,
    minor & 255,
  );
  const brands: string[] = [];
  for (let at = s + 8; box.end - at >= 4; at += 4) brands.push(latin1(b, at, at + 4));
  return {
    major_brand: latin1(b, s, s + 4),
    // mp4box gives a minor version of four letters or digits as text.
    minor_version: (/[a-zA-Z0-9]{4}/.test(minorText) ? minorText : minor) as number,
    compatible_brands: brands,
  };
}

function readTrak(b: Uint8Array, v: DataView, trak: Box): [TrakLike, string] {
  const inTrak = kids(b, v, trak.start + 8, trak.end);
  const tkhd = first(inTrak, "tkhd");
  const mdia = first(inTrak, "mdia");
  if (!tkhd || !mdia) throw new Unread();
  const tv = b[tkhd.start + 8];
  need(tkhd, tv === 1 ? 96 : 84);
  const t = tkhd.start + 12;
  const out: TrakLike = {
    tkhd: {
      type: "tkhd",
      start: tkhd.start,
      size: tkhd.end - tkhd.start,
      track_id: v.getUint32(t + (tv === 1 ? 16 : 8)),
      duration: tv === 1 ? u64(v, t + 24) : v.getUint32(t + 16),
    },
    mdia: undefined as unknown as TrakLike["mdia"],
  };
  const edts = first(inTrak, "edts");
  if (edts) {
    const elst = first(kids(b, v, edts.start + 8, edts.end), "elst");
    out.edts = {};
    if (elst) out.edts.elst = { entries: readElst(v, elst) };
  }
  const inMdia = kids(b, v, mdia.start + 8, mdia.end);
  const mdhd = first(inMdia, "mdhd");
  const hdlr = first(inMdia, "hdlr");
  const minf = first(inMdia, "minf");
  if (!mdhd || !hdlr || !minf) throw new Unread();
  const mv = b[mdhd.start + 8];
  need(mdhd, mv === 1 ? 36 : 24);
  const m = mdhd.start + 12;
  const stbl = first(kids(b, v, minf.start + 8, minf.end), "stbl");
  const stsd = stbl && first(kids(b, v, stbl.start + 8, stbl.end), "stsd");
  if (!stsd) throw new Unread();
  const [entries, codec] = readStsd(b, v, stsd);
  out.mdia = {
    mdhd: {
      timescale: v.getUint32(m + (mv === 1 ? 16 : 8)),
      duration: mv === 1 ? u64(v, m + 20) : v.getUint32(m + 12),
      language: v.getUint16(m + (mv === 1 ? 28 : 16)),
    },
    hdlr: readHdlr(b, hdlr),
    minf: { stbl: { stsd: { entries } } },
  };
  return [out, codec];
}

function readElst(v: DataView, elst: Box): EditEntry[] {
  need(elst, 8);
  const version = v.getUint8(elst.start + 8);
  const n = v.getUint32(elst.start + 12);
  const per = version === 1 ? 20 : 12;
  if (n * per > elst.end - elst.start - 16) throw new Unread();
  const out: EditEntry[] = [];
  for (let i = 0, at = elst.start + 16; i < n; i++, at += per) {
    out.push(
      version === 1
        ? {
          segment_duration: u64(v, at),
          media_time: i64(v, at + 8),
          media_rate_integer: v.getInt16(at + 16),
          media_rate_fraction: v.getInt16(at + 18),
        }
        : {
          segment_duration: v.getUint32(at),
          media_time: v.getInt32(at + 4),
          media_rate_integer: v.getInt16(at + 8),
          media_rate_fraction: v.getInt16(at + 10),
        },
    );
  }
  return out;
}

function readHdlr(b: Uint8Array, hdlr: Box): { handler: string; name?: string } {
  need(hdlr, 24);
  if (b[hdlr.start + 8] !== 0) throw new Unread(); // mp4box reads version 0 only
  const handler = latin1(b, hdlr.start + 16, hdlr.start + 20);
  const from = hdlr.start + 32;
  if (from === hdlr.end) return { handler };
  // mp4box reads a C string, which must end inside the box to be read the same here.
  let nul = from;
  while (nul < hdlr.end && b[nul] !== 0) nul++;
  if (nul === hdlr.end) throw new Unread();
  let name = latin1(b, from, nul);
  // A length-prefixed (QuickTime) name, not null-terminated: mp4box drops its first byte.
  if (b[hdlr.end - 1] !== 0 && hdlr.end - from > 1) name = name.slice(1);
  return { handler, name };
}

type Entry = RawBox & Record<string, unknown>;

function readStsd(b: Uint8Array, v: DataView, stsd: Box): [Entry[], string] {
  need(stsd, 8);
  const count = v.getUint32(stsd.start + 12);
  const list = kids(b, v, stsd.start + 16, stsd.end);
  if (count === 0 || list.length < count) throw new Unread();
  const entries: Entry[] = list.slice(0, count).map((e) => ({
    type: e.type,
    start: e.start,
    size: e.end - e.start,
  }));
  // The first entry's fields and children (the config box, the codec string).
  const e = list[0];
  const type = e.type;
  let childrenAt: number;
  const entry = entries[0];
  if (/^avc[1-4]$/.test(type)) {
    need(e, 78);
    entry.width = v.getUint16(e.start + 32);
    entry.height = v.getUint16(e.start + 34);
    childrenAt = e.start + 86;
  } else if (type === "mp4a") {
    need(e, 28);
    if (v.getUint16(e.start + 16) !== 0) throw new Unread(); // QuickTime versions 1 and 2
    entry.channel_count = v.getUint16(e.start + 24);
    entry.samplerate = v.getUint32(e.start + 32) / 65536;
    childrenAt = e.start + 36;
  } else throw new Unread();
  const inner = kids(b, v, childrenAt, e.end);
  entry.boxes = inner.map((x) => ({ type: x.type, start: x.start, size: x.end - x.start }));
  let codec: string;
  if (type === "mp4a") {
    if (first(inner, "wave")) throw new Unread();
    const esds = first(inner, "esds");
    codec = esds ? `mp4a.${esdsCodec(b, esds)}` : "mp4a";
  } else {
    const avcC = first(inner, "avcC");
    if (avcC) checkAvcC(b, v, avcC);
    codec = avcC
      ? `${type}.${hex2(b[avcC.start + 9])}${hex2(b[avcC.start + 10])}${hex2(b[avcC.start + 11])}`
      : type;
  }
  return [entries, codec];
}

/** An avcC whose parameter sets fit in it: mp4box then reads it within the box. */
function checkAvcC(b: Uint8Array, v: DataView, avcC: Box): void {
  need(avcC, 7);
  let at = avcC.start + 14;
  const sets = (n: number) => {
    for (let i = 0; i < n; i++) {
      if (at + 2 > avcC.end) throw new Unread();
      at += 2 + v.getUint16(at);
      if (at > avcC.end) throw new Unread();
    }
  };
  sets(b[avcC.start + 13] & 31);
  if (at + 1 > avcC.end) throw new Unread();
  const pps = b[at++];
  sets(pps);
}

/**
 * The part after `mp4a.` of mp4box's codec string from a well-formed esds: the object type
 * indication in hex and, when there is one, the audio object type of its decoder config.
 */
function esdsCodec(b: Uint8Array, esds: Box): string {
  need(esds, 4);
  let at = esds.start + 12;
  /** A descriptor at `at` that fits before `end`: its tag and body range. */
  const descriptor = (end: number): { tag: number; body: number; end: number } => {
    if (at + 2 > end) throw new Unread();
    const tag = b[at++];
    let size = 0;
    for (let k = 0;; k++) {
      if (k === 4 || at >= end) throw new Unread();
      const x = b[at++];
      size = (size << 7) | (x & 127);
      if (!(x & 128)) break;
    }
    // mp4box reads a descriptor of another tag wrongly (its size taken for its tag).
    if (tag < 3 || tag > 6 || at + size > end) throw new Unread();
    const d = { tag, body: at, end: at + size };
    at += size;
    return d;
  };
  /** The descriptors that tile `[from, end)` exactly. */
  const list = (from: number, end: number) => {
    at = from;
    const out = [];
    while (at < end) out.push(descriptor(end));
    return out;
  };
  at = esds.start + 12;
  const es = descriptor(esds.end);
  if (es.tag !== 3 || es.end - es.body < 3) throw new Unread();
  const flags = b[es.body + 2];
  let from = es.body + 3;
  if (flags & 128) from += 2;
  if (flags & 64) {
    if (from >= es.end) throw new Unread();
    from += 1 + b[from];
  }
  if (flags & 32) from += 2;
  if (from > es.end) throw new Unread();
  const inEs = list(from, es.end);
  // mp4box parses every decoder config (tag 4) in it, and the descriptors in those; nested
  // ES descriptors (tag 3) are left to it.
  const configs = inEs.filter((d) => d.tag === 4);
  const inConfigs = configs.map((d) => {
    if (d.end - d.body < 13) throw new Unread();
    const inner = list(d.body + 13, d.end);
    if (inner.some((x) => x.tag === 3 || x.tag === 4)) throw new Unread();
    return inner;
  });
  if (inEs.some((d) => d.tag === 3)) throw new Unread();
  const dcd = configs[0];
  if (!dcd) return "00";
  const oti = hex2(b[dcd.body]);
  const dsi = inConfigs[0].find((d) => d.tag === 5);
  if (!dsi) return oti;
  let aot = dsi.end > dsi.body ? b[dsi.body] >> 3 : 0;
  if (aot === 31 && dsi.end - dsi.body >= 2) {
    aot = 32 + ((b[dsi.body] & 7) << 3) + ((b[dsi.body + 1] & 224) >> 5);
  }
  return aot ? `${oti}.${aot}` : oti;
}
