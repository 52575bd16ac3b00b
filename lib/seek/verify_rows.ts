/**
 * The row loop of full verification's index pass (verify_index.ts): every block's checks
 * against the storage chunks (H4-IDX-004, H4-IDX-005), its track's tallies and the seek-table
 * entries naming it (H4-SEK-001, H4-SEK-003), in one plain function over typed arrays.
 *
 * Why one function and a state object rather than a closure: a file of small blocks has
 * hundreds of thousands of rows, and a fresh process (`h4mk verify`) runs most of them before
 * V8 has optimised the loop. Unoptimised, each typed-array access is an inline-cache call and
 * each captured variable a context slot; so the running state is copied into locals for a
 * page and written back after it, a chunk's byte and block sums are kept in locals until the
 * chunk ends, and the seek entries are sorted into flat columns once.
 *
 * @module
 */
import {
  CHUNK_HEADER_LENGTH,
  CODEC_NAMES,
  FIRST_BLOCK_OFFSET,
  KIND_NAMES,
} from "../format/constants.ts";
import { H4Error } from "../format/errors.ts";
import type { IndexColumns } from "../format/index_columns.ts";
import type { SeekTable } from "../format/ksek.ts";
import type { BlockEntry } from "../format/types.ts";

/** Seek-table entries that name a block of the file, sorted by block (then table order). */
export interface SeekEntries {
  /** Number of entries. */
  count: number;
  /** Block each names. */
  block: Float64Array;
  /** Track number of its table. */
  track: Uint16Array;
  /** Position in its table. */
  k: Uint32Array;
  /** The entry's fields, compared with the block's. */
  pts: Float64Array;
  /** File offset. */
  offset: Float64Array;
  /** Stored length. */
  stored: Float64Array;
  /** Kind id. */
  kind: Uint8Array;
  /** Codec id. */
  codec: Uint8Array;
  /** Plain length. */
  plain: Float64Array;
}

/** What the row loop reads, tallies and carries from one page to the next. */
export interface RowState {
  /** Legacy file: no storage-chunk checks, and seek entries compare pts, offset and length. */
  legacy: boolean;
  /** Keep each track's keyframes (v1 files, for SEEKM). */
  collectKeys: boolean;
  /** Storage chunk header offsets and their count. */
  starts: Float64Array;
  /** Number of storage chunks. */
  chunks: number;
  /** Per storage chunk: bytes of its blocks, and how many (filled as each chunk ends). */
  sums: Float64Array;
  /** Blocks per storage chunk. */
  blocksIn: Uint32Array;
  /** Per track: blocks, keyframes, first keyframe, whether it is listed, first unlisted one. */
  blocks: Float64Array;
  /** Keyframes per track. */
  keys: Float64Array;
  /** First keyframe block per track, -1 before one. */
  firstKey: Float64Array;
  /** 1 when a track's first keyframe is named by a valid entry. */
  firstKeyListed: Uint8Array;
  /** First keyframe no valid entry names, per track; -1 when none. */
  firstUnlisted: Float64Array;
  /** First entry k of each track's table that fails H4-SEK-001; -1 when none. */
  badEntry: Float64Array;
  /** v1: keyframe blocks and pts per track. */
  keyBlocks: number[][];
  /** v1: keyframe pts per track. */
  keyPts: number[][];
  /** The seek entries, and the next one to compare. */
  entries: SeekEntries;
  /** Position in `entries`. */
  next: number;
  /** Blocks from here on that must be decoded (codec not none, or encrypted). */
  decodeFrom: number;
  /** Encrypted: every block from `decodeFrom` is decoded. */
  encrypted: boolean;
  /** Track ids, in the container's track order (for `toDecode`). */
  trackIds: readonly string[];
  /** The blocks to decode, gathered. */
  toDecode: BlockEntry[];
  /** Rows checked so far (the next block's index). */
  indexed: number;
  /** The row before: its offset, stored length and chunk. */
  prevOffset: number;
  /** Stored length of the row before. */
  prevStored: number;
  /** Chunk of the row before. */
  prevChunk: number;
  /** Bytes and blocks of `prevChunk` counted so far (stored into `sums` when it ends). */
  chunkSum: number;
  /** Blocks of `prevChunk` so far. */
  chunkBlocks: number;
}

