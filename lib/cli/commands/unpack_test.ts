import assert from "node:assert/strict";
import { callerMeta } from "./unpack.ts";

Deno.test("callerMeta drops the writer's keys by version", () => {
  const legacyCompression = { engine: "geometric-reference", engine_id: "unknown" };
  const meta = {
    title: "x",
    domain: "video-transport",
    tracks: ["a"],
    seekm_b64: "AAAA",
    trak_b64: "e30=",
    compression: legacyCompression,
  };
  assert.deepEqual(callerMeta(meta, 1), { title: "x" });
  // In version 2 the writer adds only domain and tracks: the rest is the caller's.
  assert.deepEqual(callerMeta(meta, 2), {
    title: "x",
    seekm_b64: "AAAA",
    trak_b64: "e30=",
    compression: legacyCompression,
  });
  assert.deepEqual(callerMeta({ compression: { engine: "mine" } }, 1), {
    compression: { engine: "mine" },
  });
});
