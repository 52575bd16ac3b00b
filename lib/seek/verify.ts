/**
 * Full verification, SPEC.md section 9: every check the format defines, each reported under
 * its rule id, so `h4mk verify` can list what failed.
 *
 * @module
 */
import { parseChunkHeader } from "../format/chunk.ts";
import {
  CHUNK_HEADER_LENGTH,
  CODEC_IDS,
  CODEC_NAMES,
  FIRST_BLOCK_OFFSET,
  HEADER_LENGTH,
  KIND_IDS,
  KIND_NAMES,
  LIMITS,
  LOCA_CHUNK_LENGTH,
  MAGIC,
} from "../format/constants.ts";
import { crc32 } from "../hash/crc32.ts";
import { contextOf } from "../format/block_context.ts";
import { decodePayload } from "../format/codec.ts";
import { H4Error } from "../format/errors.ts";
import { decodeSeekm } from "../format/seekm.ts";
import { loadNative } from "../hash/native.ts";
import { createSha256, sha256 } from "../hash/sha256.ts";
import { createVeriHash, veriPart } from "../format/veri.ts";
import { equalBytes } from "../format/bytes.ts";
import { SIGN_TAG } from "../format/signature.ts";
import type {
  BlockEntry,
  BlockOpener,
  ByteSource,
  VerifyCheck,
  VerifyReport,
} from "../format/types.ts";
import { type Container, INDEX_COLUMNS, type IndexColumnsAccess } from "./container.ts";
import { allocColumns, type IndexColumns } from "../format/index_columns.ts";
import { unsealedChunks } from "./unsealed.ts";

interface Walked {
  offset: number;
  tag: string;
  length: number;
  hash?: Uint8Array;
}

/**
 * The chunk walk reads the file in order, this many bytes at a time, and parses chunk headers
 * from memory: one read per 8 MiB whatever the chunk sizes, and memory stays flat.
 */
const SLICE = 8 * 1024 * 1024;

/** The file's bytes in order, a slice at a time: what the chunk walk reads through. */
interface Window {
  /** `length` bytes at `at` if the current slice holds them, else undefined. */
  peek(at: number, length: number): Uint8Array | undefined;
  /** Reads a slice from `at` (at least `length` bytes) and returns those bytes. */
  read(at: number, length: number): Promise<Uint8Array>;
  /** The bytes from `at` up to `end` that the current slice holds, or undefined if none. */
  peekSome(at: number, end: number): Uint8Array | undefined;
  /** Reads a slice from `at` and returns its bytes up to `end`. */
  readSome(at: number, end: number): Promise<Uint8Array>;
}

function slidingWindow(src: ByteSource, size: number): Window {
  let buf: Uint8Array = new Uint8Array(0);
  let bufAt = 0;
  // One buffer, reused, where the source can read into it (the bytes of a slice are done with
  // before the next is read).
  let own: Uint8Array | undefined;
  const load = async (at: number, min: number) => {
    const length = Math.min(size - at, Math.max(SLICE, min));
    if (src.readInto) {
      if (!own || own.length < length) own = new Uint8Array(Math.max(length, SLICE));
      buf = await src.readInto(at, own.subarray(0, length));
    } else buf = await src.read(at, length);
    bufAt = at;
  };
  return {
    peek(at, length) {
      const o = at - bufAt;
      return o >= 0 && o + length <= buf.length ? buf.subarray(o, o + length) : undefined;
    },
    async read(at, length) {
      await load(at, length);
      return buf.subarray(0, length);
    },
    peekSome(at, end) {
      const o = at - bufAt;
      if (o < 0 || o >= buf.length) return undefined;
      return buf.subarray(o, Math.min(buf.length, o + end - at));
    },
    async readSome(at, end) {
      await load(at, 1);
      return buf.subarray(0, Math.min(buf.length, end - at));
    },
  };
}

