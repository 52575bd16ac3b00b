/**
 * Invalid vectors of the file structure: header, chunk framing, CRCs, tags, chunk order, and
 * truncation at every structural boundary.
 *
 * @module
 */

import { crc32 } from "../../lib/hash/crc32.ts";
import { chunkBytes, type ChunkState, type Craft, veriOf } from "../builder/build.ts";
import { cat, u16, u32, utf8 } from "../builder/fields.ts";
import { acceptable, build, type GeneratedVector, invalid, type VectorFn } from "./common.ts";
import { isStorageTag } from "../../lib/format/chunk_types.ts";

function header(magic: string | number[], version: number, reserved = 0): Uint8Array {
  const m = typeof magic === "string" ? utf8(magic) : new Uint8Array(magic);
  return cat(m, u16(version), u16(reserved));
}

/** Header and LOCA header copy both replaced, so only the header rule breaks. */
function withHeader(h: Uint8Array, profile: "v1" | "v2" = "v2"): Craft {
  return build({ profile, safe: { k: "v" }, hooks: { header: () => h } });
}

// ---------------------------------------------------------------- header

/** An empty file. */
function n_fmt001_empty_file() {
  return invalid(
    ["H4-FMT-001"],
    "H4_TRUNCATED",
    "An empty file (0 bytes): shorter than the 8-byte header.",
    new Uint8Array(),
  );
}

/** Only the magic. */
function n_fmt001_magic_only() {
  return invalid(
    ["H4-FMT-001"],
    "H4_TRUNCATED",
    "The 4 bytes 'H4MK' and nothing else.",
    utf8("H4MK"),
  );
}

/** Seven bytes of header. */
function n_fmt001_header_7_bytes() {
  return invalid(
    ["H4-FMT-001"],
    "H4_TRUNCATED",
    "Seven bytes: the header without its last byte.",
    header("H4MK", 2).subarray(0, 7),
  );
}

/** A wrong magic, consistent everywhere else. */
function n_fmt001_bad_magic() {
  return invalid(
    ["H4-FMT-001"],
    "H4_BAD_MAGIC",
    "Magic 'H4MJ' (in the header and LOCA's header copy); the rest is a valid v2 file.",
    withHeader(header("H4MJ", 2)),
  );
}

/** Magic in lowercase. */
function n_fmt001_magic_lowercase() {
  return invalid(
    ["H4-FMT-001"],
    "H4_BAD_MAGIC",
    "Magic 'h4mk': the comparison is byte-exact, not case-insensitive.",
    withHeader(header("h4mk", 2)),
  );
}

/** Another container format. */
function n_fmt001_riff() {
  return invalid(
    ["H4-FMT-001"],
    "H4_BAD_MAGIC",
    "A RIFF header followed by zeros: a file of another format.",
    cat(utf8("RIFF"), u32(200), utf8("WAVE"), new Uint8Array(200)),
  );
}

/** LOCA's copy of the header has a wrong magic. */
function n_fmt001_loca_copy_bad_magic() {
  return invalid(
    ["H4-FMT-001", "H4-LOC-002"],
    "H4_BAD_MAGIC",
    "The real header is right but LOCA's header copy says 'X4MK': H4-FMT-001 applies to the copy with its code, so that a reader opening from the tail and one reading offset 0 first agree.",
    build({ safe: { k: "v" }, hooks: { loca: (l) => void (l.header = header("X4MK", 2)) } }),
  );
}

/** Versions that are not 1 or 2. */
function n_fmt002_version_0() {
  return invalid(
    ["H4-FMT-002"],
    "H4_UNSUPPORTED_VERSION",
    "Header version 0 (and the same in LOCA's copy).",
    withHeader(header("H4MK", 0)),
  );
}

/** Version 3. */
function n_fmt002_version_3() {
  return invalid(
    ["H4-FMT-002"],
    "H4_UNSUPPORTED_VERSION",
    "Header version 3, a future version.",
    withHeader(header("H4MK", 3)),
  );
}

