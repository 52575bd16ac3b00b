import assert from "node:assert/strict";
import { H4_ERROR_CODES } from "../lib/format/errors.ts";
import { ERROR_CLASS, errorClass } from "./error_classes.ts";

Deno.test("error classes: every code of SPEC.md section 14 has the class the table gives", async () => {
  const spec = await Deno.readTextFile(new URL("../SPEC.md", import.meta.url));
  const section = spec.slice(spec.indexOf("## 14."), spec.indexOf("## 15."));
  const rows = [...section.matchAll(/`(H4_[A-Z_]+\*?)`\s*\|\s*(\w+)/g)];
  assert.ok(rows.length >= 25);
  for (const [, code, cls] of rows) {
    assert.equal(errorClass(code.replace("*", "AUTH_FAILED")), cls, code);
  }
});

Deno.test("error classes: every library error code is classed", () => {
  for (const code of H4_ERROR_CODES) assert.notEqual(errorClass(code), null, code);
  assert.equal(errorClass("H4_NOT_A_CODE"), null);
  assert.equal(ERROR_CLASS.H4_IO, "other");
});
