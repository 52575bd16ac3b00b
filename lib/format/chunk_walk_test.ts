import assert from "node:assert/strict";
import { bytesSource } from "./byte_source.ts";
import { encodeChunk, walkChunks } from "./chunk.ts";
import {
  type ChunkVisitor,
  tagCode,
  tagOfCode,
  walkHeaders,
  walkSource,
  walkWindows,
} from "./chunk_walk.ts";
import { crc32 } from "../hash/crc32.ts";
import type { ByteSource } from "./types.ts";

const HEAD = new Uint8Array([0x48, 0x34, 0x4d, 0x4b, 0, 2, 0, 0]);

/** A file of the header and chunks of these tags and payload lengths (bytes 1, 2, 3, ...). */
function file(chunks: [string, number][]): Uint8Array {
  const parts: Uint8Array[] = [HEAD];
  let n = 0;
  for (const [tag, length] of chunks) {
    parts.push(encodeChunk(tag, Uint8Array.from({ length }, () => ++n & 0xff)));
  }
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, o), o += p.length;
  return out;
}

/** A source that reads into the caller's buffer (as a file does), counting its reads. */
function intoSource(bytes: Uint8Array): ByteSource & { reads: [number, number][] } {
  const reads: [number, number][] = [];
  return {
    size: bytes.length,
    reads,
    read: (o, n) => (reads.push([o, n]), Promise.resolve(bytes.slice(o, o + n))),
    readInto: (
      o,
      buf,
    ) => (reads.push([o, buf.length]),
      buf.set(bytes.subarray(o, o + buf.length)),
      Promise.resolve(buf)),
  };
}

/** Every chunk as walkWindows hands it, with its payload put together from the parts. */
async function collect(src: ByteSource, window?: number) {
  const out: { tag: string; offset: number; length: number; crc: number; payload: number[] }[] = [];
  const ends: number[] = [];
  let whole = 0;
  const visitor: ChunkVisitor = {
    chunk(tag, offset, length, crc, w, at) {
      const fits = at + 12 + length <= w.length;
      if (fits) whole++;
      out.push({
        tag: tagOfCode(tag),
        offset,
        length,
        crc,
        payload: fits ? [...w.subarray(at + 12, at + 12 + length)] : [],
      });
    },
    part(bytes) {
      out.at(-1)!.payload.push(...bytes);
    },
    leave(w, windowAt, end) {
      assert.ok(end > windowAt && end <= windowAt + w.length);
      ends.push(end);
    },
  };
  const end = await walkWindows(src, visitor, window ? { window } : {});
  return { out, ends, whole, end };
}

Deno.test("walkWindows: the chunks walkChunks finds, whatever the window", async () => {
  const f = file([["META", 2], ["CORE", 40], ["SEGM", 300], ["SAFE", 0], ["XTRA", 7]]);
  const want = walkChunks(f).map((c) => ({
    tag: c.tag,
    offset: c.offset,
    length: c.length,
    crc: c.crc,
    payload: [...c.payload],
  }));
  for (const window of [undefined, 12, 13, 50, 64, 100, 1000]) {
    for (const src of [bytesSource(f), intoSource(f)]) {
      const { out, end, ends, whole } = await collect(src, window);
      assert.deepEqual(out, want, `window ${window}`);
      assert.equal(end, f.length);
      assert.deepEqual(ends, [...ends].sort((a, b) => a - b));
      // A chunk that fits in a window is handed whole.
      const fit = want.filter((c) => 12 + c.length <= (window ?? Infinity)).length;
      assert.equal(whole, fit, `window ${window}`);
    }
  }
  for (const c of want) assert.equal(c.crc, crc32(Uint8Array.from(c.payload)));
});

Deno.test("walkWindows: one buffer, read in order, a window at a time", async () => {
  const f = file(Array.from({ length: 50 }, () => ["CORE", 20] as [string, number]));
  const src = intoSource(f);
  const buffers = new Set<ArrayBufferLike>();
  await walkWindows(src, { chunk: (_t, _o, _l, _c, w) => void buffers.add(w.buffer) }, {
    window: 256,
  });
  assert.equal(buffers.size, 1);
  // Each read starts at the first chunk not whole in the window before.
  assert.equal(src.reads.length, Math.ceil((f.length - 8) / (256 - 256 % 32)));
  for (const [o] of src.reads) assert.equal((o - 8) % 32, 0);
});

Deno.test("walkWindows: each byte is read once, a chunk across windows too", async () => {
  const f = file([["META", 2], ["CORE", 40], ["SEGM", 300], ["SAFE", 0], ["XTRA", 7], [
    "CORE",
    90,
  ]]);
  for (const window of [12, 13, 50, 64, 100, 1000]) {
    const into = intoSource(f);
    const plain = { ...intoSource(f), readInto: undefined };
    for (const src of [into, plain]) {
      await walkWindows(src, { chunk() {}, part() {} }, { window });
      // In order, each read where the one before ended.
      let at = 8;
      for (const [o, n] of src.reads) {
        assert.equal(o, at, `window ${window}`);
        at += n;
      }
      assert.equal(at, f.length);
    }
  }
});

