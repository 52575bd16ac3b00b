/**
 * The library for browsers: reading, seeking, verification, LivingCipher and remote reading
 * over HTTP Range, with no `node:` module. Digests go to Web Crypto and `@noble/hashes`, CRC-32
 * and inflate to JavaScript, the cipher to `@noble/ciphers`. Unlike `mod.ts` this entry does not
 * load the native primitives (lib/hash/native.ts) and leaves out file paths (lib/io/file.ts).
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
export * from "../format/mod.ts";
export * from "../seek/mod.ts";
export * from "../living/mod.ts";
export { bytesSource } from "../format/byte_source.ts";
export {
  type ContainerWriter,
  createWriter,
  packContainer,
  writeContainer,
  type WriterOptions,
  type WriteSummary,
} from "../format/writer.ts";
export type {
  BlockContext,
  BlockInput,
  BlockOpener,
  BlockSealer,
  ByteSink,
  ByteSource,
  SeekResult,
  VerifyCheck,
  VerifyReport,
} from "../format/types.ts";
export {
  type HttpSource,
  type HttpSourceOptions,
  type HttpSourceStats,
  openHttpSource,
} from "../io/http_source.ts";
