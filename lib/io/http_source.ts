/**
 * A {@linkcode ByteSource} over HTTP Range requests, so that a container can be opened,
 * seeked and read where it is served, without downloading it.
 *
 * The first request is a suffix range (`Range: bytes=-65536`): its `Content-Range` gives the
 * size and its bytes (LOCA, the seek tables, TDIR, TRKS, META and SAFE, SPEC.md section 7) are
 * kept to answer the reader's first reads. A cold open, a seek and one block are therefore two
 * requests. Every answer is checked against the range asked for and against the validator
 * (ETag, Last-Modified) of the first answer, so a source either returns the right bytes or
 * throws an {@linkcode H4Error}; it never returns bytes of another version of the file.
 *
 * @module
 */

import { H4Error } from "../format/errors.ts";
import type { ByteSource } from "../format/types.ts";
import { parseContentRange } from "./content_range.ts";
import { discard, readBody, readUpTo } from "./http_body.ts";
import { Retryable, type RetryPolicy, withRetries as retrying } from "./http_retry.ts";
import { createRangeCache } from "./range_cache.ts";

export { parseContentRange } from "./content_range.ts";

/** Bytes asked for by the first request (a suffix range); SPEC.md section 7's probe. */
export const DEFAULT_TAIL_PROBE = 65536;
/** Largest body accepted from a server that ignores Range and answers 200 with the whole file. */
export const DEFAULT_MAX_FULL_BODY = 1 << 20;
/** Retries after a failed attempt (network error, 5xx, 408, 429, short body). */
export const DEFAULT_RETRIES = 3;
/** Budget of the cache of recently fetched ranges, besides the tail. */
export const DEFAULT_CACHE_BYTES = 4 << 20;
/** Default total time budget of one open or read, ms (`timeout`). */
export const DEFAULT_TIMEOUT = 120_000;
/** Largest read or probe this source accepts in one call (a block's limit, SPEC.md 13). */
const MAX_READ = 1 << 30;

/** Options of {@linkcode openHttpSource}. */
export interface HttpSourceOptions {
  /** The fetch to use (tests, proxies); default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Retries after a failed attempt; default 3. */
  retries?: number;
  /** Extra request headers (authorization, cookies). Range and conditionals are ours. */
  headers?: HeadersInit;
  /** Bytes of the suffix range of the first request; default 65536. */
  tailProbe?: number;
  /** Largest whole body accepted from a server without Range support; default 1 MiB. */
  maxFullBody?: number;
  /** Budget in bytes of the cache of recently fetched ranges; default 4 MiB, 0 = none. */
  cacheBytes?: number;
  /** First retry delay in ms; doubles on every retry, capped at 2 s. Default 100. */
  retryDelayMs?: number;
  /** Time limit of one request including its body, in ms; default 30000. */
  timeoutMs?: number;
  /**
   * Total time budget of one open or read, every attempt and wait between them included, in
   * ms; default 120000. When it runs out the read fails with `H4_IO` saying so.
   */
  timeout?: number;
  /** Aborts every request of the source. */
  signal?: AbortSignal;
}

/** Counters of an {@linkcode HttpSource}. */
export interface HttpSourceStats {
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Body bytes received. */
  bytes: number;
  /** Requests that were retries of a failed attempt. */
  retries: number;
  /** Reads answered from the tail or range cache without a request. */
  cacheHits: number;
}

/** A {@linkcode ByteSource} over HTTP, with request counters. */
export interface HttpSource extends ByteSource {
  /** The resource read. */
  readonly url: string;
  /** Total size in bytes, from the first answer. */
  readonly size: number;
  /** Counters, updated as requests are made. */
  readonly stats: HttpSourceStats;
  /** Strong ETag of the first answer, or null. */
  readonly etag: string | null;
  /** Last-Modified of the first answer, or null. */
  readonly lastModified: string | null;
  /** Reads exactly `length` bytes at `offset`. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Aborts requests in flight; later reads fail with `H4_IO`. */
  close(): void;
}

