import assert from "node:assert/strict";
import { ourImplementation } from "./adapter.ts";
import type { Implementation } from "./impl.ts";
import type { VectorResult } from "./judge.ts";
import { DEFAULT_VECTORS_DIR, runConformanceCli, runVectors } from "./runner.ts";
import type { RunReport } from "./report.ts";
import { loadVectors, type Vector } from "./vectors.ts";
import { brokenCrcImplementation } from "./testdata/broken_crc.ts";
import { brokenSeekImplementation } from "./testdata/broken_seek.ts";
import { brokenTruncationImplementation } from "./testdata/broken_truncation.ts";
import { BROKEN_RULES, brokenRuleImplementation } from "./testdata/broken_rules.ts";

/**
 * Which vectors catch each deliberately broken adapter (conformance/testdata/broken_*.ts),
 * beyond those our own reader fails. Regenerate the pin after adding vectors with:
 *   deno test -A conformance/broken_test.ts -- --update
 */
const PIN = new URL("./testdata/broken_catches.json", import.meta.url);
const UPDATE = Deno.args.includes("--update");

const vectors = await loadVectors(DEFAULT_VECTORS_DIR);
const failing = (rs: VectorResult[]) =>
  rs.filter((r) => r.verdict !== "pass" && r.verdict !== "soft").map((r) => r.vector);
const ourResults = await runVectors(ourImplementation(), vectors);
const ours = new Set(failing(ourResults));
/** Vectors our own reader does not pass exactly (soft included), left out of the catches below. */
const oursInexact = new Set(ourResults.filter((r) => r.verdict !== "pass").map((r) => r.vector));
const pins = JSON.parse(await Deno.readTextFile(PIN)) as Record<string, string[]>;
const found: Record<string, string[]> = {};

async function caught(impl: Implementation, vs: Vector[] = vectors): Promise<string[]> {
  return failing(await runVectors(impl, vs)).filter((v) => !ours.has(v));
}

function checkPin(name: string, got: string[]): void {
  found[name] = got;
  if (UPDATE) return;
  const want = pins[name] ?? [];
  const missing = want.filter((v) => !got.includes(v));
  const extra = got.filter((v) => !want.includes(v));
  assert.deepEqual(
    { missing, extra },
    { missing: [], extra: [] },
    `${name}: pinned catches changed (see ${PIN.pathname})`,
  );
}

Deno.test("broken adapter that ignores CRCs: caught by exactly the H4_CRC_MISMATCH vectors", async () => {
  const got = await caught(brokenCrcImplementation());
  checkPin("broken_crc", got);
  const crc = vectors.filter((v) => v.exp.expect_error === "H4_CRC_MISMATCH").map((v) => v.name);
  assert.deepEqual(got, crc);
  assert.ok(
    got.includes("format/n_fmt011_crc_loca") && got.includes("format/n_fmt011_crc_legacy_core"),
  );
});

Deno.test("broken adapter whose seek is off by one: caught by every file with a seek at a keyframe's pts", async () => {
  const got = await caught(brokenSeekImplementation());
  checkPin("broken_seek", got);
  for (
    const v of [
      "legacy/single-track",
      "format/y_v2_two_tracks",
      "format/y_seek_equal_pts",
      "format/y_v2_negative_pts",
    ]
  ) {
    assert.ok(got.includes(v), v);
  }
  // It reads files correctly: no invalid vector catches it.
  assert.deepEqual(
    got.filter((v) => vectors.find((x) => x.name === v)!.exp.class === "invalid"),
    [],
  );
});

Deno.test("broken adapter that accepts truncated files: caught by every truncation vector", async () => {
  const got = await caught(brokenTruncationImplementation());
  checkPin("broken_truncation", got);
  const cuts = vectors.filter((v) =>
    /\/n_trunc_|_cut_(?:before|after|in)_|last_byte_missing|n_fmt001_(?:empty_file|magic_only|header_7_bytes)/
      .test(v.name) && v.exp.class === "invalid"
  );
  assert.ok(cuts.length >= 60, `${cuts.length} truncation vectors`);
  assert.deepEqual(cuts.map((v) => v.name).filter((n) => !got.includes(n)), []);
});

