/**
 * Generates the conformance vectors into `conformance/vectors/` (`format/` and `legacy/`):
 *
 *     deno task vectors                       # regenerate in place
 *     deno run -A conformance/gen_vectors.ts OUTDIR [LEGACY_DIR]
 *
 * Every vector is a named function in `conformance/gen/*_vectors.ts` with a comment saying why
 * it exists; its name is the file name. (The cipher and recipient vectors, `cipher/` and
 * `recipients/`, have generators of their own in `conformance/gen/cipher_vectors.ts` and
 * `recipient_vectors.ts`, crafted with the same builder.) Output is deterministic: `vectors_test.ts` regenerates
 * into a temporary folder and requires byte-identical files. The original writer's samples come
 * from `testdata/legacy-v1/` in the repository (they and their variants go to `legacy/`;
 * everything crafted goes to `format/`); without that folder `legacy/` is left as it is.
 *
 * @module
 */

import { sha256 } from "../lib/hash/sha256.ts";
import { hex } from "./builder/fields.ts";
import type { GeneratedVector, VectorFn } from "./gen/common.ts";
import { LEGACY_VECTORS } from "./gen/legacy_vectors.ts";
import { loadSamples, sampleVectors } from "./gen/shared_legacy.ts";
import { STRUCTURE_VECTORS } from "./gen/structure_vectors.ts";
import { TABLE_VECTORS } from "./gen/table_vectors.ts";
import { CONTENT_VECTORS } from "./gen/content_vectors.ts";
import { VALID_VECTORS } from "./gen/valid_vectors.ts";
import { SIGNATURE_VECTORS } from "./gen/signature_vectors.ts";
import type { Expectation } from "./vectors.ts";

export type { Expectation, GeneratedVector, VectorFn };

/** Default output folder. */
export const VECTORS_DIR: string = new URL("./vectors", import.meta.url).pathname;
/** Default folder of the original writer's samples (`testdata/legacy-v1/`). */
export const LEGACY_SAMPLES_DIR: string =
  new URL("../testdata/legacy-v1", import.meta.url).pathname;

/** Every vector function, in generation order. */
export const VECTOR_FUNCTIONS: readonly VectorFn[] = [
  ...VALID_VECTORS,
  ...STRUCTURE_VECTORS,
  ...TABLE_VECTORS,
  ...CONTENT_VECTORS,
  ...LEGACY_VECTORS,
  ...SIGNATURE_VECTORS,
];

/** Folders below the output folder that the generator owns (and cleans). */
export const GENERATED_GROUPS = ["format", "legacy"] as const;

const KEY_ORDER: (keyof Expectation)[] = [
  "class",
  "rules",
  "description",
  "expect_error",
  "error_class",
  "also_accept",
  "read_args",
  "source",
  "file_sha256",
  "result",
  "seeks",
];

/** The expectation file's text: keys in a fixed order, two-space indent, final newline. */
export function expectationText(e: Expectation): string {
  const o: Record<string, unknown> = {};
  for (const k of KEY_ORDER) if (e[k] !== undefined) o[k] = e[k];
  return JSON.stringify(o, null, 2) + "\n";
}

/** Every generated vector by name (samples included when `samplesDir` exists). */
export async function allVectors(samplesDir: string | null): Promise<Map<string, GeneratedVector>> {
  const out = new Map<string, GeneratedVector>();
  const add = (name: string, v: GeneratedVector) => {
    if (out.has(name)) throw new Error(`duplicate vector name ${name}`);
    out.set(name, v);
  };
  for (const f of VECTOR_FUNCTIONS) {
    const r = await f();
    if ("exp" in r && "bytes" in r) add(f.name, r as GeneratedVector);
    else for (const [suffix, v] of Object.entries(r)) add(`${f.name}_${suffix}`, v);
  }
  if (samplesDir !== null) {
    for (const [name, v] of Object.entries(sampleVectors(await loadSamples(samplesDir)))) {
      add(name, v);
    }
  }
  return out;
}

async function exists(p: string): Promise<boolean> {
  try {
    await Deno.stat(p);
    return true;
  } catch {
    return false;
  }
}

async function* files(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory) yield* files(`${dir}/${e.name}`);
    else yield `${dir}/${e.name}`;
  }
}

/** Writes a file through a temporary name in the same folder. */
async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.tmp`;
  if (typeof data === "string") await Deno.writeTextFile(tmp, data);
  else await Deno.writeFile(tmp, data);
  await Deno.rename(tmp, path);
}

/** Result of a generation. */
export interface GenerateSummary {
  /** Vectors written. */
  written: number;
  /** Stale files removed. */
  removed: string[];
  /** Whether the original writer's samples were available. */
  samples: boolean;
}

/**
 * Generates every vector into `outDir/<group>/`. Files of those folders that no vector produces
 * are removed, except the legacy samples and their variants when `samplesDir` is missing.
 */
export async function generateVectors(
  outDir: string = VECTORS_DIR,
  samplesDir: string = LEGACY_SAMPLES_DIR,
): Promise<GenerateSummary> {
  const haveSamples = await exists(samplesDir);
  const vectors = await allVectors(haveSamples ? samplesDir : null);
  const keep = new Set<string>();
  for (const g of GENERATED_GROUPS) await Deno.mkdir(`${outDir}/${g}`, { recursive: true });
  for (const [name, v] of vectors) {
    const base = `${outDir}/${v.group}/${name}`;
    v.exp.file_sha256 = hex(sha256(v.bytes));
    await writeAtomic(`${base}.h4mk`, v.bytes);
    await writeAtomic(`${base}.json`, expectationText(v.exp));
    keep.add(`${base}.h4mk`).add(`${base}.json`);
    for (const [rel, text] of Object.entries(v.extra ?? {})) {
      const p = `${outDir}/${v.group}/${rel}`;
      await Deno.mkdir(p.slice(0, p.lastIndexOf("/")), { recursive: true });
      await writeAtomic(p, text);
      keep.add(p);
    }
  }
  const removed: string[] = [];
  for (const g of GENERATED_GROUPS) {
    // Without the samples folder the legacy vectors cannot be regenerated: keep them.
    if (g === "legacy" && !haveSamples) continue;
    for await (const p of files(`${outDir}/${g}`)) {
      if (keep.has(p)) continue;
      await Deno.remove(p);
      removed.push(p);
    }
  }
  return { written: vectors.size, removed, samples: haveSamples };
}

if (import.meta.main) {
  const [out, samples] = Deno.args;
  const s = await generateVectors(out ?? VECTORS_DIR, samples ?? LEGACY_SAMPLES_DIR);
  console.log(
    `${s.written} vectors written to ${out ?? VECTORS_DIR}${
      s.samples ? "" : " (legacy samples folder not found: sample vectors left as they are)"
    }${s.removed.length ? `; removed ${s.removed.length} stale files` : ""}`,
  );
}
