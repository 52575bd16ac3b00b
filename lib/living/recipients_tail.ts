/**
 * Adding and removing recipients without touching a block, SPEC.md section 12.16 (H4-RCP-006):
 * a copy of the container whose bytes up to the end of LIVC are the source's, followed by the
 * new RCPT (or none), the same META and SAFE chunks, a new VERI and a LOCA with the moved slots.
 * The root digest and the seal do not cover RCPT, so both stay as they are.
 *
 * @module
 */
import { checkChunkCrc, encodeChunk } from "../format/chunk.ts";
import { tagOfCode, walkWindows } from "../format/chunk_walk.ts";
import {
  CHUNK_HEADER_LENGTH,
  HEADER_LENGTH,
  LOCA_CHUNK_LENGTH,
  VERI_PAYLOAD_LENGTH,
} from "../format/constants.ts";
import { H4Error } from "../format/errors.ts";
import { encodeLoca, type Locator } from "../format/loca.ts";
import { sha256 } from "../hash/sha256.ts";
import { createVeriHash, type VeriHash, veriPart } from "../format/veri.ts";
import { SIGN_TAG } from "../format/signature.ts";
import type { ByteSink } from "../format/types.ts";
import type { Container } from "../seek/container.ts";
import { RCPT_TAG } from "./recipients.ts";

/** Bytes copied per read. */

function refuse(message: string): never {
  throw new H4Error("H4_BAD_ARGUMENT", `cannot rewrite the recipients: ${message}`, {
    rule: "H4-RCP-006",
  });
}

/** What {@linkcode rewriteRecipients} wrote. */
export interface TailSummary {
  /** Bytes written. */
  bytes: number;
  /** Bytes copied unchanged from the source (everything up to the end of LIVC). */
  kept: number;
}

/**
 * Writes `c` to `sink` with `rcpt` as its recipients chunk (null: none). Everything up to the
 * end of LIVC is copied byte for byte, so no block is re-encrypted and the seal still holds.
 * The source's VERI is checked on the way (`H4_VERI_MISMATCH`): a damaged source is not given
 * a fresh VERI. Only files whose chunks after LIVC are RCPT, META, SAFE, VERI and LOCA (as
 * this implementation writes them) can be rewritten; others are `H4_BAD_ARGUMENT`.
 *
 * @example
 * ```ts
 * import { packContainer } from "../format/writer.ts";
 * import { openContainer } from "../seek/container.ts";
 * import { createSealer } from "./sealer.ts";
 * import { rewriteRecipients } from "./recipients_tail.ts";
 * import assert from "node:assert/strict";
 * const sealer = createSealer(new Uint8Array(32));
 * const c = await openContainer(await packContainer([], { sealer }));
 * const parts: Uint8Array[] = [];
 * await rewriteRecipients(c, null, { write: (b) => void parts.push(b.slice()) });
 * assert(parts.reduce((n, p) => n + p.length, 0) === c.size);
 * ```
 */
