/**
 * The `h4mk` command-line tool as a library: {@linkcode main} runs it with an argument list,
 * {@linkcode captureIo} captures its output for tests and embedding.
 *
 * @example
 * ```ts
 * import { captureIo, main } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const io = captureIo();
 * const code = await main(["completions", "bash"], io);
 * assert(code === 0 && io.out().includes("complete"));
 * ```
 *
 * @module
 */

export { main } from "./main.ts";
export { captureIo, denoIo } from "./io.ts";
export type { CapturedIo, CliContext, CliIo } from "./io.ts";
export { EXIT_INVALID, EXIT_OK, EXIT_USAGE } from "./errors.ts";
export { VERSION } from "./program.ts";
