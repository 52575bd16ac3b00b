/**
 * Full verification's walk over every chunk (SPEC.md section 9): the file is read in order in
 * large slices into one reused buffer, chunk headers are parsed from memory, and each stored
 * byte is hashed once: per chunk one CRC-32 (H4-FMT-011) and, for a storage chunk, one SHA-256
 * that serves BHSH (H4-INT-003) and, in v2, VERI (H4-INT-005); v1 VERI hashes every byte before
 * it, as the original format, in runs of whole slices. Storage chunks are kept as columns (a v1
 * file has one per block), the other chunks as a short list.
 *
 * @module
 */
import { parseChunkHeader } from "../format/chunk.ts";
import { CHUNK_HEADER_LENGTH, HEADER_LENGTH } from "../format/constants.ts";
import { crc32 } from "../hash/crc32.ts";
import { H4Error, type H4ErrorCode } from "../format/errors.ts";
import { createSha256, sha256 } from "../hash/sha256.ts";
import { createVeriHash, veriPart } from "../format/veri.ts";
import { equalBytes } from "../format/bytes.ts";
import type { ByteSource } from "../format/types.ts";
import { checkChunkHeaderRoom, checkPageDigest } from "./rules.ts";
import { sha256Into } from "./small_sha256.ts";

/**
 * The walk reads the file in order, this many bytes at a time, and parses chunk headers from
 * memory: one read per 2 MiB whatever the chunk sizes, and memory stays flat. Not more: each
 * 4 KiB page of the fresh buffer costs a page fault, and the 2,048 of an 8 MiB buffer cost a
 * fresh `h4mk verify` 20 to 30 ms (BENCHMARKS.md figure 7), where 2 MiB reads are as fast.
 */
const SLICE = 2 * 1024 * 1024;

/**
 * The slice buffer of the last walk that ended, taken by the next: a process that verifies file
 * after file then reads into memory it has touched before (a fresh buffer's page faults cost
 * more than the reads; BENCHMARKS.md figure 7).
 */
let spareSlice: Uint8Array | undefined;

/** Most bytes of BHSH read at a time. */
const BHSH_READ = 1024 * 1024;

/** Below this payload length a storage chunk is hashed in JavaScript (small_sha256.ts). */
const SMALL_HASH = 1024;

/** A chunk the walk found. */
export interface WalkedChunk {
  /** File offset of the chunk header. */
  offset: number;
  /** Four-character tag. */
  tag: string;
  /** Payload length. */
  length: number;
}

/** A chunk other than CORE and SEGM, with its position among all chunks. */
export interface OtherChunk extends WalkedChunk {
  /** Position of the chunk in the file, counting every chunk from 0. */
  ordinal: number;
}

/** Storage chunks (CORE and SEGM) in file order, as columns. */
export interface StorageColumns {
  /** Number of storage chunks. */
  count: number;
  /** File offsets of their headers. */
  offset: Float64Array;
  /** Payload lengths. */
  length: Float64Array;
  /** 1 for CORE, 2 for SEGM. */
  tag: Uint8Array;
}

/**
 * BHSH as LOCA and TDIR give it (open checked its length): the walk compares each storage
 * chunk's hash with its entry as it goes, reading BHSH a page at a time, so that no hash is
 * kept (H4-INT-003, and H4-TDR-002 for the pages).
 */
export interface BhshPages {
  /** File offset of BHSH's payload. */
  at: number;
  /** Number of entries (LOCA's storage chunk count). */
  count: number;
  /** Entries per page. */
  perPage: number;
  /** TDIR's digest of each page. */
  digests: readonly Uint8Array[];
}

/** A VERI chunk's verdict. */
export interface VeriFinding {
  /** The rule (H4-INT-002). */
  rule: string;
  /** Whether it passed. */
  ok: boolean;
  /** The error when it failed. */
  error?: H4Error;
  /** What matched, when it passed. */
  message?: string;
}

