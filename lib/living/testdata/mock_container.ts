/**
 * Test helper: an in-memory "container" of sealed blocks that implements
 * {@linkcode CipherContainer} without the format layer, so the crypto can be tested alone.
 *
 * @module
 */
import type { BlockContext, BlockEntry } from "../../format/types.ts";
import type { CipherContainer } from "../opener.ts";
import { createVectorSealer, type VectorSealerOptions } from "../sealer.ts";

/** A mock container whose parts tests may change. */
export interface MockContainer extends CipherContainer {
  livc: Uint8Array | null;
  root: Uint8Array | null;
  blockCount: number;
  /** Index entries (the readable context). */
  entries: BlockEntry[];
  /** Stored bytes per block. */
  stored: Uint8Array[];
}

/** A block context for tests. */
export function ctxOf(index: number, over: Partial<BlockContext> = {}): BlockContext {
  return {
    index,
    track_id: index % 3 === 2 ? "audio" : "video",
    pts_us: index * 33_333 - 1000,
    kind: index % 4 === 0 ? "I" : "P",
    keyframe: index % 4 === 0,
    codec: "none",
    plain_length: 0,
    ...over,
  };
}

/** The test payload of block i: `len` bytes depending on i. */
export function payloadOf(i: number, len = 7 + (i % 5) * 13): Uint8Array {
  const p = new Uint8Array(len);
  for (let j = 0; j < len; j++) p[j] = (i * 31 + j * 7) & 0xff;
  return p;
}

/** Seals `n` blocks with `key` and returns a mock container. */
export function mockContainer(
  key: Uint8Array,
  n: number,
  opts: VectorSealerOptions = {},
  root: Uint8Array = new Uint8Array(32).fill(0xab),
): MockContainer {
  const sealer = createVectorSealer(key, {
    containerId: new Uint8Array(16).fill(0x11),
    epochBlocks: 4,
    ...opts,
  });
  const entries: BlockEntry[] = [];
  const stored: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const payload = payloadOf(i);
    const ctx = ctxOf(i, { plain_length: payload.length });
    const s = sealer.seal(ctx, payload);
    stored.push(s);
    entries.push({ ...ctx, offset: 0, stored_length: s.length, chunk: 0 });
  }
  const livc = sealer.finish(root);
  const c: MockContainer = {
    livc,
    root,
    blockCount: n,
    entries,
    stored,
    entry: (i) => Promise.resolve(c.entries[i]),
    readStored: (i) => Promise.resolve(c.stored[i]),
  };
  return c;
}
