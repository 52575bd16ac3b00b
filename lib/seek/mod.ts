/**
 * Random access: open a container from any byte source, seek, read blocks, verify.
 *
 * @module
 */
export * from "./container.ts";
export * from "./seek_table.ts";
export * from "./verify.ts";
