/**
 * Properties over random containers (issue 9):
 *
 * 1. Random block sets survive write then read in both profiles, with and without LivingCipher
 *    encryption (real sealer and opener), and pass full verification with the key.
 * 2. Every mutation of fuzz/mutate.ts yields either the same result (tracks, index entries,
 *    payloads, META, SAFE) or a typed H4Error / a failed verification check: never a different
 *    result that opens, reads and verifies (an undetected corruption).
 *
 * lib/seek/container_property_test.ts covers seeking; these cover integrity.
 *
 * @module
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { compareCodePoints } from "../lib/format/bytes.ts";
import { isH4Error } from "../lib/format/errors.ts";
import type { BlockInput, BlockKind, BlockOpener, CodecName } from "../lib/format/types.ts";
import { packContainer, type WriterOptions } from "../lib/format/writer.ts";
import { createSealer, openCipher } from "../lib/living/mod.ts";
import { openContainer } from "../lib/seek/container.ts";
import { makeRng, mutate } from "./mutate.ts";

const KEY = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
const PTS_MAX = 2 ** 50 - 1;
const TRACK_IDS = ["video", "audio", "字幕", "\u{1F3B5}", "z".repeat(255)];
/** META keys the writer sets or removes (SPEC.md 8): they do not round-trip as given. */
const WRITER_KEYS = new Set([
  "domain",
  "tracks",
  "seekm_b64",
  "trak_b64",
  "compression",
  "encryption",
]);

const blockArb = fc.record({
  track: fc.integer({ min: 0, max: TRACK_IDS.length - 1 }),
  pts: fc.oneof(
    fc.integer({ min: -50_000, max: 5_000_000 }),
    fc.constantFrom(-PTS_MAX, PTS_MAX, 0, -1),
    fc.integer({ min: -PTS_MAX, max: PTS_MAX }),
  ),
  kind: fc.constantFrom<BlockKind>("I", "P", "B"),
  keyframe: fc.boolean(),
  payload: fc.oneof(
    fc.uint8Array({ maxLength: 120 }),
    fc.integer({ min: 0, max: 700 }).map((n) => new Uint8Array(n).fill(n & 0xff)),
  ),
  codec: fc.constantFrom<CodecName | undefined>(undefined, "none", "deflate", "rle"),
});

const jsonKey = fc.string({ minLength: 1, maxLength: 6 }).filter((k) =>
  !WRITER_KEYS.has(k) && k !== "__proto__"
);
const docArb = fc.dictionary(
  jsonKey,
  fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null)),
  { maxKeys: 3, noNullPrototype: true },
);

