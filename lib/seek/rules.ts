/**
 * The SPEC.md rules that both `openContainer` and `verify` check, one function each: `open`
 * throws the first failure, `verify` runs every one and reports each failure under its rule id.
 * Each function is named for what it checks and its doc names the rule ids.
 *
 * @module
 */
import type { ChunkHeader } from "../format/chunk.ts";
import { parseChunkHeader } from "../format/chunk.ts";
import { equalBytes } from "../format/bytes.ts";
import {
  CHUNK_HEADER_LENGTH,
  FIRST_BLOCK_OFFSET,
  LIMITS,
  MAGIC,
  VERSION_V1,
  VERSION_V2,
} from "../format/constants.ts";
import { H4Error } from "../format/errors.ts";
import type { IndexColumns } from "../format/index_columns.ts";
import type { SeekTable } from "../format/ksek.ts";
import { sha256Async } from "../hash/sha256.ts";

/**
 * H4-FMT-001 and H4-FMT-002: `h` starts with the magic `H4MK` and a version this reader knows.
 * `where` names the bytes in the message (`header`, `LOCA header copy`).
 *
 * @example
 * ```ts
 * import { checkMagicAndVersion } from "./rules.ts";
 * import assert from "node:assert/strict";
 * assert(checkMagicAndVersion(new Uint8Array([0x48, 0x34, 0x4d, 0x4b, 0, 2, 0, 0]), "header") === 2);
 * assert.throws(() => checkMagicAndVersion(new Uint8Array(8), "header"), { code: "H4_BAD_MAGIC" });
 * ```
 */
