/**
 * X25519 identities and recipients of LivingCipher, SPEC.md section 12.16 (H4-RCP-001): an
 * identity is a reader's secret key, kept in a file of mode 0600; its recipient is the public
 * key that anyone may encrypt a container to, with a short id to tell recipients apart.
 * No function here puts key bytes in an error message.
 *
 * @module
 */
import { x25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { H4Error } from "../format/errors.ts";

/** First word of an identity file (SPEC.md 12.16). */
export const IDENTITY_FILE = "h4mk-identity-1";
/** First word of a recipient file (SPEC.md 12.16). */
export const RECIPIENT_FILE = "h4mk-recipient-1";
/** Length of an X25519 secret or public key. */
export const X25519_KEY_LENGTH = 32;
/** Length of a recipient id in bytes (16 hex digits). */
export const RECIPIENT_ID_LENGTH = 8;
/** Hash domain of recipient ids. */
export const RECIPIENT_ID_LABEL = "H4MK-RCP1 recipient id";

/** A recipient: the public half of an identity. */
export interface Recipient {
  /** Discriminant. */
  readonly kind: "recipient";
  /** X25519 public key, 32 bytes. */
  readonly publicKey: Uint8Array;
  /** Recipient id: 16 lowercase hex digits (public). */
  readonly id: string;
}

/** An identity: an X25519 secret key and its recipient. */
export interface Identity {
  /** Discriminant. */
  readonly kind: "identity";
  /** X25519 secret key, 32 bytes. */
  readonly secretKey: Uint8Array;
  /** The identity's recipient. */
  readonly recipient: Recipient;
}

function badKey(message: string): never {
  throw new H4Error("H4_CIPHER_BAD_KEY", message, { rule: "H4-RCP-001" });
}

/**
 * The recipient id of a public key: the first 8 bytes of
 * SHA-256("H4MK-RCP1 recipient id" || public key), as 16 lowercase hex digits.
 *
 * @example
 * ```ts
 * import { recipientId } from "./identity.ts";
 * import assert from "node:assert/strict";
 * assert(/^[0-9a-f]{16}$/.test(recipientId(new Uint8Array(32).fill(9))));
 * ```
 */
export function recipientId(publicKey: Uint8Array): string {
  const label = new TextEncoder().encode(RECIPIENT_ID_LABEL);
  const m = new Uint8Array(label.length + publicKey.length);
  m.set(label);
  m.set(publicKey, label.length);
  return sha256(m).subarray(0, RECIPIENT_ID_LENGTH).toHex();
}

/**
 * The identity of a 32-byte X25519 secret key.
 *
 * @example
 * ```ts
 * import { identityFromSecret } from "./identity.ts";
 * import assert from "node:assert/strict";
 * const id = identityFromSecret(new Uint8Array(32).fill(1));
 * assert(id.recipient.publicKey.length === 32);
 * ```
 */
export function identityFromSecret(secretKey: Uint8Array): Identity {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== X25519_KEY_LENGTH) {
    badKey(`an identity is ${X25519_KEY_LENGTH} bytes, got ${secretKey?.length}`);
  }
  const publicKey = x25519.getPublicKey(secretKey);
  return {
    kind: "identity",
    secretKey: secretKey.slice(),
    recipient: { kind: "recipient", publicKey, id: recipientId(publicKey) },
  };
}

/**
 * A new identity from the platform's CSPRNG.
 *
 * @example
 * ```ts
 * import { generateIdentity } from "./identity.ts";
 * import assert from "node:assert/strict";
 * assert(generateIdentity().recipient.id.length === 16);
 * ```
 */
export function generateIdentity(): Identity {
  const sk = crypto.getRandomValues(new Uint8Array(X25519_KEY_LENGTH));
  const id = identityFromSecret(sk);
  sk.fill(0);
  return id;
}

/**
 * A recipient from a public key (checked for length only; low-order points are refused when
 * wrapping, H4-RCP-004).
 *
 * @example
 * ```ts
 * import { recipientFromPublicKey } from "./identity.ts";
 * import assert from "node:assert/strict";
 * assert(recipientFromPublicKey(new Uint8Array(32).fill(9)).kind === "recipient");
 * ```
 */
export function recipientFromPublicKey(publicKey: Uint8Array): Recipient {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== X25519_KEY_LENGTH) {
    badKey(`a recipient's public key is ${X25519_KEY_LENGTH} bytes, got ${publicKey?.length}`);
  }
  return { kind: "recipient", publicKey: publicKey.slice(), id: recipientId(publicKey) };
}

/**
 * The identity file: `h4mk-identity-1 <base64 of the secret key>` and a final LF.
 *
 * @example
 * ```ts
 * import { encodeIdentityFile, identityFromSecret, parseIdentityFile } from "./identity.ts";
 * import assert from "node:assert/strict";
 * const id = identityFromSecret(new Uint8Array(32).fill(1));
 * assert(parseIdentityFile(encodeIdentityFile(id)).recipient.id === id.recipient.id);
 * ```
 */
