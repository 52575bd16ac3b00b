/**
 * Opening encrypted containers, SPEC.md sections 12.10 and 12.11: check the LIVC header, the
 * key and the seal once, then decrypt any block in O(1) (its epoch key comes from a cache filled
 * on open), verify the whole transcript, or grant an epoch key.
 *
 * @module
 */
import { H4Error } from "../format/errors.ts";
import type { BlockContext, BlockEntry, BlockOpener, VerifyCheck } from "../format/types.ts";
import { DIGEST_LENGTH, MAX_EPOCHS, TAG_LENGTH } from "./constants.ts";
import { blockNonce, createAdEncoder, MAX_AD_LENGTH } from "./context.ts";
import {
  blockKey,
  computeSeal,
  createEpochChain,
  type EpochChain,
  epochZeroKey,
  keyCheck,
  timingSafeEqual,
} from "./key_schedule.ts";
import { type EpochKey, type LivingKey, toLivingKey } from "./keys.ts";
import { type DecodedLivc, decodeLivc } from "./livc.ts";
import {
  type AeadSuite,
  type Backend,
  describeSuiteName,
  getSuite,
  SUITE_NAMES,
} from "./suites.ts";
import { verifyTranscriptOf } from "./transcript_verify.ts";

/** What LivingCipher needs of a container; the reader's `Container` has all of it. */
export interface CipherContainer {
  /** LIVC payload, or null when the container is not encrypted. */
  readonly livc: Uint8Array | null;
  /** Root digest from LOCA (null for files of the original writer). */
  readonly root: Uint8Array | null;
  /** Number of blocks in the index. */
  readonly blockCount: number;
  /** Index entry of block `i`. */
  entry(i: number): Promise<BlockEntry>;
  /** Stored bytes of block `i` (ciphertext and tag). */
  readStored(i: number): Promise<Uint8Array>;
}

/** Public parameters of an opened container. */
export interface LivingInfo {
  /** Suite name. */
  suite: string;
  /** Container id, 32 hex digits. */
  containerId: string;
  /** Blocks per epoch K. */
  epochBlocks: number;
  /** Epochs n = ceil(N / K). */
  epochs: number;
  /** Blocks N. */
  blockCount: number;
  /** First epoch the key opens (0 for a root key). */
  firstEpoch: number;
  /**
   * Blocks 0..sealedBlocks − 1 stay sealed to this key (an epoch key of a later epoch): they
   * count in the transcript but are never decrypted. 0 for a root key.
   */
  sealedBlocks: number;
  /** AEAD implementation in use. */
  backend: "native" | "portable";
}

/** A {@linkcode BlockOpener} for one container and one key. */
export interface LivingOpener extends BlockOpener {
  /** First block this key opens: `info.sealedBlocks` (0 for a root key). */
  readonly firstOpenBlock: number;
  /** Public parameters. */
  readonly info: LivingInfo;
  /**
   * Full verification (H4-LC-017): reads every block's index entry and stored bytes, recomputes
   * the transcript and compares it with the sealed one, and authenticates every block the key
   * opens. Never throws for a bad container; reports each check.
   */
  verifyTranscript(): Promise<VerifyCheck[]>;
}

/** Options of {@linkcode openCipher}. */
export interface CipherOpenOptions {
  /** AEAD implementation; default the native one where there is one. */
  backend?: Backend;
}

/**
 * The epoch of block `index`: floor(index / K) (SPEC.md section 12.1).
 *
 * @example
 * ```ts
 * import { epochOfBlock } from "./opener.ts";
 * import assert from "node:assert/strict";
 * assert(epochOfBlock(9, 4) === 2);
 * ```
 */
export function epochOfBlock(index: number, epochBlocks: number): number {
  return Math.floor(index / epochBlocks);
}

import { contextOf } from "../format/block_context.ts";
export { contextOf };

interface CipherState {
  livc: DecodedLivc;
  suite: AeadSuite;
  first: number;
  chain: EpochChain;
}

/**
 * Checks LIVC, the key and (when `root` is given) the seal, in the order of SPEC.md 12.10.
 * Returns the key schedule ready for random access.
 */
