import assert from "node:assert/strict";
import { importMedia } from "../media/import.ts";
import { openContainer } from "../seek/container.ts";
import { mime, plan } from "./player_plan.ts";

async function importedMeta(): Promise<Record<string, unknown>> {
  const parts: Uint8Array[] = [];
  const summary = await importMedia(
    new URL("../media/testdata/av.mp4", import.meta.url).pathname,
    { write: (b) => void parts.push(b.slice()) },
  );
  assert.ok(summary);
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return (await openContainer(all)).meta;
}

Deno.test("plan: why nothing plays without META.media, with a bad one, or without MSE", async () => {
  assert.match(plan({ meta: {} }).why, /not made by h4mk import/);
  assert.match(plan({ meta: { media: "x" } }).why, /^META\.media is not valid: /);
  const meta = await importedMeta();
  const p = plan({ meta });
  assert.ok(p.media);
  assert.equal(p.play.size, 0);
  assert.equal(p.why, "this browser has no Media Source Extensions");
});

Deno.test("plan: one video and one audio track, each when the browser takes its codec", async () => {
  const meta = await importedMeta();
  const g = globalThis as { MediaSource?: unknown };
  try {
    g.MediaSource = { isTypeSupported: (t: string) => t.startsWith("video/") };
    const some = plan({ meta });
    assert.deepEqual([...some.play.keys()], ["video_main"]);
    assert.match(some.why, /^this browser cannot play audio_main \(mp4a\.40\.2\)$/);
    g.MediaSource = { isTypeSupported: () => true };
    const all = plan({ meta });
    assert.deepEqual([...all.play.keys()].sort(), ["audio_main", "video_main"]);
    assert.equal(all.why, "");
  } finally {
    delete g.MediaSource;
  }
  assert.equal(mime("audio", "mp4a.40.2"), 'audio/mp4; codecs="mp4a.40.2"');
});
