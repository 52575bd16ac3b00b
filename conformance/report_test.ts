import assert from "node:assert/strict";
import type { VectorResult } from "./judge.ts";
import { matrixTable, summarise, textReport, totalsTable, vectorTable } from "./report.ts";

const R = (
  vector: string,
  cls: VectorResult["class"],
  verdict: VectorResult["verdict"],
  got = "accept",
): VectorResult => ({
  vector,
  class: cls,
  rules: ["H4-FMT-001"],
  verdict,
  expected: cls === "invalid" ? "H4_BAD_MAGIC" : "accept",
  got,
  detail: verdict === "pass" ? "" : "why",
});

Deno.test("report: totals per class, soft passes unless strict, skips fail unless allowed", () => {
  const rs = [
    R("a", "valid", "pass"),
    R("b", "invalid", "soft", "H4_TRUNCATED"),
    R("c", "acceptable", "pass", "H4_X"),
  ];
  const r = summarise("x", rs);
  assert.equal(r.ok, true);
  assert.equal(r.totals.invalid.soft, 1);
  assert.deepEqual(r.acceptable, { accepted: 0, rejected: 1 });
  assert.equal(summarise("x", rs, { strictCodes: true }).ok, false);
  assert.equal(summarise("x", [R("d", "valid", "skip")]).ok, false);
  assert.equal(summarise("x", [R("d", "valid", "skip")], { allowSkip: true }).ok, true);
  assert.match(totalsTable(r), /invalid\s+0\s+1\s+0/);
});

Deno.test("report: table, matrix and text", () => {
  const a = summarise("impl-a", [
    R("v/1", "invalid", "pass", "H4_BAD_MAGIC"),
    R("v/2", "valid", "fail"),
  ]);
  const b = summarise("impl-b", [
    R("v/1", "invalid", "wrong-reason", "H4_CRC_MISMATCH"),
    R("v/2", "valid", "pass"),
  ]);
  assert.match(vectorTable(a), /fail\s+valid\s+v\/2/);
  assert.doesNotMatch(vectorTable(a, true), /v\/1/);
  const m = matrixTable([a, b]);
  assert.match(m, /\[1\] impl-a/);
  assert.match(m, /v\/1\s+H4_BAD_MAGIC\s+ok\s+WRONG/);
  const t = textReport({
    report_version: 1,
    vectors_dir: "d",
    vectors: 2,
    strict_codes: false,
    implementations: [a, b],
    ok: false,
  });
  assert.match(t, /impl-a: DOES NOT CONFORM/);
});

Deno.test("report: soft verdicts are listed apart and never read as a plain CONFORMS", () => {
  const soft = summarise("soft-impl", [
    R("v/1", "invalid", "soft", "H4_INDEX_MISMATCH"),
    R("v/2", "invalid", "soft", "H4_TRUNCATED"),
    R("v/3", "valid", "pass"),
  ]);
  assert.equal(soft.ok, true);
  assert.equal(soft.soft, 2);
  const run = (impls: ReturnType<typeof summarise>[]) => ({
    report_version: 1 as const,
    vectors_dir: "d",
    vectors: 3,
    strict_codes: false,
    implementations: impls,
    ok: impls.every((r) => r.ok),
  });
  for (const opts of [{}, { failuresOnly: true }, { matrix: true }]) {
    const t = textReport(run([soft]), opts);
    assert.doesNotMatch(t, /CONFORMS \(3 vectors\)\n/);
    assert.match(t, /CONFORMS \(3 vectors\), but 2 vectors rejected for another reason/);
    assert.match(t, /soft verdicts[^\n]*\n\s+v\/1\s+expected H4_BAD_MAGIC, got H4_INDEX_MISMATCH/);
  }
  const clean = summarise("clean", [R("v/3", "valid", "pass")]);
  assert.match(textReport(run([clean])), /clean: CONFORMS \(1 vector\)\n/);
});

Deno.test("report: several implementations get per-vector detail, not only the matrix", () => {
  const a = summarise("impl-a", [R("v/1", "invalid", "pass", "H4_BAD_MAGIC")]);
  const b = summarise("impl-b", [R("v/1", "invalid", "wrong-reason", "H4_CRC_MISMATCH")]);
  const t = textReport({
    report_version: 1,
    vectors_dir: "d",
    vectors: 1,
    strict_codes: false,
    implementations: [a, b],
    ok: false,
  });
  assert.match(t, /impl-b\nRESULT[^\n]*\nwrong-reason\s+invalid\s+v\/1\s+H4-FMT-001\s+why/);
});
