/**
 * The writer's hashing, SPEC.md section 9: one SHA-256 per storage chunk (its BHSH slot) and
 * VERI.
 *
 * Version 2 hashes each stored byte once (H4-INT-005): the storage chunks' hashes, then VERI at
 * the end over the chunk headers, those hashes and the tables. Segments come in buffers of
 * several segments ("arenas", writer_segments.ts); past 64 MiB a worker thread
 * (lib/hash/hash_pool.ts) hashes them: the buffer moves there without a copy and comes back
 * with the digests. This thread copies payloads into segments and computes their CRC-32 in the
 * meantime, and hashes a buffer itself when the worker is behind (several buffers out), so the
 * two threads share the hashing whatever the other load on the machine.
 *
 * Version 1 (the original format) hashes the whole stream for VERI, on a worker past 64 MiB
 * (lib/hash/background_sha256.ts), which also takes chunk hashes while it keeps up.
 *
 * @module
 */
import { type BackgroundSha256, createBackgroundSha256 } from "../hash/background_sha256.ts";
import { type HashPool, startHashPool } from "../hash/hash_pool.ts";
import { sha256, sha256Async } from "../hash/sha256.ts";
import { VERSION_V1 } from "./constants.ts";
import { createVeriHash, type VeriHash } from "./veri.ts";

/**
 * Storage chunks from 16 KiB to 16 MiB may be hashed off this thread (the worker, or Web Crypto
 * in browsers): below, a thread hop costs more than the hash; above, the copy it takes (Web
 * Crypto, the version 1 worker) would be too large.
 */
const ASYNC_HASH_MIN = 16 * 1024;
const ASYNC_HASH_MAX = 16 * 1024 * 1024;
/** Chunk hashes computed with Web Crypto at once; each holds a copy of its chunk. */
const HASHES_IN_FLIGHT = 16;
/** Stored bytes before the worker starts: starting it blocks this thread 30 to 130 ms. */
const POOL_THRESHOLD = 64 << 20;
/**
 * With `expectedBytes`: the worker starts at once for at least this much, else never. Starting
 * it costs this thread 60 to 200 ms (measured, 2 cores) and the worker as much again, about
 * what hashing 100 MiB here takes.
 */
const POOL_WORTH = 128 << 20;

/**
 * Whether a writer told to expect `expectedBytes` may hash on a worker (when a core is idle):
 * only from 128 MiB.
 *
 * @example
 * ```ts
 * import { mayOffload } from "./writer_hashing.ts";
 * import assert from "node:assert/strict";
 * assert(!mayOffload(85e6) && mayOffload(341e6));
 * ```
 */
export function mayOffload(expectedBytes: number): boolean {
  return expectedBytes >= POOL_WORTH;
}
/** Buffers on the worker at once; with more out, this thread hashes the next one itself. */
const POOL_IN_FLIGHT = 4;

/** The hashes of a writer in progress. */
export interface WriterHashing {
  /** Storage chunks so far. */
  readonly count: number;
  /** Version 2: whether the worker runs (arenas go to it while it keeps up). */
  readonly offloads: boolean;
  /** Takes the next storage chunk's BHSH slot; `head` is its 12-byte header. */
  next(head: Uint8Array): number;
  /**
   * Adds bytes other than a storage chunk's payload to VERI (version 1: all of them; version 2:
   * the tables, once `endChunks` has resolved). A promise: wait before changing the bytes.
   */
  veri(bytes: Uint8Array): Promise<void> | undefined;
  /**
   * A storage chunk not in an arena: hashes `bytes[from..]` (its payload) into slot `c`, and in
   * version 1 adds all of `bytes` to VERI. A promise: wait for it before changing the bytes.
   */
  chunk(c: number, bytes: Uint8Array, from: number): Promise<void> | undefined;
  /**
   * Version 2: hashes the ranges of an arena (start, end, slot), which is given away: it comes
   * back through `reuse` once hashed. A promise: wait for it before the next call. `keep`: when
   * it is hashed on this thread, it is not given back until `release` (the sink may still be
   * writing it).
   */
  retire(arena: ArrayBuffer, ranges: number[], keep?: boolean): Promise<void> | undefined;
  /** Gives back, for `reuse`, an arena kept by `retire`. */
  release(arena: ArrayBuffer): void;
  /** An arena back from hashing, of at least `min` bytes; undefined when none. */
  reuse(min: number): ArrayBuffer | undefined;
  /** Waits for every chunk hash; version 2 then starts VERI over the headers and hashes. */
  endChunks(): Promise<void>;
  /** The BHSH table: the chunk hashes in order. */
  table(): Uint8Array;
  /** VERI, once every byte before it went through `veri`. */
  digest(): Promise<Uint8Array>;
  /** Stops the worker threads (after a failure, or when done). */
  close(): Promise<void>;
}

