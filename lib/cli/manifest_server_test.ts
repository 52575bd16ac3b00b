/**
 * `h4mk manifest --json NAME` and the server's `GET /files/NAME/manifest` (and
 * `POST /video/manifest?name=NAME`) give the same document for the same file (SPEC.md
 * H4-HTTP-013): both come from lib/manifest/manifest.ts.
 */
import assert from "node:assert/strict";
import { packContainer } from "../format/writer.ts";
import { generateSigningKey } from "../format/sign_keys.ts";
import { createSealer } from "../living/sealer.ts";
import { generateKey } from "../living/keys.ts";
import { createHandler } from "../server/handler.ts";
import { LEGACY_DIR, moduleExists, runCli, smallBlocks, tempDir } from "./testdata/helpers.ts";

const AV = new URL("../media/testdata/av.mp4", import.meta.url).pathname;

Deno.test("manifest --json and GET /files/NAME/manifest give the same document", async () => {
  await using tmp = await tempDir();
  const blocks = smallBlocks();
  const files: Record<string, Uint8Array> = {
    "plain.h4mk": await packContainer(blocks, { meta: { title: "t" }, safe: { s: 1 } }),
    "encrypted.h4mk": await packContainer(blocks, { sealer: createSealer(generateKey()) }),
    "signed.h4mk": await packContainer(blocks, {
      codec: "deflate",
      signingKeys: [await generateSigningKey()],
    }),
    "v1.h4mk": await packContainer(blocks, { profile: "v1", legacyTrak: true, codec: "rle" }),
    "legacy.h4mk": await Deno.readFile(new URL("two-tracks.h4mk", LEGACY_DIR)),
  };
  for (const [name, bytes] of Object.entries(files)) {
    await Deno.writeFile(`${tmp.dir}/${name}`, bytes);
  }
  if (moduleExists("lib/media/mod.ts")) {
    const i = await runCli(["import", AV, "-o", "media.h4mk"], { cwd: tmp.dir });
    assert.equal(i.code, 0, i.stderr);
    files["media.h4mk"] = await Deno.readFile(`${tmp.dir}/media.h4mk`);
  }
  const handler = createHandler({ root: tmp.dir });
  try {
    for (const name of Object.keys(files)) {
      const cli = await runCli(["manifest", "--json", name], { cwd: tmp.dir });
      assert.equal(cli.code, 0, cli.stderr);
      const fromCli = JSON.parse(cli.stdout);
      const res = await handler(new Request(`http://h/files/${name}/manifest`));
      assert.equal(res.status, 200, name);
      const fromServer = await res.json();
      assert.deepEqual(fromCli, fromServer, name);
      assert.equal(fromServer.container, "H4MK");
      assert.equal(fromServer.h4mk.name, name);
      const post = await handler(
        new Request(`http://h/video/manifest?name=${name}`, { method: "POST" }),
      );
      assert.deepEqual(await post.json(), fromServer, `POST /video/manifest?name=${name}`);
      // An upload has no name; the rest is the same.
      const upload = await handler(
        new Request("http://h/video/manifest", {
          method: "POST",
          body: files[name] as Uint8Array<ArrayBuffer>,
        }),
      );
      assert.deepEqual(await upload.json(), {
        ...fromServer,
        h4mk: { ...fromServer.h4mk, name: null },
      }, `POST /video/manifest of ${name}`);
    }
    const media = files["media.h4mk"]
      ? (await (await handler(new Request("http://h/files/media.h4mk/manifest"))).json())
      : null;
    if (media) assert.equal(media.h4mk.media.video_main.codec, "avc1.64000c");
    const signed = await (await handler(new Request("http://h/files/signed.h4mk/manifest")))
      .json();
    assert.equal(signed.h4mk.signatures.length, 1);
    assert.equal(signed.h4mk.signatures[0].valid, true);
    const encrypted = await (await handler(new Request("http://h/files/encrypted.h4mk/manifest")))
      .json();
    assert.equal(encrypted.h4mk.encrypted, true);
  } finally {
    await handler.close();
  }
});
