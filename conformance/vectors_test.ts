import assert from "node:assert/strict";
import { sha256 } from "../lib/hash/sha256.ts";
import { hex } from "./builder/fields.ts";
import {
  GENERATED_GROUPS,
  generateVectors,
  LEGACY_SAMPLES_DIR,
  VECTORS_DIR,
} from "./gen_vectors.ts";
import { checkExpectation, loadVectors } from "./vectors.ts";

async function exists(p: string): Promise<boolean> {
  try {
    await Deno.stat(p);
    return true;
  } catch {
    return false;
  }
}

async function listFiles(dir: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  if (!(await exists(dir))) return out;
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory) out.push(...await listFiles(`${dir}/${e.name}`, `${rel}${e.name}/`));
    else out.push(`${rel}${e.name}`);
  }
  return out.sort();
}

const haveSamples = await exists(LEGACY_SAMPLES_DIR);
if (!haveSamples) {
  console.warn(
    `vectors_test: ${LEGACY_SAMPLES_DIR} not found: legacy/ is not regenerated or compared`,
  );
}

Deno.test("vectors: regenerating gives the committed files byte for byte (deno task vectors)", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "h4mk-vectors-" });
  try {
    await generateVectors(tmp, LEGACY_SAMPLES_DIR);
    for (const g of GENERATED_GROUPS) {
      if (g === "legacy" && !haveSamples) continue;
      const want = await listFiles(`${tmp}/${g}`);
      const have = await listFiles(`${VECTORS_DIR}/${g}`);
      assert.deepEqual(
        have,
        want,
        `${g}/: committed files differ from generated ones: run deno task vectors`,
      );
      for (const f of want) {
        const a = await Deno.readFile(`${tmp}/${g}/${f}`);
        const b = await Deno.readFile(`${VECTORS_DIR}/${g}/${f}`);
        assert.ok(
          a.length === b.length && a.every((x, i) => x === b[i]),
          `${g}/${f} differs: run deno task vectors`,
        );
      }
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("vectors: every expectation is well formed and matches its file's SHA-256", async () => {
  const vs = await loadVectors(VECTORS_DIR);
  for (const v of vs) {
    assert.deepEqual(checkExpectation(v.exp), [], v.name);
    if (v.exp.file_sha256) {
      assert.equal(
        hex(sha256(await Deno.readFile(v.file))),
        v.exp.file_sha256,
        `${v.name}: file_sha256`,
      );
    }
  }
});

Deno.test("vectors: at least 150, most of them negative, including the legacy samples and the cipher vectors", async () => {
  const vs = await loadVectors(VECTORS_DIR);
  const count = (c: string) => vs.filter((v) => v.exp.class === c).length;
  assert.ok(vs.length >= 150, `${vs.length} vectors`);
  assert.ok(count("invalid") > vs.length / 2, `${count("invalid")} invalid of ${vs.length}`);
  for (const name of ["legacy/single-track", "legacy/two-tracks", "legacy/unicode-ids"]) {
    assert.ok(vs.some((v) => v.name === name), `${name} missing`);
  }
  assert.ok(vs.some((v) => v.name.startsWith("cipher/")), "no cipher vectors");
  assert.ok(vs.some((v) => v.name.startsWith("format/")), "no format vectors");
});

Deno.test("vectors: the legacy samples are the original writer's bytes, unchanged", {
  ignore: !haveSamples,
}, async () => {
  for (const name of ["single-track", "two-tracks", "unicode-ids"]) {
    const a = await Deno.readFile(`${LEGACY_SAMPLES_DIR}/${name}.h4mk`);
    const b = await Deno.readFile(`${VECTORS_DIR}/legacy/${name}.h4mk`);
    assert.deepEqual(b, a, name);
  }
});

Deno.test("vectors: every error condition of SPEC.md section 14 has an invalid vector (lookups: a seek query)", async () => {
  const spec = await Deno.readTextFile(new URL("../SPEC.md", import.meta.url));
  const section = spec.slice(spec.indexOf("## 14."), spec.indexOf("## 15."));
  const codes = [...section.matchAll(/`(H4_[A-Z_]+)`\s*\|\s*(\w+)/g)].filter((m) =>
    m[2] !== "lookup"
  ).map((m) => m[1]);
  const vs = await loadVectors(VECTORS_DIR);
  const used = new Set(vs.flatMap((v) => [v.exp.expect_error ?? "", ...(v.exp.also_accept ?? [])]));
  // H4_ENCRYPTED is what reading a block's payload without a key gives. The protocol's `read`
  // reports such blocks with sha256 null instead (y_legacy_encrypted, y_cod003_*_without_key).
  assert.ok(vs.some((v) => v.exp.class === "valid" && v.exp.result?.encrypted && !v.exp.read_args));
  assert.deepEqual(codes.filter((c) => !used.has(c) && c !== "H4_ENCRYPTED"), []);
  const lookups = new Set(vs.flatMap((v) => (v.exp.seeks ?? []).map((q) => q.expect_error ?? "")));
  assert.ok(lookups.has("H4_UNKNOWN_TRACK"));
});

Deno.test("vectors: a vector that accepts several codes breaks several rules (H4-FMT-015)", async () => {
  // One defect, one code: extra codes are only right when the file breaks the rules that name
  // them too. (The cipher vectors follow their own generator, conformance/gen/cipher_vectors.ts.)
  const vs = (await loadVectors(new URL("./vectors", import.meta.url).pathname)).filter((v) =>
    !v.name.startsWith("cipher/") && v.exp.class === "invalid" && v.exp.also_accept?.length
  );
  const bad = vs.filter((v) => v.exp.rules.length < 1 + v.exp.also_accept!.length)
    .map((v) => `${v.name}: ${v.exp.rules.length} rules, ${v.exp.also_accept!.length + 1} codes`);
  assert.deepEqual(bad, []);
});
