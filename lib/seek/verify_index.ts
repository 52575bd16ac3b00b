/**
 * Full verification's index checks (SPEC.md section 9): the block index against the storage
 * chunks (H4-IDX-004, H4-IDX-005, H4-LIM-001), the tracks (H4-TRK-002), the seek tables
 * (H4-SEK-001, H4-SEK-003) and, in v1 files, META.seekm_b64 (H4-LEG-004). The index is copied
 * into columns a page at a time (no object per block): every check is a loop over typed arrays.
 *
 * @module
 */
import {
  CHUNK_HEADER_LENGTH,
  CODEC_IDS,
  FIRST_BLOCK_OFFSET,
  KIND_IDS,
  LIMITS,
} from "../format/constants.ts";
import { H4Error } from "../format/errors.ts";
import type { IndexColumns } from "../format/index_columns.ts";
import { decodeSeekm } from "../format/seekm.ts";
import { type Container, INDEX_COLUMNS, type IndexColumnsAccess } from "./types.ts";
import type { StorageColumns } from "./verify_walk.ts";

/** The whole index as columns, and how many rows were read before a failure. */
export interface IndexCopy {
  /** Rows `0..indexed-1` are filled. */
  cols: IndexColumns;
  /** Rows read and checked. */
  indexed: number;
}

/**
 * Copies the index of `c` into `into.cols` and checks it against the storage chunks of the
 * walk (not for legacy files, whose index is built from their chunks): each block follows the
 * one before (H4-IDX-005), the first of a chunk starts it, each chunk's blocks fill it
 * (H4-IDX-004), and a chunk over 16 MiB holds one block (H4-LIM-001). Throws the first failure;
 * `into.indexed` says how far it got.
 *
 * @example
 * ```ts
 * import { copyIndex } from "./verify_index.ts";
 * import { walkForVerify } from "./verify_walk.ts";
 * import { openContainer } from "./container.ts";
 * import { allocColumns } from "../format/index_columns.ts";
 * import { packContainer } from "../format/writer.ts";
 * import assert from "node:assert/strict";
 * const c = await openContainer(await packContainer([
 *   { track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array(3) },
 * ]));
 * const walk = await walkForVerify(c.source, c.version, c.size, { partial: undefined });
 * const copy = { cols: allocColumns(1), indexed: 0 };
 * await copyIndex(c, walk.storage, copy);
 * assert(copy.indexed === 1 && copy.cols.stored[0] === 3);
 * ```
 */
export async function copyIndex(
  c: Container,
  storage: StorageColumns,
  into: IndexCopy,
): Promise<void> {
  const n = c.blockCount;
  const cols = into.cols;
  const legacy = c.profile === "legacy";
  const sums = new Float64Array(storage.count);
  const blocksIn = new Uint32Array(storage.count);
  /** Checks rows `from..to-1` of `cols` against the rows before and the storage chunks. */
  const check = (from: number, to: number) => {
    const { offset: offsets, chunk: chunks, stored } = cols;
    const starts = storage.offset, count = storage.count;
    for (let i = from; i < to; i++) {
      const offset = offsets[i], chunk = chunks[i];
      const p = i - 1;
      const sameChunk = i > 0 && chunk === chunks[p];
      const expectOffset = i === 0
        ? FIRST_BLOCK_OFFSET
        : offsets[p] + stored[p] + (sameChunk ? 0 : CHUNK_HEADER_LENGTH);
      const expectChunk = i === 0 ? 0 : chunks[p] + (sameChunk ? 0 : 1);
      if (offset !== expectOffset || chunk !== expectChunk) {
        into.indexed = i;
        throw new H4Error(
          "H4_BAD_INDEX",
          `block ${i} at ${offset} in chunk ${chunk}, expected ${expectOffset} in chunk ${expectChunk}`,
          { rule: "H4-IDX-005" },
        );
      }
      if (chunk >= count || (!sameChunk && starts[chunk] + CHUNK_HEADER_LENGTH !== offset)) {
        into.indexed = i;
        throw new H4Error(
          "H4_INDEX_MISMATCH",
          `block ${i} should start storage chunk ${chunk}, which is at ${
            chunk < count ? starts[chunk] : undefined
          }`,
          { rule: "H4-IDX-004" },
        );
      }
      sums[chunk] += stored[i];
      blocksIn[chunk]++;
    }
  };
  const access = (c as unknown as Record<symbol, IndexColumnsAccess | undefined>)[INDEX_COLUMNS];
  if (access) {
    const trackNumber = new Map(c.tracks.map((t, k) => [t.track_id, k]));
    const remap = access.trackIds.map((id) => trackNumber.get(id) ?? 0);
    const identity = remap.every((t, k) => t === k);
    let i = 0;
    for await (const { first, cols: page } of access.all()) {
      if (i >= n) break;
      const r = i - first, m = Math.min(page.count - r, n - i);
      if (r < 0 || m <= 0) continue;
      if (identity) cols.track.set(page.track.subarray(r, r + m), i);
      else for (let k = 0; k < m; k++) cols.track[i + k] = remap[page.track[r + k]];
      for (
        const key of [
          "pts",
          "kind",
          "keyframe",
          "codec",
          "newChunk",
          "offset",
          "stored",
          "plain",
          "chunk",
        ] as const
      ) {
        (cols[key] as Uint8Array).set((page[key] as Uint8Array).subarray(r, r + m), i);
      }
      if (!legacy) check(i, i + m);
      i += m;
      into.indexed = i;
    }
    if (i < n) {
      throw new H4Error("H4_BAD_INDEX", `the index pages hold ${i} of ${n} blocks`, {
        rule: "H4-IDX-004",
      });
    }
  } else {
    const trackNumber = new Map(c.tracks.map((t, k) => [t.track_id, k]));
    let i = 0;
    for await (const e of c.entries()) {
      cols.track[i] = trackNumber.get(e.track_id) ?? 0;
      cols.offset[i] = e.offset;
      cols.chunk[i] = e.chunk;
      cols.stored[i] = e.stored_length;
      cols.pts[i] = e.pts_us;
      cols.kind[i] = KIND_IDS[e.kind];
      cols.keyframe[i] = e.keyframe ? 1 : 0;
      cols.codec[i] = CODEC_IDS[e.codec];
      cols.plain[i] = e.plain_length;
      if (!legacy) check(i, i + 1);
      into.indexed = ++i;
    }
  }
  if (legacy) return;
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
    if (length > LIMITS.segmentBytes && blocksIn[k] > 1) {
      throw new H4Error(
        "H4_LIMIT_EXCEEDED",
        `${storage.tag[k] === 1 ? "CORE" : "SEGM"} ${k} holds ${length} bytes in ${
          blocksIn[k]
        } blocks, over 16 MiB`,
        { rule: "H4-LIM-001" },
      );
    }
  }
}

