/**
 * Writer conformance: deterministic block sets are handed to an implementation's `write`, and
 * each output is validated rule by rule (full verification plus the writer rules of
 * check.ts) and read back: every block must come back with its track, pts, kind, keyframe
 * flag, codec and payload.
 *
 * @module
 */

import { sha256 } from "../lib/hash/sha256.ts";
import { canonicalRead, parseBlocksJsonl } from "./adapter.ts";
import type { CraftBlock } from "./builder/build.ts";
import { hex } from "./builder/fields.ts";
import { checkContainer, type RuleCheck } from "./check.ts";
import { audio, blk, gop, interleave, small } from "./gen/common.ts";
import type { Implementation } from "./impl.ts";

const MIB = 1024 * 1024;

/** A block set for writers. */
export interface BlockSet {
  /** Name. */
  name: string;
  /** What it exercises. */
  description: string;
  /** Blocks in order. */
  blocks: CraftBlock[];
  /** Extra arguments of `write` (e.g. `--profile v1`). */
  args: string[];
}

/**
 * The writer block sets: several tracks, unicode ids, negative pts, B-frames, empty payloads,
 * every codec, a track without keyframes, thinning, paging, large blocks, and the v1 profile.
 *
 * @example
 * ```ts
 * import { writerBlockSets } from "./writer_check.ts";
 * import assert from "node:assert/strict";
 * assert(writerBlockSets().length >= 10);
 * ```
 */
export function writerBlockSets(): BlockSet[] {
  // Built once (the sets hold 18 MiB of payloads); callers get their own arrays.
  cachedSets ??= buildBlockSets();
  return cachedSets.map((s) => ({ ...s, blocks: [...s.blocks], args: [...s.args] }));
}

let cachedSets: BlockSet[] | null = null;

function buildBlockSets(): BlockSet[] {
  const codecs: CraftBlock[] = ["none", "deflate", "rle"].flatMap((codec, k) => [
    blk("data", k * 3 * 40_000, "I", 300, {
      style: "runs",
      codec: codec as CraftBlock["codec"],
      seed: 10 + k,
    }),
    blk("data", (k * 3 + 1) * 40_000, "P", 0, { codec: codec as CraftBlock["codec"] }),
    blk("data", (k * 3 + 2) * 40_000, "P", 64, {
      style: "text",
      codec: codec as CraftBlock["codec"],
      seed: 20 + k,
    }),
  ]);
  const many: CraftBlock[] = [];
  for (let i = 0; i < 5000; i++) {
    many.push(
      blk(i % 3 ? "a" : "v", Math.floor(i / 3) * 33_333, i % 30 === 0 ? "I" : "P", 1 + (i % 7), {
        seed: i,
        key: i % 30 === 0 || i % 3 !== 0,
      }),
    );
  }
  return [
    {
      name: "two-tracks",
      description: "video with B-frames (pts not monotonic) and audio",
      blocks: small(),
      args: [],
    },
    {
      name: "unicode-ids",
      description:
        "track ids with é, CJK, an emoji and U+FFFF (code point order differs from UTF-16 order)",
      blocks: interleave(
        ...["vidéo", "音声", "😀", "\uffff", "a"].map((id, i) => audio(id, 3, i * 10, 40_000)),
      ),
      args: [],
    },
    {
      name: "negative-pts",
      description: "AAC priming: audio from -43000 µs, video from -80000 µs",
      blocks: interleave(gop("video", 12, -80_000), audio("audio", 10, -43_000, 21_333)),
      args: [],
    },
    {
      name: "empty-payloads",
      description: "zero-length payloads in two tracks",
      blocks: [
        blk("v", 0, "I", 0),
        blk("v", 40_000, "P", 0),
        blk("c", 0, "I", 0),
        blk("v", 80_000, "P", 5),
      ],
      args: [],
    },
    {
      name: "all-codecs",
      description: "per-block codecs none, deflate and rle, with empty payloads",
      blocks: codecs,
      args: [],
    },
    {
      name: "no-keyframe-track",
      description: "a track with only non-keyframes (empty seek table)",
      blocks: interleave(gop("video", 6), [
        blk("meta", 0, "P", 4, { key: false }),
        blk("meta", 100_000, "P", 4, { key: false }),
      ]),
      args: [],
    },
    {
      name: "long-audio",
      description: "140 audio keyframes over 3 s (seek table thinning allowed)",
      blocks: audio("audio", 140, 0, 21_333, 4),
      args: [],
    },
    {
      name: "equal-pts",
      description: "three keyframes with the same pts",
      blocks: [
        blk("v", 0, "I", 3),
        blk("v", 40_000, "I", 3, { seed: 2 }),
        blk("v", 40_000, "I", 3, { seed: 3 }),
        blk("v", 40_000, "I", 3, { seed: 4 }),
      ],
      args: [],
    },
    {
      name: "pts-extremes",
      description: "pts 2^50 and -2^50",
      blocks: [
        blk("hi", 2 ** 50 - 1, "I", 2),
        blk("lo", -(2 ** 50 - 1), "I", 2),
        blk("hi", 2 ** 50 - 1, "P", 2, { key: false }),
      ],
      args: [],
    },
    {
      name: "many-blocks",
      description: "5000 small blocks in two tracks (more than one 4096-block index page)",
      blocks: many,
      args: [],
    },
    {
      name: "large-blocks",
      description: "keyframes of 40 KiB: segments should close before a keyframe once past 64 KiB",
      blocks: gop("video", 12, 0, 40 * 1024),
      args: [],
    },
    {
      name: "segment-bound",
      description:
        "nine 2 MiB blocks after one keyframe: a segment must close before it exceeds 16 MiB",
      blocks: [
        blk("video", 0, "I", 2 * MIB, { seed: 90 }),
        ...Array.from(
          { length: 8 },
          (_, i) => blk("video", (i + 1) * 40_000, "P", 2 * MIB, { seed: 91 + i }),
        ),
      ],
      args: [],
    },
    {
      name: "v1-profile",
      description: "two tracks written with --profile v1",
      blocks: small(),
      args: ["--profile", "v1"],
    },
    {
      name: "v1-rle",
      description: "every block rle, --profile v1: META needs 'compression'",
      blocks: gop("video", 6).map((b) => ({ ...b, codec: "rle" as const })),
      args: ["--profile", "v1"],
    },
  ];
}

