/**
 * Issue 9, server under abuse: `serve` in its own process (testdata/serve_main.ts, so that its
 * memory is measured alone) on 127.0.0.1, against path escapes, oversized and malformed
 * uploads, slow clients and thousands of concurrent requests. Every abuse gets the status and
 * the JSON error body of SPEC.md 16.2 (H4-HTTP-010, 011, 015), other clients keep being served,
 * and the server's resident memory stays bounded.
 */

import assert from "node:assert/strict";
import { packContainer } from "../format/writer.ts";
import { openContainer } from "../seek/container.ts";
import { makeRoot, noise, type Root, spawnServeMain } from "./testdata/fixtures.ts";

/** Upload limit of the servers under test. */
const LIMIT = 1 << 20;
/** Time after which a request that got no answer is a failure rather than a hang. */
const HANG_MS = 15_000;
const MiB = 1 << 20;

const enc = new TextEncoder();
const dec = new TextDecoder();

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Child {
  port: number;
  base: string;
  pid: number;
  /** Request log lines of the server. */
  logs: string[];
  /** The server process's resident memory, MiB (VmRSS). */
  rss(): Promise<number>;
  /** Files under `dir` the server process holds open (by /proc/PID/fd), sorted. */
  openFiles(dir: string): Promise<string[]>;
  /** Polls {@linkcode openFiles} a bounded number of times until it equals `want`. */
  settlesTo(dir: string, want: string[]): Promise<string[]>;
  stop(): Promise<void>;
}

/** Starts testdata/serve_main.ts on `root` with the upload limit of these tests. */
async function startServer(root: string): Promise<Child> {
  const { child, port } = await spawnServeMain([root, "0", String(LIMIT)], "piped");
  const logs: string[] = [];
  // The log goes to stderr: it is drained all along, or a full pipe would stop the server.
  const draining = (async () => {
    let rest = "";
    for await (const text of child.stderr.pipeThrough(new TextDecoderStream())) {
      const lines = (rest + text).split("\n");
      rest = lines.pop()!;
      logs.push(...lines);
    }
    if (rest) logs.push(rest);
  })();
  const openFiles = async (dir: string) => {
    const real = await Deno.realPath(dir);
    const out: string[] = [];
    for await (const e of Deno.readDir(`/proc/${child.pid}/fd`)) {
      const target = await Deno.readLink(`/proc/${child.pid}/fd/${e.name}`).catch(() => "");
      if (target.startsWith(real + "/")) out.push(target.slice(real.length + 1));
    }
    return out.sort();
  };
  return {
    port,
    base: `http://127.0.0.1:${port}`,
    pid: child.pid,
    logs,
    async rss() {
      const status = await Deno.readTextFile(`/proc/${child.pid}/status`);
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
    },
    openFiles,
    async settlesTo(dir: string, want: string[]) {
      let now = await openFiles(dir);
      for (let k = 0; k < 100 && now.join() !== want.join(); k++) {
        await new Promise((r) => setTimeout(r, 20));
        now = await openFiles(dir);
      }
      return now;
    },
    async stop() {
      child.kill("SIGTERM");
      const status = await child.status;
      await child.stdout.cancel().catch(() => {});
      await draining;
      assert.equal(status.code, 0, "the server stops cleanly");
      assert.equal(logs.at(-1), "stopped");
      assert.ok(!logs.some((l) => l.startsWith("error:")), logs.find((l) => l.startsWith("error")));
    },
  };
}

interface RawAnswer {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let o = 0; o < bytes.length;) o += await conn.write(bytes.subarray(o));
}

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Reads one HTTP/1.1 answer from `conn`: framed by Content-Length, chunked, or by the end of
 * the connection. Null when the connection ends before a status line.
 */
async function readAnswer(conn: Deno.Conn): Promise<RawAnswer | null> {
  const buf = new Uint8Array(65536);
  let data = new Uint8Array(0);
  let headEnd = -1;
  const more = async (): Promise<boolean> => {
    const n = await conn.read(buf).catch(() => null);
    if (n === null) return false;
    data = concat([data, buf.subarray(0, n)]);
    return true;
  };
  const find = (needle: string, from: number) => {
    const s = dec.decode(data.subarray(from));
    const i = s.indexOf(needle);
    return i < 0 ? -1 : from + enc.encode(s.slice(0, i)).length;
  };
  while ((headEnd = find("\r\n\r\n", 0)) < 0) if (!(await more())) return null;
  const lines = dec.decode(data.subarray(0, headEnd)).split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0])?.[1]);
  const headers = new Headers();
  for (const l of lines.slice(1)) {
    headers.append(l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim());
  }
  let at = headEnd + 4;
  const length = headers.get("content-length");
  if (length !== null) {
    while (data.length - at < Number(length)) if (!(await more())) break;
    return { status, headers, body: data.slice(at, at + Number(length)) };
  }
  if (headers.get("transfer-encoding")?.includes("chunked")) {
    const parts: Uint8Array[] = [];
    for (;;) {
      let eol;
      while ((eol = find("\r\n", at)) < 0) {
        if (!(await more())) return { status, headers, body: concat(parts) };
      }
      const size = parseInt(dec.decode(data.subarray(at, eol)), 16);
      at = eol + 2;
      if (size === 0) break;
      while (data.length < at + size + 2) {
        if (!(await more())) return { status, headers, body: concat(parts) };
      }
      parts.push(data.slice(at, at + size));
      at += size + 2;
    }
    return { status, headers, body: concat(parts) };
  }
  while (await more()) { /* to the end of the connection */ }
  return { status, headers, body: data.slice(at) };
}

/** Sends raw bytes on a new connection and reads the answer, failing after HANG_MS. */
async function raw(port: number, request: string | Uint8Array): Promise<RawAnswer> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const guard = setTimeout(() => conn.close(), HANG_MS);
  try {
    await writeAll(conn, typeof request === "string" ? enc.encode(request) : request);
    const answer = await readAnswer(conn);
    assert.ok(
      answer,
      `no answer to ${
        dec.decode(
          typeof request === "string" ? enc.encode(request.slice(0, 80)) : request.subarray(0, 80),
        )
      }`,
    );
    return answer;
  } finally {
    clearTimeout(guard);
    try {
      conn.close();
    } catch { /* closed by the guard */ }
  }
}

