import assert from "node:assert/strict";

/**
 * The reader's modules import each other without a cycle (issue 17: verify.ts and container.ts
 * used to import each other). Static, type-only and dynamic imports between lib/seek files
 * all count.
 */
Deno.test("lib/seek: no import cycle among the reader's modules", async () => {
  const dir = new URL("./", import.meta.url);
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) names.push(e.name);
  }
  const edges = new Map<string, string[]>();
  for (const name of names) {
    const text = await Deno.readTextFile(new URL(name, dir));
    // Imports in doc examples (comment lines) are not the module's.
    const code = text.split("\n").filter((l) => !/^\s*\*/.test(l)).join("\n");
    const targets = [...code.matchAll(/(?:from|import)\s*\(?\s*"\.\/([\w.]+\.ts)"/g)]
      .map((m) => m[1]);
    edges.set(name, targets);
  }
  assert.ok((edges.get("container.ts") ?? []).includes("open_v2.ts"), "the walk sees imports");
  const state = new Map<string, "open" | "done">();
  const visit = (n: string, path: string[]): void => {
    if (state.get(n) === "done") return;
    assert.notEqual(state.get(n), "open", `import cycle: ${[...path, n].join(" -> ")}`);
    state.set(n, "open");
    for (const t of edges.get(n) ?? []) visit(t, [...path, n]);
    state.set(n, "done");
  };
  for (const n of names) visit(n, []);
});
