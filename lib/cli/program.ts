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

function epochBlocksOption(): Option {
  return new Option(
    "--epoch-blocks <n>",
    "LivingCipher blocks per epoch, the unit of grant (default 4096)",
  )
    .argParser(parsePositiveInt);
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
 * const state = { exit: 0, pending: Promise.resolve() };
 * const program = buildProgram(captureIo(), state);
 * console.assert(program.commands.some((c) => c.name() === "manifest"));
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

  program.command("manifest")
    .description("print tracks, seek tables, META, SAFE and integrity status")
    .argument("<file>", "container path or http(s) URL")
    .option("--json", "print one JSON object")
    .option("--verify", "also run a full verification")
    .action(async (file, o, cmd) => done(await manifestCommand(ctxOf(cmd), file, o)));

  program.command("seek")
    .description("find the keyframe to start decoding from for a time")
    .argument("<file>", "container path or http(s) URL")
    .requiredOption("--track <id>", "track id")
    .addOption(new Option("--pts-us <n>", "target time in microseconds").argParser(parsePtsUs))
    .addOption(new Option("--pts_us <n>").argParser(parsePtsUs).hideHelp())
    .option("--json", "print the seek result as JSON")
    .action(async (file, o, cmd) => {
      const ptsUs = o.ptsUs ?? o.pts_us;
      if (ptsUs === undefined) throw new UsageError("required option '--pts-us <n>' not specified");
      done(await seekCommand(ctxOf(cmd), file, { track: o.track, ptsUs, json: o.json }));
    });

  program.command("block")
    .description("write one block, decompressed (and decrypted with a key) unless --raw")
    .argument("<file>", "container path or http(s) URL")
    .requiredOption("--index <n>", "block index (core_index)", parseNonNegativeInt)
    .option("-o, --output <path>", "output file, - for stdout", "block.bin")
    .option("--raw", "write the stored bytes as they are in the file")
    .addOption(keyFileOption())
    .addOption(forceOption())
    .action(async (file, o, cmd) => done(await blockCommand(ctxOf(cmd), file, o)));

  program.command("pack")
    .description("make a container from a blocks JSONL file (- for stdin)")
    .argument("<blocks>", "JSONL file, one block per line, or - for stdin")
    .requiredOption("-o, --output <path>", "output container, - for stdout")
    .addOption(
      new Option("--profile <profile>", "block-store profile").choices(["v1", "v2"]).default("v2"),
    )
    .addOption(
      new Option("--codec <codec>", "default codec of the blocks").choices([
        "none",
        "deflate",
        "rle",
      ]).default("none"),
    )
    .option("--meta <json>", "META: a JSON object, or @path of a file holding one")
    .option("--safe <json>", "SAFE: a JSON object, or @path of a file holding one")
    .addOption(keyFileOption("encrypt the blocks with this LivingCipher key"))
    .addOption(epochBlocksOption())
    .option("--legacy-trak", "v1: embed trak_b64 in META for the original reader")
    .addOption(forceOption())
    .addHelpText(
      "after",
      `
Each line: {"track_id":"video","pts_us":0,"kind":"I","keyframe":true,"payload_b64":"..."}
or "payload_file":"path" (relative to the JSONL file) instead of payload_b64; optional "codec".`,
    )
    .action(async (input, o, cmd) => done(await packCommand(ctxOf(cmd), input, o)));

  program.command("unpack")
    .description("write every block to DIR with a blocks.jsonl that pack reads back")
    .argument("<file>", "container path or http(s) URL")
    .requiredOption("-d, --dir <dir>", "output directory")
    .option("--inline", "payloads in blocks.jsonl as payload_b64, not one file per block")
    .addOption(keyFileOption())
    .addOption(forceOption())
    .action(async (file, o, cmd) => done(await unpackCommand(ctxOf(cmd), file, o)));

  program.command("verify")
    .description("check every CRC, hash, digest, table and (with a key) the cipher transcript")
    .argument("<file>", "container path or http(s) URL")
    .addOption(keyFileOption("also decrypt every block and check the LivingCipher transcript"))
    .option("--json", "print one JSON object")
    .action(async (file, o, cmd) => done(await verifyCommand(ctxOf(cmd), file, o)));

  program.command("inspect")
    .description("list the chunks with offsets, CRC status and decoded tables")
    .argument("<file>", "container path or http(s) URL")
    .option("--json", "print one JSON object")
    .action(async (file, o, cmd) => done(await inspectCommand(ctxOf(cmd), file, o)));

  program.command("keygen")
    .description("make a new LivingCipher master key file (mode 0600)")
    .requiredOption("-o, --output <path>", "key file to create")
    .addOption(forceOption())
    .action(async (o, cmd) => done(await keygenCommand(ctxOf(cmd), o)));

  program.command("encrypt")
    .description("encrypt the blocks of a container")
    .argument("<input>", "container path or http(s) URL")
    .requiredOption("-o, --output <path>", "encrypted container, - for stdout")
    .addOption(keyFileOption("LivingCipher master key file").makeOptionMandatory())
    .addOption(epochBlocksOption())
    .option("--source-key-file <key>", "key of an encrypted input: re-encrypt it under --key-file")
    .addOption(forceOption())
    .action(async (input, o, cmd) => done(await encryptCommand(ctxOf(cmd), input, o)));

  program.command("decrypt")
    .description("decrypt the blocks of a container")
    .argument("<input>", "container path or http(s) URL")
    .requiredOption("-o, --output <path>", "decrypted container, - for stdout")
    .addOption(keyFileOption().makeOptionMandatory())
    .addOption(forceOption())
    .action(async (input, o, cmd) => done(await decryptCommand(ctxOf(cmd), input, o)));

  program.command("grant")
    .description("derive a key that opens epoch E and later of one container")
    .argument("<input>", "encrypted container path or http(s) URL")
    .addOption(keyFileOption("LivingCipher master key file").makeOptionMandatory())
    .requiredOption("--from-epoch <e>", "first epoch the new key opens", parseNonNegativeInt)
    .requiredOption("-o, --output <path>", "epoch key file to create")
    .addOption(forceOption())
    .action(async (input, o, cmd) => done(await grantCommand(ctxOf(cmd), input, o)));

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
    .argument("<input>", "media file")
    .requiredOption("-o, --output <path>", "output container")
    .option("--tracks <list>", "tracks to import, e.g. video,audio")
    .addOption(keyFileOption("encrypt the blocks with this LivingCipher key"))
    .addOption(epochBlocksOption())
    .addOption(forceOption())
    .action(async (input, o, cmd) => done(await importCommand(ctxOf(cmd), input, o)));

  program.command("export")
    .description("write the media tracks of a container as MP4")
    .argument("<input>", "container path or http(s) URL")
    .requiredOption("-o, --output <path>", "output MP4 file, - for stdout")
    .addOption(keyFileOption())
    .addOption(forceOption())
    .action(async (input, o, cmd) => done(await exportCommand(ctxOf(cmd), input, o)));

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
