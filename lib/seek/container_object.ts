/**
 * The container object: what `openContainer` returns, over the block access and fields an open
 * path (open_v2.ts, legacy.ts) found. Seeking, index entries, block reads, hashes, the chunk
 * list, and full verification (loaded when asked for, from verify.ts).
 *
 * @module
 */
import { contextOf } from "../format/block_context.ts";
import { checkChunkCrc } from "../format/chunk.ts";
import { walkSource } from "../format/chunk_walk.ts";
import { codecName, decodePayload } from "../format/codec.ts";
import { KIND_NAMES, VERSION_V1 } from "../format/constants.ts";
import { H4Error } from "../format/errors.ts";
import type { BlockContext, BlockEntry } from "../format/types.ts";
import { blockReader } from "./block_read.ts";
import type { Fields, Internals } from "./internals.ts";
import { seekEntry } from "./seek_table.ts";
import { type Container, INDEX_COLUMNS, type IndexColumnsAccess } from "./types.ts";

/** Track ids shown in an error: at most 8, so a message stays one short line. */
const LISTED_TRACKS = 8;

function trackList(ids: readonly string[]): string {
  if (ids.length === 0) return "none";
  const shown = ids.slice(0, LISTED_TRACKS).map((s) => JSON.stringify(s)).join(", ");
  return ids.length > LISTED_TRACKS ? `${shown} and ${ids.length - LISTED_TRACKS} more` : shown;
}

/**
 * The container over `x` (block access) and `f` (fields), for the open paths.
 *
 * @example
 * ```ts
 * import { openContainer } from "./container.ts";
 * import { packContainer } from "../format/writer.ts";
 * import assert from "node:assert/strict";
 * // Built by openContainer through this function:
 * const c = await openContainer(await packContainer([]));
 * assert(c.blockCount === 0 && (await c.verify()).ok);
 * ```
 */
