/**
 * Invalid vectors of the contents: META and SAFE (UTF-8, JSON, depth), codecs (unknown ids,
 * malformed rle and zlib streams, wrong lengths, bombs), limits, and VERI.
 *
 * @module
 */

import { walkChunks } from "../../lib/format/chunk.ts";
import { isStorageTag, SLOT_TAGS } from "../../lib/format/chunk_types.ts";
import { crc32 } from "../../lib/hash/crc32.ts";
import { sha256 } from "../../lib/hash/sha256.ts";
import { fixCrc, flip, setPayload } from "../../lib/format/testdata/forge.ts";
import { encodeKeyFile } from "../../lib/living/mod.ts";
import { createVectorSealer } from "../../lib/living/sealer.ts";
import type { Craft, CraftBlock, CraftOptions } from "../builder/build.ts";
import { cat, utf8 } from "../builder/fields.ts";
import { adler32, zlibFixed } from "../builder/zlib.ts";
import {
  blk,
  build,
  bytes,
  type GeneratedVector,
  invalid,
  valid,
  type VectorFn,
} from "./common.ts";

const SAFE = { k: "v" };

function b(hooks: CraftOptions["hooks"], opts: CraftOptions = {}): Craft {
  return build({ safe: SAFE, ...opts, hooks });
}

function metaText(text: string | Uint8Array): Craft {
  return b({ metaBytes: () => (typeof text === "string" ? utf8(text) : text) });
}

function safeText(text: string | Uint8Array): Craft {
  return b({ safeBytes: () => (typeof text === "string" ? utf8(text) : text) });
}

// ---------------------------------------------------------------- META and SAFE

const BAD_UTF8: [string, number[], string][] = [
  ["overlong", [0xc1, 0xbf], "an overlong two-byte form (C1 BF)"],
  ["surrogate", [0xed, 0xbf, 0xbf], "an encoded surrogate U+DFFF (ED BF BF)"],
  [
    "truncated_sequence",
    [0xf0, 0x9f, 0x98],
    "a four-byte sequence cut after three bytes (F0 9F 98)",
  ],
  ["lone_continuation", [0xbf], "a lone continuation byte (BF)"],
  ["byte_ff", [0xff], "the byte FF, never valid in UTF-8"],
];

/** Invalid UTF-8 inside a META string, one vector per form. */
function n_enc005_meta(): Record<string, GeneratedVector> {
  const out: Record<string, GeneratedVector> = {};
  for (const [name, bad, what] of BAD_UTF8) {
    out[name] = invalid(
      ["H4-ENC-005", "H4-MET-001"],
      "H4_BAD_UTF8",
      `META's 'title' string contains ${what}.`,
      metaText(
        cat(
          utf8('{"title":"a'),
          new Uint8Array(bad),
          utf8('b","domain":"video-transport","tracks":["audio","video"]}'),
        ),
      ),
    );
  }
  return out;
}

/** Invalid UTF-8 in SAFE. */
function n_enc005_safe_surrogate() {
  return invalid(
    ["H4-ENC-005", "H4-MET-001"],
    "H4_BAD_UTF8",
    "SAFE's value contains an encoded surrogate (ED A0 80).",
    safeText(cat(utf8('{"k":"'), new Uint8Array([0xed, 0xa0, 0x80]), utf8('"}'))),
  );
}

const NOT_JSON: [string, string, string][] = [
  ["syntax_error", '{"a":}', "a member without a value"],
  [
    "truncated",
    '{"domain":"video-transport","tracks":["audio","video"]',
    "the closing brace missing",
  ],
  ["trailing_garbage", '{"domain":"video-transport"}x', "a byte after the object"],
  ["two_objects", '{"a":1}{"b":2}', "two objects back to back"],
  ["empty", "", "no bytes at all"],
  ["nan", '{"a":NaN}', "NaN, which is not JSON (Python's json accepts it by default)"],
  ["infinity", '{"a":-Infinity}', "-Infinity, which is not JSON"],
  ["single_quotes", "{'a':1}", "single-quoted strings"],
  ["trailing_comma", '{"a":1,}', "a trailing comma"],
  ["control_character", '{"a":"x\u0001y"}', "a raw control character (U+0001) inside a string"],
  ["comment", '{"a":1 /* note */}', "a comment"],
  ["utf16", "", "the object encoded as UTF-16LE (valid UTF-8 bytes: NULs, but not JSON)"],
];