/** Version bytes little-endian. */
function n_fmt002_version_little_endian() {
  return invalid(
    ["H4-FMT-002"],
    "H4_UNSUPPORTED_VERSION",
    "Version bytes 02 00 (512 big-endian): catches readers that decode the header little-endian.",
    withHeader(header("H4MK", 0x0200)),
  );
}

/** Version 65535. */
function n_fmt002_version_ffff() {
  return invalid(
    ["H4-FMT-002"],
    "H4_UNSUPPORTED_VERSION",
    "Header version 65535.",
    withHeader(header("H4MK", 0xffff)),
  );
}

/** LOCA's copy says version 1 in a version 2 file. */
function n_fmt002_loca_copy_version() {
  return invalid(
    ["H4-FMT-002", "H4-LOC-002"],
    "H4_BAD_LOCATOR",
    "Header version 2, LOCA's header copy version 1: the copy has a right magic and version but differs from the header, which is H4-LOC-002's code.",
    build({ hooks: { loca: (l) => void (l.header = header("H4MK", 1)) } }),
  );
}

/** A header alone. */
function n_loc001_v2_header_only() {
  return invalid(
    ["H4-LOC-001"],
    "H4_BAD_LOCATOR",
    "An 8-byte v2 header and nothing else: no LOCA.",
    header("H4MK", 2),
  );
}

/** A v1 file with trak_b64 whose LOCA was cut off: it must not pass for an original-writer file. */
function n_loc001_v1_locator_lost() {
  const s = build({ profile: "v1", legacyTrak: true, codec: "deflate" });
  return invalid(
    ["H4-LOC-001"],
    "H4_BAD_LOCATOR",
    "A v1 file written with trak_b64 and deflate blocks, cut just before its LOCA. Its META would satisfy a legacy reading, but the file holds BIDX, TDIR and the other tables of this version: it lost its locator, and reading it as the original writer's file would hand out zlib streams as payloads.",
    s.bytes.slice(0, s.bytes.length - 172),
  );
}

/** A v1 header alone is a legacy file without META. */
function n_leg001_v1_header_only() {
  return invalid(
    ["H4-LEG-001"],
    "H4_LEGACY_NO_INDEX",
    "An 8-byte v1 header and nothing else: read as a file of the original writer, it has no META and so no trak_b64.",
    header("H4MK", 1),
  );
}

// ---------------------------------------------------------------- chunk framing

/** A storage chunk's length runs past the end of the file. */
function n_fmt010_segm_length_past_end() {
  return invalid(
    ["H4-FMT-010", "H4-LIM-002", "H4-IDX-004", "H4-LIM-001", "H4-FMT-015"],
    "H4_CHUNK_OVERRUN",
    "The SEGM header says 0x7FFFFFF0 bytes; the file is under 1 KiB. A reader must reject it before allocating that much.",
    build({ safe: { k: "v" }, hooks: { chunks: (cs) => void (cs[0].length = 0x7ffffff0) } }),
    ["H4_INDEX_MISMATCH", "H4_LIMIT_EXCEEDED"],
  );
}

/** An unknown chunk's length runs past the end. */
function n_fmt010_unknown_length_past_end() {
  return invalid(
    ["H4-FMT-010", "H4-FMT-013"],
    "H4_CHUNK_OVERRUN",
    "An unknown chunk 'XTRA' among the tables claims 100000 bytes: walking the chunks (full verification) runs past the end.",
    build({
      safe: { k: "v" },
      hooks: {
        chunks: (cs) => {
          cs.splice(cs.findIndex((c) => c.tag === "KSEK"), 0, {
            tag: "XTRA",
            payload: new Uint8Array(4),
            length: 100_000,
          });
        },
      },
    }),
  );
}

/** Length 0xFFFFFFFF in a legacy file. */
function n_fmt010_legacy_length_ffffffff() {
  return invalid(
    ["H4-FMT-010", "H4-LIM-002"],
    "H4_CHUNK_OVERRUN",
    "A file of the original layout whose META chunk says 0xFFFFFFFF bytes: the reader walks the chunks and must stop there without allocating 4 GiB.",
    build({
      profile: "legacy",
      hooks: { chunks: (cs) => void (cs.find((c) => c.tag === "META")!.length = 0xffffffff) },
    }),
    ["H4_LIMIT_EXCEEDED"],
  );
}

