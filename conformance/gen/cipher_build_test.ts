import assert from "node:assert/strict";
import { walkChunks } from "../../lib/format/chunk.ts";
import { packContainer } from "../../lib/format/writer.ts";
import { crc32 } from "../../lib/hash/crc32.ts";
import { decodeLivc } from "../../lib/living/livc.ts";
import { createVectorSealer } from "../../lib/living/sealer.ts";
import { openContainer } from "../../lib/seek/container.ts";
import {
  build,
  editStored,
  flipByte,
  flipLivc,
  forge,
  META,
  renameSuite,
  SAFE,
  VECTOR_CONTAINER_ID,
  VECTOR_KEY,
} from "./cipher_build.ts";

const crcsHold = (b: Uint8Array) => walkChunks(b).every((c) => crc32(c.payload) === c.crc);

Deno.test("cipher vector material: build is deterministic and keeps what the sealer made", () => {
  const a = build();
  const b = build();
  assert.deepEqual(a.bytes, b.bytes);
  assert.equal(a.stored.length, 10);
  assert.equal(decodeLivc(a.livc).blockCount, 10);
});

Deno.test("cipher vector material: the builder writes the library writer's bytes for the same sealer", async () => {
  for (const profile of ["v1", "v2"] as const) {
    for (const blocks of [undefined, []]) {
      const built = build({ profile, blocks });
      const sealer = createVectorSealer(VECTOR_KEY, {
        containerId: VECTOR_CONTAINER_ID,
        epochBlocks: 4,
        backend: "portable",
      });
      const lib = await packContainer(built.blocks, {
        profile,
        meta: META,
        safe: SAFE,
        seekIntervalUs: 0,
        sealer,
      });
      assert.deepEqual(built.bytes, lib, `${profile}, ${built.blocks.length} blocks`);
    }
  }
});

Deno.test("cipher vector material: in-place changes touch one block and fix its chunk's CRC only", async () => {
  const base = build();
  const c = await openContainer(base.bytes);
  const e = await c.entry(5);
  const flipped = editStored([{ block: 5, stored: flipByte((n) => n - 1) }]);
  const diff = [...flipped.keys()].filter((i) => flipped[i] !== base.bytes[i]);
  // The block's last byte, and the CRC field of its storage chunk (one SEGM here: at 8).
  assert.deepEqual(diff.filter((i) => i < 16 || i >= 20), [e.offset + e.stored_length - 1]);
  assert.ok(diff.length > 1);
  assert.ok(crcsHold(flipped));
  // VERI still describes the bytes as built.
  const report = await (await openContainer(flipped)).verify();
  assert.ok(report.checks.some((x) => !x.ok && x.code === "H4_VERI_MISMATCH"));
  const swapped = editStored([{ block: 1, stored: () => base.stored[4] }]);
  assert.ok(crcsHold(swapped));
  assert.throws(() => editStored([{ block: 1, stored: () => base.stored[0] }]), /bytes for/);
});

Deno.test("cipher vector material: a forgery of the true stored bytes is the genuine file", () => {
  const base = build();
  assert.deepEqual(forge(base.blocks, base.stored, base.livc), base.bytes);
  assert.notDeepEqual(flipLivc(0)(base.livc), base.livc);
  assert.equal(decodeLivc(renameSuite(base.livc, "aes-256-gcm-siv")).suite, "aes-256-gcm-siv");
});
