import assert from "node:assert/strict";
import { openContainer } from "../seek/container.ts";
import { packContainer } from "../format/writer.ts";
import { buildManifest, displayWidth, formatManifest } from "./manifest.ts";
import { printable } from "./text.ts";
import { smallBlocks } from "./testdata/helpers.ts";

Deno.test("buildManifest: original field names, per-track counts and seek summaries", async () => {
  const blocks = [
    ...smallBlocks(),
    {
      track_id: "notes",
      pts_us: 5,
      kind: "P" as const,
      keyframe: false,
      payload: new Uint8Array(1),
    },
  ];
  const c = await openContainer(
    await packContainer(blocks, { meta: { title: "t" }, safe: { s: 1 }, codec: "deflate" }),
  );
  const m = buildManifest(c);
  assert.deepEqual(Object.keys(m), [
    "container",
    "meta",
    "tracks",
    "seek",
    "safe",
    "core_blocks",
    "h4mk",
    "codec",
    "encrypted",
    "integrity",
    "signatures",
    "block_compression",
    "media",
  ]);
  assert.equal(m.container, "H4MK");
  assert.equal(m.h4mk.version, 2);
  assert.match(m.h4mk.root!, /^[0-9a-f]{64}$/);
  assert.equal(m.core_blocks, 25);
  assert.equal(m.codec, "deflate");
  assert.equal(m.meta.title, "t");
  assert.deepEqual(m.safe, { s: 1 });
  assert.deepEqual(m.tracks.map((t) => [t.track_id, t.blocks, t.keyframes]), [["audio", 12, 12], [
    "notes",
    1,
    0,
  ], ["video", 12, 2]]);
  assert.deepEqual(m.seek.video, { entries: 2, first_pts_us: 0, last_pts_us: 240_000 });
  assert.deepEqual(m.seek.notes, { entries: 0, first_pts_us: null, last_pts_us: null });
  assert.deepEqual(m.integrity, {
    root_checked: true,
    verified: null,
    failed: [],
    trusted: false,
  });
  assert.deepEqual(m.signatures, []);
  assert.equal(buildManifest(c, await c.verify()).integrity.verified, true);

  const text = formatManifest("x.h4mk", m);
  assert.match(text, /^x\.h4mk: H4MK version 2 \(profile v2\), \d+ bytes, 25 blocks in 3 tracks/);
  assert.match(text, /notes +compression=deflate +blocks=1 +keyframes=0 +no keyframe/);
  assert.match(
    text,
    /video +compression=deflate +blocks=12 +keyframes=2 +2 seek entries, 0\.\.240000 us/,
  );
});

Deno.test("manifest leaves out the legacy index keys, like the original service", async () => {
  const c = await openContainer(
    await packContainer(smallBlocks(), { profile: "v1", legacyTrak: true }),
  );
  assert.ok("seekm_b64" in c.meta && "trak_b64" in c.meta);
  const m = buildManifest(c);
  assert.ok(!("seekm_b64" in m.meta) && !("trak_b64" in m.meta));
  assert.equal(m.h4mk.profile, "v1");
});

Deno.test("printable and displayWidth", () => {
  assert.equal(printable("a\u0000b\u001b"), "a\\u0000b\\u001b");
  assert.equal(displayWidth("vidéo"), 5);
  assert.equal(displayWidth("音声"), 4);
});
