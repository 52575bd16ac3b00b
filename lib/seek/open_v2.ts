/**
 * Opening a file with LOCA (SPEC.md section 7): from the tail, the locator, the small tables
 * and the root digest are read and checked; index and hash pages are left to index_pages.ts,
 * read when first needed.
 *
 * @module
 */
import { concat, equalBytes } from "../format/bytes.ts";
import { checkChunkCrc, parseChunkHeader } from "../format/chunk.ts";
import { REQUIRED_SLOTS, WHOLE_SLOTS } from "../format/chunk_types.ts";
import {
  CHUNK_HEADER_LENGTH,
  CIPHER_OVERHEAD,
  CODEC_IDS,
  HEADER_LENGTH,
  LOCA_CHUNK_LENGTH,
  LOCA_FLAG_ENCRYPTED,
  type LocaSlot,
  VERSION_V1,
} from "../format/constants.ts";
import { H4Error } from "../format/errors.ts";
import { decodeSeekTable, type SeekTable, splitKsek } from "../format/ksek.ts";
import { decodeLoca } from "../format/loca.ts";
import { decodeJsonDoc } from "../format/meta.ts";
import { computeRootAsync } from "../format/root.ts";
import { verifySignature } from "../format/signature.ts";
import { decodeTdir } from "../format/tdir.ts";
import { decodeTrks } from "../format/trks.ts";
import type { ByteSource } from "../format/types.ts";
import { makeContainer } from "./container_object.ts";
import { indexPages } from "./index_pages.ts";
import type { Internals } from "./internals.ts";
import {
  checkBhshLength,
  checkHeaderCopy,
  checkMagicAndVersion,
  checkSeekTableBounds,
  checkSlotChunk,
} from "./rules.ts";
import { isTrusted, signatureArea } from "./signatures.ts";
import type { Container, OpenOptions } from "./types.ts";

/**
 * Opens a file whose last chunk is LOCA. `tail` holds the file's bytes from `tailStart`;
 * `realHeader` is the file's header when the tail holds it.
 *
 * @example
 * ```ts
 * import { openIndexed } from "./open_v2.ts";
 * import { bytesSource } from "../format/byte_source.ts";
 * import { packContainer } from "../format/writer.ts";
 * import assert from "node:assert/strict";
 * const bytes = await packContainer([]);
 * const c = await openIndexed(bytesSource(bytes), bytes.length, bytes, 0, bytes.subarray(0, 8), {});
 * assert(c.profile === "v2");
 * ```
 */
