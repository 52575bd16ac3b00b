/**
 * The end of a container, SPEC.md sections 5 to 9: the tables built from the block index
 * (BIDX and its page directory TDIR, BHSH, KSEK, TRKS), META and SAFE, LIVC, VERI, SIGN and
 * the locator LOCA, in the order the format puts them.
 *
 * @module
 */
import { encodeBidxPage } from "./bidx.ts";
import { compareCodePoints, concat } from "./bytes.ts";
import { encodeChunk } from "./chunk.ts";
import {
  CHUNK_HEADER_LENGTH,
  CODEC_NAMES,
  DEFAULT_BLOCKS_PER_PAGE,
  DEFAULT_HASHES_PER_PAGE,
  DEFAULT_SEEK_INTERVAL_US,
  KIND_NAMES,
  LEGACY_COMPRESSION,
  LOCA_FLAG_ENCRYPTED,
  LOCA_SLOTS,
  type LocaSlot,
  META_DOMAIN,
} from "./constants.ts";
import type { IndexColumns } from "./index_columns.ts";
import { encodeKsek, type SeekTable, seekTableFromRows } from "./ksek.ts";
import { encodeLoca, type Locator, type SlotRef } from "./loca.ts";
import { encodeJsonDoc, type JsonObject } from "./meta.ts";
import { computeRoot } from "./root.ts";
import { encodeSeekm } from "./seekm.ts";
import { makeSignPayload, SIGN_TAG } from "./signature.ts";
import { sha256 } from "../hash/sha256.ts";
import { encodeTdir } from "./tdir.ts";
import { encodeTrak } from "./trak.ts";
import { encodeTrks } from "./trks.ts";
import type { Profile } from "./types.ts";
import type { WriterOptions } from "./writer_options.ts";

/** What the tables are built from, and where they go. */
export interface TableInputs {
  /** The writer's options. */
  opts: WriterOptions;
  /** Profile written. */
  profile: Profile;
  /** The file header (magic and version). */
  header: Uint8Array;
  /** Default codec id of every track. */
  defaultCodecId: number;
  /** The block index; its track numbers are in arrival order, and are renumbered here. */
  cols: IndexColumns;
  /** Track ids in arrival order. */
  trackIds: readonly string[];
  /** Storage chunks written. */
  chunkCount: number;
  /** The BHSH table (each storage chunk's hash, in order). */
  bhsh: Uint8Array;
  /** Offset of the next byte. */
  pos(): number;
  /** Writes a chunk; `hashed`: it goes into VERI. */
  emit(bytes: Uint8Array, hashed: boolean): Promise<void>;
  /** VERI, once every chunk before it went through `emit` with `hashed`. */
  veri(): Promise<Uint8Array>;
}

/** What the tables say about the file. */
export interface TableSummary {
  /** Number of tracks. */
  tracks: number;
  /** Root digest. */
  root: Uint8Array;
  /** VERI digest. */
  veri: Uint8Array;
}

/**
 * Writes the tables after the last storage chunk, then VERI, SIGN and LOCA.
 *
 * @example
 * ```ts
 * import { writeTables } from "./writer_tables.ts";
 * import { allocColumns } from "./index_columns.ts";
 * import assert from "node:assert/strict";
 * const parts: Uint8Array[] = [];
 * let pos = 8;
 * const s = await writeTables({
 *   opts: {}, profile: "v2", header: new Uint8Array(8), defaultCodecId: 0,
 *   cols: allocColumns(1), trackIds: [], chunkCount: 0, bhsh: new Uint8Array(0),
 *   pos: () => pos,
 *   emit: (b) => { parts.push(b); pos += b.length; return Promise.resolve(); },
 *   veri: () => Promise.resolve(new Uint8Array(32)),
 * });
 * assert.equal(s.tracks, 0);
 * assert.equal(new TextDecoder().decode(parts.at(-1)!.subarray(0, 4)), "LOCA");
 * ```
 */
