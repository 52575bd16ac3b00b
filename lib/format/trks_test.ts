import assert from "node:assert/strict";
import { ByteWriter } from "./bytes.ts";
import { decodeTrks, encodeTrks, trackIdBytes, type TrackRecord } from "./trks.ts";
import { throwsH4 } from "./testdata/helpers.ts";

const rec = (track_id: string, blocks = 3, keyframes = 1): TrackRecord => ({
  track_id,
  codec: "none",
  blocks,
  keyframes,
});

/** A TRKS payload written field by field, to make malformed tables. */
function raw(
  records: {
    id: Uint8Array | string;
    codec?: number;
    blocks?: number;
    keys?: number;
    len?: number;
  }[],
  count = records.length,
): Uint8Array {
  const w = new ByteWriter();
  w.u32(count);
  for (const r of records) {
    const id = typeof r.id === "string" ? new TextEncoder().encode(r.id) : r.id;
    w.u16(r.len ?? id.length);
    w.bytes(id);
    w.u8(r.codec ?? 0);
    w.u8(0);
    w.u64(r.blocks ?? 1);
    w.u64(r.keys ?? 1);
  }
  return w.finish();
}

Deno.test("trks: round trip with unicode ids in code point order", () => {
  // "audio" < "vidéo" < "x..." < U+FFFF < U+1F3B5 in code point order.
  const ordered: TrackRecord[] = [
    { track_id: "audio", codec: "none", blocks: 10, keyframes: 10 },
    { track_id: "vid\u00e9o", codec: "deflate", blocks: 2 ** 53 - 1, keyframes: 0 },
    { track_id: "x".repeat(255), codec: "none", blocks: 5, keyframes: 5 },
    { track_id: "\uffff", codec: "rle", blocks: 0, keyframes: 0 },
    { track_id: "\u{1F3B5}", codec: "none", blocks: 1, keyframes: 1 },
  ];
  assert.deepEqual(decodeTrks(encodeTrks(ordered)), ordered);
  assert.deepEqual(decodeTrks(encodeTrks([])), []);
  // Layout: u32 count, u16 id_length, id, u8 codec, u8 flags, u64 blocks, u64 keyframes.
  const one = encodeTrks([rec("v", 3, 1)]);
  assert.deepEqual(
    [...one],
    [0, 0, 0, 1, 0, 1, 0x76, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1],
  );
});

Deno.test("trks: flags are ignored", () => {
  const b = encodeTrks([rec("v")]);
  b[8] = 0xff; // flags byte
  assert.equal(decodeTrks(b)[0].track_id, "v");
});

Deno.test("trks: bad ids are H4_BAD_TRACKS (H4-TRK-001)", () => {
  // (An empty-id record is 20 bytes: one padding byte gets it past the size pre-check.)
  throwsH4(
    () => decodeTrks(Uint8Array.from([...raw([{ id: "" }]), 0])),
    "H4_BAD_TRACKS",
    "H4-TRK-001",
  );
  throwsH4(() => decodeTrks(raw([{ id: "" }])), "H4_BAD_TRACKS");
  throwsH4(() => decodeTrks(raw([{ id: "x".repeat(256) }])), "H4_BAD_TRACKS", "H4-TRK-001");
  // Duplicates and wrong order.
  throwsH4(() => decodeTrks(raw([{ id: "a" }, { id: "a" }])), "H4_BAD_TRACKS", "H4-TRK-001");
  throwsH4(() => decodeTrks(raw([{ id: "b" }, { id: "a" }])), "H4_BAD_TRACKS", "H4-TRK-001");
  // UTF-16 order is not code point order: U+1F3B5 sorts after U+FFFF.
  assert.equal(decodeTrks(raw([{ id: "\uffff" }, { id: "\u{1F3B5}" }])).length, 2);
  throwsH4(
    () => decodeTrks(raw([{ id: "\u{1F3B5}" }, { id: "\uffff" }])),
    "H4_BAD_TRACKS",
    "H4-TRK-001",
  );
});

Deno.test("trks: invalid UTF-8 ids are rejected (H4-ENC-005)", () => {
  for (const id of [[0xc0, 0x80], [0xed, 0xa0, 0x80], [0xff], [0x61, 0xe3, 0x81]]) {
    throwsH4(() => decodeTrks(raw([{ id: Uint8Array.from(id) }])), "H4_BAD_UTF8", "H4-ENC-005");
  }
});

Deno.test("trks: leftover or missing bytes are H4_BAD_TRACKS", () => {
  const good = encodeTrks([rec("a"), rec("b")]);
  throwsH4(() => decodeTrks(Uint8Array.from([...good, 0])), "H4_BAD_TRACKS");
  for (let n = 0; n < good.length; n++) {
    throwsH4(() => decodeTrks(good.subarray(0, n)), "H4_BAD_TRACKS");
  }
  // An id_length that runs past the payload.
  throwsH4(() => decodeTrks(raw([{ id: "abc", len: 200 }])), "H4_BAD_TRACKS");
});

Deno.test("trks: counts claiming millions of tracks in a tiny payload fail before allocating", () => {
  for (const count of [60_000, 65_535]) {
    const e = throwsH4(() => decodeTrks(raw([{ id: "a" }], count)), "H4_BAD_TRACKS");
    assert.match(e.message, /track_count/);
  }
  throwsH4(() => decodeTrks(raw([], 65_536)), "H4_LIMIT_EXCEEDED", "H4-LIM-001");
  throwsH4(() => decodeTrks(raw([], 0xffffffff)), "H4_LIMIT_EXCEEDED", "H4-LIM-001");
});

Deno.test("trks: unknown codec, keyframes > blocks, unsafe u64", () => {
  throwsH4(() => decodeTrks(raw([{ id: "a", codec: 3 }])), "H4_UNKNOWN_CODEC", "H4-COD-001");
  throwsH4(() => decodeTrks(raw([{ id: "a", blocks: 2, keys: 3 }])), "H4_BAD_TRACKS", "H4-TRK-001");
  const big = raw([{ id: "a" }]);
  big[9] = 0x00;
  big[10] = 0x20; // blocks = 2^53
  throwsH4(() => decodeTrks(big), "H4_BAD_VARINT", "H4-ENC-004");
});

Deno.test("trackIdBytes: 1 to 255 bytes of well-formed UTF-8, else H4_BAD_ARGUMENT", () => {
  assert.equal(trackIdBytes("x".repeat(255)).length, 255);
  assert.equal(trackIdBytes("\u00e9".repeat(127) + "x").length, 255);
  assert.equal(trackIdBytes("\u{1F3B5}").length, 4);
  throwsH4(() => trackIdBytes(""), "H4_BAD_ARGUMENT");
  throwsH4(() => trackIdBytes("x".repeat(256)), "H4_BAD_ARGUMENT");
  throwsH4(() => trackIdBytes("\u00e9".repeat(128)), "H4_BAD_ARGUMENT");
  throwsH4(() => trackIdBytes("a\ud800"), "H4_BAD_ARGUMENT");
  throwsH4(() => trackIdBytes("\udc00a"), "H4_BAD_ARGUMENT");
  throwsH4(() => trackIdBytes(5 as unknown as string), "H4_BAD_ARGUMENT");
  throwsH4(() => trackIdBytes(undefined as unknown as string), "H4_BAD_ARGUMENT");
  // Encoding refuses what decoding would refuse.
  throwsH4(() => encodeTrks([rec("")]), "H4_BAD_ARGUMENT");
});
