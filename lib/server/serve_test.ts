import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import { packContainer } from "../format/writer.ts";
import { openHttpSource } from "../io/http_source.ts";
import { serveBytes } from "../io/testdata/range_server.ts";
import { openContainer } from "../seek/container.ts";
import { serve, type Server } from "./serve.ts";
import { clipBlocks, makeRoot, type Root, spawnServeMain } from "./testdata/fixtures.ts";

interface Running {
  root: Root;
  server: Server;
  base: string;
  logs: string[];
}

async function start(maxUpload?: number): Promise<Running> {
  const root = await makeRoot();
  const logs: string[] = [];
  const server = await serve({
    root: root.dir,
    port: 0,
    maxUpload,
    log: (l) => logs.push(l),
    handleSignals: false,
  });
  return { root, server, logs, base: `http://127.0.0.1:${server.addr.port}` };
}

async function stop(r: Running): Promise<void> {
  await r.server.shutdown();
  await Deno.remove(r.root.dir, { recursive: true });
}

async function rejectsWith(p: Promise<unknown>, codes: string[]): Promise<string> {
  let code = "";
  await assert.rejects(p, (e) => {
    assert.ok(isH4Error(e), String(e));
    assert.ok(codes.includes(e.code), `expected ${codes.join("|")}, got ${e.code}: ${e.message}`);
    code = e.code;
    return true;
  });
  return code;
}

Deno.test("serve: every route and error over loopback", async () => {
  const r = await start(300_000);
  try {
    const clip = r.root.files.get("clip.h4mk")!;
    const v1 = r.root.files.get("clip-v1.h4mk")!;
    const form = new FormData();
    form.append("file", new Blob([v1]), "clip.h4mk");
    const cases: [string, string, BodyInit | null, Record<string, string>, number, string?][] = [
      ["GET", "/openapi.json", null, {}, 200],
      ["GET", "/files/clip.h4mk", null, {}, 200],
      ["HEAD", "/files/clip.h4mk", null, {}, 200],
      ["GET", "/files/clip.h4mk", null, { range: "bytes=-100" }, 206],
      [
        "GET",
        "/files/clip.h4mk",
        null,
        { range: `bytes=${clip.length}-` },
        416,
        "HTTP_RANGE_NOT_SATISFIABLE",
      ],
      ["GET", "/files/clip.h4mk", null, { "if-match": '"x"' }, 412, "HTTP_PRECONDITION_FAILED"],
      ["GET", "/files/clip.h4mk/manifest", null, {}, 200],
      ["GET", "/files/clip.h4mk/seek?track_id=video_main&pts_us=7000000", null, {}, 200],
      ["GET", "/files/clip.h4mk/seek?track_id=nope&pts_us=0", null, {}, 404, "H4_UNKNOWN_TRACK"],
      [
        "GET",
        "/files/clip.h4mk/seek?track_id=video_main&pts_us=x",
        null,
        {},
        400,
        "H4_BAD_ARGUMENT",
      ],
      ["GET", "/files/clip.h4mk/block/3", null, {}, 200],
      ["GET", "/files/clip.h4mk/block/99999", null, {}, 416, "H4_BLOCK_OUT_OF_RANGE"],
      ["GET", "/files/enc.h4mk/block/0", null, {}, 409, "H4_ENCRYPTED"],
      ["GET", "/files/enc.h4mk/block/0?decompress=false", null, {}, 200],
      ["GET", "/files/not-h4mk.bin/manifest", null, {}, 422, "H4_BAD_MAGIC"],
      ["GET", "/files/nope.h4mk", null, {}, 404, "HTTP_NOT_FOUND"],
      ["GET", "/files/sub%2Fnested.h4mk", null, {}, 400, "H4_BAD_ARGUMENT"],
      ["GET", "/files/..%2F..%2Fetc%2Fpasswd", null, {}, 400, "H4_BAD_ARGUMENT"],
      ["PUT", "/files/clip.h4mk", "x", {}, 405, "HTTP_METHOD_NOT_ALLOWED"],
      ["GET", "/nothing", null, {}, 404, "HTTP_NOT_FOUND"],
      ["POST", "/video/manifest", v1, {}, 200],
      ["POST", "/video/manifest", form, {}, 200],
      ["POST", "/video/manifest?name=clip.h4mk&trak=false", null, {}, 200],
      ["POST", "/video/manifest", null, {}, 400, "H4_BAD_ARGUMENT"],
      ["POST", "/video/manifest", "not a container", {}, 422, "H4_BAD_MAGIC"],
      ["POST", "/video/manifest?name=..%2Fx", null, {}, 400, "H4_BAD_ARGUMENT"],
      ["POST", "/video/manifest?name=nope.h4mk", null, {}, 404, "HTTP_NOT_FOUND"],
      ["POST", "/video/seek_to_block?track_id=audio_main&pts_us=1000000", v1, {}, 200],
      ["POST", "/video/seek_to_block?track_id=audio_main", v1, {}, 400, "H4_BAD_ARGUMENT"],
      ["POST", "/video/block?core_index=2", v1, {}, 200],
      ["POST", "/video/block?index=2&decompress=false", v1, {}, 200],
      ["POST", "/video/block?core_index=100000", v1, {}, 416, "H4_BLOCK_OUT_OF_RANGE"],
      ["POST", "/video/block", v1, {}, 400, "H4_BAD_ARGUMENT"],
      ["GET", "/video/block?core_index=1", null, {}, 405, "HTTP_METHOD_NOT_ALLOWED"],
      ["POST", "/video/manifest", clip, {}, 413, "HTTP_PAYLOAD_TOO_LARGE"],
    ];
    for (const [method, path, body, headers, status, code] of cases) {
      const res = await fetch(r.base + path, { method, body, headers });
      const what = `${method} ${path} ${JSON.stringify(headers)}`;
      assert.equal(res.status, status, what);
      if (code) {
        const j = await res.json();
        assert.equal(j.error.code, code, `${what}: ${j.error.message}`);
      } else {
        await res.body?.cancel();
      }
    }
    // One log line per request: time, method, path, status, bytes, ms.
    assert.equal(r.logs.length, cases.length);
    for (const line of r.logs) {
      assert.match(line, /^\d{4}-\d\d-\d\dT\S+Z [A-Z]+ \/\S* \d{3} \d+ \d+(\.\d)?ms$/, line);
    }
    assert.ok(r.logs[1].includes(`GET /files/clip.h4mk 200 ${clip.length} `));
  } finally {
    await stop(r);
  }
});

