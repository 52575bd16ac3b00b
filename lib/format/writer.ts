/**
 * The streaming writer, SPEC.md sections 4 to 9. Blocks are written as they arrive; memory
 * holds the open segments and the block index (about 40 bytes a block), whatever the input size.
 * The same blocks and options always give the same bytes.
 *
 * The parts: the options and their checks (writer_options.ts), the output to the sink
 * (writer_output.ts), the segments (writer_segments.ts), the hashing (writer_hashing.ts) and the
 * tables at the end (writer_tables.ts). This file adds blocks and puts the parts together.
 *
 * @module
 */
import { concat } from "./bytes.ts";
import { encodeChunkHeader } from "./chunk.ts";
import { codecId, encodePayload } from "./codec.ts";
import {
  CHUNK_HEADER_LENGTH,
  HEADER_LENGTH,
  KIND_IDS,
  LIMITS,
  MAGIC,
  SEGMENT_KEYFRAME_BOUND,
  SEGMENT_TARGET,
  VERSION_V1,
  VERSION_V2,
} from "./constants.ts";
import { crc32 } from "../hash/crc32.ts";
import { H4Error } from "./errors.ts";
import { allocColumns, growColumns, type IndexColumns } from "./index_columns.ts";
import { loadNative } from "../hash/native.ts";
import { trackIdBytes } from "./trks.ts";
import type { BlockInput, ByteSink, CodecName, Profile } from "./types.ts";
import { checkBlock, checkOptions, indexCapacity, type WriterOptions } from "./writer_options.ts";
import { createOutput } from "./writer_output.ts";
import { createWriterHashing, type WriterHashing } from "./writer_hashing.ts";
import { arenaBytesFor, createSegmentBuffer } from "./writer_segments.ts";
import { writeTables } from "./writer_tables.ts";

export type { WriterOptions } from "./writer_options.ts";

/** What `add` returns for a block added without waiting: one promise, resolved. */
const DONE: Promise<void> = Promise.resolve();

/** Largest block copied into an arena for the hashing worker (see addOne). */
const BIG_BLOCK_COPY = 4 << 20;

/** What the writer wrote. */
export interface WriteSummary {
  /** Profile written. */
  profile: Profile;
  /** Number of blocks. */
  blocks: number;
  /** Number of tracks. */
  tracks: number;
  /** Number of storage chunks. */
  chunks: number;
  /** Total bytes written. */
  bytes: number;
  /** Sum of stored block bytes. */
  payloadBytes: number;
  /** Root digest. */
  root: Uint8Array;
  /** VERI digest. */
  veri: Uint8Array;
}

/** A writer in progress. */
export interface ContainerWriter {
  /**
   * Adds the next block. A block that only goes into the open segment (most blocks) is added
   * before `add` returns, which then returns an already resolved promise, the same each time:
   * a caller may call `add` for many blocks without waiting, in order; waiting costs no turn of
   * the event loop.
   */
  add(block: BlockInput): Promise<void>;
  /** Writes the tables and the locator; the writer cannot be used after. */
  finish(): Promise<WriteSummary>;
}

/**
 * Starts a container on `sink`. Call `add` for each block in order, then `finish`.
 *
 * @example
 * ```ts
 * import { createWriter } from "./writer.ts";
 * import assert from "node:assert/strict";
 * const parts: Uint8Array[] = [];
 * const w = createWriter({ write: (b) => { parts.push(b.slice()); } });
 * await w.add({ track_id: "video_main", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array(4) });
 * const summary = await w.finish();
 * assert(summary.blocks === 1);
 * ```
 */
