/**
 * The streaming chunk walker: the chunks of a file behind a {@linkcode ByteSource}, read in
 * large windows into one reused buffer, each chunk handed to a visitor as plain numbers and a
 * place in the window. The walk of `verify` (a CRC and a hash per chunk, 263,041 chunks in the
 * v1 one-hour reference), of the signature area on open, and of the recipients rewrite;
 * `walkHeaders` and `walkSource` are the same walk for code that wants an object per chunk (the
 * legacy reader, `inspect`, the container's chunk list). chunk.ts's `walkChunks` splits a file
 * already in memory, leniently, for tools and tests.
 *
 * @module
 */
import {
  checkChunkHeaderRoom,
  type ChunkHeader,
  type ChunkView,
  parseChunkHeader,
} from "./chunk.ts";
import { CHUNK_HEADER_LENGTH, HEADER_LENGTH } from "./constants.ts";
import type { ByteSource } from "./types.ts";

/**
 * Bytes read at a time by {@linkcode walkWindows} unless told otherwise: one read per 2 MiB
 * whatever the chunk sizes, and memory stays flat. Not more: each 4 KiB page of a fresh buffer
 * costs a page fault, and the 2,048 of an 8 MiB buffer cost a fresh `h4mk verify` 20 to 30 ms
 * (BENCHMARKS.md figure 7), where 2 MiB reads are as fast.
 */
const WALK_WINDOW = 2 * 1024 * 1024;

/**
 * A tag's four bytes as one big-endian number, as {@linkcode walkWindows} hands tags (no string
 * per chunk).
 *
 * @example
 * ```ts
 * import { tagCode } from "./chunk_walk.ts";
 * import assert from "node:assert/strict";
 * assert(tagCode("CORE") === 0x434f5245);
 * ```
 */
export function tagCode(tag: string): number {
  let n = 0;
  for (let i = 0; i < 4; i++) n = n * 256 + (tag.charCodeAt(i) & 0xff);
  return n;
}

/**
 * The tag whose code is `code` (see {@linkcode tagCode}).
 *
 * @example
 * ```ts
 * import { tagCode, tagOfCode } from "./chunk_walk.ts";
 * import assert from "node:assert/strict";
 * assert(tagOfCode(tagCode("SIGN")) === "SIGN");
 * ```
 */
export function tagOfCode(code: number): string {
  return String.fromCharCode(code >>> 24, (code >>> 16) & 0xff, (code >>> 8) & 0xff, code & 0xff);
}

/** What {@linkcode walkWindows} calls, in file order. */
export interface ChunkVisitor {
  /**
   * One chunk whose framing holds (its tag bytes are printable and its payload ends within the
   * file). `tag` is its {@linkcode tagCode}; the 12-byte header is `window[at..at + 12]` and,
   * when `at + 12 + length <= window.length`, the payload follows it there. A chunk that fits
   * in a window is always whole; a larger payload comes through {@linkcode ChunkVisitor.part}
   * after this returns (or, without `part`, is not read at all). The window is reused: keep
   * copies, not views, past the call (or past the promise it returns).
   *
   * Return `false` to end the walk at this chunk; a promise is awaited (keep the common path
   * synchronous: nothing is allocated per chunk then). An error thrown ends the walk with it.
   */
  chunk(
    tag: number,
    offset: number,
    length: number,
    crc: number,
    window: Uint8Array,
    at: number,
  ): boolean | void | Promise<boolean | void>;
  /**
   * A piece of a payload larger than a window, in order; `last` with the final piece. The
   * pieces are views into the window.
   */
  part?(bytes: Uint8Array, last: boolean): void | Promise<void>;
  /**
   * Called before the window is read over: the window (which holds the file from `windowAt`)
   * has been walked up to file offset `end` (past the window when a payload was not read). For
   * work done per window rather than per chunk (a hash over runs of bytes).
   */
  leave?(window: Uint8Array, windowAt: number, end: number): void;
}

/** Where {@linkcode walkWindows} walks, and how much it reads at a time. */
export interface WalkRange {
  /** File offset of the first chunk header (default 8, after the file header). */
  from?: number;
  /**
   * The walk ends at the first chunk that starts here or later (default: the end of the file).
   * A chunk that starts before and runs past it is handed over like any other; the visitor
   * judges it (`offset + 12 + length > to`).
   */
  to?: number;
  /**
   * Bytes read at a time (default 2 MiB). A source in memory may give its
   * whole size: its reads are views, and every chunk is then whole.
   */
  window?: number;
}

const EMPTY = new Uint8Array(0);

