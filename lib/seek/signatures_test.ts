import assert from "node:assert/strict";
import { concat } from "../format/bytes.ts";
import { encodeChunk } from "../format/chunk.ts";
import { LOCA_CHUNK_LENGTH } from "../format/constants.ts";
import type { Locator } from "../format/loca.ts";
import { encodeSignPayload, SIGN_TAG } from "../format/signature.ts";
import { signatureArea } from "./signatures.ts";

const HEAD = new Uint8Array([0x48, 0x34, 0x4d, 0x4b, 0, 2, 0, 0]);
const meta = encodeChunk("META", new TextEncoder().encode("{}"));
/** The locator's slots are all the area needs: it starts after the last located chunk. */
const loca = { slots: { META: { offset: 8, length: meta.length } } } as unknown as Locator;

const sign = (k: number) =>
  encodeChunk(SIGN_TAG, encodeSignPayload(new Uint8Array(32).fill(k), new Uint8Array(64)));

/** A file of the header, META, `between` and LOCA's place; its signature area. */
function area(between: Uint8Array[], regionStart = 0) {
  const file = concat([HEAD, meta, ...between, new Uint8Array(LOCA_CHUNK_LENGTH)]);
  const locaAt = file.length - LOCA_CHUNK_LENGTH;
  return signatureArea(file.subarray(regionStart), regionStart, loca, locaAt, file.length);
}

Deno.test("signatureArea: the SIGN chunks after the last other chunk before LOCA", async () => {
  assert.deepEqual(await area([]), []);
  const keys = async (between: Uint8Array[]) => (await area(between)).map((r) => r.publicKey[0]);
  assert.deepEqual(await keys([sign(1), sign(2)]), [1, 2]);
  assert.deepEqual(await keys([sign(1), encodeChunk("XTRA", new Uint8Array(3)), sign(2)]), [2]);
  assert.deepEqual(await keys([sign(1), encodeChunk("XTRA", new Uint8Array(3))]), []);
  // The area is in the region given: its bytes are from regionStart on.
  assert.deepEqual((await area([sign(3)], 8)).map((r) => r.publicKey[0]), [3]);
  assert.deepEqual(await area([sign(3)], 8 + meta.length + 1), []);
});

Deno.test("signatureArea: a break in the framing ends the area (no signatures, no error)", async () => {
  const badTag = sign(1);
  badTag[0] = 0x01;
  assert.deepEqual(await area([sign(2), badTag, sign(3)]), []);
  // A chunk that runs into LOCA, or a few bytes too short for a header.
  const long = sign(1);
  long[7] += 1;
  assert.deepEqual(await area([sign(2), long]), []);
  assert.deepEqual(await area([sign(2), new Uint8Array(5)]), []);
  // A signature whose CRC is wrong is an error, not a break.
  const crc = sign(1);
  crc[11] ^= 1;
  await assert.rejects(area([crc]), { code: "H4_CRC_MISMATCH" });
});
