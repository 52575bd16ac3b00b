/**
 * `deno task demo` and `deno task compile` run with `deno.runtime.lock`, which pins only what the
 * CLI loads: a user trying the tool downloads no test-only package (fast-check), and every package
 * it does download is checked against the same integrity hash as in `deno.lock`.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);
type Lock = {
  specifiers: Record<string, string>;
  npm: Record<string, { integrity: string }>;
  workspace: { dependencies: string[] };
};
const read = (name: string): Lock => JSON.parse(Deno.readTextFileSync(new URL(name, ROOT)));

Deno.test("deno.runtime.lock: a subset of deno.lock with the same hashes, without test-only packages", () => {
  const full = read("deno.lock");
  const runtime = read("deno.runtime.lock");
  for (const [spec, version] of Object.entries(runtime.specifiers)) {
    assert.equal(
      full.specifiers[spec],
      version,
      `${spec} resolves to another version in deno.lock`,
    );
  }
  for (const [pkg, entry] of Object.entries(runtime.npm)) {
    assert.deepEqual(full.npm[pkg], entry, `${pkg} differs from deno.lock`);
  }
  assert.deepEqual(runtime.workspace.dependencies, full.workspace.dependencies);
  assert.ok(!Object.keys(runtime.npm).some((p) => p.startsWith("fast-check@")));
});

Deno.test("deno.json: the demo and compile tasks use deno.runtime.lock, frozen", () => {
  const tasks = JSON.parse(Deno.readTextFileSync(new URL("deno.json", ROOT))).tasks;
  for (const name of ["demo", "compile"]) {
    assert.match(tasks[name], /--lock=deno\.runtime\.lock --frozen /, name);
  }
});