function get(target: string, method = "GET"): string {
  return `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;
}

/** Checks the JSON error body of SPEC.md H4-HTTP-015; returns its code. */
function jsonError(
  a: RawAnswer | { status: number; headers: Headers; body: Uint8Array },
  status: number,
  codes: string[],
  what: string,
): string {
  assert.equal(
    a.status,
    status,
    `${what}: status ${a.status}, body ${dec.decode(a.body.subarray(0, 200))}`,
  );
  assert.match(a.headers.get("content-type") ?? "", /^application\/json/, what);
  const j = JSON.parse(dec.decode(a.body));
  assert.deepEqual(Object.keys(j), ["error"], what);
  assert.deepEqual(Object.keys(j.error), ["code", "message"], what);
  assert.ok(
    codes.includes(j.error.code),
    `${what}: code ${j.error.code}, expected ${codes.join("|")}`,
  );
  assert.equal(typeof j.error.message, "string", what);
  assert.ok(j.error.message.length > 0 && !j.error.message.includes("\n"), what);
  return j.error.code;
}

/** The code of a JSON error body, or "" (then {@linkcode jsonError} fails on the body). */
function codeOf(a: RawAnswer): string {
  try {
    return String(JSON.parse(dec.decode(a.body)).error.code);
  } catch {
    return "";
  }
}

async function fetchAnswer(url: string, init?: RequestInit): Promise<RawAnswer> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(HANG_MS) });
  return { status: res.status, headers: res.headers, body: await res.bytes() };
}

async function withServer(
  f: (s: Child, root: Root) => Promise<void>,
  prepare?: (root: Root) => Promise<void>,
): Promise<void> {
  const root = await makeRoot();
  try {
    await prepare?.(root);
    const s = await startServer(root.dir);
    try {
      await f(s, root);
    } finally {
      await s.stop();
    }
  } finally {
    await Deno.remove(root.dir, { recursive: true });
  }
}

// ---------------------------------------------------------------------------------------------

Deno.test("abuse: path escapes never leave the root (raw request targets, symlinks, ?name=)", async () => {
  const MARKER = "SECRET-OUTSIDE-THE-ROOT-7f3a";
  const outside = await Deno.realPath(await Deno.makeTempDir({ prefix: "h4mk-outside-" }));
  const secret = await packContainer(
    [{ track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: enc.encode(MARKER) }],
    { meta: { secret: MARKER } },
  );
  await Deno.writeFile(`${outside}/secret.h4mk`, secret);
  await Deno.writeTextFile(`${outside}/secret.txt`, MARKER);
  const fifo = new Deno.Command("mkfifo", { args: [`${outside}/fifo`] });
  let fifoMade = false;
  try {
    await withServer(async (s, root) => {
      const clip = root.files.get("clip.h4mk")!;
      const up = outside.slice(outside.lastIndexOf("/") + 1);
      const long = (n: number, unit = "a") => unit.repeat(n);
      const cases: [string, number, string][] = [
        // Encoded separators, backslashes, NUL and control characters, bad encodings: 400.
        ["/files/..%2f..%2fetc%2fpasswd", 400, "H4_BAD_ARGUMENT"],
        ["/files/..%2F..%2F..%2F..%2Fetc%2Fpasswd", 400, "H4_BAD_ARGUMENT"],
        ["/files/..%5c..%5cetc%5cpasswd", 400, "H4_BAD_ARGUMENT"],
        ["/files/sub%2F..%2F..%2Fclip.h4mk", 400, "H4_BAD_ARGUMENT"],
        ["/files/%2Fetc%2Fpasswd", 400, "H4_BAD_ARGUMENT"],
        ["/files//etc/passwd", 400, "H4_BAD_ARGUMENT"],
        [
          `/files/%2F${outside.slice(1).replaceAll("/", "%2F")}%2Fsecret.h4mk`,
          400,
          "H4_BAD_ARGUMENT",
        ],
        ["/files/%00", 400, "H4_BAD_ARGUMENT"],
        ["/files/clip.h4mk%00", 400, "H4_BAD_ARGUMENT"],
        ["/files/clip.h4mk%00.txt", 400, "H4_BAD_ARGUMENT"],
        ["/files/clip%0a.h4mk", 400, "H4_BAD_ARGUMENT"],
        ["/files/.git/config", 400, "H4_BAD_ARGUMENT"],
        ["/files/.git-config", 400, "H4_BAD_ARGUMENT"], // a dot file inside the root
        ["/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd", 400, "H4_BAD_ARGUMENT"],
        ["/files/%C0%AE%C0%AE/%C0%AE%C0%AE/etc/passwd", 400, "H4_BAD_ARGUMENT"], // overlong UTF-8
        ["/files/%E0%80%AE%E0%80%AE/etc/passwd", 400, "H4_BAD_ARGUMENT"],
        ["/files/%", 400, "H4_BAD_ARGUMENT"],
        [`/files/${long(1025)}`, 400, "H4_BAD_ARGUMENT"],
        [`/files/${long(1025, "%61")}`, 400, "H4_BAD_ARGUMENT"],
        [`/files/${long(600, "a/")}x`, 400, "H4_BAD_ARGUMENT"],
        [`/files/${long(60_000)}`, 400, "H4_BAD_ARGUMENT"],
        [`/files/${long(60_000)}/manifest`, 400, "H4_BAD_ARGUMENT"],
        // Dot segments are refused on the raw path, before URL parsing could remove them
        // (H4-HTTP-011).
        ["/files/../../etc/passwd", 400, "H4_BAD_ARGUMENT"],
        ["/files/%2e%2e/%2e%2e/etc/passwd", 400, "H4_BAD_ARGUMENT"],
        ["/files/%2E%2E/%2E%2E/%2E%2E/etc/passwd", 400, "H4_BAD_ARGUMENT"],
        ["/files/.%2e/.%2e/etc/passwd", 400, "H4_BAD_ARGUMENT"],
        ["/files/sub/../../../etc/passwd", 400, "H4_BAD_ARGUMENT"],
        ["/files/%2e/clip.h4mk", 400, "H4_BAD_ARGUMENT"],
        ["/files/./clip.h4mk", 400, "H4_BAD_ARGUMENT"],
        ["/files/sub/%2E/nested.h4mk", 400, "H4_BAD_ARGUMENT"],
        ["//etc/passwd", 404, "HTTP_NOT_FOUND"],
        [`http://127.0.0.1/files/../..${outside}/secret.h4mk`, 400, "H4_BAD_ARGUMENT"],
        // Double encoding is decoded once: names that do not exist.
        ["/files/%252e%252e/%252e%252e/etc/passwd", 404, "HTTP_NOT_FOUND"],
        ["/files/%252e%252e%252f%252e%252e%252fetc%252fpasswd", 404, "HTTP_NOT_FOUND"],
        // Symbolic links whose real path is outside the root, and what is not a regular file.
        ["/files/outside.h4mk", 404, "HTTP_NOT_FOUND"],
        ["/files/outside.h4mk/manifest", 404, "HTTP_NOT_FOUND"],
        ["/files/outside.h4mk/seek?track_id=v&pts_us=0", 404, "HTTP_NOT_FOUND"],
        ["/files/outside.h4mk/block/0", 404, "HTTP_NOT_FOUND"],
        ["/files/outside-dir/secret.h4mk", 404, "HTTP_NOT_FOUND"],
        ["/files/outside-dir/secret.txt", 404, "HTTP_NOT_FOUND"],
        ["/files/outside-dir/secret.h4mk/block/0?decompress=false", 404, "HTTP_NOT_FOUND"],
        [`/files/up/${up}/secret.h4mk`, 404, "HTTP_NOT_FOUND"],
        ["/files/passwd.h4mk", 404, "HTTP_NOT_FOUND"],
        ["/files/dev-zero", 404, "HTTP_NOT_FOUND"],
        ["/files/loop-a", 404, "HTTP_NOT_FOUND"],
        ["/files/fifo-link", 404, "HTTP_NOT_FOUND"],
        ["/files/sub", 404, "HTTP_NOT_FOUND"],
        ["/files/sub/nested.h4mk/../../outside.h4mk", 400, "H4_BAD_ARGUMENT"],
      ];
      const answers: RawAnswer[] = [];
      for (const [target, status, code] of cases) {
        const a = await raw(s.port, get(target));
        answers.push(a);
        jsonError(a, status, [code], target.slice(0, 100));
      }
      // HEAD gives the status without a body.
      for (const target of ["/files/outside.h4mk", "/files/..%2fsecret", "/files/fifo-link"]) {
        const a = await raw(s.port, get(target, "HEAD"));
        assert.ok(a.status === 404 || a.status === 400, `HEAD ${target}: ${a.status}`);
        assert.equal(a.body.length, 0);
      }
      // Names in ?name= of the upload routes (the body is not read).
      const names: [string, number][] = [
        ["..%2Fclip.h4mk", 400],
        ["%2Fetc%2Fpasswd", 400],
        [encodeURIComponent(`${outside}/secret.h4mk`), 400],
        ["sub%2F..%2F..%2Fx", 400],
        ["a%5Cb", 400],
        ["a%00b", 400],
        ["", 400],
        [long(1025), 400],
        ["outside.h4mk", 404],
        ["outside-dir%2Fsecret.h4mk", 404],
        [encodeURIComponent(`up/${up}/secret.h4mk`), 404],
        ["passwd.h4mk", 404],
        ["fifo-link", 404],
        ["%252e%252e%252fsecret.h4mk", 404],
      ];
      for (
        const route of [
          "/video/manifest?",
          "/video/block?core_index=0&decompress=false&",
          "/video/seek_to_block?track_id=v&pts_us=0&",
        ]
      ) {
        for (const [name, status] of names) {
          const a = await raw(s.port, get(`${route}name=${name}`, "POST"));
          answers.push(a);
          jsonError(
            a,
            status,
            [status === 400 ? "H4_BAD_ARGUMENT" : "HTTP_NOT_FOUND"],
            `${route}name=${name.slice(0, 60)}`,
          );
        }
      }
      // A request line too long for the HTTP layer never reaches the handler: 400, no body.
      const huge = await raw(s.port, get(`/files/${long(70_000)}`));
      assert.equal(huge.status, 400);
      answers.push(huge);
      // Dot segments are refused even when they would resolve inside the root (H4-HTTP-011);
      // a symbolic link to the root itself is served.
      for (const target of ["/files/sub/%2e%2e/clip.h4mk", "/files/sub/../clip.h4mk"]) {
        const a = await raw(s.port, get(target));
        jsonError(a, 400, ["H4_BAD_ARGUMENT"], target);
      }
      const self = await raw(s.port, get("/files/self/clip.h4mk"));
      assert.equal(self.status, 200);
      assert.deepEqual(self.body, clip);
      const passwd = await Deno.readTextFile("/etc/passwd").catch(() => "root:x:0:0:");
      for (const a of answers) {
        const text = dec.decode(a.body);
        assert.ok(!text.includes(MARKER), "a secret from outside the root was answered");
        assert.ok(!text.includes(passwd.slice(0, 12)), "/etc/passwd was answered");
      }
      // And the server still serves.
      const ok = await raw(s.port, get("/files/clip.h4mk/block/0"));
      assert.equal(ok.status, 200);
      console.log(
        `  ${answers.length} escape attempts: ${
          answers.filter((a) => a.status === 400).length
        } x 400, ${answers.filter((a) => a.status === 404).length} x 404, 0 bytes from outside`,
      );
    }, async (root) => {
      const d = root.dir;
      await Deno.symlink(`${outside}/secret.h4mk`, `${d}/outside.h4mk`);
      await Deno.symlink(outside, `${d}/outside-dir`);
      await Deno.symlink("..", `${d}/up`);
      await Deno.symlink("/etc/passwd", `${d}/passwd.h4mk`);
      await Deno.symlink("/dev/zero", `${d}/dev-zero`);
      await Deno.symlink(`${d}/loop-b`, `${d}/loop-a`);
      await Deno.symlink(`${d}/loop-a`, `${d}/loop-b`);
      await Deno.symlink(".", `${d}/self`);
      await Deno.writeTextFile(`${d}/.git-config`, MARKER);
      fifoMade = (await fifo.output().catch(() => ({ success: false }))).success;
      // A FIFO inside the root, reached through a link (opening it would block forever).
      await Deno.symlink(fifoMade ? `${outside}/fifo` : "/dev/null", `${d}/fifo-link`);
    });
  } finally {
    await Deno.remove(outside, { recursive: true });
  }
});

