import assert from "node:assert/strict";
import { forEachIndexRow, type IndexRow } from "./index_rows.ts";
import { openContainer } from "./container.ts";
import { packContainer } from "../format/writer.ts";
import { openFileSource } from "../io/file.ts";
import type { Container } from "./types.ts";

async function rows(c: Container): Promise<IndexRow[]> {
  const out: IndexRow[] = [];
  await forEachIndexRow(c, (r) => void out.push({ ...r }));
  return out;
}

async function entries(c: Container): Promise<IndexRow[]> {
  const out: IndexRow[] = [];
  for (let i = 0; i < c.blockCount; i++) {
    const e = await c.entry(i);
    out.push({
      index: e.index,
      track_id: e.track_id,
      pts_us: e.pts_us,
      keyframe: e.keyframe,
      uncoded: e.codec === "none",
      offset: e.offset,
      stored_length: e.stored_length,
      plain_length: e.plain_length,
    });
  }
  return out;
}

Deno.test("forEachIndexRow gives entry(i) for every block, over several small pages", async () => {
  const blocks = Array.from({ length: 23 }, (_, i) => ({
    track_id: i % 3 === 0 ? "a" : "v",
    pts_us: i * 40_000,
    kind: (i % 5 === 0 ? "I" : "P") as "I" | "P",
    keyframe: i % 5 === 0,
    payload: new Uint8Array(i % 4 === 0 ? 300 : i + 1).fill(i % 2),
  }));
  for (const codec of ["none", "deflate"] as const) {
    const c = await openContainer(
      await packContainer(blocks, { blocksPerPage: 4, codec }),
    );
    const got = await rows(c);
    assert.equal(got.length, 23);
    assert.deepEqual(got, await entries(c));
  }
});

Deno.test("forEachIndexRow reads files of the original writer entry by entry", async () => {
  const url = new URL("../../testdata/legacy-v1/two-tracks.h4mk", import.meta.url);
  const c = await openContainer(await openFileSource(url.pathname));
  try {
    const got = await rows(c);
    assert.equal(got.length, c.blockCount);
    assert.deepEqual(got, await entries(c));
  } finally {
    await c.close();
  }
});

Deno.test("forEachIndexRow of an empty container calls nothing", async () => {
  const c = await openContainer(await packContainer([]));
  assert.deepEqual(await rows(c), []);
});
