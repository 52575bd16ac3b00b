/**
 * Stopping the CLI by a signal leaves nothing behind: while a temporary output exists,
 * SIGINT, SIGTERM and SIGHUP remove every pending temporary file or folder and exit with
 * 128 + the signal number (130, 143, 129), as a shell reports a process killed by it. With
 * no temporary output the signals keep their default action (and `serve` its own handling).
 *
 * @module
 */

import { pendingTemporaries, watchTemporaries } from "../io/temporaries.ts";

/** Exit code for each signal handled: 128 + its number. */
export const SIGNAL_EXITS: Readonly<Record<"SIGINT" | "SIGTERM" | "SIGHUP", number>> = {
  SIGINT: 130,
  SIGTERM: 143,
  SIGHUP: 129,
};

/**
 * Removes the pending temporary outputs now (synchronously: the process is about to exit).
 *
 * @example
 * ```ts
 * import { removeTemporaries } from "./signals.ts";
 * removeTemporaries();
 * ```
 */
export function removeTemporaries(): void {
  for (const path of pendingTemporaries()) {
    try {
      Deno.removeSync(path, { recursive: true });
    } catch {
      // Already renamed or removed: nothing left under the temporary name.
    }
  }
}

/**
 * Installs the signal handling of the CLI process (call once, from the program's entry).
 *
 * @example
 * ```ts ignore
 * import { installSignalCleanup } from "./signals.ts";
 * installSignalCleanup();
 * ```
 */
export function installSignalCleanup(): void {
  const handlers = Object.entries(SIGNAL_EXITS).map(([signal, code]) => ({
    signal: signal as Deno.Signal,
    handler: () => {
      removeTemporaries();
      Deno.exit(code);
    },
  }));
  let installed = false;
  watchTemporaries((count) => {
    if (count > 0 && !installed) {
      installed = true;
      for (const { signal, handler } of handlers) {
        try {
          Deno.addSignalListener(signal, handler);
        } catch {
          // Not every platform has every signal (Windows has no SIGHUP).
        }
      }
    } else if (count === 0 && installed) {
      installed = false;
      for (const { signal, handler } of handlers) {
        try {
          Deno.removeSignalListener(signal, handler);
        } catch { /* never added */ }
      }
    }
  });
}
