import assert from "node:assert/strict";
import { LEGACY_COMPRESSION } from "./constants.ts";
import { encodeJsonDoc } from "./meta.ts";
import { decodeSeekm } from "./seekm.ts";
import { decodeTrak } from "./trak.ts";
import { avBlocks, blk, type ParsedFile, parseFile, payload } from "./testdata/helpers.ts";
import type { BlockInput } from "./types.ts";
import { packContainer, type WriterOptions } from "./writer.ts";
import { writeTables } from "./writer_tables.ts";
import { allocColumns } from "./index_columns.ts";

/** SPEC.md 6.5: every keyframe of a track with a non-keyframe; thinned for all-keyframe tracks. */
function expectedSeek(blocks: BlockInput[], interval: number): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  const ids = [...new Set(blocks.map((b) => b.track_id))];
  for (const id of ids) {
    const mine = blocks.map((b, i) => [b, i] as const).filter(([b]) => b.track_id === id);
    const allKey = mine.every(([b]) => b.keyframe);
    const listed: [number, number][] = [];
    let last: number | undefined;
    for (const [b, i] of mine) {
      if (!b.keyframe) continue;
      if (allKey && interval > 0 && last !== undefined && b.pts_us < last + interval) continue;
      listed.push([b.pts_us, i]);
      last = b.pts_us;
    }
    out.set(id, listed.sort((a, b) => a[0] - b[0] || a[1] - b[1]));
  }
  return out;
}

function seekLists(f: ParsedFile): Map<string, [number, number][]> {
  return new Map(f.trks.map((t, i) => [
    t.track_id,
    Array.from({ length: f.ksek[i].count }, (_, k) => [f.ksek[i].pts[k], f.ksek[i].block[k]]) as [
      number,
      number,
    ][],
  ]));
}

Deno.test("writer: seek tables thin all-keyframe tracks and list every keyframe otherwise", async () => {
  const blocks: BlockInput[] = [];
  for (let i = 0; i < 200; i++) {
    blocks.push(blk("audio", i * 23_220 - 46_440, "I", true, payload(i, 10)));
    blocks.push(blk("video", i * 33_333, i % 2 ? "P" : "I", i % 2 === 0, payload(i, 20)));
    blocks.push(blk("ctl", Math.floor(i / 2) * 400_000, "I", true, payload(i, 2)));
  }
  for (const interval of [undefined, 500_000, 0, 2_500_000]) {
    const f = parseFile(await packContainer(blocks, { seekIntervalUs: interval }));
    const got = seekLists(f);
    const want = expectedSeek(blocks, interval ?? 1_000_000);
    assert.deepEqual(got, want, `interval ${interval}`);
    // Entries carry the block's fields (H4-SEK-001).
    f.trks.forEach((_, t) => {
      const table = f.ksek[t];
      for (let k = 0; k < table.count; k++) {
        const r = f.rows[table.block[k]];
        assert.equal(r.keyframe, 1);
        assert.equal(table.offset[k], r.offset);
        assert.equal(table.stored[k], r.stored);
        assert.equal(table.kind[k], r.kind);
        assert.equal(table.codec[k], r.codec);
        assert.equal(table.plain[k], r.plain);
      }
    });
  }
  // The default: audio lists about one entry per second, video every keyframe.
  const f = parseFile(await packContainer(blocks));
  const lists = seekLists(f);
  assert.equal(lists.get("video")!.length, 100);
  assert.equal(lists.get("audio")![0][0], -46_440, "the first keyframe is listed");
  assert.ok(lists.get("audio")!.length <= 6);
  assert.equal(f.trks.find((t) => t.track_id === "audio")!.keyframes, 200);
});

Deno.test("writer: a track without keyframes has an empty table; equal pts keep block order", async () => {
  const blocks = [
    blk("b", 0, "P", false),
    blk("b", 10, "P", false),
    blk("v", 100, "I", true),
    blk("v", 100, "I", true),
    blk("v", 50, "P", false),
    blk("v", 100, "I", true),
  ];
  const lists = seekLists(parseFile(await packContainer(blocks)));
  assert.deepEqual(lists.get("b"), []);
  assert.deepEqual(lists.get("v"), [[100, 2], [100, 3], [100, 5]]);
});

Deno.test("writer: track ids are numbered in code point order, whatever the arrival order", async () => {
  const ids = ["b", "\u{1F3B5}", "a", "\uffff", "\u00e9", "Z", "\u97f3\u58f0"];
  const blocks = ids.map((id, i) => blk(id, i));
  const f = parseFile(await packContainer(blocks));
  const want = [...ids].sort((x, y) => {
    const a = new TextEncoder().encode(x), b = new TextEncoder().encode(y);
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  });
  assert.deepEqual(want, ["Z", "a", "b", "\u00e9", "\u97f3\u58f0", "\uffff", "\u{1F3B5}"]);
  assert.deepEqual(f.trks.map((t) => t.track_id), want);
  assert.deepEqual(f.meta.tracks, want);
  f.rows.forEach((r, i) => assert.equal(r.track_id, ids[i]));
});

