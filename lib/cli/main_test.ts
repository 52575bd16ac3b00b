/**
 * In-process tests of `main`: the same code path as the binary, without a process per case,
 * so the wide matrix (legacy samples block by block, every bad input) stays fast. The
 * subprocess tests in cli_test.ts cover what only a real process shows (exit status, pipes).
 */
import assert from "node:assert/strict";
import denoJson from "../../deno.json" with { type: "json" };
import { serveBytes } from "../io/testdata/range_server.ts";
import {
  LEGACY_SAMPLES,
  legacyExpected,
  legacyPath,
  moduleExists,
  runMain,
  sha256Hex,
  smallBlocks,
  tempDir,
  writeContainer,
} from "./testdata/helpers.ts";

const ERROR_LINE = /^h4mk: error: (H4_[A-Z_]+): [^\n]+\n$/;

function errorCode(stderr: string): string {
  const m = ERROR_LINE.exec(stderr);
  assert.ok(m, `expected one error line, got ${JSON.stringify(stderr)}`);
  return m[1];
}

Deno.test("version, help and usage errors (exit 2, H4_USAGE)", async () => {
  const v = await runMain(["--version"]);
  assert.equal(v.code, 0);
  assert.equal(v.stdout.trim(), denoJson.version);

  const help = await runMain(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: h4mk \[options\] \[command\]/);
  assert.match(
    help.stdout,
    /Exit codes: 0 success, 1 invalid input or failed verification, 2 usage error/,
  );
  const helpSeek = await runMain(["help", "seek"]);
  assert.equal(helpSeek.code, 0);
  assert.match(helpSeek.stdout, /--pts-us <n>/);
  assert.match((await runMain(["pack", "--help"])).stdout, /payload_file/);

  const none = await runMain([]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /Usage: h4mk/);

  for (
    const [args, re] of [
      [["bogus"], /unknown command 'bogus'/],
      [["help", "bogus"], /unknown command 'bogus'/],
      [["manifest"], /missing required argument 'file'/],
      [["manifest", "a", "b"], /too many arguments/],
      [["manifest", "a", "--nope"], /unknown option '--nope'/],
      [["seek", "a.h4mk", "--pts-us", "1"], /required option '--track <id>'/],
      [["seek", "a.h4mk", "--track", "v"], /required option '--pts-us <n>'/],
      [["seek", "a.h4mk", "--track", "v", "--pts-us", "1.5"], /argument '1.5' is invalid/],
      [["block", "a.h4mk", "--index", "-1"], /argument '-1' is invalid/],
      [["pack", "x.jsonl", "-o", "y", "--profile", "v3"], /Allowed choices are v1, v2/],
      [["completions", "tcsh"], /Allowed choices are bash, zsh, fish/],
      [["serve", "--port", "70000"], /port 0..65535/],
    ] as [string[], RegExp][]
  ) {
    const r = await runMain(args);
    assert.equal(r.code, 2, args.join(" "));
    assert.equal(errorCode(r.stderr), "H4_USAGE", args.join(" "));
    assert.match(r.stderr, re, args.join(" "));
    assert.equal(r.stdout, "");
  }
});

