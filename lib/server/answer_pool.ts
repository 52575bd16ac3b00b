/**
 * Buffers for the answers of the fast front, used again once written: an answer buffer made
 * per request (a 4 KiB range is about 90 MB/s of buffers at 20,000 requests/s) is memory
 * outside the JavaScript heap, and V8 answers that much of it with a full mark-compact every
 * few hundred milliseconds, each a pause of several milliseconds for every connection.
 *
 * A buffer goes back to the pool only when its write has completed without error (the
 * socket's write callback); one whose write failed, or that is never given back (a connection
 * destroyed with answers queued), is left to the garbage collector. Buffers come in a few
 * size classes, so a pooled buffer is at most about twice the answer it carries, and the pool
 * keeps at most {@linkcode POOL_KEEP} of each class.
 *
 * @module
 */

import { Buffer } from "node:buffer";

/** Room for the status line and headers in every class (1 KiB). */
export const HEAD_ROOM = 1024;
/** Smallest and largest body a class is made for: 4 KiB to 64 KiB, by powers of two. */
const MIN_SHIFT = 12;
const MAX_SHIFT = 16;
/** Buffers kept free per class. */
export const POOL_KEEP = 64;

/** A pool of answer buffers. */
export interface AnswerPool {
  /**
   * A buffer of exactly `length` bytes (its contents unset): pooled when `length` fits a class,
   * otherwise a new one.
   */
  take(length: number): Uint8Array;
  /**
   * Gives back a buffer from {@linkcode AnswerPool.take} whose write completed: it may be
   * handed out again at once. Others are ignored.
   */
  give(buffer: Uint8Array): void;
  /** Buffers kept free now (all classes). */
  readonly free: number;
}

/**
 * Makes a pool (one per server).
 *
 * @example
 * ```ts
 * import { createAnswerPool } from "./answer_pool.ts";
 * import assert from "node:assert/strict";
 * const pool = createAnswerPool();
 * const a = pool.take(4200);
 * assert(a.length === 4200);
 * pool.give(a);
 * const b = pool.take(100);
 * assert(b.buffer === a.buffer && b.length === 100);
 * ```
 */
export function createAnswerPool(): AnswerPool {
  const classes: ArrayBuffer[][] = [];
  for (let s = MIN_SHIFT; s <= MAX_SHIFT; s++) classes.push([]);
  let free = 0;

  /** The class index whose capacity holds `length`, or -1. */
  function classOf(length: number): number {
    for (let i = 0, s = MIN_SHIFT; s <= MAX_SHIFT; i++, s++) {
      if (length <= (1 << s) + HEAD_ROOM) return i;
    }
    return -1;
  }

  return {
    take(length: number): Uint8Array {
      const c = classOf(length);
      if (c < 0) return Buffer.allocUnsafeSlow(length);
      const kept = classes[c].pop();
      if (kept !== undefined) {
        free--;
        return new Uint8Array(kept, 0, length);
      }
      return new Uint8Array(new ArrayBuffer((1 << (MIN_SHIFT + c)) + HEAD_ROOM), 0, length);
    },
    give(buffer: Uint8Array): void {
      const ab = buffer.buffer;
      if (!(ab instanceof ArrayBuffer) || buffer.byteOffset !== 0) return;
      const capacity = ab.byteLength - HEAD_ROOM;
      const c = capacity > 0 && (capacity & (capacity - 1)) === 0 ? Math.log2(capacity) : -1;
      if (c < MIN_SHIFT || c > MAX_SHIFT) return;
      const list = classes[c - MIN_SHIFT];
      if (list.length >= POOL_KEEP) return;
      list.push(ab);
      free++;
    },
    get free() {
      return free;
    },
  };
}
