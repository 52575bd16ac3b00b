/**
 * The CLI around media as a new user meets it (issue 20): unpack then pack rebuilds the same
 * bytes, seek says when nothing was found, a file of another format is named with the command
 * to use, and import reads stdin.
 */
import assert from "node:assert/strict";
import { legacyPath, moduleExists, runMain, tempDir } from "./testdata/helpers.ts";

const AV = new URL("../media/testdata/av.mp4", import.meta.url).pathname;
const haveMedia = moduleExists("lib/media/mod.ts");

Deno.test("unpack then pack with no flags rebuilds the same bytes (pack.json beside blocks.jsonl)", async () => {
  await using tmp = await tempDir();
  // A v1 container with rle, SAFE and trak_b64, as this writer makes it from a legacy sample.
  const legacy = await runMain(["unpack", legacyPath("two-tracks"), "-d", `${tmp.dir}/l`]);
  assert.equal(legacy.code, 0, legacy.stderr);
  const v1 = `${tmp.dir}/v1.h4mk`;
  const made = await runMain(["pack", `${tmp.dir}/l/blocks.jsonl`, "-o", v1]);
  assert.equal(made.code, 0, made.stderr);
  const sources = [v1];
  if (haveMedia) {
    const i = await runMain(["import", AV, "-o", `${tmp.dir}/av.h4mk`]);
    assert.equal(i.code, 0, i.stderr);
    sources.push(`${tmp.dir}/av.h4mk`); // META.media
  }
  for (const [n, src] of sources.entries()) {
    for (const inline of [false, true]) {
      const dir = `${tmp.dir}/u${n}${inline ? "i" : ""}`;
      const u = await runMain(["unpack", src, "-d", dir, ...(inline ? ["--inline"] : [])]);
      assert.equal(u.code, 0, u.stderr);
      const settings = JSON.parse(await Deno.readTextFile(`${dir}/pack.json`));
      if (n === 0) {
        assert.deepEqual(settings, {
          profile: "v1",
          codec: "rle",
          meta: "meta.json",
          safe: "safe.json",
          legacy_trak: true,
          encrypted: false,
        });
      }
      const out = `${dir}.h4mk`;
      const p = await runMain(["pack", `${dir}/blocks.jsonl`, "-o", out]);
      assert.equal(p.code, 0, p.stderr);
      assert.deepEqual(await Deno.readFile(out), await Deno.readFile(src), `${src} ${inline}`);
    }
  }
  // A flag wins over pack.json.
  const p = await runMain([
    "pack",
    `${tmp.dir}/u0/blocks.jsonl`,
    "-o",
    `${tmp.dir}/v2.h4mk`,
    "--profile",
    "v2",
  ]);
  assert.equal(p.code, 0, p.stderr);
  const m = JSON.parse((await runMain(["manifest", `${tmp.dir}/v2.h4mk`, "--json"])).stdout);
  assert.equal(m.h4mk.profile, "v2");
  assert.equal(m.h4mk.block_compression, "rle");
  // A damaged pack.json is a typed error naming it.
  await Deno.writeTextFile(`${tmp.dir}/u0/pack.json`, '{"profile":"v3"}');
  const bad = await runMain(["pack", `${tmp.dir}/u0/blocks.jsonl`, "-o", `${tmp.dir}/x.h4mk`]);
  assert.equal(bad.code, 1);
  assert.match(
    bad.stderr,
    /^h4mk: error: H4_BAD_ARGUMENT: .*pack\.json: profile must be v1 or v2\n$/,
  );
  await Deno.writeTextFile(
    `${tmp.dir}/u0/pack.json`,
    '{"profile":"v1","legacy_trak":false,"meta":"../../etc/x"}',
  );
  const esc = await runMain(["pack", `${tmp.dir}/u0/blocks.jsonl`, "-o", `${tmp.dir}/x.h4mk`]);
  assert.match(esc.stderr, /H4_BAD_ARGUMENT: .*meta must be a file name beside pack\.json/);
});

