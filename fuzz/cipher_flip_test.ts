/**
 * Single-bit flips over every part of encrypted containers (SPEC.md 12.13, issue 9): a key
 * holder's full verification must detect each one, and random-access decryption must never
 * return a payload other than the original.
 *
 * @module
 */
import assert from "node:assert/strict";
import { isH4Error } from "../lib/format/errors.ts";
import type { BlockInput, BlockOpener, Profile } from "../lib/format/types.ts";
import { packContainer, type WriterOptions } from "../lib/format/writer.ts";
import { encodeKeyFile, openCipher } from "../lib/living/mod.ts";
import { createVectorSealer } from "../lib/living/sealer.ts";
import { openContainer } from "../lib/seek/container.ts";
import { forge } from "../lib/format/testdata/forge.ts";
import { walkChunks } from "../lib/format/chunk.ts";
import { makeRng } from "./mutate.ts";
import { isStorageTag } from "../lib/format/chunk_types.ts";

const KEY = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);
const ROOT_KEY = { kind: "root" as const, key: KEY };
/**
 * Regions whose every bit is flipped (with the chunk headers, see rawFlips). Every other byte
 * (storage, BIDX, BHSH, TDIR, META, SAFE, VERI) gets one seeded bit.
 */
const EVERY_BIT = new Set(["header", "LIVC", "LOCA", "TRKS", "KSEK"]);
/** Regions flipped in forged files: what the seal covers (through the root) and LIVC itself. */
const FORGED = new Set([
  "CORE",
  "SEGM",
  "BIDX",
  "BHSH",
  "KSEK",
  "TDIR",
  "TRKS",
  "META",
  "SAFE",
  "LIVC",
]);

/** Three tracks, mixed kinds and codecs: enough for several segments, pages and epochs. */
function blocks(): BlockInput[] {
  const rng = makeRng(9);
  const out: BlockInput[] = [];
  for (let i = 0; i < 12; i++) {
    const track = ["video", "audio", "字幕"][i % 3];
    const key = track !== "video" || i % 6 === 0;
    out.push({
      track_id: track,
      pts_us: i * 21_333 - 40_000,
      kind: key ? "I" : i % 2 ? "P" : "B",
      keyframe: key,
      codec: (["none", "deflate", "rle", undefined] as const)[i % 4],
      payload: Uint8Array.from(
        { length: rng.int(40) },
        () => (rng.next() < 0.5 ? 3 : rng.int(256)),
      ),
    });
  }
  return out;
}

interface Sample {
  name: string;
  bytes: Uint8Array;
  payloads: Uint8Array[];
}

async function sample(profile: Profile, extra: WriterOptions = {}): Promise<Sample> {
  const input = blocks();
  const bytes = await packContainer(input, {
    profile,
    sealer: createVectorSealer(KEY, { epochBlocks: 3, containerId: new Uint8Array(16).fill(0xc1) }),
    meta: { title: "flip", n: [1, { a: "é" }] },
    safe: { policy: "transport_only" },
    blocksPerPage: 4,
    hashesPerPage: 2,
    segmentTarget: 120,
    ...extra,
  });
  return {
    name: `${profile}${extra.legacyTrak ? "+trak" : ""}`,
    bytes,
    payloads: input.map((b) => b.payload),
  };
}

/**
 * Runs one flipped file through a key holder's reader. Returns every code seen on the way and
 * the problems: an exception other than an H4Error, a block read returning other bytes than the
 * original payload, or full verification passing.
 */
