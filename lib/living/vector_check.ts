/**
 * Checks this implementation against one LivingCipher vector (SPEC.md section 12.15): the strict
 * read of the conformance suite (open, full verification with the transcript, decrypt every
 * block) and the vector's random-access expectations. Used by the tests of the cipher vector generator
 * (conformance/gen/cipher_vectors.ts), which writes files of the shapes declared here.
 *
 * @module
 */
import { isH4Error } from "../format/errors.ts";
import { sha256 } from "../hash/sha256.ts";
import { type Container, openContainer } from "../seek/container.ts";
import { createSealer } from "./sealer.ts";
import { parseKeyFile } from "./keys.ts";
import { type LivingOpener, openCipher } from "./opener.ts";

/** What a random-access reader sees: outcome of opening, of block reads, of full transcript verification. */
export interface RandomAccessExpectation {
  /** `ok` or the code of openContainer + openCipher. */
  open: string;
  /** Single block reads (`readBlock(i, { opener })`, no BHSH check): `ok` or a code. */
  blocks?: { index: number; expect: string }[];
  /** `opener.verifyTranscript()`: `ok` or the code of its first failing check. */
  verify_transcript?: string;
}

/** The expectation file of a cipher vector: the conformance schema plus cipher fields. */
export interface CipherExpectation {
  /** Vector class. */
  class: "valid" | "invalid";
  /** SPEC.md rule ids. */
  rules: string[];
  /** Why the vector exists. */
  description: string;
  /** Names of the attack (Wycheproof style). */
  flags: string[];
  /** Strict read: the error code. */
  expect_error?: string;
  /** Its class (always `cipher` here, or `structure` for a cut file). */
  error_class?: string;
  /** Other codes a strict reader may give instead (it may find the damage by an unkeyed check first). */
  also_accept?: string[];
  /** Valid vectors: the canonical read result. */
  result?: unknown;
  /** Arguments after FILE for the conformance adapter's `read`. */
  read_args: string[];
  /** The key file's text. */
  key: string;
  /** Random-access expectations. */
  random_access: RandomAccessExpectation;
  /** SHA-256 of the `.h4mk` file, hex. */
  file_sha256?: string;
}

/** One key-file vector: a key file's text and what a reader and a writer must do with it. */
export interface KeyFileVector {
  /** Test case id, from 1. */
  tc_id: number;
  /** Wycheproof-style names of the case. */
  flags: string[];
  /** SPEC.md rule ids. */
  rules: string[];
  /** Why the case exists. */
  description: string;
  /** The key file's exact text (a JSON string: CR, tab and LF are visible). */
  text: string;
  /** Parsing (H4-LC-002): `ok` or the error code. */
  parse: string;
  /** The parsed key's role, when it parses. */
  role?: "root" | "epoch";
  /** Sealing a new container with it (H4-LC-020): `ok` or the error code. */
  seal: string;
}

/** `ok` or the H4 error code of what `f` threw (anything else is rethrown). */
async function outcome<T>(f: () => Promise<T>): Promise<{ code: string; value?: T }> {
  try {
    return { code: "ok", value: await f() };
  } catch (e) {
    if (isH4Error(e)) return { code: e.code };
    throw e;
  }
}

async function open(
  bytes: Uint8Array,
  keyText: string,
): Promise<{ c: Container; opener: LivingOpener }> {
  const c = await openContainer(bytes);
  return { c, opener: await openCipher(c, parseKeyFile(keyText)) };
}

/**
 * The strict read: `ok` with the blocks' SHA-256 (hex; null for a block sealed to an epoch key),
 * or the first error code. The first error follows SPEC.md 12.10's order: opening, the unkeyed
 * checks, bytes outside the seal, every block the key opens, then the transcript.
 */
