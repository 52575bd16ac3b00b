/**
 * The terminal edge of the CLI: where text and bytes go, where stdin comes from, and whether
 * the streams are terminals. Commands never touch `Deno.stdout` directly, so tests can run
 * {@linkcode main} in-process with a captured {@linkcode CliIo}.
 *
 * @module
 */

/** Streams and environment a command runs against. */
export interface CliIo {
  /** Writes bytes to standard output. */
  writeOut(bytes: Uint8Array): Promise<void>;
  /** Writes bytes to standard error. */
  writeErr(bytes: Uint8Array): Promise<void>;
  /** Standard input as a byte stream (read once). */
  stdin(): ReadableStream<Uint8Array>;
  /** True when standard output is a terminal. */
  readonly stdoutIsTerminal: boolean;
  /** True when standard error is a terminal. */
  readonly stderrIsTerminal: boolean;
  /** Reads an environment variable (undefined when unset or not permitted). */
  env(name: string): string | undefined;
}

/** What every command receives: the streams and the global flags. */
export interface CliContext {
  /** Streams. */
  io: CliIo;
  /** `--quiet`: no progress. */
  quiet: boolean;
  /** `--debug`: stack traces on errors. */
  debug: boolean;
}

const encoder = new TextEncoder();

async function writeAll(w: { write(p: Uint8Array): Promise<number> }, bytes: Uint8Array) {
  let done = 0;
  while (done < bytes.length) done += await w.write(bytes.subarray(done));
}

function readEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    // Without --allow-env the variable counts as unset.
    return undefined;
  }
}

/**
 * The process's real streams.
 *
 * @example
 * ```ts
 * import { denoIo, printOut } from "./io.ts";
 * await printOut(denoIo(), "hello\n");
 * ```
 */
export function denoIo(): CliIo {
  return {
    writeOut: (bytes) => writeAll(Deno.stdout, bytes),
    writeErr: (bytes) => writeAll(Deno.stderr, bytes),
    stdin: () => Deno.stdin.readable,
    stdoutIsTerminal: Deno.stdout.isTerminal(),
    stderrIsTerminal: Deno.stderr.isTerminal(),
    env: readEnv,
  };
}

/** A captured {@linkcode CliIo} for tests: everything written is kept as text. */
export interface CapturedIo extends CliIo {
  /** Everything written to standard output, decoded as UTF-8. */
  out(): string;
  /** Everything written to standard error, decoded as UTF-8. */
  err(): string;
  /** Raw bytes written to standard output. */
  outBytes(): Uint8Array;
}

/**
 * An in-memory {@linkcode CliIo}: stdin from `input`, output captured, not a terminal.
 *
 * @example
 * ```ts
 * import { captureIo, printOut } from "./io.ts";
 * import assert from "node:assert/strict";
 * const io = captureIo();
 * await printOut(io, "hi\n");
 * assert(io.out() === "hi\n");
 * ```
 */
export function captureIo(
  input: Uint8Array | string = new Uint8Array(0),
  env: Record<string, string> = {},
): CapturedIo {
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  const bytes = typeof input === "string" ? encoder.encode(input) : input;
  const join = (parts: Uint8Array[]) => {
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return all;
  };
  return {
    writeOut: (b) => {
      out.push(b.slice());
      return Promise.resolve();
    },
    writeErr: (b) => {
      err.push(b.slice());
      return Promise.resolve();
    },
    stdin: () =>
      new ReadableStream({
        start(c) {
          if (bytes.length > 0) c.enqueue(bytes);
          c.close();
        },
      }),
    stdoutIsTerminal: false,
    stderrIsTerminal: false,
    env: (name) => env[name],
    out: () => new TextDecoder().decode(join(out)),
    err: () => new TextDecoder().decode(join(err)),
    outBytes: () => join(out),
  };
}

/**
 * Writes text to standard output.
 *
 * @example
 * ```ts
 * import { captureIo, printOut } from "./io.ts";
 * await printOut(captureIo(), "x\n");
 * ```
 */
export function printOut(io: CliIo, text: string): Promise<void> {
  return io.writeOut(encoder.encode(text));
}

/**
 * Writes text to standard error.
 *
 * @example
 * ```ts
 * import { captureIo, printErr } from "./io.ts";
 * await printErr(captureIo(), "x\n");
 * ```
 */
export function printErr(io: CliIo, text: string): Promise<void> {
  return io.writeErr(encoder.encode(text));
}

/**
 * True when colour may be used on a stream: it is a terminal and `NO_COLOR` is unset or empty
 * (https://no-color.org).
 *
 * @example
 * ```ts
 * import { captureIo, useColor } from "./io.ts";
 * import assert from "node:assert/strict";
 * assert(useColor(captureIo(), "stdout") === false);
 * ```
 */
export function useColor(io: CliIo, stream: "stdout" | "stderr"): boolean {
  const terminal = stream === "stdout" ? io.stdoutIsTerminal : io.stderrIsTerminal;
  const noColor = io.env("NO_COLOR");
  return terminal && (noColor === undefined || noColor === "");
}