/** Options of {@linkcode createWriterHashing}. */
export interface WriterHashingOptions {
  /**
   * Version 2: segment bytes hashed here before the worker starts (default 64 MiB; with
   * `expectedBytes`, 0 when that is worth a worker and a core is idle, and never when not).
   */
  poolThreshold?: number;
  /** About how many payload bytes will come (the writer's option of that name). */
  expectedBytes?: number;
}

/**
 * Whether a core is idle for the hashing worker: the load average (where the runtime may read
 * it without asking) is under the number of cores. On a busy machine a second thread takes
 * its time from the first, and the worker's start is pure cost (measured at a load of 8 on 2
 * cores: a 341 MB import 2.5 to 4.0 s without it, 4.8 to 5.2 s with it).
 */
function idleCore(): boolean {
  const d = (globalThis as { Deno?: typeof Deno }).Deno;
  try {
    if (!d || d.permissions.querySync({ name: "sys", kind: "loadavg" }).state !== "granted") {
      return true;
    }
    return d.loadavg()[0] < (navigator.hardwareConcurrency ?? 1);
  } catch {
    return true;
  }
}

/**
 * The hashing of a writer of `version` whose file starts with `header`.
 *
 * @example
 * ```ts
 * import { createWriterHashing } from "./writer_hashing.ts";
 * import { encodeChunkHeader } from "./chunk.ts";
 * import assert from "node:assert/strict";
 * const header = new Uint8Array(8);
 * const h = createWriterHashing(2, header);
 * const payload = new Uint8Array([1, 2, 3]);
 * const c = h.next(encodeChunkHeader("SEGM", 3, 0));
 * await h.chunk(c, payload, 0);
 * await h.endChunks();
 * assert.equal(h.table().length, 32);
 * assert.equal((await h.digest()).length, 32);
 * await h.close();
 * ```
 */
