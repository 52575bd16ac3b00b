import assert from "node:assert/strict";
import { InvalidArgumentError } from "commander";
import { isH4Error } from "../format/errors.ts";
import {
  isUrl,
  parseByteSize,
  parseNonNegativeInt,
  parsePtsUs,
  readJsonObjectArg,
  toHex,
} from "./args.ts";

Deno.test("parseNonNegativeInt accepts digits and rejects the rest as usage errors", () => {
  assert.equal(parseNonNegativeInt("0"), 0);
  assert.equal(parseNonNegativeInt("9007199254740991"), Number.MAX_SAFE_INTEGER);
  for (const bad of ["-1", "1.5", "", "0x10", "9007199254740992", " 1"]) {
    assert.throws(() => parseNonNegativeInt(bad), InvalidArgumentError, bad);
  }
});

Deno.test("parsePtsUs accepts negative safe integers only", () => {
  assert.equal(parsePtsUs("-21333"), -21333);
  assert.equal(parsePtsUs("1500000"), 1_500_000);
  for (const bad of ["1e6", "abc", "-", "99999999999999999"]) {
    assert.throws(() => parsePtsUs(bad), InvalidArgumentError, bad);
  }
});

Deno.test("parseByteSize reads plain bytes and k/m/g suffixes", () => {
  assert.equal(parseByteSize("1000"), 1000);
  assert.equal(parseByteSize("64k"), 65536);
  assert.equal(parseByteSize("256M"), 256 * 1024 * 1024);
  assert.equal(parseByteSize("1GiB"), 1024 ** 3);
  assert.throws(() => parseByteSize("lots"), InvalidArgumentError);
});

Deno.test("readJsonObjectArg takes JSON text or @path, and only objects", async () => {
  assert.deepEqual(await readJsonObjectArg("--meta", '{"a":[1]}'), { a: [1] });
  const path = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await Deno.writeTextFile(path, '{"title":"Ünïcode"}\n');
    assert.deepEqual(await readJsonObjectArg("--meta", `@${path}`), { title: "Ünïcode" });
    await Deno.writeTextFile(path, "[1]");
    await assert.rejects(
      () => readJsonObjectArg("--safe", `@${path}`),
      (e) =>
        isH4Error(e, "H4_BAD_ARGUMENT") &&
        /--safe: expected a JSON object in .*, got an array/.test(e.message),
    );
  } finally {
    await Deno.remove(path);
  }
  await assert.rejects(
    () => readJsonObjectArg("--meta", "{nope"),
    (e) => isH4Error(e, "H4_BAD_ARGUMENT") && e.message.startsWith("--meta: not valid JSON"),
  );
  await assert.rejects(
    () => readJsonObjectArg("--meta", "null"),
    (e) => isH4Error(e, "H4_BAD_ARGUMENT"),
  );
  await assert.rejects(
    () => readJsonObjectArg("--meta", "@/nonexistent/meta.json"),
    Deno.errors.NotFound,
  );
});

Deno.test("toHex and isUrl", () => {
  assert.equal(toHex(new Uint8Array([0, 15, 16, 255])), "000f10ff");
  assert.ok(isUrl("http://127.0.0.1:8080/a.h4mk"));
  assert.ok(isUrl("HTTPS://example.com/a"));
  assert.ok(!isUrl("./http://x"));
  assert.ok(!isUrl("file:///tmp/a.h4mk"));
});
