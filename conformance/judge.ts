/**
 * Judges one implementation on one vector: runs `read` (and the vector's seek queries) and
 * compares with the expectation. Verdicts are documented in README.md, "Verdicts".
 *
 * @module
 */

import { diff } from "./canonical.ts";
import { errorClass } from "./error_classes.ts";
import type { Implementation, Outcome } from "./impl.ts";
import type { Vector, VectorClass } from "./vectors.ts";

/** Verdict of one vector. `pass` and `soft` count as passing. */
export type Verdict = "pass" | "soft" | "fail" | "wrong-reason" | "crash" | "timeout" | "skip";

/** Result of one vector on one implementation. */
export interface VectorResult {
  /** Vector name. */
  vector: string;
  /** Vector class. */
  class: VectorClass;
  /** Rule ids the vector exercises. */
  rules: string[];
  /** Verdict. */
  verdict: Verdict;
  /** What was expected, in short: `accept` or an error code. */
  expected: string;
  /** What the implementation did, in short: `accept`, an error code, `crash`, `timeout`. */
  got: string;
  /** The difference, for anything but a plain pass. */
  detail: string;
}

/** Options of a judgement. */
export interface JudgeOptions {
  /** Skip seek queries (faster; `read` only). */
  noSeeks?: boolean;
}

function short(o: Outcome): string {
  if (o.status === "ok") return "accept";
  if (o.status === "error") return o.code;
  return o.status;
}

function nonAnswer(o: Outcome): { verdict: Verdict; detail: string } | null {
  if (o.status === "crash") return { verdict: "crash", detail: o.detail };
  if (o.status === "timeout") return { verdict: "timeout", detail: o.detail };
  if (o.status === "unsupported") return { verdict: "skip", detail: o.detail };
  return null;
}

/** Keys SPEC.md section 10 allows in a seek answer beyond the protocol's five. */
const SEEK_EXTRAS = ["offset", "stored_length"] as const;

function withoutExtras(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const o = { ...(value as Record<string, unknown>) };
  for (const k of SEEK_EXTRAS) delete o[k];
  return o;
}

/**
 * Checks `offset` and `stored_length` of a seek answer when present (SPEC.md section 10: an
 * answer may leave them out, and when present they are the block's): `stored_length` against
 * the vector's read result, `offset` as a position in the storage region.
 */
function seekExtras(v: Vector, value: unknown): string | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const o = value as Record<string, unknown>;
  if ("offset" in o && !(Number.isSafeInteger(o.offset) && (o.offset as number) >= 20)) {
    return `offset ${JSON.stringify(o.offset)} is not a file offset of the storage region`;
  }
  if ("stored_length" in o) {
    const block = v.exp.result?.blocks[o.core_index as number];
    const want = block?.stored_length;
    if (
      !Number.isSafeInteger(o.stored_length) || (want !== undefined && o.stored_length !== want)
    ) {
      return `stored_length ${JSON.stringify(o.stored_length)}, block ${
        JSON.stringify(o.core_index)
      } has ${want}`;
    }
  }
  return null;
}

async function checkSeeks(
  impl: Implementation,
  v: Vector,
): Promise<{ verdict: Verdict; detail: string } | null> {
  for (const q of v.exp.seeks ?? []) {
    const o = await impl.seek(v.file, q.track_id, q.pts_us, v.exp.read_args ?? []);
    const where = `seek ${JSON.stringify(q.track_id)} ${q.pts_us}`;
    const na = nonAnswer(o);
    if (na) return { verdict: na.verdict, detail: `${where}: ${na.detail}` };
    if (q.expect_error) {
      if (o.status === "ok") {
        return {
          verdict: "fail",
          detail: `${where}: expected ${q.expect_error}, got answer ${JSON.stringify(o.value)}`,
        };
      }
      if (o.status === "error" && o.code !== q.expect_error) {
        const same = errorClass(o.code) === errorClass(q.expect_error);
        return {
          verdict: same ? "soft" : "wrong-reason",
          detail: `${where}: expected ${q.expect_error}, got ${o.code}`,
        };
      }
      continue;
    }
    if (o.status === "error") {
      return { verdict: "fail", detail: `${where}: rejected with ${o.code} ${o.message}` };
    }
    if (o.status === "ok") {
      const extra = seekExtras(v, o.value);
      if (extra) return { verdict: "fail", detail: `${where}: ${extra}` };
      const d = diff(q.result, withoutExtras(o.value));
      if (d) return { verdict: "fail", detail: `${where}: ${d}` };
    }
  }
  return null;
}