/**
 * Sends a chunked upload in 64 KiB chunks until the server answers or `max` bytes are sent,
 * then (without ending the body) waits for the answer.
 */
async function pushChunked(
  port: number,
  target: string,
  max: number,
): Promise<{ sent: number; answer: RawAnswer | null }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const guard = setTimeout(() => conn.close(), HANG_MS);
  const chunk = concat([
    enc.encode("10000\r\n"),
    new Uint8Array(65536).fill(0x41),
    enc.encode("\r\n"),
  ]);
  let sent = 0;
  let answered = false;
  try {
    await writeAll(
      conn,
      enc.encode(`POST ${target} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`),
    );
    const reading = readAnswer(conn).finally(() => answered = true);
    try {
      while (!answered && sent < max) {
        const writing = writeAll(conn, chunk);
        writing.catch(() => {});
        await Promise.race([writing, reading]);
        if (!answered) sent += 65536;
      }
    } catch { /* the server closed the connection after answering */ }
    return { sent, answer: await reading };
  } finally {
    clearTimeout(guard);
    try {
      conn.close();
    } catch { /* closed */ }
  }
}

function rawPost(target: string, body: Uint8Array | string, type?: string): Uint8Array {
  const b = typeof body === "string" ? enc.encode(body) : body;
  const head = `POST ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n` +
    (type ? `Content-Type: ${type}\r\n` : "") + `Content-Length: ${b.length}\r\n\r\n`;
  return concat([enc.encode(head), b]);
}

