/**
 * Invalid vectors of the tables: TRKS, BIDX, TDIR, BHSH, KSEK and LOCA. Each breaks one rule
 * and keeps everything downstream consistent (page digests, root, VERI, CRCs are computed from
 * the broken table), so the rule under test is the only thing wrong.
 *
 * @module
 */

import { ROOTED_TAGS } from "../../lib/format/chunk_types.ts";
import { sha256 } from "../../lib/hash/sha256.ts";
import {
  type Craft,
  type CraftOptions,
  encodeBidxPage,
  encodeLocaPrefix,
  type LocaStruct,
  type RecordState,
  rootDigest,
  SLOT_TAGS,
} from "../builder/build.ts";
import { cat, raw, utf8, varintPadded } from "../builder/fields.ts";
import {
  audio,
  blk,
  build,
  type GeneratedVector,
  gop,
  interleave,
  invalid,
  type VectorFn,
} from "./common.ts";

const SAFE = { k: "v" };

/** Build of the small set with SAFE and hooks. */
function b(hooks: CraftOptions["hooks"], opts: CraftOptions = {}): Craft {
  return build({ safe: SAFE, ...opts, hooks });
}

/** Recomputes offsets and chunk numbers from new_chunk flags and stored lengths. */
function relayout(rs: RecordState[]): void {
  let off = 20, chunk = 0;
  rs.forEach((r, i) => {
    if (i > 0) {
      const p = rs[i - 1];
      off = p.offset + p.stored_length + (r.new_chunk ? 12 : 0);
      chunk = p.chunk + (r.new_chunk ? 1 : 0);
    }
    r.offset = off;
    r.chunk = chunk;
  });
}

/** Flips one bit of a copy. */
function flip(d: Uint8Array, at = 0): Uint8Array {
  if (at >= d.length) throw new Error(`flip at ${at} of ${d.length} bytes`);
  const o = d.slice();
  o[at] ^= 0x01;
  return o;
}

const MULTI = () => interleave(gop("video", 13), audio("audio", 8, 0, 70_000));
const MULTI_OPTS: CraftOptions = {
  blocksPerPage: 3,
  hashesPerPage: 2,
  segmentBefore: (x) => x.keyframe && x.track_id === "video",
};

// ---------------------------------------------------------------- TRKS

/** An empty track id. */
function n_trk001_empty_id() {
  return invalid(
    ["H4-TRK-001"],
    "H4_BAD_TRACKS",
    "TRKS entry 0 has id_length 0 (an empty id).",
    b({ trks: (t) => void (t.tracks[0] = { ...t.tracks[0], id: new Uint8Array(), id_length: 0 }) }),
  );
}

/** A 256-byte track id. */
function n_trk001_id_256_bytes() {
  const id = "v" + "x".repeat(255);
  return invalid(
    ["H4-TRK-001", "H4-LIM-001"],
    "H4_BAD_TRACKS",
    "A track id of 256 bytes (the limit is 255), written consistently in TRKS and everywhere else.",
    build({ safe: SAFE }, [blk("audio", 0, "I", 4), blk(id, 0, "I", 4)]),
    ["H4_LIMIT_EXCEEDED"],
  );
}

/** Tracks out of code point order. */
function n_trk001_not_sorted() {
  return invalid(
    ["H4-TRK-001"],
    "H4_BAD_TRACKS",
    "TRKS lists 'video' before 'audio'; BIDX and KSEK number the tracks in that (wrong) order consistently.",
    b({ tracks: (ts) => ts.reverse() }),
  );
}

/** Tracks sorted by UTF-16 code units instead of code points. */
function n_trk001_utf16_order() {
  return invalid(
    ["H4-TRK-001"],
    "H4_BAD_TRACKS",
    "Track ids U+1F600 and U+FFFF listed in UTF-16 order (the emoji first, as JavaScript's default sort does); code point order puts U+FFFF first.",
    build({ safe: SAFE, hooks: { tracks: (ts) => ts.sort((x, y) => (x.id < y.id ? -1 : 1)) } }, [
      blk("\uffff", 0, "I", 3),
      blk("😀", 0, "I", 3),
    ]),
  );
}

/** Two tracks with the same id. */
function n_trk001_duplicate_ids() {
  return invalid(
    ["H4-TRK-001"],
    "H4_BAD_TRACKS",
    "TRKS names both tracks 'audio': ids must be distinct (strictly increasing).",
    b({
      trks: (t) =>
        void (t.tracks[1] = {
          ...t.tracks[1],
          id: t.tracks[0].id,
          id_length: t.tracks[0].id.length,
        }),
    }),
  );
}

/** A byte after the last track. */
function n_trk001_trailing_byte() {
  return invalid(
    ["H4-TRK-001"],
    "H4_BAD_TRACKS",
    "TRKS has one byte after its last entry.",
    b({ trks: (t) => void (t.trailer = new Uint8Array([0])) }),
  );
}

/** TRKS one byte short. */
function n_trk001_truncated() {
  return invalid(
    ["H4-TRK-001"],
    "H4_BAD_TRACKS",
    "TRKS without its last byte (the last track's keyframes field is short).",
    b({ trksBytes: (x) => x.subarray(0, x.length - 1) }),
  );
}

/** id_length past the end of TRKS. */
function n_trk001_id_length_past_end() {
  return invalid(
    ["H4-TRK-001", "H4-LIM-002"],
    "H4_BAD_TRACKS",
    "The last TRKS entry says id_length 60000; TRKS is a few dozen bytes.",
    b({ trks: (t) => void (t.tracks[1].id_length = 60000) }),
    ["H4_TRUNCATED"],
  );
}

/** track_count larger than the entries. */
function n_trk001_count_too_large() {
  return invalid(
    ["H4-TRK-001"],
    "H4_BAD_TRACKS",
    "TRKS track_count 3 with two entries.",
    b({ trks: (t) => void (t.track_count = 3) }),
  );
}

const BAD_UTF8: [string, number[], string][] = [
  ["overlong", [0xc0, 0xaf], "an overlong encoding of '/' (C0 AF)"],
  ["surrogate", [0xed, 0xa0, 0x80], "an encoded surrogate U+D800 (ED A0 80)"],
  ["truncated_sequence", [0xe6, 0x97], "a three-byte sequence cut after two bytes (E6 97)"],
  ["five_byte", [0xf8, 0x88, 0x80, 0x80, 0x80], "a five-byte form (F8 88 80 80 80)"],
  ["above_10ffff", [0xf4, 0x90, 0x80, 0x80], "a code point above U+10FFFF (F4 90 80 80)"],
  ["lone_continuation", [0x80], "a lone continuation byte (80)"],
];

/** Invalid UTF-8 in a track id, one vector per form. */
function n_enc005_track_id(): Record<string, GeneratedVector> {
  const out: Record<string, GeneratedVector> = {};
  for (const [name, bytes, what] of BAD_UTF8) {
    out[name] = invalid(
      ["H4-ENC-005", "H4-TRK-001"],
      "H4_BAD_UTF8",
      `The id of track 1 in TRKS is 'v' followed by ${what}: not UTF-8.`,
      b({
        trks: (t) =>
          void (t.tracks[1] = {
            ...t.tracks[1],
            id: new Uint8Array([0x76, ...bytes]),
            id_length: 1 + bytes.length,
          }),
      }),
    );
  }
  return out;
}

/** A track's block count off by one. */
function n_trk002_blocks_off_by_one() {
  return invalid(
    ["H4-TRK-002", "H4-LOC-004"],
    "H4_INDEX_MISMATCH",
    "TRKS says the audio track has 5 blocks; the index has 4 (and LOCA's N is 10, not 11).",
    b({ trks: (t) => void (t.tracks[0].blocks = 5) }),
  );
}

