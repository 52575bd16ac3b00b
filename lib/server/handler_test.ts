import assert from "node:assert/strict";
import { openContainer } from "../seek/container.ts";
import { createHandler, type Handler } from "./handler.ts";
import { makeRoot, type Root } from "./testdata/fixtures.ts";

const H = "http://h4.test";

async function setup(opts: { maxUpload?: number } = {}): Promise<{ root: Root; handler: Handler }> {
  const root = await makeRoot();
  return { root, handler: createHandler({ root: root.dir, ...opts }) };
}

async function teardown(s: { root: Root; handler: Handler }): Promise<void> {
  await s.handler.close();
  await Deno.remove(s.root.dir, { recursive: true });
}

async function errorOf(res: Response, status: number, code: string): Promise<string> {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status}`);
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
  const body = await res.json();
  assert.equal(body.error.code, code, body.error.message);
  assert.equal(typeof body.error.message, "string");
  return body.error.message;
}

const get = (h: Handler, path: string, headers: HeadersInit = {}) =>
  h(new Request(H + path, { headers }));
const post = (h: Handler, path: string, body?: BodyInit, headers: HeadersInit = {}) =>
  h(new Request(H + path, { method: "POST", body, headers }));

Deno.test("GET /files/NAME: whole file, ranges, HEAD and validators", async () => {
  const s = await setup();
  const { handler: h } = s;
  try {
    const bytes = s.root.files.get("clip.h4mk")!;
    const size = bytes.length;
    let res = await get(h, "/files/clip.h4mk");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("accept-ranges"), "bytes");
    assert.equal(res.headers.get("content-length"), String(size));
    const etag = res.headers.get("etag")!;
    const lastModified = res.headers.get("last-modified")!;
    assert.match(etag, /^"[0-9a-f-]+"$/);
    assert.ok(lastModified.endsWith("GMT"));
    assert.deepEqual(await res.bytes(), bytes);

    const range = async (r: string, start: number, end: number) => {
      const res = await get(h, "/files/clip.h4mk", { range: r });
      assert.equal(res.status, 206, r);
      assert.equal(res.headers.get("content-range"), `bytes ${start}-${end}/${size}`);
      assert.equal(res.headers.get("content-length"), String(end - start + 1));
      assert.deepEqual(await res.bytes(), bytes.slice(start, end + 1), r);
    };
    await range("bytes=0-99", 0, 99);
    await range("bytes=-65536", size - 65536, size - 1);
    await range(`bytes=-${size + 10}`, 0, size - 1);
    await range("bytes=100000-", 100000, size - 1);
    await range(`bytes=${size - 5}-${size + 100}`, size - 5, size - 1);
    await range("bytes=200000-331071", 200000, 331071); // spans several 64 KiB reads

    for (const r of ["bytes=0-1,5-6", "bytes=abc", "items=0-5", "bytes=9-3"]) {
      res = await get(h, "/files/clip.h4mk", { range: r });
      assert.equal(res.status, 200, r);
      assert.equal((await res.bytes()).length, size);
    }
    for (const r of [`bytes=${size}-`, "bytes=-0", `bytes=${size + 5}-${size + 9}`]) {
      res = await get(h, "/files/clip.h4mk", { range: r });
      await errorOf(res.clone(), 416, "HTTP_RANGE_NOT_SATISFIABLE");
      assert.equal(res.headers.get("content-range"), `bytes */${size}`);
      await res.body?.cancel();
    }

    res = await h(new Request(H + "/files/clip.h4mk", { method: "HEAD" }));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-length"), String(size));
    assert.equal(res.body, null);
    res = await h(
      new Request(H + "/files/clip.h4mk", { method: "HEAD", headers: { range: "bytes=-10" } }),
    );
    assert.equal(res.status, 206);
    assert.equal(res.headers.get("content-length"), "10");

    // Preconditions.
    res = await get(h, "/files/clip.h4mk", { "if-none-match": etag });
    assert.equal(res.status, 304);
    assert.equal(res.headers.get("etag"), etag);
    res = await get(h, "/files/clip.h4mk", { "if-none-match": `W/${etag}, "x"` });
    assert.equal(res.status, 304);
    res = await get(h, "/files/clip.h4mk", { "if-modified-since": lastModified });
    assert.equal(res.status, 304);
    await errorOf(
      await get(h, "/files/clip.h4mk", { "if-match": '"other"' }),
      412,
      "HTTP_PRECONDITION_FAILED",
    );
    await errorOf(
      await get(h, "/files/clip.h4mk", { "if-unmodified-since": "Thu, 01 Jan 1970 00:00:00 GMT" }),
      412,
      "HTTP_PRECONDITION_FAILED",
    );
    res = await get(h, "/files/clip.h4mk", { "if-match": etag, range: "bytes=0-9" });
    assert.equal(res.status, 206);
    await res.body?.cancel();
    res = await get(h, "/files/clip.h4mk", { "if-range": etag, range: "bytes=0-9" });
    assert.equal(res.status, 206);
    await res.body?.cancel();
    res = await get(h, "/files/clip.h4mk", { "if-range": lastModified, range: "bytes=0-9" });
    assert.equal(res.status, 206);
    await res.body?.cancel();
    for (const ifRange of ['"old"', `W/${etag}`, "Thu, 01 Jan 1970 00:00:00 GMT"]) {
      res = await get(h, "/files/clip.h4mk", { "if-range": ifRange, range: "bytes=0-9" });
      assert.equal(res.status, 200, ifRange);
      assert.equal((await res.bytes()).length, size);
    }
  } finally {
    await teardown(s);
  }
});

Deno.test("names never leave the root", async () => {
  const s = await setup();
  const { handler: h } = s;
  const outside = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${outside}/secret.h4mk`, "secret");
    await Deno.symlink(`${outside}/secret.h4mk`, `${s.root.dir}/escape.h4mk`);
    await Deno.symlink(outside, `${s.root.dir}/escape-dir`);
    await Deno.symlink(`${s.root.dir}/clip.h4mk`, `${s.root.dir}/alias.h4mk`);
    await Deno.writeTextFile(`${s.root.dir}/.hidden`, "x");

    for (
      const p of [
        "/files/escape.h4mk",
        "/files/escape-dir/secret.h4mk",
        "/files/sub",
        "/files/nope.h4mk",
        "/files/",
      ]
    ) {
      await errorOf(await get(h, p), 404, "HTTP_NOT_FOUND");
    }
    // Dot segments are resolved by URL parsing before routing, so they never reach a name.
    for (
      const p of [
        "/files/../../etc/passwd",
        "/files/%2e%2e/%2e%2e/etc/passwd",
        "/files/..%5c..%5cetc",
      ]
    ) {
      const res = await get(h, p);
      assert.ok(res.status === 404 || res.status === 400, `${p}: ${res.status}`);
      await res.body?.cancel();
    }
    for (
      const p of [
        "/files/sub%2Fnested.h4mk",
        "/files/a%5Cb",
        "/files/a%00b",
        "/files/.hidden",
        "/files/sub//nested.h4mk",
        "/files/%E0%A4%A",
      ]
    ) {
      await errorOf(await get(h, p), 400, "H4_BAD_ARGUMENT");
    }
    let res = await get(h, "/files/alias.h4mk"); // a symlink inside the root is fine
    assert.equal(res.status, 200);
    await res.body?.cancel();
    res = await get(h, "/files/sub/nested.h4mk");
    assert.equal(res.status, 200);
    await res.body?.cancel();
    for (
      const name of ["../clip.h4mk", "/etc/passwd", "a\\b", "sub/../clip.h4mk", "a\u0000b", ""]
    ) {
      await errorOf(
        await post(h, `/video/manifest?name=${encodeURIComponent(name)}`),
        400,
        "H4_BAD_ARGUMENT",
      );
    }
    await errorOf(await post(h, "/video/manifest?name=escape.h4mk"), 404, "HTTP_NOT_FOUND");
  } finally {
    await Deno.remove(outside, { recursive: true });
    await teardown(s);
  }
});

