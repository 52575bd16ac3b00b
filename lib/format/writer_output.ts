/**
 * The writer's output: bytes go to the sink one write at a time, and the writer goes on with
 * the next blocks while the last write is in progress (it waits for it before the next write,
 * or before it changes or gives away the bytes of that write).
 *
 * @module
 */
import type { ByteSink } from "./types.ts";

/** Where the writer's bytes go, in order. */
export interface WriterOutput {
  /** Offset of the next byte: bytes written, or being written, so far. */
  readonly pos: number;
  /**
   * Writes `bytes` at `pos`. `hold`: the bytes are the caller's, so the promise resolves only
   * once the sink is done with them; otherwise the write may still be in progress when it
   * resolves, and the bytes must stay as they are until `settle` has resolved.
   */
  write(bytes: Uint8Array, hold: boolean): Promise<void>;
  /** Resolves once the last write is done (at once when none is in progress). */
  settle(): Promise<void>;
}

/**
 * An output on `sink`.
 *
 * @example
 * ```ts
 * import { createOutput } from "./writer_output.ts";
 * import assert from "node:assert/strict";
 * const parts: number[][] = [];
 * const out = createOutput({ write: (b) => void parts.push([...b]) });
 * await out.write(new Uint8Array([1, 2]), false);
 * await out.settle();
 * assert.deepEqual(parts, [[1, 2]]);
 * assert.equal(out.pos, 2);
 * ```
 */
export function createOutput(sink: ByteSink): WriterOutput {
  let pos = 0;
  // The last sink write, when it has not resolved yet.
  let pending: Promise<void> | undefined;

  async function settle(): Promise<void> {
    if (pending) {
      const p = pending;
      pending = undefined;
      await p;
    }
  }

  return {
    get pos() {
      return pos;
    },
    async write(bytes, hold) {
      pos += bytes.length;
      await settle();
      const w = sink.write(bytes);
      if (w && typeof (w as Promise<void>).then === "function") {
        const p = Promise.resolve(w);
        if (hold) await p;
        else {
          p.catch(() => {}); // awaited by the next write or by settle, which see its error
          pending = p;
        }
      }
    },
    settle,
  };
}
