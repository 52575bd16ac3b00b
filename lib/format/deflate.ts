/**
 * The `deflate` codec, SPEC.md section 5: a zlib stream (RFC 1950) made and read with the
 * platform's CompressionStream, so browsers need nothing extra.
 *
 * @module
 */
import { H4Error } from "./errors.ts";

async function collect(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  const reader = stream.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    n += value.length;
    if (n > limit) {
      await reader.cancel().catch(() => {});
      throw new H4Error("H4_CODEC_ERROR", `deflate: output exceeds plain length ${limit}`, {
        rule: "H4-COD-002",
      });
    }
    parts.push(value);
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function run(
  data: Uint8Array,
  ts: { writable: WritableStream<BufferSource>; readable: ReadableStream<Uint8Array> },
): ReadableStream<Uint8Array> {
  const writer = ts.writable.getWriter();
  writer.write(data as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  return ts.readable;
}

/**
 * Compresses to a zlib stream.
 *
 * @example
 * ```ts
 * import { deflateEncode } from "./deflate.ts";
 * console.assert((await deflateEncode(new Uint8Array(1000))).length < 100);
 * ```
 */
export function deflateEncode(data: Uint8Array): Promise<Uint8Array> {
  return collect(run(data, new CompressionStream("deflate")), Number.MAX_SAFE_INTEGER);
}

/**
 * Decompresses a zlib stream that must decode to exactly `plainLength` bytes; stops as soon as
 * the output would exceed it (H4-COD-002).
 *
 * @example
 * ```ts
 * import { deflateDecode, deflateEncode } from "./deflate.ts";
 * const z = await deflateEncode(new Uint8Array(10));
 * console.assert((await deflateDecode(z, 10)).length === 10);
 * ```
 */
export async function deflateDecode(stored: Uint8Array, plainLength: number): Promise<Uint8Array> {
  let out: Uint8Array;
  try {
    out = await collect(run(stored, new DecompressionStream("deflate")), plainLength);
  } catch (e) {
    if (e instanceof H4Error) throw e;
    throw new H4Error(
      "H4_CODEC_ERROR",
      `deflate: malformed zlib stream (${String((e as Error)?.message ?? e).split("\n")[0]})`,
      {
        rule: "H4-COD-002",
        cause: e,
      },
    );
  }
  if (out.length !== plainLength) {
    throw new H4Error(
      "H4_CODEC_ERROR",
      `deflate: decoded ${out.length} bytes, plain length is ${plainLength}`,
      {
        rule: "H4-COD-002",
      },
    );
  }
  return out;
}
