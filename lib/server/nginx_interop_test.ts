/**
 * The remote reader against nginx (Debian's package) serving the same files as our server:
 * same bytes, same request counts, same Range answers. Skipped, visibly, without nginx.
 */
import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import { packContainer } from "../format/writer.ts";
import { openHttpSource } from "../io/http_source.ts";
import { openContainer } from "../seek/container.ts";
import { serve } from "./serve.ts";
import { clipBlocks, makeRoot } from "./testdata/fixtures.ts";
import { findNginx, startNginx } from "./testdata/nginx.ts";

const NGINX = findNginx();
if (!NGINX) {
  console.warn(
    "nginx_interop_test: nginx not found (apt-get install -y nginx); the nginx tests are SKIPPED",
  );
}

/** Waits until nginx has logged `n` lines (it logs after sending the answer). */
async function logLines(read: () => Promise<string[]>, n: number): Promise<string[]> {
  for (let i = 0; i < 100; i++) {
    const lines = await read();
    if (lines.length >= n) return lines;
    await new Promise((r) => setTimeout(r, 20));
  }
  return await read();
}

Deno.test({
  name: "nginx: the remote reader reads every container as from bytes",
  ignore: !NGINX,
  async fn() {
    const root = await makeRoot();
    const nginx = await startNginx(NGINX!, root.dir);
    try {
      for (const [name, bytes] of root.files) {
        if (!name.endsWith(".h4mk")) continue;
        const local = await openContainer(bytes);
        const src = await openHttpSource(`${nginx.base}/${name}`);
        assert.ok(src.etag, `nginx sends a strong ETag for ${name}`);
        const remote = await openContainer(src);
        assert.equal(remote.blockCount, local.blockCount);
        assert.deepEqual(remote.meta, local.meta);
        for (let i = 0; i < local.blockCount; i += Math.max(1, Math.floor(local.blockCount / 25))) {
          assert.deepEqual(await remote.readStored(i), await local.readStored(i), `${name} ${i}`);
          if (local.root && !local.encrypted) {
            assert.deepEqual(await remote.readBlock(i, { verify: true }), await local.readBlock(i));
          }
        }
        src.close();
      }
    } finally {
      await nginx.stop();
      await Deno.remove(root.dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "nginx: cold open + seek + block counted in the access log, on one connection",
  ignore: !NGINX,
  async fn() {
    const dir = await Deno.makeTempDir();
    const bytes = await packContainer(clipBlocks(600, 40), { meta: { title: "long" } });
    await Deno.writeFile(`${dir}/long.h4mk`, bytes);
    const local = await openContainer(bytes);
    const nginx = await startNginx(NGINX!, dir);
    const server = await serve({ root: dir, port: 0, log: () => {}, handleSignals: false });
    try {
      const results: string[] = [];
      const colds: number[] = [];
      for (
        const [label, url] of [
          ["nginx", `${nginx.base}/long.h4mk`],
          ["h4mk serve", `http://127.0.0.1:${server.addr.port}/files/long.h4mk`],
        ]
      ) {
        // Tail probe, then the block from the seek answer's offset and length.
        let src = await openHttpSource(url);
        let c = await openContainer(src);
        const s = c.seek("video_main", 300_000_000);
        assert.deepEqual(
          await src.read(s.offset, s.stored_length),
          await local.readStored(s.core_index),
        );
        assert.equal(src.stats.requests, 2, label);
        src.close();
        // Through readBlock, then the next block.
        src = await openHttpSource(url);
        c = await openContainer(src);
        assert.deepEqual(await c.readBlock(s.core_index), await local.readBlock(s.core_index));
        const cold = src.stats.requests;
        assert.ok(cold <= 3, `${label}: ${cold} requests`);
        colds.push(cold);
        assert.deepEqual(
          await c.readBlock(s.core_index + 1),
          await local.readBlock(s.core_index + 1),
        );
        assert.equal(src.stats.requests, cold + 1, label);
        results.push(`${label}: seek-answer path 2 requests, readBlock path ${cold}, next block 1`);
        src.close();
      }
      // nginx saw exactly these requests: 2 + cold + 1, all 206.
      const lines = await logLines(nginx.accessLog, 2 + colds[0] + 1);
      const ours = lines.filter((l) => l.startsWith("GET /long.h4mk "));
      assert.equal(ours.length, 2 + colds[0] + 1, ours.join("\n"));
      for (const l of ours) assert.match(l, / 206 /);
      assert.match(ours[0], /"bytes=-65536"$/);
      // Keep-alive: the requests of one source share a connection.
      const conns = new Set(ours.slice(2).map((l) => l.split(" ")[4]));
      assert.equal(conns.size, 1, ours.join("\n"));
      console.log("  " + results.join("\n  "));
    } finally {
      await server.shutdown();
      await nginx.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "nginx: Range answers match ours; a replaced file gives H4_SOURCE_CHANGED",
  ignore: !NGINX,
  async fn() {
    const root = await makeRoot();
    const nginx = await startNginx(NGINX!, root.dir);
    const server = await serve({ root: root.dir, port: 0, log: () => {}, handleSignals: false });
    const ours = `http://127.0.0.1:${server.addr.port}/files/clip.h4mk`;
    const theirs = `${nginx.base}/clip.h4mk`;
    try {
      const size = root.files.get("clip.h4mk")!.length;
      for (
        const range of [
          "bytes=0-99",
          "bytes=-100",
          `bytes=-${size + 1}`,
          "bytes=500-",
          `bytes=${size - 3}-${size + 50}`,
          `bytes=${size}-`,
          "bytes=-0",
        ]
      ) {
        const a = await fetch(ours, { headers: { range } });
        const b = await fetch(theirs, { headers: { range } });
        assert.equal(a.status, b.status, range);
        assert.equal(a.headers.get("content-range"), b.headers.get("content-range"), range);
        if (a.status === 206) assert.deepEqual(await a.bytes(), await b.bytes(), range);
        else {
          await a.body?.cancel();
          await b.body?.cancel();
        }
      }
      // If-Range with a stale validator: both send the whole file.
      for (const url of [ours, theirs]) {
        const r = await fetch(url, { headers: { range: "bytes=0-9", "if-range": '"stale"' } });
        assert.equal(r.status, 200, url);
        await r.body?.cancel();
      }
      // A file replaced under both servers: the next read fails with H4_SOURCE_CHANGED.
      const srcs = [await openHttpSource(ours), await openHttpSource(theirs)];
      // One byte longer: nginx's ETag (mtime in seconds, size) changes even within a second.
      const changed = new Uint8Array(size + 1);
      changed.set(root.files.get("clip.h4mk")!);
      await Deno.writeFile(`${root.dir}/clip.h4mk.tmp`, changed);
      await Deno.rename(`${root.dir}/clip.h4mk.tmp`, `${root.dir}/clip.h4mk`);
      for (const src of srcs) {
        await assert.rejects(src.read(0, 8), (e) => isH4Error(e, "H4_SOURCE_CHANGED"));
      }
    } finally {
      await server.shutdown();
      await nginx.stop();
      await Deno.remove(root.dir, { recursive: true });
    }
  },
});