/** What the walk found. */
export interface Walk {
  /** Chunks walked (all, storage and other). */
  total: number;
  /** The storage chunks. */
  storage: StorageColumns;
  /** Every other chunk, in order. */
  others: OtherChunk[];
  /** Chunks whose CRC did not match. */
  crcFailures: number;
  /** The first five CRC failures (H4-FMT-011) and every VERI verdict (H4-INT-002), in file order. */
  findings: VeriFinding[];
  /** Whether a VERI chunk was found. */
  veriSeen: boolean;
  /** The first storage chunk that differs from BHSH, or BHSH page that differs from TDIR. */
  bhshError?: unknown;
}

/** What VERI is, for messages. */
function veriOf(version: number, offset: number): string {
  return version === 1
    ? `SHA-256 of bytes 8..${offset}`
    : `the digest of bytes 0..${offset} with each storage chunk's payload hashed (H4-INT-005)`;
}

function emptyStorage(): StorageColumns {
  const none = new Float64Array(0);
  return { count: 0, offset: none, length: none, tag: new Uint8Array(0) };
}

/** Room for `need` storage chunks, doubling. */
function grow(s: StorageColumns, need: number): StorageColumns {
  if (need <= s.offset.length) return s;
  const cap = Math.max(s.offset.length * 2, need);
  const n: StorageColumns = {
    count: s.count,
    offset: new Float64Array(cap),
    length: new Float64Array(cap),
    tag: new Uint8Array(cap),
  };
  n.offset.set(s.offset);
  n.length.set(s.length);
  n.tag.set(s.tag);
  return n;
}

/** 1 for a CORE header, 2 for SEGM, 0 otherwise (from the tag bytes). */
function storageTag(b: Uint8Array, o: number): number {
  if (b[o] === 0x43 && b[o + 1] === 0x4f && b[o + 2] === 0x52 && b[o + 3] === 0x45) return 1;
  if (b[o] === 0x53 && b[o + 1] === 0x45 && b[o + 2] === 0x47 && b[o + 3] === 0x4d) return 2;
  return 0;
}

/**
 * Walks every chunk of a file of format `version` and `size` bytes from offset 8. Throws on
 * framing errors (H4-FMT-010, -012, -014) with what was walked up to there in `partial`.
 * `expectStorage` is the number of storage chunks to make room for at first (LOCA's count,
 * which open checked against BHSH's length, so a file's size bounds it). With `bhsh`, each
 * storage chunk is checked against its BHSH entry (`bhshError`).
 *
 * @example
 * ```ts
 * import { walkForVerify } from "./verify_walk.ts";
 * import { bytesSource } from "../format/byte_source.ts";
 * import { packContainer } from "../format/writer.ts";
 * import assert from "node:assert/strict";
 * const bytes = await packContainer([
 *   { track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array(3) },
 * ]);
 * const walk = await walkForVerify(bytesSource(bytes), 2, bytes.length, { partial: undefined });
 * assert(walk.storage.count === 1 && walk.crcFailures === 0 && walk.findings[0].ok);
 * ```
 */
