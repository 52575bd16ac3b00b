import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import { sha256 } from "../hash/sha256.ts";
import type { BlockInput, ByteSink } from "../format/types.ts";
import { packContainer } from "../format/writer.ts";
import { type Container, openContainer } from "../seek/container.ts";
import { decryptContainer, encryptContainer } from "./convert.ts";
import { generateKey } from "./keys.ts";
import { decodeLivc } from "./livc.ts";
import { grantEpochKey, openCipher } from "./opener.ts";
import { createSealer } from "./sealer.ts";

const LEGACY = new URL("../../testdata/legacy-v1/", import.meta.url);

function sink(): ByteSink & { bytes(): Uint8Array } {
  const parts: Uint8Array[] = [];
  return {
    write: (b) => void parts.push(b.slice()),
    bytes() {
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) (out.set(p, o), (o += p.length));
      return out;
    },
  };
}

function blocks(n: number): BlockInput[] {
  return Array.from({ length: n }, (_, i) => ({
    track_id: i % 3 === 0 ? "audio" : "video",
    pts_us: i * 20_000 - 40_000,
    kind: i % 3 === 0 || i % 6 === 1 ? "I" as const : "P" as const,
    keyframe: i % 3 === 0 || i % 6 === 1,
    payload: i % 4 === 0
      ? new Uint8Array(300).fill(i)
      : sha256(new Uint8Array([i])).subarray(0, 5 + i),
    codec: i % 4 === 0 ? "deflate" as const : i % 5 === 0 ? "rle" as const : undefined,
  }));
}

async function payloads(
  c: Container,
  opener?: Parameters<Container["readBlock"]>[1],
): Promise<string[]> {
  const out = [];
  for (let i = 0; i < c.blockCount; i++) out.push(sha256(await c.readBlock(i, opener)).toHex());
  return out;
}

for (const profile of ["v1", "v2"] as const) {
  Deno.test(`convert: encrypt then decrypt restores blocks, META and SAFE (${profile})`, async () => {
    const input = blocks(23);
    const plain = await openContainer(
      await packContainer(input, { profile, meta: { title: "t" }, safe: { a: 1 } }),
    );
    const key = generateKey();
    const enc = sink();
    const summary = await encryptContainer(plain, key, enc, {
      epochBlocks: 5,
      writer: { blocksPerPage: 4 },
    });
    assert.equal(summary.blocks, 23);
    const e = await openContainer(enc.bytes());
    assert.equal(e.encrypted, true);
    assert.equal(e.profile, profile);
    assert.deepEqual(e.meta, plain.meta);
    assert.deepEqual(e.safe, plain.safe);
    assert.deepEqual(e.tracks, plain.tracks);
    for (let i = 0; i < 23; i++) {
      const [a, b] = [await plain.entry(i), await e.entry(i)];
      assert.deepEqual({ ...b, offset: 0, chunk: 0, stored_length: 0 }, {
        ...a,
        offset: 0,
        chunk: 0,
        stored_length: 0,
      });
    }
    // Without a key: readable metadata, no payloads.
    assert.equal(e.seek("video", 100_000).core_index, plain.seek("video", 100_000).core_index);
    await assert.rejects(e.readBlock(0), (x) => isH4Error(x, "H4_ENCRYPTED"));
    const opener = await openCipher(e, key);
    assert.equal(opener.info.epochs, 5);
    assert.deepEqual(await payloads(e, { opener }), input.map((b) => sha256(b.payload).toHex()));
    assert.ok((await e.verify({ opener })).ok);
    assert.ok((await opener.verifyTranscript()).every((x) => x.ok));

    const dec = sink();
    await decryptContainer(e, { kind: "root", key }, dec);
    const d = await openContainer(dec.bytes());
    assert.equal(d.encrypted, false);
    assert.deepEqual(d.meta, plain.meta);
    assert.deepEqual(d.safe, plain.safe);
    assert.deepEqual(await payloads(d), await payloads(plain));
    assert.ok((await d.verify()).ok);
  });
}

