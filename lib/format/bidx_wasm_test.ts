/**
 * The WebAssembly page decoder against bidx.ts's JavaScript fast path: the same verdict on every
 * page (well formed and every byte read, or not) and, when well formed, the same columns; on
 * random valid pages, on damaged ones, and on the limits of each field.
 */
import assert from "node:assert/strict";
import { decodeBidxPageFast, encodeBidxPage } from "./bidx.ts";
import { bidxWasm, decodeBidxPageWasm } from "./bidx_wasm.ts";
import { vpos } from "./fast_varint.ts";
import { allocColumns, type IndexColumns } from "./index_columns.ts";
import { LIMITS } from "./constants.ts";
import { rng } from "../hash/testdata/random.ts";

const NAMES = [
  "pts",
  "offset",
  "stored",
  "plain",
  "chunk",
  "track",
  "kind",
  "keyframe",
  "codec",
  "newChunk",
] as const;

interface Case {
  page: Uint8Array;
  count: number;
  trackCodecs: number[];
  overhead: number;
}

/** Decodes `c` both ways and asserts they agree; returns the verdict. */
function agree(c: Case, what: string): boolean {
  const ctx = { first: 0, count: c.count, trackCodecs: c.trackCodecs, overhead: c.overhead };
  const js = allocColumns(c.count), wasm = allocColumns(c.count);
  const jsOk = decodeBidxPageFast(c.page, ctx, js) && vpos[0] === c.page.length;
  const wasmOk = decodeBidxPageWasm(c.page, ctx, wasm);
  assert.notEqual(wasmOk, undefined, "WebAssembly is available in Deno");
  assert.equal(wasmOk, jsOk, `${what}: WebAssembly says ${wasmOk}, JavaScript ${jsOk}`);
  if (jsOk) {
    for (const k of NAMES) {
      const a = (js as unknown as Record<string, ArrayLike<number>>)[k];
      const b = (wasm as unknown as Record<string, ArrayLike<number>>)[k];
      for (let i = 0; i < c.count; i++) {
        assert.equal(b[i], a[i], `${what}: ${k}[${i}]`);
      }
    }
    assert.equal(wasm.count, c.count);
  }
  return jsOk;
}

/** Random well-formed columns: `tracks` tracks, values up to the limits. */
function randomPage(r: () => number, small: boolean): Case {
  const tracks = 1 + Math.floor(r() * 5);
  const trackCodecs = Array.from({ length: tracks }, () => Math.floor(r() * 3));
  const count = 1 + Math.floor(r() * (small ? 8 : 300));
  const overhead = r() < 0.3 ? 16 : 0;
  const cols: IndexColumns = allocColumns(count);
  cols.count = count;
  const big = r() < 0.5;
  const pick = (max: number) => Math.floor(r() * max);
  let offset = big ? 2 ** 40 + pick(2 ** 30) : 20 + pick(1000);
  let chunk = big ? 2 ** 31 + pick(1000) : pick(50);
  const pts = new Float64Array(tracks).map(() => (big ? (r() - 0.5) * 2 ** 49 : pick(1e6)));
  for (let i = 0; i < count; i++) {
    const t = pick(tracks);
    const newChunk = i === 0 ? 1 : r() < 0.2 ? 1 : 0;
    if (i > 0) {
      offset += cols.stored[i - 1] + (newChunk ? 12 : 0);
      chunk += newChunk;
    }
    const codec = r() < 0.8 ? trackCodecs[t] : pick(3);
    const stored = overhead +
      (r() < 0.1 ? LIMITS.blockBytes - overhead : pick(big ? 2 ** 20 : 300));
    pts[t] += big ? (r() - 0.3) * 2 ** 30 : pick(50_000);
    cols.track[i] = t;
    cols.pts[i] = Math.round(pts[t]);
    cols.kind[i] = pick(3);
    cols.keyframe[i] = pick(2);
    cols.codec[i] = codec;
    cols.newChunk[i] = newChunk;
    cols.offset[i] = offset;
    cols.stored[i] = stored;
    cols.plain[i] = codec === 0 ? stored - overhead : pick(LIMITS.blockBytes + 1);
    cols.chunk[i] = chunk;
  }
  return { page: encodeBidxPage(cols, 0, count, trackCodecs), count, trackCodecs, overhead };
}

