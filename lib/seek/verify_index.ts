/**
 * Full verification's index checks (SPEC.md section 9): the block index against the storage
 * chunks (H4-IDX-004, H4-IDX-005, H4-LIM-001), the tracks (H4-TRK-002), the seek tables
 * (H4-SEK-001, H4-SEK-003) and, in v1 files, META.seekm_b64 (H4-LEG-004).
 *
 * One pass over the index pages, in order, does it all: no copy of the index is kept (a file
 * of small blocks has hundreds of thousands, and fresh memory costs more than the checks), only
 * per-track tallies, the seek-table findings, v1 keyframes for SEEKM, and the blocks that must
 * be decoded. Findings are reported in the order the checks define, as if each ran alone.
 *
 * @module
 */
import {
  CHUNK_HEADER_LENGTH,
  CODEC_IDS,
  CODEC_NAMES,
  FIRST_BLOCK_OFFSET,
  KIND_IDS,
  KIND_NAMES,
} from "../format/constants.ts";
import { H4Error } from "../format/errors.ts";
import { allocColumns, type IndexColumns } from "../format/index_columns.ts";
import type { SeekTable } from "../format/ksek.ts";
import type { BlockEntry } from "../format/types.ts";
import type { Container } from "./types.ts";
import { indexColumnsOf } from "./index_rows.ts";
import type { StorageColumns } from "./verify_walk.ts";
import { checkSeekmKeys } from "./verify_seekm.ts";
import { checkSegmentLimit } from "./rules.ts";

/** What one pass over the index found. */
export interface IndexScan {
  /** Blocks read and checked (all of them when the pass succeeded). */
  indexed: number;
  /** Blocks per track. */
  blocks: Float64Array;
  /** Keyframes per track. */
  keys: Float64Array;
  /** The blocks COD-002 reads, from `decodeFrom` on: encoded or encrypted ones. */
  toDecode: BlockEntry[];
  /** Throws the first seek table failure (H4-SEK-001, H4-SEK-003) in the checks' order. */
  checkSeekTables(): void;
  /** Throws unless META.seekm_b64 lists exactly the keyframes (H4-LEG-004; v1 files). */
  checkSeekm(meta: Record<string, unknown>): void;
}

/** Rows of legacy entries gathered before they are checked as one page. */
const LEGACY_PAGE = 4096;

/**
 * Reads the index of `c` page by page and checks it against the storage chunks of the walk
 * (not for legacy files, whose index is built from their chunks): each block follows the one
 * before (H4-IDX-005), the first of a chunk starts it, each chunk's blocks fill it
 * (H4-IDX-004), and a chunk over 16 MiB holds one block (H4-LIM-001); throws the first failure
 * (`scan.indexed` says how far it got). Tallies tracks, evaluates the seek tables and keeps
 * what the later checks need.
 *
 * @example
 * ```ts
 * import { scanIndex } from "./verify_index.ts";
 * import { walkForVerify } from "./verify_walk.ts";
 * import { openContainer } from "./container.ts";
 * import { packContainer } from "../format/writer.ts";
 * import assert from "node:assert/strict";
 * const c = await openContainer(await packContainer([
 *   { track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array(3) },
 * ]));
 * const walk = await walkForVerify(c.source, c.version, c.size, { partial: undefined });
 * const scan = { indexed: 0 } as Parameters<typeof scanIndex>[2];
 * await scanIndex(c, walk.storage, scan, 0);
 * assert(scan.indexed === 1 && scan.blocks[0] === 1);
 * scan.checkSeekTables();
 * ```
 */
