import assert from "node:assert/strict";
import { ByteReader, ByteWriter } from "./bytes.ts";
import { fastVarint, vpos } from "./fast_varint.ts";

Deno.test("fastVarint reads what ByteReader.varint reads, and -1 where it throws", () => {
  const values = [0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER];
  for (const v of values) {
    const w = new ByteWriter();
    w.varint(v);
    const b = w.finish();
    vpos[0] = 0;
    assert.equal(fastVarint(b), v);
    assert.equal(vpos[0], b.length);
    assert.equal(new ByteReader(b, "H4_BAD_INDEX", "TEST").varint(), v);
  }
  const bad = [[], [0x80], [0x81, 0x00], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]];
  for (const b of bad) {
    vpos[0] = 0;
    assert.equal(fastVarint(new Uint8Array(b)), -1);
    assert.throws(() => new ByteReader(new Uint8Array(b), "H4_BAD_INDEX", "TEST").varint());
  }
});
