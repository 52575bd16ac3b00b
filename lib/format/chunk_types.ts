/**
 * The registry of chunk types, in the style of mp4box.js's box registry: for every tag of
 * SPEC.md section 3, what it is, where it may stand, which versions allow it, whether LOCA points
 * at it and the root digest covers it, and its decoder. Tools (inspect), tests, the fuzzer and
 * the vector generators take their lists of tags from here instead of keeping their own.
 *
 * LIVC and RCPT are decoded by the LivingCipher module above this layer: their entries have no
 * decoder here.
 *
 * @module
 */
import { decodeBidxPage } from "./bidx.ts";
import { LOCA_SLOTS, type LocaSlot } from "./constants.ts";
import { H4Error } from "./errors.ts";
import type { IndexColumns } from "./index_columns.ts";
import { decodeKsek, type SeekTable } from "./ksek.ts";
import { decodeLoca, type Locator } from "./loca.ts";
import { decodeJsonDoc, type JsonObject } from "./meta.ts";
import { decodeSignPayload, type SignatureRecord } from "./signature.ts";
import { decodeTdir, type TableDirectory } from "./tdir.ts";
import { decodeTrks, type TrackRecord } from "./trks.ts";
import { ROOTED_TAGS } from "./root.ts";

/** What a chunk holds. */
export type ChunkKind =
  | "storage"
  | "legacy-table"
  | "table"
  | "document"
  | "cipher"
  | "integrity"
  | "signature"
  | "locator";

/** What some decoders need besides the payload: values of other chunks of the same file. */
export interface ChunkContext {
  /** File offset of the payload (for error messages); default 0. */
  base?: number;
  /** LOCA's block_count (TDIR, BIDX). */
  blockCount?: number;
  /** LOCA's chunk_count (TDIR). */
  chunkCount?: number;
  /** Codec id of every track, from TRKS (BIDX); its length is the track count (KSEK). */
  trackCodecs?: readonly number[];
  /** Bytes a cipher adds to each block: 16 when LOCA's encrypted flag is set (KSEK, BIDX). */
  overhead?: number;
  /** The decoded TDIR (BIDX: page lengths and blocks per page). */
  directory?: TableDirectory;
}

/** One entry of the registry. */
export interface ChunkType<T> {
  /** Four-character tag. */
  tag: string;
  /** One line: what the chunk is. */
  description: string;
  /** What it holds. */
  kind: ChunkKind;
  /** Header versions whose files may hold it (version 1 includes the original writer's files). */
  versions: readonly (1 | 2)[];
  /** Where it stands (SPEC.md section 4 and the section of the type). */
  position: string;
  /** SPEC.md section. */
  section: string;
  /** The LOCA slot that points at it, or null. */
  slot: LocaSlot | null;
  /** Whether the root digest covers its payload (SPEC.md section 9). */
  rooted: boolean;
  /** Whether LOCA MUST point at one in every file that has a LOCA (H4-LOC-003). */
  required: boolean;
  /** Whether TDIR splits it into pages, each with its digest, read one at a time (SPEC.md 6.3). */
  paged: boolean;
  /**
   * Whether only files with a LOCA hold it: the original writer never wrote it, so a version 1
   * file that holds one and has no LOCA lost its locator (H4-LOC-001).
   */
  locatorOnly: boolean;
  /** Decodes a payload; throws H4Error. Null: opaque here (storage) or decoded above lib/format. */
  decode: ((payload: Uint8Array, ctx: ChunkContext) => T) | null;
}

