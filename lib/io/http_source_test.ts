import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import { openHttpSource, parseContentRange } from "./http_source.ts";
import { serveBytes } from "./testdata/range_server.ts";

function pattern(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 7 + (i >> 8)) & 0xff;
  return out;
}

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e) => {
    assert.ok(isH4Error(e), `expected H4Error ${code}, got ${e}`);
    assert.equal(e.code, code, e.message);
    return true;
  });
}

const fast = { retryDelayMs: 1 };

Deno.test("http source: the first request is a suffix range and answers tail reads", async () => {
  const data = pattern(200_000);
  const srv = serveBytes(data);
  try {
    const src = await openHttpSource(srv.url, fast);
    assert.equal(src.size, data.length);
    assert.equal(srv.requests[0].get("range"), "bytes=-65536");
    assert.equal(srv.requests[0].get("accept-encoding"), "identity");
    // The reader's first read, then small reads inside the tail: no new request.
    assert.deepEqual(await src.read(data.length - 65536, 65536), data.slice(-65536));
    assert.deepEqual(await src.read(data.length - 164, 164), data.slice(-164));
    assert.equal(src.stats.requests, 1);
    assert.equal(src.stats.bytes, 65536);
    // A read elsewhere is one exact range request with the validator.
    assert.deepEqual(await src.read(1000, 5000), data.slice(1000, 6000));
    assert.equal(src.stats.requests, 2);
    assert.equal(srv.requests[1].get("range"), "bytes=1000-5999");
    assert.equal(srv.requests[1].get("if-match"), '"v1"');
    assert.equal(srv.requests[1].get("if-range"), '"v1"');
    // The same range again comes from the small cache.
    assert.deepEqual(await src.read(2000, 100), data.slice(2000, 2100));
    assert.equal(src.stats.requests, 2);
    // A read straddling the tail fetches only what is before it.
    const t = data.length - 65536;
    assert.deepEqual(await src.read(t - 10, 30), data.slice(t - 10, t + 20));
    assert.equal(srv.requests[2].get("range"), `bytes=${t - 10}-${t - 1}`);
    assert.equal(await src.read(5, 0).then((b) => b.length), 0);
    src.close();
  } finally {
    await srv.close();
  }
});

Deno.test("http source: a file smaller than the probe is read whole by the first request", async () => {
  const data = pattern(1000);
  const srv = serveBytes(data);
  try {
    const src = await openHttpSource(srv.url);
    assert.equal(src.size, 1000);
    assert.deepEqual(await src.read(0, 1000), data);
    assert.deepEqual(await src.read(17, 3), data.slice(17, 20));
    assert.equal(src.stats.requests, 1);
  } finally {
    await srv.close();
  }
});

Deno.test("http source: reads past the end and bad arguments are rejected", async () => {
  const srv = serveBytes(pattern(100));
  try {
    const src = await openHttpSource(srv.url);
    await rejects(src.read(90, 11), "H4_TRUNCATED");
    await rejects(src.read(-1, 1), "H4_BAD_ARGUMENT");
    await rejects(src.read(0.5, 1), "H4_BAD_ARGUMENT");
    src.close();
    await rejects(src.read(0, 1), "H4_IO");
  } finally {
    await srv.close();
  }
  await rejects(openHttpSource("file:///etc/passwd"), "H4_BAD_ARGUMENT");
  await rejects(openHttpSource("not a url"), "H4_BAD_ARGUMENT");
  await rejects(openHttpSource("http://127.0.0.1:1/x", { tailProbe: 0 }), "H4_BAD_ARGUMENT");
});

Deno.test("http source: a server without Range support is refused unless the body is small", async () => {
  const big = pattern(3 << 20);
  const srv = serveBytes(big, { noRange: true });
  try {
    await rejects(openHttpSource(srv.url), "H4_RANGE_UNSUPPORTED");
    // Refused from Content-Length, before the body: almost nothing was downloaded.
    srv.knobs.noLength = true;
    const e = await openHttpSource(srv.url).catch((e) => e);
    assert.equal(e.code, "H4_RANGE_UNSUPPORTED");
    const ok = await openHttpSource(srv.url, { maxFullBody: 4 << 20 });
    assert.equal(ok.size, big.length);
    assert.deepEqual(await ok.read(12345, 10), big.slice(12345, 12355));
    assert.equal(ok.stats.requests, 1);
  } finally {
    await srv.close();
  }
  const small = pattern(5000);
  const srv2 = serveBytes(small, { noRange: true });
  try {
    const src = await openHttpSource(srv2.url);
    assert.equal(src.size, 5000);
    assert.deepEqual(await src.read(0, 5000), small);
  } finally {
    await srv2.close();
  }
});

Deno.test("http source: a changed file gives H4_SOURCE_CHANGED, never other bytes", async () => {
  const srv = serveBytes(pattern(300_000));
  try {
    const src = await openHttpSource(srv.url, fast);
    srv.replace(pattern(300_000).reverse());
    await rejects(src.read(0, 100), "H4_SOURCE_CHANGED"); // 412 to If-Match
    // A server that ignores If-Match but honours If-Range answers 200: still detected.
    const src2 = await openHttpSource(srv.url, fast);
    srv.replace(pattern(300_000));
    srv.knobs.ignoreConditionals = true;
    await rejects(src2.read(0, 100), "H4_SOURCE_CHANGED"); // ETag differs on the 206
    // Size change without validators.
    srv.knobs.noValidators = true;
    const src3 = await openHttpSource(srv.url, fast);
    srv.replace(pattern(299_000));
    await rejects(src3.read(0, 100), "H4_SOURCE_CHANGED");
  } finally {
    await srv.close();
  }
});

