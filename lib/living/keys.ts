/**
 * LivingCipher keys and key files, SPEC.md sections 12.2 and 12.11: root keys (32 random bytes
 * or derived from a shared secret) and epoch keys (a grant of access from one epoch onward).
 * Key files are one line of text whose first word is the key's type, which fixes its role
 * (SPEC.md 12.2, H4-LC-002). No function here puts key bytes in an error message.
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

/**
 * A parsed LivingCipher key (SPEC.md section 12.2). `kind` is the key's role: only a root key
 * seals (H4-LC-020); an epoch key is a reading grant for one container.
 */
export type LivingKey = RootKey | EpochKey;

/** The role of a key: `root` seals and opens, `epoch` opens one container from one epoch on. */
export type KeyRole = LivingKey["kind"];

function badKey(message: string): never {
  throw new H4Error("H4_CIPHER_BAD_KEY", message, { rule: "H4-LC-002" });
}

/**
 * 32 random bytes from the platform's CSPRNG: a new root key.
 *
 * @example
 * ```ts
 * import { generateKey } from "./keys.ts";
 * import assert from "node:assert/strict";
 * assert(generateKey().length === 32);
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
 * import assert from "node:assert/strict";
 * const k = deriveKeyFromSharedSecret(new Uint8Array(32).fill(9), "session 42");
 * assert(k.length === 32);
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
 * import assert from "node:assert/strict";
 * assert(toLivingKey(new Uint8Array(32)).kind === "root");
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
 * What a key is, for messages: its role and, for an epoch key, its container and epoch.
 * Never any key byte.
 *
 * @example
 * ```ts
 * import { describeKey } from "./keys.ts";
 * import assert from "node:assert/strict";
 * assert(describeKey({ kind: "root", key: new Uint8Array(32) }) === "a root key");
 * ```
 */
export function describeKey(key: LivingKey): string {
  return key.kind === "root"
    ? "a root key"
    : `an epoch key (a reading grant for container ${key.containerId.toHex()} from epoch ${key.epoch})`;
}

/**
 * The root key that sealing needs (H4-LC-020): raw bytes or a root {@linkcode LivingKey}.
 * Anything else, an epoch key above all, is `H4_CIPHER_BAD_KEY` naming the role it has.
 * An epoch key never seals: it carries a container id, and sealing a second container under
 * one id and one key reuses every nonce (SPEC.md 12.6).
 *
 * @example
 * ```ts
 * import { requireRootKey } from "./keys.ts";
 * import assert from "node:assert/strict";
 * assert(requireRootKey(new Uint8Array(32), "sealing").kind === "root");
 * ```
 */
export function requireRootKey(key: LivingKey | Uint8Array, purpose: string): RootKey {
  const k = toLivingKey(key);
  if (k.kind !== "root") {
    throw new H4Error(
      "H4_CIPHER_BAD_KEY",
      `${purpose} needs a root key (${KEY_FILE_ROOT}), got ${
        describeKey(k)
      }: an epoch key opens the container it was granted for and never seals one`,
      { rule: "H4-LC-020" },
    );
  }
  return k;
}

/**
 * The one-line key file of a key (SPEC.md section 12.2):
 * `h4mk-key-1 <base64>` or `h4mk-epoch-key-1 <container id hex> <epoch> <base64>`, with a
 * final LF. Base64 is the standard alphabet, padded.
 *
 * @example
 * ```ts
 * import { encodeKeyFile } from "./keys.ts";
 * import assert from "node:assert/strict";
 * const line = encodeKeyFile({ kind: "root", key: new Uint8Array(32) });
 * assert(line === "h4mk-key-1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
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

/** One type of key file: how many fields follow the type word, and how they parse. */
interface KeyFileType {
  readonly fields: number;
  parse(fields: readonly string[]): LivingKey;
}

/**
 * The key-file types this implementation reads, by first word. The first word is the role field:
 * new kinds of keys (public-key recipients, for instance) are new types added here, and an
 * unknown type is refused by name, never guessed from its fields.
 */
const KEY_FILE_TYPES: ReadonlyMap<string, KeyFileType> = new Map<string, KeyFileType>([
  [KEY_FILE_ROOT, { fields: 1, parse: ([b64]) => ({ kind: "root", key: decodeKeyBase64(b64) }) }],
  [KEY_FILE_EPOCH, {
    fields: 3,
    parse: ([cidHex, epochText, keyText]) => {
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
    },
  }],
]);

/** Longest key file accepted, in characters (the longest type today has 128). */
export const MAX_KEY_FILE_LENGTH = 1024;

/**
 * Checks the line grammar of SPEC.md 12.2 (H4-LC-002) and returns the fields: printable ASCII
 * words separated by single spaces, optionally followed by one LF, and nothing else.
 */
function keyFileWords(text: string): string[] {
  if (text.length > MAX_KEY_FILE_LENGTH) {
    badKey(`key file of ${text.length} characters is too long for one key`);
  }
  const line = text.endsWith("\n") ? text.slice(0, -1) : text;
  if (line === "") badKey(text === "" ? "key file is empty" : "key file is an empty line");
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e) continue;
    const at = `at character ${i + 1}`;
    if (c === 0x0d) badKey(`key file has a CR ${at}: a key file ends with LF only, not CR LF`);
    if (c === 0x0a) {
      badKey(`key file has a second line ${at}: one line, at most one final LF, no blank line`);
    }
    if (c === 0x09) badKey(`key file has a tab ${at}: fields are separated by one space`);
    if (c === 0xfeff) badKey(`key file starts with a byte order mark: write plain ASCII`);
    badKey(`key file has a character outside printable ASCII ${at}`);
  }
  if (line.startsWith(" ") || line.endsWith(" ")) {
    badKey("key file has a space before its first or after its last field");
  }
  if (line.includes("  ")) badKey("key file has two spaces in a row: fields are separated by one");
  return line.split(" ");
}

/**
 * Parses a key file (SPEC.md section 12.2, H4-LC-002). The grammar is strict: one
 * line of printable ASCII, fields separated by single spaces, optionally one final LF; no CR,
 * tab, byte order mark, surrounding space or blank line. Anything malformed is
 * `H4_CIPHER_BAD_KEY`, whose message never repeats the key.
 *
 * @example
 * ```ts
 * import { encodeKeyFile, parseKeyFile } from "./keys.ts";
 * import assert from "node:assert/strict";
 * const k = { kind: "epoch" as const, containerId: new Uint8Array(16), epoch: 3, key: new Uint8Array(32) };
 * const back = parseKeyFile(encodeKeyFile(k));
 * assert(back.kind === "epoch" && back.epoch === 3);
 * ```
 */
export function parseKeyFile(text: string): LivingKey {
  if (typeof text !== "string") badKey(`key file must be text, got ${typeof text}`);
  const [type, ...fields] = keyFileWords(text);
  const t = KEY_FILE_TYPES.get(type);
  if (t === undefined) {
    // Name the first word only when it looks like a key-file type: never echo key material.
    const what = /^h4mk-[a-z0-9-]{1,24}$/.test(type)
      ? `type ${JSON.stringify(type)}`
      : "a line that is not a key file";
    return badKey(
      `key file: expected ${[...KEY_FILE_TYPES.keys()].join(" or ")}, got ${what}`,
    );
  }
  if (fields.length !== t.fields) {
    badKey(`key file: ${type} takes ${t.fields} field(s), got ${fields.length}`);
  }
  return t.parse(fields);
}
