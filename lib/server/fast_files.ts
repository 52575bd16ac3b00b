/**
 * The fast path of the hottest request of `serve`: `GET` or `HEAD` of `/files/NAME` with one
 * small byte range (what a remote reader and a player send all the time). It answers from a
 * short-lived table of open files, without the Request and Response objects of the general
 * handler, with the same status, headers and bytes (SPEC.md section 16). Anything else, or
 * anything unusual (a query, percent-encoding, a conditional header other than a matching
 * If-Match, a large or unsatisfiable range, a file that changed while it was read, an error
 * of any kind), is left to the general handler, which stays the one reference of the rules.
 *
 * @module
 */

import fs from "node:fs";
import { sep as SEPARATOR } from "node:path";
import { fileEtag, parseRange } from "./range.ts";
import { isUnderRoot } from "./names.ts";

/** Ranges up to this (64 KiB) are answered by the fast path; larger ones are streamed. */
export const FAST_RANGE_MAX = 64 * 1024;
/** Files kept open at once by the fast path. */
export const FAST_OPEN_FILES = 16;
/**
 * A request without validators reuses the stat of its file taken this recently (5 ms) rather
 * than stat it again (a stat costs about a fifth of such an answer). Requests with If-Match
 * always stat: a reader checking versions sees a change at once.
 */
export const STAT_REUSE_MS = 5;
/** A file the fast path has not used for this long (250 ms) is closed. */
const IDLE_CLOSE_MS = 250;

/** The request fields the fast path reads (those of a `node:http` request). */
export interface FastRequest {
  /** Method, upper case. */
  method?: string;
  /** Raw request target. */
  url?: string;
  /** Headers, lower-case names. */
  headers: Record<string, string | string[] | undefined>;
}

/** An answer of the fast path. */
export interface FastAnswer {
  /** 206. */
  status: number;
  /** Header names and values. */
  headers: Record<string, string>;
  /** Bytes of the body (also for HEAD, where none is sent). */
  length: number;
  /** HEAD: no body is sent. */
  head: boolean;
  /**
   * Reads the body into `out` at `at`, at once (before anything else runs); false when the
   * file ended first (it changed meanwhile): then nothing is to be sent, and the general
   * handler answers the request.
   */
  read(out: Uint8Array, at: number): boolean;
  /**
   * When given: writes the header lines of `headers` (each `name: value` and CRLF, in the
   * same order) into `out` at `at`, and returns where they end; at most `headBytes` bytes.
   * The front uses it instead of making the text of the headers per request.
   */
  writeHead?(out: Uint8Array, at: number): number;
  /** Upper bound of what `writeHead` writes. */
  headBytes?: number;
}

/** The fast path: an answer, or null for "ask the general handler". */
export interface FastFiles {
  /** Answers `req` when it is the hot case; never throws. */
  answer(req: FastRequest): FastAnswer | null;
  /** Closes the files kept open. */
  close(): void;
}

interface Open {
  /** Real path, checked under the root. */
  path: string;
  /** Descriptor (node:fs), read with positional reads. */
  fd: number;
  ino: number | null;
  /** Until when the name's resolution is trusted (as the general handler's name cache). */
  until: number;
  /** When it was last used. */
  used: number;
  /** When its path was last stat'ed. */
  checked: number;
  /** Validators of the version last seen. */
  size: number;
  mtimeMs: number;
  etag: string;
  lastModified: string;
  /** This version's header lines up to the value of content-length, as bytes. */
  prefix: Uint8Array;
}

/** A name the fast path takes: plain segments, none starting with a dot, no encoding. */
const PLAIN_TARGET =
  /^\/files\/(?:[A-Za-z0-9_\-][A-Za-z0-9_.\-]*\/)*[A-Za-z0-9_\-][A-Za-z0-9_.\-]*$/;

/** Called once per answer sure to be sent (the log line); `t0` is when the request was taken. */
export type AnswerHook = (req: FastRequest, answer: FastAnswer, t0: number) => void;

const EMPTY = new Uint8Array(0);
const LATIN1 = (text: string): Uint8Array => {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
};
const CONTENT_RANGE = LATIN1("\r\ncontent-range: bytes ");
const CRLF = LATIN1("\r\n");
/** The most digits of a range's numbers here (sizes up to 2^53). */
const DIGITS = 16;

/** The header lines of a version up to the value of content-length (see RangeAnswer.headers). */
function headPrefix(etag: string, lastModified: string): Uint8Array {
  return LATIN1(
    `accept-ranges: bytes\r\netag: ${etag}\r\nlast-modified: ${lastModified}\r\n` +
      "content-type: application/octet-stream\r\ncontent-length: ",
  );
}

/** `bytes=A-B`, A and B of 1 to 15 digits, nothing else: the form readers send. */
function plainRange(range: string): boolean {
  const n = range.length;
  if (n < 9 || n > 37 || !range.startsWith("bytes=")) return false;
  let dash = -1;
  for (let i = 6; i < n; i++) {
    const c = range.charCodeAt(i);
    if (c === 45 && dash < 0) dash = i;
    else if (c < 48 || c > 57) return false;
  }
  return dash > 6 && dash < n - 1 && dash - 6 <= 15 && n - dash - 1 <= 15;
}

