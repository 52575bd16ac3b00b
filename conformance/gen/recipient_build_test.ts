import assert from "node:assert/strict";
import { walkChunks } from "../../lib/format/chunk.ts";
import { openContainer } from "../../lib/seek/container.ts";
import { CID_A, metaChunk, pack, retail } from "./recipient_build.ts";

Deno.test("recipient vector material: retail with the same tail rebuilds the same file", async () => {
  const plain = await pack(CID_A, null);
  assert.deepEqual(await retail(plain, [await metaChunk(plain)]), plain);
});

Deno.test("recipient vector material: retail moves META after a new chunk; the file still opens", async () => {
  const plain = await pack(CID_A, null);
  const meta = await metaChunk(plain);
  const xtra = new Uint8Array(
    [..."XTRA"].map((c) => c.charCodeAt(0)).concat(0, 0, 0, 0, 0, 0, 0, 0),
  );
  const out = await retail(plain, [xtra, meta]);
  const tags = walkChunks(out).map((c) => c.tag);
  assert.deepEqual(tags.slice(-4), ["XTRA", "META", "VERI", "LOCA"]);
  const c = await openContainer(out);
  assert.equal((await c.verify()).ok, true);
});
