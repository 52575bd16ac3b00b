import assert from "node:assert/strict";
import { walkChunks } from "../format/chunk.ts";
import { insertChunkBeforeVeri } from "../format/testdata/forge.ts";
import { packContainer } from "../format/writer.ts";
import { generateSigningKey } from "../format/sign_keys.ts";
import { openContainer } from "./container.ts";
import { unsealedChunks, type WalkedChunk } from "./unsealed.ts";

const walk = (bytes: Uint8Array): WalkedChunk[] => walkChunks(bytes);

const BLOCKS = [
  { track_id: "v", pts_us: 0, kind: "I" as const, keyframe: true, payload: new Uint8Array(9) },
  { track_id: "v", pts_us: 1, kind: "P" as const, keyframe: false, payload: new Uint8Array(4) },
];

Deno.test("unsealed: a file as written has no chunk outside the root, in both profiles", async () => {
  for (const profile of ["v1", "v2"] as const) {
    const bytes = await packContainer(BLOCKS, { profile, safe: { a: 1 } });
    assert.deepEqual(await unsealedChunks(await openContainer(bytes), walk(bytes)), [], profile);
  }
});

Deno.test("unsealed: inserted chunks, copies and a v1 SEEK with entries are named", async () => {
  const bytes = await packContainer(BLOCKS, { profile: "v1" });
  const extra = insertChunkBeforeVeri(bytes, "XTRA", new Uint8Array([1, 2, 3]));
  const c = await openContainer(extra);
  assert.ok((await c.verify()).ok, "VERI fixed: every unkeyed check holds");
  const u = await unsealedChunks(c, walk(extra));
  assert.deepEqual(u.map((w) => [w.tag, w.length]), [["XTRA", 3]]);
  assert.match(u[0].reason, /tag this version does not define/);

  const copy = insertChunkBeforeVeri(bytes, "META", new TextEncoder().encode('{"x":1}'));
  const cu = await unsealedChunks(await openContainer(copy), walk(copy));
  assert.deepEqual(cu.map((w) => w.tag), ["META"]);
  assert.match(cu[0].reason, /LOCA does not point at/);

  // v1's SEEK chunk must be the empty one: 4 zero bytes.
  const w = walk(bytes).find((x) => x.tag === "SEEK")!;
  const seek = bytes.slice();
  seek[w.offset + 12 + 3] = 1;
  const su = await unsealedChunks(await openContainer(seek), walk(seek));
  assert.deepEqual(su.map((x) => x.tag), ["SEEK"]);
});

Deno.test("unsealed: signatures between VERI and LOCA are covered; a SIGN elsewhere is not", async () => {
  const key = await generateSigningKey();
  const bytes = await packContainer(BLOCKS, { signingKeys: [key] });
  const c = await openContainer(bytes);
  const walked = walk(bytes);
  assert.deepEqual(walked.slice(-3).map((w) => w.tag), ["VERI", "SIGN", "LOCA"]);
  assert.deepEqual(await unsealedChunks(c, walked), []);
  // The same SIGN chunk moved before VERI is outside everything a key checks.
  const sign = walked.find((w) => w.tag === "SIGN")!;
  const moved = [...walked.filter((w) => w.tag !== "SIGN")];
  moved.splice(moved.length - 2, 0, sign);
  assert.deepEqual((await unsealedChunks(c, moved)).map((u) => u.tag), ["SIGN"]);
});
