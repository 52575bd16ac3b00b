/**
 * The one error type of H4MK. Every rejection of bad input, from any layer, is an
 * {@linkcode H4Error} with a stable {@linkcode H4ErrorCode}; callers switch on `code`,
 * never on the message.
 *
 * @module
 */

/** Stable error codes. Codes are part of the public contract: never renamed, only added. */
export const H4_ERROR_CODES = [
  // structure
  "H4_BAD_MAGIC",
  "H4_UNSUPPORTED_VERSION",
  "H4_TRUNCATED",
  "H4_CHUNK_OVERRUN",
  "H4_BAD_CHUNK",
  "H4_MISSING_CHUNK",
  "H4_BAD_LOCATOR",
  "H4_BAD_VARINT",
  // tables
  "H4_BAD_TRACKS",
  "H4_BAD_INDEX",
  "H4_INDEX_OUT_OF_FILE",
  "H4_INDEX_MISMATCH",
  "H4_BAD_SEEK_TABLE",
  "H4_BAD_JSON",
  "H4_BAD_UTF8",
  "H4_LEGACY_NO_INDEX",
  // integrity
  "H4_CRC_MISMATCH",
  "H4_VERI_MISMATCH",
  "H4_DIGEST_MISMATCH",
  "H4_BLOCK_HASH_MISMATCH",
  // signatures and trust (SPEC.md section 18)
  "H4_BAD_SIGNATURE",
  "H4_UNTRUSTED",
  // payloads
  "H4_UNKNOWN_CODEC",
  "H4_CODEC_ERROR",
  "H4_ENCRYPTED",
  // limits and lookups
  "H4_LIMIT_EXCEEDED",
  "H4_UNKNOWN_TRACK",
  "H4_BLOCK_OUT_OF_RANGE",
  // caller and environment
  "H4_BAD_ARGUMENT",
  "H4_IO",
  "H4_SOURCE_CHANGED",
  "H4_RANGE_UNSUPPORTED",
  // LivingCipher
  "H4_CIPHER_UNKNOWN_SUITE",
  "H4_CIPHER_BAD_HEADER",
  "H4_CIPHER_BAD_KEY",
  "H4_CIPHER_AUTH_FAILED",
  "H4_CIPHER_WRONG_EPOCH",
  "H4_CIPHER_TRANSCRIPT_MISMATCH",
  "H4_CIPHER_SEAL_MISMATCH",
  "H4_CIPHER_UNSEALED_DATA",
] as const;

/** One of {@linkcode H4_ERROR_CODES}. */
export type H4ErrorCode = typeof H4_ERROR_CODES[number];

/** Where in a container an error was found, when that is known. */
export interface H4ErrorDetail {
  /** Byte offset in the container. */
  offset?: number;
  /** Four-character chunk tag, e.g. `"BIDX"`. */
  chunk?: string;
  /** SPEC.md rule id that the input breaks, e.g. `"H4-FMT-003"`. */
  rule?: string;
  /** The underlying error, kept for `--debug`; never shown in the one-line message. */
  cause?: unknown;
}

/**
 * A typed H4MK error: a stable `code`, a one-line `message` that says what was received,
 * and where it happened.
 *
 * @example
 * ```ts
 * import { H4Error } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const e = new H4Error("H4_BAD_MAGIC", "expected \"H4MK\", got \"RIFF\"", { offset: 0 });
 * assert(e.code === "H4_BAD_MAGIC" && e.offset === 0);
 * ```
 */
export class H4Error extends Error {
  /** Stable machine-readable code. */
  readonly code: H4ErrorCode;
  /** Byte offset in the container, when known. */
  readonly offset?: number;
  /** Chunk tag, when known. */
  readonly chunk?: string;
  /** SPEC.md rule id, when known. */
  readonly rule?: string;

  /** Makes an error; `message` must be one line. */
  constructor(code: H4ErrorCode, message: string, detail: H4ErrorDetail = {}) {
    super(message.replace(/\s*\n\s*/g, " "), { cause: detail.cause });
    this.name = "H4Error";
    this.code = code;
    if (detail.offset !== undefined) this.offset = detail.offset;
    if (detail.chunk !== undefined) this.chunk = detail.chunk;
    if (detail.rule !== undefined) this.rule = detail.rule;
  }
}

/**
 * True when `e` is an {@linkcode H4Error}, optionally with the given code.
 *
 * @example
 * ```ts
 * import { H4Error, isH4Error } from "./errors.ts";
 * import assert from "node:assert/strict";
 * assert(isH4Error(new H4Error("H4_TRUNCATED", "x"), "H4_TRUNCATED"));
 * ```
 */
export function isH4Error(e: unknown, code?: H4ErrorCode): e is H4Error {
  return e instanceof H4Error && (code === undefined || e.code === code);
}
