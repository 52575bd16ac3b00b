/**
 * Sealing to recipients and opening with an identity, SPEC.md section 12.16: a sealer that
 * writes the recipients chunk RCPT right after LIVC, finding RCPT in a container, and an
 * opener that tries the stanzas with an X25519 identity and keeps the first key that passes
 * the key check and the seal.
 *
 * @module
 */
import { checkChunkCrc, parseChunkHeader } from "../format/chunk.ts";
import { CHUNK_HEADER_LENGTH } from "../format/constants.ts";
import { H4Error, isH4Error } from "../format/errors.ts";
import type { Container } from "../seek/container.ts";
import { MAX_EPOCHS } from "./constants.ts";
import type { Identity, Recipient } from "./identity.ts";
import { epochZeroKey } from "./key_schedule.ts";
import { type LivingKey, toLivingKey } from "./keys.ts";
import { decodeLivc } from "./livc.ts";
import { type CipherOpenOptions, grantEpochKey, type LivingOpener, openCipher } from "./opener.ts";
import {
  decodeRecipients,
  encodeRecipients,
  MAX_STANZAS,
  RCPT_TAG,
  type Stanza,
  unwrapStanza,
  wrapKey,
  WRAPPED_LENGTH,
} from "./recipients.ts";
import type { LivingSealer } from "./sealer.ts";
import { SUITE_NAMES } from "./suites.ts";

/** Largest RCPT payload: 256 stanzas with hints. */
export const MAX_RCPT_LENGTH = 4 + MAX_STANZAS * (6 + 8 + 32 + WRAPPED_LENGTH);

/**
 * Stanzas a reader tries at most whose key unwraps but fails the key check (H4-RCP-005): anyone
 * can encrypt to a public key, so this bounds the work a crafted RCPT can cause.
 */
export const MAX_FAILED_CANDIDATES = 16;

/** Options of {@linkcode sealToRecipients}. */
export interface RecipientSealOptions {
  /** Write each recipient's id in clear (hints); default false. */
  hint?: boolean;
}

/**
 * Makes `sealer` write an RCPT chunk after LIVC that gives every recipient E_0 of the
 * container (an epoch key of epoch 0: every block, never the root key, which may open other
 * containers). `rootKey` is the key the sealer was made with. Returns the same sealer.
 *
 * @example
 * ```ts
 * import { generateIdentity } from "./identity.ts";
 * import { createSealer } from "./sealer.ts";
 * import { sealToRecipients } from "./recipients_open.ts";
 * import assert from "node:assert/strict";
 * const key = new Uint8Array(32);
 * const sealer = sealToRecipients(createSealer(key), key, [generateIdentity().recipient]);
 * assert(typeof sealer.chunksAfterLivc === "function");
 * ```
 */
export function sealToRecipients(
  sealer: LivingSealer,
  rootKey: Uint8Array | LivingKey,
  recipients: readonly Recipient[],
  opts: RecipientSealOptions = {},
): LivingSealer {
  const k = toLivingKey(rootKey);
  if (k.kind !== "root") {
    throw new H4Error("H4_CIPHER_BAD_KEY", "sealing to recipients needs the root key", {
      rule: "H4-RCP-004",
    });
  }
  if (recipients.length === 0) return sealer;
  const containerId = sealer.containerId;
  const e0 = epochZeroKey(k.key, containerId);
  let payload: Uint8Array;
  try {
    payload = encodeRecipients(
      recipients.map((r) =>
        wrapKey({ kind: "epoch", containerId, epoch: 0, key: e0 }, containerId, r, opts)
      ),
    );
  } finally {
    e0.fill(0);
  }
  return Object.assign(sealer, {
    chunksAfterLivc: () => [{ tag: RCPT_TAG, payload }],
  });
}

/**
 * The RCPT payload of a container, or null when it has none (H4-RCP-003): RCPT is the chunk
 * that directly follows LIVC. Its CRC is checked; a length beyond the largest RCPT is refused
 * before it is read (`H4_CIPHER_BAD_HEADER`).
 *
 * @example
 * ```ts
 * import { packContainer } from "../format/writer.ts";
 * import { openContainer } from "../seek/container.ts";
 * import { readRecipientsChunk } from "./recipients_open.ts";
 * import assert from "node:assert/strict";
 * const c = await openContainer(await packContainer([]));
 * assert(await readRecipientsChunk(c) === null);
 * ```
 */