Deno.test("abuse: oversized uploads get 413 before reading or as they pass the limit; memory stays bounded", async () => {
  await withServer(async (s) => {
    // Content-Length over the limit, no body sent: the answer comes without it.
    for (
      const route of [
        "/video/manifest",
        "/video/seek_to_block?track_id=v&pts_us=0",
        "/video/block?core_index=0",
      ]
    ) {
      const a = await raw(
        s.port,
        `POST ${route} HTTP/1.1\r\nHost: x\r\nContent-Length: ${100 * MiB}\r\n\r\n`,
      );
      jsonError(a, 413, ["HTTP_PAYLOAD_TOO_LARGE"], route);
    }
    // The query is checked before the upload (H4-HTTP-010): a bad one is 400, never 413.
    for (
      const route of [
        "/video/block?core_index=x",
        "/video/seek_to_block?track_id=v",
        "/video/manifest?trak=maybe",
      ]
    ) {
      const a = await raw(
        s.port,
        `POST ${route} HTTP/1.1\r\nHost: x\r\nContent-Length: ${100 * MiB}\r\n\r\n`,
      );
      jsonError(a, 400, ["H4_BAD_ARGUMENT"], route);
    }
    // The limit itself is accepted (and read: garbage is 422); one byte more is refused.
    const garbage = noise(LIMIT + 1, 3) as Uint8Array<ArrayBuffer>;
    jsonError(await raw(s.port, rawPost("/video/manifest", garbage.subarray(0, LIMIT))), 422, [
      "H4_BAD_MAGIC",
    ], "LIMIT bytes");
    jsonError(await raw(s.port, rawPost("/video/manifest", garbage)), 413, [
      "HTTP_PAYLOAD_TOO_LARGE",
    ], "LIMIT + 1 bytes");
    // A multipart body over the limit, declared.
    const form = new FormData();
    form.append("file", new Blob([garbage]), "big.h4mk");
    jsonError(await fetchAnswer(`${s.base}/video/manifest`, { method: "POST", body: form }), 413, [
      "HTTP_PAYLOAD_TOO_LARGE",
    ], "multipart");
    // Far over the limit: the server answers before the client has sent its body, and must
    // read the rest (lingering) rather than close on it, or the client fails on its write and
    // never sees the 413 (a client in another process did, 19 times in 60, before the fix; in
    // this process the timing rarely shows it).
    const huge = new FormData();
    huge.append("file", new Blob([new Uint8Array(8 * MiB)]), "huge.h4mk");
    for (let i = 0; i < 8; i++) {
      jsonError(
        await fetchAnswer(`${s.base}/video/manifest`, { method: "POST", body: huge }),
        413,
        [
          "HTTP_PAYLOAD_TOO_LARGE",
        ],
        `multipart of 8 MiB, try ${i}`,
      );
    }
    // Chunked, no length: the client sends one chunk past the limit, does not end the body,
    // and still gets its 413: the server answers as soon as the count passes the limit.
    let r = await pushChunked(s.port, "/video/manifest", LIMIT + 65536);
    assert.ok(r.answer, "no answer to a chunked upload over the limit");
    jsonError(r.answer, 413, ["HTTP_PAYLOAD_TOO_LARGE"], "chunked");
    assert.equal(r.sent, LIMIT + 65536);

    // Memory: rounds of 8 concurrent chunked uploads offering 48 MiB each. The server stops
    // each at the limit, so the clients cannot push it all, and its memory does not follow: a
    // server that took whole bodies would hold 8 x 48 MiB at once. (Refused uploads are
    // garbage that V8 collects lazily: RSS plateaus some tens of MiB above its start, measured
    // over 80 sequential uploads, rather than staying within one limit.)
    const before = await s.rss();
    let offered = 0, pushed = 0, refused = 0;
    for (let round = 0; round < 4; round++) {
      const rs = await Promise.all(
        Array.from({ length: 8 }, () => pushChunked(s.port, "/video/manifest", 48 * MiB)),
      );
      for (r of rs) {
        offered += 48 * MiB;
        pushed += r.sent;
        assert.ok(r.answer, "no answer");
        jsonError(r.answer, 413, ["HTTP_PAYLOAD_TOO_LARGE"], "concurrent chunked");
        assert.ok(r.sent < 48 * MiB, `a client pushed all ${r.sent} bytes`);
        refused++;
      }
    }
    const after = await s.rss();
    const peak =
      Number(/VmHWM:\s+(\d+) kB/.exec(await Deno.readTextFile(`/proc/${s.pid}/status`))![1]) / 1024;
    console.log(
      `  ${refused} uploads over the limit offered ${offered / MiB} MiB, the clients got ${
        (pushed / MiB).toFixed(1)
      } MiB out before the 413; server RSS ${before.toFixed(1)} -> ${after.toFixed(1)} MiB (peak ${
        peak.toFixed(1)
      })`,
    );
    assert.ok(after - before < 96, `RSS grew by ${(after - before).toFixed(1)} MiB`);
    // Still serving.
    const ok = await raw(s.port, get("/files/clip.h4mk/seek?track_id=video_main&pts_us=0"));
    assert.equal(ok.status, 200);
  });
});

