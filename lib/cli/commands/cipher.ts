/**
 * LivingCipher commands: `keygen`, `encrypt`, `decrypt`, `grant`. Key files and decrypted
 * containers are created with mode 0600, and key files' contents are never printed. Only a
 * root key encrypts (SPEC.md H4-LC-020); an epoch key decrypts the blocks it opens.
 *
 * @module
 */

import type { CliContext } from "../io.ts";
import { printErr, printOut } from "../io.ts";
import { withInput } from "../input.ts";
import { loadSigningKeys, type TrustArgs } from "../trust.ts";
import { assertOutputFree, STDIO, writeOutput, writeSecretFile } from "../output.ts";
import { createProgress, type Progress } from "../progress.ts";
import type { ByteSink } from "../../format/types.ts";
import { EXIT_OK } from "../errors.ts";
import { loadLiving } from "../optional.ts";
import { loadKey, sealedNote } from "./keys.ts";
import { H4Error } from "../../format/errors.ts";
import { plural } from "../manifest.ts";
import {
  decryptWithIdentityCommand,
  encryptToRecipientsCommand,
  grantRecipientCommand,
  identityKeygenCommand,
} from "./recipients.ts";

/** Options shared by the cipher commands. */
export interface CipherOptions extends TrustArgs {
  /** Output path. */
  output: string;
  /** Key file. */
  keyFile?: string;
  /** encrypt: LivingCipher blocks per epoch. */
  epochBlocks?: number;
  /** encrypt: key of an already encrypted input (re-encryption under a new key). */
  sourceKeyFile?: string;
  /** encrypt: sign the output with these secret signing key files (SPEC.md section 18). */
  signKey?: string[];
  /** Overwrite an existing output. */
  force?: boolean;
  /** keygen: make an X25519 identity; decrypt: an identity file (SPEC.md 12.16). */
  identity?: boolean | string;
  /** encrypt, grant: recipient files (SPEC.md 12.16). */
  recipient?: string[];
  /** encrypt, grant: write recipient ids in clear. */
  recipientHints?: boolean;
}

async function report(ctx: CliContext, output: string, text: string): Promise<void> {
  await (output === STDIO ? printErr(ctx.io, text) : printOut(ctx.io, text));
}

/**
 * `h4mk keygen -o KEY`: a new random master key.
 *
 * @example
 * ```ts ignore
 * import { keygenCommand } from "./cipher.ts";
 * await keygenCommand(ctx, { output: "demo.key" });
 * ```
 */
export async function keygenCommand(ctx: CliContext, opts: CipherOptions): Promise<number> {
  if (opts.identity === true) return await identityKeygenCommand(ctx, opts);
  const living = await loadLiving();
  await assertOutputFree(opts.output, opts.force ?? false);
  const text = living.encodeKeyFile({ kind: "root", key: living.generateKey() });
  await writeSecretFile(opts.output, text, opts.force ?? false);
  await printOut(ctx.io, `wrote ${opts.output} (LivingCipher master key, mode 0600)\n`);
  return EXIT_OK;
}

/** A sink that reports the bytes written so far (of about `total`) to a progress line. */
function counted(sink: ByteSink, total: number, progress: Progress): ByteSink {
  let done = 0;
  return {
    async write(bytes) {
      await sink.write(bytes);
      done += bytes.length;
      await progress.update(done, Math.max(done, total));
    },
  };
}

function needKey(opts: CipherOptions): string {
  if (opts.keyFile === undefined) throw new H4Error("H4_BAD_ARGUMENT", "--key-file is required");
  return opts.keyFile;
}

/**
 * `h4mk encrypt IN -o OUT --key-file KEY`: the same blocks, encrypted.
 *
 * @example
 * ```ts ignore
 * import { encryptCommand } from "./cipher.ts";
 * await encryptCommand(ctx, "demo.h4mk", { output: "demo.enc.h4mk", keyFile: "demo.key" });
 * ```
 */
export async function encryptCommand(
  ctx: CliContext,
  input: string,
  opts: CipherOptions,
): Promise<number> {
  if (opts.recipient?.length) return await encryptToRecipientsCommand(ctx, input, opts);
  const force = opts.force ?? false;
  await assertOutputFree(opts.output, force);
  const { living, key } = await loadKey(ctx, needKey(opts));
  // Refused before anything is read or written: an epoch key never seals (nonce reuse).
  living.requireRootKey(key, "encrypt --key-file");
  const sourceKey = opts.sourceKeyFile !== undefined
    ? (await loadKey(ctx, opts.sourceKeyFile)).key
    : undefined;
  const signingKeys = await loadSigningKeys(ctx, opts.signKey);
  await withInput(input, async (container) => {
    if (container.encrypted && sourceKey === undefined) {
      throw new H4Error(
        "H4_ENCRYPTED",
        `${input} is already encrypted: give its key with --source-key-file to re-encrypt it`,
      );
    }
    await rewrite(
      ctx,
      container,
      opts.output,
      force,
      "encrypted",
      (sink) =>
        living.encryptContainer(container, key, sink, {
          epochBlocks: opts.epochBlocks,
          sourceKey,
          writer: { signingKeys },
        }),
    );
  }, opts);
  return EXIT_OK;
}

