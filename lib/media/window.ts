/**
 * Sequential windows over an input, read into two buffers used in turn: while the caller
 * works on one window the next one is read into the other. Fresh buffers for every read cost
 * more than the read itself (the kernel zeroes each new page), which is why import moves
 * sample bytes through these.
 *
 * @module
 */
import { H4Error } from "../format/errors.ts";
import type { ByteSource } from "../format/types.ts";

/** Reads `buf.length` bytes at `offset` into `buf`. */
export type ReadInto = (buf: Uint8Array, offset: number) => Promise<void>;

/**
 * A {@linkcode ReadInto} over a file path with Deno's file API (one read at a time), or over
 * any source (a copy of what it returns).
 *
 * @example
 * ```ts
 * import { readerOf } from "./window.ts";
 * import assert from "node:assert/strict";
 * const r = await readerOf({ size: 4, read: () => Promise.resolve(new Uint8Array([1, 2, 3, 4])) });
 * const b = new Uint8Array(4);
 * await r.readInto(b, 0);
 * assert(b[3] === 4);
 * await r.close();
 * ```
 */
export async function readerOf(
  src: ByteSource,
  path?: string,
): Promise<{ readInto: ReadInto; close(): Promise<void> }> {
  const D = (globalThis as { Deno?: typeof Deno }).Deno;
  if (path !== undefined && typeof D?.open === "function") {
    const f = await D.open(path, { read: true });
    // Where the file's position is (NaN: unknown). Sequential reads skip the seek: the read is
    // then started at once, while a seek first would start it only at the caller's next turn
    // of the event loop (measured: about 1 ms of waiting per 2 MiB window of an import).
    let at = NaN;
    return {
      async readInto(buf, offset) {
        if (offset !== at) {
          at = NaN;
          await f.seek(offset, D.SeekMode.Start);
        }
        at = NaN; // until this read is done
        let got = 0;
        while (got < buf.length) {
          const n = await f.read(buf.subarray(got));
          if (!n) {
            throw new H4Error(
              "H4_SOURCE_CHANGED",
              `${path} ended at ${offset + got} while reading; it changed since it was opened`,
            );
          }
          got += n;
        }
        at = offset + got;
      },
      close: () => Promise.resolve(f.close()),
    };
  }
  return {
    async readInto(buf, offset) {
      buf.set(await src.read(offset, buf.length));
    },
    close: () => Promise.resolve(),
  };
}

/**
 * Windows of at least `size` bytes (fewer at the end) over an input of `total` bytes.
 * `at(offset)` returns the bytes from `offset`: they stay valid until the next call, which
 * reuses a buffer. The next window is read ahead, from where the last one ends; when the next
 * call asks for an offset a little before that (a sample that crosses the end of the window),
 * the bytes up to it are copied from the last window in front of the read-ahead (that view is
 * then longer than `size`), instead of the read-ahead being dropped and the input read again
 * (measured: an 85 MB import read 155 MB, with no read overlapping the work). `prefetch(offset)`
 * starts reading the first window before it is asked for.
 *
 * @example
 * ```ts
 * import { windows } from "./window.ts";
 * import assert from "node:assert/strict";
 * const data = new Uint8Array([1, 2, 3, 4, 5]);
 * const w = windows(async (b, o) => b.set(data.subarray(o, o + b.length)), 5, 2);
 * assert((await w.at(0)).join() === "1,2" && (await w.at(2)).join() === "3,4");
 * assert((await w.at(3)).join() === "4,5");
 * ```
 */
export function windows(
  readInto: ReadInto,
  total: number,
  size: number,
): { at(offset: number): Promise<Uint8Array>; prefetch(offset: number): void } {
  // Room before each window for the tail of the last one.
  const slack = Math.min(size, 1 << 20, total);
  const bufs = [new Uint8Array(0), new Uint8Array(0)];
  let cur = 0;
  let last: Uint8Array | undefined;
  let lastStart = 0;
  let ahead: { offset: number; buf: number; done: Promise<Uint8Array> } | undefined;
  const load = (slot: number, offset: number): Promise<Uint8Array> => {
    const len = Math.min(size, total - offset);
    if (bufs[slot].length < slack + len) bufs[slot] = new Uint8Array(slack + Math.min(size, total));
    const view = bufs[slot].subarray(slack, slack + len);
    return readInto(view, offset).then(() => view);
  };
  return {
    prefetch(offset) {
      // The first window, read while the caller does something else; a wrong guess is read
      // again by `at`.
      if (ahead || last || !(offset >= 0 && offset < total)) return;
      const done = load(1 - cur, offset);
      done.catch(() => {}); // awaited by the next call, which sees its error
      ahead = { offset, buf: 1 - cur, done };
    },
    async at(offset) {
      let view: Uint8Array;
      const next = 1 - cur;
      const tail = ahead && last ? ahead.offset - offset : -1;
      if (ahead && ahead.offset === offset) {
        view = await ahead.done;
        cur = ahead.buf;
      } else if (
        ahead && last && tail > 0 && tail <= slack && offset >= lastStart &&
        lastStart + last.length === ahead.offset
      ) {
        // The last window's bytes from `offset` go in front of the read-ahead.
        const got = await ahead.done;
        const b = bufs[ahead.buf];
        b.set(last.subarray(offset - lastStart), slack - tail);
        view = b.subarray(slack - tail, slack + got.length);
        cur = ahead.buf;
      } else {
        // One read at a time: a wrong guess finishes before its buffer is read into again.
        if (ahead) await ahead.done.catch(() => {});
        view = await load(next, offset);
        cur = next;
      }
      ahead = undefined;
      last = view;
      lastStart = offset;
      const following = offset + view.length;
      if (following < total) {
        const done = load(1 - cur, following);
        done.catch(() => {}); // awaited by the next call, which sees its error
        ahead = { offset: following, buf: 1 - cur, done };
      }
      return view;
    },
  };
}
