/**
 * The `Content-Range` header of a range answer (RFC 9110 section 14.4), read strictly: the
 * remote reader checks every answer against the range it asked for.
 *
 * @module
 */

/** A parsed `Content-Range`: `start` and `end` are null for `bytes *\/total`. */
export interface ContentRange {
  /** First byte, or null (unsatisfied range). */
  start: number | null;
  /** Last byte (inclusive), or null. */
  end: number | null;
  /** Size of the whole file. */
  total: number;
}

/**
 * Parses a `Content-Range` header value; null when it is absent, malformed, has an unknown
 * total (`/*`) or an inconsistent range.
 *
 * @example
 * ```ts
 * import { parseContentRange } from "./content_range.ts";
 * import assert from "node:assert/strict";
 * assert(parseContentRange("bytes 10-19/100")?.end === 19);
 * assert(parseContentRange("bytes 10-9/100") === null);
 * ```
 */
export function parseContentRange(value: string | null): ContentRange | null {
  if (value === null) return null;
  const m = /^\s*bytes\s+(?:(\d{1,16})-(\d{1,16})|\*)\/(\d{1,16})\s*$/i.exec(value);
  if (!m) return null;
  const total = Number(m[3]);
  if (!Number.isSafeInteger(total)) return null;
  if (m[1] === undefined) return { start: null, end: null, total };
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (!Number.isSafeInteger(end) || start > end || end >= total) return null;
  return { start, end, total };
}