function openState(
  livcBytes: Uint8Array | null,
  root: Uint8Array | null | undefined,
  blockCount: number,
  key: LivingKey | Uint8Array,
  backend: Backend,
): CipherState {
  if (livcBytes === null || livcBytes === undefined) {
    throw new H4Error("H4_BAD_ARGUMENT", "container is not encrypted (no LIVC chunk)");
  }
  const k = toLivingKey(key);
  const livc = decodeLivc(livcBytes);
  if (!SUITE_NAMES.includes(livc.suite)) {
    throw new H4Error(
      "H4_CIPHER_UNKNOWN_SUITE",
      `LIVC names suite ${describeSuiteName(livc.suite)}, which this reader does not know`,
      {
        chunk: "LIVC",
        rule: "H4-LC-003",
      },
    );
  }
  const suite = getSuite(livc.suite, backend);
  if (livc.epochCount > MAX_EPOCHS) {
    throw new H4Error("H4_LIMIT_EXCEEDED", `LIVC: ${livc.epochCount} epochs exceed ${MAX_EPOCHS}`, {
      chunk: "LIVC",
      rule: "H4-LC-010",
    });
  }
  if (root === null) {
    throw new H4Error(
      "H4_CIPHER_BAD_HEADER",
      "container has LIVC but no root digest to check its seal",
      {
        chunk: "LIVC",
        rule: "H4-LC-015",
      },
    );
  }
  if (root !== undefined && root.length !== DIGEST_LENGTH) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `root digest must be ${DIGEST_LENGTH} bytes, got ${root.length}`,
    );
  }
  if (livc.blockCount !== blockCount) {
    throw new H4Error(
      "H4_CIPHER_SEAL_MISMATCH",
      `LIVC seals ${livc.blockCount} blocks but the index has ${blockCount}: blocks were added or removed`,
      { chunk: "LIVC", rule: "H4-LC-011" },
    );
  }
  let first = 0;
  let start: Uint8Array;
  if (k.kind === "epoch") {
    if (!timingSafeEqual(k.containerId, livc.containerId)) {
      throw new H4Error(
        "H4_CIPHER_BAD_KEY",
        `epoch key is for container ${k.containerId.toHex()}, this is ${livc.containerId.toHex()}`,
        { rule: "H4-LC-016" },
      );
    }
    if (k.epoch > livc.epochCount) {
      throw new H4Error(
        "H4_CIPHER_WRONG_EPOCH",
        `epoch key starts at epoch ${k.epoch}; this container ends at epoch ${livc.epochCount}`,
        { rule: "H4-LC-016" },
      );
    }
    first = k.epoch;
    start = k.key;
  } else {
    start = epochZeroKey(k.key, livc.containerId);
  }
  const chain = createEpochChain(first, start, livc.epochCount);
  if (k.kind === "root") start.fill(0);
  const closing = chain.key(livc.epochCount);
  try {
    if (!timingSafeEqual(keyCheck(closing), livc.keyCheck)) {
      chain.wipe();
      throw new H4Error(
        "H4_CIPHER_BAD_KEY",
        k.kind === "root"
          ? "key does not open this container (its key check differs): wrong key, or LIVC's container id or epoch fields were changed"
          : `epoch key does not open this container from epoch ${first} (its key check differs)`,
        { chunk: "LIVC", rule: "H4-LC-014" },
      );
    }
    if (
      root !== undefined && !timingSafeEqual(computeSeal(closing, livc.sealedPart, root), livc.seal)
    ) {
      chain.wipe();
      throw new H4Error(
        "H4_CIPHER_SEAL_MISMATCH",
        "seal does not match LIVC and the root digest: the index, stored blocks, META, SAFE or LIVC were changed",
        { chunk: "LIVC", rule: "H4-LC-015" },
      );
    }
  } finally {
    closing.fill(0);
  }
  return { livc, suite, first, chain };
}

/** Most block keys an opener keeps (one per epoch). */
const BLOCK_KEY_CACHE = 64;

/**
 * Opens an encrypted container with a root or epoch key (SPEC.md section 12.10). Checks, in
 * order: the LIVC header (`H4_CIPHER_BAD_HEADER`, `H4_CIPHER_UNKNOWN_SUITE`), its block count
 * against the index (`H4_CIPHER_SEAL_MISMATCH`), the key (`H4_CIPHER_BAD_KEY`,
 * `H4_CIPHER_WRONG_EPOCH`) and the seal over LIVC and `container.root`
 * (`H4_CIPHER_SEAL_MISMATCH`). Pass the opener to `readBlock(i, { opener })`.
 *
 * @example
 * ```ts
 * import { createSealer } from "./sealer.ts";
 * import { openCipher } from "./opener.ts";
 * import assert from "node:assert/strict";
 * const key = new Uint8Array(32);
 * const sealer = createSealer(key);
 * const ctx = { index: 0, track_id: "v", pts_us: 0, kind: "I" as const, keyframe: true, codec: "none" as const, plain_length: 2 };
 * const stored = sealer.seal(ctx, new Uint8Array([7, 8]));
 * const root = new Uint8Array(32);
 * const container = { livc: sealer.finish(root), root, blockCount: 1,
 *   entry: () => Promise.reject(new Error("unused")), readStored: () => Promise.resolve(stored) };
 * const opener = await openCipher(container, { kind: "root", key });
 * assert(opener.open(ctx, stored)[1] === 8);
 * ```
 */
export function openCipher(
  container: CipherContainer,
  key: LivingKey | Uint8Array,
  opts: CipherOpenOptions = {},
): Promise<LivingOpener> {
  try {
    return Promise.resolve(
      createOpener(
        container,
        openState(
          container.livc,
          container.root ?? null, // a container object without a root must not skip the seal
          container.blockCount,
          key,
          opts.backend ?? "auto",
        ),
      ),
    );
  } catch (e) {
    return Promise.reject(e);
  }
}

