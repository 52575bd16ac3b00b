/**
 * The format core as lib/media uses it: one import point for the writer, the reader and
 * the byte sources.
 *
 * @module
 */
export { createWriter, type WriterOptions, type WriteSummary } from "../format/writer.ts";
export { openContainer } from "../seek/container.ts";
export type { Container } from "../seek/container.ts";
export { bytesSource } from "../format/byte_source.ts";
export { openFileSource } from "../io/file.ts";
