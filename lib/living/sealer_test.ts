import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import { decodeLivc } from "./livc.ts";
import { createSealer, createVectorSealer, liveWriterKey } from "./sealer.ts";
import { ctxOf, payloadOf } from "./testdata/mock_container.ts";

const KEY = new Uint8Array(32).fill(0x42);
const CID = new Uint8Array(16).fill(0x11);
const ROOT = new Uint8Array(32).fill(0xab);

function sealAll(
  opts: Parameters<typeof createVectorSealer>[1],
  n = 9,
): { stored: Uint8Array[]; livc: Uint8Array } {
  const s = createVectorSealer(KEY, opts);
  const stored = [];
  for (let i = 0; i < n; i++) {
    const p = payloadOf(i);
    stored.push(s.seal(ctxOf(i, { plain_length: p.length }), p));
  }
  return { stored, livc: s.finish(ROOT) };
}

Deno.test("sealer: deterministic given the container id; native and portable give the same bytes", () => {
  const a = sealAll({ containerId: CID, epochBlocks: 4, backend: "native" });
  const b = sealAll({ containerId: CID, epochBlocks: 4, backend: "portable" });
  const c = sealAll({ containerId: CID, epochBlocks: 4 });
  assert.deepEqual(a, b);
  assert.deepEqual(a, c);
  for (const [i, s] of a.stored.entries()) assert.equal(s.length, payloadOf(i).length + 16);
  const d = decodeLivc(a.livc);
  assert.equal(d.blockCount, 9);
  assert.equal(d.epochCount, 3);
  assert.deepEqual(d.containerId, CID);
});

Deno.test("sealer: a fresh random container id each time by default", () => {
  const a = createSealer(KEY);
  const b = createSealer(KEY);
  assert.notDeepEqual(a.containerId, b.containerId);
  assert.equal(a.epochBlocks, 4096);
  assert.equal(a.suite, "chacha20-poly1305");
  const x = a.seal(ctxOf(0, { plain_length: 1 }), new Uint8Array(1));
  const y = b.seal(ctxOf(0, { plain_length: 1 }), new Uint8Array(1));
  assert.notDeepEqual(x, y);
});

Deno.test("sealer: the epoch size changes keys from the first epoch boundary on", () => {
  const a = sealAll({ containerId: CID, epochBlocks: 4 });
  const b = sealAll({ containerId: CID, epochBlocks: 8 });
  assert.deepEqual(a.stored.slice(0, 4), b.stored.slice(0, 4));
  assert.notDeepEqual(a.stored[4], b.stored[4]);
});

Deno.test("sealer: an empty container has a LIVC too", () => {
  const s = createVectorSealer(KEY, { containerId: CID });
  const d = decodeLivc(s.finish(ROOT));
  assert.equal(d.blockCount, 0);
  assert.equal(d.epochCount, 0);
});

