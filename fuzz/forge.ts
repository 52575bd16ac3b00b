/**
 * What an attacker without a key can recompute after changing a container: every CRC, the
 * storage chunk hashes in BHSH, the page digests in TDIR, the root in LOCA and VERI. After
 * {@linkcode forge}, only a key holder's checks (the LivingCipher seal, the AEAD tags and the
 * transcript, SPEC.md 12.13) or an `expectedRoot` learned out of band can tell.
 *
 * @module
 */
import { CHUNK_HEADER_LENGTH, LOCA_CHUNK_LENGTH } from "../lib/format/constants.ts";
import { crc32 } from "../lib/hash/crc32.ts";
import { decodeLoca } from "../lib/format/loca.ts";
import { sha256 } from "../lib/hash/sha256.ts";
import { computeVeri } from "../lib/format/veri.ts";
import { decodeTdir, encodeTdir } from "../lib/format/tdir.ts";
import { fixCrcs, fixRoot, walkChunks } from "./mutate.ts";

/**
 * Recomputes VERI (SPEC.md section 9: v1, the SHA-256 of bytes 8 up to its header; v2, with
 * each storage chunk's payload hashed, H4-INT-005) and its CRC, when the file frames as
 * far as a 32-byte VERI chunk.
 *
 * @example
 * ```ts
 * import { fixVeri } from "./forge.ts";
 * import assert from "node:assert/strict";
 * assert(fixVeri(new Uint8Array(8)).length === 8);
 * ```
 */
export function fixVeri(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const veri = walkChunks(out).find((c) => c.tag === "VERI" && c.length === 32);
  if (!veri) return out;
  const digest = computeVeri(out, veri.offset);
  out.set(digest, veri.offset + CHUNK_HEADER_LENGTH);
  new DataView(out.buffer).setUint32(veri.offset + 8, crc32(digest));
  return out;
}

/**
 * Makes a changed container consistent again, as far as that needs no key: BHSH from the
 * storage chunks, TDIR's page digests from BIDX and BHSH, every CRC, the root, then VERI. Parts
 * that no longer parse are left as they are.
 *
 * @example
 * ```ts
 * import { forge } from "./forge.ts";
 * import assert from "node:assert/strict";
 * assert(forge(new Uint8Array(8)).length === 8);
 * ```
 */
export function forge(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const chunks = walkChunks(out);
  const payload = (c: { offset: number; length: number }) =>
    out.subarray(c.offset + CHUNK_HEADER_LENGTH, c.offset + CHUNK_HEADER_LENGTH + c.length);
  const storage = chunks.filter((c) => c.tag === "CORE" || c.tag === "SEGM");
  const bhsh = chunks.find((c) => c.tag === "BHSH");
  if (bhsh) {
    const table = payload(bhsh);
    for (let k = 0; k < storage.length && 32 * k + 32 <= table.length; k++) {
      table.set(sha256(payload(storage[k])), 32 * k);
    }
  }
  const bidx = chunks.find((c) => c.tag === "BIDX");
  const tdirChunk = chunks.find((c) => c.tag === "TDIR");
  if (bidx && bhsh && tdirChunk && out.length >= 8 + LOCA_CHUNK_LENGTH) {
    try {
      const loca = decodeLoca(out.subarray(out.length - LOCA_CHUNK_LENGTH + CHUNK_HEADER_LENGTH));
      const tdir = decodeTdir(payload(tdirChunk), loca.blockCount, loca.chunkCount);
      const pages = payload(bidx);
      let at = 0;
      tdir.bidxPageDigests = tdir.bidxPageLengths.map((l) => sha256(pages.subarray(at, at += l)));
      const hashes = payload(bhsh);
      const per = tdir.hashesPerPage * 32;
      tdir.bhshPageDigests = tdir.bhshPageDigests.map((_, q) =>
        sha256(hashes.subarray(q * per, Math.min(hashes.length, (q + 1) * per)))
      );
      const encoded = encodeTdir(tdir);
      if (encoded.length === tdirChunk.length) payload(tdirChunk).set(encoded);
    } catch {
      // LOCA or TDIR no longer parse: leave the directory as it is.
    }
  }
  return fixVeri(fixRoot(fixCrcs(out)));
}
