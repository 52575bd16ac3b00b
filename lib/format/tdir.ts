/**
 * TDIR, the table directory, SPEC.md section 6.3: page lengths and digests of BIDX and BHSH.
 *
 * @module
 */
import { ByteReader, ByteWriter } from "./bytes.ts";
import { LIMITS } from "./constants.ts";

/** A decoded TDIR. */
export interface TableDirectory {
  /** BIDX blocks per page (P). */
  blocksPerPage: number;
  /** Byte length of each BIDX page. */
  bidxPageLengths: number[];
  /** SHA-256 of each BIDX page. */
  bidxPageDigests: Uint8Array[];
  /** BHSH hashes per page (H). */
  hashesPerPage: number;
  /** SHA-256 of each BHSH page. */
  bhshPageDigests: Uint8Array[];
}

/**
 * Encodes TDIR.
 *
 * @example
 * ```ts
 * import { decodeTdir, encodeTdir } from "./tdir.ts";
 * import assert from "node:assert/strict";
 * const t = { blocksPerPage: 4096, bidxPageLengths: [], bidxPageDigests: [], hashesPerPage: 1024, bhshPageDigests: [] };
 * assert(decodeTdir(encodeTdir(t), 0, 0).blocksPerPage === 4096);
 * ```
 */
export function encodeTdir(t: TableDirectory): Uint8Array {
  const w = new ByteWriter(16 + t.bidxPageLengths.length * 36 + t.bhshPageDigests.length * 32);
  w.u32(t.blocksPerPage);
  w.u32(t.bidxPageLengths.length);
  for (let i = 0; i < t.bidxPageLengths.length; i++) {
    w.u32(t.bidxPageLengths[i]);
    w.bytes(t.bidxPageDigests[i]);
  }
  w.u32(t.hashesPerPage);
  w.u32(t.bhshPageDigests.length);
  for (const d of t.bhshPageDigests) w.bytes(d);
  return w.finish();
}

/**
 * Decodes TDIR for a file of `blocks` blocks in `chunks` storage chunks (H4-TDR-001).
 *
 * @example
 * ```ts
 * import { decodeTdir, encodeTdir } from "./tdir.ts";
 * import assert from "node:assert/strict";
 * const t = { blocksPerPage: 1, bidxPageLengths: [3], bidxPageDigests: [new Uint8Array(32)], hashesPerPage: 1, bhshPageDigests: [new Uint8Array(32)] };
 * assert(decodeTdir(encodeTdir(t), 1, 1).bidxPageLengths[0] === 3);
 * ```
 */
export function decodeTdir(
  payload: Uint8Array,
  blocks: number,
  chunks: number,
  base = 0,
): TableDirectory {
  const r = new ByteReader(payload, "H4_BAD_INDEX", "TDIR", base);
  const blocksPerPage = r.u32("blocks_per_page");
  if (blocksPerPage < 1 || blocksPerPage > LIMITS.perPage) {
    r.fail(`blocks_per_page ${blocksPerPage} not in 1..65536`, "H4_BAD_INDEX", "H4-TDR-001");
  }
  const bidxCount = r.u32("bidx_page_count");
  const wantBidx = Math.ceil(blocks / blocksPerPage);
  if (bidxCount !== wantBidx) {
    r.fail(
      `bidx_page_count ${bidxCount}, ${blocks} blocks in pages of ${blocksPerPage} need ${wantBidx}`,
      "H4_BAD_INDEX",
      "H4-TDR-001",
    );
  }
  r.need(bidxCount * 36, "BIDX page entries");
  const bidxPageLengths: number[] = [];
  const bidxPageDigests: Uint8Array[] = [];
  for (let i = 0; i < bidxCount; i++) {
    const len = r.u32("page_length");
    if (len > LIMITS.pageBytes) {
      r.fail(`BIDX page ${i} length ${len} exceeds 1 MiB`, "H4_LIMIT_EXCEEDED", "H4-LIM-001");
    }
    bidxPageLengths.push(len);
    bidxPageDigests.push(r.take(32, "page_digest").slice());
  }
  const hashesPerPage = r.u32("hashes_per_page");
  if (hashesPerPage < 1 || hashesPerPage > LIMITS.perPage) {
    r.fail(`hashes_per_page ${hashesPerPage} not in 1..65536`, "H4_BAD_INDEX", "H4-TDR-001");
  }
  const bhshCount = r.u32("bhsh_page_count");
  const wantBhsh = Math.ceil(chunks / hashesPerPage);
  if (bhshCount !== wantBhsh) {
    r.fail(
      `bhsh_page_count ${bhshCount}, ${chunks} chunks in pages of ${hashesPerPage} need ${wantBhsh}`,
      "H4_BAD_INDEX",
      "H4-TDR-001",
    );
  }
  r.need(bhshCount * 32, "BHSH page digests");
  const bhshPageDigests: Uint8Array[] = [];
  for (let i = 0; i < bhshCount; i++) bhshPageDigests.push(r.take(32, "page_digest").slice());
  r.end("directory");
  return { blocksPerPage, bidxPageLengths, bidxPageDigests, hashesPerPage, bhshPageDigests };
}
