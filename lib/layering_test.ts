/**
 * The layers of lib/ (README "Layout"): lib/format and lib/hash at the bottom (bytes in, bytes
 * out; hash takes only format's error type), lib/seek on them, lib/living and lib/io beside each
 * other above it, lib/media, lib/web, lib/manifest and lib/server above those, lib/cli on top.
 * Fails when a file of lib/ imports a folder its layer may not see (JSDoc examples excluded).
 */
import assert from "node:assert/strict";

const LIB = new URL("./", import.meta.url);

/** What each folder of lib/ may import besides itself. */
const MAY_IMPORT: Record<string, string[]> = {
  format: ["hash"],
  hash: ["format"],
  seek: ["format", "hash"],
  living: ["format", "hash", "seek"],
  io: ["format", "hash", "seek"],
  media: ["format", "hash", "seek", "io", "living"],
  manifest: ["format", "hash", "seek", "io", "living", "media"],
  web: ["format", "hash", "seek", "io", "living", "media"],
  server: ["format", "hash", "seek", "io", "living", "media", "manifest", "web"],
};

async function* files(dir: URL): AsyncGenerator<URL> {
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory && e.name !== "dist") yield* files(new URL(`${e.name}/`, dir));
    else if (e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) yield new URL(e.name, dir);
  }
}

/** The relative specifiers of `text`'s imports and re-exports, outside comments. */
function specifiers(text: string): string[] {
  const code = text.replace(/^\s*\*.*$/gm, "").replace(/^\s*\/\/.*$/gm, "");
  return [...code.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*"(\.[^"]*)"/g)].map((m) => m[1]);
}

Deno.test("layering: the scanner finds imports and skips JSDoc examples", () => {
  assert.deepEqual(
    specifiers(
      'import { a } from "./a.ts";\n * import { x } from "../x.ts";\nawait import("../c.ts");',
    ),
    ["./a.ts", "../c.ts"],
  );
});

Deno.test("layering: every folder of lib/ imports only the layers below it", async () => {
  const stray: string[] = [];
  for (const [area, allowed] of Object.entries(MAY_IMPORT)) {
    for await (const file of files(new URL(`${area}/`, LIB))) {
      for (const s of specifiers(await Deno.readTextFile(file))) {
        const target = new URL(s, file).pathname;
        const top = target.startsWith(LIB.pathname)
          ? target.slice(LIB.pathname.length).split("/")[0]
          : target;
        if (top !== area && !allowed.includes(top)) {
          stray.push(`${file.pathname.slice(LIB.pathname.length)}: ${s}`);
        }
      }
    }
  }
  assert.deepEqual(stray, []);
});