/** Trailing bytes after LOCA in v2: LOCA is no longer last. */
function n_fmt012_v2_trailing_bytes() {
  return invalid(
    ["H4-FMT-012", "H4-LOC-001", "H4-FMT-022"],
    "H4_BAD_LOCATOR",
    "Five zero bytes after LOCA: the last 172 bytes of the file are not LOCA.",
    build({ hooks: { final: (b) => cat(b, new Uint8Array(5)) } }),
    ["H4_TRUNCATED"],
  );
}

/** 1 and 11 trailing bytes after a legacy file's last chunk. */
function n_fmt012_legacy_trailing_1() {
  return invalid(
    ["H4-FMT-012"],
    "H4_TRUNCATED",
    "A legacy-layout file with 1 byte after its last chunk: too short for a chunk header.",
    build({ profile: "legacy", hooks: { final: (b) => cat(b, new Uint8Array([0x41])) } }),
  );
}

/** Eleven trailing bytes. */
function n_fmt012_legacy_trailing_11() {
  return invalid(
    ["H4-FMT-012"],
    "H4_TRUNCATED",
    "A legacy-layout file with 11 bytes ('CORE' and 7 more) after its last chunk: one byte short of a chunk header.",
    build({ profile: "legacy", hooks: { final: (b) => cat(b, utf8("CORE"), new Uint8Array(7)) } }),
  );
}

/** Twelve zero bytes: a chunk header with tag 00 00 00 00. */
function n_fmt014_legacy_zero_tag() {
  return invalid(
    ["H4-FMT-014"],
    "H4_BAD_CHUNK",
    "A legacy-layout file followed by 12 zero bytes: a chunk header whose tag bytes are 0x00.",
    build({ profile: "legacy", hooks: { final: (b) => cat(b, new Uint8Array(12)) } }),
  );
}

function badTag(bytes: number[]): Craft {
  return build({
    safe: { k: "v" },
    hooks: {
      chunks: (cs) => {
        cs.splice(cs.findIndex((c) => c.tag === "TDIR"), 0, {
          tag: new Uint8Array(bytes),
          payload: new Uint8Array([1, 2, 3]),
        });
      },
    },
  });
}

/** Tag bytes outside 0x20..0x7E. */
function n_fmt014_tag_nul() {
  return invalid(
    ["H4-FMT-014"],
    "H4_BAD_CHUNK",
    "An unknown chunk among the tables with tag 'AB\\x00D' (a NUL byte).",
    badTag([0x41, 0x42, 0x00, 0x44]),
  );
}

/** DEL in a tag. */
function n_fmt014_tag_del() {
  return invalid(
    ["H4-FMT-014"],
    "H4_BAD_CHUNK",
    "Tag 'XY\\x7fZ': 0x7F is just above the allowed range.",
    badTag([0x58, 0x59, 0x7f, 0x5a]),
  );
}

/** 0x1F in a tag. */
function n_fmt014_tag_unit_separator() {
  return invalid(
    ["H4-FMT-014"],
    "H4_BAD_CHUNK",
    "Tag '\\x1fABC': 0x1F is just below the allowed range.",
    badTag([0x1f, 0x41, 0x42, 0x43]),
  );
}

/** UTF-8 in a tag. */
function n_fmt014_tag_non_ascii() {
  return invalid(
    ["H4-FMT-014"],
    "H4_BAD_CHUNK",
    "Tag 'É' + 'AB' as UTF-8 (C3 89 41 42): tag bytes must be ASCII.",
    badTag([0xc3, 0x89, 0x41, 0x42]),
  );
}

/** Bad tag in the storage region of a legacy file. */
function n_fmt014_legacy_tag_ff() {
  return invalid(
    ["H4-FMT-014"],
    "H4_BAD_CHUNK",
    "A legacy-layout file with an extra chunk tagged FF FF FF FF after the CORE chunks.",
    build({
      profile: "legacy",
      hooks: {
        chunks: (cs) =>
          void cs.splice(cs.findIndex((c) => c.tag === "SEEK"), 0, {
            tag: new Uint8Array([255, 255, 255, 255]),
            payload: new Uint8Array(2),
          }),
      },
    }),
  );
}