/**
 * Opens `url` for random access with one suffix-range request.
 *
 * Throws `H4_BAD_ARGUMENT` (not an http(s) URL, bad option), `H4_RANGE_UNSUPPORTED` (the server
 * answers 200 with a body over `maxFullBody`), `H4_IO` (HTTP error, network error after the
 * retries, malformed answer), `H4_TRUNCATED` (bodies kept ending early).
 *
 * @example
 * ```ts
 * import { openHttpSource } from "./http_source.ts";
 * import assert from "node:assert/strict";
 * const bytes = new TextEncoder().encode("H4MK example bytes");
 * const fakeFetch = (_: RequestInfo | URL, init?: RequestInit) => {
 *   const range = new Headers(init?.headers).get("range")!; // "bytes=-65536"
 *   assert(range === "bytes=-65536");
 *   return Promise.resolve(new Response(bytes, {
 *     status: 206,
 *     headers: { "content-range": `bytes 0-${bytes.length - 1}/${bytes.length}` },
 *   }));
 * };
 * const src = await openHttpSource("http://example.test/a.h4mk", { fetch: fakeFetch });
 * assert(src.size === bytes.length && src.stats.requests === 1);
 * assert(new TextDecoder().decode(await src.read(0, 4)) === "H4MK");
 * ```
 */
