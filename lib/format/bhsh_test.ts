import assert from "node:assert/strict";
import { bhshEntry } from "./bhsh.ts";
import { throwsH4 } from "./testdata/helpers.ts";

Deno.test("bhsh: entry c is at offset 32c, also within a page starting at `first`", () => {
  const table = new Uint8Array(32 * 5).map((_, i) => Math.floor(i / 32));
  for (let c = 0; c < 5; c++) assert.ok(bhshEntry(table, c).every((b) => b === c));
  const page = table.subarray(64); // chunks 2..4
  assert.ok(bhshEntry(page, 3, 2).every((b) => b === 3));
});

Deno.test("bhsh: entries outside the table are H4_BAD_INDEX (H4-BHS-001)", () => {
  const table = new Uint8Array(64);
  for (const [c, first] of [[2, 0], [-1, 0], [1, 2], [1.5, 0], [NaN, 0], [2 ** 60, 0]]) {
    throwsH4(() => bhshEntry(table, c, first), "H4_BAD_INDEX", "H4-BHS-001");
  }
  throwsH4(() => bhshEntry(new Uint8Array(31), 0), "H4_BAD_INDEX", "H4-BHS-001");
});
