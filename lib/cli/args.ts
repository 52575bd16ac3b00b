/**
 * Parsers for option values. Parsers given to commander throw `InvalidArgumentError`, which
 * commander reports as a usage error (exit 2).
 *
 * @module
 */

import { InvalidArgumentError } from "commander";
import { H4Error } from "../format/errors.ts";

/**
 * Parses a non-negative safe integer (block index, epoch, port).
 *
 * @example
 * ```ts
 * import { parseNonNegativeInt } from "./args.ts";
 * import assert from "node:assert/strict";
 * assert(parseNonNegativeInt("12") === 12);
 * ```
 */
export function parseNonNegativeInt(value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError(`expected a non-negative integer, got "${value}"`);
  }
  return Number(value);
}

/**
 * Parses a pts in microseconds: a safe integer, possibly negative.
 *
 * @example
 * ```ts
 * import { parsePtsUs } from "./args.ts";
 * import assert from "node:assert/strict";
 * assert(parsePtsUs("-21333") === -21333);
 * ```
 */
export function parsePtsUs(value: string): number {
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError(`expected an integer number of microseconds, got "${value}"`);
  }
  return Number(value);
}

/**
 * Parses a size such as `64m`, `1g`, `512k` or `1000` (bytes).
 *
 * @example
 * ```ts
 * import { parseByteSize } from "./args.ts";
 * import assert from "node:assert/strict";
 * assert(parseByteSize("2m") === 2 * 1024 * 1024);
 * ```
 */
export function parseByteSize(value: string): number {
  const m = /^(\d+)([kmg]?)i?b?$/i.exec(value.trim());
  const unit = m ? { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase()] : undefined;
  const n = m && unit !== undefined ? Number(m[1]) * unit : NaN;
  if (!Number.isSafeInteger(n)) {
    throw new InvalidArgumentError(`expected a size like 64m or 1048576, got "${value}"`);
  }
  return n;
}

/**
 * Reads a JSON object option: either the JSON text itself or `@path` of a file holding it.
 * Bad JSON or a non-object is an `H4_BAD_ARGUMENT` (invalid input, exit 1).
 *
 * @example
 * ```ts
 * import { readJsonObjectArg } from "./args.ts";
 * import assert from "node:assert/strict";
 * const meta = await readJsonObjectArg("--meta", '{"title":"demo"}');
 * assert(meta.title === "demo");
 * ```
 */
export async function readJsonObjectArg(
  option: string,
  value: string,
): Promise<Record<string, unknown>> {
  const text = value.startsWith("@") ? await Deno.readTextFile(value.slice(1)) : value;
  const from = value.startsWith("@") ? ` in ${value.slice(1)}` : "";
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `${option}: not valid JSON${from}: ${(e as Error).message}`,
      { cause: e },
    );
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    const got = parsed === null ? "null" : Array.isArray(parsed) ? "an array" : typeof parsed;
    throw new H4Error("H4_BAD_ARGUMENT", `${option}: expected a JSON object${from}, got ${got}`);
  }
  return parsed as Record<string, unknown>;
}

// Kept here for callers of args.ts; text.ts has them without commander.
export { isUrl, toHex } from "./text.ts";
