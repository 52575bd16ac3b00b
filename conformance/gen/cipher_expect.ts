/**
 * Expectations of the LivingCipher vectors (conformance/gen/cipher_vectors.ts): the conformance schema
 * plus the cipher fields, and the canonical read result, derived by the builder from what it put in.
 *
 * @module
 */
import type { CanonicalRead } from "../canonical.ts";
import { expectedRead } from "../builder/expect.ts";
import { type Built, CIPHER_VECTOR_DIR } from "./cipher_build.ts";
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

/**
 * The canonical read result of a crafted container read with a key (builder/expect.ts), where
 * the first `sealed` blocks stay sealed: an epoch key does not open the epochs before its own,
 * so they have no payload to hash (H4-LC-017).
 */
export function canonicalResult(built: Built, sealed = 0): CanonicalRead {
  const r = expectedRead(built.craft, { decrypted: true });
  for (const b of r.blocks.slice(0, sealed)) b.sha256 = null;
  return r;
}
