/**
 * Reading a block's bytes: from its storage chunk, checked (CRC, and BHSH when verifying, with
 * the checked chunks kept so that reading on through a segment hashes it once), or from a seek
 * table entry alone, without an index page (SPEC.md sections 4 and 18.5).
 *
 * @module
 */
import { equalBytes } from "../format/bytes.ts";
import { checkChunkCrc, parseChunkHeader } from "../format/chunk.ts";
import { codecName } from "../format/codec.ts";
import { CHUNK_HEADER_LENGTH, KIND_NAMES, VERSION_V1, VERSION_V2 } from "../format/constants.ts";
import { H4Error } from "../format/errors.ts";
import { sha256Async } from "../hash/sha256.ts";
import type { BlockEntry } from "../format/types.ts";
import type { Fields, Internals } from "./internals.ts";
import { boundedCache } from "./page_cache.ts";
import { checkSegmentLimit } from "./rules.ts";

/** Bytes of verified storage chunks a container keeps (SPEC.md 18.5). */
const CHUNK_CACHE_BYTES = 32 * 1024 * 1024;

/** Block reading of one open container. */
export interface BlockReader {
  /**
   * Reads the storage chunk holding block `e` in one read (its extent comes from the index),
   * checks tag, length, size limit, CRC (H4-FMT-011) and, when `hashed`, its BHSH entry
   * (H4-INT-003); returns the block's bytes.
   */
  readChunkChecked(e: BlockEntry, hashed: boolean): Promise<Uint8Array>;
  /** Block `i`'s entry from the seek tables (without `chunk`), if a table lists it. */
  fromSeekTable(i: number): BlockEntry | undefined;
}

/**
 * The block reader of a container whose index entries come from `entry`.
 *
 * @example
 * ```ts
 * import { openContainer } from "./container.ts";
 * import { packContainer } from "../format/writer.ts";
 * import assert from "node:assert/strict";
 * // Used through the container: a verified read goes through readChunkChecked.
 * const c = await openContainer(await packContainer([
 *   { track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array([7]) },
 * ]));
 * assert((await c.readBlock(0, { verify: true }))[0] === 7);
 * ```
 */