/** META that is not JSON, one vector per defect. */
function n_met001_meta_not_json(): Record<string, GeneratedVector> {
  const out: Record<string, GeneratedVector> = {};
  for (const [name, text, what] of NOT_JSON) {
    const payload = name === "utf16"
      ? new Uint8Array([...'{"a":1}'].flatMap((c) => [c.charCodeAt(0), 0]))
      : utf8(text);
    out[name] = invalid(
      ["H4-MET-001"],
      "H4_BAD_JSON",
      `META is not valid JSON: ${what}.`,
      metaText(payload),
    );
  }
  return out;
}

const NOT_OBJECT: [string, string][] = [
  ["array", '["domain","video-transport"]'],
  ["string", '"video-transport"'],
  ["number", "42"],
  ["null", "null"],
  ["true", "true"],
];

/** META that is JSON but not an object. */
function n_met001_meta_not_object(): Record<string, GeneratedVector> {
  const out: Record<string, GeneratedVector> = {};
  for (const [name, text] of NOT_OBJECT) {
    out[name] = invalid(
      ["H4-MET-001"],
      "H4_BAD_JSON",
      `META is valid JSON but not an object: ${text}.`,
      metaText(text),
    );
  }
  return out;
}

function nested(depth: number): string {
  // depth counts the top-level object as level 1.
  let s = "1";
  for (let i = 1; i < depth; i++) s = i % 2 ? `[${s}]` : `{"k":${s}}`;
  return `{"deep":${s}}`;
}

/** Nesting depth 65. */
function n_met001_meta_depth_65() {
  return invalid(
    ["H4-MET-001", "H4-LIM-001"],
    "H4_BAD_JSON",
    "META nested 65 levels deep, one more than allowed.",
    metaText(nested(65)),
    ["H4_LIMIT_EXCEEDED"],
  );
}

/** Nesting depth 20000: a recursive parser may overflow its stack. */
function n_met001_meta_depth_20000() {
  return invalid(
    ["H4-MET-001", "H4-LIM-001"],
    "H4_BAD_JSON",
    "META nested 20000 levels deep ([[[[...]]]]): the depth limit must be enforced without recursing 20000 times.",
    metaText(`{"deep":${"[".repeat(20000)}${"]".repeat(20000)}}`),
    ["H4_LIMIT_EXCEEDED"],
  );
}

/** SAFE not an object. */
function n_met001_safe_array() {
  return invalid(["H4-MET-001"], "H4_BAD_JSON", "SAFE is the JSON array [1,2].", safeText("[1,2]"));
}

/** SAFE not JSON. */
function n_met001_safe_not_json() {
  return invalid(
    ["H4-MET-001"],
    "H4_BAD_JSON",
    "SAFE is the text 'allow all', not JSON.",
    safeText("allow all"),
  );
}

/** SAFE nested 65 levels. */
function n_met001_safe_depth_65() {
  return invalid(
    ["H4-MET-001", "H4-LIM-001"],
    "H4_BAD_JSON",
    "SAFE nested 65 levels deep.",
    safeText(nested(65)),
    ["H4_LIMIT_EXCEEDED"],
  );
}

/** META's chunk claims more than 16 MiB. */
function n_lim001_meta_over_16mib() {
  return invalid(
    ["H4-LIM-001", "H4-LIM-002", "H4-FMT-010"],
    "H4_LIMIT_EXCEEDED",
    "META's chunk header and LOCA slot say 16 MiB + 1 bytes; the file is under 1 KiB. A reader must refuse before allocating.",
    b({
      chunks: (cs) => void (cs.find((c) => c.tag === "META")!.length = 16 * 1024 * 1024 + 1),
      loca: (l) => void (l.slots[5].length = 16 * 1024 * 1024 + 13),
    }),
    ["H4_BAD_LOCATOR", "H4_CHUNK_OVERRUN"],
  );
}

