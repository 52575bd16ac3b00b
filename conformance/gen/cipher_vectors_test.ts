import assert from "node:assert/strict";
import { H4_ERROR_CODES } from "../../lib/format/errors.ts";
import { assertGeneratedUpToDate } from "../testdata/up_to_date.ts";
import { sha256 } from "../../lib/hash/sha256.ts";
import { packContainer } from "../../lib/format/writer.ts";
import { openContainer } from "../../lib/seek/container.ts";
import {
  type CipherExpectation,
  generateVectors,
  keyFileVectors,
  knownAnswers,
  VECTOR_KEY,
  vectorBlocks,
  writeVectors,
} from "./cipher_vectors.ts";
import { parseKeyFile } from "../../lib/living/keys.ts";
import { openCipher } from "../../lib/living/opener.ts";
import { createSealer, createVectorSealer } from "../../lib/living/sealer.ts";
import { checkCipherVector, checkKeyFileVectors } from "../../lib/living/vector_check.ts";

const COMMITTED = new URL("../vectors/cipher/", import.meta.url);
const PAYLOADS = vectorBlocks().map((b) => sha256(b.payload).toHex());

Deno.test("vectors: every vector behaves as its expectation says", async () => {
  const { vectors } = await generateVectors();
  assert.ok(vectors.length >= 40);
  const problems: string[] = [];
  for (const v of vectors) {
    for (const p of await checkCipherVector(v.bytes, v.exp, PAYLOADS)) {
      problems.push(`${v.name}: ${p}`);
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test("vectors: expectations are well formed and every invalid one names its attack", async () => {
  const { vectors } = await generateVectors();
  const names = new Set<string>();
  for (const { name, exp } of vectors) {
    assert.ok(!names.has(name), name);
    names.add(name);
    assert.ok(exp.rules.length > 0 && exp.rules.every((r) => /^H4-[A-Z]+-[0-9]+$/.test(r)), name);
    assert.ok(exp.flags.length > 0, name);
    assert.ok(exp.description.length >= 10, name);
    if (exp.class === "invalid") assert.ok(exp.expect_error && exp.error_class, name);
    else assert.ok(exp.result && !exp.expect_error, name);
    assert.deepEqual(parseKeyFile(exp.key), parseKeyFile(exp.key)); // parses
  }
  // The attacks the issue lists are all there.
  const flags = new Set(vectors.flatMap((v) => v.exp.flags));
  for (
    const f of [
      "ModifiedLivcHeader",
      "ModifiedTag",
      "ModifiedCiphertext",
      "RelabelledPts",
      "SwappedBlocks",
      "DroppedBlock",
      "DuplicatedBlock",
      "MovedFromOtherContainer",
      "TruncatedStream",
      "TruncatedFile",
      "WrongKey",
      "WrongEpochKey",
      "UnknownSuite",
      "ModifiedMeta",
      "ModifiedSafe",
      "AdMismatch",
      "ModifiedTranscript",
      "EpochKey",
      "SealedToKey",
      "InsertedChunk",
      "OutsideSeal",
    ]
  ) assert.ok(flags.has(f), f);
  // Every cipher error code is expected by some vector.
  const codes = new Set(vectors.map((v) => v.exp.expect_error));
  const cipherCodes = H4_ERROR_CODES.filter((c) => c.startsWith("H4_CIPHER_"));
  assert.ok(cipherCodes.length >= 8, `${cipherCodes.length} cipher codes`);
  for (const c of cipherCodes) assert.ok(codes.has(c), c);
});

Deno.test("vectors: key files: the strict grammar and the roles (a grant never seals)", () => {
  const tests = keyFileVectors();
  assert.deepEqual(checkKeyFileVectors(tests), []);
  assert.ok(
    tests.some((t) => t.flags.includes("GrantAsSealingKey") && t.seal === "H4_CIPHER_BAD_KEY"),
  );
  for (const f of ["Crlf", "Tab", "DoubleSpace", "TrailingBlankLine", "NoFinalNewline"]) {
    assert.ok(tests.some((t) => t.flags.includes(f)), f);
  }
  assert.deepEqual(tests.map((t) => t.tc_id), tests.map((_, i) => i + 1));
});

Deno.test("vectors: generation is deterministic and the committed files are up to date", async () => {
  await assertGeneratedUpToDate(writeVectors, COMMITTED, "deno task vectors");
});

Deno.test("vectors: the known answers agree with the implementation", async () => {
  const kat = knownAnswers() as {
    root_key: string;
    container_id: string;
    epoch_blocks: number;
    blocks: {
      context: Parameters<ReturnType<typeof createSealer>["seal"]>[0];
      plaintext: string;
      stored: string;
    }[];
    transcript: string;
    livc: string;
    root_digest: string;
  };
  assert.equal(kat.root_key, VECTOR_KEY.toHex());
  // The native suite gives the same bytes as the portable one the generator used.
  const sealer = createVectorSealer(Uint8Array.fromHex(kat.root_key), {
    containerId: Uint8Array.fromHex(kat.container_id),
    epochBlocks: kat.epoch_blocks,
    backend: "native",
  });
  for (const b of kat.blocks) {
    assert.equal(sealer.seal(b.context, Uint8Array.fromHex(b.plaintext)).toHex(), b.stored);
  }
  const livc = sealer.finish(Uint8Array.fromHex(kat.root_digest));
  assert.equal(livc.toHex(), kat.livc);
  assert.equal(livc.subarray(72, 104).toHex(), kat.transcript);
  // A container of these blocks opens with the key file of the vectors.
  const root = Uint8Array.fromHex(kat.root_digest);
  const stored = kat.blocks.map((b) => Uint8Array.fromHex(b.stored));
  const o = await openCipher({
    livc,
    root,
    blockCount: stored.length,
    entry: (i) =>
      Promise.resolve({
        ...kat.blocks[i].context,
        offset: 0,
        stored_length: stored[i].length,
        chunk: 0,
      }),
    readStored: (i) => Promise.resolve(stored[i]),
  }, parseKeyFile(`h4mk-key-1 ${Uint8Array.fromHex(kat.root_key).toBase64()}`));
  for (const [i, b] of kat.blocks.entries()) {
    assert.equal(o.open(b.context, stored[i]).toHex(), b.plaintext);
  }
  assert.ok((await o.verifyTranscript()).every((c) => c.ok));
});

Deno.test("vectors: the committed vector files, when present, pass too", async () => {
  let manifest: { vectors: { name: string }[] };
  try {
    manifest = JSON.parse(await Deno.readTextFile(new URL("manifest.json", COMMITTED)));
  } catch {
    return; // not generated yet
  }
  for (const { name } of manifest.vectors) {
    const bytes = await Deno.readFile(new URL(`${name}.h4mk`, COMMITTED));
    const exp = JSON.parse(
      await Deno.readTextFile(new URL(`${name}.json`, COMMITTED)),
    ) as CipherExpectation;
    assert.equal(sha256(bytes).toHex(), exp.file_sha256, name);
    assert.deepEqual(await checkCipherVector(bytes, exp, PAYLOADS), [], name);
  }
});

Deno.test("vectors: an encrypted container's metadata reads without a key", async () => {
  const bytes = await packContainer(vectorBlocks(), {
    sealer: createSealer(VECTOR_KEY),
    meta: { t: 1 },
  });
  const c = await openContainer(bytes);
  assert.equal(c.encrypted, true);
  assert.deepEqual(c.tracks.map((t) => t.track_id), ["audio", "video"]);
  assert.equal(c.seek("video", 170_000).core_index, 7);
  assert.equal(c.meta.t, 1);
  assert.ok(!JSON.stringify(c.meta).includes(VECTOR_KEY.toHex().slice(0, 8)));
});
