import assert from "node:assert/strict";
import { decodeTrak, encodeTrak, type TrakEntry } from "./trak.ts";
import { LEGACY_DIR, throwsH4 } from "./testdata/helpers.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);

Deno.test("trak: JSON with the original key order, round trip", () => {
  const entries: TrakEntry[] = [
    { track_id: "vid\u00e9o", pts_us: -5, kind: "I", keyframe: true, core_index: 0 },
    { track_id: "\u97f3\u58f0", pts_us: 2 ** 53 - 1, kind: "B", keyframe: false, core_index: 1 },
    { track_id: "v", pts_us: 0, kind: "P", keyframe: false, core_index: 2 },
  ];
  const bytes = encodeTrak(entries);
  assert.ok(
    new TextDecoder().decode(bytes).startsWith(
      '{"trak":[{"track_id":"vid\u00e9o","pts_us":-5,"kind":"I","keyframe":true,"core_index":0},{"',
    ),
  );
  assert.deepEqual(decodeTrak(bytes), entries);
  assert.deepEqual(decodeTrak(encodeTrak([])), []);
});

Deno.test("trak: the legacy samples' lists re-encode to the same bytes", () => {
  for (const name of ["single-track", "two-tracks", "unicode-ids"]) {
    const text = new TextDecoder().decode(Deno.readFileSync(new URL(`${name}.h4mk`, LEGACY_DIR)));
    const raw = Uint8Array.fromBase64(/"trak_b64":"([^"]+)"/.exec(text)![1]);
    assert.deepEqual(encodeTrak(decodeTrak(raw)), raw, name);
  }
});

Deno.test("trak: malformed lists are H4_LEGACY_NO_INDEX (H4-LEG-001)", () => {
  const bad = [
    "",
    "{",
    "[]",
    "null",
    "{}",
    '{"trak":{}}',
    '{"trak":[1]}',
    '{"trak":[null]}',
    '{"trak":[{"track_id":"v","pts_us":0,"kind":"X","keyframe":true,"core_index":0}]}',
    '{"trak":[{"track_id":"v","pts_us":0.5,"kind":"I","keyframe":true,"core_index":0}]}',
    '{"trak":[{"track_id":"v","pts_us":9007199254740992,"kind":"I","keyframe":true,"core_index":0}]}',
    '{"trak":[{"track_id":"v","pts_us":"0","kind":"I","keyframe":true,"core_index":0}]}',
    '{"trak":[{"track_id":"v","pts_us":0,"kind":"I","keyframe":1,"core_index":0}]}',
    '{"trak":[{"track_id":5,"pts_us":0,"kind":"I","keyframe":true,"core_index":0}]}',
    '{"trak":[{"pts_us":0,"kind":"I","keyframe":true,"core_index":0}]}',
  ];
  for (const text of bad) {
    throwsH4(() => decodeTrak(utf8(text)), "H4_LEGACY_NO_INDEX", "H4-LEG-001");
  }
  throwsH4(() => decodeTrak(Uint8Array.of(0x7b, 0xc0, 0x80)), "H4_BAD_UTF8", "H4-ENC-005");
  // An entry out of block order disagrees with the CORE chunks (SPEC.md section 11).
  throwsH4(
    () =>
      decodeTrak(
        utf8('{"trak":[{"track_id":"v","pts_us":0,"kind":"I","keyframe":true,"core_index":1}]}'),
      ),
    "H4_INDEX_MISMATCH",
    "H4-LEG-001",
  );
});
