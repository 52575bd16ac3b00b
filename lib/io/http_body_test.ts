import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import { discard, readBody, readUpTo } from "./http_body.ts";
import { Retryable } from "./http_retry.ts";

/** A body of `parts`, then an error when `fail` is set. */
function body(parts: string[], fail = false): Response {
  const enc = new TextEncoder();
  let i = 0;
  return new Response(
    new ReadableStream<Uint8Array>({
      pull(c) {
        if (i < parts.length) c.enqueue(enc.encode(parts[i++]));
        else if (fail) c.error(new Error("connection reset"));
        else c.close();
      },
    }),
  );
}

Deno.test("readBody: exactly the length announced; longer is H4_IO, shorter a retryable short read", async () => {
  let counted = 0;
  const ok = await readBody(body(["ab", "cd"]), 4, "u", (n) => counted += n);
  assert.equal(new TextDecoder().decode(ok), "abcd");
  assert.equal(counted, 4);
  await assert.rejects(readBody(body(["abcde"]), 4, "u", () => {}), (e) => isH4Error(e, "H4_IO"));
  await assert.rejects(
    readBody(body(["ab"]), 4, "u", () => {}),
    (e) => e instanceof Retryable && e.short && e.message === "short body: 2 of 4 bytes",
  );
  await assert.rejects(
    readBody(body(["ab"], true), 4, "u", () => {}),
    (e) =>
      e instanceof Retryable && e.short && /after 2 of 4 bytes: connection reset/.test(e.message),
  );
});

Deno.test("readUpTo: stops past the limit with H4_RANGE_UNSUPPORTED; a failed body is a short read", async () => {
  assert.equal((await readUpTo(body(["ab", "c"]), 3, "u", () => {})).length, 3);
  await assert.rejects(
    readUpTo(body(["ab", "cd"]), 3, "u", () => {}),
    (e) => isH4Error(e, "H4_RANGE_UNSUPPORTED"),
  );
  await assert.rejects(
    readUpTo(body(["ab"], true), 10, "u", () => {}),
    (e) => e instanceof Retryable && e.short,
  );
  const unread = body(["never read"]);
  await discard(unread);
  assert.ok(unread.bodyUsed || unread.body?.locked === false);
});
