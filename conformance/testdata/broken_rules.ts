/**
 * Deliberately broken readers for the runner's own tests, each skipping one rule of SPEC.md the
 * way a real reader might. They read with our reader and, where our reader reports the skipped
 * check, go on as a reader without that check would:
 *
 * - `varint-cap`: no 2^53 − 1 cap on varints (H4-ENC-001): reads on, as a reader that takes
 *   flags and indices from the low bits would;
 * - `trailing`: ignores 1 to 11 trailing bytes (H4-FMT-012): drops them and reads again;
 * - `empty-chunks`: accepts storage chunks that hold no block (H4-IDX-004, H4-LOC-004);
 * - `header-copy`: does not check LOCA's header copy (H4-FMT-001, H4-FMT-002, H4-LOC-002);
 * - `swapped-codes`: reports H4_INDEX_MISMATCH for every H4_BAD_INDEX (right class, wrong reason);
 * - `key-check`: no key check (H4-LC-014): a wrong key goes on to the first block, whose AEAD
 *   fails (`H4_CIPHER_AUTH_FAILED` where `H4_CIPHER_BAD_KEY` is due).
 *
 *     deno run -A conformance/testdata/broken_rules.ts trailing read FILE
 *
 * @module
 */

import { canonicalRead, ourImplementation, serveProtocol } from "../adapter.ts";
import type { Implementation, Outcome } from "../impl.ts";
import { isH4Error } from "../../mod.ts";

/** The rules these readers can skip. */
export const BROKEN_RULES = [
  "varint-cap",
  "trailing",
  "empty-chunks",
  "header-copy",
  "swapped-codes",
  "key-check",
] as const;

/** One of {@linkcode BROKEN_RULES}. */
export type BrokenRule = typeof BROKEN_RULES[number];

/** Whether an error of our reader is the check that `rule` skips. */
function skipped(rule: BrokenRule, code: string, message: string): boolean {
  switch (rule) {
    case "varint-cap":
      return code === "H4_BAD_VARINT" && /exceeds 2\^53/.test(message);
    case "trailing":
      return code === "H4_TRUNCATED" && /trailing bytes at \d+/.test(message);
    case "empty-chunks":
      return code === "H4_INDEX_MISMATCH" &&
        /holds no block|storage chunks for \d+ blocks/.test(message);
    case "header-copy":
      return /LOCA header copy/.test(message);
    case "swapped-codes":
    case "key-check":
      return false;
  }
}

/** What a reader without the check returns: the structure it could read, and no blocks. */
async function salvage(file: string): Promise<Outcome> {
  const b = await Deno.readFile(file);
  const version = b.length >= 6 ? (b[4] << 8) | b[5] : 0;
  return {
    status: "ok",
    value: {
      version,
      profile: version === 1 ? "v1" : "v2",
      encrypted: false,
      tracks: [],
      blocks: [],
      meta: {},
      safe: null,
      seek: {},
    },
  };
}

/**
 * The broken implementation that skips `rule`.
 *
 * @example
 * ```ts ignore
 * import { brokenRuleImplementation } from "./broken_rules.ts";
 * const impl = brokenRuleImplementation("trailing");
 * console.log(await impl.read("conformance/vectors/format/n_fmt012_legacy_trailing_1.h4mk"));
 * ```
 */
export function brokenRuleImplementation(rule: BrokenRule): Implementation {
  const ours = ourImplementation();
  return {
    name: `broken: skips ${rule}`,
    async read(file, args) {
      const o = await ours.read(file, args);
      if (o.status !== "error") return o;
      if (rule === "swapped-codes" && o.code === "H4_BAD_INDEX") {
        return { ...o, code: "H4_INDEX_MISMATCH" };
      }
      if (rule === "key-check" && o.code === "H4_CIPHER_BAD_KEY") {
        return { ...o, code: "H4_CIPHER_AUTH_FAILED", message: "block 0 does not authenticate" };
      }
      if (!skipped(rule, o.code, o.message)) return o;
      if (rule === "trailing") {
        const at = Number(/trailing bytes at (\d+)/.exec(o.message)![1]);
        try {
          return {
            status: "ok",
            value: await canonicalRead((await Deno.readFile(file)).slice(0, at)),
          };
        } catch (e) {
          return isH4Error(e)
            ? { status: "error", code: e.code, message: e.message }
            : { status: "crash", detail: String(e) };
        }
      }
      return await salvage(file);
    },
    seek: ours.seek,
  };
}

if (import.meta.main) {
  const [rule, ...rest] = Deno.args;
  if (!(BROKEN_RULES as readonly string[]).includes(rule)) {
    console.error(`usage: broken_rules.ts ${BROKEN_RULES.join("|")} read|seek ...`);
    Deno.exit(2);
  }
  Deno.exit(await serveProtocol(brokenRuleImplementation(rule as BrokenRule), rest));
}
