/**
 * Full verification's walk over every chunk (SPEC.md section 9): the streaming walker
 * (lib/format/chunk_walk.ts) reads the file in order in 2 MiB windows into one reused buffer and
 * hands each chunk over as numbers, and each stored byte is hashed once: per chunk one CRC-32
 * (H4-FMT-011) and, for a storage chunk, one SHA-256 that serves BHSH (H4-INT-003) and, in v2,
 * VERI (H4-INT-005); v1 VERI hashes every byte before it, as the original format, in runs of
 * whole windows. Storage chunks are kept as columns (a v1 file has one per block), the other
 * chunks as a short list.
 *
 * @module
 */
import { tagCode, tagOfCode, walkWindows } from "../format/chunk_walk.ts";
import { CHUNK_HEADER_LENGTH, HEADER_LENGTH } from "../format/constants.ts";
import { crc32 } from "../hash/crc32.ts";
import { H4Error, type H4ErrorCode } from "../format/errors.ts";
import { createSha256, type Sha256, sha256 } from "../hash/sha256.ts";
import { createVeriHash, veriPart } from "../format/veri.ts";
import { equalBytes } from "../format/bytes.ts";
import type { ByteSource } from "../format/types.ts";
import { checkPageDigest } from "./rules.ts";
import { sha256Many } from "../hash/sha256_many.ts";
import { sha256Into } from "../hash/small_sha256.ts";

/** Most bytes of BHSH read at a time. */
const BHSH_READ = 1024 * 1024;

/**
 * Below this payload length a storage chunk is hashed in JavaScript (small_sha256.ts), or, when
 * only BHSH needs its hash (v1), with the others of its window in one batch (sha256_many.ts:
 * four at a time in WebAssembly SIMD lanes).
 */
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

/** The tags the walk tells apart, as the walker hands them. */
const CORE = tagCode("CORE"), SEGM = tagCode("SEGM"), VERI = tagCode("VERI");