/** A track's keyframe count off by one. */
function n_trk002_keyframes_off_by_one() {
  return invalid(
    ["H4-TRK-002"],
    "H4_INDEX_MISMATCH",
    "TRKS says the video track has 2 keyframes; the index has 1.",
    b({ trks: (t) => void (t.tracks[1].keyframes = 2) }),
  );
}

/** Counts swapped between tracks: the sum still matches N. */
function n_trk002_counts_swapped() {
  return invalid(
    ["H4-TRK-002"],
    "H4_INDEX_MISMATCH",
    "TRKS swaps the block and keyframe counts of the two tracks: their sum still equals N, only the per-track comparison with the index catches it.",
    b({
      trks: (t) => {
        const [a, v] = t.tracks;
        [a.blocks, v.blocks, a.keyframes, v.keyframes] = [
          v.blocks,
          a.blocks,
          v.keyframes,
          a.keyframes,
        ];
      },
    }),
  );
}

/** An unknown default codec in TRKS. */
function n_cod001_track_codec_7() {
  return invalid(
    ["H4-COD-001"],
    "H4_UNKNOWN_CODEC",
    "TRKS gives the audio track default codec 7; every block of it carries its own codec byte (none), so only TRKS names the unknown codec.",
    b({ tracks: (ts) => void (ts[0].codec = 7) }),
  );
}

// ---------------------------------------------------------------- BIDX

/** Kind 3. */
function n_idx001_kind_3() {
  return invalid(
    ["H4-IDX-001"],
    "H4_BAD_INDEX",
    "The first non-keyframe block (a video P-frame, in no seek table) has kind 3 in its BIDX head.",
    b({ records: (rs) => void (rs[rs.findIndex((r) => !r.keyframe)].kind = 3) }),
  );
}

/** A page ending inside a record. */
function n_idx002_page_ends_inside_record() {
  return invalid(
    ["H4-IDX-002", "H4-ENC-001"],
    "H4_BAD_VARINT",
    "The BIDX page ends after the last record's pts residual: its stored_length is missing (TDIR's page length and digest agree with the short page). The page ends where a varint should be: H4_BAD_VARINT (H4-ENC-001), not the page's code.",
    b({ bidxBytes: (ps) => ps.map((p) => p.subarray(0, p.length - 1)) }),
  );
}

/** A byte left after the last record. */
function n_idx002_page_trailing_byte() {
  return invalid(
    ["H4-IDX-002"],
    "H4_BAD_INDEX",
    "One zero byte after the last record of the BIDX page (counted in TDIR's page length).",
    b({ bidx: (ps) => void (ps[0].trailer = new Uint8Array([0])) }),
  );
}

/** A track index beyond TRKS. */
function n_idx002_unknown_track_index() {
  return invalid(
    ["H4-IDX-002"],
    "H4_BAD_INDEX",
    "Block 2 names track index 2; TRKS has tracks 0 and 1.",
    b({ records: (rs) => void (rs[2].track_index = 2) }),
  );
}

/** A codec byte equal to the track's codec. */
function n_idx002_redundant_codec_byte() {
  return invalid(
    ["H4-IDX-002"],
    "H4_BAD_INDEX",
    "Block 1 has has_codec = 1 and codec byte 0, the track's own codec: the byte must only appear when it differs.",
    b({
      bidx: (ps) => {
        const r = ps[0].records[1];
        r.head = (r.head as number) | 16;
        r.codec = 0;
      },
    }),
  );
}

/** A later page's first_offset disagrees with the previous page. */
function n_idx005_page_first_offset() {
  return invalid(
    ["H4-IDX-005"],
    "H4_BAD_INDEX",
    "BIDX page 1 (of 7, three blocks each) states a first_offset one byte after where page 0's last record ends.",
    build({
      ...MULTI_OPTS,
      hooks: { bidx: (ps) => void (ps[1].first_offset = (ps[1].first_offset as number) + 1) },
    }, MULTI()),
  );
}

/** A later page's first_chunk disagrees. */
function n_idx005_page_first_chunk() {
  return invalid(
    ["H4-IDX-005"],
    "H4_BAD_INDEX",
    "BIDX page 2 states first_chunk one more than page 1's last record implies.",
    build({
      ...MULTI_OPTS,
      hooks: { bidx: (ps) => void (ps[2].first_chunk = (ps[2].first_chunk as number) + 1) },
    }, MULTI()),
  );
}

/** The first page starts at chunk 1. */
function n_idx005_first_chunk_1() {
  return invalid(
    ["H4-IDX-005", "H4-IDX-004", "H4-FMT-015"],
    "H4_BAD_INDEX",
    "The first BIDX page says first_chunk 1: the file's first block is in storage chunk 0.",
    b({ bidx: (ps) => void (ps[0].first_chunk = 1) }),
    ["H4_INDEX_MISMATCH"],
  );
}

/** The first record of the file without new_chunk. */
function n_idx005_first_record_new_chunk_0() {
  return invalid(
    ["H4-IDX-005"],
    "H4_BAD_INDEX",
    "Block 0's head has new_chunk = 0: page 0 must start at offset 20, in chunk 0, with new_chunk = 1 (offsets and chunks of later blocks are consistent with it).",
    b({ bidx: (ps) => void (ps[0].records[0].head = (ps[0].records[0].head as number) & ~1) }),
  );
}

/** Non-minimal varints in BIDX. */
function n_enc001_bidx_nonminimal_length() {
  return invalid(
    ["H4-ENC-001", "H4-ENC-002"],
    "H4_BAD_VARINT",
    "Block 0's stored_length written with a redundant zero group (e.g. 0x98 0x00 for 24): not minimal.",
    b({
      bidx: (ps) =>
        void (ps[0].records[0].stored_length = varintPadded(
          ps[0].records[0].stored_length as number,
          1,
        )),
    }),
    ["H4_BAD_INDEX"],
  );
}

/** Non-minimal first_offset. */
function n_enc001_bidx_nonminimal_first_offset() {
  return invalid(
    ["H4-ENC-001"],
    "H4_BAD_VARINT",
    "first_offset 20 written as 0x94 0x80 0x00 (three bytes).",
    b({ bidx: (ps) => void (ps[0].first_offset = varintPadded(20, 2)) }),
  );
}

/** Non-minimal head. */
function n_enc001_bidx_nonminimal_head() {
  return invalid(
    ["H4-ENC-001"],
    "H4_BAD_VARINT",
    "Block 3's head varint with a redundant zero group.",
    b({
      bidx: (ps) => void (ps[0].records[3].head = varintPadded(ps[0].records[3].head as number, 1)),
    }),
  );
}

/** A varint of 2^53. */
function n_enc001_bidx_varint_2_53() {
  return invalid(
    ["H4-ENC-001", "H4-LIM-001", "H4-IDX-003", "H4-FMT-015"],
    "H4_BAD_VARINT",
    "Block 9's stored_length is the varint of 2^53, one more than the largest allowed value.",
    b({ bidx: (ps) => void (ps[0].records[9].stored_length = 2n ** 53n) }),
    ["H4_LIMIT_EXCEEDED", "H4_INDEX_OUT_OF_FILE"],
  );
}

/** Ten continuation bytes. */
function n_enc001_bidx_varint_overlong() {
  return invalid(
    ["H4-ENC-001"],
    "H4_BAD_VARINT",
    "Block 9's stored_length is a 10-byte varint (FF x9, 01): longer than 8 bytes, far beyond 2^53.",
    b({
      bidx: (ps) =>
        void (ps[0].records[9].stored_length = raw(255, 255, 255, 255, 255, 255, 255, 255, 255, 1)),
    }),
  );
}

