/**
 * The H4MK format for implementers (`@h4/h4mk/format`): the encoder and decoder of every chunk
 * type, one file each, with the constants and limits of SPEC.md, chunk framing and CRC, the root
 * digest, and the block codecs. Bytes in, bytes out: nothing here reads files or the network.
 * Applications want the main entry point (`@h4/h4mk`) instead.
 *
 * @example Frame a chunk and read its header back
 * ```ts
 * import { encodeChunk, parseChunkHeader, TAG } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const chunk = encodeChunk(TAG.META, new TextEncoder().encode("{}"));
 * assert(parseChunkHeader(chunk, 0, chunk.length).length === 2);
 * ```
 *
 * @module
 */
export { bhshEntry } from "./bhsh.ts";
export { type BidxPageContext, decodeBidxPage, encodeBidxPage } from "./bidx.ts";
export { ByteReader, ByteWriter } from "./bytes.ts";
export {
  checkChunkCrc,
  type ChunkHeader,
  type ChunkView,
  encodeChunk,
  encodeChunkHeader,
  parseChunkHeader,
  walkChunks,
} from "./chunk.ts";
export { codecId, codecName, decodePayload, encodePayload } from "./codec.ts";
export {
  CHUNK_HEADER_LENGTH,
  CIPHER_OVERHEAD,
  CODEC_IDS,
  CODEC_NAMES,
  FIRST_BLOCK_OFFSET,
  HEADER_LENGTH,
  KIND_IDS,
  KIND_NAMES,
  LEGACY_COMPRESSION,
  LIMITS,
  LOCA_CHUNK_LENGTH,
  LOCA_FLAG_ENCRYPTED,
  LOCA_PAYLOAD_LENGTH,
  LOCA_SLOTS,
  type LocaSlot,
  LOCATOR_VERSION,
  MAGIC,
  META_DOMAIN,
  ROOT_DOMAIN,
  SEGMENT_KEYFRAME_BOUND,
  SEGMENT_TARGET,
  TAG,
  VERI_PAYLOAD_LENGTH,
  VERSION_V1,
  VERSION_V2,
} from "./constants.ts";
export { crc32 } from "../hash/crc32.ts";
export type { IndexColumns } from "./index_columns.ts";
export {
  H4_ERROR_CODES,
  H4Error,
  type H4ErrorCode,
  type H4ErrorDetail,
  isH4Error,
} from "./errors.ts";
export {
  decodeKsek,
  decodeSeekTable,
  encodeKsek,
  encodeSeekTable,
  type SeekTable,
  seekTableFromRows,
} from "./ksek.ts";
export { decodeLoca, encodeLoca, type Locator, type SlotRef } from "./loca.ts";
export { decodeJsonDoc, encodeJsonDoc, type JsonObject } from "./meta.ts";
export { computeRoot, type RootInputs } from "./root.ts";
export { decodeSeekm, encodeSeekm, type SeekmTrack } from "./seekm.ts";
export {
  decodeSignPayload,
  encodeSignPayload,
  keyIdOf,
  SIGN_ALG_ED25519,
  SIGN_DOMAIN,
  SIGN_PAYLOAD_LENGTH,
  SIGN_TAG,
  SIGN_VERSION,
  type SignatureRecord,
  signedMessage,
  verifySignature,
} from "./signature.ts";
export { decodeTdir, encodeTdir, type TableDirectory } from "./tdir.ts";
export { decodeTrak, encodeTrak, type TrakEntry } from "./trak.ts";
export { decodeTrks, encodeTrks, type TrackRecord } from "./trks.ts";
export type { BlockEntry, BlockKind, CodecName, Profile, TrackInfo } from "./types.ts";
