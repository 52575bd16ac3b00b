import assert from "node:assert/strict";
import { signFile } from "./sign_file.ts";
import { packContainer } from "../format/writer.ts";
import { generateSigningKey } from "../format/sign_keys.ts";
import { openContainer } from "../seek/container.ts";
import { LOCA_CHUNK_LENGTH } from "../format/constants.ts";
import { avBlocks, rejectsH4 } from "../format/testdata/helpers.ts";
import { LEGACY_DIR } from "../cli/testdata/helpers.ts";

Deno.test("signFile: in place, only the tail changes, same bytes as signing while writing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = await generateSigningKey();
    const b = await generateSigningKey();
    const blocks = avBlocks(30, 10);
    const plain = await packContainer(blocks);
    const path = `${dir}/x.h4mk`;
    await Deno.writeFile(path, plain);
    const r = await signFile(path, a);
    assert.equal(r.added, true);
    const once = await Deno.readFile(path);
    // Everything before the old LOCA is as it was; LOCA itself is unchanged, now later.
    const cut = plain.length - LOCA_CHUNK_LENGTH;
    assert.deepEqual(once.subarray(0, cut), plain.subarray(0, cut));
    assert.deepEqual(once.subarray(once.length - LOCA_CHUNK_LENGTH), plain.subarray(cut));
    // The writer signing as it writes makes the same file (Ed25519 is deterministic).
    assert.deepEqual(once, await packContainer(blocks, { signingKeys: [a] }));
    assert.equal(r.size, once.length);
    // The same key again: nothing written. Another key: a second signature.
    assert.equal((await signFile(path, a)).added, false);
    assert.deepEqual(await Deno.readFile(path), once);
    await signFile(path, b);
    const twice = await Deno.readFile(path);
    assert.deepEqual(twice, await packContainer(blocks, { signingKeys: [a, b] }));
    const c = await openContainer(twice, { trust: { keys: [b.publicKey] } });
    assert.equal((await c.verify()).ok, true);
    assert.deepEqual((await c.signatures()).map((s) => s.key_id), [a.keyId, b.keyId]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("signFile: an encrypted container's seal is signed; invalid files are left alone", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = await generateSigningKey();
    const { fakeSealer } = await import("../format/testdata/helpers.ts");
    const bytes = await packContainer(avBlocks(6, 3), { sealer: fakeSealer() });
    const path = `${dir}/enc.h4mk`;
    await Deno.writeFile(path, bytes);
    await signFile(path, a);
    const c = await openContainer(await Deno.readFile(path), { trust: { keys: [a.publicKey] } });
    assert.equal(c.encrypted, true);
    // A damaged file is not signed, and not changed.
    const bad = bytes.slice();
    bad[bad.length - 1] ^= 1;
    await Deno.writeFile(path, bad);
    await rejectsH4(signFile(path, a), "H4_CRC_MISMATCH");
    assert.deepEqual(await Deno.readFile(path), bad);
    // A file of the original writer has no root to sign.
    let legacy: Uint8Array | undefined;
    try {
      legacy = await Deno.readFile(new URL("single-track.h4mk", LEGACY_DIR));
    } catch { /* samples absent */ }
    if (legacy) {
      await Deno.writeFile(path, legacy);
      await rejectsH4(signFile(path, a), "H4_BAD_ARGUMENT");
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