export function makeContainer(x: Internals, f: Fields): Container {
  const trackIndex = new Map(x.trackIds.map((id, i) => [id, i]));

  function trackNumber(trackId: string): number {
    const t = trackIndex.get(trackId);
    if (t === undefined) {
      throw new H4Error(
        "H4_UNKNOWN_TRACK",
        `no track ${JSON.stringify(trackId.slice(0, 64))}; tracks are ${trackList(x.trackIds)}`,
        {
          rule: "H4-SEEK-001",
        },
      );
    }
    return t;
  }

  async function entry(i: number): Promise<BlockEntry> {
    if (!Number.isSafeInteger(i) || i < 0 || i >= x.blockCount) {
      throw new H4Error(
        "H4_BLOCK_OUT_OF_RANGE",
        `block index ${i} is not in 0..${x.blockCount - 1}`,
      );
    }
    const { first, cols } = await x.page(x.pageOf(i));
    const r = i - first;
    const codec = cols.codec[r];
    return {
      index: i,
      track_id: x.trackIds[cols.track[r]],
      pts_us: cols.pts[r],
      kind: KIND_NAMES[cols.kind[r]],
      keyframe: cols.keyframe[r] === 1,
      codec: codecName(codec),
      offset: cols.offset[r],
      stored_length: cols.stored[r],
      plain_length: x.plainLength ? await x.plainLength(i, cols, r) : cols.plain[r],
      chunk: cols.chunk[r],
    };
  }

  /**
   * Reads the storage chunk holding block `e` in one read (its extent comes from the index),
   * checks tag, length, size limit, CRC (H4-FMT-011) and, when `hashed`, its BHSH entry
   * (H4-INT-003); returns the block's bytes.
   */
  const verifying = (asked: boolean | undefined) => x.mustVerify || (asked ?? x.verifyBlocks);
  const { readChunkChecked, fromSeekTable } = blockReader(x, f, entry);

  const c: Container = {
    version: f.version,
    profile: f.profile,
    size: f.size,
    tracks: f.tracks,
    blockCount: x.blockCount,
    chunkCount: x.chunkCount,
    meta: f.meta,
    safe: f.safe,
    encrypted: x.encrypted,
    livc: f.livc,
    root: f.root,
    locator: f.locator,
    directory: f.directory,
    source: x.src,
    signers: f.signers,
    trusted: f.trusted,
    signatures: f.signatures,
    seekTable: (trackId) => f.table(trackNumber(trackId)),
    seek(trackId, ptsUs) {
      if (!Number.isSafeInteger(ptsUs)) {
        throw new H4Error("H4_BAD_ARGUMENT", `pts_us must be a safe integer, got ${ptsUs}`);
      }
      const t = trackNumber(trackId);
      const table = f.table(t);
      const { entry: k, found } = seekEntry(table, ptsUs);
      if (k < 0) {
        throw new H4Error(
          "H4_UNKNOWN_TRACK",
          `track ${JSON.stringify(trackId)} has no keyframe to seek to`,
          {
            rule: "H4-SEEK-002",
          },
        );
      }
      return {
        track_id: trackId,
        pts_us: ptsUs,
        keyframe_pts_us: table.pts[k],
        core_index: table.block[k],
        found,
        offset: table.offset[k],
        stored_length: table.stored[k],
      };
    },
    entry,
    async *entries() {
      for (let i = 0; i < x.blockCount; i++) yield await entry(i);
    },
    async readStored(i, opts = {}) {
      if (verifying(opts.verify) && !x.legacy) {
        return await readChunkChecked(await entry(i), true);
      }
      const e = fromSeekTable(i) ?? await entry(i);
      return await x.src.read(e.offset, e.stored_length);
    },
    async readBlock(i, opts = {}) {
      const verify = verifying(opts.verify) && !x.legacy;
      const light = verify ? undefined : fromSeekTable(i);
      const e = light ?? await entry(i);
      // v1 and legacy blocks are whole CORE chunks: their CRC is checked on every read.
      const stored = verify || f.version === VERSION_V1
        ? await readChunkChecked(e, verify)
        : await x.src.read(e.offset, e.stored_length);
      // A player reads on from a keyframe: fetch its index page next, after the block, so both
      // requests can share one connection.
      if (light && !x.legacy && x.prefetch) x.page(x.pageOf(i)).catch(() => {});
      if (opts.raw) return stored;
      let data = stored;
      if (x.encrypted) {
        if (x.legacy) {
          throw new H4Error(
            "H4_ENCRYPTED",
            `block ${i} was encrypted by the original LivingCipher v3, which no key can decrypt`,
            {
              rule: "H4-LEG-005",
            },
          );
        }
        if (!opts.opener) {
          throw new H4Error("H4_ENCRYPTED", `block ${i} is encrypted: a key is needed`);
        }
        const ctx: BlockContext = contextOf(e);
        data = opts.opener.open(ctx, stored);
      }
      return await decodePayload(e.codec, data, e.plain_length);
    },
    storageHash(ch) {
      if (!Number.isSafeInteger(ch) || ch < 0 || ch >= x.chunkCount) {
        return Promise.reject(
          new H4Error(
            "H4_BLOCK_OUT_OF_RANGE",
            `storage chunk ${ch} is not in 0..${x.chunkCount - 1}`,
          ),
        );
      }
      return x.hash(ch);
    },
    // Loaded when asked for: a quick reader never needs it.
    verify: async (opts = {}) => (await import("./verify.ts")).verifyContainer(c, opts),
    async close() {
      await x.src.close?.();
    },
    async *chunks() {
      // walkSource checks the framing (H4-FMT-010, -012, -014) and throws at the first break.
      for await (const ch of walkSource(x.src)) {
        let crcOk = true;
        try {
          checkChunkCrc(ch, ch.payload);
        } catch (e) {
          if (!(e instanceof H4Error && e.code === "H4_CRC_MISMATCH")) throw e;
          crcOk = false;
        }
        yield { offset: ch.offset, tag: ch.tag, length: ch.length, crcOk };
      }
    },
  };
  // Full verification walks the whole index: it reads the columns, without an object per block.
  if (!x.plainLength) {
    const access: IndexColumnsAccess = {
      trackIds: x.trackIds,
      page: (i) => x.page(x.pageOf(i)),
      all: x.allPages ?? (async function* () {
        for (let i = 0; i < x.blockCount;) {
          const got = await x.page(x.pageOf(i));
          yield got;
          i = got.first + got.cols.count;
        }
      }),
    };
    Object.defineProperty(c, INDEX_COLUMNS, { value: access });
  }
  return c;
}
