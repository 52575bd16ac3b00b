import assert from "node:assert/strict";
import { walkChunks } from "../../lib/format/chunk.ts";
import { crc32 } from "../../lib/hash/crc32.ts";
import { openContainer } from "../../lib/seek/container.ts";
import {
  build,
  flipLivc,
  flipStoredRaw,
  packForgery,
  renameSuite,
  replaceStoredRaw,
} from "./cipher_build.ts";
import { decodeLivc } from "../../lib/living/livc.ts";

const crcsHold = (b: Uint8Array) => walkChunks(b).every((c) => crc32(c.payload) === c.crc);

Deno.test("cipher vector material: build is deterministic and keeps what the sealer made", async () => {
  const a = await build();
  const b = await build();
  assert.deepEqual(a.bytes, b.bytes);
  assert.equal(a.stored.length, 10);
  assert.equal(decodeLivc(a.livc).blockCount, 10);
});

Deno.test("cipher vector material: in-place changes touch one block and fix its chunk's CRC only", async () => {
  const base = await build();
  const c = await openContainer(base.bytes);
  const e = await c.entry(5);
  const flipped = await flipStoredRaw(base.bytes, 5, (n) => n - 1);
  const diff = [...flipped.keys()].filter((i) => flipped[i] !== base.bytes[i]);
  // The block's last byte, and the CRC field of its storage chunk (one SEGM here: at 8).
  assert.deepEqual(diff.filter((i) => i < 16 || i >= 20), [e.offset + e.stored_length - 1]);
  assert.ok(diff.length > 1);
  assert.ok(crcsHold(flipped));
  const swapped = await replaceStoredRaw(base.bytes, 1, base.stored[4]);
  assert.ok(crcsHold(swapped));
  await assert.rejects(replaceStoredRaw(base.bytes, 1, base.stored[0]), /another length/);
});

Deno.test("cipher vector material: a forgery of the true stored bytes is the genuine file", async () => {
  const base = await build();
  assert.deepEqual(await packForgery(base.blocks, base.stored, base.livc), base.bytes);
  assert.notDeepEqual(flipLivc(0)(base.livc), base.livc);
  assert.equal(decodeLivc(renameSuite(base.livc, "aes-256-gcm-siv")).suite, "aes-256-gcm-siv");
});
