/**
 * Files of the original writer (SPEC.md section 11): no LOCA, one CORE chunk per block, the
 * block list in META.trak_b64 and the seek tables in META.seekm_b64. Opened by walking their
 * chunks; the index is built in memory.
 *
 * @module
 */
import { compareCodePoints } from "../format/bytes.ts";
import { bytesSource } from "../format/byte_source.ts";
import { checkChunkCrc } from "../format/chunk.ts";
import { walkHeaders } from "../format/chunk_walk.ts";
import { LOCATOR_ONLY_TAGS } from "../format/chunk_types.ts";
import { codecName } from "../format/codec.ts";
import { CHUNK_HEADER_LENGTH, CODEC_IDS, KIND_IDS } from "../format/constants.ts";
import { H4Error } from "../format/errors.ts";
import { allocColumns, type IndexColumns } from "../format/index_columns.ts";
import { type SeekTable, seekTableFromRows } from "../format/ksek.ts";
import { decodeJsonDoc, type JsonObject } from "../format/meta.ts";
import type { ByteSource } from "../format/types.ts";
import { makeContainer } from "./container_object.ts";
import type { Internals } from "./internals.ts";
import type { Container, OpenOptions } from "./types.ts";

/** Tags the original writer never writes: a v1 file holding one lost its LOCA. */
const LOCATED_TAGS: ReadonlySet<string> = new Set(LOCATOR_ONLY_TAGS);

/**
 * Opens a file of the original writer, SPEC.md section 11. `tail` holds the file's bytes from
 * `tailStart` (all of it when `tailStart` is 0).
 *
 * @example
 * ```ts
 * import { openLegacy } from "./legacy.ts";
 * import { bytesSource } from "../format/byte_source.ts";
 * import assert from "node:assert/strict";
 * // A version 1 header and no chunks: no META, so no block list.
 * const bytes = new Uint8Array([0x48, 0x34, 0x4d, 0x4b, 0, 1, 0, 0]);
 * await assert.rejects(openLegacy(bytesSource(bytes), 8, bytes, 0, {}), {
 *   code: "H4_LEGACY_NO_INDEX",
 * });
 * ```
 */
export async function openLegacy(
  src: ByteSource,
  size: number,
  tail: Uint8Array,
  tailStart: number,
  opts: OpenOptions,
): Promise<Container> {
  // The original writer's tables, loaded only for its files.
  const [{ decodeTrak }, { decodeSeekm }] = await Promise.all([
    import("../format/trak.ts"),
    import("../format/seekm.ts"),
  ]);
  const cores: { offset: number; length: number }[] = [];
  let meta: JsonObject | undefined;
  let safe: JsonObject | null = null;
  let located: { tag: string; offset: number } | undefined;
  // Legacy files are read whole when small, else chunk header by chunk header.
  const whole = tailStart === 0 ? tail : size <= 64 * 1024 * 1024 ? await src.read(0, size) : null;
  const read = (
    o: number,
    n: number,
  ) => (whole ? Promise.resolve(whole.subarray(o, o + n)) : src.read(o, n));
  for await (const head of walkHeaders(whole ? bytesSource(whole) : src)) {
    const offset = head.offset;
    const at = offset + CHUNK_HEADER_LENGTH;
    if (head.tag === "CORE") {
      cores.push({ offset: at, length: head.length });
    } else if (head.tag === "META" || head.tag === "SAFE") {
      const payload = await read(at, head.length);
      checkChunkCrc(head, payload);
      const doc = decodeJsonDoc(payload, head.tag, at);
      if (head.tag === "META") meta = doc;
      else safe = doc;
    } else if (head.tag === "SEGM") {
      throw new H4Error("H4_INDEX_MISMATCH", `SEGM chunk at ${offset} in a version 1 file`, {
        offset,
        chunk: "SEGM",
        rule: "H4-FMT-021",
      });
    } else if (LOCATED_TAGS.has(head.tag)) located ??= { tag: head.tag, offset };
  }
  if (located) {
    // A v1 file of this version that lost its LOCA, to a cut or a flipped tag byte: read as
    // legacy it could return ciphertext or deflate streams as payloads and pass verification
    // (VERI ends before LOCA). SPEC.md H4-LOC-001.
    throw new H4Error(
      "H4_BAD_LOCATOR",
      `version 1 file has a ${located.tag} chunk at ${located.offset}, which only files with a LOCA hold, but its last 172 bytes are not LOCA`,
      { offset: located.offset, chunk: located.tag, rule: "H4-LOC-001" },
    );
  }
  if (!meta) {
    throw new H4Error("H4_LEGACY_NO_INDEX", "legacy file has no META chunk", {
      rule: "H4-LEG-001",
    });
  }
  if (typeof meta.trak_b64 !== "string") {
    throw new H4Error("H4_LEGACY_NO_INDEX", "legacy META has no trak_b64 block list", {
      chunk: "META",
      rule: "H4-LEG-001",
    });
  }
  let trakBytes: Uint8Array;
  try {
    trakBytes = Uint8Array.fromBase64(meta.trak_b64);
  } catch {
    throw new H4Error("H4_LEGACY_NO_INDEX", "META.trak_b64 is not valid base64", {
      chunk: "META",
      rule: "H4-LEG-001",
    });
  }
  const trak = decodeTrak(trakBytes);
  if (trak.length !== cores.length) {
    throw new H4Error(
      "H4_INDEX_MISMATCH",
      `META.trak_b64 lists ${trak.length} blocks, the file has ${cores.length} CORE chunks`,
      {
        chunk: "META",
        rule: "H4-LEG-001",
      },
    );
  }
  const compression = meta.compression as { engine?: unknown } | undefined;
  const codec = compression?.engine === "geometric-reference" ? CODEC_IDS.rle : CODEC_IDS.none;
  const ids = [...new Set(trak.map((e) => e.track_id))].sort(compareCodePoints);
  const trackOf = new Map(ids.map((id, i) => [id, i]));
  const n = trak.length;
  const cols = allocColumns(n);
  cols.count = n;
  const plainKnown = new Uint8Array(n);
  trak.forEach((e, i) => {
    cols.track[i] = trackOf.get(e.track_id)!;
    cols.pts[i] = e.pts_us;
    cols.kind[i] = KIND_IDS[e.kind];
    cols.keyframe[i] = e.keyframe ? 1 : 0;
    cols.codec[i] = codec;
    cols.newChunk[i] = 1;
    cols.offset[i] = cores[i].offset;
    cols.stored[i] = cores[i].length;
    cols.chunk[i] = i;
    if (codec === CODEC_IDS.none) {
      cols.plain[i] = cores[i].length;
      plainKnown[i] = 1;
    }
  });
  const blocksPer = ids.map(() => 0);
  const keysPer = ids.map(() => 0);
  for (let i = 0; i < n; i++) {
    blocksPer[cols.track[i]]++;
    keysPer[cols.track[i]] += cols.keyframe[i];
  }
  const tables = legacySeekTables(meta, ids, cols, trackOf, decodeSeekm);
  const internals: Internals = {
    src,
    blockCount: n,
    chunkCount: n,
    encrypted: "encryption" in meta,
    legacy: true,
    prefetch: false,
    // Every legacy block is a whole CORE chunk whose CRC is checked on each read; there is no BHSH.
    verifyBlocks: opts.verifyBlocks === true,
    mustVerify: false,
    trackIds: ids,
    pageOf: () => 0,
    page: () => Promise.resolve({ first: 0, cols }),
    hash: () => Promise.resolve(null),
    // rle plain lengths are the sum of the runs: known only after reading the block.
    async plainLength(i, c, row) {
      if (!plainKnown[i]) {
        const stored = await read(c.offset[row], c.stored[row]);
        let sum = 0;
        for (let k = 1; k < stored.length; k += 2) sum += stored[k];
        cols.plain[i] = sum;
        plainKnown[i] = 1;
      }
      return cols.plain[i];
    },
  };
  return makeContainer(internals, {
    version: 1,
    profile: "legacy",
    size,
    tracks: ids.map((id, t) => ({
      track_id: id,
      codec: codecName(codec),
      blocks: blocksPer[t],
      keyframes: keysPer[t],
      seek_entries: tables[t].count,
    })),
    table: (t) => tables[t],
    meta,
    safe,
    livc: null,
    root: null,
    locator: null,
    directory: null,
    signers: [],
    trusted: false,
    signatures: () => Promise.resolve([]),
  });
}

