/**
 * Output files: written to a temporary name and renamed on success, never overwriting an
 * existing file without `--force`; `-` means standard output. Key files are created 0600.
 *
 * @module
 */

import { H4Error } from "../format/errors.ts";
import type { ByteSink } from "../format/types.ts";
import { writeFileAtomic } from "../io/file.ts";
import { type CliContext, printErr } from "./io.ts";

/** The path that means standard output or standard input. */
export const STDIO = "-";

/** Other names of standard output, written like `-`. */
const STDOUT_ALIASES = new Set(["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]);

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/**
 * True when `path` is a character device, a FIFO or a socket (`/dev/null`, `/dev/stdout` on a
 * terminal or pipe, a named pipe): written in place, as asked, without --force, since it
 * cannot be replaced by a rename and nothing is overwritten.
 *
 * @example
 * ```ts
 * import { isStreamTarget } from "./output.ts";
 * import assert from "node:assert/strict";
 * assert(await isStreamTarget("/dev/null") === (Deno.build.os !== "windows"));
 * ```
 */
export async function isStreamTarget(path: string): Promise<boolean> {
  if (path === STDIO || STDOUT_ALIASES.has(path)) return true;
  try {
    const info = await Deno.stat(path);
    return info.isCharDevice === true || info.isFifo === true || info.isSocket === true;
  } catch {
    return false;
  }
}

/**
 * Fails early (before any work) when `path` exists and `force` is not set. A device, FIFO or
 * socket is never "existing" in this sense ({@linkcode isStreamTarget}).
 *
 * @example
 * ```ts
 * import { assertOutputFree } from "./output.ts";
 * await assertOutputFree("-", false); // stdout is always free
 * ```
 */
export async function assertOutputFree(path: string, force: boolean): Promise<void> {
  if (path === STDIO || force) return;
  if (await exists(path) && !(await isStreamTarget(path))) {
    // Same code and wording as writeFileAtomic, which checks again just before writing.
    throw new H4Error("H4_IO", `${path} exists; pass --force to replace it`);
  }
}

/**
 * Writes an output through a {@linkcode ByteSink}: to stdout for `-`, in place to a device or
 * FIFO, else atomically to `path` (created with `opts.mode`, 0644 by default; 0600 for decrypted
 * plaintext), flushed to the disk before the rename unless `opts.sync` is false.
 *
 * @example
 * ```ts ignore
 * import { writeOutput } from "./output.ts";
 * await writeOutput(ctx, "out.bin", false, (sink) => sink.write(new Uint8Array([1])));
 * ```
 */
export async function writeOutput(
  ctx: CliContext,
  path: string,
  force: boolean,
  write: (sink: ByteSink) => Promise<void>,
  opts: { mode?: number; sync?: boolean } = {},
): Promise<void> {
  if (path === STDIO || STDOUT_ALIASES.has(path)) {
    // Standard output by any name: never renamed over (the alias is a link, /dev/stdout
    // redirected to a file would otherwise be replaced).
    await write({ write: (bytes) => ctx.io.writeOut(bytes) });
    return;
  }
  if (await isStreamTarget(path)) {
    // Written in place: a device or pipe has no temporary name to rename from.
    const file = await Deno.open(path, { write: true }).catch((e) => {
      throw new H4Error("H4_IO", `cannot open ${path}: ${(e as Error).message}`, { cause: e });
    });
    try {
      await write({
        async write(bytes) {
          for (let o = 0; o < bytes.length;) o += await file.write(bytes.subarray(o));
        },
      });
    } finally {
      file.close();
    }
    return;
  }
  await assertOutputFree(path, force);
  await writeFileAtomic(path, write, { force, mode: opts.mode, sync: opts.sync });
}

/**
 * Writes a secret (a key file): created with mode 0600 under a temporary name, then renamed.
 * Never to stdout, and the text is never printed.
 *
 * @example
 * ```ts ignore
 * import { writeSecretFile } from "./output.ts";
 * await writeSecretFile("demo.key", "...", false);
 * ```
 */
export async function writeSecretFile(path: string, text: string, force: boolean): Promise<void> {
  if (path === STDIO) {
    throw new H4Error("H4_BAD_ARGUMENT", "key files are never written to stdout; give -o PATH");
  }
  await assertOutputFree(path, force);
  await writeFileAtomic(path, async (sink) => {
    await sink.write(new TextEncoder().encode(text));
  }, { force, mode: 0o600 });
}

/** Largest key file read: a key file is one short line, anything much bigger is a mistake. */
const MAX_SECRET_FILE = 64 * 1024;

/**
 * Reads a key file, refusing files far larger than one key line.
 *
 * @example
 * ```ts ignore
 * import { readSecretFile } from "./output.ts";
 * const text = await readSecretFile("demo.key");
 * ```
 */
export async function readSecretFile(path: string): Promise<string> {
  const size = (await Deno.stat(path)).size;
  if (size > MAX_SECRET_FILE) {
    throw new H4Error(
      "H4_CIPHER_BAD_KEY",
      `key file ${path} has ${size} bytes; a key file is one line`,
    );
  }
  return await Deno.readTextFile(path);
}

/**
 * Warns on stderr when others can read a key file (like ssh does).
 *
 * @example
 * ```ts ignore
 * import { warnIfSecretExposed } from "./output.ts";
 * await warnIfSecretExposed(ctx, "demo.key");
 * ```
 */
export async function warnIfSecretExposed(ctx: CliContext, path: string): Promise<void> {
  if (Deno.build.os === "windows") return;
  const mode = (await Deno.stat(path)).mode;
  if (mode !== null && (mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(3, "0");
    await printErr(
      ctx.io,
      `h4mk: warning: key file ${path} is accessible by others (mode ${octal}); run chmod 600 ${path}\n`,
    );
  }
}
