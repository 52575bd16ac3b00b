/**
 * The streaming writer, SPEC.md sections 4 to 9. Blocks are written as they arrive; memory
 * holds one open segment and the block index (about 40 bytes a block), whatever the input size.
 * The same blocks and options always give the same bytes.
 *
 * @module
 */
import { encodeBidxPage } from "./bidx.ts";
import { compareCodePoints, concat } from "./bytes.ts";
import { encodeChunk, encodeChunkHeader } from "./chunk.ts";
import { codecId, encodePayload } from "./codec.ts";
import {
  CHUNK_HEADER_LENGTH,
  CODEC_NAMES,
  DEFAULT_BLOCKS_PER_PAGE,
  DEFAULT_HASHES_PER_PAGE,
  DEFAULT_SEEK_INTERVAL_US,
  HEADER_LENGTH,
  KIND_IDS,
  KIND_NAMES,
  LEGACY_COMPRESSION,
  LIMITS,
  LOCA_FLAG_ENCRYPTED,
  LOCA_SLOTS,
  type LocaSlot,
  MAGIC,
  META_DOMAIN,
  SEGMENT_KEYFRAME_BOUND,
  SEGMENT_TARGET,
  VERSION_V1,
  VERSION_V2,
} from "./constants.ts";
import { crc32 } from "../hash/crc32.ts";
import { H4Error } from "./errors.ts";
import { allocColumns, growColumns, type IndexColumns } from "./index_columns.ts";
import { encodeKsek, type SeekTable, seekTableFromRows } from "./ksek.ts";
import { encodeLoca, type Locator, type SlotRef } from "./loca.ts";
import { encodeJsonDoc, type JsonObject } from "./meta.ts";
import { computeRoot } from "./root.ts";
import { encodeSeekm } from "./seekm.ts";
import { makeSignPayload, SIGN_TAG } from "./signature.ts";
import type { SigningKey } from "./sign_keys.ts";
import { loadNative } from "../hash/native.ts";
import { type BackgroundSha256, createBackgroundSha256 } from "../hash/background_sha256.ts";
import { sha256, sha256Async } from "../hash/sha256.ts";
import { createVeriHash, type VeriHash } from "./veri.ts";
import { encodeTdir } from "./tdir.ts";
import { encodeTrak } from "./trak.ts";
import { encodeTrks, trackIdBytes } from "./trks.ts";
import type { BlockInput, BlockSealer, ByteSink, CodecName, Profile } from "./types.ts";

/** Options of the writer. */
export interface WriterOptions {
  /** Block-store profile; `v2` (compact) by default, `v1` for the original reader. */
  profile?: Profile;
  /** Default codec of every track; `none` by default (media payloads are already compressed). */
  codec?: CodecName;
  /** Caller's META keys. */
  meta?: JsonObject;
  /** SAFE document; absent when null or undefined. */
  safe?: JsonObject | null;
  /** Encrypts every block (LivingCipher). */
  sealer?: BlockSealer;
  /** v1: also embed `trak_b64` in META for the original reader. */
  legacyTrak?: boolean;
  /** Seek-table thinning interval for all-keyframe tracks, SPEC.md 6.5; 0 lists every keyframe. */
  seekIntervalUs?: number;
  /** BIDX blocks per page (tests use small pages). */
  blocksPerPage?: number;
  /** BHSH hashes per page (tests use small pages). */
  hashesPerPage?: number;
  /** v2: close a segment before it would exceed this many bytes. */
  segmentTarget?: number;
  /** Sign the container with these keys: one SIGN chunk each, between VERI and LOCA (SPEC.md 18). */
  signingKeys?: readonly SigningKey[];
}

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
  /** Adds the next block. */
  add(block: BlockInput): Promise<void>;
  /** Writes the tables and the locator; the writer cannot be used after. */
  finish(): Promise<WriteSummary>;
}

/**
 * Storage chunks from 16 KiB to 16 MiB are hashed off the writer's thread (Web Crypto): below,
 * a thread hop costs more than the hash; above, the copy it takes would be too large.
 */
const ASYNC_HASH_MIN = 16 * 1024;
const ASYNC_HASH_MAX = 16 * 1024 * 1024;
/** Chunk hashes computed off the thread at once; each holds a copy of its chunk. */
const HASHES_IN_FLIGHT = 16;

