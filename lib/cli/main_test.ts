/**
 * In-process tests of `main`: the same code path as the binary, without a process per case,
 * so the wide matrix (every bad input; the legacy samples block by block in main_legacy_test.ts)
 * stays fast. The subprocess tests in cli_test.ts cover what only a real process shows (exit
 * status, pipes).
 */
import assert from "node:assert/strict";
import denoJson from "../../deno.json" with { type: "json" };
import { serveBytes } from "../io/testdata/range_server.ts";
import {
  errorCode,
  moduleExists,
  runMain,
  smallBlocks,
  tempDir,
  writeContainer,
} from "./testdata/helpers.ts";

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

Deno.test("conformance passes its arguments through, or says it is not available", async () => {
  const r = await runMain(["conformance", "--help"]);
  if (moduleExists("conformance/mod.ts")) {
    assert.notEqual(r.code, 2, r.stderr);
  } else {
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^h4mk: error: H4_BAD_ARGUMENT: conformance is not available/);
  }
});
