/**
 * Vectors of SPEC.md section 18 (signatures and trust). SIGN chunks are made here from the
 * section's text: the signed message is built from the crafted file's own LOCA and LIVC, and the
 * chunk goes between VERI and LOCA. Keys are fixed seeds, so the vectors are deterministic
 * (Ed25519 signatures are). Public key files are written beside the vectors for `--trust`.
 *
 * @module
 */
import { ed25519PublicKey, signEd25519 } from "../../lib/format/ed25519.ts";
import { sha256 } from "../../lib/hash/sha256.ts";
import { insertBeforeLoca } from "../../lib/format/testdata/forge.ts";
import { chunkBytes, type Craft } from "../builder/build.ts";
import { cat, hex, u16, utf8 } from "../builder/fields.ts";
import {
  audio,
  blk,
  build,
  type GeneratedVector,
  gop,
  interleave,
  invalid,
  valid,
  type VectorFn,
} from "./common.ts";

const LOCA = 172;

interface TestKey {
  name: string;
  seed: Uint8Array;
  pub: Uint8Array;
  id: string;
}

async function testKey(name: string): Promise<TestKey> {
  const seed = sha256(utf8(`H4MK conformance signing key ${name}`));
  const pub = await ed25519PublicKey(seed);
  const id = hex(sha256(cat(utf8("H4MK-KEYID-1"), pub)).subarray(0, 8));
  return { name, seed, pub, id };
}

const KEYS = (async () => ({ a: await testKey("A"), b: await testKey("B") }))();

/** Path of a key's public key file, as `read_args` name it. */
const pubPath = (k: TestKey) => `conformance/vectors/format/keys/sig_${k.name.toLowerCase()}.pub`;

/** The public key files every signature vector may need. */
async function keyFiles(): Promise<Record<string, string>> {
  const { a, b } = await KEYS;
  const line = (k: TestKey) => `h4mk-sign-public-1 ${k.id} ${k.pub.toBase64()}\n`;
  return { "keys/sig_a.pub": line(a), "keys/sig_b.pub": line(b) };
}

const chunk = (tag: string, payload: Uint8Array): Uint8Array => chunkBytes({ tag, payload });

/** The LIVC payload of a crafted file, or null. */
function livcOf(s: Craft): Uint8Array | null {
  const c = s.layout.find((x) => x.tag === "LIVC");
  return c ? s.bytes.slice(c.offset + 12, c.offset + c.length) : null;
}

/** A SIGN payload over `file` (a crafted file without signatures), per H4-SIG-002/003. */
async function signPayload(file: Uint8Array, livc: Uint8Array | null, k: TestKey) {
  const loca = file.subarray(file.length - LOCA + 12);
  const message = cat(
    utf8("H4MK-SIGN-1"),
    loca.subarray(0, 32),
    loca.subarray(128, 160),
    livc ? sha256(livc) : new Uint8Array(32),
  );
  const sig = await signEd25519(k.seed, message);
  return cat(u16(1), u16(1), k.pub, sig);
}

/** Signs a crafted file with keys, in order; returns the craft with its bytes replaced. */
async function signed(s: Craft, ...keys: TestKey[]): Promise<Craft> {
  const livc = livcOf(s);
  const chunks = [];
  for (const k of keys) chunks.push(chunk("SIGN", await signPayload(s.bytes, livc, k)));
  return { ...s, bytes: insertBeforeLoca(s.bytes, ...chunks) };
}

/** Another container: same tracks, other payload bytes (a consistent rewrite). */
function other(): Craft {
  return build({}, interleave(gop("video", 6, 0, 25), audio("audio", 4, 0, 50_000, 9)));
}

function trusting(v: GeneratedVector, args: string[]): GeneratedVector {
  v.exp.read_args = args;
  return v;
}

async function y_sig001_signed() {
  const { a } = await KEYS;
  return valid(
    ["H4-SIG-001", "H4-SIG-002", "H4-SIG-003", "H4-SIG-004"],
    `The small two-track file signed by test key A (${a.id}): one SIGN chunk between VERI and LOCA. A reader without trust reads it as the unsigned file; full verification checks the signature.`,
    await signed(build()),
    { extra: await keyFiles() },
  );
}

async function y_sig001_two_signers() {
  const { a, b } = await KEYS;
  return valid(
    ["H4-SIG-001", "H4-SIG-002", "H4-SIG-004"],
    `Signed by test keys A (${a.id}) and B (${b.id}): two SIGN chunks between VERI and LOCA.`,
    await signed(build(), a, b),
  );
}

