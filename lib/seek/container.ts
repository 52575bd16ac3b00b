/**
 * Random access to a container over any {@linkcode ByteSource}: open from the tail through
 * LOCA (SPEC.md section 7), seek with the per-track tables, fetch index pages, hashes and
 * blocks on demand. Files of the original writer (section 11) are opened by walking their
 * chunks.
 *
 * @module
 */
import { bhshEntry } from "../format/bhsh.ts";
import { contextOf } from "../format/block_context.ts";
import { bytesSource } from "../format/byte_source.ts";
import { compareCodePoints, concat, equalBytes } from "../format/bytes.ts";
import { checkChunkCrc, type ChunkHeader, parseChunkHeader } from "../format/chunk.ts";
import { codecName, decodePayload } from "../format/codec.ts";
import {
  CHUNK_HEADER_LENGTH,
  CIPHER_OVERHEAD,
  CODEC_IDS,
  DEFAULT_TAIL_PROBE,
  FIRST_BLOCK_OFFSET,
  HEADER_LENGTH,
  KIND_IDS,
  KIND_NAMES,
  LIMITS,
  LOCA_CHUNK_LENGTH,
  LOCA_FLAG_ENCRYPTED,
  type LocaSlot,
  MAGIC,
  VERSION_V1,
  VERSION_V2,
} from "../format/constants.ts";
import { H4Error } from "../format/errors.ts";
import { allocColumns, type IndexColumns } from "../format/index_columns.ts";
import { decodeSeekTable, type SeekTable, seekTableFromRows, splitKsek } from "../format/ksek.ts";
import { decodeLoca, type Locator } from "../format/loca.ts";
import { decodeJsonDoc, type JsonObject } from "../format/meta.ts";
import { computeRootAsync } from "../format/root.ts";
import { sha256Async } from "../hash/sha256.ts";
import { decodeTdir, type TableDirectory } from "../format/tdir.ts";
import { decodeTrks } from "../format/trks.ts";
import type {
  BlockContext,
  BlockEntry,
  BlockOpener,
  ByteSource,
  SeekResult,
  TrackInfo,
  VerifyReport,
} from "../format/types.ts";
import { seekEntry } from "./seek_table.ts";
import {
  checkDistinctSigners,
  decodeSignPayload,
  SIGN_TAG,
  type SignatureRecord,
  verifySignature,
} from "../format/signature.ts";

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

/** Largest read that fetches an index page together with BHSH pages (SPEC.md 18.5). */
const HASH_SPAN_LIMIT = 1024 * 1024;

/** Bytes of verified storage chunks a container keeps (SPEC.md 18.5). */
const CHUNK_CACHE_BYTES = 32 * 1024 * 1024;

/** What block access needs beyond the public fields. */
interface Internals {
  src: ByteSource;
  blockCount: number;
  chunkCount: number;
  encrypted: boolean;
  legacy: boolean;
  /** OpenOptions.prefetch. */
  prefetch: boolean;
  /** Default of readBlock's `verify`. */
  verifyBlocks: boolean;
  /** Every block is checked (trusted container). */
  mustVerify: boolean;
  trackIds: string[];
  page(p: number): Promise<{ first: number; cols: IndexColumns }>;
  pageOf(i: number): number;
  hash(c: number): Promise<Uint8Array | null>;
  plainLength?(i: number, cols: IndexColumns, row: number): Promise<number>;
}

