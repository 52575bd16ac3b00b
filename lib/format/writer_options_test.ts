import assert from "node:assert/strict";
import { concat } from "./bytes.ts";
import { H4Error } from "./errors.ts";
import { blk, type ParsedFile, parseFile, rejectsH4, throwsH4 } from "./testdata/helpers.ts";
import type { BlockInput, ByteSink, CodecName } from "./types.ts";
import { createWriter, packContainer, type WriterOptions } from "./writer.ts";
import { checkBlock, checkOptions } from "./writer_options.ts";

const sink = (): ByteSink & { parts: Uint8Array[] } => {
  const parts: Uint8Array[] = [];
  return { parts, write: (b) => void parts.push(b.slice()) };
};

Deno.test("writer: bad options are H4_BAD_ARGUMENT before anything is written", () => {
  const bad: WriterOptions[] = [
    { profile: "v3" as "v1" },
    { profile: "" as "v1" },
    { codec: "zstd" as CodecName },
    { meta: [] as unknown as Record<string, unknown> },
    { meta: "x" as unknown as Record<string, unknown> },
    { meta: 5 as unknown as Record<string, unknown> },
    { safe: [] as unknown as Record<string, unknown> },
    { seekIntervalUs: -1 },
    { seekIntervalUs: 1.5 },
    { seekIntervalUs: NaN },
    { blocksPerPage: 0 },
    { blocksPerPage: 65_537 },
    { blocksPerPage: 2.5 },
    { hashesPerPage: 0 },
    { hashesPerPage: 65_537 },
    { segmentTarget: 0 },
    { segmentTarget: 16 * 1024 * 1024 + 1 },
    { expectedBytes: -1 },
    { expectedBytes: 0.5 },
    { expectedBlocks: -1 },
  ];
  for (const opts of bad) {
    const s = sink();
    throwsH4(() => createWriter(s, opts), "H4_BAD_ARGUMENT");
    assert.equal(s.parts.length, 0);
  }
  // The limits themselves are fine.
  createWriter(sink(), {
    blocksPerPage: 65_536,
    hashesPerPage: 65_536,
    seekIntervalUs: 0,
    expectedBytes: 0,
  });
});

Deno.test("writer: codec names inherited from Object.prototype are refused", async () => {
  // BUG: codecId indexes a plain object, so "toString", "constructor" and "__proto__" pass
  // validation (the codec id becomes a function or an object).
  for (const codec of ["toString", "constructor", "__proto__"]) {
    throwsH4(() => createWriter(sink(), { codec: codec as CodecName }), "H4_BAD_ARGUMENT");
    const w = createWriter(sink());
    await rejectsH4(w.add({ ...blk("v", 0), codec: codec as CodecName }), "H4_BAD_ARGUMENT");
  }
});

Deno.test("writer: kinds inherited from Object.prototype are refused", async () => {
  // BUG: checkBlock tests `b.kind in KIND_IDS`, true for "toString", "constructor", "valueOf"
  // and "__proto__"; such a block is written as kind I.
  for (const kind of ["toString", "constructor", "__proto__", "valueOf"]) {
    const w = createWriter(sink());
    await rejectsH4(w.add({ ...blk("v", 0), kind: kind as "I" }), "H4_BAD_ARGUMENT");
  }
});

Deno.test("writer: bad blocks are H4_BAD_ARGUMENT and leave the writer usable", async () => {
  const good = blk("v", 0);
  const bad: unknown[] = [
    null,
    5,
    { ...good, track_id: "" },
    { ...good, track_id: "x".repeat(256) },
    { ...good, track_id: "a\ud800" },
    { ...good, track_id: 7 },
    { ...good, pts_us: 1.5 },
    { ...good, pts_us: NaN },
    { ...good, pts_us: 2 ** 53 },
    { ...good, pts_us: -(2 ** 53) },
    { ...good, pts_us: "0" },
    { ...good, pts_us: undefined },
    { ...good, kind: "X" },
    { ...good, kind: "i" },
    { ...good, kind: undefined },
    { ...good, keyframe: "yes" },
    { ...good, keyframe: 1 },
    { ...good, payload: [1, 2] },
    { ...good, payload: new ArrayBuffer(2) },
    { ...good, payload: undefined },
    { ...good, codec: "zstd" },
  ];
  const s = sink();
  const w = createWriter(s, { profile: "v2" });
  await w.add(blk("a", 0));
  for (const b of bad) await rejectsH4(w.add(b as BlockInput), "H4_BAD_ARGUMENT");
  await w.add(blk("a", 10));
  await w.finish();
  const f = parseFile(concat(s.parts));
  assert.deepEqual(f.rows.map((r) => [r.track_id, r.pts]), [["a", 0], ["a", 10]]);
  assert.deepEqual(f.trks.map((t) => t.track_id), ["a"]);
});

