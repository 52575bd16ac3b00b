import assert from "node:assert/strict";
import { H4Error } from "../format/errors.ts";
import type { BlockEntry } from "../format/types.ts";
import { openCipher } from "./opener.ts";
import { createSealer } from "./sealer.ts";

const key = new Uint8Array(32).fill(3);

function sealed(n: number) {
  const sealer = createSealer(key, { epochBlocks: 2 });
  const entries: BlockEntry[] = [];
  const stored: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const e: BlockEntry = {
      index: i,
      track_id: "v",
      pts_us: i * 1000,
      kind: "I",
      keyframe: true,
      codec: "none",
      plain_length: 4,
      offset: 20 + 20 * i,
      stored_length: 20,
      chunk: 0,
    };
    entries.push(e);
    stored.push(sealer.seal(e, new Uint8Array([i, i, i, i])));
  }
  const root = new Uint8Array(32);
  return { livc: sealer.finish(root), root, entries, stored };
}

Deno.test("transcript verification: every check holds for a genuine container", async () => {
  const s = sealed(5);
  const c = {
    livc: s.livc,
    root: s.root,
    blockCount: 5,
    entry: (i: number) => Promise.resolve(s.entries[i]),
    readStored: (i: number) => Promise.resolve(s.stored[i]),
  };
  const checks = await (await openCipher(c, { kind: "root", key })).verifyTranscript();
  assert.deepEqual(checks.map((x) => [x.rule, x.ok]), [
    ["H4-LC-010", true],
    ["H4-LC-014", true],
    ["H4-LC-015", true],
    ["H4-LC-007", true],
    ["H4-LC-017", true],
  ]);
});

Deno.test("transcript verification: swapped stored bytes fail blocks, then the transcript", async () => {
  const s = sealed(4);
  const swapped = [s.stored[1], s.stored[0], s.stored[2], s.stored[3]];
  const c = {
    livc: s.livc,
    root: s.root,
    blockCount: 4,
    entry: (i: number) => Promise.resolve(s.entries[i]),
    readStored: (i: number) => Promise.resolve(swapped[i]),
  };
  const checks = await (await openCipher(c, { kind: "root", key })).verifyTranscript();
  const bad = checks.filter((x) => !x.ok);
  assert.equal(bad[0].code, "H4_CIPHER_AUTH_FAILED");
  assert.equal(bad.length, 4, "the summary, two blocks, the transcript");
  assert.equal(bad.at(-1)!.code, "H4_CIPHER_TRANSCRIPT_MISMATCH");
});

Deno.test("transcript verification: an unreadable block makes the transcript incomplete", async () => {
  const s = sealed(3);
  const c = {
    livc: s.livc,
    root: s.root,
    blockCount: 3,
    entry: (i: number) => Promise.resolve(s.entries[i]),
    readStored: (i: number) =>
      i === 2 ? Promise.reject(new H4Error("H4_IO", "gone")) : Promise.resolve(s.stored[i]),
  };
  const checks = await (await openCipher(c, { kind: "root", key })).verifyTranscript();
  const last = checks.at(-1)!;
  assert.equal(last.code, "H4_CIPHER_TRANSCRIPT_MISMATCH");
  assert.match(last.message, /cannot be recomputed/);
});
