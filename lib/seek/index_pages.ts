/**
 * The block index and the storage hashes of a v2 (or v1 with LOCA) file, read page by page on
 * demand (SPEC.md sections 6.2, 6.6 and 18.5): each BIDX page is checked against its TDIR
 * digest, decoded, and checked against the file; each BHSH page against its digest. Pages are
 * kept in bounded caches.
 *
 * @module
 */
import { bhshEntry } from "../format/bhsh.ts";
import { CHUNK_HEADER_LENGTH } from "../format/constants.ts";
import { allocColumns, type IndexColumns } from "../format/index_columns.ts";
import type { Locator } from "../format/loca.ts";
import type { TableDirectory } from "../format/tdir.ts";
import type { ByteSource } from "../format/types.ts";
import { boundedCache, cachePromise } from "./page_cache.ts";
import { checkPageBlocks, checkPageContinuity, checkPageDigest } from "./rules.ts";

/** Largest read that fetches an index page together with BHSH pages (SPEC.md 18.5). */
const HASH_SPAN_LIMIT = 1024 * 1024;

/**
 * Most bytes of index pages `all` reads at a time (more when one page is longer), into one
 * buffer: each 4 KiB of fresh memory costs a page fault, which a short-lived process such as
 * `h4mk verify` feels more than the reads (BENCHMARKS.md figure 7).
 */
const READ_AHEAD = 256 * 1024;

/** Index and hash pages kept per open container. */
const PAGES_KEPT = 64;

/** A decoded index page: its first block and its columns. */
export interface IndexPage {
  /** Index of the page's first block. */
  first: number;
  /** The page's rows. */
  cols: IndexColumns;
}

/** What the pages are read from and checked against. */
export interface IndexPagesContext {
  /** The file. */
  src: ByteSource;
  /** The decoded locator. */
  loca: Locator;
  /** The decoded table directory. */
  tdir: TableDirectory;
  /** Default codec id per track, in TRKS order. */
  trackCodecs: number[];
  /** Cipher overhead: 0, or 16 when encrypted. */
  overhead: number;
  /** End of the storage region (offset of the first table). */
  storageEnd: number;
  /** Fetch BHSH pages along with index pages (a verifying reader). */
  wantHashes: boolean;
}

/** Index pages and storage hashes of an open container. */
export interface IndexPages {
  /** The page holding block `i`. */
  pageOf(i: number): number;
  /** Page `p`, checked (digest, bounds, continuity with page `p - 1`). */
  page(p: number): Promise<IndexPage>;
  /** BHSH entry of storage chunk `c`, its page checked against TDIR. */
  hash(c: number): Promise<Uint8Array>;
  /**
   * Every page in order, each checked as `page` checks it, read in large reads and not kept:
   * what full verification walks (one read per 8 MiB of index instead of one per two pages).
   * A page's columns are reused for the page after next: take what is needed before then.
   */
  all(): AsyncIterable<IndexPage>;
}

/**
 * Reads and checks index and hash pages on demand.
 *
 * @example
 * ```ts
 * import { indexPages } from "./index_pages.ts";
 * import { openContainer } from "./container.ts";
 * import { packContainer } from "../format/writer.ts";
 * import assert from "node:assert/strict";
 * const c = await openContainer(await packContainer([
 *   { track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array(3) },
 * ]));
 * const pages = indexPages({
 *   src: c.source, loca: c.locator!, tdir: c.directory!, trackCodecs: [0], overhead: 0,
 *   storageEnd: c.locator!.slots.BIDX!.offset, wantHashes: false,
 * });
 * assert((await pages.page(0)).cols.stored[0] === 3);
 * assert((await pages.hash(0)).length === 32);
 * ```
 */