export function blockReader(
  x: Internals,
  f: Fields,
  entry: (i: number) => Promise<BlockEntry>,
): BlockReader {
  async function readChunkChecked(e: BlockEntry, hashed: boolean): Promise<Uint8Array> {
    const cached = hashed ? verifiedChunks.get(e.chunk) : undefined;
    if (cached) {
      const at = e.offset - cached.offset;
      return cached.payload.slice(at, at + e.stored_length);
    }
    let firstIndex = e.index, firstOffset = e.offset, lastIndex = e.index;
    let end = e.offset + e.stored_length;
    if (f.version === VERSION_V2) {
      // The chunk's other blocks: scanned in the columns of the block's index page, and through
      // entry() only past the page's edges.
      const { first: pf, cols } = await x.page(x.pageOf(e.index));
      let lo = e.index - pf, hi = lo;
      while (lo > 0 && cols.chunk[lo - 1] === e.chunk) lo--;
      while (hi < cols.count - 1 && cols.chunk[hi + 1] === e.chunk) hi++;
      firstIndex = pf + lo;
      firstOffset = cols.offset[lo];
      lastIndex = pf + hi;
      end = cols.offset[hi] + cols.stored[hi];
      while (lo === 0 && firstIndex > 0) {
        const prev = await entry(firstIndex - 1);
        if (prev.chunk !== e.chunk) break;
        firstIndex = prev.index;
        firstOffset = prev.offset;
      }
      while (hi === cols.count - 1 && lastIndex < x.blockCount - 1) {
        const next = await entry(lastIndex + 1);
        if (next.chunk !== e.chunk) break;
        lastIndex = next.index;
        end = next.offset + next.stored_length;
      }
    }
    const headAt = firstOffset - CHUNK_HEADER_LENGTH;
    // The hash page and the chunk are fetched at the same time.
    const wanted = hashed ? x.hash(e.chunk) : undefined;
    wanted?.catch(() => {});
    const bytes = await x.src.read(headAt, end - headAt);
    const head = parseChunkHeader(bytes.subarray(0, CHUNK_HEADER_LENGTH), headAt, f.size);
    const expectTag = f.version === VERSION_V1 ? "CORE" : "SEGM";
    if (head.tag !== expectTag || head.length !== end - headAt - CHUNK_HEADER_LENGTH) {
      throw new H4Error(
        "H4_INDEX_MISMATCH",
        `block ${e.index} should lie in a ${expectTag} chunk of ${
          end - headAt - 12
        } bytes at ${headAt}, found ${head.tag} of ${head.length}`,
        { offset: headAt, rule: "H4-IDX-004" },
      );
    }
    checkSegmentLimit(head.tag, headAt, head.length, lastIndex - firstIndex + 1);
    const payload = bytes.subarray(CHUNK_HEADER_LENGTH);
    // The hash first: it is what a caller asking to verify relies on; the CRC still follows.
    if (hashed) {
      const want = await wanted;
      if (want && !equalBytes(await sha256Async(payload), want)) {
        throw new H4Error(
          "H4_BLOCK_HASH_MISMATCH",
          `storage chunk ${e.chunk} at ${headAt} (block ${e.index}) differs from its BHSH hash`,
          { offset: headAt, chunk: head.tag, rule: "H4-INT-003" },
        );
      }
    }
    checkChunkCrc(head, payload);
    if (hashed) rememberChunk(e.chunk, firstOffset, payload);
    const at = e.offset - firstOffset;
    // Cached bytes are never handed out: a caller may change what it gets.
    const block = payload.subarray(at, at + e.stored_length);
    return hashed ? block.slice() : block;
  }

  // Storage chunks checked against BHSH, kept so that a player reading on through a segment
  // hashes it once, not once per block (a further verified block costs no read, SPEC.md 18.5).
  const verifiedChunks = boundedCache<number, { offset: number; payload: Uint8Array }>({
    maxWeight: CHUNK_CACHE_BYTES,
    weigh: (v) => v.payload.length,
  });
  const rememberChunk = (chunk: number, offset: number, payload: Uint8Array) =>
    verifiedChunks.set(chunk, { offset, payload });

  // Blocks listed in a seek table can be read from their KSEK entry alone, without an index
  // page: a cold open, a seek and a block are then two reads (SPEC.md section 4).
  // Finding block i in the tables must not cost a pass over them on every open: a binary search
  // per track whose block column increases (the usual case, checked once per track); other
  // tracks get a map, built on first use. Later tracks and later entries win, as in one map.
  const increasing: boolean[] = [];
  const positions: (Map<number, number> | undefined)[] = [];
  const findInTable = (t: number, i: number): number => {
    const table = f.table(t);
    increasing[t] ??= (() => {
      for (let j = 1; j < table.count; j++) if (table.block[j] <= table.block[j - 1]) return false;
      return true;
    })();
    if (increasing[t]) {
      const b = table.block;
      let lo = 0, hi = table.count - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        if (b[mid] < i) lo = mid + 1;
        else if (b[mid] > i) hi = mid - 1;
        else return mid;
      }
      return -1;
    }
    let m = positions[t];
    if (!m) {
      m = new Map();
      for (let k = 0; k < table.count; k++) m.set(table.block[k], k);
      positions[t] = m;
    }
    return m.get(i) ?? -1;
  };
  const fromSeekTable = (i: number): BlockEntry | undefined => {
    if (x.legacy || !Number.isSafeInteger(i)) return undefined;
    let track = x.trackIds.length - 1, k = -1;
    for (; track >= 0; track--) {
      k = findInTable(track, i);
      if (k >= 0) break;
    }
    if (k < 0) return undefined;
    const t = f.table(track);
    return {
      index: i,
      track_id: x.trackIds[track],
      pts_us: t.pts[k],
      kind: KIND_NAMES[t.kind[k]],
      keyframe: true,
      codec: codecName(t.codec[k]),
      offset: t.offset[k],
      stored_length: t.stored[k],
      plain_length: t.plain[k],
      chunk: -1,
    };
  };
  return { readChunkChecked, fromSeekTable };
}