function checkHeader(h: Uint8Array, where: string): 1 | 2 {
  for (let i = 0; i < 4; i++) {
    if (h[i] !== MAGIC[i]) {
      const got = [...h.subarray(0, 4)].map((
        b,
      ) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
      throw new H4Error("H4_BAD_MAGIC", `${where}: expected "H4MK", got "${got}"`, {
        offset: 0,
        rule: "H4-FMT-001",
      });
    }
  }
  const version = (h[4] << 8) | h[5];
  if (version !== VERSION_V1 && version !== VERSION_V2) {
    throw new H4Error(
      "H4_UNSUPPORTED_VERSION",
      `${where}: version ${version}, this reader knows 1 and 2`,
      {
        offset: 4,
        rule: "H4-FMT-002",
      },
    );
  }
  return version;
}

/**
 * Opens a container from bytes or any random-access source. Reads the tail (64 KiB by
 * default), checks the locator, the small tables and the root, and returns a
 * {@linkcode Container}.
 *
 * @example
 * ```ts
 * import { openContainer } from "./container.ts";
 * import { packContainer } from "../format/writer.ts";
 * import assert from "node:assert/strict";
 * const bytes = await packContainer([
 *   { track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array([1, 2]) },
 * ]);
 * const c = await openContainer(bytes);
 * assert(c.seek("v", 5).core_index === 0);
 * assert((await c.readBlock(0))[1] === 2);
 * ```
 */
export async function openContainer(
  src: ByteSource | Uint8Array,
  opts: OpenOptions = {},
): Promise<Container> {
  const source = src instanceof Uint8Array ? bytesSource(src) : src;
  const size = source.size;
  if (!Number.isSafeInteger(size) || size < HEADER_LENGTH) {
    throw new H4Error("H4_TRUNCATED", `file of ${size} bytes is shorter than the 8-byte header`, {
      offset: 0,
      rule: "H4-FMT-001",
    });
  }
  const probe = Math.min(size, Math.max(LOCA_CHUNK_LENGTH, opts.tailProbe ?? DEFAULT_TAIL_PROBE));
  const tailStart = size - probe;
  const tail = await source.read(tailStart, probe);
  const realHeader = tailStart === 0 ? tail.subarray(0, HEADER_LENGTH) : null;
  if (realHeader) checkHeader(realHeader, "header");
  const locaAt = size - LOCA_CHUNK_LENGTH;
  const hasLoca = locaAt >= HEADER_LENGTH &&
    String.fromCharCode(...tail.subarray(locaAt - tailStart, locaAt - tailStart + 4)) === "LOCA";
  if (!hasLoca) {
    const header = realHeader ?? await source.read(0, HEADER_LENGTH);
    const version = checkHeader(header, "header");
    if (version === VERSION_V2) {
      throw new H4Error(
        "H4_BAD_LOCATOR",
        `version 2 file has no LOCA chunk in its last 172 bytes`,
        {
          offset: Math.max(0, locaAt),
          rule: "H4-LOC-001",
        },
      );
    }
    if (opts.trust) {
      throw new H4Error(
        "H4_UNTRUSTED",
        "container not trusted: a file of the original writer has no root digest to sign or pin",
        { rule: "H4-SIG-005" },
      );
    }
    return await openLegacy(source, size, tail, tailStart, opts);
  }
  return await openIndexed(source, size, tail, tailStart, realHeader, opts);
}

async function openIndexed(
  src: ByteSource,
  size: number,
  tail: Uint8Array,
  tailStart: number,
  realHeader: Uint8Array | null,
  opts: OpenOptions,
): Promise<Container> {
  const locaAt = size - LOCA_CHUNK_LENGTH;
  const locaBytes = tail.subarray(locaAt - tailStart);
  const locaHead = parseChunkHeader(locaBytes, locaAt, size);
  if (locaHead.length !== LOCA_CHUNK_LENGTH - CHUNK_HEADER_LENGTH) {
    throw new H4Error("H4_BAD_LOCATOR", `LOCA payload is ${locaHead.length} bytes, must be 160`, {
      offset: locaAt,
      chunk: "LOCA",
      rule: "H4-LOC-002",
    });
  }
  const locaPayload = locaBytes.subarray(CHUNK_HEADER_LENGTH);
  checkChunkCrc(locaHead, locaPayload);
  const loca = decodeLoca(locaPayload, locaAt + CHUNK_HEADER_LENGTH);
  const version = checkHeader(loca.header, "LOCA header copy");
  if (realHeader && !equalBytes(realHeader, loca.header)) {
    throw new H4Error("H4_BAD_LOCATOR", `LOCA header copy differs from the file header`, {
      offset: locaAt,
      chunk: "LOCA",
      rule: "H4-LOC-002",
    });
  }
  const encrypted = (loca.flags & LOCA_FLAG_ENCRYPTED) !== 0;
  const required: LocaSlot[] = ["BIDX", "BHSH", "KSEK", "TDIR", "TRKS", "META"];
  for (const s of required) {
    if (!loca.slots[s]) {
      throw new H4Error("H4_MISSING_CHUNK", `LOCA has no ${s}`, {
        offset: locaAt,
        chunk: "LOCA",
        rule: "H4-LOC-003",
      });
    }
  }
  if (encrypted !== (loca.slots.LIVC !== null)) {
    throw new H4Error(
      "H4_MISSING_CHUNK",
      encrypted
        ? "LOCA flags say encrypted but there is no LIVC"
        : "LOCA has a LIVC but its flags say unencrypted",
      { offset: locaAt, chunk: "LOCA", rule: "H4-LOC-003" },
    );
  }
  // Slots must lie between the first storage chunk and LOCA; the storage region ends at the first.
  let storageEnd = locaAt;
  for (const [name, ref] of Object.entries(loca.slots)) {
    if (!ref) continue;
    if (
      ref.offset < HEADER_LENGTH || ref.length < CHUNK_HEADER_LENGTH ||
      ref.offset + ref.length > locaAt
    ) {
      throw new H4Error(
        "H4_BAD_LOCATOR",
        `slot ${name} at ${ref.offset}+${ref.length} is outside 8..${locaAt}`,
        {
          offset: locaAt,
          chunk: "LOCA",
          rule: "H4-LOC-002",
        },
      );
    }
    storageEnd = Math.min(storageEnd, ref.offset);
  }
  // Small tables: one range from the lowest of them to the tail already read.
  const small: LocaSlot[] = ["KSEK", "TDIR", "TRKS", "META", "SAFE", "LIVC"];
  let low = tailStart;
  for (const s of small) if (loca.slots[s]) low = Math.min(low, loca.slots[s]!.offset);
  const region = low < tailStart ? concat([await src.read(low, tailStart - low), tail]) : tail;
  const regionStart = Math.min(low, tailStart);
  const payloads: Partial<Record<LocaSlot, Uint8Array>> = {};
  for (const s of small) {
    const ref = loca.slots[s];
    if (!ref) continue;
    const at = ref.offset - regionStart;
    const head = slotHeader(s, region.subarray(at, at + CHUNK_HEADER_LENGTH), ref.offset, size);
    checkSlotHeader(s, ref.length, head);
    const payload = region.subarray(at + CHUNK_HEADER_LENGTH, at + ref.length);
    checkChunkCrc(head, payload);
    payloads[s] = payload;
  }
  const root = await computeRootAsync(locaPayload, {
    TRKS: payloads.TRKS!,
    KSEK: payloads.KSEK!,
    TDIR: payloads.TDIR!,
    META: payloads.META!,
    SAFE: payloads.SAFE ?? null,
  });
  if (!equalBytes(root, loca.root)) {
    throw new H4Error(
      "H4_DIGEST_MISMATCH",
      `root digest ${root.toHex().slice(0, 16)}… differs from LOCA's ${
        loca.root.toHex().slice(0, 16)
      }…`,
      {
        offset: locaAt,
        chunk: "LOCA",
        rule: "H4-INT-004",
      },
    );
  }
  if (opts.expectedRoot && !equalBytes(root, opts.expectedRoot)) {
    throw new H4Error(
      "H4_DIGEST_MISMATCH",
      `root digest ${root.toHex()} is not the expected ${opts.expectedRoot.toHex()}`,
      {
        rule: "H4-INT-004",
      },
    );
  }
  const signers = signatureArea(region, regionStart, loca, locaAt, size);
  const livc = payloads.LIVC ?? null;
  const checkedSignatures = memo(() =>
    Promise.all(signers.map(async (r) => ({ r, ok: await verifySignature(r, locaPayload, livc) })))
  );
  let trusted = false;
  if (opts.trust) {
    trusted = await isTrusted(
      opts.trust,
      root,
      signers,
      (r) => verifySignature(r, locaPayload, livc),
    );
  }
  const base = (s: LocaSlot) => loca.slots[s]!.offset + CHUNK_HEADER_LENGTH;
  const trks = decodeTrks(payloads.TRKS!, base("TRKS"));
  const mismatch = (m: string, rule: string): never => {
    throw new H4Error("H4_INDEX_MISMATCH", m, { rule });
  };
  if (trks.length !== loca.trackCount) {
    mismatch(`TRKS has ${trks.length} tracks, LOCA says ${loca.trackCount}`, "H4-LOC-004");
  }
  const sum = trks.reduce((n, t) => n + t.blocks, 0);
  if (sum !== loca.blockCount) {
    mismatch(`TRKS counts ${sum} blocks, LOCA says ${loca.blockCount}`, "H4-TRK-002");
  }
  if (loca.blockCount > 0xffff_ffff) {
    throw new H4Error("H4_LIMIT_EXCEEDED", `${loca.blockCount} blocks exceed 2^32-1`, {
      rule: "H4-LIM-001",
    });
  }
  const tdir = decodeTdir(payloads.TDIR!, loca.blockCount, loca.chunkCount, base("TDIR"));
  const bidxLen = loca.slots.BIDX!.length - CHUNK_HEADER_LENGTH;
  const pageSum = tdir.bidxPageLengths.reduce((n, l) => n + l, 0);
  // Open reads neither BIDX's nor BHSH's header: their lengths are LOCA's slots here, and
  // verify() checks the slots against the chunks themselves (H4-LOC-002).
  if (pageSum !== bidxLen) {
    throw new H4Error(
      "H4_BAD_INDEX",
      `TDIR's BIDX pages add up to ${pageSum} bytes, BIDX (by its LOCA slot) has ${bidxLen}`,
      { chunk: "TDIR", rule: "H4-TDR-001" },
    );
  }
  const bhshLen = loca.slots.BHSH!.length - CHUNK_HEADER_LENGTH;
  if (bhshLen !== loca.chunkCount * 32) {
    throw new H4Error(
      "H4_BAD_INDEX",
      `BHSH (by its LOCA slot) has ${bhshLen} bytes, ${loca.chunkCount} chunks need ${
        loca.chunkCount * 32
      }`,
      { chunk: "BHSH", rule: "H4-BHS-001" },
    );
  }
  if (loca.chunkCount > loca.blockCount) {
    mismatch(`${loca.chunkCount} storage chunks for ${loca.blockCount} blocks`, "H4-LOC-004");
  }
  const overhead = encrypted ? CIPHER_OVERHEAD : 0;
  // Each track's table is decoded and checked when it is first used: `h4mk seek` on one track
  // of a one-hour file then decodes 3,600 entries, not 10,800 (SPEC.md section 6.5).
  const parts = splitKsek(payloads.KSEK!, trks.length, base("KSEK"));
  const decoded: SeekTable[] = [];
  const table = (t: number): SeekTable =>
    decoded[t] ??= checkSeekTable(
      decodeSeekTable(parts[t].bytes, overhead, parts[t].base),
      trks[t].track_id,
      loca.blockCount,
      storageEnd,
    );
  const meta = decodeJsonDoc(payloads.META!, "META", base("META"));
  const safe = payloads.SAFE ? decodeJsonDoc(payloads.SAFE, "SAFE", base("SAFE")) : null;

  const pageStarts: number[] = [];
  let acc = base("BIDX");
  for (const l of tdir.bidxPageLengths) {
    pageStarts.push(acc);
    acc += l;
  }
  const trackCodecs = trks.map((t) => CODEC_IDS[t.codec]);
  const P = tdir.blocksPerPage;
  type Page = { first: number; cols: IndexColumns };
  const hashCache = new Map<number, Promise<Uint8Array>>();
  const rawCache = new Map<number, Promise<Page>>();
  const remember = (p: number, got: Promise<Page>) => {
    got.catch(() => rawCache.delete(p));
    if (rawCache.size >= 64) rawCache.delete(rawCache.keys().next().value!);
    rawCache.set(p, got);
  };
  /** Checks a page's digest, decodes it, and checks every block lies in the storage region. */
  const decodePage = async (p: number, bytes: Uint8Array): Promise<Page> => {
    if (!equalBytes(await sha256Async(bytes), tdir.bidxPageDigests[p])) {
      throw new H4Error("H4_DIGEST_MISMATCH", `BIDX page ${p} does not match its TDIR digest`, {
        offset: pageStarts[p],
        chunk: "BIDX",
        rule: "H4-TDR-002",
      });
    }
    const first = p * P;
    // Loaded with the first page: seeking and reading keyframes through KSEK never need it.
    const { decodeBidxPage } = await import("../format/bidx.ts");
    const cols = decodeBidxPage(bytes, {
      first,
      count: Math.min(P, loca.blockCount - first),
      trackCodecs,
      overhead,
      base: pageStarts[p],
    });
    for (let k = 0; k < cols.count; k++) {
      if (cols.offset[k] < FIRST_BLOCK_OFFSET || cols.offset[k] + cols.stored[k] > storageEnd) {
        throw new H4Error(
          "H4_INDEX_OUT_OF_FILE",
          `block ${first + k} at ${cols.offset[k]}+${
            cols.stored[k]
          } is outside the storage region 20..${storageEnd}`,
          { offset: pageStarts[p], chunk: "BIDX", rule: "H4-IDX-003" },
        );
      }
      if (cols.chunk[k] >= loca.chunkCount) {
        throw new H4Error(
          "H4_INDEX_MISMATCH",
          `block ${first + k} is in storage chunk ${cols.chunk[k]}, LOCA counts ${loca.chunkCount}`,
          { offset: pageStarts[p], chunk: "BIDX", rule: "H4-IDX-004" },
        );
      }
    }
    return { first, cols };
  };
  // Index pages read along with BHSH pages (pageWithHashes), decoded when first used.
  let spanStart = 0;
  let span: Uint8Array | null = null;
  const inSpan = (p: number) =>
    span !== null && pageStarts[p] >= spanStart &&
    pageStarts[p] + tdir.bidxPageLengths[p] <= spanStart + span.length;
  const rawPage = (p: number): Promise<Page> => {
    let got = rawCache.get(p);
    if (!got) {
      const at = pageStarts[p] - spanStart;
      got = inSpan(p)
        ? Promise.resolve(span!.subarray(at, at + tdir.bidxPageLengths[p])).then((b) =>
          decodePage(p, b)
        )
        : src.read(pageStarts[p], tdir.bidxPageLengths[p]).then((b) => decodePage(p, b));
      remember(p, got);
    }
    return got;
  };
  /** Where page p's first block must start, from the end of page p-1 (H4-IDX-002). */
  const checkContinuity = (p: number, prev: Page | null, cur: Page) => {
    const c = cur.cols;
    let offset = FIRST_BLOCK_OFFSET, chunk = 0;
    if (prev) {
      const l = prev.cols.count - 1;
      offset = prev.cols.offset[l] + prev.cols.stored[l] +
        (c.newChunk[0] ? CHUNK_HEADER_LENGTH : 0);
      chunk = prev.cols.chunk[l] + c.newChunk[0];
    } else if (!c.newChunk[0]) offset = -1;
    if (c.offset[0] !== offset || c.chunk[0] !== chunk) {
      throw new H4Error(
        "H4_BAD_INDEX",
        `BIDX page ${p} starts at offset ${c.offset[0]} in chunk ${
          c.chunk[0]
        }; the page before it ends at ${offset} in chunk ${chunk}`,
        { offset: pageStarts[p], chunk: "BIDX", rule: "H4-IDX-005" },
      );
    }
  };
  const checked = new Map<number, Promise<Page>>();
  const H = tdir.hashesPerPage;
  const hashPageAt = (q: number) => base("BHSH") + q * H * 32;
  const hashPageLength = (q: number) => (Math.min(loca.chunkCount, (q + 1) * H) - q * H) * 32;
  const checkHashPage = async (q: number, bytes: Uint8Array): Promise<Uint8Array> => {
    if (!equalBytes(await sha256Async(bytes), tdir.bhshPageDigests[q])) {
      throw new H4Error("H4_DIGEST_MISMATCH", `BHSH page ${q} does not match its TDIR digest`, {
        offset: hashPageAt(q),
        chunk: "BHSH",
        rule: "H4-TDR-002",
      });
    }
    return bytes.slice();
  };
  const rememberHashPage = (q: number, got: Promise<Uint8Array>) => {
    got.catch(() => hashCache.delete(q));
    if (hashCache.size >= 64) hashCache.delete(hashCache.keys().next().value!);
    hashCache.set(q, got);
  };
  // Verified block reads need the block's index page and its BHSH page. BHSH follows BIDX in
  // the writer's order, so one read from the index page to the last BHSH page its blocks can
  // use (chunk c <= block i) fetches both, when that span is small: a verified cold open, seek
  // and block then take three requests (SPEC.md 18.5).
  const wantHashes = opts.verifyBlocks === true || trusted;
  const bidxRef = loca.slots.BIDX!, bhshRef = loca.slots.BHSH!;
  const hashesFollowIndex = bidxRef.offset + bidxRef.length === bhshRef.offset;
  const pageWithHashes = async (p: number): Promise<void> => {
    if (!hashesFollowIndex || loca.chunkCount === 0) return;
    const from = p > 0 && !rawCache.has(p - 1) ? p - 1 : p;
    const lastBlock = Math.min(loca.blockCount, (p + 1) * tdir.blocksPerPage) - 1;
    const qhi = Math.floor(Math.min(loca.chunkCount - 1, lastBlock) / H);
    const start = pageStarts[from];
    const end = hashPageAt(qhi) + hashPageLength(qhi);
    if (end - start > HASH_SPAN_LIMIT) return;
    let allCached = true;
    for (let q = 0; q <= qhi; q++) if (!hashCache.has(q)) allCached = false;
    if (allCached) return;
    const bytes = await src.read(start, end - start);
    // Every index page from `from` on is in the span: kept, and decoded when used.
    span = bytes;
    spanStart = start;
    for (let q = 0; q <= qhi; q++) {
      if (hashCache.has(q)) continue;
      const at = hashPageAt(q) - start;
      const page = bytes.subarray(at, at + hashPageLength(q));
      rememberHashPage(q, Promise.resolve().then(() => checkHashPage(q, page)));
    }
  };
  const internals: Internals = {
    src,
    blockCount: loca.blockCount,
    chunkCount: loca.chunkCount,
    encrypted,
    legacy: false,
    prefetch: opts.prefetch !== false,
    verifyBlocks: opts.verifyBlocks === true || trusted,
    mustVerify: trusted,
    trackIds: trks.map((t) => t.track_id),
    pageOf: (i) => Math.floor(i / P),
    page(p) {
      let got = checked.get(p);
      if (!got) {
        got = (async () => {
          if (!rawCache.has(p) && !inSpan(p) && wantHashes) await pageWithHashes(p);
          if (p > 0 && !rawCache.has(p) && !rawCache.has(p - 1) && !inSpan(p - 1)) {
            // Both pages are adjacent in the file: fetch them with one read.
            const bytes = await src.read(
              pageStarts[p - 1],
              tdir.bidxPageLengths[p - 1] + tdir.bidxPageLengths[p],
            );
            const split = tdir.bidxPageLengths[p - 1];
            remember(
              p - 1,
              Promise.resolve().then(() => decodePage(p - 1, bytes.subarray(0, split))),
            );
            remember(p, Promise.resolve().then(() => decodePage(p, bytes.subarray(split))));
          }
          const cur = await rawPage(p);
          checkContinuity(p, p > 0 ? await rawPage(p - 1) : null, cur);
          return cur;
        })();
        got.catch(() => checked.delete(p));
        if (checked.size >= 64) checked.delete(checked.keys().next().value!);
        checked.set(p, got);
      }
      return got;
    },
    hash(c) {
      const H = tdir.hashesPerPage;
      const q = Math.floor(c / H);
      let got = hashCache.get(q);
      if (!got) {
        got = src.read(hashPageAt(q), hashPageLength(q)).then((b) => checkHashPage(q, b));
        rememberHashPage(q, got);
      }
      return got.then((page) => bhshEntry(page, c, q * H));
    },
  };
  return makeContainer(internals, {
    version,
    profile: version === VERSION_V1 ? "v1" : "v2",
    size,
    tracks: trks.map((t, i) => ({
      track_id: t.track_id,
      codec: t.codec,
      blocks: t.blocks,
      keyframes: t.keyframes,
      seek_entries: parts[i].count,
    })),
    table,
    meta,
    safe,
    livc: payloads.LIVC ? payloads.LIVC.slice() : null,
    root,
    locator: loca,
    directory: tdir,
    signers,
    trusted,
    signatures: async () =>
      (await checkedSignatures()).map(({ r, ok }) => ({
        key_id: r.keyId,
        public_key: r.publicKey.toBase64(),
        valid: ok,
        offset: r.offset,
      })),
  });
}

function memo<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => p ??= f();
}