/** A varint that runs past the end of the page. */
function n_idx002_page_trailing_continuation_byte() {
  return invalid(
    ["H4-IDX-002", "H4-ENC-001"],
    "H4_BAD_INDEX",
    "The BIDX page ends with one byte 0x80 after its last record. A reader decodes a page record by record up to its block count, so this is a byte left over (H4-IDX-002), not a varint running past the end (H4-ENC-001).",
    b({ bidx: (ps) => void (ps[0].trailer = new Uint8Array([0x80])) }),
  );
}

/** pts that leaves the allowed range through prediction. */
function n_enc003_pts_overflow() {
  return invalid(
    ["H4-ENC-003", "H4-LIM-001"],
    "H4_LIMIT_EXCEEDED",
    "Track v: block 0 at pts 2^50 - 1 (the largest allowed); block 1's residual 2^52-1 on top of the prediction about 2^51 gives about 3*2^51, beyond the limit. Every svarint is a safe integer; the pts is not allowed.",
    build({
      safe: SAFE,
      hooks: { bidx: (ps) => void (ps[0].records[1].pts_residual = 2 ** 52 - 1) },
    }, [
      blk("v", 2 ** 50 - 1, "I", 3),
      blk("v", 2 ** 50 - 1, "P", 3),
    ]),
  );
}

/** pts just beyond the limits. */
function n_lim001_pts_above_2_50() {
  return invalid(
    ["H4-LIM-001"],
    "H4_LIMIT_EXCEEDED",
    "A keyframe at pts 2^50, one above the limit 2^50 - 1 of section 13 (BIDX and KSEK agree on it).",
    build({ safe: SAFE, hooks: { records: (rs) => void (rs[1].pts = 2 ** 50) } }, [
      blk("v", 0, "I", 3),
      blk("v", 2 ** 50 - 1, "I", 3),
    ]),
  );
}

/** pts just below. */
function n_lim001_pts_below_minus_2_50() {
  return invalid(
    ["H4-LIM-001"],
    "H4_LIMIT_EXCEEDED",
    "A non-keyframe at pts -2^50, one below the limit -(2^50 - 1) of section 13.",
    build({ safe: SAFE, hooks: { records: (rs) => void (rs[1].pts = -(2 ** 50)) } }, [
      blk("v", 0, "I", 3),
      blk("v", -(2 ** 50 - 1), "P", 3),
    ]),
  );
}

/** A block before offset 20. */
function n_idx003_first_offset_8() {
  return invalid(
    ["H4-IDX-003", "H4-IDX-005", "H4-IDX-004", "H4-FMT-015"],
    "H4_INDEX_OUT_OF_FILE",
    "The first page's first_offset is 8: block 0 would overlap the SEGM header, before the storage region (page 0 must also start at 20, H4-IDX-005: H4_BAD_INDEX is as right).",
    b({ bidx: (ps) => void (ps[0].first_offset = 8) }),
    ["H4_BAD_INDEX", "H4_INDEX_MISMATCH"],
  );
}

/** The last block reaches into the tables. */
function n_idx003_block_into_tables() {
  return invalid(
    ["H4-IDX-003", "H4-IDX-004"],
    "H4_INDEX_OUT_OF_FILE",
    "The last block's stored_length is 40 bytes too long: it reaches past the end of the SEGM into BIDX.",
    b({ records: (rs) => void (rs[rs.length - 1].stored_length += 40) }),
    ["H4_INDEX_MISMATCH"],
  );
}

/** A block far past the end of the file. */
function n_idx003_offset_past_end() {
  return invalid(
    ["H4-IDX-003", "H4-IDX-005", "H4-IDX-004", "H4-FMT-015"],
    "H4_INDEX_OUT_OF_FILE",
    "first_offset 1000000000 in a file of under 1 KiB.",
    b({ bidx: (ps) => void (ps[0].first_offset = 1_000_000_000) }),
    ["H4_BAD_INDEX", "H4_INDEX_MISMATCH"],
  );
}

/** An offset whose end is beyond 2^53. */
function n_idx003_offset_max_safe() {
  return invalid(
    ["H4-IDX-003", "H4-IDX-005", "H4-IDX-004", "H4-FMT-015"],
    "H4_INDEX_OUT_OF_FILE",
    "first_offset 2^53-1: offset plus length is not a safe integer; readers must not wrap around.",
    b({ bidx: (ps) => void (ps[0].first_offset = 2 ** 53 - 1) }),
    ["H4_BAD_INDEX", "H4_INDEX_MISMATCH"],
  );
}

/** A storage chunk longer than its blocks. */
function n_idx004_stored_length_short() {
  return invalid(
    ["H4-IDX-004"],
    "H4_INDEX_MISMATCH",
    "Block 3's stored_length is one byte short: the SEGM holds one byte more than its blocks add up to.",
    b({
      records: (rs) => {
        rs[3].stored_length -= 1;
        rs[3].plain_length -= 1;
        relayout(rs);
      },
    }),
  );
}

/** A new SEGM not flagged in the index. */
function n_idx004_missing_new_chunk() {
  return invalid(
    ["H4-IDX-004"],
    "H4_INDEX_MISMATCH",
    "Two SEGMs, but block 5 (the first of the second SEGM) has new_chunk = 0: the index describes one chunk where the file has two.",
    b({
      records: (rs) => {
        rs[5].new_chunk = false;
        relayout(rs);
      },
    }, { segmentBefore: (x) => x.index === 5 }),
  );
}

/** A new chunk flagged where there is none. */
function n_idx004_extra_new_chunk() {
  return invalid(
    ["H4-IDX-004", "H4-IDX-003", "H4-FMT-015"],
    "H4_INDEX_MISMATCH",
    "One SEGM, but block 3 has new_chunk = 1: the index expects a chunk header that is not there (and counts 2 chunks where LOCA says 1).",
    b({
      records: (rs) => {
        rs[3].new_chunk = true;
        relayout(rs);
      },
    }),
    ["H4_INDEX_OUT_OF_FILE"],
  );
}

/** A v1 CORE chunk longer than its block. */
function n_idx004_v1_core_longer() {
  return invalid(
    ["H4-IDX-004"],
    "H4_INDEX_MISMATCH",
    "v1: CORE chunk 2 has one byte more than block 2's stored_length.",
    b({ storage: (cs) => void (cs[2].payload = cat(cs[2].payload, new Uint8Array([0]))) }, {
      profile: "v1",
    }),
  );
}

// ---------------------------------------------------------------- TDIR and BHSH

/** A page count that does not match N. */
function n_tdr001_bidx_page_count() {
  return invalid(
    ["H4-TDR-001"],
    "H4_BAD_INDEX",
    "TDIR says 2 BIDX pages (the second empty) for 10 blocks at 4096 per page (H4-LOC-004 makes it an index mismatch as well).",
    b({
      tdir: (t) => {
        t.bidx_page_count = 2;
        t.pages.push({ length: 0, digest: sha256(new Uint8Array()) });
      },
    }),
  );
}

/** Page lengths that add up to less than BIDX. */
function n_tdr001_page_length_short() {
  return invalid(
    ["H4-TDR-001"],
    "H4_BAD_INDEX",
    "TDIR's only BIDX page length is one less than the BIDX payload.",
    b({ tdir: (t) => void (t.pages[0].length = (t.pages[0].length as number) - 1) }),
  );
}

