/**
 * Opening a FILE|URL argument as a container: `open` of lib/io dispatches between a file
 * path and an http(s) URL (read with range requests).
 *
 * @module
 */

import type { Container } from "../seek/container.ts";
import { open } from "../io/open.ts";
import type { ByteSource } from "../format/types.ts";
import { openFileSource } from "../io/file.ts";
import { isUrl } from "./text.ts";
import { inputOptions, type TrustArgs } from "./trust.ts";
import { isH4Error } from "../format/errors.ts";
import { otherFormatError } from "./other_format.ts";

/**
 * Opens a path or an http(s) URL as a container (the root is checked on open, H4-INT-004),
 * with the trust and block verification of `--trust`, `--root` and `--verify`.
 *
 * @example
 * ```ts ignore
 * import { openInput } from "./input.ts";
 * const c = await openInput("demo.h4mk");
 * try { console.log(c.blockCount); } finally { await c.close(); }
 * ```
 */
export async function openInput(arg: string, args: TrustArgs = {}): Promise<Container> {
  // A command reads what it needs and exits: no background prefetch of index pages.
  const opts = args.trust || args.root !== undefined || args.verify !== undefined
    ? await inputOptions(args)
    : {};
  try {
    return await open(arg, {
      prefetch: false,
      ...opts,
      ...(remoteTimeout !== undefined ? { timeout: remoteTimeout } : {}),
    });
  } catch (e) {
    // An MP4 (or MP3, Matroska...) given for a container: say what it is and what to run.
    if (isH4Error(e, "H4_BAD_MAGIC")) {
      let better: Error | undefined;
      const src = await openRawSource(arg).catch(() => undefined);
      if (src) {
        try {
          better = await otherFormatError(arg, src, e.message);
        } finally {
          await src.close?.();
        }
      }
      if (better) throw better;
    }
    throw e;
  }
}

/** `--timeout` of this run, in ms; undefined for the reader's default. */
let remoteTimeout: number | undefined;

/**
 * Sets the total time budget of each remote read (the global `--timeout`), in ms.
 *
 * @example
 * ```ts
 * import { setRemoteTimeout } from "./input.ts";
 * setRemoteTimeout(5000);
 * setRemoteTimeout(undefined);
 * ```
 */
export function setRemoteTimeout(ms: number | undefined): void {
  remoteTimeout = ms;
}

/**
 * Runs `fn` with an opened container and always closes it.
 *
 * @example
 * ```ts ignore
 * import { withInput } from "./input.ts";
 * const n = await withInput("demo.h4mk", (c) => c.blockCount);
 * ```
 */
export async function withInput<T>(
  arg: string,
  fn: (container: Container) => Promise<T> | T,
  args: TrustArgs = {},
): Promise<T> {
  const container = await openInput(arg, args);
  try {
    return await fn(container);
  } finally {
    await container.close();
  }
}

/**
 * Opens a path or an http(s) URL as raw bytes, without reading it as a container (for
 * `inspect`, which must also show files that do not open).
 *
 * @example
 * ```ts ignore
 * import { openRawSource } from "./input.ts";
 * const src = await openRawSource("damaged.h4mk");
 * ```
 */
export async function openRawSource(arg: string): Promise<ByteSource> {
  if (isUrl(arg)) {
    return await (await import("../io/http_source.ts")).openHttpSource(
      arg,
      remoteTimeout !== undefined ? { timeout: remoteTimeout } : {},
    );
  }
  return await openFileSource(arg);
}
