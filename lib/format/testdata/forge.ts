/**
 * The forging kit: what anyone can recompute after changing the bytes of a container, so that a
 * test or a vector reaches the check it is about instead of stopping at the first CRC. Every
 * chunk CRC ({@linkcode fixCrc}, {@linkcode fixCrcAt}, {@linkcode fixCrcs}), a chunk's payload
 * ({@linkcode setPayload}), VERI ({@linkcode fixVeri}), the root in LOCA ({@linkcode fixRoot}),
 * BHSH and TDIR's page digests ({@linkcode forge}), a chunk inserted before VERI
 * ({@linkcode insertChunkBeforeVeri}). After {@linkcode forge}, only a key holder's checks (the
 * LivingCipher seal and AEAD tags, SPEC.md 12.13), a signature, or an `expectedRoot` learned out
 * of band can tell.
 *
 * Test tooling: used by the tests, the fuzzer and the vector generators; nothing here is exported
 * from a mod.ts. The chunks are found with lib/format's one walker, {@linkcode walkChunks}.
 *
 * @module
 */
import { concat } from "../bytes.ts";
import { type ChunkView, encodeChunk, encodeChunkHeader, walkChunks } from "../chunk.ts";
import { isStorageTag, ROOTED_TAGS } from "../chunk_types.ts";
import { CHUNK_HEADER_LENGTH, LOCA_CHUNK_LENGTH, VERI_PAYLOAD_LENGTH } from "../constants.ts";
import { crc32 } from "../../hash/crc32.ts";
import { decodeLoca, encodeLoca } from "../loca.ts";
import { computeRoot, type RootInputs } from "../root.ts";
import { sha256 } from "../../hash/sha256.ts";
import { decodeTdir, encodeTdir } from "../tdir.ts";
import { computeVeri } from "../veri.ts";

/**
 * The chunks of `bytes` from offset 8; unlike {@linkcode walkChunks}, a chunk that overruns the
 * end throws: a test that walks a file it wrote wants to know.
 *
 * @example
 * ```ts
 * import { walk } from "./forge.ts";
 * import assert from "node:assert/strict";
 * assert(walk(new Uint8Array(8)).length === 0);
 * ```
 */
export function walk(bytes: Uint8Array): ChunkView[] {
  const out = walkChunks(bytes);
  const last = out.at(-1);
  const end = last ? last.offset + CHUNK_HEADER_LENGTH + last.length : 8;
  if (end + CHUNK_HEADER_LENGTH <= bytes.length) {
    throw new Error(`test walk: the chunk at ${end} overruns`);
  }
  return out;
}

/**
 * The `nth` chunk with `tag` (throws when there is none).
 *
 * @example
 * ```ts ignore
 * const veri = chunk(bytes, "VERI");
 * ```
 */
export function chunk(bytes: Uint8Array, tag: string, nth = 0): ChunkView {
  const found = walk(bytes).filter((c) => c.tag === tag)[nth];
  if (!found) throw new Error(`test: no ${tag} #${nth}`);
  return found;
}

/**
 * A copy with byte `at` XORed with `mask`.
 *
 * @example
 * ```ts
 * import { flip } from "./forge.ts";
 * import assert from "node:assert/strict";
 * assert(flip(new Uint8Array(2), 1)[1] === 1);
 * ```
 */
export function flip(bytes: Uint8Array, at: number, mask = 0x01): Uint8Array {
  const out = bytes.slice();
  out[at] ^= mask;
  return out;
}

/**
 * Rewrites the CRC of the chunk whose header is at `offset`, in place; returns `bytes`.
 *
 * @example
 * ```ts
 * import { fixCrc } from "./forge.ts";
 * import { encodeChunk } from "../chunk.ts";
 * import assert from "node:assert/strict";
 * const c = encodeChunk("META", new Uint8Array(2));
 * c[12] = 1;
 * assert(fixCrc(c, 0)[8] !== 0);
 * ```
 */
