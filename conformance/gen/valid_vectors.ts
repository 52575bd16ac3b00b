/**
 * Valid and acceptable vectors: files a reader must read (or, for `i_`, may read) with exactly
 * the result derived from the blocks that went in.
 *
 * @module
 */

import type { CraftBlock } from "../builder/build.ts";
import { utf8 } from "../builder/fields.ts";
import { zlibStored } from "../builder/zlib.ts";
import {
  acceptable,
  audio,
  blk,
  build,
  gop,
  interleave,
  valid,
  type VectorFn,
  videoOnly,
} from "./common.ts";

const SEEK_RULES = ["H4-SEEK-001", "H4-SEEK-003"];

/** The default profile with two tracks (video with B-frames, audio): the baseline. */
function y_v2_two_tracks() {
  return valid(
    [
      "H4-FMT-020",
      "H4-FMT-021",
      "H4-FMT-022",
      "H4-IDX-002",
      "H4-TRK-001",
      "H4-SEK-003",
      "H4-INT-001",
      "H4-INT-005",
      "H4-MET-002",
      ...SEEK_RULES,
    ],
    "Baseline v2 file: one SEGM, a video track with B-frames and an audio track, as the writer of this specification writes it.",
    build(),
  );
}

/** The same blocks in the v1 profile: one CORE per block, SEEK, seekm_b64 in META. */
function y_v1_two_tracks() {
  return valid(
    ["H4-FMT-020", "H4-FMT-021", "H4-LEG-004", "H4-MET-002", "H4-INT-001", ...SEEK_RULES],
    "Baseline v1 file: one CORE chunk per block, SEEK with count 0, seekm_b64 listing every keyframe, and LOCA.",
    build({ profile: "v1" }),
  );
}

/** A file without blocks: every table is empty but present. */
function y_v2_empty_container() {
  return valid(
    ["H4-LOC-003", "H4-TDR-001", "H4-BHS-001", "H4-SEEK-001"],
    "No blocks and no tracks: BIDX and BHSH are empty, TDIR has zero pages, KSEK and TRKS count 0. Every required table is still present.",
    build({}, []),
  );
}

/** Readers must use pts from the index, not assume monotonic order. */
function y_v2_gop_bframes() {
  return valid(
    ["H4-SEEK-003", "H4-SEK-003", "H4-IDX-002"],
    "13 video blocks in decode order I P B B P B: pts are not monotonic. Seeks must consult only keyframes; a B-frame's pts between two keyframes answers the earlier keyframe.",
    build({}, videoOnly()),
    { seeks: [["video", 120_000], ["video", 239_999], ["video", 240_000], ["video", 480_000]] },
  );
}

/** Every codec, mixed within a track (codec bytes in BIDX), including empty payloads. */
function y_cod_mixed_codecs() {
  const blocks: CraftBlock[] = [
    blk("video", 0, "I", 300, { style: "runs", codec: "none", seed: 1 }),
    blk("video", 40_000, "P", 300, { style: "runs", codec: "deflate", seed: 2 }),
    blk("video", 80_000, "P", 300, { style: "runs", codec: "rle", seed: 3 }),
    blk("video", 120_000, "P", 0, { codec: "deflate" }),
    blk("video", 160_000, "P", 0, { codec: "rle" }),
    blk("video", 200_000, "P", 0, { codec: "none" }),
    blk("video", 240_000, "I", 64, { style: "text", codec: "deflate", seed: 4 }),
  ];
  return valid(
    ["H4-COD-001", "H4-COD-002", "H4-IDX-002", "H4-SEK-001", "H4-IDX-006"],
    "Blocks with codecs none, deflate and rle in one track (the track default is none, so deflate and rle blocks carry a codec byte and a plain length), including empty payloads under every codec. The result lists the blocks as they were given, each with the codec asked for (H4-IDX-006; the writer checks test writers on it).",
    build({}, blocks),
  );
}

