import assert from "node:assert/strict";
import { captureIo } from "./io.ts";
import { createByteProgress, createProgress } from "./progress.ts";

Deno.test("progress is silent unless stderr is a terminal, and --quiet silences it", async () => {
  const io = captureIo();
  const p = createProgress({ io, quiet: false, debug: false }, "packing", "blocks");
  await p.update(5);
  await p.end();
  assert.equal(io.err(), "");

  const tty = { ...captureIo(), stderrIsTerminal: true };
  const quiet = createProgress({ io: tty, quiet: true, debug: false }, "packing", "blocks");
  await quiet.update(5);
  assert.equal(tty.err(), "");
});

Deno.test("progress on a terminal draws one line and clears it", async () => {
  const cap = captureIo();
  const io = { ...cap, stderrIsTerminal: true };
  const p = createProgress({ io, quiet: false, debug: false }, "unpacking", "blocks");
  await p.update(3, 10);
  await p.end();
  assert.ok(cap.err().includes("unpacking 3/10 blocks (30%)"));
  assert.ok(cap.err().endsWith("\r\x1b[K"));
  assert.ok(!cap.err().includes("\n"));
});

Deno.test("progress without a unit shows its label", async () => {
  const cap = captureIo();
  const p = createProgress(
    { io: { ...cap, stderrIsTerminal: true }, quiet: false, debug: false },
    "verifying a.h4mk",
    "",
  );
  await p.update(0);
  await p.end();
  assert.ok(cap.err().includes("verifying a.h4mk…"));
});

Deno.test("byte progress: MB done of the total, percent and time left, on a terminal only", async () => {
  const cap = captureIo();
  let t = 1_000_000;
  const p = createByteProgress(
    { io: { ...cap, stderrIsTerminal: true }, quiet: false, debug: false },
    "importing",
    () => t,
  );
  await p.update(0, 80_000_000);
  t += 2_000; // 2 s for the first quarter: about 6 s left
  await p.update(20_000_000, 80_000_000);
  await p.end();
  assert.ok(cap.err().includes("importing 0.0/80.0 MB (0%)"), cap.err());
  assert.ok(cap.err().includes("importing 20.0/80.0 MB (25%), about 6 s left"), cap.err());
  assert.ok(cap.err().endsWith("\r\x1b[K"));
  const silent = captureIo();
  const q = createByteProgress({ io: silent, quiet: false, debug: false }, "importing");
  await q.update(5, 10);
  assert.equal(silent.err(), "");
});
