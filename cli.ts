/**
 * The `h4mk` command-line tool: `deno run -A cli.ts <command> ...` or the binary of
 * `deno task compile`. All the work is in lib/cli; this file only sets the exit code. Plain
 * `seek`, `block`, `verify`, `import` and `export` take a quick path (lib/cli/quick.ts) that
 * does not load the argument parser; everything else loads the full program.
 *
 * @example
 * ```ts ignore
 * import { main } from "./cli.ts";
 * const code = await main(["manifest", "demo.h4mk", "--json"]);
 * ```
 *
 * @module
 */

import type { CliIo } from "./lib/cli/io.ts";
export type { CliIo };
import { quickMain } from "./lib/cli/quick.ts";
import { lazy } from "./lib/cli/lazy.ts";

/**
 * Runs the CLI with `args` (without the program name) and resolves to the exit code: 0
 * success, 1 invalid input or failed verification, 2 usage error. See lib/cli/main.ts.
 *
 * @example
 * ```ts ignore
 * import { main } from "./cli.ts";
 * import assert from "node:assert/strict";
 * assert(await main(["--version"]) === 0);
 * ```
 */
export async function main(args: string[], io?: CliIo): Promise<number> {
  // Loaded only when the quick path declines: lib/cli/lazy.ts says why.
  const full = await lazy<typeof import("./lib/cli/main.ts")>(
    new URL("./lib/cli/main.ts", import.meta.url),
  );
  return await full.main(args, io);
}

if (import.meta.main) {
  // A signal during a write removes the temporary output and exits 130/143/129.
  (await import("./lib/cli/signals.ts")).installSignalCleanup();
  Deno.exit(await quickMain(Deno.args) ?? await main(Deno.args));
}
