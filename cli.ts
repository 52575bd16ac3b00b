/**
 * The `h4mk` command-line tool: `deno run -A cli.ts <command> ...` or the binary of
 * `deno task compile`. All the work is in lib/cli; this file only sets the exit code.
 *
 * @example
 * ```ts ignore
 * import { main } from "./cli.ts";
 * const code = await main(["manifest", "demo.h4mk", "--json"]);
 * ```
 *
 * @module
 */

import { main } from "./lib/cli/main.ts";

export { main };

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
