/**
 * The front of each connection of `serve`: plain `GET`/`HEAD` requests that arrive whole are
 * read here and, when the fast path takes them (fast_files.ts), answered with one write,
 * without the parser and objects of `node:http`, which cost twice as much CPU per request
 * as the answer itself. The first request that is anything else (a body, a head in pieces,
 * an unusual header, a route of the general handler) hands the connection, with the bytes
 * not yet used, to `node:http` for good, so every other rule stays in one place.
 *
 * While a connection is held here, a client silent for the head timeout gets the 408 of
 * `node:http`, one idle for the idle timeout after an answer is closed (H4-HTTP-017), and a
 * client that does not read its answers is not read from either.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import type { Socket } from "node:net";
import type { FastAnswer, FastRequest } from "./fast_files.ts";
import type { AnswerPool } from "./answer_pool.ts";

/** What the front needs from the transport. */
export interface FrontOptions {
  /** The fast path: an answer, or null for "hand over". */
  answer: (req: FastRequest) => FastAnswer | null;
  /** Gives the socket to `node:http` (the front then passes it the bytes it did not use). */
  handOver: (socket: Socket) => void;
  /** Time a new connection has to send its first head, ms. */
  headersTimeoutMs: number;
  /** Time a connection may stay idle after an answer, ms. */
  idleTimeoutMs: number;
  /** Answer of a connection that sent nothing in time (the 408 of `node:http`). */
  timeoutAnswer: string;
  /** Where answer buffers come from and go back to once written; default: a new one each. */
  pool?: AnswerPool;
}

/**
 * Bytes of answers waiting to be written after which a chunk's further requests go to
 * `node:http`. They sit in pooled buffers of less than twice their size (answer_pool.ts).
 */
const MAX_QUEUED = 1 << 20;

/** Characters of a header name (an RFC 9110 token). */
const TOKEN = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
  TOKEN[c.charCodeAt(0)] = 1;
}

/**
 * Parses one request head (the text before its blank line) into what the fast path reads,
 * or null when `node:http` should read it: another method or version, a header line that is
 * not plain, a header given twice, no Host, or a Connection, Expect or Upgrade header.
 *
 * @example
 * ```ts
 * import { parseHead } from "./fast_front.ts";
 * import assert from "node:assert/strict";
 * const r = parseHead("GET /files/a.h4mk HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9");
 * assert(r !== null && r.headers.range === "bytes=0-9");
 * assert(parseHead("GET /files/a.h4mk HTTP/1.0\r\nHost: x") === null);
 * ```
 */
export function parseHead(head: string): FastRequest | null {
  // Read by hand, not with split and regular expressions: this runs for every request.
  let eol = head.indexOf("\r\n");
  if (eol < 0) eol = head.length;
  // The request line: GET or HEAD, a target of visible ASCII starting with /, HTTP/1.1.
  let method: string;
  let from: number;
  if (head.startsWith("GET /")) {
    method = "GET";
    from = 4;
  } else if (head.startsWith("HEAD /")) {
    method = "HEAD";
    from = 5;
  } else return null;
  let to = from;
  for (; to < eol; to++) {
    const c = head.charCodeAt(to);
    if (c === 32) break;
    if (c < 0x21 || c > 0x7e) return null;
  }
  if (eol - to !== 9 || !head.startsWith(" HTTP/1.1", to)) return null;
  const url = head.slice(from, to);
  const headers: Record<string, string> = {};
  // Header lines `name: value`: the name a token, the value visible ASCII, spaces and tabs
  // (those around it are not part of it).
  for (let at = eol; at < head.length;) {
    const start = at + 2;
    let end = head.indexOf("\r\n", start);
    if (end < 0) end = head.length;
    let colon = start;
    for (; colon < end; colon++) {
      const c = head.charCodeAt(colon);
      if (c >= 128 || TOKEN[c] === 0) break;
    }
    if (colon === start || colon === end || head.charCodeAt(colon) !== 58) return null;
    let v0 = colon + 1;
    let v1 = end;
    for (let i = v0; i < end; i++) {
      const c = head.charCodeAt(i);
      if (c !== 9 && (c < 0x20 || c > 0x7e)) return null;
    }
    for (let c; v0 < v1 && ((c = head.charCodeAt(v0)) === 32 || c === 9);) v0++;
    for (let c; v1 > v0 && ((c = head.charCodeAt(v1 - 1)) === 32 || c === 9);) v1--;
    const name = head.slice(start, colon).toLowerCase();
    if (headers[name] !== undefined) return null;
    headers[name] = head.slice(v0, v1);
    at = end;
  }
  if (headers.host === undefined) return null;
  if (
    headers.connection !== undefined || headers.expect !== undefined ||
    headers.upgrade !== undefined
  ) return null;
  return { method, url, headers };
}

