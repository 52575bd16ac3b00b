/**
 * The three files of the original Python writer in the repository's sibling folder
 * `testdata/legacy-v1/`: tracks, blocks, payloads, seeks and verification.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { openContainer } from "./container.ts";
import { openFileSource } from "../io/file.ts";

const REPO_ROOT = new URL("../../", import.meta.url);
const LEGACY = new URL("testdata/legacy-v1/", REPO_ROOT);
const SAMPLES = ["single-track", "two-tracks", "unicode-ids"];

interface Described {
  core_index: number;
  track_id: string;
  pts_us: number;
  kind: "I" | "P" | "B";
  keyframe: boolean;
  length: number;
  sha256: string;
  payload_b64?: string;
}

function describe(name: string): Described[] {
  return JSON.parse(Deno.readTextFileSync(new URL(`${name}.json`, LEGACY))).blocks;
}

/** SEEKM parsed here from the bytes, independently of lib/format/seekm.ts. */
function seekm(b64: string): Map<string, [number, number][]> {
  const b = Uint8Array.fromBase64(b64);
  const v = new DataView(b.buffer);
  const out = new Map<string, [number, number][]>();
  let o = 4;
  for (let t = 0; t < v.getUint32(0); t++) {
    const len = v.getUint16(o);
    const id = new TextDecoder().decode(b.subarray(o + 2, o + 2 + len));
    o += 2 + len;
    const n = v.getUint32(o);
    o += 4;
    const list: [number, number][] = [];
    for (let k = 0; k < n; k++, o += 12) list.push([Number(v.getBigUint64(o)), v.getUint32(o + 8)]);
    out.set(id, list);
  }
  assert.equal(o, b.length);
  return out;
}

function byCodePoint(a: string, b: string): number {
  const x = new TextEncoder().encode(a), y = new TextEncoder().encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

for (const name of SAMPLES) {
  Deno.test(`legacy sample ${name}: tracks and blocks in order, payloads by SHA-256`, async () => {
    const desc = describe(name);
    const src = await openFileSource(new URL(`${name}.h4mk`, LEGACY).pathname);
    const c = await openContainer(src);
    try {
      assert.equal(c.profile, "legacy");
      assert.equal(c.version, 1);
      assert.equal(c.blockCount, desc.length);
      assert.equal(c.chunkCount, desc.length);
      assert.equal(c.root, null);
      assert.equal(c.encrypted, false);
      const ids = [...new Set(desc.map((d) => d.track_id))].sort(byCodePoint);
      assert.deepEqual(c.tracks.map((t) => t.track_id), ids);
      assert.deepEqual(c.meta.tracks, ids);
      for (const t of c.tracks) {
        const mine = desc.filter((d) => d.track_id === t.track_id);
        assert.equal(t.blocks, mine.length);
        assert.equal(t.keyframes, mine.filter((d) => d.keyframe).length);
        assert.equal(t.codec, "rle", "META names the geometric-reference engine");
      }
      for (const d of desc) {
        const e = await c.entry(d.core_index);
        assert.deepEqual(
          [e.index, e.track_id, e.pts_us, e.kind, e.keyframe, e.codec, e.plain_length],
          [d.core_index, d.track_id, d.pts_us, d.kind, d.keyframe, "rle", d.length],
          `${name} block ${d.core_index}`,
        );
        const p = await c.readBlock(d.core_index);
        assert.equal(p.length, d.length);
        assert.equal(createHash("sha256").update(p).digest("hex"), d.sha256);
        if (d.payload_b64) assert.deepEqual(p, Uint8Array.fromBase64(d.payload_b64));
        assert.deepEqual(await c.readBlock(d.core_index, { verify: true }), p);
        // Stored bytes are the rle pairs: twice as many bytes at most, runs 1..255.
        const stored = await c.readBlock(d.core_index, { raw: true });
        assert.equal(stored.length % 2, 0);
      }
    } finally {
      await c.close();
    }
  });

  Deno.test(`legacy sample ${name}: seeks answer as the SEEKM lists`, async () => {
    const bytes = Deno.readFileSync(new URL(`${name}.h4mk`, LEGACY));
    const c = await openContainer(bytes);
    const desc = describe(name);
    const lists = seekm(c.meta.seekm_b64 as string);
    assert.deepEqual([...lists.keys()], c.tracks.map((t) => t.track_id));
    for (const [id, list] of lists) {
      // SEEKM lists every keyframe of the track, sorted by pts.
      const keys = desc.filter((d) => d.track_id === id && d.keyframe)
        .map((d) => [d.pts_us, d.core_index]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      assert.deepEqual(list, keys);
      assert.equal(c.tracks.find((t) => t.track_id === id)!.seek_entries, list.length);
      const probes = new Set<number>([-1, 0, 10 ** 9]);
      for (const [p] of list) for (const q of [p - 1, p, p + 1, p + 12_345]) probes.add(q);
      for (const d of desc) probes.add(d.pts_us);
      for (const t of probes) {
        const le = list.filter(([p]) => p <= t);
        const best = le.length
          ? le.filter(([p]) => p === Math.max(...le.map(([q]) => q))).sort((a, b) => a[1] - b[1])[0]
          : list[0];
        const r = c.seek(id, t);
        assert.equal(r.core_index, best[1], `${name} ${id} at ${t}`);
        assert.equal(r.keyframe_pts_us, best[0]);
        assert.equal(r.found, le.length > 0);
        assert.equal(r.pts_us, t);
        const e = await c.entry(best[1]);
        assert.equal(r.offset, e.offset);
        assert.equal(r.stored_length, e.stored_length);
      }
    }
  });

  Deno.test(`legacy sample ${name}: verify() is ok`, async () => {
    const c = await openContainer(Deno.readFileSync(new URL(`${name}.h4mk`, LEGACY)));
    const r = await c.verify();
    assert.deepEqual(r.checks.filter((k) => !k.ok), []);
    assert.ok(r.ok);
    assert.ok(r.checks.some((k) => k.rule === "H4-INT-002" && k.ok), "VERI checked");
  });
}

Deno.test("legacy samples: a small tail probe reads them the same", async () => {
  for (const name of SAMPLES) {
    const bytes = Deno.readFileSync(new URL(`${name}.h4mk`, LEGACY));
    const a = await openContainer(bytes);
    const b = await openContainer(bytes, { tailProbe: 172 });
    assert.deepEqual(b.tracks, a.tracks);
    for (let i = 0; i < a.blockCount; i++) {
      assert.deepEqual(await b.readBlock(i), await a.readBlock(i));
    }
  }
});
