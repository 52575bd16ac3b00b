/**
 * The `h4mk` command tree: names, arguments, options and help, wired to the command
 * implementations in `commands/`. Nothing here knows the format.
 *
 * @module
 */

import { Argument, Command, InvalidArgumentError, Option } from "commander";
import denoJson from "../../deno.json" with { type: "json" };
import type { CliContext, CliIo } from "./io.ts";
import { printOut } from "./io.ts";
import { setRemoteTimeout } from "./input.ts";
import { parseByteSize, parseNonNegativeInt, parsePtsUs } from "./args.ts";
import { UsageError } from "./errors.ts";
import { completionScript, type Shell, SHELLS } from "./completions.ts";
import { manifestCommand } from "./commands/manifest.ts";
import { seekCommand } from "./commands/seek.ts";
import { blockCommand } from "./commands/block.ts";
import { packCommand } from "./commands/pack.ts";
import { unpackCommand } from "./commands/unpack.ts";
import { verifyCommand } from "./commands/verify.ts";
import { inspectCommand } from "./commands/inspect.ts";
import { decryptCommand, encryptCommand, grantCommand, keygenCommand } from "./commands/cipher.ts";
import {
  conformanceCommand,
  exportCommand,
  importCommand,
  serveCommand,
} from "./commands/external.ts";
import { demoCommand } from "./commands/demo.ts";
import { signCommand, signKeygenCommand } from "./commands/sign.ts";
import { collect } from "./trust.ts";
import { recipientsCommand } from "./commands/recipients.ts";

/** Version of the CLI: the package version from deno.json. */
export const VERSION: string = denoJson.version;

/** Where a run's exit code and pending output end up. */
export interface ProgramState {
  /** Exit code set by the command that ran. */
  exit: number;
  /** Output written by commander (help, version), flushed before `main` returns. */
  pending: Promise<void>;
}

const EXAMPLES = `
Examples:
  h4mk demo                                    make a demo container and read it
  h4mk manifest movie.h4mk --json              tracks, seek tables, META, SAFE
  h4mk seek movie.h4mk --track video --pts-us 90000000
  h4mk block movie.h4mk --index 42 -o - | xxd | head
  h4mk pack blocks.jsonl -o movie.h4mk --codec deflate --meta '{"title":"x"}'
  h4mk unpack movie.h4mk -d movie/ && h4mk pack movie/blocks.jsonl -o copy.h4mk
  h4mk verify https://example.com/movie.h4mk

FILE|URL is a path or an http(s) URL (read with range requests).
Exit codes: 0 success, 1 invalid input or failed verification, 2 usage error.`;

function keyFileOption(what = "LivingCipher key file"): Option {
  return new Option("--key-file <key>", what);
}

function identityOption(): Option {
  return new Option(
    "--identity <file>",
    "X25519 identity file (keygen --identity): open with the key its recipients stanza gives",
  ).conflicts("keyFile");
}

function recipientOption(what = "also encrypt to this recipient file (NAME.id.pub)"): Option {
  return new Option("--recipient <file>", `${what}; repeatable`)
    .argParser((v: string, prev: string[] = []) => [...prev, v]);
}

function recipientHintsOption(): Option {
  return new Option(
    "--recipient-hints",
    "write recipient ids in clear (they link file and reader)",
  );
}

/** Read commands take `--identity` where they take `--key-file`; the key-file path opens both. */
function keyOrIdentity<T extends { keyFile?: string; identity?: string }>(o: T): T {
  return o.identity === undefined ? o : { ...o, keyFile: o.identity };
}

function epochBlocksOption(): Option {
  return new Option(
    "--epoch-blocks <n>",
    "LivingCipher blocks per epoch, the unit of grant (default 4096)",
  )
    .argParser(parsePositiveInt);
}