Deno.test("writer: META or SAFE nested deeper than 64 levels is refused, not written", async () => {
  // BUG: the writer writes it, and then no reader opens the file (H4_BAD_JSON, H4-MET-001).
  let deep: unknown = 1;
  for (let i = 0; i < 70; i++) deep = [deep];
  for (const opts of [{ meta: { deep } }, { safe: { deep } }] as WriterOptions[]) {
    let bytes: Uint8Array | undefined;
    try {
      bytes = await packContainer([blk("v", 0)], opts);
    } catch (e) {
      assert.ok(e instanceof H4Error, `got ${(e as Error).name}: ${(e as Error).message}`);
      assert.equal(e.code, "H4_BAD_ARGUMENT");
    }
    if (bytes) readable(bytes, Object.keys(opts)[0]);
  }
});

Deno.test("writer: META that JSON cannot encode is H4_BAD_ARGUMENT, not a TypeError", async () => {
  // BUG: BigInt and cyclic META escape from finish() as raw TypeErrors (meta.ts encodeJsonDoc).
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  for (const meta of [{ n: 1n }, cyclic] as Record<string, unknown>[]) {
    await rejectsH4(packContainer([blk("v", 0)], { meta }), "H4_BAD_ARGUMENT");
    await rejectsH4(packContainer([blk("v", 0)], { safe: meta }), "H4_BAD_ARGUMENT");
  }
});

function readable(bytes: Uint8Array, what: string): void {
  try {
    parseFile(bytes);
  } catch (e) {
    assert.fail(`the writer wrote a ${what} its reader refuses: ${(e as Error).message}`);
  }
}

Deno.test("writer: pts near the safe-integer limits either round trip or are refused", async () => {
  // BUG: pts residuals are svarints and a varint holds at most 2^53 - 1, so |residual| must stay
  // below 2^52; the writer accepts any safe integer and writes BIDX/KSEK that no reader accepts
  // (H4_BAD_VARINT), e.g. one block at pts 2^52, or pts 2^51 then -2^51 on one track.
  const cases: number[][] = [
    [2 ** 52],
    [Number.MAX_SAFE_INTEGER],
    [-Number.MAX_SAFE_INTEGER],
    [2 ** 51, -(2 ** 51)],
  ];
  for (const pts of cases) {
    const blocks = pts.map((p) => blk("v", p));
    let bytes: Uint8Array | undefined;
    try {
      bytes = await packContainer(blocks);
    } catch (e) {
      assert.ok(e instanceof H4Error, String(e));
      assert.ok(["H4_BAD_ARGUMENT", "H4_LIMIT_EXCEEDED"].includes(e.code), e.code);
    }
    if (bytes) {
      let f: ParsedFile;
      try {
        f = parseFile(bytes);
      } catch (e) {
        return assert.fail(`pts ${pts.join(", ")} written but unreadable: ${(e as Error).message}`);
      }
      assert.deepEqual(f.rows.map((r) => r.pts), pts);
    }
  }
});

Deno.test("writer: more than 65535 tracks is H4_LIMIT_EXCEEDED", async () => {
  const w = createWriter({ write: () => {} });
  const empty = new Uint8Array(0);
  for (let i = 0; i < 65_535; i++) {
    await w.add({ track_id: `t${i}`, pts_us: 0, kind: "I", keyframe: true, payload: empty });
  }
  await rejectsH4(
    w.add({ track_id: "one-more", pts_us: 0, kind: "I", keyframe: true, payload: empty }),
    "H4_LIMIT_EXCEEDED",
  );
});

Deno.test("writer options: checkOptions gives the profile and codec; checkBlock names the block", () => {
  assert.deepEqual(checkOptions({}), { profile: "v2", codec: "none" });
  assert.deepEqual(checkOptions({ profile: "v1", codec: "rle" }), { profile: "v1", codec: "rle" });
  throwsH4(() => checkOptions({ hashesPerPage: 65_537 }), "H4_BAD_ARGUMENT");
  const b = blk("v", 0);
  checkBlock(b, 0);
  assert.throws(() => checkBlock({ ...b, keyframe: 1 as unknown as boolean }, 17), /^.*block 17: /);
});
