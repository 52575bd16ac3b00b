import assert from "node:assert/strict";
import { checkPreconditions, fileEtag, ifRangeHolds, parseRange } from "./range.ts";

Deno.test("parseRange: single, open, suffix, clamped", () => {
  assert.deepEqual(parseRange("bytes=0-9", 100), { kind: "partial", start: 0, end: 9 });
  assert.deepEqual(parseRange("bytes=90-", 100), { kind: "partial", start: 90, end: 99 });
  assert.deepEqual(parseRange("bytes=-10", 100), { kind: "partial", start: 90, end: 99 });
  assert.deepEqual(parseRange("bytes=-1000", 100), { kind: "partial", start: 0, end: 99 });
  assert.deepEqual(parseRange("bytes=95-1000", 100), { kind: "partial", start: 95, end: 99 });
  assert.deepEqual(parseRange("Bytes = 5 - 6", 100), { kind: "partial", start: 5, end: 6 });
  assert.deepEqual(parseRange("bytes=0-9,", 100), { kind: "partial", start: 0, end: 9 });
});

Deno.test("parseRange: unsatisfiable, ignored", () => {
  for (const h of ["bytes=100-", "bytes=100-200", "bytes=-0"]) {
    assert.equal(parseRange(h, 100).kind, "unsatisfiable", h);
  }
  assert.equal(parseRange("bytes=-5", 0).kind, "unsatisfiable");
  for (
    const h of [
      null,
      "bytes=0-1,3-4",
      "bytes=5-1",
      "bytes=-",
      "bytes=a-b",
      "pages=1-2",
      "bytes=1-2-3",
    ]
  ) {
    assert.equal(parseRange(h, 100).kind, "full", String(h));
  }
  // Over 16 digits: past the end like any other start (it was ignored before issue 16).
  assert.equal(parseRange("bytes=99999999999999999-", 100).kind, "unsatisfiable");
});

Deno.test("preconditions follow RFC 9110 order", () => {
  const v = { etag: '"abc"', mtimeMs: Date.UTC(2024, 0, 2, 3, 4, 5, 678) };
  const at = (h: Record<string, string>) => checkPreconditions(new Headers(h), v);
  const lm = new Date(v.mtimeMs).toUTCString();
  assert.equal(at({}), "proceed");
  assert.equal(at({ "if-match": '"abc"' }), "proceed");
  assert.equal(at({ "if-match": '"x", "abc"' }), "proceed");
  assert.equal(at({ "if-match": "*" }), "proceed");
  assert.equal(at({ "if-match": 'W/"abc"' }), "failed"); // strong comparison
  assert.equal(at({ "if-match": '"x"' }), "failed");
  assert.equal(at({ "if-unmodified-since": lm }), "proceed");
  assert.equal(at({ "if-unmodified-since": "Mon, 01 Jan 2024 00:00:00 GMT" }), "failed");
  assert.equal(
    at({ "if-match": '"abc"', "if-unmodified-since": "Mon, 01 Jan 2024 00:00:00 GMT" }),
    "proceed",
  );
  assert.equal(at({ "if-none-match": 'W/"abc"' }), "not-modified"); // weak comparison
  assert.equal(at({ "if-none-match": '"x"' }), "proceed");
  assert.equal(at({ "if-modified-since": lm }), "not-modified");
  assert.equal(at({ "if-modified-since": "Mon, 01 Jan 2024 00:00:00 GMT" }), "proceed");
  assert.equal(at({ "if-none-match": '"x"', "if-modified-since": lm }), "proceed");
  assert.equal(at({ "if-modified-since": "garbage" }), "proceed");
});

Deno.test("If-Range and ETags", () => {
  const v = { etag: '"abc"', mtimeMs: Date.UTC(2024, 0, 2, 3, 4, 5, 678) };
  assert.ok(ifRangeHolds(null, v));
  assert.ok(ifRangeHolds('"abc"', v));
  assert.ok(!ifRangeHolds('"abd"', v));
  assert.ok(!ifRangeHolds('W/"abc"', v));
  assert.ok(ifRangeHolds(new Date(v.mtimeMs).toUTCString(), v));
  assert.ok(!ifRangeHolds("Mon, 01 Jan 2024 00:00:00 GMT", v));
  assert.ok(!ifRangeHolds("not a date", v));
  assert.equal(fileEtag(16, 255.9, null), '"10-ff"');
});

Deno.test("parseRange: numbers of 17 digits and more are clamped, not ignored (issue 16 row 5)", () => {
  const big = "99999999999999999999";
  assert.deepEqual(parseRange(`bytes=0-${big}`, 100), { kind: "partial", start: 0, end: 99 });
  assert.deepEqual(parseRange(`bytes=-${big}`, 100), { kind: "partial", start: 0, end: 99 });
  assert.deepEqual(parseRange(`bytes=5-${"9".repeat(400)}`, 100), {
    kind: "partial",
    start: 5,
    end: 99,
  });
  assert.equal(parseRange(`bytes=${big}-`, 100).kind, "unsatisfiable");
  assert.equal(parseRange(`bytes=${big}-${big}0`, 100).kind, "unsatisfiable");
  assert.deepEqual(parseRange(`bytes=0000000000000000000001-2`, 100), {
    kind: "partial",
    start: 1,
    end: 2,
  });
});
