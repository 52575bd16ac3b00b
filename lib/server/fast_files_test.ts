import assert from "node:assert/strict";
import {
  createFastFiles,
  FAST_RANGE_MAX,
  type FastAnswer,
  type FastRequest,
} from "./fast_files.ts";
import { createHandler } from "./handler.ts";
import { noise } from "./testdata/fixtures.ts";

/** A root with a file, a folder, a hidden file and a link out of the root. */
async function makeFiles(): Promise<{ root: string; bytes: Uint8Array; done(): Promise<void> }> {
  const root = await Deno.realPath(await Deno.makeTempDir());
  const outside = await Deno.makeTempDir();
  const bytes = noise(200_000, 3);
  await Deno.writeFile(`${root}/a.h4mk`, bytes);
  await Deno.mkdir(`${root}/sub`);
  await Deno.writeFile(`${root}/sub/b.h4mk`, bytes.subarray(0, 1000));
  await Deno.writeFile(`${root}/.hidden`, bytes.subarray(0, 10));
  await Deno.writeFile(`${outside}/secret`, bytes.subarray(0, 10));
  await Deno.symlink(`${outside}/secret`, `${root}/escape`);
  return {
    root,
    bytes,
    async done() {
      await Deno.remove(root, { recursive: true });
      await Deno.remove(outside, { recursive: true });
    },
  };
}

/** The body an answer sends (empty for HEAD), or null when it could not be read. */
function bodyOf(a: FastAnswer | null): Uint8Array | null | undefined {
  if (a === null) return undefined;
  const out = new Uint8Array(a.head ? 0 : a.length);
  return a.head || a.read(out, 0) ? out : null;
}

const get = (url: string, headers: Record<string, string> = {}, method = "GET"): FastRequest => ({
  method,
  url,
  headers: { host: "x", ...headers },
});

Deno.test("fast files: the answer is the general handler's, header for header and byte for byte", async () => {
  const f = await makeFiles();
  const fast = createFastFiles(f.root);
  const handler = createHandler({ root: f.root });
  try {
    const ranges = ["bytes=0-0", "bytes=0-4095", "bytes=-100", "bytes=199990-300000", "bytes=5-"];
    for (const range of ranges) {
      for (const method of ["GET", "HEAD"]) {
        const url = range === "bytes=5-" ? "/files/sub/b.h4mk" : "/files/a.h4mk";
        const a = fast.answer(get(url, { range }, method));
        assert.ok(a !== null, `${method} ${range}`);
        const res = await handler(new Request(`http://x${url}`, { method, headers: { range } }));
        assert.equal(a.status, res.status, range);
        assert.deepEqual(
          Object.fromEntries(Object.entries(a.headers)),
          Object.fromEntries(res.headers),
          range,
        );
        const body = await res.bytes();
        assert.deepEqual(bodyOf(a), body, range);
        assert.equal(a.length, Number(res.headers.get("content-length")), range);
      }
    }
    // A matching If-Match is answered here too.
    const first = fast.answer(get("/files/a.h4mk", { range: "bytes=0-9" }))!;
    const again = fast.answer(
      get("/files/a.h4mk", { range: "bytes=0-9", "if-match": first.headers.etag }),
    );
    assert.deepEqual(bodyOf(again), f.bytes.subarray(0, 10));
  } finally {
    fast.close();
    await handler.close();
    await f.done();
  }
});