Deno.test("GET /files/NAME/manifest, /seek and /block/N", async () => {
  const s = await setup();
  const { handler: h } = s;
  try {
    const bytes = s.root.files.get("clip.h4mk")!;
    const c = await openContainer(bytes);
    let res = await get(h, "/files/clip.h4mk/manifest");
    assert.equal(res.status, 200);
    const m = await res.json();
    assert.deepEqual(Object.keys(m).slice(0, 7), [
      "container",
      "meta",
      "tracks",
      "seek",
      "trak",
      "safe",
      "core_blocks",
    ]);
    assert.equal(m.core_blocks, c.blockCount);
    assert.equal(m.container, "H4MK"); // the original service's string, which its clients compare
    assert.equal(m.h4mk.version, 2);
    assert.equal(m.h4mk.name, "clip.h4mk");
    assert.equal(m.h4mk.root, c.root!.toHex());
    assert.deepEqual(m.tracks, ["audio_main", "video_main"]);
    assert.deepEqual(m.meta, c.meta);
    assert.deepEqual(m.safe, { rating: "G" });
    assert.equal(m.trak.length, c.blockCount);
    const e7 = await c.entry(7);
    assert.deepEqual(m.trak[7], {
      track_id: e7.track_id,
      pts_us: e7.pts_us,
      kind: e7.kind,
      keyframe: e7.keyframe,
      core_index: 7,
    });
    assert.equal(m.seek.video_main.length, 20);
    assert.deepEqual(m.seek.video_main[1], {
      pts_us: 1_000_000,
      core_index: c.seek("video_main", 1_000_000).core_index,
    });
    assert.equal(m.seek.audio_main.length, c.tracks[0].keyframes);
    res = await get(h, "/files/clip.h4mk/manifest?trak=false&seek=0");
    const small = await res.json();
    assert.equal(small.trak, null);
    assert.equal(small.seek, null);
    await errorOf(await get(h, "/files/clip.h4mk/manifest?trak=maybe"), 400, "H4_BAD_ARGUMENT");

    res = await get(h, "/files/clip.h4mk/seek?track_id=video_main&pts_us=12345678");
    assert.deepEqual(await res.json(), c.seek("video_main", 12345678));
    res = await get(h, "/files/clip.h4mk/seek?track_id=video_main&pts_us=-5");
    const before = await res.json();
    assert.equal(before.found, false);
    assert.equal(before.core_index, c.seek("video_main", 0).core_index);
    await errorOf(
      await get(h, "/files/clip.h4mk/seek?track_id=nope&pts_us=0"),
      404,
      "H4_UNKNOWN_TRACK",
    );
    await errorOf(
      await get(h, "/files/clip.h4mk/seek?track_id=video_main"),
      400,
      "H4_BAD_ARGUMENT",
    );
    await errorOf(await get(h, "/files/clip.h4mk/seek?pts_us=0"), 400, "H4_BAD_ARGUMENT");
    await errorOf(
      await get(h, "/files/clip.h4mk/seek?track_id=video_main&pts_us=1.5"),
      400,
      "H4_BAD_ARGUMENT",
    );
    await errorOf(
      await get(h, "/files/clip.h4mk/seek?track_id=video_main&pts_us=99999999999999999"),
      400,
      "H4_BAD_ARGUMENT",
    );

    res = await get(h, "/files/clip.h4mk/block/31");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/octet-stream");
    const e31 = await c.entry(31);
    assert.equal(res.headers.get("x-h4-core-index"), "31");
    assert.equal(decodeURIComponent(res.headers.get("x-h4-track-id")!), e31.track_id);
    assert.equal(res.headers.get("x-h4-pts-us"), String(e31.pts_us));
    assert.deepEqual(await res.bytes(), await c.readBlock(31));
    res = await get(h, "/files/clip.h4mk/block/31?verify=true&decompress=false");
    assert.deepEqual(await res.bytes(), await c.readStored(31));
    await errorOf(
      await get(h, `/files/clip.h4mk/block/${c.blockCount}`),
      416,
      "H4_BLOCK_OUT_OF_RANGE",
    );
    await errorOf(await get(h, "/files/clip.h4mk/block/x1"), 400, "H4_BAD_ARGUMENT");
    await errorOf(await get(h, "/files/clip.h4mk/block/-1"), 400, "H4_BAD_ARGUMENT");

    // Compressed blocks: decoded by default, stored bytes on request.
    const d = await openContainer(s.root.files.get("deflate.h4mk")!);
    res = await get(h, "/files/deflate.h4mk/block/2");
    assert.deepEqual(await res.bytes(), await d.readBlock(2));
    res = await get(h, "/files/deflate.h4mk/block/2?decompress=false");
    assert.equal(res.headers.get("x-h4-codec"), "deflate");
    assert.deepEqual(await res.bytes(), await d.readStored(2));

    // Encrypted: stored bytes only; decoding needs a key the server never has.
    const enc = await openContainer(s.root.files.get("enc.h4mk")!);
    await errorOf(await get(h, "/files/enc.h4mk/block/0"), 409, "H4_ENCRYPTED");
    res = await get(h, "/files/enc.h4mk/block/0?decompress=false");
    assert.equal(res.headers.get("x-h4-encrypted"), "true");
    assert.deepEqual(await res.bytes(), await enc.readStored(0));
    res = await get(h, "/files/enc.h4mk/manifest?trak=false");
    assert.equal((await res.json()).h4mk.encrypted, true);

    // Nested names, and a file named like a route below a folder.
    res = await get(h, "/files/sub/nested.h4mk/seek?track_id=audio_main&pts_us=0");
    assert.equal((await res.json()).core_index, 0);
    await Deno.mkdir(`${s.root.dir}/dir2`);
    await Deno.writeTextFile(`${s.root.dir}/dir2/manifest`, "plain file");
    res = await get(h, "/files/dir2/manifest");
    assert.equal(await res.text(), "plain file");

    await errorOf(await get(h, "/files/not-h4mk.bin/manifest"), 422, "H4_BAD_MAGIC");
    await errorOf(await get(h, "/files/nope.h4mk/manifest"), 404, "HTTP_NOT_FOUND");
    if (s.root.files.has("legacy.h4mk")) {
      const l = await openContainer(s.root.files.get("legacy.h4mk")!);
      res = await get(h, "/files/legacy.h4mk/manifest");
      const lm = await res.json();
      assert.equal(lm.h4mk.profile, "legacy");
      assert.equal(lm.trak.length, l.blockCount);
      res = await get(h, "/files/legacy.h4mk/block/0");
      assert.deepEqual(await res.bytes(), await l.readBlock(0));
    }
  } finally {
    await teardown(s);
  }
});