function createOpener(container: CipherContainer, state: CipherState): LivingOpener {
  const { livc, suite, first, chain } = state;
  const ad = createAdEncoder(livc.suite, livc.containerId);
  const adScratch = new Uint8Array(MAX_AD_LENGTH);
  const nonce = new Uint8Array(12);
  const keys = new Map<number, Uint8Array>();
  // An epoch key of epoch e leaves blocks 0..eK − 1 sealed (all of them for the closing epoch).
  const firstOpenBlock = Math.min(first * livc.epochBlocks, livc.blockCount);

  function keyOf(e: number): Uint8Array {
    let k = keys.get(e);
    if (k === undefined) {
      const ek = chain.key(e);
      k = blockKey(ek, livc.suite);
      ek.fill(0);
      if (keys.size >= BLOCK_KEY_CACHE) {
        const oldest = keys.keys().next().value!;
        keys.get(oldest)!.fill(0);
        keys.delete(oldest);
      }
      keys.set(e, k);
    }
    return k;
  }

  function where(ctx: BlockContext): string {
    return `block ${ctx.index} (track ${JSON.stringify(ctx.track_id)}, pts ${ctx.pts_us})`;
  }

  function open(ctx: BlockContext, stored: Uint8Array): Uint8Array {
    const adLength = ad.write(ctx, adScratch, 0);
    if (!(stored instanceof Uint8Array)) {
      throw new H4Error("H4_BAD_ARGUMENT", `stored bytes must be a Uint8Array`);
    }
    if (ctx.index >= livc.blockCount) {
      throw new H4Error(
        "H4_BLOCK_OUT_OF_RANGE",
        `block ${ctx.index} is past the ${livc.blockCount} sealed blocks`,
      );
    }
    const e = Math.floor(ctx.index / livc.epochBlocks);
    if (e < first) {
      throw new H4Error(
        "H4_CIPHER_WRONG_EPOCH",
        `${where(ctx)} is in epoch ${e}; this key opens epochs ${first} to ${
          livc.epochCount - 1
        } only`,
        { rule: "H4-LC-016" },
      );
    }
    if (stored.length < TAG_LENGTH) {
      throw new H4Error(
        "H4_CIPHER_AUTH_FAILED",
        `${where(ctx)}: ${stored.length} stored bytes cannot hold the ${TAG_LENGTH}-byte tag`,
        { rule: "H4-LC-004" },
      );
    }
    const plain = suite.open(
      keyOf(e),
      blockNonce(ctx.index, nonce),
      adScratch.subarray(0, adLength),
      stored,
    );
    if (plain === null) {
      throw new H4Error(
        "H4_CIPHER_AUTH_FAILED",
        `${where(ctx)}: authentication failed: the block, its index entry or the key is wrong`,
        { rule: "H4-LC-007" },
      );
    }
    return plain;
  }

  const verifyTranscript = (): Promise<VerifyCheck[]> =>
    verifyTranscriptOf({ source: container, livc, first, ad, backend: suite.backend, open });

  return {
    info: {
      suite: livc.suite,
      containerId: livc.containerId.toHex(),
      epochBlocks: livc.epochBlocks,
      epochs: livc.epochCount,
      blockCount: livc.blockCount,
      firstEpoch: first,
      sealedBlocks: firstOpenBlock,
      backend: suite.backend,
    },
    firstOpenBlock,
    open,
    verifyTranscript,
  };
}

/**
 * An epoch key that opens epoch `fromEpoch` and every later epoch of this container, and no
 * earlier one (SPEC.md section 12.11). `key` may itself be an epoch key of an epoch ≤
 * `fromEpoch`. The key of the closing epoch (= `info.epochs`) opens no block but still checks
 * the seal and the transcript: a verifier's key.
 *
 * @example
 * ```ts
 * import { createSealer } from "./sealer.ts";
 * import { grantEpochKey } from "./opener.ts";
 * import assert from "node:assert/strict";
 * const key = new Uint8Array(32);
 * const sealer = createSealer(key, { epochBlocks: 1 });
 * const ctx = { index: 0, track_id: "v", pts_us: 0, kind: "I" as const, keyframe: true, codec: "none" as const, plain_length: 1 };
 * sealer.seal(ctx, new Uint8Array(1));
 * const grant = grantEpochKey({ livc: sealer.finish(new Uint8Array(32)), blockCount: 1 }, { kind: "root", key }, 1);
 * assert(grant.kind === "epoch" && grant.epoch === 1);
 * ```
 */
export function grantEpochKey(
  container: Pick<CipherContainer, "livc" | "blockCount">,
  key: LivingKey | Uint8Array,
  fromEpoch: number,
): EpochKey {
  const state = openState(container.livc, undefined, container.blockCount, key, "auto");
  try {
    if (
      !Number.isSafeInteger(fromEpoch) || fromEpoch < state.first ||
      fromEpoch > state.livc.epochCount
    ) {
      throw new H4Error(
        "H4_CIPHER_WRONG_EPOCH",
        `cannot grant epoch ${fromEpoch}: the key opens epochs ${state.first} to ${state.livc.epochCount}`,
        { rule: "H4-LC-016" },
      );
    }
    return {
      kind: "epoch",
      containerId: state.livc.containerId.slice(),
      epoch: fromEpoch,
      key: state.chain.key(fromEpoch),
    };
  } finally {
    state.chain.wipe();
  }
}
