import assert from "node:assert/strict";

const SPEC = new URL("../../SPEC.md", import.meta.url);
const HERE = new URL("./", import.meta.url);

Deno.test("spec: every H4-LC rule id used by the code is defined in SPEC.md section 12, in order", async () => {
  const spec = await Deno.readTextFile(SPEC);
  const defined = [...spec.matchAll(/\[(H4-LC-\d{3})\]/g)].map((m) => m[1]);
  assert.ok(defined.length >= 15);
  assert.deepEqual(defined, [...new Set(defined)], "each rule is defined once");
  assert.deepEqual(
    defined,
    defined.map((_, i) => `H4-LC-${String(i + 1).padStart(3, "0")}`),
    "numbered in order",
  );
  const used = new Set<string>();
  for await (const e of Deno.readDir(HERE)) {
    if (!e.isFile || !e.name.endsWith(".ts")) continue;
    for (const m of (await Deno.readTextFile(new URL(e.name, HERE))).matchAll(/H4-LC-\d{3}/g)) {
      used.add(m[0]);
    }
  }
  for (const id of used) assert.ok(defined.includes(id), `${id} is used but not defined`);
});
