/**
 * The recipients chunk RCPT, SPEC.md section 12.16: one stanza per grant to an X25519
 * recipient, each wrapping a LivingCipher key (a root key, or an epoch key with its epoch) in
 * the spirit of age's X25519 stanza: an ephemeral key agreement, HKDF-SHA256 bound to the
 * container id and both public keys, and ChaCha20-Poly1305.
 *
 * ```
 * u16 rcpt_version = 1
 * u16 stanza_count (1..256)
 * stanzas:
 *   u8  role        0 = root key, 1 = epoch key
 *   u8  flags       bit 0: hint present
 *   u32 epoch       0 for a root key; first epoch of an epoch key
 *   8   hint        only with flags bit 0: the recipient id
 *   32  ephemeral   X25519 public key
 *   48  wrapped     ChaCha20-Poly1305(wrap_key, 0^12, AD, key) = 32 bytes and a 16-byte tag
 * ```
 *
 * @module
 */
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { x25519 } from "@noble/curves/ed25519.js";
import { expand, extract } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { H4Error } from "../format/errors.ts";
import { CONTAINER_ID_LENGTH, KEY_LENGTH, MAX_BLOCKS } from "./constants.ts";
import {
  type Identity,
  type Recipient,
  RECIPIENT_ID_LENGTH,
  recipientId,
  X25519_KEY_LENGTH,
} from "./identity.ts";
import type { LivingKey } from "./keys.ts";

/** Tag of the recipients chunk. */
export const RCPT_TAG = "RCPT";
/** RCPT layout version. */
export const RCPT_VERSION = 1;
/** Most stanzas in one RCPT chunk (H4-RCP-002). */
export const MAX_STANZAS = 256;
/** HKDF info of the wrap key. */
export const WRAP_LABEL = "H4MK-RCP1 wrap";
/** First bytes of every stanza's associated data. */
export const STANZA_AD_LABEL = "H4MK-RCP1 stanza";
/** Bytes of a wrapped key: the 32-byte key and the 16-byte tag. */
export const WRAPPED_LENGTH = KEY_LENGTH + 16;
const ROLE_ROOT = 0;
const ROLE_EPOCH = 1;
const FLAG_HINT = 1;
const enc = new TextEncoder();

/** One stanza of RCPT: what it wraps is readable only with the recipient's identity. */
export interface Stanza {
  /** Role of the wrapped key (public). */
  readonly role: "root" | "epoch";
  /** First epoch it opens: 0 for a root key (public). */
  readonly epoch: number;
  /** The recipient id, only when the writer was asked for hints. */
  readonly hint: string | null;
  /** Ephemeral X25519 public key, 32 bytes. */
  readonly ephemeral: Uint8Array;
  /** The wrapped key and its tag, 48 bytes. */
  readonly wrapped: Uint8Array;
}

function badChunk(message: string, offset?: number): never {
  throw new H4Error("H4_CIPHER_BAD_HEADER", `RCPT: ${message}`, {
    chunk: RCPT_TAG,
    rule: "H4-RCP-002",
    offset,
  });
}

/** The stanza's header bytes (role, flags, epoch, hint): its associated data follows the label. */
function stanzaHeader(s: Pick<Stanza, "role" | "epoch" | "hint">): Uint8Array {
  const h = new Uint8Array(6 + (s.hint === null ? 0 : RECIPIENT_ID_LENGTH));
  h[0] = s.role === "root" ? ROLE_ROOT : ROLE_EPOCH;
  h[1] = s.hint === null ? 0 : FLAG_HINT;
  new DataView(h.buffer).setUint32(2, s.epoch);
  if (s.hint !== null) h.set(Uint8Array.fromHex(s.hint), 6);
  return h;
}

function stanzaAd(s: Pick<Stanza, "role" | "epoch" | "hint">): Uint8Array {
  const label = enc.encode(STANZA_AD_LABEL);
  const h = stanzaHeader(s);
  const ad = new Uint8Array(label.length + h.length);
  ad.set(label);
  ad.set(h, label.length);
  return ad;
}