async function judgeAccepted(
  impl: Implementation,
  v: Vector,
  value: unknown,
  opts: JudgeOptions,
): Promise<{ verdict: Verdict; detail: string }> {
  if (v.exp.result) {
    const d = diff(v.exp.result, value);
    if (d) return { verdict: "fail", detail: `read: ${d}` };
  }
  if (!opts.noSeeks) {
    const s = await checkSeeks(impl, v);
    if (s) return s;
  }
  return { verdict: "pass", detail: "" };
}

/**
 * Runs and judges one vector.
 *
 * - valid: must be accepted with the expected result and seek answers.
 * - invalid: must be rejected. The expected code (or one of `also_accept`) is a `pass`;
 *   another code of the same class is `soft` (passing, but listed); a code of another class,
 *   or one SPEC.md does not define, is `wrong-reason` (failing).
 * - acceptable: either accepted with the expected result, or rejected with any code.
 *
 * @example
 * ```ts ignore
 * import { judge } from "./judge.ts";
 * const r = await judge(impl, vector);
 * console.log(r.verdict, r.detail);
 * ```
 */
export async function judge(
  impl: Implementation,
  v: Vector,
  opts: JudgeOptions = {},
): Promise<VectorResult> {
  const e = v.exp;
  const expected = e.class === "invalid"
    ? e.expect_error!
    : e.class === "valid"
    ? "accept"
    : "accept|reject";
  const base = { vector: v.name, class: e.class, rules: e.rules, expected };
  const o = await impl.read(v.file, e.read_args ?? []);
  const got = short(o);
  const na = nonAnswer(o);
  if (na) return { ...base, got, ...na };

  if (e.class === "valid") {
    if (o.status === "error") {
      return {
        ...base,
        got,
        verdict: "fail",
        detail: `rejected a valid file: ${o.code} ${o.message}`,
      };
    }
    return {
      ...base,
      got,
      ...(await judgeAccepted(impl, v, (o as { value: unknown }).value, opts)),
    };
  }

  if (e.class === "acceptable") {
    if (o.status === "error") {
      return { ...base, got, verdict: "pass", detail: `rejected (${o.code}), which is allowed` };
    }
    const r = await judgeAccepted(impl, v, (o as { value: unknown }).value, opts);
    return { ...base, got, ...r, detail: r.detail || "accepted, which is allowed" };
  }

  // invalid
  if (o.status === "ok") {
    return {
      ...base,
      got,
      verdict: "fail",
      detail: `accepted an invalid file (expected ${e.expect_error})`,
    };
  }
  const err = o as { code: string; message: string };
  if (err.code === e.expect_error || (e.also_accept ?? []).includes(err.code)) {
    return { ...base, got, verdict: "pass", detail: "" };
  }
  const cls = errorClass(err.code);
  if (cls !== null && cls === e.error_class) {
    return {
      ...base,
      got,
      verdict: "soft",
      detail: `expected ${e.expect_error}, got ${err.code} (same class ${cls}): ${err.message}`,
    };
  }
  return {
    ...base,
    got,
    verdict: "wrong-reason",
    detail: `expected ${e.expect_error} (${e.error_class}), got ${err.code} (${
      cls ?? "not a SPEC.md code"
    }): ${err.message}`,
  };
}

/**
 * Whether a verdict counts as passing.
 *
 * @example
 * ```ts
 * import { passing } from "./judge.ts";
 * import assert from "node:assert/strict";
 * assert(passing("soft") && !passing("wrong-reason"));
 * ```
 */
export function passing(v: Verdict): boolean {
  return v === "pass" || v === "soft";
}
