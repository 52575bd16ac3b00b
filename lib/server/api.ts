/**
 * The answers of the container routes (manifest, seek, block), shared by the upload routes
 * (`POST /video/...`) and the named routes (`GET /files/NAME/...`). Field names are those of
 * the original service.
 *
 * @module
 */

import type { Container } from "../seek/container.ts";
import { H4Error } from "../format/errors.ts";
import { decodePayloadStream } from "../format/decode_stream.ts";
import { HttpError, jsonResponse } from "./http_error.ts";
import { DEFAULT_MAX_BLOCK } from "./limits.ts";
import { manifestJson } from "../manifest/manifest.ts";

/** Parameters of the manifest. */
export interface ManifestParams {
  /** Include `trak`, one entry per block (large for long files); default true. */
  trak: boolean;
  /** Include `seek`, the keyframes of every track; default true. */
  seek: boolean;
}

/** Parameters of a seek. */
export interface SeekParams {
  /** Track id. */
  trackId: string;
  /** Target time, microseconds. */
  ptsUs: number;
}

/** Parameters of a block read. */
export interface BlockParams {
  /** Block index (`core_index`, or `index`). */
  index: number;
  /** Decode the payload (true, default) or answer the stored bytes as is (false). */
  decompress: boolean;
  /** Check the block against BHSH before answering; default false. */
  verify: boolean;
}

/** Limits of {@linkcode blockResponse}. */
export interface BlockOptions {
  /** Largest block answered (plain length, or stored length with `decompress=false`). */
  maxBlock?: number;
}

/** Blocks of a plain length over this (1 MiB) are decoded while they are sent. */
export const STREAM_ABOVE = 1 << 20;

/**
 * Reads `trak` and `seek` (booleans, default true) from a query.
 *
 * @example
 * ```ts
 * import { manifestParams } from "./api.ts";
 * import assert from "node:assert/strict";
 * assert(manifestParams(new URLSearchParams("trak=false")).trak === false);
 * ```
 */
export function manifestParams(q: URLSearchParams): ManifestParams {
  return { trak: bool(q, "trak", true), seek: bool(q, "seek", true) };
}

/**
 * Reads `track_id` and `pts_us` (a safe integer, may be negative) from a query; 400 when
 * missing or malformed.
 *
 * @example
 * ```ts
 * import { seekParams } from "./api.ts";
 * import assert from "node:assert/strict";
 * assert(seekParams(new URLSearchParams("track_id=v&pts_us=-5")).ptsUs === -5);
 * ```
 */
export function seekParams(q: URLSearchParams): SeekParams {
  const trackId = q.get("track_id");
  if (trackId === null || trackId === "") throw badParam("track_id is required");
  const pts = q.get("pts_us");
  if (pts === null) throw badParam("pts_us is required");
  const ptsUs = /^-?\d{1,16}$/.test(pts) ? Number(pts) : NaN;
  if (!Number.isSafeInteger(ptsUs)) {
    throw badParam(`pts_us must be an integer in microseconds, got ${JSON.stringify(pts)}`);
  }
  return { trackId, ptsUs };
}

/**
 * Reads `core_index` (or `index`), `decompress` and `verify` from a query; 400 when the index
 * is missing or not a non-negative integer.
 *
 * @example
 * ```ts
 * import { blockParams } from "./api.ts";
 * import assert from "node:assert/strict";
 * const p = blockParams(new URLSearchParams("index=3&decompress=false"));
 * assert(p.index === 3 && !p.decompress);
 * ```
 */
export function blockParams(q: URLSearchParams, path?: string): BlockParams {
  const raw = path ?? q.get("core_index") ?? q.get("index");
  if (raw === null) throw badParam("core_index is required");
  const index = /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(index)) {
    throw badParam(`core_index must be a non-negative integer, got ${JSON.stringify(raw)}`);
  }
  return { index, decompress: bool(q, "decompress", true), verify: bool(q, "verify", false) };
}

/**
 * The manifest (lib/manifest/manifest.ts, SPEC.md H4-HTTP-013) as streamed JSON: the same
 * document as `h4mk manifest --json`, with `name` as `h4mk.name`. The block index is walked
 * once before the status is sent (a damaged index is a 422, not a 200 cut short), then page by
 * page while the answer is sent, so memory stays small for files of millions of blocks.
 *
 * @example
 * ```ts
 * import { manifestResponse } from "./api.ts";
 * import { packContainer } from "../format/writer.ts";
 * import { openContainer } from "../seek/container.ts";
 * import assert from "node:assert/strict";
 * const c = await openContainer(await packContainer([
 *   { track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array([7]) },
 * ]));
 * const manifest = await (await manifestResponse(c, null, { trak: true, seek: true })).json();
 * assert(manifest.core_blocks === 1 && manifest.trak[0].core_index === 0);
 * ```
 */