// ---------------------------------------------------------------- CRC

function crcOff(tag: string, profile: "v1" | "v2" | "legacy" = "v2"): Craft {
  const flip = (c: ChunkState) => void (c.crc = (crc32(c.payload) ^ 0x00000100) >>> 0);
  return build({
    profile,
    safe: { k: "v" },
    hooks: {
      chunks: (cs) => {
        const c = cs.find((x) => x.tag === tag);
        if (c) flip(c);
      },
      tail: (cs) => {
        const c = cs.find((x) => x.tag === tag);
        if (c) flip(c);
      },
      locaChunk: (c) => void (tag === "LOCA" && flip(c)),
    },
  });
}

function crcVector(tag: string, profile: "v1" | "v2" | "legacy" = "v2"): GeneratedVector {
  return invalid(
    tag === "LOCA" ? ["H4-FMT-011", "H4-LOC-002"] : ["H4-FMT-011"],
    "H4_CRC_MISMATCH",
    `The CRC in the ${tag} chunk header of a ${profile} file has one bit flipped; the payload, VERI${
      profile === "legacy" ? "" : " and the root"
    } are consistent, so only the CRC check can catch it.`,
    crcOff(tag, profile),
  );
}

/** CRC mismatch, one vector per chunk type. */
function n_fmt011_crc_segm() {
  return crcVector("SEGM");
}
/** BIDX. */
function n_fmt011_crc_bidx() {
  return crcVector("BIDX");
}
/** BHSH. */
function n_fmt011_crc_bhsh() {
  return crcVector("BHSH");
}
/** KSEK. */
function n_fmt011_crc_ksek() {
  return crcVector("KSEK");
}
/** TDIR. */
function n_fmt011_crc_tdir() {
  return crcVector("TDIR");
}
/** TRKS. */
function n_fmt011_crc_trks() {
  return crcVector("TRKS");
}
/** META. */
function n_fmt011_crc_meta() {
  return crcVector("META");
}
/** SAFE. */
function n_fmt011_crc_safe() {
  return crcVector("SAFE");
}
/** VERI. */
function n_fmt011_crc_veri() {
  return crcVector("VERI");
}
/** LOCA. */
function n_fmt011_crc_loca() {
  return crcVector("LOCA");
}
/** v1 CORE. */
function n_fmt011_crc_v1_core() {
  return crcVector("CORE", "v1");
}
/** v1 SEEK. */
function n_fmt011_crc_v1_seek() {
  return crcVector("SEEK", "v1");
}
/** Legacy CORE. */
function n_fmt011_crc_legacy_core() {
  return crcVector("CORE", "legacy");
}
/** Legacy META. */
function n_fmt011_crc_legacy_meta() {
  return crcVector("META", "legacy");
}

/** A CRC written little-endian. */
function n_fmt011_crc_little_endian() {
  return invalid(
    ["H4-FMT-011"],
    "H4_CRC_MISMATCH",
    "META's CRC is the right value written little-endian: catches readers that decode the chunk header in the wrong byte order.",
    build({
      hooks: {
        chunks: (cs) => {
          const m = cs.find((c) => c.tag === "META")!;
          const v = crc32(m.payload);
          m.crc = (((v & 0xff) << 24) | ((v >>> 8 & 0xff) << 16) | ((v >>> 16 & 0xff) << 8) |
            (v >>> 24)) >>> 0;
        },
      },
    }),
  );
}

/** An unknown chunk with a bad CRC. */
function n_fmt013_unknown_chunk_bad_crc() {
  return invalid(
    ["H4-FMT-011", "H4-FMT-013"],
    "H4_CRC_MISMATCH",
    "An unknown chunk 'XTRA' with a wrong CRC: unknown chunks are skipped, but full verification reads every chunk and checks its CRC.",
    build({
      hooks: {
        chunks: (cs) =>
          void cs.splice(cs.findIndex((c) => c.tag === "BIDX"), 0, {
            tag: "XTRA",
            payload: utf8("data"),
            crc: 12345,
          }),
      },
    }),
  );
}