Deno.test("POST /video/*: raw and multipart uploads, ?name=, and their errors", async () => {
  const s = await setup({ maxUpload: 400_000 });
  const { handler: h } = s;
  try {
    const v1 = s.root.files.get("clip-v1.h4mk")!;
    const c = await openContainer(v1);
    let res = await post(h, "/video/manifest", v1, { "content-type": "application/octet-stream" });
    assert.equal(res.status, 200);
    const m = await res.json();
    assert.equal(m.h4mk.profile, "v1");
    assert.equal(m.h4mk.name, null);
    assert.equal(m.core_blocks, c.blockCount);

    const form = new FormData();
    form.append("note", "first field");
    form.append("file", new Blob([v1]), "clip.h4mk");
    res = await post(h, "/video/seek_to_block?track_id=video_main&pts_us=2500000", form);
    assert.deepEqual(await res.json(), c.seek("video_main", 2_500_000));

    res = await post(h, "/video/block?core_index=4", v1);
    assert.deepEqual(await res.bytes(), await c.readBlock(4));
    res = await post(h, "/video/block?index=4&decompress=false", v1);
    assert.deepEqual(await res.bytes(), await c.readStored(4));
    res = await post(h, "/video/block?index=4&decompress=false&name=clip-v1.h4mk");
    assert.deepEqual(await res.bytes(), await c.readStored(4));
    res = await post(h, "/video/manifest?name=sub/nested.h4mk&trak=false");
    assert.equal((await res.json()).h4mk.name, "sub/nested.h4mk");

    // Errors.
    await errorOf(await post(h, "/video/block", v1), 400, "H4_BAD_ARGUMENT");
    await errorOf(await post(h, "/video/block?core_index=1e3", v1), 400, "H4_BAD_ARGUMENT");
    await errorOf(
      await post(h, `/video/block?core_index=${c.blockCount}`, v1),
      416,
      "H4_BLOCK_OUT_OF_RANGE",
    );
    await errorOf(
      await post(h, "/video/seek_to_block?track_id=zzz&pts_us=0", v1),
      404,
      "H4_UNKNOWN_TRACK",
    );
    await errorOf(await post(h, "/video/seek_to_block?pts_us=0", v1), 400, "H4_BAD_ARGUMENT");
    await errorOf(await post(h, "/video/manifest"), 400, "H4_BAD_ARGUMENT");
    await errorOf(
      await post(h, "/video/manifest", new TextEncoder().encode("RIFF....WAVE")),
      422,
      "H4_BAD_MAGIC",
    );
    const cut = await post(h, "/video/manifest", v1.slice(0, 5000));
    assert.equal(cut.status, 422);
    assert.match((await cut.json()).error.code, /^H4_/);
    const enc = s.root.files.get("enc.h4mk")!;
    await errorOf(await post(h, "/video/block?core_index=0", enc), 409, "H4_ENCRYPTED");
    const noFile = new FormData();
    noFile.append("other", new Blob([v1]));
    await errorOf(await post(h, "/video/manifest", noFile), 400, "H4_BAD_ARGUMENT");
    await errorOf(
      await post(h, "/video/manifest", "--x\r\nno end", {
        "content-type": "multipart/form-data; boundary=x",
      }),
      400,
      "H4_BAD_ARGUMENT",
    );
    await errorOf(
      await post(h, "/video/manifest", v1, { "content-type": "multipart/form-data" }),
      400,
      "H4_BAD_ARGUMENT",
    );
    await errorOf(await get(h, "/video/manifest"), 405, "HTTP_METHOD_NOT_ALLOWED");
    await errorOf(await post(h, "/video/other", v1), 404, "HTTP_NOT_FOUND");
    await errorOf(await post(h, "/files/clip.h4mk"), 405, "HTTP_METHOD_NOT_ALLOWED");
    // `/` is the listing page now (pages_test.ts); other unknown paths stay 404.
    await errorOf(await get(h, "/nothing"), 404, "HTTP_NOT_FOUND");

    // Uploads over the limit: refused from Content-Length, or while counting a streamed body.
    const big = new Uint8Array(500_000);
    await errorOf(await post(h, "/video/manifest", big), 413, "HTTP_PAYLOAD_TOO_LARGE");
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 65536;
        controller.enqueue(new Uint8Array(65536));
      },
    });
    const req = new Request(H + "/video/manifest", { method: "POST", body: endless });
    await errorOf(await h(req), 413, "HTTP_PAYLOAD_TOO_LARGE");
    assert.ok(pulled < 400_000 + 3 * 65536, `read ${pulled} bytes of an endless upload`);
  } finally {
    await teardown(s);
  }
});

Deno.test("GET /openapi.json describes every route", async () => {
  const s = await setup();
  try {
    const res = await get(s.handler, "/openapi.json");
    const doc = await res.json();
    assert.equal(doc.openapi, "3.1.0");
    for (
      const p of [
        "/video/manifest",
        "/video/seek_to_block",
        "/video/block",
        "/files/{NAME}",
        "/files/{NAME}/manifest",
        "/files/{NAME}/seek",
        "/files/{NAME}/block/{N}",
        "/openapi.json",
      ]
    ) assert.ok(p in doc.paths, p);
    assert.ok(
      doc.paths["/video/block"].post.parameters.some((p: { name: string }) =>
        p.name === "core_index"
      ),
    );
  } finally {
    await teardown(s);
  }
});

Deno.test("createHandler refuses a root that is not a folder", () => {
  assert.throws(() => createHandler({ root: "/nonexistent/h4mk" }), /not a folder/);
});
