/**
 * H4MK: a transport-only sidecar container for existing video apps. Blocks of several tracks,
 * a binary block index and per-track seek tables readable without a key, META and SAFE JSON,
 * optional LivingCipher block encryption, and integrity (CRC, VERI, per-chunk hashes, a root
 * digest). The format is specified in SPEC.md.
 *
 * This entry point is the library's whole promise: write, open, seek, read, verify, encrypt. The
 * chunk codecs, for implementers of the format, are under `@h4/h4mk/format`; the HTTP server
 * under `@h4/h4mk/server`; MP4 import and export under `@h4/h4mk/media`. The writer and `verify`
 * load the runtime's native hashing (`lib/format/native.ts`) themselves.
 *
 * @example Pack blocks, open the container, seek and read a block
 * ```ts
 * import { openContainer, packContainer } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const bytes = await packContainer([
 *   { track_id: "video_main", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array([1]) },
 *   { track_id: "video_main", pts_us: 33_333, kind: "P", keyframe: false, payload: new Uint8Array([2]) },
 * ]);
 * const c = await openContainer(bytes);
 * const hit = c.seek("video_main", 40_000);
 * assert(hit.core_index === 0);
 * assert((await c.readBlock(1))[0] === 2);
 * assert((await c.verify()).ok);
 * ```
 *
 * @module
 */

// Writing.
export {
  type ContainerWriter,
  createWriter,
  packContainer,
  writeContainer,
  type WriterOptions,
  type WriteSummary,
} from "./lib/format/writer.ts";

// Reading: open a file, URL, bytes or any byte source; seek, read blocks, verify.
export { open, type RemoteOptions } from "./lib/io/open.ts";
export {
  type ChunkInfo,
  type Container,
  openContainer,
  type OpenOptions,
  type ReadBlockOptions,
} from "./lib/seek/container.ts";
export type { Locator, SlotRef } from "./lib/format/loca.ts";
export type { LocaSlot } from "./lib/format/constants.ts";
export type { TableDirectory } from "./lib/format/tdir.ts";
export type { SeekTable } from "./lib/format/ksek.ts";
export type { JsonObject } from "./lib/format/meta.ts";
export { verifyContainer } from "./lib/seek/verify.ts";

// Where bytes come from and go to.
export { bytesSource } from "./lib/format/byte_source.ts";
export { type AtomicWriteOptions, openFileSource, writeFileAtomic } from "./lib/io/file.ts";
export {
  type HttpSource,
  type HttpSourceOptions,
  type HttpSourceStats,
  openHttpSource,
} from "./lib/io/http_source.ts";

// The data model.
export type {
  BlockContext,
  BlockEntry,
  BlockInput,
  BlockKind,
  BlockOpener,
  BlockSealer,
  ByteSink,
  ByteSource,
  CodecName,
  Profile,
  SeekResult,
  TrackInfo,
  VerifyCheck,
  VerifyReport,
} from "./lib/format/types.ts";

// Errors: one type, stable codes.
export { H4_ERROR_CODES, H4Error, type H4ErrorCode, isH4Error } from "./lib/format/errors.ts";

// LivingCipher: keys, sealing while writing, opening, whole-container conversion.
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

// Signed containers (SPEC.md section 18): signing keys, signing a file in place, trust on read
// (`OpenOptions.trust`).
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

// Recipients (SPEC.md 12.16): X25519 identities instead of shared keys.
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