Deno.test("manifest, seek, block and inspect on a written container", async () => {
  await using tmp = await tempDir();
  const file = `${tmp.dir}/a.h4mk`;
  const blocks = smallBlocks();
  await writeContainer(file, blocks, {
    meta: { title: "t" },
    safe: { scope: "x" },
    codec: "deflate",
  });

  const m = await runMain(["manifest", file, "--json", "--verify"]);
  assert.equal(m.code, 0, m.stderr);
  const manifest = JSON.parse(m.stdout);
  assert.equal(manifest.core_blocks, blocks.length);
  assert.equal(manifest.meta.title, "t");
  assert.deepEqual(manifest.safe, { scope: "x" });
  assert.equal(manifest.h4mk.block_compression, "deflate");
  assert.deepEqual(manifest.h4mk.integrity, {
    root_checked: true,
    verified: true,
    failed: [],
    trusted: false,
  });
  assert.equal(manifest.seek.video.length, 2);

  // The original tool's line, and --pts_us as it spelled it; negative times seek too.
  const s = await runMain(["seek", file, "--track", "video", "--pts_us", "250000"]);
  assert.equal(s.stdout, "track=video pts_us=250000 -> keyframe_pts_us=240000 core_index=12\n");
  const before = await runMain(["seek", file, "--track", "audio", "--pts-us", "-30000", "--json"]);
  assert.deepEqual(
    { ...JSON.parse(before.stdout), offset: 0, stored_length: 0 },
    {
      track_id: "audio",
      pts_us: -30000,
      keyframe_pts_us: -20000,
      core_index: 1,
      found: false,
      offset: 0,
      stored_length: 0,
    },
  );

  const b = await runMain(["block", file, "--index", "2", "-o", "-"]);
  assert.equal(b.code, 0);
  assert.deepEqual(b.stdoutBytes, blocks[2].payload);
  assert.equal(b.stderr, `wrote - (decompressed, ${blocks[2].payload.length} bytes)\n`);
  const raw = await runMain(["block", file, "--index", "2", "--raw", "-o", `${tmp.dir}/raw.bin`]);
  const stored = await Deno.readFile(`${tmp.dir}/raw.bin`);
  assert.equal(raw.stdout, `wrote ${tmp.dir}/raw.bin (raw CORE bytes, ${stored.length} bytes)\n`);
  assert.equal(stored[0], 0x78); // a zlib stream: the deflate codec's stored bytes

  const ins = await runMain(["inspect", file, "--json"]);
  assert.equal(ins.code, 0, ins.stderr);
  const chunks = JSON.parse(ins.stdout).chunks as {
    tag: string;
    crc_ok: boolean;
    view: Record<string, unknown>;
  }[];
  assert.deepEqual(chunks.map((c) => c.tag), [
    "SEGM",
    "BIDX",
    "BHSH",
    "KSEK",
    "TDIR",
    "TRKS",
    "META",
    "SAFE",
    "VERI",
    "LOCA",
  ]);
  assert.ok(chunks.every((c) => c.crc_ok));
  assert.deepEqual(chunks[0].view, {
    storage_chunk: 0,
    first_block: 0,
    last_block: 23,
    blocks: 24,
  });
  assert.equal((chunks[9].view as { block_count: number }).block_count, 24);
  const human = await runMain(["inspect", file]);
  assert.match(human.stdout, /TRKS +\d+ +ok +audio \(deflate, 12 blocks, 12 keyframes\); video/);
});

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

