/**
 * Vectors in the original writer's layout (CORE chunks, SEEK, META with trak_b64 and
 * seekm_b64, SAFE, VERI; no LOCA), crafted with the builder, and v1 files whose seekm_b64
 * disagrees with the index (H4-LEG-004).
 *
 * @module
 */

import type { Craft, CraftOptions } from "../builder/build.ts";
import { b64, encodeSeekm } from "../builder/build.ts";
import { cat, u64, utf8 } from "../builder/fields.ts";
import {
  acceptable,
  audio,
  blk,
  build,
  gop,
  interleave,
  invalid,
  small,
  valid,
  type VectorFn,
} from "./common.ts";

function legacy(
  hooks: CraftOptions["hooks"] = {},
  opts: CraftOptions = {},
  blocks = small(),
): Craft {
  return build({
    profile: "legacy",
    codec: "rle",
    meta: { title: "legacy" },
    safe: { note: "x" },
    ...opts,
    hooks,
  }, blocks);
}

type Trak = { trak: Record<string, unknown>[] };

function editTrak(f: (t: Trak) => unknown): CraftOptions["hooks"] {
  return {
    meta: (m) => {
      const t = JSON.parse(atob(m.trak_b64 as string)) as Trak;
      const r = f(t);
      m.trak_b64 = b64(utf8(JSON.stringify(r ?? t)));
    },
  };
}

function editSeekm(
  f: (tracks: [string, [number, number][]][]) => Uint8Array | void,
): CraftOptions["hooks"] {
  return {
    meta: (m, s) => {
      const tracks = s.tracks.map((t, i) =>
        [t.id, s.seekm[i].map((e) => [...e])] as [string, [number, number][]]
      );
      const r = f(tracks);
      m.seekm_b64 = b64(r ?? encodeSeekm(tracks));
    },
  };
}

/** A file in the original layout with rle blocks. */
function y_legacy_rle() {
  return valid(
    ["H4-LEG-001", "H4-LEG-002", "H4-LEG-003", "H4-INT-002", "H4-SEEK-003"],
    "The original writer's layout with every block rle (META compression.engine = geometric-reference): CORE per block, SEEK count 0, META with trak_b64 and seekm_b64, SAFE, VERI; no LOCA.",
    legacy(),
  );
}

/** The original layout without a compression key: codec none. */
function y_legacy_no_compression() {
  return valid(
    ["H4-LEG-002"],
    "The original layout without META 'compression': every block's codec is none and its payload is the CORE payload as is.",
    legacy({}, { codec: "none" }),
  );
}

/** An unknown chunk in a legacy file. */
function y_legacy_unknown_chunk() {
  return valid(
    ["H4-FMT-013", "H4-LEG-001"],
    "The original layout with an unknown chunk 'NOTE' between two CORE chunks: it is not a block (blocks are the CORE chunks in order) and is skipped.",
    legacy({ chunks: (cs) => void cs.splice(3, 0, { tag: "NOTE", payload: utf8("hello") }) }),
  );
}

/** No SAFE. */
function y_legacy_no_safe() {
  return valid(
    ["H4-LEG-001"],
    "The original layout without a SAFE chunk.",
    legacy({}, { safe: null, hooks: {} }),
    { result: { safe: null } },
  );
}

/** The original writer's encrypted files: recognised, not decoded. */
function y_legacy_encrypted() {
  return valid(
    ["H4-LEG-005"],
    "META has an 'encryption' key (the original 'LivingCipher v3', which no one can decrypt): the file is reported as encrypted, blocks have sha256 null and plain_length null, and no payload is returned.",
    legacy({}, {
      codec: "none",
      meta: { title: "sealed", encryption: { scheme: "LivingCipher v3", nonce_b64: "AAAA" } },
    }),
  );
}

/** Negative pts in trak and SEEKM (two's complement). */
function y_legacy_negative_pts() {
  return valid(
    ["H4-LEG-006", "H4-LEG-003", "H4-SEEK-003"],
    "The original layout with keyframes at negative pts: trak_b64 has the negative numbers, SEEKM their 64-bit two's complement.",
    legacy({}, {}, interleave(gop("video", 6, -80_000), audio("audio", 4, -21_333, 21_333))),
    { seeks: [["video", -80_001], ["audio", -1]] },
  );
}

/** Files of the original writer may have any safe pts. */
function y_legacy_pts_beyond_2_50() {
  return valid(
    ["H4-LIM-001", "H4-LEG-006", "H4-LEG-001"],
    "The original layout with pts 2^52 and -(2^53 - 1): beyond the -2^50..2^50 of files of this version, but section 13 lets files of the original writer carry any safe integer.",
    legacy({}, {}, [
      blk("v", 2 ** 52, "I", 16),
      blk("v", 2 ** 52 + 40_000, "P", 16),
      blk("a", -(2 ** 53 - 1), "I", 16),
    ]),
    { seeks: [["v", 2 ** 52], ["a", -(2 ** 53 - 1)]] },
  );
}