export async function manifestResponse(
  c: Container,
  name: string | null,
  params: ManifestParams,
): Promise<Response> {
  const encoder = new TextEncoder();
  const it = await manifestJson(c, { name, seek: params.seek, trak: params.trak });
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await it.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (e) {
        controller.error(e);
      }
    },
    async cancel() {
      await it.return(undefined);
    },
  });
  return new Response(body, {
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

/**
 * The seek answer: `track_id`, `pts_us`, `keyframe_pts_us`, `core_index`, `found`, `offset`,
 * `stored_length`. An unknown track is 404 (`H4_UNKNOWN_TRACK`).
 *
 * @example
 * ```ts
 * import { seekResponse } from "./api.ts";
 * import { packContainer } from "../format/writer.ts";
 * import { openContainer } from "../seek/container.ts";
 * import assert from "node:assert/strict";
 * const c = await openContainer(await packContainer([
 *   { track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array([7]) },
 * ]));
 * const answer = await seekResponse(c, { trackId: "v", ptsUs: 5 }).json();
 * assert(answer.core_index === 0 && answer.found);
 * ```
 */
export function seekResponse(c: Container, p: SeekParams): Response {
  return jsonResponse(c.seek(p.trackId, p.ptsUs));
}

/**
 * A block's bytes as `application/octet-stream`: decoded (`decompress=true`) or as stored.
 * Decoding a block of an encrypted container needs a key the server never has: 409
 * `H4_ENCRYPTED`. An index past the end is 416 `H4_BLOCK_OUT_OF_RANGE`; a block longer than
 * `maxBlock` (default 64 MiB) is 422 `H4_LIMIT_EXCEEDED` (H4-HTTP-018). Headers `X-H4-*`
 * describe the block.
 *
 * @example
 * ```ts
 * import { blockResponse } from "./api.ts";
 * import { packContainer } from "../format/writer.ts";
 * import { openContainer } from "../seek/container.ts";
 * import assert from "node:assert/strict";
 * const c = await openContainer(await packContainer([
 *   { track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array([7]) },
 * ]));
 * const res = await blockResponse(c, { index: 0, decompress: true, verify: true });
 * assert((await res.bytes())[0] === 7);
 * ```
 */
export async function blockResponse(
  c: Container,
  p: BlockParams,
  opts: BlockOptions = {},
): Promise<Response> {
  if (p.index >= c.blockCount) {
    throw new H4Error(
      "H4_BLOCK_OUT_OF_RANGE",
      `block ${p.index} does not exist: the container has ${c.blockCount} blocks`,
    );
  }
  if (p.decompress && c.encrypted) {
    throw new H4Error(
      "H4_ENCRYPTED",
      `block ${p.index} is encrypted and the server has no key: ask with decompress=false for the stored bytes`,
    );
  }
  const e = await c.entry(p.index);
  const maxBlock = opts.maxBlock ?? DEFAULT_MAX_BLOCK;
  const length = p.decompress ? e.plain_length : e.stored_length;
  if (length > maxBlock) {
    throw new H4Error(
      "H4_LIMIT_EXCEEDED",
      `block ${p.index} is ${length} bytes ${
        p.decompress ? "decoded" : "stored"
      }, over this server's limit of ${maxBlock} bytes`,
    );
  }
  let body: Uint8Array | ReadableStream<Uint8Array>;
  if (!p.decompress || e.plain_length <= STREAM_ABOVE) {
    // Small blocks are decoded whole, so a damaged one is a 422 rather than a cut body.
    body = await c.readBlock(p.index, { raw: !p.decompress, verify: p.verify });
  } else {
    // Large ones are decoded while they are sent: memory stays that of the stored bytes
    // plus about 1 MiB, whatever the plain length (a decompression bomb costs nothing more).
    const stored = await c.readBlock(p.index, { raw: true, verify: p.verify });
    body = decodePayloadStream(e.codec, stored, e.plain_length);
  }
  return new Response(body as Uint8Array<ArrayBuffer>, {
    headers: {
      "content-type": "application/octet-stream",
      "content-length": String(length),
      "x-h4-core-index": String(e.index),
      "x-h4-track-id": encodeURIComponent(e.track_id),
      "x-h4-pts-us": String(e.pts_us),
      "x-h4-kind": e.kind,
      "x-h4-keyframe": String(e.keyframe),
      "x-h4-codec": p.decompress ? "none" : e.codec,
      "x-h4-encrypted": String(c.encrypted),
    },
  });
}

function bool(q: URLSearchParams, name: string, fallback: boolean): boolean {
  const v = q.get(name);
  if (v === null || v === "") return fallback;
  const t = v.toLowerCase();
  if (t === "true" || t === "1" || t === "yes") return true;
  if (t === "false" || t === "0" || t === "no") return false;
  throw badParam(`${name} must be true or false, got ${JSON.stringify(v)}`);
}

function badParam(message: string): HttpError {
  return new HttpError(400, "H4_BAD_ARGUMENT", message);
}
