/**
 * `GET /`: the containers under the served root, with size, tracks and duration, each linking
 * to its player page and its bytes. The walk is bounded (depth and count), follows no link out
 * of the root (names resolve as for `/files/`) and lists only names ending in `.h4mk`.
 *
 * @module
 */
import { H4Error } from "../../format/errors.ts";
import type { Container } from "../../seek/container.ts";
import { escapeHtml, PAGE_CSS } from "../../web/page.ts";
import type { ContainerCache } from "../containers.ts";
import type { Resolver } from "../names.ts";

/** Containers listed at most. */
export const MAX_LISTED = 500;
/** Folder depth walked at most. */
const MAX_DEPTH = 6;

/** One listed container. */
export interface ListedContainer {
  /** Name under the root, `/`-separated. */
  name: string;
  /** Bytes. */
  size: number;
  /** Track ids with their block counts, or null when it does not open. */
  tracks: { track_id: string; blocks: number; codec: string }[] | null;
  /** Seconds, when known. */
  duration: number | null;
  /** Whether blocks are encrypted. */
  encrypted: boolean;
  /** Why it does not open. */
  error?: string;
}

/**
 * Duration in seconds from META.media (import), else the last seek entry of any track; null
 * when neither gives one.
 *
 * @example
 * ```ts
 * import { durationOf } from "./listing.ts";
 * import { open, packContainer } from "../../../mod.ts";
 * import assert from "node:assert/strict";
 * const c = await open(await packContainer([
 *   { track_id: "v", pts_us: 2_000_000, kind: "I", keyframe: true, payload: new Uint8Array(1) },
 * ]));
 * assert(durationOf(c) === 2);
 * ```
 */
export function durationOf(c: Container): number | null {
  const media = c.meta.media as { tracks?: Record<string, unknown> } | undefined;
  let best = 0;
  for (const t of Object.values(media?.tracks ?? {})) {
    const m = t as { duration?: unknown; timescale?: unknown };
    if (typeof m.duration === "number" && typeof m.timescale === "number" && m.timescale > 0) {
      best = Math.max(best, m.duration / m.timescale);
    }
  }
  if (best > 0) return best;
  for (const t of c.tracks) {
    const s = c.seekTable(t.track_id);
    if (s.count) best = Math.max(best, s.pts[s.count - 1] / 1e6);
  }
  return best > 0 ? best : null;
}

/** Names of `.h4mk` files under `dir`, sorted, at most {@linkcode MAX_LISTED}. */
async function walk(dir: string, prefix: string, depth: number, out: string[]): Promise<void> {
  const names: { name: string; dir: boolean }[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.name.startsWith(".")) continue;
    names.push({ name: e.name, dir: e.isDirectory });
  }
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of names) {
    if (out.length >= MAX_LISTED) return;
    if (e.dir) {
      if (depth < MAX_DEPTH) await walk(`${dir}/${e.name}`, `${prefix}${e.name}/`, depth + 1, out);
    } else if (e.name.toLowerCase().endsWith(".h4mk")) out.push(prefix + e.name);
  }
}

/**
 * Lists the containers under `rootReal`.
 *
 * @example
 * ```ts ignore
 * const list = await listContainers(root, resolver, cache);
 * ```
 */
export async function listContainers(
  rootReal: string,
  resolve: Resolver,
  cache: ContainerCache,
): Promise<ListedContainer[]> {
  const names: string[] = [];
  await walk(rootReal, "", 0, names);
  const out: ListedContainer[] = [];
  for (const name of names) {
    let file;
    try {
      file = await resolve(name.split("/"));
    } catch {
      continue; // a link out of the root, or gone meanwhile
    }
    const item: ListedContainer = {
      name,
      size: file.info.size,
      tracks: null,
      duration: null,
      encrypted: false,
    };
    try {
      const lease = await cache.acquire(file);
      try {
        const c = lease.container;
        item.tracks = c.tracks.map((t) => ({
          track_id: t.track_id,
          blocks: t.blocks,
          codec: mediaCodec(c, t.track_id) ?? t.codec,
        }));
        item.duration = durationOf(c);
        item.encrypted = c.encrypted;
      } finally {
        lease.release();
      }
    } catch (e) {
      item.error = e instanceof H4Error ? `${e.code}: ${e.message}` : "cannot open";
    }
    out.push(item);
  }
  return out;
}

function mediaCodec(c: Container, id: string): string | null {
  const t = (c.meta.media as { tracks?: Record<string, { codec?: unknown }> } | undefined)
    ?.tracks?.[id];
  return typeof t?.codec === "string" ? t.codec : null;
}

/**
 * `a/b c.h4mk` as a URL path: each segment percent-encoded.
 *
 * @example
 * ```ts
 * import { namePath } from "./listing.ts";
 * import assert from "node:assert/strict";
 * assert(namePath("a b/c#.h4mk") === "a%20b/c%23.h4mk");
 * ```
 */
export function namePath(name: string): string {
  return name.split("/").map(encodeURIComponent).join("/");
}

function bytesText(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024, u = 0;
  while (v >= 1024 && u < units.length - 1) [v, u] = [v / 1024, u + 1];
  return `${v.toFixed(1)} ${units[u]}`;
}

function timeText(s: number | null): string {
  if (s === null) return "";
  const m = Math.floor(s / 60);
  return `${m}:${(s - m * 60).toFixed(1).padStart(4, "0")}`;
}

/**
 * The listing page.
 *
 * @example
 * ```ts
 * import { listingHtml } from "./listing.ts";
 * import assert from "node:assert/strict";
 * const html = listingHtml([{ name: "a.h4mk", size: 10, tracks: [], duration: 1, encrypted: false }]);
 * assert(html.includes('href="/play/a.h4mk"'));
 * ```
 */
export function listingHtml(items: ListedContainer[]): string {
  const rows = items.map((c) => {
    const p = namePath(c.name);
    const tracks = c.tracks === null
      ? `<span class="muted">${escapeHtml(c.error ?? "")}</span>`
      : c.tracks.map((t) => `${escapeHtml(t.track_id)} (${escapeHtml(t.codec)}, ${t.blocks})`)
        .join("<br>");
    return `<tr><td><a href="/play/${escapeHtml(p)}">${escapeHtml(c.name)}</a>${
      c.encrypted ? ' <span class="muted">(encrypted)</span>' : ""
    }</td><td>${bytesText(c.size)}</td><td>${tracks}</td><td>${timeText(c.duration)}</td>` +
      `<td><a href="/play/${escapeHtml(p)}">play</a> · <a href="/files/${
        escapeHtml(p)
      }">bytes</a> · <a href="/files/${escapeHtml(p)}/manifest">manifest</a></td></tr>`;
  }).join("\n");
  const more = items.length >= MAX_LISTED ? `<p class="muted">first ${MAX_LISTED} shown</p>` : "";
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>H4MK containers</title><style>${PAGE_CSS}</style></head>
<body><header><h1>H4MK containers</h1></header><main>
<table id="containers"><thead><tr><th>name</th><th>size</th><th>tracks</th><th>duration</th><th></th></tr></thead>
<tbody>
${rows || '<tr><td colspan="5" class="muted">no .h4mk files under the root</td></tr>'}
</tbody></table>${more}
<p class="muted"><a href="/openapi.json">API</a></p>
</main></body></html>
`;
}
