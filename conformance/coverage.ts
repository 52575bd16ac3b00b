/**
 * Rule coverage: which SPEC.md rule ids the vectors exercise, which the allowlist maps to named
 * tests, and which nothing covers. Used by coverage_test.ts and by `deno run coverage.ts`,
 * which prints the table.
 *
 * @module
 */

/** Rule ids in SPEC.md, in order of first appearance. */
export function specRules(spec: string): string[] {
  const out: string[] = [];
  for (const m of spec.matchAll(/\[(H4-[A-Z]+-[0-9]+)\]/g)) if (!out.includes(m[1])) out.push(m[1]);
  return out;
}

function collectRules(v: unknown, into: Set<string>): void {
  if (Array.isArray(v)) { for (const x of v) collectRules(x, into); }
  else if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      if (k === "rules" && Array.isArray(x)) {
        for (const r of x) if (typeof r === "string") into.add(r);
      } else if (k !== "result" && k !== "seeks") collectRules(x, into);
    }
  }
}

/** Vector names by rule id, from every `.json` below `dir` (expectations, and any `rules`
 * array of other JSON files such as known-answer files). */
export async function vectorRules(dir: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const walk = async (d: string, rel: string): Promise<void> => {
    const entries: Deno.DirEntry[] = [];
    for await (const e of Deno.readDir(d)) entries.push(e);
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (e.isDirectory) await walk(`${d}/${e.name}`, `${rel}${e.name}/`);
      else if (e.name.endsWith(".json")) {
        const rules = new Set<string>();
        collectRules(JSON.parse(await Deno.readTextFile(`${d}/${e.name}`)), rules);
        for (const r of rules) {
          if (!out.has(r)) out.set(r, []);
          out.get(r)!.push(`${rel}${e.name.slice(0, -5)}`);
        }
      }
    }
  };
  await walk(dir, "");
  return out;
}

/** The allowlist: rule id → "FILE: test name". */
export async function allowlist(path: string): Promise<Record<string, string>> {
  return (JSON.parse(await Deno.readTextFile(path)) as { rules: Record<string, string> }).rules;
}

/** Coverage of every rule. */
export interface Coverage {
  /** Rule id. */
  rule: string;
  /** Vectors naming it. */
  vectors: string[];
  /** Allowlisted test, if any. */
  test: string | null;
}

/** Coverage of SPEC.md's rules by the vectors in `dir` and the allowlist. */
export async function coverage(
  specPath: string,
  dir: string,
  allowPath: string,
): Promise<Coverage[]> {
  const rules = specRules(await Deno.readTextFile(specPath));
  const byRule = await vectorRules(dir);
  const allow = await allowlist(allowPath);
  return rules.map((rule) => ({
    rule,
    vectors: byRule.get(rule) ?? [],
    test: allow[rule] ?? null,
  }));
}

if (import.meta.main) {
  const here = new URL(".", import.meta.url).pathname;
  const cov = await coverage(
    `${here}../SPEC.md`,
    `${here}vectors`,
    `${here}coverage_allowlist.json`,
  );
  for (const c of cov) {
    const by = c.vectors.length
      ? `${c.vectors.length} vectors`
      : c.test
      ? `test ${c.test}`
      : "NOT COVERED";
    console.log(`${c.rule.padEnd(12)} ${by}`);
  }
}