/** Per track: blocks, keyframes, and the first keyframe's block (-1: none). */
export interface TrackTally {
  /** Blocks per track. */
  blocks: Float64Array;
  /** Keyframes per track. */
  keys: Float64Array;
  /** First keyframe per track, -1 for none. */
  firstKey: Float64Array;
}

/**
 * Counts blocks and keyframes per track in the first `n` rows of `cols` (`tracks` tracks).
 *
 * @example
 * ```ts
 * import { tallyTracks } from "./verify_index.ts";
 * import { allocColumns } from "../format/index_columns.ts";
 * import assert from "node:assert/strict";
 * const cols = allocColumns(2);
 * cols.keyframe[1] = 1;
 * const t = tallyTracks(cols, 2, 1);
 * assert(t.blocks[0] === 2 && t.keys[0] === 1 && t.firstKey[0] === 1);
 * ```
 */
export function tallyTracks(cols: IndexColumns, n: number, tracks: number): TrackTally {
  const blocks = new Float64Array(tracks);
  const keys = new Float64Array(tracks);
  const firstKey = new Float64Array(tracks).fill(-1);
  for (let i = 0; i < n; i++) {
    const t = cols.track[i];
    blocks[t]++;
    if (cols.keyframe[i] && keys[t]++ === 0) firstKey[t] = i;
  }
  return { blocks, keys, firstKey };
}

/**
 * H4-TRK-002: each track's TRKS counts match the index.
 *
 * @example
 * ```ts
 * import { checkTrackCounts } from "./verify_index.ts";
 * import assert from "node:assert/strict";
 * const tally = { blocks: new Float64Array([1]), keys: new Float64Array([1]), firstKey: new Float64Array([0]) };
 * checkTrackCounts([{ track_id: "v", blocks: 1, keyframes: 1 }], tally);
 * assert.throws(() => checkTrackCounts([{ track_id: "v", blocks: 2, keyframes: 1 }], tally));
 * ```
 */
export function checkTrackCounts(
  tracks: readonly { track_id: string; blocks: number; keyframes: number }[],
  tally: TrackTally,
): void {
  tracks.forEach((t, k) => {
    const blocks = tally.blocks[k], keys = tally.keys[k];
    if (blocks !== t.blocks || keys !== t.keyframes) {
      throw new H4Error(
        "H4_INDEX_MISMATCH",
        `track ${
          JSON.stringify(t.track_id)
        }: TRKS says ${t.blocks} blocks/${t.keyframes} keyframes, the index has ${blocks}/${keys}`,
        { rule: "H4-TRK-002" },
      );
    }
  });
}

