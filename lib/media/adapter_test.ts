import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import { packContainer } from "../format/writer.ts";
import { openContainer } from "../seek/container.ts";
import type { BlockEntry, BlockInput } from "../format/types.ts";
import {
  type CodecAdapter,
  passThroughAdapter,
  type PassThroughFrame,
  playFrom,
} from "./adapter.ts";
import { gopSchedule } from "./gop.ts";
import { importMedia } from "./import.ts";
import { fixture, memorySink } from "./testdata/helpers.ts";

// Two tracks interleaved; video: GOPs of 6 with B-frames, 25 fps; payload = frame number.
async function sample() {
  const g = gopSchedule({ gop_size: 6, allow_b: true });
  const blocks: BlockInput[] = [];
  for (let i = 0; i < 18; i++) {
    blocks.push({
      track_id: "video_main",
      pts_us: i * 40_000,
      kind: g.kindFor(i),
      keyframe: g.isKeyframe(i),
      payload: new Uint8Array([i]),
    });
    blocks.push({
      track_id: "audio_main",
      pts_us: i * 40_000,
      kind: "I",
      keyframe: true,
      payload: new Uint8Array([100 + i]),
    });
  }
  return await openContainer(await packContainer(blocks));
}

Deno.test("playFrom seeks to the keyframe and feeds the group in decode order", async () => {
  const c = await sample();
  const frames: PassThroughFrame[] = [];
  const r = await playFrom(c, "video_main", 300_000, passThroughAdapter(), {
    onFrame: (f) => void frames.push(f),
  });
  assert.equal(r.seek.keyframe_pts_us, 240_000);
  assert.deepEqual(frames.map((f) => f.payload[0]), [6, 7, 8, 9, 10, 11]);
  assert.deepEqual(frames.map((f) => f.kind).join(""), "IBBPBP");
  assert.equal(r.fed, 6);
  const all = await playFrom(c, "video_main", 0, passThroughAdapter(), { untilUs: 10_000_000 });
  assert.equal(all.rendered, 18);
  const two = await playFrom(c, "video_main", 0, passThroughAdapter(), {
    untilUs: 10_000_000,
    maxBlocks: 2,
  });
  assert.equal(two.fed, 2);
});

Deno.test("playFrom with a stateful adapter: P updates the reference, B does not; no applyB skips B", async () => {
  const c = await sample();
  const log: string[] = [];
  const adapter: CodecAdapter<number[], string> = {
    decodeI: (p) => [p[0]],
    applyP: (s, p) => [...s, p[0]],
    applyB: (s, p) => [...s, -p[0]],
    render: (s, e: BlockEntry) => `${e.kind}:${s.join(".")}`,
  };
  await playFrom(c, "video_main", 0, adapter, { onFrame: (f) => void log.push(f) });
  assert.deepEqual(log, ["I:0", "B:0.-1", "B:0.-2", "P:0.3", "B:0.3.-4", "P:0.3.5"]);
  const { applyB: _, ...noB } = adapter;
  const r = await playFrom(c, "video_main", 0, noB);
  assert.equal(r.skipped, 3);
  assert.equal(r.rendered, 3);
});

Deno.test("playFrom on imported H.264: starts at a sync sample, walks the track only", async () => {
  const m = memorySink();
  await importMedia(fixture("av.mp4"), m.sink);
  const c = await openContainer(m.bytes());
  const seen: BlockEntry[] = [];
  const r = await playFrom(c, "video_main", 1_500_000, passThroughAdapter(), {
    onFrame: (_f, e) => void seen.push(e),
  });
  assert.equal(r.seek.keyframe_pts_us, 1_000_000);
  assert.ok(seen.every((e) => e.track_id === "video_main"));
  assert.equal(seen[0].kind, "I");
  assert.equal(seen.length, 25);
});

Deno.test("playFrom errors", async () => {
  const c = await sample();
  await assert.rejects(
    playFrom(c, "nope", 0, passThroughAdapter()),
    (e) => isH4Error(e, "H4_UNKNOWN_TRACK"),
  );
  await assert.rejects(
    playFrom(c, "video_main", 0.5, passThroughAdapter()),
    (e) => isH4Error(e, "H4_BAD_ARGUMENT"),
  );
  await assert.rejects(
    playFrom(c, "video_main", 0, {} as never),
    (e) => isH4Error(e, "H4_BAD_ARGUMENT"),
  );
  await assert.rejects(
    playFrom(c, "video_main", 0, passThroughAdapter(), { maxBlocks: -1 }),
    (e) => isH4Error(e, "H4_BAD_ARGUMENT"),
  );
});
