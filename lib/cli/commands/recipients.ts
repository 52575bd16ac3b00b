/**
 * Public-key access to encrypted containers (SPEC.md section 12.16): `keygen --identity`,
 * sealing to `--recipient` files in `pack`, `import` and `encrypt`, opening with `--identity`,
 * `grant --recipient`, and `recipients` (list or remove stanzas). Identity files are written
 * with mode 0600 and never printed; recipient files are public.
 *
 * @module
 */

import { writeFileAtomic } from "../../io/file.ts";
import { H4Error } from "../../format/errors.ts";
import type { ByteSink } from "../../format/types.ts";
import type { Container } from "../../seek/container.ts";
import type { CliContext } from "../io.ts";
import { printErr, printOut } from "../io.ts";
import { withInput } from "../input.ts";
import { type LivingModule, type LivingOpener, loadLiving } from "../optional.ts";
import {
  assertOutputFree,
  readSecretFile,
  STDIO,
  warnIfSecretExposed,
  writeOutput,
  writeSecretFile,
} from "../output.ts";
import { createProgress } from "../progress.ts";
import { EXIT_OK } from "../errors.ts";
import { plural } from "../manifest.ts";
import { loadKey } from "./keys.ts";

type Identity = ReturnType<LivingModule["generateIdentity"]>;
type Recipient = Identity["recipient"];
type Sealer = ReturnType<LivingModule["createSealer"]>;

/** What removing a stanza does not do, said every time. */
export const NO_REVOCATION =
  "this does not revoke anything: that recipient may have kept the key or the blocks it already read; to cut off future content, encrypt again (a new container id) to the remaining recipients";

/**
 * `h4mk keygen --identity -o NAME.id`: a new X25519 identity (mode 0600) and its recipient file
 * `NAME.id.pub` (one public line with the recipient id).
 *
 * @example
 * ```ts ignore
 * import { identityKeygenCommand } from "./recipients.ts";
 * await identityKeygenCommand(ctx, { output: "alice.id" });
 * ```
 */
export async function identityKeygenCommand(
  ctx: CliContext,
  opts: { output: string; force?: boolean },
): Promise<number> {
  const living = await loadLiving();
  const force = opts.force ?? false;
  const pub = `${opts.output}.pub`;
  await assertOutputFree(opts.output, force);
  await assertOutputFree(pub, force);
  const id = living.generateIdentity();
  await writeSecretFile(opts.output, living.encodeIdentityFile(id), force);
  const line = living.encodeRecipientFile(id.recipient);
  await writeFileAtomic(pub, async (sink) => {
    await sink.write(new TextEncoder().encode(line));
  }, { force, mode: 0o644 });
  id.secretKey.fill(0);
  await printOut(
    ctx.io,
    `wrote ${opts.output} (X25519 identity, mode 0600) and ${pub} (recipient ${id.recipient.id}: give this one out)\n`,
  );
  return EXIT_OK;
}

/**
 * Reads recipient files (`--recipient`, repeatable); the same recipient twice is refused.
 *
 * @example
 * ```ts ignore
 * import { loadRecipients } from "./recipients.ts";
 * const rs = await loadRecipients(["bob.id.pub"]);
 * ```
 */
export async function loadRecipients(paths: readonly string[]): Promise<Recipient[]> {
  const living = await loadLiving();
  const out: Recipient[] = [];
  for (const p of paths) {
    const size = (await Deno.stat(p)).size;
    if (size > 1024) {
      throw new H4Error(
        "H4_CIPHER_BAD_KEY",
        `recipient file ${p} has ${size} bytes; it is one line`,
      );
    }
    const r = living.parseRecipientFile(await Deno.readTextFile(p));
    if (out.some((x) => x.id === r.id)) {
      throw new H4Error("H4_BAD_ARGUMENT", `recipient ${r.id} (${p}) is given twice`);
    }
    out.push(r);
  }
  return out;
}

/** Options of the commands that seal: a key file, recipients, or both. */
export interface SealToOptions {
  /** Root key file. */
  keyFile?: string;
  /** Recipient files. */
  recipient?: string[];
  /** Write recipient ids in clear. */
  recipientHints?: boolean;
  /** Blocks per epoch. */
  epochBlocks?: number;
}

