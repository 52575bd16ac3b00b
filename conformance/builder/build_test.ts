import assert from "node:assert/strict";
import { packContainer } from "../../mod.ts";
import { openContainer } from "../../lib/seek/container.ts";
import { audio, blk, gop, interleave, small } from "../gen/common.ts";
import { craft, type CraftBlock, type CraftOptions, KIND_NAME } from "./build.ts";
import { expectedRead } from "./expect.ts";
import { canonicalRead } from "../adapter.ts";
import { diff } from "../canonical.ts";

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const CASES: [string, CraftBlock[], CraftOptions][] = [
  ["two tracks, v2", small(), {}],
  ["two tracks, v1", small(), { profile: "v1" }],
  ["rle, v1", gop("v", 7).map((b) => ({ ...b, codec: "rle" as const })), {
    profile: "v1",
    codec: "rle",
  }],
  ["meta and safe", small(), { meta: { title: "t", tracks: [1] }, safe: { a: [1, { b: null }] } }],
  ["pages", interleave(gop("video", 13), audio("audio", 9, -21_333, 21_333)), {
    blocksPerPage: 4,
    hashesPerPage: 1,
  }],
  ["unicode ids", [blk("😀", 0, "I", 3), blk("\uffff", 0, "I", 3), blk("é", -5, "I", 0)], {}],
  ["empty", [], {}],
];

Deno.test("builder: the same bytes as the library's writer for the same blocks and options", async () => {
  for (const [name, blocks, opts] of CASES) {
    const s = craft(blocks, opts);
    const lib = await packContainer(
      s.blocks.map((b) => ({
        track_id: b.track_id,
        pts_us: b.pts_us,
        kind: KIND_NAME[b.kind],
        keyframe: b.keyframe,
        payload: b.payload,
        codec: blocks[b.index].codec,
      })),
      {
        profile: opts.profile === "v1" ? "v1" : "v2",
        codec: opts.codec === "rle" ? "rle" : "none",
        meta: opts.meta,
        safe: opts.safe,
        blocksPerPage: opts.blocksPerPage,
        hashesPerPage: opts.hashesPerPage,
      },
    );
    assert.ok(
      same(s.bytes, lib),
      `${name}: builder ${s.bytes.length} bytes, library ${lib.length}`,
    );
  }
});

Deno.test("builder: the library reads what it builds, with the expected result", async () => {
  for (
    const [name, blocks, opts] of [
      ...CASES,
      ["legacy", small(), { profile: "legacy", codec: "rle" }] as const,
    ]
  ) {
    const s = craft(blocks, opts as CraftOptions);
    assert.equal(diff(expectedRead(s), await canonicalRead(s.bytes)), null, name);
  }
});

Deno.test("builder: a hook's change is carried into every later stage", async () => {
  // Flags in TRKS are not validated; the root and VERI must be recomputed over the new TRKS.
  const s = craft(small(), { hooks: { trks: (t) => t.tracks.forEach((x) => (x.flags = 7)) } });
  const c = await openContainer(s.bytes);
  assert.ok((await c.verify()).ok);
  // An identity hook changes nothing.
  assert.ok(
    same(
      craft(small(), {
        hooks: {
          bidxBytes: (p) => p,
          tail: (t) => t,
        },
      }).bytes,
      craft(small()).bytes,
    ),
  );
});

Deno.test("builder: layout lists every chunk at its offset", () => {
  const s = craft(small(), { safe: { a: 1 } });
  assert.deepEqual(s.layout.map((c) => c.tag), [
    "SEGM",
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
  const last = s.layout[s.layout.length - 1];
  assert.equal(last.offset + last.length, s.bytes.length);
  assert.equal(last.length, 172);
});

Deno.test("builder: a block's stored bytes are placed as given, unsealed; a sealer's chunksAfterLivc follow LIVC", () => {
  const sealed: number[] = [];
  const sealer = {
    suite: "test",
    seal: (ctx: { index: number }, data: Uint8Array) => (sealed.push(ctx.index), data),
    finish: () => new Uint8Array(5),
    chunksAfterLivc: () => [{ tag: "RCPT", payload: new Uint8Array(2) }],
  };
  const placed = small().map((b, i) => (i === 1 ? { ...b, stored: Uint8Array.of(9, 9, 9) } : b));
  const s = craft(placed, { sealer });
  assert.deepEqual(s.blocks[1].stored, Uint8Array.of(9, 9, 9));
  assert.equal(s.records[1].stored_length, 3);
  assert.equal(s.records[1].plain_length, placed[1].payload.length);
  assert.ok(!sealed.includes(1) && sealed.includes(0));
  const tags = s.layout.map((c) => c.tag);
  assert.equal(tags[tags.indexOf("LIVC") + 1], "RCPT");
  assert.equal(tags[tags.indexOf("RCPT") + 1], "META");
});