/**
 * The SIGN chunks between VERI and LOCA (SPEC.md H4-SIG-001): the chunks from the end of the
 * last located table up to LOCA are walked (they lie in bytes already read); the SIGN chunks
 * after the last other chunk are the signatures. Each is CRC-checked and decoded (H4-SIG-002).
 * Whatever else is there is full verification's to judge (H4-FMT-022).
 */
function signatureArea(
  region: Uint8Array,
  regionStart: number,
  loca: Locator,
  locaAt: number,
  size: number,
): SignatureRecord[] {
  let offset = HEADER_LENGTH;
  for (const ref of Object.values(loca.slots)) {
    if (ref) offset = Math.max(offset, ref.offset + ref.length);
  }
  let run: { head: ChunkHeader; payload: Uint8Array }[] = [];
  while (offset < locaAt) {
    if (locaAt - offset < CHUNK_HEADER_LENGTH || offset < regionStart) return [];
    let head: ChunkHeader;
    try {
      head = parseChunkHeader(region.subarray(offset - regionStart), offset, size);
    } catch {
      return [];
    }
    const end = offset + CHUNK_HEADER_LENGTH + head.length;
    if (end > locaAt) return [];
    if (head.tag === SIGN_TAG) {
      run.push({
        head,
        payload: region.subarray(offset + CHUNK_HEADER_LENGTH - regionStart, end - regionStart),
      });
    } else run = [];
    offset = end;
  }
  const records = run.map(({ head, payload }) => {
    checkChunkCrc(head, payload);
    return decodeSignPayload(payload, head.offset);
  });
  checkDistinctSigners(records);
  return records;
}

