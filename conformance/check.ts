/**
 * Rule-by-rule validation of a container that some writer produced: every check of full
 * verification (`Container.verify()`, each under its SPEC.md rule id) plus the rules that only
 * bind writers (header reserved field, META keys, segment sizes, chunk order). Used by
 * `h4mk conformance check FILE...` and by the writer checks.
 *
 * @module
 */

import { type BlockEntry, type Container, isH4Error } from "../mod.ts";
import { openContainer } from "../lib/seek/container.ts";
import { codePointCompare, LEGACY_COMPRESSION } from "./builder/build.ts";
import { CHUNK_TYPES, isStorageTag, KNOWN_TAGS } from "../lib/format/chunk_types.ts";

/** JSON with sorted keys, to compare objects whatever their key order. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${
      Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")
    }}`;
  }
  return JSON.stringify(v);
}

function hexOf(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
}

/** Rule ids of full verification's checks as they apply to the original writer's files. */
const LEGACY_RULE: Record<string, string> = {
  "H4-IDX-004": "H4-LEG-001",
  "H4-TRK-002": "H4-LEG-001",
  "H4-SEK-001": "H4-LEG-003",
  "H4-SEK-002": "H4-LEG-003",
  "H4-SEK-003": "H4-LEG-003",
};

/** One rule checked on a file. */
export interface RuleCheck {
  /** SPEC.md rule id. */
  rule: string;
  /** Whether it holds. */
  ok: boolean;
  /** `must` (a MUST rule: failing makes the file non-conforming) or `should` (advice). */
  level: "must" | "should";
  /** What was checked, or what failed. */
  message: string;
  /** Error code of a failure, when there is one. */
  code?: string;
}

/** The checks of one file. */
export interface FileCheck {
  /** File name as given. */
  file: string;
  /** True when every MUST check holds. */
  ok: boolean;
  /** Profile, when the file could be opened. */
  profile?: string;
  /** Block count, when the file could be opened. */
  blocks?: number;
  /** Checks in order. */
  checks: RuleCheck[];
}

const SEGM_LIMIT = 16 * 1024 * 1024;
const SEGM_CLOSE = 64 * 1024;
/** The writer's order of the chunks after the storage (SPEC.md section 4): the slots, VERI, LOCA. */
const TABLE_ORDER: readonly string[] = KNOWN_TAGS.filter((t) =>
  CHUNK_TYPES[t].slot !== null || t === "VERI" || t === "LOCA"
);

async function writerChecks(c: Container, bytes: Uint8Array): Promise<RuleCheck[]> {
  const out: RuleCheck[] = [];
  const must = (rule: string, ok: boolean, message: string) =>
    out.push({ rule, ok, level: "must", message });
  const should = (rule: string, ok: boolean, message: string) =>
    out.push({ rule, ok, level: "should", message });

  const reserved = (bytes[6] << 8) | bytes[7];
  must(
    "H4-FMT-003",
    reserved === 0,
    reserved === 0
      ? "header reserved field is 0"
      : `header reserved field is ${reserved}, writers write 0`,
  );
  const chunks: { tag: string; offset: number; length: number }[] = [];
  for await (const ch of c.chunks()) chunks.push(ch);
  const legacy = c.profile === "legacy";
  // A writer MUST write VERI (H4-INT-001); readers of legacy files accept its absence.
  const veri = chunks.filter((x) => x.tag === "VERI").length;
  must(
    "H4-INT-001",
    veri === 1,
    veri === 1 ? "one VERI chunk" : `${veri} VERI chunks, writers write exactly one`,
  );

  const ids = c.tracks.map((t) => t.track_id);
  const meta = c.meta;
  must(
    "H4-MET-002",
    meta.domain === "video-transport",
    `META.domain is ${JSON.stringify(meta.domain)}${
      meta.domain === "video-transport" ? "" : ', must be "video-transport"'
    }`,
  );
  const sorted = [...ids].sort(codePointCompare);
  const tracksOk = Array.isArray(meta.tracks) &&
    JSON.stringify(meta.tracks) === JSON.stringify(sorted);
  must(
    "H4-MET-002",
    tracksOk,
    tracksOk
      ? "META.tracks lists the track ids in code point order"
      : `META.tracks is ${JSON.stringify(meta.tracks)}, expected ${JSON.stringify(sorted)}`,
  );
  // The original writer's encrypted files carry 'encryption' (H4-LEG-005); ours never do.
  if (!legacy) {
    must(
      "H4-MET-003",
      !("encryption" in meta),
      "encryption" in meta ? "META has an 'encryption' key" : "META has no 'encryption' key",
    );
  }

  const entries: BlockEntry[] = [];
  for await (const e of c.entries()) entries.push(e);
  if (c.profile === "v1" || legacy) {
    must(
      "H4-MET-002",
      typeof meta.seekm_b64 === "string",
      typeof meta.seekm_b64 === "string"
        ? `${c.profile} META has seekm_b64`
        : `${c.profile} META lacks seekm_b64`,
    );
    // Legacy files take their codec from 'compression' (H4-LEG-002), so only its value can be
    // checked there.
    const allRle = entries.length > 0 && entries.every((e) => e.codec === "rle");
    const has = "compression" in meta;
    const exact = has && canonicalJson(meta.compression) === canonicalJson(LEGACY_COMPRESSION);
    must(
      "H4-MET-002",
      (legacy || allRle === has) && (!has || exact),
      has && !exact
        ? `META 'compression' is ${
          JSON.stringify(meta.compression)
        }, the original writer's value is ${JSON.stringify(LEGACY_COMPRESSION)}`
        : allRle
        ? `every block is rle: META ${has ? "has" : "lacks"} 'compression'`
        : `not every block is rle: META ${has ? "has" : "has no"} 'compression'`,
    );
  }
  // The v1 SEEK chunk (H4-FMT-024): one, after the storage chunks, payload u32 0.
  const seeks = chunks.filter((x) => x.tag === "SEEK");
  if (c.profile === "v1" || legacy) {
    const seek = seeks.length === 1
      ? bytes.subarray(seeks[0].offset + 12, seeks[0].offset + 12 + seeks[0].length)
      : null;
    const ok = seek !== null && seek.length === 4 && seek.every((x) => x === 0);
    must(
      "H4-FMT-024",
      ok,
      ok
        ? "one SEEK chunk, count 0"
        : seeks.length !== 1
        ? `${seeks.length} SEEK chunks, ${c.profile} writers write one`
        : `SEEK payload is ${seek!.length} bytes ${
          hexOf(seek!.subarray(0, 8))
        }, writers write u32 0`,
    );
  } else {
    must(
      "H4-FMT-024",
      seeks.length === 0,
      seeks.length === 0 ? "no SEEK chunk in v2" : `${seeks.length} SEEK chunks in a v2 file`,
    );
  }
  if (legacy) return out;

  // Segments: the 16 MiB MUST and the 64 KiB SHOULD of H4-FMT-023.
  const storage = chunks.filter((x) => isStorageTag(x.tag));
  const perChunk = storage.map(() => [] as typeof entries);
  for (const e of entries) perChunk[e.chunk]?.push(e);
  const big = storage.findIndex((s, k) => s.length > SEGM_LIMIT && perChunk[k].length > 1);
  must(
    "H4-FMT-023",
    big < 0,
    big < 0
      ? "no storage chunk holds more than 16 MiB of several blocks"
      : `storage chunk ${big} holds ${storage[big].length} bytes of ${perChunk[big].length} blocks`,
  );
  let late = -1;
  for (let k = 0; k < storage.length && late < 0; k++) {
    let size = 0;
    for (const e of perChunk[k]) {
      if (size >= SEGM_CLOSE && e.keyframe) late = e.index;
      size += e.stored_length;
    }
  }
  should(
    "H4-FMT-023",
    late < 0,
    late < 0
      ? "segments close before a keyframe once they hold 64 KiB"
      : `block ${late} is a keyframe in a segment that already holds 64 KiB`,
  );

  const tables = chunks.filter((x) => TABLE_ORDER.includes(x.tag)).map((x) => x.tag);
  const inOrder = tables.every((t, i) =>
    i === 0 || TABLE_ORDER.indexOf(tables[i - 1]) < TABLE_ORDER.indexOf(t)
  );
  should(
    "H4-FMT-022",
    inOrder,
    `tables in ${inOrder ? "the recommended" : "another"} order: ${tables.join(" ")}`,
  );
  return out;
}

