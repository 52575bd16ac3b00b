/**
 * Constants named after the SPEC.md terms. Section numbers refer to SPEC.md.
 *
 * @module
 */

/** File magic, section 2. */
export const MAGIC: Uint8Array = new Uint8Array([0x48, 0x34, 0x4d, 0x4b]); // "H4MK"
/** Length of the file header, section 2. */
export const HEADER_LENGTH = 8;
/** Format version of the legacy-compatible profile `v1`, section 2. */
export const VERSION_V1 = 1;
/** Format version of the compact profile `v2`, section 2. */
export const VERSION_V2 = 2;
/** Length of a chunk header (tag, length, crc), section 3. */
export const CHUNK_HEADER_LENGTH = 12;
/** Offset of the first block's stored bytes, section 4 (H4-FMT-020). */
export const FIRST_BLOCK_OFFSET: number = HEADER_LENGTH + CHUNK_HEADER_LENGTH;

/** Chunk tags, section 3. */
export const TAG = {
  CORE: "CORE",
  SEGM: "SEGM",
  SEEK: "SEEK",
  META: "META",
  SAFE: "SAFE",
  VERI: "VERI",
  TRKS: "TRKS",
  BIDX: "BIDX",
  TDIR: "TDIR",
  BHSH: "BHSH",
  KSEK: "KSEK",
  LIVC: "LIVC",
  LOCA: "LOCA",
} as const;

/** Payload length of LOCA, section 7. */
export const LOCA_PAYLOAD_LENGTH = 160;
/** Whole LOCA chunk length: the last bytes of every file with a locator, section 7. */
export const LOCA_CHUNK_LENGTH: number = CHUNK_HEADER_LENGTH + LOCA_PAYLOAD_LENGTH;
/** LOCA locator_version, section 7. */
export const LOCATOR_VERSION = 1;
/** LOCA flag bit: encrypted (LIVC present), section 7. */
export const LOCA_FLAG_ENCRYPTED = 1;
/** Name of a LOCA slot. */
export type LocaSlot = "BIDX" | "BHSH" | "KSEK" | "TDIR" | "TRKS" | "META" | "SAFE" | "LIVC";
/** Slots of the LOCA table directory, in order, section 7. */
export const LOCA_SLOTS: readonly LocaSlot[] = [
  "BIDX",
  "BHSH",
  "KSEK",
  "TDIR",
  "TRKS",
  "META",
  "SAFE",
  "LIVC",
];
/** Payload length of VERI, section 9. */
export const VERI_PAYLOAD_LENGTH = 32;
/** Domain string of the root digest, section 9. */
export const ROOT_DOMAIN = "H4MK-ROOT-1";
/** Domain string of a version 2 VERI, section 9 (H4-INT-005). */
export const VERI_DOMAIN = "H4MK-VERI-2";

/** Writer default: BIDX blocks per page, section 6.3. */
export const DEFAULT_BLOCKS_PER_PAGE = 4096;
/** Writer default: BHSH hashes per page, section 6.3. */
export const DEFAULT_HASHES_PER_PAGE = 1024;
/** Writer default: close a SEGM before a keyframe once it holds this much, section 4. */
export const SEGMENT_KEYFRAME_BOUND: number = 64 * 1024;
/** Writer default: close a SEGM before it would exceed this, section 4. */
export const SEGMENT_TARGET: number = 256 * 1024;
/** Writer default seek interval for all-keyframe tracks, section 6.5. */
export const DEFAULT_SEEK_INTERVAL_US = 1_000_000;
/** Recommended tail probe, section 4. */
export const DEFAULT_TAIL_PROBE: number = 64 * 1024;
/** Bytes a LivingCipher suite adds to a block (the tag), section 6.2. */
export const CIPHER_OVERHEAD = 16;

/** Limits, section 13. */
export const LIMITS = {
  tracks: 65_535,
  trackIdBytes: 255,
  blocks: 0xffff_ffff,
  blockBytes: 2 ** 30,
  segmentBytes: 16 * 1024 * 1024,
  jsonBytes: 16 * 1024 * 1024,
  jsonDepth: 64,
  pageBytes: 1024 * 1024,
  perPage: 65_536,
  /** Largest |pts_us|: keeps every delta-of-delta residual a safe integer (about 35 years). */
  ptsAbs: 2 ** 50 - 1,
} as const;

/** Codec ids, section 5. */
export const CODEC_IDS = { none: 0, deflate: 1, rle: 2 } as const;
/** Codec names by id, section 5. */
export const CODEC_NAMES = ["none", "deflate", "rle"] as const;
/** Kind ids, section 5. */
export const KIND_IDS = { I: 0, P: 1, B: 2 } as const;
/** Kind names by id, section 5. */
export const KIND_NAMES = ["I", "P", "B"] as const;

/** META keys the writer owns, section 8. */
export const WRITER_META_KEYS = [
  "domain",
  "tracks",
  "seekm_b64",
  "trak_b64",
  "compression",
] as const;
/** META `domain` value, section 8. */
export const META_DOMAIN = "video-transport";
/** META `compression` value of the original writer, section 8. */
export const LEGACY_COMPRESSION: Record<string, unknown> = {
  engine: "geometric-reference",
  engine_id: "unknown",
  fingerprint: "unknown",
  deterministic: true,
  identity_safe: true,
  opaque: false,
  sealed: false,
};