export async function openIndexed(
  src: ByteSource,
  size: number,
  tail: Uint8Array,
  tailStart: number,
  realHeader: Uint8Array | null,
  opts: OpenOptions,
): Promise<Container> {
  const locaAt = size - LOCA_CHUNK_LENGTH;
  const locaBytes = tail.subarray(locaAt - tailStart);
  const locaHead = parseChunkHeader(locaBytes, locaAt, size);
  if (locaHead.length !== LOCA_CHUNK_LENGTH - CHUNK_HEADER_LENGTH) {
    throw new H4Error("H4_BAD_LOCATOR", `LOCA payload is ${locaHead.length} bytes, must be 160`, {
      offset: locaAt,
      chunk: "LOCA",
      rule: "H4-LOC-002",
    });
  }
  const locaPayload = locaBytes.subarray(CHUNK_HEADER_LENGTH);
  checkChunkCrc(locaHead, locaPayload);
  const loca = decodeLoca(locaPayload, locaAt + CHUNK_HEADER_LENGTH);
  const version = checkMagicAndVersion(loca.header, "LOCA header copy");
  if (realHeader) checkHeaderCopy(realHeader, loca.header, locaAt);
  const encrypted = (loca.flags & LOCA_FLAG_ENCRYPTED) !== 0;
  for (const s of REQUIRED_SLOTS) {
    if (!loca.slots[s]) {
      throw new H4Error("H4_MISSING_CHUNK", `LOCA has no ${s}`, {
        offset: locaAt,
        chunk: "LOCA",
        rule: "H4-LOC-003",
      });
    }
  }
  if (encrypted !== (loca.slots.LIVC !== null)) {
    throw new H4Error(
      "H4_MISSING_CHUNK",
      encrypted
        ? "LOCA flags say encrypted but there is no LIVC"
        : "LOCA has a LIVC but its flags say unencrypted",
      { offset: locaAt, chunk: "LOCA", rule: "H4-LOC-003" },
    );
  }
  // Slots must lie between the first storage chunk and LOCA; the storage region ends at the first.
  let storageEnd = locaAt;
  for (const [name, ref] of Object.entries(loca.slots)) {
    if (!ref) continue;
    if (
      ref.offset < HEADER_LENGTH || ref.length < CHUNK_HEADER_LENGTH ||
      ref.offset + ref.length > locaAt
    ) {
      throw new H4Error(
        "H4_BAD_LOCATOR",
        `slot ${name} at ${ref.offset}+${ref.length} is outside 8..${locaAt}`,
        {
          offset: locaAt,
          chunk: "LOCA",
          rule: "H4-LOC-002",
        },
      );
    }
    storageEnd = Math.min(storageEnd, ref.offset);
  }
  // The small tables (all but the paged BIDX and BHSH): one range from the lowest of them to the
  // tail already read.
  let low = tailStart;
  for (const s of WHOLE_SLOTS) if (loca.slots[s]) low = Math.min(low, loca.slots[s]!.offset);
  const region = low < tailStart ? concat([await src.read(low, tailStart - low), tail]) : tail;
  const regionStart = Math.min(low, tailStart);
  const payloads: Partial<Record<LocaSlot, Uint8Array>> = {};
  for (const s of WHOLE_SLOTS) {
    const ref = loca.slots[s];
    if (!ref) continue;
    const at = ref.offset - regionStart;
    const head = checkSlotChunk(
      s,
      ref.length,
      region.subarray(at, at + CHUNK_HEADER_LENGTH),
      ref.offset,
      size,
    );
    const payload = region.subarray(at + CHUNK_HEADER_LENGTH, at + ref.length);
    checkChunkCrc(head, payload);
    payloads[s] = payload;
  }
  const root = await computeRootAsync(locaPayload, {
    TRKS: payloads.TRKS!,
    KSEK: payloads.KSEK!,
    TDIR: payloads.TDIR!,
    META: payloads.META!,
    SAFE: payloads.SAFE ?? null,
  });
  if (!equalBytes(root, loca.root)) {
    throw new H4Error(
      "H4_DIGEST_MISMATCH",
      `root digest ${root.toHex().slice(0, 16)}… differs from LOCA's ${
        loca.root.toHex().slice(0, 16)
      }…`,
      {
        offset: locaAt,
        chunk: "LOCA",
        rule: "H4-INT-004",
      },
    );
  }
  if (opts.expectedRoot && !equalBytes(root, opts.expectedRoot)) {
    throw new H4Error(
      "H4_DIGEST_MISMATCH",
      `root digest ${root.toHex()} is not the expected ${opts.expectedRoot.toHex()}`,
      {
        rule: "H4-INT-004",
      },
    );
  }
  const signers = await signatureArea(region, regionStart, loca, locaAt, size);
  const livc = payloads.LIVC ?? null;
  const checkedSignatures = memo(() =>
    Promise.all(signers.map(async (r) => ({ r, ok: await verifySignature(r, locaPayload, livc) })))
  );
  let trusted = false;
  if (opts.trust) {
    trusted = await isTrusted(
      opts.trust,
      root,
      signers,
      (r) => verifySignature(r, locaPayload, livc),
    );
  }
  const base = (s: LocaSlot) => loca.slots[s]!.offset + CHUNK_HEADER_LENGTH;
  const trks = decodeTrks(payloads.TRKS!, base("TRKS"));
  const mismatch = (m: string, rule: string): never => {
    throw new H4Error("H4_INDEX_MISMATCH", m, { rule });
  };
  if (trks.length !== loca.trackCount) {
    mismatch(`TRKS has ${trks.length} tracks, LOCA says ${loca.trackCount}`, "H4-LOC-004");
  }
  const sum = trks.reduce((n, t) => n + t.blocks, 0);
  if (sum !== loca.blockCount) {
    mismatch(`TRKS counts ${sum} blocks, LOCA says ${loca.blockCount}`, "H4-TRK-002");
  }
  if (loca.blockCount > 0xffff_ffff) {
    throw new H4Error("H4_LIMIT_EXCEEDED", `${loca.blockCount} blocks exceed 2^32-1`, {
      rule: "H4-LIM-001",
    });
  }
  const tdir = decodeTdir(payloads.TDIR!, loca.blockCount, loca.chunkCount, base("TDIR"));
  const bidxLen = loca.slots.BIDX!.length - CHUNK_HEADER_LENGTH;
  const pageSum = tdir.bidxPageLengths.reduce((n, l) => n + l, 0);
  // Open reads neither BIDX's nor BHSH's header: their lengths are LOCA's slots here, and
  // verify() checks the slots against the chunks themselves (H4-LOC-002).
  if (pageSum !== bidxLen) {
    throw new H4Error(
      "H4_BAD_INDEX",
      `TDIR's BIDX pages add up to ${pageSum} bytes, BIDX (by its LOCA slot) has ${bidxLen}`,
      { chunk: "TDIR", rule: "H4-TDR-001" },
    );
  }
  checkBhshLength(
    loca.slots.BHSH!.length - CHUNK_HEADER_LENGTH,
    loca.chunkCount,
    "BHSH (by its LOCA slot)",
  );
  if (loca.chunkCount > loca.blockCount) {
    mismatch(`${loca.chunkCount} storage chunks for ${loca.blockCount} blocks`, "H4-LOC-004");
  }
  const overhead = encrypted ? CIPHER_OVERHEAD : 0;
  // Each track's table is decoded and checked when it is first used: `h4mk seek` on one track
  // of a one-hour file then decodes 3,600 entries, not 10,800 (SPEC.md section 6.5).
  const parts = splitKsek(payloads.KSEK!, trks.length, base("KSEK"));
  const decoded: SeekTable[] = [];
  const table = (t: number): SeekTable =>
    decoded[t] ??= checkSeekTableBounds(
      decodeSeekTable(parts[t].bytes, overhead, parts[t].base),
      trks[t].track_id,
      loca.blockCount,
      storageEnd,
    );
  const meta = decodeJsonDoc(payloads.META!, "META", base("META"));
  const safe = payloads.SAFE ? decodeJsonDoc(payloads.SAFE, "SAFE", base("SAFE")) : null;

  const trackCodecs = trks.map((t) => CODEC_IDS[t.codec]);
  const pages = indexPages({
    src,
    loca,
    tdir,
    trackCodecs,
    overhead,
    storageEnd,
    wantHashes: opts.verifyBlocks === true || trusted,
  });
  const internals: Internals = {
    src,
    blockCount: loca.blockCount,
    chunkCount: loca.chunkCount,
    encrypted,
    legacy: false,
    prefetch: opts.prefetch !== false,
    verifyBlocks: opts.verifyBlocks === true || trusted,
    mustVerify: trusted,
    trackIds: trks.map((t) => t.track_id),
    pageOf: pages.pageOf,
    page: pages.page,
    allPages: pages.all,
    hash: pages.hash,
  };
  return makeContainer(internals, {
    version,
    profile: version === VERSION_V1 ? "v1" : "v2",
    size,
    tracks: trks.map((t, i) => ({
      track_id: t.track_id,
      codec: t.codec,
      blocks: t.blocks,
      keyframes: t.keyframes,
      seek_entries: parts[i].count,
    })),
    table,
    meta,
    safe,
    livc: payloads.LIVC ? payloads.LIVC.slice() : null,
    root,
    locator: loca,
    directory: tdir,
    signers,
    trusted,
    signatures: async () =>
      (await checkedSignatures()).map(({ r, ok }) => ({
        key_id: r.keyId,
        public_key: r.publicKey.toBase64(),
        valid: ok,
        offset: r.offset,
      })),
  });
}

function memo<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => p ??= f();
}
