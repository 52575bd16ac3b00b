/**
 * Full verification, SPEC.md section 9: every check the format defines, each reported under
 * its rule id, so `h4mk verify` can list what failed. The chunk walk is verify_walk.ts, the
 * index checks verify_index.ts; the rules `open` checks too are in rules.ts.
 *
 * @module
 */
import { contextOf } from "../format/block_context.ts";
import { decodePayload } from "../format/codec.ts";
import { CHUNK_HEADER_LENGTH, HEADER_LENGTH, LOCA_CHUNK_LENGTH } from "../format/constants.ts";
import { H4Error } from "../format/errors.ts";
import { loadNative } from "../hash/native.ts";
import { SIGN_TAG } from "../format/signature.ts";
import type { BlockOpener, ByteSource, VerifyCheck, VerifyReport } from "../format/types.ts";
import {
  checkBhshLength,
  checkHeaderCopy,
  checkMagicAndVersion,
  checkSlotTarget,
} from "./rules.ts";
import type { Container } from "./types.ts";
import { unsealedChunks } from "./unsealed.ts";
import { checkTrackCounts, type IndexScan, scanIndex, type WalkProgress } from "./verify_index.ts";
import {
  type OtherChunk,
  type StorageColumns,
  type Walk,
  type WalkedChunk,
  walkForVerify,
} from "./verify_walk.ts";

/** No storage chunk: what the index pass sees before the walk has begun. */
const NO_STORAGE: StorageColumns = {
  count: 0,
  offset: new Float64Array(0),
  length: new Float64Array(0),
  tag: new Uint8Array(0),
};

/** Every chunk of the walk in file order (storage and other), for the few checks that need it. */
function allChunks(walk: Walk): WalkedChunk[] {
  const out: WalkedChunk[] = [];
  const s = walk.storage;
  let k = 0;
  for (const o of walk.others) {
    while (k < s.count && s.offset[k] < o.offset) {
      out.push({ offset: s.offset[k], tag: s.tag[k] === 1 ? "CORE" : "SEGM", length: s.length[k] });
      k++;
    }
    out.push({ offset: o.offset, tag: o.tag, length: o.length });
  }
  for (; k < s.count; k++) {
    out.push({ offset: s.offset[k], tag: s.tag[k] === 1 ? "CORE" : "SEGM", length: s.length[k] });
  }
  return out;
}

/**
 * Verifies a whole container: CRCs, VERI, header and locator, storage chunks against BHSH,
 * index consistency, seek tables, track counts, legacy SEEKM, and every block's codec (and
 * decryption when an opener is given).
 *
 * @example
 * ```ts
 * import { verifyContainer } from "./verify.ts";
 * import { openContainer } from "./container.ts";
 * import { packContainer } from "../format/writer.ts";
 * import assert from "node:assert/strict";
 * const c = await openContainer(await packContainer([
 *   { track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array(3) },
 * ]));
 * assert((await verifyContainer(c)).ok);
 * ```
 */