/**
 * The sealer of `pack` and `import`: with `--key-file` alone as before; with `--recipient`,
 * E_0 is also wrapped for each recipient in RCPT, and without `--key-file` the root key is a
 * fresh random one that is never written anywhere (only the recipients can open the file).
 *
 * @example
 * ```ts ignore
 * import { sealerFor } from "./recipients.ts";
 * const sealer = await sealerFor(ctx, { recipient: ["bob.id.pub"] });
 * ```
 */
export async function sealerFor(
  ctx: CliContext,
  opts: SealToOptions,
): Promise<Sealer | undefined> {
  const paths = opts.recipient ?? [];
  if (opts.keyFile === undefined && paths.length === 0) return undefined;
  const recipients = await loadRecipients(paths);
  const { living, key } = opts.keyFile !== undefined
    ? await loadKey(ctx, opts.keyFile)
    : { living: await loadLiving(), key: { kind: "root" as const, key: randomRoot() } };
  const sealer = living.createSealer(key, { epochBlocks: opts.epochBlocks });
  living.sealToRecipients(sealer, key, recipients, { hint: opts.recipientHints });
  if (opts.keyFile === undefined) key.key.fill(0); // nobody keeps it: the recipients hold E_0
  return sealer;
}

function randomRoot(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(32));
}

/** Whether `path` holds an identity file rather than a key file (by its first word). */
async function isIdentityFile(path: string): Promise<boolean> {
  const text = await readSecretFile(path);
  return text.startsWith("h4mk-identity-1 ");
}

/**
 * Reads an identity file (`--identity`), warning when others can read it.
 *
 * @example
 * ```ts ignore
 * import { loadIdentity } from "./recipients.ts";
 * const id = await loadIdentity(ctx, "bob.id");
 * ```
 */
export async function loadIdentity(ctx: CliContext, path: string): Promise<Identity> {
  const living = await loadLiving();
  const id = living.parseIdentityFile(await readSecretFile(path));
  await warnIfSecretExposed(ctx, path);
  return id;
}

/**
 * The opener of a read command when its secret file is an identity (`--identity`, or an
 * identity file given to `--key-file`); undefined when the file is a key file.
 *
 * @example
 * ```ts ignore
 * import { identityOpener } from "./recipients.ts";
 * const opener = await identityOpener(ctx, container, "bob.id");
 * ```
 */
export async function identityOpener(
  ctx: CliContext,
  container: Container,
  path: string,
): Promise<LivingOpener | undefined> {
  if (!(await isIdentityFile(path))) return undefined;
  const living = await loadLiving();
  const { key, opener } = await living.openWithIdentity(container, await loadIdentity(ctx, path));
  key.key.fill(0);
  return opener;
}

/** A container output: to `path`, or in place of a local `input` when no `-o`. */
async function rewriteTo(
  ctx: CliContext,
  input: string,
  output: string | undefined,
  force: boolean,
  write: (sink: ByteSink) => Promise<unknown>,
): Promise<string> {
  if (output !== undefined) {
    await writeOutput(ctx, output, force, async (sink) => void await write(sink));
    return output;
  }
  if (/^https?:\/\//.test(input)) {
    throw new H4Error("H4_BAD_ARGUMENT", `${input} is remote: give -o PATH for the rewritten copy`);
  }
  // Written beside the input and renamed over it: readers see the old or the new file, whole.
  await writeFileAtomic(input, async (sink) => void await write(sink), { force: true });
  return input;
}

/** Options of `h4mk grant --recipient`. */
export interface GrantRecipientOptions {
  /** Root (or earlier epoch) key file. */
  keyFile?: string;
  /** First epoch granted. */
  fromEpoch: number;
  /** Recipient files. */
  recipient: string[];
  /** Write recipient ids in clear. */
  recipientHints?: boolean;
  /** Output; default: rewrite the input in place. */
  output?: string;
  /** Overwrite an existing output. */
  force?: boolean;
}

/**
 * `h4mk grant IN --key-file ROOT --from-epoch E --recipient BOB.id.pub [-o OUT]`: adds a stanza
 * with the epoch key of epoch E for each recipient to the container's RCPT, rewriting only the
 * tail (SPEC.md H4-RCP-006); in place unless `-o` is given.
 *
 * @example
 * ```ts ignore
 * import { grantRecipientCommand } from "./recipients.ts";
 * await grantRecipientCommand(ctx, "movie.h4mk", { keyFile: "root.key", fromEpoch: 3, recipient: ["bob.id.pub"] });
 * ```
 */
