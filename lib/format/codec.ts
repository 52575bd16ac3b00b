/**
 * Codec dispatch, SPEC.md section 5.
 *
 * @module
 */
import { CODEC_IDS, CODEC_NAMES } from "./constants.ts";
import { H4Error } from "./errors.ts";
import { rleDecode, rleEncode } from "./rle.ts";
import type { CodecName } from "./types.ts";

// deflate is loaded on first use: a reader of uncompressed blocks never needs it.
let deflate: Promise<typeof import("./deflate.ts")> | undefined;
const loadDeflate = () => deflate ??= import("./deflate.ts");

/**
 * The codec name of an id; unknown ids are `H4_UNKNOWN_CODEC` (H4-COD-001).
 *
 * @example
 * ```ts
 * import { codecName } from "./codec.ts";
 * import assert from "node:assert/strict";
 * assert(codecName(2) === "rle");
 * ```
 */
export function codecName(id: number, offset?: number, chunk?: string): CodecName {
  const name = CODEC_NAMES[id];
  if (name === undefined) {
    throw new H4Error(
      "H4_UNKNOWN_CODEC",
      `codec id ${id} is not none (0), deflate (1) or rle (2)`,
      {
        offset,
        chunk,
        rule: "H4-COD-001",
      },
    );
  }
  return name;
}

/**
 * The id of a codec name; a name not in SPEC.md is `H4_BAD_ARGUMENT`.
 *
 * @example
 * ```ts
 * import { codecId } from "./codec.ts";
 * import assert from "node:assert/strict";
 * assert(codecId("deflate") === 1);
 * ```
 */
export function codecId(name: string): number {
  const id = Object.hasOwn(CODEC_IDS, name)
    ? (CODEC_IDS as Record<string, number>)[name]
    : undefined;
  if (id === undefined) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `codec must be none, deflate or rle, got ${JSON.stringify(name)}`,
    );
  }
  return id;
}

/**
 * Encodes a payload with a codec.
 *
 * @example
 * ```ts
 * import { encodePayload } from "./codec.ts";
 * import assert from "node:assert/strict";
 * assert((await encodePayload("rle", new Uint8Array(4))).length === 2);
 * ```
 */
export function encodePayload(
  codec: CodecName,
  payload: Uint8Array,
): Promise<Uint8Array> | Uint8Array {
  if (codec === "none") return payload;
  if (codec === "rle") return rleEncode(payload);
  return loadDeflate().then((d) => d.deflateEncode(payload));
}

/**
 * Decodes stored (decrypted) bytes to exactly `plainLength` bytes.
 *
 * @example
 * ```ts
 * import { decodePayload } from "./codec.ts";
 * import assert from "node:assert/strict";
 * assert((await decodePayload("rle", new Uint8Array([1, 4]), 4)).length === 4);
 * ```
 */
export async function decodePayload(
  codec: CodecName,
  stored: Uint8Array,
  plainLength: number,
): Promise<Uint8Array> {
  if (codec === "none") {
    if (stored.length !== plainLength) {
      throw new H4Error(
        "H4_CODEC_ERROR",
        `none: ${stored.length} bytes, plain length is ${plainLength}`,
        {
          rule: "H4-COD-002",
        },
      );
    }
    return stored;
  }
  if (codec === "rle") return rleDecode(stored, plainLength);
  return await (await loadDeflate()).deflateDecode(stored, plainLength);
}