Deno.test("bidx wasm: the module validates and is about 1 KB", () => {
  const bytes = bidxWasm();
  assert.ok(WebAssembly.validate(bytes));
  assert.ok(bytes.length < 2048, `${bytes.length} bytes`);
});

Deno.test("bidx wasm: random well-formed pages decode as in JavaScript", () => {
  const r = rng(19);
  for (let k = 0; k < 400; k++) {
    assert.ok(agree(randomPage(r, k % 2 === 0), `page ${k}`), `page ${k} is well formed`);
  }
});

Deno.test("bidx wasm: damaged pages get the same verdict and columns", () => {
  const r = rng(20);
  let refused = 0, accepted = 0;
  for (let k = 0; k < 3000; k++) {
    const c = randomPage(r, true);
    const page = c.page.slice();
    const at = Math.floor(r() * page.length);
    const kind = Math.floor(r() * 6);
    let damaged: Uint8Array = page;
    if (kind === 0) page[at] ^= 1 << Math.floor(r() * 8);
    else if (kind === 1) page[at] = [0x00, 0x7f, 0x80, 0xff][Math.floor(r() * 4)];
    else if (kind === 2) damaged = page.subarray(0, at);
    else if (kind === 3) {
      damaged = new Uint8Array([...page.subarray(0, at), 0x80, ...page.subarray(at)]);
    } else if (kind === 4) damaged = new Uint8Array([...page, Math.floor(r() * 256)]);
    else c.count = Math.max(1, c.count + (r() < 0.5 ? -1 : 1));
    if (agree({ ...c, page: damaged }, `damage ${k} (kind ${kind} at ${at})`)) accepted++;
    else refused++;
  }
  // Both outcomes are exercised.
  assert.ok(refused > 500 && accepted > 200, `${refused} refused, ${accepted} accepted`);
});

/** A page of raw bytes: first_offset 20, first_chunk 0, then `records`. */
const raw = (...records: number[][]): Uint8Array => new Uint8Array([20, 0, ...records.flat()]);
/** Varint bytes of n. */
function varint(n: number): number[] {
  const out: number[] = [];
  do {
    const b = n % 128;
    n = (n - b) / 128;
    out.push(n > 0 ? b | 0x80 : b);
  } while (n > 0);
  return out;
}
/** A record of track 0, not coded, with head bits, zigzag pts z and stored length. */
const rec = (head: number, z: number[], stored: number[]) => [...varint(head), ...z, ...stored];

