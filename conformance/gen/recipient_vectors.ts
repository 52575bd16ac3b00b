/**
 * Generates the recipient vectors in `conformance/vectors/recipients/` (SPEC.md section 12.16):
 * containers encrypted to X25519 recipients, read with an identity file (`read_args`:
 * `--identity PATH`), valid and invalid, with Wycheproof-style `flags`. Deterministic: fixed
 * root key, container ids, identities and ephemeral secrets. Run:
 *
 *     deno run -A conformance/gen/recipient_vectors.ts [OUT_DIR]
 *
 * @module
 */
import { sha256 } from "../../lib/hash/sha256.ts";
import {
  CID_A,
  CID_B,
  epochKey,
  expectation,
  fixed,
  type GeneratedVector,
  ORDER_8,
  pack,
  rcptAfterMeta,
  RECIPIENT_VECTOR_DIR,
  RECIPIENT_VECTOR_ROOT,
  type RecipientExpectation,
  stanza,
  VECTOR_IDENTITIES,
} from "./recipient_build.ts";
import { encodeIdentityFile } from "../../lib/living/identity.ts";
import { encodeRecipients } from "../../lib/living/recipients.ts";

export {
  RECIPIENT_VECTOR_DIR,
  RECIPIENT_VECTOR_ROOT,
  type RecipientExpectation,
  recipientVectorBlocks,
  VECTOR_IDENTITIES,
} from "./recipient_build.ts";

