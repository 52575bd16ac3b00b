/**
 * The temporary outputs of this process (files and folders written under a temporary name
 * and renamed when complete), so that a program can remove them when it is stopped by a
 * signal. The library only keeps the list; what to do on a signal is the program's choice
 * (the CLI removes them and exits, lib/cli/signals.ts).
 *
 * @module
 */

const pending = new Set<string>();
let watcher: ((count: number) => void) | null = null;

/**
 * Records `path` as a temporary output until the returned function is called.
 *
 * @example
 * ```ts
 * import { pendingTemporaries, trackTemporary } from "./temporaries.ts";
 * import assert from "node:assert/strict";
 * const done = trackTemporary("/tmp/.x.tmp");
 * assert(pendingTemporaries().includes("/tmp/.x.tmp"));
 * done();
 * assert(!pendingTemporaries().includes("/tmp/.x.tmp"));
 * ```
 */
export function trackTemporary(path: string): () => void {
  pending.add(path);
  watcher?.(pending.size);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    pending.delete(path);
    watcher?.(pending.size);
  };
}

/**
 * The temporary outputs not yet renamed or removed, oldest first.
 *
 * @example
 * ```ts
 * import { pendingTemporaries } from "./temporaries.ts";
 * import assert from "node:assert/strict";
 * assert(Array.isArray(pendingTemporaries()));
 * ```
 */
export function pendingTemporaries(): string[] {
  return [...pending];
}

/**
 * Calls `f` with the number of pending temporary outputs each time it changes (null stops).
 *
 * @example
 * ```ts
 * import { watchTemporaries } from "./temporaries.ts";
 * watchTemporaries((n) => console.log(`${n} temporary outputs`));
 * watchTemporaries(null);
 * ```
 */
export function watchTemporaries(f: ((count: number) => void) | null): void {
  watcher = f;
}
