/**
 * The LivingCipher sealer, SPEC.md section 12.9: what the writer calls to encrypt each block
 * while packing and, once, to get the LIVC payload. It keeps only the current epoch's key:
 * entering a new epoch erases the previous one, and `finish` steps to the closing epoch, so a
 * live writer whose memory leaks later exposes no earlier block (forward secrecy).
 *
 * @module
 */
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
import { type LivingKey, requireRootKey } from "./keys.ts";
import { encodeLivc, epochCount } from "./livc.ts";
import { type Backend, getSuite } from "./suites.ts";
import { createTranscript } from "./transcript.ts";

/**
 * Options of {@linkcode createSealer}. There is no container id among them: every seal draws a
 * fresh random one (H4-LC-005), so no two seals share keys and nonces by construction.
 */
export interface SealerOptions {
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
 * The key of a live writer that must not hold the root key (SPEC.md 12.9, forward secrecy):
 * E_0 of one new container. Made only by {@linkcode liveWriterKey}, never written to a key file,
 * and good for exactly one {@linkcode createSealer}: a second use is refused, so one E_0 never
 * seals two containers.
 */
export interface LiveWriterKey {
  /** Discriminant: a sealing capability for one container, not a reading grant. */
  readonly kind: "live-writer";
  /** The container id the key seals (fresh random). */
  readonly containerId: Uint8Array;
  /** The 32 bytes of E_0. */
  readonly key: Uint8Array;
}

/** Live-writer keys made by liveWriterKey and not used yet: one seal each. */
const unusedLiveKeys = new WeakSet<LiveWriterKey>();

/** Options of {@linkcode createVectorSealer}: those of a sealer and a fixed container id. */
export interface VectorSealerOptions extends SealerOptions {
  /** Container id, 16 bytes; random when absent. */
  containerId?: Uint8Array;
}

function sealingKey(
  key: Uint8Array | LivingKey | LiveWriterKey,
  opts: VectorSealerOptions,
): { containerId: Uint8Array; epochZero: () => Uint8Array } {
  if (key !== null && typeof key === "object" && !(key instanceof Uint8Array)) {
    if ((key as { kind?: unknown }).kind === "live-writer") {
      const live = key as LiveWriterKey;
      if (!unusedLiveKeys.delete(live)) {
        throw new H4Error(
          "H4_CIPHER_BAD_KEY",
          "this live-writer key was already used for a seal (or was not made by liveWriterKey): one live-writer key seals one container",
          { rule: "H4-LC-020" },
        );
      }
      if (opts.containerId !== undefined) {
        bad("a live-writer key fixes its container id: give no containerId");
      }
      return { containerId: live.containerId.slice(), epochZero: () => live.key.slice() };
    }
  }
  const root = requireRootKey(key as Uint8Array | LivingKey, "sealing");
  let containerId: Uint8Array;
  if (opts.containerId === undefined) {
    containerId = crypto.getRandomValues(new Uint8Array(CONTAINER_ID_LENGTH));
  } else if (
    !(opts.containerId instanceof Uint8Array) || opts.containerId.length !== CONTAINER_ID_LENGTH
  ) {
    bad(`containerId must be ${CONTAINER_ID_LENGTH} bytes`);
  } else containerId = opts.containerId.slice();
  return { containerId, epochZero: () => epochZeroKey(root.key, containerId) };
}

/**
 * A sealer for one container. Blocks must come in index order 0, 1, 2, ... (the writer does
 * this); `finish(root)` returns the LIVC payload and ends the sealer. `key` must be a root key
 * (H4-LC-020): an epoch key (a reading grant) is refused with `H4_CIPHER_BAD_KEY` naming its
 * role. Every sealer draws a fresh random container id (H4-LC-005), or takes it from a
 * {@linkcode liveWriterKey}, made for one container and usable once.
 *
 * @example
 * ```ts
 * import { createSealer } from "./sealer.ts";
 * import assert from "node:assert/strict";
 * const sealer = createSealer(new Uint8Array(32), { epochBlocks: 2 });
 * const ctx = { index: 0, track_id: "v", pts_us: 0, kind: "I" as const, keyframe: true, codec: "none" as const, plain_length: 3 };
 * const stored = sealer.seal(ctx, new Uint8Array([1, 2, 3]));
 * assert(stored.length === 3 + 16);
 * const livc = sealer.finish(new Uint8Array(32));
 * assert(livc.length === 136);
 * ```
 */
export function createSealer(
  key: Uint8Array | LivingKey | LiveWriterKey,
  opts: SealerOptions = {},
): LivingSealer {
  if ((opts as VectorSealerOptions)?.containerId !== undefined) {
    bad("a container id is never given: every seal draws a fresh random one (H4-LC-005)");
  }
  return createVectorSealer(key, opts);
}

/**
 * A sealer with a fixed container id, to reproduce test vectors and known answers; otherwise
 * exactly {@linkcode createSealer}. Not exported from the library's `mod.ts`: sealing two
 * different containers with one root key and one container id reuses every nonce (H4-LC-005).
 *
 * @example
 * ```ts
 * import { createVectorSealer } from "./sealer.ts";
 * import assert from "node:assert/strict";
 * const s = createVectorSealer(new Uint8Array(32), { containerId: new Uint8Array(16) });
 * assert(s.containerId.every((b) => b === 0));
 * ```
 */
export function createVectorSealer(
  key: Uint8Array | LivingKey | LiveWriterKey,
  opts: VectorSealerOptions = {},
): LivingSealer {
  const { containerId, epochZero } = sealingKey(key, opts);
  const suiteName = opts.suite ?? DEFAULT_SUITE;
  const suite = getSuite(suiteName, opts.backend ?? "auto");
  const epochBlocks = opts.epochBlocks ?? DEFAULT_EPOCH_BLOCKS;
  if (!Number.isSafeInteger(epochBlocks) || epochBlocks < 1 || epochBlocks > MAX_EPOCH_BLOCKS) {
    bad(`epochBlocks must be an integer 1..${MAX_EPOCH_BLOCKS}, got ${epochBlocks}`);
  }
  const ad = createAdEncoder(suiteName, containerId);
  const transcript = createTranscript(suite.backend === "portable");
  // record = u16 len || AD || tag: the AD is built in place and the whole record hashed at once.
  const record = new Uint8Array(2 + MAX_AD_LENGTH + TAG_LENGTH);
  const nonce = new Uint8Array(NONCE_LENGTH);
  let epoch = 0;
  let epochKey: Uint8Array | null = epochZero();
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
 * The key a live writer seals with when it must not hold the root key (SPEC.md 12.9): E_0 of a
 * new container with a fresh random id. Give it to `createSealer` once; the sealer erases each
 * epoch key when it moves on, so whoever later reads the writer's memory learns nothing about
 * earlier epochs. A writer that restarts or starts a new segment needs a new one (a new
 * container id). The root key holder opens everything.
 *
 * @example
 * ```ts
 * import { createSealer, liveWriterKey } from "./sealer.ts";
 * import assert from "node:assert/strict";
 * const live = liveWriterKey(new Uint8Array(32));
 * const sealer = createSealer(live, { epochBlocks: 64 });
 * assert(sealer.containerId.join() === live.containerId.join());
 * ```
 */
export function liveWriterKey(rootKey: Uint8Array | LivingKey): LiveWriterKey {
  const k = requireRootKey(rootKey, "liveWriterKey");
  const cid = crypto.getRandomValues(new Uint8Array(CONTAINER_ID_LENGTH));
  const live: LiveWriterKey = {
    kind: "live-writer",
    containerId: cid,
    key: epochZeroKey(k.key, cid),
  };
  unusedLiveKeys.add(live);
  return live;
}