/**
 * Checks rows `r..r+count-1` of `page` as blocks `state.indexed..`, mapping the page's track
 * numbers through `remap` (null when they are already the container's); throws the first
 * failure with `state.indexed` at the failing block. Call {@linkcode endRows} after the last.
 *
 * @example
 * ```ts
 * import { checkRows, endRows, newRowState } from "./verify_rows.ts";
 * import { allocColumns } from "../format/index_columns.ts";
 * import assert from "node:assert/strict";
 * const page = allocColumns(1);
 * page.count = 1; page.offset[0] = 20; page.stored[0] = 3; page.keyframe[0] = 1;
 * const state = newRowState({
 *   legacy: false, collectKeys: false, starts: new Float64Array([8]), chunks: 1, trackIds: ["v"],
 *   entries: undefined, decodeFrom: 0, encrypted: false,
 * });
 * checkRows(state, page, 0, 1, null);
 * endRows(state);
 * assert(state.indexed === 1 && state.sums[0] === 3 && state.keys[0] === 1);
 * ```
 */
export function checkRows(
  s: RowState,
  page: IndexColumns,
  r: number,
  count: number,
  remap: ArrayLike<number> | null,
): void {
  const { track, pts, kind, keyframe, codec, offset, stored, plain, chunk } = page;
  const { legacy, collectKeys, starts, chunks, sums, blocksIn, blocks, keys, firstKey } = s;
  const { firstKeyListed, firstUnlisted, badEntry, entries, decodeFrom, encrypted } = s;
  const m = entries.count, eBlock = entries.block;
  let prevOffset = s.prevOffset, prevStored = s.prevStored, prevChunk = s.prevChunk;
  let chunkSum = s.chunkSum, chunkBlocks = s.chunkBlocks, next = s.next;
  // The block at or after which the next seek entry lies: compared only there.
  let nextBlock = next < m ? eBlock[next] : -1;
  const i0 = s.indexed;
  for (let row = r, i = i0; row < r + count; row++, i++) {
    const o = offset[row], ch = chunk[row], len = stored[row];
    if (!legacy) {
      const sameChunk = i > 0 && ch === prevChunk;
      const expectOffset = i === 0
        ? FIRST_BLOCK_OFFSET
        : prevOffset + prevStored + (sameChunk ? 0 : CHUNK_HEADER_LENGTH);
      const expectChunk = i === 0 ? 0 : prevChunk + (sameChunk ? 0 : 1);
      if (o !== expectOffset || ch !== expectChunk) {
        s.indexed = i;
        throw new H4Error(
          "H4_BAD_INDEX",
          `block ${i} at ${o} in chunk ${ch}, expected ${expectOffset} in chunk ${expectChunk}`,
          { rule: "H4-IDX-005" },
        );
      }
      if (!sameChunk) {
        if (ch >= chunks || starts[ch] + CHUNK_HEADER_LENGTH !== o) {
          s.indexed = i;
          throw new H4Error(
            "H4_INDEX_MISMATCH",
            `block ${i} should start storage chunk ${ch}, which is at ${
              ch < chunks ? starts[ch] : undefined
            }`,
            { rule: "H4-IDX-004" },
          );
        }
        // The chunk before is complete (chunks follow one another: checked above).
        if (i > 0) sums[prevChunk] = chunkSum, blocksIn[prevChunk] = chunkBlocks;
        chunkSum = 0;
        chunkBlocks = 0;
      }
      chunkSum += len;
      chunkBlocks++;
    }
    prevOffset = o;
    prevStored = len;
    prevChunk = ch;
    const tk = remap === null ? track[row] : remap[track[row]];
    blocks[tk]++;
    const key = keyframe[row] === 1;
    if (key) {
      if (keys[tk]++ === 0) firstKey[tk] = i;
      if (collectKeys) s.keyBlocks[tk].push(i), s.keyPts[tk].push(pts[row]);
    }
    if (nextBlock === i) {
      // Seek entries naming this block (H4-SEK-001), and whether it is listed (H4-SEK-003).
      let listed = false;
      for (; next < m && eBlock[next] === i; next++) {
        const et = entries.track[next];
        const ok = tk === et && key && pts[row] === entries.pts[next] &&
          o === entries.offset[next] && len === entries.stored[next] &&
          (legacy ||
            (kind[row] === entries.kind[next] && codec[row] === entries.codec[next] &&
              plain[row] === entries.plain[next]));
        if (!ok) {
          const k = entries.k[next];
          if (badEntry[et] < 0 || k < badEntry[et]) badEntry[et] = k;
        } else listed = true;
      }
      nextBlock = next < m ? eBlock[next] : -1;
      if (key) {
        if (listed && firstKey[tk] === i) firstKeyListed[tk] = 1;
        if (!listed && firstUnlisted[tk] < 0) firstUnlisted[tk] = i;
      }
    } else if (key && firstUnlisted[tk] < 0) firstUnlisted[tk] = i;
    if (i >= decodeFrom && (encrypted || codec[row] !== 0)) {
      s.toDecode.push(entryOf(page, row, i, s.trackIds[tk]));
    }
  }
  s.indexed = i0 + count;
  s.prevOffset = prevOffset;
  s.prevStored = prevStored;
  s.prevChunk = prevChunk;
  s.chunkSum = chunkSum;
  s.chunkBlocks = chunkBlocks;
  s.next = next;
}

