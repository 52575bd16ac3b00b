/**
 * The LivingCipher sealer, SPEC.md section 12.9: what the writer calls to encrypt each block
 * while packing and, once, to get the LIVC payload. It keeps only the current epoch's key:
 * entering a new epoch erases the previous one, and `finish` steps to the closing epoch, so a
 * live writer whose memory leaks later exposes no earlier block (forward secrecy).
 *
 * @module
 */
import { equalBytes } from "../format/bytes.ts";
import { LIMITS } from "../format/constants.ts";
import { H4Error } from "../format/errors.ts";
import type { BlockContext, BlockSealer } from "../format/types.ts";
import {
  CONTAINER_ID_LENGTH,
  DEFAULT_EPOCH_BLOCKS,
  DEFAULT_SUITE,
  DIGEST_LENGTH,
  MAX_BLOCKS,
  MAX_EPOCH_BLOCKS,
  MAX_EPOCHS,
  NONCE_LENGTH,
  TAG_LENGTH,
} from "./constants.ts";
import { blockNonce, createAdEncoder, MAX_AD_LENGTH } from "./context.ts";
import { blockKey, computeSeal, epochZeroKey, keyCheck, nextEpochKey } from "./key_schedule.ts";
import { type EpochKey, type LivingKey, toLivingKey } from "./keys.ts";
import { encodeLivc, epochCount } from "./livc.ts";
import { type Backend, getSuite } from "./suites.ts";
import { createTranscript } from "./transcript.ts";

/** Options of {@linkcode createSealer}. */
export interface SealerOptions {
  /**
   * Container id, 16 bytes. Random by default, which is what every real use needs: sealing two
   * different containers with one root key and one container id reuses nonces (H4-LC-005).
   * Give one only to reproduce test vectors.
   */
  containerId?: Uint8Array;
  /** Blocks per epoch K, 1..2^32 − 1; default 4096. */
  epochBlocks?: number;
  /** Suite name; default `chacha20-poly1305`. */
  suite?: string;
  /** AEAD implementation; default the native one where there is one. */
  backend?: Backend;
}

/** A {@linkcode BlockSealer} with the public parameters of the container it seals. */
export interface LivingSealer extends BlockSealer {
  /** Container id (a copy). */
  readonly containerId: Uint8Array;
  /** Blocks per epoch K. */
  readonly epochBlocks: number;
  /** Blocks sealed so far. */
  readonly blocks: number;
}

function bad(message: string): never {
  throw new H4Error("H4_BAD_ARGUMENT", `sealer: ${message}`);
}

/**
 * A sealer for one container. Blocks must come in index order 0, 1, 2, ... (the writer does
 * this); `finish(root)` returns the LIVC payload and ends the sealer. Deterministic given
 * `containerId`. `key` is a root key, or the epoch-0 key of {@linkcode liveWriterKey} for a live
 * writer that must not hold the root key (forward secrecy, SPEC.md section 12.9).
 *
 * @example
 * ```ts
 * import { createSealer } from "./sealer.ts";
 * const sealer = createSealer(new Uint8Array(32), { containerId: new Uint8Array(16), epochBlocks: 2 });
 * const ctx = { index: 0, track_id: "v", pts_us: 0, kind: "I" as const, keyframe: true, codec: "none" as const, plain_length: 3 };
 * const stored = sealer.seal(ctx, new Uint8Array([1, 2, 3]));
 * console.assert(stored.length === 3 + 16);
 * const livc = sealer.finish(new Uint8Array(32));
 * console.assert(livc.length === 136);
 * ```
 */