export async function writeTables(t: TableInputs): Promise<TableSummary> {
  const { opts, cols, trackIds, chunkCount, bhsh, emit } = t;
  const sealer = opts.sealer;
  const n = cols.count;
  // Tracks are numbered in code point order of their ids (SPEC.md section 5).
  const order = trackIds.map((_, i) => i).sort((a, b) =>
    compareCodePoints(trackIds[a], trackIds[b])
  );
  const remap = new Uint16Array(trackIds.length);
  order.forEach((arrival, sorted) => (remap[arrival] = sorted));
  for (let i = 0; i < n; i++) cols.track[i] = remap[cols.track[i]];
  const ids = order.map((i) => trackIds[i]);
  const blocksPer = new Array<number>(ids.length).fill(0);
  const keysPer = new Array<number>(ids.length).fill(0);
  for (let i = 0; i < n; i++) {
    blocksPer[cols.track[i]]++;
    keysPer[cols.track[i]] += cols.keyframe[i];
  }
  const trackCodecs = ids.map(() => t.defaultCodecId);

  const slots = Object.fromEntries(LOCA_SLOTS.map((s) => [s, null])) as Record<
    LocaSlot,
    SlotRef | null
  >;
  const writeTable = async (tag: LocaSlot | "SEEK", payload: Uint8Array): Promise<void> => {
    if (tag !== "SEEK") {
      slots[tag] = { offset: t.pos(), length: CHUNK_HEADER_LENGTH + payload.length };
    }
    await emit(encodeChunk(tag, payload), true);
  };

  if (t.profile === "v1") await writeTable("SEEK", new Uint8Array(4));

  // BIDX and its page directory.
  const blocksPerPage = opts.blocksPerPage ?? DEFAULT_BLOCKS_PER_PAGE;
  const pages: Uint8Array[] = [];
  for (let s = 0; s < n; s += blocksPerPage) {
    pages.push(encodeBidxPage(cols, s, Math.min(n, s + blocksPerPage), trackCodecs));
  }
  await writeTable("BIDX", concat(pages));
  await writeTable("BHSH", bhsh);
  const hashesPerPage = opts.hashesPerPage ?? DEFAULT_HASHES_PER_PAGE;
  const bhshPageDigests: Uint8Array[] = [];
  for (let s = 0; s < chunkCount; s += hashesPerPage) {
    bhshPageDigests.push(
      sha256(bhsh.subarray(s * 32, Math.min(chunkCount, s + hashesPerPage) * 32)),
    );
  }

  const tables = buildSeekTables(
    cols,
    ids.length,
    keysPer,
    blocksPer,
    opts.seekIntervalUs ?? DEFAULT_SEEK_INTERVAL_US,
  );
  const ksek = encodeKsek(tables);
  const tdir = encodeTdir({
    blocksPerPage,
    bidxPageLengths: pages.map((p) => p.length),
    bidxPageDigests: pages.map(sha256),
    hashesPerPage,
    bhshPageDigests,
  });
  const trks = encodeTrks(ids.map((id, i) => ({
    track_id: id,
    codec: CODEC_NAMES[trackCodecs[i]],
    blocks: blocksPer[i],
    keyframes: keysPer[i],
  })));
  const meta = encodeJsonDoc(buildMeta(opts, t.profile, ids, cols));
  const safe = opts.safe == null ? null : encodeJsonDoc(opts.safe);

  const loca: Locator = {
    header: t.header,
    flags: sealer ? LOCA_FLAG_ENCRYPTED : 0,
    trackCount: ids.length,
    blockCount: n,
    chunkCount,
    slots,
    root: new Uint8Array(32),
  };
  const root = computeRoot(encodeLoca(loca).subarray(0, 32), {
    TRKS: trks,
    KSEK: ksek,
    TDIR: tdir,
    META: meta,
    SAFE: safe,
  });
  loca.root = root;
  await writeTable("KSEK", ksek);
  await writeTable("TDIR", tdir);
  await writeTable("TRKS", trks);
  const livc = sealer ? sealer.finish(root) : null;
  if (livc) await writeTable("LIVC", livc);
  for (const x of sealer?.chunksAfterLivc?.() ?? []) {
    await emit(encodeChunk(x.tag, x.payload), true); // RCPT: found after LIVC, no slot
  }
  await writeTable("META", meta);
  if (safe) await writeTable("SAFE", safe);
  const veri = await t.veri();
  await emit(encodeChunk("VERI", veri), false);
  const locaPayload = encodeLoca(loca);
  for (const key of opts.signingKeys ?? []) {
    const payload = await makeSignPayload(key.seed, key.publicKey, locaPayload, livc);
    await emit(encodeChunk(SIGN_TAG, payload), false);
  }
  await emit(encodeChunk("LOCA", locaPayload), false);
  return { tracks: ids.length, root, veri };
}

