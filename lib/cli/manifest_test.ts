import assert from "node:assert/strict";
import { openContainer } from "../seek/container.ts";
import { packContainer } from "../format/writer.ts";
import { buildManifest } from "../manifest/manifest.ts";
import { displayWidth, formatManifest, seekSummaries } from "./manifest.ts";
import { printable } from "./text.ts";
import { smallBlocks } from "./testdata/helpers.ts";

Deno.test("formatManifest: per-track counts and seek summaries from the seek tables", async () => {
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
  const seek = seekSummaries(c);
  assert.deepEqual(seek.video, { entries: 2, first_pts_us: 0, last_pts_us: 240_000 });
  assert.deepEqual(seek.notes, { entries: 0, first_pts_us: null, last_pts_us: null });
  const m = await buildManifest(c, { name: "x.h4mk", seek: false, trak: false });
  const text = formatManifest("x.h4mk", m, seek);
  assert.match(text, /^x\.h4mk: H4MK version 2 \(profile v2\), \d+ bytes, 25 blocks in 3 tracks/);
  assert.match(text, /compression: deflate/);
  assert.match(text, /notes +compression=deflate +blocks=1 +keyframes=0 +no keyframe/);
  assert.match(
    text,
    /video +compression=deflate +blocks=12 +keyframes=2 +2 seek entries, 0\.\.240000 us/,
  );
  assert.match(text, /safe: +\{"s":1\}/);
});

Deno.test("printable and displayWidth", () => {
  assert.equal(printable("a\u0000b\u001b"), "a\\u0000b\\u001b");
  assert.equal(displayWidth("vidéo"), 5);
  assert.equal(displayWidth("音声"), 4);
});
