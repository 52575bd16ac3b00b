/**
 * The HTTP/1.1 transport of `serve`: `node:http` carrying a fetch-style handler. It is used
 * instead of `Deno.serve` because it bounds connections and slow clients (SPEC.md
 * H4-HTTP-016, 017), and with the connection limit kept under the process's descriptor limit
 * it never runs out of descriptors to accept with (`Deno.serve` ends with "Too many open
 * files"; a listener whose accept fails may stop accepting for good).
 *
 * @module
 */

import http from "node:http";
import { setImmediate } from "node:timers";
import type { AddressInfo, Socket } from "node:net";
import { errorResponse, HttpError } from "./http_error.ts";
import { connectionBudget, type ResolvedLimits } from "./limits.ts";
import { rawPathError } from "./names.ts";
import { watchListener } from "./listener_watch.ts";
import type { FastAnswer, FastRequest } from "./fast_files.ts";
import { front } from "./fast_front.ts";
import { createAnswerPool } from "./answer_pool.ts";

/** A listening transport. */
export interface Transport {
  /** Bound address. */
  addr: Deno.NetAddr;
  /** Stops accepting, lets requests in flight finish, closes idle connections, then resolves. */
  close(): Promise<void>;
}

/** Options of {@linkcode listen}. */
export interface TransportOptions {
  /** Address to bind. */
  host: string;
  /** Port, 0 = any free port. */
  port: number;
  /** Connection limits and timeouts. */
  limits: ResolvedLimits;
  /** Receives transport errors (accept failures, bad requests), at most one line per second. */
  log: (line: string) => void;
  /**
   * Answers the hot requests before a Request object is made (see fast_files.ts); null passes
   * the request on to the handler.
   */
  fast?: (req: FastRequest) => FastAnswer | null;
}

/**
 * Listens on `host:port` and answers each request with `handler`. The raw request target is
 * checked before it is parsed as a URL, since URL parsing removes `.` and `..` segments
 * (H4-HTTP-011). Malformed requests (a bad chunk size, an oversized head) and timeouts are
 * answered with the JSON error of H4-HTTP-015 before the connection is closed.
 *
 * @example
 * ```ts
 * import { listen } from "./transport.ts";
 * import { resolveLimits } from "./limits.ts";
 * import assert from "node:assert/strict";
 * const t = await listen(() => Promise.resolve(new Response("hi")), {
 *   host: "127.0.0.1", port: 0, limits: resolveLimits({}), log: () => {},
 * });
 * const res = await fetch(`http://127.0.0.1:${t.addr.port}/`);
 * assert(await res.text() === "hi");
 * await t.close();
 * ```
 */
export function listen(
  handler: (req: Request) => Promise<Response>,
  opts: TransportOptions,
): Promise<Transport> {
  const { limits } = opts;
  const log = throttled(opts.log);
  const server = http.createServer({
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.idleTimeoutMs,
    // The largest request head, as Deno.serve and nginx (in their order of size) allow.
    maxHeaderSize: 64 * 1024,
  });
  server.maxConnections = connectionBudget(limits.maxConnections);
  // Timers of headersTimeout/requestTimeout are checked at this period.
  (server as unknown as { connectionsCheckingInterval?: number }).connectionsCheckingInterval = Math
    .min(1000, limits.headersTimeoutMs);
  const sockets = new Set<Socket>();
  const busy = new Set<Socket>();
  /** Connections the front holds (not yet handed to node:http). */
  const held = new Set<Socket>();
  let lastAccept = performance.now();
  // node:http's own connection listener runs only when the front hands a connection over.
  const httpConnection = server.listeners("connection")[0] as (s: Socket) => void;
  server.removeListener("connection", httpConnection);
  const fast = opts.fast;
  const frontOptions = fast && {
    answer: fast,
    handOver(s: Socket) {
      held.delete(s);
      httpConnection.call(server, s);
    },
    headersTimeoutMs: limits.headersTimeoutMs,
    idleTimeoutMs: limits.idleTimeoutMs,
    timeoutAnswer: clientErrorText(
      408,
      "HTTP_REQUEST_TIMEOUT",
      "the request did not arrive in time",
    ),
    pool: createAnswerPool(),
  };
  server.on("connection", (s: Socket) => {
    lastAccept = performance.now();
    sockets.add(s);
    s.on("close", () => {
      sockets.delete(s);
      busy.delete(s);
      held.delete(s);
    });
    if (frontOptions) {
      held.add(s);
      front(s, frontOptions);
    } else httpConnection.call(server, s);
  });
  // An accept error (EMFILE, ENFILE, ECONNABORTED) must not end the server: node:net keeps
  // listening and retries with backoff; without this listener the error event would throw.
  server.on("error", (e: Error) => log(`error: accept: ${oneLine(e)}`));
  server.on("clientError", (e: Error & { code?: string }, socket: Socket) => {
    if (!socket.writable) return socket.destroy();
    const [status, message] = clientErrorAnswer(e.code);
    log(`refused: ${status} before routing (${e.code ?? "?"})`);
    const code = status === 400 ? "H4_BAD_ARGUMENT" : "HTTP_REQUEST_TIMEOUT";
    socket.end(clientErrorText(status, code, message));
  });
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket;
    busy.add(socket);
    res.on("close", () => busy.delete(socket));
    const quick = fast?.(req) ?? null;
    const body = quick === null || quick.head ? null : new Uint8Array(quick.length);
    if (quick !== null && (body === null || quick.read(body, 0))) {
      req.resume();
      res.writeHead(quick.status, quick.headers);
      res.end(body ?? undefined);
      return;
    }
    answer(handler, req, res).catch((e) => {
      log(`error: ${oneLine(e)}`);
      res.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    const fail = (e: Error) => reject(e);
    server.once("error", fail);
    server.listen(opts.port, opts.host, () => {
      server.off("error", fail);
      const a = server.address() as AddressInfo;
      let closing = false;
      let relistening = false;
      const stopWatch = watchListener({
        port: a.port,
        lastAccept: () => lastAccept,
        relisten() {
          if (closing || relistening) return;
          relistening = true;
          log("error: the listener stopped accepting; listening again");
          // close() stops listening at once; connections in flight go on.
          server.close();
          server.listen(a.port, a.address, () => {
            relistening = false;
            lastAccept = performance.now();
          });
          // A listen that fails (no descriptor yet) is retried at the next check.
          server.once("error", () => relistening = false);
        },
      });
      resolve({
        addr: { transport: "tcp", hostname: a.address, port: a.port },
        close: () =>
          new Promise<void>((done) => {
            closing = true;
            stopWatch();
            server.close(() => done());
            server.closeIdleConnections();
            // Connections without a request in flight (idle, or a head not finished) close now;
            // those of the front once their answers are written.
            for (const s of sockets) {
              if (held.has(s)) s.destroySoon();
              else if (!busy.has(s)) s.destroy();
            }
          }),
      });
    });
  });
}

