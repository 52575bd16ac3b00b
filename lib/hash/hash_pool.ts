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
  /** Stops the worker; the pool cannot be used after. */
  close(): Promise<void>;
}

// The worker: for each buffer, one SHA-256 per range; the buffer goes back with the digests,
// then the answer counter moves on and wakes a waiting `wait`.
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const { port, answered } = workerData;
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
`;

interface NodeWorker {
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
 * thread. Starting a worker blocks the calling thread for 30 to 130 ms (measured on 2 cores),
 * so callers start one only for long inputs.
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
  let wt: typeof import("node:worker_threads");
  try {
    wt = await import("node:worker_threads");
    if (typeof wt.receiveMessageOnPort !== "function") return undefined;
  } catch {
    return undefined;
  }
  const answered = new SharedArrayBuffer(4);
  const count = new Int32Array(answered);
  const { port1, port2 } = new wt.MessageChannel();
  let worker: NodeWorker;
  try {
    worker = new wt.Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { port: port2, answered },
      transferList: [port2],
    }) as unknown as NodeWorker;
  } catch {
    return undefined;
  }
  // Unreferenced but while `wait` waits: an abandoned pool never keeps a process alive.
  worker.unref();
  const port = port1 as unknown as NodePort;
  const receive = wt.receiveMessageOnPort as unknown as (
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
    for (const w of ws) w(failure);
  };
  worker.on("error", (e: unknown) => fail(e));
  worker.on("exit", () => {
    if (!closed) fail(new Error("SHA-256 worker exited"));
  });

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
      worker.ref();
      return new Promise<void>((resolve, reject) => {
        failWaiters.push(reject);
        (r.value as Promise<unknown>).then(() => {
          worker.unref();
          failWaiters = failWaiters.filter((w) => w !== reject);
          resolve();
        });
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      fail(new Error("SHA-256 worker stopped"));
      port.close();
      await worker.terminate().catch(() => {});
    },
  };
}
