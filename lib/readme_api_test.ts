/**
 * README.md's API table lists exactly what each entry of deno.json's `exports` exports, as
 * `deno doc --json` sees it: every name of every entry, no other. After changing an entry,
 * `deno test -A lib/readme_api_test.ts -- --update` rewrites the table (names grouped by the file
 * that declares them), then `deno fmt README.md` aligns it.
 *
 * @module
 */
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);
const BEGIN = "<!-- api-table: begin (lib/readme_api_test.ts) -->";
const END = "<!-- api-table: end -->";
const PACKAGE = "@h4/h4mk";

/** deno.json's `exports`: "." and "./sub" to the entry file. */
async function entries(): Promise<Record<string, string>> {
  return JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT))).exports;
}

/** The import specifier of an entry: `@h4/h4mk` or `@h4/h4mk/sub`. */
function specifier(sub: string): string {
  return sub === "." ? PACKAGE : `${PACKAGE}${sub.slice(1)}`;
}

/** `deno doc --json` of one file (alone: given several, it names a symbol the others re-export
 * after the first file that exports it). */
async function docOf(file: string): Promise<{ name: string; declaredIn: string }[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", file],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const doc = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    nodes: Record<string, {
      symbols: { name: string; declarations: { location: { filename: string } }[] }[];
    }>;
  };
  const node = doc.nodes[new URL(file, ROOT).href];
  assert.ok(node, `deno doc gave nothing for ${file}`);
  return node.symbols.map((s) => ({
    name: s.name,
    declaredIn: s.declarations[0].location.filename.slice(ROOT.href.length),
  }));
}

/** For each entry's specifier, its exported names with the file declaring each, in order. */
async function exported(): Promise<Map<string, { name: string; declaredIn: string }[]>> {
  const ex = Object.entries(await entries());
  const docs = await Promise.all(ex.map(([, file]) => docOf(file.replace(/^\.\//, ""))));
  return new Map(ex.map(([sub], i) => [specifier(sub), docs[i]]));
}

/** The names README's table gives each entry. */
function documented(readme: string): Map<string, string[]> {
  const begin = readme.indexOf(BEGIN), end = readme.indexOf(END);
  assert.ok(begin >= 0 && end > begin, `README.md has no "${BEGIN}" ... "${END}" table`);
  const out = new Map<string, string[]>();
  for (const line of readme.slice(begin + BEGIN.length, end).split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    if (cells.length < 4 || !cells[1].startsWith("`@")) continue;
    const entry = cells[1].replaceAll("`", "");
    const names = [...cells[2].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    out.set(entry, [...(out.get(entry) ?? []), ...names]);
  }
  return out;
}

/** The table as `--update` writes it: a row per entry and declaring file. */
function table(all: Map<string, { name: string; declaredIn: string }[]>): string {
  const rows = ["| entry | names | declared in |", "| --- | --- | --- |"];
  for (const [entry, names] of all) {
    const byFile = new Map<string, string[]>();
    for (const { name, declaredIn: f } of names) byFile.set(f, [...(byFile.get(f) ?? []), name]);
    for (const [file, group] of byFile) {
      rows.push(`| \`${entry}\` | ${group.map((n) => `\`${n}\``).join(", ")} | \`${file}\` |`);
    }
  }
  return rows.join("\n");
}

Deno.test("README.md: the API table lists exactly the names of every entry", async () => {
  const readmeUrl = new URL("README.md", ROOT);
  const readme = await Deno.readTextFile(readmeUrl);
  const all = await exported();
  if (Deno.args.includes("--update")) {
    const begin = readme.indexOf(BEGIN), end = readme.indexOf(END);
    assert.ok(begin >= 0 && end > begin, `README.md has no "${BEGIN}" ... "${END}" table`);
    await Deno.writeTextFile(
      readmeUrl,
      `${readme.slice(0, begin + BEGIN.length)}\n\n${table(all)}\n\n${readme.slice(end)}`,
    );
    return;
  }
  const listed = documented(readme);
  assert.deepEqual([...listed.keys()].sort(), [...all.keys()].sort(), "entries");
  for (const [entry, names] of all) {
    assert.deepEqual(
      [...(listed.get(entry) ?? [])].sort(),
      names.map((n) => n.name).sort(),
      `README.md's names of ${entry}`,
    );
  }
});

Deno.test("the package's main entry stays small: at most about 40 names", async () => {
  const all = await exported();
  assert.ok(all.get(PACKAGE)!.length <= 45, `${PACKAGE} exports ${all.get(PACKAGE)!.length}`);
});