/**
 * wrap_key = HKDF-SHA256(IKM = shared, salt = container id || ephemeral || recipient public
 * key, info = "H4MK-RCP1 wrap", L = 32).
 */
function wrapKeyOf(
  shared: Uint8Array,
  containerId: Uint8Array,
  ephemeral: Uint8Array,
  recipientKey: Uint8Array,
): Uint8Array {
  const salt = new Uint8Array(CONTAINER_ID_LENGTH + 2 * X25519_KEY_LENGTH);
  salt.set(containerId);
  salt.set(ephemeral, CONTAINER_ID_LENGTH);
  salt.set(recipientKey, CONTAINER_ID_LENGTH + X25519_KEY_LENGTH);
  const prk = extract(sha256, shared, salt);
  const key = expand(sha256, prk, enc.encode(WRAP_LABEL), KEY_LENGTH);
  prk.fill(0);
  return key;
}

/** X25519, or null when the result is all zero (a low-order point: H4-RCP-004, H4-RCP-005). */
function agree(secret: Uint8Array, publicKey: Uint8Array): Uint8Array | null {
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(secret, publicKey);
  } catch {
    return null; // the library refuses an all-zero result itself
  }
  let acc = 0;
  for (const b of shared) acc |= b;
  return acc === 0 ? null : shared;
}

/** Options of {@linkcode wrapKey}. */
export interface WrapOptions {
  /** Write the recipient id in clear (a hint), so readers need not try every stanza. */
  hint?: boolean;
  /** The ephemeral secret key, for test vectors only; fresh random otherwise. */
  ephemeralSecret?: Uint8Array;
}

/**
 * A stanza that gives `recipient` the key `key` of the container `containerId` (H4-RCP-004).
 * An epoch key must belong to that container. A recipient whose public key is a low-order
 * point (every shared secret all zero) is refused with `H4_CIPHER_BAD_KEY`.
 *
 * @example
 * ```ts
 * import { identityFromSecret } from "./identity.ts";
 * import { unwrapStanza, wrapKey } from "./recipients.ts";
 * import assert from "node:assert/strict";
 * const bob = identityFromSecret(new Uint8Array(32).fill(7));
 * const cid = new Uint8Array(16);
 * const s = wrapKey({ kind: "root", key: new Uint8Array(32).fill(1) }, cid, bob.recipient);
 * assert(unwrapStanza(s, cid, bob)?.key[0] === 1);
 * ```
 */
export function wrapKey(
  key: LivingKey,
  containerId: Uint8Array,
  recipient: Recipient,
  opts: WrapOptions = {},
): Stanza {
  if (!(containerId instanceof Uint8Array) || containerId.length !== CONTAINER_ID_LENGTH) {
    throw new H4Error("H4_BAD_ARGUMENT", `a container id is ${CONTAINER_ID_LENGTH} bytes`);
  }
  if (!(key.key instanceof Uint8Array) || key.key.length !== KEY_LENGTH) {
    throw new H4Error("H4_CIPHER_BAD_KEY", `a key has ${KEY_LENGTH} bytes`, { rule: "H4-RCP-004" });
  }
  let epoch = 0;
  if (key.kind === "epoch") {
    if (key.containerId.toHex() !== containerId.toHex()) {
      throw new H4Error(
        "H4_CIPHER_BAD_KEY",
        `epoch key is for container ${key.containerId.toHex()}, not ${containerId.toHex()}`,
        { rule: "H4-RCP-004" },
      );
    }
    epoch = key.epoch;
    if (!Number.isSafeInteger(epoch) || epoch < 0 || epoch > MAX_BLOCKS) {
      throw new H4Error("H4_CIPHER_BAD_KEY", `epoch ${epoch} is not 0..${MAX_BLOCKS}`, {
        rule: "H4-RCP-004",
      });
    }
  }
  const esk = opts.ephemeralSecret?.slice() ??
    crypto.getRandomValues(new Uint8Array(X25519_KEY_LENGTH));
  try {
    const ephemeral = x25519.getPublicKey(esk);
    const shared = agree(esk, recipient.publicKey);
    if (shared === null) {
      throw new H4Error(
        "H4_CIPHER_BAD_KEY",
        `recipient ${recipient.id} has a low-order public key: nothing can be encrypted to it`,
        { rule: "H4-RCP-004" },
      );
    }
    const wk = wrapKeyOf(shared, containerId, ephemeral, recipient.publicKey);
    shared.fill(0);
    const head = {
      role: key.kind,
      epoch,
      hint: opts.hint ? recipientId(recipient.publicKey) : null,
    };
    const wrapped = chacha20poly1305(wk, new Uint8Array(12), stanzaAd(head)).encrypt(key.key);
    wk.fill(0);
    return { ...head, ephemeral, wrapped };
  } finally {
    esk.fill(0);
  }
}