export function createSealer(key: Uint8Array | LivingKey, opts: SealerOptions = {}): LivingSealer {
  const k = toLivingKey(key);
  if (k.kind === "epoch") {
    // A live writer may hold E_0 only (see liveWriterKey): it fixes the container id.
    if (k.epoch !== 0) {
      throw new H4Error(
        "H4_CIPHER_BAD_KEY",
        `sealing needs a root key or an epoch-0 key, got a key of epoch ${k.epoch}`,
        {
          rule: "H4-LC-016",
        },
      );
    }
    if (opts.containerId !== undefined && !equalBytes(opts.containerId, k.containerId)) {
      bad("containerId differs from the epoch-0 key's container id");
    }
  }
  const suiteName = opts.suite ?? DEFAULT_SUITE;
  const suite = getSuite(suiteName, opts.backend ?? "auto");
  const epochBlocks = opts.epochBlocks ?? DEFAULT_EPOCH_BLOCKS;
  if (!Number.isSafeInteger(epochBlocks) || epochBlocks < 1 || epochBlocks > MAX_EPOCH_BLOCKS) {
    bad(`epochBlocks must be an integer 1..${MAX_EPOCH_BLOCKS}, got ${epochBlocks}`);
  }
  let containerId: Uint8Array;
  if (k.kind === "epoch") containerId = k.containerId.slice();
  else if (opts.containerId === undefined) {
    containerId = crypto.getRandomValues(new Uint8Array(CONTAINER_ID_LENGTH));
  } else if (
    !(opts.containerId instanceof Uint8Array) || opts.containerId.length !== CONTAINER_ID_LENGTH
  ) {
    bad(`containerId must be ${CONTAINER_ID_LENGTH} bytes`);
  } else containerId = opts.containerId.slice();

  const ad = createAdEncoder(suiteName, containerId);
  const transcript = createTranscript(suite.backend === "portable");
  // record = u16 len || AD || tag: the AD is built in place and the whole record hashed at once.
  const record = new Uint8Array(2 + MAX_AD_LENGTH + TAG_LENGTH);
  const nonce = new Uint8Array(NONCE_LENGTH);
  let epoch = 0;
  let epochKey: Uint8Array | null = k.kind === "root"
    ? epochZeroKey(k.key, containerId)
    : k.key.slice();
  let aeadKey: Uint8Array | null = blockKey(epochKey, suiteName);
  let next = 0;
  let finished = false;

  function stepTo(target: number): void {
    while (epoch < target) {
      const following = nextEpochKey(epochKey!);
      epochKey!.fill(0);
      epochKey = following;
      epoch++;
    }
  }

  function seal(ctx: BlockContext, data: Uint8Array): Uint8Array {
    if (finished) bad("already finished");
    if (!(data instanceof Uint8Array)) bad(`data must be a Uint8Array, got ${typeof data}`);
    if (data.length > LIMITS.blockBytes) bad(`block of ${data.length} bytes exceeds 2^30`);
    const adLength = ad.write(ctx, record, 2);
    if (ctx.index !== next) {
      bad(`blocks must be sealed in index order: expected block ${next}, got ${ctx.index}`);
    }
    if (next >= MAX_BLOCKS) bad(`more than ${MAX_BLOCKS} blocks`);
    if (ctx.codec === "none" && data.length !== ctx.plain_length) {
      bad(
        `block ${ctx.index}: codec none but ${data.length} bytes for plain_length ${ctx.plain_length}`,
      );
    }
    const e = Math.floor(ctx.index / epochBlocks);
    if (e >= MAX_EPOCHS) {
      throw new H4Error(
        "H4_LIMIT_EXCEEDED",
        `block ${ctx.index} would start epoch ${e}; at most ${MAX_EPOCHS} epochs: use a larger epochBlocks`,
        {
          rule: "H4-LC-012",
        },
      );
    }
    if (e !== epoch) {
      stepTo(e);
      aeadKey!.fill(0);
      aeadKey = blockKey(epochKey!, suiteName);
    }
    record[0] = adLength >> 8;
    record[1] = adLength & 0xff;
    const stored = suite.seal(
      aeadKey!,
      blockNonce(ctx.index, nonce),
      record.subarray(2, 2 + adLength),
      data,
    );
    record.set(stored.subarray(data.length), 2 + adLength);
    transcript.addRecord(record.subarray(0, 2 + adLength + TAG_LENGTH));
    next++;
    return stored;
  }

  function finish(root: Uint8Array): Uint8Array {
    if (finished) bad("already finished");
    if (!(root instanceof Uint8Array) || root.length !== DIGEST_LENGTH) {
      bad(
        `root digest must be ${DIGEST_LENGTH} bytes, got ${
          root instanceof Uint8Array ? root.length : typeof root
        }`,
      );
    }
    finished = true;
    aeadKey!.fill(0);
    aeadKey = null;
    stepTo(epochCount(next, epochBlocks));
    const fields = {
      suite: suiteName,
      containerId,
      epochBlocks,
      blockCount: next,
      keyCheck: keyCheck(epochKey!),
      transcript: transcript.digest(),
      seal: new Uint8Array(DIGEST_LENGTH),
    };
    const livc = encodeLivc(fields);
    const sealAt = livc.length - DIGEST_LENGTH;
    livc.set(computeSeal(epochKey!, livc.subarray(0, sealAt), root), sealAt);
    epochKey!.fill(0);
    epochKey = null;
    return livc;
  }

  return {
    suite: suiteName,
    get containerId() {
      return containerId.slice();
    },
    epochBlocks,
    get blocks() {
      return next;
    },
    seal,
    finish,
  };
}

/**
 * The key a live writer seals with when it must not hold the root key: the epoch-0 key of a new
 * container (a fresh random container id unless one is given). Give it to `createSealer`; the
 * sealer erases each epoch key when it moves on, so whoever later reads the writer's memory
 * learns nothing about earlier epochs. The root key holder can still open everything.
 *
 * @example
 * ```ts
 * import { createSealer, liveWriterKey } from "./sealer.ts";
 * const live = liveWriterKey(new Uint8Array(32));
 * const sealer = createSealer(live, { epochBlocks: 64 });
 * console.assert(sealer.containerId.join() === live.containerId.join());
 * ```
 */
export function liveWriterKey(rootKey: Uint8Array, containerId?: Uint8Array): EpochKey {
  const k = toLivingKey(rootKey);
  if (k.kind !== "root") {
    throw new H4Error("H4_CIPHER_BAD_KEY", "liveWriterKey needs a root key", { rule: "H4-LC-001" });
  }
  const cid = containerId ?? crypto.getRandomValues(new Uint8Array(CONTAINER_ID_LENGTH));
  return { kind: "epoch", containerId: cid.slice(), epoch: 0, key: epochZeroKey(k.key, cid) };
}
