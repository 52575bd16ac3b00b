import assert from "node:assert/strict";
import { ByteWriter } from "./bytes.ts";
import { decodeSeekm, encodeSeekm, type SeekmTrack } from "./seekm.ts";
import { LEGACY_DIR, throwsH4 } from "./testdata/helpers.ts";

Deno.test("seekm: layout of the original writer (u32, u16 id, u32 n, u64 pts, u32 index)", () => {
  const b = encodeSeekm([{ track_id: "v", entries: [[0x0102030405, 7]] }]);
  assert.deepEqual(
    [...b],
    [0, 0, 0, 1, 0, 1, 0x76, 0, 0, 0, 1, 0, 0, 0, 0x01, 0x02, 0x03, 0x04, 0x05, 0, 0, 0, 7],
  );
});

Deno.test("seekm: round trip with unicode ids, large pts and empty tracks", () => {
  const tracks: SeekmTrack[] = [
    { track_id: "audio", entries: [[0, 0], [1_000_000, 40], [2 ** 53 - 1, 99]] },
    { track_id: "vid\u00e9o", entries: [] },
    { track_id: "\uffff", entries: [[5, 1]] },
    { track_id: "\u97f3\u58f0", entries: [[0, 2], [0, 3]] },
  ].sort((a, b) => (a.track_id < b.track_id ? -1 : 1)) as SeekmTrack[];
  // In code point order (U+97F3 < U+FFFF); none here is astral, so UTF-16 order agrees.
  assert.deepEqual(decodeSeekm(encodeSeekm(tracks)), tracks);
  assert.deepEqual(decodeSeekm(encodeSeekm([])), []);
});

Deno.test("seekm: negative pts round trip (two's complement u64)", () => {
  // BUG: encodeSeekm computes 2 ** 64 + pts in floating point, which rounds to 2^64 for small
  // negative pts: -1 and -1000 are written as 0.
  const tracks: SeekmTrack[] = [{
    track_id: "aac",
    entries: [[-(2 ** 40), 0], [-23_220, 1], [-1000, 2], [-1, 3], [0, 4], [23_220, 5]],
  }];
  assert.deepEqual(decodeSeekm(encodeSeekm(tracks)), tracks);
});

Deno.test("seekm: the legacy samples' tables re-encode to the same bytes", () => {
  for (const name of ["single-track", "two-tracks", "unicode-ids"]) {
    const bytes = Deno.readFileSync(new URL(`${name}.h4mk`, LEGACY_DIR));
    const text = new TextDecoder().decode(bytes);
    const b64 = /"seekm_b64":"([^"]+)"/.exec(text)![1];
    const raw = Uint8Array.fromBase64(b64);
    assert.deepEqual(encodeSeekm(decodeSeekm(raw)), raw, name);
  }
});

function raw(build: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter();
  build(w);
  return w.finish();
}

Deno.test("seekm: truncated or with bytes left over is H4_BAD_SEEK_TABLE (H4-LEG-003)", () => {
  const good = encodeSeekm([
    { track_id: "a", entries: [[0, 0], [10, 1]] },
    { track_id: "b", entries: [[5, 2]] },
  ]);
  for (let n = 0; n < good.length; n++) {
    throwsH4(() => decodeSeekm(good.subarray(0, n)), "H4_BAD_SEEK_TABLE");
  }
  throwsH4(() => decodeSeekm(Uint8Array.from([...good, 0])), "H4_BAD_SEEK_TABLE");
});

Deno.test("seekm: bad ids, order, and unsafe pts", () => {
  const emptyId = raw((w) => {
    w.u32(1);
    w.u16(0);
    w.u32(0);
    w.u32(0);
  });
  throwsH4(() => decodeSeekm(emptyId), "H4_BAD_SEEK_TABLE", "H4-LEG-003");
  const badUtf8 = raw((w) => {
    w.u32(1);
    w.u16(2);
    w.bytes(Uint8Array.of(0xc0, 0x80));
    w.u32(0);
  });
  throwsH4(() => decodeSeekm(badUtf8), "H4_BAD_UTF8", "H4-ENC-005");
  const order = encodeSeekm([{ track_id: "b", entries: [] }, { track_id: "a", entries: [] }]);
  throwsH4(() => decodeSeekm(order), "H4_BAD_SEEK_TABLE", "H4-LEG-003");
  const dup = encodeSeekm([{ track_id: "a", entries: [] }, { track_id: "a", entries: [] }]);
  throwsH4(() => decodeSeekm(dup), "H4_BAD_SEEK_TABLE", "H4-LEG-003");
  const astral = encodeSeekm([{ track_id: "\u{1F3B5}", entries: [] }, {
    track_id: "\uffff",
    entries: [],
  }]);
  throwsH4(() => decodeSeekm(astral), "H4_BAD_SEEK_TABLE", "H4-LEG-003");
  // 2^53 as a positive u64.
  const unsafe = raw((w) => {
    w.u32(1);
    w.u16(1);
    w.u8(0x61);
    w.u32(1);
    w.u32(0x00200000);
    w.u32(0);
    w.u32(0);
  });
  throwsH4(() => decodeSeekm(unsafe), "H4_BAD_SEEK_TABLE");
});

Deno.test("seekm: counts claiming millions in a tiny table fail before allocating", () => {
  const tracks = raw((w) => w.u32(0xffffffff));
  throwsH4(() => decodeSeekm(tracks), "H4_BAD_SEEK_TABLE");
  const entries = raw((w) => {
    w.u32(1);
    w.u16(1);
    w.u8(0x61);
    w.u32(0xffffffff);
    w.bytes(new Uint8Array(12));
  });
  throwsH4(() => decodeSeekm(entries), "H4_BAD_SEEK_TABLE");
});