const caseArb = fc.record({
  blocks: fc.array(blockArb, { maxLength: 24 }),
  profile: fc.constantFrom<"v1" | "v2">("v1", "v2"),
  codec: fc.constantFrom<CodecName>("none", "deflate", "rle"),
  encrypted: fc.boolean(),
  epochBlocks: fc.integer({ min: 1, max: 6 }),
  blocksPerPage: fc.integer({ min: 1, max: 6 }),
  hashesPerPage: fc.integer({ min: 1, max: 4 }),
  segmentTarget: fc.integer({ min: 1, max: 400 }),
  legacyTrak: fc.boolean(),
  meta: docArb,
  safe: fc.option(docArb, { nil: null }),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function inputs(k: Case): BlockInput[] {
  return k.blocks.map((b) => ({
    track_id: TRACK_IDS[b.track],
    pts_us: b.pts,
    kind: b.kind,
    keyframe: b.keyframe,
    payload: b.payload,
    ...(b.codec ? { codec: b.codec } : {}),
  }));
}

async function pack(k: Case): Promise<Uint8Array> {
  const opts: WriterOptions = {
    profile: k.profile,
    codec: k.codec,
    blocksPerPage: k.blocksPerPage,
    hashesPerPage: k.hashesPerPage,
    segmentTarget: k.segmentTarget,
    legacyTrak: k.profile === "v1" && k.legacyTrak,
    meta: k.meta,
    safe: k.safe,
  };
  if (k.encrypted) opts.sealer = createSealer(KEY, { epochBlocks: k.epochBlocks });
  return await packContainer(inputs(k), opts);
}

/** Everything a reader can learn from a container, or why it could not. */
interface Observation {
  /** True when the file opened, every block read and full verification passed. */
  ok: boolean;
  /** Codes of the H4Errors and failed checks on the way. */
  codes: string[];
  /** What was read, in a comparable form. */
  view: unknown;
}

/**
 * Opens, reads every index entry and block (with the key when the file says it is encrypted),
 * and runs full verification. Any exception other than an H4Error fails the test at once, and
 * so does a verification check that caught one (it reports those as H4_IO).
 */
async function observe(bytes: Uint8Array): Promise<Observation> {
  const codes: string[] = [];
  const guard = async <T>(f: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await f();
    } catch (e) {
      if (!isH4Error(e)) throw e;
      codes.push(e.code);
      return undefined;
    }
  };
  const c = await guard(() => openContainer(bytes));
  if (!c) return { ok: false, codes, view: null };
  let opener: BlockOpener | undefined;
  if (c.encrypted) opener = await guard(() => openCipher(c, { kind: "root", key: KEY }));
  const blocks: unknown[] = [];
  for (let i = 0; i < c.blockCount; i++) {
    const e = await guard(() => c.entry(i));
    const payload = await guard(() => c.readBlock(i, { opener }));
    const checked = await guard(() => c.readBlock(i, { opener, verify: true }));
    blocks.push([
      e && [e.track_id, e.pts_us, e.kind, e.keyframe, e.codec, e.plain_length],
      payload && [...payload],
      checked && [...checked],
    ]);
  }
  const report = await guard(() => c.verify({ opener }));
  for (const k of report?.checks ?? []) {
    assert.ok(k.ok || k.code !== "H4_IO", `verification caught an untyped error: ${k.message}`);
    if (!k.ok) codes.push(k.code ?? k.rule);
  }
  return {
    ok: codes.length === 0 && report?.ok === true,
    codes,
    view: {
      version: c.version,
      encrypted: c.encrypted,
      tracks: c.tracks,
      meta: c.meta,
      safe: c.safe,
      blocks,
    },
  };
}

Deno.test("property: random block sets round trip in v1 and v2, with and without LivingCipher", async () => {
  await fc.assert(
    fc.asyncProperty(caseArb, async (k) => {
      const blocks = inputs(k);
      const bytes = await pack(k);
      const c = await openContainer(bytes);
      assert.equal(c.profile, k.profile);
      assert.equal(c.encrypted, k.encrypted);
      assert.equal(c.blockCount, blocks.length);
      const opener = k.encrypted ? await openCipher(c, { kind: "root", key: KEY }) : undefined;
      for (const [i, b] of blocks.entries()) {
        const e = await c.entry(i);
        assert.deepEqual(
          [e.track_id, e.pts_us, e.kind, e.keyframe, e.codec, e.plain_length],
          [b.track_id, b.pts_us, b.kind, b.keyframe, b.codec ?? k.codec, b.payload.length],
        );
        assert.deepEqual(await c.readBlock(i, { opener }), b.payload);
        assert.deepEqual(await c.readBlock(i, { opener, verify: true }), b.payload);
      }
      const ids = [...new Set(blocks.map((b) => b.track_id))].sort(compareCodePoints);
      assert.deepEqual(c.tracks.map((t) => t.track_id), ids);
      for (const t of c.tracks) {
        const mine = blocks.filter((b) => b.track_id === t.track_id);
        assert.equal(t.blocks, mine.length);
        assert.equal(t.keyframes, mine.filter((b) => b.keyframe).length);
      }
      for (const [key, value] of Object.entries(k.meta)) assert.deepEqual(c.meta[key], value);
      assert.deepEqual(c.safe, k.safe);
      const report = await c.verify({ opener });
      assert.deepEqual(report.checks.filter((x) => !x.ok), []);
      // With a key, verification includes the LivingCipher transcript (SPEC.md H4-LC-017).
      if (k.encrypted) assert.ok(report.checks.some((x) => x.rule === "H4-LC-017" && x.ok));
    }),
    { seed: 0x9fa5, numRuns: 80 },
  );
});

Deno.test("property: a mutation yields the same result or a typed error, never an undetected change", async () => {
  const outcomes: Record<string, number> = {};
  await fc.assert(
    fc.asyncProperty(
      caseArb,
      fc.integer({ min: 1, max: 0x7fffffff }),
      fc.integer({ min: 1, max: 3 }),
      async (k, seed, count) => {
        const bytes = await pack(k);
        const before = await observe(bytes);
        assert.ok(before.ok, `the unmutated container fails: ${before.codes}`);
        const rng = makeRng(seed);
        let mutated = bytes;
        const applied: string[] = [];
        for (let j = 0; j < count; j++) {
          const m = mutate(mutated, rng);
          mutated = m.bytes;
          applied.push(`${m.mutator}${m.repaired ? "+repair" : ""}`);
        }
        const after = await observe(mutated);
        const same = after.ok &&
          JSON.stringify(after.view) === JSON.stringify(before.view);
        const outcome = same ? "same" : after.ok ? "UNDETECTED" : "rejected";
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        if (after.ok) {
          assert.deepEqual(
            after.view,
            before.view,
            `undetected corruption after ${applied.join(", ")} (${k.profile}, ${
              k.encrypted ? "encrypted" : "plain"
            })`,
          );
        } else assert.ok(after.codes.length > 0, "a failure must carry a code");
      },
    ),
    { seed: 0x4d75, numRuns: 300 },
  );
  console.log(`mutation outcomes: ${JSON.stringify(outcomes)}`);
  // The run reaches both outcomes: mutations that change nothing and ones that are rejected.
  assert.ok((outcomes.rejected ?? 0) > 100, JSON.stringify(outcomes));
});