export function indexPages(x: IndexPagesContext): IndexPages {
  const { src, loca, tdir } = x;
  const pageStarts: number[] = [];
  let acc = loca.slots.BIDX!.offset + CHUNK_HEADER_LENGTH;
  for (const l of tdir.bidxPageLengths) {
    pageStarts.push(acc);
    acc += l;
  }
  const P = tdir.blocksPerPage;
  const H = tdir.hashesPerPage;
  const bhshBase = loca.slots.BHSH!.offset + CHUNK_HEADER_LENGTH;
  const hashCache = boundedCache<number, Promise<Uint8Array>>({ maxEntries: PAGES_KEPT });
  const rawCache = boundedCache<number, Promise<IndexPage>>({ maxEntries: PAGES_KEPT });
  const checked = boundedCache<number, Promise<IndexPage>>({ maxEntries: PAGES_KEPT });

  /** Checks a page's digest, decodes it, and checks every block lies in the storage region. */
  const decodePage = async (
    p: number,
    bytes: Uint8Array,
    into?: IndexColumns,
  ): Promise<IndexPage> => {
    await checkPageDigest("BIDX", p, bytes, tdir.bidxPageDigests[p], pageStarts[p]);
    const first = p * P;
    // Loaded with the first page: seeking and reading keyframes through KSEK never need it.
    const { decodeBidxPage } = await import("../format/bidx.ts");
    const cols = decodeBidxPage(bytes, {
      first,
      count: Math.min(P, loca.blockCount - first),
      trackCodecs: x.trackCodecs,
      overhead: x.overhead,
      base: pageStarts[p],
    }, into);
    checkPageBlocks(cols, first, x.storageEnd, loca.chunkCount, pageStarts[p]);
    return { first, cols };
  };
  // Index pages read along with BHSH pages (pageWithHashes), decoded when first used.
  let spanStart = 0;
  let span: Uint8Array | null = null;
  const inSpan = (p: number) =>
    span !== null && pageStarts[p] >= spanStart &&
    pageStarts[p] + tdir.bidxPageLengths[p] <= spanStart + span.length;
  const rawPage = (p: number): Promise<IndexPage> => {
    let got = rawCache.get(p);
    if (!got) {
      const at = pageStarts[p] - spanStart;
      got = inSpan(p)
        ? Promise.resolve(span!.subarray(at, at + tdir.bidxPageLengths[p])).then((b) =>
          decodePage(p, b)
        )
        : src.read(pageStarts[p], tdir.bidxPageLengths[p]).then((b) => decodePage(p, b));
      cachePromise(rawCache, p, got);
    }
    return got;
  };
  const hashPageAt = (q: number) => bhshBase + q * H * 32;
  const hashPageLength = (q: number) => (Math.min(loca.chunkCount, (q + 1) * H) - q * H) * 32;
  const checkHashPage = async (q: number, bytes: Uint8Array): Promise<Uint8Array> => {
    await checkPageDigest("BHSH", q, bytes, tdir.bhshPageDigests[q], hashPageAt(q));
    return bytes.slice();
  };
  // Verified block reads need the block's index page and its BHSH page. BHSH follows BIDX in
  // the writer's order, so one read from the index page to the last BHSH page its blocks can
  // use (chunk c <= block i) fetches both, when that span is small: a verified cold open, seek
  // and block then take three requests (SPEC.md 18.5).
  const bidxRef = loca.slots.BIDX!, bhshRef = loca.slots.BHSH!;
  const hashesFollowIndex = bidxRef.offset + bidxRef.length === bhshRef.offset;
  const pageWithHashes = async (p: number): Promise<void> => {
    if (!hashesFollowIndex || loca.chunkCount === 0) return;
    const from = p > 0 && !rawCache.has(p - 1) ? p - 1 : p;
    const lastBlock = Math.min(loca.blockCount, (p + 1) * P) - 1;
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
      cachePromise(hashCache, q, Promise.resolve().then(() => checkHashPage(q, page)));
    }
  };
  return {
    pageOf: (i) => Math.floor(i / P),
    page(p) {
      let got = checked.get(p);
      if (!got) {
        got = (async () => {
          if (!rawCache.has(p) && !inSpan(p) && x.wantHashes) await pageWithHashes(p);
          if (p > 0 && !rawCache.has(p) && !rawCache.has(p - 1) && !inSpan(p - 1)) {
            // Both pages are adjacent in the file: fetch them with one read.
            const bytes = await src.read(
              pageStarts[p - 1],
              tdir.bidxPageLengths[p - 1] + tdir.bidxPageLengths[p],
            );
            const split = tdir.bidxPageLengths[p - 1];
            cachePromise(
              rawCache,
              p - 1,
              Promise.resolve().then(() => decodePage(p - 1, bytes.subarray(0, split))),
            );
            cachePromise(
              rawCache,
              p,
              Promise.resolve().then(() => decodePage(p, bytes.subarray(split))),
            );
          }
          const cur = await rawPage(p);
          const prev = p > 0 ? (await rawPage(p - 1)).cols : null;
          checkPageContinuity(p, prev, cur.cols, pageStarts[p]);
          return cur;
        })();
        cachePromise(checked, p, got);
      }
      return got;
    },
    async *all() {
      const lengths = tdir.bidxPageLengths;
      let prev: IndexColumns | null = null;
      // Two sets of columns take turns (the page before is needed for continuity).
      const spare = [allocColumns(P), allocColumns(P)];
      // The pages read are decoded before the next read: one buffer serves.
      let own: Uint8Array | undefined;
      for (let p = 0; p < lengths.length;) {
        let q = p, length = 0;
        while (q < lengths.length && (q === p || length + lengths[q] <= READ_AHEAD)) {
          length += lengths[q++];
        }
        let bytes: Uint8Array;
        if (src.readInto) {
          if (!own || own.length < length) own = new Uint8Array(Math.max(length, READ_AHEAD));
          bytes = await src.readInto(pageStarts[p], own.subarray(0, length));
        } else bytes = await src.read(pageStarts[p], length);
        for (let at = 0; p < q; at += lengths[p++]) {
          const page = await decodePage(p, bytes.subarray(at, at + lengths[p]), spare[p & 1]);
          checkPageContinuity(p, prev, page.cols, pageStarts[p]);
          prev = page.cols;
          yield page;
        }
      }
    },
    hash(c) {
      const q = Math.floor(c / H);
      let got = hashCache.get(q);
      if (!got) {
        got = src.read(hashPageAt(q), hashPageLength(q)).then((b) => checkHashPage(q, b));
        cachePromise(hashCache, q, got);
      }
      return got.then((page) => bhshEntry(page, c, q * H));
    },
  };
}