// ---------------------------------------------------------------- codecs

/** An unknown codec byte in BIDX. */
function n_cod001_block_codec_3() {
  return invalid(
    ["H4-COD-001"],
    "H4_UNKNOWN_CODEC",
    "Block 1 carries codec byte 3 (and a plain length, as for any codec other than none).",
    b({
      records: (rs) => {
        rs[1].codec = 3;
        rs[1].has_codec = true;
      },
    }),
  );
}

/** Codec byte 255. */
function n_cod001_block_codec_255() {
  return invalid(
    ["H4-COD-001"],
    "H4_UNKNOWN_CODEC",
    "Block 4 carries codec byte 255.",
    b({
      records: (rs) => {
        rs[4].codec = 255;
        rs[4].has_codec = true;
      },
    }),
  );
}

/** A one-block file whose only block has stored bytes and plain length given. */
function one(
  codec: "rle" | "deflate",
  stored: Uint8Array,
  plain: number,
  payload: Uint8Array = new Uint8Array(Math.min(plain, 1024)),
): Craft {
  return build({
    codec,
    safe: SAFE,
    hooks: {
      blocks: (bs) => {
        bs[1].stored = stored;
        bs[1].plain_length = plain;
      },
    },
  }, [
    blk("v", 0, "I", 16, { style: "runs" }),
    { ...blk("v", 40_000, "P", 0), payload },
    blk("v", 80_000, "P", 16, { style: "runs", seed: 9 }),
  ]);
}

const RUNS = bytes(3, 300, "runs");
const RUNS_RLE = (() => {
  const out: number[] = [];
  for (let i = 0; i < RUNS.length;) {
    let j = i + 1;
    while (j < RUNS.length && RUNS[j] === RUNS[i] && j - i < 255) j++;
    out.push(RUNS[i], j - i);
    i = j;
  }
  return new Uint8Array(out);
})();

/** rle of odd length. */
function n_cod002_rle_odd_length() {
  return invalid(
    ["H4-COD-002"],
    "H4_CODEC_ERROR",
    "An rle block whose stored bytes end with a value byte without its run byte (odd length).",
    one("rle", cat(RUNS_RLE, new Uint8Array([7])), 300, RUNS),
  );
}

/** rle with a run of 0. */
function n_cod002_rle_run_zero() {
  return invalid(
    ["H4-COD-002"],
    "H4_CODEC_ERROR",
    "An rle block containing the pair (0x41, 0): runs are 1..255.",
    one("rle", cat(new Uint8Array([0x41, 0]), RUNS_RLE), 300, RUNS),
  );
}

/** rle that decodes to more than the plain length. */
function n_cod002_rle_longer_than_plain() {
  return invalid(
    ["H4-COD-002"],
    "H4_CODEC_ERROR",
    "An rle block decoding to 300 bytes with plain length 299.",
    one("rle", RUNS_RLE, 299, RUNS),
  );
}

/** rle that decodes to less. */
function n_cod002_rle_shorter_than_plain() {
  return invalid(
    ["H4-COD-002"],
    "H4_CODEC_ERROR",
    "An rle block decoding to 300 bytes with plain length 301.",
    one("rle", RUNS_RLE, 301, RUNS),
  );
}

/** An rle bomb. */
function n_cod002_rle_bomb() {
  const pairs = new Uint8Array(8000);
  for (let i = 0; i < pairs.length; i += 2) pairs.set([0x5a, 255], i);
  return invalid(
    ["H4-COD-002"],
    "H4_CODEC_ERROR",
    "An rle block of 4000 (0x5A, 255) pairs (1 020 000 bytes decoded) with plain length 16: decoding must stop at 16.",
    one("rle", pairs, 16),
  );
}

const TEXT = bytes(11, 400, "text");
const Z = zlibFixed(TEXT);