/** Writes `n` (a whole number under 2^53) in decimal at `at`; returns where it ends. */
function writeDecimal(out: Uint8Array, at: number, n: number): number {
  let digits = 1;
  for (let p = 10; p <= n; p *= 10) digits++;
  for (let i = at + digits - 1; i >= at; i--) {
    out[i] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
  return at + digits;
}

/** The fast path's answer: 206 with one range of a file version (no closure per request). */
class RangeAnswer implements FastAnswer {
  readonly status = 206;
  readonly length: number;
  readonly headBytes: number;
  #entry: Open;
  #fd: number;
  #prefix: Uint8Array;
  #etag: string;
  #lastModified: string;
  #req: FastRequest;
  #t0: number;
  #hook: AnswerHook | null;
  constructor(
    entry: Open,
    req: FastRequest,
    readonly head: boolean,
    readonly start: number,
    readonly end: number,
    readonly size: number,
    t0: number,
    hook: AnswerHook | null,
  ) {
    this.length = end - start + 1;
    this.#entry = entry;
    this.#fd = entry.fd;
    this.#prefix = entry.prefix;
    this.#etag = entry.etag;
    this.#lastModified = entry.lastModified;
    this.#req = req;
    this.#t0 = t0;
    this.#hook = hook;
    this.headBytes = this.#prefix.length + CONTENT_RANGE.length + 4 * DIGITS + 2 + CRLF.length;
    if (head) hook?.(req, this, t0);
  }

  /** The headers, in the order the general handler sends them. */
  get headers(): Record<string, string> {
    return {
      "accept-ranges": "bytes",
      "etag": this.#etag,
      "last-modified": this.#lastModified,
      "content-type": "application/octet-stream",
      "content-length": String(this.length),
      "content-range": `bytes ${this.start}-${this.end}/${this.size}`,
    };
  }

  writeHead(out: Uint8Array, at: number): number {
    out.set(this.#prefix, at);
    at = writeDecimal(out, at + this.#prefix.length, this.length);
    out.set(CONTENT_RANGE, at);
    at = writeDecimal(out, at + CONTENT_RANGE.length, this.start);
    out[at++] = 45; // -
    at = writeDecimal(out, at, this.end);
    out[at++] = 47; // /
    at = writeDecimal(out, at, this.size);
    out.set(CRLF, at);
    return at + CRLF.length;
  }

  read(out: Uint8Array, at: number): boolean {
    const length = this.length;
    const start = this.start;
    try {
      for (let got = 0; got < length;) {
        const n = fs.readSync(this.#fd, out, at + got, length - got, start + got);
        // Shorter than its stat said: it changed meanwhile; the general handler answers,
        // and the next request here stats it again.
        if (n === 0) throw new Error("short");
        got += n;
      }
    } catch {
      this.#entry.checked = -Infinity;
      return false;
    }
    this.#hook?.(this.#req, this, this.#t0);
    return true;
  }
}

/** Request headers whose presence sends the request to the general handler. */
const CONDITIONAL = [
  "if-none-match",
  "if-modified-since",
  "if-unmodified-since",
  "if-range",
  "content-length",
  "transfer-encoding",
] as const;

/**
 * Makes the fast path for the containers under `root`. A resolved name is trusted for
 * `nameCacheMs` (default 1000, as the general handler; 0 = the fast path is off), and its
 * file is kept open meanwhile. The path is stat'ed again when the last stat is older than
 * `statReuseMs` (default {@linkcode STAT_REUSE_MS}) or the request has an If-Match, so a file
 * replaced (renamed over) is answered as the version at the path within that time, and until
 * then as the version opened: bytes and validators of one version, the one read. A file
 * changed in place (same inode) shows its new size and ETag within that time too; a file
 * that shrank meanwhile is left to the general handler. `onAnswer` is called once per answer
 * sure to be sent: when its body has been read (a GET), or when it is made (a HEAD).
 *
 * @example
 * ```ts
 * import { createFastFiles } from "./fast_files.ts";
 * import assert from "node:assert/strict";
 * const root = await Deno.makeTempDir();
 * await Deno.writeFile(`${root}/a.h4mk`, new Uint8Array([1, 2, 3, 4]));
 * const fast = createFastFiles(root);
 * const a = fast.answer({ method: "GET", url: "/files/a.h4mk", headers: { range: "bytes=1-2" } });
 * const body = new Uint8Array(a!.length);
 * assert(a!.status === 206 && a!.read(body, 0) && body.join() === "2,3");
 * assert(fast.answer({ method: "GET", url: "/files/a.h4mk", headers: {} }) === null);
 * fast.close();
 * ```
 */
export function createFastFiles(
  root: string,
  nameCacheMs = 1000,
  statReuseMs = STAT_REUSE_MS,
  onAnswer: AnswerHook | null = null,
): FastFiles {
  const rootReal = Deno.realPathSync(root);
  const open = new Map<string, Open>();
  let sweeper: ReturnType<typeof setTimeout> | null = null;

  function drop(target: string, o: Open): void {
    if (open.get(target) === o) open.delete(target);
    try {
      fs.closeSync(o.fd);
    } catch { /* closed */ }
  }

  /** Closes the files not used lately or whose names are no longer trusted: none is held long. */
  function sweep(): void {
    sweeper = null;
    const now = performance.now();
    for (const [target, o] of open) {
      if (o.until <= now || o.used <= now - IDLE_CLOSE_MS) drop(target, o);
    }
    if (open.size > 0) schedule();
  }

  function schedule(): void {
    if (sweeper !== null) return;
    const t = setTimeout(sweep, Math.min(nameCacheMs, IDLE_CLOSE_MS));
    Deno.unrefTimer(t);
    sweeper = t;
  }

  /** Resolves and opens a name as the general handler would; null when it does not. */
  function resolve(target: string, now: number): Open | null {
    if (target.length > 1024 + 7 || !PLAIN_TARGET.test(target)) return null;
    const segments = target.slice("/files/".length).split("/");
    const n = segments.length;
    // NAME/manifest, NAME/seek and NAME/block/N may be API routes: the general handler decides.
    if (n >= 2 && (segments[n - 1] === "manifest" || segments[n - 1] === "seek")) return null;
    if (n >= 3 && segments[n - 2] === "block") return null;
    let path: string;
    try {
      path = Deno.realPathSync(rootReal + SEPARATOR + segments.join(SEPARATOR));
    } catch {
      return null;
    }
    if (!isUnderRoot(rootReal, path)) return null;
    let fd: number;
    try {
      fd = fs.openSync(path, "r");
    } catch {
      return null;
    }
    try {
      const info = fs.fstatSync(fd);
      if (!info.isFile()) throw new Error("not a file");
      while (open.size >= FAST_OPEN_FILES) {
        const [oldTarget, old] = open.entries().next().value!;
        drop(oldTarget, old);
      }
      const o: Open = {
        path,
        fd,
        ino: info.ino,
        until: now + nameCacheMs,
        used: now,
        checked: -Infinity,
        size: -1,
        mtimeMs: -1,
        etag: "",
        lastModified: "",
        prefix: EMPTY,
      };
      open.set(target, o);
      schedule();
      return o;
    } catch {
      fs.closeSync(fd);
      return null;
    }
  }

  function answer(req: FastRequest): FastAnswer | null {
    const method = req.method;
    if ((method !== "GET" && method !== "HEAD") || nameCacheMs <= 0) return null;
    const h = req.headers;
    const range = h.range;
    if (typeof range !== "string") return null;
    for (const name of CONDITIONAL) if (h[name] !== undefined) return null;
    const target = req.url ?? "";
    const now = performance.now();
    let o = open.get(target);
    if (o !== undefined && o.until <= now) {
      drop(target, o);
      o = undefined;
    }
    o ??= resolve(target, now) ?? undefined;
    if (o === undefined) return null;
    o.used = now;
    try {
      const ifMatch = h["if-match"];
      if (ifMatch !== undefined || now - o.checked >= statReuseMs) {
        // The version at the path now: a file replaced since it was opened (a rename) is
        // opened again, once.
        let info = Deno.statSync(o.path);
        if (info.ino !== o.ino) {
          drop(target, o);
          o = resolve(target, now) ?? undefined;
          if (o === undefined) return null;
          info = Deno.statSync(o.path);
        }
        if (!info.isFile || info.ino !== o.ino) {
          drop(target, o);
          return null;
        }
        o.checked = now;
        const mtimeMs = info.mtime?.getTime() ?? 0;
        if (info.size !== o.size || mtimeMs !== o.mtimeMs) {
          o.size = info.size;
          o.mtimeMs = mtimeMs;
          o.etag = fileEtag(info.size, mtimeMs, info.ino);
          o.lastModified = new Date(mtimeMs).toUTCString();
          o.prefix = headPrefix(o.etag, o.lastModified);
        }
      }
      if (ifMatch !== undefined && ifMatch !== o.etag) return null;
      const size = o.size;
      let start = -1;
      let end = -1;
      if (plainRange(range)) {
        // "bytes=A-B" of at most 15 digits each: read here, as parseRange would.
        const dash = range.indexOf("-", 6);
        start = Number(range.slice(6, dash));
        end = Number(range.slice(dash + 1));
        if (end < start || start >= size) return null;
        if (end > size - 1) end = size - 1;
      } else {
        const r = parseRange(range, size);
        if (r.kind !== "partial") return null;
        start = r.start;
        end = r.end;
      }
      const length = end - start + 1;
      if (length > FAST_RANGE_MAX) return null;
      return new RangeAnswer(o, req, method === "HEAD", start, end, size, now, onAnswer);
    } catch {
      if (o !== undefined) drop(target, o);
      return null;
    }
  }

  return {
    answer,
    close() {
      if (sweeper !== null) clearTimeout(sweeper);
      sweeper = null;
      for (const [target, o] of open) drop(target, o);
    },
  };
}