/** The status line of each status the fast path answers. */
const STATUS_LINE: Record<number, string> = { 206: "HTTP/1.1 206 Partial Content\r\n" };
/** The same as bytes. */
const STATUS_BYTES: Record<number, Uint8Array> = {
  206: Buffer.from(STATUS_LINE[206], "latin1"),
};

/** A new buffer of `length` bytes (the default of {@linkcode answerBytes}). */
const allocate = (length: number): Uint8Array => Buffer.allocUnsafe(length);

/** The end of every head, as bytes, made once per Date (a second) and keep-alive time. */
let tailDate = "";
let tailKeepAlive = -1;
let tailBytes = new Uint8Array(0);
function headTail(date: string, keepAliveSeconds: number): Uint8Array {
  if (date !== tailDate || keepAliveSeconds !== tailKeepAlive) {
    tailDate = date;
    tailKeepAlive = keepAliveSeconds;
    tailBytes = Buffer.from(
      `Date: ${date}\r\nConnection: keep-alive\r\nKeep-Alive: timeout=${keepAliveSeconds}\r\n\r\n`,
      "latin1",
    );
  }
  return tailBytes;
}

/**
 * The bytes of an answer as `node:http` writes them: the status line, the headers in order,
 * then Date, Connection and Keep-Alive, and the body (read straight into place); null when the
 * body could not be read (then nothing is to be sent). The buffer comes from `take` (default: a
 * new one), which is given the exact length; an answer with `writeHead` writes its headers
 * there as bytes.
 *
 * @example
 * ```ts
 * import { answerBytes } from "./fast_front.ts";
 * import assert from "node:assert/strict";
 * const b = answerBytes({
 *   status: 206,
 *   headers: { "content-length": "1" },
 *   length: 1,
 *   head: false,
 *   read: (out, at) => (out[at] = 7, true),
 * }, "Sat, 05 Dec 2026 10:00:00 GMT", 5);
 * assert(new TextDecoder().decode(b!).startsWith("HTTP/1.1 206 Partial Content\r\n"));
 * assert(b!.at(-1) === 7);
 * ```
 */
export function answerBytes(
  a: FastAnswer,
  date: string,
  keepAliveSeconds: number,
  take: (length: number) => Uint8Array = allocate,
): Uint8Array | null {
  const status = STATUS_BYTES[a.status];
  if (a.writeHead !== undefined && a.headBytes !== undefined && status !== undefined) {
    const tail = headTail(date, keepAliveSeconds);
    const body = a.head ? 0 : a.length;
    const room = take(status.length + a.headBytes + tail.length + body);
    room.set(status, 0);
    let at = a.writeHead(room, status.length);
    room.set(tail, at);
    at += tail.length;
    const out = room.subarray(0, at + body);
    if (body > 0 && !a.read(out, at)) return null;
    return out;
  }
  let head = STATUS_LINE[a.status] ?? `HTTP/1.1 ${a.status} \r\n`;
  for (const name in a.headers) head += `${name}: ${a.headers[name]}\r\n`;
  head +=
    `Date: ${date}\r\nConnection: keep-alive\r\nKeep-Alive: timeout=${keepAliveSeconds}\r\n\r\n`;
  const out = take(head.length + (a.head ? 0 : a.length));
  Buffer.from(out.buffer, out.byteOffset, out.length).write(head, 0, "latin1");
  if (!a.head && !a.read(out, head.length)) return null;
  return out;
}