/** Result of one block set. */
export interface WriterResult {
  /** Block set name. */
  set: string;
  /** `pass`, `fail`, `crash`, `timeout` or `skip` (option unsupported). */
  verdict: "pass" | "fail" | "crash" | "timeout" | "skip";
  /** Failed checks, rule by rule. */
  failures: RuleCheck[];
  /** Advice not followed (SHOULD). */
  warnings: RuleCheck[];
  /** One line. */
  detail: string;
}

/** BLOCKS.jsonl text of a block set. */
export function blocksJsonl(blocks: CraftBlock[]): string {
  return blocks.map((b) =>
    JSON.stringify({
      track_id: b.track_id,
      pts_us: b.pts_us,
      kind: b.kind,
      keyframe: b.keyframe,
      payload_b64: b.payload.toBase64(), // native: block sets reach 18 MiB
      ...(b.codec ? { codec: b.codec } : {}),
    })
  ).join("\n") + "\n";
}

/** The writer rule a read-back mismatch breaks (SPEC.md section 5). */
const ROUND_TRIP = "H4-IDX-006";

/** The profile `args` ask for (`--profile v1|v2`), or null. */
function requestedProfile(args: string[]): string | null {
  const i = args.indexOf("--profile");
  return i >= 0 ? args[i + 1] ?? null : null;
}

/** Failures of the profile: never the original writer's layout, and the one asked for. */
function profileFailures(set: BlockSet, profile: string | undefined): RuleCheck[] {
  const want = requestedProfile(set.args);
  if (profile === "legacy") {
    return [{
      rule: "H4-FMT-022",
      ok: false,
      level: "must",
      message: `no LOCA: the file is in the original writer's layout${
        want ? `, --profile ${want} was asked for` : ""
      }; files of this specification end with LOCA`,
    }];
  }
  if (want && profile !== want) {
    return [{
      rule: "H4-FMT-002",
      ok: false,
      level: "must",
      message: `profile ${profile}, --profile asked for ${want}`,
    }];
  }
  return [];
}

