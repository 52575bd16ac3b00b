/**
 * One entry point for every read command: a path, an http(s) URL, or bytes.
 *
 * @module
 */
import { openContainer, type OpenOptions } from "../seek/container.ts";
import type { Container } from "../seek/container.ts";
import { openFileSource } from "./file.ts";

/** Options of {@linkcode open} for an http(s) URL. */
export interface RemoteOptions {
  /** Total time budget of each remote open or read, ms (see `HttpSourceOptions.timeout`). */
  timeout?: number;
}

/**
 * Opens a container from a file path, an `http:`/`https:` URL (read with Range requests), or
 * bytes in memory. Blocks read from a URL are checked against their BHSH hash unless
 * `verifyBlocks: false` (the transport is not trusted, SPEC.md 18.5).
 *
 * @example
 * ```ts
 * import { open } from "./open.ts";
 * import { packContainer } from "../format/writer.ts";
 * import assert from "node:assert/strict";
 * const c = await open(await packContainer([]));
 * assert(c.blockCount === 0);
 * ```
 */
export async function open(
  target: string | URL | Uint8Array,
  opts: OpenOptions & RemoteOptions = {},
): Promise<Container> {
  if (target instanceof Uint8Array) return await openContainer(target, opts);
  const s = String(target);
  if (/^https?:\/\//i.test(s)) {
    const { openHttpSource } = await import("./http_source.ts");
    const src = await openHttpSource(s, {
      tailProbe: opts.tailProbe,
      ...(opts.timeout !== undefined ? { timeout: opts.timeout } : {}),
    });
    return await openContainer(src, { ...opts, verifyBlocks: opts.verifyBlocks ?? true });
  }
  const src = await openFileSource(
    s.startsWith("file:") ? decodeURIComponent(new URL(s).pathname) : s,
  );
  try {
    return await openContainer(src, opts);
  } catch (e) {
    await src.close?.();
    throw e;
  }
}
