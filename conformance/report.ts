/**
 * Reports of a conformance run: totals per class, a table per vector, a matrix of vectors by
 * implementation (as JSONTestSuite publishes), and the JSON form.
 *
 * @module
 */

import { passing, type VectorResult, type Verdict } from "./judge.ts";
import type { VectorClass } from "./vectors.ts";

/** Verdict counts. */
export type Counts = Record<Verdict, number>;

/** The results of one implementation. */
export interface ImplementationReport {
  /** Implementation name. */
  name: string;
  /** One result per vector. */
  results: VectorResult[];
  /** Counts per vector class. */
  totals: Record<VectorClass, Counts>;
  /** For acceptable vectors: how many were accepted and rejected. */
  acceptable: { accepted: number; rejected: number };
  /** Vectors rejected with another code of the expected class (`soft`), whatever `ok` says. */
  soft: number;
  /** True when every vector passed (soft counts as passing unless strict). */
  ok: boolean;
}

/** A whole run. */
export interface RunReport {
  /** Format of this report. */
  report_version: 1;
  /** Vectors folder. */
  vectors_dir: string;
  /** Number of vectors run. */
  vectors: number;
  /** Whether `soft` counted as failing. */
  strict_codes: boolean;
  /** Per implementation. */
  implementations: ImplementationReport[];
  /** True when every implementation is ok. */
  ok: boolean;
}

const VERDICTS: Verdict[] = ["pass", "soft", "fail", "wrong-reason", "crash", "timeout", "skip"];
const CLASSES: VectorClass[] = ["valid", "invalid", "acceptable"];

function zero(): Counts {
  return { pass: 0, soft: 0, fail: 0, "wrong-reason": 0, crash: 0, timeout: 0, skip: 0 };
}

/**
 * Summarises one implementation's results.
 *
 * @example
 * ```ts
 * import { summarise } from "./report.ts";
 * import assert from "node:assert/strict";
 * const r = summarise("x", [{ vector: "a", class: "valid", rules: [], verdict: "pass", expected: "accept", got: "accept", detail: "" }]);
 * assert(r.ok && r.totals.valid.pass === 1);
 * ```
 */
export function summarise(
  name: string,
  results: VectorResult[],
  opts: { strictCodes?: boolean; allowSkip?: boolean } = {},
): ImplementationReport {
  const totals = { valid: zero(), invalid: zero(), acceptable: zero() };
  let accepted = 0, rejected = 0, soft = 0;
  let ok = true;
  for (const r of results) {
    totals[r.class][r.verdict]++;
    if (r.verdict === "soft") soft++;
    if (r.class === "acceptable" && passing(r.verdict)) {
      r.got === "accept" ? accepted++ : rejected++;
    }
    const good = r.verdict === "pass" || (r.verdict === "soft" && !opts.strictCodes) ||
      (r.verdict === "skip" && opts.allowSkip);
    if (!good) ok = false;
  }
  return { name, results, totals, acceptable: { accepted, rejected }, soft, ok };
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + "…";
}

/**
 * The totals table of one implementation.
 *
 * @example
 * ```ts
 * import { summarise, totalsTable } from "./report.ts";
 * import assert from "node:assert/strict";
 * assert(totalsTable(summarise("x", [])).includes("valid"));
 * ```
 */
export function totalsTable(r: ImplementationReport): string {
  const lines = [pad("", 12) + VERDICTS.map((v) => v.padStart(13)).join("")];
  for (const c of CLASSES) {
    lines.push(pad(c, 12) + VERDICTS.map((v) => String(r.totals[c][v]).padStart(13)).join(""));
  }
  lines.push(
    `acceptable vectors: ${r.acceptable.accepted} accepted, ${r.acceptable.rejected} rejected (both allowed)`,
  );
  return lines.join("\n");
}

/**
 * The per-vector table of one implementation: verdict, class, vector, rules, and what happened.
 * With `failuresOnly`, passing rows are left out.
 */
export function vectorTable(r: ImplementationReport, failuresOnly = false): string {
  const rows = r.results.filter((x) => !failuresOnly || x.verdict !== "pass");
  if (rows.length === 0) return failuresOnly ? "every vector passed" : "no vectors";
  const w = Math.min(60, Math.max(6, ...rows.map((x) => x.vector.length)));
  const lines = [
    `${pad("RESULT", 13)}${pad("CLASS", 11)}${pad("VECTOR", w + 2)}${pad("RULES", 26)}DETAIL`,
  ];
  for (const x of rows) {
    const detail = x.detail || (x.got === x.expected ? x.got : `${x.got}`);
    lines.push(
      `${pad(x.verdict, 13)}${pad(x.class, 11)}${pad(clip(x.vector, w), w + 2)}${
        pad(clip(x.rules.join(","), 24), 26)
      }${clip(detail, 160)}`,
    );
  }
  return lines.join("\n");
}

