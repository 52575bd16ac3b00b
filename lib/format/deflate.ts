/**
 * The `deflate` codec, SPEC.md section 5: a zlib stream (RFC 1950). Encoding uses the
 * platform's CompressionStream, so browsers need nothing extra. Decoding uses `node:zlib`
 * where the runtime has it (bounded output, exact end-of-stream checks) and otherwise feeds
 * DecompressionStream in small pieces so a zip bomb is stopped after a bounded amount of
 * output.
 *
 * @module
 */
import { concat } from "./bytes.ts";
import { H4Error } from "./errors.ts";
import { native } from "../hash/native.ts";

const codecError = (message: string, cause?: unknown) =>
  new H4Error("H4_CODEC_ERROR", `deflate: ${message}`, { rule: "H4-COD-002", cause });

/** Input is fed in pieces this small; one piece inflates to at most about 1 MiB. */
const PIECE = 1024;

async function pipe(
  data: Uint8Array,
  ts: { writable: WritableStream<BufferSource>; readable: ReadableStream<Uint8Array> },
  limit: number,
  piece: number,
): Promise<Uint8Array> {
  const writer = ts.writable.getWriter();
  const reader = ts.readable.getReader();
  let stop = false;
  const feeding = (async () => {
    for (let o = 0; o < data.length && !stop; o += piece) {
      await writer.write(data.slice(o, o + piece) as Uint8Array<ArrayBuffer>);
    }
    if (!stop) await writer.close();
  })();
  feeding.catch(() => {});
  const parts: Uint8Array[] = [];
  let n = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      n += value.length;
      if (n > limit) throw codecError(`output exceeds plain length ${limit}`);
      parts.push(value);
    }
    await feeding;
  } catch (e) {
    stop = true;
    await reader.cancel().catch(() => {});
    await writer.abort().catch(() => {});
    throw e;
  }
  return concat(parts);
}

/**
 * Compresses to a zlib stream.
 *
 * @example
 * ```ts
 * import { deflateEncode } from "./deflate.ts";
 * import assert from "node:assert/strict";
 * assert((await deflateEncode(new Uint8Array(1000))).length < 100);
 * ```
 */
export function deflateEncode(data: Uint8Array): Promise<Uint8Array> {
  // One write: CompressionStream may flush per write, and the output must not depend on it.
  return pipe(
    data,
    new CompressionStream("deflate"),
    Number.MAX_SAFE_INTEGER,
    Math.max(1, data.length),
  );
}

/**
 * Decompresses a zlib stream that must decode to exactly `plainLength` bytes and end exactly
 * at the end of `stored` (H4-COD-002). Output beyond `plainLength` is never produced in full.
 *
 * @example
 * ```ts
 * import { deflateDecode, deflateEncode } from "./deflate.ts";
 * import assert from "node:assert/strict";
 * const z = await deflateEncode(new Uint8Array(10));
 * assert((await deflateDecode(z, 10)).length === 10);
 * ```
 */
export async function deflateDecode(stored: Uint8Array, plainLength: number): Promise<Uint8Array> {
  let out: Uint8Array;
  const inflateSync = native.inflateSync;
  if (inflateSync) {
    let r;
    try {
      r = inflateSync(stored, { maxOutputLength: plainLength + 1, info: true });
    } catch (e) {
      const msg = String((e as Error)?.message ?? e).split("\n")[0];
      throw e instanceof RangeError
        ? codecError(`output exceeds plain length ${plainLength}`, e)
        : codecError(`malformed zlib stream (${msg})`, e);
    }
    if (r.engine.bytesWritten !== stored.length) {
      throw codecError(
        `${stored.length - r.engine.bytesWritten} bytes after the end of the zlib stream`,
      );
    }
    out = new Uint8Array(r.buffer.buffer, r.buffer.byteOffset, r.buffer.length);
  } else {
    if (stored.length === 0) throw codecError("empty input is not a zlib stream");
    try {
      out = await pipe(stored, new DecompressionStream("deflate"), plainLength, PIECE);
    } catch (e) {
      if (e instanceof H4Error) throw e;
      const msg = String((e as Error)?.message ?? e).split("\n")[0];
      throw codecError(`malformed zlib stream (${msg})`, e);
    }
  }
  if (out.length !== plainLength) {
    throw codecError(`decoded ${out.length} bytes, plain length is ${plainLength}`);
  }
  return out;
}