Deno.test("broken adapters run as commands are caught the same way (sample)", async () => {
  const deno = Deno.execPath();
  const here = new URL(".", import.meta.url).pathname;
  const log = console.log;
  let out = "";
  console.log = (...a: unknown[]) => void (out += a.join(" ") + "\n");
  try {
    const code = await runConformanceCli([
      "--impl",
      `${deno} run -A ${here}testdata/broken_seek.ts`,
      "--impl",
      `${deno} run -A ${here}testdata/broken_truncation.ts`,
      "--filter",
      "/legacy\\/single-track$|n_trunc_v2_before_meta$/",
      "--json",
    ]);
    assert.equal(code, 1);
  } finally {
    console.log = log;
  }
  const [seek, trunc] = (JSON.parse(out) as RunReport).implementations;
  const v = (r: typeof seek) => Object.fromEntries(r.results.map((x) => [x.vector, x.verdict]));
  assert.deepEqual(v(seek), {
    "format/n_trunc_v2_before_meta": "pass",
    "legacy/single-track": "fail",
  });
  assert.deepEqual(v(trunc), {
    "format/n_trunc_v2_before_meta": "fail",
    "legacy/single-track": "pass",
  });
});

/** Vectors each rule-skipping reader must be caught by (a verdict other than pass). */
const MUST_CATCH: Record<string, string[]> = {
  "varint-cap": ["format/n_enc001_bidx_head_above_2_53"],
  trailing: ["format/n_fmt012_legacy_trailing_1", "format/n_fmt012_legacy_trailing_11"],
  "empty-chunks": ["format/n_idx004_empty_segm_at_end", "format/n_loc004_chunks_exceed_blocks"],
  "header-copy": [
    "format/n_fmt001_loca_copy_bad_magic",
    "format/n_fmt002_loca_copy_version",
    "format/n_fmt002_loca_copy_version_3",
  ],
  "swapped-codes": ["format/n_idx002_page_trailing_byte", "format/n_tdr001_truncated"],
  // H4-LC-014: the key check's vectors see the AEAD's code instead (soft without --strict-codes,
  // which a summary never reports as a plain CONFORMS).
  "key-check": [
    "cipher/n_wrong_key",
    "cipher/n_livc_key_check_bitflip",
    "cipher/n_livc_container_id_bitflip",
    "cipher/n_epoch_key_relabelled",
  ],
};

for (const rule of BROKEN_RULES) {
  Deno.test(`broken reader that skips ${rule}: caught by the vectors of that rule`, async () => {
    const rs = await runVectors(brokenRuleImplementation(rule), vectors);
    const got = rs.filter((r) => r.verdict !== "pass" && !oursInexact.has(r.vector)).map((r) =>
      r.vector
    );
    checkPin(`broken_rules/${rule}`, got);
    assert.deepEqual(MUST_CATCH[rule].filter((v) => !got.includes(v)), []);
    if (rule === "varint-cap") {
      // The cap is caught outside length fields, where no other rule gives a code.
      const head = rs.find((r) => r.vector === "format/n_enc001_bidx_head_above_2_53")!;
      assert.equal(head.verdict, "fail");
    }
  });
}

Deno.test("a reader with only soft verdicts is never reported as a plain CONFORMS", async () => {
  const here = new URL(".", import.meta.url).pathname;
  const cmd = `${Deno.execPath()} run -A ${here}testdata/broken_rules.ts swapped-codes`;
  const run = async (extra: string[]) => {
    const log = console.log;
    let out = "";
    console.log = (...a: unknown[]) => void (out += a.join(" ") + "\n");
    try {
      const code = await runConformanceCli([
        "--impl",
        cmd,
        "--filter",
        "/n_idx002_page_trailing_byte$|n_tdr001_truncated$|n_fmt001_bad_magic$/",
        "--no-progress",
        ...extra,
      ]);
      return { code, out };
    } finally {
      console.log = log;
    }
  };
  const lenient = await run([]);
  assert.equal(lenient.code, 0);
  assert.doesNotMatch(lenient.out, /CONFORMS \(3 vectors\)\n/);
  assert.match(lenient.out, /CONFORMS \(3 vectors\), but 2 vectors rejected for another reason/);
  assert.match(lenient.out, /soft verdicts[^\n]*\n\s+format\/n_idx002_page_trailing_byte/);
  const strict = await run(["--strict-codes"]);
  assert.equal(strict.code, 1);
  assert.match(strict.out, /DOES NOT CONFORM \(3 vectors\), but 2 vectors rejected/);
});

if (UPDATE) {
  Deno.test("broken adapters: write the pin", async () => {
    await Deno.writeTextFile(PIN, JSON.stringify(found, null, 2) + "\n");
  });
}
