/**
 * Recipients of LivingCipher (`@h4/h4mk/recipients`, SPEC.md 12.16): X25519 identities instead
 * of shared keys. A container sealed to recipients carries, after LIVC, one stanza per recipient
 * that only the matching identity opens; the blocks are sealed as usual (`@h4/h4mk/cipher`).
 *
 * @example Seal to a recipient, open with the identity
 * ```ts
 * import { generateIdentity, openWithIdentity, sealToRecipients } from "./recipients.ts";
 * import { createSealer, generateKey, open, packContainer } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const bob = generateIdentity();
 * const key = generateKey();
 * const sealer = sealToRecipients(createSealer(key), key, [bob.recipient]);
 * const c = await open(await packContainer([
 *   { track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array([7]) },
 * ], { sealer }));
 * const { opener } = await openWithIdentity(c, bob);
 * assert((await c.readBlock(0, { opener }))[0] === 7);
 * ```
 *
 * @module
 */
export {
  encodeIdentityFile,
  encodeRecipientFile,
  generateIdentity,
  type Identity,
  parseIdentityFile,
  parseRecipientFile,
  type Recipient,
} from "./lib/living/identity.ts";
export {
  grantToRecipient,
  openWithIdentity,
  type RecipientSealOptions,
  sealToRecipients,
} from "./lib/living/recipients_open.ts";
