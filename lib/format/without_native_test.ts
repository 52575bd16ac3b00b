import assert from "node:assert/strict";
import { withoutNative } from "../hash/testdata/without_native.ts";
import { deflateDecode, deflateEncode } from "./deflate.ts";
import { packContainer } from "./writer.ts";
import { openContainer } from "../seek/container.ts";
import { randomBytes, rng } from "./testdata/helpers.ts";

Deno.test("without native: inflate gives the same bytes without node:zlib", async () => {
  const r = rng(31);
  const zipped = await deflateEncode(randomBytes(r, 3000).fill(7, 100, 2000));
  const run = async () => (await deflateDecode(zipped, 3000)).toHex();
  assert.equal(await withoutNative(run), await run());
});

Deno.test("without native: a container reads, seeks, verifies and fails the same without the native primitives", async () => {
  const r = rng(32);
  const blocks = Array.from({ length: 300 }, (_, i) => ({
    track_id: i % 3 ? "video" : "audio",
    pts_us: i * 10_000,
    kind: "I" as const,
    keyframe: i % 3 === 0 || i % 30 === 1,
    payload: randomBytes(r, 1 + (i * 37) % 5000),
  }));
  for (const profile of ["v1", "v2"] as const) {
    const bytes = await packContainer(blocks, { profile, blocksPerPage: 64, hashesPerPage: 16 });
    const read = async (b: Uint8Array) => {
      const c = await openContainer(b);
      const seeks = [0, 555_555, 2_999_999].map((t) => c.seek("video", t).core_index);
      const got = await Promise.all([0, 150, 299].map((i) => c.readBlock(i)));
      const ok = (await c.verify()).ok;
      return { seeks, got: got.map((g) => g.toHex()), ok };
    };
    assert.deepEqual(await withoutNative(() => read(bytes)), await read(bytes), profile);
    // A changed payload byte fails the same way.
    const bad = bytes.slice();
    bad[200] ^= 1;
    const fail = async () => {
      const c = await openContainer(bad);
      return await Promise.all(
        [0, 1, 2].map((i) => c.readBlock(i).then(() => "ok", (e) => e.code)),
      );
    };
    assert.deepEqual(await withoutNative(fail), await fail(), profile);
  }
});
