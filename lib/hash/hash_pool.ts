/**
 * SHA-256 of byte ranges on a worker thread: the writer moves (transfers, without a copy) a
 * buffer of storage chunks to the worker, which hashes each chunk's payload on its own (BHSH,
 * SPEC.md section 9) and gives the buffer back with the digests.
 *
 * The answers are taken without the event loop (`receiveMessageOnPort`): a writer fed from a
 * synchronous source never yields to it (every `await` it makes resolves at once), so answers
 * delivered as events would wait until the end, the writer would believe the worker behind, and
 * hash everything itself (measured: 113 of 12,000 chunks went to the worker that way). A shared
 * counter, incremented by the worker after each answer, lets `wait` sleep until the next one
 * (`Atomics.waitAsync`) when the caller has nothing else to do.
 *
 * @module
 */
import { native } from "./native.ts";

/** A worker thread that hashes ranges of the buffers it is given. */
export interface HashPool {
  /** Buffers sent and not given back yet. */
  readonly inFlight: number;
  /**
   * Moves `buffer` to the worker (it is detached here on return), which hashes each range
   * `ranges[i]` to `ranges[i + 1]` of it and names its digest `ranges[i + 2]`.
   */
  send(buffer: ArrayBuffer, ranges: number[]): void;
  /**
   * Takes what the worker has finished, without waiting: calls `onDigest` for each digest, in
   * the order sent, and returns the buffers given back. Throws the worker's failure.
   */
  poll(onDigest: (id: number, digest: Uint8Array) => void): ArrayBuffer[];
  /** Resolves once an answer is ready for `poll` (at once if one is, or none is owed). */
  wait(): Promise<void>;
  /** Closes the pool (the shared worker stays, idle); the pool cannot be used after. */
  close(): Promise<void>;
}