/** A track whose default codec is rle: none blocks then carry the codec byte. */
function y_cod_track_default_rle() {
  const blocks = gop("video", 6).map((b, i) => ({
    ...b,
    codec: i === 2 ? "none" as const : undefined,
  }));
  return valid(
    ["H4-COD-001", "H4-COD-002", "H4-IDX-002"],
    "Writer codec rle: TRKS says rle for the track and every block but one is rle; the one codec-none block carries codec byte 0 and no plain length.",
    build({ codec: "rle" }, blocks),
  );
}

/** zlib streams made of stored (uncompressed) deflate blocks are still deflate. */
function y_cod_deflate_stored_blocks() {
  // Re-encode as stored deflate blocks of 64 bytes: a different, equally valid zlib stream.
  const s2 = build({
    codec: "deflate",
    hooks: {
      blocks: (bs) => {
        for (const b of bs) b.stored = zlibStored(b.payload, 64);
      },
    },
  }, gop("video", 3, 0, 200));
  return valid(
    ["H4-COD-002"],
    "deflate blocks whose zlib streams use stored (uncompressed) deflate blocks of 64 bytes; any valid zlib stream must decode.",
    s2,
  );
}

/** rle with runs of exactly 255 and 1. */
function y_cod_rle_run_boundaries() {
  const p = new Uint8Array(255 + 1 + 255 + 255 + 3);
  p.fill(7, 0, 255);
  p[255] = 8;
  p.fill(9, 256, 511);
  p.fill(9, 511, 766);
  p.set([1, 2, 3], 766);
  return valid(
    ["H4-COD-002"],
    "rle payload with runs of 255 (the maximum), 1, and a 510-byte run split into two pairs of 255.",
    build({ codec: "rle" }, [{
      track_id: "ctl",
      pts_us: 0,
      kind: "I",
      keyframe: true,
      payload: p,
    }]),
  );
}

/** Track ids in code point order, including astral characters. */
function y_trk_unicode_ids() {
  const ids = ["vidéo", "音声", "😀emoji", "\uffff-last-bmp", "Zeta", "alpha"];
  const blocks = interleave(...ids.map((id, i) => audio(id, 3, i * 1000, 40_000)));
  return valid(
    ["H4-TRK-001", "H4-ENC-005", "H4-MET-002", ...SEEK_RULES],
    "Six tracks with ASCII, Latin-1, CJK, astral (emoji) and U+FFFF ids. TRKS lists them in code point order (UTF-8 byte order), where U+FFFF sorts before the emoji although UTF-16 order puts it after.",
    build({}, blocks),
  );
}

/** UTF-16 order and code point order differ for astral characters. */
function y_trk_astral_order() {
  const blocks = [blk("\u{10000}", 0, "I", 5), blk("\uffff", 0, "I", 5), blk("\ue000", 0, "I", 5)];
  return valid(
    ["H4-TRK-001"],
    "Track ids U+E000, U+FFFF, U+10000: code point order is E000 < FFFF < 10000; UTF-16 code unit order would put U+10000 (D800 DC00) first. Track indices in BIDX follow code point order.",
    build({}, blocks),
  );
}

/** Negative pts (AAC priming) in BIDX and KSEK. */
function y_v2_negative_pts() {
  const blocks = interleave(gop("video", 6, -80_000), audio("audio", 6, -43_000, 21_333));
  return valid(
    ["H4-ENC-003", "H4-SEEK-003", "H4-IDX-002"],
    "Negative pts: audio priming from -43000 µs and video from -80000 µs; svarint residuals go negative and seeks before 0 must work.",
    build({}, blocks),
    { seeks: [["audio", -43_001], ["audio", -1], ["video", -80_000], ["video", -1]] },
  );
}