/**
 * The key a stanza wraps for `identity` in the container `containerId`, or null when the
 * stanza is not for this identity (its tag fails: another recipient, another container, a
 * changed stanza) or its ephemeral key is a low-order point (H4-RCP-005). The key is not yet
 * checked against the container: the caller's key check does that.
 *
 * @example
 * ```ts
 * import { identityFromSecret } from "./identity.ts";
 * import { unwrapStanza, wrapKey } from "./recipients.ts";
 * import assert from "node:assert/strict";
 * const bob = identityFromSecret(new Uint8Array(32).fill(7));
 * const eve = identityFromSecret(new Uint8Array(32).fill(8));
 * const s = wrapKey({ kind: "root", key: new Uint8Array(32) }, new Uint8Array(16), bob.recipient);
 * assert(unwrapStanza(s, new Uint8Array(16), eve) === null);
 * ```
 */
export function unwrapStanza(
  stanza: Stanza,
  containerId: Uint8Array,
  identity: Identity,
): LivingKey | null {
  const shared = agree(identity.secretKey, stanza.ephemeral);
  if (shared === null) return null;
  const wk = wrapKeyOf(shared, containerId, stanza.ephemeral, identity.recipient.publicKey);
  shared.fill(0);
  let key: Uint8Array;
  try {
    key = chacha20poly1305(wk, new Uint8Array(12), stanzaAd(stanza)).decrypt(stanza.wrapped);
  } catch {
    return null;
  } finally {
    wk.fill(0);
  }
  return stanza.role === "root"
    ? { kind: "root", key }
    : { kind: "epoch", containerId: containerId.slice(), epoch: stanza.epoch, key };
}

/**
 * Encodes stanzas as an RCPT payload.
 *
 * @example
 * ```ts
 * import { decodeRecipients, encodeRecipients } from "./recipients.ts";
 * import assert from "node:assert/strict";
 * const s = { role: "epoch" as const, epoch: 3, hint: null, ephemeral: new Uint8Array(32), wrapped: new Uint8Array(48) };
 * assert(decodeRecipients(encodeRecipients([s]))[0].epoch === 3);
 * ```
 */
export function encodeRecipients(stanzas: readonly Stanza[]): Uint8Array {
  if (stanzas.length < 1 || stanzas.length > MAX_STANZAS) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `RCPT holds 1..${MAX_STANZAS} stanzas, got ${stanzas.length}`,
    );
  }
  const parts = stanzas.map((s) => {
    if (s.ephemeral.length !== X25519_KEY_LENGTH || s.wrapped.length !== WRAPPED_LENGTH) {
      throw new H4Error("H4_BAD_ARGUMENT", "RCPT: stanza of the wrong length");
    }
    const h = stanzaHeader(s);
    const out = new Uint8Array(h.length + X25519_KEY_LENGTH + WRAPPED_LENGTH);
    out.set(h);
    out.set(s.ephemeral, h.length);
    out.set(s.wrapped, h.length + X25519_KEY_LENGTH);
    return out;
  });
  const out = new Uint8Array(4 + parts.reduce((n, p) => n + p.length, 0));
  const v = new DataView(out.buffer);
  v.setUint16(0, RCPT_VERSION);
  v.setUint16(2, stanzas.length);
  let o = 4;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Decodes an RCPT payload (H4-RCP-002): version 1, 1..256 stanzas, roles 0 or 1, no unknown
 * flag, a root key's epoch 0, and exactly the bytes the stanzas need; otherwise
 * `H4_CIPHER_BAD_HEADER`.
 *
 * @example
 * ```ts
 * import { decodeRecipients } from "./recipients.ts";
 * import assert from "node:assert/strict";
 * try { decodeRecipients(new Uint8Array(3)); } catch (e) { assert((e as { code: string }).code === "H4_CIPHER_BAD_HEADER"); }
 * ```
 */
