/**
 * Key files for the commands: reading a key file into a LivingCipher key, and the opener a
 * command passes to the reader when `--key-file` is given.
 *
 * @module
 */

import type { Container } from "../../seek/container.ts";
import type { CliContext } from "../io.ts";
import { printErr } from "../io.ts";
import { type LivingKey, type LivingModule, type LivingOpener, loadLiving } from "../optional.ts";
import { readSecretFile, warnIfSecretExposed } from "../output.ts";
import { plural } from "../manifest.ts";

/** A key file read and parsed. */
export interface LoadedKey {
  /** The LivingCipher module. */
  living: LivingModule;
  /** The parsed key. */
  key: LivingKey;
}

/**
 * Reads and parses a key file (`--key-file`).
 *
 * @example
 * ```ts ignore
 * import { loadKey } from "./keys.ts";
 * const { living, key } = await loadKey(ctx, "demo.key");
 * ```
 */
export async function loadKey(ctx: CliContext, path: string): Promise<LoadedKey> {
  const living = await loadLiving();
  const key = living.parseKeyFile(await readSecretFile(path));
  await warnIfSecretExposed(ctx, path);
  return { living, key };
}

/**
 * The opener for `--key-file`, or undefined without one. Warns when the container is not
 * encrypted (the key is then not needed).
 *
 * @example
 * ```ts ignore
 * import { openerFor } from "./keys.ts";
 * const opener = await openerFor(ctx, container, opts.keyFile);
 * ```
 */
export async function openerFor(
  ctx: CliContext,
  container: Container,
  keyFile: string | undefined,
): Promise<LivingOpener | undefined> {
  if (keyFile === undefined) return undefined;
  if (!container.encrypted || container.livc === null) {
    await printErr(
      ctx.io,
      container.encrypted
        ? `h4mk: warning: this legacy encrypted file cannot be decrypted by any key; --key-file ignored\n`
        : `h4mk: warning: the container is not encrypted; --key-file ignored\n`,
    );
    return undefined;
  }
  // An identity file (--identity, SPEC.md 12.16) opens through the container's recipients.
  const viaIdentity = await (await import("./recipients.ts")).identityOpener(
    ctx,
    container,
    keyFile,
  );
  if (viaIdentity) return viaIdentity;
  const { living, key } = await loadKey(ctx, keyFile);
  return await living.openCipher(container, key);
}

/**
 * The line that says which blocks stayed sealed to an epoch key: "blocks 0..3 (4 of 10) stayed
 * sealed to this epoch key: WHAT".
 *
 * @example
 * ```ts
 * import { sealedNote } from "./keys.ts";
 * import assert from "node:assert/strict";
 * assert(sealedNote(4, 10, "not decrypted").startsWith("blocks 0..3 (4 of 10)"));
 * ```
 */
export function sealedNote(sealed: number, total: number, what: string): string {
  return sealed >= total
    ? `all ${plural(total, "block")} stayed sealed to this epoch key (it opens no block): ${what}`
    : `blocks 0..${sealed - 1} (${sealed} of ${total}) stayed sealed to this epoch key: ${what}`;
}