/** Large pts of both signs. */
function y_enc_pts_extremes() {
  // ±(2^50 - 1), the limits of SPEC.md section 13: far beyond 32 bits and float-exact. Track z
  // swings from one limit to the other and back, the largest residual the limits allow.
  const max = 2 ** 50 - 1, min = -(2 ** 50 - 1);
  const blocks = [
    blk("hi", max, "I", 3),
    blk("lo", min, "I", 3),
    blk("hi", max, "I", 3),
    blk("lo", min + 1, "P", 3),
    blk("z", max, "I", 3),
    blk("z", min, "P", 3),
    blk("z", max, "P", 3),
  ];
  return valid(
    ["H4-ENC-001", "H4-ENC-003", "H4-LIM-001"],
    "pts 2^50 - 1 and -(2^50 - 1), and a track swinging between them (residual svarints of up to 8 bytes, the largest residual 4(2^50 - 1)): readers must decode them exactly (no float rounding, no 32-bit overflow).",
    build({}, blocks),
    { seeks: [["hi", max], ["lo", min], ["lo", 0]] },
  );
}

/** Several SEGMs: BIDX new_chunk flags and chunk numbers. */
function y_v2_multi_segment() {
  return valid(
    ["H4-FMT-021", "H4-IDX-002", "H4-IDX-004", "H4-INT-003", "H4-INT-005"],
    "Four SEGM chunks (a new one before every video keyframe and before block 9): records with new_chunk = 1 skip the 12-byte chunk header, others follow back to back.",
    build(
      { segmentBefore: (b) => (b.keyframe && b.track_id === "video") || b.index === 9 },
      interleave(gop("video", 13), audio("audio", 8, 0, 70_000)),
    ),
  );
}

/** Small pages: pts prediction restarts on every page; page boundaries fall inside SEGMs. */
function y_v2_multi_page() {
  return valid(
    ["H4-IDX-002", "H4-TDR-001", "H4-TDR-002", "H4-BHS-001"],
    "blocks_per_page 3 and hashes_per_page 2 over 21 blocks in 4 SEGMs: 7 BIDX pages and 2 BHSH pages. Each page restarts pts prediction (last_pts and last_delta are 0 at every page start) and states its first_offset and first_chunk.",
    build({
      blocksPerPage: 3,
      hashesPerPage: 2,
      segmentBefore: (b) => b.keyframe && b.track_id === "video",
    }, interleave(gop("video", 13), audio("audio", 8, 0, 70_000))),
  );
}

/** One block per page. */
function y_v2_page_per_block() {
  return valid(
    ["H4-IDX-002", "H4-TDR-001"],
    "blocks_per_page 1 and hashes_per_page 1: every record is the first of its page.",
    build({ blocksPerPage: 1, hashesPerPage: 1 }),
  );
}

/** The largest page sizes TDIR allows. */
function y_v2_max_per_page() {
  return valid(
    ["H4-TDR-001", "H4-LIM-001"],
    "blocks_per_page and hashes_per_page 65536, the largest allowed.",
    build({ blocksPerPage: 65536, hashesPerPage: 65536 }),
  );
}

/** A thinned table for an all-keyframe track. */
function y_sek_thinned_audio() {
  const blocks = interleave(gop("video", 6), audio("audio", 140, -21_333, 21_333, 4));
  return valid(
    ["H4-SEK-003", "H4-SEEK-003"],
    "Audio track of 140 keyframes over 3 s: the writer lists one entry per second (1 000 000 µs interval); a seek between entries lands on the earlier listed one.",
    build({}, blocks),
    { seeks: [["audio", 500_000], ["audio", 978_638], ["audio", 2_000_000]] },
  );
}

/** Every keyframe of an all-keyframe track listed (no thinning). */
function y_sek_unthinned_audio() {
  return valid(
    ["H4-SEK-003", "H4-SEEK-003"],
    "Audio track with every keyframe listed (interval 0): thinning is allowed, not required.",
    build({ seekIntervalUs: 0 }, audio("audio", 20, 0, 21_333)),
  );
}

