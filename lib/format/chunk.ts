/**
 * Chunk framing, SPEC.md section 3: tag, u32 length, u32 CRC-32 of the payload, payload.
 *
 * @module
 */
import { CHUNK_HEADER_LENGTH } from "./constants.ts";
import { crc32 } from "./crc32.ts";
import { H4Error } from "./errors.ts";

/** A parsed chunk header and where it is. */
export interface ChunkHeader {
  /** File offset of the chunk header. */
  offset: number;
  /** Four-character tag. */
  tag: string;
  /** Payload length. */
  length: number;
  /** CRC-32 stored in the header. */
  crc: number;
}

/**
 * Encodes the 12-byte header of a chunk whose payload CRC is `crc`.
 *
 * @example
 * ```ts
 * import { encodeChunkHeader } from "./chunk.ts";
 * import assert from "node:assert/strict";
 * assert(encodeChunkHeader("META", 2, 0).length === 12);
 * ```
 */
export function encodeChunkHeader(tag: string, length: number, crc: number): Uint8Array {
  if (!/^[\x20-\x7e]{4}$/.test(tag)) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `chunk tag must be 4 printable ASCII bytes, got ${JSON.stringify(tag)}`,
    );
  }
  const h = new Uint8Array(CHUNK_HEADER_LENGTH);
  for (let i = 0; i < 4; i++) h[i] = tag.charCodeAt(i);
  const v = new DataView(h.buffer);
  v.setUint32(4, length);
  v.setUint32(8, crc >>> 0);
  return h;
}

/**
 * Encodes a whole chunk: header and payload.
 *
 * @example
 * ```ts
 * import { encodeChunk } from "./chunk.ts";
 * import assert from "node:assert/strict";
 * assert(encodeChunk("SAFE", new Uint8Array(3)).length === 15);
 * ```
 */
export function encodeChunk(tag: string, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(CHUNK_HEADER_LENGTH + payload.length);
  out.set(encodeChunkHeader(tag, payload.length, crc32(payload)));
  out.set(payload, CHUNK_HEADER_LENGTH);
  return out;
}

/**
 * Parses a 12-byte chunk header found at file `offset` of a file of `fileSize` bytes, checking
 * the tag bytes (H4-FMT-014) and that the payload fits in the file (H4-FMT-010).
 *
 * @example
 * ```ts
 * import { encodeChunk, parseChunkHeader } from "./chunk.ts";
 * import assert from "node:assert/strict";
 * const c = encodeChunk("META", new Uint8Array(2));
 * assert(parseChunkHeader(c, 8, 8 + c.length).length === 2);
 * ```
 */
export function parseChunkHeader(bytes: Uint8Array, offset: number, fileSize: number): ChunkHeader {
  if (bytes.length < CHUNK_HEADER_LENGTH) {
    throw new H4Error("H4_TRUNCATED", `chunk header at ${offset} has ${bytes.length} of 12 bytes`, {
      offset,
      rule: "H4-FMT-012",
    });
  }
  let tag = "";
  for (let i = 0; i < 4; i++) {
    const b = bytes[i];
    if (b < 0x20 || b > 0x7e) {
      throw new H4Error("H4_BAD_CHUNK", `chunk at ${offset} has tag byte 0x${b.toString(16)}`, {
        offset,
        rule: "H4-FMT-014",
      });
    }
    tag += String.fromCharCode(b);
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, CHUNK_HEADER_LENGTH);
  const length = v.getUint32(4);
  const crc = v.getUint32(8);
  const end = offset + CHUNK_HEADER_LENGTH + length;
  if (end > fileSize) {
    throw new H4Error(
      "H4_CHUNK_OVERRUN",
      `${tag} at ${offset} claims ${length} bytes, only ${
        Math.max(0, fileSize - offset - 12)
      } remain`,
      { offset, chunk: tag, rule: "H4-FMT-010" },
    );
  }
  return { offset, tag, length, crc };
}

/**
 * Throws `H4_CRC_MISMATCH` unless `payload` matches the header's CRC (H4-FMT-011).
 *
 * @example
 * ```ts
 * import { checkChunkCrc, encodeChunk, parseChunkHeader } from "./chunk.ts";
 * const c = encodeChunk("META", new Uint8Array(2));
 * checkChunkCrc(parseChunkHeader(c, 8, 8 + c.length), c.subarray(12));
 * ```
 */
export function checkChunkCrc(header: ChunkHeader, payload: Uint8Array): void {
  const got = crc32(payload);
  if (got !== header.crc) {
    throw new H4Error(
      "H4_CRC_MISMATCH",
      `${header.tag} at ${header.offset}: CRC 0x${
        got.toString(16).padStart(8, "0")
      }, header says 0x${header.crc.toString(16).padStart(8, "0")}`,
      { offset: header.offset, chunk: header.tag, rule: "H4-FMT-011" },
    );
  }
}