/**
 * Whether a container passes `trust`; throws `H4_UNTRUSTED` when it does not (H4-SIG-005). Only
 * signatures of trusted keys are verified, so that many SIGN chunks cost nothing here.
 */
async function isTrusted(
  trust: TrustOptions,
  root: Uint8Array,
  signers: readonly SignatureRecord[],
  verify: (r: SignatureRecord) => Promise<boolean>,
): Promise<true> {
  if (trust.root && equalBytes(trust.root, root)) return true;
  const keys = trust.keys ?? [];
  const invalid: string[] = [];
  for (const r of signers) {
    if (!keys.some((k) => equalBytes(k, r.publicKey))) continue;
    if (await verify(r)) return true;
    invalid.push(r.keyId);
  }
  const why = [
    trust.root ? `its root ${root.toHex().slice(0, 16)}… is not the pinned root` : "",
    keys.length
      ? signers.length === 0
        ? "it has no signature"
        : invalid.length
        ? `the signature of trusted key ${invalid.join(", ")} does not verify`
        : `no trusted key signed it (signers: ${
          signers.slice(0, 8).map((r) => r.keyId).join(", ")
        }${signers.length > 8 ? ", …" : ""})`
      : "",
  ].filter(Boolean).join(", and ");
  throw new H4Error(
    "H4_UNTRUSTED",
    `container not trusted: ${why || "no trusted key or root was given"}`,
    { rule: "H4-SIG-005" },
  );
}