function legacySeekTables(
  meta: JsonObject,
  ids: string[],
  cols: IndexColumns,
  trackOf: Map<string, number>,
  decodeSeekm: typeof import("../format/seekm.ts").decodeSeekm,
): SeekTable[] {
  const lists: [number, number][][] = ids.map(() => []);
  if ("seekm_b64" in meta) {
    // Absent, the tables are trak_b64's keyframes (below); present, it must be base64 text.
    let bytes: Uint8Array;
    try {
      if (typeof meta.seekm_b64 !== "string") throw new TypeError("not a string");
      bytes = Uint8Array.fromBase64(meta.seekm_b64);
    } catch {
      throw new H4Error(
        "H4_BAD_SEEK_TABLE",
        `META.seekm_b64 is not base64 text: ${JSON.stringify(meta.seekm_b64).slice(0, 40)}`,
        {
          chunk: "META",
          rule: "H4-LEG-003",
        },
      );
    }
    for (const t of decodeSeekm(bytes)) {
      const ti = trackOf.get(t.track_id);
      for (const [pts, idx] of t.entries) {
        if (
          ti === undefined || idx >= cols.count || cols.track[idx] !== ti || !cols.keyframe[idx] ||
          cols.pts[idx] !== pts
        ) {
          throw new H4Error(
            "H4_BAD_SEEK_TABLE",
            `SEEKM entry (${pts}, ${idx}) of track ${
              JSON.stringify(t.track_id)
            } is not a keyframe of that track at that pts`,
            {
              chunk: "META",
              rule: "H4-LEG-003",
            },
          );
        }
        lists[ti].push([pts, idx]);
      }
    }
  } else {
    for (let i = 0; i < cols.count; i++) {
      if (cols.keyframe[i]) lists[cols.track[i]].push([cols.pts[i], i]);
    }
  }
  return lists.map((l) => {
    l.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (let k = 1; k < l.length; k++) {
      if (l[k][0] === l[k - 1][0] && l[k][1] === l[k - 1][1]) {
        throw new H4Error("H4_BAD_SEEK_TABLE", `SEEKM lists block ${l[k][1]} twice`, {
          chunk: "META",
          rule: "H4-LEG-003",
        });
      }
    }
    return seekTableFromRows(cols, l.map(([, i]) => i));
  });
}
