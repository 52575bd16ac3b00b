import assert from "node:assert/strict";
import { parseKeyFile } from "./keys.ts";
import { openCipher } from "./opener.ts";
import { openContainer } from "../seek/container.ts";
import { H4Error } from "../format/errors.ts";

const DIR = new URL("../../conformance/vectors/cipher/", import.meta.url);

/** True when any 16-byte window of `key` occurs in `hay`. */
function containsKeyMaterial(hay: Uint8Array, key: Uint8Array): boolean {
  for (let k = 0; k + 16 <= key.length; k++) {
    const needle = key.subarray(k, k + 16);
    outer: for (let i = 0; i + 16 <= hay.length; i++) {
      for (let j = 0; j < 16; j++) if (hay[i + j] !== needle[j]) continue outer;
      return true;
    }
  }
  return false;
}

Deno.test("H4-LC-013: no key byte of any vector key appears in any encrypted vector", async () => {
  const keys: Uint8Array[] = [];
  for (const e of Deno.readDirSync(new URL("keys/", DIR))) {
    keys.push(parseKeyFile(await Deno.readTextFile(new URL(`keys/${e.name}`, DIR))).key);
  }
  assert.ok(keys.length > 0);
  let files = 0;
  for (const e of Deno.readDirSync(DIR)) {
    if (!e.name.endsWith(".h4mk")) continue;
    const bytes = await Deno.readFile(new URL(e.name, DIR));
    for (const k of keys) assert.ok(!containsKeyMaterial(bytes, k), `${e.name} holds key bytes`);
    files++;
  }
  assert.ok(files > 10);
});

Deno.test("H4-LC-013: errors never carry key bytes", async () => {
  const root = parseKeyFile(await Deno.readTextFile(new URL("keys/root.key", DIR)));
  const other = parseKeyFile(await Deno.readTextFile(new URL("keys/other-root.key", DIR)));
  const c = await openContainer(await Deno.readFile(new URL("v_basic.h4mk", DIR)));
  const err = await openCipher(c, other).then(() => null, (e) => e);
  assert.ok(err instanceof H4Error);
  for (const k of [root.key, other.key]) {
    assert.ok(!err.message.includes(k.toHex().slice(0, 16)));
    assert.ok(!err.message.includes(k.toBase64().slice(0, 16)));
  }
});