/** The registry's shape: one typed entry per known tag. */
export interface ChunkTypes {
  /** Storage, v1 and the original writer: one block. */
  CORE: ChunkType<never>;
  /** Storage, v2: consecutive blocks. */
  SEGM: ChunkType<never>;
  /** The original writer's seek table (v1): its count. */
  SEEK: ChunkType<{ count: number | null }>;
  /** Block index pages. */
  BIDX: ChunkType<IndexColumns[]>;
  /** Storage chunk hashes. */
  BHSH: ChunkType<Uint8Array[]>;
  /** Per-track seek tables. */
  KSEK: ChunkType<SeekTable[]>;
  /** Table directory. */
  TDIR: ChunkType<TableDirectory>;
  /** Tracks. */
  TRKS: ChunkType<TrackRecord[]>;
  /** LivingCipher header and seal. */
  LIVC: ChunkType<never>;
  /** LivingCipher recipient stanzas. */
  RCPT: ChunkType<never>;
  /** Caller's metadata. */
  META: ChunkType<JsonObject>;
  /** Safety metadata. */
  SAFE: ChunkType<JsonObject>;
  /** File digest. */
  VERI: ChunkType<Uint8Array>;
  /** A signature. */
  SIGN: ChunkType<SignatureRecord>;
  /** The locator. */
  LOCA: ChunkType<Locator>;
}

function need<T>(v: T | undefined, tag: string, what: string): T {
  if (v === undefined) {
    throw new H4Error("H4_BAD_ARGUMENT", `decoding ${tag} needs ${what}`);
  }
  return v;
}

const TABLE_POSITION = "after the storage chunks, before VERI; found through LOCA";

/**
 * Every chunk type of SPEC.md, in the order a writer writes them (section 4).
 *
 * @example
 * ```ts
 * import { CHUNK_TYPES } from "./chunk_types.ts";
 * import { encodeTrks } from "./trks.ts";
 * import assert from "node:assert/strict";
 * const p = encodeTrks([{ track_id: "v", codec: "none", blocks: 1, keyframes: 1 }]);
 * assert(CHUNK_TYPES.TRKS.decode!(p, {})[0].track_id === "v");
 * assert(CHUNK_TYPES.TRKS.rooted && CHUNK_TYPES.TRKS.slot === "TRKS");
 * ```
 */