Deno.test("abuse: malformed uploads and requests get 400, 404, 405 or 422 with a JSON error", async () => {
  await withServer(async (s, root) => {
    const nested = root.files.get("sub/nested.h4mk")!;
    const local = await openContainer(nested);
    const mp = 'multipart/form-data; boundary="XyZ"';
    const part = (name: string, body: string | Uint8Array, extra = "") =>
      concat([
        enc.encode(`--XyZ\r\nContent-Disposition: form-data; name="${name}"\r\n${extra}\r\n`),
        typeof body === "string" ? enc.encode(body) : body,
        enc.encode("\r\n"),
      ]);
    const end = enc.encode("--XyZ--\r\n");
    const cases: [string, Uint8Array, number, string[]][] = [
      [
        "multipart without boundary",
        rawPost("/video/manifest", concat([part("file", nested), end]), "multipart/form-data"),
        400,
        ["H4_BAD_ARGUMENT"],
      ],
      [
        "boundary of 71 characters (RFC 2046: 1 to 70)",
        rawPost(
          "/video/manifest",
          concat([
            enc.encode(
              `--${"b".repeat(71)}\r\nContent-Disposition: form-data; name="file"\r\n\r\n`,
            ),
            nested,
            enc.encode(`\r\n--${"b".repeat(71)}--\r\n`),
          ]),
          `multipart/form-data; boundary=${"b".repeat(71)}`,
        ),
        400,
        ["H4_BAD_ARGUMENT"],
      ],
      [
        "empty boundary",
        rawPost(
          "/video/manifest",
          concat([part("file", nested), end]),
          'multipart/form-data; boundary=""',
        ),
        400,
        ["H4_BAD_ARGUMENT"],
      ],
      [
        "truncated multipart",
        rawPost("/video/manifest", part("file", nested).subarray(0, 5000), mp),
        400,
        ["H4_BAD_ARGUMENT"],
      ],
      [
        "no closing delimiter",
        rawPost(
          "/video/manifest",
          concat([
            enc.encode('--XyZ\r\nContent-Disposition: form-data; name="file"\r\n\r\n'),
            nested,
          ]),
          mp,
        ),
        400,
        ["H4_BAD_ARGUMENT"],
      ],
      [
        "no file field",
        rawPost("/video/manifest", concat([part("files", nested), part("other", "x"), end]), mp),
        400,
        ["H4_BAD_ARGUMENT"],
      ],
      ["empty file field", rawPost("/video/manifest", concat([part("file", ""), end]), mp), 400, [
        "H4_BAD_ARGUMENT",
      ]],
      [
        "part headers of 100 KiB",
        rawPost(
          "/video/manifest",
          concat([part("file", nested, `X-Pad: ${"a".repeat(100_000)}\r\n`), end]),
          mp,
        ),
        400,
        ["H4_BAD_ARGUMENT"],
      ],
      [
        "part headers that never end",
        rawPost("/video/manifest", enc.encode(`--XyZ\r\nX-Pad: ${"a\r\n".repeat(200_000)}`), mp),
        400,
        ["H4_BAD_ARGUMENT"],
      ],
      [
        "only delimiters",
        rawPost("/video/manifest", enc.encode("--XyZ\r\n".repeat(100_000)), mp),
        400,
        ["H4_BAD_ARGUMENT"],
      ],
      [
        "garbage file field",
        rawPost("/video/manifest", concat([part("file", noise(5000, 1)), end]), mp),
        422,
        ["H4_BAD_MAGIC"],
      ],
      ["garbage bytes", rawPost("/video/manifest", noise(100_000, 2)), 422, ["H4_BAD_MAGIC"]],
      [
        "H4MK and garbage",
        rawPost(
          "/video/manifest",
          concat([enc.encode("H4MK"), new Uint8Array([0, 2, 0, 0]), noise(50_000, 3)]),
        ),
        422,
        [],
      ],
      [
        "half a container",
        rawPost("/video/manifest", nested.subarray(0, nested.length >> 1)),
        422,
        [],
      ],
      [
        "a container one byte short",
        rawPost("/video/block?core_index=0", nested.subarray(0, nested.length - 1)),
        422,
        [],
      ],
      ["empty body", rawPost("/video/manifest", ""), 400, ["H4_BAD_ARGUMENT"]],
      [
        "no body at all",
        enc.encode("POST /video/manifest HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        400,
        ["H4_BAD_ARGUMENT"],
      ],
      ["PUT a file", enc.encode(get("/files/clip.h4mk", "PUT")), 405, ["HTTP_METHOD_NOT_ALLOWED"]],
      ["DELETE a file", enc.encode(get("/files/clip.h4mk", "DELETE")), 405, [
        "HTTP_METHOD_NOT_ALLOWED",
      ]],
      ["OPTIONS", enc.encode(get("/files/clip.h4mk", "OPTIONS")), 405, ["HTTP_METHOD_NOT_ALLOWED"]],
      ["GET an upload route", enc.encode(get("/video/manifest")), 405, ["HTTP_METHOD_NOT_ALLOWED"]],
      ["POST openapi", enc.encode(get("/openapi.json", "POST")), 405, ["HTTP_METHOD_NOT_ALLOWED"]],
      ["unknown route", enc.encode(get("/admin")), 404, ["HTTP_NOT_FOUND"]],
      ["unknown upload route", rawPost("/video/exec", nested), 404, ["HTTP_NOT_FOUND"]],
      [
        "block index of 17 digits",
        enc.encode(get("/files/clip.h4mk/block/12345678901234567")),
        400,
        ["H4_BAD_ARGUMENT"],
      ],
      [
        "pts over 2^53",
        enc.encode(get("/files/clip.h4mk/seek?track_id=video_main&pts_us=9999999999999999")),
        400,
        ["H4_BAD_ARGUMENT"],
      ],
      ["negative block", enc.encode(get("/files/clip.h4mk/block/-1")), 400, ["H4_BAD_ARGUMENT"]],
      ["decompress=maybe", enc.encode(get("/files/clip.h4mk/block/1?decompress=maybe")), 400, [
        "H4_BAD_ARGUMENT",
      ]],
    ];
    for (const [what, request, status, codes] of cases) {
      const a = await raw(s.port, request);
      // No code given: any H4 format code (which one depends on where the damage falls).
      const code = jsonError(a, status, codes.length ? codes : [codeOf(a)], what);
      assert.match(code, status === 422 ? /^H4_[A-Z0-9_]+$/ : /^(H4|HTTP)_[A-Z0-9_]+$/, what);
      if (status === 405) assert.ok(a.headers.get("allow"), `${what}: Allow`);
    }
    // Thousands of tiny parts before the file: read in one pass.
    const many = concat([
      ...Array.from({ length: 3000 }, (_, i) => part(`f${i}`, "x")),
      part("file", nested),
      end,
    ]);
    const a = await raw(s.port, rawPost("/video/manifest?trak=false", many, mp));
    assert.equal(a.status, 200, dec.decode(a.body).slice(0, 200));
    assert.equal(JSON.parse(dec.decode(a.body)).core_blocks, local.blockCount);
    // A body shorter than its Content-Length (the client stops sending): 400.
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: s.port });
    await writeAll(
      conn,
      concat([
        enc.encode(
          `POST /video/manifest HTTP/1.1\r\nHost: x\r\nContent-Length: ${nested.length}\r\n\r\n`,
        ),
        nested.subarray(0, 1000),
      ]),
    );
    await conn.closeWrite();
    const short = await readAnswer(conn);
    conn.close();
    assert.ok(short, "no answer to a body shorter than its Content-Length");
    jsonError(short, 400, ["H4_BAD_ARGUMENT"], "short body");

    // Seeded mutations of a container, uploaded: 200 or 422 with an H4 code, never a 500.
    const rnd = prng(9);
    const statuses: Record<string, number> = {};
    const mutate = (b: Uint8Array): Uint8Array => {
      const m = b.slice();
      const at = Math.floor(rnd() * b.length);
      switch (Math.floor(rnd() * 5)) {
        case 0:
          return m.subarray(0, at); // truncated
        case 1:
          for (let k = 0; k < 1 + rnd() * 8; k++) {
            m[Math.floor(rnd() * m.length)] ^= 1 << (rnd() * 8);
          }
          return m;
        case 2:
          return concat([m.subarray(0, at), m.subarray(Math.min(m.length, at + 1 + rnd() * 500))]);
        case 3:
          return concat([m.subarray(0, at), noise(1 + Math.floor(rnd() * 64), at), m.subarray(at)]);
        default:
          m.fill(0xff, at, at + 4 + Math.floor(rnd() * 60));
          return m;
      }
    };
    const mutants = Array.from({ length: 120 }, () => mutate(nested));
    const targets = [
      "/video/manifest?trak=false",
      "/video/block?verify=true&core_index=",
      "/video/seek_to_block?track_id=video_main&pts_us=1000000",
    ];
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < mutants.length * targets.length) {
        const n = next++;
        const m = mutants[n % mutants.length];
        let t = targets[Math.floor(n / mutants.length)];
        if (t.endsWith("=")) t += Math.floor(rnd() * local.blockCount);
        const a = await raw(s.port, rawPost(t, m.length ? m : new Uint8Array(1)));
        statuses[a.status] = (statuses[a.status] ?? 0) + 1;
        if (a.status !== 200) {
          const code = jsonError(a, a.status, [codeOf(a)], `mutant ${n}`);
          const want = {
            404: /^H4_UNKNOWN_TRACK$/,
            409: /^H4_ENCRYPTED$/,
            416: /^H4_BLOCK_OUT_OF_RANGE$/,
            422: /^H4_/,
          }[a.status as 404];
          assert.ok(want?.test(code), `mutant ${n} ${t}: ${a.status} ${code}`);
        }
      }
    }));
    console.log(
      `  ${mutants.length * targets.length} mutated uploads: statuses ${JSON.stringify(statuses)}`,
    );
    assert.ok(!statuses[500]);
  });
});

