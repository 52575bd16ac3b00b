import assert from "node:assert/strict";
import { loadMp4box } from "./quiet.ts";

Deno.test("loadMp4box: mp4box's logs print nothing; errors reach the file's onError", async () => {
  const m = await loadMp4box();
  const said: unknown[] = [];
  const saved = { ...console };
  for (const k of ["log", "info", "warn", "error", "debug"] as const) {
    console[k] = (...a: unknown[]) => void said.push(a);
  }
  const heard: string[] = [];
  try {
    m.Log.warn("X", "warning");
    m.Log.info("X", "info");
    m.Log.error("BoxParser", "Invalid box type: '\u00a9swr'");
    m.Log.error(
      "X",
      "to the file",
      { onError: (_: string, msg: string) => heard.push(msg) } as never,
    );
  } finally {
    Object.assign(console, saved);
  }
  assert.deepEqual(said, []);
  assert.deepEqual(heard, ["to the file"]);
  assert.equal(await loadMp4box(), m);
});