/** `--trust KEY.pub` (repeatable) and `--root HEX` of every read command (SPEC.md section 18). */
function withTrust(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        "--trust <key.pub>",
        "refuse the container unless a trusted key signed it (repeatable)",
      ).argParser(collect),
    )
    .option("--root <hex>", "refuse the container unless its root digest is this (or --trust)");
}

function signKeyOption(): Option {
  return new Option("--sign-key <key>", "sign the output with this signing key file (repeatable)")
    .argParser(collect);
}

/** `import` and `export` do not flush their output to the disk unless asked (like ffmpeg). */
function fsyncOption(): Option {
  return new Option("--fsync", "flush the output to the disk before renaming it into place");
}

function forceOption(): Option {
  return new Option("-f, --force", "overwrite an existing output");
}

/**
 * Builds the program for one run. Commander's usage errors are thrown (exitOverride) and its
 * own error printing is silenced: `main` prints the one-line error.
 *
 * @example
 * ```ts
 * import { captureIo } from "./io.ts";
 * import { buildProgram } from "./program.ts";
 * import assert from "node:assert/strict";
 * const state = { exit: 0, pending: Promise.resolve() };
 * const program = buildProgram(captureIo(), state);
 * assert(program.commands.some((c) => c.name() === "manifest"));
 * ```
 */