/**
 * Checks one container, rule by rule. Never throws for a bad file.
 *
 * @example
 * ```ts
 * import { packContainer } from "../mod.ts";
 * import { checkContainer } from "./check.ts";
 * import assert from "node:assert/strict";
 * const bytes = await packContainer([{ track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array(3) }]);
 * const r = await checkContainer("mem", bytes);
 * assert(r.ok, JSON.stringify(r.checks.filter((c) => !c.ok)));
 * ```
 */
export async function checkContainer(file: string, bytes: Uint8Array): Promise<FileCheck> {
  let c: Container;
  try {
    c = await openContainer(bytes);
  } catch (e) {
    const code = isH4Error(e) ? e.code : "crash";
    const rule = isH4Error(e) ? e.rule ?? "H4-FMT-001" : "H4-FMT-001";
    return {
      file,
      ok: false,
      checks: [{
        rule,
        ok: false,
        level: "must",
        code,
        message: `cannot open: ${(e as Error).message}`,
      }],
    };
  }
  try {
    const report = await c.verify();
    const checks: RuleCheck[] = report.checks.map((x) => ({
      rule: c.profile === "legacy" ? LEGACY_RULE[x.rule] ?? x.rule : x.rule,
      ok: x.ok,
      level: "must",
      message: x.message,
      ...(x.code ? { code: x.code } : {}),
    }));
    try {
      checks.push(...await writerChecks(c, bytes));
    } catch (e) {
      checks.push({
        rule: (isH4Error(e) ? e.rule : undefined) ?? "H4-IDX-002",
        ok: false,
        level: "must",
        message: `reading the index: ${(e as Error).message}`,
        code: isH4Error(e) ? e.code : undefined,
      });
    }
    return {
      file,
      ok: checks.every((x) => x.ok || x.level === "should"),
      profile: c.profile,
      blocks: c.blockCount,
      checks,
    };
  } finally {
    await c.close();
  }
}

/**
 * A text report of file checks: one line per check.
 *
 * @example
 * ```ts
 * import { checkText } from "./check.ts";
 * import assert from "node:assert/strict";
 * assert(checkText([{ file: "a", ok: true, checks: [] }]).includes("CONFORMS"));
 * ```
 */
export function checkText(results: FileCheck[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(
      `${r.file}: ${r.ok ? "CONFORMS" : "DOES NOT CONFORM"}${
        r.profile ? ` (${r.profile}, ${r.blocks} blocks)` : ""
      }`,
    );
    for (const c of r.checks) {
      const mark = c.ok ? "ok  " : c.level === "should" ? "warn" : "FAIL";
      lines.push(
        `  ${mark}  ${c.rule.padEnd(11)} ${c.level === "should" ? "(should) " : ""}${
          c.code && !c.ok ? `${c.code}: ` : ""
        }${c.message}`,
      );
    }
  }
  return lines.join("\n");
}
