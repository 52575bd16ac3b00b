/**
 * lib/living's place in the layers: it builds on lib/format, lib/seek and lib/hash only, and it
 * generates no vectors (issue 17). The cipher and recipient vector generators live in
 * conformance/gen/, above lib/living, where they use the conformance builder; lib/living never
 * imports them (its tests read the committed vector files as data).
 */
import assert from "node:assert/strict";

const HERE = new URL("./", import.meta.url);
const LIB = new URL("../", import.meta.url);
/** The folders of lib/ that lib/living may import from. */
const BELOW = ["format", "seek", "hash", "living"];
/** Packages lib/living may import. */
const PACKAGES = /^(@noble\/|node:|npm:|fast-check$)/;

async function* files(dir: URL): AsyncGenerator<URL> {
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory) yield* files(new URL(`${e.name}/`, dir));
    else if (e.name.endsWith(".ts")) yield new URL(e.name, dir);
  }
}

/** The module specifiers of `text`'s static and dynamic imports and re-exports. */
function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*"([^"]+)"/g)) out.push(m[1]);
  return out;
}

Deno.test("layering: the scanner finds imports, re-exports and dynamic imports", () => {
  assert.deepEqual(
    specifiers('import { a } from "./a.ts";\nexport { b } from "./b.ts";\nawait import("c");'),
    ["./a.ts", "./b.ts", "c"],
  );
});

Deno.test("layering: lib/living imports only lib/format, lib/seek, lib/hash and itself", async () => {
  const stray: string[] = [];
  for await (const file of files(HERE)) {
    const rel = file.pathname.slice(LIB.pathname.length);
    for (const s of specifiers(await Deno.readTextFile(file))) {
      if (PACKAGES.test(s)) continue;
      const target = new URL(s, file).pathname;
      const top = target.startsWith(LIB.pathname)
        ? target.slice(LIB.pathname.length).split("/")[0]
        : null;
      if (top === null || !BELOW.includes(top)) stray.push(`lib/${rel}: ${s}`);
    }
  }
  assert.deepEqual(stray, []);
});

Deno.test("layering: lib/living generates no vectors (conformance/gen/ does)", async () => {
  const generators: string[] = [];
  for await (const file of files(HERE)) {
    const name = file.pathname.split("/").pop()!;
    if (/^gen_/.test(name)) generators.push(name);
  }
  assert.deepEqual(generators, []);
});
