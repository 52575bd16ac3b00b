/**
 * The player page's HTML, shared by `h4mk serve` (`GET /play/NAME`) and the static copy that
 * `deno task bundle` writes next to the player bundle (lib/web/dist/player.html, which takes
 * the container's URL as `?src=`).
 *
 * @module
 */

/** Options of {@linkcode playerHtml}. */
export interface PlayerPageOptions {
  /** URL of the player script (the bundle of lib/web/player.ts). */
  script: string;
  /** URL of the container; when absent the page reads `?src=` or asks for one. */
  src?: string;
  /** Page title; default "H4MK player". */
  title?: string;
  /** Link back to a listing, if any. */
  back?: string;
}

/**
 * Escapes text for HTML content and quoted attributes.
 *
 * @example
 * ```ts
 * import { escapeHtml } from "./page.ts";
 * import assert from "node:assert/strict";
 * assert(escapeHtml('<a href="x">') === "&#60;a href=&#34;x&#34;&#62;");
 * ```
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The player page: one `<video>`, the track table, the keyframe timeline, a key file chooser
 * and a status line; the script does the rest.
 *
 * @example
 * ```ts
 * import { playerHtml } from "./page.ts";
 * import assert from "node:assert/strict";
 * const html = playerHtml({ script: "/_h4/player.js", src: "/files/a.h4mk" });
 * assert(html.includes('data-src="/files/a.h4mk"'));
 * ```
 */
export function playerHtml(opts: PlayerPageOptions): string {
  const title = escapeHtml(opts.title ?? "H4MK player");
  const src = opts.src === undefined ? "" : ` data-src="${escapeHtml(opts.src)}"`;
  const back = opts.back === undefined
    ? ""
    : `<a class="back" href="${escapeHtml(opts.back)}">&larr; all containers</a>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${PAGE_CSS}</style>
</head>
<body${src}>
<header>${back}<h1>${title}</h1></header>
<main>
<form id="open" hidden><input id="url" type="url" placeholder="https://host/clip.h4mk" size="50" required> <button>Open</button></form>
<video id="video" controls playsinline></video>
<div id="timeline" title="keyframes; click to seek"><div id="cursor"></div></div>
<p id="status" role="status">loading…</p>
<p id="keybox" hidden><label>This container is encrypted. Key file (stays in this browser): <input id="key" type="file"></label></p>
<table id="tracks"><thead><tr><th>track</th><th>codec</th><th>blocks</th><th>keyframes</th><th>plays</th></tr></thead><tbody></tbody></table>
<details id="blocks"><summary>blocks near the playhead</summary><table><thead><tr><th>#</th><th>track</th><th>pts (s)</th><th>kind</th><th>bytes</th></tr></thead><tbody></tbody></table></details>
</main>
<script type="module" src="${escapeHtml(opts.script)}"></script>
</body>
</html>
`;
}

/** Styles of the pages (the player and the listing). */
export const PAGE_CSS = `
body{font:15px/1.4 system-ui,sans-serif;margin:0;background:#111;color:#eee}
header{padding:12px 20px;background:#1d1d1d;border-bottom:1px solid #333}
h1{font-size:18px;margin:4px 0}
a{color:#7cc4ff}
main{padding:16px 20px;max-width:1000px}
video{width:100%;max-height:60vh;background:#000;display:block}
#timeline{position:relative;height:28px;margin:8px 0;background:#222;border:1px solid #444;cursor:pointer}
#timeline .k{position:absolute;top:4px;bottom:4px;width:2px;background:#5fa8e8}
#cursor{position:absolute;top:0;bottom:0;width:2px;background:#f55;z-index:2}
table{border-collapse:collapse;margin:8px 0}
td,th{border:1px solid #444;padding:3px 8px;text-align:left}
th{background:#222}
#status.error{color:#ff8080}
.muted{color:#999}
`;