/** Every recipient vector, in a fixed order. */
export function generateRecipientVectors(): GeneratedVector[] {
  const out: GeneratedVector[] = [];
  const add = (name: string, bytes: Uint8Array, exp: RecipientExpectation) =>
    void out.push({ name, bytes, exp });
  const aliceA = stanza(CID_A, "alice", "alice A");
  const bobA = stanza(CID_A, "bob", "bob A");
  const two = pack(CID_A, encodeRecipients([aliceA, bobA]));
  // The container of `two` with another RCPT payload: the builder recomputes its CRC, VERI and
  // LOCA, as anyone can; the bytes up to the end of LIVC stay those of `two`.
  const withRcpt = (payload: Uint8Array) => pack(CID_A, payload);

  const both = ["H4-RCP-002", "H4-RCP-003", "H4-RCP-004", "H4-RCP-005"];
  add(
    "v_two_recipients_alice",
    two,
    expectation(
      "alice",
      both,
      ["Valid"],
      "Packed for Alice and Bob (E_0 wrapped for each); read with Alice's identity.",
    ),
  );
  add(
    "v_two_recipients_bob",
    two,
    expectation(
      "bob",
      both,
      ["Valid"],
      "Packed for Alice and Bob; read with Bob's identity (the second stanza).",
    ),
  );
  add(
    "v_hint",
    pack(
      CID_A,
      encodeRecipients([
        stanza(CID_A, "alice", "alice hint", undefined, true),
        stanza(CID_A, "bob", "bob hint", undefined, true),
      ]),
    ),
    expectation(
      "bob",
      ["H4-RCP-002", "H4-RCP-005"],
      ["Valid", "Hint"],
      "Stanzas with hints (recipient ids in clear): Bob skips Alice's stanza by its hint.",
    ),
  );
  add(
    "v_granted_after_packing",
    withRcpt(
      encodeRecipients([aliceA, bobA, stanza(CID_A, "carol", "carol grant 0", epochKey(CID_A, 0))]),
    ),
    expectation(
      "carol",
      ["H4-RCP-006"],
      ["Valid", "Grant"],
      "A third stanza (E_0 for Carol) added by rewriting the tail only: bytes up to the end of LIVC unchanged, META moved, new VERI and LOCA.",
    ),
  );
  const forgedBob = stanza(CID_A, "bob", "forged bob", {
    kind: "epoch",
    containerId: CID_A,
    epoch: 0,
    key: fixed("not the key"),
  });
  add(
    "v_forged_stanza_before_genuine",
    withRcpt(encodeRecipients([forgedBob, aliceA, bobA])),
    expectation(
      "bob",
      ["H4-RCP-005"],
      ["Valid", "ForgedStanza"],
      "A stanza anyone could make for Bob's public key, wrapping a wrong key, comes first: its key fails the key check and is skipped; Bob's genuine stanza opens.",
    ),
  );
  add(
    "n_wrong_identity",
    two,
    expectation(
      "carol",
      ["H4-RCP-005"],
      ["WrongIdentity"],
      "Carol is not a recipient: no stanza unwraps with her identity.",
      "H4_CIPHER_BAD_KEY",
    ),
  );
  add(
    "n_swapped_stanza_ephemeral",
    withRcpt(
      encodeRecipients([{ ...aliceA, ephemeral: bobA.ephemeral }, {
        ...bobA,
        ephemeral: aliceA.ephemeral,
      }]),
    ),
    expectation(
      "bob",
      ["H4-RCP-005"],
      ["SwappedStanza"],
      "The ephemeral shares of the two stanzas swapped: the wrap key depends on the share, so no tag verifies.",
      "H4_CIPHER_BAD_KEY",
    ),
  );
  add(
    "n_swapped_stanza_wrapped",
    withRcpt(
      encodeRecipients([{ ...aliceA, wrapped: bobA.wrapped }, {
        ...bobA,
        wrapped: aliceA.wrapped,
      }]),
    ),
    expectation(
      "bob",
      ["H4-RCP-005"],
      ["SwappedStanza"],
      "The wrapped keys of the two stanzas swapped: no tag verifies.",
      "H4_CIPHER_BAD_KEY",
    ),
  );
  add(
    "n_relabelled_stanza_epoch",
    withRcpt(encodeRecipients([aliceA, { ...bobA, epoch: 1 }])),
    expectation(
      "bob",
      ["H4-RCP-005"],
      ["RelabelledStanza"],
      "Bob's stanza's epoch field changed from 0 to 1: the header is the AEAD's associated data, so the tag fails.",
      "H4_CIPHER_BAD_KEY",
    ),
  );
  add(
    "n_stanza_from_other_container",
    withRcpt(encodeRecipients([aliceA, stanza(CID_B, "bob", "bob B")])),
    expectation(
      "bob",
      ["H4-RCP-005"],
      ["StanzaFromOtherContainer"],
      "Bob's stanza of another container (its E_0, wrapped under that container id) copied in: the container id is in the wrap key's HKDF salt, so the tag fails.",
      "H4_CIPHER_BAD_KEY",
    ),
  );
  add(
    "n_low_order_point_order_8",
    withRcpt(encodeRecipients([aliceA, { ...bobA, ephemeral: ORDER_8 }])),
    expectation(
      "bob",
      ["H4-RCP-005", "H4-RCP-004"],
      ["LowOrderPoint"],
      "Bob's stanza's ephemeral share replaced by a point of order 8: the shared secret is all zero, the stanza is skipped.",
      "H4_CIPHER_BAD_KEY",
    ),
  );
  add(
    "n_low_order_point_zero",
    withRcpt(encodeRecipients([aliceA, { ...bobA, ephemeral: new Uint8Array(32) }])),
    expectation(
      "bob",
      ["H4-RCP-005", "H4-RCP-004"],
      ["LowOrderPoint"],
      "Bob's stanza's ephemeral share is u = 0: the shared secret is all zero, the stanza is skipped.",
      "H4_CIPHER_BAD_KEY",
    ),
  );
  add(
    "n_forged_stanza_only",
    withRcpt(encodeRecipients([forgedBob])),
    expectation(
      "bob",
      ["H4-RCP-005"],
      ["ForgedStanza", "WrongKey"],
      "The only stanza for Bob wraps a wrong key (anyone can encrypt to a public key): it unwraps, fails the key check, and no other stanza opens.",
      "H4_CIPHER_BAD_KEY",
    ),
  );
  const good = encodeRecipients([aliceA, bobA]);
  add(
    "n_truncated_stanza",
    withRcpt(good.subarray(0, good.length - 1)),
    expectation(
      "bob",
      ["H4-RCP-002"],
      ["TruncatedStanza"],
      "RCPT cut by one byte (CRC, VERI and LOCA recomputed): the last stanza is incomplete.",
      "H4_CIPHER_BAD_HEADER",
    ),
  );
  const extra = new Uint8Array(good.length + 1);
  extra.set(good);
  add(
    "n_rcpt_trailing_byte",
    withRcpt(extra),
    expectation(
      "bob",
      ["H4-RCP-002"],
      ["ModifiedRcpt"],
      "One byte after the last stanza.",
      "H4_CIPHER_BAD_HEADER",
    ),
  );
  const badVersion = good.slice();
  badVersion[1] = 2;
  add(
    "n_rcpt_version",
    withRcpt(badVersion),
    expectation("bob", ["H4-RCP-002"], ["ModifiedRcpt"], "rcpt_version 2.", "H4_CIPHER_BAD_HEADER"),
  );
  const badFlag = good.slice();
  badFlag[5] = 0x80;
  add(
    "n_rcpt_unknown_flag",
    withRcpt(badFlag),
    expectation(
      "bob",
      ["H4-RCP-002"],
      ["ModifiedRcpt"],
      "An unknown flag bit in the first stanza.",
      "H4_CIPHER_BAD_HEADER",
    ),
  );
  const rootEpoch = good.slice();
  rootEpoch[4] = 0; // role root, epoch field (0) made 1 below
  rootEpoch[9] = 1;
  add(
    "n_rcpt_root_with_epoch",
    withRcpt(rootEpoch),
    expectation(
      "bob",
      ["H4-RCP-002"],
      ["ModifiedRcpt"],
      "A stanza of role root (0) with epoch 1.",
      "H4_CIPHER_BAD_HEADER",
    ),
  );
  const noStanza = new Uint8Array([0, 1, 0, 0]);
  add(
    "n_rcpt_no_stanza",
    withRcpt(noStanza),
    expectation("bob", ["H4-RCP-002"], ["ModifiedRcpt"], "stanza_count 0.", "H4_CIPHER_BAD_HEADER"),
  );
  const huge = new Uint8Array(4 + 256 * 94 + 1);
  huge[1] = 1;
  huge[2] = 1; // 256 stanzas
  add(
    "n_rcpt_oversized",
    withRcpt(huge),
    expectation(
      "bob",
      ["H4-RCP-002"],
      ["OversizedRcpt"],
      "An RCPT longer than 256 stanzas with hints can be: refused before it is read.",
      "H4_CIPHER_BAD_HEADER",
    ),
  );
  add(
    "n_rcpt_after_meta",
    pack(CID_A, encodeRecipients([aliceA, bobA]), { chunks: rcptAfterMeta }),
    expectation(
      "bob",
      ["H4-RCP-003"],
      ["MisplacedRcpt"],
      "Bob's genuine RCPT placed after META instead of right after LIVC: a reader does not look for it there.",
      "H4_CIPHER_BAD_KEY",
    ),
  );
  add(
    "n_no_rcpt",
    pack(CID_A, null),
    expectation(
      "bob",
      ["H4-RCP-003", "H4-RCP-005"],
      ["NoRecipients"],
      "The same container without RCPT: it opens with a key file only.",
      "H4_CIPHER_BAD_KEY",
    ),
  );
  return out;
}