/**
 * H4-SEK-001 and H4-SEK-003: every seek table entry names a keyframe of its track with the
 * index's fields, the first keyframe of each track is listed, and a track with non-keyframes
 * lists every keyframe (an all-keyframe track may thin its table).
 *
 * @example
 * ```ts
 * import { checkSeekTables, tallyTracks } from "./verify_index.ts";
 * import { openContainer } from "./container.ts";
 * import { allocColumns } from "../format/index_columns.ts";
 * import { packContainer } from "../format/writer.ts";
 * const c = await openContainer(await packContainer([
 *   { track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array(3) },
 * ]));
 * const cols = allocColumns(1);
 * cols.keyframe[0] = 1; cols.offset[0] = 20; cols.stored[0] = 3; cols.plain[0] = 3;
 * checkSeekTables(c, cols, tallyTracks(cols, 1, 1));
 * ```
 */
export function checkSeekTables(c: Container, cols: IndexColumns, tally: TrackTally): void {
  const n = c.blockCount;
  const legacy = c.profile === "legacy";
  const listed = new Uint8Array(n);
  c.tracks.forEach((t, tk) => {
    const table = c.seekTable(t.track_id);
    for (let k = 0; k < table.count; k++) {
      const i = table.block[k];
      const ok = Number.isInteger(i) && i >= 0 && i < n && cols.track[i] === tk &&
        cols.keyframe[i] === 1 && cols.pts[i] === table.pts[k] &&
        cols.offset[i] === table.offset[k] && cols.stored[i] === table.stored[k] &&
        (legacy ||
          (cols.kind[i] === table.kind[k] && cols.codec[i] === table.codec[k] &&
            cols.plain[i] === table.plain[k]));
      if (!ok) {
        throw new H4Error(
          "H4_BAD_SEEK_TABLE",
          `track ${JSON.stringify(t.track_id)} entry ${k} (block ${
            table.block[k]
          }) does not match a keyframe of the track`,
          { rule: "H4-SEK-001" },
        );
      }
      listed[i] = 1;
    }
    const first = tally.firstKey[tk];
    if (first >= 0 && !listed[first]) {
      throw new H4Error(
        "H4_BAD_SEEK_TABLE",
        `track ${JSON.stringify(t.track_id)}: its first keyframe (block ${first}) is not listed`,
        { rule: "H4-SEK-003" },
      );
    }
  });
  for (let i = 0; i < n; i++) {
    const tk = cols.track[i];
    if (cols.keyframe[i] && !listed[i] && tally.keys[tk] !== tally.blocks[tk]) {
      throw new H4Error(
        "H4_BAD_SEEK_TABLE",
        `track ${JSON.stringify(c.tracks[tk].track_id)}: keyframe block ${i} is not listed`,
        { rule: "H4-SEK-003" },
      );
    }
  }
}

/**
 * H4-LEG-004: a v1 file's META.seekm_b64 lists exactly the index's keyframes, per track in
 * (pts, block) order.
 *
 * @example
 * ```ts
 * import { checkSeekm } from "./verify_index.ts";
 * import { allocColumns } from "../format/index_columns.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => checkSeekm({}, [], allocColumns(0), 0), { code: "H4_BAD_SEEK_TABLE" });
 * ```
 */
export function checkSeekm(
  meta: Record<string, unknown>,
  tracks: readonly { track_id: string }[],
  cols: IndexColumns,
  n: number,
): void {
  if (typeof meta.seekm_b64 !== "string") {
    throw new H4Error("H4_BAD_SEEK_TABLE", "v1 META has no seekm_b64", { rule: "H4-LEG-004" });
  }
  let raw: Uint8Array;
  try {
    raw = Uint8Array.fromBase64(meta.seekm_b64);
  } catch {
    throw new H4Error("H4_BAD_SEEK_TABLE", "META.seekm_b64 is not valid base64", {
      rule: "H4-LEG-004",
    });
  }
  const got = decodeSeekm(raw);
  let same = got.length === tracks.length;
  // Each track's keyframes in (pts, block) order: block order when pts do not decrease along
  // the index (the usual case), sorted otherwise.
  const keys = tracks.map(() => [] as number[]);
  const ordered = tracks.map(() => true);
  for (let i = 0; i < n; i++) {
    if (!cols.keyframe[i]) continue;
    const list = keys[cols.track[i]];
    if (list.length > 0 && cols.pts[list[list.length - 1]] > cols.pts[i]) {
      ordered[cols.track[i]] = false;
    }
    list.push(i);
  }
  for (let k = 0; same && k < tracks.length; k++) {
    const want = ordered[k] ? keys[k] : keys[k].sort((a, b) => cols.pts[a] - cols.pts[b] || a - b);
    const g = got[k];
    same = g.track_id === tracks[k].track_id && g.entries.length === want.length;
    for (let j = 0; same && j < want.length; j++) {
      const e = g.entries[j];
      same = e[0] === cols.pts[want[j]] && e[1] === want[j];
    }
  }
  if (!same) {
    throw new H4Error(
      "H4_BAD_SEEK_TABLE",
      "META.seekm_b64 differs from the index's keyframes",
      { rule: "H4-LEG-004" },
    );
  }
}
