/**
 * SPEC.md 12.11, "what each key holder can do", as tests: the limits the specification states
 * (all keys are symmetric; a seal is no proof of who wrote a container) and the ones it keeps
 * (a change to a block fails its AEAD for a reader that opens it).
 */
import assert from "node:assert/strict";
import { DIGEST_LENGTH, TAG_LENGTH } from "./constants.ts";
import type { BlockInput, BlockSealer } from "../format/types.ts";
import { packContainer } from "../format/writer.ts";
import { openContainer } from "../seek/container.ts";
import { createAdEncoder } from "./context.ts";
import { computeSeal, createEpochChain, keyCheck } from "./key_schedule.ts";
import { encodeKeyFile, type EpochKey } from "./keys.ts";
import { decodeLivc, encodeLivc } from "./livc.ts";
import { grantEpochKey } from "./opener.ts";
import { createSealer } from "./sealer.ts";
import { createTranscript } from "./transcript.ts";
import { strictRead } from "./vector_check.ts";

const KEY = new Uint8Array(32).fill(0x5a);
const ROOT_FILE = encodeKeyFile({ kind: "root", key: KEY });
const META = { title: "genuine" };

/** Eight blocks in epochs of 2: epochs 0..3, closing epoch 4. */
const BLOCKS: BlockInput[] = Array.from({ length: 8 }, (_, i) => ({
  track_id: "v",
  pts_us: i * 1000,
  kind: "I" as const,
  keyframe: true,
  payload: new Uint8Array(16).fill(i),
}));

async function genuine(): Promise<{ bytes: Uint8Array; stored: Uint8Array[]; livc: Uint8Array }> {
  const real = createSealer(KEY, { epochBlocks: 2 });
  const stored: Uint8Array[] = [];
  let livc: Uint8Array = new Uint8Array(0);
  const bytes = await packContainer(BLOCKS, {
    meta: META,
    sealer: {
      suite: real.suite,
      seal: (c, d) => {
        const s = real.seal(c, d);
        stored.push(s);
        return s;
      },
      finish: (r) => (livc = real.finish(r)),
    },
  });
  return { bytes, stored, livc };
}

/**
 * What a holder of epoch key `k` can write: any index and stored bytes, a transcript recomputed
 * from public ADs and tags, and a seal from the closing key it steps to.
 */
async function reseal(
  k: EpochKey,
  template: Uint8Array,
  blocks: BlockInput[],
  stored: Uint8Array[],
  meta: Record<string, unknown>,
): Promise<Uint8Array> {
  const t = decodeLivc(template);
  const n = Math.ceil(blocks.length / t.epochBlocks);
  const closing = createEpochChain(k.epoch, k.key, n).key(n);
  const ad = createAdEncoder(t.suite, t.containerId);
  const transcript = createTranscript(true);
  blocks.forEach((b, i) =>
    transcript.add(
      ad.encode({
        index: i,
        track_id: b.track_id,
        pts_us: b.pts_us,
        kind: b.kind,
        keyframe: b.keyframe,
        codec: "none",
        plain_length: stored[i].length - TAG_LENGTH,
      }),
      stored[i].subarray(stored[i].length - TAG_LENGTH),
    )
  );
  let i = 0;
  const sealer: BlockSealer = {
    suite: t.suite,
    seal: () => stored[i++],
    finish: (root) => {
      const livc = encodeLivc({
        ...t,
        blockCount: blocks.length,
        keyCheck: keyCheck(closing),
        transcript: transcript.digest(),
      });
      const at = livc.length - DIGEST_LENGTH;
      livc.set(computeSeal(closing, livc.subarray(0, at), root), at);
      return livc;
    },
  };
  return await packContainer(blocks, { meta, sealer });
}

Deno.test("key holders: the closing (verifier's) key can rewrite META and drop a trailing block, and the root key accepts it", async () => {
  const g = await genuine();
  const c = await openContainer(g.bytes);
  const closing = grantEpochKey(c, KEY, 4);
  const forged = await reseal(closing, g.livc, BLOCKS.slice(0, 7), g.stored.slice(0, 7), {
    title: "rewritten by a verifier",
  });
  // Documented, not a bug: every key is symmetric (SPEC.md 12.11). Signed containers fix it.
  assert.equal((await strictRead(forged, ROOT_FILE)).code, "ok");
  assert.equal((await strictRead(forged, encodeKeyFile(closing))).code, "ok");
  assert.equal((await openContainer(forged)).meta.title, "rewritten by a verifier");
  // Dropping the whole last epoch needs the key of an earlier closing epoch: one-way, impossible.
  await assert.rejects(
    reseal(closing, g.livc, BLOCKS.slice(0, 6), g.stored.slice(0, 6), META),
    /outside the key's epochs 4\.\.3/,
  );
});

Deno.test("key holders: a change to blocks a key cannot open passes that key and fails the AEAD for a key that opens them", async () => {
  const g = await genuine();
  const c = await openContainer(g.bytes);
  const swap = <T>(a: T[]): T[] => [a[1], a[0], ...a.slice(2)];
  for (const k of [grantEpochKey(c, KEY, 4), grantEpochKey(c, KEY, 1)]) {
    // Blocks 0 and 1 (epoch 0) swapped with their index entries, transcript and seal redone.
    const forged = await reseal(k, g.livc, swap(BLOCKS), swap(g.stored), META);
    assert.equal((await strictRead(forged, encodeKeyFile(k))).code, "ok", `epoch ${k.epoch}`);
    assert.equal((await strictRead(forged, ROOT_FILE)).code, "H4_CIPHER_AUTH_FAILED");
  }
});
