/**
 * The tables of a file written by this implementation, for tests that edit them: decode them
 * ({@linkcode tablesOf}, {@linkcode parseFile}), change a page, BHSH or LOCA, and write the file
 * again with a fresh root, VERI and LOCA ({@linkcode rebuild}), so the test reaches the checks
 * behind the root. Part of the forging kit (see forge.ts); test-only.
 *
 * @module
 */
import { decodeBidxPage, encodeBidxPage } from "../bidx.ts";
import { concat } from "../bytes.ts";
import { encodeChunk } from "../chunk.ts";
import { isStorageTag } from "../chunk_types.ts";
import { CODEC_IDS, LOCA_CHUNK_LENGTH, LOCA_SLOTS, type LocaSlot } from "../constants.ts";
import type { IndexColumns } from "../index_columns.ts";
import { decodeKsek, type SeekTable } from "../ksek.ts";
import { decodeLoca, encodeLoca, type Locator, type SlotRef } from "../loca.ts";
import { decodeJsonDoc, type JsonObject } from "../meta.ts";
import { computeRoot } from "../root.ts";
import { sha256 } from "../../hash/sha256.ts";
import { decodeTdir, encodeTdir, type TableDirectory } from "../tdir.ts";
import { decodeTrks, type TrackRecord } from "../trks.ts";
import { computeVeri } from "../veri.ts";
import type { ChunkView } from "../chunk.ts";
import { fixCrc, walk } from "./forge.ts";

/** The decoded LOCA of a file written by this implementation. */
export function locaOf(bytes: Uint8Array): Locator {
  return decodeLoca(bytes.subarray(bytes.length - LOCA_CHUNK_LENGTH + 12));
}

/** A copy whose LOCA is re-encoded after `edit` (CRC fixed; root kept unless edited). */
export function editLoca(bytes: Uint8Array, edit: (l: Locator) => void): Uint8Array {
  const out = bytes.slice();
  const l = locaOf(out);
  edit(l);
  const at = out.length - LOCA_CHUNK_LENGTH;
  out.set(encodeLoca(l), at + 12);
  return fixCrc(out, at);
}

/** The tables of a file, for editing with {@linkcode rebuild}. */
export interface Tables {
  /** The 8-byte header. */
  header: Uint8Array;
  /** Storage chunks, whole (bytes 8 up to the first table chunk). */
  storage: Uint8Array;
  /** Table payloads. */
  BIDX: Uint8Array;
  BHSH: Uint8Array;
  KSEK: Uint8Array;
  TDIR: Uint8Array;
  TRKS: Uint8Array;
  META: Uint8Array;
  SAFE: Uint8Array | null;
  LIVC: Uint8Array | null;
  /** LOCA fields. */
  flags: number;
  trackCount: number;
  blockCount: number;
  chunkCount: number;
  /** Extra chunks written before META (unknown tags, for H4-FMT-013). */
  extra: { tag: string; payload: Uint8Array }[];
}

/** Reads the tables of a file written by this implementation. */
export function tablesOf(bytes: Uint8Array): Tables {
  const l = locaOf(bytes);
  const payload = (s: LocaSlot): Uint8Array | null => {
    const ref = l.slots[s];
    return ref ? bytes.slice(ref.offset + 12, ref.offset + ref.length) : null;
  };
  const firstTable = walk(bytes).find((c) => !isStorageTag(c.tag))!;
  return {
    header: bytes.slice(0, 8),
    storage: bytes.slice(8, firstTable.offset),
    BIDX: payload("BIDX")!,
    BHSH: payload("BHSH")!,
    KSEK: payload("KSEK")!,
    TDIR: payload("TDIR")!,
    TRKS: payload("TRKS")!,
    META: payload("META")!,
    SAFE: payload("SAFE"),
    LIVC: payload("LIVC"),
    flags: l.flags,
    trackCount: l.trackCount,
    blockCount: l.blockCount,
    chunkCount: l.chunkCount,
    extra: [],
  };
}

/** TDIR of `t`, decoded with its own counts. */
export function tdirOf(t: Tables): TableDirectory {
  return decodeTdir(t.TDIR, t.blockCount, t.chunkCount);
}

/** The BIDX pages of `t`, split by TDIR's page lengths. */
export function bidxPages(t: Tables): Uint8Array[] {
  const d = tdirOf(t);
  const pages: Uint8Array[] = [];
  let o = 0;
  for (const len of d.bidxPageLengths) {
    pages.push(t.BIDX.slice(o, o + len));
    o += len;
  }
  return pages;
}

/** Decodes page `p` of `t` (unencrypted files). */
export function decodePage(t: Tables, p: number): IndexColumns {
  const d = tdirOf(t);
  const codecs = decodeTrks(t.TRKS).map((r) => CODEC_IDS[r.codec]);
  return decodeBidxPage(bidxPages(t)[p], {
    first: p * d.blocksPerPage,
    count: Math.min(d.blocksPerPage, t.blockCount - p * d.blocksPerPage),
    trackCodecs: codecs,
    overhead: t.flags & 1 ? 16 : 0,
  });
}