// ---------------------------------------------------------------- storage layout and order

/** A chunk between the header and the first storage chunk. */
function n_fmt020_chunk_before_storage() {
  return invalid(
    ["H4-FMT-020", "H4-IDX-005", "H4-FMT-015"],
    "H4_INDEX_MISMATCH",
    "An unknown chunk sits between the header and the first SEGM; the index points at the real block offsets (first_offset 20 + 16). Storage must start right after the header.",
    build({
      hooks: {
        chunks: (cs) => void cs.unshift({ tag: "XTRA", payload: new Uint8Array(4) }),
        records: (rs) => rs.forEach((r) => (r.offset += 16)),
      },
    }),
    ["H4_BAD_INDEX"],
  );
}

/** A chunk between two storage chunks. */
function n_fmt020_storage_not_contiguous() {
  return invalid(
    ["H4-FMT-020", "H4-IDX-004"],
    "H4_INDEX_MISMATCH",
    "An unknown chunk between the first and second SEGM: the index (new_chunk = 1 means 'next chunk header follows') then points into the unknown chunk, not at the second SEGM's payload.",
    build({
      segmentBefore: (b) => b.index === 5,
      hooks: { chunks: (cs) => void cs.splice(1, 0, { tag: "XTRA", payload: new Uint8Array(4) }) },
    }),
  );
}

/** CORE chunks in a version 2 file. */
function n_fmt021_core_in_v2() {
  return invalid(
    ["H4-FMT-021"],
    "H4_INDEX_MISMATCH",
    "A version 2 file whose storage chunk is tagged CORE instead of SEGM (everything else consistent).",
    build({ hooks: { storage: (cs) => cs.forEach((c) => (c.tag = "CORE")) } }),
  );
}

/** SEGM chunks in a version 1 file. */
function n_fmt021_segm_in_v1() {
  return invalid(
    ["H4-FMT-021"],
    "H4_INDEX_MISMATCH",
    "A version 1 file (with LOCA) whose storage chunks are tagged SEGM instead of CORE.",
    build({ profile: "v1", hooks: { storage: (cs) => cs.forEach((c) => (c.tag = "SEGM")) } }),
  );
}

/** A SEGM with a byte that belongs to no block. */
function n_fmt021_segm_extra_byte() {
  return invalid(
    ["H4-FMT-021", "H4-IDX-004"],
    "H4_INDEX_MISMATCH",
    "The last SEGM's payload has one byte after its last block: a SEGM must be exactly the concatenation of its blocks.",
    build({
      segmentBefore: (b) => b.index === 5,
      hooks: {
        storage: (cs) => {
          const last = cs[cs.length - 1];
          last.payload = cat(last.payload, new Uint8Array([0]));
        },
      },
    }),
  );
}

/** Two blocks in one CORE chunk of a v1 file. */
function i_fmt021_v1_core_two_blocks() {
  return acceptable(
    ["H4-FMT-021"],
    "A v1 file whose first CORE chunk holds blocks 0 and 1 (the index says so consistently: new_chunk = 0 on block 1). Section 4 describes v1 as one CORE per block, and the original reader would see one block fewer, but no MUST rule forbids it: a reader may read it by the index or reject it.",
    build({
      profile: "v1",
      hooks: {
        storage: (cs) => {
          cs[0].blocks.push(...cs[1].blocks);
          cs[0].payload = cat(cs[0].payload, cs[1].payload);
          cs.splice(1, 1);
        },
      },
    }),
  );
}

/** Something between VERI and LOCA. */
function n_fmt022_chunk_between_veri_and_loca() {
  return invalid(
    ["H4-FMT-022"],
    "H4_MISSING_CHUNK",
    "An unknown chunk between VERI and LOCA: VERI must immediately precede LOCA.",
    build({ hooks: { tail: (cs) => void cs.push({ tag: "XTRA", payload: new Uint8Array(3) }) } }),
  );
}

