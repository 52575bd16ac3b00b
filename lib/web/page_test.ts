import assert from "node:assert/strict";
import { escapeHtml, playerHtml } from "./page.ts";

Deno.test("playerHtml: one video, the container's URL escaped, the script", () => {
  const html = playerHtml({ script: "/_h4/player.js", src: `/files/a"<b>.h4mk`, back: "/" });
  assert.equal((html.match(/<video/g) ?? []).length, 1);
  assert.ok(html.includes('data-src="/files/a&#34;&#60;b&#62;.h4mk"'));
  assert.ok(html.includes('<script type="module" src="/_h4/player.js">'));
  assert.ok(html.includes('href="/"'));
  // Without a URL the page reads ?src= (the static copy).
  assert.ok(!playerHtml({ script: "./player.js" }).includes("data-src"));
});

Deno.test("escapeHtml escapes the five HTML specials", () => {
  assert.equal(
    escapeHtml(`<a href='x'>&"</a>`),
    "&#60;a href=&#39;x&#39;&#62;&#38;&#34;&#60;/a&#62;",
  );
});