export async function openHttpSource(
  url: string | URL,
  opts: HttpSourceOptions = {},
): Promise<HttpSource> {
  const target = parseUrl(url);
  const doFetch = opts.fetch ?? globalThis.fetch;
  const retries = intOption("retries", opts.retries, DEFAULT_RETRIES, 0, 100);
  const tailProbe = intOption("tailProbe", opts.tailProbe, DEFAULT_TAIL_PROBE, 1, MAX_READ);
  const maxFullBody = intOption(
    "maxFullBody",
    opts.maxFullBody,
    DEFAULT_MAX_FULL_BODY,
    0,
    MAX_READ,
  );
  const cacheBytes = intOption("cacheBytes", opts.cacheBytes, DEFAULT_CACHE_BYTES, 0, MAX_READ);
  const retryDelayMs = intOption("retryDelayMs", opts.retryDelayMs, 100, 0, 60_000);
  const timeoutMs = intOption("timeoutMs", opts.timeoutMs, 30_000, 1, 3_600_000);
  const budgetMs = intOption("timeout", opts.timeout, DEFAULT_TIMEOUT, 1, 86_400_000);
  const baseHeaders = new Headers(opts.headers);
  const closer = new AbortController();
  const stats: HttpSourceStats = { requests: 0, bytes: 0, retries: 0, cacheHits: 0 };
  const label = target.href;

  let etag: string | null = null;
  let weakEtag: string | null = null;
  let lastModified: string | null = null;
  let size = 0;
  let tail: { start: number; bytes: Uint8Array } = { start: 0, bytes: new Uint8Array(0) };
  const recent = createRangeCache(cacheBytes);
  const policy: RetryPolicy = {
    label,
    retries,
    retryDelayMs,
    budgetMs,
    closed: closer.signal,
    signal: opts.signal,
    onRetry: () => stats.retries++,
  };
  const withRetries = <T>(what: string, attempt: (budget: AbortSignal) => Promise<T>) =>
    retrying(policy, what, attempt);
  const counted = (n: number) => stats.bytes += n;

  /** Sends one request; the caller must consume or cancel the body. */
  async function send(
    range: string,
    conditional: boolean,
    budget: AbortSignal,
  ): Promise<Response> {
    const headers = new Headers(baseHeaders);
    headers.set("range", range);
    // A compressed answer would make Content-Range count other bytes than ours.
    headers.set("accept-encoding", "identity");
    if (conditional) {
      // If-Match makes a changed file a 412; If-Range covers servers that ignore If-Match
      // (they answer 200, which is then checked against the validator).
      if (etag) {
        headers.set("if-match", etag);
        headers.set("if-range", etag);
      } else if (lastModified) {
        headers.set("if-unmodified-since", lastModified);
        headers.set("if-range", lastModified);
      }
    }
    const signals = [closer.signal, AbortSignal.timeout(timeoutMs), budget];
    if (opts.signal) signals.push(opts.signal);
    stats.requests++;
    let res: Response;
    try {
      res = await doFetch(target, { headers, signal: AbortSignal.any(signals) });
    } catch (e) {
      throw new Retryable(`request failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (res.status >= 500 || res.status === 408 || res.status === 429) {
      await discard(res);
      throw new Retryable(`HTTP ${res.status} ${res.statusText}`.trim());
    }
    const encoding = res.headers.get("content-encoding");
    if (encoding && encoding.toLowerCase() !== "identity") {
      await discard(res);
      throw new H4Error("H4_IO", `${label}: answer has Content-Encoding "${encoding}"`, {
        rule: "H4-HTTP-002",
      });
    }
    return res;
  }

  /** Checks that an answer comes from the same version of the file as the first one. */
  function checkValidators(res: Response): void {
    const e = res.headers.get("etag");
    const lm = res.headers.get("last-modified");
    if (e !== null && (etag ?? weakEtag) !== null && e !== (etag ?? weakEtag)) {
      throw new H4Error(
        "H4_SOURCE_CHANGED",
        `${label}: ETag changed from ${etag ?? weakEtag} to ${e}`,
        { rule: "H4-HTTP-003" },
      );
    }
    if (lm !== null && lastModified !== null && lm !== lastModified) {
      throw new H4Error(
        "H4_SOURCE_CHANGED",
        `${label}: Last-Modified changed from ${lastModified} to ${lm}`,
        { rule: "H4-HTTP-003" },
      );
    }
  }

  async function probe(): Promise<void> {
    await withRetries("opening", async (budget) => {
      const res = await send(`bytes=-${tailProbe}`, false, budget);
      if (res.status === 206) {
        const cr = parseContentRange(res.headers.get("content-range"));
        if (!cr || cr.start === null) {
          await discard(res);
          throw new H4Error(
            "H4_IO",
            `${label}: 206 answer with bad Content-Range ${
              JSON.stringify(res.headers.get("content-range"))
            }`,
            { rule: "H4-HTTP-002" },
          );
        }
        const want = Math.max(0, cr.total - tailProbe);
        if (cr.start !== want || cr.end !== cr.total - 1) {
          await discard(res);
          throw new H4Error(
            "H4_IO",
            `${label}: asked for the last ${tailProbe} bytes, got bytes ${cr.start}-${cr.end}/${cr.total}`,
            { rule: "H4-HTTP-002" },
          );
        }
        const bytes = await readBody(res, cr.end - cr.start + 1, label, counted);
        size = cr.total;
        tail = { start: cr.start, bytes };
      } else if (res.status === 200) {
        // No Range support: accept the whole body only when it is small.
        const declared = res.headers.get("content-length");
        const n = declared === null ? null : Number(declared);
        if (n !== null && (!Number.isSafeInteger(n) || n < 0)) {
          await discard(res);
          throw new H4Error("H4_IO", `${label}: bad Content-Length ${JSON.stringify(declared)}`);
        }
        if (n !== null && n > maxFullBody) {
          await discard(res);
          throw new H4Error(
            "H4_RANGE_UNSUPPORTED",
            `${label}: server ignores Range and sends the whole file (${n} bytes, limit ${maxFullBody})`,
            { rule: "H4-HTTP-004" },
          );
        }
        const bytes = n !== null
          ? await readBody(res, n, label, counted)
          : await readUpTo(res, maxFullBody, label, counted);
        size = bytes.length;
        tail = { start: 0, bytes };
      } else if (res.status === 416) {
        await discard(res);
        const cr = parseContentRange(res.headers.get("content-range"));
        if (cr && cr.start === null && cr.total === 0) {
          size = 0;
          tail = { start: 0, bytes: new Uint8Array(0) };
        } else {
          throw new H4Error("H4_IO", `${label}: HTTP 416 to a suffix range`);
        }
      } else {
        await discard(res);
        throw new H4Error("H4_IO", `${label}: HTTP ${res.status} ${res.statusText}`.trim());
      }
      const e = res.headers.get("etag");
      if (e !== null && !e.startsWith("W/")) etag = e;
      else weakEtag = e;
      lastModified = res.headers.get("last-modified");
    });
  }

  /** Fetches bytes `start .. start + length - 1` with one checked range request. */
  function fetchRange(start: number, length: number): Promise<Uint8Array> {
    const end = start + length - 1;
    return withRetries(`reading bytes ${start}-${end}`, async (budget) => {
      const res = await send(`bytes=${start}-${end}`, true, budget);
      if (res.status === 206) {
        try {
          checkValidators(res);
        } catch (e) {
          await discard(res);
          throw e;
        }
        const cr = parseContentRange(res.headers.get("content-range"));
        if (!cr || cr.start === null) {
          await discard(res);
          const ct = res.headers.get("content-type") ?? "";
          const what = ct.startsWith("multipart/") ? "a multipart answer" : "a bad Content-Range";
          throw new H4Error("H4_IO", `${label}: asked for bytes ${start}-${end}, got ${what}`, {
            rule: "H4-HTTP-002",
          });
        }
        if (cr.total !== size) {
          await discard(res);
          throw new H4Error(
            "H4_SOURCE_CHANGED",
            `${label}: size changed from ${size} to ${cr.total} bytes`,
            { rule: "H4-HTTP-003" },
          );
        }
        if (cr.start !== start || cr.end !== end) {
          await discard(res);
          throw new H4Error(
            "H4_IO",
            `${label}: asked for bytes ${start}-${end}, got bytes ${cr.start}-${cr.end}/${cr.total}`,
            { rule: "H4-HTTP-002" },
          );
        }
        return await readBody(res, length, label, counted);
      }
      await discard(res);
      if (res.status === 412) {
        throw new H4Error("H4_SOURCE_CHANGED", `${label}: file changed (HTTP 412 to If-Match)`, {
          rule: "H4-HTTP-003",
        });
      }
      if (res.status === 200) {
        checkValidators(res);
        if (etag === null && lastModified === null) {
          throw new H4Error(
            "H4_SOURCE_CHANGED",
            `${label}: HTTP 200 to a range request and no validator to tell whether the file changed`,
            { rule: "H4-HTTP-003" },
          );
        }
        throw new H4Error(
          "H4_RANGE_UNSUPPORTED",
          `${label}: HTTP 200 to a range request after a 206 for the same file`,
          { rule: "H4-HTTP-004" },
        );
      }
      if (res.status === 416) {
        const cr = parseContentRange(res.headers.get("content-range"));
        if (cr && cr.total !== size) {
          throw new H4Error(
            "H4_SOURCE_CHANGED",
            `${label}: size changed from ${size} to ${cr.total} bytes`,
            { rule: "H4-HTTP-003" },
          );
        }
        throw new H4Error("H4_IO", `${label}: HTTP 416 for bytes ${start}-${end} of ${size}`);
      }
      if (res.status === 404 || res.status === 410) {
        throw new H4Error("H4_SOURCE_CHANGED", `${label}: HTTP ${res.status}, file is gone`, {
          rule: "H4-HTTP-003",
        });
      }
      throw new H4Error("H4_IO", `${label}: HTTP ${res.status} ${res.statusText}`.trim());
    });
  }

  await probe();

  const source: HttpSource = {
    url: label,
    get size() {
      return size;
    },
    stats,
    get etag() {
      return etag;
    },
    get lastModified() {
      return lastModified;
    },
    async read(offset: number, length: number): Promise<Uint8Array> {
      if (
        !Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 ||
        length < 0
      ) {
        throw new H4Error("H4_BAD_ARGUMENT", `read(${offset}, ${length}): not a byte range`);
      }
      if (offset + length > size) {
        throw new H4Error(
          "H4_TRUNCATED",
          `read of ${length} bytes at ${offset} runs past the end (${size} bytes)`,
          { offset },
        );
      }
      if (length > MAX_READ) {
        throw new H4Error("H4_LIMIT_EXCEEDED", `read of ${length} bytes is over 1 GiB`);
      }
      if (closer.signal.aborted) throw new H4Error("H4_IO", `${label}: source is closed`);
      if (length === 0) return new Uint8Array(0);
      const tailEnd = tail.start + tail.bytes.length;
      if (offset >= tail.start && offset + length <= tailEnd) {
        stats.cacheHits++;
        return tail.bytes.slice(offset - tail.start, offset - tail.start + length);
      }
      const hit = recent.get(offset, length);
      if (hit) {
        stats.cacheHits++;
        return hit;
      }
      if (offset < tail.start && offset + length > tail.start && tail.bytes.length > 0) {
        // Only the part before the cached tail goes over the network.
        const head = await fetchRange(offset, tail.start - offset);
        const out = new Uint8Array(length);
        out.set(head, 0);
        out.set(tail.bytes.subarray(0, offset + length - tail.start), head.length);
        return out;
      }
      const bytes = await fetchRange(offset, length);
      recent.remember(offset, bytes);
      return bytes.slice();
    },
    close(): void {
      closer.abort();
      tail = { start: 0, bytes: new Uint8Array(0) };
      recent.clear();
    },
  };
  return source;
}

function parseUrl(url: string | URL): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new H4Error("H4_BAD_ARGUMENT", `not a URL: ${JSON.stringify(String(url))}`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") {
    throw new H4Error("H4_BAD_ARGUMENT", `not an http(s) URL: ${u.protocol}`);
  }
  return u;
}

function intOption(
  name: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `${name} must be an integer in ${min}..${max}, got ${value}`,
    );
  }
  return value;
}
