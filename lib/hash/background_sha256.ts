/**
 * A whole-stream SHA-256 off the calling thread (the version 1 VERI, SPEC.md section 9): an
 * incremental SHA-256 that, for long streams, hashes on a worker thread (and there also the
 * storage chunks' own hashes, while it keeps up), so that hashing overlaps the caller's other
 * work. The version 2 writer, which hashes chunks only, uses hash_pool.ts instead: buffers move
 * to its worker without a copy, and its answers are taken without the event loop.
 *
 * @module
 */
import { native } from "./native.ts";
import { createSha256, type Sha256 } from "./sha256.ts";

/** An incremental SHA-256 that may hash on another thread. */
export interface BackgroundSha256 {
  /**
   * Adds bytes. When it returns undefined the bytes were taken (copied or hashed) and may be
   * reused; when it returns a promise, the caller must wait for it before changing the bytes
   * (the other thread is behind: this is the back-pressure that keeps memory flat).
   */
  update(bytes: Uint8Array): Promise<void> | undefined;
  /**
   * Adds `bytes` like `update` and, on the worker, also hashes `bytes[from..]` on its own (a
   * storage chunk's payload): `digest` resolves to that hash once the worker has it (`flush`
   * hurries it), `wait` as `update`'s promise. Returns undefined, having taken nothing, when
   * there is no worker or it is behind: the caller then hashes that part itself (this balances
   * the work between the two threads) and calls `update`.
   */
  updateChunk(
    bytes: Uint8Array,
    from: number,
  ): { digest: Promise<Uint8Array>; wait?: Promise<void> } | undefined;
  /** Sends buffered bytes to the worker now, so that chunk digests asked for arrive. */
  flush(): void;
  /** The 32-byte digest; stops the worker. The hash cannot be used after. */
  digest(): Promise<Uint8Array>;
  /** Stops the worker, if any, without a digest (after a failure). */
  close(): Promise<void>;
}

/** Options of {@linkcode createBackgroundSha256}. */
export interface BackgroundSha256Options {
  /**
   * Bytes seen before a worker is started (default 64 MiB). Starting one blocks the calling
   * thread for 30 to 130 ms (measured on 2 cores), which pays off after about 100 MB more, so
   * small inputs never start one. Until then the bytes are kept (copied, in 1 MiB buffers) so
   * the worker can take the hash over from the start.
   */
  threshold?: number;
  /** Set to false to never start a worker. */
  worker?: boolean;
  /**
   * Set to false for a pool of storage chunk hashes without the stream's own hash (as a version 2
   * VERI takes each chunk's hash, SPEC.md H4-INT-005; the writer uses hash_pool.ts): `update` only
   * counts bytes towards `threshold`, the worker hashes only what `updateChunk` gives it, and
   * `digest` must not be called (`close` stops the worker).
   */
  stream?: boolean;
}

/** Bytes a worker buffer holds; at most WORKER_BUFFERS of them are in flight. */
const WORKER_BUFFER = 1 << 20;
const WORKER_BUFFERS = 16;
/** Default of `threshold`. */
const BACKGROUND_THRESHOLD = 64 << 20;

