/**
 * A bounded pool of concurrent tasks: file writes overlap (many small files are bound by
 * system call latency, not bandwidth) while memory stays bounded by the pool size.
 *
 * @module
 */

/** A pool: `run` waits for room, `drain` waits for everything and throws the first error. */
export interface TaskPool {
  /** Starts `task` once fewer than `limit` tasks run; rethrows an earlier task's error. */
  run(task: () => Promise<void>): Promise<void>;
  /** Waits for every task; rethrows the first error. */
  drain(): Promise<void>;
}

/**
 * Makes a pool of at most `limit` concurrent tasks.
 *
 * @example
 * ```ts
 * import { createPool } from "./pool.ts";
 * import assert from "node:assert/strict";
 * const pool = createPool(4);
 * let n = 0;
 * for (let i = 0; i < 10; i++) await pool.run(async () => { n++; });
 * await pool.drain();
 * assert(n === 10);
 * ```
 */
export function createPool(limit: number): TaskPool {
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const check = () => {
    if (failure) throw failure.error;
  };
  return {
    async run(task) {
      check();
      while (running.size >= limit) {
        await Promise.race(running);
        check();
      }
      const p: Promise<void> = task()
        .catch((error) => {
          failure ??= { error };
        })
        .finally(() => {
          running.delete(p);
        });
      running.add(p);
    },
    async drain() {
      await Promise.all(running);
      check();
    },
  };
}