Deno.test("abuse: slow clients do not hold up the others", async () => {
  await withServer(async (s, root) => {
    const clip = root.files.get("clip.h4mk")!;
    const nested = root.files.get("sub/nested.h4mk")!;
    const local = await openContainer(clip);
    const localNested = await openContainer(nested);
    const ROUNDS = 60;
    const rnd = prng(5);
    const rss0 = await s.rss();
    const connect = () => Deno.connect({ hostname: "127.0.0.1", port: s.port });

    // Trickles: requests sent a little more every round, never complete during the rounds.
    interface Trickle {
      conn: Deno.Conn;
      bytes: Uint8Array;
      sent: number;
      step: number;
      check: (a: RawAnswer) => void;
    }
    const trickles: Trickle[] = [];
    for (let k = 0; k < 10; k++) {
      // A request line and headers, one byte a round.
      const start = Math.floor(rnd() * (clip.length - 5000));
      const req = enc.encode(
        `GET /files/clip.h4mk HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=${start}-${
          start + 4999
        }\r\nConnection: close\r\n\r\n`,
      );
      trickles.push({
        conn: await connect(),
        bytes: req,
        sent: 0,
        step: 1,
        check: (a) => {
          assert.equal(a.status, 206);
          assert.deepEqual(a.body, clip.subarray(start, start + 5000));
        },
      });
    }
    for (let k = 0; k < 4; k++) {
      // Headers at once, then an upload at a trickle.
      const pts = 500_000 * k;
      const req = rawPost(`/video/seek_to_block?track_id=video_main&pts_us=${pts}`, nested);
      trickles.push({
        conn: await connect(),
        bytes: req,
        sent: 0,
        step: Math.floor(req.length / (ROUNDS + 20)),
        check: (a) => {
          assert.equal(a.status, 200, dec.decode(a.body));
          assert.deepEqual(JSON.parse(dec.decode(a.body)), localNested.seek("video_main", pts));
        },
      });
    }
    // Slowloris: headers that never end.
    const loris: Deno.Conn[] = [];
    for (let k = 0; k < 8; k++) {
      const c = await connect();
      await writeAll(c, enc.encode("GET /files/clip.h4mk HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "));
      loris.push(c);
    }
    // Slow readers: a 16 MiB file asked for and never read.
    const readers: Deno.Conn[] = [];
    for (let k = 0; k < 8; k++) {
      const c = await connect();
      await writeAll(c, enc.encode(get("/files/big.bin")));
      readers.push(c);
    }

    const latencies: number[] = [];
    const blocks = [0, 17, 200, local.blockCount - 1];
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of trickles) {
        const n = Math.min(t.step, t.bytes.length - t.sent - 1); // never the last byte yet
        if (n > 0) await writeAll(t.conn, t.bytes.subarray(t.sent, t.sent + n));
        t.sent += Math.max(0, n);
      }
      for (const c of loris) await writeAll(c, enc.encode("a"));
      const t0 = performance.now();
      const kind = round % 5;
      if (kind === 0) {
        const at = Math.floor(rnd() * (clip.length - 1000));
        const a = await fetchAnswer(`${s.base}/files/clip.h4mk`, {
          headers: { range: `bytes=${at}-${at + 999}` },
        });
        assert.equal(a.status, 206);
        assert.deepEqual(a.body, clip.subarray(at, at + 1000));
      } else if (kind === 1) {
        const pts = Math.floor(rnd() * 20_000_000);
        const a = await fetchAnswer(
          `${s.base}/files/clip.h4mk/seek?track_id=video_main&pts_us=${pts}`,
        );
        assert.deepEqual(JSON.parse(dec.decode(a.body)), local.seek("video_main", pts));
      } else if (kind === 2) {
        const i = blocks[round % blocks.length];
        const a = await fetchAnswer(`${s.base}/files/clip.h4mk/block/${i}`);
        assert.deepEqual(a.body, await local.readBlock(i));
      } else if (kind === 3) {
        const a = await fetchAnswer(`${s.base}/files/clip.h4mk/manifest?trak=false`);
        assert.equal(JSON.parse(dec.decode(a.body)).core_blocks, local.blockCount);
      } else {
        jsonError(
          await fetchAnswer(`${s.base}/files/none-${round}.h4mk`),
          404,
          ["HTTP_NOT_FOUND"],
          "404",
        );
      }
      latencies.push(performance.now() - t0);
    }
    const rss1 = await s.rss();
    // The slow readers' files are still open (so the check below has something to see).
    const during = await s.openFiles(root.dir);
    assert.equal(during.filter((f) => f === "big.bin").length, readers.length, during.join());
    // The slow clients finish; their answers are right too.
    for (const t of trickles) await writeAll(t.conn, t.bytes.subarray(t.sent));
    for (const t of trickles) {
      const guard = setTimeout(() => t.conn.close(), HANG_MS);
      const a = await readAnswer(t.conn);
      clearTimeout(guard);
      assert.ok(a, "a slow client got no answer");
      t.check(a);
      t.conn.close();
    }
    for (const c of [...loris, ...readers]) c.close();
    latencies.sort((a, b) => a - b);
    console.log(
      `  ${ROUNDS} requests beside ${trickles.length} trickling, ${loris.length} never-ending and ${readers.length} ` +
        `non-reading clients: median ${latencies[ROUNDS >> 1].toFixed(1)} ms, max ${
          latencies.at(-1)!.toFixed(1)
        } ms; ` +
        `RSS ${rss0.toFixed(1)} -> ${rss1.toFixed(1)} MiB`,
    );
    // Eight readers of 16 MiB each are not buffered whole by the server.
    assert.ok(rss1 - rss0 < 64, `RSS grew by ${(rss1 - rss0).toFixed(1)} MiB`);
    // Every file opened for them is closed once they are gone (the slow readers' included);
    // what stays open is the container the cache keeps for the normal client.
    assert.deepEqual(await s.settlesTo(root.dir, ["clip.h4mk"]), ["clip.h4mk"]);
  }, async (root) => {
    await Deno.writeFile(`${root.dir}/big.bin`, noise(16 * MiB, 11));
  });
});