export function buildProgram(io: CliIo, state: ProgramState): Command {
  const program = new Command("h4mk");
  const emit = (write: (text: string) => Promise<void>) => (text: string) => {
    state.pending = state.pending.then(() => write(text));
  };
  program
    .description("Read, write, verify and encrypt H4MK media sidecar containers.")
    .version(VERSION, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .helpCommand(false)
    .option("--debug", "print stack traces on errors")
    .option("-q, --quiet", "no progress output")
    .option(
      "--timeout <seconds>",
      "time budget of each read of an http(s) URL, retries included (default 120)",
      parseSeconds,
    )
    .hook("preAction", (cmd) => setRemoteTimeout(cmd.opts().timeout))
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: emit((t) => printOut(io, t)),
      writeErr: emit((t) => io.writeErr(new TextEncoder().encode(t))),
      outputError: () => {},
    })
    .addHelpText("after", EXAMPLES);

  const ctxOf = (cmd: Command): CliContext => {
    const g = cmd.optsWithGlobals();
    return { io, quiet: g.quiet === true, debug: g.debug === true };
  };
  const done = (exit: number) => {
    state.exit = exit;
  };

  withTrust(
    program.command("manifest")
      .description("print tracks, seek tables, META, SAFE, signatures and integrity status")
      .argument("<file>", "container path or http(s) URL")
      .option("--json", "print one JSON object")
      .option("--verify", "also run a full verification (exit 1 when it fails)"),
  )
    .action(async (file, o, cmd) =>
      done(await manifestCommand(ctxOf(cmd), file, { ...o, verify: undefined, check: o.verify }))
    );

  withTrust(program.command("seek"))
    .description("find the keyframe to start decoding from for a time")
    .argument("<file>", "container path or http(s) URL")
    .requiredOption("--track <id>", "track id")
    .addOption(new Option("--pts-us <n>", "target time in microseconds").argParser(parsePtsUs))
    .addOption(new Option("--pts_us <n>").argParser(parsePtsUs).hideHelp())
    .option("--json", "print the seek result as JSON")
    .action(async (file, o, cmd) => {
      const ptsUs = o.ptsUs ?? o.pts_us;
      if (ptsUs === undefined) throw new UsageError("required option '--pts-us <n>' not specified");
      done(
        await seekCommand(ctxOf(cmd), file, {
          track: o.track,
          ptsUs,
          json: o.json,
          trust: o.trust,
          root: o.root,
        }),
      );
    });

  program.command("block")
    .description("write one block, decompressed (and decrypted with a key) unless --raw")
    .argument("<file>", "container path or http(s) URL")
    .requiredOption("--index <n>", "block index (core_index)", parseNonNegativeInt)
    .option("-o, --output <path>", "output file, - for stdout", "block.bin")
    .option("--raw", "write the stored bytes as they are in the file")
    .option("--verify", "check the block against its BHSH hash (the default for a URL)")
    .option("--no-verify", "do not check a block read from a URL")
    .addOption(keyFileOption())
    .addOption(identityOption())
    .addOption(forceOption())
    .action(async (file, o, cmd) => done(await blockCommand(ctxOf(cmd), file, keyOrIdentity(o))));
  withTrust(program.commands.find((c) => c.name() === "block")!);

  program.command("pack")
    .description("make a container from a blocks JSONL file (- for stdin)")
    .argument("<blocks>", "JSONL file, one block per line, or - for stdin")
    .requiredOption("-o, --output <path>", "output container, - for stdout")
    // No commander defaults: a flag not given takes pack.json's setting (written by unpack
    // beside blocks.jsonl), else the writer's default (v2, none).
    .addOption(
      new Option("--profile <profile>", "block-store profile (default: pack.json's, else v2)")
        .choices(["v1", "v2"]),
    )
    .addOption(
      new Option("--codec <codec>", "default codec of the blocks (default: pack.json's, else none)")
        .choices([
          "none",
          "deflate",
          "rle",
        ]),
    )
    .option("--meta <json>", "META: a JSON object, or @path of a file holding one")
    .option("--safe <json>", "SAFE: a JSON object, or @path of a file holding one")
    .addOption(keyFileOption("encrypt the blocks with this LivingCipher key"))
    .addOption(recipientOption())
    .addOption(recipientHintsOption())
    .addOption(epochBlocksOption())
    .option("--legacy-trak", "v1: embed trak_b64 in META for the original reader")
    .addOption(signKeyOption())
    .addOption(forceOption())
    .addHelpText(
      "after",
      `
Each line: {"track_id":"video","pts_us":0,"kind":"I","keyframe":true,"payload_b64":"..."}
or "payload_file":"path" (relative to the JSONL file) instead of payload_b64; optional "codec".
A pack.json beside the JSONL file (written by unpack) gives the profile, codec, META and SAFE
that rebuild the unpacked container byte for byte; flags given here win.`,
    )
    .action(async (input, o, cmd) => done(await packCommand(ctxOf(cmd), input, o)));

  program.command("unpack")
    .description("write every block to DIR with a blocks.jsonl that pack reads back")
    .argument("<file>", "container path or http(s) URL")
    .requiredOption("-d, --dir <dir>", "output directory")
    .option("--inline", "payloads in blocks.jsonl as payload_b64, not one file per block")
    .addOption(keyFileOption())
    .addOption(identityOption())
    .addOption(forceOption())
    .action(async (file, o, cmd) => done(await unpackCommand(ctxOf(cmd), file, keyOrIdentity(o))));
  withTrust(program.commands.find((c) => c.name() === "unpack")!);

  program.command("verify")
    .description("check every CRC, hash, digest, table and (with a key) the cipher transcript")
    .argument("<file>", "container path or http(s) URL")
    .addOption(keyFileOption("also decrypt every block and check the LivingCipher transcript"))
    .addOption(identityOption())
    .option("--json", "print one JSON object")
    .action(async (file, o, cmd) => done(await verifyCommand(ctxOf(cmd), file, keyOrIdentity(o))));
  withTrust(program.commands.find((c) => c.name() === "verify")!);

  program.command("inspect")
    .description("list the chunks with offsets, CRC status and decoded tables")
    .argument("<file>", "container path or http(s) URL")
    .option("--json", "print one JSON object")
    .action(async (file, o, cmd) => done(await inspectCommand(ctxOf(cmd), file, o)));
  withTrust(program.commands.find((c) => c.name() === "inspect")!);

  program.command("keygen")
    .description(
      "make a LivingCipher root key file, an X25519 identity (--identity) or an Ed25519 signing key pair (--sign)",
    )
    .requiredOption("-o, --output <path>", "key file to create (mode 0600)")
    .option("--sign", "an Ed25519 signing key: NAME (secret) and NAME.pub (public)")
    .option("--identity", "make an identity file and its public recipient file OUTPUT.pub")
    .addOption(forceOption())
    .action(async (o, cmd) =>
      done(
        o.sign ? await signKeygenCommand(ctxOf(cmd), o) : await keygenCommand(ctxOf(cmd), o),
      )
    );

  program.command("sign")
    .description(
      "add a signature to a container file (a copy signed and renamed over it: only the tail changes)",
    )
    .argument("<file>", "container path")
    .addOption(signKeyOption().makeOptionMandatory())
    .option("-o, --output <path>", "write the signed copy here instead of replacing FILE")
    .option(
      "--in-place",
      "write only the new tail into FILE (work ∝ the tail everywhere; not safe against power loss)",
    )
    .addOption(forceOption())
    .action(async (file, o, cmd) => done(await signCommand(ctxOf(cmd), file, o)));

  program.command("encrypt")
    .description("encrypt the blocks of a container")
    .argument("<input>", "container path or http(s) URL")
    .requiredOption("-o, --output <path>", "encrypted container, - for stdout")
    .addOption(
      keyFileOption("LivingCipher root key file (epoch keys never encrypt), or give --recipient"),
    )
    .addOption(recipientOption())
    .addOption(recipientHintsOption())
    .addOption(epochBlocksOption())
    .option("--source-key-file <key>", "key of an encrypted input: re-encrypt it under --key-file")
    .addOption(signKeyOption())
    .addOption(forceOption())
    .action(async (input, o, cmd) => done(await encryptCommand(ctxOf(cmd), input, o)));
  withTrust(program.commands.find((c) => c.name() === "encrypt")!);

  program.command("decrypt")
    .description("decrypt the blocks of a container (an epoch key: the epochs it opens)")
    .argument("<input>", "container path or http(s) URL")
    .requiredOption("-o, --output <path>", "decrypted container (mode 0600), - for stdout")
    .addOption(keyFileOption())
    .addOption(identityOption())
    .addOption(forceOption())
    .action(async (input, o, cmd) => done(await decryptCommand(ctxOf(cmd), input, o)));
  withTrust(program.commands.find((c) => c.name() === "decrypt")!);

  program.command("grant")
    .description(
      "derive a key that opens epoch E and later of one container, or add it for a recipient",
    )
    .argument("<input>", "encrypted container path or http(s) URL")
    .addOption(keyFileOption("LivingCipher root key or an earlier epoch key").makeOptionMandatory())
    .requiredOption("--from-epoch <e>", "first epoch the new key opens", parseNonNegativeInt)
    .option(
      "-o, --output <path>",
      "epoch key file to create (with --recipient: the rewritten container; default in place)",
    )
    .addOption(
      recipientOption("add the epoch key to the container, wrapped for this recipient file"),
    )
    .addOption(recipientHintsOption())
    .addOption(forceOption())
    .action(async (input, o, cmd) => done(await grantCommand(ctxOf(cmd), input, o)));
  withTrust(program.commands.find((c) => c.name() === "grant")!);

  program.command("recipients")
    .description("list the recipient stanzas of an encrypted container, or remove one")
    .argument("<input>", "encrypted container path or http(s) URL")
    .option("--json", "print one JSON object")
    .option(
      "--remove <n>",
      "remove stanza N (this revokes nothing already read)",
      parseNonNegativeInt,
    )
    .option("-o, --output <path>", "with --remove: the rewritten container (default in place)")
    .addOption(forceOption())
    .action(async (input, o, cmd) => done(await recipientsCommand(ctxOf(cmd), input, o)));

  program.command("serve")
    .description("serve the containers under ROOT over HTTP (manifest, seek, block, range)")
    .argument("[root]", "directory of containers", ".")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--port <port>", "port to listen on (0: any free port)", parsePort, 8080)
    .option("--max-upload <size>", "largest accepted upload, e.g. 256m", parseByteSize)
    .option("--max-block <size>", "largest block answered, e.g. 16m (default 64m)", parseByteSize)
    .option(
      "--max-connections <n>",
      "open connections at once (default 1024, lowered to fit the descriptor limit)",
      parsePositiveInt,
    )
    .action(async (root, o, cmd) => done(await serveCommand(ctxOf(cmd), root, o)));

  program.command("conformance")
    .description("run the conformance suite (arguments are passed to it; try: conformance --help)")
    .argument("[args...]", "arguments of the conformance suite")
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_args, _o, cmd) => done(await conformanceCommand(ctxOf(cmd), cmd.args)));

  program.command("import")
    .description("make a container from an MP4 file")
    .argument("<input>", "MP4, M4A or MOV file, or - for stdin")
    .requiredOption("-o, --output <path>", "output container")
    .option("--tracks <list>", "tracks to import, e.g. video,audio")
    .addOption(fsyncOption())
    .addOption(keyFileOption("encrypt the blocks with this LivingCipher key"))
    .addOption(recipientOption())
    .addOption(recipientHintsOption())
    .addOption(epochBlocksOption())
    .addOption(signKeyOption())
    .addOption(forceOption())
    .action(async (input, o, cmd) => done(await importCommand(ctxOf(cmd), input, o)));

  program.command("export")
    .description("write the media tracks of a container as MP4")
    .argument("<input>", "container path or http(s) URL")
    .requiredOption("-o, --output <path>", "output MP4 file, - for stdout")
    .option("--fragmented", "write a fragmented MP4 (a moof per keyframe interval), for the web")
    .option("--faststart", "put the moov before the mdat, so that playback starts at once")
    .addOption(fsyncOption())
    .addOption(keyFileOption())
    .addOption(identityOption())
    .addOption(forceOption())
    .action(async (input, o, cmd) =>
      done(await exportCommand(ctxOf(cmd), input, keyOrIdentity(o)))
    );
  withTrust(program.commands.find((c) => c.name() === "export")!);

  program.command("demo")
    .description("make a small two-track container and show manifest, seek and block on it")
    .argument("[dir]", "where to put the demo files (default: a new temporary directory)")
    .addOption(forceOption())
    .action(async (dir, o, cmd) => done(await demoCommand(ctxOf(cmd), dir, o)));

  program.command("completions")
    .description("print a shell completion script")
    .addArgument(new Argument("<shell>", "bash, zsh or fish").choices(SHELLS))
    .action(async (shell: Shell, _o, cmd) => {
      await printOut(ctxOf(cmd).io, completionScript(shell, program));
      done(0);
    });

  // Our own help command, so `h4mk help bogus` is a one-line usage error like any other.
  program.command("help")
    .description("show help for a command")
    .argument("[command]", "command name")
    .action((name: string | undefined) => {
      const target = name === undefined ? program : program.commands.find((c) => c.name() === name);
      if (!target) throw new UsageError(`unknown command '${name}'`);
      target.outputHelp();
      done(0);
    });

  return program;
}

function parsePositiveInt(value: string): number {
  const n = parseNonNegativeInt(value);
  if (n < 1) throw new InvalidArgumentError(`expected a positive integer, got ${n}`);
  return n;
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0) || n > 86_400) {
    throw new InvalidArgumentError(`must be a number of seconds (up to 86400), got ${value}`);
  }
  return Math.ceil(n * 1000);
}

function parsePort(value: string): number {
  const n = parseNonNegativeInt(value);
  if (n > 65535) throw new InvalidArgumentError(`expected a port 0..65535, got ${n}`);
  return n;
}