/** Irregular thinning: any subset that lists the first keyframe is allowed. */
function y_sek_irregular_thinning() {
  return valid(
    ["H4-SEK-003"],
    "All-keyframe track listing blocks 0, 1, 7 and 19 only: a reader cannot know the writer's interval and must accept any table that lists the first keyframe.",
    build({
      seekIntervalUs: 0,
      hooks: { seek: (t) => [t[0].filter((e) => [0, 1, 7, 19].includes(e.index))] },
    }, audio("audio", 20, 0, 21_333)),
  );
}

/** A track without any keyframe has an empty seek table. */
function y_seek_track_without_keyframe() {
  const blocks = interleave(
    gop("video", 6),
    Array.from({ length: 4 }, (_, i) => blk("data", i * 50_000, "P", 6, { key: false })),
  );
  return valid(
    ["H4-SEEK-002", "H4-SEK-003"],
    "Track 'data' has only non-keyframes: its KSEK table is empty (n = 0) and every seek on it is H4_UNKNOWN_TRACK.",
    build({}, blocks),
    { seeks: [["data", 100_000], ["data", -1]] },
  );
}

/** Keyframes with equal pts: the smallest block index wins. */
function y_seek_equal_pts() {
  const blocks = [
    blk("v", 0, "I", 5, { seed: 1 }),
    blk("v", 40_000, "P", 5, { seed: 2 }),
    blk("v", 80_000, "I", 5, { seed: 3 }),
    blk("v", 80_000, "I", 5, { seed: 4 }),
    blk("v", 80_000, "I", 5, { seed: 5 }),
    blk("v", 120_000, "P", 5, { seed: 6 }),
  ];
  return valid(
    ["H4-SEEK-003", "H4-SEK-002"],
    "Three keyframes with pts 80000 (blocks 2, 3, 4): the table is sorted by (pts, index) and a seek to 80000 or later answers block 2.",
    build({}, blocks),
    { seeks: [["v", 80_000], ["v", 100_000], ["v", 79_999]] },
  );
}

/** SAFE present, with nested values. */
function y_met_safe_present() {
  return valid(
    ["H4-MET-001", "H4-INT-004"],
    "SAFE present: a JSON object with nested arrays and objects; its digest enters the root.",
    build({ safe: { policy: { allow: ["play", "seek"], ttl: 3600 }, note: "sûr" } }),
  );
}

/** META with non-ASCII text kept as is, and JSON escapes. */
function y_met_unicode_meta() {
  return valid(
    ["H4-MET-001", "H4-ENC-005"],
    "META with non-ASCII keys and values (é, 音, emoji), escaped control characters and a quote: compact UTF-8 JSON.",
    build({
      meta: {
        "título": "vidéo 音声 😀",
        "tab\there": 'quote " and \\ backslash',
        n: -1.5e-7,
        big: 12345678901234,
      },
    }),
  );
}

/** Nesting depth exactly 64. */
function y_met_depth_64() {
  let v: unknown = 1;
  for (let i = 0; i < 62; i++) v = i % 2 ? [v] : { k: v };
  return valid(
    ["H4-MET-001", "H4-LIM-001"],
    "META and SAFE nested exactly 64 levels deep (the top-level object is level 1): the largest depth allowed.",
    build({ meta: { deep: v }, safe: { deep: v } }),
  );
}

/** JSON whitespace is valid JSON. */
function y_met_whitespace() {
  const s = build({
    hooks: {
      metaBytes: (b) =>
        utf8(" \n" + JSON.stringify(JSON.parse(new TextDecoder().decode(b)), null, 2) + "\n "),
    },
  });
  return valid(
    ["H4-MET-001"],
    "META written with insignificant whitespace (pretty-printed, leading and trailing newlines): not compact, but valid JSON, so it must be read.",
    s,
  );
}

/** Caller keys named like the writer's keys are overwritten. */
function y_met_caller_keys_overwritten() {
  return valid(
    ["H4-MET-002"],
    "The caller passed META keys domain and tracks with other values; the file has the writer's values, in the caller's key positions.",
    build({ meta: { tracks: ["bogus"], title: "t", domain: "something-else" } }),
  );
}

