import assert from "node:assert/strict";
import { decodeJsonDoc, encodeJsonDoc, type JsonObject } from "./meta.ts";
import { H4Error } from "./errors.ts";
import { throwsH4 } from "./testdata/helpers.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);

Deno.test("meta: compact UTF-8 JSON, non-ASCII kept as is, keys in insertion order", () => {
  const doc = { z: 1, a: "vid\u00e9o \u97f3\u58f0 \u{1F3B5}", n: [1, { b: null }], t: true };
  const bytes = encodeJsonDoc(doc);
  assert.equal(
    new TextDecoder().decode(bytes),
    '{"z":1,"a":"vid\u00e9o \u97f3\u58f0 \u{1F3B5}","n":[1,{"b":null}],"t":true}',
  );
  assert.deepEqual(decodeJsonDoc(bytes, "META"), doc);
  assert.deepEqual(Object.keys(decodeJsonDoc(bytes, "META")), ["z", "a", "n", "t"]);
  assert.deepEqual(decodeJsonDoc(encodeJsonDoc({}), "SAFE"), {});
});

Deno.test("meta: invalid UTF-8 is H4_BAD_UTF8 (H4-ENC-005)", () => {
  for (const b of [[0x7b, 0x22, 0xc0, 0x80, 0x22, 0x3a, 0x31, 0x7d], [0x7b, 0xed, 0xa0, 0x80]]) {
    const e = throwsH4(
      () => decodeJsonDoc(Uint8Array.from(b), "SAFE", 99),
      "H4_BAD_UTF8",
      "H4-ENC-005",
    );
    assert.equal(e.chunk, "SAFE");
  }
});

Deno.test("meta: not JSON, or not an object, is H4_BAD_JSON (H4-MET-001)", () => {
  for (
    const text of ["", "{", "{'a':1}", '{"a":1,}', "[]", "null", "1", '"x"', "true", "\ufeff{}"]
  ) {
    const e = throwsH4(() => decodeJsonDoc(utf8(text), "META", 5), "H4_BAD_JSON", "H4-MET-001");
    assert.equal(e.chunk, "META");
  }
});

function nested(depth: number, open = "[", close = "]"): string {
  return open.repeat(depth) + close.repeat(depth);
}

Deno.test("meta: depth 64 is accepted, 65 is H4_BAD_JSON (H4-MET-001)", () => {
  // The object itself is level 1.
  const ok = `{"a":${nested(63)}}`;
  assert.ok(decodeJsonDoc(utf8(ok), "META"));
  throwsH4(() => decodeJsonDoc(utf8(`{"a":${nested(64)}}`), "META"), "H4_BAD_JSON", "H4-MET-001");
  let objs = "1";
  for (let i = 0; i < 65; i++) objs = `{"k":${objs}}`;
  throwsH4(() => decodeJsonDoc(utf8(objs), "SAFE"), "H4_BAD_JSON", "H4-MET-001");
});

Deno.test("meta: 100,000 nested arrays or objects give H4_BAD_JSON, not a stack overflow", () => {
  const deepArrays = `{"a":${nested(100_000)}}`;
  throwsH4(() => decodeJsonDoc(utf8(deepArrays), "META"), "H4_BAD_JSON", "H4-MET-001");
  throwsH4(() => decodeJsonDoc(utf8(nested(100_000)), "META"), "H4_BAD_JSON", "H4-MET-001");
  const deepObjects = '{"a":'.repeat(100_000) + "1" + "}".repeat(100_000);
  throwsH4(() => decodeJsonDoc(utf8(deepObjects), "META"), "H4_BAD_JSON", "H4-MET-001");
  // Unbalanced: only opening brackets.
  throwsH4(() => decodeJsonDoc(utf8("[".repeat(100_000)), "META"), "H4_BAD_JSON", "H4-MET-001");
});

Deno.test("meta: brackets inside strings do not count toward depth", () => {
  const doc = { s: "[".repeat(1000), t: '\\"[[[{{{', u: "]]]}}}".repeat(100) };
  assert.deepEqual(decodeJsonDoc(encodeJsonDoc(doc), "META"), doc);
  // An escaped quote does not end the string.
  const text =
    `{"a":"\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\\"}`;
  assert.ok(decodeJsonDoc(utf8(text), "META").a);
});

Deno.test("meta: over 16 MiB is H4_LIMIT_EXCEEDED, before decoding", () => {
  const big = new Uint8Array(16 * 1024 * 1024 + 1).fill(0x20);
  throwsH4(() => decodeJsonDoc(big, "META"), "H4_LIMIT_EXCEEDED", "H4-LIM-001");
});

Deno.test("meta: encodeJsonDoc refuses non-objects with H4_BAD_ARGUMENT", () => {
  for (const v of [null, [], "x", 1, undefined]) {
    throwsH4(() => encodeJsonDoc(v as unknown as JsonObject), "H4_BAD_ARGUMENT");
  }
});

Deno.test("meta: encodeJsonDoc turns unserialisable values into H4Error, not TypeError", () => {
  // BUG: JSON.stringify's TypeError (BigInt, cycles) escapes as a raw TypeError.
  const cyclic: JsonObject = {};
  cyclic.self = cyclic;
  for (const doc of [{ n: 1n } as unknown as JsonObject, cyclic]) {
    try {
      encodeJsonDoc(doc);
      assert.fail("accepted");
    } catch (e) {
      assert.ok(e instanceof H4Error, `got ${(e as Error).name}: ${(e as Error).message}`);
      assert.equal(e.code, "H4_BAD_ARGUMENT");
    }
  }
});
