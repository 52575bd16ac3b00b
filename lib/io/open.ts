/**
 * One entry point for every reader: a path, an http(s) URL, bytes, or any byte source.
 *
 * @module
 */
import { openContainer, type OpenOptions } from "../seek/container.ts";
import type { Container } from "../seek/container.ts";
import type { ByteSource } from "../format/types.ts";
import { openFileSource } from "./file.ts";

/**
 * Opens a container from a file path, a `file:`, `http:` or `https:` URL (http(s) read with Range
 * requests), bytes in memory, or any {@linkcode ByteSource} (which the container then owns:
 * `close()` closes it). Blocks read from an http(s) URL are checked against their BHSH hash unless
 * `verifyBlocks: false` (the transport is not trusted, SPEC.md 18.5). `timeout` is the total time
 * budget of each remote open or read, ms (see `HttpSourceOptions.timeout`).
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
  target: string | URL | Uint8Array | ByteSource,
  opts: OpenOptions & { timeout?: number } = {},
): Promise<Container> {
  if (typeof target !== "string" && !(target instanceof URL)) {
    return await openContainer(target, opts);
  }
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
