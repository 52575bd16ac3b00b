import assert from "node:assert/strict";
import { buildFtyp, mdatHeader } from "./mp4_mux.ts";

Deno.test("ftyp and mdat headers", () => {
  const f = buildFtyp({
    major_brand: "isom",
    minor_version: 512,
    compatible_brands: ["isom", "avc1"],
  });
  assert.equal(new TextDecoder().decode(f.subarray(4, 12)), "ftypisom");
  assert.equal(new DataView(f.buffer).getUint32(0), f.length);
  assert.deepEqual([...mdatHeader(10)], [0, 0, 0, 18, 0x6d, 0x64, 0x61, 0x74]);
  const big = mdatHeader(2 ** 32);
  const v = new DataView(big.buffer);
  assert.equal(v.getUint32(0), 1);
  assert.equal(v.getUint32(8) * 2 ** 32 + v.getUint32(12), 2 ** 32 + 16);
});
