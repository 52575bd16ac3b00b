/**
 * Signed containers (`@h4/h4mk/sign`, SPEC.md section 18): Ed25519 signing keys and their files,
 * signing a file in place, and what a reader trusts (`OpenOptions.trust` of `open`). A writer
 * signs while writing with `WriterOptions.signingKeys`.
 *
 * @example Sign while writing, then open trusting only that key
 * ```ts
 * import { generateSigningKey } from "./sign.ts";
 * import { open, packContainer } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const key = await generateSigningKey();
 * const bytes = await packContainer([
 *   { track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array([1]) },
 * ], { signingKeys: [key] });
 * const c = await open(bytes, { trust: { keys: [key.publicKey] } });
 * assert(c.trusted);
 * assert((await c.signatures())[0].valid);
 * ```
 *
 * @module
 */
export {
  encodePublicKeyFile,
  encodeSecretKeyFile,
  generateSigningKey,
  parsePublicKeyFile,
  parseSecretKeyFile,
  type PublicSigningKey,
  type SigningKey,
} from "./lib/format/sign_keys.ts";
export { signFile, type SignResult } from "./lib/io/sign_file.ts";
export type { SignatureRecord } from "./lib/format/signature.ts";
export type { SignatureInfo, TrustOptions } from "./lib/seek/container.ts";
