import assert from "node:assert/strict";
import { answerBytes, parseHead } from "./fast_front.ts";
import { withServe } from "./testdata/fixtures.ts";
import { createFastFiles } from "./fast_files.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

Deno.test("fast front: parseHead takes plain GET and HEAD heads only", () => {
  const ok = parseHead("HEAD /files/a.h4mk HTTP/1.1\r\nHost: x\r\nRange:  bytes=0-9 \r\nX-A: b");
  assert.deepEqual(ok, {
    method: "HEAD",
    url: "/files/a.h4mk",
    headers: { host: "x", range: "bytes=0-9", "x-a": "b" },
  });
  for (
    const head of [
      "POST /files/a HTTP/1.1\r\nHost: x",
      "GET /files/a HTTP/1.0\r\nHost: x",
      "GET /files/a HTTP/1.1",
      "GET /files/a HTTP/1.1\r\nHost: x\r\nHost: y",
      "GET /files/a HTTP/1.1\r\nHost: x\r\nConnection: close",
      "GET /files/a HTTP/1.1\r\nHost: x\r\nExpect: 100-continue",
      "GET /files/a HTTP/1.1\r\nHost: x\r\nUpgrade: websocket",
      "GET /files/a HTTP/1.1\r\nHost: x\r\n folded",
      "GET /files/a HTTP/1.1\r\nHost: x\r\nBad Name: 1",
      "GET /files/a HTTP/1.1\r\nHost: x\r\nX: caf\u00e9",
      "GET /files/a HTTP/1.1\r\nHost: x\r\nX: a\u0001b",
      "GET  /files/a HTTP/1.1\r\nHost: x",
      "GET files/a HTTP/1.1\r\nHost: x",
    ]
  ) {
    assert.equal(parseHead(head), null, JSON.stringify(head));
  }
});

/** parseHead as first written, with split and regular expressions: the reference. */
function parseHeadReference(head: string): unknown {
  const lines = head.split("\r\n");
  const first = /^(GET|HEAD) (\/[\x21-\x7e]*) HTTP\/1\.1$/.exec(lines[0]);
  if (first === null) return null;
  const headers: Record<string, string> = {};
  for (let i = 1; i < lines.length; i++) {
    const m = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*([\x20-\x7e\t]*?)[ \t]*$/.exec(lines[i]);
    if (m === null) return null;
    const name = m[1].toLowerCase();
    if (headers[name] !== undefined) return null;
    headers[name] = m[2];
  }
  if (headers.host === undefined) return null;
  if (
    headers.connection !== undefined || headers.expect !== undefined ||
    headers.upgrade !== undefined
  ) return null;
  return { method: first[1], url: first[2], headers };
}

Deno.test("fast front: parseHead reads every head as the reference does (seeded random heads)", () => {
  let seed = 42;
  const next = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  const pieces = [
    "GET",
    "HEAD",
    "POST",
    " ",
    "  ",
    "/",
    "/files/a.h4mk",
    "?q=1",
    "%2e",
    " HTTP/1.1",
    " HTTP/1.0",
    "\r\n",
    "\r",
    "\n",
    "\t",
    ":",
    ": ",
    "Host",
    "host",
    "Range",
    "bytes=0-9",
    "X-A",
    "Connection",
    "Expect",
    "Upgrade",
    "If-Match",
    "constructor",
    "__proto__",
    "\u00e9",
    "\u0001",
    "\x7f",
    "a b",
    "",
    "0",
    "-",
    "Host: x",
    "Range: bytes=1-2",
  ];
  const cases = [
    "GET /files/a.h4mk HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9",
    "HEAD /files/a.h4mk HTTP/1.1\r\nHost: x\r\nRange:  bytes=0-9 \t\r\nX-A: b",
    "GET /files/a.h4mk HTTP/1.1\r\nHost: x\r\nX-Empty:\r\nX-Blank:  \t",
    "GET /files/a.h4mk HTTP/1.1\r\nHost: x\r\n",
    "GET /files/a.h4mk HTTP/1.1\r\nHost: x\r\nConstructor: 1",
  ];
  for (let k = 0; k < 20_000; k++) {
    let head = next(3) === 0 ? "" : ["GET /files/a.h4mk HTTP/1.1", "HEAD / HTTP/1.1"][next(2)];
    const n = next(12);
    for (let i = 0; i < n; i++) head += pieces[next(pieces.length)];
    if (next(2) === 0) head += "\r\nHost: h";
    cases.push(head);
  }
  let taken = 0;
  for (const head of cases) {
    const want = parseHeadReference(head);
    assert.deepEqual(parseHead(head), want, JSON.stringify(head));
    if (want !== null) taken++;
  }
  assert.ok(taken > 1000, `only ${taken} heads taken`);
});

