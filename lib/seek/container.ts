/**
 * Random access to a container over any {@linkcode ByteSource}: open from the tail through
 * LOCA (SPEC.md section 7), seek with the per-track tables, fetch index pages, hashes and
 * blocks on demand. Files of the original writer (section 11) are opened by walking their
 * chunks.
 *
 * The parts: open_v2.ts (files with LOCA), legacy.ts (files of the original writer),
 * index_pages.ts and page_cache.ts (pages read on demand, kept in bounded caches),
 * block_read.ts, container_object.ts (the object returned), rules.ts (the rules `open` and
 * `verify` share), types.ts (the public types, re-exported here).
 *
 * @module
 */
import { bytesSource } from "../format/byte_source.ts";
import { type ChunkHeader, parseChunkHeader } from "../format/chunk.ts";
import {
  CHUNK_HEADER_LENGTH,
  DEFAULT_TAIL_PROBE,
  HEADER_LENGTH,
  LOCA_CHUNK_LENGTH,
  VERSION_V2,
} from "../format/constants.ts";
import { H4Error } from "../format/errors.ts";
import type { ByteSource } from "../format/types.ts";
import { openLegacy } from "./legacy.ts";
import { openIndexed } from "./open_v2.ts";
import { checkMagicAndVersion } from "./rules.ts";
import type { Container, OpenOptions } from "./types.ts";

export {
  type ChunkInfo,
  type Container,
  INDEX_COLUMNS,
  type IndexColumnsAccess,
  type OpenOptions,
  type ReadBlockOptions,
  type SignatureInfo,
  type TrustOptions,
} from "./types.ts";

/**
 * Opens a container from bytes or any random-access source. Reads the tail (64 KiB by
 * default), checks the locator, the small tables and the root, and returns a
 * {@linkcode Container}.
 *
 * @example
 * ```ts
 * import { openContainer } from "./container.ts";
 * import { packContainer } from "../format/writer.ts";
 * import assert from "node:assert/strict";
 * const bytes = await packContainer([
 *   { track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array([1, 2]) },
 * ]);
 * const c = await openContainer(bytes);
 * assert(c.seek("v", 5).core_index === 0);
 * assert((await c.readBlock(0))[1] === 2);
 * ```
 */
export async function openContainer(
  src: ByteSource | Uint8Array,
  opts: OpenOptions = {},
): Promise<Container> {
  const source = src instanceof Uint8Array ? bytesSource(src) : src;
  const size = source.size;
  if (!Number.isSafeInteger(size) || size < HEADER_LENGTH) {
    throw new H4Error("H4_TRUNCATED", `file of ${size} bytes is shorter than the 8-byte header`, {
      offset: 0,
      rule: "H4-FMT-001",
    });
  }
  const probe = Math.min(size, Math.max(LOCA_CHUNK_LENGTH, opts.tailProbe ?? DEFAULT_TAIL_PROBE));
  const tailStart = size - probe;
  const tail = await source.read(tailStart, probe);
  const realHeader = tailStart === 0 ? tail.subarray(0, HEADER_LENGTH) : null;
  if (realHeader) checkMagicAndVersion(realHeader, "header");
  const locaAt = size - LOCA_CHUNK_LENGTH;
  const hasLoca = locaAt >= HEADER_LENGTH &&
    String.fromCharCode(...tail.subarray(locaAt - tailStart, locaAt - tailStart + 4)) === "LOCA";
  if (!hasLoca) {
    const header = realHeader ?? await source.read(0, HEADER_LENGTH);
    const version = checkMagicAndVersion(header, "header");
    if (version === VERSION_V2) {
      throw new H4Error(
        "H4_BAD_LOCATOR",
        `version 2 file has no LOCA chunk in its last 172 bytes`,
        {
          offset: Math.max(0, locaAt),
          rule: "H4-LOC-001",
        },
      );
    }
    if (opts.trust) {
      throw new H4Error(
        "H4_UNTRUSTED",
        "container not trusted: a file of the original writer has no root digest to sign or pin",
        { rule: "H4-SIG-005" },
      );
    }
    return await openLegacy(source, size, tail, tailStart, opts);
  }
  return await openIndexed(source, size, tail, tailStart, realHeader, opts);
}

/**
 * Reads the chunk whose header is at `offset`: header and payload (CRC not checked).
 *
 * @example
 * ```ts
 * import { readChunkAt } from "./container.ts";
 * import { bytesSource } from "../format/byte_source.ts";
 * import { packContainer } from "../format/writer.ts";
 * import assert from "node:assert/strict";
 * const bytes = await packContainer([]);
 * assert((await readChunkAt(bytesSource(bytes), 8)).head.tag === "BIDX");
 * ```
 */
export async function readChunkAt(
  src: ByteSource,
  offset: number,
): Promise<{ head: ChunkHeader; payload: Uint8Array }> {
  const head = parseChunkHeader(await src.read(offset, CHUNK_HEADER_LENGTH), offset, src.size);
  const payload = await src.read(offset + CHUNK_HEADER_LENGTH, head.length);
  return { head, payload };
}