/** Page lengths that add up to more than BIDX. */
function n_tdr001_page_length_long() {
  return invalid(
    ["H4-TDR-001"],
    "H4_BAD_INDEX",
    "TDIR's only BIDX page length is one more than the BIDX payload.",
    b({ tdir: (t) => void (t.pages[0].length = (t.pages[0].length as number) + 1) }),
  );
}

/** Bytes after TDIR's last field. */
function n_tdr001_trailing_bytes() {
  return invalid(
    ["H4-TDR-001"],
    "H4_BAD_INDEX",
    "Four zero bytes after TDIR's last BHSH page digest.",
    b({ tdir: (t) => void (t.trailer = new Uint8Array(4)) }),
  );
}

/** A BHSH page count that does not match C. */
function n_tdr001_bhsh_page_count() {
  return invalid(
    ["H4-TDR-001"],
    "H4_BAD_INDEX",
    "TDIR says 2 BHSH pages for 1 storage chunk (H4-LOC-004 makes it an index mismatch as well).",
    b({
      tdir: (t) => {
        t.bhsh_page_count = 2;
        t.bhsh_digests.push(sha256(new Uint8Array()));
      },
    }),
  );
}

/** blocks_per_page 0. */
function n_tdr001_blocks_per_page_0() {
  return invalid(
    ["H4-TDR-001"],
    "H4_BAD_INDEX",
    "blocks_per_page 0 (the page count then cannot be computed): P must be 1..65536.",
    b({ tdir: (t) => void (t.blocks_per_page = 0) }),
  );
}

/** blocks_per_page 65537. */
function n_tdr001_blocks_per_page_65537() {
  return invalid(
    ["H4-TDR-001", "H4-LIM-001"],
    "H4_BAD_INDEX",
    "blocks_per_page 65537, one above the range of H4-TDR-001, whose code section 13 defers to (the page count, 1, is still right).",
    b({ tdir: (t) => void (t.blocks_per_page = 65537) }),
  );
}

/** hashes_per_page 0. */
function n_tdr001_hashes_per_page_0() {
  return invalid(
    ["H4-TDR-001"],
    "H4_BAD_INDEX",
    "hashes_per_page 0: H must be 1..65536.",
    b({ tdir: (t) => void (t.hashes_per_page = 0) }),
  );
}

/** hashes_per_page 65537. */
function n_tdr001_hashes_per_page_65537() {
  return invalid(
    ["H4-TDR-001", "H4-LIM-001"],
    "H4_BAD_INDEX",
    "hashes_per_page 65537, one above the limit.",
    b({ tdir: (t) => void (t.hashes_per_page = 65537) }),
  );
}

/** A BIDX page length above 1 MiB. */
function n_lim001_bidx_page_over_1mib() {
  return invalid(
    ["H4-LIM-001", "H4-LIM-002"],
    "H4_LIMIT_EXCEEDED",
    "TDIR says the BIDX page is 1 MiB + 1 bytes long (BIDX is far shorter).",
    b({ tdir: (t) => void (t.pages[0].length = 1024 * 1024 + 1) }),
    ["H4_BAD_INDEX"],
  );
}

/** A wrong BIDX page digest. */
function n_tdr002_bidx_digest() {
  return invalid(
    ["H4-TDR-002"],
    "H4_DIGEST_MISMATCH",
    "TDIR's digest of BIDX page 0 has one bit flipped (the root covers the flipped TDIR, so it is consistent).",
    b({ tdir: (t) => void (t.pages[0].digest = flip(t.pages[0].digest)) }),
  );
}

/** A wrong digest of a later page. */
function n_tdr002_third_page_digest() {
  return invalid(
    ["H4-TDR-002"],
    "H4_DIGEST_MISMATCH",
    "Seven BIDX pages; the digest of page 2 is wrong.",
    build({
      ...MULTI_OPTS,
      hooks: { tdir: (t) => void (t.pages[2].digest = flip(t.pages[2].digest, 31)) },
    }, MULTI()),
  );
}

/** A BIDX page changed after its digest was taken. */
function n_tdr002_bidx_page_changed() {
  let digest: Uint8Array = new Uint8Array(32);
  return invalid(
    ["H4-TDR-002"],
    "H4_DIGEST_MISMATCH",
    "Block 2's pts residual in BIDX was changed by one after TDIR took the page digest: the page still decodes, only its digest shows the change.",
    b({
      bidx: (ps) => {
        digest = sha256(encodeBidxPage(ps[0]));
        ps[0].records[2].pts_residual = (ps[0].records[2].pts_residual as number) + 1;
      },
      tdir: (t) => void (t.pages[0].digest = digest),
    }),
  );
}

/** A wrong BHSH page digest. */
function n_tdr002_bhsh_digest() {
  return invalid(
    ["H4-TDR-002"],
    "H4_DIGEST_MISMATCH",
    "TDIR's digest of BHSH page 0 has one bit flipped.",
    b({ tdir: (t) => void (t.bhsh_digests[0] = flip(t.bhsh_digests[0])) }),
  );
}

/** BHSH one byte short. */
function n_bhs001_short() {
  return invalid(
    ["H4-BHS-001"],
    "H4_BAD_INDEX",
    "BHSH is 31 bytes for one storage chunk (TDIR's page digest covers the short table).",
    b({ bhsh: (x) => x.subarray(0, 31) }),
  );
}

/** BHSH with an extra entry. */
function n_bhs001_extra_entry() {
  return invalid(
    ["H4-BHS-001"],
    "H4_BAD_INDEX",
    "BHSH has 2 entries for 1 storage chunk.",
    b({ bhsh: (x) => cat(x, new Uint8Array(32)) }),
  );
}

/** A wrong BHSH entry. */
function n_int003_bhsh_entry() {
  return invalid(
    ["H4-INT-003"],
    "H4_BLOCK_HASH_MISMATCH",
    "BHSH entry 0 has one bit flipped (its TDIR page digest matches the flipped table).",
    b({ bhsh: (x) => flip(x, 7) }),
  );
}

/** A wrong BHSH entry on the second BHSH page. */
function n_int003_bhsh_second_page() {
  return invalid(
    ["H4-INT-003"],
    "H4_BLOCK_HASH_MISMATCH",
    "Three SEGMs, BHSH pages of two hashes; entry 2 (alone on page 1) is wrong.",
    build({ ...MULTI_OPTS, hooks: { bhsh: (x) => flip(x, 2 * 32 + 5) } }, MULTI()),
  );
}

/** A wrong BHSH entry in v1. */
function n_int003_v1_bhsh_entry() {
  return invalid(
    ["H4-INT-003"],
    "H4_BLOCK_HASH_MISMATCH",
    "v1: the BHSH entry of CORE chunk 4 is wrong.",
    b({ bhsh: (x) => flip(x, 4 * 32) }, { profile: "v1" }),
  );
}

// ---------------------------------------------------------------- KSEK

/** Entry fields from the index for block `i`. */
function entryOf(s: Craft, i: number) {
  const r = s.records[i];
  return {
    pts: r.pts,
    index: i,
    offset: r.offset,
    stored_length: r.stored_length,
    kind: r.kind,
    codec: r.codec,
    plain_length: r.plain_length,
  };
}

/** A seek entry naming a non-keyframe. */
function n_sek001_not_keyframe() {
  return invalid(
    ["H4-SEK-001"],
    "H4_BAD_SEEK_TABLE",
    "The video seek table's second entry is replaced by the video P-frame after block 0, with that block's true pts, offset and length.",
    build({
      safe: SAFE,
      hooks: {
        seek: (t, s) => {
          t[1][1] = entryOf(s, s.records.findIndex((r) => r.track_index === 1 && !r.keyframe));
          t[1].sort((x, y) => x.pts - y.pts || x.index - y.index);
        },
      },
    }, videoWithAudio()),
  );
}