/** A JSON error answer written straight to a socket, which is closed after it. */
function clientErrorText(status: number, code: string, message: string): string {
  const body = JSON.stringify({ error: { code, message } });
  return `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: application/json; ` +
    `charset=utf-8\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`;
}

/** Status and message of a request node:http refused before it reached the handler. */
function clientErrorAnswer(code: string | undefined): [number, string] {
  switch (code) {
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return [408, "the request did not arrive in time"];
    case "HPE_HEADER_OVERFLOW":
      return [400, "request head over 64 KiB"];
    case "HPE_INVALID_CHUNK_SIZE":
      return [400, "bad chunk size in a chunked body"];
    default:
      return [400, `malformed request (${code ?? "unknown"})`];
  }
}

/** Carries one request to the handler and its answer back, with backpressure. */
async function answer(
  handler: (req: Request) => Promise<Response>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const target = req.url ?? "/";
  let response: Response;
  const bad = rawPathError(target);
  if (bad) {
    req.resume();
    response = errorResponse(bad);
  } else {
    const headers = new Headers();
    const raw = req.rawHeaders;
    try {
      for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i], raw[i + 1]);
    } catch {
      req.resume();
      return send(
        res,
        errorResponse(new HttpError(400, "H4_BAD_ARGUMENT", "malformed request header")),
      );
    }
    const method = req.method ?? "GET";
    const hasBody = method !== "GET" && method !== "HEAD";
    // No abort signal: a client that goes away cancels the answer's body in `send`, and an
    // upload's end is seen by its stream (a signal per request costs more than it gives).
    const body = hasBody ? bodyOf(req, res) : null;
    const request = new Request(`http://${hostOf(headers)}${target}`, {
      method,
      headers,
      body: body?.stream ?? null,
      // @ts-ignore: needed by the fetch spec for a stream body
      duplex: "half",
    });
    if (!hasBody) req.resume();
    response = await handler(request);
    // An answer given before the body was read to its end (a 413 for a declared length over
    // the limit): the rest is read and dropped while the answer goes out, as a cancel does.
    if (body && !req.complete) body.drop();
  }
  await send(res, response);
}

/** A URL authority for the Request (the handler reads only the path and query). */
function hostOf(h: Headers): string {
  const host = h.get("host") ?? "";
  return /^[A-Za-z0-9.\-:[\]]{1,255}$/.test(host) ? host : "localhost";
}

/**
 * The request body as a pull stream (node pauses reading while the handler does not pull), and
 * `drop`, which reads and discards the rest.
 */