export function createWriterHashing(
  version: number,
  header: Uint8Array,
  opts: WriterHashingOptions = {},
): WriterHashing {
  const v1 = version === VERSION_V1;
  const expected = opts.expectedBytes;
  const poolThreshold = opts.poolThreshold ??
    (expected === undefined ? POOL_THRESHOLD : expected >= POOL_WORTH ? 0 : Infinity);
  // The load is asked about only when the threshold follows the hint.
  const askLoad = opts.poolThreshold === undefined && expected !== undefined;
  let hashes = new Uint8Array(32 * 64);
  // Version 2: the storage chunks' headers, 12 bytes each, for VERI.
  let heads = v1 ? new Uint8Array(0) : new Uint8Array(12 * 64);
  let count = 0;
  // Version 1: VERI over the stream, on a worker past its threshold.
  const stream: BackgroundSha256 | undefined = v1 ? createBackgroundSha256() : undefined;
  // Version 2: VERI over the headers, hashes and tables, from `endChunks` on.
  let tail: VeriHash | undefined;
  // Chunk hashes in progress elsewhere: Web Crypto (oldest first), and the version 1 worker.
  const hashing: Promise<void>[] = [];
  let background = 0;
  let backgroundError: unknown;
  let backgroundDone: (() => void) | undefined;
  // Version 2: the worker, once started, and arenas back from hashing.
  let pool: HashPool | undefined;
  let starting: Promise<void> | undefined;
  let noPool = false;
  let seen = 0;
  const free: ArrayBuffer[] = [];
  const setHash = (c: number, d: Uint8Array) => void hashes.set(d, c * 32);

  /** Hashes a chunk's payload here, or with Web Crypto where there is no native hash. */
  function here(c: number, payload: Uint8Array): Promise<void> | undefined {
    if (payload.length < ASYNC_HASH_MIN || payload.length > ASYNC_HASH_MAX) {
      setHash(c, sha256(payload));
      return undefined;
    }
    const p = sha256Async(payload).then((h) => setHash(c, h));
    p.catch(() => {}); // awaited below or by endChunks
    hashing.push(p);
    return hashing.length > HASHES_IN_FLIGHT ? hashing.shift() : undefined;
  }

  /** Takes the worker's answers: digests into their slots, arenas into `free`. */
  function reclaim(): void {
    if (pool && pool.inFlight > 0) { for (const b of pool.poll(setHash)) free.push(b); }
  }

  /** Counts `n` payload bytes hashed here; starts the worker past the threshold. */
  function countHere(n: number): Promise<void> | undefined {
    seen += n;
    if (pool || noPool || starting || seen < poolThreshold) return undefined;
    if (askLoad && !idleCore()) {
      noPool = true;
      return undefined;
    }
    return starting = startHashPool().then((p) => {
      pool = p;
      noPool = !p;
    }, () => void (noPool = true));
  }

  return {
    get count() {
      return count;
    },
    get offloads() {
      return pool !== undefined;
    },
    next(head) {
      const c = count++;
      if (count * 32 > hashes.length) {
        const next = new Uint8Array(hashes.length * 2);
        next.set(hashes);
        hashes = next;
      }
      if (!v1) {
        if (count * 12 > heads.length) {
          const next = new Uint8Array(heads.length * 2);
          next.set(heads);
          heads = next;
        }
        heads.set(head, c * 12);
      }
      return c;
    },
    veri(bytes) {
      if (stream) return stream.update(bytes);
      tail?.bytes(bytes);
      return undefined;
    },
    chunk(c, bytes, from) {
      const size = bytes.length - from;
      if (stream && size >= ASYNC_HASH_MIN && size <= ASYNC_HASH_MAX) {
        // The VERI worker takes the chunk with the stream while it keeps up.
        const bg = stream.updateChunk(bytes, from);
        if (bg) {
          background++;
          bg.digest.then((h) => setHash(c, h), (e) => void (backgroundError ??= e))
            .finally(() => {
              if (--background === 0) backgroundDone?.();
            });
          return bg.wait;
        }
      }
      const wait = here(c, bytes.subarray(from));
      const w = stream ? stream.update(bytes) : countHere(size);
      return wait && w ? Promise.all([wait, w]).then(() => {}) : wait ?? w;
    },
    retire(arena, ranges, keep = false) {
      let n = 0;
      for (let i = 0; i < ranges.length; i += 3) n += ranges[i + 1] - ranges[i];
      reclaim();
      if (pool && pool.inFlight < POOL_IN_FLIGHT) {
        pool.send(arena, ranges);
        return undefined;
      }
      const view = new Uint8Array(arena);
      let wait: Promise<void> | undefined;
      for (let i = 0; i < ranges.length; i += 3) {
        const w = here(ranges[i + 2], view.subarray(ranges[i], ranges[i + 1]));
        if (w) wait = wait ? wait.then(() => w) : w;
      }
      if (!keep) free.push(arena);
      const s = countHere(n);
      return wait && s ? Promise.all([wait, s]).then(() => {}) : wait ?? s;
    },
    release(arena) {
      free.push(arena);
    },
    reuse(min) {
      reclaim();
      while (free.length > 0) {
        const b = free.pop()!;
        if (b.byteLength >= min) return b;
      }
      return undefined;
    },
    async endChunks() {
      if (starting) await starting;
      for (const h of hashing.splice(0)) await h;
      if (pool) {
        while (pool.inFlight > 0) {
          await pool.wait();
          reclaim();
        }
        await pool.close();
        pool = undefined;
      }
      if (stream) {
        // Chunk hashes on the VERI worker: send what it has not got yet, and wait for them.
        stream.flush();
        if (background > 0) await new Promise<void>((r) => (backgroundDone = r));
        if (backgroundError !== undefined) throw backgroundError;
        return;
      }
      tail = createVeriHash(version, header);
      for (let c = 0; c < count; c++) {
        tail.digest(heads.subarray(c * 12, c * 12 + 12), hashes.subarray(c * 32, c * 32 + 32));
      }
    },
    table: () => hashes.subarray(0, count * 32),
    digest: () => stream ? stream.digest() : Promise.resolve(tail!.finish()),
    async close() {
      free.length = 0;
      const p = pool;
      pool = undefined;
      await Promise.all([stream?.close(), p?.close()]);
    },
  };
}
