/**
 * `--trust KEY.pub` (repeatable), `--root HEX` and `--verify`/`--no-verify` of the read
 * commands, and `--sign-key KEY` of the writing ones: reading the key files into the reader's
 * trust option (SPEC.md section 18) and the writer's signing keys.
 *
 * @module
 */

import { H4Error } from "../format/errors.ts";
import type { TrustOptions } from "../seek/container.ts";
import type { SigningKey } from "../format/sign_keys.ts";
import type { CliContext } from "./io.ts";
import { warnIfSecretExposed } from "./output.ts";

/** Options every read command takes. */
export interface TrustArgs {
  /** Public signing key files; the container must carry a valid signature of one of them. */
  trust?: string[];
  /** A root digest (64 hex digits) learned out of band. */
  root?: string;
  /** Check every block read against BHSH (default: only when read from a URL, or trusted). */
  verify?: boolean;
}

/** What `openInput` passes to `open`. */
export interface InputOptions {
  /** The reader's trust option, when `--trust` or `--root` was given. */
  trust?: TrustOptions;
  /** Block verification, when asked for or refused. */
  verifyBlocks?: boolean;
}

/** Largest key file read: a key file is one short line. */
const MAX_KEY_FILE = 4096;

async function readKeyText(path: string): Promise<string> {
  let size: number;
  try {
    size = (await Deno.stat(path)).size;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new H4Error("H4_BAD_ARGUMENT", `key file ${path} does not exist`);
    }
    throw e;
  }
  if (size > MAX_KEY_FILE) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `key file ${path} has ${size} bytes; a key file is one line`,
    );
  }
  return await Deno.readTextFile(path);
}

function keyError(path: string, e: unknown): never {
  if (e instanceof H4Error) throw new H4Error(e.code, `${path}: ${e.message}`, { rule: e.rule });
  throw e;
}

/**
 * The open options of `--trust`, `--root` and `--verify`/`--no-verify`.
 *
 * @example
 * ```ts
 * import { inputOptions } from "./trust.ts";
 * import assert from "node:assert/strict";
 * assert((await inputOptions({})).trust === undefined);
 * assert((await inputOptions({ root: "00".repeat(32) })).trust?.root?.length === 32);
 * ```
 */
export async function inputOptions(args: TrustArgs): Promise<InputOptions> {
  const out: InputOptions = {};
  if (args.verify !== undefined) out.verifyBlocks = args.verify;
  const files = args.trust ?? [];
  if (files.length === 0 && args.root === undefined) return out;
  const { parsePublicKeyFile } = await import("../format/sign_keys.ts");
  const keys: Uint8Array[] = [];
  for (const f of files) {
    try {
      keys.push(parsePublicKeyFile(await readKeyText(f)).publicKey);
    } catch (e) {
      keyError(f, e);
    }
  }
  const trust: TrustOptions = { keys };
  if (args.root !== undefined) {
    if (!/^[0-9a-fA-F]{64}$/.test(args.root)) {
      throw new H4Error(
        "H4_BAD_ARGUMENT",
        `--root takes a root digest of 64 hex digits, got ${args.root.length} characters`,
      );
    }
    trust.root = Uint8Array.fromHex(args.root.toLowerCase());
  }
  out.trust = trust;
  return out;
}

/**
 * Reads secret signing key files (`--sign-key`), warning when others can read one.
 *
 * @example
 * ```ts ignore
 * import { loadSigningKeys } from "./trust.ts";
 * const keys = await loadSigningKeys(ctx, ["me.key"]);
 * ```
 */
export async function loadSigningKeys(
  ctx: CliContext,
  paths: readonly string[] | undefined,
): Promise<SigningKey[]> {
  if (!paths || paths.length === 0) return [];
  const { parseSecretKeyFile } = await import("../format/sign_keys.ts");
  const keys: SigningKey[] = [];
  for (const p of paths) {
    try {
      keys.push(await parseSecretKeyFile(await readKeyText(p)));
    } catch (e) {
      keyError(p, e);
    }
    await warnIfSecretExposed(ctx, p);
  }
  return keys;
}

/**
 * Commander's collector of a repeatable option.
 *
 * @example
 * ```ts
 * import { collect } from "./trust.ts";
 * import assert from "node:assert/strict";
 * assert(collect("b", ["a"]).join() === "a,b");
 * ```
 */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