Deno.test("convert: re-encryption rotates the key and the container id", async () => {
  const k1 = generateKey();
  const k2 = generateKey();
  const first = await openContainer(
    await packContainer(blocks(9), { sealer: createSealer(k1, { epochBlocks: 2 }) }),
  );
  await assert.rejects(encryptContainer(first, k2, sink()), (x) => isH4Error(x, "H4_ENCRYPTED"));
  const out = sink();
  await encryptContainer(first, k2, out, { sourceKey: k1 });
  const second = await openContainer(out.bytes());
  assert.notEqual(
    decodeLivc(second.livc!).containerId.toHex(),
    decodeLivc(first.livc!).containerId.toHex(),
  );
  await assert.rejects(openCipher(second, k1), (x) => isH4Error(x, "H4_CIPHER_BAD_KEY"));
  assert.deepEqual(
    await payloads(second, { opener: await openCipher(second, k2) }),
    await payloads(first, { opener: await openCipher(first, k1) }),
  );
});

Deno.test("convert: decrypting with an epoch key copies the blocks it opens and counts the sealed ones", async () => {
  const key = generateKey();
  const input = blocks(9);
  const c = await openContainer(
    await packContainer(input, { sealer: createSealer(key, { epochBlocks: 2 }) }),
  );
  const out = sink();
  const s = await decryptContainer(c, grantEpochKey(c, key, 1), out);
  assert.equal(s.sealedBlocks, 2);
  assert.equal(s.blocks, 7);
  const plain = await openContainer(out.bytes());
  assert.equal(plain.encrypted, false);
  assert.ok((await plain.verify()).ok);
  for (let i = 0; i < 7; i++) {
    assert.deepEqual(await plain.readBlock(i), input[i + 2].payload);
    assert.equal((await plain.entry(i)).pts_us, input[i + 2].pts_us);
  }
  // The closing epoch's key opens no block: an empty copy, every block counted as sealed.
  const none = await decryptContainer(c, grantEpochKey(c, key, 5), sink());
  assert.deepEqual([none.blocks, none.sealedBlocks], [0, 9]);
  assert.equal((await decryptContainer(c, key, sink())).sealedBlocks, 0);
  await assert.rejects(
    decryptContainer(c, generateKey(), sink()),
    (x) => isH4Error(x, "H4_CIPHER_BAD_KEY"),
  );
});

Deno.test("convert: files of the original writer encrypt to v1 and decrypt to their payloads", async () => {
  for (const name of ["single-track", "two-tracks", "unicode-ids"]) {
    const legacy = await openContainer(await Deno.readFile(new URL(`${name}.h4mk`, LEGACY)));
    const facts = JSON.parse(await Deno.readTextFile(new URL(`${name}.json`, LEGACY))) as {
      blocks: { sha256: string }[];
    };
    assert.equal(legacy.profile, "legacy");
    const key = generateKey();
    const out = sink();
    await encryptContainer(legacy, key, out);
    const e = await openContainer(out.bytes());
    assert.equal(e.profile, "v1");
    assert.equal(e.encrypted, true);
    assert.deepEqual(
      await payloads(e, { opener: await openCipher(e, key) }),
      facts.blocks.map((b) => b.sha256),
      name,
    );
    const dec = sink();
    await decryptContainer(e, key, dec);
    assert.deepEqual(
      await payloads(await openContainer(dec.bytes())),
      facts.blocks.map((b) => b.sha256),
      name,
    );
  }
});

Deno.test("convert: an unencrypted container cannot be decrypted", async () => {
  const c = await openContainer(await packContainer(blocks(2)));
  await assert.rejects(
    decryptContainer(c, generateKey(), sink()),
    (x) => isH4Error(x, "H4_BAD_ARGUMENT"),
  );
});
