/**
 * Signatures on open (SPEC.md section 18): the SIGN chunks between VERI and LOCA, found in the
 * tail already read, and whether a container passes the reader's trust.
 *
 * @module
 */
import { equalBytes } from "../format/bytes.ts";
import { checkChunkCrc, type ChunkHeader } from "../format/chunk.ts";
import { tagCode, walkWindows } from "../format/chunk_walk.ts";
import { CHUNK_HEADER_LENGTH, HEADER_LENGTH } from "../format/constants.ts";
import { H4Error } from "../format/errors.ts";
import type { Locator } from "../format/loca.ts";
import {
  checkDistinctSigners,
  decodeSignPayload,
  SIGN_TAG,
  type SignatureRecord,
} from "../format/signature.ts";
import type { ByteSource } from "../format/types.ts";
import type { TrustOptions } from "./types.ts";

const SIGN_CODE = tagCode(SIGN_TAG);

/**
 * The SIGN chunks between VERI and LOCA (SPEC.md H4-SIG-001): the chunks from the end of the
 * last located table up to LOCA are walked (they lie in bytes already read); the SIGN chunks
 * after the last other chunk are the signatures. Each is CRC-checked and decoded (H4-SIG-002).
 * Whatever else is there is full verification's to judge (H4-FMT-022). `region` holds the file's
 * bytes from `regionStart` to the end.
 *
 * @example
 * ```ts
 * import { signatureArea } from "./signatures.ts";
 * import { openContainer } from "./container.ts";
 * import { packContainer } from "../format/writer.ts";
 * import assert from "node:assert/strict";
 * const bytes = await packContainer([]);
 * const c = await openContainer(bytes);
 * const locaAt = bytes.length - 172;
 * assert((await signatureArea(bytes, 0, c.locator!, locaAt, bytes.length)).length === 0);
 * ```
 */
export async function signatureArea(
  region: Uint8Array,
  regionStart: number,
  loca: Locator,
  locaAt: number,
  size: number,
): Promise<SignatureRecord[]> {
  let offset = HEADER_LENGTH;
  for (const ref of Object.values(loca.slots)) {
    if (ref) offset = Math.max(offset, ref.offset + ref.length);
  }
  if (offset < locaAt && offset < regionStart) return [];
  // The region as a source: reads are views, and one window holds all of it.
  const inRegion: ByteSource = {
    size,
    read: (at, length) =>
      Promise.resolve(region.subarray(at - regionStart, at - regionStart + length)),
  };
  let run: { head: ChunkHeader; payload: Uint8Array }[] = [];
  let end: number;
  try {
    end = await walkWindows(inRegion, {
      chunk(tag, at, length, crc, window, h) {
        // A chunk that runs into LOCA breaks the area.
        if (at + CHUNK_HEADER_LENGTH + length > locaAt) return false;
        if (tag === SIGN_CODE) {
          const p = h + CHUNK_HEADER_LENGTH;
          run.push({
            head: { offset: at, tag: SIGN_TAG, length, crc },
            payload: window.subarray(p, p + length),
          });
        } else run = [];
      },
    }, { from: offset, to: locaAt, window: size });
  } catch {
    // A break in the framing ends the area: no signatures.
    return [];
  }
  if (end !== locaAt && offset < locaAt) return [];
  const records = run.map(({ head, payload }) => {
    checkChunkCrc(head, payload);
    return decodeSignPayload(payload, head.offset);
  });
  checkDistinctSigners(records);
  return records;
}

/**
 * Whether a container passes `trust`; throws `H4_UNTRUSTED` when it does not (H4-SIG-005). Only
 * signatures of trusted keys are verified, so that many SIGN chunks cost nothing here.
 *
 * @example
 * ```ts
 * import { isTrusted } from "./signatures.ts";
 * import assert from "node:assert/strict";
 * const root = new Uint8Array(32);
 * assert(await isTrusted({ root }, root, [], () => Promise.resolve(false)));
 * await assert.rejects(isTrusted({ keys: [] }, root, [], () => Promise.resolve(false)));
 * ```
 */
export async function isTrusted(
  trust: TrustOptions,
  root: Uint8Array,
  signers: readonly SignatureRecord[],
  verify: (r: SignatureRecord) => Promise<boolean>,
): Promise<true> {
  if (trust.root && equalBytes(trust.root, root)) return true;
  const keys = trust.keys ?? [];
  const invalid: string[] = [];
  for (const r of signers) {
    if (!keys.some((k) => equalBytes(k, r.publicKey))) continue;
    if (await verify(r)) return true;
    invalid.push(r.keyId);
  }
  const why = [
    trust.root ? `its root ${root.toHex().slice(0, 16)}… is not the pinned root` : "",
    keys.length
      ? signers.length === 0
        ? "it has no signature"
        : invalid.length
        ? `the signature of trusted key ${invalid.join(", ")} does not verify`
        : `no trusted key signed it (signers: ${
          signers.slice(0, 8).map((r) => r.keyId).join(", ")
        }${signers.length > 8 ? ", …" : ""})`
      : "",
  ].filter(Boolean).join(", and ");
  throw new H4Error(
    "H4_UNTRUSTED",
    `container not trusted: ${why || "no trusted key or root was given"}`,
    { rule: "H4-SIG-005" },
  );
}