// The worker: one native SHA-256 of the stream, fed buffers in order, plus the hashes of the
// ranges (start, end, id, last) a buffer lists, which may go on into the next buffers. Each
// buffer goes back to be reused, with the digests of the ranges that ended in it.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const h = createHash("sha256");
const open = new Map();
parentPort.on("message", (m) => {
  if (m.buf === undefined) {
    parentPort.postMessage({ digest: new Uint8Array(h.digest()) });
    return;
  }
  const view = new Uint8Array(m.buf, 0, m.len);
  if (!m.nostream) h.update(view);
  let digests;
  if (m.ranges) {
    digests = [];
    const r = m.ranges;
    for (let i = 0; i < r.length; i += 4) {
      let c = open.get(r[i + 2]);
      if (!c) open.set(r[i + 2], c = createHash("sha256"));
      c.update(view.subarray(r[i], r[i + 1]));
      if (r[i + 3]) {
        digests.push(r[i + 2], new Uint8Array(c.digest()));
        open.delete(r[i + 2]);
      }
    }
  }
  if (m.reuse) parentPort.postMessage({ buf: m.buf, digests }, [m.buf]);
  else parentPort.postMessage({ digests });
});
`;

interface NodeWorker {
  postMessage(m: unknown, transfer?: ArrayBuffer[]): void;
  on(event: string, f: (m: never) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<unknown>;
}

/**
 * An incremental SHA-256 for long streams (the writer's VERI). Up to `threshold` bytes it only
 * keeps copies; past it, where the runtime has `node:worker_threads` and native hashing (Deno,
 * Node), it hands the stream to a worker thread so that hashing overlaps the caller's work, with
 * at most 16 MiB in flight. Elsewhere (browsers) it hashes on the calling thread. The digest is
 * the same either way.
 *
 * @example
 * ```ts
 * import { createBackgroundSha256 } from "./background_sha256.ts";
 * import assert from "node:assert/strict";
 * const h = createBackgroundSha256();
 * await h.update(new Uint8Array([1, 2]));
 * assert((await h.digest()).length === 32);
 * ```
 */
export function createBackgroundSha256(opts: BackgroundSha256Options = {}): BackgroundSha256 {
  const threshold = opts.threshold ?? BACKGROUND_THRESHOLD;
  const stream = opts.stream !== false;
  let inline: Sha256 | undefined;
  // Bytes kept until the threshold, packed into buffers of WORKER_BUFFER bytes.
  let retained: Uint8Array[] = [];
  let retainedBytes = 0;
  let keepBuf: Uint8Array | undefined;
  let keepLen = 0;
  const keep = (bytes: Uint8Array, finalize = false) => {
    retainedBytes += bytes.length;
    for (let at = 0; at < bytes.length;) {
      // Small first buffer: most hashes are of small files.
      keepBuf ??= new Uint8Array(retained.length === 0 ? 64 * 1024 : WORKER_BUFFER);
      const n = Math.min(bytes.length - at, keepBuf.length - keepLen);
      keepBuf.set(bytes.subarray(at, at + n), keepLen);
      keepLen += n;
      at += n;
      if (keepLen === keepBuf.length) {
        retained.push(keepBuf);
        keepBuf = undefined;
        keepLen = 0;
      }
    }
    if (finalize && keepBuf && keepLen > 0) {
      retained.push(keepBuf.subarray(0, keepLen));
      keepBuf = undefined;
      keepLen = 0;
    }
  };
  let worker: NodeWorker | undefined;
  let starting: Promise<void> | undefined;
  let failure: unknown;
  let done = false;
  // Worker state: free buffers, the one being filled, and who waits for what.
  const pool: ArrayBuffer[] = [];
  let fill: Uint8Array | undefined;
  let fillLen = 0;
  let made = 0;
  let outstanding = 0;
  let bufferWaiter: (() => void) | undefined;
  let digestWaiter: ((d: Uint8Array) => void) | undefined;
  let failWaiters: ((e: unknown) => void)[] = [];
  // Separate hashes of ranges (storage chunks) asked of the worker: the ranges listed for the
  // buffer being filled (start, end, id, last), and who waits for each digest.
  let fillRanges: number[] | undefined;
  let nextRange = 0;
  const rangeWaiters = new Map<
    number,
    { resolve(d: Uint8Array): void; reject(e: unknown): void }
  >();

  // Without a worker, a stream hash is computed here; chunk hashes are then the caller's.
  let noWorker = opts.worker === false || !native.createSha256 || threshold === Infinity;
  if (noWorker && stream) inline = createSha256();

  const busy = (n: number) => {
    // Referenced only while the worker owes an answer: an abandoned hash never keeps a
    // process alive.
    if (outstanding === 0 && n > 0) worker?.ref();
    outstanding += n;
    if (outstanding === 0) worker?.unref();
  };

  const fail = (e: unknown) => {
    failure ??= e;
    const ws = failWaiters;
    failWaiters = [];
    for (const w of ws) w(failure);
    for (const w of rangeWaiters.values()) w.reject(failure);
    rangeWaiters.clear();
  };

  const waitFor = <T>(setter: (resolve: (v: T) => void) => void): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (failure !== undefined) return reject(failure);
      failWaiters.push(reject);
      setter((v) => {
        failWaiters = failWaiters.filter((r) => r !== reject);
        resolve(v);
      });
    });

  async function start(): Promise<void> {
    let w: NodeWorker;
    try {
      const wt = await import("node:worker_threads");
      w = new wt.Worker(WORKER_SOURCE, { eval: true }) as unknown as NodeWorker;
    } catch {
      // No worker threads here after all: hash what was kept, and the rest, on this thread.
      noWorker = true;
      if (stream) {
        inline = createSha256();
        for (const r of retained) inline.update(r);
      }
      retained = [];
      return;
    }
    worker = w;
    w.unref();
    w.on("message", (m: { buf?: ArrayBuffer; digest?: Uint8Array; digests?: unknown[] }) => {
      busy(-1);
      const ds = m.digests;
      if (ds) {
        for (let i = 0; i < ds.length; i += 2) {
          const id = ds[i] as number;
          rangeWaiters.get(id)?.resolve(new Uint8Array(ds[i + 1] as Uint8Array));
          rangeWaiters.delete(id);
        }
      }
      if (m.digest) digestWaiter?.(m.digest);
      else if (m.buf) {
        pool.push(m.buf);
        const b = bufferWaiter;
        bufferWaiter = undefined;
        b?.();
      }
    });
    w.on("error", (e: unknown) => fail(e));
    w.on("exit", () => {
      if (worker === w) fail(new Error("SHA-256 worker exited"));
    });
    for (const r of retained) {
      busy(1);
      w.postMessage({ buf: r.buffer, len: r.length, reuse: false }, [r.buffer as ArrayBuffer]);
    }
    retained = [];
  }

  const send = () => {
    busy(1);
    const buf = fill!.buffer as ArrayBuffer;
    worker!.postMessage(
      { buf, len: fillLen, reuse: true, ranges: fillRanges, nostream: !stream },
      [buf],
    );
    fill = undefined;
    fillLen = 0;
    fillRanges = undefined;
  };

  /**
   * Copies `bytes` from `at` into worker buffers, listing the part from `from` on as range `id`
   * when `id` >= 0; a promise when it has to wait for a buffer.
   */
  const feed = (
    bytes: Uint8Array,
    at: number,
    from = 0,
    id = -1,
  ): Promise<void> | undefined => {
    while (at < bytes.length) {
      if (!fill) {
        if (pool.length > 0) fill = new Uint8Array(pool.pop()!);
        else if (made < WORKER_BUFFERS) {
          made++;
          fill = new Uint8Array(WORKER_BUFFER);
        } else {
          return waitFor<void>((r) => (bufferWaiter = r)).then(() => feed(bytes, at, from, id));
        }
      }
      const n = Math.min(bytes.length - at, fill.length - fillLen);
      fill.set(bytes.subarray(at, at + n), fillLen);
      if (id >= 0 && at + n > from) {
        const s = Math.max(at, from);
        (fillRanges ??= []).push(
          fillLen + s - at,
          fillLen + n,
          id,
          at + n === bytes.length ? 1 : 0,
        );
      }
      fillLen += n;
      at += n;
      if (fillLen === fill.length) send();
    }
    return undefined;
  };

  const api: BackgroundSha256 = {
    update(bytes) {
      if (done) throw new TypeError("hash already finished");
      if (failure !== undefined) return Promise.reject(failure);
      if (inline) {
        inline.update(bytes);
        return undefined;
      }
      if (!stream) {
        // Only counted: the worker starts once enough bytes went by to pay for it.
        if (worker || starting || noWorker) return undefined;
        retainedBytes += bytes.length;
        if (retainedBytes < threshold) return undefined;
        starting = start().finally(() => (starting = undefined));
        return starting;
      }
      if (starting) {
        return starting.then(() => (inline ? void inline.update(bytes) : feed(bytes, 0)));
      }
      if (!worker) {
        keep(bytes);
        if (retainedBytes >= threshold) {
          keep(new Uint8Array(0), true);
          starting = start().finally(() => (starting = undefined));
          return starting;
        }
        return undefined;
      }
      return feed(bytes, 0);
    },
    updateChunk(bytes, from) {
      // Only a running worker that keeps up takes a chunk; an empty one is not worth a message.
      if (
        done || failure !== undefined || inline || starting || !worker ||
        outstanding > WORKER_BUFFERS / 2 || from >= bytes.length
      ) return undefined;
      const id = nextRange++;
      const digest = new Promise<Uint8Array>((resolve, reject) => {
        rangeWaiters.set(id, { resolve, reject });
      });
      digest.catch(() => {}); // the caller's copy of the promise reports the failure
      return { digest, wait: stream ? feed(bytes, 0, from, id) : feed(bytes, from, from, id) };
    },
    flush() {
      if (worker && fill && fillLen > 0 && failure === undefined) send();
    },
    async digest() {
      if (done) throw new TypeError("hash already finished");
      if (!stream) throw new TypeError("a hash without its stream has no digest");
      done = true;
      if (starting) await starting;
      if (inline) return inline.digest();
      if (!worker) {
        // Never reached the threshold: hash the kept bytes here.
        keep(new Uint8Array(0), true);
        const h = createSha256();
        for (const r of retained) h.update(r);
        retained = [];
        return h.digest();
      }
      try {
        if (failure !== undefined) throw failure;
        if (fill && fillLen > 0) send();
        const d = waitFor<Uint8Array>((r) => (digestWaiter = r));
        busy(1);
        worker.postMessage({});
        return new Uint8Array(await d);
      } finally {
        await api.close();
      }
    },
    async close() {
      done = true;
      retained = [];
      for (const w of rangeWaiters.values()) w.reject(new Error("SHA-256 worker stopped"));
      rangeWaiters.clear();
      const w = worker;
      worker = undefined;
      if (w) await w.terminate().catch(() => {});
    },
  };
  return api;
}
