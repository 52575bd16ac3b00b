import assert from "node:assert/strict";
import {
  CHUNK_TYPES,
  chunkType,
  isStorageTag,
  KNOWN_TAGS,
  LOCATOR_ONLY_TAGS,
  REQUIRED_SLOTS,
  ROOTED_TAGS,
  SLOT_TAGS,
  STORAGE_TAGS,
  WHOLE_SLOTS,
} from "./chunk_types.ts";
import { LOCA_SLOTS, TAG } from "./constants.ts";
import { SIGN_TAG } from "./signature.ts";
import { encodeJsonDoc } from "./meta.ts";
import { encodeLoca } from "./loca.ts";
import { throwsH4 } from "./testdata/helpers.ts";

Deno.test("chunk_types: every tag of constants.ts and SIGN/RCPT, each entry under its own tag", () => {
  assert.deepEqual(
    [...KNOWN_TAGS].sort(),
    [...Object.values(TAG), SIGN_TAG, "RCPT"].sort(),
  );
  for (const t of KNOWN_TAGS) {
    assert.equal(CHUNK_TYPES[t].tag, t);
    assert.equal(chunkType(t), CHUNK_TYPES[t]);
    assert.ok(CHUNK_TYPES[t].description.length > 0);
  }
  assert.equal(chunkType("XTRA"), undefined);
  assert.equal(chunkType("toString"), undefined);
});

Deno.test("chunk_types: slots, root coverage and storage agree with constants.ts and SPEC 9", () => {
  assert.deepEqual(SLOT_TAGS, LOCA_SLOTS);
  for (const t of KNOWN_TAGS) {
    const slot = (LOCA_SLOTS as readonly string[]).includes(t) ? t : null;
    assert.equal(CHUNK_TYPES[t].slot, slot, t);
  }
  assert.deepEqual(
    KNOWN_TAGS.filter((t) => CHUNK_TYPES[t].rooted).sort(),
    [...ROOTED_TAGS].sort(),
  );
  assert.deepEqual(STORAGE_TAGS, ["CORE", "SEGM"]);
  assert.ok(isStorageTag("CORE") && isStorageTag("SEGM") && !isStorageTag("SEEK"));
  assert.deepEqual(CHUNK_TYPES.CORE.versions, [1]);
  assert.deepEqual(CHUNK_TYPES.SEGM.versions, [2]);
});

Deno.test("chunk_types: decoders decode, and say what context they lack", () => {
  const meta = CHUNK_TYPES.META.decode!(encodeJsonDoc({ a: 1 }), {});
  assert.deepEqual(meta, { a: 1 });
  assert.deepEqual(CHUNK_TYPES.SEEK.decode!(new Uint8Array(4), {}), { count: 0 });
  assert.deepEqual(CHUNK_TYPES.SEEK.decode!(new Uint8Array(2), {}), { count: null });
  assert.equal(CHUNK_TYPES.BHSH.decode!(new Uint8Array(70), {}).length, 2);
  const e = throwsH4(() => CHUNK_TYPES.TDIR.decode!(new Uint8Array(8), {}), "H4_BAD_ARGUMENT");
  assert.match(e.message, /TDIR needs LOCA's block count/);
  throwsH4(() => CHUNK_TYPES.KSEK.decode!(new Uint8Array(8), {}), "H4_BAD_ARGUMENT");
  throwsH4(() => CHUNK_TYPES.BIDX.decode!(new Uint8Array(8), {}), "H4_BAD_ARGUMENT");
  const slots = Object.fromEntries(LOCA_SLOTS.map((s) => [s, null]));
  const loca = encodeLoca({
    header: new Uint8Array([0x48, 0x34, 0x4d, 0x4b, 0, 2, 0, 0]),
    flags: 0,
    trackCount: 0,
    blockCount: 0,
    chunkCount: 0,
    slots: slots as never,
    root: new Uint8Array(32),
  });
  assert.equal(CHUNK_TYPES.LOCA.decode!(loca, {}).blockCount, 0);
  assert.equal(CHUNK_TYPES.CORE.decode, null);
  assert.equal(CHUNK_TYPES.LIVC.decode, null);
});

Deno.test("chunk_types: required slots (H4-LOC-003), paged tables and the tags of files with LOCA (H4-LOC-001)", () => {
  // The lists SPEC.md section 7 spells out.
  assert.deepEqual(REQUIRED_SLOTS, ["BIDX", "BHSH", "KSEK", "TDIR", "TRKS", "META"]);
  assert.deepEqual(WHOLE_SLOTS, ["KSEK", "TDIR", "TRKS", "META", "SAFE", "LIVC"]);
  assert.deepEqual(LOCATOR_ONLY_TAGS, ["BIDX", "BHSH", "KSEK", "TDIR", "TRKS", "LIVC", "LOCA"]);
  for (const t of KNOWN_TAGS) {
    const e = CHUNK_TYPES[t];
    if (e.required || e.paged) assert.ok(e.slot !== null, t);
    if (e.kind === "storage") assert.ok(!e.locatorOnly && !e.required && !e.paged, t);
  }
});
