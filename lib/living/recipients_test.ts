import assert from "node:assert/strict";
import { concat } from "../format/bytes.ts";
import { H4Error } from "../format/errors.ts";
import type { BlockInput } from "../format/types.ts";
import { packContainer } from "../format/writer.ts";
import { generateSigningKey } from "../format/sign_keys.ts";
import { type Container, openContainer } from "../seek/container.ts";
import { identityFromSecret } from "./identity.ts";
import { grantEpochKey, openCipher } from "./opener.ts";
import {
  decodeRecipients,
  encodeRecipients,
  type Stanza,
  unwrapStanza,
  viewRecipients,
  wrapKey,
} from "./recipients.ts";
import {
  grantToRecipient,
  openWithIdentity,
  readRecipientsChunk,
  removeStanza,
  sealToRecipients,
} from "./recipients_open.ts";
import { rewriteRecipients } from "./recipients_tail.ts";
import { createSealer } from "./sealer.ts";

const ALICE = identityFromSecret(new Uint8Array(32).fill(0xa1));
const BOB = identityFromSecret(new Uint8Array(32).fill(0xb0));
const CAROL = identityFromSecret(new Uint8Array(32).fill(0xc4));
const ROOT = new Uint8Array(32).fill(0x42);
/** Low-order X25519 u-coordinates: 0, 1 and a point of order 8. */
const LOW_ORDER = [
  new Uint8Array(32),
  Uint8Array.fromHex("01".padEnd(64, "0")),
  Uint8Array.fromHex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
];

function blocks(n = 10): BlockInput[] {
  return Array.from({ length: n }, (_, i) => ({
    track_id: "v",
    pts_us: i * 1000,
    kind: "I" as const,
    keyframe: true,
    payload: new Uint8Array([i, i + 1, i + 2]),
  }));
}

async function packFor(
  recipients = [ALICE.recipient, BOB.recipient],
  hint = false,
): Promise<Uint8Array> {
  const sealer = sealToRecipients(createSealer(ROOT, { epochBlocks: 2 }), ROOT, recipients, {
    hint,
  });
  return await packContainer(blocks(), { sealer });
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    if (e instanceof H4Error) return e.code;
    throw e;
  }
}

async function rewritten(c: Container, rcpt: Uint8Array | null): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  await rewriteRecipients(c, rcpt, { write: (b) => void parts.push(b.slice()) });
  return concat(parts);
}

Deno.test("H4-RCP-005: a container packed for two recipients opens with either identity and not with a third", async () => {
  const c = await openContainer(await packFor());
  for (const who of [ALICE, BOB]) {
    const { key, opener } = await openWithIdentity(c, who);
    assert.equal(key.kind, "epoch");
    assert.equal(opener.info.firstEpoch, 0);
    for (let i = 0; i < 10; i++) {
      assert.deepEqual(await c.readBlock(i, { opener }), new Uint8Array([i, i + 1, i + 2]));
    }
    assert.ok((await c.verify({ opener })).ok);
  }
  const err = await openWithIdentity(c, CAROL).then(() => null, (e) => e);
  assert.ok(err instanceof H4Error);
  assert.equal(err.code, "H4_CIPHER_BAD_KEY");
  assert.equal(err.rule, "H4-RCP-005");
  assert.match(err.message, new RegExp(CAROL.recipient.id));
  // The root key still opens it, and the file verifies without a key.
  await openCipher(c, ROOT);
  assert.ok((await c.verify()).ok);
});

Deno.test("H4-RCP-006: a grant from epoch 3 to a third recipient rewrites only the tail and opens epochs 3 and later only", async () => {
  const bytes = await packFor();
  const c = await openContainer(bytes);
  const rcpt = await grantToRecipient(c, ROOT, 3, CAROL.recipient);
  const out = await rewritten(c, rcpt);
  const livc = c.locator!.slots.LIVC!;
  const kept = livc.offset + livc.length;
  assert.deepEqual(out.subarray(0, kept), bytes.subarray(0, kept)); // no block re-encrypted
  const g = await openContainer(out);
  assert.ok((await g.verify()).ok);
  assert.deepEqual(viewRecipients((await readRecipientsChunk(g))!).map((s) => [s.role, s.epoch]), [
    ["epoch", 0],
    ["epoch", 0],
    ["epoch", 3],
  ]);
  const { key, opener } = await openWithIdentity(g, CAROL);
  assert.equal(key.kind === "epoch" && key.epoch, 3);
  for (let i = 0; i < 10; i++) {
    const got = await code(g.readBlock(i, { opener }));
    assert.equal(got, i >= 6 ? "ok" : "H4_CIPHER_WRONG_EPOCH", `block ${i}`);
  }
  // Alice and Bob still open everything; the root key's seal still holds.
  assert.equal((await openWithIdentity(g, BOB)).opener.info.firstEpoch, 0);
  await openCipher(g, ROOT);
});

