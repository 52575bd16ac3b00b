/**
 * LivingCipher benchmarks (SPEC.md section 12): seal/open throughput against the bare native
 * ChaCha20-Poly1305 AEAD on the same bytes, at 4 KiB, 64 KiB and 1 MiB, and random access to
 * block 900,000 of a 1,000,000-block container.
 *
 *     deno bench -A bench/living_bench.ts
 *
 * The 1,000,000-block container is written by the real writer and read by the real reader; to
 * keep its setup short, only the blocks the benchmark reads are really encrypted (the others are
 * placeholders of the right length) and the sealed transcript is a placeholder: opening checks
 * the key check and the seal over LIVC and the root, which is all a random-access reader does.
 *
 * @module
 */
import { createCipheriv, createDecipheriv } from "node:crypto";
import type { BlockContext, BlockSealer } from "../lib/format/types.ts";
import { createWriter } from "../lib/format/writer.ts";
import { openContainer } from "../lib/seek/container.ts";
import { blockNonce, createAdEncoder } from "../lib/living/context.ts";
import {
  blockKey,
  computeSeal,
  createEpochChain,
  epochZeroKey,
  keyCheck,
  nextEpochKey,
} from "../lib/living/key_schedule.ts";
import { encodeLivc, epochCount } from "../lib/living/livc.ts";
import { createSealer, getSuite, openCipher } from "../lib/living/mod.ts";

const KEY = new Uint8Array(32).fill(0x42);
const SIZES: [string, number][] = [["4 KiB", 4096], ["64 KiB", 65536], ["1 MiB", 1 << 20]];

function ctx(index: number, plain: number): BlockContext {
  return {
    index,
    track_id: "video",
    pts_us: index * 33_333,
    kind: "P",
    keyframe: false,
    codec: "none",
    plain_length: plain,
  };
}

for (const [label, size] of SIZES) {
  const data = new Uint8Array(size).map((_, i) => i * 7);
  const ad = createAdEncoder("chacha20-poly1305", new Uint8Array(16)).encode(ctx(0, size));
  const nonce = blockNonce(0);
  const aeadKey = new Uint8Array(32).fill(1);

  Deno.bench({
    name: `bare node:crypto chacha20-poly1305 encrypt ${label}`,
    group: `encrypt ${label}`,
    baseline: true,
    n: size > 100_000 ? 200 : undefined,
    fn() {
      const c = createCipheriv("chacha20-poly1305", aeadKey, nonce, { authTagLength: 16 });
      c.setAAD(ad, { plaintextLength: size });
      c.update(data);
      c.final();
      c.getAuthTag();
    },
  });
  const sealer = createSealer(KEY);
  let next = 0;
  Deno.bench({
    name: `LivingCipher seal ${label}`,
    group: `encrypt ${label}`,
    n: size > 100_000 ? 200 : undefined,
    fn() {
      sealer.seal(ctx(next, size), data);
      next++;
    },
  });
  if (size <= 65536) {
    const portable = createSealer(KEY, { backend: "portable" });
    let nextPortable = 0;
    Deno.bench({
      name: `LivingCipher seal ${label} (portable, @noble/ciphers)`,
      group: `encrypt ${label}`,
      fn() {
        portable.seal(ctx(nextPortable, size), data);
        nextPortable++;
      },
    });
  }

  // Decryption: one sealed block, opened again and again.
  const oneSealer = createSealer(KEY);
  const stored = oneSealer.seal(ctx(0, size), data);
  const root = new Uint8Array(32);
  const container = {
    livc: oneSealer.finish(root),
    root,
    blockCount: 1,
    entry: () => Promise.reject(new Error("unused")),
    readStored: () => Promise.resolve(stored),
  };
  const opener = await openCipher(container, KEY);
  const bare = getSuite("chacha20-poly1305", "native").seal(aeadKey, nonce, ad, data);
  Deno.bench({
    name: `bare node:crypto chacha20-poly1305 decrypt ${label}`,
    group: `decrypt ${label}`,
    baseline: true,
    n: size > 100_000 ? 200 : undefined,
    fn() {
      const d = createDecipheriv("chacha20-poly1305", aeadKey, nonce, { authTagLength: 16 });
      d.setAAD(ad, { plaintextLength: size });
      d.setAuthTag(bare.subarray(size));
      d.update(bare.subarray(0, size));
      d.final();
    },
  });
  Deno.bench({
    name: `LivingCipher open ${label}`,
    group: `decrypt ${label}`,
    n: size > 100_000 ? 200 : undefined,
    fn() {
      opener.open(ctx(0, size), stored);
    },
  });
}

