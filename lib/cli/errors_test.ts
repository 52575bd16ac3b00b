import assert from "node:assert/strict";
import { H4Error } from "../format/errors.ts";
import {
  debugTrace,
  describeError,
  errorLine,
  EXIT_INVALID,
  EXIT_USAGE,
  INTERNAL_CODE,
  USAGE_CODE,
  UsageError,
} from "./errors.ts";

Deno.test("describeError maps H4 errors, usage errors, Deno errors and bugs", () => {
  assert.deepEqual(describeError(new H4Error("H4_CRC_MISMATCH", "META at 10: crc")), {
    code: "H4_CRC_MISMATCH",
    message: "META at 10: crc",
    exit: EXIT_INVALID,
  });
  assert.deepEqual(describeError(new UsageError("missing --track")), {
    code: USAGE_CODE,
    message: "missing --track",
    exit: EXIT_USAGE,
  });
  const nf = describeError(
    new Deno.errors.NotFound("No such file or directory (os error 2): open 'x'"),
  );
  assert.deepEqual(nf, { code: "H4_IO", message: "No such file or directory: open 'x'", exit: 1 });
  const nodeErr = Object.assign(new Error("EACCES: permission denied, open 'k'"), {
    code: "EACCES",
  });
  assert.equal(describeError(nodeErr).code, "H4_IO");
  const bug = describeError(new TypeError("x is not a function\n    at y"));
  assert.equal(bug.code, INTERNAL_CODE);
  assert.ok(!bug.message.includes("\n"));
  assert.equal(describeError("weird").code, INTERNAL_CODE);
});

Deno.test("errorLine is one line with the fixed prefix", () => {
  assert.equal(errorLine("H4_IO", "a\nb"), "h4mk: error: H4_IO: a b\n");
});

Deno.test("debugTrace follows causes", () => {
  const e = new Error("outer", { cause: new Error("inner") });
  const t = debugTrace(e);
  assert.ok(t.includes("outer") && t.includes("caused by:") && t.includes("inner"));
});