/** Checks a decoded seek table against the file: blocks that exist, bytes in the storage region. */
function checkSeekTable(
  table: SeekTable,
  trackId: string,
  blockCount: number,
  storageEnd: number,
): SeekTable {
  const id = JSON.stringify(trackId);
  for (let k = 0; k < table.count; k++) {
    if (table.block[k] >= blockCount) {
      throw new H4Error(
        "H4_BAD_SEEK_TABLE",
        `track ${id} seek entry ${k} names block ${table.block[k]}, the file has ${blockCount}`,
        { chunk: "KSEK", rule: "H4-SEK-001" },
      );
    }
    if (table.offset[k] < FIRST_BLOCK_OFFSET || table.offset[k] + table.stored[k] > storageEnd) {
      throw new H4Error(
        "H4_INDEX_OUT_OF_FILE",
        `track ${id} seek entry ${k} points at ${table.offset[k]}+${
          table.stored[k]
        }, outside the storage region 20..${storageEnd}`,
        { chunk: "KSEK", rule: "H4-IDX-003" },
      );
    }
  }
  return table;
}

/** Parses the chunk header a LOCA slot points at; a slot that misses a header is LOCA's fault. */
function slotHeader(slot: string, bytes: Uint8Array, offset: number, size: number): ChunkHeader {
  try {
    return parseChunkHeader(bytes, offset, size);
  } catch (e) {
    throw new H4Error(
      "H4_BAD_LOCATOR",
      `LOCA slot ${slot} at ${offset} does not point at a chunk`,
      {
        offset,
        chunk: "LOCA",
        rule: "H4-LOC-002",
        cause: e,
      },
    );
  }
}

function checkSlotHeader(slot: string, length: number, head: ChunkHeader): void {
  if (head.tag !== slot || head.length + CHUNK_HEADER_LENGTH !== length) {
    throw new H4Error(
      "H4_BAD_LOCATOR",
      `LOCA slot ${slot} points at ${head.tag} of ${
        head.length + 12
      } bytes, expected ${slot} of ${length}`,
      {
        offset: head.offset,
        chunk: "LOCA",
        rule: "H4-LOC-002",
      },
    );
  }
}

/** Tables the original writer never writes: a v1 file holding one lost its LOCA. */
const LOCATED_TAGS = new Set(["BIDX", "BHSH", "KSEK", "TDIR", "TRKS", "LIVC", "LOCA"]);

/** Files of the original writer, SPEC.md section 11. */
async function openLegacy(
  src: ByteSource,
  size: number,
  tail: Uint8Array,
  tailStart: number,
  opts: OpenOptions,
): Promise<Container> {
  // The original writer's tables, loaded only for its files.
  const [{ decodeTrak }, { decodeSeekm }] = await Promise.all([
    import("../format/trak.ts"),
    import("../format/seekm.ts"),
  ]);
  const cores: { offset: number; length: number }[] = [];
  let meta: JsonObject | undefined;
  let safe: JsonObject | null = null;
  let located: { tag: string; offset: number } | undefined;
  // Legacy files are read whole when small, else chunk header by chunk header.
  const whole = tailStart === 0 ? tail : size <= 64 * 1024 * 1024 ? await src.read(0, size) : null;
  const read = (
    o: number,
    n: number,
  ) => (whole ? Promise.resolve(whole.subarray(o, o + n)) : src.read(o, n));
  let offset = HEADER_LENGTH;
  while (offset < size) {
    if (size - offset < CHUNK_HEADER_LENGTH) {
      throw new H4Error(
        "H4_TRUNCATED",
        `${size - offset} trailing bytes at ${offset} cannot hold a chunk header`,
        {
          offset,
          rule: "H4-FMT-012",
        },
      );
    }
    const head = parseChunkHeader(await read(offset, CHUNK_HEADER_LENGTH), offset, size);
    const at = offset + CHUNK_HEADER_LENGTH;
    if (head.tag === "CORE") {
      cores.push({ offset: at, length: head.length });
    } else if (head.tag === "META" || head.tag === "SAFE") {
      const payload = await read(at, head.length);
      checkChunkCrc(head, payload);
      const doc = decodeJsonDoc(payload, head.tag, at);
      if (head.tag === "META") meta = doc;
      else safe = doc;
    } else if (head.tag === "SEGM") {
      throw new H4Error("H4_INDEX_MISMATCH", `SEGM chunk at ${offset} in a version 1 file`, {
        offset,
        chunk: "SEGM",
        rule: "H4-FMT-021",
      });
    } else if (LOCATED_TAGS.has(head.tag)) located ??= { tag: head.tag, offset };
    offset = at + head.length;
  }
  if (located) {
    // A v1 file of this version that lost its LOCA, to a cut or a flipped tag byte: read as
    // legacy it could return ciphertext or deflate streams as payloads and pass verification
    // (VERI ends before LOCA). SPEC.md H4-LOC-001.
    throw new H4Error(
      "H4_BAD_LOCATOR",
      `version 1 file has a ${located.tag} chunk at ${located.offset}, which only files with a LOCA hold, but its last 172 bytes are not LOCA`,
      { offset: located.offset, chunk: located.tag, rule: "H4-LOC-001" },
    );
  }
  if (!meta) {
    throw new H4Error("H4_LEGACY_NO_INDEX", "legacy file has no META chunk", {
      rule: "H4-LEG-001",
    });
  }
  if (typeof meta.trak_b64 !== "string") {
    throw new H4Error("H4_LEGACY_NO_INDEX", "legacy META has no trak_b64 block list", {
      chunk: "META",
      rule: "H4-LEG-001",
    });
  }
  let trakBytes: Uint8Array;
  try {
    trakBytes = Uint8Array.fromBase64(meta.trak_b64);
  } catch {
    throw new H4Error("H4_LEGACY_NO_INDEX", "META.trak_b64 is not valid base64", {
      chunk: "META",
      rule: "H4-LEG-001",
    });
  }
  const trak = decodeTrak(trakBytes);
  if (trak.length !== cores.length) {
    throw new H4Error(
      "H4_INDEX_MISMATCH",
      `META.trak_b64 lists ${trak.length} blocks, the file has ${cores.length} CORE chunks`,
      {
        chunk: "META",
        rule: "H4-LEG-001",
      },
    );
  }
  const compression = meta.compression as { engine?: unknown } | undefined;
  const codec = compression?.engine === "geometric-reference" ? CODEC_IDS.rle : CODEC_IDS.none;
  const ids = [...new Set(trak.map((e) => e.track_id))].sort(compareCodePoints);
  const trackOf = new Map(ids.map((id, i) => [id, i]));
  const n = trak.length;
  const cols = allocColumns(n);
  cols.count = n;
  const plainKnown = new Uint8Array(n);
  trak.forEach((e, i) => {
    cols.track[i] = trackOf.get(e.track_id)!;
    cols.pts[i] = e.pts_us;
    cols.kind[i] = KIND_IDS[e.kind];
    cols.keyframe[i] = e.keyframe ? 1 : 0;
    cols.codec[i] = codec;
    cols.newChunk[i] = 1;
    cols.offset[i] = cores[i].offset;
    cols.stored[i] = cores[i].length;
    cols.chunk[i] = i;
    if (codec === CODEC_IDS.none) {
      cols.plain[i] = cores[i].length;
      plainKnown[i] = 1;
    }
  });
  const blocksPer = ids.map(() => 0);
  const keysPer = ids.map(() => 0);
  for (let i = 0; i < n; i++) {
    blocksPer[cols.track[i]]++;
    keysPer[cols.track[i]] += cols.keyframe[i];
  }
  const tables = legacySeekTables(meta, ids, cols, trackOf, decodeSeekm);
  const internals: Internals = {
    src,
    blockCount: n,
    chunkCount: n,
    encrypted: "encryption" in meta,
    legacy: true,
    prefetch: false,
    // Every legacy block is a whole CORE chunk whose CRC is checked on each read; there is no BHSH.
    verifyBlocks: opts.verifyBlocks === true,
    mustVerify: false,
    trackIds: ids,
    pageOf: () => 0,
    page: () => Promise.resolve({ first: 0, cols }),
    hash: () => Promise.resolve(null),
    // rle plain lengths are the sum of the runs: known only after reading the block.
    async plainLength(i, c, row) {
      if (!plainKnown[i]) {
        const stored = await read(c.offset[row], c.stored[row]);
        let sum = 0;
        for (let k = 1; k < stored.length; k += 2) sum += stored[k];
        cols.plain[i] = sum;
        plainKnown[i] = 1;
      }
      return cols.plain[i];
    },
  };
  return makeContainer(internals, {
    version: 1,
    profile: "legacy",
    size,
    tracks: ids.map((id, t) => ({
      track_id: id,
      codec: codecName(codec),
      blocks: blocksPer[t],
      keyframes: keysPer[t],
      seek_entries: tables[t].count,
    })),
    table: (t) => tables[t],
    meta,
    safe,
    livc: null,
    root: null,
    locator: null,
    directory: null,
    signers: [],
    trusted: false,
    signatures: () => Promise.resolve([]),
  });
}