Deno.test("sealer: misuse is refused", () => {
  const bad = (f: () => unknown, code: string) =>
    assert.throws(
      f,
      (e) => isH4Error(e) && e.code === code && !e.message.includes(KEY.toHex().slice(0, 8)),
    );
  bad(() => createSealer(new Uint8Array(31)), "H4_CIPHER_BAD_KEY");
  bad(
    () => createSealer({ kind: "epoch", containerId: CID, epoch: 1, key: KEY }),
    "H4_CIPHER_BAD_KEY",
  );
  bad(
    () => createVectorSealer(liveWriterKey(KEY), { containerId: new Uint8Array(16) }),
    "H4_BAD_ARGUMENT",
  );
  bad(
    () => liveWriterKey({ kind: "epoch", containerId: CID, epoch: 0, key: KEY }),
    "H4_CIPHER_BAD_KEY",
  );
  bad(() => createSealer(KEY, { suite: "aes-256-gcm" }), "H4_CIPHER_UNKNOWN_SUITE");
  bad(() => createSealer(KEY, { epochBlocks: 0 }), "H4_BAD_ARGUMENT");
  bad(() => createSealer(KEY, { epochBlocks: 2 ** 32 }), "H4_BAD_ARGUMENT");
  bad(() => createVectorSealer(KEY, { containerId: new Uint8Array(8) }), "H4_BAD_ARGUMENT");
  // The library's sealer takes no container id at all (H4-LC-005 by construction).
  bad(() => createSealer(KEY, { containerId: CID } as never), "H4_BAD_ARGUMENT");
  const s = createSealer(KEY);
  bad(() => s.seal(ctxOf(1, { plain_length: 1 }), new Uint8Array(1)), "H4_BAD_ARGUMENT"); // out of order
  bad(() => s.seal(ctxOf(0, { plain_length: 2 }), new Uint8Array(1)), "H4_BAD_ARGUMENT"); // none: length differs
  bad(() => s.seal(ctxOf(0, { plain_length: 1 }), [1] as never), "H4_BAD_ARGUMENT");
  s.seal(ctxOf(0, { plain_length: 9, codec: "deflate" }), new Uint8Array(3)); // compressed: any length
  bad(() => s.seal(ctxOf(0, { plain_length: 1 }), new Uint8Array(1)), "H4_BAD_ARGUMENT"); // repeated index
  bad(() => s.finish(new Uint8Array(31)), "H4_BAD_ARGUMENT");
  s.finish(ROOT);
  bad(() => s.finish(ROOT), "H4_BAD_ARGUMENT");
  bad(() => s.seal(ctxOf(1, { plain_length: 1 }), new Uint8Array(1)), "H4_BAD_ARGUMENT");
});

Deno.test("sealer: a live writer's epoch-0 key seals exactly like the root key", () => {
  const live = liveWriterKey(KEY);
  assert.equal(live.kind, "live-writer");
  const s = createSealer(live, { epochBlocks: 4 });
  const stored = [];
  for (let i = 0; i < 9; i++) {
    const p = payloadOf(i);
    stored.push(s.seal(ctxOf(i, { plain_length: p.length }), p));
  }
  assert.deepEqual(
    { stored, livc: s.finish(ROOT) },
    sealAll({ containerId: live.containerId, epochBlocks: 4 }),
  );
  // The sealer copied the key: erasing its own copies leaves the caller's key intact.
  assert.notDeepEqual(live.key, new Uint8Array(32));
  assert.notDeepEqual(liveWriterKey(KEY).containerId, liveWriterKey(KEY).containerId);
});

Deno.test("sealer: an epoch key, the epoch-0 grant included, never seals (issue 14: nonce reuse)", () => {
  // The hole: a grant of epoch 0 carries the container id and E_0. Sealing two containers with
  // it gave both one id and one set of keys: ChaCha20-Poly1305 key and nonce reuse.
  const grant = { kind: "epoch" as const, containerId: CID, epoch: 0, key: KEY };
  for (const k of [grant, { ...grant, epoch: 3 }]) {
    assert.throws(() => createSealer(k), (e) => {
      assert.ok(isH4Error(e, "H4_CIPHER_BAD_KEY"), String(e));
      assert.equal(e.rule, "H4-LC-020");
      assert.match(e.message, /sealing needs a root key .* got an epoch key/);
      return true;
    });
  }
  // A hand-made object that looks like a live-writer key is not one.
  assert.throws(
    () => createSealer({ kind: "live-writer", containerId: CID, key: KEY } as never),
    (e) => isH4Error(e, "H4_CIPHER_BAD_KEY"),
  );
});

Deno.test("sealer: two seals with one root key get two fresh container ids (H4-LC-005)", () => {
  const ids = new Set<string>();
  for (let i = 0; i < 8; i++) {
    const s = createSealer(KEY, { epochBlocks: 4 });
    ids.add(decodeLivc(s.finish(ROOT)).containerId.toHex());
  }
  assert.equal(ids.size, 8);
});

Deno.test("sealer: a live-writer key seals one container only", () => {
  const live = liveWriterKey(KEY);
  createSealer(live).finish(ROOT);
  assert.throws(() => createSealer(live), (e) => {
    assert.ok(isH4Error(e, "H4_CIPHER_BAD_KEY"));
    assert.match(e.message, /already used/);
    return true;
  });
});