async function judge(
  s: Sample,
  bytes: Uint8Array,
): Promise<{ codes: string[]; problems: string[] }> {
  const problems: string[] = [];
  const codes = new Set<string>();
  const typed = (step: string, e: unknown): void => {
    if (isH4Error(e)) codes.add(e.code);
    else problems.push(`${step} threw a non-H4 error: ${e}`);
  };
  let c;
  try {
    c = await openContainer(bytes);
  } catch (e) {
    typed("open", e);
    return { codes: [...codes], problems };
  }
  let opener: BlockOpener | undefined;
  try {
    opener = await openCipher(c, ROOT_KEY);
  } catch (e) {
    typed("openCipher", e);
  }
  // Random access: with the opener when it opened, else as a player that trusts `encrypted`.
  // Odd blocks are read with verification (BHSH first), even ones as a player reads them.
  for (let i = 0; i < c.blockCount; i++) {
    try {
      const got = await c.readBlock(i, { opener, verify: i % 2 === 1 });
      const want = s.payloads[i];
      if (!want || got.length !== want.length || !got.every((b, k) => b === want[k])) {
        problems.push(
          `readBlock(${i}) returned ${got.length} bytes that are not block ${i}'s payload` +
            ` (encrypted ${c.encrypted}, profile ${c.profile})`,
        );
      }
    } catch (e) {
      typed(`readBlock(${i})`, e);
    }
  }
  if (opener) {
    try {
      const report = await c.verify({ opener });
      if (report.ok) problems.push("full verification with the key passed");
      for (const k of report.checks) if (!k.ok) codes.add(k.code ?? k.rule);
    } catch (e) {
      typed("verify", e);
    }
  }
  return { codes: [...codes], problems };
}

interface Flip {
  at: number;
  bit: number;
  region: string;
}

/** The region of every byte: `header`, a chunk's tag, or `TAG-head` for its 12-byte header. */
function regions(bytes: Uint8Array): string[] {
  const region = new Array<string>(bytes.length).fill("header");
  for (const c of walkChunks(bytes)) {
    region.fill(`${c.tag}-head`, c.offset, c.offset + 12);
    region.fill(c.tag, c.offset + 12, c.offset + 12 + c.length);
  }
  return region;
}

/**
 * Every bit of the header, the small tables, the table chunks' headers and the first storage
 * chunk's header; one seeded bit of every other byte.
 */
function rawFlips(bytes: Uint8Array, seed: number): Flip[] {
  const rng = makeRng(seed);
  const out: Flip[] = [];
  regions(bytes).forEach((r, at) => {
    const storageHead = r === "CORE-head" || r === "SEGM-head";
    if (EVERY_BIT.has(r) || (r.endsWith("-head") && (!storageHead || at < 20))) {
      for (let bit = 0; bit < 8; bit++) out.push({ at, bit, region: r });
    } else out.push({ at, bit: rng.int(8), region: r });
  });
  return out;
}

/** One seeded bit of every byte the root, BHSH and the AEAD protect, for forged files. */
function forgedFlips(bytes: Uint8Array, seed: number): Flip[] {
  const rng = makeRng(seed);
  const out: Flip[] = [];
  regions(bytes).forEach((r, at) => {
    if (FORGED.has(r)) out.push({ at, bit: rng.int(8), region: r });
  });
  return out;
}

async function run(
  s: Sample,
  list: Flip[],
  repair: (b: Uint8Array) => Uint8Array,
  failures: string[],
): Promise<Record<string, number>> {
  const codes: Record<string, number> = {};
  for (const f of list) {
    const b = s.bytes.slice();
    b[f.at] ^= 1 << f.bit;
    const forged = repair(b);
    // Forging recomputes BHSH and TDIR's digests: a flip there is simply undone.
    if (forged.every((x, k) => x === s.bytes[k])) {
      codes.restored = (codes.restored ?? 0) + 1;
      continue;
    }
    const r = await judge(s, forged);
    for (const code of r.codes) codes[code] = (codes[code] ?? 0) + 1;
    // One line per flip: the first thing that went wrong.
    if (r.problems.length > 0 && failures.length < 40) {
      failures.push(`${s.name} byte ${f.at} (${f.region}) bit ${f.bit}: ${r.problems[0]}`);
    }
  }
  return codes;
}

const samples = async (): Promise<Sample[]> => [
  await sample("v2"),
  // The original reader's trak_b64: a v1 file that could pass for one of the original writer.
  await sample("v1", { legacyTrak: true }),
];

