/**
 * BIDX, the block index, SPEC.md section 6.2: pages of records, each page decodable alone.
 *
 * @module
 */
import { ByteReader, ByteWriter } from "./bytes.ts";
import { CHUNK_HEADER_LENGTH, LIMITS } from "./constants.ts";
import { allocColumns, type IndexColumns } from "./index_columns.ts";
import { fastVarint, vpos } from "./fast_varint.ts";
import { decodeBidxPageWasm } from "./bidx_wasm.ts";

/**
 * Encodes rows `start..end` of `cols` as one page. `trackCodecs[t]` is track t's default codec id.
 *
 * @example
 * ```ts
 * import { encodeBidxPage } from "./bidx.ts";
 * import { allocColumns } from "./index_columns.ts";
 * import assert from "node:assert/strict";
 * const c = allocColumns(1);
 * c.count = 1; c.offset[0] = 20; c.stored[0] = 5; c.plain[0] = 5; c.newChunk[0] = 1; c.keyframe[0] = 1;
 * assert(encodeBidxPage(c, 0, 1, [0]).length > 0);
 * ```
 */
export function encodeBidxPage(
  cols: IndexColumns,
  start: number,
  end: number,
  trackCodecs: ArrayLike<number>,
): Uint8Array {
  const w = new ByteWriter(16 + (end - start) * 6);
  w.varint(cols.offset[start]);
  w.varint(cols.chunk[start]);
  const lastPts = new Map<number, number>();
  const lastDelta = new Map<number, number>();
  for (let i = start; i < end; i++) {
    const t = cols.track[i];
    const codec = cols.codec[i];
    const hasCodec = codec !== trackCodecs[t] ? 1 : 0;
    w.varint(t * 32 + hasCodec * 16 + cols.kind[i] * 4 + cols.keyframe[i] * 2 + cols.newChunk[i]);
    if (hasCodec) w.u8(codec);
    const lp = lastPts.get(t) ?? 0;
    const ld = lastDelta.get(t) ?? 0;
    const pts = cols.pts[i];
    w.svarint(pts - (lp + ld));
    lastDelta.set(t, pts - lp);
    lastPts.set(t, pts);
    w.varint(cols.stored[i]);
    if (codec !== 0) w.varint(cols.plain[i]);
  }
  return w.finish();
}

/** What decoding one page needs to know. */
export interface BidxPageContext {
  /** Index of the page's first block. */
  first: number;
  /** Number of blocks in the page. */
  count: number;
  /** Default codec id per track. */
  trackCodecs: ArrayLike<number>;
  /** Cipher overhead: 0, or 16 when encrypted. */
  overhead: number;
  /** File offset of the page, for error reports. */
  base?: number;
}

/**
 * Decodes one page into columns with the checks of H4-IDX-001 and H4-IDX-002: into `into` when
 * given and large enough (its rows are overwritten), else into new columns.
 *
 * @example
 * ```ts
 * import { decodeBidxPage, encodeBidxPage } from "./bidx.ts";
 * import { allocColumns } from "./index_columns.ts";
 * import assert from "node:assert/strict";
 * const c = allocColumns(1);
 * c.count = 1; c.offset[0] = 20; c.stored[0] = 5; c.plain[0] = 5; c.newChunk[0] = 1;
 * const p = decodeBidxPage(encodeBidxPage(c, 0, 1, [0]), { first: 0, count: 1, trackCodecs: [0], overhead: 0 });
 * assert(p.stored[0] === 5);
 * ```
 */
