/**
 * Answer bodies of the remote reader: read to exactly the length announced (more is an error,
 * fewer a retryable short read), read up to a limit when no length is given, or cancelled
 * unread (SPEC.md H4-HTTP-002, 004).
 *
 * @module
 */

import { concat } from "../format/bytes.ts";
import { H4Error, isH4Error } from "../format/errors.ts";
import { Retryable } from "./http_retry.ts";

/**
 * Reads a body of exactly `expected` bytes. A longer body is `H4_IO`; a shorter one, or one
 * that fails midway, a {@linkcode Retryable} short read. `counted` gets each piece's length.
 *
 * @example
 * ```ts
 * import { readBody } from "./http_body.ts";
 * import assert from "node:assert/strict";
 * const b = await readBody(new Response("abc"), 3, "http://x/a", () => {});
 * assert(new TextDecoder().decode(b) === "abc");
 * ```
 */
export async function readBody(
  res: Response,
  expected: number,
  label: string,
  counted: (n: number) => void,
): Promise<Uint8Array> {
  const out = new Uint8Array(expected);
  let got = 0;
  if (res.body) {
    const reader = res.body.getReader();
    try {
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (e) {
          const why = e instanceof Error ? e.message : String(e);
          throw new Retryable(`body failed after ${got} of ${expected} bytes: ${why}`, true);
        }
        if (chunk.done) break;
        counted(chunk.value.length);
        if (got + chunk.value.length > expected) {
          throw new H4Error(
            "H4_IO",
            `${label}: answer body is longer than the ${expected} bytes announced`,
            { rule: "H4-HTTP-002" },
          );
        }
        out.set(chunk.value, got);
        got += chunk.value.length;
      }
    } catch (e) {
      await reader.cancel().catch(() => {});
      throw e;
    }
  }
  if (got < expected) throw new Retryable(`short body: ${got} of ${expected} bytes`, true);
  return out;
}

/**
 * Reads a body of unknown length, failing with `H4_RANGE_UNSUPPORTED` once it passes `limit`
 * (the rest is never downloaded). A body that fails midway is a {@linkcode Retryable} short
 * read.
 *
 * @example
 * ```ts
 * import { readUpTo } from "./http_body.ts";
 * import assert from "node:assert/strict";
 * assert((await readUpTo(new Response("abcd"), 10, "http://x/a", () => {})).length === 4);
 * ```
 */
export async function readUpTo(
  res: Response,
  limit: number,
  label: string,
  counted: (n: number) => void,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let got = 0;
  if (res.body) {
    try {
      for await (const chunk of res.body) {
        counted(chunk.length);
        got += chunk.length;
        if (got > limit) {
          // Leaving the loop cancels the body: the rest is never downloaded.
          throw new H4Error(
            "H4_RANGE_UNSUPPORTED",
            `${label}: server ignores Range and sends the whole file (over ${limit} bytes)`,
            { rule: "H4-HTTP-004" },
          );
        }
        parts.push(chunk);
      }
    } catch (e) {
      if (isH4Error(e)) throw e;
      // A body cut short, as in readBody: retried, then H4_TRUNCATED (H4-HTTP-002, 005).
      const why = e instanceof Error ? e.message : String(e);
      throw new Retryable(`body failed after ${got} bytes: ${why}`, true);
    }
  }
  return concat(parts);
}

/**
 * Drops a body unread. Cancelling (rather than draining) keeps a huge unwanted body from
 * being downloaded.
 *
 * @example
 * ```ts
 * import { discard } from "./http_body.ts";
 * const res = new Response("unwanted");
 * await discard(res);
 * ```
 */
export async function discard(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => {});
}
