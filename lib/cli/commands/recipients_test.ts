import assert from "node:assert/strict";
import { runMain, smallBlocks, tempDir, writeContainer } from "../testdata/helpers.ts";

const ERROR_LINE = /^h4mk: error: (H4_[A-Z_]+): [^\n]+\n$/;

function errorCode(stderr: string): string {
  const m = ERROR_LINE.exec(stderr);
  assert.ok(m, `expected one error line, got ${JSON.stringify(stderr)}`);
  return m[1];
}

async function ok(
  args: string[],
): Promise<{ stdout: string; stderr: string; stdoutBytes: Uint8Array }> {
  const r = await runMain(args);
  assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
  return r;
}

Deno.test("recipients CLI: keygen --identity, pack/encrypt to recipients, read with --identity, grant, list, remove", async () => {
  await using tmp = await tempDir();
  const d = tmp.dir;
  for (const who of ["alice", "bob", "carol"]) {
    const k = await ok(["keygen", "--identity", "-o", `${d}/${who}.id`]);
    assert.match(k.stdout, /X25519 identity, mode 0600.*recipient [0-9a-f]{16}/);
    const secret = (await Deno.readTextFile(`${d}/${who}.id`)).trim().split(" ")[1];
    assert.ok(!k.stdout.includes(secret) && !k.stderr.includes(secret), "never echoed");
    if (Deno.build.os !== "windows") {
      assert.equal((await Deno.stat(`${d}/${who}.id`)).mode! & 0o777, 0o600);
    }
    assert.match(
      await Deno.readTextFile(`${d}/${who}.id.pub`),
      /^h4mk-recipient-1 \S{44} [0-9a-f]{16}\n$/,
    );
  }
  assert.equal((await runMain(["keygen", "--identity", "-o", `${d}/alice.id`])).code, 1); // no overwrite

  // encrypt to two recipients, no key file: only they can open it.
  const blocks = smallBlocks();
  await writeContainer(`${d}/plain.h4mk`, blocks);
  await ok([
    "encrypt",
    `${d}/plain.h4mk`,
    "-o",
    `${d}/enc.h4mk`,
    "--epoch-blocks",
    "8",
    "--recipient",
    `${d}/alice.id.pub`,
    "--recipient",
    `${d}/bob.id.pub`,
  ]);
  for (const who of ["alice", "bob"]) {
    const b = await ok([
      "block",
      `${d}/enc.h4mk`,
      "--index",
      "3",
      "-o",
      "-",
      "--identity",
      `${d}/${who}.id`,
    ]);
    assert.deepEqual(b.stdoutBytes, blocks[3].payload);
    await ok(["verify", `${d}/enc.h4mk`, "--identity", `${d}/${who}.id`]);
  }
  const carol = await runMain([
    "block",
    `${d}/enc.h4mk`,
    "--index",
    "3",
    "-o",
    "-",
    "--identity",
    `${d}/carol.id`,
  ]);
  assert.equal(carol.code, 1);
  assert.equal(errorCode(carol.stderr), "H4_CIPHER_BAD_KEY");
  assert.match(carol.stderr, /not a recipient/);
  const both = await runMain([
    "verify",
    `${d}/enc.h4mk`,
    "--identity",
    `${d}/bob.id`,
    "--key-file",
    `${d}/bob.id`,
  ]);
  assert.equal(both.code, 2); // one or the other

  // pack with a key file and a recipient: both open it; grant from epoch 2 to Carol in place.
  await ok(["keygen", "-o", `${d}/root.key`]);
  const jsonl = blocks.map((b) =>
    JSON.stringify({
      track_id: b.track_id,
      pts_us: b.pts_us,
      kind: b.kind,
      keyframe: b.keyframe,
      payload_b64: b.payload.toBase64(),
    })
  ).join("\n") + "\n";
  await Deno.writeTextFile(`${d}/blocks.jsonl`, jsonl);
  await ok([
    "pack",
    `${d}/blocks.jsonl`,
    "-o",
    `${d}/packed.h4mk`,
    "--key-file",
    `${d}/root.key`,
    "--epoch-blocks",
    "8",
    "--recipient",
    `${d}/alice.id.pub`,
  ]);
  await ok(["verify", `${d}/packed.h4mk`, "--key-file", `${d}/root.key`]);
  await ok(["verify", `${d}/packed.h4mk`, "--identity", `${d}/alice.id`]);
  const before = await Deno.readFile(`${d}/packed.h4mk`);
  const g = await ok([
    "grant",
    `${d}/packed.h4mk`,
    "--key-file",
    `${d}/root.key`,
    "--from-epoch",
    "2",
    "--recipient",
    `${d}/carol.id.pub`,
  ]);
  assert.match(g.stdout, /granted epochs 2 and later/);
  const after = await Deno.readFile(`${d}/packed.h4mk`);
  const m = JSON.parse((await ok(["manifest", `${d}/packed.h4mk`, "--json"])).stdout);
  assert.equal(m.blocks ?? blocks.length, blocks.length);
  // Every stored block is where it was: only the tail changed.
  assert.deepEqual(after.subarray(0, 1000), before.subarray(0, 1000));
  const late = await ok([
    "block",
    `${d}/packed.h4mk`,
    "--index",
    "20",
    "-o",
    "-",
    "--identity",
    `${d}/carol.id`,
  ]);
  assert.deepEqual(late.stdoutBytes, blocks[20].payload);
  const early = await runMain([
    "block",
    `${d}/packed.h4mk`,
    "--index",
    "3",
    "-o",
    "-",
    "--identity",
    `${d}/carol.id`,
  ]);
  assert.equal(errorCode(early.stderr), "H4_CIPHER_WRONG_EPOCH");
  await ok(["verify", `${d}/packed.h4mk`]);
  await ok(["verify", `${d}/packed.h4mk`, "--key-file", `${d}/root.key`]);

  // recipients: public information only.
  const list = await ok(["recipients", `${d}/packed.h4mk`]);
  assert.match(list.stdout, /2 stanzas/);
  assert.match(list.stdout, /0: epoch key, epochs 0 and later/);
  assert.match(list.stdout, /1: epoch key, epochs 2 and later/);
  const j = JSON.parse((await ok(["recipients", `${d}/packed.h4mk`, "--json"])).stdout);
  assert.equal(j.stanzas, 2);
  assert.deepEqual(j.recipients.map((s: { epoch: number }) => s.epoch), [0, 2]);
  assert.ok(j.recipients.every((s: { hint: string | null }) => s.hint === null));

  // decrypt with an identity: mode 0600.
  await ok(["decrypt", `${d}/enc.h4mk`, "-o", `${d}/dec.h4mk`, "--identity", `${d}/bob.id`]);
  if (Deno.build.os !== "windows") {
    assert.equal((await Deno.stat(`${d}/dec.h4mk`)).mode! & 0o777, 0o600);
  }
  const b0 = await ok(["block", `${d}/dec.h4mk`, "--index", "5", "-o", "-"]);
  assert.deepEqual(b0.stdoutBytes, blocks[5].payload);

  // remove: says it revokes nothing; Alice no longer has a stanza.
  const rm = await ok(["recipients", `${d}/packed.h4mk`, "--remove", "0", "-o", `${d}/less.h4mk`]);
  assert.match(rm.stderr, /does not revoke/);
  const alice = await runMain(["verify", `${d}/less.h4mk`, "--identity", `${d}/alice.id`]);
  assert.equal(errorCode(alice.stderr), "H4_CIPHER_BAD_KEY");
  await ok(["verify", `${d}/less.h4mk`, "--key-file", `${d}/root.key`]);
  const bad = await runMain([
    "recipients",
    `${d}/packed.h4mk`,
    "--remove",
    "5",
    "-o",
    `${d}/x.h4mk`,
  ]);
  assert.equal(errorCode(bad.stderr), "H4_BAD_ARGUMENT");

  // hints name the recipient only when asked for.
  await ok([
    "encrypt",
    `${d}/plain.h4mk`,
    "-o",
    `${d}/hinted.h4mk`,
    "--recipient",
    `${d}/bob.id.pub`,
    "--recipient-hints",
  ]);
  const bobId = (await Deno.readTextFile(`${d}/bob.id.pub`)).trim().split(" ")[2];
  assert.match(
    (await ok(["recipients", `${d}/hinted.h4mk`])).stdout,
    new RegExp(`recipient ${bobId}`),
  );
  assert.doesNotMatch((await ok(["recipients", `${d}/enc.h4mk`])).stdout, new RegExp(bobId));
  // A recipient file with a wrong id is refused.
  await Deno.writeTextFile(
    `${d}/bad.pub`,
    (await Deno.readTextFile(`${d}/bob.id.pub`)).replace(bobId, "0".repeat(16)),
  );
  const wrongId = await runMain([
    "encrypt",
    `${d}/plain.h4mk`,
    "-o",
    `${d}/y.h4mk`,
    "--recipient",
    `${d}/bad.pub`,
  ]);
  assert.equal(errorCode(wrongId.stderr), "H4_CIPHER_BAD_KEY");
});