function legacySeekTables(
  meta: JsonObject,
  ids: string[],
  cols: IndexColumns,
  trackOf: Map<string, number>,
  decodeSeekm: typeof import("../format/seekm.ts").decodeSeekm,
): SeekTable[] {
  const lists: [number, number][][] = ids.map(() => []);
  if ("seekm_b64" in meta) {
    // Absent, the tables are trak_b64's keyframes (below); present, it must be base64 text.
    let bytes: Uint8Array;
    try {
      if (typeof meta.seekm_b64 !== "string") throw new TypeError("not a string");
      bytes = Uint8Array.fromBase64(meta.seekm_b64);
    } catch {
      throw new H4Error(
        "H4_BAD_SEEK_TABLE",
        `META.seekm_b64 is not base64 text: ${JSON.stringify(meta.seekm_b64).slice(0, 40)}`,
        {
          chunk: "META",
          rule: "H4-LEG-003",
        },
      );
    }
    for (const t of decodeSeekm(bytes)) {
      const ti = trackOf.get(t.track_id);
      for (const [pts, idx] of t.entries) {
        if (
          ti === undefined || idx >= cols.count || cols.track[idx] !== ti || !cols.keyframe[idx] ||
          cols.pts[idx] !== pts
        ) {
          throw new H4Error(
            "H4_BAD_SEEK_TABLE",
            `SEEKM entry (${pts}, ${idx}) of track ${
              JSON.stringify(t.track_id)
            } is not a keyframe of that track at that pts`,
            {
              chunk: "META",
              rule: "H4-LEG-003",
            },
          );
        }
        lists[ti].push([pts, idx]);
      }
    }
  } else {
    for (let i = 0; i < cols.count; i++) {
      if (cols.keyframe[i]) lists[cols.track[i]].push([cols.pts[i], i]);
    }
  }
  return lists.map((l) => {
    l.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (let k = 1; k < l.length; k++) {
      if (l[k][0] === l[k - 1][0] && l[k][1] === l[k - 1][1]) {
        throw new H4Error("H4_BAD_SEEK_TABLE", `SEEKM lists block ${l[k][1]} twice`, {
          chunk: "META",
          rule: "H4-LEG-003",
        });
      }
    }
    return seekTableFromRows(cols, l.map(([, i]) => i));
  });
}

interface Fields {
  version: 1 | 2;
  profile: "v1" | "v2" | "legacy";
  size: number;
  tracks: TrackInfo[];
  /** Track t's seek table (decoded and checked on first use). */
  table(t: number): SeekTable;
  meta: JsonObject;
  safe: JsonObject | null;
  livc: Uint8Array | null;
  root: Uint8Array | null;
  locator: Locator | null;
  directory: TableDirectory | null;
  signers: SignatureRecord[];
  trusted: boolean;
  signatures(): Promise<SignatureInfo[]>;
}

/** Track ids shown in an error: at most 8, so a message stays one short line. */
const LISTED_TRACKS = 8;

function trackList(ids: readonly string[]): string {
  if (ids.length === 0) return "none";
  const shown = ids.slice(0, LISTED_TRACKS).map((s) => JSON.stringify(s)).join(", ");
  return ids.length > LISTED_TRACKS ? `${shown} and ${ids.length - LISTED_TRACKS} more` : shown;
}