Deno.test("bad input: one error line with its code, exit 1", async () => {
  await using tmp = await tempDir();
  const file = `${tmp.dir}/a.h4mk`;
  const bytes = await writeContainer(file);
  await Deno.writeFile(`${tmp.dir}/trunc.h4mk`, bytes.subarray(0, bytes.length - 100));
  await Deno.writeFile(`${tmp.dir}/tiny.h4mk`, bytes.subarray(0, 5));
  await Deno.writeFile(`${tmp.dir}/riff.h4mk`, new TextEncoder().encode("RIFF0000WAVE"));
  await Deno.writeTextFile(
    `${tmp.dir}/bad.jsonl`,
    '{"track_id":"v","pts_us":0,"kind":"I","keyframe":true,"payload_b64":""}\n{"track_id":"v"}\n',
  );
  await Deno.writeTextFile(
    `${tmp.dir}/ok.jsonl`,
    '{"track_id":"v","pts_us":0,"kind":"I","keyframe":true,"payload_b64":"AA=="}\n',
  );
  await Deno.writeTextFile(
    `${tmp.dir}/longid.jsonl`,
    JSON.stringify({
      track_id: "x".repeat(300),
      pts_us: 0,
      kind: "I",
      keyframe: true,
      payload_b64: "",
    }) + "\n",
  );

  const cases: [string[], string, RegExp?][] = [
    [["manifest", `${tmp.dir}/missing.h4mk`], "H4_IO", /missing\.h4mk/],
    [["manifest", `${tmp.dir}/trunc.h4mk`], "H4_BAD_LOCATOR"],
    [["seek", `${tmp.dir}/tiny.h4mk`, "--track", "v", "--pts-us", "0"], "H4_TRUNCATED"],
    [["manifest", `${tmp.dir}/riff.h4mk`], "H4_BAD_MAGIC", /"RIFF"/],
    [["seek", file, "--track", "nope", "--pts-us", "0"], "H4_UNKNOWN_TRACK", /"nope"/],
    [["block", file, "--index", "24", "-o", "-"], "H4_BLOCK_OUT_OF_RANGE", /24/],
    [["block", file, "--index", "0", "-o", file], "H4_IO", /--force/],
    [
      ["pack", `${tmp.dir}/bad.jsonl`, "-o", `${tmp.dir}/x.h4mk`],
      "H4_BAD_ARGUMENT",
      /^.*line 2: pts_us/,
    ],
    [
      ["pack", `${tmp.dir}/longid.jsonl`, "-o", `${tmp.dir}/x.h4mk`],
      "H4_BAD_ARGUMENT",
      /line 1: .*255/,
    ],
    [
      ["pack", `${tmp.dir}/ok.jsonl`, "-o", `${tmp.dir}/x.h4mk`, "--meta", "[1]"],
      "H4_BAD_ARGUMENT",
      /--meta/,
    ],
    [
      [
        "pack",
        `${tmp.dir}/ok.jsonl`,
        "-o",
        `${tmp.dir}/x.h4mk`,
        "--profile",
        "v2",
        "--legacy-trak",
      ],
      "H4_BAD_ARGUMENT",
    ],
    [["pack", `${tmp.dir}/missing.jsonl`, "-o", `${tmp.dir}/x.h4mk`], "H4_IO"],
    [["unpack", file, "-d", tmp.dir], "H4_BAD_ARGUMENT", /not empty/],
  ];
  for (const [args, code, re] of cases) {
    const r = await runMain(args);
    assert.equal(r.code, 1, `${args.join(" ")}: ${r.stderr}`);
    assert.equal(errorCode(r.stderr), code, args.join(" "));
    if (re) assert.match(r.stderr, re, args.join(" "));
  }
  // A failed pack leaves nothing behind.
  assert.ok(
    ![...Deno.readDirSync(tmp.dir)].some((e) =>
      e.name.startsWith("x.h4mk") || e.name.endsWith(".tmp")
    ),
  );

  // --debug adds the stack trace after the line.
  const dbg = await runMain(["manifest", `${tmp.dir}/riff.h4mk`, "--debug"]);
  assert.match(dbg.stderr, /^h4mk: error: H4_BAD_MAGIC: .*\n.*H4Error/s);
});

Deno.test("verify reports damage with rule ids and exit 1", async () => {
  await using tmp = await tempDir();
  const file = `${tmp.dir}/a.h4mk`;
  const bytes = await writeContainer(file);
  const ok = await runMain(["verify", file, "--json"]);
  assert.equal(ok.code, 0);
  assert.equal(JSON.parse(ok.stdout).ok, true);

  const bad = bytes.slice();
  bad[40] ^= 0xff; // inside the SEGM payload
  await Deno.writeFile(`${tmp.dir}/bad.h4mk`, bad);
  const r = await runMain(["verify", `${tmp.dir}/bad.h4mk`, "--json"]);
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout);
  assert.equal(out.ok, false);
  assert.ok(out.failed.includes("H4-FMT-011"), out.failed.join(","));
  assert.match(r.stderr, /^h4mk: error: H4_[A-Z_]+: verification failed: .*H4-FMT-011/);
  const human = await runMain(["verify", `${tmp.dir}/bad.h4mk`]);
  assert.match(human.stdout, /INVALID \(\d+ of \d+ checks failed\)\n {2}FAIL H4-/);
  const ins = await runMain(["inspect", `${tmp.dir}/bad.h4mk`]);
  assert.equal(ins.code, 1);
  assert.match(ins.stdout, /SEGM +\d+ +BAD/);
  assert.equal(errorCode(ins.stderr), "H4_CRC_MISMATCH");
});

