/**
 * KSEK, the per-track seek tables, SPEC.md section 6.5.
 *
 * @module
 */
import { ByteReader, ByteWriter } from "./bytes.ts";
import { LIMITS } from "./constants.ts";
import type { IndexColumns } from "./index_columns.ts";
import { fastVarint, vpos } from "./fast_varint.ts";

/** One track's seek table as columns, sorted by (pts, block index). */
export interface SeekTable {
  /** Number of entries. */
  count: number;
  /** Keyframe pts. */
  pts: Float64Array;
  /** Block index. */
  block: Float64Array;
  /** File offset of the block's stored bytes. */
  offset: Float64Array;
  /** Stored length. */
  stored: Float64Array;
  /** Kind id. */
  kind: Uint8Array;
  /** Codec id. */
  codec: Uint8Array;
  /** Plain length. */
  plain: Float64Array;
}

/**
 * Allocates an empty table of `n` entries.
 *
 * @example
 * ```ts
 * import { allocSeekTable } from "./ksek.ts";
 * import assert from "node:assert/strict";
 * assert(allocSeekTable(2).pts.length === 2);
 * ```
 */
export function allocSeekTable(n: number): SeekTable {
  return {
    count: n,
    pts: new Float64Array(n),
    block: new Float64Array(n),
    offset: new Float64Array(n),
    stored: new Float64Array(n),
    kind: new Uint8Array(n),
    codec: new Uint8Array(n),
    plain: new Float64Array(n),
  };
}

/**
 * A seek table of the index rows `rows` (block numbers, already in table order: by pts, then
 * block), taking every field from the index so the two cannot disagree (H4-SEK-001).
 *
 * @example
 * ```ts
 * import { seekTableFromRows } from "./ksek.ts";
 * import { allocColumns } from "./index_columns.ts";
 * import assert from "node:assert/strict";
 * const c = allocColumns(2);
 * c.count = 2; c.pts.set([0, 40]); c.offset.set([20, 30]); c.stored.set([10, 10]);
 * assert(seekTableFromRows(c, [1]).offset[0] === 30);
 * ```
 */
export function seekTableFromRows(cols: IndexColumns, rows: readonly number[]): SeekTable {
  const t = allocSeekTable(rows.length);
  rows.forEach((i, k) => {
    t.pts[k] = cols.pts[i];
    t.block[k] = i;
    t.offset[k] = cols.offset[i];
    t.stored[k] = cols.stored[i];
    t.kind[k] = cols.kind[i];
    t.codec[k] = cols.codec[i];
    t.plain[k] = cols.plain[i];
  });
  return t;
}

/**
 * Encodes one track's table.
 *
 * @example
 * ```ts
 * import { allocSeekTable, encodeSeekTable } from "./ksek.ts";
 * import assert from "node:assert/strict";
 * assert(encodeSeekTable(allocSeekTable(0)).length === 1);
 * ```
 */
export function encodeSeekTable(t: SeekTable): Uint8Array {
  const w = new ByteWriter(8 + t.count * 8);
  w.varint(t.count);
  let prevPts = 0, prevDelta = 0, prevIndex = 0, prevOffset = 0;
  for (let i = 0; i < t.count; i++) {
    w.svarint(t.pts[i] - (prevPts + prevDelta));
    prevDelta = t.pts[i] - prevPts;
    prevPts = t.pts[i];
    w.svarint(t.block[i] - prevIndex);
    prevIndex = t.block[i];
    w.svarint(t.offset[i] - prevOffset);
    prevOffset = t.offset[i];
    w.varint(t.stored[i]);
    w.varint(t.kind[i] * 4 + t.codec[i]);
    if (t.codec[i] !== 0) w.varint(t.plain[i]);
  }
  return w.finish();
}

/**
 * Encodes KSEK from every track's table, in track order.
 *
 * @example
 * ```ts
 * import { allocSeekTable, decodeKsek, encodeKsek } from "./ksek.ts";
 * import assert from "node:assert/strict";
 * assert(decodeKsek(encodeKsek([allocSeekTable(0)]), 1, 0)[0].count === 0);
 * ```
 */
export function encodeKsek(tables: readonly SeekTable[]): Uint8Array {
  const encoded = tables.map(encodeSeekTable);
  const w = new ByteWriter(4 + 4 * tables.length + encoded.reduce((n, e) => n + e.length, 0));
  w.u32(tables.length);
  for (const e of encoded) w.u32(e.length);
  for (const e of encoded) w.bytes(e);
  return w.finish();
}

