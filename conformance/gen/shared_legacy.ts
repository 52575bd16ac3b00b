/**
 * The original writer's sample files (`testdata/legacy-v1/` in the repository) as legacy
 * vectors: the bytes are copied as they are; the expectation comes from each sample's `.json`
 * description (blocks, payload hashes) and, for META and SAFE, from the file's own JSON chunks.
 * Also derives truncated and damaged variants of one sample.
 *
 * @module
 */

import { walkChunks } from "../../lib/format/chunk.ts";
import { sha256 } from "../../lib/hash/sha256.ts";
import { fixCrc, flip, setPayload } from "../../lib/format/testdata/forge.ts";
import type { CanonicalBlock, CanonicalRead, CanonicalTrack } from "../canonical.ts";
import { codePointCompare } from "../builder/build.ts";
import { seekQueries } from "../builder/expect.ts";
import { type GeneratedVector, invalid } from "./common.ts";

/** One block of a sample's description. */
interface SampleBlock {
  core_index: number;
  track_id: string;
  pts_us: number;
  kind: string;
  keyframe: boolean;
  length: number;
  sha256: string;
}

/** A loaded sample. */
export interface Sample {
  /** Base name, e.g. `single-track`. */
  name: string;
  /** File bytes. */
  bytes: Uint8Array;
  /** Expected canonical read. */
  result: CanonicalRead;
}

/**
 * Loads the samples of `dir`, deriving each expected result from its description. Throws when
 * the file disagrees with its description (then the samples, not the readers, are wrong).
 */
export async function loadSamples(dir: string): Promise<Sample[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.name.endsWith(".h4mk")) names.push(e.name.slice(0, -5));
  }
  names.sort();
  const out: Sample[] = [];
  for (const name of names) {
    const bytes = await Deno.readFile(`${dir}/${name}.h4mk`);
    const desc = JSON.parse(await Deno.readTextFile(`${dir}/${name}.json`)) as {
      blocks: SampleBlock[];
    };
    const chunks = walkChunks(bytes);
    const cores = chunks.filter((c) => c.tag === "CORE");
    const dec = new TextDecoder("utf-8", { fatal: true });
    const metaChunk = chunks.find((c) => c.tag === "META");
    const safeChunk = chunks.find((c) => c.tag === "SAFE");
    const meta = JSON.parse(dec.decode(metaChunk!.payload)) as Record<string, unknown>;
    const safe = safeChunk
      ? JSON.parse(dec.decode(safeChunk.payload)) as Record<string, unknown>
      : null;
    const rle =
      (meta.compression as { engine?: string } | undefined)?.engine === "geometric-reference";
    const codec = rle ? "rle" : "none";
    if (cores.length !== desc.blocks.length) {
      throw new Error(`${name}: ${cores.length} CORE, ${desc.blocks.length} described`);
    }
    const blocks: CanonicalBlock[] = desc.blocks.map((b, i) => {
      if (b.core_index !== i) throw new Error(`${name}: block ${i} has core_index ${b.core_index}`);
      return {
        index: i,
        track_id: b.track_id,
        pts_us: b.pts_us,
        kind: b.kind,
        keyframe: b.keyframe,
        codec,
        stored_length: cores[i].payload.length,
        plain_length: b.length,
        sha256: b.sha256,
      };
    });
    const ids = [...new Set(blocks.map((b) => b.track_id))].sort(codePointCompare);
    const seek: Record<string, [number, number][]> = {};
    for (const id of ids) {
      seek[id] = blocks.filter((b) => b.track_id === id && b.keyframe)
        .map((b) => [b.pts_us, b.index] as [number, number])
        .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    }
    const tracks: CanonicalTrack[] = ids.map((id) => ({
      track_id: id,
      codec,
      blocks: blocks.filter((b) => b.track_id === id).length,
      keyframes: blocks.filter((b) => b.track_id === id && b.keyframe).length,
      seek_entries: seek[id].length,
    }));
    out.push({
      name,
      bytes,
      result: { version: 1, profile: "legacy", encrypted: false, tracks, blocks, meta, safe, seek },
    });
  }
  return out;
}

