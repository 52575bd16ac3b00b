/**
 * Runs every documentation example, as `deno test --doc` would, in one process: each ```ts
 * block of a JSDoc comment (and of README.md) not marked `ignore` becomes a module of its own,
 * with its relative imports pointed at the file it documents, and is imported by one test.
 * `deno test --doc` starts an isolate per example, which on the project's 2-core machine costs
 * about 0.5 s of CPU each (over 300 examples: minutes); here they share one. The test task
 * type-checks the same examples with `deno check --doc`.
 *
 * @module
 */
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);
/** Folders and files whose examples run; the web player script needs a page, not a module. */
const SOURCES = [
  "mod.ts",
  "cipher.ts",
  "recipients.ts",
  "sign.ts",
  "cli.ts",
  "lib/",
  "conformance/",
  "fuzz/",
  "README.md",
];
const SKIP = [
  /_test\.ts$/,
  /^conformance\/vectors\//,
  /\/testdata\//,
  /^lib\/web\/(dist\/|player\.ts$)/,
];

interface Example {
  /** Where it stands, as `path:line`. */
  where: string;
  /** The module text, imports made absolute. */
  code: string;
}

async function* files(rel: string): AsyncGenerator<string> {
  const url = new URL(rel, ROOT);
  const stat = await Deno.stat(url);
  if (stat.isFile) {
    yield rel;
    return;
  }
  const names = [...Deno.readDirSync(url)].sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of names) {
    if (e.isDirectory) yield* files(`${rel}${e.name}/`);
    else if (e.name.endsWith(".ts")) yield `${rel}${e.name}`;
  }
}

/** The ```ts blocks of `text`: from JSDoc comments in a .ts file, from the text in Markdown. */
function examples(rel: string, text: string): Example[] {
  const out: Example[] = [];
  const lines = text.split("\n");
  const markdown = rel.endsWith(".md");
  const prefix = markdown ? /^\s*/ : /^\s*\*\s?/;
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i].match(
      markdown ? /^\s*```(ts|typescript)(\s.*)?$/ : /^\s*\*\s?```(ts|typescript|js)(\s.*)?$/,
    );
    if (!open) continue;
    const attrs = (open[2] ?? "").trim().split(/\s+/);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*(\*\s?)?```\s*$/.test(lines[j]); j++) {
      body.push(lines[j].replace(prefix, ""));
    }
    if (!attrs.includes("ignore")) {
      out.push({ where: `${rel}:${i + 1}`, code: absolute(rel, body.join("\n")) });
    }
    i = j;
  }
  return out;
}

/** The package's entries (deno.json `exports`), as "." and "./sub" to a file. */
const EXPORTS: Record<string, string> = JSON.parse(
  await Deno.readTextFile(new URL("deno.json", ROOT)),
).exports;

/** Points relative specifiers at the documented file, and the package's entries at theirs. */
function absolute(rel: string, code: string): string {
  const base = new URL(rel, ROOT);
  return code.replace(
    /(\bfrom\s*|\bimport\s*\(?\s*)(["'])([^"']+)\2/g,
    (all, head: string, q: string, spec: string) => {
      const entry = spec.match(/^(?:jsr:)?@h4\/h4mk(\/[a-z]+)?$/);
      if (entry && EXPORTS[`.${entry[1] ?? ""}`]) {
        return `${head}${q}${new URL(EXPORTS[`.${entry[1] ?? ""}`], ROOT).href}${q}`;
      }
      if (spec.startsWith("./") || spec.startsWith("../")) {
        return `${head}${q}${new URL(spec, base).href}${q}`;
      }
      return all;
    },
  );
}

const dir = await Deno.makeTempDir({ prefix: "h4mk-doc-examples-" });
const all: Example[] = [];
for (const src of SOURCES) {
  for await (const rel of files(src)) {
    if (SKIP.some((r) => r.test(rel))) continue;
    all.push(...examples(rel, await Deno.readTextFile(new URL(rel, ROOT))));
  }
}

Deno.test("doc examples: found in every part of the project", () => {
  assert.ok(all.length > 300, `only ${all.length} examples found`);
  for (const part of ["mod.ts", "lib/format/", "lib/seek/", "lib/living/", "lib/server/"]) {
    assert.ok(all.some((e) => e.where.startsWith(part)), `no example in ${part}`);
  }
});

for (const [k, e] of all.entries()) {
  Deno.test({
    name: `doc example ${e.where}`,
    async fn() {
      const file = `${dir}/example_${k}.ts`;
      await Deno.writeTextFile(file, e.code);
      // Examples print what they show; the test output keeps to results.
      const { log, info } = console;
      console.log = console.info = () => {};
      try {
        await import(new URL(`file://${file}`).href);
      } finally {
        console.log = log;
        console.info = info;
      }
    },
  });
}

Deno.test("doc examples: temporary modules removed", async () => {
  await Deno.remove(dir, { recursive: true });
});