/** No VERI: checked when present. */
function i_legacy_no_veri() {
  return acceptable(
    ["H4-INT-002", "H4-LEG-001"],
    "The original layout without VERI: section 11 checks VERI 'when present', so a reader may read the file (or reject it as possibly truncated).",
    legacy({}, { noVeri: true }),
  );
}

/** Unsorted SEEKM. */
function i_legacy_seekm_unsorted() {
  return acceptable(
    ["H4-LEG-003"],
    "SEEKM lists the video keyframes in descending pts order; H4-LEG-003 does not name unsorted tables, so a reader may sort them or reject the file. When read, seeks follow section 10.",
    legacy(editSeekm((ts) => void ts[1][1].reverse())),
    { noResult: true },
  );
}

/** META without trak_b64. */
function n_legacy_no_trak() {
  return invalid(
    ["H4-LEG-001"],
    "H4_LEGACY_NO_INDEX",
    "The original layout whose META lacks trak_b64.",
    legacy({ meta: (m) => void delete m.trak_b64 }),
  );
}

/** No META. */
function n_legacy_no_meta() {
  return invalid(
    ["H4-LEG-001"],
    "H4_LEGACY_NO_INDEX",
    "The original layout without a META chunk.",
    legacy({ chunks: (cs) => cs.filter((c) => c.tag !== "META") }),
  );
}

/** trak_b64 not base64. */
function n_legacy_trak_not_base64() {
  return invalid(
    ["H4-LEG-001"],
    "H4_LEGACY_NO_INDEX",
    "trak_b64 is '***' (not base64).",
    legacy({ meta: (m) => void (m.trak_b64 = "***") }),
  );
}

/** trak_b64 not JSON. */
function n_legacy_trak_not_json() {
  return invalid(
    ["H4-LEG-001"],
    "H4_LEGACY_NO_INDEX",
    "trak_b64 is base64 of 'not json'.",
    legacy({ meta: (m) => void (m.trak_b64 = b64(utf8("not json"))) }),
  );
}

/** trak has one entry fewer than CORE chunks. */
function n_legacy_trak_missing_entry() {
  return invalid(
    ["H4-LEG-001"],
    "H4_INDEX_MISMATCH",
    "trak lists 9 blocks; the file has 10 CORE chunks.",
    legacy(editTrak((t) => void t.trak.pop())),
  );
}

/** trak has one entry more. */
function n_legacy_trak_extra_entry() {
  return invalid(
    ["H4-LEG-001"],
    "H4_INDEX_MISMATCH",
    "trak lists 11 blocks; the file has 10 CORE chunks.",
    legacy(editTrak((t) => void t.trak.push({ ...t.trak[9], core_index: 10 }))),
  );
}

/** trak core_index not equal to position. */
function n_legacy_trak_core_index() {
  return invalid(
    ["H4-LEG-001"],
    "H4_INDEX_MISMATCH",
    "trak entry 2 says core_index 3.",
    legacy(editTrak((t) => void (t.trak[2].core_index = 3))),
  );
}

/** trak with an unknown kind. */
function n_legacy_trak_bad_kind() {
  return invalid(
    ["H4-LEG-001", "H4-IDX-001"],
    "H4_LEGACY_NO_INDEX",
    "trak entry 1 has kind 'X'.",
    legacy(editTrak((t) => void (t.trak[1].kind = "X"))),
  );
}

/** rle declared, payload odd. */
function n_leg002_rle_odd() {
  return invalid(
    ["H4-LEG-002", "H4-COD-002"],
    "H4_CODEC_ERROR",
    "META declares the geometric-reference codec (rle); CORE chunk 3's payload has odd length.",
    legacy({ blocks: (bs) => void (bs[3].stored = cat(bs[3].stored, new Uint8Array([1]))) }),
  );
}

/** A SEGM chunk in a version 1 file without LOCA. */
function n_legacy_segm_chunk() {
  return invalid(
    ["H4-FMT-021"],
    "H4_INDEX_MISMATCH",
    "The original layout with one storage chunk tagged SEGM instead of CORE.",
    legacy({ chunks: (cs) => void (cs[4].tag = "SEGM") }),
  );
}

/** SEEKM one byte short. */
function n_leg003_seekm_truncated() {
  return invalid(
    ["H4-LEG-003"],
    "H4_BAD_SEEK_TABLE",
    "seekm_b64 decodes to SEEKM without its last byte.",
    legacy(editSeekm((ts) => encodeSeekm(ts).subarray(0, encodeSeekm(ts).length - 1))),
  );
}

