import assert from "node:assert/strict";
import { packContainer } from "../mod.ts";
import { craft } from "./builder/build.ts";
import { checkContainer, checkText } from "./check.ts";
import { small } from "./gen/common.ts";

Deno.test("check: a file of our writer holds every rule", async () => {
  const r = await checkContainer(
    "a",
    await packContainer(small().map((b) => ({ ...b })), { safe: { x: 1 } }),
  );
  assert.ok(r.ok, checkText([r]));
  const rules = new Set(r.checks.map((c) => c.rule));
  for (
    const rule of [
      "H4-FMT-003",
      "H4-MET-002",
      "H4-MET-003",
      "H4-FMT-023",
      "H4-INT-002",
      "H4-INT-004",
      "H4-SEK-001",
    ]
  ) {
    assert.ok(rules.has(rule), rule);
  }
});

Deno.test("check: writer rules fail rule by rule", async () => {
  const reserved = craft(small(), {
    hooks: { header: () => new Uint8Array([0x48, 0x34, 0x4d, 0x4b, 0, 2, 0, 9]) },
  });
  const r1 = await checkContainer("reserved", reserved.bytes);
  assert.deepEqual(r1.checks.filter((c) => !c.ok).map((c) => c.rule), ["H4-FMT-003"]);
  const meta = craft(small(), {
    meta: { encryption: {} },
    hooks: { meta: (m) => void delete m.domain },
  });
  const r2 = await checkContainer("meta", meta.bytes);
  assert.deepEqual(r2.checks.filter((c) => !c.ok).map((c) => c.rule), ["H4-MET-002", "H4-MET-003"]);
  assert.equal(r2.ok, false);
});

Deno.test("check: an unreadable file gives one failed check with its code", async () => {
  const r = await checkContainer("x", new TextEncoder().encode("RIFF...."));
  assert.equal(r.ok, false);
  assert.deepEqual(r.checks.map((c) => [c.rule, c.code]), [["H4-FMT-001", "H4_BAD_MAGIC"]]);
  assert.match(checkText([r]), /FAIL\s+H4-FMT-001\s+H4_BAD_MAGIC/);
});

Deno.test("check: advice is reported but does not fail a file", async () => {
  const s = craft(small(), { hooks: { chunks: (cs) => [cs[0], ...cs.slice(1).reverse()] } });
  const r = await checkContainer("order", s.bytes);
  assert.ok(r.ok);
  assert.ok(r.checks.some((c) => !c.ok && c.level === "should" && c.rule === "H4-FMT-022"));
});

Deno.test("check: a file of the original writer is checked under the legacy rules", async () => {
  const bytes = await Deno.readFile(
    new URL("./vectors/legacy/two-tracks.h4mk", import.meta.url),
  );
  const r = await checkContainer("two-tracks", bytes);
  assert.ok(r.ok, JSON.stringify(r.checks.filter((c) => !c.ok)));
  const rules = new Set(r.checks.map((c) => c.rule));
  for (const rule of ["H4-LEG-001", "H4-LEG-003", "H4-INT-001", "H4-MET-002", "H4-FMT-024"]) {
    assert.ok(rules.has(rule), rule);
  }
  for (const rule of ["H4-IDX-004", "H4-TRK-002", "H4-SEK-001"]) assert.ok(!rules.has(rule), rule);
});
