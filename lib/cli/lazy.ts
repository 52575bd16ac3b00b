/**
 * Loading a module of the CLI when its command runs, not when the program starts. Before a
 * program's first line, Deno reads and prepares every module it can reach through imports
 * written as string literals, dynamic ones included: 206 modules for cli.ts, 25 to 30 ms of
 * every command, as much as `h4mk seek` itself (BENCHMARKS.md figure 3). A specifier computed at
 * run time is not followed, so a command's modules are read only when it runs.
 *
 * `deno task compile` does not follow them either: its `--include` names every module loaded
 * here (lazy_test.ts checks the two lists agree), or the binary would lack them. `deno publish`
 * warns once, here, that it cannot rewrite this import: the specifiers are relative paths, which
 * need no rewriting.
 *
 * @module
 */

/**
 * Imports the module at `url` (made with `new URL("./path.ts", import.meta.url)` where the
 * module is named, so the path is checked by lazy_test.ts). Give its type as
 * `typeof import("./path.ts")`: a type-only import is not read when the program runs.
 *
 * @example
 * ```ts
 * import { lazy } from "./lazy.ts";
 * import assert from "node:assert/strict";
 * const m = await lazy<{ x: number }>(new URL("data:text/javascript,export const x = 1"));
 * assert.equal(m.x, 1);
 * ```
 */
export function lazy<T>(url: URL): Promise<T> {
  return import(url.href);
}
