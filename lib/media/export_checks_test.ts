import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import { openContainer } from "../seek/container.ts";
import type { Container } from "./_core.ts";
import { exportableMedia } from "./export_checks.ts";
import { importMedia } from "./import.ts";
import type { MediaMeta } from "./media_meta.ts";
import { fixture, memorySink } from "./testdata/helpers.ts";

async function imported(): Promise<Container> {
  const h4 = memorySink();
  await importMedia(fixture("av.mp4"), h4.sink);
  return await openContainer(h4.bytes());
}

Deno.test("exportableMedia: META.media of an imported file passes as it is", async () => {
  const c = await imported();
  const media = exportableMedia(c);
  assert.deepEqual(Object.keys(media.tracks), ["video_main", "audio_main"]);
});

Deno.test("exportableMedia: each per-sample list must cover the track's blocks", async () => {
  const c = await imported();
  const media = structuredClone(c.meta.media) as unknown as MediaMeta;
  const cases: [string, (m: MediaMeta) => void][] = [
    ["samples", (m) => m.tracks.video_main.samples++],
    ["durations", (m) => m.tracks.audio_main.durations[0][0]--],
    ["cts_offsets", (m) => (m.tracks.video_main.cts_offsets = [[1, 0]])],
    ["entry_runs", (m) => (m.tracks.video_main.entry_runs = [[2, 1]])],
  ];
  for (const [what, change] of cases) {
    const m = structuredClone(media);
    change(m);
    const forged = { ...c, meta: { ...c.meta, media: m } } as unknown as Container;
    assert.throws(
      () => exportableMedia(forged),
      (e) => isH4Error(e, "H4_BAD_ARGUMENT") && e.message.includes(`.${what} covers`),
      what,
    );
  }
});

Deno.test("exportableMedia: an encrypted container needs an opener", async () => {
  const c = await imported();
  const sealed = { ...c, encrypted: true } as Container;
  assert.throws(() => exportableMedia(sealed), (e) => isH4Error(e, "H4_ENCRYPTED"));
});
