import assert from "node:assert/strict";
import { commandImplementation } from "./impl.ts";
import { DEFAULT_VECTORS_DIR, runVectors } from "./runner.ts";
import { loadVectors } from "./vectors.ts";

/**
 * The standalone Python reader (conformance/spec_reader/, written from SPEC.md alone) run as an
 * implementation: it must read every valid vector. It does not implement section 12, so the
 * vectors read with a key (read_args) are left out. Skipped, visibly, without python3.
 */
const READER = new URL("./spec_reader/h4mk_read.py", import.meta.url).pathname;

async function hasPython(): Promise<boolean> {
  try {
    const o = await new Deno.Command("python3", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return o.success;
  } catch {
    return false;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await Deno.stat(p);
    return true;
  } catch {
    return false;
  }
}

const available = (await hasPython()) && (await exists(READER));
if (!available) {
  console.warn(
    "spec_reader_test: python3 or conformance/spec_reader/h4mk_read.py missing: SKIPPED",
  );
}

Deno.test({
  name: "spec reader (Python): reads every valid vector with the expected result",
  ignore: !available,
  fn: async () => {
    const impl = commandImplementation(`python3 ${READER}`, 20_000, "spec_reader");
    const vs = (await loadVectors(DEFAULT_VECTORS_DIR)).filter((v) =>
      v.exp.class === "valid" && !v.exp.read_args
    );
    assert.ok(vs.length >= 40, `${vs.length} valid vectors`);
    // Seek queries spawn one process each: check them on a sample, reads on every vector.
    const sample = new Set([
      "legacy/two-tracks",
      "format/y_seek_equal_pts",
      "format/y_v2_negative_pts",
      "format/y_sek_thinned_audio",
    ]);
    const reads = await runVectors(impl, vs.filter((v) => !sample.has(v.name)), {
      jobs: 2,
      noSeeks: true,
    });
    const seeks = await runVectors(impl, vs.filter((v) => sample.has(v.name)), { jobs: 2 });
    const bad = [...reads, ...seeks].filter((r) => r.verdict !== "pass");
    assert.deepEqual(bad.map((r) => `${r.vector}: ${r.verdict}: ${r.detail}`), []);
  },
});