export async function rewriteRecipients(
  c: Container,
  rcpt: Uint8Array | null,
  sink: ByteSink,
): Promise<TailSummary> {
  const loc = c.locator;
  const livc = loc?.slots.LIVC;
  if (!loc || !livc) refuse("the container is not encrypted with LivingCipher (no LIVC)");
  const locaAt = c.size - LOCA_CHUNK_LENGTH;
  for (const [name, ref] of Object.entries(loc.slots)) {
    if (ref && name !== "META" && name !== "SAFE" && name !== "LIVC" && ref.offset > livc.offset) {
      refuse(`${name} comes after LIVC`);
    }
  }
  // The chunks between LIVC and VERI: RCPT, META and SAFE only, META and SAFE where LOCA says;
  // then VERI, then only signatures up to LOCA (SPEC.md section 18), which stay valid: they
  // sign neither RCPT nor LOCA's slots.
  const moved: { tag: string; bytes: Uint8Array }[] = [];
  const livcEnd = livc.offset + livc.length;
  let veriAt = -1;
  const signatures: Uint8Array[] = [];
  const stop = await walkWindows(c.source, {
    async chunk(code, at, length, crc, window, h) {
      const tag = tagOfCode(code);
      const end = at + CHUNK_HEADER_LENGTH + length;
      if (end > locaAt) refuse(`${tag} at ${at} runs into LOCA`);
      // A copy: the walk's window is reused (a chunk larger than a window is read by itself).
      const bytes = () =>
        h + (end - at) <= window.length
          ? window.slice(h, h + (end - at))
          : c.source.read(at, end - at);
      if (veriAt >= 0) {
        if (tag !== SIGN_TAG) refuse(`chunk ${JSON.stringify(tag)} at ${at} after VERI`);
        signatures.push(await bytes());
      } else if (tag === "VERI") {
        if (length !== VERI_PAYLOAD_LENGTH) refuse("VERI is not 32 bytes");
        veriAt = at;
      } else if (tag === "META" || tag === "SAFE") {
        if (loc.slots[tag]?.offset !== at) refuse(`${tag} at ${at} is not LOCA's`);
        const chunk = await bytes();
        checkChunkCrc({ offset: at, tag, length, crc }, chunk.subarray(CHUNK_HEADER_LENGTH));
        moved.push({ tag, bytes: chunk });
      } else if (tag === RCPT_TAG && at === livcEnd) {
        moved.push({ tag: RCPT_TAG, bytes: await bytes() });
      } else {
        refuse(`chunk ${JSON.stringify(tag)} at ${at} after LIVC`);
      }
    },
  }, { from: livcEnd, to: locaAt });
  if (veriAt < 0 || stop !== locaAt) refuse("no VERI before LOCA");
  const oldVeri = await c.source.read(veriAt + CHUNK_HEADER_LENGTH, VERI_PAYLOAD_LENGTH);

  // Copy the kept prefix chunk by chunk, hashing it once for the old VERI (checked) and the new
  // one (section 9: in v2 a storage chunk enters VERI as the SHA-256 of its payload).
  const header = await c.source.read(0, HEADER_LENGTH);
  const oldHash = createVeriHash(c.version, header);
  const newHash = createVeriHash(c.version, header);
  const kept = livc.offset + livc.length;
  let written = 0;
  const raw = async (bytes: Uint8Array): Promise<void> => {
    await sink.write(bytes);
    written += bytes.length;
  };
  const addChunk = (hashes: VeriHash[], chunk: Uint8Array) => {
    const tag = String.fromCharCode(...chunk.subarray(0, 4));
    const head = chunk.subarray(0, CHUNK_HEADER_LENGTH);
    const payload = chunk.subarray(CHUNK_HEADER_LENGTH);
    const digest = veriPart(c.version, tag) === "digest" ? sha256(payload) : undefined;
    for (const h of hashes) {
      if (digest) h.digest(head, digest);
      else h.bytes(chunk);
    }
  };
  await raw(header);
  await walkWindows(c.source, {
    async chunk(code, o, length, _crc, window, h) {
      const end = o + CHUNK_HEADER_LENGTH + length;
      if (end > kept) refuse(`${tagOfCode(code)} at ${o} runs past LIVC`);
      // Written from the walk's window (the sink is done with it when its write resolves); a
      // chunk larger than a window is read by itself.
      const chunk = h + (end - o) <= window.length
        ? window.subarray(h, h + (end - o))
        : await c.source.read(o, end - o);
      addChunk([oldHash, newHash], chunk);
      await raw(chunk);
    },
  }, { to: kept });
  for (const m of moved) addChunk([oldHash], m.bytes);
  const old = oldHash.finish();
  if (old.some((b, i) => b !== oldVeri[i])) {
    throw new H4Error(
      "H4_VERI_MISMATCH",
      "the source's VERI does not match its bytes: verify it before changing its recipients",
      { chunk: "VERI", rule: "H4-INT-002", offset: veriAt },
    );
  }
  const out = async (bytes: Uint8Array) => {
    addChunk([newHash], bytes);
    await raw(bytes);
  };
  if (rcpt !== null) await out(encodeChunk(RCPT_TAG, rcpt));
  const slots = { ...loc.slots };
  for (const m of moved) {
    if (m.tag === RCPT_TAG) continue;
    slots[m.tag as "META" | "SAFE"] = { offset: written, length: m.bytes.length };
    await out(m.bytes);
  }
  await raw(encodeChunk("VERI", newHash.finish()));
  for (const sig of signatures) await raw(sig);
  const locator: Locator = { ...loc, slots };
  await raw(encodeChunk("LOCA", encodeLoca(locator)));
  return { bytes: written, kept };
}