async function y_sig005_trusted_key() {
  const { a } = await KEYS;
  return valid(
    ["H4-SIG-005"],
    `Signed by test key A and read with --trust A's public key: the reader trusts it and reads it.`,
    await signed(build(), a),
    { readArgs: ["--trust", pubPath(a)], extra: await keyFiles() },
  );
}

async function y_sig005_trusted_second_signer() {
  const { a, b } = await KEYS;
  return valid(
    ["H4-SIG-005"],
    `Signed by B then A, read with --trust A: any valid signature of a trusted key will do.`,
    await signed(build(), b, a),
    { readArgs: ["--trust", pubPath(a)] },
  );
}

function y_sig005_pinned_root() {
  const s = build();
  const root = hex(s.bytes.subarray(s.bytes.length - 32));
  return valid(
    ["H4-SIG-005"],
    `An unsigned file read with --root pinning its root digest: trusted without a signature.`,
    s,
    { readArgs: ["--root", root] },
  );
}

async function n_sig005_unsigned() {
  const { a } = await KEYS;
  return trusting(
    invalid(
      ["H4-SIG-005"],
      "H4_UNTRUSTED",
      `A consistent rewrite by a server: the same tracks re-packed with other payload bytes, every CRC, hash, VERI and the root correct, and no signature. Read with --trust A it is refused.`,
      other(),
    ),
    ["--trust", pubPath(a)],
  );
}

async function n_sig005_other_signer() {
  const { a, b } = await KEYS;
  return trusting(
    invalid(
      ["H4-SIG-005"],
      "H4_UNTRUSTED",
      `A consistent rewrite signed by key B, whose signature is valid; read with --trust A it is refused.`,
      await signed(other(), b),
    ),
    ["--trust", pubPath(a)],
  );
}

function n_sig005_other_root() {
  const pinned = build().bytes;
  return trusting(
    invalid(
      ["H4-SIG-005"],
      "H4_UNTRUSTED",
      `A consistent rewrite read with --root pinning the root of the original file.`,
      other(),
    ),
    ["--root", hex(pinned.subarray(pinned.length - 32))],
  );
}

async function n_sig004_moved() {
  const { a } = await KEYS;
  const from = await signed(build(), a);
  const sign = from.bytes.subarray(from.bytes.length - LOCA - 112, from.bytes.length - LOCA);
  return invalid(
    ["H4-SIG-004", "H4-SIG-003"],
    "H4_BAD_SIGNATURE",
    `Key A's SIGN chunk copied from another container into a consistent rewrite: the signature does not verify over this root.`,
    insertBeforeLoca(other().bytes, sign),
  );
}

async function n_sig004_moved_trusted() {
  const { a } = await KEYS;
  const from = await signed(build(), a);
  const sign = from.bytes.subarray(from.bytes.length - LOCA - 112, from.bytes.length - LOCA);
  return trusting(
    invalid(
      ["H4-SIG-005", "H4-SIG-004"],
      "H4_UNTRUSTED",
      `Key A's SIGN chunk moved into another container, read with --trust A: refused on open.`,
      insertBeforeLoca(other().bytes, sign),
      ["H4_BAD_SIGNATURE"],
    ),
    ["--trust", pubPath(a)],
  );
}

async function n_sig004_wrong_key() {
  const { a, b } = await KEYS;
  const s = build();
  const p = await signPayload(s.bytes, null, a);
  p.set(b.pub, 4); // A's signature, B's public key
  return invalid(
    ["H4-SIG-004"],
    "H4_BAD_SIGNATURE",
    `A SIGN chunk holding key A's signature under key B's public key: it does not verify.`,
    insertBeforeLoca(s.bytes, chunk("SIGN", p)),
  );
}

async function n_sig004_bit_flipped() {
  const { a } = await KEYS;
  const s = build();
  const p = await signPayload(s.bytes, null, a);
  p[36] ^= 1;
  return invalid(
    ["H4-SIG-004"],
    "H4_BAD_SIGNATURE",
    `Key A's signature with one bit of its R value flipped.`,
    insertBeforeLoca(s.bytes, chunk("SIGN", p)),
  );
}

async function n_sig002_truncated() {
  const { a } = await KEYS;
  const s = build();
  const p = (await signPayload(s.bytes, null, a)).subarray(0, 99);
  return invalid(
    ["H4-SIG-002"],
    "H4_BAD_SIGNATURE",
    `A SIGN chunk whose payload lost its last byte (99 bytes, CRC correct): the payload length must be 100.`,
    insertBeforeLoca(s.bytes, chunk("SIGN", p)),
  );
}

