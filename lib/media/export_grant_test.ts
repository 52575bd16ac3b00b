import assert from "node:assert/strict";
import { openContainer } from "../seek/container.ts";
import { exportMp4 } from "./export.ts";
import { importMedia } from "./import.ts";
import { createSealer, generateKey, grantEpochKey, openCipher } from "../living/mod.ts";
import { fixture, memorySink, mp4Tracks } from "./testdata/helpers.ts";

Deno.test("LivingCipher: export with an epoch key writes each track from its first keyframe it opens, timing kept", async () => {
  const key = generateKey();
  const h4 = memorySink();
  await importMedia(fixture("av.mp4"), h4.sink, { sealer: createSealer(key, { epochBlocks: 8 }) });
  const c = await openContainer(h4.bytes());
  const original = mp4Tracks(await Deno.readFile(fixture("av.mp4")));
  const opener = await openCipher(c, grantEpochKey(c, key, 1));
  assert.equal(opener.firstOpenBlock, 8);
  const out = memorySink();
  await exportMp4(c, out.sink, { opener });
  const rebuilt = mp4Tracks(out.bytes());
  assert.equal(rebuilt.length, original.length);
  let dropped = 0;
  for (let t = 0; t < original.length; t++) {
    const [o, r] = [original[t], rebuilt[t]];
    assert.ok(r.samples.length < o.samples.length, "leading samples left out");
    const skip = o.samples.length - r.samples.length;
    dropped += skip;
    assert.ok(r.samples[0].sync, "a track starts at a keyframe");
    const kept = o.samples.slice(skip);
    assert.deepEqual(r.samples.map((x) => x.hash), kept.map((x) => x.hash));
    assert.deepEqual(r.samples.map((x) => x.duration), kept.map((x) => x.duration));
    assert.deepEqual(r.samples.map((x) => x.sync), kept.map((x) => x.sync));
    // Composition offsets as imported; decode times restart at 0.
    assert.deepEqual(r.samples.map((x) => x.cts - x.dts), kept.map((x) => x.cts - x.dts));
  }
  assert.ok(dropped >= 8);
});

Deno.test("LivingCipher: a fragmented input exported with an epoch key is written unfragmented, from the first open keyframes", async () => {
  const key = generateKey();
  const h4 = memorySink();
  await importMedia(fixture("av_frag.mp4"), h4.sink, {
    sealer: createSealer(key, { epochBlocks: 8 }),
  });
  const c = await openContainer(h4.bytes());
  assert.ok((c.meta.media as { fragments?: unknown }).fragments, "the input's fragments are kept");
  const original = mp4Tracks(await Deno.readFile(fixture("av_frag.mp4")));
  const opener = await openCipher(c, grantEpochKey(c, key, 1));
  const out = memorySink();
  await exportMp4(c, out.sink, { opener });
  const rebuilt = mp4Tracks(out.bytes());
  assert.equal(rebuilt.length, original.length);
  let dropped = 0;
  for (let t = 0; t < original.length; t++) {
    const [o, r] = [original[t], rebuilt[t]];
    const skip = o.samples.length - r.samples.length;
    assert.ok(skip >= 0 && r.samples[0].sync, "each track starts at a keyframe it opens");
    assert.deepEqual(r.samples.map((x) => x.hash), o.samples.slice(skip).map((x) => x.hash));
    dropped += skip;
  }
  assert.ok(dropped >= 8, "the sealed blocks are left out");
});