export function decodeBidxPage(
  page: Uint8Array,
  ctx: BidxPageContext,
  into?: IndexColumns,
): IndexColumns {
  const r = new ByteReader(page, "H4_BAD_INDEX", "BIDX", ctx.base ?? 0);
  // Every record takes at least 3 bytes: a count the page cannot hold is refused before allocating.
  if (ctx.count * 3 > page.length) {
    r.fail(`page of ${page.length} bytes cannot hold ${ctx.count} records`);
  }
  // A caller decoding page after page may pass columns to reuse: fresh memory costs page faults.
  const cols = into && into.pts.length >= ctx.count ? into : allocColumns(ctx.count);
  // From a process's second page on, WebAssembly decodes (bidx_wasm.ts): compiled from its
  // first record, where JavaScript runs a fresh process's first pages unoptimised. The first
  // page is decoded here: one page (a seek, a block read) takes less than assembling and
  // compiling the module (2 to 5 ms).
  const viaWasm = pagesDecoded++ > 0 ? decodeBidxPageWasm(page, ctx, cols) : undefined;
  if (viaWasm) return cols;
  if (viaWasm === undefined) {
    if (!warm && pagesDecoded > 1) warmUp();
    // The fast path's last check (every byte read) is made here: see decodeBidxPageFast.
    if (decodeBidxPageFast(page, ctx, cols) && vpos[0] === page.length) return cols;
  }
  // Not well formed: decoded again, slowly, to throw the error of the first fault.
  const trackCount = ctx.trackCodecs.length;
  let offset = r.varint("first_offset");
  let chunk = r.varint("first_chunk");
  if (chunk + ctx.count > LIMITS.blocks) {
    r.fail(`first_chunk ${chunk} exceeds the block limit`, "H4_BAD_INDEX", "H4-IDX-002");
  }
  const lastPts = new Float64Array(trackCount);
  const lastDelta = new Float64Array(trackCount);
  let prevEnd = 0;
  for (let i = 0; i < ctx.count; i++) {
    const block = ctx.first + i;
    const head = r.varint("record head");
    const newChunk = head & 1;
    const keyframe = (head >> 1) & 1;
    const kind = (head >> 2) & 3;
    const hasCodec = (head >> 4) & 1;
    const t = Math.floor(head / 32);
    if (t >= trackCount) {
      r.fail(
        `block ${block}: track index ${t}, TRKS has ${trackCount}`,
        "H4_BAD_INDEX",
        "H4-IDX-002",
      );
    }
    if (kind === 3) r.fail(`block ${block}: kind 3 is reserved`, "H4_BAD_INDEX", "H4-IDX-001");
    let codec = ctx.trackCodecs[t];
    if (hasCodec) {
      codec = r.u8("codec");
      if (codec > 2) r.fail(`block ${block}: codec id ${codec}`, "H4_UNKNOWN_CODEC", "H4-COD-001");
      if (codec === ctx.trackCodecs[t]) {
        r.fail(
          `block ${block}: codec byte repeats the track's codec`,
          "H4_BAD_INDEX",
          "H4-IDX-002",
        );
      }
    }
    const pts = r.svarint("pts_residual") + lastPts[t] + lastDelta[t];
    if (!(Math.abs(pts) <= LIMITS.ptsAbs)) {
      r.fail(
        `block ${block}: pts ${pts} is outside ±(2^50 - 1)`,
        "H4_LIMIT_EXCEEDED",
        "H4-LIM-001",
      );
    }
    lastDelta[t] = pts - lastPts[t];
    lastPts[t] = pts;
    const stored = r.varint("stored_length");
    if (stored > LIMITS.blockBytes) {
      r.fail(
        `block ${block}: stored length ${stored} exceeds 2^30`,
        "H4_LIMIT_EXCEEDED",
        "H4-LIM-001",
      );
    }
    let plain: number;
    if (codec !== 0) {
      plain = r.varint("plain_length");
      if (plain > LIMITS.blockBytes) {
        r.fail(
          `block ${block}: plain length ${plain} exceeds 2^30`,
          "H4_LIMIT_EXCEEDED",
          "H4-LIM-001",
        );
      }
    } else {
      plain = stored - ctx.overhead;
      if (plain < 0) {
        r.fail(
          `block ${block}: stored length ${stored} is shorter than the cipher tag`,
          "H4_BAD_INDEX",
          "H4-IDX-002",
        );
      }
    }
    if (i > 0) {
      offset = prevEnd + (newChunk ? CHUNK_HEADER_LENGTH : 0);
      chunk += newChunk;
    }
    cols.track[i] = t;
    cols.pts[i] = pts;
    cols.kind[i] = kind;
    cols.keyframe[i] = keyframe;
    cols.codec[i] = codec;
    cols.newChunk[i] = newChunk;
    cols.offset[i] = offset;
    cols.stored[i] = stored;
    cols.plain[i] = plain;
    cols.chunk[i] = chunk;
    prevEnd = offset + stored;
  }
  cols.count = ctx.count;
  r.end("page's records");
  return cols;
}

/** Pages decoded by this process (the first is decoded in JavaScript). */
let pagesDecoded = 0;
let warm = false;

/**
 * Decodes, once per process, a page of values past 2^31 (pts of ±2^44 µs, offsets of 2^40, a
 * coded block) before JavaScript decodes a second page (where WebAssembly is missing). V8
 * compiles the decoding loop for the kind of numbers it has seen, small integers in a file's
 * first pages, and throws that code away when one passes 2^30 (a pts at 18 minutes): verifying
 * the one-hour reference, a fresh process lost 15 of 30 ms decoding the pages after that point
 * (BENCHMARKS.md figure 7). Seen early, large values make the compiled loop work on doubles.
 */
