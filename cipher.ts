/**
 * LivingCipher, whole (`@h4/h4mk/cipher`, SPEC.md section 12): keys and key files, the sealer a
 * writer encrypts with, the opener a reader decrypts with, epoch grants, the live writer's key,
 * and conversion of whole containers, with their option types. The interfaces a writer and a
 * reader call (`BlockSealer`, `BlockOpener`, `BlockContext`) are here for other ciphers.
 * `@h4/h4mk` has the everyday part of it; X25519 recipients are `@h4/h4mk/recipients`.
 *
 * @example Encrypt while writing, grant the reading of epoch 1 on, read with the grant
 * ```ts
 * import { createSealer, generateKey, grantEpochKey, openCipher } from "./cipher.ts";
 * import { open, packContainer } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const key = generateKey();
 * const blocks = [0, 1, 2, 3].map((i) => ({
 *   track_id: "v", pts_us: i * 40_000, kind: "I" as const, keyframe: true,
 *   payload: new Uint8Array([i]),
 * }));
 * const c = await open(await packContainer(blocks, { sealer: createSealer(key, { epochBlocks: 2 }) }));
 * const grant = grantEpochKey(c, key, 1);
 * const opener = await openCipher(c, grant);
 * assert((await c.readBlock(3, { opener }))[0] === 3);
 * ```
 *
 * @module
 */
export type { BlockContext, BlockOpener, BlockSealer } from "./lib/format/types.ts";
export {
  encodeKeyFile,
  type EpochKey,
  generateKey,
  type LivingKey,
  parseKeyFile,
  type RootKey,
} from "./lib/living/keys.ts";
export {
  createSealer,
  type LiveWriterKey,
  liveWriterKey,
  type LivingSealer,
  type SealerOptions,
} from "./lib/living/sealer.ts";
export type { Backend } from "./lib/living/suites.ts";
export {
  type CipherContainer,
  type CipherOpenOptions,
  grantEpochKey,
  type LivingInfo,
  type LivingOpener,
  openCipher,
} from "./lib/living/opener.ts";
export {
  type ConvertWriterOptions,
  decryptContainer,
  type DecryptOptions,
  type DecryptSummary,
  encryptContainer,
  type EncryptOptions,
} from "./lib/living/convert.ts";