/** One case of `identity_files.json`: a file's text and what a strict parser says. */
export interface IdentityFileCase {
  /** Case name. */
  name: string;
  /** Which grammar: identity file or recipient file. */
  kind: "identity" | "recipient";
  /** The file's text. */
  text: string;
  /** null: it parses; otherwise the error code. */
  expect_error: string | null;
}

/** The identity and recipient file cases (H4-RCP-001). */
export function identityFileCases(): IdentityFileCase[] {
  const id = encodeIdentityFile(VECTOR_IDENTITIES.alice);
  const pub =
    `h4mk-recipient-1 ${VECTOR_IDENTITIES.alice.recipient.publicKey.toBase64()} ${VECTOR_IDENTITIES.alice.recipient.id}\n`;
  const bad = "H4_CIPHER_BAD_KEY";
  const c = (name: string, kind: "identity" | "recipient", text: string, err: string | null) => ({
    name,
    kind,
    text,
    expect_error: err,
  });
  return [
    c("identity", "identity", id, null),
    c("identity_without_final_lf", "identity", id.trimEnd(), null),
    c("identity_crlf", "identity", id.replace("\n", "\r\n"), bad),
    c("identity_blank_line_after", "identity", id + "\n", bad),
    c("identity_two_spaces", "identity", id.replace(" ", "  "), bad),
    c("identity_tab", "identity", id.replace(" ", "\t"), bad),
    c("identity_unpadded_base64", "identity", id.replace("=", ""), bad),
    c("identity_extra_field", "identity", id.trimEnd() + " x\n", bad),
    c("identity_as_recipient", "recipient", id, bad),
    c("recipient", "recipient", pub, null),
    c(
      "recipient_id_of_another_key",
      "recipient",
      pub.replace(/[0-9a-f]{16}\n$/, "0".repeat(16) + "\n"),
      bad,
    ),
    c(
      "recipient_id_uppercase",
      "recipient",
      pub.replace(/[0-9a-f]{16}\n$/, VECTOR_IDENTITIES.alice.recipient.id.toUpperCase() + "\n"),
      bad,
    ),
    c("recipient_without_id", "recipient", pub.replace(/ [0-9a-f]{16}\n$/, "\n"), bad),
    c("recipient_as_identity", "identity", pub, bad),
  ];
}

