import assert from "node:assert/strict";
import { concat } from "./bytes.ts";
import { sha256 } from "../hash/sha256.ts";
import { computeVeri, createVeriHash, veriPart } from "./veri.ts";
import { packContainer } from "./writer.ts";
import type { BlockInput } from "./types.ts";
import { walkChunks } from "./chunk.ts";

const blocks: BlockInput[] = Array.from({ length: 40 }, (_, i) => ({
  track_id: i % 3 ? "video" : "audio",
  pts_us: i * 33_333,
  kind: "I",
  keyframe: i % 10 === 0,
  payload: new Uint8Array(3000 + i * 97).fill(i),
}));

Deno.test("veri: which chunks enter by their hash (H4-INT-005)", () => {
  for (const tag of ["SEGM", "CORE"]) {
    assert.equal(veriPart(2, tag), "digest");
    assert.equal(veriPart(1, tag), "bytes");
  }
  for (const tag of ["BIDX", "BHSH", "META", "XTRA", "LIVC"]) {
    assert.equal(veriPart(2, tag), "bytes");
  }
});

Deno.test("veri: v1 is the SHA-256 of bytes 8..VERI, as the original format", async () => {
  const f = await packContainer(blocks, { profile: "v1" });
  const at = f.length - 172 - 44;
  assert.deepEqual(computeVeri(f, at), sha256(f.subarray(8, at)));
  assert.deepEqual(f.subarray(at + 12, at + 44), computeVeri(f, at));
});

Deno.test("veri: v2 replaces each storage payload by its SHA-256, after the domain and header", async () => {
  const f = await packContainer(blocks, { segmentTarget: 20_000 });
  const at = f.length - 172 - 44;
  const before = walkChunks(f.subarray(0, at));
  const parts = [new TextEncoder().encode("H4MK-VERI-2"), f.subarray(0, 8)];
  let segments = 0;
  for (const c of before) {
    const isSegm = c.tag === "SEGM";
    segments += isSegm ? 1 : 0;
    parts.push(f.subarray(c.offset, c.offset + 12), isSegm ? sha256(c.payload) : c.payload);
  }
  assert.ok(segments > 3);
  const want = sha256(concat(parts));
  assert.deepEqual(computeVeri(f, at), want);
  assert.deepEqual(f.subarray(at + 12, at + 44), want, "the writer's VERI");
  // The incremental form, fed a chunk's hash directly, gives the same digest.
  const v = createVeriHash(2, f.subarray(0, 8));
  for (const c of before) {
    const head = f.subarray(c.offset, c.offset + 12);
    if (c.tag === "SEGM") v.digest(head, sha256(c.payload));
    else v.bytes(f.subarray(c.offset, c.offset + 12 + c.length));
  }
  assert.deepEqual(v.finish(), want);
});

Deno.test("veri: a changed payload byte changes a v2 VERI", async () => {
  const f = await packContainer(blocks, { segmentTarget: 20_000 });
  const at = f.length - 172 - 44;
  const g = f.slice();
  g[100] ^= 1;
  assert.notDeepEqual(computeVeri(g, at), computeVeri(f, at));
});
