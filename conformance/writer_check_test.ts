import assert from "node:assert/strict";
import { concat } from "../lib/format/bytes.ts";
import { craft, fileHeader, LEGACY_COMPRESSION } from "./builder/build.ts";
import { ourImplementation, parseBlocksJsonl } from "./adapter.ts";
import type { Implementation } from "./impl.ts";
import { runConformanceCli } from "./runner.ts";
import {
  blocksJsonl,
  runWriterChecks,
  writerBlockSets,
  writerPasses,
  writerText,
} from "./writer_check.ts";

Deno.test("writer checks: our writer passes every block set", async () => {
  const results = await runWriterChecks(ourImplementation());
  assert.deepEqual(
    results.filter((r) => r.verdict !== "pass").map((r) => `${r.set}: ${r.detail}`),
    [],
  );
  assert.equal(results.length, writerBlockSets().length);
});

/** How a test writer departs from SPEC.md. */
interface Breakage {
  reserved?: number;
  unsupportedV1?: boolean;
  unsupportedAll?: boolean;
  dropLast?: boolean;
  /** Write the original writer's layout (no LOCA) whatever the profile asked. */
  legacyLayout?: boolean;
  /** META.tracks in reverse order. */
  reverseTracks?: boolean;
  noVeri?: boolean;
  noSeek?: boolean;
  /** META.compression.engine of every file, even when no block is rle. */
  engine?: string;
  /** Every block in one SEGM, whatever its size. */
  oneSegment?: boolean;
}

/** A writer built on the builder (so a changed header still gets a consistent LOCA and root). */
function writer(name: string, opts: Breakage = {}): Implementation {
  return {
    name,
    read: () => Promise.reject(new Error("unused")),
    seek: () => Promise.reject(new Error("unused")),
    async write(input, out, args = []) {
      if (opts.unsupportedAll || (opts.unsupportedV1 && args.includes("v1"))) {
        return { status: "unsupported", detail: "UNSUPPORTED v1" };
      }
      let blocks = parseBlocksJsonl(await Deno.readTextFile(input));
      if (opts.dropLast) blocks = blocks.slice(0, -1);
      const v1 = args.includes("v1");
      const s = craft(blocks.map((b) => ({ ...b, kind: b.kind })), {
        profile: opts.legacyLayout ? "legacy" : v1 ? "v1" : "v2",
        noVeri: opts.noVeri,
        hooks: {
          ...(opts.reserved ? { header: () => fileHeader(v1 ? 1 : 2, opts.reserved) } : {}),
          meta: (m) => {
            if (opts.reverseTracks) m.tracks = [...(m.tracks as string[])].reverse();
            if (opts.engine) m.compression = { ...LEGACY_COMPRESSION, engine: opts.engine };
          },
          ...(opts.noSeek ? { chunks: (cs) => cs.filter((c) => c.tag !== "SEEK") } : {}),
          ...(opts.oneSegment
            ? {
              storage: (st, c) => [{
                tag: "SEGM",
                blocks: st.flatMap((x) => x.blocks),
                payload: concat(c.blocks.map((b) => b.stored)),
              }],
            }
            : {}),
        },
      });
      await Deno.writeFile(out, s.bytes);
      return { status: "ok", value: null };
    },
  };
}

Deno.test("writer checks: a writer that breaks a rule is caught under that rule", async () => {
  const sets = writerBlockSets().filter((s) => ["two-tracks", "v1-profile"].includes(s.name));
  const reserved = await runWriterChecks(writer("reserved", { reserved: 1 }), sets);
  assert.deepEqual(reserved.map((r) => [r.verdict, r.failures.map((f) => f.rule)]), [["fail", [
    "H4-FMT-003",
  ]], ["fail", ["H4-FMT-003"]]]);
  const lossy = await runWriterChecks(writer("drops a block", { dropLast: true }), sets);
  assert.deepEqual(lossy.map((r) => r.verdict), ["fail", "fail"]);
  assert.match(lossy[0].detail, /H4-IDX-006 \d+ blocks read back/);
  const v2only = await runWriterChecks(writer("no v1", { unsupportedV1: true }), sets);
  assert.deepEqual(v2only.map((r) => r.verdict), ["pass", "skip"]);
});

Deno.test("writer checks: BLOCKS.jsonl round trip", () => {
  const set = writerBlockSets().find((s) => s.name === "all-codecs")!;
  const back = parseBlocksJsonl(blocksJsonl(set.blocks));
  assert.deepEqual(
    back.map((b) => [b.track_id, b.pts_us, b.kind, b.keyframe, b.codec, b.payload.length]),
    set.blocks.map((b) => [b.track_id, b.pts_us, b.kind, b.keyframe, b.codec, b.payload.length]),
  );
});

