/**
 * JSON error answers of the HTTP API: `{"error": {"code", "message"}}`, with the status
 * chosen from the error code (SPEC.md section 16).
 *
 * @module
 */

import { type H4ErrorCode, isH4Error } from "../format/errors.ts";

/** Codes of conditions of the HTTP layer itself, beside the H4 error codes. */
export type HttpErrorCode =
  | "HTTP_NOT_FOUND"
  | "HTTP_METHOD_NOT_ALLOWED"
  | "HTTP_PAYLOAD_TOO_LARGE"
  | "HTTP_PRECONDITION_FAILED"
  | "HTTP_RANGE_NOT_SATISFIABLE"
  | "HTTP_REQUEST_TIMEOUT"
  | "HTTP_INTERNAL";

/** An error answered with a given status, code and message. */
export class HttpError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** Stable code: an H4 error code or an `HTTP_*` code. */
  readonly code: H4ErrorCode | HttpErrorCode;
  /** Extra headers of the answer (`Allow`, `Content-Range`). */
  readonly headers: Record<string, string>;

  /** Makes an error; `message` is one line. */
  constructor(
    status: number,
    code: H4ErrorCode | HttpErrorCode,
    message: string,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/**
 * The status of an H4 error code (SPEC.md H4-HTTP-015): 400 bad argument, 404 unknown track,
 * 409 encrypted, 416 block out of range, 503 source changed, 500 I/O, 422 every other code
 * (format errors and `H4_LIMIT_EXCEEDED`).
 *
 * @example
 * ```ts
 * import { statusOf } from "./http_error.ts";
 * import assert from "node:assert/strict";
 * assert(statusOf("H4_BAD_MAGIC") === 422 && statusOf("H4_UNKNOWN_TRACK") === 404);
 * assert(statusOf("H4_SOURCE_CHANGED") === 503);
 * ```
 */
export function statusOf(code: H4ErrorCode): number {
  switch (code) {
    case "H4_BAD_ARGUMENT":
      return 400;
    case "H4_UNKNOWN_TRACK":
      return 404;
    case "H4_ENCRYPTED":
      return 409;
    case "H4_BLOCK_OUT_OF_RANGE":
      return 416;
    case "H4_SOURCE_CHANGED":
      // The served file changed while it was read: the next request reopens it.
      return 503;
    case "H4_IO":
    case "H4_RANGE_UNSUPPORTED":
      return 500;
    default:
      return 422;
  }
}

/**
 * Turns any thrown value into a JSON error answer. Unexpected errors become 500
 * `HTTP_INTERNAL` without their details (they go to the log).
 *
 * @example
 * ```ts
 * import { errorResponse, HttpError } from "./http_error.ts";
 * import assert from "node:assert/strict";
 * const r = errorResponse(new HttpError(404, "HTTP_NOT_FOUND", "no such file"));
 * assert(r.status === 404);
 * ```
 */
export function errorResponse(e: unknown, scrub: (message: string) => string = oneLine): Response {
  let status = 500;
  let code: string = "HTTP_INTERNAL";
  let message = "internal error";
  let headers: Record<string, string> = {};
  if (e instanceof HttpError) {
    ({ status, code, message, headers } = e);
  } else if (isH4Error(e)) {
    status = statusOf(e.code);
    code = e.code;
    message = e.message;
    if (status === 503) headers = { "retry-after": "1" };
  }
  return jsonResponse({ error: { code, message: scrub(message) } }, status, headers);
}

/** Longest error message answered, in characters. */
export const MAX_ERROR_MESSAGE = 500;

/**
 * An error message fit for a client: its first line, at most {@linkcode MAX_ERROR_MESSAGE}
 * characters, with every occurrence of `root` (the served folder's real path) removed, so
 * that no absolute path of the server's disk is answered (H4-HTTP-015).
 *
 * @example
 * ```ts
 * import { scrubMessage } from "./http_error.ts";
 * import assert from "node:assert/strict";
 * assert(scrubMessage("/srv/a/m.h4mk ended", "/srv/a") === "m.h4mk ended");
 * ```
 */
export function scrubMessage(message: string, root?: string): string {
  let m = oneLine(message);
  if (root) m = m.replaceAll(root.endsWith("/") ? root : `${root}/`, "").replaceAll(root, ".");
  return m;
}

function oneLine(message: string): string {
  const line = message.split(/\r?\n/, 1)[0];
  return line.length > MAX_ERROR_MESSAGE ? `${line.slice(0, MAX_ERROR_MESSAGE - 3)}...` : line;
}

/**
 * A JSON answer.
 *
 * @example
 * ```ts
 * import { jsonResponse } from "./http_error.ts";
 * import assert from "node:assert/strict";
 * assert(jsonResponse({ ok: true }).headers.get("content-type")!.startsWith("application/json"));
 * ```
 */
export function jsonResponse(
  value: unknown,
  status = 200,
  headers: Record<string, string> = {},
): Response {
  const body = new TextEncoder().encode(JSON.stringify(value));
  return new Response(body, {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-length": String(body.length),
      ...headers,
    },
  });
}
