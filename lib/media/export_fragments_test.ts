import assert from "node:assert/strict";
import { openContainer } from "../seek/container.ts";
import { blockReader } from "./export_fragments.ts";
import type { BlockLayout } from "./export_timing.ts";
import { importMedia } from "./import.ts";
import { fixture, memorySink } from "./testdata/helpers.ts";

Deno.test("blockReader: windows over the file give what readBlock gives, in any order", async () => {
  const h4 = memorySink();
  await importMedia(fixture("av_frag.mp4"), h4.sink);
  const bytes = h4.bytes();
  const c = await openContainer(bytes);
  const layout: BlockLayout = { order: [], sizes: [], track: [], offset: [], stored: [] };
  for await (const e of c.entries()) {
    layout.order.push(e.index);
    layout.sizes.push(e.plain_length);
    layout.offset.push(e.codec === "none" ? e.offset : -1);
    layout.stored.push(e.stored_length);
  }
  let reads = 0;
  const readInto = (buf: Uint8Array, offset: number) => {
    reads++;
    buf.set(bytes.subarray(offset, offset + buf.length));
    return Promise.resolve();
  };
  const blocks = blockReader(c, { readInto }, layout);
  const n = layout.order.length;
  for (const j of [0, 1, n - 1, 2, n >> 1]) {
    const bytes = blocks.now(j) ?? await blocks.at(j);
    assert.deepEqual(bytes, await c.readBlock(layout.order[j]), `block ${j}`);
    assert.deepEqual(blocks.now(j), bytes, `block ${j} is in the window at hand`);
  }
  assert.ok(reads >= 1);
});