/** v1 with every block rle: compression key for the original reader. */
function y_v1_all_rle() {
  return valid(
    ["H4-MET-002", "H4-LEG-004", "H4-COD-002"],
    "v1 file whose blocks are all rle: META carries the original writer's compression object so that the original reader decodes them.",
    build(
      { profile: "v1", codec: "rle" },
      gop("video", 6, 0, 40).map((b) => ({
        ...b,
        payload: new Uint8Array(b.payload.length).fill(b.payload[0]),
      })),
    ),
  );
}

/** v1 with trak_b64. */
function y_v1_legacy_trak() {
  return valid(
    ["H4-MET-002", "H4-LEG-004"],
    "v1 file with trak_b64 in META (writer option): the original reader can read it; ours uses BIDX.",
    build({ profile: "v1", legacyTrak: true }),
  );
}

/** v1 with negative pts: SEEKM stores them as two's complement. */
function y_v1_negative_pts_seekm() {
  return valid(
    ["H4-LEG-006", "H4-LEG-004"],
    "v1 file with keyframes at negative pts: seekm_b64 stores them as 64-bit two's complement u64 values (top bit set), which must read back as the negative numbers.",
    build(
      { profile: "v1" },
      interleave(gop("video", 6, -120_000), audio("audio", 4, -21_333, 21_333)),
    ),
  );
}

/** The header's reserved field is ignored. */
function y_fmt003_reserved_nonzero() {
  return valid(
    ["H4-FMT-003"],
    "Header reserved field 0xBEEF (and the same in LOCA's header copy): readers must ignore it.",
    build({ hooks: { header: () => new Uint8Array([0x48, 0x34, 0x4d, 0x4b, 0, 2, 0xbe, 0xef]) } }),
  );
}

/** The v1 SEEK chunk's payload is not used by readers (H4-FMT-024). */
function y_fmt024_seek_payload_ignored() {
  // count 1, one (pts, offset) pair pointing nowhere, and a stray byte: still not to be read.
  const seek = new Uint8Array([
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0xff,
    0xff,
    7,
  ]);
  return valid(
    ["H4-FMT-024"],
    "v1 file whose SEEK payload is not the u32 0 writers write (a count of 1, an entry pointing past the file, a stray byte): readers must not use SEEK's payload and must accept it.",
    build({
      profile: "v1",
      hooks: {
        chunks: (cs) => {
          cs.find((c) => c.tag === "SEEK")!.payload = seek;
        },
      },
    }),
  );
}

/** Unknown chunks among the tables are skipped. */
function y_fmt013_unknown_chunks() {
  return valid(
    ["H4-FMT-013", "H4-FMT-014"],
    "Unknown chunks between the storage and the tables ('XTRA'), among the tables ('zz9 ', lowercase and space), and an empty one ('~~~~') before VERI: readers skip them (after checking their CRC when reading them).",
    build({
      hooks: {
        chunks: (cs) => {
          const i = cs.findIndex((c) => c.tag === "BIDX");
          cs.splice(i, 0, { tag: "XTRA", payload: utf8("future table") });
          const j = cs.findIndex((c) => c.tag === "TRKS");
          cs.splice(j, 0, { tag: "zz9 ", payload: new Uint8Array([0, 1, 2, 255]) });
          cs.push({ tag: "~~~~", payload: new Uint8Array() });
        },
      },
    }),
  );
}

/** Tables in another order than the recommended one. */
function y_fmt_tables_reordered() {
  return valid(
    ["H4-FMT-022", "H4-LOC-002"],
    "Tables after the storage in the order SAFE META TRKS TDIR KSEK BHSH BIDX (the reverse of the recommended order): readers find them through LOCA.",
    build({
      safe: { s: 1 },
      hooks: {
        chunks: (cs) => {
          const storage = cs.filter((c) => c.tag === "SEGM");
          const tables = cs.filter((c) => c.tag !== "SEGM").reverse();
          return [...storage, ...tables];
        },
      },
    }),
  );
}