/** Vectors from the samples: each sample as a valid vector, and variants of the first one. */
export function sampleVectors(samples: Sample[]): Record<string, GeneratedVector> {
  const out: Record<string, GeneratedVector> = {};
  for (const s of samples) {
    out[s.name] = {
      group: "legacy",
      bytes: s.bytes,
      exp: {
        class: "valid",
        rules: [
          "H4-LEG-001",
          "H4-LEG-002",
          "H4-LEG-003",
          "H4-INT-002",
          "H4-FMT-011",
          "H4-SEEK-003",
        ],
        description:
          `File written by the original Python writer (testdata/legacy-v1/${s.name}.h4mk), with the blocks its description lists: CORE chunks with rle ('geometric-reference') payloads, SEEK count 0, META with trak_b64 and seekm_b64, SAFE, VERI over whole chunks.`,
        result: s.result,
        seeks: seekQueries(s.result),
        source: `testdata/legacy-v1/${s.name}.h4mk`,
      },
    };
  }
  const base = samples.find((s) => s.name === "single-track");
  if (!base) return out;
  const chunks = walkChunks(base.bytes);
  const at = (tag: string, nth = 0) => chunks.filter((c) => c.tag === tag)[nth].offset;
  const cut = (n: number) => base.bytes.slice(0, n);
  const src = "derived from testdata/legacy-v1/single-track.h4mk";
  const add = (name: string, v: GeneratedVector) => {
    v.group = "legacy";
    v.exp.source = src;
    const prefix = v.exp.class === "invalid" ? "n" : v.exp.class === "acceptable" ? "i" : "y";
    out[`${prefix}_${name}`] = v;
  };
  add(
    "single-track_cut_before_core1",
    invalid(
      ["H4-LEG-001"],
      "H4_LEGACY_NO_INDEX",
      "The original writer's single-track sample cut before its second CORE chunk: no META, so no trak_b64.",
      cut(at("CORE", 1)),
    ),
  );
  add(
    "single-track_cut_before_seek",
    invalid(
      ["H4-LEG-001"],
      "H4_LEGACY_NO_INDEX",
      "The single-track sample cut before SEEK: every CORE chunk is there, META is not.",
      cut(at("SEEK")),
    ),
  );
  add(
    "single-track_cut_before_meta",
    invalid(
      ["H4-LEG-001"],
      "H4_LEGACY_NO_INDEX",
      "The single-track sample cut before META.",
      cut(at("META")),
    ),
  );
  for (const [tag, why] of [["SAFE", "SAFE and VERI are gone"], ["VERI", "VERI is gone"]]) {
    const result = { ...base.result, safe: tag === "SAFE" ? null : base.result.safe };
    const v: GeneratedVector = {
      group: "legacy",
      bytes: cut(at(tag)),
      exp: {
        class: "acceptable",
        rules: ["H4-LEG-001", "H4-INT-002"],
        description:
          `The single-track sample cut before ${tag}: ${why}, but META with trak_b64 and every CORE chunk remain. VERI is checked 'when present' (section 11), so a reader may read the file; it cannot be told from a shorter original. When read, the result is the sample's.`,
        result,
        seeks: seekQueries(result),
      },
    };
    add(`single-track_cut_before_${tag.toLowerCase()}`, v);
  }
  add(
    "single-track_cut_after_core0_header",
    invalid(
      ["H4-FMT-010", "H4-LEG-001", "H4-FMT-015"],
      "H4_CHUNK_OVERRUN",
      "The single-track sample cut right after the first CORE chunk's header: its length runs past the end. Its META is not there either (H4-LEG-001), whose code is right as well.",
      cut(at("CORE") + 12),
      ["H4_LEGACY_NO_INDEX"],
    ),
  );
  add(
    "single-track_cut_after_meta_header",
    invalid(
      ["H4-FMT-010", "H4-LEG-001", "H4-FMT-015"],
      "H4_CHUNK_OVERRUN",
      "The single-track sample cut right after META's header. Its META is not there either (H4-LEG-001), whose code is right as well.",
      cut(at("META") + 12),
      ["H4_LEGACY_NO_INDEX"],
    ),
  );
  add(
    "single-track_cut_in_core4_header",
    invalid(
      ["H4-FMT-012", "H4-LEG-001", "H4-FMT-015"],
      "H4_TRUNCATED",
      "The single-track sample cut 5 bytes into the fifth CORE chunk's header. Its META is not there either (H4-LEG-001), whose code is right as well.",
      cut(at("CORE", 4) + 5),
      ["H4_LEGACY_NO_INDEX"],
    ),
  );
  add(
    "single-track_last_byte_missing",
    invalid(
      ["H4-FMT-010"],
      "H4_CHUNK_OVERRUN",
      "The single-track sample without its last byte: VERI's payload is one byte short.",
      cut(base.bytes.length - 1),
    ),
  );
  const veriAt = at("VERI");
  // The CRC covers the VERI payload: fix it so that only the VERI comparison fails.
  const flipped = fixCrc(flip(base.bytes, veriAt + 12 + 5), veriAt);
  add(
    "single-track_veri_mismatch",
    invalid(
      ["H4-INT-002"],
      "H4_VERI_MISMATCH",
      "The single-track sample with one bit of VERI flipped (and VERI's CRC fixed).",
      flipped,
    ),
  );
  const payloadOnly = base.bytes.slice();
  const hash = sha256(
    new Uint8Array(chunks.filter((c) => c.offset < veriAt).flatMap((c) => [...c.payload])),
  );
  setPayload(payloadOnly, veriAt, hash);
  add(
    "single-track_veri_over_payloads",
    invalid(
      ["H4-INT-002"],
      "H4_VERI_MISMATCH",
      "The single-track sample with VERI recomputed the way the original reader checks it (SHA-256 of the payloads only): VERI covers whole chunks, headers included.",
      payloadOnly,
    ),
  );
  return out;
}