export async function grantRecipientCommand(
  ctx: CliContext,
  input: string,
  opts: GrantRecipientOptions,
): Promise<number> {
  if (opts.keyFile === undefined) throw new H4Error("H4_BAD_ARGUMENT", "--key-file is required");
  const force = opts.force ?? false;
  if (opts.output !== undefined) await assertOutputFree(opts.output, force);
  const recipients = await loadRecipients(opts.recipient);
  const { living, key } = await loadKey(ctx, opts.keyFile);
  const written = await withInput(input, async (c) => {
    const rcpt = await living.grantToRecipient(c, key, opts.fromEpoch, recipients, {
      hint: opts.recipientHints,
    });
    return await rewriteTo(
      ctx,
      input,
      opts.output,
      force,
      (sink) => living.rewriteRecipients(c, rcpt, sink),
    );
  });
  key.key.fill(0);
  await printOut(
    ctx.io,
    `wrote ${written} (granted epochs ${opts.fromEpoch} and later to ${
      recipients.map((r) => r.id).join(", ")
    }; only the tail after LIVC was rewritten)\n`,
  );
  return EXIT_OK;
}

/** Options of `h4mk encrypt` with `--recipient`. */
export interface EncryptToOptions extends SealToOptions {
  /** Output path. */
  output: string;
  /** Key of an already encrypted input. */
  sourceKeyFile?: string;
  /** Overwrite an existing output. */
  force?: boolean;
}

/**
 * `h4mk encrypt IN -o OUT --recipient BOB.id.pub [--key-file ROOT]`: the same blocks,
 * encrypted, with E_0 wrapped for each recipient. Without `--key-file` the root key is random
 * and never written.
 *
 * @example
 * ```ts ignore
 * import { encryptToRecipientsCommand } from "./recipients.ts";
 * await encryptToRecipientsCommand(ctx, "clip.h4mk", { output: "clip.enc.h4mk", recipient: ["bob.id.pub"] });
 * ```
 */
export async function encryptToRecipientsCommand(
  ctx: CliContext,
  input: string,
  opts: EncryptToOptions,
): Promise<number> {
  const force = opts.force ?? false;
  await assertOutputFree(opts.output, force);
  const recipients = await loadRecipients(opts.recipient ?? []);
  const { living, key } = opts.keyFile !== undefined
    ? await loadKey(ctx, opts.keyFile)
    : { living: await loadLiving(), key: { kind: "root" as const, key: randomRoot() } };
  const sourceKey = opts.sourceKeyFile !== undefined
    ? (await loadKey(ctx, opts.sourceKeyFile)).key
    : undefined;
  let blocks = 0;
  await withInput(input, async (container) => {
    if (container.encrypted && sourceKey === undefined) {
      throw new H4Error(
        "H4_ENCRYPTED",
        `${input} is already encrypted: give its key with --source-key-file to re-encrypt it`,
      );
    }
    blocks = container.blockCount;
    const progress = createProgress(ctx, "encrypting", "blocks");
    try {
      await writeOutput(ctx, opts.output, force, async (sink) => {
        await living.encryptContainer(container, key, sink, {
          epochBlocks: opts.epochBlocks,
          sourceKey,
          recipients,
          recipientHints: opts.recipientHints,
        });
      });
    } finally {
      await progress.end();
    }
  });
  if (opts.keyFile === undefined) key.key.fill(0);
  const line = `wrote ${opts.output} (encrypted, ${plural(blocks, "block")}, to ${
    plural(recipients.length, "recipient")
  })\n`;
  await (opts.output === STDIO ? printErr(ctx.io, line) : printOut(ctx.io, line));
  return EXIT_OK;
}

/**
 * `h4mk decrypt IN -o OUT --identity BOB.id`: the same blocks, decrypted with the key a
 * stanza gives the identity; the output has mode 0600.
 *
 * @example
 * ```ts ignore
 * import { decryptWithIdentityCommand } from "./recipients.ts";
 * await decryptWithIdentityCommand(ctx, "clip.enc.h4mk", { output: "clip.h4mk", identity: "bob.id" });
 * ```
 */