export function encodeIdentityFile(identity: Identity): string {
  return `${IDENTITY_FILE} ${identity.secretKey.toBase64()}\n`;
}

/**
 * The recipient file: `h4mk-recipient-1 <base64 of the public key> <recipient id>` and a
 * final LF.
 *
 * @example
 * ```ts
 * import { encodeRecipientFile, identityFromSecret } from "./identity.ts";
 * import assert from "node:assert/strict";
 * const line = encodeRecipientFile(identityFromSecret(new Uint8Array(32).fill(1)).recipient);
 * assert(line.startsWith("h4mk-recipient-1 ") && line.endsWith("\n"));
 * ```
 */
export function encodeRecipientFile(recipient: Recipient): string {
  return `${RECIPIENT_FILE} ${recipient.publicKey.toBase64()} ${recipient.id}\n`;
}

/** The words of a one-line file: printable ASCII, single spaces, at most one final LF. */
function words(text: string, what: string): string[] {
  if (typeof text !== "string") badKey(`${what} file must be text, got ${typeof text}`);
  if (text.length > 1024) badKey(`${what} file of ${text.length} characters is too long`);
  const line = text.endsWith("\n") ? text.slice(0, -1) : text;
  if (line === "") badKey(`${what} file is empty`);
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) {
      badKey(
        `${what} file has ${
          c === 0x0a ? "a second line" : c === 0x0d ? "a CR" : c === 0x09 ? "a tab" : "a character"
        } outside one line of printable ASCII at character ${i + 1}`,
      );
    }
  }
  if (line.startsWith(" ") || line.endsWith(" ") || line.includes("  ")) {
    badKey(`${what} file: fields are separated by exactly one space`);
  }
  return line.split(" ");
}

function decodeKey(text: string, what: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]{43}=$/.test(text)) {
    badKey(`${what} file: the key is not 44 characters of padded base64`);
  }
  const bytes = Uint8Array.fromBase64(text);
  if (bytes.length !== X25519_KEY_LENGTH || bytes.toBase64() !== text) {
    badKey(`${what} file: the key is not canonical base64 of 32 bytes`);
  }
  return bytes;
}

function typeName(word: string): string {
  // Name the first word only when it looks like a file type: never echo key material.
  return /^h4mk-[a-z0-9-]{1,24}$/.test(word) ? `type ${JSON.stringify(word)}` : "another line";
}

/**
 * Parses an identity file (H4-RCP-001): anything but the exact grammar is
 * `H4_CIPHER_BAD_KEY`, whose message never repeats the key.
 *
 * @example
 * ```ts
 * import { parseIdentityFile } from "./identity.ts";
 * import assert from "node:assert/strict";
 * const id = parseIdentityFile(`h4mk-identity-1 ${new Uint8Array(32).fill(2).toBase64()}\n`);
 * assert(id.kind === "identity");
 * ```
 */
export function parseIdentityFile(text: string): Identity {
  const w = words(text, "identity");
  if (w[0] !== IDENTITY_FILE) {
    badKey(`identity file: expected ${IDENTITY_FILE}, got ${typeName(w[0])}`);
  }
  if (w.length !== 2) badKey(`identity file: ${IDENTITY_FILE} takes 1 field, got ${w.length - 1}`);
  const sk = decodeKey(w[1], "identity");
  const id = identityFromSecret(sk);
  sk.fill(0);
  return id;
}

/**
 * Parses a recipient file (H4-RCP-001). The recipient id must be the one of the public key,
 * so a damaged or edited file is refused rather than encrypted to.
 *
 * @example
 * ```ts
 * import { encodeRecipientFile, identityFromSecret, parseRecipientFile } from "./identity.ts";
 * import assert from "node:assert/strict";
 * const r = identityFromSecret(new Uint8Array(32).fill(1)).recipient;
 * assert(parseRecipientFile(encodeRecipientFile(r)).id === r.id);
 * ```
 */
export function parseRecipientFile(text: string): Recipient {
  const w = words(text, "recipient");
  if (w[0] !== RECIPIENT_FILE) {
    badKey(`recipient file: expected ${RECIPIENT_FILE}, got ${typeName(w[0])}`);
  }
  if (w.length !== 3) {
    badKey(`recipient file: ${RECIPIENT_FILE} takes 2 fields, got ${w.length - 1}`);
  }
  const r = recipientFromPublicKey(decodeKey(w[1], "recipient"));
  if (!/^[0-9a-f]{16}$/.test(w[2])) {
    badKey(`recipient file: the recipient id must be 16 lowercase hex digits`);
  }
  if (w[2] !== r.id) {
    badKey(`recipient file: id ${w[2]} is not the id of its public key (${r.id})`);
  }
  return r;
}
