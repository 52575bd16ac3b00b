import assert from "node:assert/strict";
import { concat } from "./bytes.ts";
import { walkChunks } from "./chunk.ts";
import { encodePayload } from "./codec.ts";
import { CODEC_IDS, KIND_IDS } from "./constants.ts";
import { crc32 } from "../hash/crc32.ts";
import { H4Error } from "./errors.ts";
import { decodeSeekm } from "./seekm.ts";
import { sha256 } from "../hash/sha256.ts";
import {
  avBlocks,
  blk,
  fakeSealer,
  type ParsedFile,
  parseFile,
  payload,
  rejectsH4,
  rejectsH4Any,
} from "./testdata/helpers.ts";
import type { BlockContext, BlockInput, ByteSink, CodecName } from "./types.ts";
import { createWriter, packContainer, writeContainer, type WriterOptions } from "./writer.ts";

const CODECS: CodecName[] = ["none", "deflate", "rle"];
const sink = (): ByteSink & { parts: Uint8Array[] } => {
  const parts: Uint8Array[] = [];
  return { parts, write: (b) => void parts.push(b.slice()) };
};

/** Blocks of three tracks with unicode ids, negative pts, B-frames and an empty payload. */
function mixedBlocks(): BlockInput[] {
  const out = avBlocks(24, 8);
  out.push(blk("\u97f3\u58f0", -5, "I", true, new Uint8Array(0)));
  out.push(blk("\u97f3\u58f0", 10, "I", true, payload(9, 300)));
  out.push(blk("vid\u00e9o", 0, "I", true, payload(10, 1000), "rle"));
  out.push(blk("vid\u00e9o", 100, "P", false, payload(11, 10), "deflate"));
  out.push(blk("vid\u00e9o", 50, "B", false, payload(12, 10), "none"));
  return out;
}

async function* gen(blocks: BlockInput[]): AsyncGenerator<BlockInput> {
  for (const x of blocks) yield x;
}

Deno.test("writer: the same blocks and options always give the same bytes", async () => {
  const blocks = mixedBlocks();
  for (const profile of ["v1", "v2"] as const) {
    for (const codec of CODECS) {
      const opts: WriterOptions = {
        profile,
        codec,
        meta: { title: "t" },
        safe: { policy: "p" },
        legacyTrak: profile === "v1",
        blocksPerPage: 5,
        hashesPerPage: 3,
      };
      const a = await packContainer(blocks, opts);
      const b = await packContainer(
        blocks.map((x) => ({ ...x, payload: x.payload.slice() })),
        opts,
      );
      assert.deepEqual(a, b, `${profile} ${codec}`);
      // An async iterable and a writer whose adds are not awaited give the same bytes.
      const s = sink();
      await writeContainer(s, gen(blocks), opts);
      assert.deepEqual(concat(s.parts), a);
      const s2 = sink();
      const w = createWriter(s2, opts);
      const adds = blocks.map((x) => w.add(x));
      const summary = await w.finish();
      await Promise.all(adds);
      assert.deepEqual(concat(s2.parts), a);
      assert.equal(summary.bytes, a.length);
    }
  }
});

/**
 * VERI as SPEC.md section 9 defines it, written out here: v1, the SHA-256 of bytes 8..VERI; v2
 * (H4-INT-005), the SHA-256 of "H4MK-VERI-2", the header and every chunk before VERI, with a
 * storage chunk's payload replaced by its SHA-256.
 */
function specVeri(bytes: Uint8Array, veriAt: number): Uint8Array {
  if (bytes[5] === 1) return sha256(bytes.subarray(8, veriAt));
  const parts = [new TextEncoder().encode("H4MK-VERI-2"), bytes.subarray(0, 8)];
  // The chunks before VERI, found by the one walker; the hashing stays written out, apart from
  // veri.ts, so that the writer is checked against the text of the section.
  const chunks = walkChunks(bytes.subarray(0, veriAt));
  const last = chunks.at(-1);
  assert.equal(last ? last.offset + 12 + last.length : 8, veriAt, "chunks frame up to VERI");
  for (const c of chunks) {
    parts.push(bytes.subarray(c.offset, c.offset + 12));
    parts.push(c.tag === "SEGM" || c.tag === "CORE" ? sha256(c.payload) : c.payload);
  }
  return sha256(concat(parts));
}

