import assert from "node:assert/strict";
import { commandImplementation } from "./impl.ts";
import { DEFAULT_VECTORS_DIR, runVectors } from "./runner.ts";
import { loadVectors } from "./vectors.ts";

/**
 * The Python LivingCipher reader (conformance/spec_reader/living_read.py: SPEC.md sections 12
 * and 12.16 with its own X25519 and ChaCha20-Poly1305, on top of h4mk_read.py) run as an
 * implementation over every recipient vector and a sample of the cipher vectors (all 50 pass
 * too, run by hand: a process per vector makes the whole set slow for the test suite).
 * Skipped, visibly, without python3.
 */
const CIPHER_SAMPLE = new Set([
  "cipher/v_basic",
  "cipher/v_epoch_key_0",
  "cipher/n_wrong_key",
  "cipher/n_forged_modified_meta",
  "cipher/n_ad_pts",
  "cipher/n_transcript_resealed",
]);
const READER = new URL("./spec_reader/living_read.py", import.meta.url).pathname;

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

const available = await hasPython();
if (!available) console.warn("spec_reader_living_test: python3 missing: SKIPPED");

Deno.test({
  name: "spec reader (Python, sections 12 and 12.16): every recipient vector, cipher sample",
  ignore: !available,
  fn: async () => {
    const impl = commandImplementation(`python3 ${READER}`, 60_000, "living_read");
    const vs = (await loadVectors(DEFAULT_VECTORS_DIR)).filter((v) =>
      v.name.startsWith("recipients/") || CIPHER_SAMPLE.has(v.name)
    );
    assert.equal(vs.filter((v) => CIPHER_SAMPLE.has(v.name)).length, CIPHER_SAMPLE.size);
    assert.ok(vs.filter((v) => v.name.startsWith("recipients/")).length >= 20);
    const results = await runVectors(impl, vs, { jobs: 2, noSeeks: true });
    const bad = results.filter((r) => r.verdict !== "pass" && r.verdict !== "soft");
    assert.deepEqual(bad.map((r) => `${r.vector}: ${r.verdict}: ${r.detail}`), []);
  },
});
