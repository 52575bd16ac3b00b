/**
 * Structure-aware mutations of H4MK files for the fuzzer: byte-level damage, chunk-level
 * surgery, and "repaired" mutations that fix CRCs and the root afterwards so the damage
 * reaches the table parsers instead of stopping at the first integrity check.
 *
 * @module
 */
import { encodeChunk, walkChunks } from "../lib/format/chunk.ts";
import { isStorageTag } from "../lib/format/chunk_types.ts";
import { CHUNK_HEADER_LENGTH, LOCA_CHUNK_LENGTH } from "../lib/format/constants.ts";
import { fixRoot } from "../lib/format/testdata/forge.ts";

/** A seeded PRNG (mulberry32): the same seed gives the same mutations on every machine. */
export interface Rng {
  /** Next float in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** One element of `xs`. */
  pick<T>(xs: readonly T[]): T;
}

/**
 * Makes a seeded PRNG.
 *
 * @example
 * ```ts
 * import { makeRng } from "./mutate.ts";
 * import assert from "node:assert/strict";
 * assert(makeRng(1).int(10) === makeRng(1).int(10));
 * ```
 */
export function makeRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
  };
}

function splice(
  b: Uint8Array,
  at: number,
  remove: number,
  insert: Uint8Array = new Uint8Array(0),
): Uint8Array {
  at = Math.min(at, b.length);
  remove = Math.min(remove, b.length - at);
  const out = new Uint8Array(b.length - remove + insert.length);
  out.set(b.subarray(0, at));
  out.set(insert, at);
  out.set(b.subarray(at + remove), at + insert.length);
  return out;
}

/** Names of the mutators, for statistics. */
export const MUTATORS = [
  "bitflip",
  "byteset",
  "insert",
  "delete",
  "truncate",
  "append",
  "dupchunk",
  "dropchunk",
  "swapchunks",
  "lenfield",
  "tablebyte",
  "tablevarint",
  "metajson",
  "locaslot",
] as const;

/** One mutator's name. */
export type Mutator = typeof MUTATORS[number];

const NASTY_JSON = [
  "[".repeat(100_000),
  '{"a":' + "[".repeat(70) + "]".repeat(70) + "}",
  '{"a":"\\ud800"}',
  "{}garbage",
  "null",
  "[1,2,3]",
  '{"a":1e999999}',
  '{"tracks":5,"domain":null}',
];

/**
 * Applies one random mutation; returns the mutator used and the mutated bytes. "Repaired"
 * mutations fix CRCs and the root afterwards (half of the table mutations).
 *
 * @example
 * ```ts
 * import { makeRng, mutate } from "./mutate.ts";
 * import assert from "node:assert/strict";
 * const { bytes } = mutate(new Uint8Array(64), makeRng(3));
 * assert(bytes instanceof Uint8Array);
 * ```
 */
export function mutate(
  seed: Uint8Array,
  rng: Rng,
): { mutator: Mutator; repaired: boolean; bytes: Uint8Array } {
  const mutator = rng.pick(MUTATORS);
  const chunks = walkChunks(seed);
  const tables = chunks.filter((c) =>
    !isStorageTag(c.tag) && c.tag !== "LOCA" && c.tag !== "VERI" && c.length > 0
  );
  let b: Uint8Array = seed.slice();
  let repaired = false;
  const n = b.length;
  switch (mutator) {
    case "bitflip":
      for (let k = 1 + rng.int(4); k > 0 && n > 0; k--) b[rng.int(n)] ^= 1 << rng.int(8);
      break;
    case "byteset":
      if (n > 0) b[rng.int(n)] = rng.pick([0, 0xff, 0x7f, 0x80, rng.int(256)]);
      break;
    case "insert":
      b = splice(
        b,
        rng.int(n + 1),
        0,
        Uint8Array.from({ length: 1 + rng.int(16) }, () => rng.int(256)),
      );
      break;
    case "delete":
      if (n > 0) b = splice(b, rng.int(n), 1 + rng.int(Math.min(16, n)));
      break;
    case "truncate":
      b = b.subarray(0, rng.int(n));
      break;
    case "append":
      b = splice(b, n, 0, Uint8Array.from({ length: 1 + rng.int(200) }, () => rng.int(256)));
      break;
    case "dupchunk":
    case "dropchunk": {
      if (chunks.length === 0) break;
      const c = rng.pick(chunks);
      const whole = b.slice(c.offset, c.offset + CHUNK_HEADER_LENGTH + c.length);
      b = mutator === "dupchunk"
        ? splice(b, rng.pick(chunks).offset, 0, whole)
        : splice(b, c.offset, whole.length);
      break;
    }
    case "swapchunks": {
      if (chunks.length < 2) break;
      const [x, y] = [rng.pick(chunks), rng.pick(chunks)].sort((p, q) => p.offset - q.offset);
      if (x === y) break;
      const bx = b.slice(x.offset, x.offset + 12 + x.length);
      const by = b.slice(y.offset, y.offset + 12 + y.length);
      b = splice(b, y.offset, by.length, bx);
      b = splice(b, x.offset, bx.length, by);
      break;
    }
    case "lenfield": {
      if (chunks.length === 0) break;
      const c = rng.pick(chunks);
      const v = rng.pick([0, 0xffffffff, c.length + 1, c.length - 1, c.length * 2, 0x7fffffff]);
      new DataView(b.buffer).setUint32(c.offset + 4, v >>> 0);
      break;
    }
    case "tablebyte":
    case "tablevarint": {
      if (tables.length === 0) break;
      const c = rng.pick(tables);
      const at = c.offset + CHUNK_HEADER_LENGTH + rng.int(c.length);
      if (mutator === "tablebyte") b[at] = rng.int(256);
      else {
        // A huge or non-minimal varint in the middle of a table.
        const junk = rng.pick([
          [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
          [0x80, 0x00],
          [0xff, 0xff, 0xff, 0xff, 0x0f],
          [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
        ]);
        b.set(junk.slice(0, Math.max(0, b.length - at)), at);
      }
      repaired = rng.next() < 0.7;
      break;
    }
    case "metajson": {
      const meta = chunks.find((c) => c.tag === "META" || c.tag === "SAFE");
      if (!meta) break;
      const text = rng.pick(NASTY_JSON);
      const payload = rng.next() < 0.2
        ? new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d])
        : new TextEncoder().encode(text);
      b = splice(b, meta.offset, CHUNK_HEADER_LENGTH + meta.length, encodeChunk(meta.tag, payload));
      // Slots after META moved: only a root-and-slot repair could follow, which the LOCA
      // mutator covers; keep this as a framing-consistent file with a stale locator.
      repaired = rng.next() < 0.5;
      break;
    }
    case "locaslot": {
      if (n < LOCA_CHUNK_LENGTH) break;
      const at = n - LOCA_CHUNK_LENGTH + CHUNK_HEADER_LENGTH + 32 + rng.int(96);
      b[at] = rng.pick([0, 0xff, rng.int(256)]);
      repaired = rng.next() < 0.7;
      break;
    }
  }
  if (repaired) b = fixRoot(b);
  return { mutator, repaired, bytes: b };
}
