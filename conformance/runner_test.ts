import assert from "node:assert/strict";
import { ourImplementation } from "./adapter.ts";
import { loadVectors } from "./vectors.ts";
import { DEFAULT_VECTORS_DIR, parseRunArgs, runConformanceCli, runVectors } from "./runner.ts";
import type { RunReport } from "./report.ts";

/**
 * Vectors our own reader does not pass yet, with the reason (reported to the format lead).
 * The test below fails when one of them starts passing, so that this list stays honest.
 */
export const KNOWN_FAILURES: Record<string, string> = {};

async function capture(
  f: () => Promise<number>,
): Promise<{ code: number; out: string; err: string }> {
  const log = console.log, error = console.error;
  let out = "", err = "";
  console.log = (...a: unknown[]) => void (out += a.join(" ") + "\n");
  console.error = (...a: unknown[]) => void (err += a.join(" ") + "\n");
  try {
    return { code: await f(), out, err };
  } finally {
    console.log = log;
    console.error = error;
  }
}

Deno.test("runner: our implementation passes every vector (in process), known failures listed", async () => {
  const vs = await loadVectors(DEFAULT_VECTORS_DIR);
  const results = await runVectors(ourImplementation(), vs);
  const failing = results.filter((r) => r.verdict !== "pass" && r.verdict !== "soft");
  const unexpected = failing.filter((r) => !(r.vector in KNOWN_FAILURES));
  assert.deepEqual(unexpected.map((r) => `${r.vector}: ${r.verdict}: ${r.detail}`), []);
  const fixed = Object.keys(KNOWN_FAILURES).filter((k) => !failing.some((r) => r.vector === k));
  assert.deepEqual(fixed, [], "these now pass: remove them from KNOWN_FAILURES");
  assert.ok(results.filter((r) => r.verdict === "pass").length > 300);
});

Deno.test("runner: CLI exit status and JSON report", async () => {
  const ok = await capture(() =>
    runConformanceCli(["--filter", "legacy/single-track", "--class", "valid", "--json"])
  );
  assert.equal(ok.code, 0, ok.err);
  const report = JSON.parse(ok.out) as RunReport;
  assert.equal(report.vectors, 1);
  assert.equal(report.implementations[0].totals.valid.pass, 1);
  assert.equal(report.ok, true);

  const table = await capture(() =>
    runConformanceCli(["--filter", "/n_fmt001_(bad_magic|riff)$/"])
  );
  assert.equal(table.code, 0);
  assert.match(table.out, /pass\s+invalid\s+format\/n_fmt001_bad_magic\s+H4-FMT-001/);
  assert.match(table.out, /CONFORMS \(2 vectors\)/);

  const fail = await capture(() =>
    runConformanceCli([
      "--filter",
      "n_fmt011_crc_meta",
      "--impl",
      `${Deno.execPath()} run -A ${new URL("./testdata/broken_crc.ts", import.meta.url).pathname}`,
      "--failures",
    ])
  );
  assert.equal(fail.code, 1);
  assert.match(fail.out, /fail\s+invalid\s+format\/n_fmt011_crc_meta/);
});

Deno.test("runner: usage errors exit 2; --help exits 0", async () => {
  assert.equal((await capture(() => runConformanceCli(["--bogus"]))).code, 2);
  assert.equal((await capture(() => runConformanceCli(["--timeout", "0"]))).code, 2);
  assert.equal((await capture(() => runConformanceCli(["check"]))).code, 2);
  assert.equal((await capture(() => runConformanceCli(["--class", "maybe"]))).code, 2);
  const h = await capture(() => runConformanceCli(["--help"]));
  assert.equal(h.code, 0);
  assert.match(h.err, /adapter protocol/);
});

