/**
 * Signing commands (SPEC.md section 18): `h4mk keygen --sign -o NAME.key` makes an Ed25519
 * key pair (NAME.key, mode 0600, and NAME.key.pub), and `h4mk sign FILE --sign-key NAME.key`
 * adds a signature to a container in place, touching only its tail (or, with `-o OUT`, to a copy
 * renamed into place when complete).
 *
 * @module
 */

import type { CliContext } from "../io.ts";
import { printOut } from "../io.ts";
import { assertOutputFree, STDIO, writeSecretFile } from "../output.ts";
import { writeFileAtomic } from "../../io/file.ts";
import { EXIT_OK } from "../errors.ts";
import { H4Error } from "../../format/errors.ts";
import {
  encodePublicKeyFile,
  encodeSecretKeyFile,
  generateSigningKey,
} from "../../format/sign_keys.ts";
import { signFile } from "../../io/sign_file.ts";
import { trackTemporary } from "../../io/temporaries.ts";
import { loadSigningKeys } from "../trust.ts";
import { isUrl, toHex } from "../text.ts";

/** Options of `h4mk keygen --sign`. */
export interface SignKeygenOptions {
  /** Secret key file; the public key goes to the same name with `.pub`. */
  output: string;
  /** Overwrite existing files. */
  force?: boolean;
}

/**
 * Writes a new signing key pair: NAME (secret, mode 0600) and NAME.pub.
 *
 * @example
 * ```ts ignore
 * import { signKeygenCommand } from "./sign.ts";
 * await signKeygenCommand(ctx, { output: "me.key" });
 * ```
 */
export async function signKeygenCommand(
  ctx: CliContext,
  opts: SignKeygenOptions,
): Promise<number> {
  const force = opts.force ?? false;
  const pub = `${opts.output}.pub`;
  await assertOutputFree(opts.output, force);
  await assertOutputFree(pub, force);
  const key = await generateSigningKey();
  await writeSecretFile(opts.output, encodeSecretKeyFile(key), force);
  await writeFileAtomic(pub, async (sink) => {
    await sink.write(new TextEncoder().encode(encodePublicKeyFile(key)));
  }, { force });
  await printOut(
    ctx.io,
    `wrote ${opts.output} (Ed25519 signing key ${key.keyId}, mode 0600) and ${pub}\n`,
  );
  return EXIT_OK;
}

/** Options of `h4mk sign`. */
export interface SignOptions {
  /** Secret signing key files. */
  signKey?: string[];
  /** Write a signed copy here instead of replacing FILE (temporary name, then rename). */
  output?: string;
  /**
   * Write only the new tail into FILE itself: work proportional to the tail on any file system,
   * but a power loss during that one write may leave the tail damaged.
   */
  inPlace?: boolean;
  /** Overwrite an existing output. */
  force?: boolean;
}

/**
 * Adds one signature per key to a container file. By default the signed file is a copy made under
 * a temporary name beside the target and renamed over it, so that no reader and no crash ever sees
 * a half-written tail; the copy is `copy_file_range`, which file systems with reflinks (btrfs,
 * XFS, bcachefs, ZFS) answer by sharing the blocks, so there the work is proportional to the tail.
 * `--in-place` writes only the tail into the file itself.
 *
 * @example
 * ```ts ignore
 * import { signCommand } from "./sign.ts";
 * await signCommand(ctx, "movie.h4mk", { signKey: ["me.key"] });
 * ```
 */
export async function signCommand(
  ctx: CliContext,
  file: string,
  opts: SignOptions,
): Promise<number> {
  if (isUrl(file)) {
    throw new H4Error("H4_BAD_ARGUMENT", `sign changes a local file in place, got a URL`);
  }
  const keys = await loadSigningKeys(ctx, opts.signKey);
  if (keys.length === 0) throw new H4Error("H4_BAD_ARGUMENT", "--sign-key is required");
  const out = opts.output;
  if (out === STDIO) throw new H4Error("H4_BAD_ARGUMENT", "sign writes a file; give -o PATH");
  if (out !== undefined) await assertOutputFree(out, opts.force ?? false);
  if (out !== undefined && opts.inPlace) {
    throw new H4Error("H4_BAD_ARGUMENT", "--in-place and -o exclude each other");
  }
  const final = out ?? file;
  // Unless --in-place: a copy is signed under a temporary name beside the target and renamed
  // over it, so readers and crashes see the old file or the new one, never a partial tail.
  const slash = final.lastIndexOf("/");
  const target = opts.inPlace
    ? file
    : `${final.slice(0, slash + 1)}.${final.slice(slash + 1)}.${
      crypto.randomUUID().slice(0, 8)
    }.tmp`;
  const untrack = opts.inPlace ? () => {} : trackTemporary(target);
  if (!opts.inPlace) {
    await Deno.copyFile(file, target);
    if (out === undefined) await Deno.chmod(target, (await Deno.stat(file)).mode! & 0o7777);
  }
  try {
    for (const key of keys) {
      const r = await signFile(target, key);
      const name = final;
      await printOut(
        ctx.io,
        r.added
          ? `signed ${name} with key ${r.keyId} (root ${toHex(r.root)}, ${r.size} bytes)\n`
          : `${name} is already signed by key ${r.keyId}; unchanged\n`,
      );
    }
    if (!opts.inPlace) await Deno.rename(target, final);
  } catch (e) {
    if (!opts.inPlace) await Deno.remove(target).catch(() => {});
    throw e;
  } finally {
    untrack();
  }
  return EXIT_OK;
}
