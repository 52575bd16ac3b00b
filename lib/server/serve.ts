/**
 * `serve`: the HTTP API on a TCP port, with one log line per request and a clean stop on
 * SIGINT/SIGTERM, an abort signal or `shutdown()`.
 *
 * @module
 */

import { H4Error } from "../format/errors.ts";
import { createHandler, type Handler, type HandlerOptions } from "./handler.ts";
import { resolveLimits, type ServerLimits } from "./limits.ts";
import { listen, type Transport } from "./transport.ts";
import { type AnswerHook, createFastFiles, STAT_REUSE_MS } from "./fast_files.ts";

/** Default port of `h4mk serve`. */
export const DEFAULT_PORT = 8080;
/** Default address: loopback only. */
export const DEFAULT_HOST = "127.0.0.1";

/** Options of {@linkcode serve}. */
export interface ServeOptions extends HandlerOptions, ServerLimits {
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** Port; default 8080, 0 = any free port. */
  port?: number;
  /** Stops the server when aborted. */
  signal?: AbortSignal;
  /** Receives one line per request: time, method, path, status, bytes, ms. Default: stdout, in batches. */
  log?: (line: string) => void;
  /** Stop on SIGINT and SIGTERM; default true. */
  handleSignals?: boolean;
}

/** A running server. */
export interface Server {
  /** Bound address (the real port when 0 was asked for). */
  addr: Deno.NetAddr;
  /** Settles when the server has stopped and released its files. */
  finished: Promise<void>;
  /** Stops accepting connections, lets requests in flight finish, then resolves. */
  shutdown(): Promise<void>;
}

/**
 * Serves the containers of `root` (SPEC.md section 16).
 *
 * @example
 * ```ts
 * import { serve } from "./serve.ts";
 * import assert from "node:assert/strict";
 * const server = await serve({ root: await Deno.makeTempDir(), port: 0, log: () => {} });
 * const res = await fetch(`http://127.0.0.1:${server.addr.port}/openapi.json`);
 * assert(res.status === 200);
 * await res.body?.cancel();
 * await server.shutdown();
 * ```
 */
export async function serve(opts: ServeOptions): Promise<Server> {
  const host = opts.host ?? DEFAULT_HOST;
  const port = opts.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new H4Error("H4_BAD_ARGUMENT", `port must be 0..65535, got ${port}`);
  }
  const stdout = opts.log ? null : bufferedStdout();
  const log = opts.log ?? stdout!.log;
  const handler = createHandler({
    ...opts,
    onError: opts.onError ?? ((e) => log(`error: ${e instanceof Error ? e.stack : String(e)}`)),
  });
  const limits = resolveLimits(opts);
  const stop = new AbortController();
  const fastFiles = createFastFiles(
    opts.root,
    opts.nameCacheMs ?? 1000,
    STAT_REUSE_MS,
    fastLogLine(log),
  );
  let transport: Transport;
  try {
    transport = await listen(logged(handler, log), {
      host,
      port,
      limits,
      log,
      fast: fastFiles.answer,
    });
  } catch (e) {
    fastFiles.close();
    await handler.close();
    const why = e instanceof Error ? e.message : String(e);
    throw new H4Error("H4_IO", `cannot listen on ${host}:${port}: ${why}`, { cause: e });
  }
  const addr = transport.addr;
  const stopped = new Promise<void>((r) => stop.signal.addEventListener("abort", () => r()));

  const onSignal = () => stop.abort();
  const signals: Deno.Signal[] = opts.handleSignals === false ? [] : ["SIGINT", "SIGTERM"];
  const added: Deno.Signal[] = [];
  for (const s of signals) {
    try {
      Deno.addSignalListener(s, onSignal);
      added.push(s);
    } catch {
      // Not every platform has every signal (Windows has no SIGTERM).
    }
  }
  const onAbort = () => stop.abort();
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  if (opts.signal?.aborted) stop.abort();

  const finished = stopped.then(() => transport.close()).finally(async () => {
    for (const s of added) Deno.removeSignalListener(s, onSignal);
    opts.signal?.removeEventListener("abort", onAbort);
    fastFiles.close();
    await handler.close();
    await stdout?.flush();
  });
  return {
    addr,
    finished,
    async shutdown(): Promise<void> {
      stop.abort(); // the same graceful stop as a signal: in-flight requests finish
      await finished;
    },
  };
}

/**
 * The default log: lines to stdout, written in batches (at most every 50 ms) because one
 * synchronous write per request would halve the server's throughput.
 */
function bufferedStdout(): { log: (line: string) => void; flush: () => Promise<void> } {
  const encoder = new TextEncoder();
  let pending: string[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let writing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    if (pending.length > 0) {
      const bytes = encoder.encode(pending.join("\n") + "\n");
      pending = [];
      writing = writing.then(async () => {
        for (let o = 0; o < bytes.length;) o += await Deno.stdout.write(bytes.subarray(o));
      }).catch(() => {/* stdout closed: logging must not stop the server */});
    }
    return writing;
  };
  return {
    log(line: string) {
      pending.push(line);
      if (pending.length >= 1024) void flush();
      else if (timer === null) timer = setTimeout(flush, 50);
    },
    flush,
  };
}

/**
 * The log line of every request answered by the fast path (the same line as `logged`), given
 * once its answer is sure to be sent (see createFastFiles).
 */
function fastLogLine(log: (line: string) => void): AnswerHook {
  // The time of the line, made once a millisecond (many answers share one).
  let ms = -1;
  let iso = "";
  return (req, a, t0) => {
    const now = Date.now();
    if (now !== ms) {
      ms = now;
      iso = new Date(now).toISOString();
    }
    log(
      `${iso} ${req.method} ${req.url} ${a.status} ${a.head ? 0 : a.length} ${
        (performance.now() - t0).toFixed(1)
      }ms`,
    );
  };
}

/** Adds the log line of every request. */
function logged(
  handler: Handler,
  log: (line: string) => void,
): (req: Request) => Promise<Response> {
  return async (req: Request): Promise<Response> => {
    const t0 = performance.now();
    const url = new URL(req.url);
    const res = await handler(req);
    const line = (bytes: number) =>
      `${
        new Date().toISOString()
      } ${req.method} ${url.pathname}${url.search} ${res.status} ${bytes} ${
        (performance.now() - t0).toFixed(1)
      }ms`;
    if (req.method === "HEAD") {
      log(line(0));
      return res;
    }
    const length = res.headers.get("content-length");
    if (length !== null) {
      // The length is known: no need to count the body as it goes. (Reading `res.body` would
      // also turn a byte body into a stream and lose Deno's fast path.)
      log(line(Number(length)));
      return res;
    }
    if (!res.body) {
      log(line(0));
      return res;
    }
    let bytes = 0;
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        log(line(bytes));
      }
    };
    const counted = res.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          bytes += chunk.length;
          controller.enqueue(chunk);
        },
        flush: finish,
        cancel: finish,
      }),
    );
    return new Response(counted, res);
  };
}