Deno.test("cipher flips: every single-bit flip is detected by a key holder, and no block read returns other bytes", async () => {
  const summary: Record<string, Record<string, number>> = {};
  const failures: string[] = [];
  for (const s of await samples()) {
    // The untouched file is valid and every block opens: the flips start from a good file.
    assert.deepEqual((await judge(s, s.bytes)).problems, ["full verification with the key passed"]);
    const list = rawFlips(s.bytes, s.bytes.length);
    const seen = new Set(list.map((f) => f.region));
    for (
      const t of ["header", "BIDX", "BHSH", "LIVC", "LOCA", "TRKS", "KSEK", "TDIR", "META", "SAFE"]
    ) {
      assert.ok(seen.has(t) && seen.has(`${t}-head`) || t === "header", `${s.name}: no ${t} flips`);
    }
    assert.ok(seen.has(s.name.startsWith("v1") ? "CORE" : "SEGM"));
    summary[`${s.name}: ${list.length} flips over ${s.bytes.length} bytes`] = await run(
      s,
      list,
      (b) => b,
      failures,
    );
  }
  assert.deepEqual(failures, [], `undetected or misread flips:\n${failures.join("\n")}`);
  const all = new Set(Object.values(summary).flatMap((c) => Object.keys(c)));
  for (
    const code of [
      "H4_CRC_MISMATCH",
      "H4_BAD_LOCATOR",
      "H4_VERI_MISMATCH",
      "H4_CIPHER_AUTH_FAILED",
      "H4_BLOCK_HASH_MISMATCH",
    ]
  ) assert.ok(all.has(code), `no flip ended in ${code}: ${JSON.stringify(summary)}`);
});

Deno.test("cipher flips: with CRCs, BHSH, TDIR, root and VERI forged, the seal and the AEAD still catch every flip", async () => {
  const summary: Record<string, Record<string, number>> = {};
  const failures: string[] = [];
  for (const s of await samples()) {
    assert.deepEqual(forge(s.bytes), s.bytes, "forging an untouched file changes nothing");
    const list = forgedFlips(s.bytes, s.bytes.length + 1);
    summary[`${s.name}: ${list.length} forged flips`] = await run(s, list, forge, failures);
  }
  assert.deepEqual(failures, [], `undetected or misread flips:\n${failures.join("\n")}`);
  const all = new Set(Object.values(summary).flatMap((c) => Object.keys(c)));
  for (const code of ["H4_CIPHER_SEAL_MISMATCH", "H4_CIPHER_BAD_KEY", "H4_CIPHER_BAD_HEADER"]) {
    assert.ok(all.has(code), `no forged flip ended in ${code}: ${JSON.stringify(summary)}`);
  }
});

Deno.test("cipher flips: `h4mk verify --key-file` exits 1 on flipped files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "h4mk-flip-" });
  try {
    const keyFile = `${dir}/root.key`;
    await Deno.writeTextFile(keyFile, encodeKeyFile(ROOT_KEY), { mode: 0o600 });
    const cli = new URL("../cli.ts", import.meta.url).pathname;
    const cases: { name: string; bytes: Uint8Array; exit: number }[] = [];
    for (const s of [await sample("v2"), await sample("v1", { legacyTrak: true })]) {
      const chunks = walkChunks(s.bytes);
      const at = (tag: string, k = 0) => chunks.find((c) => c.tag === tag)!.offset + 12 + k;
      const flip = (name: string, offset: number, bit = 0) => {
        const b = s.bytes.slice();
        b[offset] ^= 1 << bit;
        cases.push({ name: `${s.name}-${name}`, bytes: b, exit: 1 });
      };
      cases.push({ name: `${s.name}-clean`, bytes: s.bytes, exit: 0 });
      flip("ciphertext", 20 + 1);
      const store = chunks.filter((c) => isStorageTag(c.tag)).at(-1)!;
      flip("tag", store.offset + 12 + store.length - 1);
      flip("livc-seal", at("LIVC", 130));
      flip("meta", at("META", 3), 1);
      flip("loca-tag", s.bytes.length - 172 + 3);
    }
    const results = await Promise.all(cases.map(async (k) => {
      const file = `${dir}/${k.name}.h4mk`;
      await Deno.writeFile(file, k.bytes);
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", cli, "verify", file, "--key-file", keyFile],
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1" },
      }).output();
      const err = new TextDecoder().decode(out.stderr).trim();
      return { name: k.name, want: k.exit, got: out.code, err };
    }));
    for (const r of results) {
      assert.equal(r.got, r.want, `${r.name}: exit ${r.got}, stderr: ${r.err}`);
      if (r.want === 1) {
        assert.match(r.err.split("\n").at(-1)!, /^h4mk: error: H4_[A-Z_]+: /, r.name);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
