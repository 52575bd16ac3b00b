import assert from "node:assert/strict";
import { openContainer } from "../seek/container.ts";
import { exportFragmentedMp4 } from "./export_fragmented.ts";
import { exportMp4 } from "./export.ts";
import { importMedia } from "./import.ts";
import { fixture, memorySink, mp4Tracks, toyCipher } from "./testdata/helpers.ts";
import { isH4Error } from "../format/errors.ts";

const FIXTURES = ["av.mp4", "av_frag.mp4", "a.m4a", "v.mov", "v_10mhz.mp4"];

async function container(name: string, sealed = false) {
  const h4 = memorySink();
  await importMedia(fixture(name), h4.sink, sealed ? { sealer: toyCipher().sealer } : {});
  return await openContainer(h4.bytes());
}

/** Top-level box types of an MP4. */
function topTypes(b: Uint8Array): string[] {
  const out: string[] = [];
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  for (let at = 0; at < b.length; at += v.getUint32(at)) {
    out.push(String.fromCharCode(...b.subarray(at + 4, at + 8)));
  }
  return out;
}

for (const name of FIXTURES) {
  Deno.test(`export --fragmented ${name}: the samples of the plain export, in moof/mdat fragments`, async () => {
    const c = await container(name);
    const plain = memorySink();
    await exportMp4(c, plain.sink);
    const frag = memorySink();
    await exportFragmentedMp4(c, frag.sink);
    const types = topTypes(frag.bytes());
    assert.deepEqual(types.slice(0, 2), ["ftyp", "moov"]);
    assert.ok(types.includes("moof") && !types.slice(2).some((t) => t !== "moof" && t !== "mdat"));
    const want = mp4Tracks(plain.bytes());
    const got = mp4Tracks(frag.bytes());
    assert.equal(got.length, want.length);
    for (let i = 0; i < want.length; i++) {
      assert.equal(got[i].handler, want[i].handler);
      assert.equal(got[i].timescale, want[i].timescale);
      assert.deepEqual(got[i].edits, want[i].edits);
      assert.deepEqual(got[i].entries, want[i].entries, "sample entries byte for byte");
      assert.deepEqual(got[i].samples, want[i].samples);
    }
  });
}

Deno.test("export --fragmented: one fragment per keyframe interval of the video", async () => {
  const c = await container("av.mp4");
  const frag = memorySink();
  await exportFragmentedMp4(c, frag.sink);
  const moofs = topTypes(frag.bytes()).filter((t) => t === "moof").length;
  const video = c.tracks.find((t) => t.track_id.startsWith("video"))!;
  assert.equal(moofs, video.keyframes);
});

Deno.test("export --fragmented: an encrypted container needs its opener", async () => {
  const c = await container("av.mp4", true);
  await assert.rejects(
    () => exportFragmentedMp4(c, memorySink().sink),
    (e) => isH4Error(e) && e.code === "H4_ENCRYPTED",
  );
  const plainC = await container("av.mp4");
  const [a, b] = [memorySink(), memorySink()];
  await exportFragmentedMp4(c, a.sink, { opener: toyCipher().opener });
  await exportFragmentedMp4(plainC, b.sink);
  assert.deepEqual(a.bytes(), b.bytes());
});
