/**
 * Bytes outside the root digest and the LivingCipher seal (SPEC.md 12.10, H4-LC-018): the
 * chunks of a file that no keyed check covers. The root covers TRKS, KSEK, TDIR (hence BIDX,
 * BHSH and, through BHSH, every storage chunk), META and SAFE; the seal covers LIVC and the
 * root; VERI and LOCA are functions of those. Anything else (a chunk of an unknown tag, a
 * second copy of a table that LOCA does not point at, a `v1` SEEK chunk that is not the empty
 * one the writer writes) could be changed or inserted by anyone and still verify.
 *
 * @module
 */
import { isStorageTag, SLOT_TAGS } from "../format/chunk_types.ts";
import { CHUNK_HEADER_LENGTH, LOCA_CHUNK_LENGTH } from "../format/constants.ts";
import type { Container } from "./types.ts";

/** A chunk as the full verification's walk saw it. */
export interface WalkedChunk {
  /** File offset of the chunk header. */
  offset: number;
  /** Four-character tag. */
  tag: string;
  /** Payload length. */
  length: number;
}

/** A chunk outside the root digest and the seal. */
export interface UnsealedChunk extends WalkedChunk {
  /** Why no keyed check covers it. */
  reason: string;
}

/**
 * The chunks of `walked` (every chunk of the file, in order) that neither the root digest nor
 * LIVC's seal covers. Empty for a file as this implementation writes it. Legacy files (no
 * LOCA) have no root: every chunk is returned.
 *
 * @example
 * ```ts
 * import { packContainer } from "../format/writer.ts";
 * import { openContainer } from "./container.ts";
 * import { unsealedChunks } from "./unsealed.ts";
 * import assert from "node:assert/strict";
 * const c = await openContainer(await packContainer([
 *   { track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array(3) },
 * ]));
 * const walked = [{ offset: 20, tag: "SEGM", length: 3 }];
 * assert((await unsealedChunks(c, walked)).length === 0);
 * ```
 */
export async function unsealedChunks(
  c: Container,
  walked: readonly WalkedChunk[],
): Promise<UnsealedChunk[]> {
  const located = new Set<number>();
  if (c.locator) {
    for (const ref of Object.values(c.locator.slots)) if (ref) located.add(ref.offset);
  }
  const out: UnsealedChunk[] = [];
  let seekSeen = false;
  for (let i = 0; i < walked.length; i++) {
    const w = walked[i];
    if (c.locator === null) {
      out.push({ ...w, reason: "a file without LOCA has no root digest" });
      continue;
    }
    // Storage chunks come first and each is hashed in BHSH (H4-FMT-020, H4-INT-003).
    if (i < c.chunkCount && isStorageTag(w.tag)) continue;
    if (located.has(w.offset)) continue; // a table of the root, or LIVC under the seal
    if (w.tag === "LOCA" && w.offset === c.size - LOCA_CHUNK_LENGTH) continue;
    // VERI, then only SIGN chunks up to LOCA: each signature is verified on its own (H4-SIG-004).
    if ((w.tag === "VERI" || w.tag === "SIGN") && onlySignaturesAfter(walked, i)) {
      if (w.tag === "VERI" || walked.slice(0, i).some((x) => x.tag === "VERI")) continue;
    }
    // The recipients chunk right after LIVC: a stanza matters only through the key it yields,
    // which the key check and the seal verify (SPEC.md 12.16, H4-RCP-003).
    const prev = walked[i - 1];
    if (w.tag === "RCPT" && prev?.tag === "LIVC" && located.has(prev.offset)) continue;
    if (w.tag === "SEEK" && c.version === 1 && !seekSeen && w.length === 4) {
      // The original format's SEEK chunk: this writer's is always empty (count 0).
      seekSeen = true;
      const payload = await c.source.read(w.offset + CHUNK_HEADER_LENGTH, 4);
      if (payload.every((b) => b === 0)) continue;
      out.push({ ...w, reason: "a SEEK chunk with entries, which the writer never writes" });
      continue;
    }
    out.push({ ...w, reason: reasonOf(w.tag) });
  }
  return out;
}

const TABLE_TAGS: ReadonlySet<string> = new Set(SLOT_TAGS);

/** Why a chunk of this tag, found where it was, is outside the root and the seal. */
function reasonOf(tag: string): string {
  if (isStorageTag(tag)) return "a storage chunk that BHSH does not hash";
  if (TABLE_TAGS.has(tag)) return "a copy that LOCA does not point at";
  if (tag === "SEEK" || tag === "VERI" || tag === "LOCA") return `a ${tag} chunk out of place`;
  return "a chunk of a tag this version does not define";
}

/** Whether every chunk after `walked[i]` is a SIGN chunk, up to a final LOCA. */
function onlySignaturesAfter(walked: readonly WalkedChunk[], i: number): boolean {
  if (walked.length < 2 || walked[walked.length - 1].tag !== "LOCA" || i >= walked.length - 1) {
    return false;
  }
  for (let k = i + 1; k < walked.length - 1; k++) if (walked[k].tag !== "SIGN") return false;
  return true;
}
