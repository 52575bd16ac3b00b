/**
 * Full verification's index checks (SPEC.md section 9): the block index against the storage
 * chunks (H4-IDX-004, H4-IDX-005, H4-LIM-001), the tracks (H4-TRK-002), the seek tables
 * (H4-SEK-001, H4-SEK-003) and, in v1 files, META.seekm_b64 (H4-LEG-004).
 *
 * One pass over the index pages, in order, does it all: no copy of the index is kept (a file
 * of small blocks has hundreds of thousands, and fresh memory costs more than the checks), only
 * per-track tallies, the seek-table findings, v1 keyframes for SEEKM, and the blocks that must
 * be decoded. Findings are reported in the order the checks define, as if each ran alone. The
 * pass may run alongside the walk (`WalkProgress`): a page's blocks are compared with the
 * storage chunks once the walk has passed them.
 *
 * @module
 */
import { CODEC_IDS, KIND_IDS } from "../format/constants.ts";
import { H4Error } from "../format/errors.ts";
import { allocColumns } from "../format/index_columns.ts";
import type { SeekTable } from "../format/ksek.ts";
import type { BlockEntry } from "../format/types.ts";
import type { Container } from "./types.ts";
import { indexColumnsOf } from "./index_rows.ts";
import type { StorageColumns } from "./verify_walk.ts";
import { checkSeekmKeys } from "./verify_seekm.ts";
import { checkSegmentLimit } from "./rules.ts";
import { checkRows, endRows, newRowState, type RowState, sortedEntries } from "./verify_rows.ts";

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

/**
 * The walk as the index pass sees it while both run (verify.ts starts the pass with the walk,
 * so that it runs while the walk waits for its reads): the storage chunks walked so far, and
 * whether the walk has ended.
 */
export interface WalkProgress {
  /** The storage chunks walked so far (the walk's columns, replaced as they grow). */
  storage(): StorageColumns;
  /** Whether the walk has ended: its storage chunks are then all there are. */
  done(): boolean;
  /** Resolves when the walk has gone further or ended. */
  next(): Promise<void>;
}

/** Rows of legacy entries gathered before they are checked as one page. */
const LEGACY_PAGE = 4096;

/**
 * Reads the index of `c` page by page and checks it against the storage chunks of the walk
 * (not for legacy files, whose index is built from their chunks): each block follows the one
 * before (H4-IDX-005), the first of a chunk starts it, each chunk's blocks fill it
 * (H4-IDX-004), and a chunk over 16 MiB holds one block (H4-LIM-001); throws the first failure
 * (`scan.indexed` says how far it got). Tallies tracks, evaluates the seek tables and keeps
 * what the later checks need. `storage` is the walk's storage chunks, or the walk itself while it
 * runs.
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
  storage: StorageColumns | WalkProgress,
  scan: IndexScan,
  decodeFrom: number,
): Promise<void> {
  const walk: WalkProgress = "count" in storage ? ended(storage) : storage;
  const n = c.blockCount;
  const T = c.tracks.length;
  const legacy = c.profile === "legacy";
  scan.indexed = 0;

  // Seek tables: their entries that name a block, sorted by block into flat columns, each
  // compared when its block's row is read.
  const tables: (SeekTable | undefined)[] = [];
  const tableError: unknown[] = [];
  let total = 0;
  c.tracks.forEach((t, tk) => {
    try {
      tables[tk] = c.seekTable(t.track_id);
      total += tables[tk]!.count;
    } catch (e) {
      tableError[tk] = e;
    }
  });
  const state = newRowState({
    legacy,
    collectKeys: c.profile === "v1",
    starts: walk.storage().offset,
    // Room for LOCA's count (bounded by the file's size), grown should the walk find more.
    chunks: legacy
      ? 0
      : Math.max(walk.storage().count, Math.min(c.chunkCount, Math.floor(c.size / 32))),
    trackIds: c.tracks.map((t) => t.track_id),
    entries: undefined,
    decodeFrom,
    encrypted: c.encrypted,
  });
  state.chunks = legacy ? 0 : walk.storage().count;
  state.entries = sortedEntries(tables, total, n, state.badEntry);
  const { badEntry, blocks, keys, firstKey, firstKeyListed, firstUnlisted } = state;
  scan.blocks = blocks;
  scan.keys = keys;
  scan.toDecode = state.toDecode;
  const trackNumber = new Map(c.tracks.map((t, k) => [t.track_id, k]));

  const access = indexColumnsOf(c);
  try {
    if (access) {
      const remap = access.trackIds.map((id) => trackNumber.get(id) ?? 0);
      const identity = remap.every((t, k) => t === k) ? null : remap;
      let i = 0;
      for await (const { first, cols: page } of access.all()) {
        if (i >= n) break;
        const r = i - first, count = Math.min(page.count - r, n - i);
        if (r < 0 || count <= 0) continue;
        // A page's rows are compared with storage chunks the walk has passed.
        if (!legacy) await reach(walk, state, page.chunk[r + count - 1]);
        // The first row alone: V8 compiles checkRows's loop while it first runs (OSR), and code
        // after the loop that had not run yet (the state written back) had no type feedback:
        // the compiled loop was thrown away there, once per page (about 20 times when verifying
        // the one-hour reference). One row first runs all of it.
        const head = i === 0 && count > 1 ? 1 : 0;
        if (head) checkRows(state, page, r, 1, identity);
        checkRows(state, page, r + head, count - head, identity);
        i += count;
      }
      if (i < n) {
        throw new H4Error("H4_BAD_INDEX", `the index pages hold ${i} of ${n} blocks`, {
          rule: "H4-IDX-004",
        });
      }
    } else {
      const page = allocColumns(LEGACY_PAGE);
      let rows = 0;
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
        if (++rows === LEGACY_PAGE) {
          if (!legacy) await reach(walk, state, page.chunk[rows - 1]);
          checkRows(state, page, 0, rows, null);
          rows = 0;
        }
      }
      if (!legacy && rows > 0) await reach(walk, state, page.chunk[rows - 1]);
      checkRows(state, page, 0, rows, null);
    }
  } finally {
    scan.indexed = state.indexed;
  }
  if (!legacy) {
    await reach(walk, state, Infinity);
    endRows(state);
    checkChunkSums(walk.storage(), state.sums, state.blocksIn);
  }

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

  scan.checkSeekm = (meta) => checkSeekmKeys(meta, c.tracks, state.keyBlocks, state.keyPts);
}

/** A walk that has ended with `storage`. */
function ended(storage: StorageColumns): WalkProgress {
  return { storage: () => storage, done: () => true, next: () => Promise.resolve() };
}

/**
 * Waits until the walk has passed storage chunk `chunk` (or ended), and gives `state` the
 * storage chunks walked so far, with room for their sums.
 */
async function reach(walk: WalkProgress, state: RowState, chunk: number): Promise<void> {
  while (!walk.done() && walk.storage().count <= chunk) await walk.next();
  const s = walk.storage();
  state.starts = s.offset;
  state.chunks = s.count;
  if (state.sums.length < s.count) {
    const room = Math.max(s.count, 2 * state.sums.length);
    const sums = new Float64Array(room), blocksIn = new Uint32Array(room);
    sums.set(state.sums);
    blocksIn.set(state.blocksIn);
    state.sums = sums;
    state.blocksIn = blocksIn;
  }
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
