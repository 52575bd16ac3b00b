import assert from "node:assert/strict";
import { generateSigningKey } from "../format/sign_keys.ts";
import { packContainer } from "../format/writer.ts";
import { createHandler } from "./handler.ts";
import { clipBlocks } from "./testdata/fixtures.ts";

Deno.test("GET /files/NAME/manifest lists the signatures, and whether each verifies", async () => {
  const dir = await Deno.makeTempDir();
  const a = await generateSigningKey();
  const b = await generateSigningKey();
  const bytes = await packContainer(clipBlocks(4, 10), { signingKeys: [a, b] });
  await Deno.writeFile(`${dir}/signed.h4mk`, bytes);
  await Deno.writeFile(`${dir}/plain.h4mk`, await packContainer(clipBlocks(4, 10)));
  const h = createHandler({ root: dir });
  try {
    const res = await h(new Request("http://localhost/files/signed.h4mk/manifest?trak=false"));
    assert.equal(res.status, 200);
    const m = await res.json();
    assert.deepEqual(Object.keys(m).slice(-2), ["h4mk", "track_info"]);
    assert.equal(m.signatures, undefined);
    assert.deepEqual(m.h4mk.signatures, [
      { key_id: a.keyId, public_key: a.publicKey.toBase64(), valid: true },
      { key_id: b.keyId, public_key: b.publicKey.toBase64(), valid: true },
    ]);
    const plain = await h(new Request("http://localhost/files/plain.h4mk/manifest"));
    assert.deepEqual((await plain.json()).h4mk.signatures, []);
    // The upload route answers the same.
    const up = await h(
      new Request("http://localhost/video/manifest?trak=false", {
        method: "POST",
        body: bytes as Uint8Array<ArrayBuffer>,
      }),
    );
    assert.deepEqual((await up.json()).h4mk.signatures, m.h4mk.signatures);
  } finally {
    await h.close();
    await Deno.remove(dir, { recursive: true });
  }
});
