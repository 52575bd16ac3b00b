import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { bytes } from "../gen/common.ts";
import { adler32, zlibFixed, zlibStored } from "./zlib.ts";

async function inflateStream(z: Uint8Array): Promise<Uint8Array> {
  const ds = new DecompressionStream("deflate");
  const w = ds.writable.getWriter();
  w.write(z as Uint8Array<ArrayBuffer>).catch(() => {});
  w.close().catch(() => {});
  return new Uint8Array(await new Response(ds.readable).arrayBuffer());
}

Deno.test("zlib: fixed-Huffman and stored streams inflate back, with zlib and DecompressionStream", async () => {
  const inputs = [
    new Uint8Array(),
    new Uint8Array(1000),
    bytes(1, 3000, "runs"),
    bytes(2, 777),
    bytes(3, 70_000, "text"),
  ];
  for (const d of inputs) {
    for (const z of [zlibFixed(d), zlibStored(d), zlibStored(d, 100)]) {
      assert.deepEqual(new Uint8Array(inflateSync(z)), d);
      assert.deepEqual(await inflateStream(z), d);
    }
  }
});

Deno.test("zlib: runs compress, output is deterministic", () => {
  assert.ok(zlibFixed(new Uint8Array(1 << 20)).length < 8000);
  assert.deepEqual(zlibFixed(bytes(5, 500, "runs")), zlibFixed(bytes(5, 500, "runs")));
  assert.equal(adler32(new TextEncoder().encode("Wikipedia")), 0x11e60398);
});
