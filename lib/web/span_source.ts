/**
 * A byte source for the web player that answers reads inside the last prefetched span from
 * memory: the player fetches a whole keyframe interval with one Range request, then reads its
 * blocks one by one without further requests.
 *
 * @module
 */
import type { ByteSource } from "../format/types.ts";

/** A {@linkcode ByteSource} with `prefetch`, which keeps one span of the inner source. */
export interface SpanSource extends ByteSource {
  /** Reads `length` bytes at `offset` from the inner source and keeps them for later reads. */
  prefetch(offset: number, length: number): Promise<void>;
}

/**
 * Wraps `inner`: reads inside the last prefetched span come from memory, others from `inner`.
 *
 * @example
 * ```ts
 * import { spanSource } from "./span_source.ts";
 * import { bytesSource } from "../format/byte_source.ts";
 * import assert from "node:assert/strict";
 * const s = spanSource(bytesSource(new Uint8Array([1, 2, 3, 4])));
 * await s.prefetch(1, 2);
 * assert.deepEqual(await s.read(2, 1), new Uint8Array([3]));
 * ```
 */
export function spanSource(inner: ByteSource): SpanSource {
  let span: { start: number; bytes: Uint8Array } | null = null;
  return {
    get size() {
      return inner.size;
    },
    read(offset: number, length: number): Promise<Uint8Array> {
      if (span && offset >= span.start && offset + length <= span.start + span.bytes.length) {
        return Promise.resolve(
          span.bytes.subarray(offset - span.start, offset - span.start + length),
        );
      }
      return inner.read(offset, length);
    },
    async prefetch(offset: number, length: number): Promise<void> {
      span = { start: offset, bytes: await inner.read(offset, length) };
    },
    close: () => inner.close?.(),
  };
}
