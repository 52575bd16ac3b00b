import assert from "node:assert/strict";
import { decodePayload, encodePayload } from "./codec.ts";
import { decodePayloadStream } from "./decode_stream.ts";
import { H4Error } from "./errors.ts";
import type { CodecName } from "./types.ts";

const CODECS: CodecName[] = ["none", "rle", "deflate"];

async function drain(s: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return await new Response(s).bytes();
}

async function codeOf(f: () => ReadableStream<Uint8Array>): Promise<string> {
  try {
    await drain(f());
    return "ok";
  } catch (e) {
    return e instanceof H4Error ? e.code : `not an H4Error: ${e}`;
  }
}

Deno.test("decodePayloadStream: the same bytes as decodePayload, every codec and size", async () => {
  for (const size of [0, 1, 255, 256, 70_000, 300_000]) {
    const plain = new Uint8Array(size);
    for (let i = 0; i < size; i++) plain[i] = (i * 7) % 13 < 6 ? 0 : (i * 31) & 255;
    for (const codec of CODECS) {
      if (codec === "deflate" && size === 0) continue;
      const stored = await encodePayload(codec, plain);
      const want = await decodePayload(codec, stored, size);
      assert.deepEqual(await drain(decodePayloadStream(codec, stored, size)), want, codec);
    }
  }
});

Deno.test("decodePayloadStream: a wrong plain length or malformed input is H4_CODEC_ERROR", async () => {
  const plain = new Uint8Array(100_000).fill(3);
  for (const codec of CODECS) {
    const stored = await encodePayload(codec, plain);
    for (const n of [0, 99_999, 100_001, 5_000_000]) {
      assert.equal(await codeOf(() => decodePayloadStream(codec, stored, n)), "H4_CODEC_ERROR");
    }
  }
  const z = await encodePayload("deflate", plain);
  const junk = new Uint8Array(z.length + 3);
  junk.set(z);
  for (const bad of [z.subarray(0, z.length - 5), junk, new Uint8Array([1, 2, 3])]) {
    assert.equal(
      await codeOf(() => decodePayloadStream("deflate", bad, 100_000)),
      "H4_CODEC_ERROR",
    );
  }
  assert.equal(
    await codeOf(() => decodePayloadStream("rle", new Uint8Array([1, 0]), 1)),
    "H4_CODEC_ERROR",
  );
  assert.equal(
    await codeOf(() => decodePayloadStream("rle", new Uint8Array([1]), 1)),
    "H4_CODEC_ERROR",
  );
});

Deno.test("decodePayloadStream: pieces are small and produced only when read", async () => {
  // 64 MiB of zeros in about 64 KiB of deflate: the first read holds at most about 1 MiB.
  const zlib = await import("node:zlib");
  const plainLength = 64 << 20;
  const stored = new Uint8Array(zlib.deflateSync(new Uint8Array(plainLength)));
  const reader = decodePayloadStream("deflate", stored, plainLength).getReader();
  let n = 0;
  let biggest = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.length;
    biggest = Math.max(biggest, value.length);
  }
  assert.equal(n, plainLength);
  assert.ok(biggest <= 2 << 20, `a piece of ${biggest} bytes`);
});
