/**
 * The library for browsers: what `mod.ts` has, without file paths (lib/io/file.ts) and without
 * loading the native primitives (lib/hash/native.ts), so with no `node:` module: writing,
 * reading, seeking, verification, LivingCipher and remote reading over HTTP Range. Digests go to
 * Web Crypto and `@noble/hashes`, CRC-32 and inflate to JavaScript, the cipher to
 * `@noble/ciphers`. Where `mod.ts` has `open` (a path, a URL, bytes or a byte source), this entry
 * has `openContainer` (bytes or a byte source, such as `openHttpSource` gives). The rest of
 * LivingCipher, recipients and the chunk codecs are the entries `@h4/h4mk/cipher`,
 * `@h4/h4mk/recipients` and `@h4/h4mk/format`, which load no `node:` module either.
 * `deno task bundle` builds it, with lib/web/browser_map.json standing in for `node:` modules
 * (the dynamic imports that probe for them then fail and the portable code is used).
 *
 * @example Open a container served with Range support, seek and read a block
 * ```ts ignore
 * import { openContainer, openHttpSource } from "./browser.ts";
 * const c = await openContainer(await openHttpSource("https://cdn.example/clip.h4mk"));
 * const hit = c.seek(c.tracks[0].track_id, 300_000_000);
 * const first = await c.readBlock(hit.core_index);
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
} from "../format/writer.ts";

// Reading: bytes or any byte source; seek, read blocks, verify.
export {
  type ChunkInfo,
  type Container,
  openContainer,
  type OpenOptions,
  type ReadBlockOptions,
} from "../seek/container.ts";
export { verifyContainer } from "../seek/verify.ts";

// Where bytes come from.
export { bytesSource } from "../format/byte_source.ts";
export {
  type HttpSource,
  type HttpSourceOptions,
  type HttpSourceStats,
  openHttpSource,
} from "../io/http_source.ts";

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
} from "../format/types.ts";

// Errors: one type, stable codes.
export { H4_ERROR_CODES, H4Error, type H4ErrorCode, isH4Error } from "../format/errors.ts";

// LivingCipher: keys, sealing while writing, opening, whole-container conversion.
export { encodeKeyFile, generateKey, type LivingKey, parseKeyFile } from "../living/keys.ts";
export { createSealer, type LivingSealer, type SealerOptions } from "../living/sealer.ts";
export { type LivingOpener, openCipher } from "../living/opener.ts";
export { decryptContainer, encryptContainer } from "../living/convert.ts";
