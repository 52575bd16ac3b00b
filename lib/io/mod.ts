/**
 * Byte sources and sinks at the edge: files, HTTP with Range requests, and `open`.
 *
 * @module
 */
export { bytesSource } from "../format/byte_source.ts";
export * from "./file.ts";
export {
  type HttpSource,
  type HttpSourceOptions,
  type HttpSourceStats,
  openHttpSource,
} from "./http_source.ts";
export * from "./open.ts";
export * from "./sign_file.ts";