export async function readRecipientsChunk(c: Container): Promise<Uint8Array | null> {
  const livc = c.locator?.slots.LIVC;
  if (!livc) return null;
  const at = livc.offset + livc.length;
  if (at + CHUNK_HEADER_LENGTH > c.size) return null;
  const head = parseChunkHeader(await c.source.read(at, CHUNK_HEADER_LENGTH), at, c.size);
  if (head.tag !== RCPT_TAG) return null;
  if (head.length > MAX_RCPT_LENGTH) {
    throw new H4Error(
      "H4_CIPHER_BAD_HEADER",
      `RCPT: payload of ${head.length} bytes exceeds the ${MAX_RCPT_LENGTH} of ${MAX_STANZAS} stanzas`,
      { chunk: RCPT_TAG, rule: "H4-RCP-002", offset: at },
    );
  }
  const payload = await c.source.read(at + CHUNK_HEADER_LENGTH, head.length);
  checkChunkCrc(head, payload);
  return payload;
}

/** The checks of SPEC.md 12.10 steps 1 and 2, which come before any key. */
function checkLivcFirst(c: Container): Uint8Array {
  if (c.livc === null) {
    throw new H4Error("H4_BAD_ARGUMENT", "container is not encrypted (no LIVC chunk)");
  }
  const livc = decodeLivc(c.livc);
  if (!SUITE_NAMES.includes(livc.suite)) {
    throw new H4Error("H4_CIPHER_UNKNOWN_SUITE", "LIVC names a suite this reader does not know", {
      chunk: "LIVC",
      rule: "H4-LC-003",
    });
  }
  if (livc.epochCount > MAX_EPOCHS) {
    throw new H4Error("H4_LIMIT_EXCEEDED", `LIVC: ${livc.epochCount} epochs exceed ${MAX_EPOCHS}`, {
      chunk: "LIVC",
      rule: "H4-LC-010",
    });
  }
  if (livc.blockCount !== c.blockCount) {
    throw new H4Error(
      "H4_CIPHER_SEAL_MISMATCH",
      `LIVC seals ${livc.blockCount} blocks but the index has ${c.blockCount}: blocks were added or removed`,
      { chunk: "LIVC", rule: "H4-LC-011" },
    );
  }
  return livc.containerId;
}

/**
 * The key a container gives `identity`, with the opener it makes (H4-RCP-005): the LIVC checks
 * of 12.10 come first, then RCPT is read and each stanza tried in order; a stanza that unwraps
 * gives a key that must pass the key check and the seal. No stanza for this identity:
 * `H4_CIPHER_BAD_KEY`. The key is the caller's to wipe.
 *
 * @example
 * ```ts
 * import { packContainer } from "../format/writer.ts";
 * import { openContainer } from "../seek/container.ts";
 * import { generateIdentity } from "./identity.ts";
 * import { createSealer } from "./sealer.ts";
 * import { openWithIdentity, sealToRecipients } from "./recipients_open.ts";
 * import assert from "node:assert/strict";
 * const bob = generateIdentity();
 * const key = crypto.getRandomValues(new Uint8Array(32));
 * const sealer = sealToRecipients(createSealer(key), key, [bob.recipient]);
 * const c = await openContainer(await packContainer(
 *   [{ track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array(4) }], { sealer }));
 * const { opener } = await openWithIdentity(c, bob);
 * assert((await c.readBlock(0, { opener })).length === 4);
 * ```
 */