function checkOptions(opts: WriterOptions): Required<Pick<WriterOptions, "profile" | "codec">> {
  const profile = opts.profile ?? "v2";
  if (profile !== "v1" && profile !== "v2") {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `profile must be v1 or v2, got ${JSON.stringify(profile)}`,
    );
  }
  const codec = opts.codec ?? "none";
  codecId(codec);
  for (const [k, v] of [["meta", opts.meta], ["safe", opts.safe]] as const) {
    if (v != null && (typeof v !== "object" || Array.isArray(v))) {
      throw new H4Error(
        "H4_BAD_ARGUMENT",
        `${k} must be a JSON object, got ${Array.isArray(v) ? "an array" : typeof v}`,
      );
    }
    // Encode once up front: a document the reader would refuse fails here, not at finish().
    if (v != null) encodeJsonDoc(v);
  }
  for (const k of ["seekIntervalUs", "blocksPerPage", "hashesPerPage", "segmentTarget"] as const) {
    const v = opts[k];
    if (v !== undefined && (!Number.isSafeInteger(v) || v < (k === "seekIntervalUs" ? 0 : 1))) {
      throw new H4Error("H4_BAD_ARGUMENT", `${k} must be a positive integer, got ${v}`);
    }
  }
  const signers = opts.signingKeys ?? [];
  for (let i = 0; i < signers.length; i++) {
    for (let j = 0; j < i; j++) {
      if (signers[i].keyId === signers[j].keyId) {
        throw new H4Error(
          "H4_BAD_ARGUMENT",
          `signing key ${signers[i].keyId} is given twice; a key signs once (H4-SIG-002)`,
        );
      }
    }
  }
  if ((opts.segmentTarget ?? 0) > LIMITS.segmentBytes) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `segmentTarget must be at most 16 MiB (H4-FMT-023), got ${opts.segmentTarget}`,
    );
  }
  for (const k of ["blocksPerPage", "hashesPerPage"] as const) {
    if ((opts[k] ?? 1) > LIMITS.perPage) {
      throw new H4Error("H4_BAD_ARGUMENT", `${k} must be at most 65536`);
    }
  }
  return { profile, codec };
}

