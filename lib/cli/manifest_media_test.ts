import assert from "node:assert/strict";
import { importMedia } from "../media/import.ts";
import { openContainer } from "../seek/container.ts";
import { formatManifest, seekSummaries } from "./manifest.ts";
import { buildManifest } from "../manifest/manifest.ts";
import { formatMediaTrack } from "../manifest/media_summary.ts";

async function imported(name: string) {
  const parts: Uint8Array[] = [];
  await importMedia(new URL(`../media/testdata/${name}`, import.meta.url).pathname, {
    write: (b) => void parts.push(b.slice()),
  });
  const all = new Uint8Array(parts.reduce((a, b) => a + b.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return await openContainer(all);
}

Deno.test("manifest of imported media: codec, size, rates, language, duration, bitrate per track", async () => {
  const c = await imported("av.mp4");
  const m = await buildManifest(c, { name: null, seek: false, trak: false });
  assert.equal(m.h4mk.block_compression, "none");
  const v = m.h4mk.media!.video_main;
  assert.deepEqual(
    [v.sample_entry, v.codec, v.width, v.height, v.frame_rate, v.duration_s, v.language],
    ["avc1", "avc1.64000c", 160, 120, 25, 3, "und"],
  );
  assert.equal(v.blocks, 75);
  assert.ok(v.bitrate! > 100_000 && v.bitrate! < 200_000);
  const a = m.h4mk.media!.audio_main;
  assert.deepEqual(
    [a.sample_entry, a.codec, a.sample_rate, a.channels, a.width, a.frame_rate],
    ["mp4a", "mp4a.40.2", 44100, 1, null, null],
  );
  const text = formatManifest("av.h4mk", m, seekSummaries(c));
  assert.match(text, /compression: none \(how blocks are stored\)/);
  assert.match(text, /video_main +compression=none +blocks=75/);
  assert.match(text, /avc1 \(avc1\.64000c\), 160x120, 25 fps, 3\.000 s, \d+ kb\/s, und/);
  assert.match(text, /mp4a \(mp4a\.40\.2\), 44100 Hz, 1 channel, 3\.023 s, \d+ kb\/s, und/);
  // META.media is summarised, not printed as a cut-off JSON line.
  assert.doesNotMatch(text, /\{"media"/);
});

Deno.test("manifest of imported PCM: sample rate, channels and samples per packed track", async () => {
  const m = await buildManifest(await imported("pcm_twos.mov"), { name: null });
  const a = m.h4mk.media!.audio_main;
  assert.deepEqual(
    [a.sample_entry, a.sample_rate, a.channels, a.samples, a.duration_s, a.bitrate],
    ["twos", 8000, 2, 8000, 1, 256_000],
  );
  assert.ok(a.blocks < 100);
  assert.match(formatMediaTrack(a), /^twos, 8000 Hz, 2 channels, 1\.000 s, 256 kb\/s/);
});
