import assert from "node:assert/strict";
import {
  ByteReader,
  ByteWriter,
  compareCodePoints,
  concat,
  decodeUtf8,
  encodeUtf8,
  equalBytes,
} from "./bytes.ts";
import { rng, throwsH4 } from "./testdata/helpers.ts";

const MAX = Number.MAX_SAFE_INTEGER;

function varintBytes(v: number): Uint8Array {
  const w = new ByteWriter(1);
  w.varint(v);
  return w.finish();
}

function readVarint(bytes: number[] | Uint8Array): number {
  return new ByteReader(Uint8Array.from(bytes), "H4_BAD_INDEX", "TEST").varint();
}

Deno.test("varint: round trips at the boundaries with minimal lengths", () => {
  const cases: [number, number][] = [
    [0, 1],
    [1, 1],
    [127, 1],
    [128, 2],
    [255, 2],
    [16383, 2],
    [16384, 3],
    [2 ** 21 - 1, 3],
    [2 ** 21, 4],
    [2 ** 28, 5],
    [2 ** 31 - 1, 5],
    [2 ** 31, 5],
    [2 ** 32, 5],
    [2 ** 35, 6],
    [2 ** 42, 7],
    [2 ** 49 - 1, 7],
    [2 ** 49, 8],
    [MAX, 8],
  ];
  for (const [v, len] of cases) {
    const b = varintBytes(v);
    assert.equal(b.length, len, `length of varint ${v}`);
    // Minimal: last byte non-zero unless the value is 0 (H4-ENC-002).
    if (v !== 0) assert.notEqual(b[b.length - 1], 0);
    const r = new ByteReader(b, "H4_BAD_INDEX", "TEST");
    assert.equal(r.varint(), v);
    assert.equal(r.remaining, 0);
  }
  assert.deepEqual([...varintBytes(150)], [0x96, 0x01]);
  assert.deepEqual([...varintBytes(300)], [0xac, 0x02]);
});

Deno.test("varint: random values round trip, several in a row", () => {
  const r = rng(1);
  const w = new ByteWriter(4);
  const values: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const v = Math.floor(r() * 2 ** Math.floor(r() * 54)) % (MAX + 1);
    values.push(v);
    w.varint(v);
  }
  const rd = new ByteReader(w.finish(), "H4_BAD_INDEX", "TEST");
  for (const v of values) assert.equal(rd.varint(), v);
  rd.end();
});

Deno.test("varint: non-minimal forms are rejected (H4-ENC-001)", () => {
  for (const bad of [[0x80, 0x00], [0xff, 0x00], [0x81, 0x80, 0x00], [0x80, 0x80, 0x80, 0x00]]) {
    const r = new ByteReader(Uint8Array.from(bad), "H4_BAD_INDEX", "TEST", 100);
    const e = throwsH4(() => r.varint(), "H4_BAD_VARINT", "H4-ENC-001");
    assert.equal(e.offset, 100, "offset points at the varint's first byte");
    assert.equal(e.chunk, "TEST");
  }
  // A single 0x00 byte is the minimal form of 0.
  assert.equal(readVarint([0x00]), 0);
});

