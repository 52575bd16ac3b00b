/**
 * `GET /files/NAME`: a container's bytes with Range, validators and preconditions. Bodies are
 * streamed from the file in 64 KiB reads, never read whole into memory.
 *
 * @module
 */

import { H4Error } from "../format/errors.ts";
import { HttpError } from "./http_error.ts";
import { checkPreconditions, fileEtag, ifRangeHolds, parseRange } from "./range.ts";
import type { ResolvedFile } from "./names.ts";

/** Size of one read of a streamed file body. */
const STREAM_CHUNK = 64 * 1024;

/**
 * Answers GET or HEAD for a regular file: 200, 206 (one range), 304, 412 or 416, with ETag,
 * Last-Modified and `Accept-Ranges: bytes`. A Range with several ranges is answered with 200
 * and the whole file.
 *
 * @example
 * ```ts
 * import { serveFile } from "./files.ts";
 * import assert from "node:assert/strict";
 * const path = await Deno.makeTempFile();
 * await Deno.writeFile(path, new Uint8Array(100));
 * const info = await Deno.stat(path);
 * const res = await serveFile(new Request("http://x/", { headers: { range: "bytes=-10" } }),
 *   { path, info });
 * assert(res.status === 206 && (await res.bytes()).length === 10);
 * ```
 */
export function serveFile(req: Request, file: ResolvedFile): Promise<Response> {
  try {
    return Promise.resolve(serveFileNow(req, file));
  } catch (e) {
    return Promise.reject(e);
  }
}

function serveFileNow(req: Request, file: ResolvedFile): Response {
  // Validators come from the opened file, not from an earlier stat of the path: a file
  // replaced in between is answered as the version actually read.
  let fh: Deno.FsFile;
  let info: Deno.FileInfo;
  try {
    // Synchronous: a local open, fstat and small read cost microseconds, far less than the
    // promise round trips of their asynchronous forms (large bodies are streamed).
    fh = Deno.openSync(file.path, { read: true });
  } catch {
    throw new HttpError(404, "HTTP_NOT_FOUND", "no such file");
  }
  try {
    info = fh.statSync();
    const res = answer(req, info);
    if (typeof res !== "object" || res instanceof Response) {
      fh.close();
      return res;
    }
    if (res.length <= SMALL_RANGE) {
      // A small range is read at once: no stream to set up for a few kilobytes.
      const bytes = readAt(fh, res.start, res.length);
      fh.close();
      return new Response(bytes, { status: res.status, headers: res.headers });
    }
    const body = rangeStream(fh, file.path, res.start, res.length);
    return new Response(body, { status: res.status, headers: res.headers });
  } catch (e) {
    try {
      fh.close();
    } catch { /* closed */ }
    throw e;
  }
}

/** Ranges up to this (64 KiB, one read of a stream) are read whole rather than streamed. */
const SMALL_RANGE = STREAM_CHUNK;

/** Reads `length` bytes at `start`; a file that ends first has changed since it was opened. */
function readAt(fh: Deno.FsFile, start: number, length: number): Uint8Array<ArrayBuffer> {
  if (start !== 0) fh.seekSync(start, Deno.SeekMode.Start);
  const buf = new Uint8Array(length);
  for (let got = 0; got < length;) {
    const n = fh.readSync(buf.subarray(got));
    if (n === null || n === 0) {
      throw new H4Error("H4_SOURCE_CHANGED", `the file ended ${length - got} bytes early`);
    }
    got += n;
  }
  return buf;
}

/** The answer without its body, or what to stream. */
function answer(
  req: Request,
  info: Deno.FileInfo,
): Response | { status: number; headers: Headers; start: number; length: number } {
  const mtimeMs = info.mtime?.getTime() ?? 0;
  const validators = { etag: fileEtag(info.size, mtimeMs, info.ino), mtimeMs };
  const headers = new Headers({
    "accept-ranges": "bytes",
    "etag": validators.etag,
    "last-modified": new Date(mtimeMs).toUTCString(),
    "content-type": "application/octet-stream",
  });
  const pre = checkPreconditions(req.headers, validators);
  if (pre === "failed") {
    throw new HttpError(
      412,
      "HTTP_PRECONDITION_FAILED",
      "precondition failed: the file has changed",
      { etag: validators.etag },
    );
  }
  if (pre === "not-modified") {
    headers.delete("content-type");
    return new Response(null, { status: 304, headers });
  }
  const range = ifRangeHolds(req.headers.get("if-range"), validators)
    ? parseRange(req.headers.get("range"), info.size)
    : { kind: "full" as const };
  if (range.kind === "unsatisfiable") {
    throw new HttpError(
      416,
      "HTTP_RANGE_NOT_SATISFIABLE",
      `range ${JSON.stringify(req.headers.get("range"))} is outside the file (${info.size} bytes)`,
      { "content-range": `bytes */${info.size}`, "accept-ranges": "bytes" },
    );
  }
  const start = range.kind === "partial" ? range.start : 0;
  const end = range.kind === "partial" ? range.end : info.size - 1;
  const length = end - start + 1;
  headers.set("content-length", String(length));
  const status = range.kind === "partial" ? 206 : 200;
  if (status === 206) headers.set("content-range", `bytes ${start}-${end}/${info.size}`);
  if (req.method === "HEAD" || length === 0) return new Response(null, { status, headers });
  return { status, headers, start, length };
}

/**
 * Streams `length` bytes of a file from `start`. The file is opened now (so a missing file is
 * an error before the answer starts) and closed when the stream ends or is cancelled. A file
 * that shrinks meanwhile errors the stream, so the client sees a short body, not wrong bytes.
 *
 * @example
 * ```ts
 * import { fileRangeStream } from "./files.ts";
 * import assert from "node:assert/strict";
 * const path = await Deno.makeTempFile();
 * await Deno.writeFile(path, new Uint8Array([1, 2, 3, 4]));
 * const s = await fileRangeStream(path, 1, 2);
 * assert((await new Response(s).bytes()).join() === "2,3");
 * ```
 */
export async function fileRangeStream(
  path: string,
  start: number,
  length: number,
): Promise<ReadableStream<Uint8Array>> {
  const fh = await Deno.open(path, { read: true });
  return rangeStream(fh, path, start, length);
}

/** Streams from an open file, which it closes at the end, on error or on cancel. */
function rangeStream(
  fh: Deno.FsFile,
  path: string,
  start: number,
  length: number,
): ReadableStream<Uint8Array> {
  let closed = false;
  const close = () => {
    if (!closed) {
      closed = true;
      fh.close();
    }
  };
  let left = length;
  let positioned = start === 0;
  return new ReadableStream<Uint8Array>({
    type: "bytes",
    async pull(controller) {
      try {
        if (!positioned) {
          await fh.seek(start, Deno.SeekMode.Start);
          positioned = true;
        }
        const buf = new Uint8Array(Math.min(STREAM_CHUNK, left));
        const n = await fh.read(buf);
        if (n === null || n === 0) {
          close();
          controller.error(new Error(`${path} ended ${left} bytes early`));
          return;
        }
        left -= n;
        controller.enqueue(n === buf.length ? buf : buf.subarray(0, n));
        if (left === 0) {
          close();
          controller.close();
        }
      } catch (e) {
        close();
        controller.error(e);
      }
    },
    cancel() {
      close();
    },
  });
}