export async function walkForVerify(
  src: ByteSource,
  version: number,
  size: number,
  out: { partial: Walk | undefined },
  expectStorage = 64,
  bhsh?: BhshPages,
): Promise<Walk> {
  const walk: Walk = {
    total: 0,
    storage: grow(emptyStorage(), Math.max(1, expectStorage)),
    others: [],
    crcFailures: 0,
    findings: [],
    veriSeen: false,
  };
  out.partial = walk;
  const header = await src.read(0, HEADER_LENGTH);
  const veri = createVeriHash(version, header);
  // One buffer, reused, where the source can read into it (the bytes of a slice are done with
  // before the next is read).
  let buf: Uint8Array = new Uint8Array(0);
  let bufAt = 0;
  let own: Uint8Array | undefined = spareSlice;
  spareSlice = undefined;
  // Bytes VERI takes as they are, from `run` up to the chunk being walked, not yet hashed: they
  // are hashed in one call per slice (or before a chunk VERI takes by its digest).
  let run = HEADER_LENGTH;
  const flush = (to: number) => {
    if (!walk.veriSeen && to > run) veri.bytes(buf.subarray(run - bufAt, to - bufAt));
    run = to;
  };
  const load = async (at: number, min: number) => {
    flush(at);
    const length = Math.min(size - at, Math.max(SLICE, min));
    if (src.readInto) {
      if (!own || own.length < length) own = new Uint8Array(Math.max(length, SLICE));
      buf = await src.readInto(at, own.subarray(0, length));
    } else buf = await src.read(at, length);
    bufAt = at;
  };
  const crcFailed = (tag: string, offset: number) => {
    if (++walk.crcFailures <= 5) {
      walk.findings.push({
        rule: "H4-FMT-011",
        ok: false,
        error: new H4Error("H4_CRC_MISMATCH", `${tag} at ${offset}: CRC mismatch`, {
          offset,
          chunk: tag,
          rule: "H4-FMT-011",
        }),
      });
    }
  };
  // The storage chunk's SHA-256, and BHSH's page holding its entry.
  const digest = new Uint8Array(32);
  // BHSH entries [pageFrom, pageTo) are the page being compared against, at `pageAt` in `held`,
  // which holds entries [heldFrom, heldTo): pages are read up to 1 MiB at a time into one buffer.
  let held: Uint8Array = new Uint8Array(0),
    heldFrom = 0,
    heldTo = 0,
    heldBuf: Uint8Array | undefined;
  let pageFrom = 0, pageTo = 0, pageAt = 0;
  const enterPage = async (k: number) => {
    const per = bhsh!.perPage, q = Math.floor(k / per);
    const from = q * per, to = Math.min(bhsh!.count, from + per);
    try {
      if (from < heldFrom || to > heldTo) {
        let end = to;
        while (end < bhsh!.count && (end + per - from) * 32 <= BHSH_READ) {
          end = Math.min(bhsh!.count, end + per);
        }
        const at = bhsh!.at + from * 32, length = (end - from) * 32;
        if (src.readInto) {
          if (!heldBuf || heldBuf.length < length) heldBuf = new Uint8Array(length);
          held = await src.readInto(at, heldBuf.subarray(0, length));
        } else held = await src.read(at, length);
        heldFrom = from;
        heldTo = end;
      }
      const page = held.subarray((from - heldFrom) * 32, (to - heldFrom) * 32);
      await checkPageDigest("BHSH", q, page, bhsh!.digests[q], bhsh!.at + from * 32);
    } catch (e) {
      // Reported by the BHSH check (H4-INT-003), not as a fault of the walk.
      walk.bhshError = e;
      return;
    }
    pageFrom = from;
    pageTo = to;
    pageAt = (from - heldFrom) * 32;
  };
  /** Compares chunk k's digest with its BHSH entry (in the page entered). */
  const compare = (k: number, at: number) => {
    const e = pageAt + (k - pageFrom) * 32;
    for (let j = 0; j < 32; j++) {
      if (held[e + j] !== digest[j]) {
        walk.bhshError = new H4Error(
          "H4_BLOCK_HASH_MISMATCH",
          `storage chunk ${k} at ${at} differs from BHSH`,
          { offset: at, rule: "H4-INT-003" },
        );
        return;
      }
    }
  };
  let offset = HEADER_LENGTH;
  while (offset < size) {
    checkChunkHeaderRoom(size, offset);
    if (offset - bufAt < 0 || offset - bufAt + CHUNK_HEADER_LENGTH > buf.length) {
      await load(offset, CHUNK_HEADER_LENGTH);
    }
    const h = offset - bufAt;
    const length = ((buf[h + 4] << 24) | (buf[h + 5] << 16) | (buf[h + 6] << 8) | buf[h + 7]) >>>
      0;
    const crc = ((buf[h + 8] << 24) | (buf[h + 9] << 16) | (buf[h + 10] << 8) | buf[h + 11]) >>> 0;
    const payloadStart = offset + CHUNK_HEADER_LENGTH;
    const payloadEnd = payloadStart + length;
    const st = storageTag(buf, h);
    // Tags and lengths are checked (with their messages) by the parser, for every other chunk
    // and for a storage chunk that overruns the file.
    const tag = st === 1
      ? "CORE"
      : st === 2
      ? "SEGM"
      : parseChunkHeader(buf.subarray(h, h + CHUNK_HEADER_LENGTH), offset, size).tag;
    if (payloadEnd > size) parseChunkHeader(buf.subarray(h, h + CHUNK_HEADER_LENGTH), offset, size);
    const viaDigest = st !== 0 && veriPart(version, tag) === "digest";
    if (tag === "VERI") {
      flush(offset);
      // A digest is taken once: a second VERI (a duplicated chunk) is reported, not hashed.
      const want = walk.veriSeen ? undefined : veri.finish();
      walk.veriSeen = true;
      if (payloadEnd - bufAt > buf.length) await load(payloadStart, length);
      const veriPayload = buf.subarray(payloadStart - bufAt, payloadEnd - bufAt);
      const fail = (code: H4ErrorCode, message: string) =>
        walk.findings.push({
          rule: "H4-INT-002",
          ok: false,
          error: new H4Error(code, message, { offset, rule: "H4-INT-002" }),
        });
      if (!want) fail("H4_VERI_MISMATCH", `second VERI chunk at ${offset}; a file has one`);
      else if (length !== 32) fail("H4_BAD_CHUNK", `VERI payload is ${length} bytes, must be 32`);
      else if (!equalBytes(veriPayload, want)) {
        fail("H4_VERI_MISMATCH", `VERI at ${offset} differs from ${veriOf(version, offset)}`);
      } else {
        walk.findings.push({
          rule: "H4-INT-002",
          ok: true,
          message: `VERI matches ${veriOf(version, offset)}`,
        });
      }
      if (crc32(veriPayload) !== crc) crcFailed(tag, offset);
      walk.others.push({ offset, tag, length, ordinal: walk.total++ });
      offset = payloadEnd;
      continue;
    }
    let s = walk.storage;
    if (st !== 0) {
      if (s.count === s.offset.length) s = walk.storage = grow(s, s.count + 1);
      s.offset[s.count] = offset;
      s.length[s.count] = length;
      s.tag[s.count] = st;
    } else walk.others.push({ offset, tag, length, ordinal: walk.total });
    walk.total++;
    if (viaDigest) flush(offset);
    // The header is hashed after the payload when VERI takes the payload's digest.
    const veriHead = viaDigest ? buf.slice(h, h + CHUNK_HEADER_LENGTH) : undefined;
    let got: number;
    if (payloadEnd - bufAt <= buf.length) {
      // A chunk in one piece (most): hashed in one call, without an incremental hash object.
      const p = payloadStart - bufAt;
      const whole = buf.subarray(p, p + length);
      got = crc32(whole);
      if (st !== 0) {
        if (length < SMALL_HASH) sha256Into(buf, p, length, digest, 0);
        else digest.set(sha256(whole));
      }
    } else {
      // Past the slice: hashed in parts as the slices come (a chunk may exceed SLICE).
      if (!viaDigest) flush(payloadStart);
      const h256 = st !== 0 ? createSha256() : undefined;
      got = 0;
      for (let o = payloadStart; o < payloadEnd;) {
        if (o - bufAt >= buf.length) {
          run = o; // the bytes up to o went to VERI part by part
          await load(o, 1);
        }
        const part = buf.subarray(o - bufAt, Math.min(buf.length, payloadEnd - bufAt));
        got = crc32(part, got);
        if (!viaDigest && !walk.veriSeen) veri.bytes(part);
        h256?.update(part);
        o += part.length;
      }
      run = payloadEnd;
      if (h256) digest.set(h256.digest());
    }
    if (viaDigest) {
      if (!walk.veriSeen) veri.digest(veriHead!, digest);
      run = payloadEnd;
    }
    if (st !== 0) {
      const k = s.count++;
      if (bhsh && walk.bhshError === undefined && k < bhsh.count) {
        if (k < pageFrom || k >= pageTo) await enterPage(k);
        if (walk.bhshError === undefined) compare(k, offset);
      }
    }
    if (got !== crc) crcFailed(tag, offset);
    offset = payloadEnd;
  }
  // Kept unless a long chunk grew it.
  if (own && own.length <= SLICE) spareSlice = own;
  return walk;
}