/** A seek entry naming another track's block. */
function n_sek001_other_track() {
  return invalid(
    ["H4-SEK-001"],
    "H4_BAD_SEEK_TABLE",
    "The audio seek table also lists the first video keyframe, with its true fields.",
    b({
      seek: (t, s) => {
        t[0].push(entryOf(s, s.records.findIndex((r) => r.track_index === 1 && r.keyframe)));
        t[0].sort((x, y) => x.pts - y.pts || x.index - y.index);
      },
    }),
  );
}

function sek001(field: "pts" | "offset" | "stored_length" | "kind" | "codec", what: string) {
  return invalid(
    ["H4-SEK-001"],
    "H4_BAD_SEEK_TABLE",
    `The video seek table's first entry has a wrong ${what}; everything else matches the index.`,
    b({
      seek: (t) => {
        const e = t[1][0];
        if (field === "kind") e.kind = 1;
        else if (field === "codec") {
          e.codec = 2;
          e.plain_length = e.stored_length;
        } else e[field] += 1;
      },
    }),
  );
}

/** Wrong pts in a seek entry. */
function n_sek001_pts() {
  return sek001("pts", "pts (+1)");
}
/** Wrong offset. */
function n_sek001_offset() {
  return sek001("offset", "offset (+1)");
}
/** Wrong stored length. */
function n_sek001_stored_length() {
  return sek001("stored_length", "stored length (+1)");
}
/** Wrong kind. */
function n_sek001_kind() {
  return sek001("kind", "kind (P instead of I)");
}
/** Wrong codec. */
function n_sek001_codec() {
  return sek001("codec", "codec (rle instead of none, with a plain length)");
}

/** A seek entry past the last block. */
function n_sek001_index_past_end() {
  return invalid(
    ["H4-SEK-001"],
    "H4_BAD_SEEK_TABLE",
    "The audio seek table's last entry names block 40 of 10.",
    b({ seek: (t) => void (t[0][t[0].length - 1].index = 40) }),
  );
}

function videoWithAudio() {
  return interleave(gop("video", 13), audio("audio", 4, 0, 150_000));
}

/** Entries out of pts order. */
function n_sek002_out_of_order() {
  return invalid(
    ["H4-SEK-002"],
    "H4_BAD_SEEK_TABLE",
    "The video seek table lists its keyframes at 240000 and 0 in that order (residuals coded consistently).",
    build(
      { safe: SAFE, hooks: { seek: (t) => void ([t[1][0], t[1][1]] = [t[1][1], t[1][0]]) } },
      videoWithAudio(),
    ),
  );
}

/** Equal pts listed with the larger block index first. */
function n_sek002_tie_order() {
  const blocks = [
    blk("v", 0, "I", 5, { seed: 1 }),
    blk("v", 40_000, "I", 5, { seed: 2 }),
    blk("v", 40_000, "I", 5, { seed: 3 }),
    blk("v", 80_000, "P", 5, { seed: 4 }),
  ];
  return invalid(
    ["H4-SEK-002"],
    "H4_BAD_SEEK_TABLE",
    "Keyframes 1 and 2 share pts 40000; the table lists block 2 before block 1. Ties must be in block order.",
    build(
      { safe: SAFE, hooks: { seek: (t) => void ([t[0][1], t[0][2]] = [t[0][2], t[0][1]]) } },
      blocks,
    ),
  );
}

/** The first keyframe missing. */
function n_sek003_first_keyframe_missing() {
  return invalid(
    ["H4-SEK-003"],
    "H4_BAD_SEEK_TABLE",
    "The video track (with P and B frames) lacks its first keyframe (block 0) in KSEK.",
    build({ safe: SAFE, hooks: { seek: (t) => void t[1].shift() } }, videoWithAudio()),
  );
}

/** A later keyframe missing in a track with non-keyframes. */
function n_sek003_keyframe_missing() {
  return invalid(
    ["H4-SEK-003"],
    "H4_BAD_SEEK_TABLE",
    "The video track lacks its second keyframe in KSEK: every keyframe of a track with non-keyframes must be listed.",
    build({ safe: SAFE, hooks: { seek: (t) => void t[1].splice(1, 1) } }, videoWithAudio()),
  );
}

/** The first keyframe of an all-keyframe track missing. */
function n_sek003_all_key_first_missing() {
  return invalid(
    ["H4-SEK-003"],
    "H4_BAD_SEEK_TABLE",
    "The all-keyframe audio track lists blocks 2 and 3 but not its first block: thinning may drop later keyframes, never the first.",
    b({ seek: (t) => void t[0].splice(0, 1) }, { seekIntervalUs: 0 }),
  );
}

/** KSEK track_count differs from TRKS. */
function n_ksek_track_count() {
  return invalid(
    ["H4-SEK-004"],
    "H4_BAD_SEEK_TABLE",
    "KSEK track_count 3 (with a third, empty table) while TRKS has 2 tracks.",
    b({
      ksek: (k) => {
        k.track_count = 3;
        k.tables.push({ n: 0, entries: [], trailer: new Uint8Array() });
      },
    }),
  );
}

/** A table length that does not fit its table. */
function n_ksek_table_length() {
  return invalid(
    ["H4-SEK-004", "H4-ENC-001"],
    "H4_BAD_SEEK_TABLE",
    "KSEK's first table_length is one more than the table (the second table then starts a byte late and the lengths overrun KSEK).",
    b({
      ksekBytes: (x) => {
        const o = x.slice();
        new DataView(o.buffer).setUint32(4, new DataView(o.buffer).getUint32(4) + 1);
        return o;
      },
    }),
    ["H4_BAD_VARINT"],
  );
}

/** Bytes after KSEK's last table. */
function n_ksek_trailing_bytes() {
  return invalid(
    ["H4-SEK-004"],
    "H4_BAD_SEEK_TABLE",
    "Two zero bytes after KSEK's last table.",
    b({ ksek: (k) => void (k.trailer = new Uint8Array(2)) }),
  );
}

/** A byte inside a table after its entries. */
function n_ksek_table_trailing_byte() {
  return invalid(
    ["H4-SEK-004"],
    "H4_BAD_SEEK_TABLE",
    "The audio table has a zero byte after its last entry (included in its table_length).",
    b({ ksek: (k) => void (k.tables[0].trailer = new Uint8Array([0])) }),
  );
}

/** An entry count far beyond the table. */
function n_ksek_count_huge() {
  return invalid(
    ["H4-SEK-004", "H4-LIM-002"],
    "H4_BAD_SEEK_TABLE",
    "The audio table says n = 2^40 entries in a table of a few bytes: a reader must not allocate for it.",
    b({ ksek: (k) => void (k.tables[0].n = 2 ** 40) }),
    ["H4_LIMIT_EXCEEDED"],
  );
}

/** A non-minimal varint in KSEK. */
function n_enc001_ksek_nonminimal() {
  return invalid(
    ["H4-ENC-001"],
    "H4_BAD_VARINT",
    "The audio table's n written with a redundant zero group.",
    b({ ksek: (k) => void (k.tables[0].n = varintPadded(k.tables[0].n as number, 1)) }),
  );
}

// ---------------------------------------------------------------- LOCA

function loca(f: (l: LocaStruct, s: Craft) => void, opts: CraftOptions = {}) {
  return b({ loca: (l, s) => void f(l, s) }, opts);
}

