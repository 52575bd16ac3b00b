/**
 * The OpenAPI 3.1 description of the HTTP API, served at `GET /openapi.json`.
 *
 * @module
 */

const errorRef = { $ref: "#/components/responses/Error" };
const json = (schema: unknown) => ({ "application/json": { schema } });
const octets = {
  "application/octet-stream": {
    schema: { type: "string", contentMediaType: "application/octet-stream" },
  },
};

const nameParam = {
  name: "name",
  in: "query",
  required: false,
  description: "A container under the served root (relative path, `/`-separated). " +
    "When given, the request body is not read.",
  schema: { type: "string" },
};
const pathName = {
  name: "NAME",
  in: "path",
  required: true,
  description: "Relative path of a container under the served root (may contain `/`).",
  schema: { type: "string" },
};
const trackParam = { name: "track_id", in: "query", required: true, schema: { type: "string" } };
const ptsParam = {
  name: "pts_us",
  in: "query",
  required: true,
  description: "Target time in microseconds (may be negative).",
  schema: { type: "integer" },
};
const indexParams = [
  {
    name: "core_index",
    in: "query",
    required: false,
    description: "Block index; `index` is accepted too. One of them is required.",
    schema: { type: "integer", minimum: 0 },
  },
  { name: "index", in: "query", required: false, schema: { type: "integer", minimum: 0 } },
];
const blockOptions = [
  {
    name: "decompress",
    in: "query",
    required: false,
    description: "true (default): the decoded payload; false: the stored bytes as is " +
      "(ciphertext for encrypted containers). true on an encrypted container is 409 H4_ENCRYPTED.",
    schema: { type: "boolean", default: true },
  },
  {
    name: "verify",
    in: "query",
    required: false,
    description: "Check the block's storage chunk against BHSH first (422 H4_BLOCK_HASH_MISMATCH).",
    schema: { type: "boolean", default: false },
  },
];
const manifestOptions = [
  {
    name: "trak",
    in: "query",
    required: false,
    description: "Include `trak` (one entry per block); false gives null.",
    schema: { type: "boolean", default: true },
  },
  {
    name: "seek",
    in: "query",
    required: false,
    description: "Include `seek` (keyframes per track); false gives null.",
    schema: { type: "boolean", default: true },
  },
];
const uploadBody = {
  required: false,
  description: "The container, as raw bytes or as the field `file` of a multipart form " +
    "(omit it and give `name` instead). Over the upload limit: 413.",
  content: {
    "application/octet-stream": {
      schema: { type: "string", contentMediaType: "application/octet-stream" },
    },
    "multipart/form-data": {
      schema: {
        type: "object",
        properties: { file: { type: "string", contentMediaType: "application/octet-stream" } },
        required: ["file"],
      },
    },
  },
};
const blockHeaders = {
  "X-H4-Core-Index": { schema: { type: "integer" } },
  "X-H4-Track-Id": { description: "Percent-encoded track id.", schema: { type: "string" } },
  "X-H4-Pts-Us": { schema: { type: "integer" } },
  "X-H4-Kind": { schema: { type: "string", enum: ["I", "P", "B"] } },
  "X-H4-Keyframe": { schema: { type: "boolean" } },
  "X-H4-Codec": { description: "Codec of the bytes sent.", schema: { type: "string" } },
  "X-H4-Encrypted": { schema: { type: "boolean" } },
};
const fileHeaders = {
  "ETag": { schema: { type: "string" } },
  "Last-Modified": { schema: { type: "string" } },
  "Accept-Ranges": { schema: { type: "string", const: "bytes" } },
  "Content-Length": { schema: { type: "integer" } },
};

function containerOps(kind: "manifest" | "seek" | "block", upload: boolean) {
  const common = upload
    ? { parameters: [nameParam] as unknown[], requestBody: uploadBody }
    : { parameters: [pathName] as unknown[] };
  const errors = {
    "400": errorRef,
    "404": errorRef,
    ...(upload ? { "413": errorRef } : {}),
    "422": errorRef,
  };
  if (kind === "manifest") {
    return {
      summary: "Container manifest: header, META, tracks, seek tables, block list, SAFE",
      ...common,
      parameters: [...common.parameters, ...manifestOptions],
      responses: {
        "200": {
          description: "The manifest",
          content: json({ $ref: "#/components/schemas/Manifest" }),
        },
        ...errors,
      },
    };
  }
  if (kind === "seek") {
    return {
      summary: "Where to start decoding to show time pts_us on a track",
      ...common,
      parameters: [...common.parameters, trackParam, ptsParam],
      responses: {
        "200": {
          description: "The seek answer",
          content: json({ $ref: "#/components/schemas/Seek" }),
        },
        ...errors,
      },
    };
  }
  return {
    summary: "One block's bytes",
    ...common,
    parameters: [...common.parameters, ...(upload ? indexParams : []), ...blockOptions],
    responses: {
      "200": { description: "The block", headers: blockHeaders, content: octets },
      ...errors,
      "409": errorRef,
      "416": errorRef,
    },
  };
}

/**
 * Builds the OpenAPI 3.1 document of every route.
 *
 * @example
 * ```ts
 * import { openapiDocument } from "./openapi.ts";
 * import assert from "node:assert/strict";
 * const doc = openapiDocument() as { openapi: string; paths: Record<string, unknown> };
 * assert(doc.openapi === "3.1.0" && "/video/manifest" in doc.paths);
 * ```
 */
