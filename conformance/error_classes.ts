/**
 * Error classes of SPEC.md section 14. The runner compares classes so that a reader rejecting a
 * vector for the wrong reason is told apart from one rejecting it for the right one.
 *
 * @module
 */

/** An error class of SPEC.md section 14, plus `other` for caller and environment codes. */
export type ErrorClass =
  | "header"
  | "structure"
  | "integrity"
  | "codec"
  | "cipher"
  | "limit"
  | "lookup"
  | "other";

/** Codes of SPEC.md section 14 by class (H4_CIPHER_* is matched by prefix). */
export const ERROR_CLASS: Readonly<Record<string, ErrorClass>> = {
  H4_BAD_MAGIC: "header",
  H4_UNSUPPORTED_VERSION: "header",
  H4_TRUNCATED: "structure",
  H4_CHUNK_OVERRUN: "structure",
  H4_BAD_CHUNK: "structure",
  H4_MISSING_CHUNK: "structure",
  H4_BAD_LOCATOR: "structure",
  H4_BAD_VARINT: "structure",
  H4_BAD_TRACKS: "structure",
  H4_BAD_INDEX: "structure",
  H4_INDEX_OUT_OF_FILE: "structure",
  H4_INDEX_MISMATCH: "structure",
  H4_BAD_SEEK_TABLE: "structure",
  H4_BAD_UTF8: "structure",
  H4_BAD_JSON: "structure",
  H4_LEGACY_NO_INDEX: "structure",
  H4_CRC_MISMATCH: "integrity",
  H4_VERI_MISMATCH: "integrity",
  H4_DIGEST_MISMATCH: "integrity",
  H4_BLOCK_HASH_MISMATCH: "integrity",
  H4_BAD_SIGNATURE: "integrity",
  H4_UNTRUSTED: "integrity",
  H4_UNKNOWN_CODEC: "codec",
  H4_CODEC_ERROR: "codec",
  H4_ENCRYPTED: "cipher",
  H4_LIMIT_EXCEEDED: "limit",
  H4_UNKNOWN_TRACK: "lookup",
  H4_BLOCK_OUT_OF_RANGE: "lookup",
  H4_BAD_ARGUMENT: "other",
  H4_IO: "other",
  H4_SOURCE_CHANGED: "other",
  H4_RANGE_UNSUPPORTED: "other",
};

/**
 * Class of an error code; null for a code SPEC.md does not define.
 *
 * @example
 * ```ts
 * import { errorClass } from "./error_classes.ts";
 * import assert from "node:assert/strict";
 * assert(errorClass("H4_CRC_MISMATCH") === "integrity");
 * assert(errorClass("H4_CIPHER_AUTH_FAILED") === "cipher");
 * assert(errorClass("EOF") === null);
 * ```
 */
export function errorClass(code: string): ErrorClass | null {
  if (/^H4_CIPHER_[A-Z0-9_]+$/.test(code)) return "cipher";
  return ERROR_CLASS[code] ?? null;
}