/** Not a zlib stream. */
function n_cod002_deflate_garbage() {
  return invalid(
    ["H4-COD-002"],
    "H4_CODEC_ERROR",
    "A deflate block whose stored bytes are random, not a zlib stream.",
    one("deflate", bytes(99, 64), 400, TEXT),
  );
}

/** Bytes after the zlib stream. */
function n_cod002_deflate_trailing_bytes() {
  return invalid(
    ["H4-COD-002"],
    "H4_CODEC_ERROR",
    "A valid zlib stream followed by 3 bytes inside the block's stored bytes.",
    one("deflate", cat(Z, utf8("xyz")), 400, TEXT),
  );
}

/** zlib decoding to more than the plain length. */
function n_cod002_deflate_longer_than_plain() {
  return invalid(
    ["H4-COD-002"],
    "H4_CODEC_ERROR",
    "A zlib stream decoding to 400 bytes with plain length 399.",
    one("deflate", Z, 399, TEXT),
  );
}

/** zlib decoding to less. */
function n_cod002_deflate_shorter_than_plain() {
  return invalid(
    ["H4-COD-002"],
    "H4_CODEC_ERROR",
    "A zlib stream decoding to 400 bytes with plain length 401.",
    one("deflate", Z, 401, TEXT),
  );
}

/** A cut zlib stream. */
function n_cod002_deflate_truncated() {
  return invalid(
    ["H4-COD-002"],
    "H4_CODEC_ERROR",
    "A zlib stream without its last 5 bytes (end of data and Adler-32).",
    one("deflate", Z.subarray(0, Z.length - 5), 400, TEXT),
  );
}

/** A wrong Adler-32. */
function n_cod002_deflate_bad_adler() {
  const z = Z.slice();
  z[z.length - 1] ^= 1;
  return invalid(
    ["H4-COD-002"],
    "H4_CODEC_ERROR",
    "A zlib stream whose Adler-32 checksum has one bit flipped.",
    one("deflate", z, 400, TEXT),
  );
}

/** A wrong zlib header check. */
function n_cod002_deflate_bad_header() {
  const z = Z.slice();
  z[1] = 0x02;
  return invalid(
    ["H4-COD-002"],
    "H4_CODEC_ERROR",
    "A zlib stream whose header check bits are wrong (78 02: (CMF*256+FLG) mod 31 != 0).",
    one("deflate", z, 400, TEXT),
  );
}

/** Raw deflate without the zlib wrapper. */
function n_cod002_deflate_raw() {
  return invalid(
    ["H4-COD-002"],
    "H4_CODEC_ERROR",
    "Raw deflate data (RFC 1951) without the zlib header and checksum: the codec is zlib (RFC 1950).",
    one("deflate", Z.subarray(2, Z.length - 4), 400, TEXT),
  );
}

/** gzip instead of zlib. */
function n_cod002_deflate_gzip() {
  const c = crc32(TEXT);
  const n = TEXT.length;
  const gz = cat(
    new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]),
    Z.subarray(2, Z.length - 4),
    new Uint8Array([c & 0xff, c >>> 8 & 0xff, c >>> 16 & 0xff, c >>> 24, n & 0xff, n >>> 8, 0, 0]),
  );
  return invalid(
    ["H4-COD-002"],
    "H4_CODEC_ERROR",
    "A gzip stream (RFC 1952) of the payload: the codec is zlib, not gzip.",
    one("deflate", gz, 400, TEXT),
  );
}

/** A zlib stream that needs a preset dictionary. */
function n_cod002_deflate_preset_dictionary() {
  // FLG with FDICT set: 0x78 0xBB is 30907 = 31 * 997, so the header check holds.
  const a = adler32(utf8("dict"));
  const z = cat(
    new Uint8Array([0x78, 0xbb, a >>> 24, a >>> 16 & 0xff, a >>> 8 & 0xff, a & 0xff]),
    Z.subarray(2),
  );
  return invalid(
    ["H4-COD-002"],
    "H4_CODEC_ERROR",
    "A zlib stream with FDICT set (it needs a preset dictionary no one has).",
    one("deflate", z, 400, TEXT),
  );
}

