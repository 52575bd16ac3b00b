/**
 * LOCA, the fixed-size locator at the end of the file, SPEC.md section 7.
 *
 * @module
 */
import { ByteReader, ByteWriter } from "./bytes.ts";
import { LOCA_PAYLOAD_LENGTH, LOCA_SLOTS, type LocaSlot, LOCATOR_VERSION } from "./constants.ts";
import { H4Error } from "./errors.ts";

/** Where a table chunk is: offset of its header and whole length (header included). */
export interface SlotRef {
  /** File offset of the chunk header. */
  offset: number;
  /** Chunk length including its 12-byte header. */
  length: number;
}

/** A decoded LOCA payload. */
export interface Locator {
  /** The 8-byte header copy. */
  header: Uint8Array;
  /** Flags (bit 0: encrypted). */
  flags: number;
  /** Track count. */
  trackCount: number;
  /** Block count N. */
  blockCount: number;
  /** Storage chunk count C. */
  chunkCount: number;
  /** Table slots; null when absent. */
  slots: Record<LocaSlot, SlotRef | null>;
  /** Root digest. */
  root: Uint8Array;
}

/**
 * Encodes the 160-byte LOCA payload. The root is written as given (zeros while it is computed).
 *
 * @example
 * ```ts
 * import { encodeLoca } from "./loca.ts";
 * import assert from "node:assert/strict";
 * const slots = { BIDX: null, BHSH: null, KSEK: null, TDIR: null, TRKS: null, META: null, SAFE: null, LIVC: null };
 * const l = { header: new Uint8Array(8), flags: 0, trackCount: 0, blockCount: 0, chunkCount: 0, slots, root: new Uint8Array(32) };
 * assert(encodeLoca(l).length === 160);
 * ```
 */
export function encodeLoca(l: Locator): Uint8Array {
  const w = new ByteWriter(LOCA_PAYLOAD_LENGTH);
  w.bytes(l.header);
  w.u16(LOCATOR_VERSION);
  w.u16(l.flags);
  w.u32(l.trackCount);
  w.u64(l.blockCount);
  w.u64(l.chunkCount);
  for (const s of LOCA_SLOTS) {
    const ref = l.slots[s];
    w.u64(ref ? ref.offset : 0);
    w.u32(ref ? ref.length : 0);
  }
  w.bytes(l.root);
  return w.finish();
}

/**
 * Decodes a LOCA payload, checking its own fields (H4-LOC-002); the caller checks the slots
 * against the file.
 *
 * @example
 * ```ts
 * import { decodeLoca, encodeLoca } from "./loca.ts";
 * import assert from "node:assert/strict";
 * const slots = { BIDX: null, BHSH: null, KSEK: null, TDIR: null, TRKS: null, META: null, SAFE: null, LIVC: null };
 * const l = { header: new Uint8Array(8), flags: 0, trackCount: 0, blockCount: 0, chunkCount: 0, slots, root: new Uint8Array(32) };
 * assert(decodeLoca(encodeLoca(l)).blockCount === 0);
 * ```
 */
export function decodeLoca(payload: Uint8Array, base = 0): Locator {
  if (payload.length !== LOCA_PAYLOAD_LENGTH) {
    throw new H4Error("H4_BAD_LOCATOR", `LOCA payload is ${payload.length} bytes, must be 160`, {
      offset: base,
      chunk: "LOCA",
      rule: "H4-LOC-002",
    });
  }
  const r = new ByteReader(payload, "H4_BAD_LOCATOR", "LOCA", base);
  const header = r.take(8).slice();
  const version = r.u16("locator_version");
  if (version !== LOCATOR_VERSION) {
    r.fail(`locator_version ${version}, expected 1`, "H4_BAD_LOCATOR", "H4-LOC-002");
  }
  const flags = r.u16("flags");
  if (flags & ~1) {
    r.fail(`unknown flag bits 0x${flags.toString(16)}`, "H4_BAD_LOCATOR", "H4-LOC-002");
  }
  const trackCount = r.u32("track_count");
  const blockCount = r.u64("block_count");
  const chunkCount = r.u64("storage_chunk_count");
  const slots = {} as Record<LocaSlot, SlotRef | null>;
  for (const s of LOCA_SLOTS) {
    const offset = r.u64(`${s} offset`);
    const length = r.u32(`${s} length`);
    if ((offset === 0) !== (length === 0)) {
      r.fail(`slot ${s} has offset ${offset} and length ${length}`, "H4_BAD_LOCATOR", "H4-LOC-002");
    }
    slots[s] = offset === 0 ? null : { offset, length };
  }
  const root = r.take(32).slice();
  return { header, flags, trackCount, blockCount, chunkCount, slots, root };
}
