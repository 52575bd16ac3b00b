/**
 * The audit's mutation classes (issue 14) as tests: bit flips, truncation, swaps, reorder, drop,
 * duplicate, transplant, relabel and META edits, each applied to a sealed container and rejected
 * by strict verification with the root key and with an epoch key. Deterministic samples (every
 * chunk's header and payload ends, a few cut points), not exhaustive loops: the fuzz suite does
 * volume.
 */
import assert from "node:assert/strict";
import type { BlockInput, BlockSealer, Profile } from "../format/types.ts";
import { packContainer } from "../format/writer.ts";
import { TAG_LENGTH } from "./constants.ts";
import { encodeKeyFile, type LivingKey } from "./keys.ts";
import { grantEpochKey } from "./opener.ts";
import { createSealer } from "./sealer.ts";
import { openContainer } from "../seek/container.ts";
import { strictRead } from "./vector_check.ts";
import { insertChunkBeforeVeri } from "../format/testdata/forge.ts";
import { walkChunks } from "../format/chunk.ts";

const KEY = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);
const META = { title: "mutations" };
const SAFE = { rating: "G" };

function payload(i: number, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, k) => (i * 131 + k * 17 + (k >> 3)) & 0xff);
}

/** Seven blocks of two tracks in epochs of 2; blocks 1, 3 and 5 (audio) share one length. */
const BLOCKS: BlockInput[] = [
  { track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: payload(0, 50) },
  { track_id: "a", pts_us: 0, kind: "I", keyframe: true, payload: payload(1, 20) },
  { track_id: "v", pts_us: 40_000, kind: "P", keyframe: false, payload: payload(2, 31) },
  { track_id: "a", pts_us: 20_000, kind: "I", keyframe: true, payload: payload(3, 20) },
  { track_id: "v", pts_us: 80_000, kind: "I", keyframe: true, payload: payload(4, 44) },
  { track_id: "a", pts_us: 40_000, kind: "I", keyframe: true, payload: payload(5, 20) },
  { track_id: "v", pts_us: 120_000, kind: "P", keyframe: false, payload: payload(6, 9) },
];

interface Sealed {
  bytes: Uint8Array;
  stored: Uint8Array[];
  livc: Uint8Array;
}

async function seal(profile: Profile, blocks = BLOCKS): Promise<Sealed> {
  const real = createSealer(KEY, { epochBlocks: 2 });
  const stored: Uint8Array[] = [];
  let livc: Uint8Array = new Uint8Array(0);
  const sealer: BlockSealer = {
    suite: real.suite,
    seal: (ctx, data) => {
      const s = real.seal(ctx, data);
      stored.push(s);
      return s;
    },
    finish: (root) => (livc = real.finish(root)),
  };
  const bytes = await packContainer(blocks, {
    profile,
    meta: META,
    safe: SAFE,
    sealer,
    seekIntervalUs: 0,
  });
  return { bytes, stored, livc };
}

/** A consistent rewrite: the index of `blocks`, stored bytes `stored`, LIVC `livc`; every unkeyed check recomputed. */
async function forge(
  profile: Profile,
  blocks: BlockInput[],
  stored: Uint8Array[],
  livc: Uint8Array,
  meta: Record<string, unknown> = META,
): Promise<Uint8Array> {
  let i = 0;
  const sealer: BlockSealer = {
    suite: "chacha20-poly1305",
    seal: () => stored[i++],
    finish: () => livc,
  };
  const shaped = blocks.map((b, k) => ({
    ...b,
    payload: new Uint8Array(stored[k].length - TAG_LENGTH),
  }));
  return await packContainer(shaped, { profile, meta, safe: SAFE, sealer, seekIntervalUs: 0 });
}

/** Chunk boundaries of a file: [offset, payload length]. */
function chunks(bytes: Uint8Array): [number, number][] {
  return walkChunks(bytes).map((c) => [c.offset, c.length]);
}

/** Bit positions to flip: each header byte, and per chunk its tag, length, CRC and payload ends. */
function flipPositions(bytes: Uint8Array): number[] {
  const at = new Set<number>([0, 3, 4, 5, 6, 7]);
  for (const [o, len] of chunks(bytes)) {
    for (const d of [0, 4, 7, 8, 11]) at.add(o + d);
    if (len > 0) { for (const d of [0, len >> 1, len - 1]) at.add(o + 12 + d); }
  }
  return [...at].sort((a, b) => a - b);
}

async function keysOf(bytes: Uint8Array): Promise<[string, LivingKey][]> {
  const c = await openContainer(bytes);
  return [
    ["root key", { kind: "root", key: KEY }],
    ["epoch-1 key", grantEpochKey(c, KEY, 1)],
  ];
}

