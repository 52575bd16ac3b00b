/**
 * Every module the CLI loads through lazy.ts is named in `deno task compile`'s `--include` (the
 * binary's module graph has only what Deno can follow), each call names the same module in its
 * type and its URL, and the module exists.
 */
import assert from "node:assert/strict";
import { lazy } from "./lazy.ts";

const ROOT = new URL("../../", import.meta.url);

/** Every .ts file of the CLI: cli.ts and lib/cli, tests and lazy.ts itself left out. */
function cliFiles(): URL[] {
  const out = [new URL("cli.ts", ROOT)];
  const walk = (dir: URL) => {
    for (const e of Deno.readDirSync(dir)) {
      if (e.isDirectory) walk(new URL(`${e.name}/`, dir));
      else if (e.name.endsWith(".ts") && !e.name.endsWith("_test.ts") && e.name !== "lazy.ts") {
        out.push(new URL(e.name, dir));
      }
    }
  };
  walk(new URL("lib/cli/", ROOT));
  return out;
}

/** A call of lazy() or optional.ts's load(): the module's type, then its URL. */
const CALL =
  /(?:lazy|load)<typeof import\("([^"]+)"\)>\(\s*(?:"[^"]*",\s*)?new URL\("([^"]+)", import\.meta\.url\)/g;

Deno.test("lazy: every module loaded lazily is in the compile task's --include", () => {
  const task: string = JSON.parse(Deno.readTextFileSync(new URL("deno.json", ROOT))).tasks.compile;
  const included = new Set([...task.matchAll(/--include (\S+)/g)].map((m) => m[1]));
  const loaded = new Set<string>();
  for (const file of cliFiles()) {
    const text = Deno.readTextFileSync(file);
    const calls = [...text.matchAll(CALL)];
    // Every module URL made here is one of those calls, which this test reads.
    const uses = [...text.matchAll(/new URL\("[^"]+\.ts", import\.meta\.url\)/g)].length;
    assert.equal(
      calls.length,
      uses,
      `${file.pathname}: a module loaded in a way this test cannot read`,
    );
    for (const [, typed, path] of calls) {
      assert.equal(typed, path, `${file.pathname}: type and URL name different modules`);
      const target = new URL(path, file);
      assert.ok(Deno.statSync(target).isFile, `${target.pathname} does not exist`);
      loaded.add(target.pathname.slice(ROOT.pathname.length));
    }
  }
  assert.ok(loaded.size >= 6, `only ${loaded.size} lazily loaded modules found`);
  for (const m of loaded) assert.ok(included.has(m), `deno task compile lacks --include ${m}`);
});

Deno.test("lazy: loads a module by its URL", async () => {
  const m = await lazy<typeof import("./text.ts")>(new URL("./text.ts", import.meta.url));
  assert.equal(m.printable("a\u0007"), "a\\u0007");
});
