/**
 * The transcript, SPEC.md section 12.7 (H4-LC-009): one running SHA-256 over every block's
 * associated data and tag, in block order. It is public (the ADs and tags are readable); the
 * seal authenticates it together with the LIVC header and the root digest.
 *
 * ```
 * T = SHA-256( "H4MK-LC1 transcript" || record_0 || ... || record_{N-1} )
 * record_i = u16 len(AD_i) || AD_i || tag_i (16 bytes)
 * ```
 *
 * @module
 */
import { H4Error } from "../format/errors.ts";
import { createSha256, createSha256Portable, type Sha256 } from "../hash/sha256.ts";
import { LABELS, TAG_LENGTH } from "./constants.ts";
import { MAX_AD_LENGTH } from "./context.ts";

/** A transcript being computed. */
export interface Transcript {
  /** Number of records added. */
  readonly count: number;
  /** Adds the record of the next block. */
  add(ad: Uint8Array, tag: Uint8Array): void;
  /**
   * Adds a record already laid out as `u16 len || AD || tag` (the sealer builds it in place).
   */
  addRecord(record: Uint8Array): void;
  /** The 32-byte transcript hash; the transcript cannot be used after. */
  digest(): Uint8Array;
}

/**
 * A new transcript; `portable` forces the `@noble/hashes` SHA-256 (tests compare both).
 *
 * @example
 * ```ts
 * import { createTranscript } from "./transcript.ts";
 * import assert from "node:assert/strict";
 * const t = createTranscript();
 * t.add(new Uint8Array(3), new Uint8Array(16));
 * assert(t.count === 1 && t.digest().length === 32);
 * ```
 */
export function createTranscript(portable = false): Transcript {
  const h: Sha256 = portable ? createSha256Portable() : createSha256();
  h.update(new TextEncoder().encode(LABELS.transcript));
  const scratch = new Uint8Array(2 + MAX_AD_LENGTH + TAG_LENGTH);
  let count = 0;
  return {
    get count() {
      return count;
    },
    add(ad, tag) {
      if (ad.length > MAX_AD_LENGTH || tag.length !== TAG_LENGTH) {
        throw new H4Error(
          "H4_BAD_ARGUMENT",
          `transcript record: AD of ${ad.length} bytes, tag of ${tag.length}`,
        );
      }
      scratch[0] = ad.length >> 8;
      scratch[1] = ad.length & 0xff;
      scratch.set(ad, 2);
      scratch.set(tag, 2 + ad.length);
      h.update(scratch.subarray(0, 2 + ad.length + TAG_LENGTH));
      count++;
    },
    addRecord(record) {
      h.update(record);
      count++;
    },
    digest: () => h.digest(),
  };
}