const README = `# Recipient vectors

Generated by \`conformance/gen/recipient_vectors.ts\` (\`deno task vectors\`); do not edit.
SPEC.md section 12.16. Each \`.h4mk\` is read with the identity file named in \`read_args\`
(\`--identity conformance/vectors/recipients/identities/NAME.id\`): the reader finds RCPT right
after LIVC, unwraps a stanza with the identity, checks the key (key check, seal), runs full
verification and decrypts every block. \`flags\` name the attack, Wycheproof style.
Identities: \`identities/alice.id\`, \`bob.id\`, \`carol.id\` (secret test keys) and their
\`.id.pub\` recipient files. The root key of every container is in \`root.key\`.
`;

async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  if (typeof data === "string") await Deno.writeTextFile(tmp, data);
  else await Deno.writeFile(tmp, data);
  await Deno.rename(tmp, path);
}

const json = (v: unknown): string => JSON.stringify(v, null, 2) + "\n";

/** Writes every vector, identity file and the manifest under `dir`; returns the file names. */
export async function writeRecipientVectors(dir: string = RECIPIENT_VECTOR_DIR): Promise<string[]> {
  const vectors = generateRecipientVectors();
  await Deno.mkdir(`${dir}/identities`, { recursive: true });
  const written: string[] = [];
  for (const [name, id] of Object.entries(VECTOR_IDENTITIES)) {
    await writeAtomic(`${dir}/identities/${name}.id`, encodeIdentityFile(id));
    await writeAtomic(
      `${dir}/identities/${name}.id.pub`,
      `h4mk-recipient-1 ${id.recipient.publicKey.toBase64()} ${id.recipient.id}\n`,
    );
    written.push(`identities/${name}.id`, `identities/${name}.id.pub`);
  }
  await writeAtomic(`${dir}/root.key`, `h4mk-key-1 ${RECIPIENT_VECTOR_ROOT.toBase64()}\n`);
  written.push("root.key");
  for (const v of vectors) {
    v.exp.file_sha256 = sha256(v.bytes).toHex();
    await writeAtomic(`${dir}/${v.name}.h4mk`, v.bytes);
    await writeAtomic(`${dir}/${v.name}.json`, json(v.exp));
    written.push(`${v.name}.h4mk`, `${v.name}.json`);
  }
  await writeAtomic(
    `${dir}/identity_files.json`,
    json({
      description:
        "Identity and recipient files (SPEC.md 12.16, H4-RCP-001): a strict parser accepts the cases with expect_error null and refuses the others with that code.",
      rules: ["H4-RCP-001"],
      cases: identityFileCases(),
    }),
  );
  written.push("identity_files.json");
  await writeAtomic(`${dir}/README.md`, README);
  await writeAtomic(
    `${dir}/manifest.json`,
    json({
      description:
        "Recipient vectors (SPEC.md section 12.16). Generated by conformance/gen/recipient_vectors.ts; do not edit.",
      vectors: vectors.map((v) => ({
        name: v.name,
        class: v.exp.class,
        flags: v.exp.flags,
        expect_error: v.exp.expect_error ?? null,
      })),
    }),
  );
  written.push("README.md", "manifest.json");
  return written;
}

if (import.meta.main) {
  const dir = Deno.args[0] ?? RECIPIENT_VECTOR_DIR;
  const files = await writeRecipientVectors(dir);
  console.log(`wrote ${files.length} files to ${dir}`);
}
