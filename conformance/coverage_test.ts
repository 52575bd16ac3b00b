import assert from "node:assert/strict";
import { allowlist, coverage, specRules, vectorRules } from "./coverage.ts";

const HERE = new URL(".", import.meta.url).pathname;
const SPEC = `${HERE}../SPEC.md`;
const VECTORS = `${HERE}vectors`;
const ALLOW = `${HERE}coverage_allowlist.json`;
const REPO = `${HERE}..`;

Deno.test("coverage: every rule id of SPEC.md outside section 12 has a vector or an allowlisted test", async () => {
  const missing = (await coverage(SPEC, VECTORS, ALLOW))
    .filter((c) => !c.rule.startsWith("H4-LC-") && c.vectors.length === 0 && c.test === null)
    .map((c) => c.rule);
  assert.deepEqual(missing, [], `rules without a vector: ${missing.join(", ")}`);
});

Deno.test("coverage: every H4-LC-* rule has a cipher vector (conformance/vectors/cipher, conformance/gen/cipher_vectors.ts)", async () => {
  const missing = (await coverage(SPEC, VECTORS, ALLOW))
    .filter((c) => c.rule.startsWith("H4-LC-") && c.vectors.length === 0)
    .map((c) => c.rule);
  assert.deepEqual(missing, [], `LivingCipher rules without a vector: ${missing.join(", ")}`);
});

Deno.test("coverage: the allowlist is small, names only HTTP and media rules of SPEC.md, and each named test exists", async () => {
  const rules = specRules(await Deno.readTextFile(SPEC));
  const allow = await allowlist(ALLOW);
  for (const [rule, test] of Object.entries(allow)) {
    assert.ok(rules.includes(rule), `${rule} is not in SPEC.md`);
    assert.match(
      rule,
      /^H4-(HTTP|MED)-/,
      `${rule}: only HTTP and media rules may be covered by tests instead of vectors`,
    );
    const m = /^([^:]+): (.+)$/.exec(test);
    assert.ok(m, `${rule}: entry must be "FILE: test name"`);
    const text = await Deno.readTextFile(`${REPO}/${m[1]}`);
    assert.ok(
      text.includes(JSON.stringify(m[2]).slice(1, -1)),
      `${rule}: ${m[1]} has no test named ${JSON.stringify(m[2])}`,
    );
  }
});

Deno.test("coverage: vectors name only rule ids that SPEC.md defines", async () => {
  const rules = new Set(specRules(await Deno.readTextFile(SPEC)));
  const unknown = [...(await vectorRules(VECTORS)).entries()].filter(([r]) => !rules.has(r));
  assert.deepEqual(unknown.map(([r, vs]) => `${r} (${vs.slice(0, 3).join(", ")})`), []);
});

Deno.test("coverage: specRules finds bracketed ids once, in order", () => {
  assert.deepEqual(specRules("a [H4-FMT-001] b [H4-LC-002] [H4-FMT-001] H4-X-1"), [
    "H4-FMT-001",
    "H4-LC-002",
  ]);
});
