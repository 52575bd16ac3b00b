/**
 * The kit of the server abuse tests (lib/server/abuse_*_test.ts): `serve` in its own process
 * (testdata/serve_main.ts, so that its memory and open files are measured alone), raw HTTP/1.1
 * requests and answers on loopback, and the checks of the JSON error body of H4-HTTP-015.
 *
 * @module
 */

import assert from "node:assert/strict";
import { makeRoot, type Root, spawnServeMain } from "./fixtures.ts";

/** The seeded PRNG of the format tests (mulberry32). */
export { rng as prng } from "../../format/testdata/helpers.ts";

/** Upload limit of the servers under test. */
export const LIMIT = 1 << 20;
/** Time after which a request that got no answer is a failure rather than a hang. */
export const HANG_MS = 15_000;
export const MiB = 1 << 20;

export const enc = new TextEncoder();
export const dec = new TextDecoder();

export interface Child {
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
export async function startServer(root: string): Promise<Child> {
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

export interface RawAnswer {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

export async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let o = 0; o < bytes.length;) o += await conn.write(bytes.subarray(o));
}

export function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
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
export async function readAnswer(conn: Deno.Conn): Promise<RawAnswer | null> {
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
export async function raw(port: number, request: string | Uint8Array): Promise<RawAnswer> {
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

export function get(target: string, method = "GET"): string {
  return `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;
}

/** Checks the JSON error body of SPEC.md H4-HTTP-015; returns its code. */
export function jsonError(
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
export function codeOf(a: RawAnswer): string {
  try {
    return String(JSON.parse(dec.decode(a.body)).error.code);
  } catch {
    return "";
  }
}

export async function fetchAnswer(url: string, init?: RequestInit): Promise<RawAnswer> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(HANG_MS) });
  return { status: res.status, headers: res.headers, body: await res.bytes() };
}

export async function withServer(
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

/**
 * Sends a chunked upload in 64 KiB chunks until the server answers or `max` bytes are sent,
 * then (without ending the body) waits for the answer.
 */
export async function pushChunked(
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

export function rawPost(target: string, body: Uint8Array | string, type?: string): Uint8Array {
  const b = typeof body === "string" ? enc.encode(body) : body;
  const head = `POST ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n` +
    (type ? `Content-Type: ${type}\r\n` : "") + `Content-Length: ${b.length}\r\n\r\n`;
  return concat([enc.encode(head), b]);
}
