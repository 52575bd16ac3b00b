/**
 * Issue 16: the server under resource exhaustion. Descriptor exhaustion (a low `ulimit -n` in
 * a subprocess), the connection limit, header and idle timeouts, a chunked body with a huge
 * chunk size, and dot segments on the raw path (H4-HTTP-011, 016, 017). Loopback only.
 */

import assert from "node:assert/strict";
import { makeRoot, withServe } from "./testdata/fixtures.ts";

/** Time after which a connection that got no answer is a failure rather than a hang. */
const HANG_MS = 15_000;
const enc = new TextEncoder();
const dec = new TextDecoder();

/** Writes `request` (if any) and reads until the server closes; null if HANG_MS passes first. */
async function exchange(conn: Deno.Conn, request?: string): Promise<string | null> {
  let timedOut = false;
  const guard = setTimeout(() => {
    timedOut = true;
    conn.close();
  }, HANG_MS);
  try {
    if (request !== undefined) await conn.write(enc.encode(request));
    const buf = new Uint8Array(65536);
    let text = "";
    for (;;) {
      let n: number | null;
      try {
        n = await conn.read(buf);
      } catch {
        n = null; // reset by the server: also a close
      }
      if (n === null) break;
      text += dec.decode(buf.subarray(0, n));
    }
    return timedOut ? null : text;
  } finally {
    clearTimeout(guard);
    try {
      conn.close();
    } catch { /* closed */ }
  }
}

function connect(port: number): Promise<Deno.Conn> {
  return Deno.connect({ hostname: "127.0.0.1", port });
}

Deno.test("transport: out of file descriptors, the server stays up and answers again once they are free", async () => {
  const root = await makeRoot();
  const serveMain = new URL("./testdata/serve_main.ts", import.meta.url).pathname;
  // `ulimit -n 128`: the runtime needs about 40 descriptors; 500 connections are far more
  // than the rest (Deno.serve ended with "Too many open files").
  const child = new Deno.Command("sh", {
    args: [
      "-c",
      `ulimit -n 128 && exec "$0" run -A "$1" "$2" 0`,
      Deno.execPath(),
      serveMain,
      root.dir,
    ],
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  const logs: string[] = [];
  const draining = (async () => {
    for await (const t of child.stderr.pipeThrough(new TextDecoderStream())) logs.push(t);
  })();
  const out = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let first = "";
  while (!first.includes("\n")) {
    const { done, value } = await out.read();
    if (done) throw new Error(`server exited before listening: ${logs.join("")}`);
    first += value;
  }
  const port = JSON.parse(first).port as number;
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const conns: Deno.Conn[] = [];
  try {
    // Bursts of connections at once: refused connections are closed asynchronously, so a
    // burst can exhaust descriptors even under the connection limit.
    for (let i = 0; i < 3; i++) {
      const burst = await Promise.all(
        Array.from({ length: 100 }, () => connect(port).catch(() => null)),
      );
      for (const c of burst) if (c) conns.push(c);
    }
    // More connections than descriptors, held while they keep coming (bounded: 200 more).
    for (let i = 0; i < 200 && !exited; i++) {
      const c = await connect(port).catch(() => null);
      if (c) conns.push(c);
    }
    assert.ok(conns.length > 128, `only ${conns.length} connections`);
    for (const c of conns.splice(0)) c.close();
    // Descriptors are free again: the next request is answered (after at most one backoff).
    // The server learns of the closes asynchronously: until then a new connection is over the
    // limit and closed at once; a bounded number of tries.
    let a = "";
    for (let i = 0; i < 100 && !a.startsWith("HTTP/1.1 200") && !exited; i++) {
      // Refused while a stuck listener is replaced: tried again after a moment.
      const c = await connect(port).catch(() => null);
      if (!c) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      a = await exchange(
        c,
        "GET /openapi.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      ) ?? "";
    }
    assert.match(a, /^HTTP\/1\.1 200/, logs.join(""));
    assert.ok(!exited, "the server exited");
  } finally {
    for (const c of conns) c.close();
    if (!exited) child.kill("SIGTERM");
    await out.cancel();
    await draining;
    await Deno.remove(root.dir, { recursive: true });
  }
  const s = await status;
  // It exits only on the signal, cleanly.
  assert.equal(s.code, 0, logs.join(""));
});

Deno.test("transport: --max-connections closes connections over the limit at once", async () => {
  await withServe({ maxConnections: 4 }, async (port) => {
    const held = [await connect(port), await connect(port), await connect(port)];
    // A fourth connection, answered: the limit counts open connections.
    const fourth = await connect(port);
    held.push(fourth);
    // The fifth is over the limit: closed without an answer (not left hanging).
    const fifth = await exchange(await connect(port));
    assert.equal(fifth, "");
    // One held connection makes a request and closes: room for a new client.
    const a = await exchange(
      held.pop()!,
      "GET /openapi.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert.match(a ?? "", /^HTTP\/1\.1 200/);
    let answered = "";
    for (let i = 0; i < 50 && !answered.startsWith("HTTP/1.1 200"); i++) {
      // The server learns of the close asynchronously: a bounded number of tries.
      answered = await exchange(
        await connect(port),
        "GET /openapi.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      ) ?? "";
    }
    assert.match(answered, /^HTTP\/1\.1 200/);
    for (const c of held) c.close();
  });
});

Deno.test("transport: a head not finished in time gets 408; an idle kept-alive connection is closed", async () => {
  await withServe(
    { headersTimeoutMs: 200, requestTimeoutMs: 200, idleTimeoutMs: 200 },
    async (port) => {
      const slow = await exchange(await connect(port), "GET /openapi.json HTTP/1.1\r\nHost: x\r\n");
      assert.ok(slow !== null, "a slow head was never closed");
      assert.match(slow, /^HTTP\/1\.1 408/);
      assert.match(slow, /"code":"HTTP_REQUEST_TIMEOUT"/);
      // A client that connects and never sends anything is closed too.
      assert.ok((await exchange(await connect(port))) !== null, "a silent client was never closed");
      // Keep-alive: one answer, then the idle connection is closed.
      const idle = await exchange(
        await connect(port),
        "GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n",
      );
      assert.ok(idle !== null, "an idle connection was never closed");
      assert.match(idle, /^HTTP\/1\.1 200/);
    },
  );
});

Deno.test("transport: a chunk size of 17 hex digits is answered with a JSON 400", async () => {
  await withServe({}, async (port) => {
    const a = await exchange(
      await connect(port),
      "POST /video/manifest HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
        "fffffffffffffffff\r\nabc\r\n",
    );
    assert.ok(a !== null);
    assert.match(a, /^HTTP\/1\.1 400/);
    assert.match(a, /"code":"H4_BAD_ARGUMENT"/);
  });
});

Deno.test("transport: . and .. segments are refused on the raw path (curl --path-as-is)", async () => {
  await withServe({}, async (port) => {
    for (const target of ["/files/%2e/clip.h4mk", "/files/./clip.h4mk", "/files/%2E%2e/x"]) {
      const a = await exchange(
        await connect(port),
        `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      assert.match(a ?? "", /^HTTP\/1\.1 400/, target);
      assert.match(a ?? "", /"code":"H4_BAD_ARGUMENT"/, target);
    }
  });
});
