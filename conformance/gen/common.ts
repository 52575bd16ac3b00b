/**
 * Shared pieces of the vector generator: deterministic payloads, the block sets vectors start
 * from, and the constructors `valid`, `invalid` and `acceptable` that turn a crafted file into a
 * vector with its expectation.
 *
 * @module
 */

import type { CanonicalRead } from "../canonical.ts";
import { errorClass } from "../error_classes.ts";
import type { Expectation, SeekQuery } from "../vectors.ts";
import {
  type Craft,
  craft,
  type CraftBlock,
  type CraftOptions,
  type Kind,
} from "../builder/build.ts";
import { expectedRead, seekQueries } from "../builder/expect.ts";

/** A generated vector: its folder below `vectors/`, bytes and expectation. */
export interface GeneratedVector {
  /** `format` (crafted by the builder) or `legacy` (the original writer's samples). */
  group: "format" | "legacy";
  /** File bytes. */
  bytes: Uint8Array;
  /** Expectation (the generator adds `file_sha256`). */
  exp: Expectation;
  /** Other files the vector needs (e.g. a key file), by path below its group folder. */
  extra?: Record<string, string>;
}

/**
 * A vector function: its name is the vector's name. A family function returns several vectors
 * by suffix (named `<function>_<suffix>`).
 */
export type VectorFn = () =>
  | GeneratedVector
  | Record<string, GeneratedVector>
  | Promise<GeneratedVector | Record<string, GeneratedVector>>;

/**
 * Deterministic bytes: `style` "random" (xorshift), "runs" (long runs, rle-friendly) or "text".
 *
 * @example
 * ```ts
 * import { bytes } from "./common.ts";
 * import assert from "node:assert/strict";
 * assert(bytes(1, 10).join() === bytes(1, 10).join());
 * ```
 */
export function bytes(
  seed: number,
  n: number,
  style: "random" | "runs" | "text" = "random",
): Uint8Array {
  const out = new Uint8Array(n);
  let x = (seed * 2654435761 + 0x9e3779b9) >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  if (style === "random") { for (let i = 0; i < n; i++) out[i] = next() & 0xff; }
  else if (style === "runs") {
    for (let i = 0; i < n;) {
      const v = next() & 0xff, run = 1 + (next() % 40);
      for (let k = 0; k < run && i < n; k++) out[i++] = v;
    }
  } else {
    const text = `frame-${seed} `;
    for (let i = 0; i < n; i++) out[i] = text.charCodeAt(i % text.length);
  }
  return out;
}

/**
 * A block.
 *
 * @example
 * ```ts
 * import { blk } from "./common.ts";
 * import assert from "node:assert/strict";
 * assert(blk("v", 0, "I", 4).keyframe);
 * ```
 */
export function blk(
  track_id: string,
  pts_us: number,
  kind: Kind,
  size: number,
  opts: {
    key?: boolean;
    seed?: number;
    style?: "random" | "runs" | "text";
    codec?: CraftBlock["codec"];
  } = {},
): CraftBlock {
  const b: CraftBlock = {
    track_id,
    pts_us,
    kind,
    keyframe: opts.key ?? kind === "I",
    payload: bytes(
      opts.seed ?? (pts_us + size * 7919 + track_id.length * 31),
      size,
      opts.style ?? "random",
    ),
  };
  if (opts.codec) b.codec = opts.codec;
  return b;
}

/**
 * One video GOP stream in decode order with B-frames (pts not monotonic), 40 ms frames.
 * Keyframes at block 0, 6 and 12 when `n` ≥ 13.
 *
 * @example
 * ```ts
 * import { gop } from "./common.ts";
 * import assert from "node:assert/strict";
 * assert(gop("v", 7)[1].kind === "P");
 * ```
 */
export function gop(track: string, n: number, base = 0, size = 24): CraftBlock[] {
  // Decode order I P B B P B | I P B B P B ... with display times of an IBBPBBP pattern.
  const pattern: [Kind, number][] = [["I", 0], ["P", 3], ["B", 1], ["B", 2], ["P", 5], ["B", 4]];
  const out: CraftBlock[] = [];
  for (let i = 0; i < n; i++) {
    const [kind, slot] = pattern[i % 6];
    const gopStart = Math.floor(i / 6) * 6;
    const pts = base + (gopStart + slot) * 40_000;
    out.push(blk(track, pts, kind, size + ((i * 13) % 17), { seed: 1000 + i + track.length }));
  }
  return out;
}

/** Interleaves block lists by pts order of their first appearance (stable, deterministic). */
export function interleave(...lists: CraftBlock[][]): CraftBlock[] {
  const out: CraftBlock[] = [];
  const pos = lists.map(() => 0);
  for (;;) {
    let best = -1;
    for (let l = 0; l < lists.length; l++) {
      if (pos[l] >= lists[l].length) continue;
      if (best < 0 || decodeTime(lists[l], pos[l]) < decodeTime(lists[best], pos[best])) best = l;
    }
    if (best < 0) return out;
    out.push(lists[best][pos[best]++]);
  }
}

