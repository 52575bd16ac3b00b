/**
 * The request handler of the HTTP API (SPEC.md section 16): routes, parameters, uploads and
 * errors. {@linkcode createHandler} gives a function usable with `Deno.serve` or in-process.
 *
 * @module
 */

import { openContainer } from "../seek/container.ts";
import type { Container } from "../seek/container.ts";
import { H4Error } from "../format/errors.ts";
import {
  blockParams,
  blockResponse,
  manifestParams,
  manifestResponse,
  seekParams,
  seekResponse,
} from "./api.ts";
import { createContainerCache, DEFAULT_CACHED_CONTAINERS } from "./containers.ts";
import { createManifestCache } from "./manifest_cache.ts";
import { serveFile } from "./files.ts";
import { errorResponse, HttpError, scrubMessage } from "./http_error.ts";
import { checkName, createResolver, type ResolvedFile, splitPath } from "./names.ts";
import { openapiDocument } from "./openapi.ts";
import { pageResponse } from "./pages/mod.ts";
import { DEFAULT_MAX_UPLOAD, readUpload } from "./upload.ts";
import { checkByteLimit, DEFAULT_MAX_BLOCK } from "./limits.ts";

/** Options of {@linkcode createHandler}. */
export interface HandlerOptions {
  /** Folder whose containers are served; names never leave it. */
  root: string;
  /** Largest upload in bytes; default 64 MiB. */
  maxUpload?: number;
  /** Largest block answered, decoded or stored; default 64 MiB (H4-HTTP-018). */
  maxBlock?: number;
  /** Containers kept open between requests; default 16. */
  cachedContainers?: number;
  /** How long a resolved name is remembered, in ms; default 1000, 0 = never. */
  nameCacheMs?: number;
  /** Called with unexpected errors (answered as 500). */
  onError?: (e: unknown) => void;
}

/** A request handler that holds open files; `close` releases them. */
export interface Handler {
  /** Answers one request; never throws. */
  (req: Request): Promise<Response>;
  /** Closes the containers kept open. */
  close(): Promise<void>;
}

type Route = "manifest" | "seek" | "block";

/**
 * Makes the handler of the HTTP API for containers under `root`.
 *
 * @example
 * ```ts
 * import { createHandler } from "./handler.ts";
 * import assert from "node:assert/strict";
 * const handler = createHandler({ root: await Deno.makeTempDir() });
 * const res = await handler(new Request("http://localhost/files/missing.h4mk"));
 * assert(res.status === 404);
 * await res.body?.cancel();
 * await handler.close();
 * ```
 */
