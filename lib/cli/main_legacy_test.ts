/**
 * In-process tests of `main` (see main_test.ts) on the original writer's samples: manifest,
 * every block, every keyframe seek, verify, and unpack then pack.
 */
import assert from "node:assert/strict";
import {
  LEGACY_SAMPLES,
  legacyExpected,
  legacyPath,
  runMain,
  sha256Hex,
  tempDir,
} from "./testdata/helpers.ts";

Deno.test("legacy samples of the original writer: manifest, every block, every keyframe seek, verify", async () => {
  for (const name of LEGACY_SAMPLES) {
    const file = legacyPath(name);
    const expected = await legacyExpected(name);
    const m = JSON.parse((await runMain(["manifest", file, "--json"])).stdout);
    assert.equal(m.h4mk.profile, "legacy", name);
    assert.equal(m.core_blocks, expected.length, name);
    assert.equal(m.h4mk.root, null);
    const ids = [...new Set(expected.map((b) => b.track_id))].sort();
    assert.deepEqual(m.tracks, ids, name);
    for (const t of m.track_info) {
      const mine = expected.filter((b) => b.track_id === t.track_id);
      assert.equal(t.blocks, mine.length, `${name} ${t.track_id}`);
      assert.equal(t.keyframes, mine.filter((b) => b.keyframe).length, `${name} ${t.track_id}`);
    }
    for (const b of expected) {
      const r = await runMain(["block", file, "--index", String(b.core_index), "-o", "-"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdoutBytes.length, b.length, `${name} block ${b.core_index}`);
      assert.equal(await sha256Hex(r.stdoutBytes), b.sha256, `${name} block ${b.core_index}`);
    }
    for (const k of expected.filter((b) => b.keyframe)) {
      // SPEC.md section 10: greatest keyframe pts <= t, smallest index among equal pts.
      const want = expected.filter((b) =>
        b.keyframe && b.track_id === k.track_id && b.pts_us === k.pts_us
      )[0];
      const r = await runMain([
        "seek",
        file,
        "--track",
        k.track_id,
        "--pts-us",
        String(k.pts_us + 1),
      ]);
      assert.equal(
        r.stdout,
        `track=${k.track_id} pts_us=${
          k.pts_us + 1
        } -> keyframe_pts_us=${want.pts_us} core_index=${want.core_index}\n`,
      );
    }
    const v = await runMain(["verify", file]);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.equal((await runMain(["inspect", file])).code, 0);
  }
});

Deno.test("legacy sample through unpack and pack keeps every block", async () => {
  await using tmp = await tempDir();
  const name = "two-tracks";
  const u = await runMain(["unpack", legacyPath(name), "-d", `${tmp.dir}/u`]);
  assert.equal(u.code, 0, u.stderr);
  assert.match(
    u.stdout,
    /repack: h4mk pack .* --profile v1 --codec rle --meta @.*meta\.json --safe @.*safe\.json --legacy-trak/,
  );
  assert.deepEqual(JSON.parse(await Deno.readTextFile(`${tmp.dir}/u/meta.json`)), {
    project: "demo",
  });
  // Packs an unpacked folder back as the original wrote it (what unpack's repack line says).
  const repack = (dir: string, out: string) =>
    runMain([
      "pack",
      `${tmp.dir}/${dir}/blocks.jsonl`,
      "-o",
      `${tmp.dir}/${out}.h4mk`,
      "--profile",
      "v1",
      "--codec",
      "rle",
      "--legacy-trak",
      "--meta",
      `@${tmp.dir}/${dir}/meta.json`,
      "--safe",
      `@${tmp.dir}/${dir}/safe.json`,
    ]);
  const p = await repack("u", "re");
  assert.equal(p.code, 0, p.stderr);
  for (const b of await legacyExpected(name)) {
    const r = await runMain([
      "block",
      `${tmp.dir}/re.h4mk`,
      "--index",
      String(b.core_index),
      "-o",
      "-",
    ]);
    assert.equal(await sha256Hex(r.stdoutBytes), b.sha256);
  }
  const m = JSON.parse(
    (await runMain(["manifest", `${tmp.dir}/re.h4mk`, "--json", "--verify"])).stdout,
  );
  assert.equal(m.meta.project, "demo");
  assert.equal(m.h4mk.integrity.verified, true);

  // --inline: one JSONL file with base64 payloads packs to the same bytes.
  const ui = await runMain(["unpack", legacyPath(name), "-d", `${tmp.dir}/ui`, "--inline"]);
  assert.equal(ui.code, 0, ui.stderr);
  assert.deepEqual([...Deno.readDirSync(`${tmp.dir}/ui`)].map((e) => e.name).sort(), [
    "blocks.jsonl",
    "meta.json",
    "pack.json",
    "safe.json",
  ]);
  const pi = await repack("ui", "re2");
  assert.equal(pi.code, 0, pi.stderr);
  assert.deepEqual(
    await Deno.readFile(`${tmp.dir}/re2.h4mk`),
    await Deno.readFile(`${tmp.dir}/re.h4mk`),
  );
});