export async function decryptWithIdentityCommand(
  ctx: CliContext,
  input: string,
  opts: { output: string; identity: string; force?: boolean },
): Promise<number> {
  const force = opts.force ?? false;
  await assertOutputFree(opts.output, force);
  const living = await loadLiving();
  const identity = await loadIdentity(ctx, opts.identity);
  let blocks = 0;
  await withInput(input, async (container) => {
    if (!container.encrypted) throw new H4Error("H4_BAD_ARGUMENT", `${input} is not encrypted`);
    const { key } = await living.openWithIdentity(container, identity);
    blocks = container.blockCount;
    const write = (sink: ByteSink) => living.decryptContainer(container, key, sink).then(() => {});
    try {
      if (opts.output === STDIO) await writeOutput(ctx, STDIO, force, write);
      else await writeFileAtomic(opts.output, write, { force, mode: 0o600 });
    } finally {
      key.key.fill(0);
    }
  });
  identity.secretKey.fill(0);
  const line = `wrote ${opts.output} (decrypted, ${plural(blocks, "block")}${
    opts.output === STDIO ? "" : ", mode 0600"
  })\n`;
  await (opts.output === STDIO ? printErr(ctx.io, line) : printOut(ctx.io, line));
  return EXIT_OK;
}

/** Options of `h4mk recipients`. */
export interface RecipientsOptions {
  /** Print one JSON object. */
  json?: boolean;
  /** Remove the stanza at this index. */
  remove?: number;
  /** Output of `--remove`; default: in place. */
  output?: string;
  /** Overwrite an existing output. */
  force?: boolean;
}

/**
 * `h4mk recipients IN [--json]`: the stanzas of RCPT, public values only (role, first epoch,
 * hint). `--remove N [-o OUT]` drops stanza N, rewriting only the tail, and says that this
 * revokes nothing.
 *
 * @example
 * ```ts ignore
 * import { recipientsCommand } from "./recipients.ts";
 * await recipientsCommand(ctx, "movie.h4mk", { json: true });
 * ```
 */
export async function recipientsCommand(
  ctx: CliContext,
  input: string,
  opts: RecipientsOptions,
): Promise<number> {
  const living = await loadLiving();
  const force = opts.force ?? false;
  if (opts.remove !== undefined && opts.output !== undefined) {
    await assertOutputFree(opts.output, force);
  }
  return await withInput(input, async (c) => {
    if (!c.encrypted || c.livc === null) {
      throw new H4Error("H4_BAD_ARGUMENT", `${input} is not encrypted with LivingCipher`);
    }
    const rcpt = await living.readRecipientsChunk(c);
    const stanzas = rcpt === null ? [] : living.viewRecipients(rcpt);
    if (opts.remove !== undefined) {
      if (rcpt === null) throw new H4Error("H4_BAD_ARGUMENT", `${input} has no recipients`);
      const next = living.removeStanza(rcpt, opts.remove);
      const written = await rewriteTo(
        ctx,
        input,
        opts.output,
        force,
        (sink) => living.rewriteRecipients(c, next, sink),
      );
      await printOut(
        ctx.io,
        `wrote ${written} (removed stanza ${opts.remove}; ${
          plural(stanzas.length - 1, "stanza")
        } left)\n`,
      );
      await printErr(ctx.io, `h4mk: note: ${NO_REVOCATION}\n`);
      return EXIT_OK;
    }
    const info = { containerId: living.parseLivc(c.livc).containerId };
    if (opts.json) {
      await printOut(
        ctx.io,
        JSON.stringify({
          container_id: info.containerId,
          stanzas: stanzas.length,
          recipients: stanzas,
        }) +
          "\n",
      );
      return EXIT_OK;
    }
    const lines = [
      `container ${info.containerId}: ${plural(stanzas.length, "stanza")}` +
      (stanzas.length ? " (recipients are not named unless the writer added hints)" : ""),
      ...stanzas.map((s) =>
        `  ${s.index}: ${
          s.role === "root" ? "root key" : `epoch key, epochs ${s.epoch} and later`
        }${s.hint ? `, recipient ${s.hint}` : ""}`
      ),
    ];
    await printOut(ctx.io, lines.join("\n") + "\n");
    return EXIT_OK;
  });
}