export function createHandler(opts: HandlerOptions): Handler {
  let rootReal: string;
  try {
    rootReal = Deno.realPathSync(opts.root);
    if (!Deno.statSync(rootReal).isDirectory) throw new Error("not a directory");
  } catch (e) {
    throw new H4Error("H4_BAD_ARGUMENT", `root ${JSON.stringify(opts.root)} is not a folder`, {
      cause: e,
    });
  }
  const maxUpload = checkByteLimit("maxUpload", opts.maxUpload, DEFAULT_MAX_UPLOAD);
  const maxBlock = checkByteLimit("maxBlock", opts.maxBlock, DEFAULT_MAX_BLOCK);
  const cache = createContainerCache(opts.cachedContainers ?? DEFAULT_CACHED_CONTAINERS);
  const manifests = createManifestCache();
  const resolveName = createResolver(rootReal, opts.nameCacheMs ?? 1000);
  const openapi = new TextEncoder().encode(JSON.stringify(openapiDocument()));

  /** Answers `route` with the container of `file`, through the cache. */
  async function named(
    route: Route,
    file: ResolvedFile,
    q: URLSearchParams,
    name: string,
    index?: string,
  ): Promise<Response> {
    let key = "";
    if (route === "manifest") {
      // A manifest is a function of the file version and the query: answered from memory
      // when it was made before (H4-HTTP-018).
      const { size, mtime, ino } = file.info;
      const p = manifestParams(q);
      key = JSON.stringify([file.path, size, mtime?.getTime(), ino, name, p.trak, p.seek]);
      const hit = manifests.get(key);
      if (hit) {
        return new Response(hit as Uint8Array<ArrayBuffer>, {
          headers: {
            "content-type": "application/json; charset=utf-8",
            "content-length": String(hit.length),
          },
        });
      }
    }
    const lease = await cache.acquire(file);
    let res: Response;
    try {
      res = await answer(route, lease.container, q, name, index);
    } catch (e) {
      lease.release();
      throw e;
    }
    if (route !== "manifest" || !res.body) {
      lease.release();
      return res;
    }
    // The manifest is produced while it is sent: the container is kept until the end.
    return new Response(manifests.tee(key, releaseAtEnd(res.body, lease.release)), res);
  }

  function answer(
    route: Route,
    c: Container,
    q: URLSearchParams,
    name: string | null,
    index?: string,
  ): Promise<Response> | Response {
    switch (route) {
      case "manifest":
        return manifestResponse(c, name, manifestParams(q));
      case "seek":
        return seekResponse(c, seekParams(q));
      case "block":
        return blockResponse(c, blockParams(q, index), { maxBlock });
    }
  }

  async function video(req: Request, url: URL): Promise<Response> {
    const route = ({
      "/video/manifest": "manifest",
      "/video/seek_to_block": "seek",
      "/video/block": "block",
    } as const)[url.pathname];
    if (!route) throw notFound(url);
    if (req.method !== "POST") throw notAllowed("POST");
    const q = url.searchParams;
    // Parameters are checked before any upload is read.
    if (route === "manifest") manifestParams(q);
    if (route === "seek") seekParams(q);
    if (route === "block") blockParams(q);
    const name = q.get("name");
    if (name !== null) {
      await req.body?.cancel().catch(() => {});
      const file = await resolveName(checkName(name));
      return await named(route, file, q, name);
    }
    const bytes = await readUpload(req, maxUpload);
    const c = await openContainer(bytes);
    return await answer(route, c, q, null);
  }

  async function files(req: Request, url: URL): Promise<Response> {
    if (req.method !== "GET" && req.method !== "HEAD") throw notAllowed("GET, HEAD");
    const rest = url.pathname.slice("/files/".length);
    if (rest === "") throw notFound(url);
    const segments = splitPath(rest);
    const q = url.searchParams;
    // NAME/manifest, NAME/seek and NAME/block/N are API routes when NAME is a file (then no
    // file can have these names below it, so there is no ambiguity).
    const n = segments.length;
    let route: Route | null = null;
    let cut = 0;
    let index: string | undefined;
    if (n >= 2 && segments[n - 1] === "manifest") [route, cut] = ["manifest", 1];
    else if (n >= 2 && segments[n - 1] === "seek") [route, cut] = ["seek", 1];
    else if (n >= 3 && segments[n - 2] === "block") {
      [route, cut, index] = ["block", 2, segments[n - 1]];
    }
    if (route) {
      const prefix = segments.slice(0, n - cut);
      const file = await resolveName(prefix).catch(() => null);
      if (file) return await named(route, file, q, prefix.join("/"), index);
    }
    return await serveFile(req, await resolveName(segments));
  }

  async function route(req: Request): Promise<Response> {
    const url = new URL(req.url);
    if (url.pathname === "/openapi.json") {
      if (req.method !== "GET" && req.method !== "HEAD") throw notAllowed("GET, HEAD");
      return new Response(openapi, {
        headers: {
          "content-type": "application/json; charset=utf-8",
          "content-length": String(openapi.length),
        },
      });
    }
    if (url.pathname.startsWith("/video/")) return await video(req, url);
    if (url.pathname.startsWith("/files/")) return await files(req, url);
    const page = await pageResponse(req, url, { rootReal, resolve: resolveName, cache });
    if (page) return page;
    throw notFound(url);
  }

  const handler = async (req: Request): Promise<Response> => {
    try {
      return await route(req);
    } catch (e) {
      if (!(e instanceof HttpError) && !(e instanceof H4Error)) opts.onError?.(e);
      // An unread upload is dropped rather than read to the end.
      if (req.body && !req.bodyUsed) await req.body.cancel().catch(() => {});
      return errorResponse(e, (m) => scrubMessage(m, rootReal));
    }
  };
  return Object.assign(handler, { close: () => cache.close() });
}

function notFound(url: URL): HttpError {
  return new HttpError(404, "HTTP_NOT_FOUND", `no route ${url.pathname}`);
}

function notAllowed(allow: string): HttpError {
  return new HttpError(405, "HTTP_METHOD_NOT_ALLOWED", `method not allowed; use ${allow}`, {
    allow,
  });
}

/** Wraps a body so that `done` runs once when it is fully read, fails or is cancelled. */
function releaseAtEnd(
  body: ReadableStream<Uint8Array>,
  done: () => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: end, value } = await reader.read();
        if (end) {
          done();
          controller.close();
        } else controller.enqueue(value);
      } catch (e) {
        done();
        controller.error(e);
      }
    },
    async cancel(reason) {
      done();
      await reader.cancel(reason).catch(() => {});
    },
  });
}