/** No VERI at all. */
function n_int001_no_veri() {
  return invalid(
    ["H4-INT-001", "H4-FMT-022"],
    "H4_MISSING_CHUNK",
    "A v2 file without VERI: META is directly followed by LOCA.",
    build({ noVeri: true }),
  );
}

/** VERI placed before META. */
function n_fmt022_veri_not_last() {
  return invalid(
    ["H4-FMT-022"],
    "H4_MISSING_CHUNK",
    "VERI (correct for the bytes before it) comes before META; META then directly precedes LOCA.",
    build({
      noVeri: true,
      hooks: {
        chunks: (cs) => {
          const i = cs.findIndex((c) => c.tag === "META");
          // VERI covers every chunk before it (section 9: a v2 file's SEGMs by their hashes).
          const header = cat(utf8("H4MK"), u16(2), u16(0));
          cs.splice(i, 0, {
            tag: "VERI",
            payload: veriOf([header, ...cs.slice(0, i).map(chunkBytes)]),
          });
        },
      },
    }),
  );
}

/** VERI of 31 bytes. */
function n_int002_veri_length_31() {
  return invalid(
    ["H4-INT-002"],
    "H4_BAD_CHUNK",
    "VERI payload of 31 bytes (the digest without its last byte): VERI's payload length must be 32.",
    build({ hooks: { veri: (v) => v.subarray(0, 31) } }),
  );
}

/** VERI of 33 bytes. */
function n_int002_veri_length_33() {
  return invalid(
    ["H4-INT-002"],
    "H4_BAD_CHUNK",
    "VERI payload of 33 bytes (the digest and a zero byte).",
    build({ hooks: { veri: (v) => cat(v, new Uint8Array(1)) } }),
  );
}

// ---------------------------------------------------------------- truncation

const TRUNC_BASE = () => build({ safe: { k: "v" }, segmentBefore: (b) => b.index === 5 });

function cuts(s: Craft): [string, number][] {
  const out: [string, number][] = [];
  s.layout.forEach((c, i) => {
    const n = s.layout.filter((x, k) => x.tag === c.tag && k < i).length;
    const name = `${c.tag.toLowerCase()}${isStorageTag(c.tag) ? n : ""}`;
    out.push([`before_${name}`, c.offset], [`in_${name}_header`, c.offset + 6], [
      `after_${name}_header`,
      c.offset + 12,
    ]);
  });
  return out;
}

/** A v2 file cut at every structural boundary: LOCA is never found. */
function n_trunc_v2(): Record<string, GeneratedVector> {
  const s = TRUNC_BASE();
  const out: Record<string, GeneratedVector> = {};
  for (const [name, at] of cuts(s)) {
    if (at <= 8 || at >= s.bytes.length) continue;
    // Cut at a chunk boundary, only LOCA is missing; inside a chunk header the walk also ends
    // in trailing bytes (H4-FMT-012), right after one in a chunk that overruns (H4-FMT-010).
    // Either broken rule's code is right (H4-FMT-015).
    const [rules, also, why]: [string[], string[], string] = name.startsWith("in_")
      ? [
        ["H4-LOC-001", "H4-FMT-012", "H4-FMT-015"],
        ["H4_TRUNCATED"],
        "; it ends in 6 bytes that cannot hold a chunk header",
      ]
      : name.startsWith("after_")
      ? [
        ["H4-LOC-001", "H4-FMT-010", "H4-FMT-015"],
        ["H4_CHUNK_OVERRUN"],
        "; its last chunk's length runs past the end",
      ]
      : [["H4-LOC-001"], [], ", and it ends at a chunk boundary"];
    out[name] = invalid(
      rules,
      "H4_BAD_LOCATOR",
      `A v2 file (2 SEGM, tables, SAFE) cut at byte ${at} (${
        name.replaceAll("_", " ")
      }): the last 172 bytes are not LOCA${why}.`,
      s.bytes.slice(0, at),
      also,
    );
  }
  out.last_byte_missing = invalid(
    ["H4-LOC-001", "H4-FMT-010", "H4-FMT-015"],
    "H4_BAD_LOCATOR",
    "A v2 file without its last byte (the end of the root digest): no LOCA in the last 172 bytes, and LOCA's length runs past the end.",
    s.bytes.slice(0, s.bytes.length - 1),
    ["H4_CHUNK_OVERRUN"],
  );
  return out;
}

