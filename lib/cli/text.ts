/**
 * Small text helpers of the CLI that need no argument parser, so that the quick path of
 * `h4mk seek`, `block`, `verify`, `import` and `export` (quick.ts) loads without commander.
 *
 * @module
 */

/**
 * Lower-case hex of bytes (roots, digests).
 *
 * @example
 * ```ts
 * import { toHex } from "./text.ts";
 * import assert from "node:assert/strict";
 * assert(toHex(new Uint8Array([1, 255])) === "01ff");
 * ```
 */
export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

/**
 * True when an argument names an http(s) URL rather than a path.
 *
 * @example
 * ```ts
 * import { isUrl } from "./text.ts";
 * import assert from "node:assert/strict";
 * assert(isUrl("https://example.com/a.h4mk") && !isUrl("a.h4mk"));
 * ```
 */
export function isUrl(arg: string): boolean {
  return /^https?:\/\//i.test(arg);
}

/**
 * Makes text safe for one terminal line: control characters become escapes.
 *
 * @example
 * ```ts
 * import { printable } from "./text.ts";
 * import assert from "node:assert/strict";
 * assert(printable("a\nb") === "a\\nb");
 * ```
 */
export function printable(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, (ch) => JSON.stringify(ch).slice(1, -1));
}