function checkFraming(bytes: Uint8Array, f: ParsedFile): void {
  // Every chunk's CRC; VERI as section 9 defines it; LOCA is the last 172 bytes.
  for (const c of f.chunks) assert.equal(crc32(c.payload), c.crc, `${c.tag} at ${c.offset}`);
  const last = f.chunks[f.chunks.length - 1];
  const veri = f.chunks[f.chunks.length - 2];
  assert.equal(last.tag, "LOCA");
  assert.equal(last.offset, bytes.length - 172);
  assert.equal(last.length, 160);
  assert.equal(veri.tag, "VERI");
  assert.deepEqual(veri.payload, specVeri(bytes, veri.offset));
  const end = f.chunks.reduce((n, c) => Math.max(n, c.offset + 12 + c.length), 8);
  assert.equal(end, bytes.length, "chunks run back to back to the end");
  // LOCA slots point at their chunks.
  for (const [slot, ref] of Object.entries(f.loca.slots)) {
    if (!ref) continue;
    const c = f.chunks.find((x) => x.offset === ref.offset);
    assert.ok(c, `slot ${slot}`);
    assert.equal(c.tag, slot);
    assert.equal(c.length + 12, ref.length);
  }
}

Deno.test("writer: v2 layout (header, SEGM first from offset 20, table order, VERI, LOCA)", async () => {
  const blocks = avBlocks(20, 5);
  const s = sink();
  const summary = await writeContainer(s, blocks, { safe: { a: 1 }, segmentTarget: 300 });
  const bytes = concat(s.parts);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x48, 0x34, 0x4d, 0x4b, 0, 2, 0, 0]);
  const f = parseFile(bytes);
  checkFraming(bytes, f);
  const tags = f.chunks.map((c) => c.tag);
  const nSegm = tags.filter((t) => t === "SEGM").length;
  assert.ok(nSegm > 1);
  assert.deepEqual(tags.slice(0, nSegm), new Array(nSegm).fill("SEGM"));
  assert.deepEqual(tags.slice(nSegm), [
    "BIDX",
    "BHSH",
    "KSEK",
    "TDIR",
    "TRKS",
    "META",
    "SAFE",
    "VERI",
    "LOCA",
  ]);
  assert.equal(f.rows[0].offset, 20, "H4-FMT-020");
  assert.deepEqual(f.loca.header, bytes.subarray(0, 8));
  assert.equal(f.loca.flags, 0);
  assert.equal(f.loca.blockCount, blocks.length);
  assert.equal(f.loca.chunkCount, nSegm);
  assert.equal(f.loca.trackCount, 2);
  assert.deepEqual(summary, {
    profile: "v2",
    blocks: blocks.length,
    tracks: 2,
    chunks: nSegm,
    bytes: bytes.length,
    payloadBytes: blocks.reduce((n, b) => n + b.payload.length, 0),
    root: f.loca.root,
    veri: f.chunks[f.chunks.length - 2].payload,
  });
  // Each SEGM payload is exactly its blocks' stored bytes; BHSH holds each SEGM's hash.
  const segs = f.chunks.filter((c) => c.tag === "SEGM");
  segs.forEach((c, k) => {
    const mine = f.rows.filter((r) => r.chunk === k);
    assert.equal(mine[0].offset, c.offset + 12);
    assert.equal(mine[0].newChunk, 1);
    assert.ok(mine.slice(1).every((r) => r.newChunk === 0));
    assert.equal(mine.reduce((n, r) => n + r.stored, 0), c.length);
    assert.deepEqual(f.tables.BHSH.subarray(32 * k, 32 * k + 32), sha256(c.payload));
  });
  f.rows.forEach((r, i) => {
    assert.deepEqual(bytes.subarray(r.offset, r.offset + r.stored), blocks[i].payload);
  });
});

Deno.test("writer: v1 layout (one CORE per block, SEEK count 0, then the tables)", async () => {
  const blocks = avBlocks(6, 3);
  const bytes = await packContainer(blocks, { profile: "v1" });
  assert.deepEqual([...bytes.subarray(0, 8)], [0x48, 0x34, 0x4d, 0x4b, 0, 1, 0, 0]);
  const f = parseFile(bytes);
  checkFraming(bytes, f);
  const tags = f.chunks.map((c) => c.tag);
  assert.deepEqual(tags, [
    ...new Array(blocks.length).fill("CORE"),
    "SEEK",
    "BIDX",
    "BHSH",
    "KSEK",
    "TDIR",
    "TRKS",
    "META",
    "VERI",
    "LOCA",
  ]);
  assert.deepEqual([...f.chunks[blocks.length].payload], [0, 0, 0, 0], "SEEK count = 0");
  f.rows.forEach((r, i) => {
    assert.equal(r.newChunk, 1);
    assert.equal(r.chunk, i);
    assert.equal(r.offset, f.chunks[i].offset + 12);
    assert.deepEqual(f.chunks[i].payload, blocks[i].payload);
  });
  assert.equal(f.loca.chunkCount, blocks.length);
});