Deno.test("H4-RCP-006: removing a stanza rewrites the tail; removing the last drops RCPT", async () => {
  const c = await openContainer(await packFor());
  const one = removeStanza((await readRecipientsChunk(c))!, 0);
  const g = await openContainer(await rewritten(c, one));
  assert.ok((await g.verify()).ok);
  assert.equal(decodeRecipients((await readRecipientsChunk(g))!).length, 1);
  assert.equal(await code(openWithIdentity(g, ALICE)), "H4_CIPHER_BAD_KEY");
  await openWithIdentity(g, BOB);
  const none = await openContainer(
    await rewritten(g, removeStanza((await readRecipientsChunk(g))!, 0)),
  );
  assert.equal(await readRecipientsChunk(none), null);
  assert.ok((await none.verify()).ok);
  await openCipher(none, ROOT);
  assert.equal(await code(openWithIdentity(none, BOB)), "H4_CIPHER_BAD_KEY");
  assert.throws(() => removeStanza(encodeRecipients([stanzaFor(BOB)]), 1), /no stanza 1/);
});

Deno.test("H4-RCP-006: a grant can be added to a container packed without recipients", async () => {
  const c = await openContainer(
    await packContainer(blocks(), {
      sealer: createSealer(ROOT, { epochBlocks: 2 }),
    }),
  );
  assert.equal(await code(openWithIdentity(c, BOB)), "H4_CIPHER_BAD_KEY");
  const g = await openContainer(
    await rewritten(c, await grantToRecipient(c, ROOT, 0, BOB.recipient)),
  );
  assert.ok((await g.verify()).ok);
  assert.equal((await openWithIdentity(g, BOB)).opener.info.firstEpoch, 0);
  // A grant key can only grant later epochs.
  const e2 = grantEpochKey(c, ROOT, 2);
  assert.equal(await code(grantToRecipient(c, e2, 1, BOB.recipient)), "H4_CIPHER_WRONG_EPOCH");
});

Deno.test("H4-RCP-006: a damaged source is not given a fresh VERI", async () => {
  const bytes = await packFor();
  bytes[30] ^= 1; // a stored byte: the blocks stay as they are, VERI no longer matches
  const c = await openContainer(bytes);
  assert.equal(await code(rewritten(c, null)), "H4_VERI_MISMATCH");
});

function stanzaFor(who = BOB, cid = new Uint8Array(16).fill(5)): Stanza {
  return wrapKey({ kind: "epoch", containerId: cid, epoch: 2, key: ROOT }, cid, who.recipient);
}

Deno.test("H4-RCP-005: a stanza opens for its recipient and container only, and not when its header changes", () => {
  const cid = new Uint8Array(16).fill(5);
  const s = stanzaFor(BOB, cid);
  const k = unwrapStanza(s, cid, BOB)!;
  assert.equal(k.kind === "epoch" && k.epoch, 2);
  assert.deepEqual(k.key, ROOT);
  assert.equal(unwrapStanza(s, cid, ALICE), null); // wrong identity
  assert.equal(unwrapStanza(s, new Uint8Array(16).fill(6), BOB), null); // another container
  assert.equal(unwrapStanza({ ...s, epoch: 1 }, cid, BOB), null); // relabelled epoch
  assert.equal(unwrapStanza({ ...s, role: "root", epoch: 0 }, cid, BOB), null); // relabelled role
  const other = stanzaFor(ALICE, cid);
  assert.equal(unwrapStanza({ ...s, ephemeral: other.ephemeral }, cid, BOB), null); // swapped share
  const flipped = s.wrapped.slice();
  flipped[0] ^= 1;
  assert.equal(unwrapStanza({ ...s, wrapped: flipped }, cid, BOB), null);
});

Deno.test("H4-RCP-004/005: low-order points: wrapping to one is refused, a stanza with one is skipped", () => {
  const cid = new Uint8Array(16);
  for (const point of LOW_ORDER) {
    const r = { kind: "recipient" as const, publicKey: point, id: "0".repeat(16) };
    assert.throws(
      () => wrapKey({ kind: "root", key: ROOT }, cid, r),
      (e: unknown) =>
        e instanceof H4Error && e.code === "H4_CIPHER_BAD_KEY" && /low-order/.test(e.message),
    );
    const s = stanzaFor(BOB, cid);
    assert.equal(unwrapStanza({ ...s, ephemeral: point }, cid, BOB), null);
  }
});