/** Writes `output` through `write` with progress on stderr, then says what was written. */
async function rewrite(
  ctx: CliContext,
  container: { size: number; blockCount: number },
  output: string,
  force: boolean,
  done: "encrypted" | "decrypted",
  write: (sink: ByteSink) => Promise<unknown>,
): Promise<void> {
  const progress = createProgress(ctx, done === "encrypted" ? "encrypting" : "decrypting", "bytes");
  let sealed = 0;
  try {
    await writeOutput(ctx, output, force, async (sink) => {
      const summary = await write(counted(sink, container.size, progress));
      sealed = (summary as { sealedBlocks?: number } | undefined)?.sealedBlocks ?? 0;
      // Plaintext of an encrypted container is as secret as the key: mode 0600, like key files.
    }, { mode: done === "decrypted" ? 0o600 : undefined });
  } finally {
    await progress.end();
  }
  const n = container.blockCount;
  const what = done === "decrypted" && output !== STDIO
    ? `decrypted, ${plural(n - sealed, "block")}, mode 0600`
    : `${done}, ${plural(n - sealed, "block")}`;
  await report(
    ctx,
    output,
    `wrote ${output} (${what})\n` +
      (sealed > 0 ? `${sealedNote(sealed, n, "not in the output")}\n` : ""),
  );
}

/**
 * `h4mk decrypt IN -o OUT --key-file KEY`: the same blocks, decrypted, written with mode 0600.
 * With an epoch key: the blocks it opens, and a line naming the blocks that stayed sealed.
 *
 * @example
 * ```ts ignore
 * import { decryptCommand } from "./cipher.ts";
 * await decryptCommand(ctx, "demo.enc.h4mk", { output: "demo.h4mk", keyFile: "demo.key" });
 * ```
 */
export async function decryptCommand(
  ctx: CliContext,
  input: string,
  opts: CipherOptions,
): Promise<number> {
  if (typeof opts.identity === "string") {
    return await decryptWithIdentityCommand(ctx, input, { ...opts, identity: opts.identity });
  }
  const force = opts.force ?? false;
  await assertOutputFree(opts.output, force);
  const { living, key } = await loadKey(ctx, needKey(opts));
  await withInput(input, async (container) => {
    if (!container.encrypted) {
      throw new H4Error("H4_BAD_ARGUMENT", `${input} is not encrypted`);
    }
    await rewrite(
      ctx,
      container,
      opts.output,
      force,
      "decrypted",
      (sink) => living.decryptContainer(container, key, sink),
    );
  }, opts);
  return EXIT_OK;
}

/** Options of `h4mk grant`. */
export interface GrantOptions extends CipherOptions {
  /** First epoch the granted key opens. */
  fromEpoch: number;
}

/**
 * `h4mk grant IN --key-file KEY --from-epoch E -o EPOCHKEY`: a key that opens epochs E and
 * later of this container, and nothing before.
 *
 * @example
 * ```ts ignore
 * import { grantCommand } from "./cipher.ts";
 * await grantCommand(ctx, "demo.enc.h4mk", { keyFile: "demo.key", fromEpoch: 2, output: "e2.key" });
 * ```
 */
export async function grantCommand(
  ctx: CliContext,
  input: string,
  opts: GrantOptions,
): Promise<number> {
  if (opts.recipient?.length) {
    return await grantRecipientCommand(ctx, input, { ...opts, recipient: opts.recipient });
  }
  if (opts.output === undefined) throw new H4Error("H4_BAD_ARGUMENT", "-o is required");
  const force = opts.force ?? false;
  await assertOutputFree(opts.output, force);
  const { living, key } = await loadKey(ctx, needKey(opts));
  await withInput(input, async (container) => {
    const granted = living.grantEpochKey(container, key, opts.fromEpoch);
    await writeSecretFile(opts.output, living.encodeKeyFile(granted), force);
  }, opts);
  await printOut(
    ctx.io,
    `wrote ${opts.output} (LivingCipher epoch key from epoch ${opts.fromEpoch}, mode 0600): a reading grant for this container only; it never encrypts\n`,
  );
  return EXIT_OK;
}