Deno.test("serve: the library reads every container over HTTP as it reads the bytes", async () => {
  const r = await start();
  try {
    for (const [name, bytes] of r.root.files) {
      if (!name.endsWith(".h4mk")) continue;
      const local = await openContainer(bytes);
      const src = await openHttpSource(`${r.base}/files/${name}`);
      const remote = await openContainer(src);
      assert.equal(remote.size, bytes.length);
      assert.equal(remote.blockCount, local.blockCount, name);
      assert.deepEqual(remote.tracks, local.tracks, name);
      assert.deepEqual(remote.meta, local.meta, name);
      assert.deepEqual(remote.root, local.root, name);
      for (const t of local.tracks) {
        if (t.seek_entries === 0) continue;
        assert.deepEqual(remote.seek(t.track_id, 1_500_000), local.seek(t.track_id, 1_500_000));
      }
      for (let i = 0; i < local.blockCount; i += Math.max(1, Math.floor(local.blockCount / 40))) {
        assert.deepEqual(await remote.readStored(i), await local.readStored(i), `${name} ${i}`);
        if (!local.encrypted) {
          assert.deepEqual(await remote.readBlock(i), await local.readBlock(i), `${name} ${i}`);
          if (local.root) {
            assert.deepEqual(await remote.readBlock(i, { verify: true }), await local.readBlock(i));
          }
        }
      }
      src.close();
    }
  } finally {
    await stop(r);
  }
});

/** A 10-minute clip of small payloads: its block index is far larger than the tail probe. */
async function writeLong(dir: string): Promise<Uint8Array> {
  const bytes = await packContainer(clipBlocks(600, 40), { meta: { title: "long" } });
  await Deno.writeFile(`${dir}/long.h4mk`, bytes);
  return bytes;
}

Deno.test("serve: cold open + seek + one block in 2-3 requests, a further block in 1", async () => {
  const r = await start();
  try {
    const bytes = await writeLong(r.root.dir);
    const local = await openContainer(bytes);
    const url = `${r.base}/files/long.h4mk`;
    const count = () => r.logs.filter((l) => l.includes(" /files/long.h4mk ")).length;

    // Through the seek answer (offset and length): tail probe, then the block.
    let src = await openHttpSource(url);
    let c = await openContainer(src);
    assert.equal(src.stats.requests, 1);
    const s = c.seek("video_main", 300_000_000);
    assert.equal(s.keyframe_pts_us, 300_000_000);
    assert.equal(src.stats.requests, 1);
    assert.deepEqual(
      await src.read(s.offset, s.stored_length),
      await local.readStored(s.core_index),
    );
    assert.equal(src.stats.requests, 2);
    assert.equal(count(), 2);
    src.close();

    // Through readBlock: tail probe, the block's index page (unless the reader answers
    // keyframes from the seek table), the block; then the next block in one request.
    src = await openHttpSource(url);
    c = await openContainer(src);
    assert.deepEqual(
      await c.readBlock(c.seek("video_main", 300_000_000).core_index),
      await local.readBlock(s.core_index),
    );
    const cold = src.stats.requests;
    assert.ok(cold >= 2 && cold <= 3, `cold open + seek + block took ${cold} requests`);
    assert.deepEqual(await c.readBlock(s.core_index + 1), await local.readBlock(s.core_index + 1));
    assert.equal(src.stats.requests, cold + 1);
    assert.equal(count(), 2 + cold + 1);
    console.log(
      `  own server: open+seek+readBlock = ${cold} requests, next block = 1, ${src.stats.bytes} bytes`,
    );
    src.close();
  } finally {
    await stop(r);
  }
});