Deno.test("writer: every codec, per-block codecs, and the index fields", async () => {
  const blocks = mixedBlocks();
  for (const profile of ["v1", "v2"] as const) {
    for (const codec of CODECS) {
      const bytes = await packContainer(blocks, { profile, codec, blocksPerPage: 4 });
      const f = parseFile(bytes);
      // TRKS: ids in code point order, the writer's codec, counts.
      const ids = [...new Set(blocks.map((b) => b.track_id))].sort();
      assert.deepEqual(f.trks.map((t) => t.track_id), ids);
      for (const t of f.trks) {
        const mine = blocks.filter((b) => b.track_id === t.track_id);
        assert.equal(t.codec, codec);
        assert.equal(t.blocks, mine.length);
        assert.equal(t.keyframes, mine.filter((b) => b.keyframe).length);
      }
      for (const [i, b] of blocks.entries()) {
        const r = f.rows[i];
        const c = b.codec ?? codec;
        assert.equal(r.track_id, b.track_id);
        assert.equal(r.pts, b.pts_us);
        assert.equal(r.kind, KIND_IDS[b.kind]);
        assert.equal(r.keyframe, b.keyframe ? 1 : 0);
        assert.equal(r.codec, CODEC_IDS[c]);
        assert.equal(r.plain, b.payload.length);
        const stored = bytes.subarray(r.offset, r.offset + r.stored);
        assert.deepEqual(stored, await encodePayload(c, b.payload), `${profile} ${codec} ${i}`);
      }
    }
  }
});

Deno.test("writer: add after finish and a second finish are H4_BAD_ARGUMENT", async () => {
  const w = createWriter(sink());
  await w.add(blk("v", 0));
  await w.finish();
  await rejectsH4(w.add(blk("v", 1)), "H4_BAD_ARGUMENT");
  await rejectsH4(w.finish(), "H4_BAD_ARGUMENT");
});

Deno.test("writer: a failing sink fails the writer", async () => {
  let n = 0;
  const w = createWriter({
    write() {
      if (++n === 3) throw new H4Error("H4_IO", "disk full");
    },
  }, { profile: "v1" });
  await w.add(blk("v", 0)); // writes 1: header, 2: CORE 0
  await rejectsH4(w.add(blk("v", 1)), "H4_IO");
  await rejectsH4Any(w.add(blk("v", 2)), ["H4_BAD_ARGUMENT", "H4_IO"]);
  await rejectsH4Any(w.finish(), ["H4_BAD_ARGUMENT", "H4_IO"]);
});

Deno.test("writer: an empty container, v1 and v2", async () => {
  for (const profile of ["v1", "v2"] as const) {
    const s = sink();
    const summary = await writeContainer(s, [], { profile, codec: "rle" });
    const bytes = concat(s.parts);
    const f = parseFile(bytes);
    checkFraming(bytes, f);
    assert.equal(summary.blocks, 0);
    assert.equal(summary.tracks, 0);
    assert.equal(summary.chunks, 0);
    assert.equal(f.trks.length, 0);
    assert.equal(f.tables.BIDX.length, 0);
    assert.equal(f.tables.BHSH.length, 0);
    assert.deepEqual(f.tdir.bidxPageLengths, []);
    assert.deepEqual(f.tdir.bhshPageDigests, []);
    assert.deepEqual(f.ksek, []);
    assert.deepEqual(f.meta.tracks, []);
    assert.equal(f.meta.domain, "video-transport");
    assert.equal(f.chunks[0].tag, profile === "v1" ? "SEEK" : "BIDX");
    if (profile === "v1") {
      assert.deepEqual(decodeSeekm(Uint8Array.fromBase64(f.meta.seekm_b64 as string)), []);
    }
  }
});

Deno.test("writer: v2 segments close at the target; a bigger block gets a segment of its own", async () => {
  const blocks = [
    blk("v", 0, "I", true, payload(1, 40)),
    blk("v", 1, "P", false, payload(2, 40)),
    blk("v", 2, "P", false, payload(3, 150)), // bigger than the target
    blk("v", 3, "P", false, payload(4, 40)),
    blk("v", 4, "P", false, payload(5, 70)), // 40 + 70 > 100: closes
    blk("v", 5, "P", false, new Uint8Array(0)),
  ];
  const bytes = await packContainer(blocks, { segmentTarget: 100 });
  const f = parseFile(bytes);
  const segs = f.chunks.filter((c) => c.tag === "SEGM").map((c) => c.length);
  assert.deepEqual(segs, [80, 150, 40, 70]);
  assert.deepEqual(f.rows.map((r) => r.chunk), [0, 0, 1, 2, 3, 3]);
  assert.deepEqual(f.rows.map((r) => r.newChunk), [1, 0, 1, 1, 1, 0]);
  f.rows.forEach((r, i) =>
    assert.deepEqual(bytes.subarray(r.offset, r.offset + r.stored), blocks[i].payload)
  );
});

