import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import { captureIo } from "./io.ts";
import {
  assertOutputFree,
  readSecretFile,
  warnIfSecretExposed,
  writeOutput,
  writeSecretFile,
} from "./output.ts";

Deno.test("outputs: no overwrite without force, atomic, stdout for -", async () => {
  const dir = await Deno.makeTempDir();
  const ctx = { io: captureIo(), quiet: true, debug: false };
  try {
    const path = `${dir}/out.bin`;
    await writeOutput(ctx, path, false, async (sink) => {
      await sink.write(new Uint8Array([1, 2]));
    });
    assert.deepEqual([...await Deno.readFile(path)], [1, 2]);
    await assert.rejects(
      () => assertOutputFree(path, false),
      (e) => isH4Error(e, "H4_IO") && /--force/.test(e.message),
    );
    // A failed write leaves the old file and no temporary file behind.
    await assert.rejects(() =>
      writeOutput(ctx, path, true, async (sink) => {
        await sink.write(new Uint8Array([9]));
        throw new Error("boom");
      })
    );
    assert.deepEqual([...await Deno.readFile(path)], [1, 2]);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["out.bin"]);
    await writeOutput(ctx, "-", false, async (sink) => {
      await sink.write(new Uint8Array([7]));
    });
    assert.deepEqual([...ctx.io.outBytes()], [7]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "key files are created 0600, never on stdout, and loose modes warn",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const io = captureIo();
    try {
      const path = `${dir}/k.key`;
      await writeSecretFile(path, "secret\n", false);
      assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
      await assert.rejects(() => writeSecretFile(path, "x", false), (e) => isH4Error(e, "H4_IO"));
      await assert.rejects(
        () => writeSecretFile("-", "x", true),
        (e) => isH4Error(e, "H4_BAD_ARGUMENT"),
      );
      assert.equal(await readSecretFile(path), "secret\n");
      await warnIfSecretExposed({ io, quiet: true, debug: false }, path);
      assert.equal(io.err(), "");
      await Deno.chmod(path, 0o644);
      await warnIfSecretExposed({ io, quiet: true, debug: false }, path);
      assert.match(io.err(), /warning: key file .* \(mode 644\)/);
      assert.ok(!io.err().includes("secret"));
      await Deno.writeFile(`${dir}/big`, new Uint8Array(100_000));
      await assert.rejects(
        () => readSecretFile(`${dir}/big`),
        (e) => isH4Error(e, "H4_CIPHER_BAD_KEY"),
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
