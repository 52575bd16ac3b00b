/**
 * In-process tests of `main` (see main_test.ts) of LivingCipher: keygen, encrypt, reading
 * with keys, grant, decrypt, pack --key-file.
 */
import assert from "node:assert/strict";
import {
  errorCode,
  moduleExists,
  runMain,
  smallBlocks,
  tempDir,
  writeContainer,
} from "./testdata/helpers.ts";

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