/** Slot index of a tag. */
function slot(tag: string): number {
  return SLOT_TAGS.indexOf(tag as typeof SLOT_TAGS[number]);
}

/** locator_version 0 and 2. */
function n_loc002_version_0() {
  return invalid(
    ["H4-LOC-002"],
    "H4_BAD_LOCATOR",
    "locator_version 0.",
    loca((l) => void (l.locator_version = 0)),
  );
}
/** Version 2. */
function n_loc002_version_2() {
  return invalid(
    ["H4-LOC-002"],
    "H4_BAD_LOCATOR",
    "locator_version 2.",
    loca((l) => void (l.locator_version = 2)),
  );
}
/** Unknown flag bit 1. */
function n_loc002_flag_bit_1() {
  return invalid(
    ["H4-LOC-002"],
    "H4_BAD_LOCATOR",
    "LOCA flags 0x0002: an unknown flag bit.",
    loca((l) => void (l.flags = 2)),
  );
}
/** Unknown flag bit 15. */
function n_loc002_flag_bit_15() {
  return invalid(
    ["H4-LOC-002"],
    "H4_BAD_LOCATOR",
    "LOCA flags 0x8000: an unknown flag bit.",
    loca((l) => void (l.flags = 0x8000)),
  );
}
/** Payload of 159 bytes. */
function n_loc002_payload_159() {
  return invalid(
    ["H4-LOC-002"],
    "H4_BAD_LOCATOR",
    "LOCA payload of 159 bytes (the root's last byte missing): the last 172 bytes of the file do not start with 'LOCA'.",
    b({ locaBytes: (x) => x.subarray(0, 159) }),
  );
}
/** Payload of 161 bytes. */
function n_loc002_payload_161() {
  return invalid(
    ["H4-LOC-002"],
    "H4_BAD_LOCATOR",
    "LOCA payload of 161 bytes (an extra byte after the root).",
    b({ locaBytes: (x) => cat(x, new Uint8Array(1)) }),
  );
}
/** Header copy's reserved field differs. */
function n_loc002_header_copy_reserved() {
  return invalid(
    ["H4-LOC-002", "H4-FMT-003"],
    "H4_BAD_LOCATOR",
    "LOCA's header copy has reserved = 1 while the header has 0. H4-FMT-003 has readers ignore the reserved value except in this comparison: the copy must equal the header byte for byte, reserved included (H4-LOC-002).",
    loca((l) => void (l.header = new Uint8Array([0x48, 0x34, 0x4d, 0x4b, 0, 2, 0, 1]))),
  );
}

/** A slot outside the file. */
function n_loc002_slot_outside_file() {
  return invalid(
    ["H4-LOC-002"],
    "H4_BAD_LOCATOR",
    "The META slot's offset is 100000; the file is under 1 KiB.",
    loca((l) => void (l.slots[slot("META")].offset = 100_000)),
  );
}
/** A slot pointing at another chunk. */
function n_loc002_slot_wrong_tag() {
  return invalid(
    ["H4-LOC-002"],
    "H4_BAD_LOCATOR",
    "The META slot points at the SAFE chunk (offset and length of SAFE).",
    loca((l) => void (l.slots[slot("META")] = { ...l.slots[slot("SAFE")] })),
  );
}
/** A slot length that differs from the chunk header. */
function n_loc002_slot_length() {
  return invalid(
    ["H4-LOC-002", "H4-TDR-001", "H4-FMT-015"],
    "H4_BAD_LOCATOR",
    "The BIDX slot's length is one more than the BIDX chunk. A random-access reader takes BIDX's length from its slot without reading the chunk's header, so for it TDIR's page lengths no longer add up (H4-TDR-001): either code is right.",
    loca((l) => void (l.slots[slot("BIDX")].length = (l.slots[slot("BIDX")].length as number) + 1)),
    ["H4_BAD_INDEX"],
  );
}
/** A slot into the storage region. */
function n_loc002_slot_in_storage() {
  return invalid(
    ["H4-LOC-002"],
    "H4_BAD_LOCATOR",
    "The TRKS slot points at offset 8 with the SEGM's length: inside the storage chunks.",
    loca((l, s) => void (l.slots[slot("TRKS")] = { offset: 8, length: s.layout[0].length })),
  );
}
/** A slot into the middle of a chunk. */
function n_loc002_slot_mid_chunk() {
  return invalid(
    ["H4-LOC-002"],
    "H4_BAD_LOCATOR",
    "The KSEK slot's offset is one byte after the KSEK chunk's start.",
    loca((l) => void (l.slots[slot("KSEK")].offset = (l.slots[slot("KSEK")].offset as number) + 1)),
  );
}
/** Offset 0 with a length. */
function n_loc002_slot_half_absent() {
  return invalid(
    ["H4-LOC-002"],
    "H4_BAD_LOCATOR",
    "No SAFE chunk; the SAFE slot has offset 0 but length 30: absent is offset 0 and length 0.",
    loca((l) => void (l.slots[slot("SAFE")].length = 30), { safe: null }),
  );
}
/** A slot pointing at LOCA itself. */
function n_loc002_slot_at_loca() {
  return invalid(
    ["H4-LOC-002"],
    "H4_BAD_LOCATOR",
    "The META slot points at the LOCA chunk itself (offset and 172 bytes).",
    loca((l, s) => {
      const end = s.layout[s.layout.length - 1];
      l.slots[slot("META")] = { offset: end.offset + end.length, length: 172 };
    }),
  );
}

/** A required table missing, one vector per table. */
function n_loc003_missing(): Record<string, GeneratedVector> {
  const out: Record<string, GeneratedVector> = {};
  // Every slot of a required table: LOCA's slots but SAFE and LIVC, which may be absent.
  for (const tag of SLOT_TAGS.filter((t) => t !== "SAFE" && t !== "LIVC")) {
    out[tag.toLowerCase()] = invalid(
      ["H4-LOC-003"],
      "H4_MISSING_CHUNK",
      `No ${tag} chunk; its LOCA slot is 0/0 (the root is computed over what is present).`,
      b({ chunks: (cs) => cs.filter((c) => c.tag !== tag) }),
    );
  }
  return out;
}

/** A table present but its slot empty. */
function n_loc003_slot_empty_chunk_present() {
  return invalid(
    ["H4-LOC-003"],
    "H4_MISSING_CHUNK",
    "The TDIR chunk is in the file but its LOCA slot is 0/0: readers find tables only through LOCA.",
    loca((l) => void (l.slots[slot("TDIR")] = { offset: 0, length: 0 })),
  );
}

/** Encrypted flag without LIVC. */
function n_loc003_flag_without_livc() {
  return invalid(
    ["H4-LOC-003"],
    "H4_MISSING_CHUNK",
    "LOCA flag bit 0 (encrypted) is set but there is no LIVC chunk (blocks are plain).",
    b({}, { encryptedFlag: true }),
  );
}

/** LIVC without the flag. */
function n_loc003_livc_without_flag() {
  return invalid(
    ["H4-LOC-003"],
    "H4_MISSING_CHUNK",
    "A LIVC chunk with its slot filled, but LOCA flag bit 0 clear: LIVC must be present exactly when the flag is set.",
    loca((l) => void (l.flags = 0), { livc: new Uint8Array(48) }),
  );
}

/** LOCA track_count differs from TRKS. */
function n_loc004_track_count() {
  return invalid(
    ["H4-LOC-004"],
    "H4_INDEX_MISMATCH",
    "LOCA says 3 tracks; TRKS has 2.",
    loca((l) => void (l.track_count = 3)),
  );
}