/** Varint length boundaries. */
function y_enc_varint_boundaries() {
  // pts make the BIDX residuals 0, 63, 64, -64, -65, 8191: each at a 1/2-byte svarint edge.
  const pts = [0, 63, 190, 253, 251, 8440];
  const sizes = [127, 128, 16383, 16384, 0, 1];
  const blocks = sizes.map((n, i) => blk("v", pts[i], i === 0 ? "I" : "P", n, { seed: 70 + i }));
  return valid(
    ["H4-ENC-001", "H4-ENC-002", "H4-ENC-003"],
    "Stored lengths 127, 128, 16383, 16384, 0 and 1, and pts residuals 63, 64, -64, -65 and 8191 (svarint byte-count edges): every varint minimal, at the edge of its byte count.",
    build({}, blocks),
  );
}

/** Track id of 255 bytes. */
function y_trk_id_255_bytes() {
  const id = "é".repeat(127) + "x";
  return valid(
    ["H4-TRK-001", "H4-LIM-001"],
    "A track id of exactly 255 bytes of UTF-8 (127 two-byte characters and one ASCII byte).",
    build({}, [blk(id, 0, "I", 4), blk(id, 40_000, "P", 4)]),
  );
}

/** TRKS flags are ignored. */
function y_trk_flags_ignored() {
  return valid(
    ["H4-TRK-001"],
    "TRKS flags byte 0xFF on every track: readers ignore it.",
    build({ hooks: { trks: (t) => t.tracks.forEach((x) => (x.flags = 0xff)) } }),
  );
}

/** Index and KSEK for many blocks (pages full, multi-byte residuals). */
function y_v2_irregular_timing() {
  const blocks: CraftBlock[] = [];
  let t = -5000;
  for (let i = 0; i < 60; i++) {
    t += [1, 33_366, 33_367, 1_000_000, 17, 2 ** 31][i % 6];
    blocks.push(
      blk(i % 2 ? "odd" : "even", t, i % 7 === 0 ? "I" : "P", 1 + (i % 5), { seed: 900 + i }),
    );
  }
  return valid(
    ["H4-IDX-002", "H4-SEK-003", "H4-ENC-003"],
    "Irregular timing across two tracks: deltas of 1 µs, 33366 µs, 2^31 µs, so residuals need 1 to 5 bytes; pages of 16 blocks restart prediction.",
    build({ blocksPerPage: 16 }, blocks),
  );
}

/** META lacks the writer keys: readers may read it. */
function i_met002_meta_without_writer_keys() {
  return acceptable(
    ["H4-MET-002"],
    "META is {} (no domain, no tracks): a writer of this specification never writes that, but SPEC.md does not ask readers to reject it.",
    build({ hooks: { meta: () => ({}) } }),
  );
}

/** A v2 file with META key `encryption`: writers must not write it; reader behaviour is open. */
function i_met003_v2_encryption_key() {
  return acceptable(
    ["H4-MET-003"],
    "v2 file (not encrypted, no LIVC) whose META has an 'encryption' key: writers of this version MUST NOT write it; section 11 only gives it meaning in legacy files, so a reader may read the blocks or refuse them.",
    build({ meta: { encryption: { scheme: "LivingCipher v3" } } }),
    { noResult: true },
  );
}

/** JSON with a byte order mark. */
function i_met001_meta_bom() {
  return acceptable(
    ["H4-MET-001"],
    "META starts with a UTF-8 byte order mark (EF BB BF): RFC 8259 lets parsers ignore it or reject it.",
    build({ hooks: { metaBytes: (b) => new Uint8Array([0xef, 0xbb, 0xbf, ...b]) } }),
  );
}

