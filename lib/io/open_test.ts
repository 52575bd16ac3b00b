import assert from "node:assert/strict";
import { packContainer } from "../format/writer.ts";
import { avBlocks, LEGACY_DIR, rejectsH4 } from "../format/testdata/helpers.ts";
import { bytesSource } from "../format/byte_source.ts";
import { open } from "./open.ts";
import { serveBytes } from "./testdata/range_server.ts";

Deno.test("open: bytes, a path, a file: URL string and a URL", async () => {
  const blocks = avBlocks(10);
  const bytes = await packContainer(blocks);
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/c.h4mk`;
    await Deno.writeFile(path, bytes);
    const url = new URL(`file://${path}`);
    for (const target of [bytes, path, url.href, url]) {
      const c = await open(target);
      assert.equal(c.blockCount, blocks.length);
      assert.deepEqual(await c.readBlock(3), blocks[3].payload);
      await c.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("open: any ByteSource, which close() then closes", async () => {
  const blocks = avBlocks(3);
  let closed = 0;
  const src = { ...bytesSource(await packContainer(blocks)), close: () => void closed++ };
  const c = await open(src);
  assert.deepEqual(await c.readBlock(2), blocks[2].payload);
  await c.close();
  assert.equal(closed, 1);
});

Deno.test("open: file URLs with spaces and non-ASCII names are decoded", async () => {
  // BUG: open() uses new URL(s).pathname, which stays percent-encoded ("a%20b"), so a file: URL
  // naming a path with a space or a non-ASCII character is not found (H4_IO "no such file").
  const bytes = await packContainer(avBlocks(2));
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/with space`);
    const path = `${dir}/with space/vid\u00e9o.h4mk`;
    await Deno.writeFile(path, bytes);
    assert.equal((await open(path)).blockCount, 4, "the plain path works");
    const url = new URL(`file://${dir}/with space/vid\u00e9o.h4mk`);
    assert.match(url.href, /%20/);
    assert.equal((await open(url)).blockCount, 4);
    assert.equal((await open(url.href)).blockCount, 4);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("open: errors (missing file, not a container, options passed on)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await rejectsH4(open(`${dir}/missing.h4mk`), "H4_IO");
    await Deno.writeFile(`${dir}/junk`, new TextEncoder().encode("RIFF....WAVEfmt "));
    await rejectsH4(open(`${dir}/junk`), "H4_BAD_MAGIC");
    const bytes = await packContainer(avBlocks(2));
    await Deno.writeFile(`${dir}/c.h4mk`, bytes);
    await rejectsH4(
      open(`${dir}/c.h4mk`, { expectedRoot: new Uint8Array(32) }),
      "H4_DIGEST_MISMATCH",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("open: a legacy sample by path", async () => {
  const c = await open(new URL("two-tracks.h4mk", LEGACY_DIR));
  assert.equal(c.profile, "legacy");
  assert.equal(c.blockCount, 24);
  assert.ok((await c.verify()).ok);
  await c.close();
});

Deno.test("open: an http URL is read with range requests", async () => {
  const blocks = avBlocks(50);
  const bytes = await packContainer(blocks, { meta: { pad: "x".repeat(100_000) } });
  const srv = serveBytes(bytes);
  try {
    const c = await open(srv.url, { tailProbe: 4096 });
    assert.equal(c.blockCount, blocks.length);
    assert.deepEqual(await c.readBlock(17, { verify: true }), blocks[17].payload);
    assert.deepEqual(
      c.seek("video_main", 1_000_000).core_index,
      (await open(bytes)).seek("video_main", 1_000_000).core_index,
    );
    assert.ok(srv.requests.every((h) => h.get("range") !== null), "only range requests");
    await c.close();
  } finally {
    await srv.close();
  }
});