export const CHUNK_TYPES: ChunkTypes = {
  CORE: {
    tag: "CORE",
    description: "storage chunk: the stored bytes of one block",
    kind: "storage",
    versions: [1],
    position: "first, directly after the header, back to back in block order (H4-FMT-020)",
    section: "4",
    slot: null,
    rooted: false,
    required: false,
    paged: false,
    locatorOnly: false,
    decode: null,
  },
  SEGM: {
    tag: "SEGM",
    description: "storage chunk: the stored bytes of consecutive blocks",
    kind: "storage",
    versions: [2],
    position: "first, directly after the header, back to back in block order (H4-FMT-020)",
    section: "4",
    slot: null,
    rooted: false,
    required: false,
    paged: false,
    locatorOnly: false,
    decode: null,
  },
  SEEK: {
    tag: "SEEK",
    description: "the original writer's seek table, always empty (payload u32 0)",
    kind: "legacy-table",
    versions: [1],
    position: "v1: exactly one, directly after the storage chunks (H4-FMT-024)",
    section: "4",
    slot: null,
    rooted: false,
    required: false,
    paged: false,
    locatorOnly: false,
    decode: (p) => ({
      count: p.length >= 4 ? new DataView(p.buffer, p.byteOffset, 4).getUint32(0) : null,
    }),
  },
  BIDX: {
    tag: "BIDX",
    description: "block index: pages of per-block records",
    kind: "table",
    versions: [1, 2],
    position: TABLE_POSITION,
    section: "6.2",
    slot: "BIDX",
    rooted: false,
    required: true,
    paged: true,
    locatorOnly: true,
    decode: (p, ctx) => {
      const d = need(ctx.directory, "BIDX", "TDIR");
      const blockCount = need(ctx.blockCount, "BIDX", "LOCA's block count");
      const trackCodecs = need(ctx.trackCodecs, "BIDX", "TRKS");
      const pages: IndexColumns[] = [];
      let at = 0;
      for (const [i, len] of d.bidxPageLengths.entries()) {
        const first = i * d.blocksPerPage;
        pages.push(decodeBidxPage(p.subarray(at, at + len), {
          first,
          count: Math.min(d.blocksPerPage, blockCount - first),
          trackCodecs,
          overhead: ctx.overhead ?? 0,
          base: (ctx.base ?? 0) + at,
        }));
        at += len;
      }
      return pages;
    },
  },
  BHSH: {
    tag: "BHSH",
    description: "SHA-256 of every storage chunk's payload",
    kind: "table",
    versions: [1, 2],
    position: TABLE_POSITION,
    section: "6.4",
    slot: "BHSH",
    rooted: false,
    required: true,
    paged: true,
    locatorOnly: true,
    decode: (p) =>
      Array.from({ length: Math.floor(p.length / 32) }, (_, i) => p.subarray(32 * i, 32 * i + 32)),
  },
  KSEK: {
    tag: "KSEK",
    description: "per-track seek tables",
    kind: "table",
    versions: [1, 2],
    position: TABLE_POSITION,
    section: "6.5",
    slot: "KSEK",
    rooted: true,
    required: true,
    paged: false,
    locatorOnly: true,
    decode: (p, ctx) =>
      decodeKsek(
        p,
        need(ctx.trackCodecs, "KSEK", "the track count of TRKS").length,
        ctx.overhead ?? 0,
        ctx.base ?? 0,
      ),
  },
  TDIR: {
    tag: "TDIR",
    description: "table directory: BIDX page lengths and digests, BHSH page digests",
    kind: "table",
    versions: [1, 2],
    position: TABLE_POSITION,
    section: "6.3",
    slot: "TDIR",
    rooted: true,
    required: true,
    paged: false,
    locatorOnly: true,
    decode: (p, ctx) =>
      decodeTdir(
        p,
        need(ctx.blockCount, "TDIR", "LOCA's block count"),
        need(ctx.chunkCount, "TDIR", "LOCA's chunk count"),
        ctx.base ?? 0,
      ),
  },
  TRKS: {
    tag: "TRKS",
    description: "tracks: id, codec, block and keyframe counts",
    kind: "table",
    versions: [1, 2],
    position: TABLE_POSITION,
    section: "6.1",
    slot: "TRKS",
    rooted: true,
    required: true,
    paged: false,
    locatorOnly: true,
    decode: (p, ctx) => decodeTrks(p, ctx.base ?? 0),
  },
  LIVC: {
    tag: "LIVC",
    description: "LivingCipher header, transcript and seal (encrypted files only)",
    kind: "cipher",
    versions: [1, 2],
    position: `${TABLE_POSITION}; only when LOCA's encrypted flag is set`,
    section: "12.8",
    slot: "LIVC",
    rooted: false,
    required: false,
    paged: false,
    locatorOnly: true,
    decode: null,
  },
  RCPT: {
    tag: "RCPT",
    description: "LivingCipher recipient stanzas (outside the root and the seal)",
    kind: "cipher",
    versions: [1, 2],
    position: "at most one, directly after LIVC",
    section: "12.16",
    slot: null,
    rooted: false,
    required: false,
    paged: false,
    locatorOnly: false,
    decode: null,
  },
  META: {
    tag: "META",
    description: "metadata: a JSON object",
    kind: "document",
    versions: [1, 2],
    position: TABLE_POSITION,
    section: "8",
    slot: "META",
    rooted: true,
    required: true,
    paged: false,
    locatorOnly: false,
    decode: (p, ctx) => decodeJsonDoc(p, "META", ctx.base),
  },
  SAFE: {
    tag: "SAFE",
    description: "safety metadata: a JSON object (may be absent)",
    kind: "document",
    versions: [1, 2],
    position: TABLE_POSITION,
    section: "8",
    slot: "SAFE",
    rooted: true,
    required: false,
    paged: false,
    locatorOnly: false,
    decode: (p, ctx) => decodeJsonDoc(p, "SAFE", ctx.base),
  },
  VERI: {
    tag: "VERI",
    description: "SHA-256 file digest (H4-INT-005)",
    kind: "integrity",
    versions: [1, 2],
    position: "exactly one, after the tables, before the SIGN chunks and LOCA (H4-FMT-022)",
    section: "9",
    slot: null,
    rooted: false,
    required: false,
    paged: false,
    locatorOnly: false,
    decode: (p) => p,
  },
  SIGN: {
    tag: "SIGN",
    description: "an Ed25519 signature over the root",
    kind: "signature",
    versions: [1, 2],
    position: "between VERI and LOCA, back to back (H4-SIG-001)",
    section: "18.1",
    slot: null,
    rooted: false,
    required: false,
    paged: false,
    locatorOnly: false,
    decode: (p, ctx) => decodeSignPayload(p, (ctx.base ?? 12) - 12),
  },
  LOCA: {
    tag: "LOCA",
    description: "locator: the table slots, counts and the root digest",
    kind: "locator",
    versions: [1, 2],
    position: "last chunk of every file written by this specification (H4-LOC-001)",
    section: "7",
    slot: null,
    rooted: false,
    required: false,
    paged: false,
    locatorOnly: true,
    decode: (p, ctx) => decodeLoca(p, ctx.base ?? 0),
  },
};