function warmUp(): void {
  warm = true;
  const big = 2 ** 44;
  const cols = allocColumns(4);
  cols.count = 4;
  [big, -big, 2 * big, 3].forEach((pts, i) => {
    cols.pts[i] = pts;
    cols.track[i] = i & 1;
    cols.keyframe[i] = i & 1;
    cols.newChunk[i] = i === 2 ? 1 : 0;
    cols.stored[i] = cols.plain[i] = 2 ** 29 + i;
    cols.offset[i] = 2 ** 40;
    cols.chunk[i] = 1;
  });
  cols.codec[1] = 1;
  cols.plain[1] = 2 ** 30;
  const page = encodeBidxPage(cols, 0, 4, [0, 0]);
  decodeBidxPageFast(page, { first: 0, count: 4, trackCodecs: [0, 0], overhead: 0 }, cols);
}

/**
 * decodeBidxPage for well-formed pages, without a ByteReader (several times faster, which a
 * file of small blocks feels: the one-hour reference has 263,041 records). Makes the same
 * checks but the last (the caller checks that `vpos[0]` reached the page's end); returns false
 * where decodeBidxPage throws (`cols` is then partly written). Keep the two, and bidx_wasm.ts,
 * in step (bidx_wasm_test.ts compares this one with the module).
 *
 * @example
 * ```ts
 * import { decodeBidxPageFast, encodeBidxPage } from "./bidx.ts";
 * import { allocColumns } from "./index_columns.ts";
 * import { vpos } from "./fast_varint.ts";
 * import assert from "node:assert/strict";
 * const c = allocColumns(1);
 * c.count = 1; c.offset[0] = 20; c.stored[0] = 5; c.plain[0] = 5; c.newChunk[0] = 1;
 * const page = encodeBidxPage(c, 0, 1, [0]);
 * const out = allocColumns(1);
 * assert(decodeBidxPageFast(page, { first: 0, count: 1, trackCodecs: [0], overhead: 0 }, out));
 * assert(vpos[0] === page.length && out.stored[0] === 5);
 * ```
 */
export function decodeBidxPageFast(
  page: Uint8Array,
  ctx: BidxPageContext,
  cols: IndexColumns,
): boolean {
  const codecs = ctx.trackCodecs;
  const trackCount = codecs.length;
  vpos[0] = 0;
  let offset = fastVarint(page);
  let chunk = fastVarint(page);
  if (offset < 0 || chunk < 0 || chunk + ctx.count > LIMITS.blocks) return false;
  const lastPts = new Float64Array(trackCount);
  const lastDelta = new Float64Array(trackCount);
  const { track, pts: ptsCol, kind: kindCol, keyframe: keyCol, codec: codecCol } = cols;
  const { newChunk: newCol, offset: offsetCol, stored: storedCol, plain: plainCol } = cols;
  const chunkCol = cols.chunk;
  // Nothing after the loop but `return true`: V8 compiles the loop while it first runs (OSR),
  // when the code after it has no type feedback yet, and an access there (cols.count, vpos[0],
  // page.length) threw the compiled loop away, once per page of a fresh process's first pages
  // (15 to 20 times when verifying the one-hour reference). The caller checks that every byte
  // was read.
  const end = page.length, count = ctx.count;
  cols.count = count;
  let prevEnd = 0;
  for (let i = 0; i < count; i++) {
    const head = fastVarint(page);
    if (head < 0) return false;
    const newChunk = head & 1;
    const kind = (head >> 2) & 3;
    const t = Math.floor(head / 32);
    if (t >= trackCount || kind === 3) return false;
    let codec = codecs[t];
    if ((head >> 4) & 1) {
      if (vpos[0] >= end) return false;
      const c = page[vpos[0]++];
      if (c > 2 || c === codec) return false;
      codec = c;
    }
    const z = fastVarint(page);
    if (z < 0) return false;
    const pts = (z % 2 === 0 ? z / 2 : -(z + 1) / 2) + lastPts[t] + lastDelta[t];
    if (!(Math.abs(pts) <= LIMITS.ptsAbs)) return false;
    lastDelta[t] = pts - lastPts[t];
    lastPts[t] = pts;
    const stored = fastVarint(page);
    if (stored < 0 || stored > LIMITS.blockBytes) return false;
    let plain: number;
    if (codec !== 0) {
      plain = fastVarint(page);
      if (plain < 0 || plain > LIMITS.blockBytes) return false;
    } else {
      plain = stored - ctx.overhead;
      if (plain < 0) return false;
    }
    if (i > 0) {
      offset = prevEnd + (newChunk ? CHUNK_HEADER_LENGTH : 0);
      chunk += newChunk;
    }
    track[i] = t;
    ptsCol[i] = pts;
    kindCol[i] = kind;
    keyCol[i] = (head >> 1) & 1;
    codecCol[i] = codec;
    newCol[i] = newChunk;
    offsetCol[i] = offset;
    storedCol[i] = stored;
    plainCol[i] = plain;
    chunkCol[i] = chunk;
    prevEnd = offset + stored;
  }
  return true;
}
