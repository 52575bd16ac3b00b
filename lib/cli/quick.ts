/**
 * The quick path of `h4mk seek` and `h4mk block`: their plain forms parsed here, without
 * commander and without the Node compatibility layer, which together cost about 90 ms of a
 * 160 ms process (BENCHMARKS.md figure 3), so that a player's helper script that runs one
 * of each stays within one ffprobe. Anything else, or anything unusual about these (help, a
 * key file, a repeated or unknown option, `--debug`), declines, and `cli.ts` runs the full
 * program, so behaviour and messages are the full program's; quick_test.ts checks the two
 * agree.
 *
 * @module
 */

import { blockCommand } from "./commands/block.ts";
import { seekCommand } from "./commands/seek.ts";
import { describeError, errorLine } from "./errors.ts";
import { type CliIo, denoIo, printErr } from "./io.ts";

/** The options a quick command takes: name, whether it takes a value, and the key it sets. */
const QUICK: Record<string, Record<string, string>> = {
  seek: { "--track": "track", "--pts-us": "pts", "--pts_us": "pts", "--json": "json" },
  block: { "--index": "index", "-o": "output", "--output": "output", "--raw": "raw" },
};
const FLAGS = new Set(["json", "raw", "quiet", "force"]);
const SHARED: Record<string, string> = { "-q": "quiet", "--quiet": "quiet" };
const BLOCK_SHARED: Record<string, string> = { "-f": "force", "--force": "force" };

/** Parses `args` if they are a plain seek or block; undefined otherwise. */
function parse(
  args: string[],
): { command: string; file: string; o: Record<string, string> } | undefined {
  const command = args[0];
  const known = QUICK[command];
  if (!known) return undefined;
  const names = { ...known, ...SHARED, ...(command === "block" ? BLOCK_SHARED : {}) };
  const o: Record<string, string> = {};
  let file: string | undefined;
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith("-") && a !== "-") {
      const eq = a.indexOf("=");
      const name = eq > 0 && a.startsWith("--") ? a.slice(0, eq) : a;
      const key = names[name];
      if (key === undefined || key in o) return undefined;
      if (FLAGS.has(key)) {
        if (eq > 0 && a.startsWith("--")) return undefined;
        o[key] = "";
        continue;
      }
      const value = eq > 0 && a.startsWith("--") ? a.slice(eq + 1) : args[++i];
      // A value that looks like an option (or none) is the full parser's to judge.
      if (
        value === undefined || (value.startsWith("-") && !/^-\d+$/.test(value) && value !== "-")
      ) {
        return undefined;
      }
      o[key] = value;
    } else {
      if (file !== undefined) return undefined;
      file = a;
    }
  }
  if (file === undefined) return undefined;
  return { command, file, o };
}

const int = (s: string | undefined, negative: boolean): number | undefined =>
  s !== undefined && (negative ? /^-?\d+$/ : /^\d+$/).test(s) && Number.isSafeInteger(Number(s))
    ? Number(s)
    : undefined;

/**
 * Runs `args` when they are a plain `seek` or `block` and resolves to the exit code; resolves
 * to undefined, having done nothing, for anything else.
 *
 * @example
 * ```ts
 * import { quickMain } from "./quick.ts";
 * import assert from "node:assert/strict";
 * assert(await quickMain(["pack", "blocks.jsonl"]) === undefined);
 * ```
 */
export async function quickMain(args: string[], io: CliIo = denoIo()): Promise<number | undefined> {
  const p = parse(args);
  if (!p) return undefined;
  const ctx = { io, quiet: "quiet" in p.o, debug: false };
  let run: () => Promise<number>;
  if (p.command === "seek") {
    const ptsUs = int(p.o.pts, true);
    if (p.o.track === undefined || ptsUs === undefined) return undefined;
    run = () => seekCommand(ctx, p.file, { track: p.o.track, ptsUs, json: "json" in p.o });
  } else {
    const index = int(p.o.index, false);
    if (index === undefined) return undefined;
    run = () =>
      blockCommand(ctx, p.file, {
        index,
        output: p.o.output ?? "block.bin",
        raw: "raw" in p.o,
        force: "force" in p.o,
      });
  }
  // As main.ts does after commander has parsed.
  try {
    return await run();
  } catch (e) {
    if (e instanceof Deno.errors.BrokenPipe) return 1;
    const f = describeError(e);
    await printErr(io, errorLine(f.code, f.message));
    return f.exit;
  }
}