Deno.test({
  name: "seek before the first keyframe says that nothing was found",
  ignore: !haveMedia,
  fn: async () => {
    await using tmp = await tempDir();
    await runMain(["import", AV, "-o", `${tmp.dir}/av.h4mk`]);
    const r = await runMain([
      "seek",
      `${tmp.dir}/av.h4mk`,
      "--track",
      "audio_main",
      "--pts-us",
      "-50000",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      "track=audio_main pts_us=-50000 -> not found: no keyframe at or before -50000 us; " +
        "the first keyframe is at -23220 us (core_index=2)\n",
    );
    const j = await runMain([
      "seek",
      `${tmp.dir}/av.h4mk`,
      "--track",
      "audio_main",
      "--pts-us",
      "-50000",
      "--json",
    ]);
    assert.equal(JSON.parse(j.stdout).found, false);
    const hit = await runMain([
      "seek",
      `${tmp.dir}/av.h4mk`,
      "--track",
      "video_main",
      "--pts-us",
      "1500000",
    ]);
    assert.match(
      hit.stdout,
      /^track=video_main pts_us=1500000 -> keyframe_pts_us=1000000 core_index=\d+\n$/,
    );
  },
});

Deno.test("a file of another format is named as what it is, with the command to use", async () => {
  await using tmp = await tempDir();
  const mp3 = `${tmp.dir}/a.mp3`;
  await Deno.writeFile(mp3, new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, 0xff, 0xfb]));
  const mkv = `${tmp.dir}/a.mkv`;
  await Deno.writeFile(
    mkv,
    new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 1, 0, 0, 0]),
  );
  const runs: [string[], RegExp][] = [];
  for (const cmd of [["manifest"], ["inspect"], ["verify"], ["unpack", "-d", `${tmp.dir}/d`]]) {
    runs.push([
      [cmd[0], AV, ...cmd.slice(1)],
      /it is MP4\/QuickTime .*; .*h4mk import .*av\.mp4 -o OUT\.h4mk/,
    ]);
    runs.push([
      [cmd[0], mp3, ...cmd.slice(1)],
      /it is MP3 .*; .*ffmpeg -i .*a\.mp3 -c copy OUT\.mp4/,
    ]);
    runs.push([
      [cmd[0], mkv, ...cmd.slice(1)],
      /it is Matroska\/WebM .*; .*ffmpeg -i .*a\.mkv -map 0 -c copy OUT\.mp4/,
    ]);
  }
  runs.push([["export", AV, "-o", `${tmp.dir}/x.mp4`], /it is MP4\/QuickTime .*; .*h4mk import/]);
  runs.push([["seek", AV, "--track", "v", "--pts-us", "0"], /it is MP4\/QuickTime/]);
  runs.push([["block", AV, "--index", "0", "-o", "-"], /it is MP4\/QuickTime/]);
  for (const [args, re] of runs) {
    const r = await runMain(args);
    assert.equal(r.code, 1, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr + r.stdout, /H4_BAD_MAGIC/, args.join(" "));
    assert.match(r.stderr + r.stdout, re, args.join(" "));
  }
  if (haveMedia) {
    // and the other way round: a container given to import
    await runMain(["import", AV, "-o", `${tmp.dir}/av.h4mk`]);
    const r = await runMain(["import", `${tmp.dir}/av.h4mk`, "-o", `${tmp.dir}/y.h4mk`]);
    assert.match(
      r.stderr,
      /H4_BAD_ARGUMENT: input is an H4MK container already, not MP4: h4mk export/,
    );
    const m = await runMain(["import", mp3, "-o", `${tmp.dir}/y.h4mk`]);
    assert.match(m.stderr, /H4_BAD_ARGUMENT: input is MP3, not MP4.*ffmpeg -i IN -c copy OUT\.mp4/);
  }
});

Deno.test({
  name: "import - reads the MP4 from stdin",
  ignore: !haveMedia,
  fn: async () => {
    await using tmp = await tempDir();
    const a = await runMain(["import", "-", "-o", `${tmp.dir}/a.h4mk`], await Deno.readFile(AV));
    assert.equal(a.code, 0, a.stderr);
    const b = await runMain(["import", AV, "-o", `${tmp.dir}/b.h4mk`]);
    assert.equal(b.code, 0, b.stderr);
    assert.deepEqual(
      await Deno.readFile(`${tmp.dir}/a.h4mk`),
      await Deno.readFile(`${tmp.dir}/b.h4mk`),
    );
    const empty = await runMain(["import", "-", "-o", `${tmp.dir}/c.h4mk`], "");
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /^h4mk: error: H4_BAD_ARGUMENT: input of 0 bytes is too short/);
  },
});
