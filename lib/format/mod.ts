/**
 * The H4MK format: one file per chunk type (encode and decode), codecs, and the writer.
 *
 * @module
 */
export * from "./background_sha256.ts";
export * from "./bidx.ts";
export * from "./bhsh.ts";
export * from "./byte_source.ts";
export * from "./bytes.ts";
export * from "./chunk.ts";
export * from "./codec.ts";
export * from "./constants.ts";
export * from "./crc32.ts";
export * from "./deflate.ts";
export * from "./errors.ts";
export * from "./index_columns.ts";
export * from "./ksek.ts";
export * from "./loca.ts";
export * from "./meta.ts";
export * from "./native.ts";
export * from "./rle.ts";
export * from "./root.ts";
export * from "./seekm.ts";
export * from "./sha256.ts";
export * from "./sign_keys.ts";
export * from "./signature.ts";
export * from "./tdir.ts";
export * from "./trak.ts";
export * from "./trks.ts";
export * from "./types.ts";
export * from "./writer.ts";