/** An empty deflate block: zero bytes are not a zlib stream. */
function n_cod002_deflate_empty_stream() {
  return invalid(
    ["H4-COD-002"],
    "H4_CODEC_ERROR",
    "A deflate block with 0 stored bytes and plain length 0: an empty payload still needs a zlib stream (8 bytes).",
    one("deflate", new Uint8Array(), 0),
  );
}

/** A deflate bomb. */
function n_cod002_deflate_bomb() {
  return invalid(
    ["H4-COD-002"],
    "H4_CODEC_ERROR",
    "A 6 KiB zlib stream that inflates to 1 MiB, with plain length 100: decoding must stop once the output passes 100 bytes.",
    one("deflate", zlibFixed(new Uint8Array(1 << 20)), 100),
  );
}

/** A plain length above 1 GiB. */
function n_lim001_plain_length_over_1gib() {
  return invalid(
    ["H4-LIM-001", "H4-LIM-002"],
    "H4_LIMIT_EXCEEDED",
    "A deflate block of 400 stored bytes whose plain length is 2^30 + 1: over the 1 GiB limit, to be refused before allocating.",
    one("deflate", Z, 2 ** 30 + 1, TEXT),
  );
}

/** An rle plain length above 1 GiB. */
function n_lim001_rle_plain_length_over_1gib() {
  return invalid(
    ["H4-LIM-001", "H4-LIM-002"],
    "H4_LIMIT_EXCEEDED",
    "An rle block whose plain length is 2^31.",
    one("rle", RUNS_RLE, 2 ** 31, RUNS),
  );
}

/** A stored length above 1 GiB. */
function n_lim001_stored_length_over_1gib() {
  return invalid(
    ["H4-LIM-001", "H4-IDX-003", "H4-IDX-004", "H4-FMT-015"],
    "H4_LIMIT_EXCEEDED",
    "The last block's stored length is 2^30 + 1 (it is also past the end of the storage region, which cannot be avoided in a small file, H4-IDX-003, and longer than its storage chunk, H4-IDX-004).",
    b({ records: (rs) => void (rs[rs.length - 1].stored_length = 2 ** 30 + 1) }),
    ["H4_INDEX_OUT_OF_FILE", "H4_INDEX_MISMATCH"],
  );
}

// ---------------------------------------------------------------- VERI

/** A VERI digest with one bit flipped. */
function n_int002_veri_mismatch() {
  return invalid(
    ["H4-INT-002"],
    "H4_VERI_MISMATCH",
    "VERI has one bit flipped (its CRC matches the flipped digest).",
    b({
      veri: (v) => {
        const o = v.slice();
        o[0] ^= 1;
        return o;
      },
    }),
  );
}

/** v1 VERI mismatch. */
function n_int002_v1_veri_mismatch() {
  return invalid(
    ["H4-INT-002"],
    "H4_VERI_MISMATCH",
    "v1 file: VERI has one bit flipped.",
    b({
      veri: (v) => {
        const o = v.slice();
        o[31] ^= 0x80;
        return o;
      },
    }, { profile: "v1" }),
  );
}

/** VERI over payloads only (the original reader's check). */
function n_int002_veri_payloads_only() {
  return invalid(
    ["H4-INT-002"],
    "H4_VERI_MISMATCH",
    "VERI is the SHA-256 of the chunk payloads only (as the original reader computed it); it covers whole chunks, headers included.",
    b({
      veri: (_v, s) =>
        sha256(cat(
          ...s.storage.map((c) => c.payload),
          ...SLOT_TAGS.filter((t) => t !== "LIVC").map((t) => s.tables[t] ?? new Uint8Array()),
        )),
    }),
  );
}

/** VERI including the file header. */
function n_int002_veri_from_offset_0() {
  return invalid(
    ["H4-INT-002"],
    "H4_VERI_MISMATCH",
    "VERI is the SHA-256 of every byte from offset 0 (the header included) instead of offset 8.",
    b({
      final: withVeri((x, at) => sha256(x.subarray(0, at))),
    }),
  );
}

