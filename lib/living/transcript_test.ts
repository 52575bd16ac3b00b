import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createTranscript } from "./transcript.ts";

Deno.test("transcript: SHA-256 of the label and the length-prefixed records; native = portable", () => {
  const records = [
    [new Uint8Array([1, 2, 3]), new Uint8Array(16).fill(4)],
    [new Uint8Array(300).fill(5), new Uint8Array(16).fill(6)],
  ] as const;
  const h = createHash("sha256").update("H4MK-LC1 transcript");
  for (const [ad, tag] of records) {
    h.update(new Uint8Array([ad.length >> 8, ad.length & 255])).update(ad).update(tag);
  }
  const want = new Uint8Array(h.digest());
  for (const portable of [false, true]) {
    const t = createTranscript(portable);
    for (const [ad, tag] of records) t.add(ad, tag);
    assert.equal(t.count, 2);
    assert.deepEqual(t.digest(), want);
  }
  const t = createTranscript();
  const r0 = new Uint8Array([0, 3, 1, 2, 3, ...new Uint8Array(16).fill(4)]);
  t.addRecord(r0);
  t.add(...records[1]);
  assert.deepEqual(t.digest(), want);
});

Deno.test("transcript: order matters", () => {
  const a = [new Uint8Array([1]), new Uint8Array(16)] as const;
  const b = [new Uint8Array([2]), new Uint8Array(16)] as const;
  const t1 = createTranscript();
  t1.add(...a);
  t1.add(...b);
  const t2 = createTranscript();
  t2.add(...b);
  t2.add(...a);
  assert.notDeepEqual(t1.digest(), t2.digest());
  assert.equal(createTranscript().digest().length, 32);
});
