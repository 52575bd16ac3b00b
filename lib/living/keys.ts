/**
 * LivingCipher keys and key files, SPEC.md sections 12.2 and 12.11: root keys (32 random bytes
 * or derived from a shared secret) and epoch keys (a grant of access from one epoch onward).
 * Key files are one line of text. No function here puts key bytes in an error message.
 *
 * @module
 */
import { expand, extract } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { H4Error } from "../format/errors.ts";
import {
  CONTAINER_ID_LENGTH,
  DEFAULT_SHARED_SECRET_INFO,
  KEY_FILE_EPOCH,
  KEY_FILE_ROOT,
  KEY_LENGTH,
  LABELS,
  MAX_BLOCKS,
  MIN_SHARED_SECRET_LENGTH,
} from "./constants.ts";

/** A root key: opens every epoch of every container sealed with it. */
export interface RootKey {
  /** Discriminant. */
  readonly kind: "root";
  /** The 32 key bytes. */
  readonly key: Uint8Array;
}

/** An epoch key: opens epochs `epoch`, `epoch + 1`, ... of one container, and nothing before. */
export interface EpochKey {
  /** Discriminant. */
  readonly kind: "epoch";
  /** The container id (16 bytes) the key belongs to. */
  readonly containerId: Uint8Array;
  /** First epoch the key opens. */
  readonly epoch: number;
  /** The 32 bytes of E_epoch. */
  readonly key: Uint8Array;
}

/** A parsed LivingCipher key (SPEC.md section 12.2). */
export type LivingKey = RootKey | EpochKey;

function badKey(message: string): never {
  throw new H4Error("H4_CIPHER_BAD_KEY", message, { rule: "H4-LC-002" });
}

/**
 * 32 random bytes from the platform's CSPRNG: a new root key.
 *
 * @example
 * ```ts
 * import { generateKey } from "./keys.ts";
 * console.assert(generateKey().length === 32);
 * ```
 */
export function generateKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(KEY_LENGTH));
}

/**
 * A root key from any shared secret (an X25519 or ECDH output, a pre-shared key):
 * HKDF-SHA256(IKM = secret, salt = "H4MK-LC1 shared secret", info, L = 32) (H4-LC-001).
 * Both sides that share `secret` and `info` get the same key. The secret must have at least 16
 * bytes of entropy; this is not a password hash.
 *
 * @example
 * ```ts
 * import { deriveKeyFromSharedSecret } from "./keys.ts";
 * const k = deriveKeyFromSharedSecret(new Uint8Array(32).fill(9), "session 42");
 * console.assert(k.length === 32);
 * ```
 */
export function deriveKeyFromSharedSecret(
  secret: Uint8Array,
  info: string = DEFAULT_SHARED_SECRET_INFO,
): Uint8Array {
  if (!(secret instanceof Uint8Array)) {
    badKey(`shared secret must be a Uint8Array, got ${typeof secret}`);
  }
  if (secret.length < MIN_SHARED_SECRET_LENGTH) {
    badKey(
      `shared secret must have at least ${MIN_SHARED_SECRET_LENGTH} bytes, got ${secret.length}`,
    );
  }
  if (typeof info !== "string") {
    throw new H4Error("H4_BAD_ARGUMENT", `info must be a string, got ${typeof info}`);
  }
  const enc = new TextEncoder();
  const prk = extract(sha256, secret, enc.encode(LABELS.sharedSecret));
  const key = expand(sha256, prk, enc.encode(info), KEY_LENGTH);
  prk.fill(0);
  return key;
}

/**
 * A {@linkcode LivingKey} from raw bytes (a root key) or a LivingKey (checked).
 *
 * @example
 * ```ts
 * import { toLivingKey } from "./keys.ts";
 * console.assert(toLivingKey(new Uint8Array(32)).kind === "root");
 * ```
 */
export function toLivingKey(key: LivingKey | Uint8Array): LivingKey {
  if (key instanceof Uint8Array) {
    if (key.length !== KEY_LENGTH) badKey(`a root key is ${KEY_LENGTH} bytes, got ${key.length}`);
    return { kind: "root", key };
  }
  if (key === null || typeof key !== "object") {
    badKey(`expected a key, got ${key === null ? "null" : typeof key}`);
  }
  if (!(key.key instanceof Uint8Array) || key.key.length !== KEY_LENGTH) {
    badKey(`a key has ${KEY_LENGTH} bytes`);
  }
  if (key.kind === "root") return key;
  if (key.kind !== "epoch") badKey(`key kind must be root or epoch`);
  if (!(key.containerId instanceof Uint8Array) || key.containerId.length !== CONTAINER_ID_LENGTH) {
    badKey(`an epoch key's container id is ${CONTAINER_ID_LENGTH} bytes`);
  }
  if (!Number.isSafeInteger(key.epoch) || key.epoch < 0 || key.epoch > MAX_BLOCKS) {
    badKey(`an epoch key's epoch must be an integer 0..${MAX_BLOCKS}, got ${key.epoch}`);
  }
  return key;
}