async function n_sig002_duplicated() {
  const { a } = await KEYS;
  const s = build();
  const c = chunk("SIGN", await signPayload(s.bytes, null, a));
  return invalid(
    ["H4-SIG-002"],
    "H4_BAD_SIGNATURE",
    `Key A's SIGN chunk twice: a key signs a container at most once.`,
    insertBeforeLoca(s.bytes, c, c),
  );
}

async function n_sig002_version_2() {
  const { a } = await KEYS;
  const s = build();
  const p = await signPayload(s.bytes, null, a);
  p[1] = 2;
  return invalid(
    ["H4-SIG-002"],
    "H4_BAD_SIGNATURE",
    `A SIGN chunk of version 2: this version of the format defines version 1 only.`,
    insertBeforeLoca(s.bytes, chunk("SIGN", p)),
  );
}

async function n_sig001_before_veri() {
  const { a } = await KEYS;
  const unsigned = build();
  const sign = chunk("SIGN", await signPayload(unsigned.bytes, null, a));
  // The same file with the SIGN chunk before VERI (VERI recomputed over it).
  const s = build({
    hooks: { chunks: (cs) => void cs.push({ tag: "SIGN", payload: sign.subarray(12) }) },
  });
  return invalid(
    ["H4-SIG-001"],
    "H4_BAD_SIGNATURE",
    `A valid SIGN chunk of key A placed before VERI (VERI covers it): signatures lie between VERI and LOCA only.`,
    s,
  );
}

async function y_sig003_one_block() {
  const { a } = await KEYS;
  return valid(
    ["H4-SIG-003"],
    `A one-block file signed by key A: the smallest signed container.`,
    await signed(build({}, [blk("video", 0, "I", 5)]), a),
  );
}

async function n_sig007_trusted_block_changed() {
  const { a } = await KEYS;
  // One byte of the first block changed after BHSH was computed; CRC and VERI follow the change.
  const s = build({
    hooks: {
      chunks: (cs) => {
        const segm = cs.find((c) => c.tag === "SEGM")!;
        segm.payload = segm.payload.slice();
        segm.payload[0] ^= 0x10;
      },
    },
  });
  const file = await signed(s, a);
  return trusting(
    invalid(
      ["H4-SIG-007", "H4-INT-003"],
      "H4_BLOCK_HASH_MISMATCH",
      `Signed by key A and read with --trust A, but one byte of the first block differs from what BHSH (and so the signed root) says, the SEGM's CRC fixed: a trusted reader checks every block it returns.`,
      file.bytes,
    ),
    ["--trust", pubPath(a)],
  );
}

async function n_sig006_trust_key_id_wrong() {
  const { a, b } = await KEYS;
  return {
    ...trusting(
      invalid(
        ["H4-SIG-006"],
        "H4_BAD_ARGUMENT",
        `A valid file signed by key A, read with --trust a public key file whose key id is B's and whose key is A's: a key file whose id is not that of its key is refused.`,
        (await signed(build(), a)).bytes,
      ),
      ["--trust", "conformance/vectors/format/keys/sig_bad_id.pub"],
    ),
    extra: { "keys/sig_bad_id.pub": `h4mk-sign-public-1 ${b.id} ${a.pub.toBase64()}\n` },
  };
}

async function n_sig006_trust_secret_key() {
  const { a } = await KEYS;
  return {
    ...trusting(
      invalid(
        ["H4-SIG-006"],
        "H4_BAD_ARGUMENT",
        `A valid file signed by key A, read with --trust A's secret key file (a test key): trust takes public key files only.`,
        (await signed(build(), a)).bytes,
      ),
      ["--trust", "conformance/vectors/format/keys/sig_a_secret.key"],
    ),
    extra: { "keys/sig_a_secret.key": `h4mk-sign-secret-1 ${a.id} ${a.seed.toBase64()}\n` },
  };
}

/** Vectors of this module. */
export const SIGNATURE_VECTORS: VectorFn[] = [
  y_sig001_signed,
  y_sig001_two_signers,
  y_sig003_one_block,
  y_sig005_trusted_key,
  y_sig005_trusted_second_signer,
  y_sig005_pinned_root,
  n_sig005_unsigned,
  n_sig005_other_signer,
  n_sig005_other_root,
  n_sig004_moved,
  n_sig004_moved_trusted,
  n_sig004_wrong_key,
  n_sig004_bit_flipped,
  n_sig002_truncated,
  n_sig002_duplicated,
  n_sig002_version_2,
  n_sig001_before_veri,
  n_sig006_trust_key_id_wrong,
  n_sig006_trust_secret_key,
  n_sig007_trusted_block_changed,
];