export async function verifyContainer(
  c: Container,
  opts: { opener?: BlockOpener } = {},
): Promise<VerifyReport> {
  // Whole-file hashing: worth the native primitives' start-up.
  await loadNative();
  const checks: VerifyCheck[] = [];
  const pass = (rule: string, message: string) => checks.push({ rule, ok: true, message });
  const failWith = (rule: string, e: unknown) => {
    const err = e instanceof H4Error
      ? e
      : new H4Error("H4_IO", String((e as Error)?.message ?? e).split("\n")[0]);
    checks.push({ rule: err.rule ?? rule, ok: false, message: err.message, code: err.code });
  };
  const step = async (rule: string, message: string, f: () => Promise<void> | void) => {
    try {
      await f();
      pass(rule, message);
    } catch (e) {
      failWith(rule, e);
    }
  };
  const src = c.source;
  const legacy = c.profile === "legacy";
  const locaAt = c.size - LOCA_CHUNK_LENGTH;

  await step("H4-FMT-001", "header magic and version", async () => {
    const h = await src.read(0, HEADER_LENGTH);
    const v = checkMagicAndVersion(h, "header");
    if (v !== c.version) {
      throw new H4Error("H4_UNSUPPORTED_VERSION", `header version ${v}, opened as ${c.version}`, {
        rule: "H4-FMT-002",
      });
    }
    if (c.locator) checkHeaderCopy(h, c.locator.header, locaAt);
  });

  // Walk every chunk: CRC, VERI, and the hash of each storage chunk, each stored byte read and
  // hashed once (verify_walk.ts).
  const out: { partial: Walk | undefined } = { partial: undefined };
  // The index against the storage chunks, the tracks and the seek tables: one pass over the
  // index pages (verify_index.ts), started now so that it runs while the walk waits for its
  // reads; it compares a page's blocks with the storage chunks once the walk has passed them.
  // Its verdict is reported after the walk's checks, as if it ran after them.
  const n = c.blockCount;
  // An epoch key's opener leaves the blocks before its epoch sealed: they are not decrypted
  // (the transcript still covers them) and the check says how many.
  const sealed = c.encrypted ? Math.min(opts.opener?.firstOpenBlock ?? 0, n) : 0;
  const scan = { indexed: 0 } as IndexScan;
  let walkEnded = false;
  let wake = () => {};
  let moved = new Promise<void>((r) => wake = r);
  const advance = () => {
    const w = wake;
    moved = new Promise<void>((r) => wake = r);
    w();
  };
  const progress: WalkProgress = {
    storage: () => out.partial?.storage ?? NO_STORAGE,
    done: () => walkEnded,
    next: () => moved,
  };
  // Each read the walk makes says it has gone further.
  const watched: ByteSource = {
    size: src.size,
    read: (offset, length) => (advance(), src.read(offset, length)),
    readInto: src.readInto && ((offset, buf) => (advance(), src.readInto!(offset, buf))),
  };
  // Without a key, encrypted blocks are not decoded: none is kept for it.
  const indexRun = scanIndex(c, progress, scan, c.encrypted && !opts.opener ? n : sealed).then(
    () => undefined,
    (error) => ({ error }),
  );
  await step("H4-FMT-010", "chunk framing from offset 8 to the end", async () => {
    // CRC failures and VERI verdicts are reported as the walk meets them, before its own.
    try {
      await walkForVerify(
        watched,
        c.version,
        c.size,
        out,
        Math.min(c.chunkCount, Math.floor(c.size / 32)),
        c.locator && c.directory
          ? {
            at: c.locator.slots.BHSH!.offset + CHUNK_HEADER_LENGTH,
            count: c.chunkCount,
            perPage: c.directory.hashesPerPage,
            digests: c.directory.bhshPageDigests,
          }
          : undefined,
      );
    } finally {
      walkEnded = true;
      advance();
      for (const f of out.partial?.findings ?? []) {
        if (f.ok) pass(f.rule, f.message!);
        else failWith(f.rule, f.error);
      }
    }
  });
  const walk = out.partial!;
  if (walk.crcFailures === 0) {
    pass("H4-FMT-011", `every chunk's CRC matches (${walk.total} chunks)`);
  }
  if (!walk.veriSeen) {
    if (legacy) pass("H4-INT-002", "no VERI chunk (legacy file)");
    else {
      failWith(
        "H4-INT-001",
        new H4Error("H4_MISSING_CHUNK", "no VERI chunk", { rule: "H4-INT-001" }),
      );
    }
  }

  const storage = walk.storage;
  const others = walk.others;
  if (!legacy) {
    await step(
      "H4-FMT-020",
      "storage chunks come first, back to back, with the version's tag",
      () => {
        const want = c.version === 1 ? 1 : 2;
        // The first chunk that is not a storage chunk, if a storage chunk follows it.
        const first: OtherChunk | undefined = others[0];
        const misplaced = first !== undefined && first.ordinal < storage.count ? first : undefined;
        const end = misplaced ? misplaced.ordinal : storage.count;
        for (let i = 0; i < end; i++) {
          if (storage.tag[i] !== want) {
            throw new H4Error(
              "H4_INDEX_MISMATCH",
              `${storage.tag[i] === 1 ? "CORE" : "SEGM"} at ${
                storage.offset[i]
              } in a version ${c.version} file`,
              { rule: "H4-FMT-021" },
            );
          }
        }
        if (misplaced) {
          throw new H4Error(
            "H4_INDEX_MISMATCH",
            `chunk ${misplaced.ordinal} at ${misplaced.offset} is ${misplaced.tag}, storage chunks must come first`,
            { rule: "H4-FMT-020" },
          );
        }
      },
    );
    await step("H4-LOC-002", "LOCA's slots point at whole chunks of their tags", () => {
      // Slots point at tables: storage chunks (most of the chunks of a v1 file) are left out.
      const byOffset = new Map(others.map((w) => [w.offset, w]));
      for (const [slot, ref] of Object.entries(c.locator!.slots)) {
        if (ref) checkSlotTarget(slot, ref.length, ref.offset, byOffset.get(ref.offset));
      }
      const bhsh = others.find((w) => w.tag === "BHSH");
      if (bhsh) checkBhshLength(bhsh.length, c.chunkCount, "BHSH");
    });
    await step("H4-FMT-022", "VERI, then only SIGN chunks, then LOCA end the file", () => {
      const last = others.at(-1);
      const lastStorage = storage.count > 0 ? storage.offset[storage.count - 1] : -1;
      if (!last || last.offset < lastStorage || last.tag !== "LOCA" || last.offset !== locaAt) {
        throw new H4Error("H4_BAD_LOCATOR", "LOCA is not the last chunk", { rule: "H4-FMT-022" });
      }
      // Signatures lie between VERI and LOCA (SPEC.md H4-SIG-001).
      let k = others.length - 2;
      while (k >= 0 && others[k].tag === SIGN_TAG && others[k].offset > lastStorage) k--;
      const prev = k >= 0 && others[k].offset > lastStorage ? others[k] : undefined;
      const skipped = k < others.length - 2;
      if (!prev || prev.tag !== "VERI") {
        const tag = prev?.tag ??
          (lastStorage >= 0 ? (storage.tag[storage.count - 1] === 1 ? "CORE" : "SEGM") : undefined);
        throw new H4Error(
          "H4_MISSING_CHUNK",
          `the chunk before LOCA${skipped ? " and its SIGN chunks" : ""} is ${
            tag ?? "missing"
          }, not VERI`,
          { rule: "H4-FMT-022" },
        );
      }
      const stray = others.slice(0, k).find((w) => w.tag === SIGN_TAG);
      if (stray) {
        throw new H4Error(
          "H4_BAD_SIGNATURE",
          `SIGN chunk at ${stray.offset} is not between VERI and LOCA`,
          { offset: stray.offset, chunk: SIGN_TAG, rule: "H4-SIG-001" },
        );
      }
    });
    await step("H4-SIG-004", "every signature verifies", async () => {
      for (const sig of await c.signatures()) {
        if (!sig.valid) {
          throw new H4Error(
            "H4_BAD_SIGNATURE",
            `the signature of key ${sig.key_id} (SIGN at ${sig.offset}) does not verify over this container's root`,
            { offset: sig.offset, chunk: SIGN_TAG, rule: "H4-SIG-004" },
          );
        }
      }
    });
    await step("H4-INT-003", "every storage chunk matches its BHSH hash", () => {
      if (storage.count !== c.chunkCount) {
        throw new H4Error(
          "H4_INDEX_MISMATCH",
          `${storage.count} storage chunks in the file, LOCA counts ${c.chunkCount}`,
          { rule: "H4-IDX-004" },
        );
      }
      // Checked by the walk, page by page, as it hashed the chunks.
      if (walk.bhshError) throw walk.bhshError;
    });
    pass("H4-INT-004", `root digest ${c.root!.toHex()} matches the tables`);
  }

  await step("H4-IDX-004", "block index agrees with the storage chunks", async () => {
    const failed = await indexRun;
    if (failed) throw failed.error;
  });
  // The checks below compare against the whole index: after an index failure they would only
  // report differences caused by the entries that could not be read.
  const indexOk = scan.indexed === n && checks[checks.length - 1]?.ok === true;
  if (indexOk) {
    await step(
      "H4-TRK-002",
      "track counts match the index",
      () => checkTrackCounts(c.tracks, scan.blocks, scan.keys),
    );
    await step(
      "H4-SEK-001",
      "seek tables name keyframes with their index fields",
      () => scan.checkSeekTables(),
    );
  }
  if (c.profile === "v1" && indexOk) {
    await step(
      "H4-LEG-004",
      "META.seekm_b64 lists exactly the keyframes",
      () => scan.checkSeekm(c.meta),
    );
  }

  // After every unkeyed check, before the blocks and the transcript (SPEC.md H4-LC-019).
  const lastChunk = others.at(-1);
  const whole = lastChunk?.tag === "LOCA" && lastChunk.offset === locaAt &&
    (storage.count === 0 || storage.offset[storage.count - 1] < locaAt);
  if (!legacy && c.encrypted && opts.opener && whole) {
    // With a key, every byte must be covered by the root or the seal (SPEC.md H4-LC-018).
    await step("H4-LC-018", "every chunk is covered by the root digest or the seal", async () => {
      const outside = await unsealedChunks(c, allChunks(walk));
      if (outside.length === 0) return;
      const bytes = outside.reduce((n, w) => n + CHUNK_HEADER_LENGTH + w.length, 0);
      const list = outside.slice(0, 5).map((w) =>
        `${JSON.stringify(w.tag)} at ${w.offset} (${
          CHUNK_HEADER_LENGTH + w.length
        } bytes: ${w.reason})`
      ).join("; ");
      throw new H4Error(
        "H4_CIPHER_UNSEALED_DATA",
        `${outside.length} chunk(s), ${bytes} bytes, outside the root digest and the seal: ${list}${
          outside.length > 5 ? "; ..." : ""
        }`,
        { offset: outside[0].offset, rule: "H4-LC-018" },
      );
    });
  }

  if (indexOk && (!c.encrypted || opts.opener)) {
    await step(
      "H4-COD-002",
      !c.encrypted
        ? "every block decodes to its plain length"
        : sealed === 0
        ? "every block decrypts and decodes"
        : sealed === n
        ? `all ${sealed} blocks stay sealed to this key: none decrypted`
        : `blocks ${sealed}..${n - 1} decrypt and decode; blocks 0..${
          sealed - 1
        } stay sealed to this key`,
      async () => {
        // Decode from the block index itself (readBlock may take a seek-table shortcut). A
        // plain block of codec none decodes to itself: its length is already the index's, and
        // its bytes were hashed against BHSH above. Only encoded or encrypted ones are read.
        for (const e of scan.toDecode) {
          let data = await src.read(e.offset, e.stored_length);
          if (c.encrypted) {
            if (c.profile === "legacy") {
              throw new H4Error("H4_ENCRYPTED", "legacy encrypted blocks cannot be decoded", {
                rule: "H4-LEG-005",
              });
            }
            data = opts.opener!.open(contextOf(e), data);
          }
          await decodePayload(e.codec, data, e.plain_length);
        }
      },
    );
  }

  // A LivingCipher opener also checks the whole transcript (SPEC.md H4-LC-017).
  const transcript =
    (opts.opener as { verifyTranscript?: () => Promise<VerifyCheck[]> } | undefined)
      ?.verifyTranscript;
  if (transcript && indexOk) {
    try {
      checks.push(...await transcript.call(opts.opener));
    } catch (e) {
      failWith("H4-LC-017", e);
    }
  }
  return { ok: checks.every((k) => k.ok), checks };
}