Deno.test("runner: parseRunArgs", () => {
  const o = parseRunArgs([
    "--impl",
    "a b",
    "--impl=builtin",
    "--filter",
    "x",
    "--jobs",
    "3",
    "--no-seeks",
    "--strict-codes",
  ]);
  assert.deepEqual(o.impls, ["a b", "builtin"]);
  assert.deepEqual(o.filters, ["x"]);
  assert.equal(o.jobs, 3);
  assert.ok(o.noSeeks && o.strictCodes && !o.json);
  assert.deepEqual(parseRunArgs(["check", "a.h4mk", "b.h4mk"]).check, ["a.h4mk", "b.h4mk"]);
});

const DENO = Deno.execPath();
const HERE = new URL(".", import.meta.url).pathname;

Deno.test("runner: a matrix of command implementations; the broken one is caught by the CRC vector", async () => {
  const r = await capture(() =>
    runConformanceCli([
      "--impl",
      `${DENO} run -A ${HERE}adapter.ts`,
      "--impl",
      `${DENO} run -A ${HERE}testdata/broken_crc.ts`,
      "--filter",
      "n_fmt011_crc_meta",
      "--filter",
      "y_v2_two_tracks",
      "--filter",
      "n_fmt001_bad_magic",
      "--no-seeks",
      "--json",
    ])
  );
  assert.equal(r.code, 1, r.err);
  const report = JSON.parse(r.out) as RunReport;
  const [good, broken] = report.implementations;
  assert.ok(good.ok, JSON.stringify(good.results.filter((x) => x.verdict !== "pass")));
  assert.equal(broken.ok, false);
  const verdicts = Object.fromEntries(broken.results.map((x) => [x.vector, x.verdict]));
  assert.deepEqual(verdicts, {
    "format/n_fmt001_bad_magic": "pass",
    "format/n_fmt011_crc_meta": "fail",
    "format/y_v2_two_tracks": "pass",
  });
  const text = await capture(() =>
    runConformanceCli([
      "--impl",
      `${DENO} run -A ${HERE}testdata/broken_crc.ts`,
      "--impl",
      "builtin",
      "--filter",
      "n_fmt011_crc_meta",
    ])
  );
  assert.match(text.out, /format\/n_fmt011_crc_meta\s+H4_CRC_MISMATCH\s+FAIL\s+ok/);
});

Deno.test("runner: a hanging implementation is killed at the timeout and reported", async () => {
  const r = await capture(() =>
    runConformanceCli([
      "--impl",
      `${DENO} run ${HERE}testdata/hang.ts`,
      "--timeout",
      "1",
      "--filter",
      "y_v2_two_tracks",
      "--json",
    ])
  );
  assert.equal(r.code, 1);
  const res = (JSON.parse(r.out) as RunReport).implementations[0].results[0];
  assert.equal(res.verdict, "timeout");
});

Deno.test("runner: output that is not the protocol is a crash, not a pass", async () => {
  const r = await capture(() =>
    runConformanceCli([
      "--impl",
      `${DENO} run ${HERE}testdata/garbage.ts`,
      "--filter",
      "/n_fmt001_bad_magic$|y_v2_two_tracks$/",
      "--json",
    ])
  );
  assert.equal(r.code, 1);
  const results = (JSON.parse(r.out) as RunReport).implementations[0].results;
  assert.deepEqual(results.map((x) => x.verdict), ["crash", "crash"]);
  assert.match(results[0].detail, /without an ERROR line|not one JSON value/);
});