/** Row `row` of `page` as block `i`'s index entry. */
function entryOf(page: IndexColumns, row: number, i: number, trackId: string): BlockEntry {
  return {
    index: i,
    track_id: trackId,
    pts_us: page.pts[row],
    kind: KIND_NAMES[page.kind[row]],
    keyframe: page.keyframe[row] === 1,
    codec: CODEC_NAMES[page.codec[row]],
    offset: page.offset[row],
    stored_length: page.stored[row],
    plain_length: page.plain[row],
    chunk: page.chunk[row],
  };
}

/**
 * Ends the row loop: stores the last storage chunk's sums.
 *
 * @example
 * ```ts
 * import { endRows, newRowState } from "./verify_rows.ts";
 * import assert from "node:assert/strict";
 * const state = newRowState({
 *   legacy: false, collectKeys: false, starts: new Float64Array(0), chunks: 0, trackIds: [],
 *   entries: undefined, decodeFrom: 0, encrypted: false,
 * });
 * endRows(state);
 * assert(state.indexed === 0);
 * ```
 */
export function endRows(s: RowState): void {
  if (!s.legacy && s.indexed > 0) {
    s.sums[s.prevChunk] = s.chunkSum;
    s.blocksIn[s.prevChunk] = s.chunkBlocks;
  }
}

/**
 * A fresh state for the tracks `trackIds` and `chunks` storage chunks at `starts`.
 *
 * @example
 * ```ts
 * import { newRowState } from "./verify_rows.ts";
 * import assert from "node:assert/strict";
 * const state = newRowState({
 *   legacy: true, collectKeys: false, starts: new Float64Array(0), chunks: 0, trackIds: ["a", "b"],
 *   entries: undefined, decodeFrom: 0, encrypted: false,
 * });
 * assert(state.blocks.length === 2 && state.firstKey[1] === -1);
 * ```
 */
export function newRowState(o: {
  legacy: boolean;
  collectKeys: boolean;
  starts: Float64Array;
  chunks: number;
  trackIds: readonly string[];
  entries: SeekEntries | undefined;
  decodeFrom: number;
  encrypted: boolean;
}): RowState {
  const T = o.trackIds.length;
  const keyBlocks: number[][] = [], keyPts: number[][] = [];
  if (o.collectKeys) { for (let t = 0; t < T; t++) keyBlocks.push([]), keyPts.push([]); }
  return {
    legacy: o.legacy,
    collectKeys: o.collectKeys,
    starts: o.starts,
    chunks: o.chunks,
    sums: new Float64Array(o.legacy ? 0 : o.chunks),
    blocksIn: new Uint32Array(o.legacy ? 0 : o.chunks),
    blocks: new Float64Array(T),
    keys: new Float64Array(T),
    firstKey: new Float64Array(T).fill(-1),
    firstKeyListed: new Uint8Array(T),
    firstUnlisted: new Float64Array(T).fill(-1),
    badEntry: new Float64Array(T).fill(-1),
    keyBlocks,
    keyPts,
    entries: o.entries ?? seekEntries(0),
    next: 0,
    decodeFrom: o.decodeFrom,
    encrypted: o.encrypted,
    trackIds: o.trackIds,
    toDecode: [],
    indexed: 0,
    prevOffset: 0,
    prevStored: 0,
    prevChunk: 0,
    chunkSum: 0,
    chunkBlocks: 0,
  };
}