/** Asserts strict verification rejects every mutant with every key; returns the codes seen. */
async function rejected(
  original: Uint8Array,
  mutants: [string, Uint8Array][],
): Promise<Set<string>> {
  const codes = new Set<string>();
  const keys = await keysOf(original);
  for (const [, key] of keys) {
    assert.equal((await strictRead(original, encodeKeyFile(key))).code, "ok");
  }
  for (const [what, bytes] of mutants) {
    for (const [name, key] of keys) {
      const r = await strictRead(bytes, encodeKeyFile(key));
      assert.notEqual(r.code, "ok", `${what} accepted with the ${name}`);
      codes.add(r.code);
    }
  }
  return codes;
}

for (const profile of ["v1", "v2"] as const) {
  Deno.test(`mutations (${profile}): bit flips in every chunk's header and payload are rejected`, async () => {
    const { bytes } = await seal(profile);
    const mutants: [string, Uint8Array][] = flipPositions(bytes).map((p) => {
      const m = bytes.slice();
      m[p] ^= 1 << (p % 8);
      return [`bit ${p % 8} of byte ${p}`, m];
    });
    assert.ok(mutants.length >= 40, String(mutants.length));
    await rejected(bytes, mutants);
  });

  Deno.test(`mutations (${profile}): truncations are rejected`, async () => {
    const { bytes } = await seal(profile);
    const n = bytes.length;
    const cuts = [0, 7, 8, 19, 20, 21, n >> 1, n - 173, n - 172, n - 171, n - 12, n - 1];
    const codes = await rejected(
      bytes,
      cuts.map((k) => [`first ${k} bytes`, bytes.slice(0, k)]),
    );
    assert.ok(codes.size >= 1);
  });

  Deno.test(`mutations (${profile}): swaps, reorder, drop, duplicate, transplant, relabel and META edits are rejected`, async () => {
    const s = await seal(profile);
    const other = await seal(profile); // same key and blocks, another container id
    const st = s.stored;
    const swap = <T>(a: T[], i: number, j: number): T[] => {
      const b = [...a];
      [b[i], b[j]] = [b[j], b[i]];
      return b;
    };
    const f = (blocks: BlockInput[], stored: Uint8Array[], meta?: Record<string, unknown>) =>
      forge(profile, blocks, stored, s.livc, meta);
    const mutants: [string, Uint8Array][] = [
      // Swaps: stored bytes of two same-length blocks, in a sealed epoch (1, 3) and an open one (3, 5).
      ["swap 1 and 3", await f(BLOCKS, swap(st, 1, 3))],
      ["swap 3 and 5", await f(BLOCKS, swap(st, 3, 5))],
      // Reorder: blocks and their index entries together.
      ["reorder 2 and 4", await f(swap(BLOCKS, 2, 4), swap(st, 2, 4))],
      ["reorder 0 and 6", await f(swap(BLOCKS, 0, 6), swap(st, 0, 6))],
      // Drop and duplicate.
      ["drop 0", await f(BLOCKS.slice(1), st.slice(1))],
      ["drop 4", await f(BLOCKS.toSpliced(4, 1), st.toSpliced(4, 1))],
      ["drop last", await f(BLOCKS.slice(0, -1), st.slice(0, -1))],
      ["duplicate 2", await f(BLOCKS.toSpliced(2, 0, BLOCKS[2]), st.toSpliced(2, 0, st[2]))],
      ["duplicate last", await f([...BLOCKS, BLOCKS[6]], [...st, st[6]])],
      // Transplant: a block of another container under the same key, and its LIVC.
      ["transplant 1", await f(BLOCKS, st.with(1, other.stored[1]))],
      ["transplant 5", await f(BLOCKS, st.with(5, other.stored[5]))],
      ["transplant LIVC", await forge(profile, BLOCKS, st, other.livc)],
      // Relabel one index entry.
      ["relabel pts", await f(BLOCKS.with(4, { ...BLOCKS[4], pts_us: 80_001 }), st)],
      ["relabel track", await f(BLOCKS.with(5, { ...BLOCKS[5], track_id: "v" }), st)],
      [
        "relabel keyframe",
        await f(BLOCKS.with(2, { ...BLOCKS[2], kind: "I", keyframe: true }), st),
      ],
      ["relabel sealed block pts", await f(BLOCKS.with(1, { ...BLOCKS[1], pts_us: 1 }), st)],
      // META edits.
      ["META value", await f(BLOCKS, st, { title: "mutationS" })],
      ["META key added", await f(BLOCKS, st, { ...META, extra: true })],
      ["META emptied", await f(BLOCKS, st, {})],
      // Bytes outside the seal.
      ["inserted chunk", insertChunkBeforeVeri(s.bytes, "XTRA", new Uint8Array(4))],
    ];
    const codes = await rejected(s.bytes, mutants);
    assert.ok(codes.has("H4_CIPHER_SEAL_MISMATCH"), [...codes].join());
    assert.ok(codes.has("H4_CIPHER_UNSEALED_DATA"), [...codes].join());
  });
}