Deno.test("walkWindows: a range, a stop, a crossing chunk, and a payload left unread", async () => {
  const f = file([["META", 2], ["SIGN", 5], ["SIGN", 5], ["LOCA", 100]]);
  const offsets = walkChunks(f).map((c) => c.offset);
  const seen: number[] = [];
  const visit = { chunk: (_t: number, o: number) => void seen.push(o) };
  assert.equal(
    await walkWindows(bytesSource(f), visit, { from: offsets[1], to: offsets[3] }),
    offsets[3],
  );
  assert.deepEqual(seen, offsets.slice(1, 3));
  // The chunk that starts before `to` and runs past it is handed over; the visitor judges it.
  seen.length = 0;
  assert.equal(await walkWindows(bytesSource(f), visit, { to: offsets[3] + 1 }), f.length);
  assert.deepEqual(seen, offsets);
  // false ends the walk at that chunk; a promise is awaited.
  const stop = await walkWindows(bytesSource(f), {
    chunk: (t) => Promise.resolve(t !== tagCode("SIGN")),
  });
  assert.equal(stop, offsets[1]);
  // Without `part`, a payload larger than the window is not read.
  const src = intoSource(f);
  const got: string[] = [];
  await walkWindows(src, { chunk: (t) => void got.push(tagOfCode(t)) }, { window: 40 });
  assert.deepEqual(got, ["META", "SIGN", "SIGN", "LOCA"]);
  assert.ok(src.reads.every(([o, n]) => o + n <= offsets[3] + 40));
});

Deno.test("walkWindows: framing breaks throw the parser's errors after the chunks before", async () => {
  const f = file([["META", 2], ["SAFE", 3]]);
  const [, safe] = walkChunks(f);
  const walk = async (bytes: Uint8Array) => {
    const seen: number[] = [];
    const error = await walkWindows(bytesSource(bytes), { chunk: (_t, o) => void seen.push(o) })
      .then(() => undefined, (e) => e);
    return { seen, error };
  };
  const badTag = f.slice();
  badTag[safe.offset + 1] = 0x01;
  let r = await walk(badTag);
  assert.deepEqual(r.seen, [8]);
  assert.equal(r.error.code, "H4_BAD_CHUNK");
  assert.equal(r.error.message, `chunk at ${safe.offset} has tag byte 0x1`);
  const long = f.slice();
  long[safe.offset + 7] = 4;
  r = await walk(long);
  assert.deepEqual(r.seen, [8]);
  assert.equal(r.error.code, "H4_CHUNK_OVERRUN");
  assert.equal(r.error.message, `SAFE at ${safe.offset} claims 4 bytes, only 3 remain`);
  r = await walk(f.subarray(0, f.length - 10));
  assert.deepEqual(r.seen, [8]);
  assert.equal(r.error.code, "H4_TRUNCATED");
  assert.equal(r.error.rule, "H4-FMT-012");
  // A visitor's own error ends the walk with it.
  await assert.rejects(
    walkWindows(bytesSource(f), {
      chunk() {
        throw new RangeError("mine");
      },
    }),
    RangeError,
  );
});

Deno.test("tagCode and tagOfCode: a tag's four bytes as a number and back", () => {
  assert.equal(tagCode("META"), 0x4d455441);
  assert.equal(tagOfCode(0x4d455441), "META");
  assert.equal(tagOfCode(tagCode(" ~~ ")), " ~~ ");
});

Deno.test("walkHeaders: every chunk of a long file in order, batches and all, then the break", async () => {
  const parts: number[] = [0x48, 0x34, 0x4d, 0x4b, 0, 1, 0, 0];
  const n = 1000; // several batches of the walk's hand-over
  for (let i = 0; i < n; i++) parts.push(...encodeChunk("CORE", new Uint8Array(i % 7)));
  const file = new Uint8Array(parts);
  const want = walkChunks(file).map((c) => [c.offset, c.tag, c.length, c.crc]);
  const got: unknown[] = [];
  for await (const h of walkHeaders(bytesSource(file))) {
    got.push([h.offset, h.tag, h.length, h.crc]);
  }
  assert.deepEqual(got, want);
  // A break after 600 chunks: the 600 come first, then the parser's error.
  const cut = file.slice(0, want[600][0] as number + 5);
  const seen: number[] = [];
  await assert.rejects(async () => {
    for await (const h of walkHeaders(bytesSource(cut))) seen.push(h.offset);
  }, { code: "H4_TRUNCATED", rule: "H4-FMT-012" });
  assert.deepEqual(seen, want.slice(0, 600).map((w) => w[0]));
});

Deno.test("walkHeaders: a reader that stops early ends the walk (no read past the next batch)", async () => {
  const parts: number[] = [0x48, 0x34, 0x4d, 0x4b, 0, 1, 0, 0];
  for (let i = 0; i < 2000; i++) parts.push(...encodeChunk("CORE", new Uint8Array(3)));
  const inner = bytesSource(new Uint8Array(parts));
  let reads = 0;
  const src: ByteSource = { size: inner.size, read: (o, n) => (reads++, inner.read(o, n)) };
  let k = 0;
  for await (const _ of walkHeaders(src)) if (++k === 10) break;
  await new Promise((r) => setTimeout(r, 0));
  const after = reads;
  assert.ok(after <= 2 * 256 + 2, `${after} reads for 10 chunks`);
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(reads, after, "the walk goes on after the reader stopped");
  // walkSource: the same chunks with their payloads.
  const all = [];
  for await (const c of walkSource(inner)) all.push(c);
  assert.equal(all.length, 2000);
  assert.deepEqual(all[5].payload, new Uint8Array(3));
});
