/**
 * Expectations of the LivingCipher vectors (conformance/gen/cipher_vectors.ts): the conformance schema
 * plus the cipher fields, and the canonical read result derived from the input blocks.
 *
 * @module
 */
import { LEGACY_COMPRESSION } from "../../lib/format/constants.ts";
import { rleEncode } from "../../lib/format/rle.ts";
import { encodeSeekm } from "../../lib/format/seekm.ts";
import { sha256 } from "../../lib/hash/sha256.ts";
import { TAG_LENGTH } from "../../lib/living/constants.ts";
import type { CraftBlock } from "../builder/build.ts";
import { CIPHER_VECTOR_DIR, META, type Profile, SAFE } from "./cipher_build.ts";
import { encodeKeyFile, type LivingKey } from "../../lib/living/keys.ts";
import type { CipherExpectation, RandomAccessExpectation } from "../../lib/living/vector_check.ts";

export type { CipherExpectation, RandomAccessExpectation };

/** A key file of the vectors: `keys/NAME.key`. */
export interface KeyFile {
  name: string;
  key: LivingKey;
}

/** One generated vector. */
export interface GeneratedVector {
  name: string;
  bytes: Uint8Array;
  exp: CipherExpectation;
}

const CLASS_OF: Record<string, string> = { H4_BAD_LOCATOR: "structure" };

/** The expectation of a vector. */
export function expectation(
  cls: "valid" | "invalid",
  rules: string[],
  flags: string[],
  description: string,
  key: KeyFile,
  random_access: RandomAccessExpectation,
  error?: { code: string; also?: string[] },
  result?: unknown,
): CipherExpectation {
  const e: CipherExpectation = {
    class: cls,
    rules,
    description,
    flags,
    read_args: ["--key", `${CIPHER_VECTOR_DIR}/keys/${key.name}.key`],
    key: encodeKeyFile(key.key).trim(),
    random_access,
  };
  if (error) {
    e.expect_error = error.code;
    e.error_class = CLASS_OF[error.code] ?? "cipher";
    if (error.also?.length) e.also_accept = error.also;
  }
  if (result) e.result = result;
  return e;
}

/** Lowercase hex. */
export const hex = (b: Uint8Array): string => b.toHex();

/** The canonical read result of a container written from `blocks` (derived from the input). */
export function canonicalResult(
  blocks: CraftBlock[],
  profile: Profile,
  meta = META,
  safe: Record<string, unknown> | null = SAFE,
  sealed = 0,
) {
  const ids = [...new Set(blocks.map((b) => b.track_id))].sort();
  const seek: Record<string, [number, number][]> = {};
  for (const id of ids) {
    seek[id] = blocks.flatMap((
      b,
      i,
    ) => (b.track_id === id && b.keyframe ? [[b.pts_us, i] as [number, number]] : []))
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  }
  const fullMeta: Record<string, unknown> = { ...meta, domain: "video-transport", tracks: ids };
  if (profile === "v1") {
    fullMeta.seekm_b64 = encodeSeekm(ids.map((id) => ({ track_id: id, entries: seek[id] })))
      .toBase64();
    if (blocks.length > 0 && blocks.every((b) => b.codec === "rle")) {
      fullMeta.compression = { ...LEGACY_COMPRESSION };
    }
  }
  return {
    version: profile === "v1" ? 1 : 2,
    profile,
    encrypted: true,
    tracks: ids.map((id) => ({
      track_id: id,
      codec: "none",
      blocks: blocks.filter((b) => b.track_id === id).length,
      keyframes: blocks.filter((b) => b.track_id === id && b.keyframe).length,
      seek_entries: seek[id].length,
    })),
    blocks: blocks.map((b, i) => {
      const codec = b.codec ?? "none";
      const encoded = codec === "rle" ? rleEncode(b.payload) : b.payload;
      return {
        index: i,
        track_id: b.track_id,
        pts_us: b.pts_us,
        kind: b.kind,
        keyframe: b.keyframe,
        codec,
        stored_length: encoded.length + TAG_LENGTH,
        plain_length: b.payload.length,
        // Blocks before an epoch key's epoch stay sealed: no payload to hash (H4-LC-017).
        sha256: i < sealed ? null : hex(sha256(b.payload)),
      };
    }),
    meta: fullMeta,
    safe,
    seek,
  };
}