// The worker: each pool sends it a channel and an answer counter. For each buffer on a channel,
// one SHA-256 per range; the buffer goes back with the digests, then the counter moves on and
// wakes a waiting `wait`.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
parentPort.on("message", ({ port, answered }) => {
  const count = new Int32Array(answered);
  port.on("message", (m) => {
    const view = new Uint8Array(m.buf);
    const r = m.ranges;
    const digests = new Uint8Array((r.length / 3) * 32);
    for (let i = 0, j = 0; i < r.length; i += 3, j += 32) {
      digests.set(createHash("sha256").update(view.subarray(r[i], r[i + 1])).digest(), j);
    }
    port.postMessage({ buf: m.buf, ranges: r, digests }, [m.buf, digests.buffer]);
    Atomics.add(count, 0, 1);
    Atomics.notify(count, 0);
  });
});
`;

interface NodeWorker {
  postMessage(m: unknown, transfer?: unknown[]): void;
  on(event: string, f: (m: never) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<unknown>;
}
interface NodePort {
  postMessage(m: unknown, transfer?: ArrayBuffer[]): void;
  close(): void;
}
interface Answer {
  buf: ArrayBuffer;
  ranges: number[];
  digests: Uint8Array;
}
type WaitAsync = (
  a: Int32Array,
  i: number,
  v: number,
) => { async: boolean; value: Promise<unknown> | string };

/**
 * Starts a hash pool; resolves to undefined where the runtime has no worker threads or no
 * native SHA-256 (browsers; call `loadNative` first), where hashing stays on the caller's
 * thread. The pools of a process share one worker thread, started by the first (which blocks
 * the calling thread for 30 to 130 ms, measured on 2 cores: callers start a pool only for long
 * inputs) and kept, idle and unreferenced, for the next ones: each pool is a channel to it.
 *
 * @example
 * ```ts
 * import { startHashPool } from "./hash_pool.ts";
 * import { loadNative } from "./native.ts";
 * import assert from "node:assert/strict";
 * await loadNative();
 * const pool = await startHashPool();
 * if (pool) {
 *   pool.send(new Uint8Array([1, 2, 3]).buffer, [0, 3, 7]);
 *   const got: number[] = [];
 *   while (pool.inFlight > 0) {
 *     await pool.wait();
 *     pool.poll((id) => got.push(id));
 *   }
 *   assert.deepEqual(got, [7]);
 *   await pool.close();
 * }
 * ```
 */
export async function startHashPool(): Promise<HashPool | undefined> {
  const waitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;
  if (!native.createSha256 || typeof SharedArrayBuffer !== "function" || !waitAsync) {
    return undefined;
  }
  const w = await sharedWorker();
  if (!w) return undefined;
  const { port1, port2 } = new w.wt.MessageChannel();
  const answered = new SharedArrayBuffer(4);
  const count = new Int32Array(answered);
  w.worker.postMessage({ port: port2, answered }, [port2]);
  const port = port1 as unknown as NodePort;
  const receive = w.wt.receiveMessageOnPort as unknown as (
    p: unknown,
  ) => { message: Answer } | undefined;
  let inFlight = 0;
  let received = 0;
  let closed = false;
  let failure: unknown;
  let failWaiters: ((e: unknown) => void)[] = [];
  const fail = (e: unknown) => {
    failure ??= e;
    const ws = failWaiters;
    failWaiters = [];
    for (const f of ws) f(failure);
  };
  w.pools.add(fail);

  return {
    get inFlight() {
      return inFlight;
    },
    send(buffer, ranges) {
      if (failure !== undefined) throw failure;
      port.postMessage({ buf: buffer, ranges }, [buffer]);
      inFlight++;
    },
    poll(onDigest) {
      if (failure !== undefined) throw failure;
      const back: ArrayBuffer[] = [];
      for (let m = receive(port1); m; m = receive(port1)) {
        const { buf, ranges, digests } = m.message;
        received++;
        inFlight--;
        for (let i = 0, j = 0; i < ranges.length; i += 3, j += 32) {
          onDigest(ranges[i + 2], digests.subarray(j, j + 32));
        }
        back.push(buf);
      }
      return back;
    },
    wait() {
      if (failure !== undefined) return Promise.reject(failure);
      if (inFlight === 0 || Atomics.load(count, 0) !== (received | 0)) return Promise.resolve();
      const r = waitAsync(count, 0, received | 0);
      if (!r.async) return Promise.resolve();
      // Referenced while someone waits for it, so that the process waits too.
      if (w.waiting++ === 0) w.worker.ref();
      return new Promise<void>((resolve, reject) => {
        const done = () => {
          if (--w.waiting === 0) w.worker.unref();
        };
        const f = (e: unknown) => {
          done();
          reject(e);
        };
        failWaiters.push(f);
        (r.value as Promise<unknown>).then(() => {
          failWaiters = failWaiters.filter((x) => x !== f);
          done();
          resolve();
        });
      });
    },
    close() {
      if (!closed) {
        closed = true;
        w.pools.delete(fail);
        fail(new Error("SHA-256 pool closed"));
        port.close();
      }
      return Promise.resolve();
    },
  };
}

/** The worker thread the pools share, with who to tell when it fails. */
interface Shared {
  wt: typeof import("node:worker_threads");
  worker: NodeWorker;
  /** Each live pool's failure callback. */
  pools: Set<(e: unknown) => void>;
  /** Pools waiting in `wait`: the worker is referenced while there are any. */
  waiting: number;
}
let shared: Promise<Shared | undefined> | undefined;

function sharedWorker(): Promise<Shared | undefined> {
  return shared ??= (async () => {
    let wt: typeof import("node:worker_threads");
    let worker: NodeWorker;
    try {
      wt = await import("node:worker_threads");
      if (typeof wt.receiveMessageOnPort !== "function") return undefined;
      worker = new wt.Worker(WORKER_SOURCE, { eval: true }) as unknown as NodeWorker;
    } catch {
      return undefined;
    }
    // Unreferenced but while a pool waits: an idle or abandoned pool never keeps a process alive.
    worker.unref();
    const s: Shared = { wt, worker, pools: new Set(), waiting: 0 };
    const failAll = (e: unknown) => {
      // The next pool starts a new worker.
      shared = undefined;
      for (const f of [...s.pools]) f(e);
    };
    worker.on("error", (e: unknown) => failAll(e));
    worker.on("exit", () => failAll(new Error("SHA-256 worker exited")));
    return s;
  })();
}