Deno.test("writer: META keys of v2 (domain, tracks; legacy and encryption keys removed)", async () => {
  const meta = {
    title: "x",
    domain: "mine",
    tracks: ["no"],
    seekm_b64: "AAAA",
    trak_b64: "AAAA",
    compression: { engine: "geometric-reference" },
    encryption: { suite: "v3" },
    nested: { "\u00e9": [1, 2] },
  };
  const f = parseFile(
    await packContainer(avBlocks(3), { meta, legacyTrak: true, codec: "rle" }),
  );
  assert.deepEqual(f.meta, {
    title: "x",
    domain: "video-transport",
    tracks: ["audio_main", "video_main"],
    nested: { "\u00e9": [1, 2] },
  });
  // The caller's object is not modified.
  assert.equal(meta.domain, "mine");
  assert.ok("encryption" in meta);
  // Compact UTF-8 JSON, bytes as encodeJsonDoc makes them.
  assert.deepEqual(f.tables.META, encodeJsonDoc(f.meta));
});

Deno.test("writer: META keys of v1 (seekm_b64 lists every keyframe, trak_b64 on request)", async () => {
  const blocks = [
    blk("video", 0, "I", true),
    blk("audio", 0, "I", true),
    blk("video", 66, "B", false),
    blk("audio", 21, "I", true),
    blk("video", 33, "P", false),
    blk("video", 100, "I", true),
    blk("audio", 42, "I", true),
  ];
  const bytes = await packContainer(blocks, {
    profile: "v1",
    meta: { title: "t", trak_b64: "stale", encryption: 1 },
    legacyTrak: true,
  });
  const f = parseFile(bytes);
  assert.deepEqual(Object.keys(f.meta), ["title", "trak_b64", "domain", "tracks", "seekm_b64"]);
  assert.equal(f.meta.domain, "video-transport");
  assert.deepEqual(f.meta.tracks, ["audio", "video"]);
  // Not thinned: the original reader sees every keyframe (H4-LEG-004), though KSEK is thinned.
  assert.deepEqual(decodeSeekm(Uint8Array.fromBase64(f.meta.seekm_b64 as string)), [
    { track_id: "audio", entries: [[0, 1], [21, 3], [42, 6]] },
    { track_id: "video", entries: [[0, 0], [100, 5]] },
  ]);
  assert.equal(f.ksek[0].count, 1, "KSEK thins the all-keyframe audio track");
  assert.deepEqual(
    decodeTrak(Uint8Array.fromBase64(f.meta.trak_b64 as string)),
    blocks.map((b, i) => ({
      track_id: b.track_id,
      pts_us: b.pts_us,
      kind: b.kind,
      keyframe: b.keyframe,
      core_index: i,
    })),
  );
  assert.ok(!("compression" in f.meta), "codec none: no compression key");
  assert.ok(!("encryption" in f.meta));
});

Deno.test("writer: v1 compression key only when every block is rle", async () => {
  const blocks = avBlocks(4);
  const cases: [WriterOptions, BlockInput[], boolean][] = [
    [{ codec: "rle" }, blocks, true],
    [{ codec: "none" }, blocks.map((b) => ({ ...b, codec: "rle" as const })), true],
    [{ codec: "rle" }, [...blocks, blk("x", 0, "I", true, payload(1, 5), "none")], false],
    [{ codec: "rle" }, [...blocks, blk("x", 0, "I", true, payload(1, 5), "deflate")], false],
    [{ codec: "none" }, blocks, false],
    [{ codec: "deflate", meta: { compression: { engine: "geometric-reference" } } }, blocks, false],
  ];
  for (const [opts, bl, present] of cases) {
    const f = parseFile(await packContainer(bl, { ...opts, profile: "v1" }));
    if (present) assert.deepEqual(f.meta.compression, LEGACY_COMPRESSION);
    else assert.ok(!("compression" in f.meta), JSON.stringify(opts));
  }
});

Deno.test("writer: v1 without legacyTrak does not keep a caller's stale trak_b64", async () => {
  // BUG: buildMeta deletes trak_b64 only for v2. A v1 file written with META copied from
  // another file (e.g. converting a legacy file) keeps that file's block list, which the
  // original reader then trusts: it no longer matches the CORE chunks.
  const stale = new TextEncoder().encode('{"trak":[]}').toBase64();
  const blocks = avBlocks(3);
  const f = parseFile(await packContainer(blocks, { profile: "v1", meta: { trak_b64: stale } }));
  if ("trak_b64" in f.meta) {
    const listed = decodeTrak(Uint8Array.fromBase64(f.meta.trak_b64 as string));
    assert.equal(listed.length, blocks.length, "trak_b64 lists the file's blocks");
  }
});

Deno.test("writer tables: the chunks after the last block, in the format's order", async () => {
  const tags: string[] = [];
  let pos = 8;
  const cols = allocColumns(1);
  cols.count = 1;
  cols.keyframe[0] = 1;
  const s = await writeTables({
    opts: { safe: { a: 1 } },
    profile: "v2",
    header: new Uint8Array(8),
    defaultCodecId: 0,
    cols,
    trackIds: ["v"],
    chunkCount: 1,
    bhsh: new Uint8Array(32),
    pos: () => pos,
    emit: (b) => {
      tags.push(new TextDecoder().decode(b.subarray(0, 4)));
      pos += b.length;
      return Promise.resolve();
    },
    veri: () => Promise.resolve(new Uint8Array(32).fill(1)),
  });
  assert.deepEqual(tags, ["BIDX", "BHSH", "KSEK", "TDIR", "TRKS", "META", "SAFE", "VERI", "LOCA"]);
  assert.equal(s.tracks, 1);
  assert.deepEqual(s.veri, new Uint8Array(32).fill(1));
});
