/**
 * Loads mp4box on first use (export and the rest of lib/media never pay for it) with its own
 * logging silenced: its `Log` prints lines such as `[BoxParser] Invalid box type` (with raw
 * bytes, NULs included) to the console, even when the caller asked for quiet. Errors still
 * reach the file's `onError`, where the importer turns them into typed errors.
 *
 * @module
 */

type LogFn = (
  module: string,
  msg: string,
  isofile?: { onError?: (m: string, s: string) => void },
) => void;

let loaded: Promise<typeof import("mp4box")> | undefined;

/**
 * mp4box, loaded once, with info, warning and debug lines dropped and an error sent to the
 * file's `onError` when it has one (dropped otherwise).
 *
 * @example
 * ```ts
 * import { loadMp4box } from "./quiet.ts";
 * import assert from "node:assert/strict";
 * const { createFile } = await loadMp4box();
 * assert(typeof createFile === "function");
 * ```
 */
export function loadMp4box(): Promise<typeof import("mp4box")> {
  loaded ??= import("mp4box").then((m) => {
    const log = m.Log as unknown as Record<string, LogFn>;
    const drop: LogFn = () => {};
    log.debug = drop;
    log.log = drop;
    log.info = drop;
    log.warn = drop;
    log.error = (module, msg, isofile) => isofile?.onError?.(module, msg);
    return m;
  });
  return loaded;
}