export async function scanIndex(
  c: Container,
  storage: StorageColumns,
  scan: IndexScan,
  decodeFrom: number,
): Promise<void> {
  const n = c.blockCount;
  const T = c.tracks.length;
  const legacy = c.profile === "legacy";
  const collectKeys = c.profile === "v1";
  const blocks = scan.blocks = new Float64Array(T);
  const keys = scan.keys = new Float64Array(T);
  const toDecode: BlockEntry[] = scan.toDecode = [];
  scan.indexed = 0;
  // v1: each track's keyframes (block, pts) in index order, for SEEKM.
  const keyBlocks: number[][] = [], keyPts: number[][] = [];
  for (let t = 0; t < T; t++) keyBlocks.push([]), keyPts.push([]);

  // Seek tables: entries sorted by block, evaluated when their block's row is read.
  const tables: (SeekTable | undefined)[] = [];
  const tableError: unknown[] = [];
  const badEntry = new Float64Array(T).fill(-1); // first entry k that fails H4-SEK-001
  let total = 0;
  c.tracks.forEach((t, tk) => {
    try {
      tables[tk] = c.seekTable(t.track_id);
      total += tables[tk]!.count;
    } catch (e) {
      tableError[tk] = e;
    }
  });
  const entryBlock = new Float64Array(total), entryTrack = new Uint16Array(total);
  const entryK = new Uint32Array(total);
  let m = 0;
  tables.forEach((table, tk) => {
    if (!table) return;
    for (let k = 0; k < table.count; k++) {
      const i = table.block[k];
      if (!(Number.isInteger(i) && i >= 0 && i < n)) {
        if (badEntry[tk] < 0 || k < badEntry[tk]) badEntry[tk] = k;
        continue;
      }
      entryBlock[m] = i;
      entryTrack[m] = tk;
      entryK[m++] = k;
    }
  });
  const order = Array.from({ length: m }, (_, j) => j);
  let sorted = true;
  for (let j = 1; j < m && sorted; j++) if (entryBlock[j] < entryBlock[j - 1]) sorted = false;
  if (!sorted) order.sort((a, b) => entryBlock[a] - entryBlock[b] || a - b);
  let next = 0; // position in `order`
  const firstKey = new Float64Array(T).fill(-1);
  const firstKeyListed = new Uint8Array(T);
  const firstUnlisted = new Float64Array(T).fill(-1); // first keyframe no valid entry names

  // Chunk sums for H4-IDX-004 and H4-LIM-001, checked after every block.
  const sums = legacy ? undefined : new Float64Array(storage.count);
  const blocksIn = legacy ? undefined : new Uint32Array(storage.count);
  let prevOffset = 0, prevStored = 0, prevChunk = 0;
  const trackNumber = new Map(c.tracks.map((t, k) => [t.track_id, k]));

  /** Checks and takes rows `r..r+count-1` of `page` as blocks `i..`; `remap` maps its tracks. */
  const take = (page: IndexColumns, r: number, count: number, i0: number, remap: number[]) => {
    const { track, pts, kind, keyframe, codec, offset, stored, plain, chunk } = page;
    const starts = storage.offset, chunks = storage.count;
    for (let row = r, i = i0; row < r + count; row++, i++) {
      const o = offset[row], ch = chunk[row];
      if (!legacy) {
        const sameChunk = i > 0 && ch === prevChunk;
        const expectOffset = i === 0
          ? FIRST_BLOCK_OFFSET
          : prevOffset + prevStored + (sameChunk ? 0 : CHUNK_HEADER_LENGTH);
        const expectChunk = i === 0 ? 0 : prevChunk + (sameChunk ? 0 : 1);
        if (o !== expectOffset || ch !== expectChunk) {
          throw new H4Error(
            "H4_BAD_INDEX",
            `block ${i} at ${o} in chunk ${ch}, expected ${expectOffset} in chunk ${expectChunk}`,
            { rule: "H4-IDX-005" },
          );
        }
        if (ch >= chunks || (!sameChunk && starts[ch] + CHUNK_HEADER_LENGTH !== o)) {
          throw new H4Error(
            "H4_INDEX_MISMATCH",
            `block ${i} should start storage chunk ${ch}, which is at ${
              ch < chunks ? starts[ch] : undefined
            }`,
            { rule: "H4-IDX-004" },
          );
        }
        sums![ch] += stored[row];
        blocksIn![ch]++;
      }
      prevOffset = o;
      prevStored = stored[row];
      prevChunk = ch;
      const tk = remap[track[row]];
      blocks[tk]++;
      const key = keyframe[row] === 1;
      if (key) {
        if (keys[tk]++ === 0) firstKey[tk] = i;
        if (collectKeys) keyBlocks[tk].push(i), keyPts[tk].push(pts[row]);
      }
      // Seek entries naming this block (H4-SEK-001), and whether it is listed (H4-SEK-003).
      let listed = false;
      for (; next < m && entryBlock[order[next]] === i; next++) {
        const j = order[next], et = entryTrack[j], k = entryK[j], table = tables[et]!;
        const ok = tk === et && key && pts[row] === table.pts[k] && o === table.offset[k] &&
          stored[row] === table.stored[k] &&
          (legacy ||
            (kind[row] === table.kind[k] && codec[row] === table.codec[k] &&
              plain[row] === table.plain[k]));
        if (!ok) {
          if (badEntry[et] < 0 || k < badEntry[et]) badEntry[et] = k;
        } else listed = true;
      }
      if (key) {
        if (listed && firstKey[tk] === i) firstKeyListed[tk] = 1;
        if (!listed && firstUnlisted[tk] < 0) firstUnlisted[tk] = i;
      }
      if (i >= decodeFrom && (codec[row] !== 0 || c.encrypted)) {
        toDecode.push({
          index: i,
          track_id: c.tracks[tk].track_id,
          pts_us: pts[row],
          kind: KIND_NAMES[kind[row]],
          keyframe: key,
          codec: CODEC_NAMES[codec[row]],
          offset: o,
          stored_length: stored[row],
          plain_length: plain[row],
          chunk: ch,
        });
      }
      scan.indexed = i + 1;
    }
  };

  const access = indexColumnsOf(c);
  if (access) {
    const remap = access.trackIds.map((id) => trackNumber.get(id) ?? 0);
    let i = 0;
    for await (const { first, cols: page } of access.all()) {
      if (i >= n) break;
      const r = i - first, count = Math.min(page.count - r, n - i);
      if (r < 0 || count <= 0) continue;
      take(page, r, count, i, remap);
      i += count;
    }
    if (i < n) {
      throw new H4Error("H4_BAD_INDEX", `the index pages hold ${i} of ${n} blocks`, {
        rule: "H4-IDX-004",
      });
    }
  } else {
    const identity = c.tracks.map((_, k) => k);
    const page = allocColumns(LEGACY_PAGE);
    let i = 0, rows = 0;
    for await (const e of c.entries()) {
      page.track[rows] = trackNumber.get(e.track_id) ?? 0;
      page.offset[rows] = e.offset;
      page.chunk[rows] = e.chunk;
      page.stored[rows] = e.stored_length;
      page.pts[rows] = e.pts_us;
      page.kind[rows] = KIND_IDS[e.kind];
      page.keyframe[rows] = e.keyframe ? 1 : 0;
      page.codec[rows] = CODEC_IDS[e.codec];
      page.plain[rows] = e.plain_length;
      if (++rows === LEGACY_PAGE) take(page, 0, rows, i, identity), i += rows, rows = 0;
    }
    take(page, 0, rows, i, identity);
  }
  if (!legacy) checkChunkSums(storage, sums!, blocksIn!);

  scan.checkSeekTables = () => {
    c.tracks.forEach((t, tk) => {
      if (tableError[tk] !== undefined) throw tableError[tk];
      const k = badEntry[tk];
      if (k >= 0) {
        throw new H4Error(
          "H4_BAD_SEEK_TABLE",
          `track ${JSON.stringify(t.track_id)} entry ${k} (block ${
            tables[tk]!.block[k]
          }) does not match a keyframe of the track`,
          { rule: "H4-SEK-001" },
        );
      }
      if (firstKey[tk] >= 0 && !firstKeyListed[tk]) {
        throw new H4Error(
          "H4_BAD_SEEK_TABLE",
          `track ${JSON.stringify(t.track_id)}: its first keyframe (block ${
            firstKey[tk]
          }) is not listed`,
          { rule: "H4-SEK-003" },
        );
      }
    });
    // A track with a non-keyframe lists every keyframe; an all-keyframe track may thin.
    let worst = -1, worstTrack = 0;
    for (let tk = 0; tk < T; tk++) {
      const i = firstUnlisted[tk];
      if (i >= 0 && keys[tk] !== blocks[tk] && (worst < 0 || i < worst)) {
        worst = i;
        worstTrack = tk;
      }
    }
    if (worst >= 0) {
      throw new H4Error(
        "H4_BAD_SEEK_TABLE",
        `track ${
          JSON.stringify(c.tracks[worstTrack].track_id)
        }: keyframe block ${worst} is not listed`,
        { rule: "H4-SEK-003" },
      );
    }
  };

  scan.checkSeekm = (meta) => checkSeekmKeys(meta, c.tracks, keyBlocks, keyPts);
}

