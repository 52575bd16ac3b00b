import assert from "node:assert/strict";
import { DEMO_AUDIO, DEMO_VIDEO, demoBlocks } from "./demo_blocks.ts";

Deno.test("demo blocks: two tracks, 3 s, keyframe per second, B-frames, deterministic", () => {
  const a = demoBlocks();
  const b = demoBlocks();
  assert.equal(a.length, b.length);
  assert.ok(
    a.every((x, i) => x.pts_us === b[i].pts_us && x.payload.every((v, k) => v === b[i].payload[k])),
  );

  const video = a.filter((x) => x.track_id === DEMO_VIDEO);
  const audio = a.filter((x) => x.track_id === DEMO_AUDIO);
  assert.equal(video.length, 90);
  assert.equal(audio.length, 141);
  assert.deepEqual(video.filter((x) => x.keyframe).map((x) => x.pts_us), [0, 1_000_000, 2_000_000]);
  assert.ok(video.some((x) => x.kind === "B") && video.some((x) => x.kind === "P"));
  assert.ok(audio.every((x) => x.keyframe && x.kind === "I"));
  // Every video frame appears once, in decode order (pts not monotonic).
  assert.deepEqual(
    [...video.map((x) => x.pts_us)].sort((x, y) => x - y),
    video.map((_, i) => Math.round((i * 1e6) / 30)),
  );
  assert.ok(video.some((x, i) => i > 0 && x.pts_us < video[i - 1].pts_us));
  // Payloads look random: many distinct byte values.
  assert.ok(new Set(video[0].payload).size > 200);
});