/**
 * The one-line key file of a key (SPEC.md section 12.2):
 * `h4mk-key-1 <base64>` or `h4mk-epoch-key-1 <container id hex> <epoch> <base64>`, with a
 * final newline. Base64 is the standard alphabet, padded.
 *
 * @example
 * ```ts
 * import { encodeKeyFile } from "./keys.ts";
 * const line = encodeKeyFile({ kind: "root", key: new Uint8Array(32) });
 * console.assert(line === "h4mk-key-1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
 * ```
 */
export function encodeKeyFile(key: LivingKey): string {
  const k = toLivingKey(key);
  if (k.kind === "root") return `${KEY_FILE_ROOT} ${k.key.toBase64()}\n`;
  return `${KEY_FILE_EPOCH} ${k.containerId.toHex()} ${k.epoch} ${k.key.toBase64()}\n`;
}

function decodeKeyBase64(text: string): Uint8Array {
  // Strict: 44 characters of the standard alphabet, padded, and canonical.
  if (!/^[A-Za-z0-9+/]{43}=$/.test(text)) {
    badKey(`key file: the key is not 44 characters of padded base64`);
  }
  const bytes = Uint8Array.fromBase64(text);
  if (bytes.length !== KEY_LENGTH || bytes.toBase64() !== text) {
    badKey(`key file: the key is not canonical base64 of 32 bytes`);
  }
  return bytes;
}

/**
 * Parses a key file (SPEC.md section 12.2, H4-LC-002). Surrounding whitespace and one final
 * newline are allowed; anything else malformed is `H4_CIPHER_BAD_KEY`, whose message never
 * repeats the key.
 *
 * @example
 * ```ts
 * import { encodeKeyFile, parseKeyFile } from "./keys.ts";
 * const k = { kind: "epoch" as const, containerId: new Uint8Array(16), epoch: 3, key: new Uint8Array(32) };
 * const back = parseKeyFile(encodeKeyFile(k));
 * console.assert(back.kind === "epoch" && back.epoch === 3);
 * ```
 */
export function parseKeyFile(text: string): LivingKey {
  if (typeof text !== "string") badKey(`key file must be text, got ${typeof text}`);
  if (text.length > 1024) badKey(`key file of ${text.length} characters is too long for one key`);
  const line = text.trim();
  if (line === "") badKey("key file is empty");
  if (/[\r\n]/.test(line)) badKey("key file must be one line");
  const words = line.split(/[ \t]+/);
  const kind = words[0];
  if (kind === KEY_FILE_ROOT) {
    if (words.length !== 2) {
      badKey(`key file: ${KEY_FILE_ROOT} takes 1 field, got ${words.length - 1}`);
    }
    return { kind: "root", key: decodeKeyBase64(words[1]) };
  }
  if (kind === KEY_FILE_EPOCH) {
    if (words.length !== 4) {
      badKey(`key file: ${KEY_FILE_EPOCH} takes 3 fields, got ${words.length - 1}`);
    }
    const [, cidHex, epochText, keyText] = words;
    if (!/^[0-9a-f]{32}$/.test(cidHex)) {
      badKey(`key file: container id must be 32 lowercase hex digits`);
    }
    if (!/^(0|[1-9][0-9]{0,9})$/.test(epochText) || Number(epochText) > MAX_BLOCKS) {
      badKey(`key file: epoch must be a decimal integer 0..${MAX_BLOCKS} without leading zeros`);
    }
    return {
      kind: "epoch",
      containerId: Uint8Array.fromHex(cidHex),
      epoch: Number(epochText),
      key: decodeKeyBase64(keyText),
    };
  }
  // Name the first word only when it looks like a key-file type: never echo key material.
  const what = /^h4mk-[a-z0-9-]{1,24}$/.test(kind)
    ? `type ${JSON.stringify(kind)}`
    : "a line that is not a key file";
  return badKey(`key file: expected ${KEY_FILE_ROOT} or ${KEY_FILE_EPOCH}, got ${what}`);
}
