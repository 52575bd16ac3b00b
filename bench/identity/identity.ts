/**
 * The writer's performance paths must not change a byte. This packs a fixed set of inputs
 * (both profiles, every codec, encryption, small pages, blocks larger than a segment, and an
 * 80 MB input that moves hashing to a worker thread, with and without blocks larger than a
 * segment) and compares the SHA-256 of each file with the digests written by the writer
 * before the performance work (EXPECTED below). Run it on both hashing paths:
 *
 *   deno run -A bench/identity/identity.ts                       # node:crypto, worker thread
 *   deno run -A --no-config --import-map bench/identity/browser_map.json \
 *     bench/identity/identity.ts                                  # as a browser: @noble/hashes,
 *                                                                 # JS CRC-32, no worker
 *
 * Exits 1 on any difference. A deliberate format change updates EXPECTED (--print).
 *
 * @module
 */
import { packContainer, type WriterOptions } from "../../lib/format/writer.ts";
import { openContainer } from "../../lib/seek/container.ts";
import type { BlockInput, BlockSealer } from "../../lib/format/types.ts";

/**
 * Digests (first 32 hex digits) of the files written before the performance work; version 2
 * cases since its VERI hashes each stored byte once (SPEC.md H4-INT-005, issue 19).
 */
const EXPECTED: Record<string, string> = {
  "empty-v2": "573d62daa37439df94bedfe98104c3ee",
  "empty-v1": "053c268cd5ceac2cf42cbe86e9c9fb2f",
  "plain-v2": "c0ab7bde5a3e9f814de65fa174ddbb03",
  "plain-v1": "6b4d8e6abe498659bb9d8d16e6f03198",
  "big-v2": "c76840bc760432744bbc1fbf7b9c8931",
  "codecs-v2": "ec87505f20be70b34c7c3c94a4ed0dc2",
  "rle-v1": "e317624d7e8f2c4b2e900e6f45c65962",
  "pages-v2": "67a22060fe60c273778d838eb2f59cb8",
  "sealed-v2": "e6fa27b96f7b7894357280cf8720bed3",
  "sealed-v1": "67718c7c90a83cb5efc51c94546cd9f0",
  "80MB-v2": "26f9df815922457b4a5f532ce6e01a23",
  "80MB-big-v2": "0f62c8b7de79b5544e664631e025ab4c",
};

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function blocks(
  n: number,
  seed: number,
  o: { big?: boolean; codecs?: boolean; rleOnly?: boolean; size?: number } = {},
): BlockInput[] {
  const r = rng(seed);
  const out: BlockInput[] = [];
  let v = 0, a = -23220;
  for (let i = 0; i < n; i++) {
    const video = r() < 0.4;
    let len = video ? Math.floor(r() * 3000 * (o.size ?? 1)) + 1 : Math.floor(r() * 300) + 1;
    if (o.big && r() < 0.01) len = 300_000 + Math.floor(r() * 100000);
    const p = new Uint8Array(len);
    const runs = o.codecs || o.rleOnly;
    if (runs) { for (let k = 0; k < len; k++) p[k] = (k >> 4) & 3; }
    else {
      for (let k = 0; k < len; k++) p[k] = Math.floor(r() * 256);
    }
    const key = video ? v % 30 === 0 : true;
    const b: BlockInput = video
      ? {
        track_id: "video_main",
        pts_us: Math.round(v++ * 33333.3),
        kind: key ? "I" : (r() < 0.5 ? "P" : "B"),
        keyframe: key,
        payload: p,
      }
      : {
        track_id: r() < 0.9 ? "audio_main" : "ctl😀",
        pts_us: a += 23220,
        kind: "I",
        keyframe: true,
        payload: p,
      };
    if (o.rleOnly) b.codec = "rle";
    else if (o.codecs) b.codec = (["none", "deflate", "rle"] as const)[i % 3];
    out.push(b);
  }
  return out;
}

/**
 * 80 MB of 25-100 KB blocks: past the 64 MiB at which hashing moves to a worker thread. `big`:
 * one block in five of 0.3 to 5 MB, larger than a segment (copied for the worker up to 4 MiB).
 */
function large(big = false): BlockInput[] {
  const r = rng(big ? 10 : 9);
  const pool = new Uint8Array(8 << 20);
  for (let i = 0; i < pool.length; i++) pool[i] = (r() * 256) | 0;
  const out: BlockInput[] = [];
  let total = 0;
  for (let i = 0; total < 80e6; i++) {
    const len = big && i % 5 === 2
      ? 300_000 + Math.floor(r() * 4_700_000)
      : 25_000 + Math.floor(r() * 75_000);
    const at = Math.floor(r() * (pool.length - len));
    out.push({
      track_id: "video_main",
      pts_us: i * 33_333,
      kind: i % 30 === 0 ? "I" : "P",
      keyframe: i % 30 === 0,
      payload: pool.subarray(at, at + len),
    });
    total += len;
  }
  return out;
}

const sealer = (): BlockSealer => ({
  suite: "fake",
  seal: (ctx, d) => {
    const o = new Uint8Array(d.length + 16);
    o.set(d);
    o[d.length] = ctx.index & 255;
    return o;
  },
  finish: (root) => root.slice(),
});

const cases: [string, () => BlockInput[], WriterOptions][] = [
  ["empty-v2", () => [], {}],
  ["empty-v1", () => [], { profile: "v1" }],
  ["plain-v2", () => blocks(20000, 1), {}],
  ["plain-v1", () => blocks(3000, 2), { profile: "v1", legacyTrak: true }],
  ["big-v2", () => blocks(3000, 3, { big: true }), {}],
  ["codecs-v2", () => blocks(2000, 4, { codecs: true }), {
    meta: { a: 1, "é": [1, 2] },
    safe: { s: "x" },
  }],
  ["rle-v1", () => blocks(1000, 5, { rleOnly: true }), { profile: "v1", codec: "rle" }],
  ["pages-v2", () => blocks(5000, 6), {
    blocksPerPage: 7,
    hashesPerPage: 3,
    segmentTarget: 5000,
    seekIntervalUs: 0,
  }],
  ["sealed-v2", () => blocks(3000, 7), { sealer: sealer() }],
  ["sealed-v1", () => blocks(500, 8), { profile: "v1", sealer: sealer() }],
  ["80MB-v2", () => large(), {}],
  ["80MB-big-v2", () => large(true), {}],
];

const print = Deno.args.includes("--print");
let bad = 0;
for (const [name, make, opts] of cases) {
  const bytes = await packContainer(make(), opts);
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  ).toHex().slice(0, 32);
  const report = await (await openContainer(bytes)).verify();
  const want = EXPECTED[name];
  const same = want === "" || want === digest;
  if (!same || !report.ok) bad++;
  console.log(
    `${name.padEnd(10)} ${String(bytes.length).padStart(9)} ${digest} ${
      want === "" ? "(no expected digest)" : same ? "same bytes" : `DIFFERS from ${want}`
    } ${report.ok ? "verify ok" : "VERIFY FAILED"}`,
  );
  if (print) console.log(`  "${name}": "${digest}",`);
}
if (bad > 0) {
  console.log(`${bad} case(s) differ`);
  Deno.exit(1);
}
