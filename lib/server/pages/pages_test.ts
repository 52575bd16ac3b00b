import assert from "node:assert/strict";
import { createHandler } from "../handler.ts";
import { makeRoot } from "../testdata/fixtures.ts";
import { PLAYER_SCRIPT_PATH } from "./mod.ts";
import { listingHtml, namePath } from "./listing.ts";

async function withRoot(f: (h: ReturnType<typeof createHandler>) => Promise<void>) {
  const root = await makeRoot();
  await Deno.writeFile(`${root.dir}/odd <name>&.h4mk`, root.files.get("clip.h4mk")!);
  const h = createHandler({ root: root.dir });
  try {
    await f(h);
  } finally {
    await h.close();
    await Deno.remove(root.dir, { recursive: true });
  }
}

Deno.test("GET / lists the containers under the root with tracks and duration", async () => {
  await withRoot(async (h) => {
    const res = await h(new Request("http://x/"));
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /^text\/html/);
    const html = await res.text();
    for (const n of ["clip.h4mk", "clip-v1.h4mk", "enc.h4mk", "sub/nested.h4mk"]) {
      assert.ok(html.includes(`href="/play/${n}"`), n);
      assert.ok(html.includes(`href="/files/${n}"`), n);
    }
    assert.ok(!html.includes("not-h4mk.bin"));
    assert.match(html, /enc\.h4mk<\/a> <span class="muted">\(encrypted\)/);
    // Names are escaped in text and percent-encoded in links.
    assert.ok(html.includes("odd &#60;name&#62;&#38;.h4mk"));
    assert.ok(html.includes('href="/play/odd%20%3Cname%3E%26.h4mk"'));
    assert.ok(!html.includes("<name>"));
    assert.match(html, /video_main \(none, 600\)/);
    assert.match(html, /0:19\.\d/); // last seek entry of the 20 s clip without META.media
  });
});

Deno.test("GET /play/NAME is the player page for /files/NAME; unknown names are 404", async () => {
  await withRoot(async (h) => {
    const res = await h(new Request("http://x/play/sub/nested.h4mk"));
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.ok(html.includes('data-src="/files/sub/nested.h4mk"'));
    assert.ok(html.includes(`src="${PLAYER_SCRIPT_PATH}"`));
    assert.equal((html.match(/<video/g) ?? []).length, 1);
    const miss = await h(new Request("http://x/play/missing.h4mk"));
    assert.equal(miss.status, 404);
    assert.equal((await miss.json()).error.code, "HTTP_NOT_FOUND");
    const out = await h(new Request("http://x/play/..%2Fetc%2Fpasswd"));
    assert.equal(out.status, 400);
    await out.body?.cancel();
  });
});

Deno.test("GET /_h4/player.js serves the built player; pages answer GET and HEAD only", async () => {
  await withRoot(async (h) => {
    const js = await h(new Request(`http://x${PLAYER_SCRIPT_PATH}`));
    assert.equal(js.status, 200);
    assert.match(js.headers.get("content-type")!, /javascript/);
    assert.ok((await js.text()).includes("h4player"));
    const head = await h(new Request("http://x/", { method: "HEAD" }));
    assert.equal(head.status, 200);
    assert.equal(head.body, null);
    const post = await h(new Request("http://x/", { method: "POST", body: "x" }));
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD");
    await post.body?.cancel();
    const other = await h(new Request("http://x/nothing"));
    assert.equal(other.status, 404);
    await other.body?.cancel();
  });
});

Deno.test("listingHtml: a container that does not open shows why", () => {
  const html = listingHtml([{
    name: "bad.h4mk",
    size: 3,
    tracks: null,
    duration: null,
    encrypted: false,
    error: "H4_BAD_MAGIC: <x>",
  }]);
  assert.ok(html.includes("H4_BAD_MAGIC: &#60;x&#62;"));
  assert.equal(namePath("a b/c#.h4mk"), "a%20b/c%23.h4mk");
});
