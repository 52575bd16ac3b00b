/**
 * Legacy compatibility of what we write: a strict emulation of the ORIGINAL reader, written
 * only from testdata/legacy-v1/FORMAT-NOTES.md (and independent of this package's decoders),
 * reads our v1 files and must see the same tracks, keyframe tables and blocks.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { crc32 as zlibCrc32 } from "node:zlib";
import { concat } from "./bytes.ts";
import { LEGACY_DIR, payload, rng } from "./testdata/helpers.ts";
import type { BlockInput, BlockKind } from "./types.ts";
import { packContainer, type WriterOptions } from "./writer.ts";

/** What the original reader gets out of a file. */
interface OriginalView {
  chunks: Map<string, Uint8Array[]>;
  order: string[];
  veriOk: boolean | null;
  meta: Record<string, unknown>;
  domain: unknown;
  tracks: string[];
  /** Per track: [pts_us, core_index], as SEEKM lists them. */
  seekm: Map<string, [number, number][]>;
  trak: {
    track_id: string;
    pts_us: number;
    kind: BlockKind;
    keyframe: boolean;
    core_index: number;
  }[] | null;
  /** CORE payloads, decoded when META names the geometric-reference engine. */
  blocks: Uint8Array[];
}

class OriginalReaderError extends Error {}

/** The original reader, as FORMAT-NOTES.md describes it. */
function originalRead(bytes: Uint8Array): OriginalView {
  const fail = (m: string): never => {
    throw new OriginalReaderError(m);
  };
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8) fail("short file");
  if (new TextDecoder().decode(bytes.subarray(0, 4)) !== "H4MK") fail("bad magic");
  const version = v.getUint16(4);
  if (version !== 1) fail(`unsupported version ${version}`);
  const chunks = new Map<string, Uint8Array[]>();
  const order: string[] = [];
  let veriOk: boolean | null = null;
  let o = 8;
  // Accepts any tag; stops quietly when fewer than 12 bytes remain.
  while (bytes.length - o >= 12) {
    const tag = String.fromCharCode(...bytes.subarray(o, o + 4));
    const length = v.getUint32(o + 4);
    const crc = v.getUint32(o + 8);
    if (o + 12 + length > bytes.length) fail(`${tag} at ${o} runs past the end`);
    const p = bytes.subarray(o + 12, o + 12 + length);
    if ((zlibCrc32(p) >>> 0) !== crc) fail(`${tag} at ${o}: bad CRC`);
    if (tag === "VERI") {
      // VERI: SHA-256 of every chunk before it, as written, from offset 8.
      const want = createHash("sha256").update(bytes.subarray(8, o)).digest();
      veriOk = Buffer.compare(want, p) === 0;
    }
    if (!chunks.has(tag)) chunks.set(tag, []);
    chunks.get(tag)!.push(p);
    order.push(tag);
    o += 12 + length;
  }
  const metaBytes = chunks.get("META")?.[0] ?? fail("no META");
  const meta = JSON.parse(new TextDecoder().decode(metaBytes));
  const seekm = new Map<string, [number, number][]>();
  if (typeof meta.seekm_b64 === "string") {
    const s = Uint8Array.from(atob(meta.seekm_b64), (c) => c.charCodeAt(0));
    const sv = new DataView(s.buffer);
    let q = 0;
    const n = sv.getUint32(q);
    q += 4;
    for (let t = 0; t < n; t++) {
      const len = sv.getUint16(q);
      q += 2;
      const id = new TextDecoder().decode(s.subarray(q, q + len));
      q += len;
      const m = sv.getUint32(q);
      q += 4;
      const list: [number, number][] = [];
      for (let k = 0; k < m; k++) {
        // ">Q": unsigned.
        const pts = sv.getBigUint64(q);
        const idx = sv.getUint32(q + 8);
        q += 12;
        list.push([Number(pts), idx]);
      }
      seekm.set(id, list);
    }
    if (q !== s.length) fail("SEEKM has bytes left over");
  }
  let trak: OriginalView["trak"] = null;
  if (typeof meta.trak_b64 === "string") {
    const t = Uint8Array.from(atob(meta.trak_b64), (c) => c.charCodeAt(0));
    trak = JSON.parse(new TextDecoder().decode(t)).trak;
  }
  const rle = meta.compression?.engine === "geometric-reference";
  const blocks = (chunks.get("CORE") ?? []).map((p) => {
    if (!rle) return p;
    const out: number[] = [];
    for (let i = 0; i + 1 < p.length; i += 2) for (let r = 0; r < p[i + 1]; r++) out.push(p[i]);
    return Uint8Array.from(out);
  });
  return {
    chunks,
    order,
    veriOk,
    meta,
    domain: meta.domain,
    tracks: meta.tracks,
    seekm,
    trak,
    blocks,
  };
}

