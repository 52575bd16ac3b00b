/**
 * LivingCipher from the command line (issue 14): key roles, grants that work, decrypted output
 * mode, bytes outside the seal.
 */
import assert from "node:assert/strict";
import { insertChunkBeforeVeri } from "../../format/testdata/forge.ts";
import { runMain, smallBlocks, tempDir, writeContainer } from "../testdata/helpers.ts";

const ERROR_LINE = /^h4mk: error: (H4_[A-Z_]+): [^\n]+\n$/;

function errorCode(stderr: string): string {
  const m = ERROR_LINE.exec(stderr);
  assert.ok(m, `expected one error line, got ${JSON.stringify(stderr)}`);
  return m[1];
}

/** A root key, a plain and an encrypted container (24 blocks, 3 epochs of 8) in a temp dir. */
async function setup(d: string): Promise<void> {
  assert.equal((await runMain(["keygen", "-o", `${d}/root.key`])).code, 0);
  await writeContainer(`${d}/plain.h4mk`, smallBlocks());
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
}

async function grant(d: string, epoch: number): Promise<string> {
  const out = `${d}/e${epoch}.key`;
  const g = await runMain([
    "grant",
    `${d}/enc.h4mk`,
    "--key-file",
    `${d}/root.key`,
    "--from-epoch",
    String(epoch),
    "-o",
    out,
  ]);
  assert.equal(g.code, 0, g.stderr);
  return out;
}

function jsonl(): string {
  return smallBlocks().slice(0, 4).map((b) =>
    JSON.stringify({
      track_id: b.track_id,
      pts_us: b.pts_us,
      kind: b.kind,
      keyframe: b.keyframe,
      payload_b64: b.payload.toBase64(),
    }) + "\n"
  ).join("");
}