/**
 * Builds each track's seek table from the index, SPEC.md section 6.5: every keyframe, or for
 * an all-keyframe track one every `intervalUs` (0 lists every keyframe).
 *
 * @example
 * ```ts
 * import { buildSeekTables } from "./writer_tables.ts";
 * import { allocColumns } from "./index_columns.ts";
 * import assert from "node:assert/strict";
 * const cols = allocColumns(2);
 * cols.count = 2;
 * cols.keyframe.set([1, 1]);
 * cols.pts[1] = 10;
 * const [t] = buildSeekTables(cols, 1, [2], [2], 1000);
 * assert.ok(t !== undefined);
 * ```
 */
export function buildSeekTables(
  cols: IndexColumns,
  trackCount: number,
  keysPer: number[],
  blocksPer: number[],
  intervalUs: number,
): SeekTable[] {
  const rows: number[][] = Array.from({ length: trackCount }, () => []);
  const lastListed = new Float64Array(trackCount);
  const listedAny = new Uint8Array(trackCount);
  for (let i = 0; i < cols.count; i++) {
    if (!cols.keyframe[i]) continue;
    const t = cols.track[i];
    const thin = intervalUs > 0 && keysPer[t] === blocksPer[t];
    if (thin && listedAny[t] && cols.pts[i] < lastListed[t] + intervalUs) continue;
    rows[t].push(i);
    listedAny[t] = 1;
    lastListed[t] = cols.pts[i];
  }
  return rows.map((r) =>
    seekTableFromRows(cols, r.sort((a, b) => cols.pts[a] - cols.pts[b] || a - b))
  );
}

/**
 * META with the writer's keys, SPEC.md section 8.
 *
 * @example
 * ```ts
 * import { buildMeta } from "./writer_tables.ts";
 * import { allocColumns } from "./index_columns.ts";
 * import assert from "node:assert/strict";
 * const m = buildMeta({ meta: { title: "t", encryption: {} } }, "v2", ["a"], allocColumns(1));
 * assert.deepEqual(m.tracks, ["a"]);
 * assert.equal(m.encryption, undefined);
 * ```
 */
export function buildMeta(
  opts: WriterOptions,
  profile: Profile,
  ids: string[],
  cols: IndexColumns,
): JsonObject {
  const meta: JsonObject = { ...(opts.meta ?? {}) };
  delete meta.encryption; // H4-MET-003: only the original writer's encrypted files carry it
  meta.domain = META_DOMAIN;
  meta.tracks = ids;
  if (profile === "v1") {
    const byTrack: [number, number][][] = ids.map(() => []);
    for (let i = 0; i < cols.count; i++) {
      if (cols.keyframe[i]) byTrack[cols.track[i]].push([cols.pts[i], i]);
    }
    for (const e of byTrack) e.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    meta.seekm_b64 = encodeSeekm(ids.map((id, t) => ({ track_id: id, entries: byTrack[t] })))
      .toBase64();
    if (opts.legacyTrak) {
      const entries = [];
      for (let i = 0; i < cols.count; i++) {
        entries.push({
          track_id: ids[cols.track[i]],
          pts_us: cols.pts[i],
          kind: KIND_NAMES[cols.kind[i]],
          keyframe: cols.keyframe[i] === 1,
          core_index: i,
        });
      }
      meta.trak_b64 = encodeTrak(entries).toBase64();
    } else delete meta.trak_b64; // a caller's copy would describe other blocks
    let allRle = cols.count > 0;
    for (let i = 0; i < cols.count && allRle; i++) allRle = cols.codec[i] === 2;
    if (allRle) meta.compression = { ...LEGACY_COMPRESSION };
    else delete meta.compression;
  } else {
    delete meta.seekm_b64;
    delete meta.trak_b64;
    delete meta.compression;
  }
  return meta;
}