/** A v1 file cut at boundaries: read as legacy, it then fails there. */
function n_trunc_v1(): Record<string, GeneratedVector> {
  const s = build({ profile: "v1", safe: { k: "v" } });
  const out: Record<string, GeneratedVector> = {};
  const pick = ["core1", "seek", "bidx", "meta", "veri", "loca"];
  for (const c of s.layout) {
    const n = s.layout.filter((x) => x.tag === c.tag && x.offset < c.offset).length;
    const name = `${c.tag.toLowerCase()}${c.tag === "CORE" ? n : ""}`;
    if (!pick.includes(name)) continue;
    // Cut after the tables began, the file holds chunks the original writer never wrote: it
    // lost its locator (H4-LOC-001). Cut before them, it reads as an original-writer file.
    const lost = ["meta", "veri", "loca"].includes(name);
    out[`before_${name}`] = lost
      ? invalid(
        ["H4-LOC-001"],
        "H4_BAD_LOCATOR",
        `A v1 file cut just before its ${name.toUpperCase()} chunk: it holds BIDX, TDIR and the other tables of this version but no LOCA, so it lost its locator; it must not be read as a file of the original writer.`,
        s.bytes.slice(0, c.offset),
      )
      : invalid(
        ["H4-LEG-001", "H4-LOC-001"],
        "H4_LEGACY_NO_INDEX",
        `A v1 file cut just before its ${name.toUpperCase()} chunk: without LOCA and without any table of this version it is read as a file of the original writer, whose META (not even there) would need trak_b64.`,
        s.bytes.slice(0, c.offset),
      );
    // A cut file also has no LOCA: it lost its locator when a table chunk of this version is
    // (at least by its header) in it, else it reads as the original writer's file without META.
    // Both rules are broken, so either code is right (H4-FMT-015).
    const second = (tableSeen: boolean) =>
      tableSeen ? ["H4-LOC-001", "H4_BAD_LOCATOR"] : ["H4-LEG-001", "H4_LEGACY_NO_INDEX"];
    const [afterRule, afterCode] = second(lost || name === "bidx");
    out[`after_${name}_header`] = invalid(
      ["H4-FMT-010", afterRule, "H4-FMT-015"],
      "H4_CHUNK_OVERRUN",
      `A v1 file cut right after the header of its ${name.toUpperCase()} chunk: walking the chunks, that chunk's length runs past the end. Without LOCA it also breaks ${afterRule}, whose code is right as well.`,
      s.bytes.slice(0, c.offset + 12),
      [afterCode],
    );
    const [inRule, inCode] = second(lost);
    out[`in_${name}_header`] = invalid(
      ["H4-FMT-012", inRule, "H4-FMT-015"],
      "H4_TRUNCATED",
      `A v1 file cut 5 bytes into the header of its ${name.toUpperCase()} chunk: 5 trailing bytes cannot hold a chunk header. Without LOCA it also breaks ${inRule}, whose code is right as well.`,
      s.bytes.slice(0, c.offset + 5),
      [inCode],
    );
  }
  return out;
}

/** Vectors of this module. */
/** LOCA's header copy with version 3: H4-FMT-002's code, as for the header. */
function n_fmt002_loca_copy_version_3() {
  return invalid(
    ["H4-FMT-002", "H4-LOC-002"],
    "H4_UNSUPPORTED_VERSION",
    "Header version 2, LOCA's header copy version 3: H4-FMT-002 applies to the copy with its code (a reader opening from the tail sees version 3 first).",
    build({ safe: { k: "v" }, hooks: { loca: (l) => void (l.header = header("H4MK", 3)) } }),
  );
}

