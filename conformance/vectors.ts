/**
 * Vector expectation files (`NAME.json` beside `NAME.h4mk`): their schema, a loader and a
 * checker. The schema is documented in README.md, "Vectors".
 *
 * @module
 */

import type { CanonicalRead, CanonicalSeek } from "./canonical.ts";
import { errorClass } from "./error_classes.ts";

/** `valid`: must be read with `result`; `invalid`: must be rejected; `acceptable`: either. */
export type VectorClass = "valid" | "invalid" | "acceptable";

/** A seek query of a vector and its answer (or the error it must give). */
export interface SeekQuery {
  /** Track id asked for. */
  track_id: string;
  /** Target pts. */
  pts_us: number;
  /** The answer. */
  result?: CanonicalSeek;
  /** The error code, when the query must fail. */
  expect_error?: string;
}

/** The expectation file of a vector. */
export interface Expectation {
  /** Class. */
  class: VectorClass;
  /** SPEC.md rule ids the vector exercises. */
  rules: string[];
  /** Why the vector exists. */
  description: string;
  /** invalid: the H4 error code a reader must give. */
  expect_error?: string;
  /** invalid: the class of `expect_error` (SPEC.md section 14). */
  error_class?: string;
  /** invalid: other codes that count as exact, where the input breaks two rules by necessity. */
  also_accept?: string[];
  /** valid (and acceptable, when read): the canonical read result. */
  result?: CanonicalRead;
  /** Seek queries, for files that are read. */
  seeks?: SeekQuery[];
  /** Extra arguments passed after FILE to `read` and `seek` (e.g. a key for cipher vectors). */
  read_args?: string[];
  /** Hex SHA-256 of the `.h4mk` file, so a damaged checkout is noticed. */
  file_sha256?: string;
  /** Where the bytes come from, when not from gen_vectors.ts. */
  source?: string;
}

/** A loaded vector. */
export interface Vector {
  /** Name: path below the vectors folder without extension, e.g. `format/n_bad_magic`. */
  name: string;
  /** Path of the `.h4mk` file. */
  file: string;
  /** Expectation. */
  exp: Expectation;
}

const RULE = /^H4-[A-Z]+-[0-9]+$/;
const VECTORS_PREFIX = "conformance/vectors/";

/**
 * Problems of an expectation, as messages; empty when it is well formed.
 *
 * @example
 * ```ts
 * import { checkExpectation } from "./vectors.ts";
 * import assert from "node:assert/strict";
 * const bad = checkExpectation({ class: "invalid", rules: ["H4-FMT-001"], description: "the magic is wrong", expect_error: "H4_BAD_MAGIC", error_class: "integrity" });
 * assert(bad.length === 1);
 * ```
 */
export function checkExpectation(e: Expectation): string[] {
  const out: string[] = [];
  if (!["valid", "invalid", "acceptable"].includes(e.class)) out.push(`bad class ${e.class}`);
  if (!Array.isArray(e.rules) || e.rules.length === 0) out.push("no rules");
  for (const r of e.rules ?? []) if (!RULE.test(r)) out.push(`bad rule id ${r}`);
  if (typeof e.description !== "string" || e.description.length < 10) out.push("no description");
  if (e.class === "invalid") {
    if (!e.expect_error) out.push("invalid vector without expect_error");
    else {
      const c = errorClass(e.expect_error);
      if (!c) out.push(`unknown code ${e.expect_error}`);
      if (e.error_class !== c) out.push(`error_class ${e.error_class}, code is ${c}`);
    }
    for (const a of e.also_accept ?? []) if (!errorClass(a)) out.push(`unknown code ${a}`);
  }
  if (e.class === "valid" && !e.result) out.push("valid vector without result");
  for (const q of e.seeks ?? []) {
    if (!q.result === !q.expect_error) out.push(`seek ${q.track_id}@${q.pts_us}: result xor error`);
  }
  return out;
}

async function* walk(dir: string): AsyncGenerator<string> {
  const entries: Deno.DirEntry[] = [];
  for await (const e of Deno.readDir(dir)) entries.push(e);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) yield* walk(p);
    else if (e.isFile) yield p;
  }
}

/**
 * Loads every vector below `dir` (a `.json` beside a `.h4mk` of the same name), sorted by name.
 * Throws on a malformed expectation: a broken vector must not pass silently.
 *
 * @example
 * ```ts ignore
 * import { loadVectors } from "./vectors.ts";
 * const vs = await loadVectors("conformance/vectors");
 * console.log(vs.length);
 * ```
 */
export async function loadVectors(dir: string): Promise<Vector[]> {
  const root = dir.replace(/\/+$/, "");
  const absRoot = await Deno.realPath(root);
  const files = new Set<string>();
  for await (const p of walk(root)) files.add(p);
  const out: Vector[] = [];
  for (const p of files) {
    if (!p.endsWith(".h4mk")) continue;
    const json = p.slice(0, -5) + ".json";
    if (!files.has(json)) continue;
    const exp = JSON.parse(await Deno.readTextFile(json)) as Expectation;
    const problems = checkExpectation(exp);
    const name = p.slice(root.length + 1, -5);
    if (problems.length) throw new Error(`vector ${name}: ${problems.join("; ")}`);
    // Paths in read_args are relative to the repository root (conformance/vectors/...):
    // make them absolute so implementations may run from any folder.
    if (exp.read_args) {
      exp.read_args = exp.read_args.map((a) =>
        a.startsWith(VECTORS_PREFIX) ? `${absRoot}/${a.slice(VECTORS_PREFIX.length)}` : a
      );
    }
    out.push({ name, file: p, exp });
  }
  return out;
}