export async function openWithIdentity(
  c: Container,
  identity: Identity,
  opts: CipherOpenOptions = {},
): Promise<{ key: LivingKey; opener: LivingOpener }> {
  const containerId = checkLivcFirst(c);
  const rcpt = await readRecipientsChunk(c);
  if (rcpt === null) {
    throw new H4Error(
      "H4_CIPHER_BAD_KEY",
      "container has no recipients chunk (RCPT): it opens with a key file only",
      { rule: "H4-RCP-005" },
    );
  }
  const stanzas: Stanza[] = decodeRecipients(rcpt);
  let failed = 0;
  for (const s of stanzas) {
    if (s.hint !== null && s.hint !== identity.recipient.id) continue;
    const key = unwrapStanza(s, containerId, identity);
    if (key === null) continue;
    try {
      return { key, opener: await openCipher(c, key, opts) };
    } catch (e) {
      key.key.fill(0);
      if (!isH4Error(e) || (e.code !== "H4_CIPHER_BAD_KEY" && e.code !== "H4_CIPHER_WRONG_EPOCH")) {
        throw e;
      }
      if (++failed >= MAX_FAILED_CANDIDATES) break;
    }
  }
  throw new H4Error(
    "H4_CIPHER_BAD_KEY",
    `identity ${identity.recipient.id} is not a recipient of this container (${stanzas.length} stanza${
      stanzas.length === 1 ? "" : "s"
    } tried)`,
    { rule: "H4-RCP-005" },
  );
}

/**
 * The RCPT payload of `c` with one more stanza per recipient: an epoch key of epoch
 * `fromEpoch` (E_0 when `fromEpoch` is 0) for each, derived from `key` (a root key, or an epoch key of an
 * epoch ≤ `fromEpoch`). Write it with `rewriteRecipients` (H4-RCP-006).
 *
 * @example
 * ```ts
 * import { packContainer } from "../format/writer.ts";
 * import { openContainer } from "../seek/container.ts";
 * import { generateIdentity } from "./identity.ts";
 * import { createSealer } from "./sealer.ts";
 * import { grantToRecipient } from "./recipients_open.ts";
 * import assert from "node:assert/strict";
 * const key = new Uint8Array(32);
 * const c = await openContainer(await packContainer([], { sealer: createSealer(key) }));
 * const rcpt = await grantToRecipient(c, { kind: "root", key }, 0, generateIdentity().recipient);
 * assert(rcpt.length > 4);
 * ```
 */
export async function grantToRecipient(
  c: Container,
  key: LivingKey | Uint8Array,
  fromEpoch: number,
  recipient: Recipient | readonly Recipient[],
  opts: RecipientSealOptions = {},
): Promise<Uint8Array> {
  const recipients: readonly Recipient[] = Array.isArray(recipient) ? recipient : [recipient];
  const containerId = checkLivcFirst(c);
  const existing = await readRecipientsChunk(c);
  const stanzas = existing === null ? [] : decodeRecipients(existing);
  if (stanzas.length + recipients.length > MAX_STANZAS) {
    throw new H4Error("H4_LIMIT_EXCEEDED", `RCPT holds at most ${MAX_STANZAS} stanzas`, {
      rule: "H4-RCP-002",
    });
  }
  const granted = grantEpochKey(c, key, fromEpoch);
  try {
    for (const r of recipients) stanzas.push(wrapKey(granted, containerId, r, opts));
  } finally {
    granted.key.fill(0);
  }
  return encodeRecipients(stanzas);
}

/**
 * An RCPT payload without stanza `index`, or null when none is left. Removing a stanza does not
 * revoke anything: its recipient may have kept the key or the blocks (SPEC.md 12.16).
 *
 * @example
 * ```ts
 * import { encodeRecipients } from "./recipients.ts";
 * import { removeStanza } from "./recipients_open.ts";
 * import assert from "node:assert/strict";
 * const s = { role: "epoch" as const, epoch: 0, hint: null, ephemeral: new Uint8Array(32), wrapped: new Uint8Array(48) };
 * assert(removeStanza(encodeRecipients([s]), 0) === null);
 * ```
 */
export function removeStanza(rcpt: Uint8Array, index: number): Uint8Array | null {
  const stanzas = decodeRecipients(rcpt);
  if (!Number.isSafeInteger(index) || index < 0 || index >= stanzas.length) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `no stanza ${index}: the container has stanzas 0..${stanzas.length - 1}`,
    );
  }
  stanzas.splice(index, 1);
  return stanzas.length === 0 ? null : encodeRecipients(stanzas);
}