Deno.test("fast front: answerBytes writes the head as node:http does", () => {
  const b = answerBytes(
    {
      status: 206,
      headers: { "content-length": "2", etag: '"e"' },
      length: 2,
      head: true,
      read: () => false,
    },
    "D",
    5,
  );
  assert.equal(
    dec.decode(b!),
    'HTTP/1.1 206 Partial Content\r\ncontent-length: 2\r\netag: "e"\r\nDate: D\r\n' +
      "Connection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\n",
  );
});

/** Reads answers to GET from `conn` until `count` have arrived whole (by Content-Length). */
async function readAnswers(conn: Deno.Conn, count: number): Promise<string[]> {
  let text = "";
  const out: string[] = [];
  const buf = new Uint8Array(65536);
  while (out.length < count) {
    const end = text.indexOf("\r\n\r\n");
    const length = end < 0 ? -1 : Number(/content-length: (\d+)/i.exec(text.slice(0, end))?.[1]);
    if (end >= 0 && text.length >= end + 4 + length) {
      out.push(text.slice(0, end + 4 + length));
      text = text.slice(end + 4 + length);
      continue;
    }
    const n = await conn.read(buf);
    if (n === null) break;
    // latin1, so that lengths in characters are lengths in bytes.
    for (const x of buf.subarray(0, n)) text += String.fromCharCode(x);
  }
  return out;
}

Deno.test("fast front: pipelined requests are answered in order, fast ones and handed-over ones", async () => {
  await withServe({ idleTimeoutMs: 300 }, async (port, logs, root) => {
    const clip = root.files.get("clip.h4mk")!;
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    const range = (a: number) =>
      `GET /files/clip.h4mk HTTP/1.1\r\nHost: x\r\nRange: bytes=${a}-${a + 9}\r\n\r\n`;
    // Two fast ones, one for node:http (no Range), a fast one after it, in one write.
    await conn.write(enc.encode(
      range(0) + range(100) + "GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n" + range(200),
    ));
    const answers = await readAnswers(conn, 4);
    conn.close();
    assert.equal(answers.length, 4);
    for (const [i, at] of [[0, 0], [1, 100], [3, 200]]) {
      assert.match(answers[i], /^HTTP\/1\.1 206 /);
      const body = answers[i].slice(answers[i].indexOf("\r\n\r\n") + 4);
      assert.deepEqual([...body].map((c) => c.charCodeAt(0)), [...clip.subarray(at, at + 10)]);
    }
    assert.match(answers[2], /^HTTP\/1\.1 200 /);
    assert.match(answers[2], /"openapi"/);
    // Every request has its log line, the fast ones included.
    assert.equal(logs.filter((l) => / GET \/files\/clip\.h4mk 206 10 /.test(l)).length, 3);
  });
});

