import assert from "node:assert/strict";
import { bytesSource } from "../format/byte_source.ts";
import { encodeChunk } from "../format/chunk.ts";
import { blk, payload } from "../format/testdata/helpers.ts";
import { chunk, fixCrc, flip, insertChunkBeforeVeri, walk } from "../format/testdata/forge.ts";
import type { BlockInput, ByteSource } from "../format/types.ts";
import { packContainer } from "../format/writer.ts";
import { openContainer } from "./container.ts";
import { type BhshPages, walkForVerify } from "./verify_walk.ts";

/** Blocks of several sizes, so that chunks of every kind meet the window edges. */
const blocks: BlockInput[] = Array.from(
  { length: 30 },
  (_, i) => blk("v", i * 40_000, "I", i % 4 === 0, payload(i, [3, 90, 700, 2500][i % 4] + i)),
);

/** A source that reads into the caller's buffer, as a file does. */
function intoSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (o, n) => Promise.resolve(bytes.slice(o, o + n)),
    readInto: (o, buf) => (buf.set(bytes.subarray(o, o + buf.length)), Promise.resolve(buf)),
  };
}

/** What the walk of `bytes` finds (or throws), in a form to compare. */
async function summary(bytes: Uint8Array, src: ByteSource, window?: number) {
  // A cut file does not open: its tables are taken from the whole one.
  const c = await openContainer(cuts.get(bytes) ?? bytes);
  const bhsh: BhshPages | undefined = c.locator && c.directory
    ? {
      at: c.locator.slots.BHSH!.offset + 12,
      count: c.chunkCount,
      perPage: c.directory.hashesPerPage,
      digests: c.directory.bhshPageDigests,
    }
    : undefined;
  const out = { partial: undefined } as Parameters<typeof walkForVerify>[3];
  let thrown: string | undefined;
  try {
    await walkForVerify(src, c.version, src.size, out, 4, bhsh, window);
  } catch (e) {
    thrown = `${(e as Error & { code: string }).code}: ${(e as Error).message}`;
  }
  const w = out.partial!;
  const n = w.storage.count;
  return {
    thrown,
    total: w.total,
    storage: [
      [...w.storage.offset.subarray(0, n)],
      [...w.storage.length.subarray(0, n)],
      [...w.storage.tag.subarray(0, n)],
    ],
    others: w.others,
    crcFailures: w.crcFailures,
    findings: w.findings.map((f) => [f.rule, f.ok, f.message, f.error?.code, f.error?.message]),
    veriSeen: w.veriSeen,
    bhshError: (w.bhshError as Error | undefined)?.message,
  };
}

const cuts = new WeakMap<Uint8Array, Uint8Array>();

/** Files to walk: whole, and damaged in each way the walk reports. */
async function files(): Promise<[string, Uint8Array][]> {
  const out: [string, Uint8Array][] = [];
  for (const profile of ["v1", "v2"] as const) {
    const bytes = await packContainer(blocks, { profile, hashesPerPage: 4, segmentTarget: 3000 });
    const cores = walk(bytes).filter((c) => c.tag === "CORE" || c.tag === "SEGM");
    const late = cores[cores.length - 2];
    const veri = chunk(bytes, "VERI");
    out.push(
      [`${profile}`, bytes],
      [`${profile} crc`, flip(bytes, late.offset + 14)],
      [`${profile} stored`, fixCrc(flip(bytes, late.offset + 14), late.offset)],
      [`${profile} veri`, fixCrc(flip(bytes, veri.offset + 12), veri.offset)],
      [`${profile} two veri`, insertChunkBeforeVeri(bytes, "VERI", new Uint8Array(32))],
      [`${profile} crc x7`, cores.slice(0, 7).reduce((b, c) => flip(b, c.offset + 8), bytes)],
    );
  }
  // A file that ends inside a chunk header: the walk throws, with what it found before.
  const [, v2] = out[6];
  const cut = v2.subarray(0, chunk(v2, "VERI").offset + 50);
  cuts.set(cut, v2);
  out.push(["v2 cut", cut]);
  return out;
}

Deno.test("walkForVerify: the same findings whatever the window and the source", async () => {
  for (const [name, bytes] of await files()) {
    const want = await summary(bytes, bytesSource(bytes));
    assert.ok(want.total > 15, name);
    for (const window of [12, 13, 40, 64, 100, 257, 1000, 4096]) {
      for (const src of [bytesSource(bytes), intoSource(bytes)]) {
        assert.deepEqual(await summary(bytes, src, window), want, `${name}, window ${window}`);
      }
    }
  }
});

Deno.test("walkForVerify: what each damage gives", async () => {
  const all = new Map(await files());
  const s = async (name: string) => await summary(all.get(name)!, bytesSource(all.get(name)!));
  for (const p of ["v1", "v2"]) {
    const ok = await s(p);
    assert.deepEqual([ok.thrown, ok.crcFailures, ok.bhshError, ok.veriSeen], [
      undefined,
      0,
      undefined,
      true,
    ]);
    assert.deepEqual(ok.findings.map((f) => f.slice(0, 2)), [["H4-INT-002", true]]);
    const crc = await s(`${p} crc`);
    assert.equal(crc.crcFailures, 1);
    // The changed chunk differs from its BHSH entry too.
    assert.match(crc.bhshError!, /^storage chunk \d+ at \d+ differs from BHSH$/);
    const many = await s(`${p} crc x7`);
    assert.equal(many.crcFailures, 7);
    // The first five CRC failures are findings, then the VERI verdict.
    assert.deepEqual(many.findings.map((f) => f[0]), [
      ...Array(5).fill("H4-FMT-011"),
      "H4-INT-002",
    ]);
    const stored = await s(`${p} stored`);
    assert.deepEqual([stored.crcFailures, stored.findings[0][1]], [0, false]);
    assert.match(stored.bhshError!, /differs from BHSH/);
    assert.match((await s(`${p} veri`)).findings[0][4] as string, /^VERI at \d+ differs from/);
    const two = await s(`${p} two veri`);
    assert.match(two.findings[1][4] as string, /^second VERI chunk at \d+; a file has one$/);
  }
  const cut = await s("v2 cut");
  assert.match(cut.thrown!, /^H4_(TRUNCATED|CHUNK_OVERRUN): /);
  assert.ok(cut.veriSeen && cut.total > 15);
});

Deno.test("walkForVerify: a VERI longer than a window is reported by its length", async () => {
  const bytes = await packContainer(blocks, { profile: "v2" });
  const veri = chunk(bytes, "VERI");
  const long = new Uint8Array(bytes.length + 100);
  long.set(bytes.subarray(0, veri.offset));
  long.set(encodeChunk("VERI", new Uint8Array(132)), veri.offset);
  long.set(bytes.subarray(veri.offset + 44), veri.offset + 144);
  for (const window of [undefined, 64]) {
    const r = await summary(long, bytesSource(long), window);
    assert.match(r.findings[0][4] as string, /^VERI payload is 132 bytes, must be 32$/);
  }
});
