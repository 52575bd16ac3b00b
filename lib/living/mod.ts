/**
 * LivingCipher: per-block authenticated encryption of H4MK containers with random access,
 * evolving (epoch) keys and a sealed transcript, SPEC.md section 12. Metadata stays readable
 * without a key; a key holder decrypts any block in O(1) and detects any change to blocks,
 * index, META or SAFE.
 *
 * @example
 * ```ts
 * import { createSealer, generateKey, openCipher, parseKeyFile, encodeKeyFile } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const key = generateKey();
 * const sealer = createSealer(key);
 * const ctx = { index: 0, track_id: "v", pts_us: 0, kind: "I" as const, keyframe: true, codec: "none" as const, plain_length: 2 };
 * const stored = sealer.seal(ctx, new Uint8Array([1, 2]));
 * const root = new Uint8Array(32);
 * const container = { livc: sealer.finish(root), root, blockCount: 1,
 *   entry: () => Promise.reject(new Error("unused")), readStored: () => Promise.resolve(stored) };
 * const opener = await openCipher(container, parseKeyFile(encodeKeyFile({ kind: "root", key })));
 * assert(opener.open(ctx, stored)[0] === 1);
 * ```
 *
 * @module
 */
export {
  CONTAINER_ID_LENGTH,
  DEFAULT_EPOCH_BLOCKS,
  DEFAULT_SUITE,
  KEY_LENGTH,
  MAX_EPOCHS,
  TAG_LENGTH,
} from "./constants.ts";
export { type AdEncoder, blockNonce, createAdEncoder } from "./context.ts";
export {
  deriveKeyFromSharedSecret,
  encodeKeyFile,
  type EpochKey,
  generateKey,
  type KeyRole,
  type LivingKey,
  parseKeyFile,
  requireRootKey,
  type RootKey,
  toLivingKey,
} from "./keys.ts";
export { type LivcView, parseLivc } from "./livc.ts";
export {
  type CipherContainer,
  type CipherOpenOptions,
  contextOf,
  epochOfBlock,
  grantEpochKey,
  type LivingInfo,
  type LivingOpener,
  openCipher,
} from "./opener.ts";
export {
  createSealer,
  type LiveWriterKey,
  liveWriterKey,
  type LivingSealer,
  type SealerOptions,
} from "./sealer.ts";
export { type AeadSuite, type Backend, getSuite, hasNativeSuite, SUITE_NAMES } from "./suites.ts";
export {
  type ConvertWriterOptions,
  decryptContainer,
  type DecryptOptions,
  type DecryptSummary,
  encryptContainer,
  type EncryptOptions,
} from "./convert.ts";
export {
  encodeIdentityFile,
  encodeRecipientFile,
  generateIdentity,
  type Identity,
  parseIdentityFile,
  parseRecipientFile,
  type Recipient,
} from "./identity.ts";
export { type StanzaView, viewRecipients } from "./recipients.ts";
export {
  grantToRecipient,
  openWithIdentity,
  readRecipientsChunk,
  type RecipientSealOptions,
  removeStanza,
  sealToRecipients,
} from "./recipients_open.ts";
export { rewriteRecipients, type TailSummary } from "./recipients_tail.ts";