Deno.test("serve: tampered bytes over HTTP are caught by CRC, digests and block hashes", async () => {
  const bytes = await packContainer(clipBlocks(600, 40), { meta: { title: "long" } });
  const local = await openContainer(bytes);
  const srv = serveBytes(bytes);
  try {
    // A byte of a block: only the per-block hash check (BHSH) can see it.
    const s = local.seek("video_main", 200_000_000);
    srv.knobs.flip = s.offset + 10;
    let c = await openContainer(await openHttpSource(srv.url));
    await rejectsWith(c.readBlock(s.core_index, { verify: true }), ["H4_BLOCK_HASH_MISMATCH"]);

    // A byte of META, in the tail: its CRC.
    const meta = local.locator!.slots.META!;
    srv.knobs.flip = meta.offset + 12 + 3;
    await rejectsWith(openHttpSource(srv.url).then((x) => openContainer(x)), ["H4_CRC_MISMATCH"]);

    // A byte of the root digest in LOCA: LOCA's CRC.
    srv.knobs.flip = bytes.length - 5;
    await rejectsWith(openHttpSource(srv.url).then((x) => openContainer(x)), [
      "H4_CRC_MISMATCH",
      "H4_BAD_LOCATOR",
    ]);

    // A byte of a BIDX page outside the tail: its TDIR page digest.
    const bidx = local.locator!.slots.BIDX!;
    assert.ok(bidx.offset < bytes.length - 65536, "BIDX starts before the tail");
    srv.knobs.flip = bidx.offset + 12 + 5;
    c = await openContainer(await openHttpSource(srv.url));
    await rejectsWith(c.entry(0), ["H4_DIGEST_MISMATCH"]);

    // A byte of BHSH: its TDIR page digest, when a block is verified.
    const bhsh = local.locator!.slots.BHSH!;
    srv.knobs.flip = bhsh.offset + 12 + 1;
    c = await openContainer(await openHttpSource(srv.url));
    await rejectsWith(c.readBlock(0, { verify: true }), ["H4_DIGEST_MISMATCH"]);

    srv.knobs.flip = undefined;
    c = await openContainer(await openHttpSource(srv.url));
    assert.deepEqual(
      await c.readBlock(s.core_index, { verify: true }),
      await local.readBlock(s.core_index),
    );
  } finally {
    await srv.close();
  }
});

Deno.test("serve: a file replaced while it is read gives H4_SOURCE_CHANGED", async () => {
  const r = await start();
  try {
    const bytes = await writeLong(r.root.dir);
    const src = await openHttpSource(`${r.base}/files/long.h4mk`, { retryDelayMs: 1 });
    const c = await openContainer(src);
    const tmp = `${r.root.dir}/long.h4mk.tmp`;
    const changed = bytes.slice();
    changed[100] ^= 1;
    await Deno.writeFile(tmp, changed);
    await Deno.rename(tmp, `${r.root.dir}/long.h4mk`);
    await rejectsWith(c.readBlock(0), ["H4_SOURCE_CHANGED"]);
    // The server answered 412 to the If-Match of the first answer's ETag.
    assert.ok(r.logs.at(-1)!.includes(" 412 "), r.logs.at(-1));
  } finally {
    await stop(r);
  }
});

Deno.test("serve: stops on abort signal and on SIGTERM", async () => {
  const root = await Deno.makeTempDir();
  try {
    const ac = new AbortController();
    const server = await serve({
      root,
      port: 0,
      signal: ac.signal,
      log: () => {},
      handleSignals: false,
    });
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/openapi.json`);
    await res.body?.cancel();
    ac.abort();
    await server.finished;
    await assert.rejects(fetch(`http://127.0.0.1:${server.addr.port}/openapi.json`));

    // A port in use is a clear H4_IO, not a raw error.
    const a = await serve({ root, port: 0, log: () => {}, handleSignals: false });
    await assert.rejects(
      serve({ root, port: a.addr.port, log: () => {}, handleSignals: false }),
      (e) => isH4Error(e, "H4_IO"),
    );
    await a.shutdown();

    const { child, port } = await spawnServeMain([root, "0"], "piped");
    const ok = await fetch(`http://127.0.0.1:${port}/openapi.json`);
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
    child.kill("SIGTERM");
    const status = await child.status;
    await child.stdout.cancel().catch(() => {});
    const err = await new Response(child.stderr).text();
    assert.equal(status.code, 0, err);
    assert.match(err, /GET \/openapi\.json 200/);
    assert.match(err, /stopped/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