Deno.test("H4-RCP-005: a forged stanza for a recipient (a wrong key anyone can encrypt to a public key) is skipped", async () => {
  const bytes = await packFor([BOB.recipient]);
  const c = await openContainer(bytes);
  const cid = Uint8Array.fromHex((await openCipher(c, ROOT)).info.containerId);
  const forged = wrapKey({ kind: "root", key: new Uint8Array(32).fill(9) }, cid, BOB.recipient);
  const real = decodeRecipients((await readRecipientsChunk(c))!);
  const g = await openContainer(await rewritten(c, encodeRecipients([forged, ...real])));
  const { opener } = await openWithIdentity(g, BOB);
  assert.equal(opener.info.firstEpoch, 0);
  const only = await openContainer(await rewritten(c, encodeRecipients([forged])));
  assert.equal(await code(openWithIdentity(only, BOB)), "H4_CIPHER_BAD_KEY");
});

Deno.test("H4-RCP-002: RCPT layout: round trip, hints, and every malformed payload is H4_CIPHER_BAD_HEADER", () => {
  const s = stanzaFor();
  const h = { ...s, hint: BOB.recipient.id };
  const bytes = encodeRecipients([s, h]);
  assert.equal(bytes.length, 4 + 86 + 94);
  assert.deepEqual(decodeRecipients(bytes), [s, h]);
  assert.deepEqual(viewRecipients(bytes)[1], {
    index: 1,
    role: "epoch",
    epoch: 2,
    hint: BOB.recipient.id,
  });
  const bad = (mutate: (b: Uint8Array) => Uint8Array) => {
    assert.throws(
      () => decodeRecipients(mutate(bytes.slice())),
      (e: unknown) => e instanceof H4Error && e.code === "H4_CIPHER_BAD_HEADER",
    );
  };
  bad((b) => b.subarray(0, b.length - 1)); // truncated stanza
  bad((b) => b.subarray(0, 3));
  bad((b) => new Uint8Array([...b, 0])); // trailing byte
  bad((b) => (b[1] = 2, b)); // version
  bad((b) => (b[3] = 0, b)); // no stanza
  bad((b) => (b[2] = 1, b)); // 257 stanzas
  bad((b) => (b[4] = 2, b)); // role
  bad((b) => (b[5] = 2, b)); // unknown flag
  bad((b) => (b[4] = 0, b)); // a root key with epoch 2
});

Deno.test("H4-RCP-005: a wrong identity gives one typed error that names no key", async () => {
  const c = await openContainer(await packFor(undefined, true));
  const err = await openWithIdentity(c, CAROL).then(() => null, (e) => e);
  assert.ok(err instanceof H4Error && err.code === "H4_CIPHER_BAD_KEY");
  for (const k of [CAROL.secretKey, ALICE.secretKey, ROOT]) {
    assert.ok(!err.message.includes(k.toHex().slice(0, 16)));
    assert.ok(!err.message.includes(k.toBase64().slice(0, 16)));
  }
  // A container without recipients says so.
  const plain = await openContainer(await packContainer(blocks(), { sealer: createSealer(ROOT) }));
  assert.match((await openWithIdentity(plain, BOB).catch((e) => e)).message, /no recipients chunk/);
});

Deno.test("H4-RCP-003: RCPT is the chunk right after LIVC and outside the root digest", async () => {
  const bytes = await packFor();
  const c = await openContainer(bytes);
  const livc = c.locator!.slots.LIVC!;
  assert.equal(
    new TextDecoder().decode(
      bytes.subarray(livc.offset + livc.length, livc.offset + livc.length + 4),
    ),
    "RCPT",
  );
  // Without RCPT the root digest and LIVC (hence the seal) are the same.
  const without = await openContainer(await rewritten(c, null));
  assert.deepEqual(without.root, c.root);
  assert.deepEqual(without.livc, c.livc);
  assert.equal(without.size, c.size - 12 - (await readRecipientsChunk(c))!.length);
});

Deno.test("H4-RCP-006: a signed container keeps its signatures, still valid, when a stanza is removed", async () => {
  const key = await generateSigningKey();
  const sealer = sealToRecipients(createSealer(ROOT, { epochBlocks: 2 }), ROOT, [
    ALICE.recipient,
    BOB.recipient,
  ]);
  const c = await openContainer(await packContainer(blocks(), { sealer, signingKeys: [key] }));
  const g = await openContainer(
    await rewritten(c, removeStanza((await readRecipientsChunk(c))!, 0)),
    { trust: { keys: [key.publicKey] } },
  );
  assert.ok(g.trusted);
  assert.deepEqual((await g.signatures()).map((s) => s.valid), [true]);
  const { opener } = await openWithIdentity(g, BOB);
  const report = await g.verify({ opener });
  assert.ok(report.ok, JSON.stringify(report.checks.filter((k) => !k.ok)));
});