function decodeTime(list: CraftBlock[], i: number): number {
  // Decode order time: the smallest pts from here on approximates a DTS.
  let m = list[i].pts_us;
  for (let k = i + 1; k < Math.min(list.length, i + 4); k++) m = Math.min(m, list[k].pts_us);
  return m;
}

/**
 * An audio track: every block a keyframe of kind I, starting at `start` µs.
 *
 * @example
 * ```ts
 * import { audio } from "./common.ts";
 * import assert from "node:assert/strict";
 * assert(audio("a", 3).every((b) => b.keyframe));
 * ```
 */
export function audio(track: string, n: number, start = 0, step = 23_220, size = 8): CraftBlock[] {
  return Array.from(
    { length: n },
    (_, i) => blk(track, start + i * step, "I", size + (i % 3), { seed: 5000 + i, style: "text" }),
  );
}

/** The small two-track set most negative vectors start from: 6 video + 4 audio blocks. */
export function small(): CraftBlock[] {
  return interleave(gop("video", 6), audio("audio", 4, 0, 50_000));
}

/** A video-only set of 13 blocks (three keyframes). */
export function videoOnly(): CraftBlock[] {
  return gop("video", 13);
}

/** Builds with the small set (or the given blocks) and options. */
export function build(opts: CraftOptions = {}, blocks: CraftBlock[] = small()): Craft {
  return craft(blocks, opts);
}

function rulesOk(rules: string[]): string[] {
  for (const r of rules) if (!/^H4-[A-Z]+-[0-9]+$/.test(r)) throw new Error(`bad rule id ${r}`);
  return rules;
}

/** Options of {@linkcode valid} and {@linkcode acceptable}. */
export interface ValidOptions {
  /** Replaces parts of the derived result (e.g. META when a hook rewrote its bytes). */
  result?: Partial<CanonicalRead>;
  /** Extra seek queries, [track, pts]. */
  seeks?: [string, number][];
  /** Folder. */
  group?: "format" | "legacy";
  /** Encrypted files: the result is that of a read with the key (payload hashes given). */
  decrypted?: boolean;
  /** Extra arguments of `read` and `seek` (e.g. `--key PATH`). */
  readArgs?: string[];
  /** Other files the vector needs, by path below its group folder. */
  extra?: Record<string, string>;
}

/**
 * A valid vector: the file must be read with the result derived from the build.
 */
export function valid(
  rules: string[],
  description: string,
  s: Craft,
  o: ValidOptions = {},
): GeneratedVector {
  const result = { ...expectedRead(s, { decrypted: o.decrypted }), ...o.result };
  const seeks: SeekQuery[] = seekQueries(result, o.seeks ?? []);
  const exp: Expectation = { class: "valid", rules: rulesOk(rules), description, result, seeks };
  if (o.readArgs) exp.read_args = o.readArgs;
  return {
    group: o.group ?? "format",
    bytes: s.bytes,
    exp,
    ...(o.extra ? { extra: o.extra } : {}),
  };
}

/**
 * An acceptable vector: SPEC.md leaves the choice. When read, the result must match unless
 * `noResult` (then any result is accepted).
 */
export function acceptable(
  rules: string[],
  description: string,
  s: Craft,
  o: ValidOptions & { noResult?: boolean } = {},
): GeneratedVector {
  const exp: Expectation = { class: "acceptable", rules: rulesOk(rules), description };
  if (!o.noResult) {
    exp.result = { ...expectedRead(s), ...o.result };
    exp.seeks = seekQueries(exp.result, o.seeks ?? []);
  }
  return { group: o.group ?? "format", bytes: s.bytes, exp };
}

/**
 * An invalid vector: a reader must reject it with `code` (or one of `also`).
 */
export function invalid(
  rules: string[],
  code: string,
  description: string,
  file: Craft | Uint8Array,
  also: string[] = [],
  group?: "format" | "legacy",
): GeneratedVector {
  const cls = errorClass(code);
  if (!cls) throw new Error(`unknown code ${code}`);
  const exp: Expectation = {
    class: "invalid",
    rules: rulesOk(rules),
    description,
    expect_error: code,
    error_class: cls,
  };
  if (also.length) exp.also_accept = also;
  return {
    group: group ?? "format",
    bytes: file instanceof Uint8Array ? file : file.bytes,
    exp,
  };
}

/** Replaces bytes of `b` at `at` (a copy). */
export function patch(b: Uint8Array, at: number, ...values: number[]): Uint8Array {
  const out = b.slice();
  values.forEach((v, i) => (out[at + i] = v));
  return out;
}

/** Offset of the first chunk with `tag` in a crafted file. */
export function chunkAt(s: Craft, tag: string, nth = 0): number {
  const c = s.layout.filter((x) => x.tag === tag)[nth];
  if (!c) throw new Error(`no ${tag} chunk #${nth}`);
  return c.offset;
}
