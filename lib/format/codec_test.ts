import assert from "node:assert/strict";
import { codecId, codecName, decodePayload, encodePayload } from "./codec.ts";
import { CODEC_IDS, CODEC_NAMES } from "./constants.ts";
import { rleEncode } from "./rle.ts";
import { payload, randomBytes, rejectsH4, rng, throwsH4 } from "./testdata/helpers.ts";
import type { CodecName } from "./types.ts";

Deno.test("codec: names and ids of SPEC.md section 5", () => {
  assert.deepEqual(CODEC_NAMES, ["none", "deflate", "rle"]);
  assert.deepEqual(CODEC_IDS, { none: 0, deflate: 1, rle: 2 });
  for (const [i, name] of CODEC_NAMES.entries()) {
    assert.equal(codecName(i), name);
    assert.equal(codecId(name), i);
  }
});

Deno.test("codec: unknown codec ids are H4_UNKNOWN_CODEC (H4-COD-001)", () => {
  for (const id of [3, 4, 127, 255, -1, 1.5]) {
    const e = throwsH4(() => codecName(id, 77, "TRKS"), "H4_UNKNOWN_CODEC", "H4-COD-001");
    assert.equal(e.offset, 77);
    assert.equal(e.chunk, "TRKS");
  }
});

Deno.test("codec: codec names not in SPEC.md are H4_BAD_ARGUMENT", () => {
  for (const name of ["zstd", "", "NONE", "Deflate", "gzip"]) {
    throwsH4(() => codecId(name), "H4_BAD_ARGUMENT");
  }
});

Deno.test("codec: names inherited from Object.prototype are not codecs", () => {
  // BUG: codecId looks the name up with `in`-like indexing on a plain object, so "toString",
  // "constructor" and "__proto__" return a function or an object instead of throwing.
  for (const name of ["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf"]) {
    throwsH4(() => codecId(name), "H4_BAD_ARGUMENT");
  }
});

Deno.test("codec: encode then decode round trips for every codec", async () => {
  const r = rng(41);
  const inputs = [new Uint8Array(0), payload(3, 1000), randomBytes(r, 777), new Uint8Array(600)];
  for (const codec of CODEC_NAMES) {
    for (const data of inputs) {
      const stored = await encodePayload(codec as CodecName, data);
      assert.deepEqual(await decodePayload(codec as CodecName, stored, data.length), data);
    }
  }
  // none stores the payload as is; rle is the original's code.
  const d = payload(1, 50);
  assert.equal(await encodePayload("none", d), d);
  assert.deepEqual(await encodePayload("rle", d), rleEncode(d));
});

Deno.test("codec: decode with a wrong plain length is H4_CODEC_ERROR for every codec", async () => {
  const d = payload(2, 300);
  for (const codec of CODEC_NAMES) {
    const stored = await encodePayload(codec as CodecName, d);
    for (const n of [299, 301, 0]) {
      await rejectsH4(
        decodePayload(codec as CodecName, stored, n),
        "H4_CODEC_ERROR",
        "H4-COD-002",
      );
    }
  }
});
