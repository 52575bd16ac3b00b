import assert from "node:assert/strict";
import { concat } from "../format/bytes.ts";
import { encodeChunk, walkChunks } from "../format/chunk.ts";
import { encodeSignPayload, SIGN_TAG } from "../format/signature.ts";
import { insertBeforeLoca, insertChunkBeforeVeri } from "../format/testdata/forge.ts";
import type { BlockInput } from "../format/types.ts";
import { packContainer } from "../format/writer.ts";
import { openContainer } from "../seek/container.ts";
import { identityFromSecret } from "./identity.ts";
import { sealToRecipients } from "./recipients_open.ts";
import { RCPT_TAG } from "./recipients.ts";
import { rewriteRecipients } from "./recipients_tail.ts";
import { createSealer } from "./sealer.ts";

const ROOT = new Uint8Array(32).fill(0x42);
const ALICE = identityFromSecret(new Uint8Array(32).fill(0xa1));

const blocks: BlockInput[] = Array.from({ length: 6 }, (_, i) => ({
  track_id: "v",
  pts_us: i * 1000,
  kind: "I",
  keyframe: true,
  payload: new Uint8Array(40).fill(i),
}));

const sealed = () =>
  packContainer(blocks, {
    sealer: sealToRecipients(createSealer(ROOT, { epochBlocks: 2 }), ROOT, [ALICE.recipient]),
  });

async function rewritten(bytes: Uint8Array, rcpt: Uint8Array | null): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const c = await openContainer(bytes);
  const summary = await rewriteRecipients(c, rcpt, { write: (b) => void parts.push(b.slice()) });
  const out = concat(parts);
  assert.equal(summary.bytes, out.length);
  return out;
}

const signBy = (k: number) =>
  encodeChunk(SIGN_TAG, encodeSignPayload(new Uint8Array(32).fill(k), new Uint8Array(64)));
const sign = signBy(7);

Deno.test("rewriteRecipients: the same RCPT gives the same bytes; signatures after VERI are kept", async () => {
  for (const bytes of [await sealed(), insertBeforeLoca(await sealed(), sign, signBy(8))]) {
    const rcpt = walkChunks(bytes).find((c) => c.tag === RCPT_TAG)!.payload;
    assert.deepEqual(await rewritten(bytes, rcpt), bytes);
  }
  const none = await rewritten(insertBeforeLoca(await sealed(), sign), null);
  assert.deepEqual(walkChunks(none).map((c) => c.tag).slice(-4), [
    "META",
    "VERI",
    SIGN_TAG,
    "LOCA",
  ]);
  // It opens (LOCA, root); the made-up signature itself does not verify, and need not here.
  assert.equal((await openContainer(none)).size, none.length);
});

Deno.test("rewriteRecipients: chunks it does not write itself are refused (H4-RCP-006)", async () => {
  const refused = async (bytes: Uint8Array, message: RegExp) => {
    await assert.rejects(rewritten(bytes, null), (e: Error & { code?: string }) => {
      assert.equal(e.code, "H4_BAD_ARGUMENT");
      assert.match(e.message, message);
      return true;
    });
  };
  await refused(await packContainer(blocks), /not encrypted with LivingCipher/);
  const xtra = encodeChunk("XTRA", new Uint8Array(3));
  await refused(
    insertChunkBeforeVeri(await sealed(), "XTRA", new Uint8Array(3)),
    /^cannot rewrite the recipients: chunk "XTRA" at \d+ after LIVC$/,
  );
  await refused(
    insertBeforeLoca(await sealed(), sign, xtra),
    /^cannot rewrite the recipients: chunk "XTRA" at \d+ after VERI$/,
  );
});
