/**
 * Implementations under test: a command speaking the adapter protocol (README.md), run as a
 * subprocess with a timeout, or an in-process object with the same three operations.
 *
 * @module
 */

/** What one protocol call gave. */
export type Outcome =
  | { status: "ok"; value: unknown }
  | { status: "error"; code: string; message: string }
  | { status: "crash"; detail: string }
  | { status: "timeout"; detail: string }
  | { status: "unsupported"; detail: string };

/** An implementation: the three protocol operations. */
export interface Implementation {
  /** Name shown in reports. */
  name: string;
  /** `read FILE [ARGS]`: canonical read JSON, or a rejection. */
  read(file: string, args?: string[]): Promise<Outcome>;
  /** `seek FILE TRACK PTS [ARGS]`: seek answer JSON, or a rejection. */
  seek(file: string, track: string, pts: number, args?: string[]): Promise<Outcome>;
  /** `write BLOCKS.jsonl OUT [ARGS]` (writers only): writes OUT, prints nothing. */
  write?(blocks: string, out: string, args?: string[]): Promise<Outcome>;
}

/**
 * Splits a command line into words: whitespace separates, single and double quotes group,
 * backslash escapes outside single quotes. No variables, globs or pipes: the command is run
 * directly, not through a shell, so a timeout can kill it.
 *
 * @example
 * ```ts
 * import { splitCommand } from "./impl.ts";
 * import assert from "node:assert/strict";
 * assert(splitCommand(`python3 "my dir/r.py" -x 'a b'`).join("|") === "python3|my dir/r.py|-x|a b");
 * ```
 */
export function splitCommand(cmd: string): string[] {
  const out: string[] = [];
  let cur = "";
  let has = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === "\\" && quote === '"' && i + 1 < cmd.length) cur += cmd[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      has = true;
    } else if (c === "\\" && i + 1 < cmd.length) {
      cur += cmd[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = "";
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (quote) throw new Error(`unbalanced ${quote} in command: ${cmd}`);
  if (has) out.push(cur);
  return out;
}

const ERROR_LINE = /^ERROR (\S+)(?: (.*))?$/;

/**
 * Interprets a finished protocol call: exit 0 with JSON on stdout is `ok`; a non-zero exit with
 * an `ERROR <CODE> <message>` line on stderr is `error`; exit 3 with `UNSUPPORTED` is
 * `unsupported`; anything else is a `crash`.
 *
 * @example
 * ```ts
 * import { interpret } from "./impl.ts";
 * import assert from "node:assert/strict";
 * const o = interpret(1, "", "ERROR H4_BAD_MAGIC got RIFF\n", true);
 * assert(o.status === "error" && o.code === "H4_BAD_MAGIC");
 * ```
 */
export function interpret(
  code: number,
  stdout: string,
  stderr: string,
  expectJson: boolean,
  signal: string | null = null,
): Outcome {
  const lines = stderr.split(/\r?\n/).filter((l) => l.length > 0);
  if (code === 0 && signal === null) {
    if (!expectJson) return { status: "ok", value: null };
    const text = stdout.trim();
    try {
      return { status: "ok", value: JSON.parse(text) };
    } catch {
      return {
        status: "crash",
        detail: `exit 0 but stdout is not one JSON value: ${JSON.stringify(text.slice(0, 120))}`,
      };
    }
  }
  for (const l of lines) {
    const m = ERROR_LINE.exec(l);
    if (m) return { status: "error", code: m[1], message: m[2] ?? "" };
  }
  if (code === 3 && lines.some((l) => l.startsWith("UNSUPPORTED"))) {
    return { status: "unsupported", detail: lines.find((l) => l.startsWith("UNSUPPORTED"))! };
  }
  const last = lines.at(-1) ?? "";
  return {
    status: "crash",
    detail: `${signal ? `killed by ${signal}` : `exit ${code}`} without an ERROR line${
      last ? `: ${last.slice(0, 160)}` : ""
    }`,
  };
}

/**
 * An implementation run as `CMD read|seek|write ...`, one process per call. A call running past
 * `timeoutMs` is killed with its whole process group (a wrapper script's children too) and run
 * once more, so that a machine under load is not taken for a hang; only a second timeout is
 * reported as `timeout`.
 *
 * @example
 * ```ts ignore
 * import { commandImplementation } from "./impl.ts";
 * const impl = commandImplementation("python3 conformance/spec_reader/h4mk_read.py", 10_000);
 * console.log(await impl.read("conformance/vectors/legacy/single-track.h4mk"));
 * ```
 */
export function commandImplementation(
  cmd: string,
  timeoutMs: number,
  name: string = cmd,
): Implementation {
  const argv = splitCommand(cmd);
  if (argv.length === 0) throw new Error("empty implementation command");
  async function once(args: string[], expectJson: boolean): Promise<Outcome> {
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command(argv[0], {
        args: [...argv.slice(1), ...args],
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
        // Its own process group, so that a timeout kills what it started as well: a grandchild
        // holding stdout open would otherwise keep the call alive until it ends.
        detached: true,
      }).spawn();
    } catch (e) {
      return { status: "crash", detail: `cannot start ${argv[0]}: ${(e as Error).message}` };
    }
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    try {
      const out = await child.output();
      if (timedOut) return { status: "timeout", detail: `killed after ${timeoutMs} ms` };
      const dec = new TextDecoder();
      return interpret(
        out.code,
        dec.decode(out.stdout),
        dec.decode(out.stderr),
        expectJson,
        out.signal,
      );
    } finally {
      clearTimeout(timer);
    }
  }
  async function call(args: string[], expectJson: boolean): Promise<Outcome> {
    const first = await once(args, expectJson);
    if (first.status !== "timeout") return first;
    const second = await once(args, expectJson);
    return second.status === "timeout"
      ? { status: "timeout", detail: `killed after ${timeoutMs} ms, twice` }
      : second;
  }
  return {
    name,
    read: (file, args = []) => call(["read", file, ...args], true),
    seek: (file, track, pts, args = []) => call(["seek", file, track, String(pts), ...args], true),
    write: (blocks, out, args = []) => call(["write", blocks, out, ...args], false),
  };
}

function killGroup(pid: number): void {
  try {
    Deno.kill(-pid, "SIGKILL");
  } catch {
    // the group is already gone
  }
}

/**
 * Runs an in-process call with a timeout. A call that never yields cannot be stopped in
 * process; the report still says `timeout` once it returns control.
 *
 * @example
 * ```ts
 * import { withTimeout } from "./impl.ts";
 * import assert from "node:assert/strict";
 * const o = await withTimeout(() => new Promise(() => {}), 10);
 * assert(o.status === "timeout");
 * ```
 */
export async function withTimeout(
  f: () => Promise<Outcome>,
  timeoutMs: number,
): Promise<Outcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<Outcome>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: "timeout", detail: `no answer after ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([
      f().catch((e): Outcome => ({
        status: "crash",
        detail: `threw ${(e as Error)?.name ?? typeof e}: ${(e as Error)?.message ?? e}`,
      })),
      t,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
