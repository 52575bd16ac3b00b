/**
 * A signed container served by nginx (Debian's package) verifies end to end: trusted on open
 * through the key, every block checked against BHSH, in at most three requests for a cold open,
 * a seek and a block, one for a further block. Skipped, visibly, without nginx.
 */
import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import { packContainer } from "../format/writer.ts";
import { generateSigningKey } from "../format/sign_keys.ts";
import { openHttpSource } from "../io/http_source.ts";
import { open } from "../io/open.ts";
import { openContainer } from "../seek/container.ts";
import { clipBlocks } from "./testdata/fixtures.ts";
import { findNginx, startNginx } from "./testdata/nginx.ts";

const NGINX = findNginx();
if (!NGINX) {
  console.warn("signed_nginx_test: nginx not found (apt-get install -y nginx): SKIPPED");
}

Deno.test({
  name: "nginx: a signed container verifies end to end with --trust",
  ignore: !NGINX,
  async fn() {
    const dir = await Deno.makeTempDir();
    const key = await generateSigningKey();
    const other = await generateSigningKey();
    const blocks = clipBlocks(600, 40);
    const bytes = await packContainer(blocks, { signingKeys: [key], meta: { title: "signed" } });
    await Deno.writeFile(`${dir}/signed.h4mk`, bytes);
    // A consistent rewrite the server could serve instead: signed by another key.
    const forged = await packContainer(
      blocks.map((b) => ({ ...b, payload: b.payload.map((x) => x ^ 1) })),
      { signingKeys: [other], meta: { title: "signed" } },
    );
    await Deno.writeFile(`${dir}/forged.h4mk`, forged);
    const nginx = await startNginx(NGINX!, dir);
    const trust = { keys: [key.publicKey] };
    try {
      const url = `${nginx.base}/signed.h4mk`;
      const src = await openHttpSource(url);
      const c = await openContainer(src, { trust });
      assert.equal(c.trusted, true);
      const s = c.seek("video_main", 300_000_000);
      assert.deepEqual(await c.readBlock(s.core_index), blocks[s.core_index].payload);
      const cold = src.stats.requests;
      assert.ok(cold <= 3, `verified cold open + seek + block: ${cold} requests`);
      // A further block of another storage chunk: one request.
      let next = s.core_index + 1;
      const chunk = (await c.entry(s.core_index)).chunk;
      while ((await c.entry(next)).chunk === chunk) next++;
      assert.deepEqual(await c.readBlock(next), blocks[next].payload);
      assert.equal(src.stats.requests, cold + 1);
      // Full verification over HTTP, signatures included.
      const report = await c.verify();
      assert.equal(report.ok, true, JSON.stringify(report.checks.filter((k) => !k.ok)));
      assert.deepEqual((await c.signatures()).map((x) => [x.key_id, x.valid]), [[key.keyId, true]]);
      src.close();
      console.log(`  nginx: verified cold open + seek + block ${cold} requests, next block 1`);
      // The forged file: consistent, so it opens without trust, and is refused with it.
      const loose = await open(`${nginx.base}/forged.h4mk`);
      assert.equal((await loose.verify()).ok, true);
      await loose.close();
      await assert.rejects(
        open(`${nginx.base}/forged.h4mk`, { trust }),
        (e) => isH4Error(e, "H4_UNTRUSTED"),
      );
    } finally {
      await nginx.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