Deno.test("an http(s) URL reads like a file", async () => {
  await using tmp = await tempDir();
  const bytes = await writeContainer(`${tmp.dir}/a.h4mk`);
  const server = serveBytes(bytes);
  try {
    const m = await runMain(["manifest", server.url, "--json"]);
    assert.equal(m.code, 0, m.stderr);
    assert.equal(JSON.parse(m.stdout).core_blocks, 24);
    const s = await runMain(["seek", server.url, "--track", "video", "--pts-us", "100000"]);
    assert.equal(s.stdout, "track=video pts_us=100000 -> keyframe_pts_us=0 core_index=0\n");
    assert.equal((await runMain(["verify", server.url])).code, 0);
  } finally {
    await server.close();
  }
});

Deno.test("completions print a script for each shell", async () => {
  for (const shell of ["bash", "zsh", "fish"]) {
    const r = await runMain(["completions", shell]);
    assert.equal(r.code, 0);
    assert.ok(r.stdout.includes("manifest"), shell);
  }
});

Deno.test({
  name: "import and export wrap lib/media",
  ignore: !moduleExists("lib/media/mod.ts"),
  fn: async () => {
    await using tmp = await tempDir();
    const mp4 = new URL("../media/testdata/av.mp4", import.meta.url).pathname;
    const i = await runMain(["import", mp4, "-o", `${tmp.dir}/av.h4mk`, "--tracks", "video,audio"]);
    assert.equal(i.code, 0, i.stderr);
    assert.match(i.stdout, /^wrote .*av\.h4mk \(\d+ blocks; tracks /);
    const e = await runMain(["export", `${tmp.dir}/av.h4mk`, "-o", `${tmp.dir}/out.mp4`]);
    assert.equal(e.code, 0, e.stderr);
    const head = (await Deno.readFile(`${tmp.dir}/out.mp4`)).subarray(4, 8);
    assert.equal(new TextDecoder().decode(head), "ftyp");
    const bad = await runMain(["import", `${tmp.dir}/av.h4mk`, "-o", `${tmp.dir}/x.h4mk`]);
    assert.equal(bad.code, 1);
    errorCode(bad.stderr);
  },
});

Deno.test({
  name: "export --fragmented and --faststart write web-ready MP4s; together they are a usage error",
  ignore: !moduleExists("lib/media/mod.ts"),
  fn: async () => {
    await using tmp = await tempDir();
    const mp4 = new URL("../media/testdata/av.mp4", import.meta.url).pathname;
    const i = await runMain(["import", mp4, "-o", `${tmp.dir}/av.h4mk`]);
    assert.equal(i.code, 0, i.stderr);
    const boxes = async (path: string) => {
      const b = await Deno.readFile(path);
      const v = new DataView(b.buffer);
      const out: string[] = [];
      for (let at = 0; at < b.length; at += v.getUint32(at)) {
        out.push(new TextDecoder().decode(b.subarray(at + 4, at + 8)));
      }
      return out;
    };
    const f = await runMain([
      "export",
      `${tmp.dir}/av.h4mk`,
      "-o",
      `${tmp.dir}/f.mp4`,
      "--fragmented",
    ]);
    assert.equal(f.code, 0, f.stderr);
    assert.deepEqual((await boxes(`${tmp.dir}/f.mp4`)).slice(0, 4), [
      "ftyp",
      "moov",
      "moof",
      "mdat",
    ]);
    const s = await runMain([
      "export",
      `${tmp.dir}/av.h4mk`,
      "-o",
      `${tmp.dir}/s.mp4`,
      "--faststart",
    ]);
    assert.equal(s.code, 0, s.stderr);
    assert.deepEqual(await boxes(`${tmp.dir}/s.mp4`), ["ftyp", "moov", "mdat"]);
    const both = await runMain([
      "export",
      `${tmp.dir}/av.h4mk`,
      "-o",
      `${tmp.dir}/b.mp4`,
      "--faststart",
      "--fragmented",
    ]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /exclude each other/);
  },
});

Deno.test("conformance passes its arguments through, or says it is not available", async () => {
  const r = await runMain(["conformance", "--help"]);
  if (moduleExists("conformance/mod.ts")) {
    assert.notEqual(r.code, 2, r.stderr);
  } else {
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^h4mk: error: H4_BAD_ARGUMENT: conformance is not available/);
  }
});