Deno.test("abuse: 2,000 requests with 256 in flight: right answers, no errors, bounded memory", async () => {
  await withServer(async (s, root) => {
    const clip = root.files.get("clip.h4mk")!;
    const v1 = root.files.get("clip-v1.h4mk")!;
    const local = await openContainer(clip);
    const localV1 = await openContainer(v1);
    const blockCache = new Map<number, Promise<Uint8Array>>();
    const block = (i: number) => {
      if (!blockCache.has(i)) blockCache.set(i, local.readBlock(i));
      return blockCache.get(i)!;
    };
    const rnd = prng(2000);
    const TOTAL = 2000, IN_FLIGHT = 256;
    type Job = {
      url: string;
      init?: RequestInit;
      check: (a: RawAnswer) => Promise<void> | void;
      status: number;
    };
    const jobs: Job[] = [];
    for (let n = 0; n < TOTAL; n++) {
      const x = rnd();
      if (x < 0.3) {
        const at = Math.floor(rnd() * clip.length);
        const len = 1 + Math.floor(rnd() * 65536);
        const end = Math.min(clip.length, at + len);
        jobs.push({
          url: "/files/clip.h4mk",
          init: { headers: { range: `bytes=${at}-${at + len - 1}` } },
          status: 206,
          check: (a) => assert.deepEqual(a.body, clip.subarray(at, end)),
        });
      } else if (x < 0.35) {
        jobs.push({
          url: "/files/clip.h4mk",
          init: { method: "HEAD" },
          status: 200,
          check: (a) => assert.equal(a.headers.get("content-length"), String(clip.length)),
        });
      } else if (x < 0.45) {
        jobs.push({
          url: rnd() < 0.5
            ? "/files/clip-v1.h4mk/manifest?trak=false"
            : "/files/clip-v1.h4mk/manifest",
          status: 200,
          check: (a) => {
            const m = JSON.parse(dec.decode(a.body));
            assert.equal(m.core_blocks, localV1.blockCount);
          },
        });
      } else if (x < 0.6) {
        const pts = Math.floor(rnd() * 21_000_000) - 500_000;
        const track = rnd() < 0.5 ? "video_main" : "audio_main";
        jobs.push({
          url: `/files/clip.h4mk/seek?track_id=${track}&pts_us=${pts}`,
          status: 200,
          check: (a) => assert.deepEqual(JSON.parse(dec.decode(a.body)), local.seek(track, pts)),
        });
      } else if (x < 0.78) {
        const i = Math.floor(rnd() * local.blockCount);
        const raw = rnd() < 0.3;
        jobs.push({
          url: `/files/clip.h4mk/block/${i}${raw ? "?decompress=false" : "?verify=true"}`,
          status: 200,
          check: async (a) =>
            assert.deepEqual(a.body, raw ? await local.readStored(i) : await block(i)),
        });
      } else if (x < 0.83) {
        jobs.push({
          url: `/files/clip.h4mk/block/${local.blockCount + Math.floor(rnd() * 1000)}`,
          status: 416,
          check: (a) => void jsonError(a, 416, ["H4_BLOCK_OUT_OF_RANGE"], "416"),
        });
      } else if (x < 0.93) {
        jobs.push({
          url: `/files/missing-${n}.h4mk${rnd() < 0.5 ? "/manifest" : ""}`,
          status: 404,
          check: (a) => void jsonError(a, 404, ["HTTP_NOT_FOUND"], "404"),
        });
      } else if (x < 0.97) {
        jobs.push({
          url: "/files/clip.h4mk/seek?track_id=nope&pts_us=0",
          status: 404,
          check: (a) => void jsonError(a, 404, ["H4_UNKNOWN_TRACK"], "track"),
        });
      } else {
        jobs.push({
          url: "/files/a%2Fb.h4mk",
          status: 400,
          check: (a) => void jsonError(a, 400, ["H4_BAD_ARGUMENT"], "400"),
        });
      }
    }
    const rss0 = await s.rss();
    const statuses: Record<number, number> = {};
    const samples: number[] = [];
    let next = 0, done = 0, errors = 0, inFlight = 0, maxInFlight = 0;
    await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        let a: RawAnswer;
        try {
          a = await fetchAnswer(s.base + job.url, job.init);
        } catch (e) {
          errors++;
          throw e;
        } finally {
          inFlight--;
        }
        statuses[a.status] = (statuses[a.status] ?? 0) + 1;
        assert.equal(a.status, job.status, `${job.url}: ${dec.decode(a.body).slice(0, 200)}`);
        await job.check(a);
        if (++done % 100 === 0) samples.push(await s.rss());
      }
    }));
    const rss1 = await s.rss();
    const peak = Math.max(...samples, rss1);
    console.log(
      `  ${done} requests, at most ${maxInFlight} in flight, ${errors} errors: statuses ${
        JSON.stringify(statuses)
      }; ` +
        `server RSS ${rss0.toFixed(1)} -> peak ${peak.toFixed(1)} -> ${rss1.toFixed(1)} MiB`,
    );
    assert.equal(done, TOTAL);
    assert.equal(errors, 0);
    assert.equal(maxInFlight, IN_FLIGHT);
    // Bounded rather than small: V8 keeps the heap it grew for 256 requests at once. (Measured
    // once: 80 000 requests of a similar mix plateau at about 160 MiB, and after a forced GC
    // the JS heap is back to about 9 MiB, so nothing accumulates per request.)
    assert.ok(peak - rss0 < 160, `RSS grew by ${(peak - rss0).toFixed(1)} MiB`);
    // No file is left open by 2 000 answers: only the two containers the cache keeps.
    assert.deepEqual(await s.settlesTo(root.dir, ["clip-v1.h4mk", "clip.h4mk"]), [
      "clip-v1.h4mk",
      "clip.h4mk",
    ]);
    // One log line per request.
    let lines = 0;
    for (let k = 0; k < 50 && lines < TOTAL; k++) {
      lines = s.logs.filter((l) => / (GET|HEAD) \/files\//.test(l)).length;
      if (lines < TOTAL) await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(lines, TOTAL);
  });
});