/** Duplicate keys. */
function i_met001_duplicate_keys() {
  const s = build({
    meta: { a: 1 },
    hooks: {
      metaBytes: (b) => utf8(new TextDecoder().decode(b).replace('{"a":1', '{"a":1,"a":2')),
    },
  });
  return acceptable(
    ["H4-MET-001"],
    'META has the key \'a\' twice ({"a":1,"a":2,...}): RFC 8259 leaves duplicate names to the parser; when read, the last value wins as in JSON.parse.',
    s,
    { result: { meta: { ...s.meta, a: 2 } } },
  );
}

/** A JSON escape of a lone surrogate. */
function i_met001_lone_surrogate_escape() {
  const s = build({
    meta: { s: "x" },
    hooks: {
      metaBytes: (b) => utf8(new TextDecoder().decode(b).replace('"s":"x"', '"s":"\\ud800"')),
    },
  });
  return acceptable(
    ["H4-MET-001", "H4-ENC-005"],
    "META holds the JSON escape \\ud800 (a lone surrogate). The bytes are valid UTF-8 and the text is valid JSON, but the string is not valid Unicode: readers may keep it or reject it.",
    s,
    { noResult: true },
  );
}

/** Keyframes with pts before the previous keyframe in an all-keyframe track (thinning order). */
function y_sek_all_key_nonmonotonic() {
  const blocks = [0, 2_000_000, 1_000_000, 3_500_000, 500_000].map((p, i) =>
    blk("ctl", p, "I", 3, { seed: i })
  );
  return valid(
    ["H4-SEK-002", "H4-SEK-003"],
    "All-keyframe control track with non-monotonic pts (0, 2 s, 1 s, 3.5 s, 0.5 s): thinning follows block order, and the table is then sorted by pts.",
    build({}, blocks),
  );
}

/** LOCA slot for SAFE absent, SAFE omitted: D(SAFE) is 32 zero bytes in the root. */
function y_int_root_without_safe() {
  const s = build({ safe: null });
  if (s.layout.some((c) => c.tag === "SAFE")) throw new Error("SAFE present");
  return valid(
    ["H4-INT-004", "H4-LOC-003"],
    "No SAFE chunk: its LOCA slot is 0/0 and D(SAFE) in the root is 32 zero bytes.",
    s,
  );
}

/** Vectors of this module. */
export const VALID_VECTORS: VectorFn[] = [
  y_v2_two_tracks,
  y_v1_two_tracks,
  y_v2_empty_container,
  y_v2_gop_bframes,
  y_cod_mixed_codecs,
  y_cod_track_default_rle,
  y_cod_deflate_stored_blocks,
  y_cod_rle_run_boundaries,
  y_trk_unicode_ids,
  y_trk_astral_order,
  y_v2_negative_pts,
  y_enc_pts_extremes,
  y_v2_multi_segment,
  y_v2_multi_page,
  y_v2_page_per_block,
  y_v2_max_per_page,
  y_sek_thinned_audio,
  y_sek_unthinned_audio,
  y_sek_irregular_thinning,
  y_seek_track_without_keyframe,
  y_seek_equal_pts,
  y_met_safe_present,
  y_met_unicode_meta,
  y_met_depth_64,
  y_met_whitespace,
  y_met_caller_keys_overwritten,
  y_v1_all_rle,
  y_v1_legacy_trak,
  y_v1_negative_pts_seekm,
  y_fmt003_reserved_nonzero,
  y_fmt013_unknown_chunks,
  y_fmt024_seek_payload_ignored,
  y_fmt_tables_reordered,
  y_enc_varint_boundaries,
  y_trk_id_255_bytes,
  y_trk_flags_ignored,
  y_v2_irregular_timing,
  y_sek_all_key_nonmonotonic,
  y_int_root_without_safe,
  i_met002_meta_without_writer_keys,
  i_met003_v2_encryption_key,
  i_met001_meta_bom,
  i_met001_duplicate_keys,
  i_met001_lone_surrogate_escape,
];