function makeContainer(x: Internals, f: Fields): Container {
  const trackIndex = new Map(x.trackIds.map((id, i) => [id, i]));

  function trackNumber(trackId: string): number {
    const t = trackIndex.get(trackId);
    if (t === undefined) {
      throw new H4Error(
        "H4_UNKNOWN_TRACK",
        `no track ${JSON.stringify(trackId.slice(0, 64))}; tracks are ${trackList(x.trackIds)}`,
        {
          rule: "H4-SEEK-001",
        },
      );
    }
    return t;
  }

  async function entry(i: number): Promise<BlockEntry> {
    if (!Number.isSafeInteger(i) || i < 0 || i >= x.blockCount) {
      throw new H4Error(
        "H4_BLOCK_OUT_OF_RANGE",
        `block index ${i} is not in 0..${x.blockCount - 1}`,
      );
    }
    const { first, cols } = await x.page(x.pageOf(i));
    const r = i - first;
    const codec = cols.codec[r];
    return {
      index: i,
      track_id: x.trackIds[cols.track[r]],
      pts_us: cols.pts[r],
      kind: KIND_NAMES[cols.kind[r]],
      keyframe: cols.keyframe[r] === 1,
      codec: codecName(codec),
      offset: cols.offset[r],
      stored_length: cols.stored[r],
      plain_length: x.plainLength ? await x.plainLength(i, cols, r) : cols.plain[r],
      chunk: cols.chunk[r],
    };
  }

  /**
   * Reads the storage chunk holding block `e` in one read (its extent comes from the index),
   * checks tag, length, size limit, CRC (H4-FMT-011) and, when `hashed`, its BHSH entry
   * (H4-INT-003); returns the block's bytes.
   */
  async function readChunkChecked(e: BlockEntry, hashed: boolean): Promise<Uint8Array> {
    const cached = hashed ? verifiedChunks.get(e.chunk) : undefined;
    if (cached) {
      const at = e.offset - cached.offset;
      return cached.payload.slice(at, at + e.stored_length);
    }
    let firstIndex = e.index, firstOffset = e.offset, lastIndex = e.index;
    let end = e.offset + e.stored_length;
    if (f.version === VERSION_V2) {
      // The chunk's other blocks: scanned in the columns of the block's index page, and through
      // entry() only past the page's edges.
      const { first: pf, cols } = await x.page(x.pageOf(e.index));
      let lo = e.index - pf, hi = lo;
      while (lo > 0 && cols.chunk[lo - 1] === e.chunk) lo--;
      while (hi < cols.count - 1 && cols.chunk[hi + 1] === e.chunk) hi++;
      firstIndex = pf + lo;
      firstOffset = cols.offset[lo];
      lastIndex = pf + hi;
      end = cols.offset[hi] + cols.stored[hi];
      while (lo === 0 && firstIndex > 0) {
        const prev = await entry(firstIndex - 1);
        if (prev.chunk !== e.chunk) break;
        firstIndex = prev.index;
        firstOffset = prev.offset;
      }
      while (hi === cols.count - 1 && lastIndex < x.blockCount - 1) {
        const next = await entry(lastIndex + 1);
        if (next.chunk !== e.chunk) break;
        lastIndex = next.index;
        end = next.offset + next.stored_length;
      }
    }
    const headAt = firstOffset - CHUNK_HEADER_LENGTH;
    // The hash page and the chunk are fetched at the same time.
    const wanted = hashed ? x.hash(e.chunk) : undefined;
    wanted?.catch(() => {});
    const bytes = await x.src.read(headAt, end - headAt);
    const head = parseChunkHeader(bytes.subarray(0, CHUNK_HEADER_LENGTH), headAt, f.size);
    const expectTag = f.version === VERSION_V1 ? "CORE" : "SEGM";
    if (head.tag !== expectTag || head.length !== end - headAt - CHUNK_HEADER_LENGTH) {
      throw new H4Error(
        "H4_INDEX_MISMATCH",
        `block ${e.index} should lie in a ${expectTag} chunk of ${
          end - headAt - 12
        } bytes at ${headAt}, found ${head.tag} of ${head.length}`,
        { offset: headAt, rule: "H4-IDX-004" },
      );
    }
    if (head.length > LIMITS.segmentBytes && firstIndex !== lastIndex) {
      throw new H4Error(
        "H4_LIMIT_EXCEEDED",
        `${head.tag} at ${headAt} holds ${head.length} bytes in several blocks, over 16 MiB`,
        { offset: headAt, chunk: head.tag, rule: "H4-LIM-001" },
      );
    }
    const payload = bytes.subarray(CHUNK_HEADER_LENGTH);
    // The hash first: it is what a caller asking to verify relies on; the CRC still follows.
    if (hashed) {
      const want = await wanted;
      if (want && !equalBytes(await sha256Async(payload), want)) {
        throw new H4Error(
          "H4_BLOCK_HASH_MISMATCH",
          `storage chunk ${e.chunk} at ${headAt} (block ${e.index}) differs from its BHSH hash`,
          { offset: headAt, chunk: head.tag, rule: "H4-INT-003" },
        );
      }
    }
    checkChunkCrc(head, payload);
    if (hashed) rememberChunk(e.chunk, firstOffset, payload);
    const at = e.offset - firstOffset;
    // Cached bytes are never handed out: a caller may change what it gets.
    const block = payload.subarray(at, at + e.stored_length);
    return hashed ? block.slice() : block;
  }

  // Storage chunks checked against BHSH, kept so that a player reading on through a segment
  // hashes it once, not once per block (a further verified block costs no read, SPEC.md 18.5).
  const verifiedChunks = new Map<number, { offset: number; payload: Uint8Array }>();
  let verifiedBytes = 0;
  function rememberChunk(chunk: number, offset: number, payload: Uint8Array): void {
    if (payload.length > CHUNK_CACHE_BYTES / 4) return;
    while (verifiedBytes + payload.length > CHUNK_CACHE_BYTES && verifiedChunks.size > 0) {
      const [k, v] = verifiedChunks.entries().next().value!;
      verifiedChunks.delete(k);
      verifiedBytes -= v.payload.length;
    }
    verifiedChunks.set(chunk, { offset, payload });
    verifiedBytes += payload.length;
  }
  const verifying = (asked: boolean | undefined) => x.mustVerify || (asked ?? x.verifyBlocks);

  // Blocks listed in a seek table can be read from their KSEK entry alone, without an index
  // page: a cold open, a seek and a block are then two reads (SPEC.md section 4).
  // Finding block i in the tables must not cost a pass over them on every open: a binary search
  // per track whose block column increases (the usual case, checked once per track); other
  // tracks get a map, built on first use. Later tracks and later entries win, as in one map.
  const increasing: boolean[] = [];
  const positions: (Map<number, number> | undefined)[] = [];
  const findInTable = (t: number, i: number): number => {
    const table = f.table(t);
    increasing[t] ??= (() => {
      for (let j = 1; j < table.count; j++) if (table.block[j] <= table.block[j - 1]) return false;
      return true;
    })();
    if (increasing[t]) {
      const b = table.block;
      let lo = 0, hi = table.count - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        if (b[mid] < i) lo = mid + 1;
        else if (b[mid] > i) hi = mid - 1;
        else return mid;
      }
      return -1;
    }
    let m = positions[t];
    if (!m) {
      m = new Map();
      for (let k = 0; k < table.count; k++) m.set(table.block[k], k);
      positions[t] = m;
    }
    return m.get(i) ?? -1;
  };
  const fromSeekTable = (i: number): BlockEntry | undefined => {
    if (x.legacy || !Number.isSafeInteger(i)) return undefined;
    let track = x.trackIds.length - 1, k = -1;
    for (; track >= 0; track--) {
      k = findInTable(track, i);
      if (k >= 0) break;
    }
    if (k < 0) return undefined;
    const t = f.table(track);
    return {
      index: i,
      track_id: x.trackIds[track],
      pts_us: t.pts[k],
      kind: KIND_NAMES[t.kind[k]],
      keyframe: true,
      codec: codecName(t.codec[k]),
      offset: t.offset[k],
      stored_length: t.stored[k],
      plain_length: t.plain[k],
      chunk: -1,
    };
  };

  const c: Container = {
    version: f.version,
    profile: f.profile,
    size: f.size,
    tracks: f.tracks,
    blockCount: x.blockCount,
    chunkCount: x.chunkCount,
    meta: f.meta,
    safe: f.safe,
    encrypted: x.encrypted,
    livc: f.livc,
    root: f.root,
    locator: f.locator,
    directory: f.directory,
    source: x.src,
    signers: f.signers,
    trusted: f.trusted,
    signatures: f.signatures,
    seekTable: (trackId) => f.table(trackNumber(trackId)),
    seek(trackId, ptsUs) {
      if (!Number.isSafeInteger(ptsUs)) {
        throw new H4Error("H4_BAD_ARGUMENT", `pts_us must be a safe integer, got ${ptsUs}`);
      }
      const t = trackNumber(trackId);
      const table = f.table(t);
      const { entry: k, found } = seekEntry(table, ptsUs);
      if (k < 0) {
        throw new H4Error(
          "H4_UNKNOWN_TRACK",
          `track ${JSON.stringify(trackId)} has no keyframe to seek to`,
          {
            rule: "H4-SEEK-002",
          },
        );
      }
      return {
        track_id: trackId,
        pts_us: ptsUs,
        keyframe_pts_us: table.pts[k],
        core_index: table.block[k],
        found,
        offset: table.offset[k],
        stored_length: table.stored[k],
      };
    },
    entry,
    async *entries() {
      for (let i = 0; i < x.blockCount; i++) yield await entry(i);
    },
    async readStored(i, opts = {}) {
      if (verifying(opts.verify) && !x.legacy) {
        return await readChunkChecked(await entry(i), true);
      }
      const e = fromSeekTable(i) ?? await entry(i);
      return await x.src.read(e.offset, e.stored_length);
    },
    async readBlock(i, opts = {}) {
      const verify = verifying(opts.verify) && !x.legacy;
      const light = verify ? undefined : fromSeekTable(i);
      const e = light ?? await entry(i);
      // v1 and legacy blocks are whole CORE chunks: their CRC is checked on every read.
      const stored = verify || f.version === VERSION_V1
        ? await readChunkChecked(e, verify)
        : await x.src.read(e.offset, e.stored_length);
      // A player reads on from a keyframe: fetch its index page next, after the block, so both
      // requests can share one connection.
      if (light && !x.legacy && x.prefetch) x.page(x.pageOf(i)).catch(() => {});
      if (opts.raw) return stored;
      let data = stored;
      if (x.encrypted) {
        if (x.legacy) {
          throw new H4Error(
            "H4_ENCRYPTED",
            `block ${i} was encrypted by the original LivingCipher v3, which no key can decrypt`,
            {
              rule: "H4-LEG-005",
            },
          );
        }
        if (!opts.opener) {
          throw new H4Error("H4_ENCRYPTED", `block ${i} is encrypted: a key is needed`);
        }
        const ctx: BlockContext = contextOf(e);
        data = opts.opener.open(ctx, stored);
      }
      return await decodePayload(e.codec, data, e.plain_length);
    },
    storageHash(ch) {
      if (!Number.isSafeInteger(ch) || ch < 0 || ch >= x.chunkCount) {
        return Promise.reject(
          new H4Error(
            "H4_BLOCK_OUT_OF_RANGE",
            `storage chunk ${ch} is not in 0..${x.chunkCount - 1}`,
          ),
        );
      }
      return x.hash(ch);
    },
    // Loaded when asked for: a quick reader never needs it.
    verify: async (opts = {}) => (await import("./verify.ts")).verifyContainer(c, opts),
    async close() {
      await x.src.close?.();
    },
    async *chunks() {
      let offset = HEADER_LENGTH;
      while (offset < f.size) {
        if (f.size - offset < CHUNK_HEADER_LENGTH) {
          throw new H4Error(
            "H4_TRUNCATED",
            `${f.size - offset} trailing bytes at ${offset} cannot hold a chunk header`,
            {
              offset,
              rule: "H4-FMT-012",
            },
          );
        }
        const head = parseChunkHeader(
          await x.src.read(offset, CHUNK_HEADER_LENGTH),
          offset,
          f.size,
        );
        let crcOk = true;
        try {
          checkChunkCrc(head, await x.src.read(offset + CHUNK_HEADER_LENGTH, head.length));
        } catch (e) {
          if (!(e instanceof H4Error && e.code === "H4_CRC_MISMATCH")) throw e;
          crcOk = false;
        }
        yield { offset, tag: head.tag, length: head.length, crcOk };
        offset += CHUNK_HEADER_LENGTH + head.length;
      }
    },
  };
  // Full verification walks the whole index: it reads the columns, without an object per block.
  if (!x.plainLength) {
    const access: IndexColumnsAccess = {
      trackIds: x.trackIds,
      page: (i) => x.page(x.pageOf(i)),
    };
    Object.defineProperty(c, INDEX_COLUMNS, { value: access });
  }
  return c;
}

/**
 * Reads the chunk whose header is at `offset`: header and payload (CRC not checked).
 *
 * @example
 * ```ts
 * import { readChunkAt } from "./container.ts";
 * import { bytesSource } from "../format/byte_source.ts";
 * import { packContainer } from "../format/writer.ts";
 * import assert from "node:assert/strict";
 * const bytes = await packContainer([]);
 * assert((await readChunkAt(bytesSource(bytes), 8)).head.tag === "BIDX");
 * ```
 */
export async function readChunkAt(
  src: ByteSource,
  offset: number,
): Promise<{ head: ChunkHeader; payload: Uint8Array }> {
  const head = parseChunkHeader(await src.read(offset, CHUNK_HEADER_LENGTH), offset, src.size);
  const payload = await src.read(offset + CHUNK_HEADER_LENGTH, head.length);
  return { head, payload };
}