Deno.test("writer: v2 default segments: a keyframe closes one holding 64 KiB; 256 KiB target", async () => {
  const blocks = [
    blk("v", 0, "I", true, payload(1, 40_000)),
    blk("v", 1, "P", false, payload(2, 40_000)), // 80 000 >= 64 KiB, but not a keyframe
    blk("v", 2, "P", false, payload(3, 40_000)),
    blk("v", 3, "I", true, payload(4, 1000)), // closes: keyframe after >= 64 KiB
    blk("v", 4, "P", false, payload(5, 300_000)), // > 256 KiB: its own segment
    blk("v", 5, "P", false, payload(6, 10)),
  ];
  const f = parseFile(await packContainer(blocks));
  assert.deepEqual(f.chunks.filter((c) => c.tag === "SEGM").map((c) => c.length), [
    120_000,
    1000,
    300_000,
    10,
  ]);
});

Deno.test("writer: a payload reused by the caller after add resolves does not change the output", async () => {
  const sizes = [100, 70_000, 300_000];
  for (const profile of ["v1", "v2"] as const) {
    for (const segmentTarget of [undefined, 1000]) {
      const opts = { profile, segmentTarget };
      const fresh: BlockInput[] = [];
      for (let i = 0; i < 9; i++) {
        fresh.push(blk("v", i, i % 3 ? "P" : "I", i % 3 === 0, payload(i, sizes[i % 3])));
      }
      const want = await packContainer(fresh, opts);
      // One buffer, refilled for every block once add has resolved.
      const buf = new Uint8Array(300_000);
      const s = sink();
      const w = createWriter(s, opts);
      for (const b of fresh) {
        const view = buf.subarray(0, b.payload.length);
        view.set(b.payload);
        await w.add({ ...b, payload: view });
        buf.fill(0xee);
      }
      await w.finish();
      assert.deepEqual(concat(s.parts), want, `${profile} segmentTarget ${segmentTarget}`);
    }
  }
});

Deno.test("writer: a sink that holds bytes until its write resolves gets stable bytes", async () => {
  const blocks: BlockInput[] = [];
  for (let i = 0; i < 12; i++) {
    blocks.push(blk("v", i, "I", true, payload(i, [10, 70_000, 2000][i % 3])));
  }
  for (const profile of ["v1", "v2"] as const) {
    const want = await packContainer(blocks, { profile, segmentTarget: 5000 });
    const parts: Uint8Array[] = [];
    const lazy: ByteSink = {
      async write(b) {
        await new Promise((r) => setTimeout(r, 0));
        parts.push(b.slice()); // copied only when the write is about to resolve
      },
    };
    await writeContainer(lazy, blocks, { profile, segmentTarget: 5000 });
    assert.deepEqual(concat(parts), want);
  }
});

Deno.test("writer: a sealer gets each block's context and the root; LIVC and the flag are set", async () => {
  const log = { contexts: [] as BlockContext[], roots: [] as Uint8Array[] };
  const blocks = mixedBlocks();
  for (const profile of ["v1", "v2"] as const) {
    log.contexts.length = 0;
    log.roots.length = 0;
    const s = sink();
    const summary = await writeContainer(s, blocks, {
      profile,
      codec: "rle",
      sealer: fakeSealer(log),
    });
    const bytes = concat(s.parts);
    const f = parseFile(bytes);
    checkFraming(bytes, f);
    assert.equal(f.loca.flags, 1);
    assert.deepEqual(
      log.contexts,
      blocks.map((b, i) => ({
        index: i,
        track_id: b.track_id,
        pts_us: b.pts_us,
        kind: b.kind,
        keyframe: b.keyframe,
        codec: b.codec ?? "rle",
        plain_length: b.payload.length,
      })),
    );
    assert.equal(log.roots.length, 1, "finish is called once");
    assert.deepEqual(log.roots[0], summary.root);
    assert.deepEqual(log.roots[0], f.loca.root);
    assert.deepEqual(f.tables.LIVC, concat([new TextEncoder().encode("FAKE-LIVC"), summary.root]));
    const tags = f.chunks.map((c) => c.tag);
    assert.deepEqual(tags.slice(tags.indexOf("TRKS")), ["TRKS", "LIVC", "META", "VERI", "LOCA"]);
    // Stored = seal(compress(payload)); plain lengths are the payloads'.
    for (const [i, b] of blocks.entries()) {
      const r = f.rows[i];
      const enc = await encodePayload(b.codec ?? "rle", b.payload);
      assert.equal(r.stored, enc.length + 16);
      assert.equal(r.plain, b.payload.length);
      assert.deepEqual(
        bytes.subarray(r.offset + enc.length, r.offset + r.stored),
        new Uint8Array(16),
      );
    }
  }
});