export function createWriter(sink: ByteSink, opts: WriterOptions = {}): ContainerWriter {
  const { profile, codec: defaultCodec } = checkOptions(opts);
  const expected = opts.expectedBytes;
  const version = profile === "v1" ? VERSION_V1 : VERSION_V2;
  const sealer = opts.sealer;
  const segmentTarget = opts.segmentTarget ?? SEGMENT_TARGET;
  // Writing hashes every byte, so the native primitives are worth loading; they load before the
  // first block rather than when this module is imported (no top-level await on import).
  const nativeReady = loadNative();
  const header = new Uint8Array(HEADER_LENGTH);
  header.set(MAGIC);
  new DataView(header.buffer).setUint16(4, version);
  const out = createOutput(sink);
  // Made once the native primitives are loaded (it chooses its threads by them).
  let hashing!: WriterHashing;
  const segs = createSegmentBuffer(segmentTarget, (n) => hashing.reuse(n), arenaBytesFor(expected));
  let cols: IndexColumns = allocColumns(indexCapacity(opts));
  const trackIds: string[] = [];
  const trackByName = new Map<string, number>();
  let payloadBytes = 0;
  let state: "new" | "open" | "done" | "failed" = "new";

  // Closed segments not given to the sink yet: they follow each other in the arena and go in
  // one write (up to an arena, 4 MiB) rather than one each (a 10-minute clip has 1,246
  // segments; a file sink copies writes under 256 KiB into its own buffer), before any other.
  let pending: Uint8Array | undefined;
  /** Offset of the next byte: written, being written, or pending. */
  const pos = () => out.pos + (pending ? pending.length : 0);

  async function flushSegments(): Promise<void> {
    if (pending) {
      const p = pending;
      pending = undefined;
      await out.write(p, false);
    }
  }

  /** Writes bytes; `hashed`: they go into VERI. `hold`: as WriterOutput.write. */
  async function emit(bytes: Uint8Array, hashed: boolean, hold = false): Promise<void> {
    await flushSegments();
    if (hashed) {
      const wait = hashing.veri(bytes);
      if (wait) await wait;
    }
    await out.write(bytes, hold);
  }

  /** A storage chunk whose payload is not in a segment (v1, and v2 blocks larger than one). */
  async function writeStorageChunk(tag: string, payload: Uint8Array): Promise<void> {
    await flushSegments();
    const head = encodeChunkHeader(tag, payload.length, crc32(payload));
    const c = hashing.next(head);
    // One write for small chunks: fewer syscalls; large ones go as they are, without a copy.
    if (payload.length < 64 * 1024) {
      const chunk = concat([head, payload]);
      const wait = hashing.chunk(c, chunk, CHUNK_HEADER_LENGTH);
      if (wait) await wait;
      await out.write(chunk, false);
    } else {
      await emit(head, true);
      const wait = hashing.chunk(c, payload, 0);
      if (wait) await wait;
      await out.write(payload, true);
    }
  }

  async function closeSegment(): Promise<void> {
    const chunk = segs.close((payload) => {
      const head = encodeChunkHeader("SEGM", payload.length, crc32(payload));
      return { head, slot: hashing.next(head) };
    });
    if (
      pending && pending.buffer === chunk.buffer &&
      pending.byteOffset + pending.length === chunk.byteOffset
    ) {
      pending = new Uint8Array(chunk.buffer, pending.byteOffset, pending.length + chunk.length);
      return;
    }
    await flushSegments();
    pending = chunk;
  }

  /** The arena retired last, hashed here while the sink wrote it: not reused until it is done. */
  let writing: ArrayBuffer | undefined;
  /**
   * Hands the full arena to the hashing. One moving to the worker must be done with by the
   * sink first; one hashed here need not (waiting left this thread idle for each arena's write:
   * 18 to 42 ms of an 85 MB import), and is kept from reuse until the next write starts, which
   * waits for the one before (without one just started, wait here).
   */
  async function retireArena(): Promise<void> {
    const flushed = pending !== undefined;
    await flushSegments();
    if (writing && !flushed) await out.settle();
    if (writing) hashing.release(writing);
    if (hashing.offloads) await out.settle();
    const arena = segs.retire();
    const here = !hashing.offloads;
    writing = here ? arena?.buffer : undefined;
    const wait = arena && hashing.retire(arena.buffer, arena.ranges, here);
    if (wait) await wait;
  }

  /**
   * Adds block `b`: synchronously (undefined) when it only goes into the open segment, the
   * case of most blocks; a promise when it writes, or waits for a deflate.
   */
  function addOne(b: BlockInput): Promise<void> | undefined {
    const index = cols.count;
    checkBlock(b, index);
    if (index >= LIMITS.blocks) {
      throw new H4Error("H4_LIMIT_EXCEEDED", `more than ${LIMITS.blocks} blocks`);
    }
    if (state === "new") {
      state = "open";
      return emit(header, false).then(() => encodeAndPlace(b, index));
    }
    return encodeAndPlace(b, index);
  }

  function encodeAndPlace(b: BlockInput, index: number): Promise<void> | undefined {
    const codec = b.codec ?? defaultCodec;
    let track = trackByName.get(b.track_id);
    if (track === undefined) {
      // A track id is checked the first time it is seen (encoding it costs an allocation).
      trackIdBytes(b.track_id);
      if (trackIds.length >= LIMITS.tracks) {
        throw new H4Error("H4_LIMIT_EXCEEDED", `more than ${LIMITS.tracks} tracks`);
      }
      track = trackIds.length;
      trackIds.push(b.track_id);
      trackByName.set(b.track_id, track);
    }
    const t = track;
    // Waited for only when it is a promise (deflate): most blocks go through without a turn.
    const encoded = encodePayload(codec, b.payload);
    if (encoded instanceof Promise) return encoded.then((e) => place(b, index, t, codec, e));
    return place(b, index, t, codec, encoded);
  }

  function place(
    b: BlockInput,
    index: number,
    track: number,
    codec: CodecName,
    encoded: Uint8Array,
  ): Promise<void> | undefined {
    const stored = sealer
      ? sealer.seal({
        index,
        track_id: b.track_id,
        pts_us: b.pts_us,
        kind: b.kind,
        keyframe: b.keyframe,
        codec,
        plain_length: b.payload.length,
      }, encoded)
      : encoded;
    if (stored.length > LIMITS.blockBytes) {
      throw new H4Error(
        "H4_LIMIT_EXCEEDED",
        `block ${index}: ${stored.length} stored bytes exceed 2^30`,
      );
    }
    if (
      version !== VERSION_V1 && segs.open &&
      !(b.keyframe && segs.length >= SEGMENT_KEYFRAME_BOUND) &&
      segs.length + stored.length <= segmentTarget
    ) {
      // Into the open segment: nothing to write or wait for.
      const offset = pos() + CHUNK_HEADER_LENGTH + segs.length;
      segs.append(stored);
      record(b, index, track, codec, stored.length, offset, 0);
      return undefined;
    }
    return placeWriting(b, index, track, codec, stored);
  }

  /** Places a block that closes a segment or has a chunk of its own. */
  async function placeWriting(
    b: BlockInput,
    index: number,
    track: number,
    codec: CodecName,
    stored: Uint8Array,
  ): Promise<void> {
    let offset: number;
    let newChunk = 1;
    if (version === VERSION_V1) {
      offset = pos() + CHUNK_HEADER_LENGTH;
      await writeStorageChunk("CORE", stored);
    } else {
      if (
        segs.open &&
        ((b.keyframe && segs.length >= SEGMENT_KEYFRAME_BOUND) ||
          segs.length + stored.length > segmentTarget)
      ) await closeSegment();
      // A block larger than a segment gets a segment of its own. It is written without a copy
      // and hashed here, unless the hashing worker runs: then a copy (about a tenth of the
      // cost of hashing it) into an arena lets the worker hash it.
      const own = !segs.open && stored.length > segmentTarget;
      if (own && !(hashing.offloads && stored.length <= BIG_BLOCK_COPY)) {
        offset = pos() + CHUNK_HEADER_LENGTH;
        await writeStorageChunk("SEGM", stored);
      } else {
        if (segs.open) newChunk = 0;
        else if (!segs.fits(Math.max(segmentTarget, stored.length))) await retireArena();
        offset = pos() + CHUNK_HEADER_LENGTH + segs.length;
        segs.append(stored);
        if (own) await closeSegment();
      }
    }
    record(b, index, track, codec, stored.length, offset, newChunk);
  }

  /** The index entry of block `index`. */
  function record(
    b: BlockInput,
    index: number,
    track: number,
    codec: CodecName,
    stored: number,
    offset: number,
    newChunk: number,
  ): void {
    cols = growColumns(cols, index + 1);
    cols.track[index] = track;
    cols.pts[index] = b.pts_us;
    cols.kind[index] = KIND_IDS[b.kind];
    cols.keyframe[index] = b.keyframe ? 1 : 0;
    cols.codec[index] = codecId(codec);
    cols.newChunk[index] = newChunk;
    cols.offset[index] = offset;
    cols.stored[index] = stored;
    cols.plain[index] = b.payload.length;
    cols.chunk[index] = hashing.count - (segs.open ? 0 : 1);
    cols.count = index + 1;
    payloadBytes += stored;
  }

  async function finishAll(): Promise<WriteSummary> {
    if (state === "new") {
      state = "open";
      await emit(header, false);
    }
    if (segs.open) await closeSegment();
    await retireArena();
    await hashing.endChunks();
    const t = await writeTables({
      opts,
      profile,
      header,
      defaultCodecId: codecId(defaultCodec),
      cols,
      trackIds,
      chunkCount: hashing.count,
      bhsh: hashing.table(),
      pos,
      emit: (bytes, hashed) => emit(bytes, hashed),
      veri: () => hashing.digest(),
    });
    await out.settle();
    return {
      profile,
      blocks: cols.count,
      tracks: t.tracks,
      chunks: hashing.count,
      bytes: pos(),
      payloadBytes,
      root: t.root,
      veri: t.veri,
    };
  }

  // Calls are serialised so that a caller who does not await `add` still gets blocks in order.
  // When no call is in progress the next one starts at once, without waiting for a turn.
  let chain: Promise<unknown> = Promise.resolve();
  let inProgress = 0;
  const release = () => void inProgress--;
  function serial<T>(f: () => Promise<T>): Promise<T> {
    const run = (): Promise<T> => {
      if (state === "done") throw new H4Error("H4_BAD_ARGUMENT", "writer already finished");
      if (state === "failed") {
        throw new H4Error("H4_BAD_ARGUMENT", "writer failed earlier; start again");
      }
      if (!hashing) {
        return nativeReady.then(() => {
          hashing ??= createWriterHashing(version, header, { expectedBytes: expected });
          return f();
        });
      }
      return f();
    };
    let p: Promise<T>;
    if (inProgress === 0) {
      try {
        p = run();
      } catch (e) {
        p = Promise.reject(e);
      }
    } else p = chain.then(run);
    inProgress++;
    chain = p.then(release, release);
    return p;
  }

  async function fail(e: unknown): Promise<never> {
    state = "failed";
    await hashing.close();
    throw e;
  }

  async function addFailed(e: unknown): Promise<never> {
    // A rejected block leaves nothing half-written behind it only if it failed validation.
    if (!(e instanceof H4Error && e.code === "H4_BAD_ARGUMENT")) await fail(e);
    throw e;
  }

  /** `addOne`, its failures as addFailed has them. */
  function addChecked(block: BlockInput): Promise<void> {
    let r: Promise<void> | undefined;
    try {
      r = addOne(block);
    } catch (e) {
      return addFailed(e);
    }
    return r ? r.then(undefined, addFailed) : DONE;
  }

  return {
    add(block) {
      // Nothing in progress and the writer open: added at once, most blocks without a promise
      // of their own (a 10-minute clip is 43,000 blocks); one that writes is waited for by the
      // next call, as serial() does.
      if (inProgress === 0 && state === "open" && hashing) {
        const p = addChecked(block);
        if (p !== DONE) {
          inProgress++;
          chain = p.then(release, release);
        }
        return p;
      }
      return serial(() => addChecked(block));
    },
    finish: () =>
      serial(async () => {
        try {
          const s = await finishAll();
          state = "done";
          await hashing.close();
          return s;
        } catch (e) {
          return await fail(e);
        }
      }),
  };
}