/** `final` hook: VERI (and its CRC) set to `digest(bytes, veriOffset)`. */
function withVeri(digest: (bytes: Uint8Array, veriAt: number) => Uint8Array) {
  return (bytes: Uint8Array, s: Craft): Uint8Array => {
    const v = s.layout.find((c) => c.tag === "VERI")!;
    return setPayload(bytes.slice(), v.offset, digest(bytes, v.offset));
  };
}

/** Version 2's VERI input, optionally without its domain string (H4-INT-005). */
function v2VeriInput(bytes: Uint8Array, veriAt: number, domain = true): Uint8Array {
  const parts = [domain ? utf8("H4MK-VERI-2") : new Uint8Array(), bytes.subarray(0, 8)];
  for (const c of walkChunks(bytes.subarray(0, veriAt))) {
    parts.push(
      bytes.subarray(c.offset, c.offset + 12),
      isStorageTag(c.tag) ? sha256(c.payload) : c.payload,
    );
  }
  return cat(...parts);
}

const SEGMENTS: CraftOptions = { segmentBefore: (x) => x.index === 5 || x.index === 11 };

/** A v2 file with version 1's VERI. */
function n_int005_v2_veri_over_every_byte() {
  return invalid(
    ["H4-INT-005", "H4-INT-002"],
    "H4_VERI_MISMATCH",
    "v2 file (three SEGMs) whose VERI is version 1's: the SHA-256 of every byte from offset 8. Version 2's VERI takes each storage chunk's payload as its SHA-256.",
    b({ final: withVeri((x, at) => sha256(x.subarray(8, at))) }, SEGMENTS),
  );
}

/** A v2 VERI without its domain string. */
function n_int005_v2_veri_without_domain() {
  return invalid(
    ["H4-INT-005"],
    "H4_VERI_MISMATCH",
    "v2 file (three SEGMs) whose VERI is computed as version 2's but without the leading 'H4MK-VERI-2'.",
    b({ final: withVeri((x, at) => sha256(v2VeriInput(x, at, false))) }, SEGMENTS),
  );
}

/** Storage changed, VERI as a verifier taking hashes from BHSH would compute it. */
function n_int005_v2_veri_from_bhsh() {
  return invalid(
    ["H4-INT-005", "H4-INT-003"],
    "H4_BLOCK_HASH_MISMATCH",
    "v2 file (three SEGMs): one byte of SEGM 1's payload flipped and its CRC fixed; BHSH and VERI are those of the original file, so VERI matches only for a verifier that takes storage hashes from BHSH instead of hashing the payloads (H4-INT-005 forbids it).",
    b({
      final: (bytes, s) => {
        const seg = s.layout.filter((c) => c.tag === "SEGM")[1];
        return fixCrc(flip(bytes, seg.offset + 12 + 3, 0x10), seg.offset);
      },
    }, SEGMENTS),
    ["H4_VERI_MISMATCH"],
  );
}

/** A v1 file with version 2's VERI. */
function n_int002_v1_veri_hash_once() {
  return invalid(
    ["H4-INT-002"],
    "H4_VERI_MISMATCH",
    "v1 file whose VERI is computed as version 2's (storage payloads replaced by their SHA-256): version 1 keeps the original definition, the SHA-256 of every byte from offset 8.",
    b({ final: withVeri((x, at) => sha256(v2VeriInput(x, at))) }, { profile: "v1" }),
  );
}

/** Legacy-layout VERI mismatch. */
function n_int002_legacy_veri_mismatch() {
  return invalid(
    ["H4-INT-002"],
    "H4_VERI_MISMATCH",
    "A file in the original layout whose VERI has one bit flipped.",
    b({
      veri: (v) => {
        const o = v.slice();
        o[9] ^= 4;
        return o;
      },
    }, { profile: "legacy" }),
  );
}