/** SEEKM with bytes left over. */
function n_leg003_seekm_trailing() {
  return invalid(
    ["H4-LEG-003"],
    "H4_BAD_SEEK_TABLE",
    "SEEKM has 4 bytes after its last table.",
    legacy(editSeekm((ts) => cat(encodeSeekm(ts), new Uint8Array(4)))),
  );
}

/** SEEKM naming a non-keyframe. */
function n_leg003_seekm_non_keyframe() {
  return invalid(
    ["H4-LEG-003"],
    "H4_BAD_SEEK_TABLE",
    "SEEKM's video table lists block 1, a P-frame.",
    legacy(editSeekm((ts) => {
      ts[1][1].push([120_000, 1]);
      ts[1][1].sort((a, b) => a[0] - b[0]);
    })),
  );
}

/** SEEKM naming another track's keyframe. */
function n_leg003_seekm_other_track() {
  return invalid(
    ["H4-LEG-003"],
    "H4_BAD_SEEK_TABLE",
    "SEEKM's audio table lists the video keyframe at block 0.",
    legacy(editSeekm((ts) => {
      ts[0][1].unshift([0, 0]);
    })),
  );
}

/** SEEKM core_index beyond the blocks. */
function n_leg003_seekm_index_out_of_range() {
  return invalid(
    ["H4-LEG-003"],
    "H4_BAD_SEEK_TABLE",
    "SEEKM's audio table lists core_index 99 of 10.",
    legacy(editSeekm((ts) => void ts[0][1].push([9_000_000, 99]))),
  );
}

/** seekm_b64 not base64. */
function n_leg003_seekm_not_base64() {
  return invalid(
    ["H4-LEG-003"],
    "H4_BAD_SEEK_TABLE",
    "seekm_b64 is '@@@@' (not base64).",
    legacy({ meta: (m) => void (m.seekm_b64 = "@@@@") }),
  );
}

/** SEEKM with an unsafe negative pts. */
function n_leg006_seekm_unsafe_negative() {
  return invalid(
    ["H4-LEG-006", "H4-LEG-003"],
    "H4_BAD_SEEK_TABLE",
    "SEEKM's first video entry has pts u64 0x8000000000000000, i.e. -2^63: not a safe integer.",
    legacy(editSeekm((ts) => {
      const raw = encodeSeekm(ts);
      // Track 0 ("audio"): 4 (count) + 2 + 5 + 4 (n) + entries; patch track 1's first pts.
      const at = 4 + 2 + 5 + 4 + ts[0][1].length * 12 + 2 + 5 + 4;
      raw.set(u64(2n ** 63n), at);
      return raw;
    })),
  );
}

/** SEEKM with pts 2^53. */
function n_leg006_seekm_pts_2_53() {
  return invalid(
    ["H4-LEG-006", "H4-ENC-004"],
    "H4_BAD_SEEK_TABLE",
    "SEEKM's last audio entry has pts 2^53 (top bit clear, above 2^53-1).",
    legacy(editSeekm((ts) => {
      const raw = encodeSeekm(ts);
      raw.set(u64(2n ** 53n), 4 + 2 + 5 + 4 + (ts[0][1].length - 1) * 12);
      return raw;
    })),
  );
}

/** A v1 file whose seekm_b64 lacks a keyframe. */
function n_leg004_v1_seekm_missing_keyframe() {
  return invalid(
    ["H4-LEG-004"],
    "H4_BAD_SEEK_TABLE",
    "v1 file (with LOCA): seekm_b64 lacks the audio track's last keyframe, which the index has. The original reader would seek differently.",
    build({ profile: "v1", safe: { k: "v" }, hooks: editSeekm((ts) => void ts[0][1].pop()) }),
  );
}

/** A v1 file whose seekm_b64 lists a non-keyframe. */
function n_leg004_v1_seekm_extra_entry() {
  return invalid(
    ["H4-LEG-004"],
    "H4_BAD_SEEK_TABLE",
    "v1 file: seekm_b64 also lists video block 1, a P-frame.",
    build({
      profile: "v1",
      safe: { k: "v" },
      hooks: editSeekm((ts) => {
        ts[1][1].push([120_000, 1]);
        ts[1][1].sort((a, b) => a[0] - b[0]);
      }),
    }),
  );
}

/** A v1 file without seekm_b64. */
function n_leg004_v1_no_seekm() {
  return invalid(
    ["H4-LEG-004", "H4-MET-002"],
    "H4_BAD_SEEK_TABLE",
    "v1 file whose META has no seekm_b64.",
    build({ profile: "v1", hooks: { meta: (m) => void delete m.seekm_b64 } }),
  );
}