const rules = (rs: Awaited<ReturnType<typeof runWriterChecks>>) =>
  rs.map((r) => [r.verdict, [...new Set(r.failures.map((f) => f.rule))]]);

Deno.test("writer checks: UNSUPPORTED is not a pass unless skips are allowed", async () => {
  const sets = writerBlockSets().filter((s) => s.name === "two-tracks");
  const rs = await runWriterChecks(writer("writes nothing", { unsupportedAll: true }), sets);
  assert.deepEqual(rs.map((r) => r.verdict), ["skip"]);
  assert.equal(writerPasses(rs), false);
  assert.equal(writerPasses(rs, true), true);
  assert.match(writerText("w", rs), /w: DOES NOT CONFORM/);
  assert.match(writerText("w", rs, { allowSkip: true }), /w: CONFORMS/);
});

Deno.test("writer checks: the original writer's layout fails, and its own writer rules are checked", async () => {
  const sets = writerBlockSets().filter((s) => ["two-tracks", "v1-profile"].includes(s.name));
  assert.deepEqual(rules(await runWriterChecks(writer("legacy", { legacyLayout: true }), sets)), [
    ["fail", ["H4-FMT-022"]],
    ["fail", ["H4-FMT-022"]],
  ]);
  const reversed = await runWriterChecks(
    writer("legacy, tracks reversed, no VERI", {
      legacyLayout: true,
      reverseTracks: true,
      noVeri: true,
    }),
    sets,
  );
  assert.deepEqual(rules(reversed), [
    ["fail", ["H4-INT-001", "H4-MET-002", "H4-FMT-022"]],
    ["fail", ["H4-INT-001", "H4-MET-002", "H4-FMT-022"]],
  ]);
});

Deno.test("writer checks: v1 without SEEK, a foreign compression engine, a segment over 16 MiB", async () => {
  const v1 = writerBlockSets().filter((s) => ["v1-profile", "v1-rle"].includes(s.name));
  assert.deepEqual(rules(await runWriterChecks(writer("no SEEK", { noSeek: true }), v1)), [
    ["fail", ["H4-FMT-024"]],
    ["fail", ["H4-FMT-024"]],
  ]);
  assert.deepEqual(rules(await runWriterChecks(writer("engine", { engine: "zstd" }), v1)), [
    ["fail", ["H4-MET-002"]],
    ["fail", ["H4-MET-002"]],
  ]);
  const big = writerBlockSets().filter((s) => s.name === "segment-bound");
  const one = await runWriterChecks(writer("one segment", { oneSegment: true }), big);
  assert.equal(one[0].verdict, "fail");
  assert.match(one[0].detail, /H4_LIMIT_EXCEEDED|H4-FMT-023/);
});

async function captureCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const log = console.log, error = console.error;
  let out = "", err = "";
  console.log = (...a: unknown[]) => void (out += a.join(" ") + "\n");
  console.error = (...a: unknown[]) => void (err += a.join(" ") + "\n");
  try {
    return { code: await runConformanceCli(args), out, err };
  } finally {
    console.log = log;
    console.error = error;
  }
}

Deno.test("writer mode: --filter, --failures, --matrix, --json, --blocks FILE with --profile", async () => {
  const one = await captureCli(["--writer", "--filter", "/^v1-rle$/", "--no-progress"]);
  assert.equal(one.code, 0, one.err);
  assert.match(one.out, /pass\s+v1-rle/);
  assert.doesNotMatch(one.out, /two-tracks/);
  assert.match(one.out, /CONFORMS \(1 of 1 block sets pass\)/);
  const quiet = await captureCli(["--writer", "--filter", "v1-rle", "--failures"]);
  assert.doesNotMatch(quiet.out, /pass\s+v1-rle/);
  const matrix = await captureCli(["--writer", "--filter", "v1-rle", "--matrix"]);
  assert.match(matrix.out, /v1-rle\s+ok/);
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/mine.jsonl`;
    const set = writerBlockSets().find((s) => s.name === "two-tracks")!;
    await Deno.writeTextFile(file, blocksJsonl(set.blocks));
    const r = await captureCli(["--writer", "--blocks", file, "--profile", "v1", "--json"]);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(j.writers[0].results.map((x: { set: string }) => x.set), ["mine"]);
    assert.equal(j.ok, true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert.equal((await captureCli(["--blocks", "x.jsonl"])).code, 2);
  assert.equal((await captureCli(["--writer", "--filter", "no-such-set"])).code, 2);
});
