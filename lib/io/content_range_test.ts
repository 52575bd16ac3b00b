import assert from "node:assert/strict";
import { parseContentRange } from "./content_range.ts";

Deno.test("parseContentRange: ranges, unsatisfied ranges and malformed values", () => {
  assert.deepEqual(parseContentRange("bytes 0-9/10"), { start: 0, end: 9, total: 10 });
  assert.deepEqual(parseContentRange(" BYTES 5-5/6 "), { start: 5, end: 5, total: 6 });
  assert.deepEqual(parseContentRange("bytes */10"), { start: null, end: null, total: 10 });
  assert.equal(parseContentRange("bytes 0-10/10"), null);
  assert.equal(parseContentRange("bytes 0-9/*"), null);
  assert.equal(parseContentRange("bytes 9-0/10"), null);
  assert.equal(parseContentRange("bytes 0-9/99999999999999999"), null);
  assert.equal(parseContentRange(null), null);
});