function checkBlock(b: BlockInput, index: number): void {
  const bad = (m: string): never => {
    throw new H4Error("H4_BAD_ARGUMENT", `block ${index}: ${m}`);
  };
  if (b === null || typeof b !== "object") {
    bad(`expected an object, got ${b === null ? "null" : typeof b}`);
  }
  if (!Number.isSafeInteger(b.pts_us) || Math.abs(b.pts_us) > LIMITS.ptsAbs) {
    bad(`pts_us must be an integer within ±(2^50 - 1) (H4-LIM-001), got ${b.pts_us}`);
  }
  if (typeof b.kind !== "string" || !Object.hasOwn(KIND_IDS, b.kind)) {
    bad(`kind must be I, P or B, got ${JSON.stringify(b.kind)}`);
  }
  if (typeof b.keyframe !== "boolean") bad(`keyframe must be a boolean, got ${typeof b.keyframe}`);
  if (!(b.payload instanceof Uint8Array)) bad(`payload must be a Uint8Array`);
  if (b.payload.length > LIMITS.blockBytes) {
    bad(`payload of ${b.payload.length} bytes exceeds 2^30`);
  }
  if (b.codec !== undefined) codecId(b.codec);
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
  const version = profile === "v1" ? VERSION_V1 : VERSION_V2;
  const defaultCodecId = codecId(defaultCodec);
  const sealer = opts.sealer;
  const segmentTarget = opts.segmentTarget ?? SEGMENT_TARGET;
  // v1: VERI, the SHA-256 of the whole stream, may be hashed on a worker thread (large files)
  // while this thread does the rest. v2 hashes each stored byte once (SPEC.md H4-INT-005): the
  // worker only takes storage chunk hashes, and VERI is computed at the end from the chunk
  // headers, their hashes and the tables.
  // Writing hashes every byte, so the native primitives are worth loading; they load before the
  // first block rather than when this module is imported (no top-level await on import).
  const nativeReady = loadNative();
  let started = false;
  let veri!: BackgroundSha256;
  // v2: the storage chunks' headers, 12 bytes each, for VERI; then VERI over the tables.
  let heads = version === VERSION_V1 ? new Uint8Array(0) : new Uint8Array(12 * 64);
  let tail: VeriHash | undefined;
  let pos = 0;
  let cols: IndexColumns = allocColumns(1024);
  const trackIds: string[] = [];
  const trackByName = new Map<string, number>();
  let hashes = new Uint8Array(32 * 64);
  let chunkCount = 0;
  let payloadBytes = 0;
  // v2: the open segment, copied into one buffer so the caller may reuse its payloads. It is
  // built behind 12 bytes of room for its chunk header and goes to the sink as one write,
  // without a copy; two buffers take turns, as the sink may hold the last one (below).
  let seg: Uint8Array = new Uint8Array(CHUNK_HEADER_LENGTH + Math.min(segmentTarget, 1 << 20));
  let spare: Uint8Array | undefined;
  let segLen = 0;
  let segOpen = false;
  let state: "new" | "open" | "done" | "failed" = "new";
  let chain: Promise<unknown> = Promise.resolve();
  // The last sink write, when it has not resolved yet: the writer goes on with the next blocks
  // meanwhile, and waits for it before the next write or before reusing its bytes.
  let pending: Promise<void> | undefined;
  // Storage chunk hashes being computed off this thread, oldest first.
  const hashing: Promise<void>[] = [];
  // Storage chunk hashes asked of the VERI worker: how many are out, and the first failure.
  let background = 0;
  let backgroundError: unknown;
  let backgroundDone: (() => void) | undefined;

  const header = new Uint8Array(HEADER_LENGTH);
  header.set(MAGIC);
  new DataView(header.buffer).setUint16(4, version);

  /**
   * Hashes `bytes` into VERI and writes them. `hold`: the bytes are the caller's, so return only
   * once the sink is done with them; otherwise the write may still be in progress on return.
   */
  async function emit(bytes: Uint8Array, hashed: boolean, hold: boolean): Promise<void> {
    pos += bytes.length;
    if (hashed) {
      if (tail) tail.bytes(bytes);
      else {
        const wait = veri.update(bytes);
        if (wait) await wait;
      }
    }
    await write(bytes, hold);
  }

  /**
   * Emits a storage chunk (or its payload) and puts the SHA-256 of `bytes[from..]`, the chunk's
   * payload, in BHSH slot `c`: on the VERI worker while it keeps up, else on this thread, so the
   * two threads share the hashing.
   */
  async function emitChunk(bytes: Uint8Array, from: number, c: number, hold: boolean) {
    const size = bytes.length - from;
    const bg = size >= ASYNC_HASH_MIN && size <= ASYNC_HASH_MAX
      ? veri.updateChunk(bytes, from)
      : undefined;
    if (!bg) {
      const wait = hashChunk(c, bytes.subarray(from));
      await emit(bytes, true, hold);
      if (wait) await wait;
      return;
    }
    background++;
    bg.digest.then((h) => void hashes.set(h, c * 32), (e) => void (backgroundError ??= e))
      .finally(() => {
        if (--background === 0) backgroundDone?.();
      });
    pos += bytes.length;
    if (bg.wait) await bg.wait;
    await write(bytes, hold);
  }

  /** Writes bytes to the sink, one write at a time (see `pending`). */
  async function write(bytes: Uint8Array, hold: boolean): Promise<void> {
    await settle();
    const w = sink.write(bytes);
    if (w && typeof (w as Promise<void>).then === "function") {
      const p = Promise.resolve(w);
      if (hold) await p;
      else {
        p.catch(() => {}); // awaited by the next write or by finish, which see its error
        pending = p;
      }
    }
  }

  /** Waits for the last sink write. */
  async function settle(): Promise<void> {
    if (pending) {
      const p = pending;
      pending = undefined;
      await p;
    }
  }

  /** Takes the next storage chunk number (its BHSH slot), whose header is `head`. */
  function nextChunk(head: Uint8Array): number {
    const c = chunkCount++;
    if (chunkCount * 32 > hashes.length) {
      const next = new Uint8Array(hashes.length * 2);
      next.set(hashes);
      hashes = next;
    }
    if (version !== VERSION_V1) {
      if (chunkCount * 12 > heads.length) {
        const next = new Uint8Array(heads.length * 2);
        next.set(heads);
        heads = next;
      }
      heads.set(head, c * 12);
    }
    return c;
  }

  /**
   * Hashes a chunk's payload into BHSH slot `c` on this thread, or off it where the runtime
   * does that better (sha256Async), at most HASHES_IN_FLIGHT at a time. Returns a promise when
   * the caller must wait for an earlier hash.
   */
  function hashChunk(c: number, payload: Uint8Array): Promise<void> | undefined {
    if (payload.length < ASYNC_HASH_MIN || payload.length > ASYNC_HASH_MAX) {
      hashes.set(sha256(payload), c * 32);
      return undefined;
    }
    const p = sha256Async(payload).then((h) => void hashes.set(h, c * 32));
    p.catch(() => {}); // awaited below or by finish
    hashing.push(p);
    return hashing.length > HASHES_IN_FLIGHT ? hashing.shift() : undefined;
  }

  function start(): Promise<void> | undefined {
    if (state !== "new") return undefined;
    state = "open";
    return emit(header, false, false);
  }

  /** A storage chunk whose payload is not in `seg` (v1, and v2 blocks larger than a segment). */
  async function writeStorageChunk(tag: string, payload: Uint8Array): Promise<void> {
    const head = encodeChunkHeader(tag, payload.length, crc32(payload));
    const c = nextChunk(head);
    // One write for small chunks: fewer syscalls; large ones go as they are, without a copy.
    if (payload.length < 64 * 1024) {
      await emitChunk(concat([head, payload]), CHUNK_HEADER_LENGTH, c, false);
    } else {
      await emit(head, true, false);
      await emitChunk(payload, 0, c, true);
    }
  }

  async function closeSegment(): Promise<void> {
    if (!segOpen) return;
    segOpen = false;
    const payload = seg.subarray(CHUNK_HEADER_LENGTH, CHUNK_HEADER_LENGTH + segLen);
    const head = encodeChunkHeader("SEGM", segLen, crc32(payload));
    const c = nextChunk(head);
    seg.set(head);
    const chunk = seg.subarray(0, CHUNK_HEADER_LENGTH + segLen);
    // The spare buffer is free once the last write has resolved (writes go one at a time).
    await settle();
    const next = spare ?? new Uint8Array(seg.length);
    spare = seg;
    seg = next;
    segLen = 0;
    await emitChunk(chunk, CHUNK_HEADER_LENGTH, c, false);
  }

  async function addOne(b: BlockInput): Promise<void> {
    const index = cols.count;
    checkBlock(b, index);
    if (index >= LIMITS.blocks) {
      throw new H4Error("H4_LIMIT_EXCEEDED", `more than ${LIMITS.blocks} blocks`);
    }
    const started = start();
    if (started) await started;
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
    // Awaited only when it is a promise (deflate): most blocks go through without a turn.
    let encoded = encodePayload(codec, b.payload);
    if (encoded instanceof Promise) encoded = await encoded;
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
    let offset: number;
    let newChunk = 1;
    if (version === VERSION_V1) {
      offset = pos + CHUNK_HEADER_LENGTH;
      await writeStorageChunk("CORE", stored);
    } else {
      if (
        segOpen &&
        ((b.keyframe && segLen >= SEGMENT_KEYFRAME_BOUND) || segLen + stored.length > segmentTarget)
      ) await closeSegment();
      if (!segOpen && stored.length > segmentTarget) {
        // A block larger than a segment gets a segment of its own, written without a copy.
        offset = pos + CHUNK_HEADER_LENGTH;
        await writeStorageChunk("SEGM", stored);
      } else {
        if (segOpen) newChunk = 0;
        else segOpen = true;
        offset = pos + CHUNK_HEADER_LENGTH + segLen;
        const room = seg.length - CHUNK_HEADER_LENGTH;
        if (segLen + stored.length > room) {
          const next = new Uint8Array(
            CHUNK_HEADER_LENGTH +
              Math.min(segmentTarget, Math.max(room * 2, segLen + stored.length)),
          );
          next.set(seg.subarray(0, CHUNK_HEADER_LENGTH + segLen));
          seg = next;
        }
        seg.set(stored, CHUNK_HEADER_LENGTH + segLen);
        segLen += stored.length;
      }
    }
    cols = growColumns(cols, index + 1);
    cols.track[index] = track;
    cols.pts[index] = b.pts_us;
    cols.kind[index] = KIND_IDS[b.kind];
    cols.keyframe[index] = b.keyframe ? 1 : 0;
    cols.codec[index] = codecId(codec);
    cols.newChunk[index] = newChunk;
    cols.offset[index] = offset;
    cols.stored[index] = stored.length;
    cols.plain[index] = b.payload.length;
    cols.chunk[index] = chunkCount - (segOpen ? 0 : 1);
    cols.count = index + 1;
    payloadBytes += stored.length;
  }

  async function finishAll(): Promise<WriteSummary> {
    await start();
    await closeSegment();
    for (const h of hashing.splice(0)) await h;
    // Chunk hashes on the VERI worker: send what it has not got yet, and wait for them.
    veri.flush();
    if (background > 0) await new Promise<void>((r) => (backgroundDone = r));
    if (backgroundError !== undefined) throw backgroundError;
    if (version !== VERSION_V1) {
      // Every chunk hash is in: the worker has no more work, and VERI takes the hashes in turn.
      await veri.close();
      tail = createVeriHash(version, header);
      for (let c = 0; c < chunkCount; c++) {
        tail.digest(heads.subarray(c * 12, c * 12 + 12), hashes.subarray(c * 32, c * 32 + 32));
      }
    }
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
    const trackCodecs = ids.map(() => defaultCodecId);

    const slots = Object.fromEntries(LOCA_SLOTS.map((s) => [s, null])) as Record<
      LocaSlot,
      SlotRef | null
    >;
    const writeTable = async (tag: LocaSlot | "SEEK", payload: Uint8Array): Promise<void> => {
      if (tag !== "SEEK") {
        slots[tag] = { offset: pos, length: CHUNK_HEADER_LENGTH + payload.length };
      }
      await emit(encodeChunk(tag, payload), true, false);
    };

    if (version === VERSION_V1) await writeTable("SEEK", new Uint8Array(4));

    // BIDX and its page directory.
    const blocksPerPage = opts.blocksPerPage ?? DEFAULT_BLOCKS_PER_PAGE;
    const pages: Uint8Array[] = [];
    for (let s = 0; s < n; s += blocksPerPage) {
      pages.push(encodeBidxPage(cols, s, Math.min(n, s + blocksPerPage), trackCodecs));
    }
    await writeTable("BIDX", concat(pages));
    const bhsh = hashes.subarray(0, chunkCount * 32);
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
    const trks = encodeTrks(ids.map((id, t) => ({
      track_id: id,
      codec: CODEC_NAMES[trackCodecs[t]],
      blocks: blocksPer[t],
      keyframes: keysPer[t],
    })));
    const meta = encodeJsonDoc(buildMeta(opts, profile, ids, cols));
    const safe = opts.safe == null ? null : encodeJsonDoc(opts.safe);

    const loca: Locator = {
      header,
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
      await emit(encodeChunk(x.tag, x.payload), true, false); // RCPT: found after LIVC, no slot
    }
    await writeTable("META", meta);
    if (safe) await writeTable("SAFE", safe);
    const veriDigest = tail ? tail.finish() : await veri.digest();
    await emit(encodeChunk("VERI", veriDigest), false, false);
    const locaPayload = encodeLoca(loca);
    for (const key of opts.signingKeys ?? []) {
      const payload = await makeSignPayload(key.seed, key.publicKey, locaPayload, livc);
      await emit(encodeChunk(SIGN_TAG, payload), false, false);
    }
    await emit(encodeChunk("LOCA", locaPayload), false, false);
    await settle();
    return {
      profile,
      blocks: n,
      tracks: ids.length,
      chunks: chunkCount,
      bytes: pos,
      payloadBytes,
      root,
      veri: veriDigest,
    };
  }

  // Calls are serialised so that a caller who does not await `add` still gets blocks in order.
  // When no call is in progress the next one starts at once, without waiting for a turn.
  let inProgress = 0;
  const release = () => void inProgress--;
  function serial<T>(f: () => Promise<T>): Promise<T> {
    const run = (): Promise<T> => {
      if (state === "done") throw new H4Error("H4_BAD_ARGUMENT", "writer already finished");
      if (state === "failed") {
        throw new H4Error("H4_BAD_ARGUMENT", "writer failed earlier; start again");
      }
      if (!started) {
        return nativeReady.then(() => {
          if (!started) {
            veri = createBackgroundSha256({ stream: version === VERSION_V1 });
            started = true;
          }
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

  async function addFailed(e: unknown): Promise<never> {
    // A rejected block leaves nothing half-written behind it only if it failed validation.
    if (!(e instanceof H4Error && e.code === "H4_BAD_ARGUMENT")) {
      state = "failed";
      await veri.close();
    }
    throw e;
  }

  return {
    add: (block) =>
      serial(() => {
        let r: Promise<void>;
        try {
          r = addOne(block);
        } catch (e) {
          return addFailed(e);
        }
        return r.then(undefined, addFailed);
      }),
    finish: () =>
      serial(async () => {
        try {
          const s = await finishAll();
          state = "done";
          return s;
        } catch (e) {
          state = "failed";
          await veri.close();
          throw e;
        }
      }),
  };
}

/** Builds each track's seek table from the index, SPEC.md section 6.5. */
function buildSeekTables(
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

/** META with the writer's keys, SPEC.md section 8. */
function buildMeta(
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
