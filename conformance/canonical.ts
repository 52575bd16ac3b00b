/**
 * The canonical results of the adapter protocol (README.md, "Adapter protocol"): what `read`
 * and `seek` print, the reference seek semantics of SPEC.md section 10, and a structural diff
 * that names the first difference.
 *
 * @module
 */

/** One track of a canonical read. */
export interface CanonicalTrack {
  /** Track id. */
  track_id: string;
  /** Default codec name. */
  codec: string;
  /** Block count. */
  blocks: number;
  /** Keyframe count. */
  keyframes: number;
  /** Seek table entry count. */
  seek_entries: number;
}

/** One block of a canonical read. */
export interface CanonicalBlock {
  /** Block index. */
  index: number;
  /** Track id. */
  track_id: string;
  /** pts, µs. */
  pts_us: number;
  /** Kind name. */
  kind: string;
  /** Keyframe flag. */
  keyframe: boolean;
  /** Codec name. */
  codec: string;
  /** Stored length. */
  stored_length: number;
  /** Plain length (null for a legacy encrypted block, which no one can decode). */
  plain_length: number | null;
  /** Hex SHA-256 of the decoded payload; null when encrypted. */
  sha256: string | null;
}

/** What `CMD read FILE` prints. */
export interface CanonicalRead {
  /** Header version. */
  version: number;
  /** "v1", "v2" or "legacy". */
  profile: string;
  /** Whether blocks are encrypted. */
  encrypted: boolean;
  /** Tracks in code point order. */
  tracks: CanonicalTrack[];
  /** Blocks in index order. */
  blocks: CanonicalBlock[];
  /** META. */
  meta: Record<string, unknown>;
  /** SAFE, or null. */
  safe: Record<string, unknown> | null;
  /** Seek table of each track: [pts_us, core_index] pairs in table order. */
  seek: Record<string, [number, number][]>;
}

/** What `CMD seek FILE TRACK PTS` prints. */
export interface CanonicalSeek {
  /** Track asked for. */
  track_id: string;
  /** Target time. */
  pts_us: number;
  /** pts of the answer. */
  keyframe_pts_us: number;
  /** Block index of the answer. */
  core_index: number;
  /** False when the target is before the first entry. */
  found: boolean;
}

const READ_KEYS = ["version", "profile", "encrypted", "tracks", "blocks", "meta", "safe", "seek"];
const TRACK_KEYS = ["track_id", "codec", "blocks", "keyframes", "seek_entries"];
const BLOCK_KEYS = [
  "index",
  "track_id",
  "pts_us",
  "kind",
  "keyframe",
  "codec",
  "stored_length",
  "plain_length",
  "sha256",
];
const SEEK_KEYS = ["track_id", "pts_us", "keyframe_pts_us", "core_index", "found"];

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = o[k];
  return out;
}

/**
 * One line of canonical read JSON, keys in protocol order.
 *
 * @example
 * ```ts
 * import { readLine } from "./canonical.ts";
 * import assert from "node:assert/strict";
 * const line = readLine({ version: 2, profile: "v2", encrypted: false, tracks: [], blocks: [], meta: {}, safe: null, seek: {} });
 * assert(line.startsWith('{"version":2,'));
 * ```
 */
export function readLine(r: CanonicalRead): string {
  const o = pick(r as unknown as Record<string, unknown>, READ_KEYS);
  o.tracks = r.tracks.map((t) => pick(t as unknown as Record<string, unknown>, TRACK_KEYS));
  o.blocks = r.blocks.map((b) => pick(b as unknown as Record<string, unknown>, BLOCK_KEYS));
  return JSON.stringify(o);
}

/**
 * One line of canonical seek JSON, keys in protocol order.
 *
 * @example
 * ```ts
 * import { seekLine } from "./canonical.ts";
 * import assert from "node:assert/strict";
 * assert(seekLine({ track_id: "a", pts_us: 5, keyframe_pts_us: 0, core_index: 0, found: true }).startsWith('{"track_id"'));
 * ```
 */
export function seekLine(s: CanonicalSeek): string {
  return JSON.stringify(pick(s as unknown as Record<string, unknown>, SEEK_KEYS));
}

/**
 * The answer of SPEC.md section 10 over one seek table (entries sorted by pts, then index);
 * null when the table is empty (H4-SEEK-002).
 *
 * @example
 * ```ts
 * import { seekAnswer } from "./canonical.ts";
 * import assert from "node:assert/strict";
 * const a = seekAnswer("v", [[0, 0], [100, 4]], 150);
 * assert(a?.core_index === 4 && a.found);
 * ```
 */
export function seekAnswer(
  track: string,
  table: readonly (readonly [number, number])[],
  t: number,
): CanonicalSeek | null {
  if (table.length === 0) return null;
  let best: readonly [number, number] | null = null;
  for (const e of table) {
    if (e[0] > t) continue;
    if (best === null || e[0] > best[0] || (e[0] === best[0] && e[1] < best[1])) best = e;
  }
  const hit = best ?? table[0];
  return {
    track_id: track,
    pts_us: t,
    keyframe_pts_us: hit[0],
    core_index: hit[1],
    found: best !== null,
  };
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  if (s === undefined) return String(v);
  return s.length > 80 ? s.slice(0, 77) + "..." : s;
}

/**
 * The first structural difference between two JSON values, as `path: expected X, got Y`, or
 * null when they are equal. Object key order is ignored; numbers compare by value.
 *
 * @example
 * ```ts
 * import { diff } from "./canonical.ts";
 * import assert from "node:assert/strict";
 * assert(diff({ a: [1, 2] }, { a: [1, 3] }) === "a[1]: expected 2, got 3");
 * assert(diff({ a: 1, b: 2 }, { b: 2, a: 1 }) === null);
 * ```
 */
export function diff(expected: unknown, actual: unknown, path = ""): string | null {
  const here = path || "(top)";
  if (expected === actual) return null;
  if (
    typeof expected !== "object" || typeof actual !== "object" || expected === null ||
    actual === null
  ) {
    return `${here}: expected ${show(expected)}, got ${show(actual)}`;
  }
  if (Array.isArray(expected) !== Array.isArray(actual)) {
    return `${here}: expected ${show(expected)}, got ${show(actual)}`;
  }
  if (Array.isArray(expected)) {
    const a = actual as unknown[];
    for (let i = 0; i < Math.min(expected.length, a.length); i++) {
      const d = diff(expected[i], a[i], `${path}[${i}]`);
      if (d) return d;
    }
    if (expected.length !== a.length) {
      return `${here}: expected ${expected.length} items, got ${a.length}`;
    }
    return null;
  }
  const e = expected as Record<string, unknown>, a = actual as Record<string, unknown>;
  for (const k of Object.keys(e)) {
    const p = path ? `${path}.${k}` : k;
    if (!(k in a)) return `${p}: missing (expected ${show(e[k])})`;
    const d = diff(e[k], a[k], p);
    if (d) return d;
  }
  for (const k of Object.keys(a)) {
    if (!(k in e)) return `${path ? `${path}.${k}` : k}: unexpected key (${show(a[k])})`;
  }
  return null;
}
