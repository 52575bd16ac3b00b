/**
 * Property: random block sets survive write then read exactly, and seeks answer as a
 * brute-force reading of SPEC.md section 10 over the seek tables that SPEC.md 6.5 prescribes.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { H4Error } from "../format/errors.ts";
import { fakeOpener, fakeSealer } from "../format/testdata/helpers.ts";
import type { BlockInput, BlockKind, CodecName } from "../format/types.ts";
import { packContainer, type WriterOptions } from "../format/writer.ts";
import { openContainer } from "./container.ts";

const TRACK_IDS = ["v", "a", "vid\u00e9o", "\u97f3\u58f0", "\u{1F3B5}", "\uffff", "Z"];

const payloadArb = fc.oneof(
  fc.uint8Array({ maxLength: 48 }),
  // Runs, some longer than 255, for rle.
  fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 400 })), {
    maxLength: 4,
  }).map((runs) => {
    const out: number[] = [];
    for (const [v, n] of runs) for (let i = 0; i < n; i++) out.push(v);
    return Uint8Array.from(out);
  }),
  fc.constant(new Uint8Array(0)),
);

const blockArb = fc.record({
  track: fc.integer({ min: 0, max: TRACK_IDS.length - 1 }),
  pts: fc.oneof(
    fc.integer({ min: -100, max: 100 }),
    fc.integer({ min: -10_000_000, max: 10_000_000 }),
    fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
  ),
  kind: fc.constantFrom<BlockKind>("I", "P", "B"),
  keyframe: fc.boolean(),
  payload: payloadArb,
  codec: fc.constantFrom<CodecName | undefined>(undefined, undefined, "none", "deflate", "rle"),
});

const caseArb = fc.record({
  blocks: fc.array(blockArb, { maxLength: 50 }),
  profile: fc.constantFrom<"v1" | "v2">("v1", "v2"),
  codec: fc.constantFrom<CodecName>("none", "deflate", "rle"),
  blocksPerPage: fc.integer({ min: 1, max: 7 }),
  hashesPerPage: fc.integer({ min: 1, max: 5 }),
  segmentTarget: fc.integer({ min: 1, max: 300 }),
  seekIntervalUs: fc.option(fc.integer({ min: 0, max: 20_000_000 }), { nil: undefined }),
  encrypted: fc.boolean(),
  tailProbe: fc.constantFrom(172, 600, 65_536),
});

/** SPEC.md 6.5 as the writer applies it: (pts, block) of the listed keyframes, sorted. */
function expectedTable(blocks: BlockInput[], id: string, interval: number): [number, number][] {
  const mine = blocks.map((b, i) => [b, i] as const).filter(([b]) => b.track_id === id);
  const allKey = mine.every(([b]) => b.keyframe);
  const out: [number, number][] = [];
  let last: number | undefined;
  for (const [b, i] of mine) {
    if (!b.keyframe) continue;
    if (allKey && interval > 0 && last !== undefined && b.pts_us < last + interval) continue;
    out.push([b.pts_us, i]);
    last = b.pts_us;
  }
  return out.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
}

/** SPEC.md section 10 by brute force. */
function bruteSeek(table: [number, number][], t: number): { block: number; found: boolean } {
  const le = table.filter(([p]) => p <= t);
  if (le.length === 0) return { block: table[0][1], found: false };
  const p = Math.max(...le.map(([q]) => q));
  return { block: Math.min(...le.filter(([q]) => q === p).map(([, b]) => b)), found: true };
}

Deno.test("property: random block sets round trip and seek as SPEC.md section 10 says", async () => {
  await fc.assert(
    fc.asyncProperty(caseArb, async (k) => {
      const blocks: BlockInput[] = k.blocks.map((b) => {
        const x: BlockInput = {
          track_id: TRACK_IDS[b.track],
          pts_us: b.pts,
          kind: b.kind,
          keyframe: b.keyframe,
          payload: b.payload,
        };
        if (b.codec) x.codec = b.codec;
        return x;
      });
      const opts: WriterOptions = {
        profile: k.profile,
        codec: k.codec,
        blocksPerPage: k.blocksPerPage,
        hashesPerPage: k.hashesPerPage,
        segmentTarget: k.segmentTarget,
        seekIntervalUs: k.seekIntervalUs,
        legacyTrak: k.profile === "v1",
      };
      if (k.encrypted) opts.sealer = fakeSealer();
      const bytes = await packContainer(blocks, opts);
      const c = await openContainer(bytes, { tailProbe: k.tailProbe });
      const o = k.encrypted ? { opener: fakeOpener } : {};

      assert.equal(c.blockCount, blocks.length);
      assert.equal(c.encrypted, k.encrypted);
      for (const [i, b] of blocks.entries()) {
        const e = await c.entry(i);
        assert.deepEqual(
          [e.track_id, e.pts_us, e.kind, e.keyframe, e.codec, e.plain_length],
          [b.track_id, b.pts_us, b.kind, b.keyframe, b.codec ?? k.codec, b.payload.length],
        );
        assert.deepEqual(await c.readBlock(i, { ...o, verify: i % 3 === 0 }), b.payload);
      }

      const interval = k.seekIntervalUs ?? 1_000_000;
      for (const t of c.tracks) {
        const want = expectedTable(blocks, t.track_id, interval);
        const st = c.seekTable(t.track_id);
        const got = Array.from({ length: st.count }, (_, j) => [st.pts[j], st.block[j]]);
        assert.deepEqual(got, want, `seek table of ${t.track_id}`);
        if (want.length === 0) {
          assert.throws(() => c.seek(t.track_id, 0), (e) => {
            return e instanceof H4Error && e.code === "H4_UNKNOWN_TRACK";
          });
          continue;
        }
        const probes = new Set<number>([
          want[0][0] - 1,
          want[want.length - 1][0] + 1,
          -Number.MAX_SAFE_INTEGER,
          Number.MAX_SAFE_INTEGER,
        ]);
        for (const [p] of want) for (const q of [p - 1, p, p + 1]) probes.add(q);
        for (const b of blocks) probes.add(b.pts_us);
        for (const q of probes) {
          const r = c.seek(t.track_id, q);
          const ref = bruteSeek(want, q);
          assert.equal(r.core_index, ref.block, `seek ${t.track_id} ${q}`);
          assert.equal(r.found, ref.found);
          assert.equal(r.keyframe_pts_us, blocks[ref.block].pts_us);
          const e = await c.entry(ref.block);
          assert.equal(r.offset, e.offset);
          assert.equal(r.stored_length, e.stored_length);
        }
      }
      for (const id of TRACK_IDS) {
        if (!blocks.some((b) => b.track_id === id)) {
          assert.throws(
            () => c.seek(id, 0),
            (e) => e instanceof H4Error && e.code === "H4_UNKNOWN_TRACK",
          );
        }
      }
      // v1 verify also checks SEEKM, which negative pts break (see verify_test.ts).
      if (k.profile === "v2") {
        const r = await c.verify(o);
        assert.deepEqual(r.checks.filter((x) => !x.ok), []);
      }
    }),
    { seed: 0x4834, numRuns: 120 },
  );
});
