/**
 * Blocks and checks shared by the container tests: round trips of every block and the seek
 * semantics of SPEC.md section 10.
 *
 * @module
 */
import assert from "node:assert/strict";
import { encodePayload } from "../../format/codec.ts";
import type { BlockInput, CodecName } from "../../format/types.ts";
import {
  avBlocks,
  blk,
  collect,
  fakeOpener,
  payload,
  throwsH4,
} from "../../format/testdata/helpers.ts";
import type { Container } from "../container.ts";

export const CODECS: CodecName[] = ["none", "deflate", "rle"];

/** Blocks exercising tracks, codecs, empty payloads, B-frames and negative pts. */
export function roundTripBlocks(): BlockInput[] {
  const out = avBlocks(40, 6);
  out.splice(5, 0, blk("\u97f3\u58f0", -10, "I", true, new Uint8Array(0)));
  out.splice(9, 0, blk("vid\u00e9o", 0, "I", true, payload(5, 3000), "rle"));
  out.splice(15, 0, blk("vid\u00e9o", 30, "B", false, payload(6, 10), "deflate"));
  out.splice(20, 0, blk("vid\u00e9o", 20, "P", false, payload(7, 0), "none"));
  out.push(blk("\u{1F3B5}", 5, "P", false, payload(8, 200)));
  return out;
}

export async function checkRoundTrip(c: Container, blocks: BlockInput[], codec: CodecName, opts: {
  encrypted?: boolean;
} = {}): Promise<void> {
  assert.equal(c.blockCount, blocks.length);
  const ids = [...new Set(blocks.map((b) => b.track_id))].sort((a, b) => {
    const x = new TextEncoder().encode(a), y = new TextEncoder().encode(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  });
  assert.deepEqual(c.tracks.map((t) => t.track_id), ids);
  for (const t of c.tracks) {
    const mine = blocks.filter((b) => b.track_id === t.track_id);
    assert.equal(t.blocks, mine.length);
    assert.equal(t.keyframes, mine.filter((b) => b.keyframe).length);
    assert.equal(t.codec, codec);
    assert.equal(t.seek_entries, c.seekTable(t.track_id).count);
  }
  const entries = await collect(c.entries());
  assert.equal(entries.length, blocks.length);
  for (const [i, b] of blocks.entries()) {
    const e = entries[i];
    assert.deepEqual(await c.entry(i), e);
    assert.equal(e.index, i);
    assert.equal(e.track_id, b.track_id);
    assert.equal(e.pts_us, b.pts_us);
    assert.equal(e.kind, b.kind);
    assert.equal(e.keyframe, b.keyframe);
    assert.equal(e.codec, b.codec ?? codec);
    assert.equal(e.plain_length, b.payload.length);
    const enc = await encodePayload(b.codec ?? codec, b.payload);
    assert.equal(e.stored_length, enc.length + (opts.encrypted ? 16 : 0));
    const stored = await c.readStored(i);
    assert.equal(stored.length, e.stored_length);
    assert.deepEqual(await c.readBlock(i, { raw: true }), stored);
    if (!opts.encrypted) assert.deepEqual(stored, enc);
    const o = opts.encrypted ? { opener: fakeOpener } : {};
    assert.deepEqual(await c.readBlock(i, o), b.payload, `block ${i}`);
    assert.deepEqual(await c.readBlock(i, { ...o, verify: true }), b.payload, `verified ${i}`);
  }
}

export function seekBlocks(): BlockInput[] {
  return [
    blk("v", -50, "P", false), // 0: before the first keyframe, not a keyframe
    blk("v", 0, "I", true), // 1
    blk("v", 300, "P", false), // 2
    blk("v", 100, "B", false), // 3
    blk("v", 200, "B", false), // 4
    blk("v", 400, "I", true), // 5
    blk("v", 400, "I", true), // 6: equal pts
    blk("v", 700, "P", false), // 7
    blk("v", 600, "I", true), // 8: a keyframe after a later P
    blk("v", 1000, "I", true), // 9
    blk("nokey", 0, "P", false), // 10
    blk("nokey", 10, "B", false), // 11
    blk("a", 5, "I", true), // 12
  ];
}

export async function checkSeeks(c: Container): Promise<void> {
  const cases: [number, number, boolean][] = [
    [-Number.MAX_SAFE_INTEGER, 1, false],
    [-100, 1, false],
    [-50, 1, false],
    [-1, 1, false],
    [0, 1, true],
    [250, 1, true],
    [399, 1, true],
    [400, 5, true],
    [500, 5, true],
    [599, 5, true],
    [600, 8, true],
    [700, 8, true],
    [999, 8, true],
    [1000, 9, true],
    [10 ** 12, 9, true],
    [Number.MAX_SAFE_INTEGER, 9, true],
  ];
  for (const [t, block, found] of cases) {
    const e = await c.entry(block);
    assert.deepEqual(c.seek("v", t), {
      track_id: "v",
      pts_us: t,
      keyframe_pts_us: e.pts_us,
      core_index: block,
      found,
      offset: e.offset,
      stored_length: e.stored_length,
    }, `seek v ${t}`);
  }
  assert.equal(c.seek("a", 4).found, false);
  assert.equal(c.seek("a", 5).core_index, 12);
  throwsH4(() => c.seek("x", 0), "H4_UNKNOWN_TRACK", "H4-SEEK-001");
  throwsH4(() => c.seek("", 0), "H4_UNKNOWN_TRACK", "H4-SEEK-001");
  throwsH4(() => c.seek("V", 0), "H4_UNKNOWN_TRACK", "H4-SEEK-001");
  const e = throwsH4(() => c.seek("nokey", 0), "H4_UNKNOWN_TRACK", "H4-SEEK-002");
  assert.match(e.message, /keyframe/);
  for (const bad of [1.5, NaN, Infinity, 2 ** 53]) {
    throwsH4(() => c.seek("v", bad), "H4_BAD_ARGUMENT");
  }
}
