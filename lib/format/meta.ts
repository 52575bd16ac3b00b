/**
 * META and SAFE, SPEC.md section 8: compact UTF-8 JSON objects.
 *
 * @module
 */
import { decodeUtf8, encodeUtf8 } from "./bytes.ts";
import { LIMITS } from "./constants.ts";
import { H4Error } from "./errors.ts";

/** A META or SAFE document. */
export type JsonObject = Record<string, unknown>;

/**
 * Encodes an object as compact UTF-8 JSON, as the original writer does.
 *
 * @example
 * ```ts
 * import { encodeJsonDoc } from "./meta.ts";
 * import assert from "node:assert/strict";
 * assert(new TextDecoder().decode(encodeJsonDoc({ a: "é" })) === '{"a":"é"}');
 * ```
 */
export function encodeJsonDoc(doc: JsonObject): Uint8Array {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `META and SAFE must be JSON objects, got ${Array.isArray(doc) ? "an array" : typeof doc}`,
    );
  }
  let text: string;
  try {
    text = JSON.stringify(doc);
  } catch (e) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `META and SAFE must be JSON: ${(e as Error).message.split("\n")[0]}`,
    );
  }
  const depth = jsonDepth(text);
  if (depth > LIMITS.jsonDepth) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `JSON document nests ${depth} levels, the limit is ${LIMITS.jsonDepth}`,
    );
  }
  const bytes = encodeUtf8(text);
  if (bytes.length > LIMITS.jsonBytes) {
    throw new H4Error(
      "H4_LIMIT_EXCEEDED",
      `JSON document of ${bytes.length} bytes exceeds ${LIMITS.jsonBytes}`,
    );
  }
  return bytes;
}

/** Nesting depth of JSON text, without parsing (so a deep document cannot blow the stack). */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/**
 * Decodes META or SAFE (H4-MET-001): strict UTF-8, valid JSON, an object, depth ≤ 64.
 *
 * @example
 * ```ts
 * import { decodeJsonDoc } from "./meta.ts";
 * import assert from "node:assert/strict";
 * assert(decodeJsonDoc(new TextEncoder().encode('{"a":1}'), "META").a === 1);
 * ```
 */
export function decodeJsonDoc(bytes: Uint8Array, chunk: string, offset?: number): JsonObject {
  if (bytes.length > LIMITS.jsonBytes) {
    throw new H4Error(
      "H4_LIMIT_EXCEEDED",
      `${chunk} of ${bytes.length} bytes exceeds ${LIMITS.jsonBytes}`,
      {
        chunk,
        offset,
        rule: "H4-LIM-001",
      },
    );
  }
  const text = decodeUtf8(bytes, chunk, offset);
  const depth = jsonDepth(text);
  if (depth > LIMITS.jsonDepth) {
    throw new H4Error(
      "H4_BAD_JSON",
      `${chunk} nests ${depth} levels, the limit is ${LIMITS.jsonDepth}`,
      {
        chunk,
        offset,
        rule: "H4-MET-001",
      },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new H4Error(
      "H4_BAD_JSON",
      `${chunk} is not valid JSON (${(e as Error).message.split("\n")[0]})`,
      {
        chunk,
        offset,
        rule: "H4-MET-001",
      },
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new H4Error(
      "H4_BAD_JSON",
      `${chunk} must be a JSON object, got ${
        Array.isArray(value) ? "an array" : value === null ? "null" : typeof value
      }`,
      {
        chunk,
        offset,
        rule: "H4-MET-001",
      },
    );
  }
  return value as JsonObject;
}
