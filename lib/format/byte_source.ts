/**
 * A {@linkcode ByteSource} over bytes in memory.
 *
 * @module
 */
import { H4Error } from "./errors.ts";
import type { ByteSource } from "./types.ts";

/**
 * Wraps bytes as a random-access source; reads return views, not copies.
 *
 * @example
 * ```ts
 * import { bytesSource } from "./byte_source.ts";
 * import assert from "node:assert/strict";
 * const s = bytesSource(new Uint8Array([1, 2, 3]));
 * assert((await s.read(1, 2))[1] === 3);
 * ```
 */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read(offset: number, length: number): Promise<Uint8Array> {
      if (
        !Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0
      ) {
        return Promise.reject(new H4Error("H4_BAD_ARGUMENT", `bad read range ${offset}+${length}`));
      }
      if (offset + length > bytes.length) {
        return Promise.reject(
          new H4Error(
            "H4_TRUNCATED",
            `read of ${length} bytes at ${offset} passes the end (${bytes.length})`,
            { offset },
          ),
        );
      }
      return Promise.resolve(bytes.subarray(offset, offset + length));
    },
  };
}