export function decodeRecipients(bytes: Uint8Array): Stanza[] {
  if (bytes.length < 4) badChunk(`payload of ${bytes.length} bytes is shorter than its header`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = v.getUint16(0);
  if (version !== RCPT_VERSION) badChunk(`rcpt_version ${version} is not ${RCPT_VERSION}`, 0);
  const count = v.getUint16(2);
  if (count < 1 || count > MAX_STANZAS) {
    badChunk(`stanza_count ${count} is not 1..${MAX_STANZAS}`, 2);
  }
  const out: Stanza[] = [];
  let o = 4;
  for (let i = 0; i < count; i++) {
    if (o + 6 > bytes.length) badChunk(`stanza ${i} is cut short at byte ${bytes.length}`, o);
    const role = bytes[o];
    const flags = bytes[o + 1];
    const epoch = v.getUint32(o + 2);
    if (role !== ROLE_ROOT && role !== ROLE_EPOCH) {
      badChunk(`stanza ${i}: role ${role} is not 0 or 1`, o);
    }
    if ((flags & ~FLAG_HINT) !== 0) {
      badChunk(`stanza ${i}: unknown flags 0x${flags.toString(16)}`, o + 1);
    }
    if (role === ROLE_ROOT && epoch !== 0) {
      badChunk(`stanza ${i}: a root key with epoch ${epoch}`, o + 2);
    }
    const hinted = (flags & FLAG_HINT) !== 0;
    const size = 6 + (hinted ? RECIPIENT_ID_LENGTH : 0) + X25519_KEY_LENGTH + WRAPPED_LENGTH;
    if (o + size > bytes.length) {
      badChunk(`stanza ${i} needs ${size} bytes, ${bytes.length - o} remain`, o);
    }
    let p = o + 6;
    const hint = hinted ? bytes.subarray(p, p + RECIPIENT_ID_LENGTH).toHex() : null;
    if (hinted) p += RECIPIENT_ID_LENGTH;
    out.push({
      role: role === ROLE_ROOT ? "root" : "epoch",
      epoch,
      hint,
      ephemeral: bytes.slice(p, p + X25519_KEY_LENGTH),
      wrapped: bytes.slice(p + X25519_KEY_LENGTH, p + X25519_KEY_LENGTH + WRAPPED_LENGTH),
    });
    o += size;
  }
  if (o !== bytes.length) {
    badChunk(`${bytes.length - o} bytes after the last of ${count} stanzas`, o);
  }
  return out;
}

/** What `h4mk recipients` shows of a stanza: public values only. */
export interface StanzaView {
  /** Position in RCPT. */
  index: number;
  /** Role of the wrapped key. */
  role: "root" | "epoch";
  /** First epoch it opens. */
  epoch: number;
  /** The recipient id, when the writer added it as a hint; null otherwise. */
  hint: string | null;
}

/**
 * The public view of an RCPT payload: per stanza its role, first epoch and hint.
 *
 * @example
 * ```ts
 * import { encodeRecipients, viewRecipients } from "./recipients.ts";
 * import assert from "node:assert/strict";
 * const s = { role: "epoch" as const, epoch: 2, hint: null, ephemeral: new Uint8Array(32), wrapped: new Uint8Array(48) };
 * assert(viewRecipients(encodeRecipients([s]))[0].epoch === 2);
 * ```
 */
export function viewRecipients(bytes: Uint8Array): StanzaView[] {
  return decodeRecipients(bytes).map((s, index) => ({
    index,
    role: s.role,
    epoch: s.epoch,
    hint: s.hint,
  }));
}