Deno.test("cipher CLI: the epoch-0 grant is refused as a sealing key by pack and encrypt (issue 14 reproducer)", async () => {
  await using tmp = await tempDir();
  const d = tmp.dir;
  await setup(d);
  const e0 = await grant(d, 0);
  await Deno.writeTextFile(`${d}/pa.jsonl`, jsonl());
  for (
    const args of [
      ["pack", `${d}/pa.jsonl`, "-o", `${d}/pa.h4mk`, "--key-file", e0],
      ["pack", `${d}/pa.jsonl`, "-o", `${d}/pb.h4mk`, "--key-file", e0],
      ["encrypt", `${d}/plain.h4mk`, "-o", `${d}/x.h4mk`, "--key-file", e0],
    ]
  ) {
    const r = await runMain(args);
    assert.equal(r.code, 1, args.join(" "));
    assert.equal(errorCode(r.stderr), "H4_CIPHER_BAD_KEY");
    assert.match(
      r.stderr,
      /needs a root key .*got an epoch key \(a reading grant for container [0-9a-f]{32} from epoch 0\)/,
    );
    await assert.rejects(Deno.stat(args[3]), Deno.errors.NotFound);
  }
  // With the root key, two packs of the same blocks get two container ids.
  const ids: string[] = [];
  for (const name of ["pa", "pb"]) {
    const r = await runMain([
      "pack",
      `${d}/pa.jsonl`,
      "-o",
      `${d}/${name}.h4mk`,
      "--key-file",
      `${d}/root.key`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const ins = await runMain(["inspect", `${d}/${name}.h4mk`]);
    ids.push(/container id ([0-9a-f]{32})/.exec(ins.stdout)![1]);
  }
  assert.notEqual(ids[0], ids[1]);
});

Deno.test("cipher CLI: verify with a later grant exits 0 on a genuine file and names the blocks it could not open", async () => {
  await using tmp = await tempDir();
  const d = tmp.dir;
  await setup(d);
  const e1 = await grant(d, 1);
  const v = await runMain(["verify", `${d}/enc.h4mk`, "--key-file", e1]);
  assert.equal(v.code, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /valid/);
  assert.match(v.stdout, /blocks 0\.\.7 \(8 of 24\) stayed sealed to this epoch key/);
  const j = JSON.parse(
    (await runMain(["verify", `${d}/enc.h4mk`, "--key-file", e1, "--json"])).stdout,
  );
  assert.equal(j.ok, true);
  assert.equal(j.sealed_blocks, 8);
  // The closing epoch's key (a verifier's key) checks everything and opens nothing.
  const e3 = await grant(d, 3);
  const vc = await runMain(["verify", `${d}/enc.h4mk`, "--key-file", e3]);
  assert.equal(vc.code, 0, vc.stdout);
  assert.match(vc.stdout, /all 24 blocks stayed sealed/);
  // The root key: nothing sealed, nothing said about it.
  const vr = await runMain(["verify", `${d}/enc.h4mk`, "--key-file", `${d}/root.key`]);
  assert.equal(vr.code, 0);
  assert.doesNotMatch(vr.stdout, /sealed to this/);
});

Deno.test("cipher CLI: decrypt writes mode 0600 and says so; with a grant it copies the blocks it opens", async () => {
  await using tmp = await tempDir();
  const d = tmp.dir;
  await setup(d);
  const r = await runMain([
    "decrypt",
    `${d}/enc.h4mk`,
    "-o",
    `${d}/dec.h4mk`,
    "--key-file",
    `${d}/root.key`,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\(decrypted, 24 blocks, mode 0600\)/);
  if (Deno.build.os !== "windows") {
    assert.equal((await Deno.stat(`${d}/dec.h4mk`)).mode! & 0o777, 0o600);
  }
  const e1 = await grant(d, 1);
  const g = await runMain(["decrypt", `${d}/enc.h4mk`, "-o", `${d}/g.h4mk`, "--key-file", e1]);
  assert.equal(g.code, 0, g.stderr);
  assert.match(g.stdout, /16 blocks, mode 0600/);
  assert.match(
    g.stdout,
    /blocks 0\.\.7 \(8 of 24\) stayed sealed to this epoch key: not in the output/,
  );
  const blocks = smallBlocks();
  const b = await runMain(["block", `${d}/g.h4mk`, "--index", "0", "-o", "-"]);
  assert.deepEqual(b.stdoutBytes, blocks[8].payload);
  assert.equal((await runMain(["verify", `${d}/g.h4mk`])).code, 0);
});

Deno.test("cipher CLI: unpack with a grant unpacks the blocks it opens and names the sealed ones", async () => {
  await using tmp = await tempDir();
  const d = tmp.dir;
  await setup(d);
  const e2 = await grant(d, 2);
  const u = await runMain(["unpack", `${d}/enc.h4mk`, "-d", `${d}/u`, "--key-file", e2]);
  assert.equal(u.code, 0, u.stderr);
  assert.match(u.stdout, /unpacked 8 blocks/);
  assert.match(
    u.stdout,
    /blocks 0\.\.15 \(16 of 24\) stayed sealed to this epoch key: not unpacked/,
  );
  const lines = (await Deno.readTextFile(`${d}/u/blocks.jsonl`)).trim().split("\n");
  assert.equal(lines.length, 8);
});

Deno.test("cipher CLI: an inserted chunk fails verify with a key (H4_CIPHER_UNSEALED_DATA), not without", async () => {
  await using tmp = await tempDir();
  const d = tmp.dir;
  await setup(d);
  const bytes = await Deno.readFile(`${d}/enc.h4mk`);
  await Deno.writeFile(
    `${d}/ins.h4mk`,
    insertChunkBeforeVeri(bytes, "XTRA", new TextEncoder().encode("hello")),
  );
  assert.equal((await runMain(["verify", `${d}/ins.h4mk`])).code, 0, "unkeyed checks hold");
  const v = await runMain(["verify", `${d}/ins.h4mk`, "--key-file", `${d}/root.key`]);
  assert.equal(v.code, 1);
  assert.match(
    v.stdout,
    /FAIL H4-LC-018 H4_CIPHER_UNSEALED_DATA: 1 chunk\(s\), 17 bytes, outside the root digest and the seal: "XTRA" at \d+/,
  );
});