const SYMBOL: Record<Verdict, string> = {
  pass: "ok",
  soft: "~",
  fail: "FAIL",
  "wrong-reason": "WRONG",
  crash: "CRASH",
  timeout: "TIME",
  skip: "skip",
};

/**
 * A matrix of vectors (rows) by implementations (columns). Rows where every implementation
 * passed are left out unless `all`.
 */
export function matrixTable(reports: ImplementationReport[], all = false): string {
  const names = reports.map((_, i) => `[${i + 1}]`);
  const byVector = new Map<string, (VectorResult | undefined)[]>();
  reports.forEach((r, i) => {
    for (const x of r.results) {
      if (!byVector.has(x.vector)) byVector.set(x.vector, new Array(reports.length));
      byVector.get(x.vector)![i] = x;
    }
  });
  const w = Math.min(60, Math.max(6, ...[...byVector.keys()].map((k) => k.length)));
  const lines = reports.map((r, i) => `${names[i]} ${r.name}`);
  lines.push(
    "",
    `${pad("VECTOR", w + 2)}${pad("EXPECTED", 26)}${names.map((n) => pad(n, 8)).join("")}`,
  );
  for (const [v, xs] of byVector) {
    if (!all && xs.every((x) => x && x.verdict === "pass")) continue;
    const first = xs.find((x) => x)!;
    lines.push(
      `${pad(clip(v, w), w + 2)}${pad(clip(first.expected, 24), 26)}${
        xs.map((x) => pad(x ? SYMBOL[x.verdict] : "", 8)).join("")
      }`,
    );
  }
  return lines.join("\n");
}

/**
 * The one-line verdict of an implementation. A run with soft verdicts never reads as a plain
 * CONFORMS: it says how many invalid vectors were rejected for another reason than the one
 * expected.
 *
 * @example
 * ```ts
 * import { summarise, verdictLine } from "./report.ts";
 * import assert from "node:assert/strict";
 * const r = summarise("x", [{ vector: "a", class: "invalid", rules: [], verdict: "soft", expected: "H4_BAD_INDEX", got: "H4_INDEX_MISMATCH", detail: "" }]);
 * assert(verdictLine(r).includes("1 vector rejected for another reason"));
 * ```
 */
export function verdictLine(r: ImplementationReport): string {
  const n = r.results.length;
  const head = `${r.name}: ${r.ok ? "CONFORMS" : "DOES NOT CONFORM"} (${n} vector${
    n === 1 ? "" : "s"
  })`;
  if (r.soft === 0) return head;
  return `${head}, but ${r.soft} vector${r.soft === 1 ? "" : "s"} rejected for another reason ${
    r.soft === 1 ? "than the one" : "than the ones"
  } expected (soft${r.ok ? "; --strict-codes fails them" : ""})`;
}

/**
 * The soft verdicts of one implementation, listed apart (empty string when there are none).
 *
 * @example
 * ```ts
 * import { softTable, summarise } from "./report.ts";
 * import assert from "node:assert/strict";
 * assert(softTable(summarise("x", [])) === "");
 * ```
 */
export function softTable(r: ImplementationReport): string {
  const rows = r.results.filter((x) => x.verdict === "soft");
  if (rows.length === 0) return "";
  const w = Math.min(60, Math.max(6, ...rows.map((x) => x.vector.length)));
  return [
    `${r.name}: soft verdicts (rejected with another code of the expected class)`,
    ...rows.map((x) => `  ${pad(clip(x.vector, w), w + 2)}expected ${x.expected}, got ${x.got}`),
  ].join("\n");
}

/**
 * The human-readable report of a run: per implementation its vector table (for several
 * implementations: the matrix, then each implementation's rows that did not pass), the soft
 * verdicts apart, and the totals.
 */
export function textReport(
  run: RunReport,
  opts: { failuresOnly?: boolean; matrix?: boolean } = {},
): string {
  const parts: string[] = [];
  if (opts.matrix || run.implementations.length > 1) {
    parts.push(matrixTable(run.implementations, !opts.failuresOnly));
    for (const r of run.implementations) {
      parts.push(`${r.name}\n${vectorTable(r, true)}`);
    }
  } else {
    for (const r of run.implementations) {
      parts.push(`${r.name}\n${vectorTable(r, opts.failuresOnly)}`);
    }
  }
  for (const r of run.implementations) {
    const soft = softTable(r);
    if (soft) parts.push(soft);
  }
  for (const r of run.implementations) {
    parts.push(`${verdictLine(r)}\n${totalsTable(r)}`);
  }
  parts.push(
    "pass: as expected · soft: rejected with another code of the same class · wrong-reason: rejected with a code of another class · fail: accepted an invalid file, rejected a valid one, or a different result",
  );
  return parts.join("\n\n");
}
