/**
 * How the CLI turns any thrown value into one stderr line and an exit code.
 *
 * Exit codes: 0 success, 1 invalid input or failed verification, 2 usage error.
 * Every error line is `h4mk: error: <code>: <message>`.
 *
 * @module
 */

import { isH4Error } from "../format/errors.ts";

/** Exit code of a successful run. */
export const EXIT_OK = 0;
/** Exit code for invalid input, a failed operation or a failed verification. */
export const EXIT_INVALID = 1;
/** Exit code for a usage error (bad arguments or options). */
export const EXIT_USAGE = 2;

/** CLI-only code of usage errors (not an H4 library code: the library never sees argv). */
export const USAGE_CODE = "H4_USAGE";
/** CLI-only code of errors that are bugs rather than bad input. */
export const INTERNAL_CODE = "H4_INTERNAL";

/**
 * A usage error raised by a command's own argument checks (exit 2, code `H4_USAGE`).
 *
 * @example
 * ```ts
 * import { UsageError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const e = new UsageError("--pts-us is required");
 * assert(e.message === "--pts-us is required");
 * ```
 */
export class UsageError extends Error {
  /** Makes a usage error with a one-line message. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** What an error becomes on the command line. */
export interface CliFailure {
  /** Code printed after `h4mk: error:`. */
  code: string;
  /** One-line message. */
  message: string;
  /** Process exit code. */
  exit: number;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

function isSystemError(e: unknown): e is Error {
  if (!(e instanceof Error)) return false;
  // Deno.errors.* are the filesystem, permission and network failures of the edge; node:
  // APIs report the same failures with a code such as ENOENT or EACCES.
  const code = (e as { code?: unknown }).code;
  return Object.values(Deno.errors).some((cls) => e instanceof (cls as unknown as typeof Error)) ||
    (typeof code === "string" && /^E[A-Z0-9]+$/.test(code));
}

/**
 * Classifies a thrown value.
 *
 * @example
 * ```ts
 * import { H4Error } from "../format/errors.ts";
 * import { describeError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const f = describeError(new H4Error("H4_TRUNCATED", "file ends at 7"));
 * assert(f.code === "H4_TRUNCATED" && f.exit === 1);
 * ```
 */
export function describeError(e: unknown): CliFailure {
  if (isH4Error(e)) return { code: e.code, message: oneLine(e.message), exit: EXIT_INVALID };
  if (e instanceof UsageError) {
    return { code: USAGE_CODE, message: oneLine(e.message), exit: EXIT_USAGE };
  }
  if (isSystemError(e)) {
    // "No such file or directory (os error 2): open 'x'" -> "No such file or directory: open 'x'"
    return {
      code: "H4_IO",
      message: oneLine(e.message.replace(/ \(os error \d+\)/, "")),
      exit: EXIT_INVALID,
    };
  }
  if (e instanceof Error) {
    return {
      code: INTERNAL_CODE,
      message: oneLine(`${e.name}: ${e.message} (run with --debug for a stack trace)`),
      exit: EXIT_INVALID,
    };
  }
  return { code: INTERNAL_CODE, message: oneLine(String(e)), exit: EXIT_INVALID };
}

/**
 * The stderr line of a failure.
 *
 * @example
 * ```ts
 * import { errorLine } from "./errors.ts";
 * import assert from "node:assert/strict";
 * assert(errorLine("H4_IO", "x") === "h4mk: error: H4_IO: x\n");
 * ```
 */
export function errorLine(code: string, message: string): string {
  return `h4mk: error: ${code}: ${oneLine(message)}\n`;
}

/**
 * Stack trace and cause chain of an error, for `--debug`.
 *
 * @example
 * ```ts
 * import { debugTrace } from "./errors.ts";
 * import assert from "node:assert/strict";
 * assert(debugTrace(new Error("x")).includes("Error: x"));
 * ```
 */
export function debugTrace(e: unknown): string {
  const lines: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; cur !== undefined && depth < 8; depth++) {
    if (depth > 0) lines.push("caused by:");
    lines.push(cur instanceof Error ? (cur.stack ?? `${cur.name}: ${cur.message}`) : String(cur));
    cur = cur instanceof Error ? cur.cause : undefined;
  }
  return lines.join("\n") + "\n";
}
