/**
 * The LivingCipher vectors that forge (conformance/gen/cipher_vectors.ts): consistent forgeries that only
 * the seal catches, a tampered block a grant cannot open, chunks outside the root and the seal, a
 * cut file, blocks sealed under another context, and a resealed transcript.
 *
 * @module
 */
import type { BlockContext } from "../../lib/format/types.ts";
import { DIGEST_LENGTH } from "../../lib/living/constants.ts";
import { appendBeforeVeri, cutEnd } from "../builder/in_place.ts";
import {
  build,
  type Built,
  editStored,
  enc,
  fixed,
  flipByte,
  forge,
  META,
  OTHER_CONTAINER_ID,
  SAFE,
  VECTOR_KEY,
} from "./cipher_build.ts";
import {
  type CipherExpectation,
  expectation,
  type KeyFile,
  type RandomAccessExpectation,
} from "./cipher_expect.ts";
import { computeSeal, createEpochChain, epochZeroKey } from "../../lib/living/key_schedule.ts";
import { decodeLivc, encodeLivc } from "../../lib/living/livc.ts";

/** What the forgeries share with the first vectors. */
export interface CaseContext {
  /** The base container (ten blocks, root key). */
  base: Built;
  /** The same blocks sealed for another container id. */
  elsewhere: Built;
  /** The root key file. */
  root: KeyFile;
  /** The epoch-1 grant. */
  epoch1: KeyFile;
  /** Adds a vector (in order). */
  add: (name: string, bytes: Uint8Array, exp: CipherExpectation) => void;
  /** `n` blocks that read `ok`. */
  allOk: (n: number) => { index: number; expect: string }[];
  /** Opening fails with `code`. */
  openFails: (code: string) => RandomAccessExpectation;
  /** What a strict reader may report first for an in-place change read with a grant. */
  rawAlsoGrant: string[];
}

