/**
 * Byte ranges and preconditions of `GET /files/NAME` (RFC 9110 sections 13 and 14), as pure
 * functions of the request headers and the file's size and validators.
 *
 * @module
 */

/** What to send for a `Range` header. */
export type RangeAnswer =
  /** Send the whole file with 200 (no Range, an invalid one, several ranges, or If-Range failed). */
  | { kind: "full" }
  /** Send bytes `start..end` (inclusive) with 206. */
  | { kind: "partial"; start: number; end: number }
  /** Answer 416 with `Content-Range: bytes *\/size`. */
  | { kind: "unsatisfiable" };

/**
 * Reads a `Range` header against a file of `size` bytes. Only single ranges are served:
 * a header with several ranges is ignored (200 with the whole file, which RFC 9110 allows),
 * as is a malformed header or another unit. A range that starts at or past the end, or a
 * suffix of length 0, is unsatisfiable; an end past the end is clamped, however many digits
 * it has.
 *
 * @example
 * ```ts
 * import { parseRange } from "./range.ts";
 * import assert from "node:assert/strict";
 * assert(JSON.stringify(parseRange("bytes=-10", 100)) ===
 *   JSON.stringify({ kind: "partial", start: 90, end: 99 }));
 * assert(parseRange("bytes=100-", 100).kind === "unsatisfiable");
 * assert(parseRange("bytes=0-1,5-6", 100).kind === "full");
 * ```
 */
export function parseRange(header: string | null, size: number): RangeAnswer {
  if (header === null) return { kind: "full" };
  const m = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!m) return { kind: "full" };
  const specs = m[1].split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (specs.length !== 1) return { kind: "full" };
  // Numbers of any length: one past 2^53 is still "past the end", and is clamped or
  // unsatisfiable like any other (RFC 9110 14.1.1).
  const r = /^(\d*)\s*-\s*(\d*)$/.exec(specs[0]);
  if (!r || (r[1] === "" && r[2] === "")) return { kind: "full" };
  if (r[1] === "") {
    const suffix = Number(r[2]);
    if (suffix === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "partial", start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(r[1]);
  if (r[2] !== "" && Number(r[2]) < start) return { kind: "full" }; // invalid: ignored (RFC 9110)
  if (start >= size) return { kind: "unsatisfiable" };
  const end = r[2] === "" ? size - 1 : Number(r[2]);
  return { kind: "partial", start, end: Math.min(end, size - 1) };
}

/** A file's validators. */
export interface Validators {
  /** Strong ETag, quoted. */
  etag: string;
  /** Modification time, whole seconds (HTTP dates have no finer unit). */
  mtimeMs: number;
}

/** Outcome of the preconditions of a request. */
export type PreconditionAnswer = "proceed" | "not-modified" | "failed";

/**
 * Evaluates If-Match, If-Unmodified-Since, If-None-Match and If-Modified-Since in the order of
 * RFC 9110 section 13.2.2, for GET and HEAD.
 *
 * @example
 * ```ts
 * import { checkPreconditions } from "./range.ts";
 * import assert from "node:assert/strict";
 * const v = { etag: '"a"', mtimeMs: 0 };
 * assert(checkPreconditions(new Headers({ "if-match": '"b"' }), v) === "failed");
 * assert(checkPreconditions(new Headers({ "if-none-match": 'W/"a"' }), v) === "not-modified");
 * ```
 */
export function checkPreconditions(headers: Headers, v: Validators): PreconditionAnswer {
  const ifMatch = headers.get("if-match");
  if (ifMatch !== null) {
    if (!matchesAny(ifMatch, v.etag, true)) return "failed";
  } else {
    const since = parseHttpDate(headers.get("if-unmodified-since"));
    if (since !== null && floorSeconds(v.mtimeMs) > since) return "failed";
  }
  const ifNoneMatch = headers.get("if-none-match");
  if (ifNoneMatch !== null) {
    if (matchesAny(ifNoneMatch, v.etag, false)) return "not-modified";
  } else {
    const since = parseHttpDate(headers.get("if-modified-since"));
    if (since !== null && floorSeconds(v.mtimeMs) <= since) return "not-modified";
  }
  return "proceed";
}

/**
 * True when an `If-Range` value lets a Range be served: a strong ETag equal to ours, or an
 * HTTP date equal to our Last-Modified. A weak ETag never matches.
 *
 * @example
 * ```ts
 * import { ifRangeHolds } from "./range.ts";
 * import assert from "node:assert/strict";
 * assert(ifRangeHolds('"a"', { etag: '"a"', mtimeMs: 0 }));
 * assert(!ifRangeHolds('W/"a"', { etag: '"a"', mtimeMs: 0 }));
 * ```
 */
export function ifRangeHolds(value: string | null, v: Validators): boolean {
  if (value === null) return true;
  const t = value.trim();
  if (t.startsWith('"') || t.startsWith("W/")) return t === v.etag;
  const date = parseHttpDate(t);
  return date !== null && date === floorSeconds(v.mtimeMs);
}

/**
 * The strong ETag of a file version: size, modification time and inode, as nginx does
 * (size and mtime) with the inode added so a replaced file of the same size and second differs.
 *
 * @example
 * ```ts
 * import { fileEtag } from "./range.ts";
 * import assert from "node:assert/strict";
 * assert(fileEtag(255, 1000, 1) === '"ff-3e8-1"');
 * ```
 */
export function fileEtag(size: number, mtimeMs: number, ino: number | null): string {
  const parts = [size.toString(16), Math.floor(mtimeMs).toString(16)];
  if (ino !== null) parts.push(ino.toString(16));
  return `"${parts.join("-")}"`;
}

function matchesAny(list: string, etag: string, strong: boolean): boolean {
  if (list.trim() === "*") return true;
  const ours = strong ? etag : etag.replace(/^W\//, "");
  for (const raw of list.split(",")) {
    const tag = raw.trim();
    if (strong) {
      if (!tag.startsWith("W/") && tag === ours) return true;
    } else if (tag.replace(/^W\//, "") === ours) return true;
  }
  return false;
}

function parseHttpDate(value: string | null): number | null {
  if (value === null) return null;
  const t = Date.parse(value);
  return Number.isFinite(t) ? t : null;
}

function floorSeconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