/** H4-IDX-004 and H4-LIM-001 per storage chunk, in chunk order, once every block is read. */
function checkChunkSums(storage: StorageColumns, sums: Float64Array, blocksIn: Uint32Array) {
  for (let k = 0; k < storage.count; k++) {
    const at = storage.offset[k], length = storage.length[k];
    if (blocksIn[k] === 0) {
      throw new H4Error("H4_INDEX_MISMATCH", `storage chunk ${k} at ${at} holds no block`, {
        rule: "H4-IDX-004",
      });
    }
    if (sums[k] !== length) {
      throw new H4Error(
        "H4_INDEX_MISMATCH",
        `storage chunk ${k} holds ${length} bytes, its blocks add up to ${sums[k]}`,
        { rule: "H4-IDX-004" },
      );
    }
    checkSegmentLimit(storage.tag[k] === 1 ? "CORE" : "SEGM", at, length, blocksIn[k]);
  }
}

/**
 * H4-TRK-002: each track's TRKS counts match the index's (`blocks`, `keys` per track).
 *
 * @example
 * ```ts
 * import { checkTrackCounts } from "./verify_index.ts";
 * import assert from "node:assert/strict";
 * const blocks = new Float64Array([1]), keys = new Float64Array([1]);
 * checkTrackCounts([{ track_id: "v", blocks: 1, keyframes: 1 }], blocks, keys);
 * assert.throws(() => checkTrackCounts([{ track_id: "v", blocks: 2, keyframes: 1 }], blocks, keys));
 * ```
 */
export function checkTrackCounts(
  tracks: readonly { track_id: string; blocks: number; keyframes: number }[],
  blocks: Float64Array,
  keys: Float64Array,
): void {
  tracks.forEach((t, k) => {
    if (blocks[k] !== t.blocks || keys[k] !== t.keyframes) {
      throw new H4Error(
        "H4_INDEX_MISMATCH",
        `track ${
          JSON.stringify(t.track_id)
        }: TRKS says ${t.blocks} blocks/${t.keyframes} keyframes, the index has ${blocks[k]}/${
          keys[k]
        }`,
        { rule: "H4-TRK-002" },
      );
    }
  });
}