/** Legacy META not JSON. */
function n_legacy_meta_not_json() {
  return invalid(
    ["H4-MET-001"],
    "H4_BAD_JSON",
    "The original layout whose META is not JSON ('{\"title\":').",
    legacy({ metaBytes: () => utf8('{"title":') }),
  );
}

/** Vectors of this module. */
/** trak kind as a number (H4-LEG-001: the original writer writes "I", "P", "B"). */
function n_leg001_trak_kind_number() {
  return invalid(
    ["H4-LEG-001"],
    "H4_LEGACY_NO_INDEX",
    'trak entry 1 has kind 1 (a number) instead of "P": trak fields have the original writer\'s types.',
    legacy(editTrak((t) => void (t.trak[1].kind = 1))),
  );
}

/** trak keyframe as a number (H4-LEG-001: a JSON boolean). */
function n_leg001_trak_keyframe_number() {
  return invalid(
    ["H4-LEG-001"],
    "H4_LEGACY_NO_INDEX",
    "trak entry 0 has keyframe 1 (a number) instead of true: trak fields have the original writer's types.",
    legacy(editTrak((t) => void (t.trak[0].keyframe = 1))),
  );
}

/** Several META chunks: the last one is META (H4-LEG-001). */
function y_leg001_several_meta() {
  return valid(
    ["H4-LEG-001"],
    'A legacy file with two META chunks: the first, {"x":1}, has no trak_b64; the second is the writer\'s. A legacy file is read with its last META chunk.',
    legacy({
      chunks: (cs) => {
        const i = cs.findIndex((c) => c.tag === "META");
        cs.splice(i, 0, { tag: "META", payload: utf8('{"x":1}') });
      },
    }),
  );
}

/** SEEKM pts that differs from trak's (H4-LEG-003). */
function n_leg003_seekm_pts_differs() {
  return invalid(
    ["H4-LEG-003"],
    "H4_BAD_SEEK_TABLE",
    "SEEKM's first audio entry names a keyframe of the audio track with pts + 1: an entry's pts must be its block's pts in trak_b64.",
    legacy(editSeekm((tracks) => void (tracks[0][1][0][0] += 1))),
  );
}

/** No seekm_b64: the seek tables are trak's keyframes (H4-LEG-003). */
function y_leg003_no_seekm() {
  return valid(
    ["H4-LEG-003", "H4-SEEK-003"],
    "A legacy file without the META key seekm_b64: its seek tables are the keyframes of trak_b64 in (pts, index) order.",
    legacy({ meta: (m) => void delete m.seekm_b64 }),
  );
}

/** seekm_b64 that is not a string (H4-LEG-003). */
function n_leg003_seekm_not_string() {
  return invalid(
    ["H4-LEG-003"],
    "H4_BAD_SEEK_TABLE",
    "META seekm_b64 is the number 5: present, it must be base64 text.",
    legacy({ meta: (m) => void (m.seekm_b64 = 5) }),
  );
}

/** compression as a string: codec none (H4-LEG-002). */
function y_leg002_compression_string() {
  return valid(
    ["H4-LEG-002"],
    'A legacy file whose META compression is the string "geometric-reference", not an object with that engine: every block\'s codec is none.',
    legacy({ meta: (m) => void (m.compression = "geometric-reference") }, { codec: "none" }),
  );
}

export const LEGACY_VECTORS: VectorFn[] = [
  y_legacy_rle,
  y_legacy_no_compression,
  y_legacy_unknown_chunk,
  y_legacy_no_safe,
  y_legacy_encrypted,
  y_legacy_negative_pts,
  y_legacy_pts_beyond_2_50,
  i_legacy_no_veri,
  i_legacy_seekm_unsorted,
  n_legacy_no_trak,
  n_legacy_no_meta,
  n_legacy_trak_not_base64,
  n_legacy_trak_not_json,
  n_legacy_trak_missing_entry,
  n_legacy_trak_extra_entry,
  n_legacy_trak_core_index,
  n_legacy_trak_bad_kind,
  n_leg002_rle_odd,
  n_legacy_segm_chunk,
  n_leg003_seekm_truncated,
  n_leg003_seekm_trailing,
  n_leg003_seekm_non_keyframe,
  n_leg003_seekm_other_track,
  n_leg003_seekm_index_out_of_range,
  n_leg003_seekm_not_base64,
  n_leg006_seekm_unsafe_negative,
  n_leg006_seekm_pts_2_53,
  n_leg004_v1_seekm_missing_keyframe,
  n_leg004_v1_seekm_extra_entry,
  n_leg004_v1_no_seekm,
  n_legacy_meta_not_json,
  n_leg001_trak_kind_number,
  n_leg001_trak_keyframe_number,
  y_leg001_several_meta,
  n_leg003_seekm_pts_differs,
  y_leg003_no_seekm,
  n_leg003_seekm_not_string,
  y_leg002_compression_string,
];