Deno.test("fast files: everything else is left to the general handler", async () => {
  const f = await makeFiles();
  const fast = createFastFiles(f.root);
  try {
    const none: [string, FastRequest][] = [
      ["no range", get("/files/a.h4mk")],
      ["several ranges", get("/files/a.h4mk", { range: "bytes=0-1,5-6" })],
      ["unsatisfiable", get("/files/a.h4mk", { range: "bytes=999999-" })],
      ["malformed range", get("/files/a.h4mk", { range: "bytes=x-y" })],
      ["over 64 KiB", get("/files/a.h4mk", { range: `bytes=0-${FAST_RANGE_MAX}` })],
      ["POST", get("/files/a.h4mk", { range: "bytes=0-9" }, "POST")],
      ["a query", get("/files/a.h4mk?x=1", { range: "bytes=0-9" })],
      ["percent-encoding", get("/files/%61.h4mk", { range: "bytes=0-9" })],
      ["dot segment", get("/files/./a.h4mk", { range: "bytes=0-9" })],
      ["dot-dot segment", get("/files/sub/../a.h4mk", { range: "bytes=0-9" })],
      ["hidden file", get("/files/.hidden", { range: "bytes=0-9" })],
      ["empty segment", get("/files/sub//b.h4mk", { range: "bytes=0-9" })],
      ["absolute form", get("http://x/files/a.h4mk", { range: "bytes=0-9" })],
      ["other route", get("/video/block", { range: "bytes=0-9" })],
      ["folder", get("/files/sub", { range: "bytes=0-9" })],
      ["missing", get("/files/none.h4mk", { range: "bytes=0-9" })],
      ["link out of the root", get("/files/escape", { range: "bytes=0-9" })],
      ["API route", get("/files/a.h4mk/manifest", { range: "bytes=0-9" })],
      ["block route", get("/files/a.h4mk/block/1", { range: "bytes=0-9" })],
      ["If-None-Match", get("/files/a.h4mk", { range: "bytes=0-9", "if-none-match": "*" })],
      ["If-Range", get("/files/a.h4mk", { range: "bytes=0-9", "if-range": '"x"' })],
      ["If-Modified-Since", get("/files/a.h4mk", { range: "bytes=0-9", "if-modified-since": "x" })],
      [
        "If-Unmodified-Since",
        get("/files/a.h4mk", { range: "bytes=0-9", "if-unmodified-since": "x" }),
      ],
      [
        "If-Match of another version",
        get("/files/a.h4mk", { range: "bytes=0-9", "if-match": '"x"' }),
      ],
      ["a body", get("/files/a.h4mk", { range: "bytes=0-9", "content-length": "0" })],
      [
        "chunked body",
        get("/files/a.h4mk", { range: "bytes=0-9", "transfer-encoding": "chunked" }),
      ],
    ];
    for (const [what, req] of none) assert.equal(fast.answer(req), null, what);
    const off = createFastFiles(f.root, 0);
    assert.equal(off.answer(get("/files/a.h4mk", { range: "bytes=0-9" })), null, "name cache off");
    off.close();
  } finally {
    fast.close();
    await f.done();
  }
});

Deno.test("fast files: a file replaced or changed is answered as the version at the path now", async () => {
  const f = await makeFiles();
  const fast = createFastFiles(f.root, 60_000, 0);
  try {
    const path = `${f.root}/a.h4mk`;
    const before = fast.answer(get("/files/a.h4mk", { range: "bytes=0-9" }))!;
    assert.deepEqual(bodyOf(before), f.bytes.subarray(0, 10));
    // Replaced by a rename (a new inode): the new bytes, with the new version's ETag.
    const changed = f.bytes.slice(0, 5000);
    changed[0] ^= 0xff;
    await Deno.writeFile(`${path}.tmp`, changed);
    await Deno.rename(`${path}.tmp`, path);
    const after = fast.answer(get("/files/a.h4mk", { range: "bytes=0-9" }));
    assert.ok(after !== null);
    assert.deepEqual(bodyOf(after), changed.subarray(0, 10));
    assert.notEqual(after.headers.etag, before.headers.etag);
    assert.equal(after.headers["content-range"], "bytes 0-9/5000");
    // The old version's If-Match goes to the general handler (which answers 412).
    const stale = get("/files/a.h4mk", { range: "bytes=0-9", "if-match": before.headers.etag });
    assert.equal(fast.answer(stale), null);
    // Truncated in place: the new size, and a range past it is not ours.
    await Deno.truncate(path, 100);
    const cut = fast.answer(get("/files/a.h4mk", { range: "bytes=0-9" }));
    assert.equal(cut?.headers["content-range"], "bytes 0-9/100");
    assert.equal(fast.answer(get("/files/a.h4mk", { range: "bytes=200-299" })), null);
    // Removed: not ours.
    await Deno.remove(path);
    assert.equal(fast.answer(get("/files/a.h4mk", { range: "bytes=0-9" })), null);
  } finally {
    fast.close();
    await f.done();
  }
});

