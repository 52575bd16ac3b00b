import assert from "node:assert/strict";
import fc from "fast-check";
import { isH4Error } from "../format/errors.ts";
import type { BlockContext } from "../format/types.ts";
import { blockNonce, checkContext, createAdEncoder, MAX_AD_LENGTH } from "./context.ts";

const CID = Uint8Array.from({ length: 16 }, (_, i) => 0xc0 + i);
const enc = createAdEncoder("chacha20-poly1305", CID);
const base: BlockContext = {
  index: 258,
  track_id: "vé",
  pts_us: -2,
  kind: "B",
  keyframe: false,
  codec: "deflate",
  plain_length: 65536,
};

Deno.test("context: AD layout, byte by byte (SPEC.md 12.5)", () => {
  const want = [
    "01", // ad_version
    "11",
    ...[..."chacha20-poly1305"].map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")),
    "10",
    CID.toHex(),
    "0003",
    "76c3a9", // track id "vé" in UTF-8
    "fffffffffffffffe", // pts_us = -2, two's complement
    "0000000000000102", // block index 258
    "02", // kind B
    "00", // keyframe false
    "01", // codec deflate
    "0000000000010000", // plain_length 65536
  ].join("");
  assert.equal(enc.encode(base).toHex(), want);
});

Deno.test("context: extreme values encode as specified", () => {
  const max = enc.encode({
    ...base,
    pts_us: Number.MAX_SAFE_INTEGER,
    index: 0xffff_fffe,
    plain_length: 2 ** 30,
  });
  assert.ok(max.toHex().includes("001fffffffffffff00000000fffffffe"));
  const min = enc.encode({ ...base, pts_us: -Number.MAX_SAFE_INTEGER });
  assert.ok(min.toHex().includes("ffe0000000000001"));
  const long = enc.encode({ ...base, track_id: "x".repeat(255) });
  assert.ok(long.length <= MAX_AD_LENGTH);
});

Deno.test("context: different contexts never give the same AD (property)", () => {
  const ctx = fc.record({
    index: fc.integer({ min: 0, max: 0xffff_fffe }),
    track_id: fc.string({ minLength: 1, maxLength: 8, unit: "grapheme" }),
    pts_us: fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
    kind: fc.constantFrom("I" as const, "P" as const, "B" as const),
    keyframe: fc.boolean(),
    codec: fc.constantFrom("none" as const, "deflate" as const, "rle" as const),
    plain_length: fc.integer({ min: 0, max: 2 ** 30 }),
  });
  fc.assert(
    fc.property(ctx, ctx, (a, b) => {
      const same = JSON.stringify(a) === JSON.stringify(b);
      assert.equal(enc.encode(a).toHex() === enc.encode(b).toHex(), same);
    }),
    { numRuns: 2000 },
  );
  // One-field changes of the base context all differ.
  const variants: Partial<BlockContext>[] = [
    { index: 259 },
    { track_id: "vf" },
    { track_id: "v" },
    { pts_us: -1 },
    { kind: "P" },
    { keyframe: true },
    { codec: "rle" },
    { plain_length: 65535 },
  ];
  const ads = new Set([
    enc.encode(base).toHex(),
    ...variants.map((v) => enc.encode({ ...base, ...v }).toHex()),
  ]);
  assert.equal(ads.size, variants.length + 1);
  // The suite and the container id are in the AD too.
  assert.notEqual(
    createAdEncoder("chacha20-poly1306", CID).encode(base).toHex(),
    enc.encode(base).toHex(),
  );
  assert.notEqual(
    createAdEncoder("chacha20-poly1305", new Uint8Array(16)).encode(base).toHex(),
    enc.encode(base).toHex(),
  );
});

Deno.test("context: a bad context is H4_BAD_ARGUMENT", () => {
  const bad: Partial<Record<keyof BlockContext, unknown>>[] = [
    { index: -1 },
    { index: 1.5 },
    { index: 0xffff_ffff },
    { pts_us: 2 ** 53 },
    { pts_us: NaN },
    { kind: "X" },
    { kind: "toString" },
    { keyframe: 1 },
    { codec: "zstd" },
    { plain_length: 2 ** 30 + 1 },
    { track_id: "" },
    { track_id: "x".repeat(256) },
    { track_id: "\ud800" },
    { track_id: 5 },
  ];
  for (const b of bad) {
    assert.throws(
      () => enc.encode({ ...base, ...b } as never),
      (e) => isH4Error(e, "H4_BAD_ARGUMENT"),
      JSON.stringify(b),
    );
  }
  assert.throws(() => checkContext(null as never), (e) => isH4Error(e, "H4_BAD_ARGUMENT"));
});

Deno.test("context: nonces are 4 zero bytes and the u64 block index", () => {
  assert.equal(blockNonce(0).toHex(), "000000000000000000000000");
  assert.equal(blockNonce(0xffff_fffe).toHex(), "0000000000000000fffffffe");
  assert.equal(blockNonce(2 ** 40 + 5).toHex(), "000000000000010000000005");
  const out = new Uint8Array(12).fill(9);
  assert.equal(blockNonce(1, out), out);
  assert.equal(out.toHex(), "000000000000000000000001");
  assert.throws(() => blockNonce(-1), (e) => isH4Error(e, "H4_BAD_ARGUMENT"));
});
