/**
 * The version 2 writer's segments (SPEC.md section 4): the open segment is copied into a
 * buffer so that the caller may reuse its payloads, behind 12 bytes of room for its chunk
 * header, and goes to the sink without a copy (the writer gives the sink the closed segments
 * of an arena that follow each other in one write).
 *
 * Segments follow each other in one buffer, an "arena" of up to 4 MiB. A full arena goes to
 * the hashing (writer_hashing.ts) whole, with the ranges of its segments' payloads: one
 * message to the hashing worker for many segments (a message costs 40 to 100 µs, about what
 * hashing 64 KiB costs, measured), and no copy. A new segment starts in a new arena when the
 * one in use may not hold it, so no segment is ever moved once started, but the first: the
 * first arena is small (most files are small) and grows with it.
 *
 * @module
 */
import { CHUNK_HEADER_LENGTH } from "./constants.ts";
import { mayOffload } from "./writer_hashing.ts";

/** Largest arena, unless a segment needs more. */
const ARENA = 4 << 20;

/**
 * The arena size for a writer told to expect `expectedBytes` (undefined: arenas grow from a
 * small one, for small outputs): each new arena is pages the kernel zeroes (several µs a page,
 * measured here), so one size from the first; 1 MiB where no hashing worker takes them (two in
 * turn are then all: one being written while the next fills), 4 MiB, one message to the worker
 * each, where one may.
 *
 * @example
 * ```ts
 * import { arenaBytesFor } from "./writer_segments.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([arenaBytesFor(undefined), arenaBytesFor(85e6)], [undefined, 1 << 20]);
 * ```
 */
export function arenaBytesFor(expectedBytes: number | undefined): number | undefined {
  if (expectedBytes === undefined || expectedBytes < 1 << 20) return undefined;
  return mayOffload(expectedBytes) ? ARENA : 1 << 20;
}

/** An arena handed out, with its segments' payload ranges (start, end, slot). */
export interface Arena {
  /** The arena's bytes. */
  buffer: ArrayBuffer;
  /** Each closed segment's payload: start, end and its BHSH slot. */
  ranges: number[];
}

/** The segments being built. */
export interface SegmentBuffer {
  /** Whether a segment is open. */
  readonly open: boolean;
  /** Payload bytes in the open segment (0 when none is). */
  readonly length: number;
  /**
   * Whether a new segment of up to `n` payload bytes fits in the arena in use; when not,
   * `retire` first (once the sink is done with the bytes of this one).
   */
  fits(n: number): boolean;
  /** Adds `bytes` to the open segment, opening one when none is. */
  append(bytes: Uint8Array): void;
  /**
   * Closes the open segment: `head` gives its 12-byte chunk header and BHSH slot from its
   * payload. Returns the whole chunk (header and payload), a view of the arena.
   */
  close(head: (payload: Uint8Array) => { head: Uint8Array; slot: number }): Uint8Array;
  /** Hands out the arena and its closed segments; undefined when it has none. */
  retire(): Arena | undefined;
}

/**
 * Segments of at most `target` bytes; arenas come from `reuse` (arenas back from hashing) or are
 * allocated, growing from a small one to 4 MiB, or all of `arenaBytes`.
 *
 * @example
 * ```ts
 * import { createSegmentBuffer } from "./writer_segments.ts";
 * import assert from "node:assert/strict";
 * const s = createSegmentBuffer(1024, () => undefined);
 * s.append(new Uint8Array([1, 2]));
 * s.append(new Uint8Array([3]));
 * const chunk = s.close(() => ({ head: new Uint8Array(12).fill(9), slot: 0 }));
 * assert.deepEqual([...chunk.subarray(12)], [1, 2, 3]);
 * assert.deepEqual(s.retire()?.ranges, [12, 15, 0]);
 * ```
 */
export function createSegmentBuffer(
  target: number,
  reuse: (min: number) => ArrayBuffer | undefined,
  arenaBytes?: number,
): SegmentBuffer {
  const most = CHUNK_HEADER_LENGTH + target;
  // `arenaBytes`: every arena of that size (at least one segment) from the first, for a caller
  // who knows the output is large: growing through smaller ones costs a fresh allocation each.
  const largest = arenaBytes === undefined ? ARENA : Math.max(most, arenaBytes);
  let arena: Uint8Array | undefined;
  let size = arenaBytes === undefined ? CHUNK_HEADER_LENGTH + Math.min(target, 1 << 20) : largest;
  // Where the open (or next) segment's header starts, and its payload bytes so far.
  let start = 0;
  let length = 0;
  let open = false;
  let ranges: number[] = [];

  /** Room for `need` more payload bytes in the open segment. */
  function room(need: number): void {
    if (!arena) {
      const wanted = Math.max(size, CHUNK_HEADER_LENGTH + need);
      const b = reuse(wanted);
      arena = b ? new Uint8Array(b) : new Uint8Array(wanted);
      size = Math.max(most, Math.min(largest, arena.length * 2));
      return;
    }
    const end = start + CHUNK_HEADER_LENGTH + length;
    if (end + need <= arena.length) return;
    // Only the first segment of an arena may outgrow it (`full` retires the others first).
    if (ranges.length > 0) throw new Error("segment outgrew its arena");
    const needed = CHUNK_HEADER_LENGTH + length + need;
    const next = new Uint8Array(Math.max(needed, Math.min(most, arena.length * 2)));
    next.set(arena.subarray(start, end));
    arena = next;
    start = 0;
    size = Math.max(most, Math.min(largest, arena.length * 2));
  }

  return {
    get open() {
      return open;
    },
    get length() {
      return length;
    },
    fits(n) {
      return open || !arena || ranges.length === 0 ||
        arena.length - start >= CHUNK_HEADER_LENGTH + n;
    },
    append(bytes) {
      if (!open) {
        open = true;
        length = 0;
      }
      room(bytes.length);
      arena!.set(bytes, start + CHUNK_HEADER_LENGTH + length);
      length += bytes.length;
    },
    close(head) {
      if (!open) throw new Error("no segment is open");
      const from = start + CHUNK_HEADER_LENGTH;
      const payload = arena!.subarray(from, from + length);
      const h = head(payload);
      arena!.set(h.head, start);
      ranges.push(from, from + length, h.slot);
      const chunk = arena!.subarray(start, from + length);
      start = from + length;
      length = 0;
      open = false;
      return chunk;
    },
    retire() {
      if (!arena || ranges.length === 0 || open) return undefined;
      const out = { buffer: arena.buffer as ArrayBuffer, ranges };
      arena = undefined;
      ranges = [];
      start = 0;
      return out;
    },
  };
}