/** VERI twice: found by the fuzzer, where verification hashed once and threw a raw error. */
function n_int002_veri_duplicated() {
  return invalid(
    ["H4-INT-002"],
    "H4_VERI_MISMATCH",
    "The VERI chunk appears twice, the copy between VERI and LOCA (LOCA's slots still hold): the VERI before LOCA is not the SHA-256 of the bytes before it.",
    b({
      final: (bytes, s) => {
        const v = s.layout.find((c) => c.tag === "VERI")!;
        const end = v.offset + 12 + 32;
        return cat(bytes.subarray(0, end), bytes.subarray(v.offset, end), bytes.subarray(end));
      },
    }),
  );
}

// ---------------------------------------------------------------- compression, then encryption

/** A fixed, public test key: these vectors are reproducible, not secret. */
const TEST_KEY = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 0xff);
const TEST_CONTAINER_ID = new Uint8Array(16).map((_, i) => 0xc0 + i);

function encryptedBuild(): Craft {
  const blocks: CraftBlock[] = [
    blk("video", 0, "I", 400, { style: "runs", codec: "deflate", seed: 1 }),
    blk("video", 40_000, "P", 300, { style: "text", codec: "rle", seed: 2 }),
    blk("video", 80_000, "P", 0, { codec: "deflate" }),
    blk("audio", 0, "I", 50, { codec: "none", seed: 3 }),
    blk("video", 120_000, "I", 3, { codec: "none", seed: 4 }),
  ];
  const sealer = createVectorSealer(TEST_KEY, { containerId: TEST_CONTAINER_ID, epochBlocks: 2 });
  return build({ sealer, safe: SAFE }, blocks);
}

/** Compression comes before encryption: decrypt, then decompress. */
function y_cod003_compress_then_encrypt() {
  return valid(
    ["H4-COD-003", "H4-COD-002", "H4-SEEK-003"],
    "LivingCipher-encrypted v2 file (public test key in format/keys/cod003.key) whose blocks use deflate, rle and none: stored = encrypt(compress(payload)), so a reader decrypts and then decompresses. A reader that inflates first fails.",
    encryptedBuild(),
    {
      decrypted: true,
      readArgs: ["--key", "conformance/vectors/format/keys/cod003.key"],
      extra: { "keys/cod003.key": encodeKeyFile({ kind: "root", key: TEST_KEY }) },
    },
  );
}

/** Without a key, an encrypted file's metadata is readable and no payload is returned. */
function y_cod003_encrypted_without_key() {
  return valid(
    ["H4-COD-003", "H4-LOC-003", "H4-SEEK-003"],
    "The encrypted file of y_cod003_compress_then_encrypt read without a key: tracks, index, seek tables, META and SAFE are readable; every sha256 is null.",
    encryptedBuild(),
  );
}

/** Without a key, LIVC is not interpreted: a damaged one does not stop a keyless reader. */
function y_lc021_livc_damaged_read_without_key() {
  const blocks: CraftBlock[] = [
    blk("video", 0, "I", 40, { codec: "none", seed: 1 }),
    blk("video", 40_000, "P", 30, { codec: "none", seed: 2 }),
    blk("audio", 0, "I", 20, { codec: "none", seed: 3 }),
  ];
  const sealer = createVectorSealer(TEST_KEY, { containerId: TEST_CONTAINER_ID, epochBlocks: 2 });
  return valid(
    ["H4-LC-021", "H4-LOC-003"],
    "An encrypted file whose LIVC payload lost its last byte (a keyed reader refuses it, H4-LC-010), read without a key: the tracks, index, seek tables, META and SAFE are readable and every sha256 is null. A keyless reader does not interpret LIVC.",
    build({
      sealer,
      safe: SAFE,
      hooks: {
        chunks: (cs) => {
          const livc = cs.find((c) => c.tag === "LIVC")!;
          livc.payload = livc.payload.subarray(0, livc.payload.length - 1);
        },
      },
    }, blocks),
  );
}

