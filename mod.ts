/**
 * H4MK: a transport-only sidecar container for existing video apps. Blocks of several tracks,
 * a binary block index and per-track seek tables readable without a key, META and SAFE JSON,
 * optional LivingCipher block encryption, and integrity (CRC, VERI, per-chunk hashes, a root
 * digest). The format is specified in SPEC.md.
 *
 * This entry point is what applications need: write, open, seek, read, verify, encrypt, the
 * error type and the data model. The rest of the package has its own entries: the whole
 * LivingCipher (epoch grants, live writer keys, conversion options) under `@h4/h4mk/cipher`,
 * X25519 recipients under `@h4/h4mk/recipients`, signing keys and trust under `@h4/h4mk/sign`,
 * the chunk codecs and table types, for implementers of the format, under `@h4/h4mk/format`; the
 * HTTP server under `@h4/h4mk/server`; MP4 import and export under `@h4/h4mk/media`; the library
 * for browsers under `@h4/h4mk/browser`. The writer and `verify` load the runtime's native
 * hashing (`lib/hash/native.ts`) themselves; importing runs no top-level `await`.
 *
 * @example Pack blocks, open the container, seek and read a block
 * ```ts
 * import { open, packContainer } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const bytes = await packContainer([
 *   { track_id: "video_main", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array([1]) },
 *   { track_id: "video_main", pts_us: 33_333, kind: "P", keyframe: false, payload: new Uint8Array([2]) },
 * ]);
 * const c = await open(bytes);
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
export { open } from "./lib/io/open.ts";
export {
  type ChunkInfo,
  type Container,
  type OpenOptions,
  type ReadBlockOptions,
} from "./lib/seek/container.ts";
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
  BlockEntry,
  BlockInput,
  ByteSink,
  ByteSource,
  SeekResult,
  TrackInfo,
  VerifyCheck,
  VerifyReport,
} from "./lib/format/types.ts";

// Errors: one type, stable codes.
export { H4_ERROR_CODES, H4Error, type H4ErrorCode, isH4Error } from "./lib/format/errors.ts";

// LivingCipher: keys, sealing while writing, opening, whole-container conversion. The rest of
// it (epoch grants, live writer keys, option types) is `@h4/h4mk/cipher`.
export { encodeKeyFile, generateKey, type LivingKey, parseKeyFile } from "./lib/living/keys.ts";
export { createSealer, type LivingSealer, type SealerOptions } from "./lib/living/sealer.ts";
export { type LivingOpener, openCipher } from "./lib/living/opener.ts";
export { decryptContainer, encryptContainer } from "./lib/living/convert.ts";