/** Re-encodes page `p` of `t` from (edited) columns and updates BIDX and TDIR. */
export function setPage(t: Tables, p: number, cols: IndexColumns): void {
  const codecs = decodeTrks(t.TRKS).map((r) => CODEC_IDS[r.codec]);
  const pages = bidxPages(t);
  pages[p] = encodeBidxPage(cols, 0, cols.count, codecs);
  setPages(t, pages);
}

/** Replaces the BIDX pages of `t` and rewrites TDIR's lengths and digests for them. */
export function setPages(t: Tables, pages: Uint8Array[]): void {
  const d = tdirOf(t);
  t.BIDX = concat(pages);
  t.TDIR = encodeTdir({
    ...d,
    bidxPageLengths: pages.map((p) => p.length),
    bidxPageDigests: pages.map((p) => sha256(p)),
  });
}

/** Replaces BHSH (and the chunk count) and rewrites TDIR's BHSH page digests for it. */
export function setBhsh(t: Tables, bhsh: Uint8Array): void {
  const d = tdirOf(t);
  t.chunkCount = bhsh.length / 32;
  t.BHSH = bhsh;
  const digests: Uint8Array[] = [];
  for (let c = 0; c < t.chunkCount; c += d.hashesPerPage) {
    digests.push(sha256(bhsh.subarray(c * 32, Math.min(t.chunkCount, c + d.hashesPerPage) * 32)));
  }
  t.TDIR = encodeTdir({ ...d, bhshPageDigests: digests });
}

/**
 * Writes a file from `t` in the writer's layout, with a fresh root, VERI and LOCA. TDIR is used
 * as is (call {@linkcode setPages} after editing BIDX).
 */
export function rebuild(t: Tables): Uint8Array {
  const version = (t.header[4] << 8) | t.header[5];
  const parts: Uint8Array[] = [t.header, t.storage];
  let pos = 8 + t.storage.length;
  const slots = Object.fromEntries(LOCA_SLOTS.map((s) => [s, null])) as Record<
    LocaSlot,
    SlotRef | null
  >;
  const put = (tag: string, payload: Uint8Array) => {
    if ((LOCA_SLOTS as readonly string[]).includes(tag)) {
      slots[tag as LocaSlot] = { offset: pos, length: payload.length + 12 };
    }
    const c = encodeChunk(tag, payload);
    parts.push(c);
    pos += c.length;
  };
  if (version === 1) put("SEEK", new Uint8Array(4));
  put("BIDX", t.BIDX);
  put("BHSH", t.BHSH);
  put("KSEK", t.KSEK);
  put("TDIR", t.TDIR);
  put("TRKS", t.TRKS);
  if (t.LIVC) put("LIVC", t.LIVC);
  for (const x of t.extra) put(x.tag, x.payload);
  put("META", t.META);
  if (t.SAFE) put("SAFE", t.SAFE);
  const body = concat(parts);
  const veri = computeVeri(body, body.length);
  const loca: Locator = {
    header: t.header,
    flags: t.flags,
    trackCount: t.trackCount,
    blockCount: t.blockCount,
    chunkCount: t.chunkCount,
    slots,
    root: new Uint8Array(32),
  };
  loca.root = computeRoot(encodeLoca(loca), {
    TRKS: t.TRKS,
    KSEK: t.KSEK,
    TDIR: t.TDIR,
    META: t.META,
    SAFE: t.SAFE,
  });
  return concat([body, encodeChunk("VERI", veri), encodeChunk("LOCA", encodeLoca(loca))]);
}

/** One block index row, as decoded from BIDX by {@linkcode parseFile}. */
export interface Row {
  index: number;
  track_id: string;
  pts: number;
  kind: number;
  keyframe: number;
  codec: number;
  newChunk: number;
  offset: number;
  stored: number;
  plain: number;
  chunk: number;
}

/** Everything in a file written by this implementation, decoded with the format functions. */
export interface ParsedFile {
  tables: Tables;
  loca: Locator;
  trks: TrackRecord[];
  tdir: TableDirectory;
  ksek: SeekTable[];
  meta: JsonObject;
  safe: JsonObject | null;
  rows: Row[];
  chunks: ChunkView[];
}

/** Decodes a whole file without the reader in lib/seek (an independent check of the writer). */
export function parseFile(bytes: Uint8Array): ParsedFile {
  const t = tablesOf(bytes);
  const trks = decodeTrks(t.TRKS);
  const tdir = tdirOf(t);
  const ksek = decodeKsek(t.KSEK, trks.length, t.flags & 1 ? 16 : 0);
  const rows: Row[] = [];
  for (let p = 0; p < tdir.bidxPageLengths.length; p++) {
    const c = decodePage(t, p);
    for (let k = 0; k < c.count; k++) {
      rows.push({
        index: rows.length,
        track_id: trks[c.track[k]].track_id,
        pts: c.pts[k],
        kind: c.kind[k],
        keyframe: c.keyframe[k],
        codec: c.codec[k],
        newChunk: c.newChunk[k],
        offset: c.offset[k],
        stored: c.stored[k],
        plain: c.plain[k],
        chunk: c.chunk[k],
      });
    }
  }
  return {
    tables: t,
    loca: locaOf(bytes),
    trks,
    tdir,
    ksek,
    meta: decodeJsonDoc(t.META, "META"),
    safe: t.SAFE ? decodeJsonDoc(t.SAFE, "SAFE") : null,
    rows,
    chunks: walk(bytes),
  };
}