Deno.test("fast front: a head in pieces, a HEAD, a half-close and an idle connection", async () => {
  await withServe({ idleTimeoutMs: 300 }, async (port, _logs, root) => {
    const clip = root.files.get("clip.h4mk")!;
    // A head sent in two writes goes to node:http, which answers the same.
    const a = await Deno.connect({ hostname: "127.0.0.1", port });
    await a.write(enc.encode("GET /files/clip.h4mk HTTP/1.1\r\nHo"));
    await new Promise((r) => setTimeout(r, 20));
    await a.write(enc.encode("st: x\r\nRange: bytes=5-9\r\n\r\n"));
    const [split] = await readAnswers(a, 1);
    assert.match(split, /^HTTP\/1\.1 206 /);
    assert.match(split, /content-range: bytes 5-9\//);
    a.close();
    // HEAD: the headers, no body (the next answer follows at once).
    const b = await Deno.connect({ hostname: "127.0.0.1", port });
    await b.write(enc.encode(
      "HEAD /files/clip.h4mk HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9\r\n\r\n" +
        "GET /files/clip.h4mk HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1\r\n\r\n",
    ));
    // The client half-closes: its answers still come, then the connection closes.
    await b.closeWrite();
    let text = "";
    const buf = new Uint8Array(65536);
    for (let n; (n = await b.read(buf)) !== null;) {
      for (const x of buf.subarray(0, n)) text += String.fromCharCode(x);
    }
    b.close();
    const heads = text.split("HTTP/1.1 206 ");
    assert.equal(heads.length, 3, text);
    assert.match(heads[1], /content-length: 10\r\n/);
    assert.ok(heads[1].endsWith("\r\n\r\n"), "HEAD has no body");
    assert.deepEqual(
      [...heads[2].slice(heads[2].indexOf("\r\n\r\n") + 4)].map((c) => c.charCodeAt(0)),
      [...clip.subarray(0, 2)],
    );
    // Idle after an answer: closed by the server (idleTimeoutMs 300).
    const c = await Deno.connect({ hostname: "127.0.0.1", port });
    await c.write(
      enc.encode("GET /files/clip.h4mk HTTP/1.1\r\nHost: x\r\nRange: bytes=0-0\r\n\r\n"),
    );
    const [one] = await readAnswers(c, 1);
    assert.match(one, /^HTTP\/1\.1 206 /);
    const guard = setTimeout(() => c.close(), 10_000);
    const end = await c.read(buf).catch(() => null);
    clearTimeout(guard);
    assert.equal(end, null);
    try {
      c.close();
    } catch { /* closed by the guard */ }
  });
});

Deno.test("fast front: the head written as bytes is the head of the headers, byte for byte", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${root}/a.h4mk`, new Uint8Array(123_456).map((_, i) => i));
    const fast = createFastFiles(root);
    for (
      const [range, method] of [
        ["bytes=0-0", "GET"],
        ["bytes=100-4195", "HEAD"],
        ["bytes=007-60000", "GET"],
        ["bytes=120000-99999999999999999999", "GET"],
        ["bytes=-10", "GET"],
      ]
    ) {
      const a = fast.answer({ method, url: "/files/a.h4mk", headers: { host: "x", range } })!;
      assert.ok(a.writeHead !== undefined, range);
      const plain = {
        status: a.status,
        headers: a.headers,
        length: a.length,
        head: a.head,
        read: (o: Uint8Array, at: number) => a.read(o, at),
      };
      assert.deepEqual(answerBytes(a, "D", 5), answerBytes(plain, "D", 5), range);
    }
    fast.close();
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

/** Reads `count` answers from `conn` as bytes: each one's head (text) and body. */
async function readBinary(
  conn: Deno.Conn,
  count: number,
): Promise<{ head: string; body: Uint8Array }[]> {
  let data = new Uint8Array(0);
  const out: { head: string; body: Uint8Array }[] = [];
  const buf = new Uint8Array(1 << 20);
  while (out.length < count) {
    const text = dec.decode(data.subarray(0, Math.min(data.length, 2048)));
    const end = text.indexOf("\r\n\r\n");
    const length = end < 0 ? -1 : Number(/content-length: (\d+)/i.exec(text.slice(0, end))?.[1]);
    if (end >= 0 && data.length >= end + 4 + length) {
      out.push({ head: text.slice(0, end), body: data.slice(end + 4, end + 4 + length) });
      data = data.subarray(end + 4 + length);
      continue;
    }
    const n = await conn.read(buf);
    if (n === null) break;
    const next = new Uint8Array(data.length + n);
    next.set(data);
    next.set(buf.subarray(0, n), data.length);
    data = next;
  }
  return out;
}

Deno.test("fast front: answers queued behind a client that does not read keep their own bytes (buffers reused)", async () => {
  await withServe({}, async (port, _logs, root) => {
    const clip = root.files.get("clip.h4mk")!;
    const span = 60_000;
    const one = async (c: number) => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      // Far more than the socket buffers hold: answers wait in the server, in pooled buffers.
      const at = Array.from(
        { length: 400 },
        (_, k) => (c * 7919 + k * 104_729) % (clip.length - span),
      );
      const len = (k: number) => span - (k * 37) % 9000;
      let text = "";
      for (let k = 0; k < at.length; k++) {
        text += `GET /files/clip.h4mk HTTP/1.1\r\nHost: x\r\nRange: bytes=${at[k]}-${
          at[k] + len(k) - 1
        }\r\n\r\n`;
      }
      await conn.write(enc.encode(text));
      const answers = await readBinary(conn, at.length);
      conn.close();
      assert.equal(answers.length, at.length);
      for (let k = 0; k < at.length; k++) {
        const want = clip.subarray(at[k], at[k] + len(k));
        assert.match(answers[k].head, /^HTTP\/1\.1 206 /);
        if (
          answers[k].body.length !== want.length || !answers[k].body.every((x, i) => x === want[i])
        ) {
          assert.fail(`connection ${c}: answer ${k} is not its range`);
        }
      }
    };
    await Promise.all([0, 1, 2].map(one));
  });
});