Deno.test("varint: overlong and over 2^53-1 are rejected (H4-ENC-001)", () => {
  // 2^53 - 1 in 8 bytes is the largest accepted.
  assert.equal(readVarint([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]), MAX);
  // 2^53 and 2^56 - 1.
  for (
    const bad of [
      [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10],
      [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
      // 9 bytes, even with a small value
      [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
      [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
    ]
  ) {
    throwsH4(() => readVarint(bad), "H4_BAD_VARINT", "H4-ENC-001");
  }
});

Deno.test("varint: running past the end is a typed error and leaves the cursor", () => {
  for (const bad of [[], [0x80], [0xff, 0xff], [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80]]) {
    const r = new ByteReader(Uint8Array.from(bad), "H4_BAD_INDEX", "TEST");
    throwsH4(() => r.varint(), "H4_BAD_VARINT", "H4-ENC-001");
    assert.equal(r.pos, 0);
  }
});

Deno.test("svarint: zigzag round trips for negatives and boundaries", () => {
  const values = [
    0,
    -1,
    1,
    -2,
    63,
    -64,
    64,
    -65,
    2 ** 31 - 1,
    -(2 ** 31),
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 40,
    -(2 ** 40),
    2 ** 52 - 1,
    -(2 ** 52),
  ];
  for (const v of values) {
    const w = new ByteWriter(1);
    w.svarint(v);
    const b = w.finish();
    assert.equal(readVarint(b), v >= 0 ? 2 * v : -2 * v - 1, `zigzag of ${v}`);
    const r = new ByteReader(b, "H4_BAD_INDEX", "TEST");
    assert.equal(r.svarint(), v);
    assert.equal(r.remaining, 0);
  }
  // The largest varint is the most negative svarint.
  const r = new ByteReader(varintBytes(MAX), "H4_BAD_INDEX", "TEST");
  assert.equal(r.svarint(), -(2 ** 52));
  assert.ok(Object.is(new ByteReader(Uint8Array.of(0), "H4_BAD_INDEX", "T").svarint(), 0));
});

Deno.test("u64: 2^53-1 accepted, anything above rejected (H4-ENC-004)", () => {
  const w = new ByteWriter(1);
  for (const v of [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 5, MAX]) w.u64(v);
  const r = new ByteReader(w.finish(), "H4_BAD_TRACKS", "TEST");
  for (const v of [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 5, MAX]) assert.equal(r.u64(), v);
  for (
    const bad of [
      [0, 0x20, 0, 0, 0, 0, 0, 0],
      [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
      [0x80, 0, 0, 0, 0, 0, 0, 0],
    ]
  ) {
    const rd = new ByteReader(Uint8Array.from(bad), "H4_BAD_TRACKS", "TEST");
    throwsH4(() => rd.u64(), "H4_BAD_VARINT", "H4-ENC-004");
    assert.equal(rd.pos, 0);
  }
});

Deno.test("ByteReader: fixed-width reads are big-endian and truncation is typed", () => {
  const r = new ByteReader(
    Uint8Array.of(1, 0x01, 0x02, 0x01, 0x02, 0x03, 0x04, 9, 9),
    "H4_BAD_SEEK_TABLE",
    "KSEK",
    1000,
  );
  assert.equal(r.u8(), 1);
  assert.equal(r.u16(), 0x0102);
  assert.equal(r.u32(), 0x01020304);
  assert.equal(r.remaining, 2);
  const e = throwsH4(() => r.u32("table_length"), "H4_BAD_SEEK_TABLE");
  assert.equal(e.offset, 1007);
  assert.equal(e.chunk, "KSEK");
  assert.match(e.message, /table_length/);
  throwsH4(() => r.u64(), "H4_BAD_SEEK_TABLE");
  throwsH4(() => r.take(3), "H4_BAD_SEEK_TABLE");
  throwsH4(() => r.end(), "H4_BAD_SEEK_TABLE");
  assert.deepEqual([...r.take(2)], [9, 9]);
  r.end();
  throwsH4(() => r.u8(), "H4_BAD_SEEK_TABLE");
  throwsH4(() => r.u16(), "H4_BAD_SEEK_TABLE");
});

Deno.test("ByteReader: works on a subarray with a byte offset", () => {
  const big = Uint8Array.of(0xee, 0xee, 0x00, 0x00, 0x01, 0x00, 0xee);
  const r = new ByteReader(big.subarray(2, 6), "H4_BAD_INDEX", "T");
  assert.equal(r.u32(), 256);
});

Deno.test("ByteWriter: grows past its capacity and finish copies exactly", () => {
  const w = new ByteWriter(1);
  for (let i = 0; i < 1000; i++) w.u8(i & 0xff);
  w.bytes(new Uint8Array(5000).fill(7));
  w.u16(0xbeef);
  w.u32(0xdeadbeef);
  w.u64(2 ** 53 - 1);
  assert.equal(w.length, 1000 + 5000 + 2 + 4 + 8);
  const out = w.finish();
  assert.equal(out.length, w.length);
  assert.equal(out.byteLength, out.buffer.byteLength, "finish returns an exact-size copy");
  const r = new ByteReader(out, "H4_BAD_INDEX", "T");
  for (let i = 0; i < 1000; i++) assert.equal(r.u8(), i & 0xff);
  assert.ok(r.take(5000).every((b) => b === 7));
  assert.equal(r.u16(), 0xbeef);
  assert.equal(r.u32(), 0xdeadbeef);
  assert.equal(r.u64(), 2 ** 53 - 1);
});

Deno.test("concat and equalBytes", () => {
  assert.deepEqual([...concat([])], []);
  assert.deepEqual([...concat([Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3)])], [
    1,
    2,
    3,
  ]);
  assert.ok(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2)));
  assert.ok(!equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 3)));
  assert.ok(!equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1)));
  assert.ok(equalBytes(new Uint8Array(0), new Uint8Array(0)));
});