/** Zigzag decoding of a fastVarint value (-1 stays an error: NaN). */
function fastSvarint(b: Uint8Array): number {
  const z = fastVarint(b);
  if (z < 0) return NaN;
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

/**
 * decodeSeekTable for well-formed input, without a ByteReader (several times faster). Makes the
 * same checks, in the same order; returns undefined where decodeSeekTable throws. Keep the two
 * in step.
 */
function decodeSeekTableFast(bytes: Uint8Array, overhead: number): SeekTable | undefined {
  vpos[0] = 0;
  const n = fastVarint(bytes);
  if (n < 0 || n * 5 > bytes.length - vpos[0]) return undefined;
  const t = allocSeekTable(n);
  let prevPts = 0, prevDelta = 0, prevIndex = 0, prevOffset = 0;
  for (let i = 0; i < n; i++) {
    const pts = fastSvarint(bytes) + prevPts + prevDelta;
    const block = fastSvarint(bytes) + prevIndex;
    const offset = fastSvarint(bytes) + prevOffset;
    // NaN (a bad varint) fails these comparisons too.
    if (!(Math.abs(pts) <= LIMITS.ptsAbs) || !Number.isSafeInteger(offset)) return undefined;
    if (!(block >= 0 && block <= LIMITS.blocks) || offset < 0) return undefined;
    if (i > 0 && (pts < prevPts || (pts === prevPts && block <= prevIndex))) return undefined;
    prevDelta = pts - prevPts;
    prevPts = pts;
    prevIndex = block;
    prevOffset = offset;
    const stored = fastVarint(bytes);
    if (stored < 0 || stored > LIMITS.blockBytes) return undefined;
    const info = fastVarint(bytes);
    if (info < 0 || info > 11) return undefined;
    const kind = info >> 2;
    const codec = info & 3;
    if (kind === 3 || codec === 3) return undefined;
    let plain = stored - overhead;
    if (codec !== 0) {
      plain = fastVarint(bytes);
      if (plain < 0) return undefined;
    }
    if (plain < 0 || plain > LIMITS.blockBytes) return undefined;
    t.pts[i] = pts;
    t.block[i] = block;
    t.offset[i] = offset;
    t.stored[i] = stored;
    t.kind[i] = kind;
    t.codec[i] = codec;
    t.plain[i] = plain;
  }
  return vpos[0] === bytes.length ? t : undefined;
}

/**
 * Decodes one track's table (H4-SEK-002: sorted by pts, then block index).
 *
 * @example
 * ```ts
 * import { allocSeekTable, decodeSeekTable, encodeSeekTable } from "./ksek.ts";
 * import assert from "node:assert/strict";
 * assert(decodeSeekTable(encodeSeekTable(allocSeekTable(0)), 0).count === 0);
 * ```
 */
export function decodeSeekTable(bytes: Uint8Array, overhead: number, base = 0): SeekTable {
  // A reader decodes a table before its first use: a well-formed one takes the fast path; anything
  // it does not accept is decoded again below, which says what is wrong.
  const fast = decodeSeekTableFast(bytes, overhead);
  if (fast) return fast;
  const r = new ByteReader(bytes, "H4_BAD_SEEK_TABLE", "KSEK", base);
  const n = r.varint("n");
  // An entry takes at least 5 bytes: a count the table cannot hold is refused before allocating.
  if (n * 5 > r.remaining) r.fail(`n = ${n} entries cannot fit in ${r.remaining} bytes`);
  const t = allocSeekTable(n);
  let prevPts = 0, prevDelta = 0, prevIndex = 0, prevOffset = 0;
  for (let i = 0; i < n; i++) {
    const pts = r.svarint("pts_residual") + prevPts + prevDelta;
    const block = r.svarint("index_delta") + prevIndex;
    const offset = r.svarint("offset_delta") + prevOffset;
    if (!(Math.abs(pts) <= LIMITS.ptsAbs)) {
      r.fail(`entry ${i}: pts ${pts} is outside ±(2^50 - 1)`, "H4_LIMIT_EXCEEDED", "H4-LIM-001");
    }
    if (!Number.isSafeInteger(offset)) {
      r.fail(`entry ${i}: value out of the safe range`, "H4_BAD_SEEK_TABLE", "H4-ENC-003");
    }
    if (block < 0 || block > LIMITS.blocks || offset < 0) {
      r.fail(
        `entry ${i}: block ${block} offset ${offset} out of range`,
        "H4_BAD_SEEK_TABLE",
        "H4-SEK-001",
      );
    }
    if (i > 0 && (pts < prevPts || (pts === prevPts && block <= prevIndex))) {
      r.fail(
        `entry ${i} (pts ${pts}, block ${block}) out of order after (pts ${prevPts}, block ${prevIndex})`,
        "H4_BAD_SEEK_TABLE",
        "H4-SEK-002",
      );
    }
    prevDelta = pts - prevPts;
    prevPts = pts;
    prevIndex = block;
    prevOffset = offset;
    const stored = r.varint("stored_length");
    if (stored > LIMITS.blockBytes) {
      r.fail(`entry ${i}: stored length ${stored} exceeds 2^30`, "H4_LIMIT_EXCEEDED", "H4-LIM-001");
    }
    const info = r.varint("info");
    const kind = info >> 2;
    const codec = info & 3;
    if (info > 11 || kind === 3) {
      r.fail(`entry ${i}: info ${info} names kind ${kind}`, "H4_BAD_SEEK_TABLE", "H4-IDX-001");
    }
    if (codec === 3) r.fail(`entry ${i}: codec id 3`, "H4_UNKNOWN_CODEC", "H4-COD-001");
    let plain = stored - overhead;
    if (codec !== 0) plain = r.varint("plain_length");
    if (plain < 0 || plain > LIMITS.blockBytes) {
      r.fail(`entry ${i}: plain length ${plain} out of range`, "H4_BAD_SEEK_TABLE", "H4-SEK-001");
    }
    t.pts[i] = pts;
    t.block[i] = block;
    t.offset[i] = offset;
    t.stored[i] = stored;
    t.kind[i] = kind;
    t.codec[i] = codec;
    t.plain[i] = plain;
  }
  r.end("seek table");
  return t;
}

/**
 * Decodes KSEK into one table per track.
 *
 * @example
 * ```ts
 * import { decodeKsek, encodeKsek } from "./ksek.ts";
 * import assert from "node:assert/strict";
 * assert(decodeKsek(encodeKsek([]), 0, 0).length === 0);
 * ```
 */
export function decodeKsek(
  payload: Uint8Array,
  trackCount: number,
  overhead: number,
  base = 0,
): SeekTable[] {
  return splitKsek(payload, trackCount, base).map((t) =>
    decodeSeekTable(t.bytes, overhead, t.base)
  );
}

/** One track's encoded seek table inside KSEK, as {@linkcode splitKsek} finds it. */
export interface KsekPart {
  /** The table's bytes (decode with {@linkcode decodeSeekTable}). */
  bytes: Uint8Array;
  /** File offset of `bytes[0]`, for error messages. */
  base: number;
  /** Its entry count (the table's first varint). */
  count: number;
}

/**
 * Locates each track's table in a KSEK payload without decoding the entries, so a reader
 * decodes only the tracks it seeks in (SPEC.md section 6.5: each table is readable on its own).
 *
 * @example
 * ```ts
 * import { encodeKsek, splitKsek } from "./ksek.ts";
 * import assert from "node:assert/strict";
 * const parts = splitKsek(encodeKsek([]), 0);
 * assert(parts.length === 0);
 * ```
 */
export function splitKsek(payload: Uint8Array, trackCount: number, base = 0): KsekPart[] {
  const r = new ByteReader(payload, "H4_BAD_SEEK_TABLE", "KSEK", base);
  const n = r.u32("track_count");
  if (n !== trackCount) {
    r.fail(`track_count ${n}, TRKS has ${trackCount}`, "H4_BAD_SEEK_TABLE", "H4-SEK-001");
  }
  r.need(n * 4, "table lengths");
  const lengths: number[] = [];
  for (let i = 0; i < n; i++) lengths.push(r.u32("table_length"));
  const out: KsekPart[] = [];
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const bytes = r.take(lengths[i], `table ${i}`);
    const t = new ByteReader(bytes, "H4_BAD_SEEK_TABLE", "KSEK", base + at);
    const count = t.varint("n");
    // An entry takes at least 5 bytes: as decodeSeekTable, refuse a count the table cannot hold.
    if (count * 5 > t.remaining) t.fail(`n = ${count} entries cannot fit in ${t.remaining} bytes`);
    out.push({ bytes, base: base + at, count });
  }
  r.end("seek tables");
  return out;
}