Deno.test("bidx wasm: the limits of each field", () => {
  const one = (page: Uint8Array, what: string, trackCodecs = [0], overhead = 0, count = 1) =>
    agree({ page, count, trackCodecs, overhead }, what);
  assert.ok(one(raw(rec(1, [0], [5])), "a plain record"));
  // Varints: eight bytes at most, no final zero byte, nothing past 2^53 - 1.
  const max = varint(Number.MAX_SAFE_INTEGER);
  assert.equal(max.length, 8);
  assert.ok(one(new Uint8Array([...max, 0, ...rec(1, [0], [5])]), "first_offset 2^53 - 1"));
  assert.ok(
    !one(new Uint8Array([...varint(2 ** 53), 0, ...rec(1, [0], [5])]), "first_offset 2^53"),
  );
  assert.ok(!one(new Uint8Array([0x94, 0x80, 0, ...rec(1, [0], [5])]), "a final zero byte"));
  assert.ok(
    !one(new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 1, 0, 1, 0, 5]), "nine"),
  );
  assert.ok(!one(new Uint8Array([20]), "no first_chunk"));
  assert.ok(!one(raw(), "no record"));
  assert.ok(!one(raw(rec(1, [0], [5]), [7]), "a byte after the last record"));
  // first_chunk + count within the block limit.
  const chunkAt = (c: number) => new Uint8Array([20, ...varint(c), ...rec(1, [0], [5])]);
  assert.ok(one(chunkAt(LIMITS.blocks - 1), "first_chunk at the limit"));
  assert.ok(!one(chunkAt(LIMITS.blocks), "first_chunk past the limit"));
  // Track, kind, codec byte.
  assert.ok(one(raw(rec(32 + 1, [0], [5])), "track 1 of 2", [0, 0]));
  assert.ok(!one(raw(rec(32 + 1, [0], [5])), "track 1 of 1"));
  assert.ok(!one(raw(rec(2 ** 40 + 1, [0], [5])), "a huge track number"));
  assert.ok(!one(raw(rec(12 + 1, [0], [5])), "kind 3"));
  assert.ok(one(raw([17, 1, 0, 5, 9]), "coded, codec 1 on a track of codec 0"));
  assert.ok(!one(raw([17, 0, 0, 5]), "a codec byte repeating the track's"));
  assert.ok(!one(raw([17, 3, 0, 5, 9]), "codec 3"));
  assert.ok(!one(raw([17]), "a missing codec byte"));
  // pts within ±(2^50 - 1): zigzag 2^51 - 2 is 2^50 - 1, 2^51 - 1 is -2^50.
  assert.ok(one(raw(rec(1, varint(2 ** 51 - 2), [5])), "pts 2^50 - 1"));
  assert.ok(one(raw(rec(1, varint(2 ** 51 - 3), [5])), "pts -(2^50 - 1)"));
  assert.ok(!one(raw(rec(1, varint(2 ** 51), [5])), "pts 2^50"));
  assert.ok(!one(raw(rec(1, varint(2 ** 51 - 1), [5])), "pts -2^50"));
  // Stored and plain lengths up to 2^30; plain is stored less the tag when not coded.
  assert.ok(one(raw(rec(1, [0], varint(2 ** 30))), "stored 2^30"));
  assert.ok(!one(raw(rec(1, [0], varint(2 ** 30 + 1))), "stored 2^30 + 1"));
  assert.ok(one(raw([17, 1, 0, 5, ...varint(2 ** 30)]), "plain 2^30"));
  assert.ok(!one(raw([17, 1, 0, 5, ...varint(2 ** 30 + 1)]), "plain 2^30 + 1"));
  assert.ok(one(raw(rec(1, [0], [16])), "stored 16, tag 16", [0], 16));
  assert.ok(!one(raw(rec(1, [0], [15])), "stored 15, tag 16", [0], 16));
  // Two records: the second follows the first, in the same chunk or the next.
  assert.ok(one(raw(rec(1, [0], [5]), rec(0, [2], [7])), "same chunk", [0], 0, 2));
  assert.ok(one(raw(rec(3, [0], [5]), rec(1, [4], [7])), "next chunk", [0], 0, 2));
  // Counts the page cannot hold, or leaves bytes of.
  assert.ok(!one(raw(rec(1, [0], [5])), "a count of 2 for one record", [0], 0, 2));
});

Deno.test("bidx wasm: what it does not take as bytes and integers is left to JavaScript", () => {
  const page = raw(rec(1, [0], [5]));
  const cols = allocColumns(1);
  const ctx = { first: 0, count: 1, trackCodecs: [0], overhead: 0 };
  assert.equal(decodeBidxPageWasm(page, ctx, cols), true);
  assert.equal(decodeBidxPageWasm(page, { ...ctx, trackCodecs: [300] }, cols), undefined);
  assert.equal(decodeBidxPageWasm(page, { ...ctx, overhead: 0.5 }, cols), undefined);
  assert.equal(decodeBidxPageWasm(page, { ...ctx, count: 1.5 }, cols), undefined);
});
