/**
 * Writer conformance: deterministic block sets are handed to an implementation's `write`, and
 * each output is validated rule by rule (full verification plus the writer rules of
 * check.ts) and read back: every block must come back with its track, pts, kind, keyframe
 * flag, codec and payload.
 *
 * @module
 */

import { sha256 } from "../lib/format/sha256.ts";
import { canonicalRead } from "./adapter.ts";
import { b64, type CraftBlock } from "./builder/build.ts";
import { hex } from "./builder/fields.ts";
import { checkContainer, type RuleCheck } from "./check.ts";
import { audio, blk, gop, interleave, small } from "./gen/common.ts";
import type { Implementation } from "./impl.ts";

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
 * console.assert(writerBlockSets().length >= 10);
 * ```
 */
export function writerBlockSets(): BlockSet[] {
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
      payload_b64: b64(b.payload),
      ...(b.codec ? { codec: b.codec } : {}),
    })
  ).join("\n") + "\n";
}

async function readBack(set: BlockSet, bytes: Uint8Array): Promise<RuleCheck[]> {
  const out: RuleCheck[] = [];
  const r = await canonicalRead(bytes);
  const fail = (rule: string, message: string) =>
    out.push({ rule, ok: false, level: "must", message });
  if (r.blocks.length !== set.blocks.length) {
    fail("H4-IDX-002", `${r.blocks.length} blocks read back, ${set.blocks.length} written`);
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
          k === "sha256" || k === "plain_length" ? "H4-COD-002" : "H4-IDX-002",
          `block ${i}: ${k} is ${
            JSON.stringify((got as unknown as Record<string, unknown>)[k])
          }, written ${JSON.stringify(v)}`,
        );
        return;
      }
    }
    if (b.codec && got.codec !== b.codec) {
      fail("protocol", `block ${i}: codec ${got.codec}, BLOCKS.jsonl asked for ${b.codec}`);
    }
  });
  const profile = set.args.includes("v1") ? "v1" : null;
  if (profile && r.profile !== profile) {
    fail("protocol", `profile ${r.profile}, --profile asked for ${profile}`);
  }
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
      const input = `${dir}/${set.name}.jsonl`;
      const file = `${dir}/${set.name}.h4mk`;
      await Deno.writeTextFile(input, blocksJsonl(set.blocks));
      const o = await impl.write(input, file, set.args);
      const base = { set: set.name, failures: [] as RuleCheck[], warnings: [] as RuleCheck[] };
      if (o.status === "unsupported") {
        out.push({ ...base, verdict: "skip", detail: o.detail });
        continue;
      }
      if (o.status === "crash" || o.status === "timeout") {
        out.push({ ...base, verdict: o.status, detail: o.detail });
        continue;
      }
      if (o.status === "error") {
        out.push({ ...base, verdict: "fail", detail: `write failed: ${o.code} ${o.message}` });
        continue;
      }
      let bytes: Uint8Array;
      try {
        bytes = await Deno.readFile(file);
      } catch {
        out.push({ ...base, verdict: "fail", detail: "write exited 0 but wrote no file" });
        continue;
      }
      const fc = await checkContainer(set.name, bytes);
      const failures = fc.checks.filter((c) => !c.ok && c.level === "must");
      const warnings = fc.checks.filter((c) => !c.ok && c.level === "should");
      if (fc.ok) {
        try {
          failures.push(...await readBack(set, bytes));
        } catch (e) {
          failures.push({
            rule: "H4-IDX-002",
            ok: false,
            level: "must",
            message: `reading back: ${(e as Error).message}`,
          });
        }
      }
      out.push({
        set: set.name,
        verdict: failures.length ? "fail" : "pass",
        failures,
        warnings,
        detail: failures.length
          ? failures.map((f) => `${f.rule} ${f.message}`).join("; ")
          : `${bytes.length} bytes, ${fc.checks.length} checks`,
      });
    }
    return out;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Text report of writer results. */
export function writerText(name: string, results: WriterResult[]): string {
  const lines = [`${name}: writer checks`];
  for (const r of results) {
    lines.push(`  ${r.verdict.padEnd(8)} ${r.set.padEnd(20)} ${r.detail.slice(0, 200)}`);
    for (const w of r.warnings) {
      lines.push(`  ${"".padEnd(8)} ${"".padEnd(20)} warn ${w.rule} (should) ${w.message}`);
    }
  }
  const bad = results.filter((r) => r.verdict !== "pass" && r.verdict !== "skip").length;
  lines.push(
    `  ${results.length - bad} of ${results.length} block sets pass${
      bad ? "" : " (skips allowed)"
    }`,
  );
  return lines.join("\n");
}
