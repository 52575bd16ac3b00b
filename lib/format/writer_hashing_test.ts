import assert from "node:assert/strict";
import { concat } from "./bytes.ts";
import { encodeChunkHeader } from "./chunk.ts";
import { HEADER_LENGTH, MAGIC, VERSION_V1, VERSION_V2 } from "./constants.ts";
import { loadNative, native, type NativePrimitives } from "../hash/native.ts";
import { sha256 } from "../hash/sha256.ts";
import { createVeriHash } from "./veri.ts";
import { createWriterHashing } from "./writer_hashing.ts";
import { payload } from "./testdata/helpers.ts";

function header(version: number): Uint8Array {
  const h = new Uint8Array(HEADER_LENGTH);
  h.set(MAGIC);
  new DataView(h.buffer).setUint16(4, version);
  return h;
}

/** Arenas of segments (payload sizes from 0 to 100 KiB), as writer_segments.ts makes them. */
function arenas(count: number, perArena: number) {
  const out: {
    buffer: ArrayBuffer;
    ranges: number[];
    heads: Uint8Array[];
    payloads: Uint8Array[];
  }[] = [];
  let slot = 0;
  for (let a = 0; a < count; a++) {
    const payloads = Array.from(
      { length: perArena },
      (_, i) => payload(a * 31 + i, (a * 7919 + i * 4099) % 100_000),
    );
    const heads = payloads.map((p) => encodeChunkHeader("SEGM", p.length, 0));
    const buf = concat(payloads.flatMap((p, i) => [heads[i], p]));
    const ranges: number[] = [];
    let at = 0;
    for (const p of payloads) {
      ranges.push(at + 12, at + 12 + p.length, slot++);
      at += 12 + p.length;
    }
    out.push({ buffer: buf.buffer as ArrayBuffer, ranges, heads, payloads });
  }
  return out;
}

async function hashArenas(
  opts: { poolThreshold?: number; expectedBytes?: number },
  offloads?: boolean,
) {
  const h = createWriterHashing(VERSION_V2, header(VERSION_V2), opts);
  const all = arenas(24, 9);
  const want = all.flatMap((a) => a.payloads.map(sha256));
  for (const a of all) {
    for (const head of a.heads) h.next(head);
    const wait = h.retire(a.buffer, a.ranges);
    if (wait) await wait;
    // Arenas come back to be reused, from this thread or from the worker.
    const back = h.reuse(1);
    if (back) assert.ok(back.byteLength >= 1);
  }
  if (offloads !== undefined) assert.equal(h.offloads, offloads);
  await h.endChunks();
  assert.deepEqual(h.table(), concat(want));
  // VERI over the header, the chunk headers and their hashes (H4-INT-005).
  const v = createVeriHash(VERSION_V2, header(VERSION_V2));
  all.flatMap((a) => a.heads).forEach((head, i) => v.digest(head, want[i]));
  const tables = new Uint8Array([1, 2, 3]);
  h.veri(tables);
  v.bytes(tables);
  assert.deepEqual(await h.digest(), v.finish());
  await h.close();
}

Deno.test("writer hashing: v2 arenas hashed on this thread give each segment's SHA-256", async () => {
  await loadNative();
  await hashArenas({ poolThreshold: Infinity });
});

Deno.test("writer hashing: v2 arenas on the worker give the same hashes and VERI", async () => {
  await loadNative();
  await hashArenas({ poolThreshold: 0 });
});

Deno.test("writer hashing: v2 with expectedBytes too small for a worker never starts one", async () => {
  await loadNative();
  await hashArenas({ poolThreshold: 0 }, true);
  await hashArenas({ expectedBytes: 1 << 20 }, false);
  // Large enough: on a worker when a core is idle (the load decides), the same hashes either way.
  await hashArenas({ expectedBytes: 1 << 30 });
});

Deno.test("writer hashing: v2 without native hashing (Web Crypto, as browsers) gives the same", async () => {
  await loadNative();
  const saved: NativePrimitives = { ...native };
  for (const k of Object.keys(native) as (keyof NativePrimitives)[]) delete native[k];
  try {
    await hashArenas({ poolThreshold: 0 });
  } finally {
    Object.assign(native, saved);
  }
});

Deno.test("writer hashing: v1 hashes the stream for VERI and each chunk for BHSH", async () => {
  await loadNative();
  const h = createWriterHashing(VERSION_V1, header(VERSION_V1));
  const parts: Uint8Array[] = [];
  const hashes: Uint8Array[] = [];
  for (let i = 0; i < 40; i++) {
    const p = payload(i, i * 3000);
    const head = encodeChunkHeader("CORE", p.length, 0);
    const c = h.next(head);
    assert.equal(c, i);
    const chunk = concat([head, p]);
    const wait = h.chunk(c, chunk, 12);
    if (wait) await wait;
    parts.push(chunk);
    hashes.push(sha256(p));
  }
  await h.endChunks();
  const tables = new Uint8Array([9, 9]);
  await h.veri(tables);
  assert.deepEqual(h.table(), concat(hashes));
  assert.deepEqual(await h.digest(), sha256(concat([...parts, tables])));
  await h.close();
});
