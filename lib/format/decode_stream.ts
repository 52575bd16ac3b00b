/**
 * Payload decoding as a stream, for answers too large to hold: the output is produced as it is
 * read, in pieces of at most about 1 MiB, so a block of 1 GiB costs the same memory as one of
 * 1 MiB. The checks are those of {@linkcode decodePayload} (H4-COD-002): a stream that decodes
 * to more or fewer bytes than `plainLength`, or is malformed, errors with `H4_CODEC_ERROR`
 * instead of ending.
 *
 * @module
 */

import type { CodecName } from "./types.ts";
import { H4Error } from "./errors.ts";

/** Output piece of the `none` and `rle` codecs. */
const OUT_PIECE = 64 * 1024;
/** Input piece of `deflate`: one piece inflates to at most about 1 MiB. */
const IN_PIECE = 1024;

const codecError = (codec: string, message: string, cause?: unknown) =>
  new H4Error("H4_CODEC_ERROR", `${codec}: ${message}`, { rule: "H4-COD-002", cause });

/**
 * Decodes stored (decrypted) bytes as a stream of exactly `plainLength` bytes. Errors that
 * can be seen before any output (a wrong `none` length, an odd or too short `rle` input) are
 * thrown at once; the others error the stream.
 *
 * @example
 * ```ts
 * import { decodePayloadStream } from "./decode_stream.ts";
 * import assert from "node:assert/strict";
 * const s = decodePayloadStream("rle", new Uint8Array([7, 200, 7, 100]), 300);
 * assert((await new Response(s).bytes()).length === 300);
 * ```
 */
export function decodePayloadStream(
  codec: CodecName,
  stored: Uint8Array,
  plainLength: number,
): ReadableStream<Uint8Array> {
  if (codec === "none") {
    if (stored.length !== plainLength) {
      throw codecError("none", `${stored.length} bytes, plain length is ${plainLength}`);
    }
    let at = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= stored.length) return controller.close();
        controller.enqueue(stored.subarray(at, at + OUT_PIECE));
        at += OUT_PIECE;
      },
    }, { highWaterMark: 0 });
  }
  if (codec === "rle") return rleStream(stored, plainLength);
  return inflateStream(stored, plainLength);
}

function rleStream(stored: Uint8Array, plainLength: number): ReadableStream<Uint8Array> {
  if (stored.length % 2 !== 0) throw codecError("rle", `odd stored length ${stored.length}`);
  if (plainLength > (stored.length / 2) * 255) {
    throw codecError("rle", `${stored.length} stored bytes cannot decode to ${plainLength}`);
  }
  let i = 0;
  let o = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const out = new Uint8Array(Math.min(OUT_PIECE, Math.max(0, plainLength - o) || 1));
      let n = 0;
      while (i < stored.length && n + stored[i + 1] <= out.length) {
        const run = stored[i + 1];
        if (run === 0) return controller.error(codecError("rle", `run of 0 at byte ${i + 1}`));
        if (o + n + run > plainLength) break;
        out.fill(stored[i], n, n + run);
        n += run;
        i += 2;
      }
      if (n === 0) {
        // Nothing fitted: the input ended, or the next run passes the plain length.
        if (i < stored.length) {
          return controller.error(codecError("rle", `output exceeds plain length ${plainLength}`));
        }
        if (o !== plainLength) {
          return controller.error(
            codecError("rle", `decoded ${o} bytes, plain length is ${plainLength}`),
          );
        }
        return controller.close();
      }
      o += n;
      controller.enqueue(out.subarray(0, n));
    },
  }, { highWaterMark: 0 });
}

function inflateStream(stored: Uint8Array, plainLength: number): ReadableStream<Uint8Array> {
  if (stored.length === 0) throw codecError("deflate", "empty input is not a zlib stream");
  const ds = new DecompressionStream("deflate");
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  let stop = false;
  // The feeder waits on each write: the transform takes the next piece only when the
  // previous output has been read, so at most one piece's output is held.
  const feeding = (async () => {
    for (let o = 0; o < stored.length && !stop; o += IN_PIECE) {
      await writer.write(stored.slice(o, o + IN_PIECE) as Uint8Array<ArrayBuffer>);
    }
    if (!stop) await writer.close();
  })();
  feeding.catch(() => {});
  let n = 0;
  const adler = adler32();
  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, e: H4Error) => {
    stop = true;
    reader.cancel().catch(() => {});
    writer.abort().catch(() => {});
    controller.error(e);
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (e) {
        const msg = String((e as Error)?.message ?? e).split("\n")[0];
        return fail(controller, codecError("deflate", `malformed zlib stream (${msg})`, e));
      }
      if (r.done) {
        // The runtime's inflater ends without checking the zlib trailer: check it here, so
        // a stream cut before its Adler-32 is an error, as in decodePayload.
        const t = stored.length - 4;
        const trailer = t >= 2
          ? ((stored[t] << 24) | (stored[t + 1] << 16) | (stored[t + 2] << 8) | stored[t + 3]) >>>
            0
          : -1;
        if (n === plainLength && trailer !== adler.value()) {
          return fail(controller, codecError("deflate", "zlib stream without a valid Adler-32"));
        }
        if (n !== plainLength) {
          return fail(
            controller,
            codecError("deflate", `decoded ${n} bytes, plain length is ${plainLength}`),
          );
        }
        return controller.close();
      }
      n += r.value.length;
      adler.update(r.value);
      if (n > plainLength) {
        return fail(
          controller,
          codecError("deflate", `output exceeds plain length ${plainLength}`),
        );
      }
      controller.enqueue(r.value);
    },
    cancel() {
      stop = true;
      reader.cancel().catch(() => {});
      writer.abort().catch(() => {});
    },
  }, { highWaterMark: 0 });
}

/** Adler-32 (RFC 1950) computed piece by piece. */
function adler32(): { update(b: Uint8Array): void; value(): number } {
  let a = 1;
  let b = 0;
  return {
    update(bytes) {
      let x = a;
      let y = b;
      const len = bytes.length;
      let i = 0;
      while (i < len) {
        // 5552 bytes is the most that can be summed before the modulo without overflow.
        const end = i + 5552 < len ? i + 5552 : len;
        for (; i < end; i++) {
          x += bytes[i];
          y += x;
        }
        x %= 65521;
        y %= 65521;
      }
      a = x;
      b = y;
    },
    value: () => ((b << 16) | a) >>> 0,
  };
}
