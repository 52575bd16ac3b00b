/**
 * The pages of `h4mk serve`: `GET /` (the containers under the root), `GET /play/NAME` (the web
 * player, lib/web) and `GET /_h4/player.js` (its script). Kept apart from the API routes: the
 * handler asks {@linkcode pageResponse} first and goes on when it answers null.
 *
 * @module
 */
import { playerHtml } from "../../web/page.ts";
import type { ContainerCache } from "../containers.ts";
import { HttpError } from "../http_error.ts";
import { type Resolver, splitPath } from "../names.ts";
import { listContainers, listingHtml, namePath } from "./listing.ts";

/** Path of the player script. */
export const PLAYER_SCRIPT_PATH = "/_h4/player.js";

/** What the pages need from the handler. */
export interface PageContext {
  /** Real path of the served root. */
  rootReal: string;
  /** Name resolver of the handler. */
  resolve: Resolver;
  /** Container cache of the handler. */
  cache: ContainerCache;
}

let script: Promise<Uint8Array> | undefined;

/** The built player (lib/web/dist/player.js), read once. */
function playerScript(): Promise<Uint8Array> {
  return script ??= (async () => {
    const url = new URL("../../web/dist/player.js", import.meta.url);
    if (url.protocol === "file:") return await Deno.readFile(url);
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  })().catch((e) => {
    script = undefined;
    throw new HttpError(404, "HTTP_NOT_FOUND", `player script not available: ${e.message}`);
  });
}

function html(body: string, req: Request): Response {
  const bytes = new TextEncoder().encode(body);
  return new Response(req.method === "HEAD" ? null : bytes, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-length": String(bytes.length),
      "cache-control": "no-cache",
    },
  });
}

/**
 * Answers a page route, or null when `url` is not one.
 *
 * @example
 * ```ts ignore
 * const res = await pageResponse(req, new URL(req.url), ctx) ?? apiResponse(req);
 * ```
 */
export async function pageResponse(
  req: Request,
  url: URL,
  ctx: PageContext,
): Promise<Response | null> {
  const p = url.pathname;
  if (p !== "/" && p !== PLAYER_SCRIPT_PATH && !p.startsWith("/play/")) return null;
  if (req.method !== "GET" && req.method !== "HEAD") {
    throw new HttpError(405, "HTTP_METHOD_NOT_ALLOWED", "method not allowed; use GET, HEAD", {
      allow: "GET, HEAD",
    });
  }
  if (p === "/") {
    return html(listingHtml(await listContainers(ctx.rootReal, ctx.resolve, ctx.cache)), req);
  }
  if (p === PLAYER_SCRIPT_PATH) {
    const bytes = await playerScript();
    return new Response(req.method === "HEAD" ? null : bytes as Uint8Array<ArrayBuffer>, {
      headers: {
        "content-type": "text/javascript; charset=utf-8",
        "content-length": String(bytes.length),
        "cache-control": "no-cache",
      },
    });
  }
  const segments = splitPath(p.slice("/play/".length));
  await ctx.resolve(segments); // 404 for a name that is not there
  const name = segments.join("/");
  return html(
    playerHtml({
      script: PLAYER_SCRIPT_PATH,
      src: `/files/${namePath(name)}`,
      title: name,
      back: "/",
    }),
    req,
  );
}