async function readBack(set: BlockSet, bytes: Uint8Array): Promise<RuleCheck[]> {
  const out: RuleCheck[] = [];
  const r = await canonicalRead(bytes);
  const fail = (rule: string, message: string) =>
    out.push({ rule, ok: false, level: "must", message });
  if (r.blocks.length !== set.blocks.length) {
    fail(ROUND_TRIP, `${r.blocks.length} blocks read back, ${set.blocks.length} written`);
    return out;
  }
  set.blocks.forEach((b, i) => {
    const got = r.blocks[i];
    const want = {
      track_id: b.track_id,
      pts_us: b.pts_us,
      kind: b.kind,
      keyframe: b.keyframe,
      sha256: hex(sha256(b.payload)),
      plain_length: b.payload.length,
    };
    for (const [k, v] of Object.entries(want)) {
      if ((got as unknown as Record<string, unknown>)[k] !== v) {
        fail(
          ROUND_TRIP,
          `block ${i}: ${k} is ${
            JSON.stringify((got as unknown as Record<string, unknown>)[k])
          }, written ${JSON.stringify(v)}`,
        );
        return;
      }
    }
    if (b.codec && got.codec !== b.codec) {
      fail(ROUND_TRIP, `block ${i}: codec ${got.codec}, BLOCKS.jsonl asked for ${b.codec}`);
    }
  });
  return out;
}

/**
 * Runs every block set through `impl.write` and checks the outputs.
 *
 * @example
 * ```ts ignore
 * import { runWriterChecks } from "./writer_check.ts";
 * import { ourImplementation } from "./adapter.ts";
 * const results = await runWriterChecks(ourImplementation());
 * console.log(results.filter((r) => r.verdict !== "pass"));
 * ```
 */
