/**
 * End-to-end tests of `deno run -A cli.ts` as a subprocess: real exit statuses, real pipes
 * (`pack -` from stdin, `block -o -` to stdout), the pack/unpack/pack round trip, the legacy
 * samples, `serve` with a URL read, and one-line errors. Runs are grouped and run
 * concurrently where independent: each costs a process start.
 */
import assert from "node:assert/strict";
import denoJson from "../../deno.json" with { type: "json" };
import { encodeBase64 } from "./jsonl.ts";
import {
  CLI_PATH,
  legacyExpected,
  legacyPath,
  runCli,
  sha256Hex,
  smallBlocks,
  tempDir,
  writeContainer,
} from "./testdata/helpers.ts";

const ONE_ERROR_LINE = /^h4mk: error: H4_[A-Z_]+: [^\n]+\n$/;

Deno.test("demo makes a container and prints manifest, seek and block output", async () => {
  await using tmp = await tempDir();
  const r = await runCli(["demo", tmp.dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  assert.match(r.stdout, /^made .*demo\.h4mk: 231 blocks of 2 tracks/);
  assert.match(r.stdout, /\$ h4mk manifest .*demo\.h4mk\n.*H4MK version 2 \(profile v2\)/);
  assert.match(r.stdout, /audio +compression=none +blocks=141 +keyframes=141/);
  assert.match(r.stdout, /video +compression=none +blocks=90 +keyframes=3 /);
  assert.match(r.stdout, /\ntrack=video pts_us=1500000 -> keyframe_pts_us=1000000 core_index=77\n/);
  assert.match(r.stdout, /\nwrote .*block\.bin \(decompressed, \d+ bytes\)\n/);
  // A second run does not overwrite without --force.
  const again = await runCli(["demo", tmp.dir]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, ONE_ERROR_LINE);
  assert.match(again.stderr, /H4_IO: .*demo\.h4mk exists; pass --force/);
});

Deno.test("pack from stdin, block to stdout, unpack and pack again byte for byte", async () => {
  await using tmp = await tempDir();
  const blocks = smallBlocks();
  const jsonl = blocks.map((b, i) =>
    JSON.stringify({
      track_id: b.track_id,
      pts_us: b.pts_us,
      kind: b.kind,
      keyframe: b.keyframe,
      payload_b64: encodeBase64(b.payload),
      // A per-block codec differing from the default one.
      ...(i === 5 ? { codec: "none" } : {}),
    })
  ).join("\n") + "\n";
  const out = `${tmp.dir}/a.h4mk`;
  const packArgs = [
    "--codec",
    "deflate",
    "--meta",
    '{"title":"round trip"}',
    "--safe",
    '{"scope":"test"}',
  ];
  const p = await runCli(["pack", "-", "-o", out, ...packArgs], { stdin: jsonl });
  assert.equal(p.code, 0, p.stderr);
  assert.match(
    p.stdout,
    /^wrote .*a\.h4mk \(24 blocks, 2 tracks, \d+ bytes, root [0-9a-f]{64}\)\n$/,
  );

  const [blk, raw, seek, unpack] = await Promise.all([
    runCli(["block", out, "--index", "7", "-o", "-"]),
    runCli(["block", out, "--index", "7", "--raw", "-o", `${tmp.dir}/raw.bin`]),
    runCli(["seek", out, "--track", "video", "--pts_us", "170000"]),
    runCli(["unpack", out, "-d", `${tmp.dir}/u`]),
  ]);
  assert.equal(blk.code, 0, blk.stderr);
  assert.deepEqual(blk.stdoutBytes, blocks[7].payload);
  assert.equal(blk.stderr, `wrote - (decompressed, ${blocks[7].payload.length} bytes)\n`);
  assert.equal(raw.code, 0);
  assert.match(raw.stdout, /^wrote .*raw\.bin \(raw CORE bytes, \d+ bytes\)\n$/);
  assert.equal(seek.stdout, "track=video pts_us=170000 -> keyframe_pts_us=0 core_index=0\n");
  assert.equal(unpack.code, 0, unpack.stderr);
  assert.match(
    unpack.stdout,
    /^unpacked 24 blocks of 2 tracks to .*\nrepack: h4mk pack .* --profile v2 --codec deflate --meta @.* --safe @.*\n$/,
  );
  assert.deepEqual(JSON.parse(await Deno.readTextFile(`${tmp.dir}/u/meta.json`)), {
    title: "round trip",
  });

  const u = `${tmp.dir}/u`;
  const repackArgs = [
    "--codec",
    "deflate",
    "--meta",
    `@${u}/meta.json`,
    "--safe",
    `@${u}/safe.json`,
  ];
  const [again, piped] = await Promise.all([
    runCli(["pack", `${u}/blocks.jsonl`, "-o", `${tmp.dir}/b.h4mk`, ...repackArgs]),
    // Relative payload_file paths resolve against the working directory for stdin.
    runCli(["pack", "-", "-o", "-", ...repackArgs], {
      stdin: await Deno.readFile(`${u}/blocks.jsonl`),
      cwd: u,
    }),
  ]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(piped.code, 0, piped.stderr);
  assert.match(piped.stderr, /^wrote - \(24 blocks/);
  const original = await Deno.readFile(out);
  assert.deepEqual(await Deno.readFile(`${tmp.dir}/b.h4mk`), original);
  assert.deepEqual(piped.stdoutBytes, original);

  const v = await runCli(["verify", out]);
  assert.equal(v.code, 0);
  assert.match(v.stdout, /a\.h4mk: valid \(\d+ checks passed\)\n/);
});

Deno.test("exit codes and one-line errors of a real process", async () => {
  await using tmp = await tempDir();
  const file = `${tmp.dir}/a.h4mk`;
  const bytes = await writeContainer(file);
  const bad = bytes.slice();
  bad[bytes.length - 200] ^= 1; // inside the tables near the end
  await Deno.writeFile(`${tmp.dir}/bad.h4mk`, bad);
  await Deno.writeFile(`${tmp.dir}/trunc.h4mk`, bytes.subarray(0, bytes.length - 100));

  const [version, usage, missing, trunc, badVerify, track] = await Promise.all([
    runCli(["--version"]),
    runCli(["seek", file, "--track", "video"]),
    runCli(["manifest", `${tmp.dir}/missing.h4mk`]),
    runCli(["manifest", `${tmp.dir}/trunc.h4mk`, "--json"]),
    runCli(["verify", `${tmp.dir}/bad.h4mk`]),
    runCli(["seek", file, "--track", "subtitles", "--pts-us", "0"]),
  ]);
  assert.equal(version.code, 0);
  assert.equal(version.stdout, `${denoJson.version}\n`);
  assert.equal(usage.code, 2);
  assert.match(
    usage.stderr,
    /^h4mk: error: H4_USAGE: required option '--pts-us <n>' not specified\n$/,
  );
  for (
    const [r, code] of [
      [missing, "H4_IO"],
      [trunc, "H4_BAD_LOCATOR"],
      [track, "H4_UNKNOWN_TRACK"],
    ] as const
  ) {
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, ONE_ERROR_LINE);
    assert.ok(r.stderr.startsWith(`h4mk: error: ${code}: `), r.stderr);
    assert.equal(r.stdout, "");
    assert.ok(!r.stderr.includes("    at "), "no stack trace without --debug");
  }
  assert.equal(badVerify.code, 1);
  assert.match(badVerify.stdout, /INVALID/);
  assert.match(badVerify.stderr, /^h4mk: error: H4_[A-Z_]+: (verification failed: H4-|.*)/);
});

Deno.test("legacy samples from the repository's sibling folder", async () => {
  const name = "unicode-ids";
  const expected = await legacyExpected(name);
  const file = legacyPath(name);
  const last = expected[expected.length - 1];
  const [m, b, v] = await Promise.all([
    runCli(["manifest", file, "--json"]),
    runCli(["block", file, "--index", String(last.core_index), "-o", "-"]),
    runCli(["verify", file, "--json"]),
  ]);
  assert.equal(m.code, 0, m.stderr);
  const manifest = JSON.parse(m.stdout);
  assert.equal(manifest.core_blocks, expected.length);
  assert.equal(manifest.h4mk.version, 1);
  assert.deepEqual(
    Object.keys(manifest.seek).sort(),
    [...new Set(expected.map((x) => x.track_id))].sort(),
  );
  assert.equal(await sha256Hex(b.stdoutBytes), last.sha256);
  assert.equal(JSON.parse(v.stdout).ok, true);
});

Deno.test("serve runs until SIGTERM, and URLs read through it", async () => {
  await using tmp = await tempDir();
  const bytes = await writeContainer(`${tmp.dir}/a.h4mk`);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", CLI_PATH, "serve", tmp.dir, "--port", "0"],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdout = child.stdout.pipeTo(new WritableStream());
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let banner = "";
  while (!/http:\/\/[^ ]+:\d+\//.test(banner)) {
    const { value, done } = await reader.read();
    if (done) break;
    banner += value;
  }
  const base = /(http:\/\/[^ ]+:\d+)\//.exec(banner)?.[1];
  try {
    assert.ok(base, `no address in ${JSON.stringify(banner)}`);
    const api = await fetch(`${base}/openapi.json`);
    assert.equal(api.status, 200);
    await api.body?.cancel();
    const url = `${base}/files/a.h4mk`;
    const [m, blk] = await Promise.all([
      runCli(["manifest", url, "--json"]),
      runCli(["block", url, "--index", "0", "-o", "-"]),
    ]);
    assert.equal(m.code, 0, m.stderr);
    assert.equal(JSON.parse(m.stdout).h4mk.size, bytes.length);
    assert.deepEqual(blk.stdoutBytes, smallBlocks()[0].payload);
  } finally {
    child.kill("SIGTERM");
    const status = await child.status;
    await reader.cancel();
    await stdout;
    assert.equal(status.code, 0);
  }
});
