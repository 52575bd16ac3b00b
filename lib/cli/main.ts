/**
 * Entry point of the `h4mk` CLI as a function: `main(args)` runs one command and resolves to
 * its exit code, so tests run it in-process and `cli.ts` only calls `Deno.exit`.
 *
 * @module
 */

import { CommanderError } from "commander";
import { denoIo } from "./io.ts";
import type { CliIo } from "./io.ts";
import { printErr } from "./io.ts";
import { buildProgram, type ProgramState } from "./program.ts";
import { debugTrace, describeError, errorLine, EXIT_OK, EXIT_USAGE, USAGE_CODE } from "./errors.ts";

/** Commander codes that are not errors: help or version was asked for. */
const HELP_CODES = new Set(["commander.helpDisplayed", "commander.version"]);

/**
 * Runs the CLI with `args` (without the program name) and resolves to the exit code:
 * 0 success, 1 invalid input or failed verification, 2 usage error. Never throws and never
 * exits the process.
 *
 * @example
 * ```ts
 * import { main } from "./main.ts";
 * import { captureIo } from "./io.ts";
 * import assert from "node:assert/strict";
 * const io = captureIo();
 * const code = await main(["--version"], io);
 * assert(code === 0 && /^\d+\.\d+\.\d+/.test(io.out()));
 * ```
 */
export async function main(args: string[], io: CliIo = denoIo()): Promise<number> {
  // Known before parsing, so even a usage error can show its trace.
  const debug = args.includes("--debug");
  const state: ProgramState = { exit: EXIT_OK, pending: Promise.resolve() };
  let exit: number;
  try {
    const program = buildProgram(io, state);
    await program.parseAsync(args, { from: "user" });
    exit = state.exit;
  } catch (e) {
    await state.pending;
    if (e instanceof CommanderError) {
      if (HELP_CODES.has(e.code)) return EXIT_OK;
      // `h4mk` alone and `h4mk help` print help: an error only when no command was given.
      if (e.code === "commander.help") return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
      await printErr(io, errorLine(USAGE_CODE, e.message.replace(/^error: /, "")));
      return EXIT_USAGE;
    }
    if (e instanceof Deno.errors.BrokenPipe) return 1; // reader went away (e.g. `| head`)
    const f = describeError(e);
    await printErr(io, errorLine(f.code, f.message));
    if (debug) await printErr(io, debugTrace(e));
    return f.exit;
  }
  await state.pending;
  return exit;
}