export function openapiDocument(): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: {
      title: "H4MK container service",
      version: "1.0.0",
      description: "Reads H4MK containers (SPEC.md section 16): manifests, seeks and blocks of " +
        "uploaded containers or of containers under the served root, and the files themselves " +
        "with HTTP Range. The server never holds a key: encrypted blocks are served as stored.",
    },
    paths: {
      "/video/manifest": { post: containerOps("manifest", true) },
      "/video/seek_to_block": { post: containerOps("seek", true) },
      "/video/block": { post: containerOps("block", true) },
      "/files/{NAME}": {
        get: {
          summary: "The container's bytes, with Range",
          description: "Single ranges and suffix ranges give 206; a Range with several ranges " +
            "is ignored (200, whole file). If-Match / If-Unmodified-Since failing: 412; " +
            "If-None-Match / If-Modified-Since matching: 304; If-Range not matching: 200.",
          parameters: [
            pathName,
            { name: "Range", in: "header", required: false, schema: { type: "string" } },
            { name: "If-Range", in: "header", required: false, schema: { type: "string" } },
            { name: "If-Match", in: "header", required: false, schema: { type: "string" } },
            { name: "If-None-Match", in: "header", required: false, schema: { type: "string" } },
          ],
          responses: {
            "200": { description: "The whole file", headers: fileHeaders, content: octets },
            "206": {
              description: "One range",
              headers: { ...fileHeaders, "Content-Range": { schema: { type: "string" } } },
              content: octets,
            },
            "304": { description: "Not modified" },
            "400": errorRef,
            "404": errorRef,
            "412": errorRef,
            "416": {
              description: "Range outside the file; Content-Range: bytes */SIZE",
              content: json({ $ref: "#/components/schemas/Error" }),
            },
          },
        },
        head: {
          summary: "Headers of GET /files/{NAME}",
          parameters: [pathName],
          responses: {
            "200": { description: "Headers only" },
            "206": { description: "Headers only" },
            "404": errorRef,
          },
        },
      },
      "/files/{NAME}/manifest": { get: containerOps("manifest", false) },
      "/files/{NAME}/seek": { get: containerOps("seek", false) },
      "/files/{NAME}/block/{N}": {
        get: (() => {
          const op = containerOps("block", false);
          return {
            ...op,
            parameters: [
              ...op.parameters,
              { name: "N", in: "path", required: true, schema: { type: "integer", minimum: 0 } },
            ],
          };
        })(),
      },
      "/openapi.json": {
        get: {
          summary: "This document",
          responses: {
            "200": { description: "OpenAPI 3.1 document", content: json({ type: "object" }) },
          },
        },
      },
    },
    components: {
      responses: {
        Error: {
          description: "An error",
          content: json({ $ref: "#/components/schemas/Error" }),
        },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: {
                  type: "string",
                  description: "An H4 error code (SPEC.md section 14) or an HTTP_* code",
                },
                message: { type: "string" },
              },
            },
          },
        },
        Seek: {
          type: "object",
          required: ["track_id", "pts_us", "keyframe_pts_us", "core_index", "found"],
          properties: {
            track_id: { type: "string" },
            pts_us: { type: "integer" },
            keyframe_pts_us: { type: "integer" },
            core_index: { type: "integer" },
            found: { type: "boolean" },
            offset: { type: "integer" },
            stored_length: { type: "integer" },
          },
        },
        Manifest: {
          type: "object",
          required: ["container", "meta", "tracks", "seek", "trak", "safe", "core_blocks"],
          properties: {
            container: { const: "H4MK", description: "As the original service answered" },
            h4mk: {
              type: "object",
              description: "This implementation's details of the file",
              properties: {
                name: { type: ["string", "null"] },
                version: { type: "integer" },
                profile: { enum: ["v1", "v2", "legacy"] },
                size: { type: "integer" },
                blocks: { type: "integer" },
                chunks: { type: "integer" },
                encrypted: { type: "boolean" },
                root: { type: ["string", "null"], description: "Root digest, hex" },
                block_compression: {
                  type: "string",
                  description: "How blocks are stored: none, deflate, rle or mixed",
                },
                integrity: {
                  type: "object",
                  description: "As far as checked: the server runs no full verification",
                  properties: {
                    root_checked: { type: "boolean" },
                    verified: { type: ["boolean", "null"] },
                    failed: { type: "array", items: { type: "string" } },
                    trusted: { type: "boolean" },
                  },
                },
                media: {
                  type: ["object", "null"],
                  description: "Per imported media track (META.media): codec, size, rates...",
                },
                signatures: {
                  type: "array",
                  description:
                    "Signatures (SPEC.md section 18): key id, public key, whether it verifies",
                  items: { type: "object" },
                },
              },
            },
            meta: {
              type: "object",
              description: "META without the legacy index keys seekm_b64 and trak_b64",
            },
            tracks: { type: "array", items: { type: "string" } },
            seek: {
              type: ["object", "null"],
              additionalProperties: {
                type: "array",
                items: {
                  type: "object",
                  properties: { pts_us: { type: "integer" }, core_index: { type: "integer" } },
                },
              },
            },
            trak: {
              type: ["array", "null"],
              items: {
                type: "object",
                properties: {
                  track_id: { type: "string" },
                  pts_us: { type: "integer" },
                  kind: { enum: ["I", "P", "B"] },
                  keyframe: { type: "boolean" },
                  core_index: { type: "integer" },
                },
              },
            },
            safe: { type: ["object", "null"] },
            core_blocks: { type: "integer" },
            track_info: { type: "array", items: { type: "object" } },
          },
        },
      },
    },
  };
}
