import assert from "node:assert/strict";
import { H4_ERROR_CODES } from "../format/errors.ts";
import { packContainer } from "../format/writer.ts";
import { createHandler } from "./handler.ts";
import { scrubMessage, statusOf } from "./http_error.ts";
import { clipBlocks } from "./testdata/fixtures.ts";

Deno.test("statusOf: every H4 code has the status of the table of H4-HTTP-015", () => {
  const table: Record<string, number> = {
    H4_BAD_ARGUMENT: 400,
    H4_UNKNOWN_TRACK: 404,
    H4_ENCRYPTED: 409,
    H4_BLOCK_OUT_OF_RANGE: 416,
    H4_SOURCE_CHANGED: 503,
    H4_IO: 500,
    H4_RANGE_UNSUPPORTED: 500,
  };
  for (const code of H4_ERROR_CODES) assert.equal(statusOf(code), table[code] ?? 422, code);
});

Deno.test("scrubMessage: one line, bounded, without the root", () => {
  assert.equal(scrubMessage("/srv/r/a.h4mk ended\n    at x (file.ts:1)", "/srv/r"), "a.h4mk ended");
  assert.equal(scrubMessage("x".repeat(10_000)).length, 500);
});

Deno.test("a file truncated between two requests: 503 H4_SOURCE_CHANGED, no absolute path (issue 16 row 3)", async () => {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "h4mk-changed-" }));
  const path = `${root}/m.h4mk`;
  await Deno.writeFile(path, await packContainer(clipBlocks(4), { blocksPerPage: 64 }));
  // Names are remembered long enough that the second request uses the container opened first.
  const handler = createHandler({ root, nameCacheMs: 60_000 });
  try {
    const first = await handler(
      new Request("http://x/files/m.h4mk/seek?track_id=video_main&pts_us=0"),
    );
    assert.equal(first.status, 200);
    await first.body?.cancel();
    await Deno.truncate(path, 2000);
    const res = await handler(new Request("http://x/files/m.h4mk/block/100"));
    const text = await res.text();
    assert.equal(res.status, 503, text);
    assert.equal(res.headers.get("retry-after"), "1");
    const j = JSON.parse(text);
    assert.equal(j.error.code, "H4_SOURCE_CHANGED");
    assert.ok(!text.includes(root), text);
    assert.ok(!/"\/|\s\/[a-z]/.test(j.error.message), text);
    assert.match(j.error.message, /m\.h4mk/);
  } finally {
    await handler.close();
    await Deno.remove(root, { recursive: true });
  }
});