/** LOCA N differs. */
function n_loc004_block_count() {
  return invalid(
    ["H4-LOC-004", "H4-TRK-002"],
    "H4_INDEX_MISMATCH",
    "LOCA says 11 blocks; TRKS and the index have 10 (TDIR's one page fits both).",
    loca((l) => void (l.block_count = 11)),
    ["H4_BAD_INDEX"],
  );
}

/** LOCA C differs from the index (BHSH has a matching extra entry). */
function n_loc004_chunk_count() {
  return invalid(
    ["H4-LOC-004", "H4-IDX-004"],
    "H4_INDEX_MISMATCH",
    "LOCA says 2 storage chunks and BHSH has 2 entries, but the file and the index have 1 SEGM.",
    b({ bhsh: (x) => cat(x, sha256(utf8("nothing"))), loca: (l) => void (l.chunk_count = 2) }),
  );
}

/** A u64 above 2^53 − 1 in LOCA. */
function n_enc004_loca_block_count() {
  return invalid(
    ["H4-ENC-004", "H4-LIM-001", "H4-LOC-004", "H4-FMT-015"],
    "H4_BAD_VARINT",
    "LOCA block_count is 2^53.",
    loca((l) => void (l.block_count = 2n ** 53n)),
    ["H4_LIMIT_EXCEEDED", "H4_INDEX_MISMATCH"],
  );
}

/** A u64 above 2^53 − 1 in TRKS. */
function n_enc004_trks_blocks() {
  return invalid(
    ["H4-ENC-004", "H4-LIM-001", "H4-TRK-002", "H4-FMT-015"],
    "H4_BAD_VARINT",
    "TRKS gives the audio track 2^63 blocks.",
    b({ trks: (t) => void (t.tracks[0].blocks = 2n ** 63n) }),
    ["H4_LIMIT_EXCEEDED", "H4_INDEX_MISMATCH"],
  );
}

/** A slot offset above 2^53 − 1. */
function n_enc004_slot_offset() {
  return invalid(
    ["H4-ENC-004", "H4-LOC-002"],
    "H4_BAD_VARINT",
    "The META slot's offset is 2^60.",
    loca((l) => void (l.slots[slot("META")].offset = 2n ** 60n)),
    ["H4_BAD_LOCATOR"],
  );
}

/** More blocks than the limit. */
function n_lim001_block_count_2_32() {
  return invalid(
    ["H4-LIM-001", "H4-LOC-004", "H4-TDR-001", "H4-FMT-015"],
    "H4_LIMIT_EXCEEDED",
    "LOCA block_count 2^32 (the limit is 2^32-1).",
    loca((l) => void (l.block_count = 2 ** 32)),
    ["H4_INDEX_MISMATCH", "H4_BAD_INDEX"],
  );
}

/** More tracks than the limit. */
function n_lim001_tracks_65536() {
  return invalid(
    ["H4-LIM-001", "H4-LIM-002", "H4-TRK-001", "H4-FMT-015"],
    "H4_LIMIT_EXCEEDED",
    "LOCA and TRKS say 65536 tracks (the limit is 65535); TRKS holds two.",
    b({ trks: (t) => void (t.track_count = 65536), loca: (l) => void (l.track_count = 65536) }),
    ["H4_BAD_TRACKS"],
  );
}

/** A wrong root. */
function n_int004_root_flipped() {
  return invalid(
    ["H4-INT-004"],
    "H4_DIGEST_MISMATCH",
    "The root digest in LOCA has one bit flipped.",
    b({ root: (r) => flip(r, 16) }),
  );
}

function rootWith(f: (prefix: Uint8Array, s: Craft) => Uint8Array): Craft {
  let l: LocaStruct;
  return b({
    loca: (x) => void (l = x),
    root: (_r, s) => f(encodeLocaPrefix(l), s),
  });
}

/** Root over the first draft's 24-byte LOCA prefix. */
function n_int004_root_old_prefix() {
  return invalid(
    ["H4-INT-004"],
    "H4_DIGEST_MISMATCH",
    "Root computed over LOCA bytes 8..32 (the first draft's 24-byte prefix, without the header copy) instead of 0..32.",
    rootWith((p, s) => rootDigest(p.subarray(8, 32), s.tables)),
  );
}

/** Root without the domain string. */
function n_int004_root_no_domain() {
  return invalid(
    ["H4-INT-004"],
    "H4_DIGEST_MISMATCH",
    "Root computed without the 'H4MK-ROOT-1' prefix.",
    rootWith((p, s) => {
      const parts = [p.subarray(0, 32)];
      for (const t of ROOTED_TAGS) {
        parts.push(s.tables[t] ? sha256(s.tables[t]!) : new Uint8Array(32));
      }
      return sha256(cat(...parts));
    }),
  );
}

/** Root that ignores SAFE. */
function n_int004_root_without_safe() {
  return invalid(
    ["H4-INT-004"],
    "H4_DIGEST_MISMATCH",
    "Root computed with D(SAFE) = 32 zero bytes although SAFE is present.",
    rootWith((p, s) => rootDigest(p, { ...s.tables, SAFE: null })),
  );
}

/** META changed after the root was computed. */
function n_int004_meta_changed() {
  return invalid(
    ["H4-INT-004"],
    "H4_DIGEST_MISMATCH",
    'Root computed over a different META ({"title":"original"}) than the one in the file: a rewritten META.',
    rootWith((p, s) => rootDigest(p, { ...s.tables, META: utf8('{"title":"original"}') })),
  );
}

/** Vectors of this module. */
/** A record head of 2^53 + its real value: only the cap tells it apart (H4-ENC-001). */
function n_enc001_bidx_head_above_2_53() {
  return invalid(
    ["H4-ENC-001"],
    "H4_BAD_VARINT",
    "Block 1's record head is its real value plus 2^53 (a minimal 8-byte varint). A reader that does not enforce the 2^53 − 1 cap and takes track, kind and flags from the low bits (32-bit shifts and masks) reads the file as valid; the cap holds in every field, not only in lengths.",
    b({
      bidx: (ps) =>
        void (ps[0].records[1].head = 2n ** 53n + BigInt(ps[0].records[1].head as number)),
    }),
  );
}

/** A varint cut by the end of its page (H4-ENC-001, not H4-IDX-002). */
function n_enc001_bidx_varint_cut() {
  return invalid(
    ["H4-ENC-001", "H4-IDX-002"],
    "H4_BAD_VARINT",
    "The last record's stored_length is one byte with the continuation bit set, and the page ends there (TDIR's page length and digest agree): a varint that runs past the end of its page.",
    b({
      bidx: (ps) => {
        const r = ps[0].records[ps[0].records.length - 1];
        r.stored_length = raw(0x80 | Number(r.stored_length));
      },
    }),
  );
}

/** Both BHSH and KSEK are wrong: either code is right (H4-FMT-015). */
function n_fmt015_two_defects() {
  return invalid(
    ["H4-FMT-015", "H4-SEK-001", "H4-INT-003"],
    "H4_BAD_SEEK_TABLE",
    "Two defects, each with every digest recomputed: the video seek table's first entry has pts + 1 (H4-SEK-001) and BHSH entry 0 has a bit flipped (H4-INT-003). The order of checks is free, so H4_BAD_SEEK_TABLE and H4_BLOCK_HASH_MISMATCH are both right.",
    b({ seek: (t) => void (t[1][0].pts += 1), bhsh: (x) => flip(x, 7) }),
    ["H4_BLOCK_HASH_MISMATCH"],
  );
}