export function checkMagicAndVersion(h: Uint8Array, where: string): 1 | 2 {
  for (let i = 0; i < 4; i++) {
    if (h[i] !== MAGIC[i]) {
      const got = [...h.subarray(0, 4)].map((
        b,
      ) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
      throw new H4Error("H4_BAD_MAGIC", `${where}: expected "H4MK", got "${got}"`, {
        offset: 0,
        rule: "H4-FMT-001",
      });
    }
  }
  const version = (h[4] << 8) | h[5];
  if (version !== VERSION_V1 && version !== VERSION_V2) {
    throw new H4Error(
      "H4_UNSUPPORTED_VERSION",
      `${where}: version ${version}, this reader knows 1 and 2`,
      { offset: 4, rule: "H4-FMT-002" },
    );
  }
  return version;
}

/**
 * H4-LOC-002: LOCA's copy of the header equals the file's header.
 *
 * @example
 * ```ts
 * import { checkHeaderCopy } from "./rules.ts";
 * import assert from "node:assert/strict";
 * checkHeaderCopy(new Uint8Array(8), new Uint8Array(8), 100);
 * assert.throws(() => checkHeaderCopy(new Uint8Array(8), new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]), 100));
 * ```
 */
export function checkHeaderCopy(header: Uint8Array, copy: Uint8Array, locaAt: number): void {
  if (!equalBytes(header, copy)) {
    throw new H4Error("H4_BAD_LOCATOR", `LOCA header copy differs from the file header`, {
      offset: locaAt,
      chunk: "LOCA",
      rule: "H4-LOC-002",
    });
  }
}

// H4-FMT-012 is checked where the chunk walkers are (lib/format/chunk.ts); verify's walk uses it
// from here with the other rules.
export { checkChunkHeaderRoom } from "../format/chunk.ts";

/**
 * H4-LOC-002: LOCA slot `slot` (`length` bytes at `offset`) points at a whole chunk of that tag.
 * `head` is the chunk found at `offset`, or undefined when none starts there.
 *
 * @example
 * ```ts
 * import { checkSlotTarget } from "./rules.ts";
 * import assert from "node:assert/strict";
 * checkSlotTarget("META", 14, 8, { tag: "META", length: 2 });
 * assert.throws(() => checkSlotTarget("SAFE", 14, 8, { tag: "META", length: 2 }), {
 *   code: "H4_BAD_LOCATOR",
 * });
 * assert.throws(() => checkSlotTarget("SAFE", 14, 8, undefined), { code: "H4_BAD_LOCATOR" });
 * ```
 */
export function checkSlotTarget(
  slot: string,
  length: number,
  offset: number,
  head: { tag: string; length: number } | undefined,
  cause?: unknown,
): void {
  if (!head) {
    throw new H4Error(
      "H4_BAD_LOCATOR",
      `LOCA slot ${slot} at ${offset} does not point at a chunk`,
      { offset, chunk: "LOCA", rule: "H4-LOC-002", cause },
    );
  }
  if (head.tag !== slot || head.length + CHUNK_HEADER_LENGTH !== length) {
    throw new H4Error(
      "H4_BAD_LOCATOR",
      `LOCA slot ${slot} points at ${head.tag} of ${
        head.length + 12
      } bytes, expected ${slot} of ${length}`,
      { offset, chunk: "LOCA", rule: "H4-LOC-002" },
    );
  }
}

/**
 * H4-LOC-002 on open: parses the chunk header LOCA slot `slot` points at (`bytes` at `offset`,
 * in a file of `size` bytes) and checks it with {@linkcode checkSlotTarget}.
 *
 * @example
 * ```ts
 * import { checkSlotChunk } from "./rules.ts";
 * import { encodeChunk } from "../format/chunk.ts";
 * import assert from "node:assert/strict";
 * const meta = encodeChunk("META", new Uint8Array(2));
 * assert(checkSlotChunk("META", 14, meta, 8, 100).length === 2);
 * assert.throws(() => checkSlotChunk("SAFE", 14, meta, 8, 100), { code: "H4_BAD_LOCATOR" });
 * ```
 */
export function checkSlotChunk(
  slot: string,
  length: number,
  bytes: Uint8Array,
  offset: number,
  size: number,
): ChunkHeader {
  let head: ChunkHeader | undefined;
  let cause: unknown;
  try {
    head = parseChunkHeader(bytes, offset, size);
  } catch (e) {
    cause = e;
  }
  checkSlotTarget(slot, length, offset, head, cause);
  return head!;
}

/**
 * H4-TDR-002: page `p` of `table` (BIDX or BHSH), `bytes` at file offset `at`, matches its TDIR
 * digest `digest`.
 *
 * @example
 * ```ts
 * import { checkPageDigest } from "./rules.ts";
 * import { sha256 } from "../hash/sha256.ts";
 * import assert from "node:assert/strict";
 * const page = new Uint8Array(32);
 * await checkPageDigest("BHSH", 0, page, sha256(page), 100);
 * await assert.rejects(checkPageDigest("BHSH", 0, page, new Uint8Array(32), 100), {
 *   code: "H4_DIGEST_MISMATCH",
 * });
 * ```
 */
export async function checkPageDigest(
  table: "BIDX" | "BHSH",
  p: number,
  bytes: Uint8Array,
  digest: Uint8Array,
  at: number,
): Promise<void> {
  if (!equalBytes(await sha256Async(bytes), digest)) {
    throw new H4Error("H4_DIGEST_MISMATCH", `${table} page ${p} does not match its TDIR digest`, {
      offset: at,
      chunk: table,
      rule: "H4-TDR-002",
    });
  }
}

/**
 * H4-BHS-001: BHSH holds one 32-byte hash per storage chunk. `how` says where the length comes
 * from (the LOCA slot on open, the chunk itself in verify).
 *
 * @example
 * ```ts
 * import { checkBhshLength } from "./rules.ts";
 * import assert from "node:assert/strict";
 * checkBhshLength(64, 2, "BHSH");
 * assert.throws(() => checkBhshLength(63, 2, "BHSH"), { code: "H4_BAD_INDEX" });
 * ```
 */
export function checkBhshLength(length: number, chunkCount: number, how: string): void {
  if (length !== chunkCount * 32) {
    throw new H4Error(
      "H4_BAD_INDEX",
      `${how} has ${length} bytes, ${chunkCount} chunks need ${chunkCount * 32}`,
      { chunk: "BHSH", rule: "H4-BHS-001" },
    );
  }
}

/**
 * H4-SEK-001 (blocks that exist) and H4-IDX-003 (bytes in the storage region `20..storageEnd`)
 * for a decoded seek table of track `trackId`; returns the table.
 *
 * @example
 * ```ts
 * import { checkSeekTableBounds } from "./rules.ts";
 * import { seekTableFromRows } from "../format/ksek.ts";
 * import { allocColumns } from "../format/index_columns.ts";
 * import assert from "node:assert/strict";
 * const cols = allocColumns(1);
 * cols.count = 1; cols.offset[0] = 20; cols.stored[0] = 4; cols.keyframe[0] = 1;
 * const t = seekTableFromRows(cols, [0]);
 * assert(checkSeekTableBounds(t, "v", 1, 24) === t);
 * assert.throws(() => checkSeekTableBounds(t, "v", 1, 23), { code: "H4_INDEX_OUT_OF_FILE" });
 * ```
 */
export function checkSeekTableBounds(
  table: SeekTable,
  trackId: string,
  blockCount: number,
  storageEnd: number,
): SeekTable {
  const id = JSON.stringify(trackId);
  for (let k = 0; k < table.count; k++) {
    if (table.block[k] >= blockCount) {
      throw new H4Error(
        "H4_BAD_SEEK_TABLE",
        `track ${id} seek entry ${k} names block ${table.block[k]}, the file has ${blockCount}`,
        { chunk: "KSEK", rule: "H4-SEK-001" },
      );
    }
    if (table.offset[k] < FIRST_BLOCK_OFFSET || table.offset[k] + table.stored[k] > storageEnd) {
      throw new H4Error(
        "H4_INDEX_OUT_OF_FILE",
        `track ${id} seek entry ${k} points at ${table.offset[k]}+${
          table.stored[k]
        }, outside the storage region 20..${storageEnd}`,
        { chunk: "KSEK", rule: "H4-IDX-003" },
      );
    }
  }
  return table;
}

/**
 * H4-IDX-003 and H4-IDX-004 for one decoded BIDX page whose first block is `first`: every block
 * lies in the storage region `20..storageEnd` and in one of the `chunkCount` storage chunks.
 * `at` is the page's file offset, for the message. `cols` are as decodeBidxPage gives them: each
 * row's offset and chunk follow from the row before (SPEC.md 6.2), so offsets, block ends and
 * chunks never decrease down a page, and the first and last rows decide; the rows are searched
 * for the first failure only when one of those fails (a fresh process paid 1 to 5 ms for a loop
 * over the one-hour reference's 263,041 rows).
 *
 * @example
 * ```ts
 * import { checkPageBlocks } from "./rules.ts";
 * import { allocColumns } from "../format/index_columns.ts";
 * import assert from "node:assert/strict";
 * const cols = allocColumns(1);
 * cols.count = 1; cols.offset[0] = 20; cols.stored[0] = 4;
 * checkPageBlocks(cols, 0, 24, 1, 30);
 * assert.throws(() => checkPageBlocks(cols, 0, 23, 1, 30), { code: "H4_INDEX_OUT_OF_FILE" });
 * ```
 */
export function checkPageBlocks(
  cols: IndexColumns,
  first: number,
  storageEnd: number,
  chunkCount: number,
  at: number,
): void {
  const { offset, stored, chunk } = cols;
  const last = cols.count - 1;
  if (
    last < 0 ||
    (offset[0] >= FIRST_BLOCK_OFFSET && offset[last] + stored[last] <= storageEnd &&
      chunk[last] < chunkCount)
  ) return;
  for (let k = 0; k <= last; k++) {
    if (offset[k] < FIRST_BLOCK_OFFSET || offset[k] + stored[k] > storageEnd) {
      throw new H4Error(
        "H4_INDEX_OUT_OF_FILE",
        `block ${first + k} at ${offset[k]}+${
          stored[k]
        } is outside the storage region 20..${storageEnd}`,
        { offset: at, chunk: "BIDX", rule: "H4-IDX-003" },
      );
    }
    if (chunk[k] >= chunkCount) {
      throw new H4Error(
        "H4_INDEX_MISMATCH",
        `block ${first + k} is in storage chunk ${chunk[k]}, LOCA counts ${chunkCount}`,
        { offset: at, chunk: "BIDX", rule: "H4-IDX-004" },
      );
    }
  }
}

/**
 * H4-IDX-005: page `p` (columns `cur`) starts where page `p - 1` (`prev`, null for the first
 * page) ends: its first block follows the last one, in the same or the next storage chunk.
 * Within a page the decoder derives each offset from the one before, so this is the whole rule.
 *
 * @example
 * ```ts
 * import { checkPageContinuity } from "./rules.ts";
 * import { allocColumns } from "../format/index_columns.ts";
 * import assert from "node:assert/strict";
 * const cols = allocColumns(1);
 * cols.count = 1; cols.offset[0] = 20; cols.newChunk[0] = 1;
 * checkPageContinuity(0, null, cols, 8);
 * cols.offset[0] = 21;
 * assert.throws(() => checkPageContinuity(0, null, cols, 8), { code: "H4_BAD_INDEX" });
 * ```
 */
export function checkPageContinuity(
  p: number,
  prev: IndexColumns | null,
  cur: IndexColumns,
  at: number,
): void {
  let offset = FIRST_BLOCK_OFFSET, chunk = 0;
  if (prev) {
    const l = prev.count - 1;
    offset = prev.offset[l] + prev.stored[l] + (cur.newChunk[0] ? CHUNK_HEADER_LENGTH : 0);
    chunk = prev.chunk[l] + cur.newChunk[0];
  } else if (!cur.newChunk[0]) offset = -1;
  if (cur.offset[0] !== offset || cur.chunk[0] !== chunk) {
    throw new H4Error(
      "H4_BAD_INDEX",
      `BIDX page ${p} starts at offset ${cur.offset[0]} in chunk ${
        cur.chunk[0]
      }; the page before it ends at ${offset} in chunk ${chunk}`,
      { offset: at, chunk: "BIDX", rule: "H4-IDX-005" },
    );
  }
}

/**
 * H4-LIM-001: a storage chunk over 16 MiB holds a single block. `tag` and `at` (its header's
 * offset) name it; `blocks` is how many blocks it holds.
 *
 * @example
 * ```ts
 * import { checkSegmentLimit } from "./rules.ts";
 * import assert from "node:assert/strict";
 * checkSegmentLimit("SEGM", 20, 32 * 1024 * 1024, 1);
 * assert.throws(() => checkSegmentLimit("SEGM", 20, 32 * 1024 * 1024, 2), {
 *   code: "H4_LIMIT_EXCEEDED",
 * });
 * ```
 */
export function checkSegmentLimit(tag: string, at: number, length: number, blocks: number): void {
  if (length > LIMITS.segmentBytes && blocks > 1) {
    throw new H4Error(
      "H4_LIMIT_EXCEEDED",
      `${tag} at ${at} holds ${length} bytes in ${blocks} blocks, over 16 MiB`,
      { offset: at, chunk: tag, rule: "H4-LIM-001" },
    );
  }
}
