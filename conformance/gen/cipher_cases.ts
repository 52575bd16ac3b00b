/**
 * The LivingCipher vectors (conformance/gen/cipher_vectors.ts), in a fixed order: valid containers, keys
 * and grants, LIVC header damage, stored bytes changed in place; then the forgeries of
 * cipher_forgeries.ts.
 *
 * @module
 */
import { openContainer } from "../../lib/seek/container.ts";
import {
  build,
  editStored,
  flipByte,
  flipLivc,
  OTHER_CONTAINER_ID,
  OTHER_KEY,
  renameSuite,
  VECTOR_KEY,
} from "./cipher_build.ts";
import {
  canonicalResult,
  type CipherExpectation,
  expectation,
  type GeneratedVector,
  type KeyFile,
  type RandomAccessExpectation,
} from "./cipher_expect.ts";
import { addForgeries, type CaseContext } from "./cipher_forgeries.ts";
import type { LivingKey } from "../../lib/living/keys.ts";
import { grantEpochKey } from "../../lib/living/opener.ts";

/** Every cipher vector and key file, in a fixed order. */
export async function generateVectors(): Promise<{ vectors: GeneratedVector[]; keys: KeyFile[] }> {
  const base = build();
  const baseContainer = await openContainer(base.bytes);
  const rootKey: LivingKey = { kind: "root", key: VECTOR_KEY };
  const grant = (e: number) => grantEpochKey(baseContainer, rootKey, e);
  const keys: Record<string, KeyFile> = {};
  const key = (name: string, k: LivingKey): KeyFile => (keys[name] ??= { name, key: k });
  const root = key("root", rootKey);
  const other = key("other-root", { kind: "root", key: OTHER_KEY });
  const epoch0 = key("epoch-0", grant(0));
  const epoch1 = key("epoch-1", grant(1));
  const relabelled = key("epoch-1-labelled-0", { ...grant(1), epoch: 0 });
  const otherContainer = key("epoch-1-other-container", {
    ...grant(1),
    containerId: OTHER_CONTAINER_ID,
  });
  const pastEnd = key("epoch-9", { ...grant(1), epoch: 9 });
  const closing = key("epoch-3-closing", grant(3));
  // Blocks 1 and 4 (audio, 24 bytes) swapped in place, chunk CRC fixed only.
  const swappedInPlace = editStored([
    { block: 1, stored: () => base.stored[4] },
    { block: 4, stored: () => base.stored[1] },
  ]);
  const rawAlsoGrant = ["H4_VERI_MISMATCH", "H4_BLOCK_HASH_MISMATCH"];

  const vs: GeneratedVector[] = [];
  const add = (name: string, bytes: Uint8Array, exp: CipherExpectation) =>
    vs.push({ name, bytes, exp });
  const allOk = (n: number) => Array.from({ length: n }, (_, index) => ({ index, expect: "ok" }));
  const openFails = (code: string): RandomAccessExpectation => ({ open: code });

  const elsewhere = build({ containerId: OTHER_CONTAINER_ID });
  const ctx: CaseContext = { base, elsewhere, root, epoch1, add, allOk, openFails, rawAlsoGrant };

  // Valid.
  add(
    "v_basic",
    base.bytes,
    expectation(
      "valid",
      // Reading it with the root key file exercises the key file (001, 002), the container id
      // (005), the key schedule (006), nonces (008), the transcript (009) and seal (012); no
      // key byte may appear in the file (013, checked by lib/living/no_key_material_test.ts).
      [
        "H4-LC-001",
        "H4-LC-002",
        "H4-LC-004",
        "H4-LC-005",
        "H4-LC-006",
        "H4-LC-007",
        "H4-LC-008",
        "H4-LC-009",
        "H4-LC-012",
        "H4-LC-013",
        "H4-LC-015",
        "H4-LC-017",
      ],
      ["Valid"],
      "Ten blocks of two tracks, one rle-compressed, in three epochs of 4 blocks (v2); root key.",
      root,
      { open: "ok", blocks: allOk(10), verify_transcript: "ok" },
      undefined,
      canonicalResult(base),
    ),
  );
  const v1 = build({ profile: "v1" });
  add(
    "v_profile_v1",
    v1.bytes,
    expectation(
      "valid",
      ["H4-LC-004", "H4-LC-015"],
      ["Valid", "ProfileV1"],
      "The same blocks in profile v1 (one CORE chunk per block); the seal covers the same tables.",
      root,
      { open: "ok", blocks: allOk(10), verify_transcript: "ok" },
      undefined,
      canonicalResult(v1),
    ),
  );
  add(
    "v_epoch_key_0",
    base.bytes,
    expectation(
      "valid",
      ["H4-LC-016"],
      ["Valid", "EpochKey"],
      "Opened with the epoch key of epoch 0, which opens every block like the root key.",
      epoch0,
      { open: "ok", blocks: allOk(10), verify_transcript: "ok" },
      undefined,
      canonicalResult(base),
    ),
  );
  const empty = build({ blocks: [] });
  add(
    "v_empty",
    empty.bytes,
    expectation(
      "valid",
      ["H4-LC-010", "H4-LC-015"],
      ["Valid", "NoBlocks"],
      "An encrypted container without blocks: zero epochs; the closing epoch is 0.",
      root,
      { open: "ok", blocks: [], verify_transcript: "ok" },
      undefined,
      canonicalResult(empty),
    ),
  );

  // Keys.
  add(
    "n_wrong_key",
    base.bytes,
    expectation(
      "invalid",
      ["H4-LC-014"],
      ["WrongKey"],
      "Another root key: the key check in LIVC differs.",
      other,
      openFails("H4_CIPHER_BAD_KEY"),
      { code: "H4_CIPHER_BAD_KEY" },
    ),
  );
  add(
    "n_epoch_key_other_container",
    base.bytes,
    expectation(
      "invalid",
      ["H4-LC-016"],
      ["WrongEpochKey", "OtherContainer"],
      "An epoch key whose container id is another container's.",
      otherContainer,
      openFails("H4_CIPHER_BAD_KEY"),
      { code: "H4_CIPHER_BAD_KEY" },
    ),
  );
  add(
    "n_epoch_key_relabelled",
    base.bytes,
    expectation(
      "invalid",
      ["H4-LC-014"],
      ["WrongEpochKey", "RelabelledEpoch"],
      "The key bytes of epoch 1 labelled as epoch 0: stepping from the wrong epoch misses the key check.",
      relabelled,
      openFails("H4_CIPHER_BAD_KEY"),
      { code: "H4_CIPHER_BAD_KEY" },
    ),
  );
  add(
    "n_epoch_key_past_end",
    base.bytes,
    expectation(
      "invalid",
      ["H4-LC-016"],
      ["WrongEpochKey", "EpochPastEnd"],
      "An epoch key for epoch 9 of a container whose closing epoch is 3.",
      pastEnd,
      openFails("H4_CIPHER_WRONG_EPOCH"),
      { code: "H4_CIPHER_WRONG_EPOCH" },
    ),
  );
  // Grants: an epoch key verifies and opens its epochs; earlier blocks stay sealed, which is not
  // an error of the file (H4-LC-016, H4-LC-017). Random access to a sealed block is refused.
  add(
    "v_epoch_key_1",
    base.bytes,
    expectation(
      "valid",
      ["H4-LC-016", "H4-LC-017", "H4-LC-019"],
      ["Valid", "EpochKey", "TimeBoundedAccess"],
      "A genuine epoch-1 key: full verification passes; blocks 4..9 open; blocks 0..3 (epoch 0) stay sealed (sha256 null) and a random-access read of one is refused.",
      epoch1,
      {
        open: "ok",
        blocks: [{ index: 0, expect: "H4_CIPHER_WRONG_EPOCH" }, {
          index: 3,
          expect: "H4_CIPHER_WRONG_EPOCH",
        }, ...allOk(10).slice(4)],
        verify_transcript: "ok",
      },
      undefined,
      canonicalResult(base, 4),
    ),
  );
  add(
    "v_epoch_key_closing",
    base.bytes,
    expectation(
      "valid",
      ["H4-LC-016", "H4-LC-017"],
      ["Valid", "EpochKey", "VerifierKey"],
      "The key of the closing epoch 3 opens no block but checks the seal and the transcript: every block stays sealed (sha256 null).",
      closing,
      {
        open: "ok",
        blocks: [{ index: 0, expect: "H4_CIPHER_WRONG_EPOCH" }, {
          index: 9,
          expect: "H4_CIPHER_WRONG_EPOCH",
        }],
        verify_transcript: "ok",
      },
      undefined,
      canonicalResult(base, 10),
    ),
  );
  // Tampering with a block a grant cannot open: the transcript catches it (the seal does not:
  // the change is in place, so the tables and the root are those the writer sealed).
  add(
    "n_epoch_key_sealed_block_swapped",
    swappedInPlace,
    expectation(
      "invalid",
      ["H4-LC-017", "H4-LC-019"],
      ["EpochKey", "SwappedBlocks", "SealedToKey"],
      "Stored bytes of blocks 1 and 4 swapped in place, read with the epoch-1 key: block 4 fails authentication (blocks first), block 1 is sealed to the key; the transcript differs too.",
      epoch1,
      {
        open: "ok",
        blocks: [{ index: 1, expect: "H4_CIPHER_WRONG_EPOCH" }, {
          index: 4,
          expect: "H4_CIPHER_AUTH_FAILED",
        }, { index: 5, expect: "ok" }],
        verify_transcript: "H4_CIPHER_AUTH_FAILED",
      },
      { code: "H4_CIPHER_AUTH_FAILED", also: rawAlsoGrant },
    ),
  );

  // LIVC header: one bit flipped in each field (the LIVC CRC and VERI recomputed: LIVC is outside the root).
  const s = 17; // suite name length
  const fields: [string, number, string, string][] = [
    ["version", 15, "H4_CIPHER_BAD_HEADER", "H4-LC-010"],
    ["suite_length", 16 + 7, "H4_CIPHER_BAD_HEADER", "H4-LC-010"],
    ["suite", 24 + 7, "H4_CIPHER_UNKNOWN_SUITE", "H4-LC-003"],
    ["container_id", (3 + s) * 8 + 7, "H4_CIPHER_BAD_KEY", "H4-LC-014"],
    ["epoch_blocks", (3 + s + 16 + 3) * 8 + 7, "H4_CIPHER_BAD_HEADER", "H4-LC-010"],
    ["block_count", (3 + s + 20 + 7) * 8 + 7, "H4_CIPHER_SEAL_MISMATCH", "H4-LC-011"],
    ["epoch_count", (3 + s + 28 + 7) * 8 + 7, "H4_CIPHER_BAD_HEADER", "H4-LC-010"],
    ["key_check", (3 + s + 36) * 8, "H4_CIPHER_BAD_KEY", "H4-LC-014"],
    ["transcript", (3 + s + 52) * 8, "H4_CIPHER_SEAL_MISMATCH", "H4-LC-015"],
    ["seal", (3 + s + 84 + 31) * 8 + 7, "H4_CIPHER_SEAL_MISMATCH", "H4-LC-015"],
  ];
  for (const [field, bit, code, rule] of fields) {
    const b = build({ livc: flipLivc(bit) });
    add(
      `n_livc_${field}_bitflip`,
      b.bytes,
      expectation(
        "invalid",
        [rule],
        ["ModifiedLivcHeader", `Modified_${field}`],
        `One bit of LIVC's ${field} flipped (bit ${bit} of the payload); chunk CRC and VERI recomputed.`,
        root,
        openFails(code),
        { code },
      ),
    );
  }
  add(
    "n_livc_truncated",
    build({ livc: (l) => l.subarray(0, l.length - 1) }).bytes,
    expectation(
      "invalid",
      ["H4-LC-010"],
      ["ModifiedLivcHeader", "TruncatedLivc"],
      "LIVC one byte short: the reader must check its exact length, not guess it.",
      root,
      openFails("H4_CIPHER_BAD_HEADER"),
      { code: "H4_CIPHER_BAD_HEADER" },
    ),
  );
  add(
    "n_livc_extended",
    build({ livc: (l) => new Uint8Array([...l, 0]) }).bytes,
    expectation(
      "invalid",
      ["H4-LC-010"],
      ["ModifiedLivcHeader", "ExtendedLivc"],
      "LIVC with one byte appended.",
      root,
      openFails("H4_CIPHER_BAD_HEADER"),
      { code: "H4_CIPHER_BAD_HEADER" },
    ),
  );
  add(
    "n_unknown_suite",
    build({ livc: (l) => renameSuite(l, "aes-256-gcm-siv") }).bytes,
    expectation(
      "invalid",
      ["H4-LC-003"],
      ["UnknownSuite"],
      "A well-formed LIVC naming suite aes-256-gcm-siv: refused with its own code, never a fallback.",
      root,
      openFails("H4_CIPHER_UNKNOWN_SUITE"),
      { code: "H4_CIPHER_UNKNOWN_SUITE" },
    ),
  );

  // Stored bytes changed in place: only the storage chunk's CRC is fixed. VERI and BHSH also break,
  // so a strict reader may name those; a random-access reader that skips BHSH gets the AEAD failure.
  const rawAlso = ["H4_VERI_MISMATCH", "H4_BLOCK_HASH_MISMATCH"];
  const rawBlocks = (
    i: number,
    code: string,
  ) => [{ index: i, expect: code }, { index: (i + 1) % 10, expect: "ok" }];
  add(
    "n_tag_bitflip",
    editStored([{ block: 5, stored: flipByte((n) => n - 1) }]),
    expectation(
      "invalid",
      ["H4-LC-007"],
      ["ModifiedTag"],
      "Last tag byte of block 5 flipped in place.",
      root,
      {
        open: "ok",
        blocks: rawBlocks(5, "H4_CIPHER_AUTH_FAILED"),
        verify_transcript: "H4_CIPHER_AUTH_FAILED",
      },
      { code: "H4_CIPHER_AUTH_FAILED", also: rawAlso },
    ),
  );
  add(
    "n_ciphertext_bitflip",
    editStored([{ block: 7, stored: flipByte(() => 0) }]),
    expectation(
      "invalid",
      ["H4-LC-007"],
      ["ModifiedCiphertext"],
      "First ciphertext byte of block 7 flipped in place.",
      root,
      {
        open: "ok",
        blocks: rawBlocks(7, "H4_CIPHER_AUTH_FAILED"),
        verify_transcript: "H4_CIPHER_AUTH_FAILED",
      },
      { code: "H4_CIPHER_AUTH_FAILED", also: rawAlso },
    ),
  );
  // Blocks 2 and 3 are not of one length; 1 and 4 (audio, 24 bytes) are.
  add(
    "n_blocks_swapped_in_place",
    swappedInPlace,
    expectation(
      "invalid",
      ["H4-LC-007"],
      ["SwappedBlocks"],
      "Stored bytes of blocks 1 and 4 (same track and length) swapped in place; the index is unchanged.",
      root,
      {
        open: "ok",
        blocks: [{ index: 1, expect: "H4_CIPHER_AUTH_FAILED" }, {
          index: 4,
          expect: "H4_CIPHER_AUTH_FAILED",
        }, { index: 0, expect: "ok" }],
        verify_transcript: "H4_CIPHER_AUTH_FAILED",
      },
      { code: "H4_CIPHER_AUTH_FAILED", also: rawAlso },
    ),
  );
  add(
    "n_block_from_other_container_in_place",
    editStored([{ block: 2, stored: () => elsewhere.stored[2] }]),
    expectation(
      "invalid",
      ["H4-LC-007"],
      ["MovedFromOtherContainer"],
      "Block 2 replaced in place by block 2 of another container sealed with the same key and the same blocks.",
      root,
      {
        open: "ok",
        blocks: rawBlocks(2, "H4_CIPHER_AUTH_FAILED"),
        verify_transcript: "H4_CIPHER_AUTH_FAILED",
      },
      { code: "H4_CIPHER_AUTH_FAILED", also: rawAlso },
    ),
  );

  addForgeries(ctx);
  return { vectors: vs, keys: Object.values(keys) };
}