/** A bad header wins over any other defect (H4-FMT-015). */
function n_fmt015_header_first() {
  return invalid(
    ["H4-FMT-015", "H4-FMT-002"],
    "H4_UNSUPPORTED_VERSION",
    "Two defects: header version 3 (and the same in LOCA's copy) and a META chunk whose CRC is wrong. The header is checked before anything else, so only H4_UNSUPPORTED_VERSION is right.",
    build({
      safe: { k: "v" },
      hooks: {
        header: () => header("H4MK", 3),
        chunks: (cs) => {
          const m = cs.find((c) => c.tag === "META")!;
          m.crc = (crc32(m.payload) ^ 1) >>> 0;
        },
      },
    }),
  );
}

/** Two VERI chunks, each right over the bytes before it (H4-FMT-022). */
function n_fmt022_second_veri() {
  return invalid(
    ["H4-FMT-022", "H4-INT-002"],
    "H4_VERI_MISMATCH",
    "VERI appears twice before LOCA, and each is right over the chunks before it (section 9): a file holds one VERI chunk, whether or not a second one's hash is right.",
    build({
      safe: { k: "v" },
      hooks: {
        final: (bytes, s) => {
          const v = s.layout.find((c) => c.tag === "VERI")!;
          const end = v.offset + 12 + 32;
          // The second VERI is right too: VERI (section 9) over the header and every chunk
          // before it, the first VERI included.
          const parts = [bytes.subarray(0, 8)];
          for (const c of s.layout) {
            if (c.offset >= end) break;
            parts.push(bytes.subarray(c.offset, c.offset + c.length)); // length: the whole chunk
          }
          const hash = veriOf(parts);
          const second = cat(utf8("VERI"), u32(32), u32(crc32(hash)), hash);
          return cat(bytes.subarray(0, end), second, bytes.subarray(end));
        },
      },
    }),
  );
}

export const STRUCTURE_VECTORS: VectorFn[] = [
  n_fmt001_empty_file,
  n_fmt001_magic_only,
  n_fmt001_header_7_bytes,
  n_fmt001_bad_magic,
  n_fmt001_magic_lowercase,
  n_fmt001_riff,
  n_fmt001_loca_copy_bad_magic,
  n_fmt002_version_0,
  n_fmt002_version_3,
  n_fmt002_version_little_endian,
  n_fmt002_version_ffff,
  n_fmt002_loca_copy_version,
  n_loc001_v2_header_only,
  n_loc001_v1_locator_lost,
  n_leg001_v1_header_only,
  n_fmt010_segm_length_past_end,
  n_fmt010_unknown_length_past_end,
  n_fmt010_legacy_length_ffffffff,
  n_fmt012_v2_trailing_bytes,
  n_fmt012_legacy_trailing_1,
  n_fmt012_legacy_trailing_11,
  n_fmt014_legacy_zero_tag,
  n_fmt014_tag_nul,
  n_fmt014_tag_del,
  n_fmt014_tag_unit_separator,
  n_fmt014_tag_non_ascii,
  n_fmt014_legacy_tag_ff,
  n_fmt011_crc_segm,
  n_fmt011_crc_bidx,
  n_fmt011_crc_bhsh,
  n_fmt011_crc_ksek,
  n_fmt011_crc_tdir,
  n_fmt011_crc_trks,
  n_fmt011_crc_meta,
  n_fmt011_crc_safe,
  n_fmt011_crc_veri,
  n_fmt011_crc_loca,
  n_fmt011_crc_v1_core,
  n_fmt011_crc_v1_seek,
  n_fmt011_crc_legacy_core,
  n_fmt011_crc_legacy_meta,
  n_fmt011_crc_little_endian,
  n_fmt013_unknown_chunk_bad_crc,
  n_fmt020_chunk_before_storage,
  n_fmt020_storage_not_contiguous,
  n_fmt021_core_in_v2,
  n_fmt021_segm_in_v1,
  n_fmt021_segm_extra_byte,
  i_fmt021_v1_core_two_blocks,
  n_fmt022_chunk_between_veri_and_loca,
  n_int001_no_veri,
  n_fmt022_veri_not_last,
  n_int002_veri_length_31,
  n_int002_veri_length_33,
  n_trunc_v2,
  n_trunc_v1,
  n_fmt002_loca_copy_version_3,
  n_fmt015_header_first,
  n_fmt022_second_veri,
];
