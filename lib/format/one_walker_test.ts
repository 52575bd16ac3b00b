/**
 * Issue 17's "one walker, one table": fails when a source file outside the registry keeps its own
 * list of chunk tags, or walks chunks by hand, instead of using lib/format/chunk_types.ts and the
 * one walker, lib/format/chunk_walk.ts's walkWindows (with walkHeaders and walkSource, its forms
 * with an object per chunk); chunk.ts's walkChunks splits a file already in memory, leniently,
 * for tools and tests.
 *
 * Tests may spell out tags (an expected layout is a test's own statement), so *_test.ts files are
 * not scanned; test kits (testdata/) are.
 */
import assert from "node:assert/strict";
import { KNOWN_TAGS } from "./chunk_types.ts";

const ROOT = new URL("../../", import.meta.url);
const SCANNED = ["lib", "conformance", "fuzz", "bench", "mod.ts", "cli.ts"];
/** Generated or copied bytes, not code that anyone edits. */
const SKIPPED = ["lib/web/dist", "conformance/vectors", "node_modules"];

/** Where a list of tags may be written: the registry and the two lists it is built from. */
const TAG_LIST_HOMES: Record<string, string> = {
  "lib/format/chunk_types.ts": "the registry",
  "lib/format/constants.ts": "LOCA_SLOTS, the slot order of SPEC.md 7 (SLOT_TAGS)",
  "lib/format/root.ts": "ROOTED_TAGS beside the root (chunk_types.ts imports root.ts)",
};

/**
 * Files that parse a chunk header themselves, and why: the walkers, and readers of one chunk at a
 * known place. Walks go through the walkers (verify's, the signature area's and the recipients
 * rewrite's through walkWindows).
 */
const HEADER_READERS: Record<string, string> = {
  "lib/format/chunk.ts": "the walkers",
  "lib/format/chunk_walk.ts": "the streaming walker (its errors are the parser's)",
  "lib/seek/open_v2.ts": "one chunk: LOCA, the last 172 bytes",
  "lib/seek/rules.ts": "one chunk: the one a LOCA slot points at (H4-LOC-002)",
  "lib/seek/block_read.ts": "one chunk: the storage chunk an index entry points at",
  "lib/seek/container.ts": "one chunk: readChunkAt",
  "lib/living/recipients_open.ts": "one chunk: RCPT after LIVC",
};

async function* sources(rel: string): AsyncGenerator<string> {
  if (SKIPPED.some((s) => rel === s || rel.startsWith(s + "/"))) return;
  const info = await Deno.stat(new URL(rel, ROOT));
  if (info.isFile) {
    if (rel.endsWith(".ts") && !rel.endsWith("_test.ts")) yield rel;
    return;
  }
  for await (const e of Deno.readDir(new URL(rel + "/", ROOT))) yield* sources(`${rel}/${e.name}`);
}

async function scanned(): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for (const top of SCANNED) {
    for await (const rel of sources(top)) {
      out.push([rel, await Deno.readTextFile(new URL(rel, ROOT))]);
    }
  }
  assert.ok(out.length > 100, `scanned ${out.length} files`);
  return out;
}

const KNOWN = new Set<string>(KNOWN_TAGS);
/** An array literal of string literals only (across lines). */
const STRING_ARRAY = /\[(\s*"[^"\n]*"\s*(?:,\s*"[^"\n]*"\s*)*,?\s*)\]/g;

/** The array literals of `text` that name at least 3 distinct known tags. */
function tagLists(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(STRING_ARRAY)) {
    const items = [...m[1].matchAll(/"([^"\n]*)"/g)].map((x) => x[1]);
    if (new Set(items.filter((t) => KNOWN.has(t))).size >= 3) found.push(m[0].replace(/\s+/g, " "));
  }
  return found;
}

/** Whether `text` walks chunks by hand in memory: an end computed from a length field it reads. */
function handWalks(text: string): boolean {
  return /(?:\b12|CHUNK_HEADER_LENGTH)\s*\+\s*\w+\.getUint32\(|getUint32\([^()]*\+\s*4\)\s*\+\s*(?:12\b|CHUNK_HEADER_LENGTH)/
    .test(text);
}

Deno.test("one walker: the scanner finds what it looks for", () => {
  assert.deepEqual(tagLists('const T = new Set(["BIDX", "BHSH",\n  "TRKS"]);'), [
    '["BIDX", "BHSH", "TRKS"]',
  ]);
  assert.deepEqual(tagLists('["BIDX", "BHSH", "XTRA"]; ["BIDX", "BIDX", "BIDX"]; ["a", 1]'), []);
  assert.ok(handWalks("const end = o + 12 + view.getUint32(o + 4);"));
  assert.ok(handWalks("o += CHUNK_HEADER_LENGTH + v.getUint32(o + 4);"));
  assert.ok(handWalks("const end = v.getUint32(o + 4) + 12 + o;"));
  assert.ok(!handWalks("const n = v.getUint32(c.body + 4);"));
});

Deno.test("one walker: lists of chunk tags are the registry's (lib/format/chunk_types.ts)", async () => {
  const stray: string[] = [];
  for (const [rel, text] of await scanned()) {
    if (rel in TAG_LIST_HOMES) continue;
    for (const list of tagLists(text)) stray.push(`${rel}: ${list}`);
  }
  assert.deepEqual(stray, [], "take these lists from lib/format/chunk_types.ts");
});

Deno.test("one walker: chunks are walked with walkChunks, walkHeaders, walkSource or walkWindows", async () => {
  const stray: string[] = [];
  const readers: string[] = [];
  for (const [rel, text] of await scanned()) {
    if (handWalks(text)) stray.push(`${rel}: walks chunks by hand`);
    if (/\bparseChunkHeader\(/.test(text.replace(/^\s*\*.*$/gm, ""))) readers.push(rel);
  }
  for (const rel of readers) {
    if (!(rel in HEADER_READERS)) stray.push(`${rel}: parses chunk headers itself`);
  }
  assert.deepEqual(
    stray,
    [],
    "use the walkers of lib/format/chunk.ts and chunk_walk.ts, or say here why not",
  );
  // The list stays exact: a file that stops parsing headers leaves it.
  assert.deepEqual(readers.sort(), Object.keys(HEADER_READERS).sort());
});
