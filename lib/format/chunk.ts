/**
 * Chunk framing, SPEC.md section 3: tag, u32 length, u32 CRC-32 of the payload, payload.
 *
 * @module
 */
import { CHUNK_HEADER_LENGTH } from "./constants.ts";
import { crc32 } from "../hash/crc32.ts";
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

/** A chunk of a file in memory, as {@linkcode walkChunks} finds it. */
export interface ChunkView {
  /** File offset of the chunk header. */
  offset: number;
  /** Four-character tag. */
  tag: string;
  /** Payload length (the header's length field). */
  length: number;
  /** CRC-32 from the header (not checked here). */
  crc: number;
  /** The payload, a view into the file's bytes. */
  payload: Uint8Array;
}

/**
 * The chunks of a whole file in memory, from offset 8, as far as their framing fits in the
 * bytes: nothing else is checked (tags, CRCs, order). The one chunk walker of tools, tests,
 * generators and the fuzzer; readers of untrusted files go through the container's checks.
 *
 * @example
 * ```ts
 * import { encodeChunk, walkChunks } from "./chunk.ts";
 * import assert from "node:assert/strict";
 * const file = new Uint8Array([...new TextEncoder().encode("H4MK"), 0, 2, 0, 0,
 *   ...encodeChunk("META", new TextEncoder().encode("{}"))]);
 * const [meta] = walkChunks(file);
 * assert(meta.tag === "META" && meta.offset === 8 && meta.length === 2);
 * ```
 */
export function walkChunks(bytes: Uint8Array): ChunkView[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: ChunkView[] = [];
  for (let o = 8; o + CHUNK_HEADER_LENGTH <= bytes.length;) {
    const length = view.getUint32(o + 4);
    const end = o + CHUNK_HEADER_LENGTH + length;
    if (end > bytes.length) break;
    out.push({
      offset: o,
      tag: String.fromCharCode(...bytes.subarray(o, o + 4)),
      length,
      crc: view.getUint32(o + 8),
      payload: bytes.subarray(o + CHUNK_HEADER_LENGTH, end),
    });
    o = end;
  }
  return out;
}

/**
 * H4-FMT-012: the bytes left at `offset` of a file of `size` bytes can hold a chunk header.
 *
 * @example
 * ```ts
 * import { checkChunkHeaderRoom } from "./chunk.ts";
 * import assert from "node:assert/strict";
 * checkChunkHeaderRoom(100, 20);
 * assert.throws(() => checkChunkHeaderRoom(100, 95), { code: "H4_TRUNCATED" });
 * ```
 */
export function checkChunkHeaderRoom(size: number, offset: number): void {
  if (size - offset < CHUNK_HEADER_LENGTH) {
    throw new H4Error(
      "H4_TRUNCATED",
      `${size - offset} trailing bytes at ${offset} cannot hold a chunk header`,
      { offset, rule: "H4-FMT-012" },
    );
  }
}