function byCodePoint(a: string, b: string): number {
  const x = new TextEncoder().encode(a), y = new TextEncoder().encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/** What the original reader must see for `blocks`. */
function checkView(view: OriginalView, blocks: BlockInput[], withTrak: boolean): void {
  assert.equal(view.veriOk, true, "VERI");
  assert.equal(view.domain, "video-transport");
  const ids = [...new Set(blocks.map((b) => b.track_id))].sort(byCodePoint);
  assert.deepEqual(view.tracks, ids);
  assert.deepEqual([...view.seekm.keys()], ids);
  for (const id of ids) {
    const keys = blocks.map((b, i) => [b.pts_us, i] as [number, number]).filter(([, i]) =>
      blocks[i].track_id === id && blocks[i].keyframe
    ).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    assert.deepEqual(view.seekm.get(id), keys, `keyframes of ${id}`);
  }
  assert.equal(view.blocks.length, blocks.length);
  blocks.forEach((b, i) => assert.deepEqual(view.blocks[i], b.payload, `block ${i}`));
  if (withTrak) {
    assert.deepEqual(
      view.trak,
      blocks.map((b, i) => ({
        track_id: b.track_id,
        pts_us: b.pts_us,
        kind: b.kind,
        keyframe: b.keyframe,
        core_index: i,
      })),
    );
  } else {
    assert.equal(view.trak, null);
  }
  // The original writer's order is kept in front of our tables: CORE..., SEEK, then ours.
  assert.deepEqual(view.order.slice(0, blocks.length + 1), [
    ...new Array(blocks.length).fill("CORE"),
    "SEEK",
  ]);
}

/** Blocks the original writer could have written: lengths multiple of 256, non-negative pts. */
function originalLikeBlocks(): BlockInput[] {
  const r = rng(91);
  const out: BlockInput[] = [];
  const tracks = ["video_main", "controls", "vid\u00e9o_principal", "\u97f3\u58f0", "\u{1F3B5}"];
  for (let i = 0; i < 40; i++) {
    const t = tracks[i % tracks.length];
    const key = i % 10 < 5;
    const kind: BlockKind = key ? "I" : i % 2 ? "P" : "B";
    const n = 256 * Math.floor(r() * 4);
    out.push({
      track_id: t,
      pts_us: Math.floor(i / 5) * 40_000,
      kind,
      keyframe: key,
      payload: payload(i, n),
    });
  }
  // Equal pts keyframes on one track, and B-frame pts order.
  out.push({
    track_id: "video_main",
    pts_us: 0,
    kind: "I",
    keyframe: true,
    payload: payload(99, 256),
  });
  out.push({
    track_id: "video_main",
    pts_us: 500_000,
    kind: "B",
    keyframe: false,
    payload: new Uint8Array(0),
  });
  return out;
}

Deno.test("legacy compat: the emulated original reader reads the three samples", () => {
  for (const name of ["single-track", "two-tracks", "unicode-ids"]) {
    const bytes = Deno.readFileSync(new URL(`${name}.h4mk`, LEGACY_DIR));
    const desc = JSON.parse(Deno.readTextFileSync(new URL(`${name}.json`, LEGACY_DIR)));
    const view = originalRead(bytes);
    assert.equal(view.veriOk, true, name);
    assert.deepEqual(view.order.slice(-4), ["SEEK", "META", "SAFE", "VERI"]);
    assert.equal(view.blocks.length, desc.blocks.length);
    for (const d of desc.blocks) {
      const p = view.blocks[d.core_index];
      assert.equal(p.length, d.length);
      assert.equal(createHash("sha256").update(p).digest("hex"), d.sha256);
    }
  }
});

Deno.test("legacy compat: our v1 files are read by the original reader (none and rle, ± trak)", async () => {
  const blocks = originalLikeBlocks();
  for (const codec of ["none", "rle"] as const) {
    for (const legacyTrak of [false, true]) {
      const opts: WriterOptions = {
        profile: "v1",
        codec,
        legacyTrak,
        meta: { title: "\u00dcn\u00efcode \u2713" },
        safe: { policy: "internal" },
      };
      const bytes = await packContainer(blocks, opts);
      const view = originalRead(bytes);
      checkView(view, blocks, legacyTrak);
      assert.equal(view.meta.title, "\u00dcn\u00efcode \u2713");
      assert.equal(view.chunks.get("SAFE")!.length, 1);
      assert.deepEqual(JSON.parse(new TextDecoder().decode(view.chunks.get("SAFE")![0])), {
        policy: "internal",
      });
      assert.equal(
        "compression" in view.meta,
        codec === "rle",
        "compression names the engine exactly when every block is rle",
      );
    }
  }
});

Deno.test("legacy compat: payloads of any length and empty ones survive rle for the original reader", async () => {
  const blocks: BlockInput[] = [
    { track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array(0) },
    { track_id: "v", pts_us: 1, kind: "P", keyframe: false, payload: payload(1, 1) },
    { track_id: "v", pts_us: 2, kind: "P", keyframe: false, payload: new Uint8Array(1000).fill(3) },
    { track_id: "v", pts_us: 3, kind: "P", keyframe: false, payload: payload(2, 777) },
  ];
  checkView(
    originalRead(await packContainer(blocks, { profile: "v1", codec: "rle", legacyTrak: true })),
    blocks,
    true,
  );
});

Deno.test("legacy compat: our CORE chunks and META equal the original writer's bytes", async () => {
  // Rewrite each sample's blocks with our v1 writer (rle, trak, the sample's caller keys):
  // the CORE chunks and the META payload must be byte for byte those of the original writer.
  for (const name of ["single-track", "two-tracks", "unicode-ids"]) {
    const bytes = Deno.readFileSync(new URL(`${name}.h4mk`, LEGACY_DIR));
    const view = originalRead(bytes);
    const blocks: BlockInput[] = view.trak!.map((e, i) => ({
      track_id: e.track_id,
      pts_us: e.pts_us,
      kind: e.kind,
      keyframe: e.keyframe,
      payload: view.blocks[i],
    }));
    const callerKeys = Object.fromEntries(
      Object.entries(view.meta).filter(([k]) =>
        !["domain", "tracks", "seekm_b64", "trak_b64", "compression"].includes(k)
      ),
    );
    const safe = JSON.parse(new TextDecoder().decode(view.chunks.get("SAFE")![0]));
    const ours = await packContainer(blocks, {
      profile: "v1",
      codec: "rle",
      legacyTrak: true,
      meta: callerKeys,
      safe,
    });
    const oursView = originalRead(ours);
    const coreEnd = (v: OriginalView) =>
      8 + v.chunks.get("CORE")!.reduce((n, p) => n + 12 + p.length, 0);
    assert.deepEqual(
      ours.subarray(0, coreEnd(oursView)),
      bytes.subarray(0, coreEnd(view)),
      `${name}: header and CORE chunks`,
    );
    assert.deepEqual(oursView.chunks.get("SEEK"), view.chunks.get("SEEK"), `${name}: SEEK`);
    assert.equal(
      new TextDecoder().decode(oursView.chunks.get("META")![0]),
      new TextDecoder().decode(view.chunks.get("META")![0]),
      `${name}: META`,
    );
    assert.deepEqual(oursView.chunks.get("SAFE"), view.chunks.get("SAFE"), `${name}: SAFE`);
  }
});

Deno.test("legacy compat: the original reader refuses a v2 file by its version", async () => {
  const bytes = await packContainer(originalLikeBlocks());
  assert.throws(() => originalRead(bytes), (e) => {
    assert.ok(e instanceof OriginalReaderError);
    assert.match(e.message, /unsupported version 2/);
    return true;
  });
});

Deno.test("legacy compat: the emulation is strict (CRC, overrun, quiet stop)", async () => {
  const bytes = await packContainer(originalLikeBlocks().slice(0, 5), { profile: "v1" });
  const badCrc = bytes.slice();
  badCrc[20] ^= 1;
  assert.throws(() => originalRead(badCrc), OriginalReaderError);
  assert.throws(() => originalRead(bytes.subarray(0, bytes.length - 1)), OriginalReaderError);
  // Up to 11 trailing bytes are ignored by the original reader.
  const view = originalRead(concat([bytes, new Uint8Array(11)]));
  assert.equal(view.blocks.length, 5);
});