/**
 * Empty entry columns for `n` entries.
 *
 * @example
 * ```ts
 * import { seekEntries } from "./verify_rows.ts";
 * import assert from "node:assert/strict";
 * assert(seekEntries(3).block.length === 3 && seekEntries(3).count === 0);
 * ```
 */
export function seekEntries(n: number): SeekEntries {
  return {
    count: 0,
    block: new Float64Array(n),
    track: new Uint16Array(n),
    k: new Uint32Array(n),
    pts: new Float64Array(n),
    offset: new Float64Array(n),
    stored: new Float64Array(n),
    kind: new Uint8Array(n),
    codec: new Uint8Array(n),
    plain: new Float64Array(n),
  };
}

/**
 * The entries of `tables` that name a block below `n`, sorted by block (ties in table order),
 * as flat columns; an entry naming no block marks its table's first bad entry in `badEntry`.
 *
 * @example
 * ```ts
 * import { sortedEntries } from "./verify_rows.ts";
 * import { allocSeekTable } from "../format/ksek.ts";
 * import assert from "node:assert/strict";
 * const a = allocSeekTable(2), b = allocSeekTable(1);
 * a.count = 2; a.block[0] = 0; a.block[1] = 4;
 * b.count = 1; b.block[0] = 2;
 * const bad = new Float64Array([-1, -1]);
 * const e = sortedEntries([a, b], 3, 5, bad);
 * assert.deepEqual([...e.block], [0, 2, 4]);
 * assert.deepEqual([...e.track], [0, 1, 0]);
 * ```
 */
export function sortedEntries(
  tables: (SeekTable | undefined)[],
  total: number,
  n: number,
  badEntry: Float64Array,
): SeekEntries {
  const block = new Float64Array(total), track = new Uint16Array(total);
  const at = new Uint32Array(total);
  let m = 0;
  tables.forEach((table, tk) => {
    if (!table) return;
    for (let k = 0; k < table.count; k++) {
      const i = table.block[k];
      if (!(Number.isInteger(i) && i >= 0 && i < n)) {
        if (badEntry[tk] < 0 || k < badEntry[tk]) badEntry[tk] = k;
        continue;
      }
      block[m] = i;
      track[m] = tk;
      at[m++] = k;
    }
  });
  const order = byBlock(block, track, m, tables.length);
  const e = seekEntries(m);
  e.count = m;
  for (let j = 0; j < m; j++) {
    const from = order ? order[j] : j, tk = track[from], k = at[from], table = tables[tk]!;
    e.block[j] = block[from];
    e.track[j] = tk;
    e.k[j] = k;
    e.pts[j] = table.pts[k];
    e.offset[j] = table.offset[k];
    e.stored[j] = table.stored[k];
    e.kind[j] = table.kind[k];
    e.codec[j] = table.codec[k];
    e.plain[j] = table.plain[k];
  }
  return e;
}

/**
 * The order of entries `0..m-1` by block, ties in entry order (undefined when that is already
 * their order). A well-formed file's tables each list blocks in order, and their entries come
 * table by table: they are merged, one pass; a comparison sort of thousands of entries cost a
 * fresh process 10 to 40 ms before V8 had optimised it.
 */
function byBlock(
  block: Float64Array,
  track: Uint16Array,
  m: number,
  tracks: number,
): ArrayLike<number> | undefined {
  // Where each track's entries start and end (they are contiguous, in track order).
  const start = new Uint32Array(tracks + 1);
  let ascending = true, sorted = true;
  for (let j = 0; j < m; j++) {
    start[track[j] + 1] = j + 1;
    if (j > 0 && block[j] < block[j - 1]) {
      sorted = false;
      if (track[j] === track[j - 1]) ascending = false;
    }
  }
  if (sorted) return undefined;
  if (!ascending || tracks > 16) {
    return Array.from({ length: m }, (_, j) => j).sort((a, b) => block[a] - block[b] || a - b);
  }
  for (let t = 1; t <= tracks; t++) start[t] = Math.max(start[t], start[t - 1]);
  const head = start.slice(0, tracks), order = new Uint32Array(m);
  for (let j = 0; j < m; j++) {
    let best = -1;
    for (let t = 0; t < tracks; t++) {
      if (head[t] < start[t + 1] && (best < 0 || block[head[t]] < block[head[best]])) best = t;
    }
    order[j] = head[best]++;
  }
  return order;
}
