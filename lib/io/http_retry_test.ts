import assert from "node:assert/strict";
import { H4Error, isH4Error } from "../format/errors.ts";
import { Retryable, type RetryPolicy, withRetries } from "./http_retry.ts";

const policy = (over: Partial<RetryPolicy> = {}): RetryPolicy => ({
  label: "http://x/a",
  retries: 2,
  retryDelayMs: 0,
  budgetMs: 60_000,
  closed: new AbortController().signal,
  ...over,
});

Deno.test("withRetries: retries, then H4_IO, or H4_TRUNCATED after short bodies", async () => {
  let retried = 0;
  let n = 0;
  await assert.rejects(
    withRetries(policy({ onRetry: () => retried++ }), "reading", () => {
      n++;
      throw new Error("HTTP 503");
    }),
    (e) => isH4Error(e, "H4_IO") && e.message === "http://x/a: reading: HTTP 503 (3 attempts)",
  );
  assert.equal(n, 3);
  assert.equal(retried, 2);
  await assert.rejects(
    withRetries(policy({ retries: 0 }), "reading", () => {
      throw new Retryable("short body: 1 of 2 bytes", true);
    }),
    (e) => isH4Error(e, "H4_TRUNCATED") && e.message.endsWith("(1 attempt)"),
  );
});

Deno.test("withRetries: an H4Error is not retried; a closed source or an abort stops at once", async () => {
  let n = 0;
  await assert.rejects(
    withRetries(policy(), "reading", () => {
      n++;
      throw new H4Error("H4_SOURCE_CHANGED", "changed");
    }),
    (e) => isH4Error(e, "H4_SOURCE_CHANGED"),
  );
  assert.equal(n, 1);
  const closed = new AbortController();
  closed.abort();
  await assert.rejects(
    withRetries(policy({ closed: closed.signal }), "reading", () => Promise.resolve(1)),
    (e) => isH4Error(e, "H4_IO") && e.message.endsWith("source is closed"),
  );
  const user = new AbortController();
  await assert.rejects(
    withRetries(policy({ signal: user.signal }), "opening", () => {
      user.abort();
      throw new Error("aborted");
    }),
    (e) => isH4Error(e, "H4_IO") && e.message === "http://x/a: opening aborted",
  );
});

Deno.test("withRetries: the time budget covers every attempt and says so", async () => {
  await assert.rejects(
    withRetries(
      policy({ budgetMs: 30, retries: 100, retryDelayMs: 5 }),
      "reading",
      (budget) =>
        new Promise((_, reject) => {
          budget.addEventListener("abort", () => reject(new Error("timed out")), { once: true });
        }),
    ),
    (e) =>
      isH4Error(e, "H4_IO") &&
      /no complete answer within the time budget of 30 ms \(1 attempt; see --timeout\)/.test(
        e.message,
      ),
  );
});
