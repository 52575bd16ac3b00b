/**
 * Silences mp4box's own logging: its `Log` prints lines such as `[BoxParser] Invalid box type`
 * (with raw bytes, NULs included) to the console, even when the caller asked for quiet. Errors
 * still reach the file's `onError`, where the importer turns them into typed errors.
 *
 * @module
 */
import { Log } from "mp4box";

type LogFn = (
  module: string,
  msg: string,
  isofile?: { onError?: (m: string, s: string) => void },
) => void;

let done = false;

/**
 * Replaces mp4box's log functions once: info, warnings and debug lines are dropped; an error
 * goes to the file's `onError` when it has one and is dropped otherwise.
 *
 * @example
 * ```ts
 * import { quietMp4box } from "./quiet.ts";
 * quietMp4box();
 * ```
 */
export function quietMp4box(): void {
  if (done) return;
  done = true;
  const log = Log as unknown as Record<string, LogFn>;
  const drop: LogFn = () => {};
  log.debug = drop;
  log.log = drop;
  log.info = drop;
  log.warn = drop;
  log.error = (module, msg, isofile) => isofile?.onError?.(module, msg);
}
