import assert from "node:assert/strict";
import { encodeChunk, walkChunks } from "../chunk.ts";
import { crc32 } from "../../hash/crc32.ts";
import { computeVeri } from "../veri.ts";
import { packContainer } from "../writer.ts";
import { openContainer } from "../../seek/container.ts";
import { avBlocks, rejectsH4 } from "./helpers.ts";
import {
  chunk,
  fixCrc,
  fixCrcAt,
  fixCrcs,
  fixRoot,
  fixVeri,
  flip,
  forge,
  insertBeforeLoca,
  insertChunkBeforeVeri,
  setPayload,
  walk,
} from "./forge.ts";

const file = await packContainer(avBlocks(12, 4), { segmentTarget: 300, meta: { t: "x" } });

function crcsHold(b: Uint8Array): boolean {
  return walkChunks(b).every((c) => crc32(c.payload) === c.crc);
}

Deno.test("forge kit: walk and chunk find the writer's chunks; a chunk that overruns throws", () => {
  assert.equal(walk(file).at(-1)!.tag, "LOCA");
  assert.equal(chunk(file, "SEGM", 1).tag, "SEGM");
  assert.throws(() => chunk(file, "XTRA"), /no XTRA/);
  assert.throws(() => walk(file.subarray(0, file.length - 1)), /overruns/);
});

Deno.test("forge kit: CRC fix-ups (one chunk, the chunk holding an offset, all)", async () => {
  const seg = chunk(file, "SEGM", 1);
  const at = seg.offset + 12 + 3;
  assert.ok(!crcsHold(flip(file, at)));
  assert.ok(crcsHold(fixCrc(flip(file, at), seg.offset)));
  assert.ok(crcsHold(fixCrcAt(flip(file, at), at)));
  assert.ok(crcsHold(fixCrcs(flip(file, at))));
  assert.throws(() => fixCrcAt(file.slice(), 3), /in no chunk/);
  // CRCs hold, VERI and BHSH do not: full verification finds it.
  const c = await openContainer(fixCrcs(flip(file, at)));
  assert.equal((await c.verify()).ok, false);
});

Deno.test("forge kit: setPayload, fixVeri and insertChunkBeforeVeri keep VERI right", async () => {
  const veri = chunk(file, "VERI");
  const zero = setPayload(file.slice(), veri.offset, new Uint8Array(32));
  assert.ok(crcsHold(zero));
  assert.throws(() => setPayload(file.slice(), veri.offset, new Uint8Array(31)), /31 bytes/);
  assert.deepEqual(fixVeri(zero), file);
  const longer = insertChunkBeforeVeri(file, "XTRA", new Uint8Array([1, 2, 3]));
  const v2 = chunk(longer, "VERI");
  assert.equal(chunk(longer, "XTRA").offset, veri.offset);
  assert.deepEqual(v2.payload, computeVeri(longer, v2.offset));
  assert.ok(crcsHold(longer));
  assert.equal((await (await openContainer(longer)).verify()).ok, true);
});

Deno.test("forge kit: fixRoot re-signs edited tables; forge makes a changed block consistent", async () => {
  const meta = chunk(file, "META");
  const edited = file.slice();
  edited[meta.offset + 12 + 6] = "y".charCodeAt(0);
  await rejectsH4(openContainer(fixCrcs(edited)), "H4_DIGEST_MISMATCH");
  const c = await openContainer(fixRoot(edited));
  assert.equal(c.meta.t, "y");
  // A stored byte changed: BHSH, TDIR, root and VERI follow, so every unkeyed check holds.
  const seg = chunk(file, "SEGM", 0);
  const forged = forge(flip(file, seg.offset + 12));
  assert.notDeepEqual(forged, file);
  assert.equal((await (await openContainer(forged)).verify()).ok, true);
  assert.deepEqual(forge(file), file);
});

Deno.test("forge kit: insertBeforeLoca puts chunks between VERI and LOCA, the rest unchanged", () => {
  const sign = encodeChunk("SIGN", new Uint8Array(100));
  const out = insertBeforeLoca(file, sign, sign);
  const tags = walk(out).map((c) => c.tag);
  assert.deepEqual(tags.slice(-4), ["VERI", "SIGN", "SIGN", "LOCA"]);
  assert.deepEqual(out.subarray(0, file.length - 172), file.subarray(0, file.length - 172));
  assert.deepEqual(out.subarray(out.length - 172), file.subarray(file.length - 172));
});
