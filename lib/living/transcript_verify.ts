/**
 * Full verification of an encrypted container's blocks and transcript, SPEC.md 12.10 and
 * H4-LC-017: what `LivingOpener.verifyTranscript` runs once the LIVC header, the key and the seal
 * have been checked by `openCipher`.
 *
 * @module
 */
import { contextOf } from "../format/block_context.ts";
import { isH4Error } from "../format/errors.ts";
import type { BlockContext, BlockEntry, VerifyCheck } from "../format/types.ts";
import { TAG_LENGTH } from "./constants.ts";
import { type AdEncoder, MAX_AD_LENGTH } from "./context.ts";
import { timingSafeEqual } from "./key_schedule.ts";
import type { DecodedLivc } from "./livc.ts";
import { createTranscript } from "./transcript.ts";

/** What {@linkcode verifyTranscriptOf} needs of an opened container. */
export interface TranscriptInput {
  /** The container's index entries and stored bytes. */
  source: {
    readonly blockCount: number;
    entry(i: number): Promise<BlockEntry>;
    readStored(i: number): Promise<Uint8Array>;
  };
  /** The decoded LIVC. */
  livc: DecodedLivc;
  /** First epoch the key opens. */
  first: number;
  /** The associated-data encoder of the container. */
  ad: AdEncoder;
  /** AEAD implementation in use (the portable one hashes the transcript portably too). */
  backend: "native" | "portable";
  /** Decrypts one block (throws H4Error). */
  open(ctx: BlockContext, stored: Uint8Array): Uint8Array;
}

/** Blocks 0..sealed − 1 stay sealed to an epoch key of epoch `first`, in words. */
function describeSealed(livc: DecodedLivc, sealed: number, e: number): string {
  return `blocks 0..${sealed - 1} (${sealed} of ${livc.blockCount}, epochs 0..${
    e - 1
  }) stay sealed to this epoch-${e} key: in the transcript, not decrypted`;
}

/**
 * Full verification of an opened container (H4-LC-017, in the order of SPEC.md 12.10): reads
 * every block's index entry and stored bytes, authenticates every block the key opens, then
 * recomputes the transcript and compares it with the sealed one. Never throws for a bad
 * container; reports each check. The engine of `LivingOpener.verifyTranscript`.
 *
 * @example
 * ```ts
 * import { createSealer } from "./sealer.ts";
 * import { openCipher } from "./opener.ts";
 * import assert from "node:assert/strict";
 * const key = new Uint8Array(32);
 * const sealer = createSealer(key);
 * const entry = { index: 0, track_id: "v", pts_us: 0, kind: "I" as const, keyframe: true,
 *   codec: "none" as const, plain_length: 2, offset: 20, stored_length: 18, chunk: 0 };
 * const stored = sealer.seal(entry, new Uint8Array([7, 8]));
 * const root = new Uint8Array(32);
 * const container = { livc: sealer.finish(root), root, blockCount: 1,
 *   entry: () => Promise.resolve(entry), readStored: () => Promise.resolve(stored) };
 * const opener = await openCipher(container, { kind: "root", key });
 * assert((await opener.verifyTranscript()).every((c) => c.ok));
 * ```
 */
export async function verifyTranscriptOf(t: TranscriptInput): Promise<VerifyCheck[]> {
  const { source: container, livc, first, ad, open } = t;
  const n = livc.blockCount;
  const checks: VerifyCheck[] = [
    {
      rule: "H4-LC-010",
      ok: true,
      message:
        `LIVC: suite ${livc.suite}, container ${livc.containerId.toHex()}, ${n} blocks in ${livc.epochCount} epochs of ${livc.epochBlocks}`,
    },
    {
      rule: "H4-LC-014",
      ok: true,
      message: `key check: the key opens epochs ${first} and later`,
    },
    { rule: "H4-LC-015", ok: true, message: "seal over LIVC and the root digest holds" },
  ];
  const failures: VerifyCheck[] = [];
  const fail = (c: VerifyCheck): void => {
    if (failures.length < 10) failures.push(c);
  };
  const transcript = createTranscript(t.backend === "portable");
  const record = new Uint8Array(2 + MAX_AD_LENGTH + TAG_LENGTH);
  let complete = true;
  let opened = 0;
  let failed = 0;
  for (let i = 0; i < n; i++) {
    let ctx: BlockContext;
    let stored: Uint8Array;
    try {
      const entry = await container.entry(i);
      ctx = contextOf(entry);
      stored = await container.readStored(i);
    } catch (e) {
      if (!isH4Error(e)) throw e;
      complete = false;
      failed++;
      fail({
        rule: e.rule ?? "H4-LC-017",
        ok: false,
        code: e.code,
        message: `block ${i}: ${e.message}`,
      });
      continue;
    }
    const adLength = ad.write(ctx, record, 2);
    if (stored.length < TAG_LENGTH) {
      complete = false;
    } else {
      record[0] = adLength >> 8;
      record[1] = adLength & 0xff;
      record.set(stored.subarray(stored.length - TAG_LENGTH), 2 + adLength);
      transcript.addRecord(record.subarray(0, 2 + adLength + TAG_LENGTH));
    }
    if (Math.floor(i / livc.epochBlocks) < first) continue;
    try {
      open(ctx, stored).fill(0);
      opened++;
    } catch (e) {
      if (!isH4Error(e)) throw e;
      failed++;
      fail({ rule: e.rule ?? "H4-LC-007", ok: false, code: e.code, message: e.message });
    }
  }
  const sameTranscript = complete && timingSafeEqual(transcript.digest(), livc.transcript);
  // Order of SPEC.md 12.10: every block the key opens (index order), then the transcript, so
  // that every reader reports the same first error.
  const skipped = n - opened - failed;
  checks.push(
    failed === 0
      ? {
        rule: "H4-LC-007",
        ok: true,
        message: `${opened} blocks authenticate` +
          (skipped ? `; ${describeSealed(livc, skipped, first)}` : ""),
      }
      : {
        rule: "H4-LC-007",
        ok: false,
        code: failures[0]?.code ?? "H4_CIPHER_AUTH_FAILED",
        message: `${failed} of ${opened + failed} blocks fail to authenticate`,
      },
    ...failures,
  );
  checks.push(
    sameTranscript
      ? {
        rule: "H4-LC-017",
        ok: true,
        message: `transcript of ${n} blocks matches the sealed transcript`,
      }
      : {
        rule: "H4-LC-017",
        ok: false,
        code: "H4_CIPHER_TRANSCRIPT_MISMATCH",
        message: complete
          ? "transcript recomputed from the index and the stored tags differs from the sealed one: blocks were reordered, replaced or relabelled"
          : "transcript cannot be recomputed: some blocks are unreadable or shorter than a tag",
      },
  );
  return checks;
}
