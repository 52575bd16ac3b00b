import assert from "node:assert/strict";
import { walkChunks } from "../../lib/format/chunk.ts";
import { packContainer } from "../../lib/format/writer.ts";
import { encodeRecipients, RCPT_TAG } from "../../lib/living/recipients.ts";
import { createVectorSealer } from "../../lib/living/sealer.ts";
import { openContainer } from "../../lib/seek/container.ts";
import {
  CID_A,
  META,
  pack,
  rcptAfterMeta,
  RECIPIENT_VECTOR_ROOT,
  recipientVectorBlocks,
  stanza,
} from "./recipient_build.ts";

const rcpt = () => encodeRecipients([stanza(CID_A, "alice", "alice A")]);

Deno.test("recipient vector material: the builder writes the library writer's bytes, RCPT after LIVC", async () => {
  for (const payload of [rcpt(), null]) {
    const sealer = createVectorSealer(RECIPIENT_VECTOR_ROOT, {
      containerId: CID_A,
      epochBlocks: 3,
      backend: "portable",
    });
    if (payload) Object.assign(sealer, { chunksAfterLivc: () => [{ tag: RCPT_TAG, payload }] });
    const lib = await packContainer(recipientVectorBlocks(), { sealer, meta: META });
    assert.deepEqual(pack(CID_A, payload), lib);
  }
});

Deno.test("recipient vector material: another RCPT leaves the bytes up to the end of LIVC as they were", () => {
  const one = pack(CID_A, rcpt());
  const two = pack(
    CID_A,
    encodeRecipients([stanza(CID_A, "alice", "alice A"), stanza(CID_A, "bob", "bob A")]),
  );
  const livc = walkChunks(one).find((c) => c.tag === "LIVC")!;
  const end = livc.offset + 12 + livc.length;
  assert.deepEqual(two.subarray(0, end), one.subarray(0, end));
  assert.equal(walkChunks(two).find((c) => c.tag === RCPT_TAG)?.offset, end);
});

Deno.test("recipient vector material: rcptAfterMeta moves RCPT after META; the unkeyed checks still pass", async () => {
  const out = pack(CID_A, rcpt(), { chunks: rcptAfterMeta });
  const tags = walkChunks(out).map((c) => c.tag);
  assert.deepEqual(tags.slice(-5), ["LIVC", "META", RCPT_TAG, "VERI", "LOCA"]);
  const c = await openContainer(out);
  assert.equal((await c.verify()).ok, true);
});