Deno.test("runner: wrong-reason and soft verdicts", async () => {
  // An implementation that rejects everything with one code: right class for some vectors,
  // wrong for others.
  const impl = {
    name: "always H4_TRUNCATED",
    read: () => Promise.resolve({ status: "error" as const, code: "H4_TRUNCATED", message: "x" }),
    seek: () => Promise.resolve({ status: "error" as const, code: "H4_TRUNCATED", message: "x" }),
  };
  const vs = (await loadVectors(DEFAULT_VECTORS_DIR)).filter((v) =>
    [
      "format/n_fmt001_empty_file",
      "format/n_fmt001_bad_magic",
      "format/n_fmt014_tag_nul",
      "format/n_fmt011_crc_meta",
      "format/y_v2_two_tracks",
      "format/i_met001_meta_bom",
    ].includes(v.name)
  );
  const r = Object.fromEntries((await runVectors(impl, vs)).map((x) => [x.vector, x.verdict]));
  assert.deepEqual(r, {
    "format/i_met001_meta_bom": "pass",
    "format/n_fmt001_bad_magic": "wrong-reason", // the header codes are a class of their own
    "format/n_fmt001_empty_file": "pass",
    "format/n_fmt014_tag_nul": "soft",
    "format/n_fmt011_crc_meta": "wrong-reason",
    "format/y_v2_two_tracks": "fail",
  });
});

Deno.test("runner: --progress reports on stderr; soft verdicts keep a run from a plain CONFORMS", async () => {
  const r = await capture(() =>
    runConformanceCli(["--filter", "/n_fmt001_(bad_magic|riff)$/", "--progress"])
  );
  assert.equal(r.code, 0);
  assert.match(r.err, /h4mk conformance: [^\n]*: 2\/2 done, 0 not passing/);
  const quiet = await capture(() =>
    runConformanceCli(["--filter", "/n_fmt001_(bad_magic|riff)$/", "--no-progress"])
  );
  assert.equal(quiet.err, "");
});

Deno.test("runner: a seek answer may carry offset and stored_length (SPEC.md 10); wrong ones fail", async () => {
  const ours = ourImplementation();
  const vs = (await loadVectors(DEFAULT_VECTORS_DIR)).filter((v) =>
    v.name === "format/y_v2_two_tracks"
  );
  const withExtras = (delta: number) => ({
    ...ours,
    name: `extras ${delta}`,
    async seek(file: string, track: string, pts: number, args: string[] = []) {
      const o = await ours.seek(file, track, pts, args);
      if (o.status !== "ok") return o;
      const a = o.value as { core_index: number };
      const read = await ours.read(file, args);
      const block = (read as { value: { blocks: { stored_length: number }[] } }).value
        .blocks[a.core_index];
      return {
        status: "ok" as const,
        value: { ...a, offset: 20, stored_length: block.stored_length + delta },
      };
    },
  });
  assert.deepEqual((await runVectors(withExtras(0), vs)).map((r) => r.verdict), ["pass"]);
  const bad = await runVectors(withExtras(1), vs);
  assert.equal(bad[0].verdict, "fail");
  assert.match(bad[0].detail, /stored_length/);
});

Deno.test("runner: a reader that refuses every v2 file as H4_UNSUPPORTED_VERSION earns no soft pass", async () => {
  const ours = ourImplementation();
  const refuse = async (file: string) => {
    const b = await Deno.readFile(file);
    return b.length >= 6 && b[4] === 0 && b[5] === 2
      ? { status: "error" as const, code: "H4_UNSUPPORTED_VERSION", message: "v2" }
      : null;
  };
  const impl = {
    name: "refuses v2",
    read: async (f: string, a?: string[]) => (await refuse(f)) ?? ours.read(f, a),
    seek: async (f: string, t: string, p: number, a?: string[]) =>
      (await refuse(f)) ?? ours.seek(f, t, p, a),
  };
  const vs = (await loadVectors(DEFAULT_VECTORS_DIR)).filter((v) =>
    v.name.startsWith("format/") && v.exp.class === "invalid"
  );
  const results = await runVectors(impl, vs);
  // Soft only where a header code was expected (a bad magic reported as a bad version).
  const soft = results.filter((r) => r.verdict === "soft");
  assert.deepEqual(soft.filter((r) => !/\/n_fmt001_/.test(r.vector)).map((r) => r.vector), []);
  assert.ok(results.filter((r) => r.verdict === "wrong-reason").length > 150);
});