export function fixCrc(bytes: Uint8Array, offset: number): Uint8Array {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = offset + CHUNK_HEADER_LENGTH;
  v.setUint32(offset + 8, crc32(bytes.subarray(start, start + v.getUint32(offset + 4))));
  return bytes;
}

/**
 * Rewrites, in place, the CRC of the chunk whose payload holds file offset `at` (after a change
 * of a block's stored bytes, say); throws when no chunk does. Returns `bytes`.
 *
 * @example
 * ```ts ignore
 * out[entry.offset] ^= 1;
 * fixCrcAt(out, entry.offset);
 * ```
 */
export function fixCrcAt(bytes: Uint8Array, at: number): Uint8Array {
  const c = walkChunks(bytes).find((c) =>
    at >= c.offset + CHUNK_HEADER_LENGTH && at < c.offset + CHUNK_HEADER_LENGTH + c.length
  );
  if (!c) throw new Error(`test: offset ${at} is in no chunk`);
  return fixCrc(bytes, c.offset);
}

/**
 * A copy with the CRC of every chunk that still frames recomputed.
 *
 * @example
 * ```ts
 * import { fixCrcs } from "./forge.ts";
 * import assert from "node:assert/strict";
 * assert(fixCrcs(new Uint8Array(8)).length === 8);
 * ```
 */
export function fixCrcs(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  for (const c of walkChunks(out)) fixCrc(out, c.offset);
  return out;
}

/**
 * Replaces, in place, the payload of the chunk whose header is at `offset` by `payload` of the
 * same length, and fixes its CRC. Returns `bytes`.
 *
 * @example
 * ```ts
 * import { setPayload } from "./forge.ts";
 * import { encodeChunk } from "../chunk.ts";
 * import assert from "node:assert/strict";
 * const c = setPayload(encodeChunk("VERI", new Uint8Array(32)), 0, new Uint8Array(32).fill(7));
 * assert(c[12] === 7);
 * ```
 */
export function setPayload(bytes: Uint8Array, offset: number, payload: Uint8Array): Uint8Array {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(offset + 4);
  if (payload.length !== length) {
    throw new Error(`test: ${payload.length} bytes for a payload of ${length}`);
  }
  bytes.set(payload, offset + CHUNK_HEADER_LENGTH);
  return fixCrc(bytes, offset);
}

/**
 * A copy with every 32-byte VERI recomputed over the bytes before it (SPEC.md section 9: v1, the
 * SHA-256 of bytes 8 up to its header; v2 with each storage chunk's payload hashed, H4-INT-005),
 * and its CRC. The other chunks' CRCs are fixed on the way, in file order, so a VERI covers
 * chunks whose CRCs hold.
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
  for (const c of walkChunks(out)) {
    if (c.tag === "VERI" && c.length === VERI_PAYLOAD_LENGTH) {
      out.set(computeVeri(out, c.offset), c.offset + CHUNK_HEADER_LENGTH);
    }
    fixCrc(out, c.offset);
  }
  return out;
}

/**
 * A copy with every CRC fixed and the root in LOCA recomputed from the tables its slots point at,
 * when LOCA (the last 172 bytes) still decodes; otherwise only the CRCs are fixed.
 *
 * @example
 * ```ts
 * import { fixRoot } from "./forge.ts";
 * import assert from "node:assert/strict";
 * assert(fixRoot(new Uint8Array(8)).length === 8);
 * ```
 */
export function fixRoot(bytes: Uint8Array): Uint8Array {
  const out = fixCrcs(bytes);
  if (out.length < 8 + LOCA_CHUNK_LENGTH) return out;
  const at = out.length - LOCA_CHUNK_LENGTH;
  try {
    const loca = decodeLoca(out.subarray(at + CHUNK_HEADER_LENGTH));
    const inputs = {} as RootInputs;
    for (const s of ROOTED_TAGS) {
      const r = loca.slots[s];
      inputs[s] = !r || r.offset + r.length > at
        ? null
        : out.subarray(r.offset + CHUNK_HEADER_LENGTH, r.offset + r.length);
    }
    loca.root = computeRoot(encodeLoca(loca).subarray(0, 32), inputs);
    const p = encodeLoca(loca);
    out.set(encodeChunkHeader("LOCA", p.length, crc32(p)), at);
    out.set(p, at + CHUNK_HEADER_LENGTH);
  } catch {
    // LOCA itself is damaged: leave it so.
  }
  return out;
}

