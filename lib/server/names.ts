/**
 * Container names under the served root. A name is a relative path of `/`-separated
 * segments; it can never leave the root: `..`, absolute paths, backslashes, NUL and control
 * characters are refused, and a symlink is followed only when its real path stays under the
 * root's real path.
 *
 * @module
 */

import { sep as SEPARATOR } from "node:path";
import { HttpError } from "./http_error.ts";

/** Longest name accepted, in bytes. */
export const MAX_NAME_LENGTH = 1024;

/**
 * Checks a decoded name and splits it into segments; throws an {@linkcode HttpError} 400 for
 * a name that is empty, absolute, has an empty, `.`, `..` or dot-file segment, a backslash,
 * NUL or another control character, or is longer than 1024 bytes.
 *
 * @example
 * ```ts
 * import { checkName } from "./names.ts";
 * import assert from "node:assert/strict";
 * assert(checkName("clips/a.h4mk").join("|") === "clips|a.h4mk");
 * let refused = false;
 * try { checkName("../etc/passwd"); } catch { refused = true; }
 * assert(refused);
 * ```
 */
export function checkName(name: string): string[] {
  const bad = (why: string) =>
    new HttpError(400, "H4_BAD_ARGUMENT", `bad container name ${JSON.stringify(name)}: ${why}`);
  if (name === "") throw bad("empty");
  if (new TextEncoder().encode(name).length > MAX_NAME_LENGTH) throw bad("too long");
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw bad("control character");
  if (name.includes("\\")) throw bad("backslash");
  if (name.startsWith("/")) throw bad("absolute path");
  const segments = name.split("/");
  for (const s of segments) {
    if (s === "") throw bad("empty segment");
    if (s === "." || s === "..") throw bad("dot segment");
    if (s.startsWith(".")) throw bad("hidden file");
  }
  return segments;
}

/**
 * Splits the part of a URL path after a route prefix into decoded, checked segments. Each
 * segment is percent-decoded on its own, so an encoded slash (`%2F`) is a slash inside a
 * segment, which {@linkcode checkName} refuses.
 *
 * @example
 * ```ts
 * import { splitPath } from "./names.ts";
 * import assert from "node:assert/strict";
 * assert(splitPath("a%20b/c.h4mk").join("|") === "a b|c.h4mk");
 * ```
 */
export function splitPath(rawPath: string): string[] {
  const segments = rawPath.split("/").map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new HttpError(400, "H4_BAD_ARGUMENT", `bad percent-encoding in ${JSON.stringify(s)}`);
    }
  });
  for (const s of segments) {
    if (s.includes("/")) {
      throw new HttpError(
        400,
        "H4_BAD_ARGUMENT",
        `encoded slash in name segment ${JSON.stringify(s)}`,
      );
    }
  }
  checkName(segments.join("/"));
  return segments;
}

/** A regular file found under the root. */
export interface ResolvedFile {
  /** Real path (symlinks resolved). */
  path: string;
  /** Its stat. */
  info: Deno.FileInfo;
}

/**
 * Finds the regular file named by `segments` under `rootReal` (the root's real path).
 * Throws {@linkcode HttpError} 404 when it does not exist, is not a regular file, or its real
 * path is outside the root (the answer does not say which).
 *
 * @example
 * ```ts
 * import { resolveName } from "./names.ts";
 * import assert from "node:assert/strict";
 * const root = await Deno.realPath(await Deno.makeTempDir());
 * await Deno.writeTextFile(`${root}/a.h4mk`, "x");
 * assert((await resolveName(root, ["a.h4mk"])).info.size === 1);
 * ```
 */
export async function resolveName(rootReal: string, segments: string[]): Promise<ResolvedFile> {
  const display = segments.join("/");
  const notFound = () =>
    new HttpError(404, "HTTP_NOT_FOUND", `no container named ${JSON.stringify(display)}`);
  let real: string;
  try {
    real = await Deno.realPath(rootReal + SEPARATOR + segments.join(SEPARATOR));
  } catch {
    throw notFound();
  }
  if (!isUnderRoot(rootReal, real)) throw notFound();
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(real);
  } catch {
    throw notFound();
  }
  if (!info.isFile) throw notFound();
  return { path: real, info };
}

/**
 * Whether the real path `real` lies under the root's real path `rootReal` (the one check that
 * keeps every answer inside the served root, for the general handler and the fast path).
 *
 * @example
 * ```ts
 * import { isUnderRoot } from "./names.ts";
 * import assert from "node:assert/strict";
 * assert(isUnderRoot("/srv/root", "/srv/root/a.h4mk"));
 * assert(!isUnderRoot("/srv/root", "/srv/rootless/a.h4mk"));
 * ```
 */
export function isUnderRoot(rootReal: string, real: string): boolean {
  return real.startsWith(rootReal.endsWith(SEPARATOR) ? rootReal : rootReal + SEPARATOR);
}

/** A {@linkcode resolveName} with a short memory. */
export type Resolver = (segments: string[]) => Promise<ResolvedFile>;

/**
 * Wraps {@linkcode resolveName} with a cache of successful answers kept `ttlMs` (default
 * 1000 ms, at most 4096 names), so busy names cost no realpath/stat per request. A file
 * replaced or removed is noticed within `ttlMs`; answers stay correct meanwhile because raw
 * file answers take their validators from the opened file and containers are opened by inode.
 *
 * @example
 * ```ts
 * import { createResolver } from "./names.ts";
 * import assert from "node:assert/strict";
 * const root = await Deno.realPath(await Deno.makeTempDir());
 * await Deno.writeTextFile(`${root}/a.h4mk`, "x");
 * const resolve = createResolver(root);
 * assert((await resolve(["a.h4mk"])).path === `${root}/a.h4mk`);
 * ```
 */
export function createResolver(rootReal: string, ttlMs = 1000): Resolver {
  const cache = new Map<string, { file: ResolvedFile; until: number }>();
  return async (segments: string[]): Promise<ResolvedFile> => {
    const key = segments.join("/");
    const now = performance.now();
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.file;
    cache.delete(key);
    const file = await resolveName(rootReal, segments);
    if (ttlMs > 0) {
      if (cache.size >= 4096) cache.delete(cache.keys().next().value!);
      cache.set(key, { file, until: now + ttlMs });
    }
    return file;
  };
}

/**
 * Checks the raw request target before URL parsing removes its dot segments: a path segment
 * that is `.` or `..`, also percent-encoded (`%2e`, `%2E%2e`), is refused with 400
 * (H4-HTTP-011). Returns the error, or null when the path is acceptable.
 *
 * @example
 * ```ts
 * import { rawPathError } from "./names.ts";
 * import assert from "node:assert/strict";
 * assert(rawPathError("/files/%2e/a.h4mk") !== null);
 * assert(rawPathError("/files/a.h4mk?x=..") === null);
 * ```
 */
export function rawPathError(target: string): HttpError | null {
  const q = target.indexOf("?");
  let path = q < 0 ? target : target.slice(0, q);
  // The absolute form (`http://host/path`) that proxies send.
  const abs = /^https?:\/\/[^/]*/i.exec(path);
  if (abs) path = path.slice(abs[0].length) || "/";
  if (!path.startsWith("/")) {
    return new HttpError(400, "H4_BAD_ARGUMENT", "request target must be a path");
  }
  for (const s of path.split("/")) {
    if (/^(?:\.|%2e){1,2}$/i.test(s)) {
      return new HttpError(
        400,
        "H4_BAD_ARGUMENT",
        `dot segment ${JSON.stringify(s)} in path: names may not contain . or ..`,
      );
    }
  }
  return null;
}
