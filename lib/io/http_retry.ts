/**
 * Retries of the remote reader (SPEC.md H4-HTTP-005): bounded attempts with exponential
 * backoff and jitter, all within one time budget, and the errors that say which limit ran out.
 *
 * @module
 */

import { H4Error, isH4Error } from "../format/errors.ts";

/**
 * A failure that another attempt may cure (a network error, a 5xx, a body cut short). `short`
 * marks a body that ended early: when the attempts run out it is `H4_TRUNCATED`, not `H4_IO`.
 *
 * @example
 * ```ts
 * import { Retryable } from "./http_retry.ts";
 * import assert from "node:assert/strict";
 * assert(new Retryable("short body", true).short);
 * ```
 */
export class Retryable extends Error {
  /** Makes a retryable failure. */
  constructor(message: string, readonly short = false) {
    super(message);
  }
}

/** How {@linkcode withRetries} retries. */
export interface RetryPolicy {
  /** Names the resource at the start of every message (the URL). */
  label: string;
  /** Retries after the first attempt. */
  retries: number;
  /** First delay in ms; doubles on every retry, capped at 2 s, with jitter. */
  retryDelayMs: number;
  /** Time budget of all attempts and waits, ms. */
  budgetMs: number;
  /** Aborted when the source is closed. */
  closed: AbortSignal;
  /** The caller's abort signal. */
  signal?: AbortSignal;
  /** Called before each retry (to count them). */
  onRetry?: () => void;
}

/**
 * Runs `attempt` until it succeeds, throws an {@linkcode H4Error} (never retried), or the
 * retries or the time budget run out (`H4_IO`, or `H4_TRUNCATED` after bodies kept ending
 * early). `attempt` gets the budget's signal, to abort its requests with.
 *
 * @example
 * ```ts
 * import { Retryable, withRetries } from "./http_retry.ts";
 * import assert from "node:assert/strict";
 * let n = 0;
 * const policy = {
 *   label: "http://x/a", retries: 3, retryDelayMs: 0, budgetMs: 10_000,
 *   closed: new AbortController().signal,
 * };
 * const v = await withRetries(policy, "reading", () => {
 *   if (++n < 3) throw new Retryable("HTTP 503");
 *   return Promise.resolve("ok");
 * });
 * assert(v === "ok" && n === 3);
 * ```
 */
export async function withRetries<T>(
  p: RetryPolicy,
  what: string,
  attempt: (budget: AbortSignal) => Promise<T>,
): Promise<T> {
  const { label } = p;
  // One budget for every attempt and wait: a server that stalls costs at most `timeout`.
  const budget = AbortSignal.timeout(p.budgetMs);
  const outOfTime = (n: number, cause: unknown) =>
    new H4Error(
      "H4_IO",
      `${label}: ${what}: no complete answer within the time budget of ${
        seconds(p.budgetMs)
      } (${n} attempt${n === 1 ? "" : "s"}; see --timeout)`,
      { cause, rule: "H4-HTTP-005" },
    );
  for (let n = 0;; n++) {
    if (p.closed.aborted) throw new H4Error("H4_IO", `${label}: source is closed`);
    if (budget.aborted) throw outOfTime(n, budget.reason);
    try {
      return await attempt(budget);
    } catch (e) {
      if (isH4Error(e)) throw e;
      if (p.signal?.aborted) {
        throw new H4Error("H4_IO", `${label}: ${what} aborted`, { cause: e });
      }
      if (p.closed.aborted) throw new H4Error("H4_IO", `${label}: source is closed`);
      if (budget.aborted) throw outOfTime(n + 1, e);
      const message = e instanceof Error ? e.message : String(e);
      if (n >= p.retries) {
        const tries = `${n + 1} attempt${n ? "s" : ""}`;
        if (e instanceof Retryable && e.short) {
          throw new H4Error("H4_TRUNCATED", `${label}: ${what}: ${message} (${tries})`, {
            rule: "H4-HTTP-002",
          });
        }
        throw new H4Error("H4_IO", `${label}: ${what}: ${message} (${tries})`, {
          cause: e,
          rule: "H4-HTTP-005",
        });
      }
      const delay = Math.min(2000, p.retryDelayMs * 2 ** n) * (0.5 + Math.random() / 2);
      await sleep(delay, AbortSignal.any([p.closed, budget]));
      p.onRetry?.();
    }
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
