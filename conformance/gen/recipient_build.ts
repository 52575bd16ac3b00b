/**
 * The material of the recipient vectors (conformance/gen/recipient_vectors.ts): fixed root key,
 * container ids, identities and blocks; crafting a container with an RCPT payload through the
 * conformance builder (and moving RCPT, as a keyless writer can); expectations.
 *
 * @module
 */
import { sha256 } from "../../lib/hash/sha256.ts";
import { type Identity, identityFromSecret } from "../../lib/living/identity.ts";
import { epochZeroKey, nextEpochKey } from "../../lib/living/key_schedule.ts";
import type { LivingKey } from "../../lib/living/keys.ts";
import { RCPT_TAG, type Stanza, wrapKey } from "../../lib/living/recipients.ts";
import { createVectorSealer } from "../../lib/living/sealer.ts";
import type { CanonicalRead } from "../canonical.ts";
import {
  type ChunkState,
  type Craft,
  craft,
  type CraftBlock,
  type Hooks,
} from "../builder/build.ts";
import { expectedRead } from "../builder/expect.ts";

/** Where the vectors go, relative to the repository root. */
export const RECIPIENT_VECTOR_DIR = "conformance/vectors/recipients";

const enc = new TextEncoder();

/** Fixed test bytes: SHA-256("H4MK recipient vectors: " || label). */
export const fixed = (label: string): Uint8Array =>
  sha256(enc.encode(`H4MK recipient vectors: ${label}`));

/** The root key every vector container is sealed with. */
export const RECIPIENT_VECTOR_ROOT: Uint8Array = fixed("root key");
/** Container id A. */
export const CID_A: Uint8Array = fixed("container A").slice(0, 16);
/** Container id B. */
export const CID_B: Uint8Array = fixed("container B").slice(0, 16);
const EPOCH_BLOCKS = 3;
/** META of the vectors. */
export const META: Record<string, unknown> = { title: "recipient vector" };

/** The identities of the vectors, by file name. */
export const VECTOR_IDENTITIES: Record<"alice" | "bob" | "carol", Identity> = {
  alice: identityFromSecret(fixed("alice")),
  bob: identityFromSecret(fixed("bob")),
  carol: identityFromSecret(fixed("carol")),
};
/** An identity of the vectors. */
export type Who = keyof typeof VECTOR_IDENTITIES;

/** Low-order X25519 u-coordinates: a point of order 8, and 0. */
export const ORDER_8: Uint8Array = Uint8Array.fromHex(
  "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
);

/** The blocks of every vector: two tracks, keyframes a second apart, 4 epochs of 3. */
export function recipientVectorBlocks(): CraftBlock[] {
  const out: CraftBlock[] = [];
  for (let i = 0; i < 10; i++) {
    const video = i % 2 === 0;
    out.push({
      track_id: video ? "video" : "audio",
      pts_us: Math.floor(i / 2) * 1_000_000 + (video ? 0 : 500_000),
      kind: "I",
      keyframe: true,
      payload: fixed(`block ${i}`).subarray(0, 8 + i * 5),
    });
  }
  return out;
}

/** The expectation file of a recipient vector. */
export interface RecipientExpectation {
  /** Vector class. */
  class: "valid" | "invalid";
  /** SPEC.md rule ids. */
  rules: string[];
  /** Why the vector exists. */
  description: string;
  /** Names of the attack (Wycheproof style). */
  flags: string[];
  /** Arguments after FILE for the adapter's `read`. */
  read_args: string[];
  /** The identity's recipient id (public). */
  recipient_id: string;
  /** Strict read: the error code. */
  expect_error?: string;
  /** Its class. */
  error_class?: string;
  /** Valid vectors: the canonical read result. */
  result?: unknown;
  /** SHA-256 of the `.h4mk` file, hex. */
  file_sha256?: string;
}

/** One generated vector. */
export interface GeneratedVector {
  name: string;
  bytes: Uint8Array;
  exp: RecipientExpectation;
}

/** The epoch-0 key of container `cid`. */
export function e0(cid: Uint8Array): LivingKey {
  return {
    kind: "epoch",
    containerId: cid,
    epoch: 0,
    key: epochZeroKey(RECIPIENT_VECTOR_ROOT, cid),
  };
}

/** The key of epoch `epoch` of container `cid`. */
export function epochKey(cid: Uint8Array, epoch: number): LivingKey {
  let k = epochZeroKey(RECIPIENT_VECTOR_ROOT, cid);
  for (let e = 0; e < epoch; e++) k = nextEpochKey(k);
  return { kind: "epoch", containerId: cid, epoch, key: k };
}

/** A stanza wrapping `key` to `who`, with a fixed ephemeral secret per `label`. */
export function stanza(
  cid: Uint8Array,
  who: Who,
  label: string,
  key = e0(cid),
  hint = false,
): Stanza {
  return wrapKey(key, cid, VECTOR_IDENTITIES[who].recipient, {
    hint,
    ephemeralSecret: fixed(`ephemeral ${label}`),
  });
}

/**
 * A container of the vector blocks crafted by the conformance builder, sealed under `cid` by
 * lib/living's sealer, with `rcpt` (a raw payload, valid or not) as RCPT right after LIVC.
 * `hooks` change the file as a keyless writer can: the builder recomputes VERI and LOCA.
 */
export function pack(cid: Uint8Array, rcpt: Uint8Array | null, hooks?: Hooks): Uint8Array {
  return crafted(cid, rcpt, hooks).bytes;
}

/** {@linkcode pack}'s builder state. */
function crafted(cid: Uint8Array, rcpt: Uint8Array | null, hooks?: Hooks): Craft {
  const sealer = createVectorSealer(RECIPIENT_VECTOR_ROOT, {
    containerId: cid,
    epochBlocks: EPOCH_BLOCKS,
    backend: "portable",
  });
  if (rcpt !== null) {
    Object.assign(sealer, { chunksAfterLivc: () => [{ tag: RCPT_TAG, payload: rcpt }] });
  }
  return craft(recipientVectorBlocks(), { sealer, meta: META, hooks });
}

/** A `chunks` hook moving RCPT to the end of the body, after META: not right after LIVC. */
export function rcptAfterMeta(chunks: ChunkState[]): ChunkState[] {
  return [...chunks.filter((c) => c.tag !== RCPT_TAG), ...chunks.filter((c) => c.tag === RCPT_TAG)];
}

/**
 * The canonical read result (conformance/canonical.ts) of a vector container read with a key
 * that opens it: derived by the builder from what it put in (builder/expect.ts).
 */
export function canonicalResult(): CanonicalRead {
  return expectedRead(crafted(CID_A, null), { decrypted: true });
}

/** The expectation of a vector; invalid when `error` is given. */
export function expectation(
  who: Who,
  rules: string[],
  flags: string[],
  description: string,
  error?: string,
): RecipientExpectation {
  const e: RecipientExpectation = {
    class: error ? "invalid" : "valid",
    rules,
    description,
    flags,
    read_args: ["--identity", `${RECIPIENT_VECTOR_DIR}/identities/${who}.id`],
    recipient_id: VECTOR_IDENTITIES[who].recipient.id,
  };
  if (error) {
    e.expect_error = error;
    e.error_class = "cipher";
  } else e.result = canonicalResult();
  return e;
}
