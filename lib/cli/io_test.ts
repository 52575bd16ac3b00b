import assert from "node:assert/strict";
import { captureIo, printErr, printOut, useColor } from "./io.ts";

Deno.test("captureIo keeps stdout and stderr apart and serves stdin", async () => {
  const io = captureIo("in\n");
  await printOut(io, "out ✓\n");
  await printErr(io, "err\n");
  assert.equal(io.out(), "out ✓\n");
  assert.equal(io.err(), "err\n");
  assert.equal(await new Response(io.stdin()).text(), "in\n");
});

Deno.test("useColor needs a terminal and respects NO_COLOR", () => {
  const base = captureIo();
  assert.equal(useColor(base, "stdout"), false);
  const tty = { ...base, stdoutIsTerminal: true, stderrIsTerminal: true };
  assert.equal(useColor(tty, "stdout"), true);
  assert.equal(
    useColor({ ...tty, env: (n: string) => (n === "NO_COLOR" ? "1" : undefined) }, "stderr"),
    false,
  );
  assert.equal(
    useColor({ ...tty, env: (n: string) => (n === "NO_COLOR" ? "" : undefined) }, "stderr"),
    true,
  );
});
