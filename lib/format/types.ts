/**
 * The data model shared by the writer, the reader and every layer above them.
 * Field names follow SPEC.md and the original service's JSON (`track_id`, `pts_us`, ...).
 *
 * @module
 */

/** Frame kind of a block, as in SPEC.md "Block kinds". */
export type BlockKind = "I" | "P" | "B";

/** Payload codec name, as in SPEC.md "Codecs". */
export type CodecName = "none" | "deflate" | "rle";

/** Block-store profile, as in SPEC.md "Profiles". `legacy` is a file of the original writer. */
export type Profile = "v1" | "v2";

/** One block handed to the writer. */
export interface BlockInput {
  /** Track id: 1 to 255 bytes of UTF-8. */
  track_id: string;
  /** Presentation time in microseconds; a safe integer, may be negative. */
  pts_us: number;
  /** Frame kind. */
  kind: BlockKind;
  /** True when decoding can start at this block. */
  keyframe: boolean;
  /** The plaintext payload, opaque to H4MK. */
  payload: Uint8Array;
  /** Codec for this block; defaults to the writer's codec. */
  codec?: CodecName;
}

/** One entry of the block index, as a reader sees it. */
export interface BlockEntry {
  /** Position of the block in the container (the original's `core_index`). */
  index: number;
  /** Track id. */
  track_id: string;
  /** Presentation time in microseconds. */
  pts_us: number;
  /** Frame kind. */
  kind: BlockKind;
  /** Keyframe flag. */
  keyframe: boolean;
  /** Codec of the stored bytes (before any encryption). */
  codec: CodecName;
  /** File offset of the block's stored bytes. */
  offset: number;
  /** Number of stored bytes (after compression and encryption). */
  stored_length: number;
  /** Length of the payload after decryption and decompression. */
  plain_length: number;
  /** Number of the storage chunk (CORE or SEGM) that holds the block. */
  chunk: number;
}

/** One track, from the TRKS table (or derived, for legacy files). */
export interface TrackInfo {
  /** Track id. */
  track_id: string;
  /** Default codec of the track's blocks. */
  codec: CodecName;
  /** Number of blocks in the track. */
  blocks: number;
  /** Number of keyframe blocks in the track. */
  keyframes: number;
  /** Number of entries in the track's seek table. */
  seek_entries: number;
}

/** Answer of a seek, with the original service's field names. */
export interface SeekResult {
  /** Track asked for. */
  track_id: string;
  /** Target time asked for. */
  pts_us: number;
  /** pts of the block where decoding starts. */
  keyframe_pts_us: number;
  /** Index of that block. */
  core_index: number;
  /** False only when the target is before the track's first seek entry (the first entry is returned). */
  found: boolean;
  /** File offset of the block's stored bytes. */
  offset: number;
  /** Stored length of the block. */
  stored_length: number;
}

/**
 * A random-access byte source: a file, an HTTP resource, a Uint8Array.
 * `read` returns exactly `length` bytes or throws an {@linkcode H4Error}
 * (`H4_TRUNCATED` past the end, `H4_IO` or `H4_SOURCE_CHANGED` on failure).
 */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Reads `length` bytes at `offset`. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Optional: reads `buf.length` bytes at `offset` into `buf` and returns it, so that a reader
   * going through a file in order can reuse one buffer.
   */
  readInto?(offset: number, buf: Uint8Array): Promise<Uint8Array>;
  /** Releases the source. */
  close?(): void | Promise<void>;
}

/** Where written bytes go. `write` may keep a reference to the bytes until it resolves. */
export interface ByteSink {
  /** Appends bytes. */
  write(bytes: Uint8Array): Promise<void> | void;
}

/** What a LivingCipher encryptor gives the writer (SPEC.md "LivingCipher"). */
export interface BlockSealer {
  /** Suite name, for messages. */
  readonly suite: string;
  /** Encrypts one block's (compressed) bytes bound to its context; returns the stored bytes. */
  seal(ctx: BlockContext, data: Uint8Array): Uint8Array;
  /** Called once after the last block with the root digest; returns the LIVC chunk payload. */
  finish(root: Uint8Array): Uint8Array;
  /**
   * Optional: chunks the writer puts right after LIVC, outside the root digest and the seal
   * (SPEC.md 12.16: the recipients chunk RCPT). Called once, after `finish`.
   */
  chunksAfterLivc?(): readonly { tag: string; payload: Uint8Array }[];
}

/** What a LivingCipher decryptor gives the reader. */
export interface BlockOpener {
  /** Decrypts one block's stored bytes; returns the (still compressed) bytes or throws. */
  open(ctx: BlockContext, stored: Uint8Array): Uint8Array;
  /**
   * Blocks with a smaller index stay sealed to this opener (a LivingCipher epoch key opens its
   * epoch and later ones only); absent or 0 when it opens every block. Full verification and
   * whole-container copies skip those blocks and say so instead of failing.
   */
  readonly firstOpenBlock?: number;
}

/** The readable context a block's encryption is bound to (SPEC.md "LivingCipher"). */
export interface BlockContext {
  /** Block index. */
  index: number;
  /** Track id. */
  track_id: string;
  /** pts in microseconds. */
  pts_us: number;
  /** Frame kind. */
  kind: BlockKind;
  /** Keyframe flag. */
  keyframe: boolean;
  /** Codec of the plaintext before encryption. */
  codec: CodecName;
  /** Payload length after decompression. */
  plain_length: number;
}

/** One check of a verification, named by its SPEC.md rule id. */
export interface VerifyCheck {
  /** SPEC.md rule id. */
  rule: string;
  /** Whether it holds. */
  ok: boolean;
  /** One line saying what was checked or what failed. */
  message: string;
  /** Error code when it failed. */
  code?: string;
}

/** Result of a verification. */
export interface VerifyReport {
  /** True when every check holds. */
  ok: boolean;
  /** Every check made, in order. */
  checks: VerifyCheck[];
}