/** A tag of the registry. */
export type KnownTag = keyof ChunkTypes;

/** Every known tag, in the writer's order. */
export const KNOWN_TAGS: readonly KnownTag[] = Object.keys(CHUNK_TYPES) as KnownTag[];

/** The storage chunk tags (SPEC.md section 4). */
export const STORAGE_TAGS: readonly KnownTag[] = KNOWN_TAGS.filter((t) =>
  CHUNK_TYPES[t].kind === "storage"
);

// The tags whose payloads the root digest covers, in the root's order: defined beside the root.
export { ROOTED_TAGS };

/** The tags LOCA points at, in slot order (SPEC.md section 7). */
export const SLOT_TAGS: readonly LocaSlot[] = LOCA_SLOTS;

/** The slots LOCA MUST fill (H4-LOC-003), in slot order. */
export const REQUIRED_SLOTS: readonly LocaSlot[] = SLOT_TAGS.filter((s) => CHUNK_TYPES[s].required);

/** The slots a reader reads whole (every slot but the paged BIDX and BHSH), in slot order. */
export const WHOLE_SLOTS: readonly LocaSlot[] = SLOT_TAGS.filter((s) => !CHUNK_TYPES[s].paged);

/** The tags only files with a LOCA hold (H4-LOC-001), in the writer's order. */
export const LOCATOR_ONLY_TAGS: readonly KnownTag[] = KNOWN_TAGS.filter((t) =>
  CHUNK_TYPES[t].locatorOnly
);

/**
 * The registry entry of `tag`, or undefined for a tag this version does not know (readers skip
 * those, H4-FMT-013).
 *
 * @example
 * ```ts
 * import { chunkType } from "./chunk_types.ts";
 * import assert from "node:assert/strict";
 * assert(chunkType("SEGM")?.kind === "storage");
 * assert(chunkType("XTRA") === undefined);
 * ```
 */
export function chunkType(tag: string): ChunkType<unknown> | undefined {
  return Object.hasOwn(CHUNK_TYPES, tag) ? CHUNK_TYPES[tag as KnownTag] : undefined;
}

/**
 * Whether `tag` is a storage chunk's (CORE or SEGM).
 *
 * @example
 * ```ts
 * import { isStorageTag } from "./chunk_types.ts";
 * import assert from "node:assert/strict";
 * assert(isStorageTag("CORE") && !isStorageTag("BIDX"));
 * ```
 */
export function isStorageTag(tag: string): boolean {
  return tag === "CORE" || tag === "SEGM";
}