/** A SEGM of more than 16 MiB holding several blocks. */
function n_fmt023_segm_over_16mib() {
  const big = 16 * 1024 * 1024;
  return invalid(
    ["H4-FMT-023", "H4-LIM-001", "H4-LIM-002", "H4-FMT-010", "H4-IDX-003", "H4-FMT-015"],
    "H4_LIMIT_EXCEEDED",
    "A SEGM whose header and index say it holds two blocks of 8 MiB + 1 bytes (16 MiB + 2 in all, which writers must not do and readers must refuse); the file itself is under 1 KiB.",
    build({
      safe: SAFE,
      hooks: {
        records: (rs) => {
          for (const r of rs) r.stored_length = r.plain_length = big / 2 + 1;
          rs[1].offset = rs[0].offset + rs[0].stored_length;
        },
        chunks: (cs) => void (cs[0].length = big + 2),
      },
    }, [blk("video", 0, "I", 8), blk("video", 40_000, "P", 8)]),
    ["H4_CHUNK_OVERRUN", "H4_INDEX_OUT_OF_FILE"],
  );
}

/** Vectors of this module. */
/** An encrypted block shorter than a tag, read without a key (H4-IDX-002). */
function n_idx002_encrypted_block_shorter_than_tag() {
  const sealer = createVectorSealer(TEST_KEY, { containerId: TEST_CONTAINER_ID, epochBlocks: 2 });
  return invalid(
    ["H4-IDX-002"],
    "H4_BAD_INDEX",
    "An encrypted file (read without a key) whose block 1 (codec none) has stored_length 5 in the index, shorter than the 16-byte tag, and a SEGM, BHSH, seal inputs and digests that agree: the index is checked before any block is decrypted, so it is H4_BAD_INDEX with or without a key.",
    build({
      sealer,
      safe: SAFE,
      hooks: {
        records: (rs) => {
          rs[1].stored_length = 5;
        },
      },
    }, [
      blk("video", 0, "I", 3, { seed: 1 }),
      blk("video", 40_000, "P", 3, { seed: 2 }),
      blk("video", 80_000, "P", 3, { seed: 3 }),
    ]),
  );
}

export const CONTENT_VECTORS: VectorFn[] = [
  y_cod003_compress_then_encrypt,
  y_cod003_encrypted_without_key,
  n_fmt023_segm_over_16mib,
  n_enc005_meta,
  n_enc005_safe_surrogate,
  n_met001_meta_not_json,
  n_met001_meta_not_object,
  n_met001_meta_depth_65,
  n_met001_meta_depth_20000,
  n_met001_safe_array,
  n_met001_safe_not_json,
  n_met001_safe_depth_65,
  n_lim001_meta_over_16mib,
  n_cod001_block_codec_3,
  n_cod001_block_codec_255,
  n_cod002_rle_odd_length,
  n_cod002_rle_run_zero,
  n_cod002_rle_longer_than_plain,
  n_cod002_rle_shorter_than_plain,
  n_cod002_rle_bomb,
  n_cod002_deflate_garbage,
  n_cod002_deflate_trailing_bytes,
  n_cod002_deflate_longer_than_plain,
  n_cod002_deflate_shorter_than_plain,
  n_cod002_deflate_truncated,
  n_cod002_deflate_bad_adler,
  n_cod002_deflate_bad_header,
  n_cod002_deflate_raw,
  n_cod002_deflate_gzip,
  n_cod002_deflate_preset_dictionary,
  n_cod002_deflate_empty_stream,
  n_cod002_deflate_bomb,
  n_lim001_plain_length_over_1gib,
  n_lim001_rle_plain_length_over_1gib,
  n_lim001_stored_length_over_1gib,
  n_int002_veri_mismatch,
  n_int002_v1_veri_mismatch,
  n_int002_veri_payloads_only,
  n_int002_veri_from_offset_0,
  n_int002_legacy_veri_mismatch,
  n_int002_veri_duplicated,
  n_idx002_encrypted_block_shorter_than_tag,
  y_lc021_livc_damaged_read_without_key,
  n_int005_v2_veri_over_every_byte,
  n_int005_v2_veri_without_domain,
  n_int005_v2_veri_from_bhsh,
  n_int002_v1_veri_hash_once,
];
