/**
 * The HTTP API of H4MK (SPEC.md section 16): `serve` runs it on a port, `createHandler`
 * gives the request handler for in-process use.
 *
 * @example
 * ```ts
 * import { serve } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const server = await serve({ root: await Deno.makeTempDir(), port: 0, log: () => {} });
 * assert(server.addr.port > 0);
 * await server.shutdown();
 * ```
 *
 * @module
 */

export { createHandler, type Handler, type HandlerOptions } from "./handler.ts";
export { DEFAULT_HOST, DEFAULT_PORT, serve, type ServeOptions, type Server } from "./serve.ts";
export { DEFAULT_MAX_UPLOAD } from "./upload.ts";
export { DEFAULT_MAX_BLOCK, DEFAULT_MAX_CONNECTIONS, type ServerLimits } from "./limits.ts";
export { openapiDocument } from "./openapi.ts";
export { type HttpErrorCode } from "./http_error.ts";