function byteCompare(a: string, b: string): number {
  const x = encodeUtf8(a), y = encodeUtf8(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

Deno.test("compareCodePoints: astral characters sort after the BMP, as UTF-8 bytes do", () => {
  // JavaScript's < compares UTF-16 units and gets these wrong.
  assert.ok("\u{10000}" < "\uFFFF");
  assert.ok(compareCodePoints("\uFFFF", "\u{10000}") < 0);
  assert.ok(compareCodePoints("\u{1F600}", "\uE000") > 0);
  assert.ok(compareCodePoints("\uFB01", "\u{1F3B5}") < 0);
  assert.equal(compareCodePoints("a\u{1F600}", "a\u{1F600}"), 0);
  assert.ok(compareCodePoints("a", "a\u{1F600}") < 0);
  assert.ok(compareCodePoints("a\u{1F600}", "a") > 0);
  assert.ok(compareCodePoints("", "a") < 0);
  assert.equal(compareCodePoints("", ""), 0);
  assert.ok(compareCodePoints("\u{10FFFF}", "\u{10000}") > 0);
});

Deno.test("compareCodePoints: agrees with UTF-8 byte order on random strings", () => {
  const r = rng(42);
  const pool = [
    "a",
    "b",
    "Z",
    "\u00e9",
    "\u07ff",
    "\u0800",
    "\ud7ff",
    "\ue000",
    "\uffff",
    "\u{10000}",
    "\u{1F600}",
    "\u{10FFFF}",
    "\u97f3",
  ];
  const gen = () => {
    let s = "";
    const n = Math.floor(r() * 5);
    for (let i = 0; i < n; i++) s += pool[Math.floor(r() * pool.length)];
    return s;
  };
  for (let i = 0; i < 3000; i++) {
    const a = gen(), b = gen();
    assert.equal(Math.sign(compareCodePoints(a, b)), Math.sign(byteCompare(a, b)), `${a} vs ${b}`);
  }
  // Sorting with it equals sorting by bytes.
  const list = Array.from({ length: 200 }, gen);
  assert.deepEqual([...list].sort(compareCodePoints), [...list].sort(byteCompare));
});

Deno.test("decodeUtf8: strict (overlong forms, surrogates, out of range, truncated)", () => {
  const bad = [
    [0xc0, 0x80], // overlong NUL
    [0xc1, 0xbf], // overlong
    [0xe0, 0x80, 0x80], // overlong
    [0xf0, 0x80, 0x80, 0x80], // overlong
    [0xed, 0xa0, 0x80], // U+D800
    [0xed, 0xbf, 0xbf], // U+DFFF
    [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80], // CESU-8 pair
    [0xf4, 0x90, 0x80, 0x80], // > U+10FFFF
    [0xf5, 0x80, 0x80, 0x80],
    [0xff],
    [0x80], // lone continuation
    [0xe3, 0x81], // truncated
    [0x61, 0xe3],
  ];
  for (const b of bad) {
    const e = throwsH4(
      () => decodeUtf8(Uint8Array.from(b), "TRKS", 5),
      "H4_BAD_UTF8",
      "H4-ENC-005",
    );
    assert.equal(e.chunk, "TRKS");
    assert.equal(e.offset, 5);
  }
  assert.equal(decodeUtf8(Uint8Array.of(0xf0, 0x9f, 0x98, 0x80), "T"), "\u{1F600}");
  assert.equal(decodeUtf8(Uint8Array.of(0xe9, 0x9f, 0xb3), "T"), "\u97f3");
  assert.equal(decodeUtf8(new Uint8Array(0), "T"), "");
  // A BOM is content, not stripped: ids keep every byte.
  assert.equal(decodeUtf8(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61), "T"), "\ufeffa");
  assert.deepEqual([...encodeUtf8("\ufeffa")], [0xef, 0xbb, 0xbf, 0x61]);
});