/**
 * Makes a changed container consistent again, as far as that needs no key: BHSH from the
 * storage chunks, TDIR's page digests from BIDX and BHSH, every CRC, the root, then VERI. Parts
 * that no longer parse are left as they are. Returns a copy.
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
  const storage = chunks.filter((c) => isStorageTag(c.tag));
  const bhsh = chunks.find((c) => c.tag === "BHSH");
  if (bhsh) {
    for (let k = 0; k < storage.length && 32 * k + 32 <= bhsh.length; k++) {
      bhsh.payload.set(sha256(storage[k].payload), 32 * k);
    }
  }
  const bidx = chunks.find((c) => c.tag === "BIDX");
  const tdirChunk = chunks.find((c) => c.tag === "TDIR");
  if (bidx && bhsh && tdirChunk && out.length >= 8 + LOCA_CHUNK_LENGTH) {
    try {
      const loca = decodeLoca(out.subarray(out.length - LOCA_CHUNK_LENGTH + CHUNK_HEADER_LENGTH));
      const tdir = decodeTdir(tdirChunk.payload, loca.blockCount, loca.chunkCount);
      let at = 0;
      tdir.bidxPageDigests = tdir.bidxPageLengths.map((l) =>
        sha256(bidx.payload.subarray(at, at += l))
      );
      const hashes = bhsh.payload;
      const per = tdir.hashesPerPage * 32;
      tdir.bhshPageDigests = tdir.bhshPageDigests.map((_, q) =>
        sha256(hashes.subarray(q * per, Math.min(hashes.length, (q + 1) * per)))
      );
      const encoded = encodeTdir(tdir);
      if (encoded.length === tdirChunk.length) tdirChunk.payload.set(encoded);
    } catch {
      // LOCA or TDIR no longer parse: leave the directory as it is.
    }
  }
  return fixVeri(fixRoot(out));
}

/**
 * Inserts a chunk `tag` with `payload` just before VERI and recomputes VERI (and its CRC), as
 * anyone can: no LOCA slot moves, so every unkeyed check still holds. Returns a new file.
 *
 * @example
 * ```ts ignore
 * const extra = insertChunkBeforeVeri(bytes, "XTRA", new Uint8Array(3));
 * ```
 */
export function insertChunkBeforeVeri(
  bytes: Uint8Array,
  tag: string,
  payload: Uint8Array,
): Uint8Array {
  const veri = walkChunks(bytes).find((c) => c.tag === "VERI");
  if (!veri) throw new Error("test: no VERI chunk");
  const before = concat([bytes.subarray(0, veri.offset), encodeChunk(tag, payload)]);
  return concat([
    before,
    encodeChunk("VERI", computeVeri(before, before.length)),
    bytes.subarray(veri.offset + CHUNK_HEADER_LENGTH + veri.length),
  ]);
}

/**
 * Inserts whole chunks (SIGN chunks, say) just before LOCA, the last 172 bytes: the place of
 * signatures (SPEC.md 18.1), outside VERI and the root, so nothing else needs recomputing.
 * Returns a new file.
 *
 * @example
 * ```ts ignore
 * const signed = insertBeforeLoca(bytes, encodeChunk("SIGN", signPayload));
 * ```
 */
export function insertBeforeLoca(bytes: Uint8Array, ...chunks: Uint8Array[]): Uint8Array {
  const at = bytes.length - LOCA_CHUNK_LENGTH;
  return concat([bytes.subarray(0, at), ...chunks, bytes.subarray(at)]);
}