// Random access in a 1,000,000-block container (default epoch size 4096: 245 epochs).
const N = 1_000_000;
const FAR = 900_000;
const BLOCK = 1024;
const K = 4096;
const cid = new Uint8Array(16).fill(0x5c);
const targets = new Set([0, 1, FAR, FAR + 1]);
const n = epochCount(N, K);
const chain = createEpochChain(0, epochZeroKey(KEY, cid), n);
const suite = getSuite("chacha20-poly1305");
const adEncoder = createAdEncoder(suite.name, cid);
const placeholder = new Uint8Array(BLOCK + 16);
// Only the blocks read below are really sealed (see the module comment).
const fastSealer: BlockSealer = {
  suite: suite.name,
  seal(c, data) {
    if (!targets.has(c.index)) return placeholder;
    const k = blockKey(chain.key(Math.floor(c.index / K)), suite.name);
    return suite.seal(k, blockNonce(c.index), adEncoder.encode(c), data);
  },
  finish(root) {
    const closing = chain.key(n);
    const livc = encodeLivc({
      suite: suite.name,
      containerId: cid,
      epochBlocks: K,
      blockCount: N,
      keyCheck: keyCheck(closing),
      transcript: new Uint8Array(32),
      seal: new Uint8Array(32),
    });
    livc.set(computeSeal(closing, livc.subarray(0, livc.length - 32), root), livc.length - 32);
    return livc;
  },
};
const parts: Uint8Array[] = [];
const writer = createWriter({ write: (b) => void parts.push(b.slice()) }, { sealer: fastSealer });
const payload = new Uint8Array(BLOCK).fill(3);
for (let i = 0; i < N; i++) {
  await writer.add({
    track_id: "video",
    pts_us: i * 33_333,
    kind: i % 30 ? "P" : "I",
    keyframe: i % 30 === 0,
    payload,
  });
}
await writer.finish();
const file = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
for (let o = 0, i = 0; i < parts.length; o += parts[i].length, i++) file.set(parts[i], o);
parts.length = 0;
const big = await openContainer(file);
const bigOpener = await openCipher(big, KEY);
const farStored = await big.readStored(FAR);
const nearStored = await big.readStored(0);
const farCtx = await big.entry(FAR);
const nearCtx = await big.entry(0);

Deno.bench({
  name: "open block 0 of 1,000,000 (1 KiB)",
  group: "random access",
  baseline: true,
  fn() {
    bigOpener.open(nearCtx, nearStored);
  },
});
Deno.bench({
  name: "open block 900,000 of 1,000,000 (1 KiB)",
  group: "random access",
  fn() {
    bigOpener.open(farCtx, farStored);
  },
});
Deno.bench({
  name: "open blocks 0 and 900,000 alternately (two epochs, cached keys)",
  group: "random access",
  fn() {
    bigOpener.open(nearCtx, nearStored);
    bigOpener.open(farCtx, farStored);
  },
});
Deno.bench({
  name: "readBlock(900,000) through the reader (index page cached)",
  group: "random access",
  async fn() {
    await big.readBlock(FAR, { opener: bigOpener });
  },
});
Deno.bench({
  name: "cold: openCipher (245-step chain, key check, seal) + open block 900,000",
  group: "random access",
  n: 50,
  async fn() {
    const o = await openCipher(big, KEY);
    o.open(farCtx, farStored);
  },
});
Deno.bench({
  name: "one epoch step (HKDF-Expand); a v3-style ratchet to block 900,000 needs 900,000 of these",
  group: "key schedule",
  fn() {
    nextEpochKey(KEY);
  },
});
