import assert from "node:assert/strict";
import { assertGeneratedUpToDate, listFiles } from "../testdata/up_to_date.ts";
import { isH4Error } from "../../lib/format/errors.ts";
import { sha256 } from "../../lib/hash/sha256.ts";
import { openContainer } from "../../lib/seek/container.ts";
import {
  generateRecipientVectors,
  identityFileCases,
  RECIPIENT_VECTOR_ROOT,
  type RecipientExpectation,
  VECTOR_IDENTITIES,
  writeRecipientVectors,
} from "./recipient_vectors.ts";
import { parseIdentityFile, parseRecipientFile } from "../../lib/living/identity.ts";
import { openWithIdentity } from "../../lib/living/recipients_open.ts";

const COMMITTED = new URL("../vectors/recipients/", import.meta.url);

/** The strict read: open with the identity, verify fully, decrypt every block. */
async function strictRead(
  bytes: Uint8Array,
  exp: RecipientExpectation,
): Promise<string[] | string> {
  try {
    const who = exp.read_args[1].replace(/^.*\/(\w+)\.id$/, "$1") as keyof typeof VECTOR_IDENTITIES;
    const c = await openContainer(bytes);
    const { opener } = await openWithIdentity(c, VECTOR_IDENTITIES[who]);
    const report = await c.verify({ opener });
    const bad = report.checks.find((x) => !x.ok);
    if (bad) return bad.code ?? "H4_IO";
    const t = (await opener.verifyTranscript()).find((x) => !x.ok);
    if (t) return t.code ?? "H4_IO";
    const out: string[] = [];
    for (let i = 0; i < c.blockCount; i++) {
      out.push(sha256(await c.readBlock(i, { opener })).toHex());
    }
    return out;
  } catch (e) {
    if (isH4Error(e)) return e.code;
    throw e;
  }
}

Deno.test("recipient vectors: every vector behaves as its expectation says", async () => {
  const vectors = await generateRecipientVectors();
  assert.ok(vectors.length >= 20);
  const problems: string[] = [];
  for (const { name, bytes, exp } of vectors) {
    const got = await strictRead(bytes, exp);
    if (exp.class === "valid") {
      const want = (exp.result as { blocks: { sha256: string }[] }).blocks.map((b) => b.sha256);
      if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${name}: got ${got}`);
    } else if (got !== exp.expect_error) {
      problems.push(
        `${name}: expected ${exp.expect_error}, got ${typeof got === "string" ? got : "ok"}`,
      );
    }
  }
  assert.deepEqual(problems, []);
  const flags = new Set(vectors.flatMap((v) => v.exp.flags));
  for (
    const f of [
      "WrongIdentity",
      "SwappedStanza",
      "StanzaFromOtherContainer",
      "TruncatedStanza",
      "LowOrderPoint",
    ]
  ) assert.ok(flags.has(f), f);
});

Deno.test("recipient vectors: generation is deterministic and the committed files are up to date", async () => {
  await assertGeneratedUpToDate(writeRecipientVectors, COMMITTED, "deno task vectors");
});

Deno.test("recipient vectors: the identity files parse, and no secret byte is in any container", async () => {
  const secrets = [RECIPIENT_VECTOR_ROOT];
  for (const [name, id] of Object.entries(VECTOR_IDENTITIES)) {
    const text = await Deno.readTextFile(new URL(`identities/${name}.id`, COMMITTED));
    assert.deepEqual(parseIdentityFile(text).secretKey, id.secretKey);
    const pub = await Deno.readTextFile(new URL(`identities/${name}.id.pub`, COMMITTED));
    assert.deepEqual(parseRecipientFile(pub), id.recipient);
    secrets.push(id.secretKey);
  }
  for (const f of await listFiles(COMMITTED.pathname)) {
    if (!f.endsWith(".h4mk")) continue;
    const hex = (await Deno.readFile(new URL(f, COMMITTED))).toHex();
    for (const s of secrets) {
      assert.ok(!hex.includes(s.subarray(0, 12).toHex()), `${f} holds a secret`);
    }
  }
});

Deno.test("H4-RCP-001: the identity file cases parse or fail as identity_files.json says", () => {
  for (const c of identityFileCases()) {
    let got: string | null = null;
    try {
      (c.kind === "identity" ? parseIdentityFile : parseRecipientFile)(c.text);
    } catch (e) {
      if (!isH4Error(e)) throw e;
      got = e.code;
    }
    assert.equal(got, c.expect_error, c.name);
  }
});