/**
 * Walks every chunk of a file of format `version` and `size` bytes from offset 8. Throws on
 * framing errors (H4-FMT-010, -012, -014) with what was walked up to there in `partial`.
 * `expectStorage` is the number of storage chunks to make room for at first (LOCA's count,
 * which open checked against BHSH's length, so a file's size bounds it). With `bhsh`, each
 * storage chunk is checked against its BHSH entry (`bhshError`). `window` is the walker's read
 * size (2 MiB; tests make it small so that chunks span windows).
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
  window?: number,
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
  // The window the walk is in (chunk_walk.ts reads the file in order into one reused buffer).
  let win: Uint8Array = new Uint8Array(0);
  let winAt = 0;
  // Bytes VERI takes as they are, from `run` up to the chunk being walked, not yet hashed: they
  // are hashed in one call per window (or before a chunk VERI takes by its digest).
  let run = HEADER_LENGTH;
  const flush = (to: number) => {
    if (!walk.veriSeen && to > run) veri.bytes(win.subarray(run - winAt, to - winAt));
    run = to;
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
  /** Compares chunk k's digest (`got[from..]`) with its BHSH entry (in the page entered). */
  const compare = (k: number, at: number, got = digest, from = 0) => {
    const e = pageAt + (k - pageFrom) * 32;
    for (let j = 0; j < 32; j++) {
      if (held[e + j] !== got[from + j]) {
        walk.bhshError = new H4Error(
          "H4_BLOCK_HASH_MISMATCH",
          `storage chunk ${k} at ${at} differs from BHSH`,
          { offset: at, rule: "H4-INT-003" },
        );
        return;
      }
    }
  };
  /** VERI's digest of the bytes before the VERI at `offset`; none for a second VERI. */
  const veriWant = (offset: number): Uint8Array | undefined => {
    flush(offset);
    // A digest is taken once: a second VERI (a duplicated chunk) is reported, not hashed.
    const want = walk.veriSeen ? undefined : veri.finish();
    walk.veriSeen = true;
    return want;
  };
  /** The verdict on the VERI at `offset` whose payload is `payload` (when 32 bytes). */
  const veriDone = (
    offset: number,
    length: number,
    payload: Uint8Array | undefined,
    want: Uint8Array | undefined,
  ) => {
    const fail = (code: H4ErrorCode, message: string) =>
      walk.findings.push({
        rule: "H4-INT-002",
        ok: false,
        error: new H4Error(code, message, { offset, rule: "H4-INT-002" }),
      });
    if (!want) fail("H4_VERI_MISMATCH", `second VERI chunk at ${offset}; a file has one`);
    else if (length !== 32) fail("H4_BAD_CHUNK", `VERI payload is ${length} bytes, must be 32`);
    else if (!equalBytes(payload!, want)) {
      fail("H4_VERI_MISMATCH", `VERI at ${offset} differs from ${veriOf(version, offset)}`);
    } else {
      walk.findings.push({
        rule: "H4-INT-002",
        ok: true,
        message: `VERI matches ${veriOf(version, offset)}`,
      });
    }
    walk.others.push({ offset, tag: "VERI", length, ordinal: walk.total++ });
  };
  // Short storage chunks whose hash only BHSH needs (v1's CORE chunks): their place in the
  // window, and their number k and file offset, hashed together when the window is left (or a
  // chunk is checked out of this batch) and compared with BHSH in order at the next chunk.
  // `batched` are in the batch; `hashed` of them have digests in `batchDigests`, and `settled`
  // of those were compared.
  let batched = 0, hashed = 0, settled = 0;
  let batchAt = new Float64Array(256), batchLength = new Float64Array(256);
  let batchK = new Float64Array(256), batchOffset = new Float64Array(256);
  let batchDigests = new Uint8Array(256 * 32);
  const batch = (k: number, offset: number, p: number, length: number) => {
    if (batched === batchAt.length) {
      const more = (a: Float64Array) => {
        const b = new Float64Array(2 * a.length);
        b.set(a);
        return b;
      };
      batchAt = more(batchAt), batchLength = more(batchLength);
      batchK = more(batchK), batchOffset = more(batchOffset);
      batchDigests = new Uint8Array(64 * batchAt.length);
    }
    batchAt[batched] = p, batchLength[batched] = length;
    batchK[batched] = k, batchOffset[batched++] = offset;
  };
  /** Hashes the batch, whose chunks are in `window` (the walker's, before it is read over). */
  const hashBatch = (window: Uint8Array) => {
    if (hashed < batched) sha256Many(window, batchAt, batchLength, batched, batchDigests);
    hashed = batched;
  };
  /** Compares the batch's digests with BHSH, in order, as `stored` does one at a time. */
  const settle = (): void | Promise<void> => {
    while (settled < hashed) {
      const i = settled, k = batchK[i];
      if (walk.bhshError === undefined && k < bhsh!.count) {
        if (k < pageFrom || k >= pageTo) {
          return enterPage(k).then(() => {
            if (walk.bhshError === undefined) compare(k, batchOffset[i], batchDigests, 32 * i);
            settled++;
            return settle();
          });
        }
        compare(k, batchOffset[i], batchDigests, 32 * i);
      }
      settled++;
    }
    if (settled === batched) batched = hashed = settled = 0;
  };
  /** Hashes and compares the batch, before a chunk is checked outside it. */
  const drain = (window: Uint8Array): void | Promise<void> => {
    hashBatch(window);
    return settle();
  };
  /** The storage chunk k at `offset` is hashed (into `digest`): checked against BHSH. */
  const stored = (offset: number): void | Promise<void> => {
    const k = walk.storage.count++;
    if (bhsh && walk.bhshError === undefined && k < bhsh.count) {
      if (k < pageFrom || k >= pageTo) {
        return enterPage(k).then(() => {
          if (walk.bhshError === undefined) compare(k, offset);
        });
      }
      compare(k, offset);
    }
  };
  // A chunk larger than a window, whose payload comes in parts: what is known of it so far.
  let pTag = "", pOffset = 0, pCrc = 0, pGot = 0, pAt = 0, pStored = false, pVia = false;
  let pHead: Uint8Array | undefined;
  let pHash: Sha256 | undefined;
  let pVeri: { want?: Uint8Array; payload?: Uint8Array; length: number } | undefined;
  // Whether VERI takes storage chunks by their digest (v2), which then must be hashed in order.
  const storageViaDigest = veriPart(version, "CORE") === "digest";
  const visitor: Parameters<typeof walkWindows>[1] = {
    leave(window, windowAt, end) {
      win = window;
      winAt = windowAt;
      flush(end);
      hashBatch(window);
    },
    chunk(code, offset, length, crc, window, h) {
      // The last window's batch was hashed when it was left; compared here, before this chunk.
      if (hashed > settled) {
        const wait = settle();
        if (wait) return wait.then(() => visitor.chunk(code, offset, length, crc, window, h));
      }
      win = window;
      winAt = offset - h;
      const st = code === CORE ? 1 : code === SEGM ? 2 : 0;
      const tag = st === 1 ? "CORE" : st === 2 ? "SEGM" : tagOfCode(code);
      const payloadStart = offset + CHUNK_HEADER_LENGTH;
      const payloadEnd = payloadStart + length;
      const p = h + CHUNK_HEADER_LENGTH;
      const whole = p + length <= window.length;
      const batchable = st !== 0 && whole && length < SMALL_HASH && !storageViaDigest;
      if (st !== 0 && !batchable && batched > 0) {
        // Compared with BHSH after the chunks batched before it.
        const wait = drain(window);
        if (wait) return wait.then(() => visitor.chunk(code, offset, length, crc, window, h));
      }
      if (code === VERI) {
        const want = veriWant(offset);
        if (whole) {
          const payload = window.subarray(p, p + length);
          veriDone(offset, length, payload, want);
          if (crc32(payload) !== crc) crcFailed(tag, offset);
        } else {
          // A VERI longer than a window (a wrong length), or a window smaller than a VERI.
          pTag = tag, pOffset = offset, pCrc = crc, pGot = 0, pAt = payloadStart;
          pStored = false, pVia = false, pHash = undefined;
          pVeri = { want, payload: length === 32 ? new Uint8Array(32) : undefined, length };
        }
        return;
      }
      const s = walk.storage;
      if (st !== 0) {
        if (s.count === s.offset.length) walk.storage = grow(s, s.count + 1);
        const g = walk.storage;
        g.offset[g.count] = offset;
        g.length[g.count] = length;
        g.tag[g.count] = st;
      } else walk.others.push({ offset, tag, length, ordinal: walk.total });
      walk.total++;
      const viaDigest = st !== 0 && storageViaDigest;
      if (viaDigest) flush(offset);
      if (!whole) {
        // Hashed in parts as the windows come (part, below). The header goes to VERI now, or
        // with the payload's digest.
        if (viaDigest) run = payloadStart;
        else flush(payloadStart);
        pTag = tag, pOffset = offset, pCrc = crc, pGot = 0, pAt = payloadStart;
        pStored = st !== 0, pVia = viaDigest;
        // The header is hashed after the payload when VERI takes the payload's digest.
        pHead = viaDigest ? window.slice(h, p) : undefined;
        pHash = st !== 0 ? createSha256() : undefined;
        pVeri = undefined;
        return;
      }
      // A chunk in one piece (most): hashed in one call, without an incremental hash object.
      const payload = window.subarray(p, p + length);
      const got = crc32(payload);
      if (batchable) {
        // Only BHSH needs its hash: hashed with the window's batch and compared after it.
        const k = walk.storage.count++;
        if (bhsh && walk.bhshError === undefined && k < bhsh.count) batch(k, offset, p, length);
        if (got !== crc) crcFailed(tag, offset);
        return;
      }
      if (st !== 0) {
        if (length < SMALL_HASH) sha256Into(window, p, length, digest, 0);
        else digest.set(sha256(payload));
      }
      if (viaDigest) {
        if (!walk.veriSeen) veri.digest(window.subarray(h, p), digest);
        run = payloadEnd;
      }
      if (st !== 0) {
        const wait = stored(offset);
        if (wait) {
          return wait.then(() => {
            if (got !== crc) crcFailed(tag, offset);
          });
        }
      }
      if (got !== crc) crcFailed(tag, offset);
    },
    part(bytes, last) {
      pVeri?.payload?.set(bytes, pAt - pOffset - CHUNK_HEADER_LENGTH);
      pGot = crc32(bytes, pGot);
      if (!pVia && !walk.veriSeen) veri.bytes(bytes);
      pHash?.update(bytes);
      // The bytes up to here went to VERI part by part (or by the digest).
      pAt += bytes.length;
      run = pAt;
      if (!last) return;
      if (pHash) digest.set(pHash.digest());
      if (pVia && !walk.veriSeen) veri.digest(pHead!, digest);
      const tag = pTag, offset = pOffset, got = pGot, crc = pCrc;
      if (pVeri) veriDone(offset, pVeri.length, pVeri.payload, pVeri.want);
      if (pStored) {
        const wait = stored(offset);
        if (wait) {
          return wait.then(() => {
            if (got !== crc) crcFailed(tag, offset);
          });
        }
      }
      if (got !== crc) crcFailed(tag, offset);
    },
  };
  try {
    await walkWindows(src, visitor, { to: size, window });
  } finally {
    // The last window's batch (the walker still holds it), also when the walk broke off: what
    // was walked is reported as before.
    if (batched > 0) await drain(win);
  }
  return walk;
}