let dateSecond = -1;
let dateText = "";

/** The Date header value, made once a second. */
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

/**
 * Takes a new connection: answers its requests while the fast path takes them, then hands it
 * over (see the module documentation).
 *
 * @example
 * ```ts ignore
 * server.on("connection", (socket) => front(socket, options));
 * ```
 */
export function front(socket: Socket, o: FrontOptions): void {
  const keepAliveSeconds = Math.floor(o.idleTimeoutMs / 1000);
  let answered = false;
  let done = false;
  const pool = o.pool;
  const take = pool === undefined ? allocate : pool.take;
  /** Pooled answers being written, oldest first (write callbacks come in the order of writes). */
  const writing: Uint8Array[] = [];
  let reuse = pool !== undefined;
  /** A write completed: its buffer may be used again, unless a write failed on this socket. */
  function written(e?: Error | null): void {
    const b = writing.shift();
    if (e) {
      reuse = false;
      writing.length = 0;
    } else if (b !== undefined && reuse) pool!.give(b);
  }

  function handOver(rest: Buffer | null): void {
    done = true;
    socket.off("data", onData);
    socket.off("timeout", onTimeout);
    socket.off("drain", onDrain);
    socket.off("error", onError);
    socket.off("end", onEnd);
    socket.setTimeout(0);
    o.handOver(socket);
    // The bytes not used go to node:http's listener, as if they had just arrived (pausing the
    // socket to put them back with unshift loses data arriving meanwhile).
    if (rest !== null && rest.length > 0) socket.emit("data", rest);
    if (socket.isPaused()) socket.resume();
  }

  function onTimeout(): void {
    if (done) return;
    done = true;
    if (answered) socket.destroy();
    else {
      socket.end(o.timeoutAnswer);
      socket.destroySoon();
    }
  }

  /** The client closed its side: the answers written go out, then the connection closes (the
   * listener of node:http allows half-open connections, so this is not done for us). */
  function onEnd(): void {
    if (done) return;
    done = true;
    socket.end();
  }

  function onError(): void {
    done = true;
    socket.destroy();
  }

  function onDrain(): void {
    if (!done) socket.resume();
  }

  function onData(chunk: Buffer): void {
    if (done) return;
    let at = 0;
    while (at < chunk.length) {
      const end = chunk.indexOf("\r\n\r\n", at, "latin1");
      if (end < 0 || socket.writableLength > MAX_QUEUED) break;
      const req = parseHead(chunk.toString("latin1", at, end));
      const a = req === null ? null : o.answer(req);
      const bytes = a === null ? null : answerBytes(a, httpDate(), keepAliveSeconds, take);
      if (bytes === null) break;
      if (reuse) {
        writing.push(bytes);
        socket.write(bytes, written);
      } else socket.write(bytes);
      at = end + 4;
      if (!answered) {
        answered = true;
        socket.setTimeout(o.idleTimeoutMs);
      }
    }
    if (at < chunk.length) return handOver(at === 0 ? chunk : chunk.subarray(at));
    // A client that does not read its answers is not read from until they are written.
    if (socket.writableNeedDrain) socket.pause();
  }

  // One write per answer: sent at once, not held back waiting for the last one's ACK.
  socket.setNoDelay(true);
  socket.on("data", onData);
  socket.on("timeout", onTimeout);
  socket.on("drain", onDrain);
  socket.on("error", onError);
  socket.on("end", onEnd);
  socket.setTimeout(o.headersTimeoutMs);
}
