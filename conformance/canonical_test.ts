import assert from "node:assert/strict";
import { diff, readLine, seekAnswer, seekLine } from "./canonical.ts";

Deno.test("canonical: seek semantics of SPEC.md section 10", () => {
  const t: [number, number][] = [[-100, 1], [0, 0], [500, 7], [500, 9], [900, 12]];
  assert.equal(seekAnswer("v", [], 0), null);
  assert.deepEqual(seekAnswer("v", t, -101), {
    track_id: "v",
    pts_us: -101,
    keyframe_pts_us: -100,
    core_index: 1,
    found: false,
  });
  assert.equal(seekAnswer("v", t, -100)!.core_index, 1);
  assert.equal(seekAnswer("v", t, 499)!.core_index, 0);
  assert.equal(seekAnswer("v", t, 500)!.core_index, 7);
  assert.equal(seekAnswer("v", t, 899)!.core_index, 7);
  assert.deepEqual(seekAnswer("v", t, 10 ** 15), {
    track_id: "v",
    pts_us: 10 ** 15,
    keyframe_pts_us: 900,
    core_index: 12,
    found: true,
  });
});

Deno.test("canonical: one line, keys in protocol order", () => {
  const line = readLine({
    seek: {},
    safe: null,
    meta: { b: 1, a: 2 },
    blocks: [{
      sha256: null,
      plain_length: 1,
      stored_length: 17,
      codec: "none",
      keyframe: true,
      kind: "I",
      pts_us: 0,
      track_id: "t",
      index: 0,
    }],
    tracks: [{ seek_entries: 1, keyframes: 1, blocks: 1, codec: "none", track_id: "t" }],
    encrypted: true,
    profile: "v2",
    version: 2,
  });
  assert.equal(
    line,
    '{"version":2,"profile":"v2","encrypted":true,"tracks":[{"track_id":"t","codec":"none","blocks":1,"keyframes":1,"seek_entries":1}],"blocks":[{"index":0,"track_id":"t","pts_us":0,"kind":"I","keyframe":true,"codec":"none","stored_length":17,"plain_length":1,"sha256":null}],"meta":{"b":1,"a":2},"safe":null,"seek":{}}',
  );
  assert.equal(
    seekLine({ found: false, core_index: 1, keyframe_pts_us: 2, pts_us: 1, track_id: "é" }),
    '{"track_id":"é","pts_us":1,"keyframe_pts_us":2,"core_index":1,"found":false}',
  );
});

Deno.test("canonical: diff names the first difference; key order and number spelling do not matter", () => {
  assert.equal(diff({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1.0 }), null);
  assert.equal(
    diff({ blocks: [{ sha256: "aa" }] }, { blocks: [{ sha256: "ab" }] }),
    'blocks[0].sha256: expected "aa", got "ab"',
  );
  assert.equal(diff({ a: 1 }, { a: 1, b: 2 }), "b: unexpected key (2)");
  assert.equal(diff({ a: 1 }, {}), "a: missing (expected 1)");
  assert.equal(diff([1], [1, 2]), "(top): expected 1 items, got 2");
  assert.equal(diff({ a: null }, { a: {} }), "a: expected null, got {}");
  assert.equal(diff({ a: [] }, { a: {} }), "a: expected [], got {}");
});
