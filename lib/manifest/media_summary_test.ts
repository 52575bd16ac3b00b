import assert from "node:assert/strict";
import { formatMediaTrack, mediaSummary } from "./media_summary.ts";

Deno.test("mediaSummary: no META.media is null; wrong types are left out, never thrown", () => {
  assert.equal(mediaSummary({}, []), null);
  assert.equal(mediaSummary({ media: "x" }, []), null);
  const s = mediaSummary({
    media: { tracks: { t: { handler: "vide", width: "wide", durations: "x", codec: 5 }, u: 3 } },
  }, []);
  assert.deepEqual(Object.keys(s!), ["t"]);
  assert.equal(s!.t.width, null);
  assert.equal(s!.t.codec, null);
  assert.equal(formatMediaTrack(s!.t), "?");
});
