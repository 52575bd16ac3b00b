/**
 * The resource limits of `serve` (SPEC.md H4-HTTP-016 to 018): connections, timeouts and the
 * largest block decoded per request, with their defaults and checks. Kept apart from the
 * routes so that every bound of the server is in one place.
 *
 * @module
 */

import { H4Error } from "../format/errors.ts";

/** Default `maxConnections`: open connections at once; more are closed at accept. */
export const DEFAULT_MAX_CONNECTIONS = 1024;
/** Default `headersTimeoutMs`: a client must send its whole request head within 10 s. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** Default `requestTimeoutMs`: a request (head and body) must arrive within 120 s. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;
/** Default `idleTimeoutMs`: a kept-alive connection with no request is closed after 5 s. */
export const DEFAULT_IDLE_TIMEOUT_MS = 5_000;
/** Default `maxBlock`: the largest plain (or stored) block length answered, 64 MiB. */
export const DEFAULT_MAX_BLOCK = 64 << 20;

/** The limits of a server; every field has a default. */
export interface ServerLimits {
  /** Open connections at once; default {@linkcode DEFAULT_MAX_CONNECTIONS}. */
  maxConnections?: number;
  /** Time to receive a request head, ms; default {@linkcode DEFAULT_HEADERS_TIMEOUT_MS}. */
  headersTimeoutMs?: number;
  /** Time to receive a whole request, ms; default {@linkcode DEFAULT_REQUEST_TIMEOUT_MS}. */
  requestTimeoutMs?: number;
  /** Time a kept-alive connection may stay idle, ms; default {@linkcode DEFAULT_IDLE_TIMEOUT_MS}. */
  idleTimeoutMs?: number;
}

/** {@linkcode ServerLimits} with every default filled in. */
export type ResolvedLimits = Required<ServerLimits>;

/**
 * Fills in the defaults and checks each limit (a positive safe integer); `H4_BAD_ARGUMENT`
 * names the first bad one.
 *
 * @example
 * ```ts
 * import { resolveLimits } from "./limits.ts";
 * import assert from "node:assert/strict";
 * assert(resolveLimits({ maxConnections: 8 }).maxConnections === 8);
 * assert(resolveLimits({}).idleTimeoutMs === 5000);
 * ```
 */
export function resolveLimits(l: ServerLimits): ResolvedLimits {
  const out: ResolvedLimits = {
    maxConnections: l.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    headersTimeoutMs: l.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: l.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    idleTimeoutMs: l.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
  };
  for (const [name, v] of Object.entries(out)) {
    if (!Number.isSafeInteger(v) || v <= 0) {
      throw new H4Error("H4_BAD_ARGUMENT", `${name} must be a positive integer, got ${v}`);
    }
  }
  if (out.requestTimeoutMs < out.headersTimeoutMs) out.requestTimeoutMs = out.headersTimeoutMs;
  return out;
}

/** Descriptors kept free for the runtime, the container cache and the listener itself. */
export const RESERVED_DESCRIPTORS = 64;

/**
 * The connection limit the process's descriptor limit allows: each connection holds its
 * socket and at most one file of a streamed answer, and {@linkcode RESERVED_DESCRIPTORS}
 * stay free, so accepting never fails for lack of a descriptor (an accept that fails is
 * not always retried by the runtime's listener). `limitsText` is the text of
 * `/proc/self/limits`; where it cannot be read, `wanted` is kept.
 *
 * @example
 * ```ts
 * import { connectionBudget } from "./limits.ts";
 * import assert from "node:assert/strict";
 * const text = "Max open files            256                  4096                 files";
 * assert(connectionBudget(1024, text) === 96);
 * assert(connectionBudget(10, text) === 10);
 * ```
 */
export function connectionBudget(wanted: number, limitsText?: string | null): number {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = Deno.readTextFileSync("/proc/self/limits");
    } catch {
      text = null; // not Linux, or no permission: the limit is the user's
    }
  }
  const m = text ? /^Max open files\s+(\d+)/m.exec(text) : null;
  if (!m) return wanted;
  const budget = Math.floor((Number(m[1]) - RESERVED_DESCRIPTORS) / 2);
  return Math.max(1, Math.min(wanted, budget));
}

/**
 * Checks a byte limit such as `maxBlock` or `maxUpload` (a non-negative safe integer).
 *
 * @example
 * ```ts
 * import { checkByteLimit } from "./limits.ts";
 * import assert from "node:assert/strict";
 * assert(checkByteLimit("maxBlock", undefined, 64) === 64);
 * ```
 */
export function checkByteLimit(name: string, v: number | undefined, fallback: number): number {
  const n = v ?? fallback;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new H4Error("H4_BAD_ARGUMENT", `${name} must be a byte count, got ${n}`);
  }
  return n;
}
