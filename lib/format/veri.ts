/**
 * VERI, the whole-file digest, SPEC.md section 9. Version 1 keeps the original definition
 * (SHA-256 of every byte from offset 8 up to VERI's header); version 2 hashes each stored byte
 * once: a storage chunk enters VERI as the SHA-256 of its payload, the same hash BHSH holds, so
 * a writer or a verifier computes one SHA-256 per stored byte (H4-INT-005).
 *
 * Every rule about which bytes VERI covers is in {@linkcode veriPart}: a new chunk type that
 * needs its own treatment is added there, and the writer, `verify` and the tests follow.
 *
 * @module
 */
import { encodeUtf8 } from "./bytes.ts";
import { walkChunks } from "./chunk.ts";
import { CHUNK_HEADER_LENGTH, HEADER_LENGTH, VERI_DOMAIN, VERSION_V1 } from "./constants.ts";
import { createSha256, type Sha256, sha256 } from "../hash/sha256.ts";

/**
 * How a chunk before VERI enters VERI: `bytes`, its header and payload as written; `digest`,
 * its header and then the SHA-256 of its payload (v2 storage chunks, H4-INT-005).
 */
export type VeriPart = "bytes" | "digest";

/**
 * How the chunk tagged `tag` enters the VERI of a file of format `version`.
 *
 * @example
 * ```ts
 * import { veriPart } from "./veri.ts";
 * import assert from "node:assert/strict";
 * assert(veriPart(2, "SEGM") === "digest");
 * assert(veriPart(1, "CORE") === "bytes");
 * assert(veriPart(2, "META") === "bytes");
 * ```
 */
export function veriPart(version: number, tag: string): VeriPart {
  if (version === VERSION_V1) return "bytes";
  return tag === "SEGM" || tag === "CORE" ? "digest" : "bytes";
}

/** An incremental VERI over a file's header and its chunks, in file order. */
export interface VeriHash {
  /** The file format version it follows. */
  readonly version: number;
  /**
   * Adds a whole chunk (12-byte header and payload) whose part is `bytes`, or a run of such
   * chunks, or part of one: bytes are hashed as they are.
   */
  bytes(bytes: Uint8Array): void;
  /** Adds a chunk whose part is `digest`: its 12-byte header and its payload's SHA-256. */
  digest(header: Uint8Array, payloadDigest: Uint8Array): void;
  /** Adds a whole chunk, choosing by {@linkcode veriPart}. */
  chunk(tag: string, header: Uint8Array, payload: Uint8Array): void;
  /** The 32-byte VERI payload; the hash cannot be used after. */
  finish(): Uint8Array;
}

const DOMAIN = encodeUtf8(VERI_DOMAIN);

/**
 * Starts the VERI of a file of format `version` whose 8-byte header is `header`. Version 1
 * hashes from offset 8, as the original format; version 2 starts with the domain string
 * `H4MK-VERI-2` and the header.
 *
 * @example
 * ```ts
 * import { createVeriHash } from "./veri.ts";
 * import assert from "node:assert/strict";
 * const header = new Uint8Array([0x48, 0x34, 0x4d, 0x4b, 0, 2, 0, 0]);
 * const v = createVeriHash(2, header);
 * v.chunk("META", new Uint8Array(12), new Uint8Array(2));
 * assert(v.finish().length === 32);
 * ```
 */
export function createVeriHash(version: number, header: Uint8Array): VeriHash {
  const h: Sha256 = createSha256();
  if (version !== VERSION_V1) h.update(DOMAIN).update(header.subarray(0, HEADER_LENGTH));
  return {
    version,
    bytes(bytes) {
      h.update(bytes);
    },
    digest(head, payloadDigest) {
      h.update(head.subarray(0, CHUNK_HEADER_LENGTH)).update(payloadDigest);
    },
    chunk(tag, head, payload) {
      h.update(head.subarray(0, CHUNK_HEADER_LENGTH));
      h.update(veriPart(version, tag) === "digest" ? sha256(payload) : payload);
    },
    finish: () => h.digest(),
  };
}

/**
 * VERI of a whole file in memory: the header, then every chunk from offset 8 up to `veriOffset`
 * (the offset of the VERI chunk's header). The chunks must frame exactly up to it.
 *
 * @example
 * ```ts
 * import { computeVeri } from "./veri.ts";
 * import assert from "node:assert/strict";
 * const file = new Uint8Array([0x48, 0x34, 0x4d, 0x4b, 0, 1, 0, 0]);
 * assert(computeVeri(file, 8).toHex().startsWith("e3b0c442")); // v1: nothing hashed
 * ```
 */
export function computeVeri(file: Uint8Array, veriOffset: number): Uint8Array {
  const version = (file[4] << 8) | file[5];
  const v = createVeriHash(version, file.subarray(0, HEADER_LENGTH));
  let end = HEADER_LENGTH;
  for (const c of walkChunks(file.subarray(0, veriOffset))) {
    v.chunk(c.tag, file.subarray(c.offset, c.offset + CHUNK_HEADER_LENGTH), c.payload);
    end = c.offset + CHUNK_HEADER_LENGTH + c.length;
  }
  // The walk stops at a chunk that does not fit before VERI: nothing may be left out.
  if (end < veriOffset) throw new RangeError(`chunk at ${end} runs past ${veriOffset}`);
  return v.finish();
}