/**
 * Walks the chunks of `src` from `range.from` (8) while they start before `range.to` (the end),
 * reading the file in order, a window at a time, into one buffer reused when the source can
 * read into it. The framing rules are checked as in chunk.ts's `walkHeaders` (H4-FMT-010,
 * H4-FMT-012, H4-FMT-014, with the same errors): the walk throws at the first break, after
 * handing over every chunk before it. Returns the offset where the walk ended: the end of the
 * last chunk, or the offset of the chunk whose visitor returned `false`.
 *
 * One function keeps the loop over the chunks of a window, so that a walk over many small
 * chunks costs a call per chunk and no allocation; chunk.ts's `walkSource` is the plain form.
 *
 * @example
 * ```ts
 * import { bytesSource } from "./byte_source.ts";
 * import { encodeChunk } from "./chunk.ts";
 * import { tagCode, walkWindows } from "./chunk_walk.ts";
 * import assert from "node:assert/strict";
 * const file = new Uint8Array([...new TextEncoder().encode("H4MK"), 0, 2, 0, 0,
 *   ...encodeChunk("META", new TextEncoder().encode("{}")),
 *   ...encodeChunk("SAFE", new TextEncoder().encode("{}"))]);
 * const seen: number[] = [];
 * const end = await walkWindows(bytesSource(file), {
 *   chunk(tag, offset, length, _crc, window, at) {
 *     assert(window[at + 12] === 0x7b && length === 2);
 *     seen.push(offset);
 *     if (tag === tagCode("META")) return; // on to SAFE
 *   },
 * });
 * assert(seen.join() === "8,22" && end === file.length);
 * ```
 */
export async function walkWindows(
  src: ByteSource,
  visitor: ChunkVisitor,
  range: WalkRange = {},
): Promise<number> {
  const size = src.size;
  const to = Math.min(range.to ?? size, size);
  const span = Math.max(CHUNK_HEADER_LENGTH, range.window ?? WALK_WINDOW);
  let offset = range.from ?? HEADER_LENGTH;
  let buf: Uint8Array = EMPTY;
  let bufAt = 0;
  let own: Uint8Array | undefined;
  /** The window from `at`: the bytes the last one holds from there are kept, not read again. */
  const load = async (at: number) => {
    if (buf.length > 0) visitor.leave?.(buf, bufAt, at);
    const length = Math.min(size - at, span);
    const keep = at >= bufAt && at < bufAt + buf.length ? bufAt + buf.length - at : 0;
    const kept = buf.subarray(at - bufAt, at - bufAt + keep);
    if (src.readInto) {
      // The first window is the largest any later one needs (they start later).
      if (!own || own.length < length) {
        const grown = new Uint8Array(length);
        grown.set(kept);
        own = grown;
      } else own.set(kept); // a copy within one buffer (set copies as if through a temporary)
      const rest = await src.readInto(at + keep, own.subarray(keep, length));
      if (rest.buffer !== own.buffer || rest.byteOffset !== own.byteOffset + keep) {
        own.set(rest, keep);
      }
      buf = own.subarray(0, length);
    } else if (keep === 0) buf = await src.read(at, length);
    else {
      const next = new Uint8Array(length);
      next.set(kept);
      next.set(await src.read(at + keep, length - keep), keep);
      buf = next;
    }
    bufAt = at;
  };
  while (offset < to) {
    checkChunkHeaderRoom(size, offset);
    let h = offset - bufAt;
    if (h < 0 || h + CHUNK_HEADER_LENGTH > buf.length) {
      await load(offset);
      h = 0;
    }
    const b0 = buf[h], b1 = buf[h + 1], b2 = buf[h + 2], b3 = buf[h + 3];
    const length = ((buf[h + 4] << 24) | (buf[h + 5] << 16) | (buf[h + 6] << 8) | buf[h + 7]) >>>
      0;
    const crc = ((buf[h + 8] << 24) | (buf[h + 9] << 16) | (buf[h + 10] << 8) | buf[h + 11]) >>> 0;
    const end = offset + CHUNK_HEADER_LENGTH + length;
    if (
      b0 < 0x20 || b0 > 0x7e || b1 < 0x20 || b1 > 0x7e || b2 < 0x20 || b2 > 0x7e || b3 < 0x20 ||
      b3 > 0x7e || end > size
    ) {
      // The parser throws the framing error, with its message (tag bytes first, then length).
      parseChunkHeader(buf.subarray(h, h + CHUNK_HEADER_LENGTH), offset, size);
    }
    let whole = end - bufAt <= buf.length;
    if (!whole && CHUNK_HEADER_LENGTH + length <= span) {
      await load(offset);
      h = 0;
      whole = true;
    }
    let r = visitor.chunk(
      ((b0 << 24) | (b1 << 16) | (b2 << 8) | b3) >>> 0,
      offset,
      length,
      crc,
      buf,
      h,
    );
    // Most visits return nothing: no await then, so the loop stays in this call.
    if (r !== undefined && r !== true && r !== false) r = await r;
    if (r === false) return offset;
    if (!whole && visitor.part) {
      for (let o = offset + CHUNK_HEADER_LENGTH; o < end;) {
        if (o - bufAt >= buf.length) await load(o);
        const piece = buf.subarray(o - bufAt, Math.min(buf.length, end - bufAt));
        o += piece.length;
        const p = visitor.part(piece, o === end);
        if (p !== undefined) await p;
      }
    }
    offset = end;
  }
  return offset;
}

/** Chunks handed from {@linkcode walkWindows} to the reader of a generator at a time (at most). */
const BATCH_CHUNKS = 256;
/** Payload bytes copied out of the window for one hand-over (at most, past one chunk). */
const BATCH_BYTES = WALK_WINDOW;