function bodyOf(
  req: http.IncomingMessage,
  res: http.ServerResponse,
): { stream: ReadableStream<Uint8Array>; drop(): void } {
  req.pause();
  let discard = false;
  let waiting: (() => void) | null = null;
  let ended = false;
  let failed: Error | null = null;
  const chunks: Uint8Array[] = [];
  req.on("data", (c: Uint8Array) => {
    if (discard) return;
    chunks.push(c);
    req.pause();
    waiting?.();
  });
  req.on("end", () => {
    ended = true;
    waiting?.();
  });
  req.on("error", (e: Error) => {
    failed = e;
    waiting?.();
  });
  req.on("aborted", () => {
    failed = new Error("client closed the upload");
    waiting?.();
    // The client half-closed before the declared length: answer at once, while the socket can
    // still be written (node:http tears it down right after); the handler's answer is dropped.
    if (!res.headersSent && res.writable) {
      const body = JSON.stringify({
        error: {
          code: "H4_BAD_ARGUMENT",
          message: "the request body ended before its Content-Length",
        },
      });
      res.writeHead(400, {
        "content-type": "application/json; charset=utf-8",
        "content-length": String(body.length),
        connection: "close",
      });
      res.end(body);
    }
  });
  // The rest of the body is read and dropped while the answer is sent, and after it (a lingering
  // close): closing while the client still sends would reset the connection, and the client,
  // failing on its write, would never read the answer. A client that goes on past LINGER_BYTES,
  // or LINGER_MS after the answer, is cut off; one that ends its body keeps its connection.
  let dropping = false;
  function drop(): void {
    discard = true;
    chunks.length = 0;
    req.resume();
    if (dropping || req.complete) return;
    dropping = true;
    let dropped = 0;
    req.on("data", (c: Uint8Array) => {
      dropped += c.length;
      if (dropped > LINGER_BYTES) req.socket.destroy();
    });
    res.on("finish", () => {
      if (req.complete) return;
      const t = setTimeout(() => req.socket.destroy(), LINGER_MS);
      req.once("end", () => clearTimeout(t));
      req.socket.once("close", () => clearTimeout(t));
    });
  }
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (chunks.length === 0 && !ended && !failed) {
        const p = new Promise<void>((r) => waiting = r);
        req.resume();
        await p;
        waiting = null;
      }
      if (chunks.length > 0) {
        const c = chunks.shift()!;
        controller.enqueue(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
      } else if (failed) controller.error(failed);
      else controller.close();
    },
    cancel: drop,
  });
  return { stream, drop };
}

/** An unread upload dropped after its answer: at most this many bytes (64 MiB)... */
const LINGER_BYTES = 64 << 20;
/** ...and for at most this long after the answer (5 s), then the connection is cut. */
const LINGER_MS = 5_000;

/** Bodies of a known length up to this (256 KiB) are read whole and written at once. */
const SMALL_BODY = 256 * 1024;

/** Writes a Response, waiting for the socket to drain between chunks. */
async function send(res: http.ServerResponse, response: Response): Promise<void> {
  if (res.headersSent) {
    // Already answered (an upload that ended early): drop this answer.
    await response.body?.cancel().catch(() => {});
    return;
  }
  res.statusCode = response.status;
  const close = res.getHeader("connection");
  for (const [k, v] of response.headers) res.setHeader(k, v);
  if (close !== undefined) res.setHeader("connection", close);
  if (!response.body) {
    res.end();
    return;
  }
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared <= SMALL_BODY) {
    // A small body of known length in one write: most answers (ranges, seeks, errors).
    let bytes: Uint8Array;
    try {
      bytes = await response.bytes();
    } catch {
      res.destroy();
      return;
    }
    res.end(bytes);
    return;
  }
  const reader = response.body.getReader();
  let closed = false;
  const onClose = () => {
    closed = true;
    reader.cancel().catch(() => {});
  };
  res.on("close", onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (closed) return;
      if (!res.write(value)) {
        await new Promise<void>((r) => {
          res.once("drain", r);
          res.once("close", r);
        });
      }
      // Let other connections in between pieces: a body produced as fast as it is written
      // (a block decoded while it is sent) would otherwise keep the event loop to itself.
      await new Promise<void>((r) => setImmediate(r));
    }
    res.end();
  } catch {
    // A body that fails midway (a file that shrank, a damaged block): the client sees a short
    // body and a closed connection, never a well-formed wrong answer.
    res.destroy();
  } finally {
    res.off("close", onClose);
  }
}

function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0];
}

/** Passes at most one line per second and counts the lines dropped meanwhile. */
function throttled(log: (line: string) => void): (line: string) => void {
  let last = -Infinity;
  let dropped = 0;
  return (line) => {
    const now = performance.now();
    if (now - last < 1000) {
      dropped++;
      return;
    }
    last = now;
    log(dropped > 0 ? `${line} (and ${dropped} more)` : line);
    dropped = 0;
  };
}