Deno.test("http source: with a weak ETag, Last-Modified is the precondition", async () => {
  const srv = serveBytes(pattern(300_000), { weakEtag: true });
  try {
    const src = await openHttpSource(srv.url, fast);
    assert.equal(src.etag, null);
    await src.read(0, 10);
    const h = srv.requests[1];
    assert.equal(h.get("if-match"), null);
    assert.equal(h.get("if-range"), src.lastModified);
    srv.replace(pattern(300_000).reverse());
    await rejects(src.read(100, 10), "H4_SOURCE_CHANGED"); // 200 to If-Range, new validators
  } finally {
    await srv.close();
  }
});

Deno.test("http source: 5xx and cut connections are retried, then reported", async () => {
  const data = pattern(300_000);
  const srv = serveBytes(data, { fail: 2 });
  try {
    const src = await openHttpSource(srv.url, fast);
    assert.equal(src.stats.requests, 3);
    assert.equal(src.stats.retries, 2);
    srv.knobs.cut = 1;
    assert.deepEqual(await src.read(0, 40_000), data.slice(0, 40_000));
    srv.knobs.fail = 10;
    await rejects(src.read(50_000, 10), "H4_IO");
    srv.knobs.fail = 0;
    srv.knobs.cut = 10;
    await rejects(src.read(60_000, 40_000), "H4_TRUNCATED");
    srv.knobs.cut = 0;
    assert.deepEqual(await src.read(50_000, 10), data.slice(50_000, 50_010));
  } finally {
    await srv.close();
  }
  await rejects(openHttpSource("http://127.0.0.1:1/none", { retries: 1, ...fast }), "H4_IO");
});

Deno.test("http source: a stalled body hits the time limit and is retried", async () => {
  const data = pattern(300_000);
  const srv = serveBytes(data);
  try {
    const src = await openHttpSource(srv.url, { timeoutMs: 300, retries: 1, ...fast });
    srv.knobs.stall = 1;
    assert.deepEqual(await src.read(0, 5000), data.slice(0, 5000));
    assert.equal(src.stats.retries, 1);
    srv.knobs.stall = 2;
    await rejects(src.read(10_000, 5000), "H4_TRUNCATED");
  } finally {
    await srv.close();
  }
});

Deno.test("http source: short and misplaced answers are never returned as data", async () => {
  const data = pattern(300_000);
  const srv = serveBytes(data);
  try {
    const src = await openHttpSource(srv.url, { retries: 2, ...fast });
    srv.knobs.short = 1;
    assert.deepEqual(await src.read(0, 1000), data.slice(0, 1000)); // retried
    srv.knobs.short = 5;
    await rejects(src.read(2000, 1000), "H4_TRUNCATED");
    srv.knobs.short = 0;
    srv.knobs.shift = true;
    await rejects(src.read(4000, 1000), "H4_IO");
    srv.knobs.shift = false;
    srv.knobs.encoding = "gzip";
    await rejects(src.read(4000, 1000), "H4_IO");
    srv.knobs.encoding = undefined;
    srv.knobs.status = 404;
    await rejects(src.read(4000, 1000), "H4_SOURCE_CHANGED");
    srv.knobs.status = 403;
    await rejects(src.read(4000, 1000), "H4_IO");
    await rejects(openHttpSource(srv.url), "H4_IO");
  } finally {
    await srv.close();
  }
});

Deno.test("http source: a wrong first answer is rejected", async () => {
  const body = new Uint8Array(10);
  const answer = (status: number, range: string | null) => () =>
    Promise.resolve(
      new Response(body, { status, headers: range ? { "content-range": range } : {} }),
    );
  await rejects(openHttpSource("http://x.test/a", { fetch: answer(206, null) }), "H4_IO");
  await rejects(
    openHttpSource("http://x.test/a", { fetch: answer(206, "bytes 0-9/100") }),
    "H4_IO",
  );
  await rejects(
    openHttpSource("http://x.test/a", { fetch: answer(206, "bytes 0-9/10"), tailProbe: 5 }),
    "H4_IO",
  );
  // A body longer than its Content-Range.
  await rejects(
    openHttpSource("http://x.test/a", { fetch: answer(206, "bytes 0-4/5") }),
    "H4_IO",
  );
  const empty = await openHttpSource("http://x.test/a", {
    fetch: () =>
      Promise.resolve(
        new Response(null, { status: 416, headers: { "content-range": "bytes */0" } }),
      ),
  });
  assert.equal(empty.size, 0);
  await rejects(
    openHttpSource("http://x.test/a", {
      fetch: () => Promise.reject(new TypeError("boom")),
      retries: 0,
    }),
    "H4_IO",
  );
});

Deno.test("http source: parseContentRange", () => {
  assert.deepEqual(parseContentRange("bytes 0-9/10"), { start: 0, end: 9, total: 10 });
  assert.deepEqual(parseContentRange("bytes */10"), { start: null, end: null, total: 10 });
  assert.equal(parseContentRange("bytes 0-10/10"), null);
  assert.equal(parseContentRange("bytes 0-9/*"), null);
  assert.equal(parseContentRange("items 0-9/10"), null);
  assert.equal(parseContentRange("bytes 99999999999999999-99999999999999999/1"), null);
  assert.equal(parseContentRange(null), null);
});