/** One block listed twice: equal entries are out of order (H4-SEK-002). */
function n_sek002_duplicate_entry() {
  return invalid(
    ["H4-SEK-002"],
    "H4_BAD_SEEK_TABLE",
    "The video seek table lists its first keyframe twice (two equal entries, deltas 0): entries must be strictly increasing by (pts, block index).",
    b({ seek: (t) => void t[1].splice(1, 0, { ...t[1][0] }) }),
  );
}

/** info above 11: kind 3 (H4-SEK-004). */
function n_sek004_info_kind_3() {
  return invalid(
    ["H4-SEK-004"],
    "H4_BAD_SEEK_TABLE",
    "The video seek table's first entry has info 12 (kind 3, codec none): kind = info >> 2 must be 0..2.",
    b({ ksek: (k) => void (k.tables[1].entries[0].info = 12) }),
  );
}

/** Codec id 3 in a KSEK info (H4-COD-001). */
function n_cod001_ksek_codec_3() {
  return invalid(
    ["H4-COD-001", "H4-SEK-004"],
    "H4_UNKNOWN_CODEC",
    "The video seek table's first entry has info 3 (kind I, codec id 3): the low two bits are the codec id, and 3 is no codec.",
    b({ ksek: (k) => void (k.tables[1].entries[0].info = 3) }),
  );
}

/** TDIR cut inside a field (H4-TDR-001, not H4_TRUNCATED). */
function n_tdr001_truncated() {
  return invalid(
    ["H4-TDR-001"],
    "H4_BAD_INDEX",
    "TDIR's payload ends 5 bytes early, inside the last BHSH page digest (LOCA's slot and the CRC agree with the short chunk): a table that ends inside a field is its own code, not H4_TRUNCATED.",
    b({ tdirBytes: (x) => x.subarray(0, x.length - 5) }),
  );
}

/** An empty SEGM after the last block (H4-IDX-004). */
function n_idx004_empty_segm_at_end() {
  return invalid(
    ["H4-IDX-004"],
    "H4_INDEX_MISMATCH",
    "An empty SEGM (no block, length 0) after the last block's SEGM, counted in LOCA's C and BHSH (C = 2 ≤ N = 10): every storage chunk must hold a block.",
    b({ storage: (st) => void st.push({ tag: "SEGM", blocks: [], payload: new Uint8Array() }) }),
  );
}

/** C > N (H4-LOC-004). */
function n_loc004_chunks_exceed_blocks() {
  return invalid(
    ["H4-LOC-004", "H4-IDX-004"],
    "H4_INDEX_MISMATCH",
    "One block (N = 1) and two storage chunks (C = 2: an empty SEGM after the block's, counted in BHSH and TDIR): C must not exceed N.",
    build({
      safe: SAFE,
      hooks: {
        storage: (st) => void st.push({ tag: "SEGM", blocks: [], payload: new Uint8Array() }),
      },
    }, [blk("video", 0, "I", 9)]),
  );
}

export const TABLE_VECTORS: VectorFn[] = [
  n_trk001_empty_id,
  n_trk001_id_256_bytes,
  n_trk001_not_sorted,
  n_trk001_utf16_order,
  n_trk001_duplicate_ids,
  n_trk001_trailing_byte,
  n_trk001_truncated,
  n_trk001_id_length_past_end,
  n_trk001_count_too_large,
  n_enc005_track_id,
  n_trk002_blocks_off_by_one,
  n_trk002_keyframes_off_by_one,
  n_trk002_counts_swapped,
  n_cod001_track_codec_7,
  n_idx001_kind_3,
  n_idx002_page_ends_inside_record,
  n_idx002_page_trailing_byte,
  n_idx002_unknown_track_index,
  n_idx002_redundant_codec_byte,
  n_idx005_page_first_offset,
  n_idx005_page_first_chunk,
  n_idx005_first_chunk_1,
  n_idx005_first_record_new_chunk_0,
  n_enc001_bidx_nonminimal_length,
  n_enc001_bidx_nonminimal_first_offset,
  n_enc001_bidx_nonminimal_head,
  n_enc001_bidx_varint_2_53,
  n_enc001_bidx_varint_overlong,
  n_idx002_page_trailing_continuation_byte,
  n_enc003_pts_overflow,
  n_lim001_pts_above_2_50,
  n_lim001_pts_below_minus_2_50,
  n_idx003_first_offset_8,
  n_idx003_block_into_tables,
  n_idx003_offset_past_end,
  n_idx003_offset_max_safe,
  n_idx004_stored_length_short,
  n_idx004_missing_new_chunk,
  n_idx004_extra_new_chunk,
  n_idx004_v1_core_longer,
  n_tdr001_bidx_page_count,
  n_tdr001_page_length_short,
  n_tdr001_page_length_long,
  n_tdr001_trailing_bytes,
  n_tdr001_bhsh_page_count,
  n_tdr001_blocks_per_page_0,
  n_tdr001_blocks_per_page_65537,
  n_tdr001_hashes_per_page_0,
  n_tdr001_hashes_per_page_65537,
  n_lim001_bidx_page_over_1mib,
  n_tdr002_bidx_digest,
  n_tdr002_third_page_digest,
  n_tdr002_bidx_page_changed,
  n_tdr002_bhsh_digest,
  n_bhs001_short,
  n_bhs001_extra_entry,
  n_int003_bhsh_entry,
  n_int003_bhsh_second_page,
  n_int003_v1_bhsh_entry,
  n_sek001_not_keyframe,
  n_sek001_other_track,
  n_sek001_pts,
  n_sek001_offset,
  n_sek001_stored_length,
  n_sek001_kind,
  n_sek001_codec,
  n_sek001_index_past_end,
  n_sek002_out_of_order,
  n_sek002_tie_order,
  n_sek003_first_keyframe_missing,
  n_sek003_keyframe_missing,
  n_sek003_all_key_first_missing,
  n_ksek_track_count,
  n_ksek_table_length,
  n_ksek_trailing_bytes,
  n_ksek_table_trailing_byte,
  n_ksek_count_huge,
  n_enc001_ksek_nonminimal,
  n_loc002_version_0,
  n_loc002_version_2,
  n_loc002_flag_bit_1,
  n_loc002_flag_bit_15,
  n_loc002_payload_159,
  n_loc002_payload_161,
  n_loc002_header_copy_reserved,
  n_loc002_slot_outside_file,
  n_loc002_slot_wrong_tag,
  n_loc002_slot_length,
  n_loc002_slot_in_storage,
  n_loc002_slot_mid_chunk,
  n_loc002_slot_half_absent,
  n_loc002_slot_at_loca,
  n_loc003_missing,
  n_loc003_slot_empty_chunk_present,
  n_loc003_flag_without_livc,
  n_loc003_livc_without_flag,
  n_loc004_track_count,
  n_loc004_block_count,
  n_loc004_chunk_count,
  n_enc004_loca_block_count,
  n_enc004_trks_blocks,
  n_enc004_slot_offset,
  n_lim001_block_count_2_32,
  n_lim001_tracks_65536,
  n_int004_root_flipped,
  n_int004_root_old_prefix,
  n_int004_root_no_domain,
  n_int004_root_without_safe,
  n_int004_meta_changed,
  n_enc001_bidx_head_above_2_53,
  n_enc001_bidx_varint_cut,
  n_fmt015_two_defects,
  n_sek002_duplicate_entry,
  n_sek004_info_kind_3,
  n_cod001_ksek_codec_3,
  n_tdr001_truncated,
  n_idx004_empty_segm_at_end,
  n_loc004_chunks_exceed_blocks,
];