/**
 * Writes a whole container from an iterable of blocks.
 *
 * @example
 * ```ts
 * import { writeContainer } from "./writer.ts";
 * import assert from "node:assert/strict";
 * const s = await writeContainer({ write: () => {} }, [
 *   { track_id: "a", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array(1) },
 * ]);
 * assert(s.blocks === 1);
 * ```
 */
export async function writeContainer(
  sink: ByteSink,
  blocks: Iterable<BlockInput> | AsyncIterable<BlockInput>,
  opts: WriterOptions = {},
): Promise<WriteSummary> {
  const w = createWriter(sink, opts);
  if (!(Symbol.asyncIterator in blocks) && Symbol.iterator in blocks) {
    // A plain iterable needs no turn of the event loop per block (for await would take one).
    for (const b of blocks as Iterable<BlockInput>) await w.add(b);
  } else {
    for await (const b of blocks) await w.add(b);
  }
  return await w.finish();
}

/**
 * Writes a whole container in memory.
 *
 * @example
 * ```ts
 * import { packContainer } from "./writer.ts";
 * import assert from "node:assert/strict";
 * const bytes = await packContainer([
 *   { track_id: "a", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array(1) },
 * ]);
 * assert(new TextDecoder().decode(bytes.subarray(0, 4)) === "H4MK");
 * ```
 */
export async function packContainer(
  blocks: Iterable<BlockInput> | AsyncIterable<BlockInput>,
  opts: WriterOptions = {},
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  await writeContainer({ write: (b) => void parts.push(b.slice()) }, blocks, opts);
  return concat(parts);
}
