import assert from "node:assert/strict";
import { checkChunkCrc, encodeChunk, encodeChunkHeader, parseChunkHeader } from "./chunk.ts";
import { crc32 } from "../hash/crc32.ts";
import { throwsH4 } from "./testdata/helpers.ts";

Deno.test("chunk: layout is tag, u32 length, u32 CRC of the payload, payload", () => {
  const payload = new TextEncoder().encode("hello");
  const c = encodeChunk("META", payload);
  assert.equal(c.length, 17);
  assert.equal(new TextDecoder().decode(c.subarray(0, 4)), "META");
  const v = new DataView(c.buffer);
  assert.equal(v.getUint32(4), 5);
  assert.equal(v.getUint32(8), crc32(payload));
  assert.equal(v.getUint32(8), 0x3610a686);
  assert.deepEqual(c.subarray(12), payload);
  // Empty payload: CRC of nothing is 0.
  assert.deepEqual([...encodeChunk("SEEK", new Uint8Array(0)).subarray(4)], new Array(8).fill(0));
});

Deno.test("chunk: header round trip, including from a subarray", () => {
  const c = encodeChunk("SEGM", new Uint8Array(300).fill(1));
  const padded = new Uint8Array(c.length + 50);
  padded.set(c, 50);
  const h = parseChunkHeader(padded.subarray(50, 62), 1000, 1000 + c.length);
  assert.deepEqual(h, { offset: 1000, tag: "SEGM", length: 300, crc: crc32(c.subarray(12)) });
  checkChunkCrc(h, c.subarray(12));
  // Exactly fitting the file is fine, one byte short is an overrun.
  throwsH4(() => parseChunkHeader(c, 1000, 1000 + c.length - 1), "H4_CHUNK_OVERRUN", "H4-FMT-010");
});

Deno.test("chunk: encodeChunkHeader refuses tags that are not 4 printable ASCII bytes", () => {
  for (const tag of ["ABC", "ABCDE", "", "AB\x00C", "AB\x7fC", "\u00c4BCD", "AB\nC"]) {
    throwsH4(() => encodeChunkHeader(tag, 0, 0), "H4_BAD_ARGUMENT");
    throwsH4(() => encodeChunk(tag, new Uint8Array(1)), "H4_BAD_ARGUMENT");
  }
  // Space and tilde are the bounds of printable ASCII.
  assert.equal(encodeChunkHeader("  ~~", 0, 0).length, 12);
});

Deno.test("chunk: parse errors carry their codes and rules", () => {
  // Fewer than 12 bytes (H4-FMT-012).
  for (let n = 0; n < 12; n++) {
    const e = throwsH4(
      () => parseChunkHeader(new Uint8Array(n).fill(0x41), 20, 100),
      "H4_TRUNCATED",
      "H4-FMT-012",
    );
    assert.equal(e.offset, 20);
  }
  // Tag bytes outside 0x20..0x7E (H4-FMT-014).
  for (const b of [0x00, 0x1f, 0x7f, 0x80, 0xff]) {
    for (let at = 0; at < 4; at++) {
      const h = encodeChunkHeader("META", 0, 0);
      h[at] = b;
      throwsH4(() => parseChunkHeader(h, 8, 100), "H4_BAD_CHUNK", "H4-FMT-014");
    }
  }
  // A length running past the end: refused from the header alone (H4-FMT-010).
  const e = throwsH4(
    () => parseChunkHeader(encodeChunkHeader("CORE", 0xffffffff, 0), 8, 1000),
    "H4_CHUNK_OVERRUN",
    "H4-FMT-010",
  );
  assert.equal(e.offset, 8);
  assert.equal(e.chunk, "CORE");
  // A wrong CRC (H4-FMT-011).
  const c = encodeChunk("TRKS", Uint8Array.of(1, 2, 3));
  const h = parseChunkHeader(c, 8, 8 + c.length);
  const e2 = throwsH4(
    () => checkChunkCrc(h, Uint8Array.of(1, 2, 4)),
    "H4_CRC_MISMATCH",
    "H4-FMT-011",
  );
  assert.equal(e2.chunk, "TRKS");
  assert.equal(e2.offset, 8);
});

Deno.test("chunk: walkSource reads every chunk and stops at broken framing with the rule", async () => {
  const { walkChunks } = await import("./chunk.ts");
  const { walkSource } = await import("./chunk_walk.ts");
  const { bytesSource } = await import("./byte_source.ts");
  const { rejectsH4 } = await import("./testdata/helpers.ts");
  const head = new Uint8Array([0x48, 0x34, 0x4d, 0x4b, 0, 2, 0, 0]);
  const file = new Uint8Array([
    ...head,
    ...encodeChunk("META", new Uint8Array(2)),
    ...encodeChunk("XTRA", new Uint8Array(0)),
  ]);
  const seen = [];
  for await (const c of walkSource(bytesSource(file))) seen.push(c);
  assert.deepEqual(
    seen.map((c) => [c.offset, c.tag, c.length, c.payload.length]),
    walkChunks(file).map((c) => [c.offset, c.tag, c.length, c.payload.length]),
  );
  const drain = async (b: Uint8Array) => {
    for await (const _ of walkSource(bytesSource(b))) { /* walk */ }
  };
  await rejectsH4(drain(new Uint8Array([...file, 1, 2, 3])), "H4_TRUNCATED", "H4-FMT-012");
  const over = file.slice(0, 8 + 12 + 1);
  await rejectsH4(drain(over), "H4_CHUNK_OVERRUN", "H4-FMT-010");
  const badTag = file.slice();
  badTag[8] = 0x01;
  await rejectsH4(drain(badTag), "H4_BAD_CHUNK", "H4-FMT-014");
});

Deno.test("chunk: walkHeaders reads only headers, and walkSource is it with the payloads", async () => {
  const { walkHeaders, walkSource } = await import("./chunk_walk.ts");
  const { bytesSource } = await import("./byte_source.ts");
  const { rejectsH4 } = await import("./testdata/helpers.ts");
  const file = new Uint8Array([
    ...[0x48, 0x34, 0x4d, 0x4b, 0, 2, 0, 0],
    ...encodeChunk("SEGM", new Uint8Array(1000)),
    ...encodeChunk("META", new Uint8Array(2)),
  ]);
  const inner = bytesSource(file);
  const reads: number[][] = [];
  const src = {
    size: inner.size,
    read: (o: number, n: number) => (reads.push([o, n]), inner.read(o, n)),
  };
  const heads = [];
  for await (const h of walkHeaders(src)) heads.push(h);
  assert.deepEqual(heads.map((h) => [h.offset, h.tag, h.length]), [[8, "SEGM", 1000], [
    1020,
    "META",
    2,
  ]]);
  assert.deepEqual(reads, [[8, 12], [1020, 12]]);
  const viewed = [];
  for await (const c of walkSource(inner)) viewed.push({ ...c, payload: undefined });
  assert.deepEqual(viewed, heads.map((h) => ({ ...h, payload: undefined })));
  const drain = async (b: Uint8Array) => {
    for await (const _ of walkHeaders(bytesSource(b))) { /* walk */ }
  };
  await rejectsH4(drain(file.subarray(0, file.length - 1)), "H4_CHUNK_OVERRUN", "H4-FMT-010");
  await rejectsH4(drain(new Uint8Array([...file, 0])), "H4_TRUNCATED", "H4-FMT-012");
});
