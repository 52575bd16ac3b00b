/**
 * The reader's public types: the open container, its options and what it returns. The
 * container's parts (open of v2 files, legacy reading, block reading, verification) all
 * depend on these and on nothing above them.
 *
 * @module
 */
import type { JsonObject } from "../format/meta.ts";
import type { IndexColumns } from "../format/index_columns.ts";
import type { SeekTable } from "../format/ksek.ts";
import type { Locator } from "../format/loca.ts";
import type { SignatureRecord } from "../format/signature.ts";
import type { TableDirectory } from "../format/tdir.ts";
import type {
  BlockEntry,
  BlockOpener,
  ByteSource,
  SeekResult,
  TrackInfo,
  VerifyReport,
} from "../format/types.ts";

/**
 * Key of the block index's columns on a container, for verify.ts (not part of the public API):
 * absent when plain lengths are found by reading blocks (files of the original writer).
 */
export const INDEX_COLUMNS: unique symbol = Symbol("h4mk.indexColumns");

/** The block index as columns, page by page. */
export interface IndexColumnsAccess {
  /** Track ids by the index's track numbers. */
  trackIds: readonly string[];
  /** The page holding block `i`: its first block and its columns. */
  page(i: number): Promise<{ first: number; cols: IndexColumns }>;
  /**
   * Every page in order, checked, read in large reads and not kept (full verification); a
   * page's columns may be reused for the page after next.
   */
  all(): AsyncIterable<{ first: number; cols: IndexColumns }>;
}

/** Options of {@linkcode openContainer}. */
export interface OpenOptions {
  /** Bytes read from the end on open; 64 KiB by default (SPEC.md section 4). */
  tailProbe?: number;
  /** A root digest learned out of band; a file with another root is rejected. */
  expectedRoot?: Uint8Array;
  /**
   * After `readBlock` of a keyframe found through the seek tables, also fetch (and check) the
   * index page that lists it, in the background, as a player reads on from there (default
   * true). A one-shot reader such as `h4mk block` turns it off.
   */
  prefetch?: boolean;
  /**
   * Trust (SPEC.md section 18): the container is refused (`H4_UNTRUSTED`) unless its root
   * equals `trust.root` or carries a valid signature of one of `trust.keys`; then every block
   * the reader returns is checked against BHSH, and so against that root.
   */
  trust?: TrustOptions;
  /**
   * Check every block `readBlock` and `readStored` return against its storage chunk's BHSH hash
   * (default false; `open` of a URL defaults to true). `readBlock(i, {verify})` overrides it,
   * except that a trusted container is always checked.
   */
  verifyBlocks?: boolean;
}

/** What a reader trusts: public signing keys, a root digest learned out of band, or both. */
export interface TrustOptions {
  /** Ed25519 public keys (32 bytes each) whose signature makes the container trusted. */
  keys?: readonly Uint8Array[];
  /** A root digest learned out of band; a container with this root is trusted. */
  root?: Uint8Array;
}

/** A signature of the container (SPEC.md section 18) and whether it verifies. */
export interface SignatureInfo {
  /** Short key id of the signer. */
  key_id: string;
  /** The signer's public key, base64. */
  public_key: string;
  /** True when the signature verifies over this container's root and identity. */
  valid: boolean;
  /** File offset of the SIGN chunk. */
  offset: number;
}

/** One chunk as `chunks()` walks the file. */
export interface ChunkInfo {
  /** File offset of the chunk header. */
  offset: number;
  /** Tag. */
  tag: string;
  /** Payload length. */
  length: number;
  /** Whether the payload matches its CRC. */
  crcOk: boolean;
}

/** Options of `readBlock`. */
export interface ReadBlockOptions {
  /** Return the stored bytes as they are (compressed, encrypted). */
  raw?: boolean;
  /** Decrypts encrypted blocks (LivingCipher). */
  opener?: BlockOpener;
  /** Check the block's storage chunk against BHSH first (SPEC.md H4-INT-003). */
  verify?: boolean;
}

/** An open container. Metadata is loaded; index pages, hashes and blocks are read on demand. */
export interface Container {
  /** Header version: 1 or 2. */
  readonly version: 1 | 2;
  /** `v1`, `v2`, or `legacy` for files of the original writer. */
  readonly profile: "v1" | "v2" | "legacy";
  /** File size. */
  readonly size: number;
  /** Tracks in code point order of id. */
  readonly tracks: TrackInfo[];
  /** Number of blocks. */
  readonly blockCount: number;
  /** Number of storage chunks. */
  readonly chunkCount: number;
  /** META. */
  readonly meta: JsonObject;
  /** SAFE, or null when absent. */
  readonly safe: JsonObject | null;
  /** Whether blocks are encrypted. */
  readonly encrypted: boolean;
  /** LIVC payload, or null. */
  readonly livc: Uint8Array | null;
  /** Root digest, or null for legacy files. */
  readonly root: Uint8Array | null;
  /** The decoded locator, or null for legacy files. */
  readonly locator: Locator | null;
  /** The decoded table directory, or null for legacy files. */
  readonly directory: TableDirectory | null;
  /** The source read from. */
  readonly source: ByteSource;
  /** Signatures between VERI and LOCA, in file order (not yet checked: see `signatures()`). */
  readonly signers: readonly SignatureRecord[];
  /** True when the container was opened with `trust` and passed it. */
  readonly trusted: boolean;
  /** Every signature and whether it verifies (SPEC.md H4-SIG-004). */
  signatures(): Promise<SignatureInfo[]>;
  /** Where decoding starts for time `ptsUs` on a track (SPEC.md section 10). */
  seek(trackId: string, ptsUs: number): SeekResult;
  /** A track's seek table. */
  seekTable(trackId: string): SeekTable;
  /** Index entry of block `i`. */
  entry(i: number): Promise<BlockEntry>;
  /** Every index entry in order. */
  entries(): AsyncIterable<BlockEntry>;
  /** The stored bytes of block `i` (checked against BHSH when verifying, see `readBlock`). */
  readStored(i: number, opts?: { verify?: boolean }): Promise<Uint8Array>;
  /** The payload of block `i`, decrypted and decompressed unless `raw`. */
  readBlock(i: number, opts?: ReadBlockOptions): Promise<Uint8Array>;
  /** BHSH entry `c` (checked against its TDIR page digest); null for legacy files. */
  storageHash(c: number): Promise<Uint8Array | null>;
  /** Full verification (SPEC.md section 9). */
  verify(opts?: { opener?: BlockOpener }): Promise<VerifyReport>;
  /** Walks every chunk from offset 8, reading payloads to check CRCs. */
  chunks(): AsyncIterable<ChunkInfo>;
  /** Closes the source. */
  close(): Promise<void>;
}
