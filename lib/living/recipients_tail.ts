/**
 * Adding and removing recipients without touching a block, SPEC.md section 12.16 (H4-RCP-006):
 * a copy of the container whose bytes up to the end of LIVC are the source's, followed by the
 * new RCPT (or none), the same META and SAFE chunks, a new VERI and a LOCA with the moved slots.
 * The root digest and the seal do not cover RCPT, so both stay as they are.
 *
 * @module
 */
import { checkChunkCrc, encodeChunk, parseChunkHeader } from "../format/chunk.ts";
import {
  CHUNK_HEADER_LENGTH,
  LOCA_CHUNK_LENGTH,
  VERI_PAYLOAD_LENGTH,
} from "../format/constants.ts";
import { H4Error } from "../format/errors.ts";
import { encodeLoca, type Locator } from "../format/loca.ts";
import { createSha256 } from "../format/sha256.ts";
import type { ByteSink } from "../format/types.ts";
import type { Container } from "../seek/container.ts";
import { RCPT_TAG } from "./recipients.ts";

/** Bytes copied per read. */
const PIECE = 1 << 20;

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
 * const sealer = createSealer(new Uint8Array(32));
 * const c = await openContainer(await packContainer([], { sealer }));
 * const parts: Uint8Array[] = [];
 * await rewriteRecipients(c, null, { write: (b) => void parts.push(b.slice()) });
 * console.assert(parts.reduce((n, p) => n + p.length, 0) === c.size);
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
  const veriAt = c.size - LOCA_CHUNK_LENGTH - CHUNK_HEADER_LENGTH - VERI_PAYLOAD_LENGTH;
  for (const [name, ref] of Object.entries(loc.slots)) {
    if (ref && name !== "META" && name !== "SAFE" && name !== "LIVC" && ref.offset > livc.offset) {
      refuse(`${name} comes after LIVC`);
    }
  }
  // The chunks between LIVC and VERI: RCPT, META and SAFE only, META and SAFE where LOCA says.
  const moved: { tag: "META" | "SAFE"; bytes: Uint8Array }[] = [];
  let at = livc.offset + livc.length;
  while (at < veriAt) {
    const head = parseChunkHeader(await c.source.read(at, CHUNK_HEADER_LENGTH), at, c.size);
    const end = at + CHUNK_HEADER_LENGTH + head.length;
    if (end > veriAt) refuse(`${head.tag} at ${at} runs into VERI`);
    if (head.tag === "META" || head.tag === "SAFE") {
      if (loc.slots[head.tag]?.offset !== at) refuse(`${head.tag} at ${at} is not LOCA's`);
      const bytes = await c.source.read(at, end - at);
      checkChunkCrc(head, bytes.subarray(CHUNK_HEADER_LENGTH));
      moved.push({ tag: head.tag, bytes });
    } else if (head.tag !== RCPT_TAG || at !== livc.offset + livc.length) {
      refuse(`chunk ${JSON.stringify(head.tag)} at ${at} after LIVC`);
    }
    at = end;
  }
  if (at !== veriAt) refuse("VERI is not where it should be");
  const veriHead = parseChunkHeader(
    await c.source.read(veriAt, CHUNK_HEADER_LENGTH),
    veriAt,
    c.size,
  );
  if (veriHead.tag !== "VERI" || veriHead.length !== VERI_PAYLOAD_LENGTH) {
    refuse("the chunk before LOCA is not VERI");
  }
  const oldVeri = await c.source.read(veriAt + CHUNK_HEADER_LENGTH, VERI_PAYLOAD_LENGTH);

  // Copy the kept prefix, hashing it for the old VERI (checked) and the new one.
  const oldHash = createSha256();
  const newHash = createSha256();
  const kept = livc.offset + livc.length;
  let written = 0;
  const raw = async (bytes: Uint8Array): Promise<void> => {
    await sink.write(bytes);
    written += bytes.length;
  };
  const out = async (bytes: Uint8Array, from = 0): Promise<void> => {
    newHash.update(bytes.subarray(from));
    await raw(bytes);
  };
  for (let o = 0; o < kept; o += PIECE) {
    const piece = await c.source.read(o, Math.min(PIECE, kept - o));
    const from = o === 0 ? 8 : 0; // VERI starts after the file header
    oldHash.update(piece.subarray(from));
    await out(piece, from);
  }
  for (let o = kept; o < veriAt; o += PIECE) {
    oldHash.update(await c.source.read(o, Math.min(PIECE, veriAt - o)));
  }
  const old = oldHash.digest();
  if (old.some((b, i) => b !== oldVeri[i])) {
    throw new H4Error(
      "H4_VERI_MISMATCH",
      "the source's VERI does not match its bytes: verify it before changing its recipients",
      { chunk: "VERI", rule: "H4-INT-002", offset: veriAt },
    );
  }
  if (rcpt !== null) await out(encodeChunk(RCPT_TAG, rcpt));
  const slots = { ...loc.slots };
  for (const m of moved) {
    slots[m.tag] = { offset: written, length: m.bytes.length };
    await out(m.bytes);
  }
  await raw(encodeChunk("VERI", newHash.digest()));
  const locator: Locator = { ...loc, slots };
  await raw(encodeChunk("LOCA", encodeLoca(locator)));
  return { bytes: written, kept };
}