Deno.test("fast files: files are closed when unused, when over the limit and on close", async () => {
  const f = await makeFiles();
  const fast = createFastFiles(f.root);
  const openCount = () =>
    [...Deno.readDirSync("/proc/self/fd")].filter((e) => {
      try {
        return Deno.readLinkSync(`/proc/self/fd/${e.name}`).startsWith(f.root);
      } catch {
        return false;
      }
    }).length;
  try {
    for (let i = 0; i < 40; i++) {
      await Deno.writeFile(`${f.root}/n${i}.h4mk`, f.bytes.subarray(0, 10));
    }
    for (let i = 0; i < 40; i++) {
      assert.ok(fast.answer(get(`/files/n${i}.h4mk`, { range: "bytes=0-0" })) !== null);
    }
    assert.ok(openCount() <= 16, `${openCount()} files open`);
    // Unused: closed within a bounded time (a few sweeps).
    for (let k = 0; k < 100 && openCount() > 0; k++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(openCount(), 0);
    assert.ok(fast.answer(get("/files/a.h4mk", { range: "bytes=0-0" })) !== null);
    assert.equal(openCount(), 1);
  } finally {
    fast.close();
  }
  assert.equal(openCount(), 0);
  await f.done();
});

Deno.test("fast files: within the stat reuse time, one version's bytes and validators; If-Match stats", async () => {
  const f = await makeFiles();
  const fast = createFastFiles(f.root, 60_000, 60_000);
  try {
    const path = `${f.root}/a.h4mk`;
    const before = fast.answer(get("/files/a.h4mk", { range: "bytes=0-9" }))!;
    const changed = f.bytes.slice(0, 5000);
    changed[0] ^= 0xff;
    await Deno.writeFile(`${path}.tmp`, changed);
    await Deno.rename(`${path}.tmp`, path);
    // Not stat'ed again yet: the version opened, bytes and ETag together.
    const old = fast.answer(get("/files/a.h4mk", { range: "bytes=0-9" }));
    assert.deepEqual(bodyOf(old), f.bytes.subarray(0, 10));
    assert.equal(old?.headers.etag, before.headers.etag);
    // If-Match always stats: the old ETag no longer holds (the general handler answers 412)...
    const stale = get("/files/a.h4mk", { range: "bytes=0-9", "if-match": before.headers.etag });
    assert.equal(fast.answer(stale), null);
    // ...and from then on the new version is answered.
    const now = fast.answer(get("/files/a.h4mk", { range: "bytes=0-9" }));
    assert.deepEqual(bodyOf(now), changed.subarray(0, 10));
    assert.notEqual(now?.headers.etag, before.headers.etag);
    // Shrunk in place under a reused stat: the short read is the general handler's.
    await Deno.truncate(path, 10);
    const short = fast.answer(get("/files/a.h4mk", { range: "bytes=100-199" }));
    assert.ok(short !== null && short.headers["content-range"] === "bytes 100-199/5000");
    assert.equal(bodyOf(short), null, "the read fails: nothing is sent");
    assert.equal(
      fast.answer(get("/files/a.h4mk", { range: "bytes=0-9" }))?.headers["content-range"],
      "bytes 0-9/10",
    );
  } finally {
    fast.close();
    await f.done();
  }
});