export async function runWriterChecks(
  impl: Implementation,
  sets: BlockSet[] = writerBlockSets(),
  opts: {
    /** Called after each block set. */
    onResult?: (done: number, total: number, r: WriterResult) => void;
  } = {},
): Promise<WriterResult[]> {
  if (!impl.write) {
    return sets.map((s) => ({
      set: s.name,
      verdict: "skip",
      failures: [],
      warnings: [],
      detail: "implementation has no write",
    }));
  }
  const dir = await Deno.makeTempDir({ prefix: "h4mk-writer-" });
  try {
    const out: WriterResult[] = [];
    for (const set of sets) {
      out.push(await checkSet(impl, set, dir));
      opts.onResult?.(out.length, sets.length, out[out.length - 1]);
    }
    return out;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function checkSet(impl: Implementation, set: BlockSet, dir: string): Promise<WriterResult> {
  const input = `${dir}/${set.name}.jsonl`;
  const file = `${dir}/${set.name}.h4mk`;
  await Deno.writeTextFile(input, blocksJsonl(set.blocks));
  const o = await impl.write!(input, file, set.args);
  const base = { set: set.name, failures: [] as RuleCheck[], warnings: [] as RuleCheck[] };
  if (o.status === "unsupported") return { ...base, verdict: "skip", detail: o.detail };
  if (o.status === "crash" || o.status === "timeout") {
    return { ...base, verdict: o.status, detail: o.detail };
  }
  if (o.status === "error") {
    return { ...base, verdict: "fail", detail: `write failed: ${o.code} ${o.message}` };
  }
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(file);
  } catch {
    return { ...base, verdict: "fail", detail: "write exited 0 but wrote no file" };
  }
  const fc = await checkContainer(set.name, bytes);
  const failures = fc.checks.filter((c) => !c.ok && c.level === "must");
  failures.push(...profileFailures(set, fc.profile));
  const warnings = fc.checks.filter((c) => !c.ok && c.level === "should");
  if (fc.ok) {
    try {
      failures.push(...await readBack(set, bytes));
    } catch (e) {
      failures.push({
        rule: ROUND_TRIP,
        ok: false,
        level: "must",
        message: `reading back: ${(e as Error).message}`,
      });
    }
  }
  return {
    set: set.name,
    verdict: failures.length ? "fail" : "pass",
    failures,
    warnings,
    detail: failures.length
      ? failures.map((f) => `${f.rule} ${f.message}`).join("; ")
      : `${bytes.length} bytes, ${fc.checks.length} checks`,
  };
}

/**
 * Whether a writer's results pass: every block set `pass`, or `skip` when skips are allowed
 * (`--allow-skip`); a writer that declares everything UNSUPPORTED does not pass by default.
 *
 * @example
 * ```ts
 * import { writerPasses } from "./writer_check.ts";
 * import assert from "node:assert/strict";
 * const skip = [{ set: "a", verdict: "skip" as const, failures: [], warnings: [], detail: "" }];
 * assert(!writerPasses(skip) && writerPasses(skip, true));
 * ```
 */
export function writerPasses(results: WriterResult[], allowSkip = false): boolean {
  return results.every((r) => r.verdict === "pass" || (r.verdict === "skip" && allowSkip));
}

/**
 * Text report of writer results; with `failuresOnly` the passing sets are left out.
 *
 * @example
 * ```ts
 * import { writerText } from "./writer_check.ts";
 * import assert from "node:assert/strict";
 * const t = writerText("w", [{ set: "a", verdict: "skip", failures: [], warnings: [], detail: "UNSUPPORTED" }]);
 * assert(t.includes("DOES NOT CONFORM"));
 * ```
 */
export function writerText(
  name: string,
  results: WriterResult[],
  opts: { allowSkip?: boolean; failuresOnly?: boolean } = {},
): string {
  const lines = [`${name}: writer checks`];
  for (const r of results) {
    if (opts.failuresOnly && r.verdict === "pass" && r.warnings.length === 0) continue;
    lines.push(`  ${r.verdict.padEnd(8)} ${r.set.padEnd(20)} ${r.detail.slice(0, 200)}`);
    for (const w of r.warnings) {
      lines.push(`  ${"".padEnd(8)} ${"".padEnd(20)} warn ${w.rule} (should) ${w.message}`);
    }
  }
  const passed = results.filter((r) => r.verdict === "pass").length;
  const skipped = results.filter((r) => r.verdict === "skip").length;
  const ok = writerPasses(results, opts.allowSkip);
  lines.push(
    `${name}: ${
      ok ? "CONFORMS" : "DOES NOT CONFORM"
    } (${passed} of ${results.length} block sets pass${
      skipped
        ? `, ${skipped} skipped${
          opts.allowSkip ? " (allowed)" : " (UNSUPPORTED fails without --allow-skip)"
        }`
        : ""
    })`,
  );
  return lines.join("\n");
}

/**
 * A matrix of block sets (rows) by writers (columns).
 *
 * @example
 * ```ts
 * import { writerMatrix } from "./writer_check.ts";
 * import assert from "node:assert/strict";
 * const r = [{ set: "a", verdict: "pass" as const, failures: [], warnings: [], detail: "" }];
 * assert(writerMatrix([{ name: "w", results: r }]).includes("[1] w"));
 * ```
 */
export function writerMatrix(
  writers: { name: string; results: WriterResult[] }[],
  all = true,
): string {
  const lines = writers.map((w, i) => `[${i + 1}] ${w.name}`);
  lines.push(
    "",
    `${"BLOCK SET".padEnd(22)}${writers.map((_, i) => `[${i + 1}]`.padEnd(8)).join("")}`,
  );
  const sets = [...new Set(writers.flatMap((w) => w.results.map((r) => r.set)))];
  for (const s of sets) {
    const vs = writers.map((w) => w.results.find((r) => r.set === s)?.verdict ?? "");
    if (!all && vs.every((v) => v === "pass")) continue;
    lines.push(
      `${s.padEnd(22)}${vs.map((v) => (v === "pass" ? "ok" : v.toUpperCase()).padEnd(8)).join("")}`,
    );
  }
  return lines.join("\n");
}

/**
 * Block sets from a BLOCKS.jsonl file (the `write` input of the adapter protocol), for
 * `--writer --blocks FILE`: one set named after the file, written with `args`.
 *
 * @example
 * ```ts ignore
 * import { blockSetFromFile } from "./writer_check.ts";
 * const set = await blockSetFromFile("my_blocks.jsonl", ["--profile", "v1"]);
 * ```
 */
export async function blockSetFromFile(path: string, args: string[] = []): Promise<BlockSet> {
  const blocks = parseBlocksJsonl(await Deno.readTextFile(path));
  return {
    name: path.split("/").pop()!.replace(/\.jsonl$/, ""),
    description: `blocks of ${path}`,
    blocks: blocks.map((b) => ({ ...b, kind: b.kind })),
    args,
  };
}