/**
 * {@linkcode walkWindows} as objects: each chunk's header and, with `payloads`, a copy of its
 * payload when the window holds it whole (`undefined` otherwise, for the caller to read). The
 * walk runs ahead of the reader by at most one batch: a full batch waits until it is taken, and
 * a reader that stops early ends the walk at its next chunk. A break is thrown after every chunk
 * before it has been yielded.
 */
async function* chunkObjects(
  src: ByteSource,
  window: number,
  payloads: boolean,
): AsyncGenerator<ChunkHeader & { payload?: Uint8Array }> {
  let batch: (ChunkHeader & { payload?: Uint8Array })[] = [];
  let bytes = 0;
  let ended = false;
  let stopped = false;
  let failure: { error: unknown } | undefined;
  let taken: (() => void) | undefined;
  let arrived: (() => void) | undefined;
  const full = () => batch.length >= BATCH_CHUNKS || bytes >= BATCH_BYTES;
  const wake = () => {
    const a = arrived;
    arrived = undefined;
    a?.();
  };
  walkWindows(src, {
    chunk(tag, offset, length, crc, win, at) {
      if (stopped) return false;
      const whole = payloads && at + CHUNK_HEADER_LENGTH + length <= win.length;
      batch.push({
        offset,
        tag: tagOfCode(tag),
        length,
        crc,
        // A copy: the window is read over by the next load.
        payload: whole
          ? win.slice(at + CHUNK_HEADER_LENGTH, at + CHUNK_HEADER_LENGTH + length)
          : undefined,
      });
      if (whole) bytes += length;
      if (!full()) return;
      return new Promise<void>((resume) => {
        taken = resume;
        wake();
      });
    },
  }, { window }).then(
    () => {},
    (error) => void (failure = { error }),
  ).finally(() => {
    ended = true;
    wake();
  });
  try {
    while (true) {
      if (!ended && !full()) await new Promise<void>((r) => arrived = r);
      const out = batch;
      batch = [];
      bytes = 0;
      const resume = taken;
      taken = undefined;
      resume?.();
      yield* out;
      if (ended && batch.length === 0) break;
    }
    if (failure) throw failure.error;
  } finally {
    stopped = true;
    taken?.();
  }
}

/**
 * The chunk headers of a file behind a {@linkcode ByteSource}, from offset 8 to the end, without
 * reading payloads: {@linkcode walkWindows} with windows of one header (one 12-byte read per
 * chunk), each chunk as an object. The framing rules are checked (H4-FMT-010, H4-FMT-012,
 * H4-FMT-014): the walk throws at the first break, after yielding every chunk before it. A reader
 * that needs only some payloads (a legacy file's META) walks the headers.
 *
 * @example
 * ```ts
 * import { bytesSource } from "./byte_source.ts";
 * import { encodeChunk } from "./chunk.ts";
 * import { walkHeaders } from "./chunk_walk.ts";
 * import assert from "node:assert/strict";
 * const file = new Uint8Array([...new TextEncoder().encode("H4MK"), 0, 2, 0, 0,
 *   ...encodeChunk("META", new TextEncoder().encode("{}"))]);
 * const heads = [];
 * for await (const h of walkHeaders(bytesSource(file))) heads.push(h);
 * assert(heads.length === 1 && heads[0].tag === "META" && heads[0].length === 2);
 * ```
 */
export async function* walkHeaders(src: ByteSource): AsyncGenerator<ChunkHeader> {
  for await (const c of chunkObjects(src, CHUNK_HEADER_LENGTH, false)) {
    yield { offset: c.offset, tag: c.tag, length: c.length, crc: c.crc };
  }
}

/**
 * The chunks of a file behind a {@linkcode ByteSource}, from offset 8 to the end, with their
 * payloads: {@linkcode walkWindows} in its windows (2 MiB), each payload copied out of the
 * window, or read on its own when larger. The framing rules are checked (the walk throws at the
 * first break, after yielding every chunk before it), CRCs are not (see chunk.ts's
 * `checkChunkCrc`). The async twin of chunk.ts's `walkChunks`, for files that are not in memory
 * (or do not open as a container).
 *
 * @example
 * ```ts
 * import { bytesSource } from "./byte_source.ts";
 * import { encodeChunk } from "./chunk.ts";
 * import { walkSource } from "./chunk_walk.ts";
 * import assert from "node:assert/strict";
 * const file = new Uint8Array([...new TextEncoder().encode("H4MK"), 0, 2, 0, 0,
 *   ...encodeChunk("META", new TextEncoder().encode("{}"))]);
 * const tags = [];
 * for await (const c of walkSource(bytesSource(file))) tags.push(c.tag);
 * assert(tags.join() === "META");
 * ```
 */
export async function* walkSource(src: ByteSource): AsyncGenerator<ChunkView> {
  for await (const c of chunkObjects(src, WALK_WINDOW, true)) {
    const payload = c.payload ?? await src.read(c.offset + CHUNK_HEADER_LENGTH, c.length);
    yield { offset: c.offset, tag: c.tag, length: c.length, crc: c.crc, payload };
  }
}
