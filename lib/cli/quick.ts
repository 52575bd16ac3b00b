/**
 * The quick path of `h4mk seek`, `block`, `verify`, `import` and `export`: their plain forms
 * parsed here, without commander, which with the Node compatibility layer it starts costs
 * about 90 ms of a 160 ms process (BENCHMARKS.md figure 3), so that a player's helper script
 * that runs one of each stays within one ffprobe, and `verify`, `import` and `export` come
 * closer to `sha256sum` (issue 19) and `ffmpeg -c copy` (issue 20). (`seek` and `block` never
 * start the Node layer; the bulk commands still do, for native hashing and mp4box, but
 * without commander.) Each command's module is loaded only when it runs. Anything else, or
 * anything unusual about these (help, a key file, a repeated or unknown option, `--debug`),
 * declines, and `cli.ts` runs the full program, so behaviour and messages are the full
 * program's; quick_test.ts checks the two agree.
 *
 * @module
 */

import { describeError, errorLine } from "./errors.ts";
import { type CliContext, type CliIo, denoIo, printErr } from "./io.ts";
import { lazy } from "./lazy.ts";

/** The options a quick command takes: name, whether it takes a value, and the key it sets. */
const QUICK: Record<string, Record<string, string>> = {
  seek: { "--track": "track", "--pts-us": "pts", "--pts_us": "pts", "--json": "json" },
  block: { "--index": "index", "-o": "output", "--output": "output", "--raw": "raw" },
  verify: { "--json": "json" },
  import: { "-o": "output", "--output": "output", "--tracks": "tracks", "--fsync": "fsync" },
  export: {
    "-o": "output",
    "--output": "output",
    "--fragmented": "fragmented",
    "--faststart": "faststart",
    "--fsync": "fsync",
  },
};
const FLAGS = new Set(["json", "raw", "quiet", "force", "fragmented", "faststart", "fsync"]);
const SHARED: Record<string, string> = { "-q": "quiet", "--quiet": "quiet" };
/** Commands that write a file take `-f`/`--force`. */
const FORCE: Record<string, string> = { "-f": "force", "--force": "force" };
const WRITES = new Set(["block", "import", "export"]);

/** Parses `args` if they are a plain form of a quick command; undefined otherwise. */
function parse(
  args: string[],
): { command: string; file: string; o: Record<string, string> } | undefined {
  const command = args[0];
  const known = QUICK[command];
  if (!known) return undefined;
  const names = { ...known, ...SHARED, ...(WRITES.has(command) ? FORCE : {}) };
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

/** The command `p` names, ready to run; undefined when its options are not plain enough. */
async function plan(
  p: { command: string; file: string; o: Record<string, string> },
  ctx: CliContext,
): Promise<(() => Promise<number>) | undefined> {
  const { command, file, o } = p;
  const has = (k: string) => k in o;
  switch (command) {
    case "seek": {
      const ptsUs = int(o.pts, true);
      if (o.track === undefined || ptsUs === undefined) return undefined;
      const { seekCommand } = await lazy<typeof import("./commands/seek.ts")>(
        new URL("./commands/seek.ts", import.meta.url),
      );
      return () => seekCommand(ctx, file, { track: o.track, ptsUs, json: has("json") });
    }
    case "block": {
      const index = int(o.index, false);
      if (index === undefined) return undefined;
      const { blockCommand } = await lazy<typeof import("./commands/block.ts")>(
        new URL("./commands/block.ts", import.meta.url),
      );
      return () =>
        blockCommand(ctx, file, {
          index,
          output: o.output ?? "block.bin",
          raw: has("raw"),
          force: has("force"),
        });
    }
    case "verify": {
      const { verifyCommand } = await lazy<typeof import("./commands/verify.ts")>(
        new URL("./commands/verify.ts", import.meta.url),
      );
      return () => verifyCommand(ctx, file, { json: has("json") });
    }
    case "import":
    case "export": {
      // `-o` is required: without it the full program gives the usage error.
      if (o.output === undefined) return undefined;
      const media = await lazy<typeof import("./commands/external.ts")>(
        new URL("./commands/external.ts", import.meta.url),
      );
      const common = { output: o.output, force: has("force"), fsync: has("fsync") };
      return command === "import"
        ? () => media.importCommand(ctx, file, { ...common, tracks: o.tracks })
        : () =>
          media.exportCommand(ctx, file, {
            ...common,
            fragmented: has("fragmented"),
            faststart: has("faststart"),
          });
    }
  }
  return undefined;
}

/**
 * Runs `args` when they are a plain `seek`, `block`, `verify`, `import` or `export` and
 * resolves to the exit code; resolves to undefined, having done nothing, for anything else.
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
  const run = await plan(p, ctx);
  if (!run) return undefined;
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