/** What VERI is, for messages. */
function veriOf(version: number, offset: number): string {
  return version === 1
    ? `SHA-256 of bytes 8..${offset}`
    : `the digest of bytes 0..${offset} with each storage chunk's payload hashed (H4-INT-005)`;
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

  await step("H4-FMT-001", "header magic and version", async () => {
    const h = await src.read(0, HEADER_LENGTH);
    for (let i = 0; i < 4; i++) {
      if (h[i] !== MAGIC[i]) {
        throw new H4Error("H4_BAD_MAGIC", "file does not start with H4MK", { rule: "H4-FMT-001" });
      }
    }
    const v = (h[4] << 8) | h[5];
    if (v !== c.version) {
      throw new H4Error("H4_UNSUPPORTED_VERSION", `header version ${v}, opened as ${c.version}`, {
        rule: "H4-FMT-002",
      });
    }
    if (c.locator && !equalBytes(h, c.locator.header)) {
      throw new H4Error("H4_BAD_LOCATOR", "LOCA header copy differs from the file header", {
        rule: "H4-LOC-002",
      });
    }
  });

  // Walk every chunk: CRC, VERI, and the hash of each storage chunk. The file is read in order
  // in large slices and each stored byte is hashed once: its chunk's hash, which a v2 VERI
  // takes in its place (H4-INT-005); v1 VERI hashes every byte, as the original format does.
  const walked: Walked[] = [];
  let crcFailures = 0;
  let veriSeen = false;
  await step("H4-FMT-010", "chunk framing from offset 8 to the end", async () => {
    const header = await src.read(0, HEADER_LENGTH);
    const veri = createVeriHash(c.version, header);
    const window = slidingWindow(src, c.size);
    let offset = HEADER_LENGTH;
    while (offset < c.size) {
      if (c.size - offset < CHUNK_HEADER_LENGTH) {
        throw new H4Error("H4_TRUNCATED", `${c.size - offset} trailing bytes at ${offset}`, {
          offset,
          rule: "H4-FMT-012",
        });
      }
      let headBytes = window.peek(offset, CHUNK_HEADER_LENGTH);
      if (!headBytes) headBytes = await window.read(offset, CHUNK_HEADER_LENGTH);
      const head = parseChunkHeader(headBytes, offset, c.size);
      const storage = head.tag === "CORE" || head.tag === "SEGM";
      const payloadStart = offset + CHUNK_HEADER_LENGTH;
      const payloadEnd = payloadStart + head.length;
      let crc = 0;
      let hash: Uint8Array | undefined;
      if (head.tag === "VERI") {
        const veriPayload = window.peek(payloadStart, head.length) ??
          await window.read(payloadStart, head.length);
        crc = crc32(veriPayload);
        // A digest is taken once: a second VERI (a duplicated chunk) is reported, not hashed.
        const want = veriSeen ? undefined : veri.finish();
        veriSeen = true;
        if (!want) {
          failWith(
            "H4-INT-002",
            new H4Error("H4_VERI_MISMATCH", `second VERI chunk at ${offset}; a file has one`, {
              offset,
              rule: "H4-INT-002",
            }),
          );
        } else if (head.length !== 32) {
          failWith(
            "H4-INT-002",
            new H4Error("H4_BAD_CHUNK", `VERI payload is ${head.length} bytes, must be 32`, {
              offset,
              rule: "H4-INT-002",
            }),
          );
        } else if (!equalBytes(veriPayload, want)) {
          failWith(
            "H4-INT-002",
            new H4Error(
              "H4_VERI_MISMATCH",
              `VERI at ${offset} differs from ${veriOf(c.version, offset)}`,
              {
                offset,
                rule: "H4-INT-002",
              },
            ),
          );
        } else pass("H4-INT-002", `VERI matches ${veriOf(c.version, offset)}`);
      } else {
        const viaDigest = veriPart(c.version, head.tag) === "digest";
        // The header is hashed after the payload when VERI takes the payload's digest.
        const veriHead = viaDigest ? headBytes.slice() : headBytes;
        if (!veriSeen && !viaDigest) veri.bytes(headBytes);
        // A chunk in one piece (most): hashed in one call, without an incremental hash object.
        const whole = window.peek(payloadStart, head.length);
        if (whole) {
          crc = crc32(whole);
          if (!veriSeen && !viaDigest) veri.bytes(whole);
          if (storage) hash = sha256(whole);
        } else {
          const own = storage ? createSha256() : undefined;
          for (let o = payloadStart; o < payloadEnd;) {
            const part = window.peekSome(o, payloadEnd) ?? await window.readSome(o, payloadEnd);
            crc = crc32(part, crc);
            if (!veriSeen && !viaDigest) veri.bytes(part);
            own?.update(part);
            o += part.length;
          }
          hash = own?.digest();
        }
        if (!veriSeen && viaDigest) veri.digest(veriHead, hash!);
      }
      if (crc !== head.crc) {
        crcFailures++;
        if (crcFailures <= 5) {
          failWith(
            "H4-FMT-011",
            new H4Error("H4_CRC_MISMATCH", `${head.tag} at ${offset}: CRC mismatch`, {
              offset,
              chunk: head.tag,
              rule: "H4-FMT-011",
            }),
          );
        }
      }
      walked.push({ offset, tag: head.tag, length: head.length, hash });
      offset = payloadEnd;
    }
  });
  if (crcFailures === 0) pass("H4-FMT-011", `every chunk's CRC matches (${walked.length} chunks)`);
  if (!veriSeen) {
    if (legacy) pass("H4-INT-002", "no VERI chunk (legacy file)");
    else {failWith(
        "H4-INT-001",
        new H4Error("H4_MISSING_CHUNK", "no VERI chunk", { rule: "H4-INT-001" }),
      );}
  }

  const storage = walked.filter((w) => w.tag === "CORE" || w.tag === "SEGM");
  if (!legacy) {
    await step(
      "H4-FMT-020",
      "storage chunks come first, back to back, with the version's tag",
      () => {
        const want = c.version === 1 ? "CORE" : "SEGM";
        for (let i = 0; i < storage.length; i++) {
          if (walked[i] !== storage[i]) {
            throw new H4Error(
              "H4_INDEX_MISMATCH",
              `chunk ${i} at ${walked[i]?.offset} is ${
                walked[i]?.tag
              }, storage chunks must come first`,
              { rule: "H4-FMT-020" },
            );
          }
          if (storage[i].tag !== want) {
            throw new H4Error(
              "H4_INDEX_MISMATCH",
              `${storage[i].tag} at ${storage[i].offset} in a version ${c.version} file`,
              { rule: "H4-FMT-021" },
            );
          }
        }
      },
    );
    await step("H4-LOC-002", "LOCA's slots point at whole chunks of their tags", () => {
      // Slots point at tables: storage chunks (most of the chunks of a v1 file) are left out.
      const byOffset = new Map(
        walked.filter((w) => w.tag !== "CORE" && w.tag !== "SEGM").map((w) => [w.offset, w]),
      );
      for (const [slot, ref] of Object.entries(c.locator!.slots)) {
        if (!ref) continue;
        const w = byOffset.get(ref.offset);
        if (!w || w.tag !== slot || w.length + CHUNK_HEADER_LENGTH !== ref.length) {
          throw new H4Error(
            "H4_BAD_LOCATOR",
            `LOCA slot ${slot} (${ref.offset}+${ref.length}) is not the ${slot} chunk of the file`,
            { rule: "H4-LOC-002" },
          );
        }
      }
      const bhsh = walked.find((w) => w.tag === "BHSH");
      if (bhsh && bhsh.length !== c.chunkCount * 32) {
        throw new H4Error(
          "H4_BAD_INDEX",
          `BHSH has ${bhsh.length} bytes for ${c.chunkCount} chunks`,
          {
            rule: "H4-BHS-001",
          },
        );
      }
    });
    await step("H4-FMT-022", "VERI, then only SIGN chunks, then LOCA end the file", () => {
      const n = walked.length;
      const last = walked[n - 1];
      if (!last || last.tag !== "LOCA" || last.offset !== c.size - LOCA_CHUNK_LENGTH) {
        throw new H4Error("H4_BAD_LOCATOR", "LOCA is not the last chunk", { rule: "H4-FMT-022" });
      }
      // Signatures lie between VERI and LOCA (SPEC.md H4-SIG-001).
      let k = n - 2;
      while (k >= 0 && walked[k].tag === SIGN_TAG) k--;
      const prev = walked[k];
      if (!prev || prev.tag !== "VERI") {
        throw new H4Error(
          "H4_MISSING_CHUNK",
          `the chunk before LOCA${k < n - 2 ? " and its SIGN chunks" : ""} is ${
            prev?.tag ?? "missing"
          }, not VERI`,
          { rule: "H4-FMT-022" },
        );
      }
      const stray = walked.slice(0, k).find((w) => w.tag === SIGN_TAG);
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
    await step("H4-INT-003", "every storage chunk matches its BHSH hash", async () => {
      if (storage.length !== c.chunkCount) {
        throw new H4Error(
          "H4_INDEX_MISMATCH",
          `${storage.length} storage chunks in the file, LOCA counts ${c.chunkCount}`,
          { rule: "H4-IDX-004" },
        );
      }
      for (let k = 0; k < storage.length; k++) {
        const want = await c.storageHash(k);
        if (want && !equalBytes(want, storage[k].hash!)) {
          throw new H4Error(
            "H4_BLOCK_HASH_MISMATCH",
            `storage chunk ${k} at ${storage[k].offset} differs from BHSH`,
            { offset: storage[k].offset, rule: "H4-INT-003" },
          );
        }
      }
    });
    pass("H4-INT-004", `root digest ${c.root!.toHex()} matches the tables`);
  }

  // The index against the storage chunks, the tracks and the seek tables. The index is copied
  // into columns (no object per block): the checks below are loops over typed arrays.
  const n = c.blockCount;
  const cols = allocColumns(Math.max(1, n));
  const trackNumber = new Map(c.tracks.map((t, k) => [t.track_id, k]));
  const entryAt = (i: number): BlockEntry => ({
    index: i,
    track_id: c.tracks[cols.track[i]].track_id,
    pts_us: cols.pts[i],
    kind: KIND_NAMES[cols.kind[i]],
    keyframe: cols.keyframe[i] === 1,
    codec: CODEC_NAMES[cols.codec[i]],
    offset: cols.offset[i],
    stored_length: cols.stored[i],
    plain_length: cols.plain[i],
    chunk: cols.chunk[i],
  });
  let indexed = 0;
  await step("H4-IDX-004", "block index agrees with the storage chunks", async () => {
    const sums = new Float64Array(storage.length);
    const blocksIn = new Uint32Array(storage.length);
    /** Checks block `i` against the one before it and its storage chunk; stores its row. */
    const take = (
      i: number,
      t: number,
      offset: number,
      chunk: number,
      stored: number,
      row: IndexColumns | undefined,
      r: number,
    ) => {
      if (!legacy) {
        const p = i - 1;
        const sameChunk = i > 0 && chunk === cols.chunk[p];
        const expectOffset = i === 0
          ? FIRST_BLOCK_OFFSET
          : cols.offset[p] + cols.stored[p] + (sameChunk ? 0 : CHUNK_HEADER_LENGTH);
        const expectChunk = i === 0 ? 0 : cols.chunk[p] + (sameChunk ? 0 : 1);
        if (offset !== expectOffset || chunk !== expectChunk) {
          throw new H4Error(
            "H4_BAD_INDEX",
            `block ${i} at ${offset} in chunk ${chunk}, expected ${expectOffset} in chunk ${expectChunk}`,
            { rule: "H4-IDX-005" },
          );
        }
        const w = storage[chunk];
        if (!w || (!sameChunk && w.offset + CHUNK_HEADER_LENGTH !== offset)) {
          throw new H4Error(
            "H4_INDEX_MISMATCH",
            `block ${i} should start storage chunk ${chunk}, which is at ${w?.offset}`,
            { rule: "H4-IDX-004" },
          );
        }
        sums[chunk] += stored;
        blocksIn[chunk]++;
      }
      cols.track[i] = t;
      cols.offset[i] = offset;
      cols.chunk[i] = chunk;
      cols.stored[i] = stored;
      if (row) {
        cols.pts[i] = row.pts[r];
        cols.kind[i] = row.kind[r];
        cols.keyframe[i] = row.keyframe[r];
        cols.codec[i] = row.codec[r];
        cols.plain[i] = row.plain[r];
      }
      indexed = i + 1;
    };
    const access = (c as unknown as Record<symbol, IndexColumnsAccess | undefined>)[INDEX_COLUMNS];
    if (access) {
      const remap = access.trackIds.map((id) => trackNumber.get(id) ?? 0);
      for (let i = 0; i < n;) {
        const { first, cols: page } = await access.page(i);
        for (let r = i - first; r < page.count && i < n; r++, i++) {
          take(i, remap[page.track[r]], page.offset[r], page.chunk[r], page.stored[r], page, r);
        }
      }
    } else {
      let i = 0;
      for await (const e of c.entries()) {
        take(i, trackNumber.get(e.track_id) ?? 0, e.offset, e.chunk, e.stored_length, undefined, 0);
        cols.pts[i] = e.pts_us;
        cols.kind[i] = KIND_IDS[e.kind];
        cols.keyframe[i] = e.keyframe ? 1 : 0;
        cols.codec[i] = CODEC_IDS[e.codec];
        cols.plain[i] = e.plain_length;
        i++;
      }
    }
    if (!legacy) {
      for (let k = 0; k < storage.length; k++) {
        if (blocksIn[k] === 0) {
          throw new H4Error(
            "H4_INDEX_MISMATCH",
            `storage chunk ${k} at ${storage[k].offset} holds no block`,
            { rule: "H4-IDX-004" },
          );
        }
        if (sums[k] !== storage[k].length) {
          throw new H4Error(
            "H4_INDEX_MISMATCH",
            `storage chunk ${k} holds ${storage[k].length} bytes, its blocks add up to ${sums[k]}`,
            { rule: "H4-IDX-004" },
          );
        }
        if (storage[k].length > LIMITS.segmentBytes && blocksIn[k] > 1) {
          throw new H4Error(
            "H4_LIMIT_EXCEEDED",
            `${storage[k].tag} ${k} holds ${storage[k].length} bytes in ${
              blocksIn[k]
            } blocks, over 16 MiB`,
            { rule: "H4-LIM-001" },
          );
        }
      }
    }
  });

  // The checks below compare against the whole index: after an index failure they would only
  // report differences caused by the entries that could not be read.
  const indexOk = indexed === n && checks[checks.length - 1]?.ok === true;
  // Per track: blocks, keyframes, and the first keyframe (-1: none).
  const T = c.tracks.length;
  const blocksPer = new Float64Array(T);
  const keysPer = new Float64Array(T);
  const firstKey = new Float64Array(T).fill(-1);
  if (indexOk) {
    for (let i = 0; i < n; i++) {
      const t = cols.track[i];
      blocksPer[t]++;
      if (cols.keyframe[i]) {
        if (keysPer[t]++ === 0) firstKey[t] = i;
      }
    }
    await step("H4-TRK-002", "track counts match the index", () => {
      c.tracks.forEach((t, k) => {
        const blocks = blocksPer[k], keys = keysPer[k];
        if (blocks !== t.blocks || keys !== t.keyframes) {
          throw new H4Error(
            "H4_INDEX_MISMATCH",
            `track ${
              JSON.stringify(t.track_id)
            }: TRKS says ${t.blocks} blocks/${t.keyframes} keyframes, the index has ${blocks}/${keys}`,
            { rule: "H4-TRK-002" },
          );
        }
      });
    });
  }

  if (indexOk) {
    await step("H4-SEK-001", "seek tables name keyframes with their index fields", () => {
      const listed = new Uint8Array(n);
      c.tracks.forEach((t, tk) => {
        const table = c.seekTable(t.track_id);
        for (let k = 0; k < table.count; k++) {
          const i = table.block[k];
          const ok = Number.isInteger(i) && i >= 0 && i < n && cols.track[i] === tk &&
            cols.keyframe[i] === 1 && cols.pts[i] === table.pts[k] &&
            cols.offset[i] === table.offset[k] && cols.stored[i] === table.stored[k] &&
            (legacy ||
              (cols.kind[i] === table.kind[k] && cols.codec[i] === table.codec[k] &&
                cols.plain[i] === table.plain[k]));
          if (!ok) {
            throw new H4Error(
              "H4_BAD_SEEK_TABLE",
              `track ${JSON.stringify(t.track_id)} entry ${k} (block ${
                table.block[k]
              }) does not match a keyframe of the track`,
              { rule: "H4-SEK-001" },
            );
          }
          listed[i] = 1;
        }
        if (firstKey[tk] >= 0 && !listed[firstKey[tk]]) {
          throw new H4Error(
            "H4_BAD_SEEK_TABLE",
            `track ${JSON.stringify(t.track_id)}: its first keyframe (block ${
              firstKey[tk]
            }) is not listed`,
            { rule: "H4-SEK-003" },
          );
        }
      });
      for (let i = 0; i < n; i++) {
        const tk = cols.track[i];
        // A track with a non-keyframe lists every keyframe; an all-keyframe track may thin.
        if (cols.keyframe[i] && !listed[i] && keysPer[tk] !== blocksPer[tk]) {
          throw new H4Error(
            "H4_BAD_SEEK_TABLE",
            `track ${JSON.stringify(c.tracks[tk].track_id)}: keyframe block ${i} is not listed`,
            { rule: "H4-SEK-003" },
          );
        }
      }
    });
  }

  if (c.profile === "v1" && indexOk) {
    await step("H4-LEG-004", "META.seekm_b64 lists exactly the keyframes", () => {
      if (typeof c.meta.seekm_b64 !== "string") {
        throw new H4Error("H4_BAD_SEEK_TABLE", "v1 META has no seekm_b64", { rule: "H4-LEG-004" });
      }
      let raw: Uint8Array;
      try {
        raw = Uint8Array.fromBase64(c.meta.seekm_b64);
      } catch {
        throw new H4Error("H4_BAD_SEEK_TABLE", "META.seekm_b64 is not valid base64", {
          rule: "H4-LEG-004",
        });
      }
      const got = decodeSeekm(raw);
      const keys: [number, number][][] = c.tracks.map(() => []);
      for (let i = 0; i < n; i++) if (cols.keyframe[i]) keys[cols.track[i]].push([cols.pts[i], i]);
      const want = c.tracks.map((t, k) =>
        JSON.stringify({
          track_id: t.track_id,
          entries: keys[k].sort((a, b) => a[0] - b[0] || a[1] - b[1]),
        })
      );
      if (JSON.stringify(got.map((g) => JSON.stringify(g))) !== JSON.stringify(want)) {
        throw new H4Error(
          "H4_BAD_SEEK_TABLE",
          "META.seekm_b64 differs from the index's keyframes",
          { rule: "H4-LEG-004" },
        );
      }
    });
  }

  // After every unkeyed check, before the blocks and the transcript (SPEC.md H4-LC-019).
  const whole = walked.at(-1)?.tag === "LOCA" &&
    walked.at(-1)!.offset === c.size - LOCA_CHUNK_LENGTH;
  if (!legacy && c.encrypted && opts.opener && whole) {
    // With a key, every byte must be covered by the root or the seal (SPEC.md H4-LC-018).
    await step("H4-LC-018", "every chunk is covered by the root digest or the seal", async () => {
      const outside = await unsealedChunks(c, walked);
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
    // An epoch key's opener leaves the blocks before its epoch sealed: they are not decrypted
    // (the transcript still covers them) and the check says how many.
    const sealed = c.encrypted ? Math.min(opts.opener?.firstOpenBlock ?? 0, n) : 0;
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
        // Decode from the block index itself (readBlock may take a seek-table shortcut).
        for (let i = sealed; i < n; i++) {
          // A plain block of codec none decodes to itself: its length is already the index's,
          // and its bytes were hashed against BHSH above. Only encoded or encrypted ones are read.
          if (cols.codec[i] === 0 && !c.encrypted) continue;
          const e = entryAt(i);
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
