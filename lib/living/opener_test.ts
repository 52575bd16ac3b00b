import assert from "node:assert/strict";
import fc from "fast-check";
import { H4Error, isH4Error } from "../format/errors.ts";
import type { BlockContext } from "../format/types.ts";
import { grantEpochKey, openCipher } from "./opener.ts";
import { createSealer } from "./sealer.ts";
import { ctxOf, mockContainer, payloadOf } from "./testdata/mock_container.ts";

const KEY = new Uint8Array(32).fill(0x42);
const OTHER = new Uint8Array(32).fill(0x43);
const secrets = [KEY.toHex().slice(0, 16), KEY.toBase64().slice(0, 16)];

async function rejects(p: Promise<unknown>, code: string): Promise<H4Error> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  assert.ok(isH4Error(err), `expected ${code}, got ${err}`);
  assert.equal(err.code, code, err.message);
  for (const s of secrets) assert.ok(!err.message.includes(s), "message leaks the key");
  return err;
}

function throwsCode(f: () => unknown, code: string): void {
  assert.throws(f, (e) => {
    assert.ok(isH4Error(e), String(e));
    assert.equal(e.code, code, e.message);
    return true;
  });
}

Deno.test("opener: every block round-trips, native and portable open each other's blocks", async () => {
  for (const sealBackend of ["native", "portable"] as const) {
    const c = mockContainer(KEY, 11, { backend: sealBackend });
    for (const openBackend of ["native", "portable"] as const) {
      const o = await openCipher(c, { kind: "root", key: KEY }, { backend: openBackend });
      assert.equal(o.info.backend, openBackend);
      assert.deepEqual(
        { ...o.info, backend: "" },
        {
          suite: "chacha20-poly1305",
          containerId: "11".repeat(16),
          epochBlocks: 4,
          epochs: 3,
          blockCount: 11,
          firstEpoch: 0,
          sealedBlocks: 0,
          backend: "",
        },
      );
      // Random order: access does not depend on other blocks.
      for (const i of [10, 0, 5, 3, 9, 1, 2, 4, 6, 7, 8]) {
        assert.deepEqual(o.open(c.entries[i], c.stored[i]), payloadOf(i));
      }
    }
  }
});

Deno.test("opener: relabelling any AD field of a block fails with H4_CIPHER_AUTH_FAILED", async () => {
  const c = mockContainer(KEY, 8);
  const o = await openCipher(c, KEY);
  const i = 5;
  const e = c.entries[i];
  const relabels: Partial<BlockContext>[] = [
    { index: 6 },
    { index: 4 },
    { track_id: e.track_id + "x" },
    { pts_us: e.pts_us + 1 },
    { kind: "B" },
    { keyframe: !e.keyframe },
    { codec: "rle" },
    { plain_length: e.plain_length + 1 },
  ];
  for (const r of relabels) {
    throwsCode(() => o.open({ ...e, ...r }, c.stored[i]), "H4_CIPHER_AUTH_FAILED");
  }
  // Moved to another container sealed with the same key (another container id).
  const other = mockContainer(KEY, 8, { containerId: new Uint8Array(16).fill(0x22) });
  throwsCode(() => o.open(e, other.stored[i]), "H4_CIPHER_AUTH_FAILED");
  // Every bit of the stored bytes matters.
  const s = c.stored[i];
  for (let bit = 0; bit < s.length * 8; bit++) {
    const t = s.slice();
    t[bit >> 3] ^= 1 << (bit & 7);
    throwsCode(() => o.open(e, t), "H4_CIPHER_AUTH_FAILED");
  }
  throwsCode(() => o.open(e, s.subarray(0, 15)), "H4_CIPHER_AUTH_FAILED");
  throwsCode(() => o.open(e, s.subarray(1)), "H4_CIPHER_AUTH_FAILED");
  throwsCode(() => o.open({ ...e, index: 8 }, s), "H4_BLOCK_OUT_OF_RANGE");
});

