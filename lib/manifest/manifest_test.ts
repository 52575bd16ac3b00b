import assert from "node:assert/strict";
import { openContainer } from "../seek/container.ts";
import { packContainer } from "../format/writer.ts";
import type { BlockInput } from "../format/types.ts";
import { buildManifest, manifestJson } from "./manifest.ts";

/** 12 video blocks (keyframes at 0 and 240 ms) and 12 audio keyframes, interleaved. */
function smallBlocks(): BlockInput[] {
  const blocks: BlockInput[] = [];
  const kinds = ["I", "P", "B", "B", "P", "B"] as const;
  for (let i = 0; i < 12; i++) {
    const kind = kinds[i % kinds.length];
    const payload = new Uint8Array(100 + i).fill(i);
    blocks.push({ track_id: "video", pts_us: i * 40_000, kind, keyframe: kind === "I", payload });
    const audio = new Uint8Array(30).fill(100 + i);
    blocks.push({
      track_id: "audio",
      pts_us: i * 40_000 - 20_000,
      kind: "I",
      keyframe: true,
      payload: audio,
    });
  }
  return blocks;
}

Deno.test("buildManifest: the original service's keys first, then h4mk (signatures among the details), track_info", async () => {
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
  const m = await buildManifest(c, { name: "x.h4mk" });
  assert.deepEqual(Object.keys(m), [
    "container",
    "meta",
    "tracks",
    "seek",
    "trak",
    "safe",
    "core_blocks",
    "h4mk",
    "track_info",
  ]);
  assert.equal(m.container, "H4MK");
  assert.deepEqual(Object.keys(m.h4mk), [
    "name",
    "version",
    "profile",
    "size",
    "blocks",
    "chunks",
    "encrypted",
    "root",
    "block_compression",
    "integrity",
    "media",
    "signatures",
  ]);
  assert.equal(m.h4mk.name, "x.h4mk");
  assert.equal(m.h4mk.version, 2);
  assert.match(m.h4mk.root!, /^[0-9a-f]{64}$/);
  assert.equal(m.core_blocks, 25);
  assert.equal(m.h4mk.blocks, 25);
  assert.equal(m.h4mk.block_compression, "deflate");
  assert.equal(m.h4mk.media, null);
  assert.equal(m.meta.title, "t");
  assert.deepEqual(m.safe, { s: 1 });
  assert.deepEqual(m.tracks, ["audio", "notes", "video"]);
  assert.deepEqual(m.track_info.map((t) => [t.track_id, t.blocks, t.keyframes]), [
    ["audio", 12, 12],
    ["notes", 1, 0],
    ["video", 12, 2],
  ]);
  assert.deepEqual(m.seek!.video.map((k) => k.pts_us), [0, 240_000]);
  assert.deepEqual(m.seek!.notes, []);
  assert.equal(m.trak!.length, 25);
  assert.deepEqual(m.trak![24], {
    track_id: "notes",
    pts_us: 5,
    kind: "P",
    keyframe: false,
    core_index: 24,
  });
  assert.deepEqual(m.h4mk.integrity, {
    root_checked: true,
    verified: null,
    failed: [],
    trusted: false,
  });
  assert.deepEqual(m.h4mk.signatures, []);
  const checked = await buildManifest(c, { name: null, report: await c.verify() });
  assert.equal(checked.h4mk.integrity.verified, true);
  assert.equal(checked.h4mk.name, null);
  const small = await buildManifest(c, { name: null, seek: false, trak: false });
  assert.equal(small.seek, null);
  assert.equal(small.trak, null);
});

Deno.test("manifest leaves out the legacy index keys, like the original service", async () => {
  const c = await openContainer(
    await packContainer(smallBlocks(), { profile: "v1", legacyTrak: true }),
  );
  assert.ok("seekm_b64" in c.meta && "trak_b64" in c.meta);
  const m = await buildManifest(c, { name: null });
  assert.ok(!("seekm_b64" in m.meta) && !("trak_b64" in m.meta));
  assert.equal(m.h4mk.profile, "v1");
});

Deno.test("manifestJson: a damaged index throws before the first part", async () => {
  const c = await openContainer(await packContainer(smallBlocks()));
  const broken = {
    ...c,
    seek: c.seek,
    signatures: () => c.signatures(),
    entries: async function* () {
      yield* [];
      throw new Error("index page 3 is damaged");
    },
  };
  await assert.rejects(manifestJson(broken, { name: null }), /damaged/);
  // Without seek and trak the index is not walked.
  const text = [];
  for await (const p of await manifestJson(broken, { name: null, seek: false, trak: false })) {
    text.push(p);
  }
  assert.equal(JSON.parse(text.join("")).core_blocks, c.blockCount);
});
