/**
 * Uploaded containers: the request body as raw bytes, or the field `file` of a
 * multipart/form-data body (as the original service took it). Bytes are counted as they
 * arrive and the upload stops at the limit, so memory is bounded by the limit.
 *
 * @module
 */

import { HttpError } from "./http_error.ts";

/** Default upload limit: 64 MiB. */
export const DEFAULT_MAX_UPLOAD = 64 << 20;

/**
 * Reads the container of a request: the body, or its multipart field `file`. Throws
 * {@linkcode HttpError} 413 when the body is over `maxUpload` bytes (from Content-Length
 * before reading, or while counting), 400 when it is empty or the multipart body is malformed
 * or has no `file` field.
 *
 * @example
 * ```ts
 * import { readUpload } from "./upload.ts";
 * import assert from "node:assert/strict";
 * const req = new Request("http://x/video/manifest", { method: "POST", body: "H4MK...." });
 * assert((await readUpload(req, 1024)).length === 8);
 * ```
 */
export async function readUpload(req: Request, maxUpload: number): Promise<Uint8Array> {
  const body = await readBounded(req, maxUpload);
  const type = req.headers.get("content-type") ?? "";
  const bytes = /^multipart\/form-data/i.test(type) ? multipartFile(body, type) : body;
  if (bytes.length === 0) {
    throw new HttpError(
      400,
      "H4_BAD_ARGUMENT",
      'no container: send it as the request body (or multipart field "file") or name one with ?name=',
    );
  }
  return bytes;
}

async function readBounded(req: Request, limit: number): Promise<Uint8Array> {
  const tooLarge = (what: string) =>
    new HttpError(
      413,
      "HTTP_PAYLOAD_TOO_LARGE",
      `upload of ${what} is over the limit of ${limit} bytes`,
    );
  const declared = req.headers.get("content-length");
  const n = declared !== null && /^\d{1,16}$/.test(declared) ? Number(declared) : null;
  if (n !== null && n > limit) {
    await req.body?.cancel().catch(() => {});
    throw tooLarge(`${n} bytes`);
  }
  if (!req.body) return new Uint8Array(0);
  // With a declared length the buffer is allocated once; otherwise chunks are joined at the end.
  const fixed = n !== null ? new Uint8Array(n) : null;
  const parts: Uint8Array[] = [];
  let got = 0;
  const reader = req.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (got + value.length > (fixed ? fixed.length : limit)) {
        await reader.cancel().catch(() => {});
        if (fixed) {
          throw new HttpError(400, "H4_BAD_ARGUMENT", "body longer than its Content-Length");
        }
        throw tooLarge(`more than ${limit} bytes`);
      }
      if (fixed) fixed.set(value, got);
      else parts.push(value);
      got += value.length;
    }
  } catch (e) {
    if (e instanceof HttpError) throw e;
    throw new HttpError(400, "H4_BAD_ARGUMENT", `upload failed after ${got} bytes`);
  }
  if (fixed) {
    if (got !== fixed.length) {
      throw new HttpError(
        400,
        "H4_BAD_ARGUMENT",
        `body ended after ${got} of ${fixed.length} bytes`,
      );
    }
    return fixed;
  }
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(got);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const CRLF = new Uint8Array([13, 10]);
const CRLF2 = new Uint8Array([13, 10, 13, 10]);

/** Returns a view of the content of the part named `file` (RFC 7578). */
function multipartFile(body: Uint8Array, contentType: string): Uint8Array {
  const bad = (why: string) => new HttpError(400, "H4_BAD_ARGUMENT", `bad multipart body: ${why}`);
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  if (!m) throw bad("no boundary in Content-Type");
  const dash = new TextEncoder().encode(`--${m[1] ?? m[2]}`);
  const delimiter = new Uint8Array(dash.length + 2);
  delimiter.set(CRLF, 0);
  delimiter.set(dash, 2);
  let pos = indexOf(body, dash, 0);
  if (pos < 0 || (pos > 0 && indexOf(body, delimiter, 0) !== pos - 2)) {
    throw bad("no opening boundary");
  }
  pos += dash.length;
  for (;;) {
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // "--": closing boundary
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++; // transport padding
    if (body[pos] !== 13 || body[pos + 1] !== 10) throw bad("boundary not followed by CRLF");
    const headersEnd = indexOf(body, CRLF2, pos);
    if (headersEnd < 0 || headersEnd - pos > 16384) throw bad("part headers do not end");
    const head = new TextDecoder().decode(body.subarray(pos + 2, headersEnd));
    const start = headersEnd + 4;
    const next = indexOf(body, delimiter, start);
    if (next < 0) throw bad("part does not end with a boundary");
    if (partName(head) === "file") return body.subarray(start, next);
    pos = next + delimiter.length;
  }
  throw bad('no field named "file"');
}

function partName(head: string): string | null {
  for (const line of head.split("\r\n")) {
    const [name, ...rest] = line.split(":");
    if (name.trim().toLowerCase() !== "content-disposition") continue;
    const m = /;\s*name\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(rest.join(":"));
    return m ? (m[1] ?? m[2]) : null;
  }
  return null;
}

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  const last = hay.length - needle.length;
  for (let i = hay.indexOf(first, from); i !== -1 && i <= last; i = hay.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}