Deno.test({
  name:
    "LivingCipher: keygen, encrypt, block/verify/unpack with keys, grant, decrypt, pack --key-file",
  ignore: !moduleExists("lib/living/mod.ts"),
  fn: async () => {
    await using tmp = await tempDir();
    const d = tmp.dir;
    const k = await runMain(["keygen", "-o", `${d}/root.key`]);
    assert.equal(k.code, 0, k.stderr);
    const keyText = await Deno.readTextFile(`${d}/root.key`);
    assert.ok(!k.stdout.includes(keyText.trim().split(" ")[1]), "the key is never echoed");
    if (Deno.build.os !== "windows") {
      assert.equal((await Deno.stat(`${d}/root.key`)).mode! & 0o777, 0o600);
    }
    assert.equal((await runMain(["keygen", "-o", `${d}/root.key`])).code, 1); // no overwrite
    assert.equal((await runMain(["keygen", "-o", "-"])).code, 1); // never to stdout
    await runMain(["keygen", "-o", `${d}/other.key`]);

    const blocks = smallBlocks();
    await writeContainer(`${d}/plain.h4mk`, blocks, { meta: { t: 1 } });
    const e = await runMain([
      "encrypt",
      `${d}/plain.h4mk`,
      "-o",
      `${d}/enc.h4mk`,
      "--key-file",
      `${d}/root.key`,
      "--epoch-blocks",
      "8",
    ]);
    assert.equal(e.code, 0, e.stderr);
    const m = JSON.parse((await runMain(["manifest", `${d}/enc.h4mk`, "--json"])).stdout);
    assert.equal(m.h4mk.encrypted, true);
    assert.equal(m.meta.t, 1);

    const noKey = await runMain(["block", `${d}/enc.h4mk`, "--index", "3", "-o", "-"]);
    assert.equal(noKey.code, 1);
    assert.equal(errorCode(noKey.stderr), "H4_ENCRYPTED");
    const withKey = await runMain([
      "block",
      `${d}/enc.h4mk`,
      "--index",
      "3",
      "-o",
      "-",
      "--key-file",
      `${d}/root.key`,
    ]);
    assert.deepEqual(withKey.stdoutBytes, blocks[3].payload);
    const wrongKey = await runMain([
      "block",
      `${d}/enc.h4mk`,
      "--index",
      "3",
      "-o",
      "-",
      "--key-file",
      `${d}/other.key`,
    ]);
    assert.equal(wrongKey.code, 1);
    assert.match(errorCode(wrongKey.stderr), /^H4_CIPHER_/);
    const notAKey = await runMain([
      "block",
      `${d}/enc.h4mk`,
      "--index",
      "3",
      "--key-file",
      `${d}/plain.h4mk`,
    ]);
    assert.equal(errorCode(notAKey.stderr), "H4_CIPHER_BAD_KEY");

    const verify = await runMain([
      "verify",
      `${d}/enc.h4mk`,
      "--key-file",
      `${d}/root.key`,
      "--json",
    ]);
    assert.equal(verify.code, 0, verify.stdout);
    assert.ok(
      JSON.parse(verify.stdout).checks.some((c: { rule: string }) => c.rule.startsWith("H4-LC-")),
    );
    const ins = await runMain(["inspect", `${d}/enc.h4mk`]);
    assert.match(
      ins.stdout,
      /LIVC +\d+ +ok +suite chacha20-poly1305, 3 epochs of 8 blocks, container id [0-9a-f]{32}/,
    );

    const grant = await runMain([
      "grant",
      `${d}/enc.h4mk`,
      "--key-file",
      `${d}/root.key`,
      "--from-epoch",
      "2",
      "-o",
      `${d}/e2.key`,
    ]);
    assert.equal(grant.code, 0, grant.stderr);
    const early = await runMain([
      "block",
      `${d}/enc.h4mk`,
      "--index",
      "3",
      "-o",
      "-",
      "--key-file",
      `${d}/e2.key`,
    ]);
    assert.equal(errorCode(early.stderr), "H4_CIPHER_WRONG_EPOCH");
    const late = await runMain([
      "block",
      `${d}/enc.h4mk`,
      "--index",
      "20",
      "-o",
      "-",
      "--key-file",
      `${d}/e2.key`,
    ]);
    assert.deepEqual(late.stdoutBytes, blocks[20].payload);
    const epochEncrypt = await runMain([
      "pack",
      "-",
      "-o",
      `${d}/x.h4mk`,
      "--key-file",
      `${d}/e2.key`,
    ]);
    assert.equal(errorCode(epochEncrypt.stderr), "H4_CIPHER_BAD_KEY");

    const dec = await runMain([
      "decrypt",
      `${d}/enc.h4mk`,
      "-o",
      `${d}/dec.h4mk`,
      "--key-file",
      `${d}/root.key`,
    ]);
    assert.equal(dec.code, 0, dec.stderr);
    assert.deepEqual(await Deno.readFile(`${d}/dec.h4mk`), await Deno.readFile(`${d}/plain.h4mk`));
    assert.equal(
      errorCode(
        (await runMain([
          "decrypt",
          `${d}/plain.h4mk`,
          "-o",
          `${d}/y.h4mk`,
          "--key-file",
          `${d}/root.key`,
        ])).stderr,
      ),
      "H4_BAD_ARGUMENT",
    );

    // Re-encryption under a new key, then unpack with it and pack again with a key.
    const again = await runMain([
      "encrypt",
      `${d}/enc.h4mk`,
      "-o",
      `${d}/enc2.h4mk`,
      "--key-file",
      `${d}/other.key`,
    ]);
    assert.equal(errorCode(again.stderr), "H4_ENCRYPTED");
    const rekey = await runMain([
      "encrypt",
      `${d}/enc.h4mk`,
      "-o",
      `${d}/enc2.h4mk`,
      "--key-file",
      `${d}/other.key`,
      "--source-key-file",
      `${d}/root.key`,
    ]);
    assert.equal(rekey.code, 0, rekey.stderr);
    const u = await runMain([
      "unpack",
      `${d}/enc2.h4mk`,
      "-d",
      `${d}/u`,
      "--key-file",
      `${d}/other.key`,
    ]);
    assert.equal(u.code, 0, u.stderr);
    assert.match(u.stdout, /--key-file KEY/);
    const p = await runMain([
      "pack",
      `${d}/u/blocks.jsonl`,
      "-o",
      `${d}/p.h4mk`,
      "--key-file",
      `${d}/root.key`,
      "--meta",
      `@${d}/u/meta.json`,
    ]);
    assert.equal(p.code, 0, p.stderr);
    const pb = await runMain([
      "block",
      `${d}/p.h4mk`,
      "--index",
      "9",
      "-o",
      "-",
      "--key-file",
      `${d}/root.key`,
    ]);
    assert.deepEqual(pb.stdoutBytes, blocks[9].payload);
    // A key for an unencrypted file is not needed: a warning, and the block.
    const plainKey = await runMain([
      "block",
      `${d}/plain.h4mk`,
      "--index",
      "1",
      "-o",
      "-",
      "--key-file",
      `${d}/root.key`,
    ]);
    assert.equal(plainKey.code, 0);
    assert.match(plainKey.stderr, /warning: the container is not encrypted/);
  },
});
