/**
 * Signing key files, SPEC.md section 18.3: one line of text each, typed by their first word so
 * that neither is mistaken for the other nor for a LivingCipher key file (`h4mk-key-1`):
 *
 *     h4mk-sign-secret-1 <key id> <base64 seed>        NAME.key (mode 0600)
 *     h4mk-sign-public-1 <key id> <base64 public key>  NAME.key.pub
 *
 * No function here puts secret key bytes in an error message.
 *
 * @module
 */
import { ed25519PublicKey, generateEd25519 } from "./ed25519.ts";
import { H4Error } from "./errors.ts";
import { keyIdOf } from "./signature.ts";

/** First word of a secret signing key file. */
export const SIGN_SECRET_PREFIX = "h4mk-sign-secret-1";
/** First word of a public signing key file. */
export const SIGN_PUBLIC_PREFIX = "h4mk-sign-public-1";

/** A secret signing key: Ed25519 seed and public key. */
export interface SigningKey {
  /** 32-byte Ed25519 seed. */
  seed: Uint8Array;
  /** 32-byte public key. */
  publicKey: Uint8Array;
  /** Short key id. */
  keyId: string;
}

/** A public signing key. */
export interface PublicSigningKey {
  /** 32-byte public key. */
  publicKey: Uint8Array;
  /** Short key id. */
  keyId: string;
}

function badKey(message: string): never {
  throw new H4Error("H4_BAD_ARGUMENT", message, { rule: "H4-SIG-006" });
}

function field(b64: string, what: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.fromBase64(b64);
  } catch {
    badKey(`the ${what} of the key file is not base64`);
  }
  if (bytes.length !== 32) badKey(`the ${what} of the key file is ${bytes.length} bytes, not 32`);
  return bytes;
}

function words(text: string, what: string): string[] {
  const w = text.trim().split(/\s+/);
  const first = w[0] ?? "";
  if (first === SIGN_SECRET_PREFIX || first === SIGN_PUBLIC_PREFIX) {
    if (w.length !== 3) badKey(`a ${what} file has 3 fields, got ${w.length}`);
    return w;
  }
  const shown = /^[a-z0-9-]{1,32}$/.test(first) ? `"${first}"` : "something else";
  badKey(
    `not a signing key file: it starts with ${shown}, expected "${
      what === "secret key" ? SIGN_SECRET_PREFIX : SIGN_PUBLIC_PREFIX
    }"`,
  );
}

/**
 * A new random signing key.
 *
 * @example
 * ```ts
 * import { generateSigningKey } from "./sign_keys.ts";
 * import assert from "node:assert/strict";
 * assert((await generateSigningKey()).keyId.length === 16);
 * ```
 */
export async function generateSigningKey(): Promise<SigningKey> {
  const { seed, publicKey } = await generateEd25519();
  return { seed, publicKey, keyId: keyIdOf(publicKey) };
}

/**
 * The signing key of a seed.
 *
 * @example
 * ```ts
 * import { signingKeyFromSeed } from "./sign_keys.ts";
 * import assert from "node:assert/strict";
 * assert((await signingKeyFromSeed(new Uint8Array(32))).publicKey.length === 32);
 * ```
 */
export async function signingKeyFromSeed(seed: Uint8Array): Promise<SigningKey> {
  const publicKey = await ed25519PublicKey(seed);
  return { seed, publicKey, keyId: keyIdOf(publicKey) };
}

/**
 * The secret key file line, with a final newline.
 *
 * @example
 * ```ts
 * import { encodeSecretKeyFile, signingKeyFromSeed } from "./sign_keys.ts";
 * import assert from "node:assert/strict";
 * const line = encodeSecretKeyFile(await signingKeyFromSeed(new Uint8Array(32)));
 * assert(line.startsWith("h4mk-sign-secret-1 "));
 * ```
 */
export function encodeSecretKeyFile(key: SigningKey): string {
  return `${SIGN_SECRET_PREFIX} ${key.keyId} ${key.seed.toBase64()}\n`;
}

/**
 * The public key file line, with a final newline.
 *
 * @example
 * ```ts
 * import { encodePublicKeyFile, signingKeyFromSeed } from "./sign_keys.ts";
 * import assert from "node:assert/strict";
 * const line = encodePublicKeyFile(await signingKeyFromSeed(new Uint8Array(32)));
 * assert(line.startsWith("h4mk-sign-public-1 "));
 * ```
 */
export function encodePublicKeyFile(key: PublicSigningKey): string {
  return `${SIGN_PUBLIC_PREFIX} ${key.keyId} ${key.publicKey.toBase64()}\n`;
}

/**
 * Parses a secret signing key file; the key id must match the key.
 *
 * @example
 * ```ts
 * import { encodeSecretKeyFile, parseSecretKeyFile, signingKeyFromSeed } from "./sign_keys.ts";
 * import assert from "node:assert/strict";
 * const k = await signingKeyFromSeed(new Uint8Array(32));
 * assert((await parseSecretKeyFile(encodeSecretKeyFile(k))).keyId === k.keyId);
 * ```
 */
export async function parseSecretKeyFile(text: string): Promise<SigningKey> {
  const w = words(text, "secret key");
  if (w[0] === SIGN_PUBLIC_PREFIX) {
    badKey("this is a public signing key file; signing needs the secret key file (NAME.key)");
  }
  const key = await signingKeyFromSeed(field(w[2], "seed"));
  if (key.keyId !== w[1]) badKey(`the key file names key id ${w[1]}, its key has another`);
  return key;
}

/**
 * Parses a public signing key file; the key id must match the key.
 *
 * @example
 * ```ts
 * import { encodePublicKeyFile, parsePublicKeyFile, signingKeyFromSeed } from "./sign_keys.ts";
 * import assert from "node:assert/strict";
 * const k = await signingKeyFromSeed(new Uint8Array(32));
 * assert(parsePublicKeyFile(encodePublicKeyFile(k)).keyId === k.keyId);
 * ```
 */
export function parsePublicKeyFile(text: string): PublicSigningKey {
  const w = words(text, "public key");
  if (w[0] === SIGN_SECRET_PREFIX) {
    badKey("this is a secret signing key file; trust takes the public key file (NAME.key.pub)");
  }
  const publicKey = field(w[2], "public key");
  const keyId = keyIdOf(publicKey);
  if (keyId !== w[1]) badKey(`the key file names key id ${w[1]}, its key has id ${keyId}`);
  return { publicKey, keyId };
}