Deno.test("opener: single-bit flips anywhere are caught (property)", async () => {
  const key = new Uint8Array(32).fill(7);
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.uint8Array({ maxLength: 200 }), { minLength: 1, maxLength: 12 }),
      fc.integer({ min: 1, max: 5 }),
      fc.nat(),
      async (payloads, epochBlocks, pick) => {
        const sealer = createSealer(key, { epochBlocks });
        const ctxs = payloads.map((p, i) => ctxOf(i, { plain_length: p.length }));
        const stored = payloads.map((p, i) => sealer.seal(ctxs[i], p));
        const root = new Uint8Array(32);
        const o = await openCipher({
          livc: sealer.finish(root),
          root,
          blockCount: payloads.length,
          entry: () => Promise.reject(new Error("unused")),
          readStored: () => Promise.reject(new Error("unused")),
        }, key);
        for (const [i, p] of payloads.entries()) assert.deepEqual(o.open(ctxs[i], stored[i]), p);
        const i = pick % payloads.length;
        const bit = Math.floor(pick / payloads.length) % (stored[i].length * 8);
        const t = stored[i].slice();
        t[bit >> 3] ^= 1 << (bit & 7);
        throwsCode(() => o.open(ctxs[i], t), "H4_CIPHER_AUTH_FAILED");
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("opener: open-time checks, each with its own code", async () => {
  const fresh = () => mockContainer(KEY, 10);
  await rejects(openCipher(fresh(), OTHER), "H4_CIPHER_BAD_KEY");
  await rejects(openCipher(fresh(), new Uint8Array(5)), "H4_CIPHER_BAD_KEY");
  let c = fresh();
  c.root = new Uint8Array(32).fill(1); // index, META or SAFE rewritten: another root
  await rejects(openCipher(c, KEY), "H4_CIPHER_SEAL_MISMATCH");
  c = fresh();
  c.blockCount = 9; // truncated index
  await rejects(openCipher(c, KEY), "H4_CIPHER_SEAL_MISMATCH");
  c = fresh();
  c.root = null;
  await rejects(openCipher(c, KEY), "H4_CIPHER_BAD_HEADER");
  c = fresh();
  c.livc = null;
  await rejects(openCipher(c, KEY), "H4_BAD_ARGUMENT");
  // LIVC fields: flip one bit in each and see which check catches it.
  const at = {
    version: 1,
    suiteLen: 2,
    suite: 5,
    cid: 20,
    epochBlocks: 39,
    blockCount: 46,
    epochCount: 54,
    keyCheck: 60,
    transcript: 80,
    seal: 120,
  };
  const want: Record<keyof typeof at, string> = {
    version: "H4_CIPHER_BAD_HEADER",
    suiteLen: "H4_CIPHER_BAD_HEADER",
    suite: "H4_CIPHER_UNKNOWN_SUITE",
    cid: "H4_CIPHER_BAD_KEY",
    epochBlocks: "H4_CIPHER_BAD_HEADER",
    blockCount: "H4_CIPHER_BAD_HEADER",
    epochCount: "H4_CIPHER_BAD_HEADER",
    keyCheck: "H4_CIPHER_BAD_KEY",
    transcript: "H4_CIPHER_SEAL_MISMATCH",
    seal: "H4_CIPHER_SEAL_MISMATCH",
  };
  for (const [field, offset] of Object.entries(at) as [keyof typeof at, number][]) {
    c = fresh();
    c.livc = c.livc!.slice();
    c.livc[offset] ^= 1;
    await rejects(openCipher(c, KEY), want[field]);
  }
});

Deno.test("opener: epoch keys open their epoch and later ones only", async () => {
  const c = mockContainer(KEY, 10); // epochs 0..2 of 4 blocks, closing epoch 3
  const g1 = grantEpochKey(c, KEY, 1);
  assert.equal(g1.epoch, 1);
  const o = await openCipher(c, g1);
  assert.equal(o.info.firstEpoch, 1);
  assert.equal(o.firstOpenBlock, 4);
  assert.equal(o.info.sealedBlocks, 4);
  // Full verification with the grant passes and says which blocks stayed sealed.
  const checks = await o.verifyTranscript();
  assert.ok(checks.every((x) => x.ok), JSON.stringify(checks));
  assert.ok(
    checks.some((x) => /blocks 0\.\.3 \(4 of 10, epochs 0\.\.0\) stay sealed/.test(x.message)),
  );
  for (let i = 0; i < 4; i++) {
    throwsCode(() => o.open(c.entries[i], c.stored[i]), "H4_CIPHER_WRONG_EPOCH");
  }
  for (let i = 4; i < 10; i++) assert.deepEqual(o.open(c.entries[i], c.stored[i]), payloadOf(i));
  // A grant of a grant; granting backwards is refused.
  const g2 = grantEpochKey(c, g1, 2);
  assert.deepEqual(g2, grantEpochKey(c, KEY, 2));
  throwsCode(() => grantEpochKey(c, g2, 1), "H4_CIPHER_WRONG_EPOCH");
  throwsCode(() => grantEpochKey(c, KEY, 4), "H4_CIPHER_WRONG_EPOCH");
  throwsCode(() => grantEpochKey(c, KEY, -1), "H4_CIPHER_WRONG_EPOCH");
  // The closing epoch's key opens nothing but checks the seal and the transcript.
  const verifier = await openCipher(c, grantEpochKey(c, KEY, 3));
  assert.equal(verifier.firstOpenBlock, 10);
  throwsCode(() => verifier.open(c.entries[9], c.stored[9]), "H4_CIPHER_WRONG_EPOCH");
  assert.ok((await verifier.verifyTranscript()).every((x) => x.ok));
  // Wrong epoch keys.
  await rejects(openCipher(c, { ...g1, epoch: 2 }), "H4_CIPHER_BAD_KEY"); // bytes of epoch 1 labelled 2
  await rejects(openCipher(c, { ...g1, epoch: 4 }), "H4_CIPHER_WRONG_EPOCH");
  await rejects(openCipher(c, { ...g1, containerId: new Uint8Array(16) }), "H4_CIPHER_BAD_KEY");
  await rejects(openCipher(c, { ...g1, key: OTHER }), "H4_CIPHER_BAD_KEY");
});

Deno.test("opener: verifyTranscript passes a good container and names every attack", async () => {
  const good = mockContainer(KEY, 10);
  const o = await openCipher(good, KEY);
  const checks = await o.verifyTranscript();
  assert.ok(checks.every((x) => x.ok), JSON.stringify(checks));
  assert.deepEqual(checks.map((x) => x.rule), [
    "H4-LC-010",
    "H4-LC-014",
    "H4-LC-015",
    "H4-LC-007",
    "H4-LC-017",
  ]);

  const failing = async (mutate: (c: ReturnType<typeof mockContainer>) => void) => {
    const c = mockContainer(KEY, 10);
    const op = await openCipher(c, KEY); // the seal holds: only the blocks are changed
    mutate(c);
    return (await op.verifyTranscript()).filter((x) => !x.ok).map((x) => x.code);
  };
  // Two blocks' stored bytes swapped: both fail, and the transcript differs.
  assert.deepEqual(
    await failing((c) => ([c.stored[2], c.stored[3]] = [c.stored[3], c.stored[2]])),
    [
      "H4_CIPHER_AUTH_FAILED",
      "H4_CIPHER_AUTH_FAILED",
      "H4_CIPHER_AUTH_FAILED",
      "H4_CIPHER_TRANSCRIPT_MISMATCH",
    ],
  );
  // One block replaced by a duplicate of another.
  assert.deepEqual(
    await failing((c) => (c.stored[4] = c.stored[3])),
    ["H4_CIPHER_AUTH_FAILED", "H4_CIPHER_AUTH_FAILED", "H4_CIPHER_TRANSCRIPT_MISMATCH"],
  );
  // An index entry relabelled.
  assert.deepEqual(
    await failing((c) => (c.entries[7] = { ...c.entries[7], pts_us: 0 })),
    ["H4_CIPHER_AUTH_FAILED", "H4_CIPHER_AUTH_FAILED", "H4_CIPHER_TRANSCRIPT_MISMATCH"],
  );
  // A block that cannot be read, and one shorter than a tag.
  assert.deepEqual(
    await failing((c) => {
      c.readStored = (i) =>
        i === 1
          ? Promise.reject(new H4Error("H4_TRUNCATED", "gone"))
          : Promise.resolve(c.stored[i]);
      c.stored[6] = new Uint8Array(3);
    }),
    ["H4_TRUNCATED", "H4_TRUNCATED", "H4_CIPHER_AUTH_FAILED", "H4_CIPHER_TRANSCRIPT_MISMATCH"],
  );
});

Deno.test("opener: far blocks of long containers open from the cached chain", async () => {
  // 5000 one-byte blocks in epochs of 1 block: the opener walks 5000 steps once on open.
  const key = new Uint8Array(32).fill(9);
  const sealer = createSealer(key, { epochBlocks: 1 });
  const n = 5000;
  const stored: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    stored.push(sealer.seal(ctxOf(i, { plain_length: 1 }), new Uint8Array([i & 255])));
  }
  const root = new Uint8Array(32);
  const c = {
    livc: sealer.finish(root),
    root,
    blockCount: n,
    entry: () => Promise.reject(),
    readStored: () => Promise.reject(),
  };
  const o = await openCipher(c, key);
  for (const i of [4999, 0, 4500, 17, 4999]) {
    assert.equal(o.open(ctxOf(i, { plain_length: 1 }), stored[i])[0], i & 255);
  }
  const late = await openCipher(c, grantEpochKey(c, key, 4500));
  assert.equal(late.open(ctxOf(4500, { plain_length: 1 }), stored[4500])[0], 4500 & 255);
  throwsCode(
    () => late.open(ctxOf(4499, { plain_length: 1 }), stored[4499]),
    "H4_CIPHER_WRONG_EPOCH",
  );
});

Deno.test("opener: a container object without a root digest cannot skip the seal check", async () => {
  const c = mockContainer(KEY, 3);
  const { root: _root, ...noRoot } = c;
  await rejects(openCipher(noRoot as never, KEY), "H4_CIPHER_BAD_HEADER");
});
