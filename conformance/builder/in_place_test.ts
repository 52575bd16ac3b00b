import assert from "node:assert/strict";
import { walkChunks } from "../../lib/format/chunk.ts";
import { crc32 } from "../../lib/hash/crc32.ts";
import { openContainer } from "../../lib/seek/container.ts";
import { small } from "../gen/common.ts";
import { craft } from "./build.ts";
import { appendBeforeVeri, cutEnd, editStoredInPlace } from "./in_place.ts";
import { utf8 } from "./fields.ts";

const crcsHold = (b: Uint8Array) => walkChunks(b).every((c) => crc32(c.payload) === c.crc);

Deno.test("in place: a stored-bytes edit changes the block and its chunk's CRC, nothing else", async () => {
  const base = craft(small());
  const r = base.records[2];
  const edited = craft(small(), {
    hooks: { final: editStoredInPlace([{ block: 2, stored: (s) => s.map((x) => x ^ 0xff) }]) },
  });
  assert.equal(edited.bytes.length, base.bytes.length);
  const chunk = base.layout.find((c) => c.offset <= r.offset && r.offset < c.offset + c.length)!;
  const diff = [...edited.bytes.keys()].filter((i) => edited.bytes[i] !== base.bytes[i]);
  assert.ok(
    diff.every((i) =>
      (i >= r.offset && i < r.offset + r.stored_length) ||
      (i >= chunk.offset + 8 && i < chunk.offset + 12)
    ),
  );
  assert.ok(crcsHold(edited.bytes));
  // BHSH and VERI still describe the bytes as built: a verifier sees the edit.
  const report = await (await openContainer(edited.bytes)).verify();
  assert.ok(!report.ok);
  assert.throws(
    () =>
      craft(small(), {
        hooks: { final: editStoredInPlace([{ block: 0, stored: () => new Uint8Array(1) }]) },
      }),
    /bytes for/,
  );
});

Deno.test("in place: a chunk appended before VERI; VERI and LOCA follow; a cut shortens the file", async () => {
  const s = craft(small(), {
    hooks: { chunks: appendBeforeVeri({ tag: "XTRA", payload: utf8("x") }) },
  });
  assert.deepEqual(s.layout.slice(-3).map((c) => c.tag), ["XTRA", "VERI", "LOCA"]);
  assert.ok((await (await openContainer(s.bytes)).verify()).ok);
  const cut = craft(small(), { hooks: { final: cutEnd(10) } });
  assert.equal(cut.bytes.length, craft(small()).bytes.length - 10);
});