export async function strictRead(
  bytes: Uint8Array,
  keyText: string,
): Promise<{ code: string; digests?: (string | null)[] }> {
  const r = await outcome(async () => {
    const { c, opener } = await open(bytes, keyText);
    const report = await c.verify({ opener });
    const bad = report.checks.find((x) => !x.ok);
    if (bad) return { code: bad.code ?? "H4_IO" };
    const t = (await opener.verifyTranscript()).find((x) => !x.ok);
    if (t) return { code: t.code ?? "H4_IO" };
    // Blocks before an epoch key's epoch stay sealed: no payload (null), not an error.
    const digests: (string | null)[] = [];
    for (let i = 0; i < c.blockCount; i++) {
      digests.push(
        i < opener.firstOpenBlock ? null : sha256(await c.readBlock(i, { opener })).toHex(),
      );
    }
    return { code: "ok", digests };
  });
  return r.code === "ok" ? r.value! : r;
}

/**
 * Problems of this implementation on a vector, as messages; empty when it behaves as expected.
 * `payloads` are the SHA-256 (hex) of the blocks a random-access read must return.
 */
export async function checkCipherVector(
  bytes: Uint8Array,
  exp: CipherExpectation,
  payloads: readonly string[],
): Promise<string[]> {
  const problems: string[] = [];
  const strict = await strictRead(bytes, exp.key);
  if (exp.class === "valid") {
    if (strict.code !== "ok") problems.push(`strict read: expected acceptance, got ${strict.code}`);
    else {
      const want = (exp.result as { blocks: { sha256: string | null }[] }).blocks.map((b) =>
        b.sha256
      );
      if (JSON.stringify(strict.digests) !== JSON.stringify(want)) {
        problems.push("strict read: payloads differ");
      }
    }
  } else if (strict.code !== exp.expect_error && !(exp.also_accept ?? []).includes(strict.code)) {
    problems.push(`strict read: expected ${exp.expect_error}, got ${strict.code}`);
  }

  const ra = exp.random_access;
  const opened = await outcome(() => open(bytes, exp.key));
  if (opened.code !== ra.open) {
    problems.push(`random access: open expected ${ra.open}, got ${opened.code}`);
    return problems;
  }
  if (!opened.value) return problems;
  const { c, opener } = opened.value;
  for (const b of ra.blocks ?? []) {
    const r = await outcome(() => c.readBlock(b.index, { opener }));
    if (r.code !== b.expect) {
      problems.push(`random access: block ${b.index} expected ${b.expect}, got ${r.code}`);
    } else if (r.value && sha256(r.value).toHex() !== payloads[b.index]) {
      problems.push(`random access: block ${b.index} payload differs`);
    }
  }
  if (ra.verify_transcript !== undefined) {
    const bad = (await opener.verifyTranscript()).find((x) => !x.ok);
    const got = bad ? bad.code ?? "H4_IO" : "ok";
    if (got !== ra.verify_transcript) {
      problems.push(`verifyTranscript: expected ${ra.verify_transcript}, got ${got}`);
    }
  }
  return problems;
}

/**
 * Problems of this implementation on the key-file vectors (`key_files.json`), as messages:
 * parsing (H4-LC-002), the parsed role, and whether it may seal (H4-LC-020).
 */
export function checkKeyFileVectors(tests: readonly KeyFileVector[]): string[] {
  const problems: string[] = [];
  for (const t of tests) {
    const parsed = (() => {
      try {
        return { code: "ok", key: parseKeyFile(t.text) };
      } catch (e) {
        if (isH4Error(e)) return { code: e.code };
        throw e;
      }
    })();
    if (parsed.code !== t.parse) {
      problems.push(`key file ${t.tc_id}: parse expected ${t.parse}, got ${parsed.code}`);
      continue;
    }
    if (!parsed.key) continue;
    if (parsed.key.kind !== t.role) {
      problems.push(`key file ${t.tc_id}: role expected ${t.role}, got ${parsed.key.kind}`);
    }
    let seal = "ok";
    try {
      createSealer(parsed.key).finish(new Uint8Array(32));
    } catch (e) {
      if (!isH4Error(e)) throw e;
      seal = e.code;
    }
    if (seal !== t.seal) problems.push(`key file ${t.tc_id}: seal expected ${t.seal}, got ${seal}`);
  }
  return problems;
}