Deno.test("writer: VERI and BHSH are right past the background-hash threshold (70 MiB)", async () => {
  // Past 64 MiB the writer hashes on a worker thread (v1: VERI and chunks; v2: chunks); the
  // digests must not change. Blocks of 0.6 to 5 MiB: v2 chunks go both to the worker and not.
  const blocks: BlockInput[] = [];
  for (let i = 0; i < 28; i++) {
    const p = new Uint8Array((i % 2 ? 5 * 1024 * 1024 : 600 * 1024) + i).fill(i + 1);
    p[i * 1000] = 0;
    blocks.push(blk("v", i * 40_000, i % 4 ? "P" : "I", i % 4 === 0, p));
  }
  // v2 segments go to the worker in arenas: 70 MiB of blocks from 1 to 120 KB.
  const small: BlockInput[] = [];
  for (let i = 0, n = 0; n < 70 * 1024 * 1024; i++) {
    const p = new Uint8Array(1 + (i * 7919) % 120_000).fill(i & 0xff);
    p[p.length >> 1] = i >> 8;
    small.push(blk("v", i * 40_000, i % 8 ? "P" : "I", i % 8 === 0, p));
    n += p.length;
  }
  for (const [profile, input] of [["v1", blocks], ["v2", blocks], ["v2", small]] as const) {
    const s = sink();
    const summary = await writeContainer(s, input, { profile });
    const bytes = concat(s.parts);
    assert.ok(bytes.length > 70 * 1024 * 1024);
    const veriAt = bytes.length - 172 - 44;
    assert.equal(new TextDecoder().decode(bytes.subarray(veriAt, veriAt + 4)), "VERI");
    assert.deepEqual(summary.veri, specVeri(bytes, veriAt), profile);
    assert.deepEqual(bytes.subarray(veriAt + 12, veriAt + 44), summary.veri);
    const f = parseFile(bytes);
    checkFraming(bytes, f);
    const storage = f.chunks.filter((c) => c.tag === "CORE" || c.tag === "SEGM");
    const bhsh = f.chunks.find((c) => c.tag === "BHSH")!;
    assert.deepEqual(bhsh.payload, concat(storage.map((c) => sha256(c.payload))), profile);
  }
});

Deno.test("writer: a block that goes into the open segment is added before add returns; adds without waiting keep their order", async () => {
  const out = sink();
  const w = createWriter(out, { segmentTarget: 1024 });
  const block = (i: number, n: number) =>
    blk("v", i, i % 10 === 0 ? "I" : "P", undefined, payload(i & 0xff, n));
  await w.add(block(0, 100));
  const a = w.add(block(1, 100));
  const b = w.add(block(2, 100));
  // Both went into the open segment: the same resolved promise, nothing in flight.
  assert.equal(a, b);
  // Without waiting: some close segments (1024-byte target), all stay in order.
  const all = [];
  for (let i = 3; i < 40; i++) all.push(w.add(block(i, 300)));
  await Promise.all([a, b, ...all]);
  const s = await w.finish();
  assert.equal(s.blocks, 40);
  const expected = await packContainer(
    Array.from({ length: 40 }, (_, i) => block(i, i < 3 ? 100 : 300)),
    { segmentTarget: 1024 },
  );
  assert.deepEqual(concat(out.parts), expected);
});

Deno.test("writer: closed segments that follow each other in an arena go to the sink in one write", async () => {
  const out = sink();
  const w = createWriter(out, { segmentTarget: 16 * 1024 });
  for (let i = 0; i < 200; i++) await w.add(blk("v", i, "P", false, payload(i & 0xff, 10_000)));
  const s = await w.finish();
  const f = parseFile(concat(out.parts));
  const segments = f.chunks.filter((c) => c.tag === "SEGM").length;
  assert.equal(s.chunks, segments);
  assert.ok(segments >= 100, `${segments} segments`);
  // The header, a few arenas of segments, then the tables: far fewer writes than segments.
  assert.ok(out.parts.length < segments / 4, `${out.parts.length} writes`);
});