/** Adds the forgeries, in their fixed order. */
export function addForgeries(ctx: CaseContext): void {
  const { base, elsewhere, root, epoch1, add, allOk, openFails, rawAlsoGrant } = ctx;
  const blocks = base.blocks;
  // Consistent forgeries: every unkeyed check recomputed; the seal over the root catches them at open.
  const seal = (rule: string[], flags: string[], description: string, bytes: Uint8Array) =>
    add(
      `n_forged_${flags.at(-1)!.replace(/[A-Z]/g, (c, i) => (i ? "_" : "") + c.toLowerCase())}`,
      bytes,
      expectation(
        "invalid",
        rule,
        ["ConsistentForgery", ...flags],
        description,
        root,
        openFails("H4_CIPHER_SEAL_MISMATCH"),
        { code: "H4_CIPHER_SEAL_MISMATCH" },
      ),
    );
  const st = base.stored;
  const flipLast = (b: Uint8Array) => {
    const c = b.slice();
    c[c.length - 1] ^= 1;
    return c;
  };
  seal(
    ["H4-LC-015"],
    ["ModifiedTag"],
    "Tag of block 5 changed, BHSH, TDIR, root and VERI recomputed.",
    forge(blocks, st.map((x, i) => (i === 5 ? flipLast(x) : x)), base.livc),
  );
  seal(
    ["H4-LC-015"],
    ["ModifiedCiphertext"],
    "Ciphertext of block 7 changed, all unkeyed checks recomputed.",
    forge(
      blocks,
      st.map((x, i) => (i === 7 ? Uint8Array.of(x[0] ^ 1, ...x.subarray(1)) : x)),
      base.livc,
    ),
  );
  const swap = (a: unknown[], i: number, j: number) => ([a[i], a[j]] = [a[j], a[i]]);
  const sw = [...st];
  swap(sw, 1, 4);
  seal(
    ["H4-LC-015"],
    ["SwappedBlocks"],
    "Stored bytes of blocks 1 and 4 swapped, all unkeyed checks recomputed.",
    forge(blocks, sw, base.livc),
  );
  const swIdx = [...blocks];
  const swSt = [...st];
  swap(swIdx, 1, 4);
  swap(swSt, 1, 4);
  seal(
    ["H4-LC-015"],
    ["ReorderedBlocks"],
    "Blocks 1 and 4 swapped with their index entries (a reordered stream).",
    forge(swIdx, swSt, base.livc),
  );
  seal(
    ["H4-LC-011"],
    ["DroppedBlock"],
    "Block 6 removed from storage and index.",
    forge(blocks.filter((_, i) => i !== 6), st.filter((_, i) => i !== 6), base.livc),
  );
  seal(
    ["H4-LC-011"],
    ["DuplicatedBlock"],
    "Block 3 stored twice (index entry duplicated).",
    forge([...blocks.slice(0, 4), blocks[3], ...blocks.slice(4)], [
      ...st.slice(0, 4),
      st[3],
      ...st.slice(4),
    ], base.livc),
  );
  seal(
    ["H4-LC-011"],
    ["AppendedBlock"],
    "Block 9 of another container appended.",
    forge([...blocks, blocks[9]], [...st, elsewhere.stored[9]], base.livc),
  );
  seal(
    ["H4-LC-011"],
    ["TruncatedStream"],
    "The last three blocks cut off, the tables rewritten for seven.",
    forge(blocks.slice(0, 7), st.slice(0, 7), base.livc),
  );
  seal(
    ["H4-LC-015"],
    ["MovedFromOtherContainer"],
    "Block 2 replaced by block 2 of another container, all checks recomputed.",
    forge(blocks, st.map((x, i) => (i === 2 ? elsewhere.stored[2] : x)), base.livc),
  );
  seal(
    ["H4-LC-015"],
    ["RelabelledPts"],
    "Index says block 5 has pts 120001 instead of 120000.",
    forge(
      blocks.map((b, i) => (i === 5 ? { ...b, pts_us: b.pts_us + 1 } : b)),
      st,
      base.livc,
    ),
  );
  seal(
    ["H4-LC-015"],
    ["RelabelledTrack"],
    "Index moves block 8 from track audio to track video.",
    forge(
      blocks.map((b, i) => (i === 8 ? { ...b, track_id: "video" } : b)),
      st,
      base.livc,
    ),
  );
  seal(
    ["H4-LC-015"],
    ["RelabelledKeyframe"],
    "Index marks block 5 as a keyframe (a seek target).",
    forge(
      blocks.map((b, i) => (i === 5 ? { ...b, keyframe: true, kind: "I" as const } : b)),
      st,
      base.livc,
    ),
  );
  seal(
    ["H4-LC-015"],
    ["ModifiedMeta"],
    "META's title changed.",
    forge(blocks, st, base.livc, { meta: { ...META, title: "LivingCipher vectoR" } }),
  );
  seal(
    ["H4-LC-015"],
    ["ModifiedSafe"],
    "SAFE's rating changed.",
    forge(blocks, st, base.livc, { safe: { ...SAFE, rating: "X" } }),
  );
  seal(
    ["H4-LC-015"],
    ["RemovedSafe"],
    "SAFE removed.",
    forge(blocks, st, base.livc, { safe: null }),
  );
  seal(
    ["H4-LC-015"],
    ["LivcFromOtherContainer"],
    "LIVC replaced by the LIVC of another container under the same key.",
    forge(
      blocks,
      st,
      build({ containerId: OTHER_CONTAINER_ID, meta: { ...META, title: "x" } }).livc,
    ),
  );

  add(
    "n_epoch_key_sealed_block_bitflip",
    editStored([{ block: 2, stored: flipByte((n) => n - 1) }]),
    expectation(
      "invalid",
      ["H4-LC-017"],
      ["EpochKey", "ModifiedTag", "SealedToKey"],
      "Last tag byte of block 2 flipped in place, read with the epoch-1 key: the key cannot open block 2, the recomputed transcript catches the change.",
      epoch1,
      {
        open: "ok",
        blocks: [{ index: 2, expect: "H4_CIPHER_WRONG_EPOCH" }, { index: 4, expect: "ok" }],
        verify_transcript: "H4_CIPHER_TRANSCRIPT_MISMATCH",
      },
      { code: "H4_CIPHER_TRANSCRIPT_MISMATCH", also: rawAlsoGrant },
    ),
  );

  // Bytes outside the root and the seal: anyone can insert a chunk of an unknown tag (or a copy
  // of a table LOCA does not point at) before VERI and recompute VERI; every unkeyed check and
  // the seal still hold. Full verification with a key rejects it (H4-LC-018).
  const outside: [string, string, Uint8Array, string[], string][] = [
    [
      "n_inserted_unknown_chunk",
      "XTRA",
      enc.encode("not covered by the seal"),
      ["InsertedChunk", "UnknownTag"],
      "A chunk of unknown tag XTRA inserted before VERI, VERI recomputed: only the check of bytes outside the root and the seal catches it.",
    ],
    [
      "n_inserted_meta_copy",
      "META",
      enc.encode(JSON.stringify({ ...META, title: "a second META" })),
      ["InsertedChunk", "UnlocatedCopy"],
      "A second META chunk (which LOCA does not point at) inserted before VERI, VERI recomputed: a reader that scans chunks could take it for META.",
    ],
  ];
  for (const [name, tag, payload, flags, description] of outside) {
    add(
      name,
      build({ hooks: { chunks: appendBeforeVeri({ tag, payload }) } }).bytes,
      expectation(
        "invalid",
        ["H4-LC-018"],
        ["OutsideSeal", ...flags],
        description,
        root,
        { open: "ok", blocks: allOk(10), verify_transcript: "ok" },
        { code: "H4_CIPHER_UNSEALED_DATA" },
      ),
    );
  }

  // The file cut: the locator is gone (SPEC.md H4-LOC-001).
  add(
    "n_file_truncated",
    build({ hooks: { final: cutEnd(100) } }).bytes,
    expectation(
      "invalid",
      ["H4-LOC-001"],
      ["TruncatedFile"],
      "The last 100 bytes of the file cut off.",
      root,
      openFails("H4_BAD_LOCATOR"),
      { code: "H4_BAD_LOCATOR" },
    ),
  );

  // AD binding: the writer sealed a block under a context other than the one its index holds. The
  // seal is valid (the writer sealed the real root), so only the block's AEAD catches it.
  const lies: [string, number, (c: BlockContext) => BlockContext][] = [
    ["pts", 5, (c) => ({ ...c, pts_us: c.pts_us + 1 })],
    ["track", 8, (c) => ({ ...c, track_id: "video" })],
    ["kind", 3, (c) => ({ ...c, kind: "P" })],
    ["keyframe", 2, (c) => ({ ...c, keyframe: true })],
    ["codec", 6, (c) => ({ ...c, codec: "deflate" })],
    ["plain_length", 6, (c) => ({ ...c, plain_length: c.plain_length - 1 })],
  ];
  for (const [field, i, lie] of lies) {
    const b = build({ lie: (c) => (c.index === i ? lie(c) : c) });
    add(
      `n_ad_${field}`,
      b.bytes,
      expectation(
        "invalid",
        ["H4-LC-007"],
        ["AdMismatch", `Ad_${field}`],
        `Block ${i} sealed with another ${field} than its index entry says; the seal is genuine.`,
        root,
        {
          open: "ok",
          blocks: [{ index: i, expect: "H4_CIPHER_AUTH_FAILED" }, {
            index: (i + 1) % 10,
            expect: "ok",
          }],
          verify_transcript: "H4_CIPHER_AUTH_FAILED",
        },
        { code: "H4_CIPHER_AUTH_FAILED" },
      ),
    );
  }

  // A key holder replaced the transcript and resealed: every block opens; only full verification
  // (the recomputed transcript) tells.
  const resealed = build({
    livc: (l, r) => {
      const d = decodeLivc(l);
      const e0 = epochZeroKey(VECTOR_KEY, d.containerId);
      const closing = createEpochChain(0, e0, d.epochCount).key(d.epochCount);
      const out = encodeLivc({ ...d, transcript: fixed("not the transcript", 32) });
      out.set(
        computeSeal(closing, out.subarray(0, out.length - DIGEST_LENGTH), r),
        out.length - DIGEST_LENGTH,
      );
      return out;
    },
  });
  add(
    "n_transcript_resealed",
    resealed.bytes,
    expectation(
      "invalid",
      ["H4-LC-017"],
      ["ModifiedTranscript", "Resealed"],
      "LIVC's transcript hash replaced and the seal recomputed with the key: blocks open, the transcript does not match.",
      root,
      { open: "ok", blocks: allOk(10), verify_transcript: "H4_CIPHER_TRANSCRIPT_MISMATCH" },
      { code: "H4_CIPHER_TRANSCRIPT_MISMATCH" },
    ),
  );
}
