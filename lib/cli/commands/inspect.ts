/**
 * `h4mk inspect FILE|URL [--json]`: every chunk with its offset, tag, length, CRC status and a
 * decoded view of the known ones, using the format core's table decoders. A file that does
 * not open as a container is still walked chunk by chunk, so damaged files can be looked at.
 *
 * @module
 */

import { checkChunkCrc } from "../../format/chunk.ts";
import { walkSource } from "../../format/chunk_walk.ts";
import { CHUNK_TYPES, type ChunkContext, isStorageTag } from "../../format/chunk_types.ts";
import {
  CHUNK_HEADER_LENGTH,
  CIPHER_OVERHEAD,
  CODEC_IDS,
  HEADER_LENGTH,
} from "../../format/constants.ts";
import { isH4Error } from "../../format/errors.ts";
import type { Container } from "../../seek/container.ts";
import type { CliContext } from "../io.ts";
import { printErr, printOut } from "../io.ts";
import { openInput, openRawSource } from "../input.ts";
import { otherFormatError } from "../other_format.ts";
import type { TrustArgs } from "../trust.ts";
import { plural } from "../manifest.ts";
import { printable } from "../text.ts";
import { errorLine, EXIT_INVALID, EXIT_OK } from "../errors.ts";
import { toHex } from "../args.ts";
import { loadLiving } from "../optional.ts";

/** Options of `h4mk inspect`. */
export interface InspectOptions extends TrustArgs {
  /** Print one JSON object. */
  json?: boolean;
}

/** One chunk in the inspect output. */
export interface InspectedChunk {
  /** File offset of the chunk header. */
  offset: number;
  /** Tag. */
  tag: string;
  /** Payload length. */
  length: number;
  /** Whether the payload matches its CRC. */
  crc_ok: boolean;
  /** Decoded view of a known chunk; `{ error }` when it does not decode. */
  view: Record<string, unknown> | null;
}

/** The JSON printed by `h4mk inspect --json`. */
export interface InspectOutput {
  /** The file or URL. */
  file: string;
  /** File size. */
  size: number;
  /** Header version, or null when the header is unreadable. */
  version: number | null;
  /** Error of opening as a container (null when it opened). */
  open_error: { code: string; message: string } | null;
  /** Error that stopped the chunk walk (null when it reached the end). */
  walk_error: { code: string; message: string } | null;
  /** Chunks in file order. */
  chunks: InspectedChunk[];
}

/** Entries shown per table in a view; the rest is counted, not listed. */
const SAMPLE = 3;

/** Storage chunk number -> [first block, last block], from the index. */
async function storageMap(c: Container): Promise<Map<number, [number, number]>> {
  const map = new Map<number, [number, number]>();
  for await (const e of c.entries()) {
    const got = map.get(e.chunk);
    if (got) got[1] = e.index;
    else map.set(e.chunk, [e.index, e.index]);
  }
  return map;
}

interface ViewContext {
  container: Container | null;
  storage: Map<number, [number, number]> | null;
  storageSeen: number;
}

async function decodeView(
  tag: string,
  payload: Uint8Array,
  base: number,
  vc: ViewContext,
): Promise<Record<string, unknown> | null> {
  const c = vc.container;
  const loca = c?.locator ?? null;
  if (isStorageTag(tag)) {
    const n = vc.storageSeen++;
    const range = vc.storage?.get(n);
    return range
      ? {
        storage_chunk: n,
        first_block: range[0],
        last_block: range[1],
        blocks: range[1] - range[0] + 1,
      }
      : { storage_chunk: n };
  }
  // The registry's decoders, given what the open container knows about the rest of the file.
  const ctx: ChunkContext = {
    base,
    blockCount: loca?.blockCount,
    chunkCount: loca?.chunkCount,
    trackCodecs: c?.tracks.map((t) => CODEC_IDS[t.codec]),
    overhead: c?.encrypted ? CIPHER_OVERHEAD : 0,
    directory: c?.directory ?? undefined,
  };
  switch (tag) {
    case "SEEK":
      return CHUNK_TYPES.SEEK.decode!(payload, ctx);
    case "META":
    case "SAFE": {
      const doc = CHUNK_TYPES[tag].decode!(payload, ctx);
      return { keys: Object.keys(doc), json: doc };
    }
    case "VERI":
      return { sha256: toHex(CHUNK_TYPES.VERI.decode!(payload, ctx)) };
    case "LOCA": {
      const l = CHUNK_TYPES.LOCA.decode!(payload, ctx);
      const slots: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(l.slots)) if (ref) slots[name] = ref;
      return {
        flags: l.flags,
        encrypted: (l.flags & 1) === 1,
        track_count: l.trackCount,
        block_count: l.blockCount,
        storage_chunk_count: l.chunkCount,
        slots,
        root: toHex(l.root),
      };
    }
    case "TRKS":
      return { tracks: CHUNK_TYPES.TRKS.decode!(payload, ctx) };
    case "BHSH": {
      const hashes = CHUNK_TYPES.BHSH.decode!(payload, ctx);
      return {
        hashes: hashes.length,
        first: hashes.length > 0 ? toHex(hashes[0]) : null,
        last: hashes.length > 0 ? toHex(hashes[hashes.length - 1]) : null,
      };
    }
    case "TDIR": {
      if (!loca) return { note: "needs LOCA to decode" };
      const t = CHUNK_TYPES.TDIR.decode!(payload, ctx);
      return {
        blocks_per_page: t.blocksPerPage,
        bidx_pages: t.bidxPageLengths.length,
        bidx_page_lengths: t.bidxPageLengths,
        hashes_per_page: t.hashesPerPage,
        bhsh_pages: t.bhshPageDigests.length,
      };
    }
    case "KSEK": {
      if (!c || !loca) return { note: "needs LOCA and TRKS to decode" };
      const tables = CHUNK_TYPES.KSEK.decode!(payload, ctx);
      return {
        tracks: tables.map((t, i) => ({
          track_id: c.tracks[i].track_id,
          entries: t.count,
          first: [...Array(Math.min(SAMPLE, t.count)).keys()].map((k) => ({
            pts_us: t.pts[k],
            core_index: t.block[k],
            offset: t.offset[k],
            stored_length: t.stored[k],
          })),
        })),
      };
    }
    case "BIDX": {
      const tdir = c?.directory;
      if (!c || !loca || !tdir) return { note: "needs LOCA, TRKS and TDIR to decode" };
      const pages = CHUNK_TYPES.BIDX.decode!(payload, ctx).map((cols, p) => ({
        page: p,
        bytes: tdir.bidxPageLengths[p],
        first_block: p * tdir.blocksPerPage,
        blocks: cols.count,
      }));
      const first: Record<string, unknown>[] = [];
      for (let i = 0; i < Math.min(SAMPLE, c.blockCount); i++) {
        const { index, track_id, pts_us, kind, keyframe, codec, offset, stored_length } = await c
          .entry(i);
        first.push({ index, track_id, pts_us, kind, keyframe, codec, offset, stored_length });
      }
      return { pages, first };
    }
    case "SIGN": {
      // Signatures, SPEC.md section 18: the signer, and whether it verifies over this root.
      const r = CHUNK_TYPES.SIGN.decode!(payload, ctx);
      const sig = (await c?.signatures())?.find((x) => x.offset === r.offset);
      return { key_id: r.keyId, public_key: r.publicKey, valid: sig ? sig.valid : null };
    }
    // LIVC and RCPT: the registry has no decoder below lib/living; the cipher module decodes them.
    case "LIVC": {
      try {
        const { parseLivc } = await loadLiving();
        return { livc: parseLivc(payload) };
      } catch (e) {
        if (isH4Error(e, "H4_BAD_ARGUMENT")) return { bytes: payload.length, note: e.message };
        throw e;
      }
    }
    case "RCPT": {
      const { viewRecipients } = await loadLiving();
      return { recipients: viewRecipients(payload) };
    }
    default:
      return null;
  }
}

function describeView(tag: string, v: Record<string, unknown> | null): string {
  if (v === null) return "unknown chunk type (skipped by readers)";
  if (typeof v.error === "string") return `cannot decode: ${v.error}`;
  if (typeof v.note === "string" && Object.keys(v).length === 1) return String(v.note);
  switch (tag) {
    case "CORE":
    case "SEGM":
      return v.first_block === undefined
        ? `storage chunk ${v.storage_chunk}`
        : v.blocks === 1
        ? `storage chunk ${v.storage_chunk}: block ${v.first_block}`
        : `storage chunk ${v.storage_chunk}: blocks ${v.first_block}..${v.last_block}`;
    case "SEEK":
      return `legacy seek table, ${plural(Number(v.count), "entry", "entries")}`;
    case "META":
    case "SAFE": {
      const text = printable(JSON.stringify(v.json));
      return text.length > 100 ? `${text.slice(0, 99)}…` : text;
    }
    case "VERI":
      return `sha256 ${v.sha256}`;
    case "SIGN":
      return `signed by ${v.key_id}${
        v.valid === true ? ", valid" : v.valid === false ? ", INVALID" : ""
      }`;
    case "LOCA":
      return `${plural(Number(v.track_count), "track")}, ${
        plural(Number(v.block_count), "block")
      }, ` +
        `${plural(Number(v.storage_chunk_count), "storage chunk")}` +
        `${v.encrypted ? ", encrypted" : ""}, root ${String(v.root).slice(0, 16)}…`;
    case "TRKS":
      return (v.tracks as { track_id: string; codec: string; blocks: number; keyframes: number }[])
        .map((t) =>
          `${printable(t.track_id)} (${t.codec}, ${plural(t.blocks, "block")}, ${
            plural(t.keyframes, "keyframe")
          })`
        )
        .join("; ") || "no tracks";
    case "BHSH":
      return `${plural(Number(v.hashes), "storage chunk hash", "storage chunk hashes")}`;
    case "TDIR":
      return `${plural(Number(v.bidx_pages), "BIDX page")} of up to ${v.blocks_per_page} blocks, ` +
        `${plural(Number(v.bhsh_pages), "BHSH page")} ` +
        `of up to ${v.hashes_per_page} hashes`;
    case "KSEK":
      return (v.tracks as { track_id: string; entries: number }[])
        .map((t) => `${printable(t.track_id)}: ${plural(t.entries, "entry", "entries")}`).join(
          "; ",
        ) || "no tracks";
    case "BIDX": {
      const pages = v.pages as { blocks: number }[];
      return `${plural(pages.length, "page")}, ${
        plural(pages.reduce((n, p) => n + p.blocks, 0), "block")
      }`;
    }
    case "LIVC": {
      const l = v.livc as Record<string, unknown> | undefined;
      if (l === undefined) return `${v.bytes} bytes`;
      return `suite ${printable(String(l.suite))}${
        l.suiteSupported === false ? " (unknown)" : ""
      }, ` +
        `${
          plural(Number(l.epochs), "epoch")
        } of ${l.epochBlocks} blocks, container id ${l.containerId}`;
    }
    case "RCPT": {
      const r = v.recipients as { epoch: number; hint: string | null }[];
      return `${plural(r.length, "recipient stanza")}, first epochs ${
        [...new Set(r.map((s) => s.epoch))].join(", ")
      }${r.some((s) => s.hint) ? ", with hints" : ""}`;
    }
    default:
      return "";
  }
}

/** JSON replacer: bytes as hex, bigints as numbers. */
function jsonBytes(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return toHex(value);
  if (typeof value === "bigint") return Number(value);
  return value;
}

/**
 * Inspects a container chunk by chunk.
 *
 * @example
 * ```ts ignore
 * import { inspectCommand } from "./inspect.ts";
 * await inspectCommand(ctx, "demo.h4mk", { json: true });
 * ```
 */
export async function inspectCommand(
  ctx: CliContext,
  file: string,
  opts: InspectOptions,
): Promise<number> {
  let container: Container | null = null;
  let openError: { code: string; message: string } | null = null;
  try {
    container = await openInput(file, { trust: opts.trust, root: opts.root });
  } catch (e) {
    if (!isH4Error(e) || e.code === "H4_IO") throw e;
    openError = { code: e.code, message: e.message };
  }
  const src = container?.source ?? await openRawSource(file);
  if (openError?.code === "H4_BAD_MAGIC") {
    // A file of another format is named, not walked as if its boxes were chunks.
    const other = await otherFormatError(file, src, openError.message);
    if (other) {
      await src.close?.();
      throw other;
    }
  }
  const out: InspectOutput = {
    file,
    size: src.size,
    version: null,
    open_error: openError,
    walk_error: null,
    chunks: [],
  };
  try {
    if (src.size >= HEADER_LENGTH) {
      const h = await src.read(0, HEADER_LENGTH);
      out.version = h[4] << 8 | h[5];
    }
    const vc: ViewContext = {
      container,
      storage: container ? await storageMap(container).catch(() => null) : null,
      storageSeen: 0,
    };
    try {
      for await (const ch of walkSource(src)) {
        let crcOk = true;
        try {
          checkChunkCrc(ch, ch.payload);
        } catch {
          crcOk = false;
        }
        let view: Record<string, unknown> | null;
        try {
          const payload = isStorageTag(ch.tag) ? new Uint8Array(0) : ch.payload;
          view = await decodeView(ch.tag, payload, ch.offset + CHUNK_HEADER_LENGTH, vc);
        } catch (e) {
          if (!isH4Error(e)) throw e;
          view = { error: `${e.code}: ${e.message}` };
        }
        out.chunks.push({
          offset: ch.offset,
          tag: ch.tag,
          length: ch.length,
          crc_ok: crcOk,
          view,
        });
      }
    } catch (e) {
      if (!isH4Error(e)) throw e;
      out.walk_error = { code: e.code, message: e.message };
    }
  } finally {
    if (container) await container.close();
    else await src.close?.();
  }

  if (opts.json) {
    await printOut(ctx.io, JSON.stringify(out, jsonBytes) + "\n");
  } else {
    const w = Math.max(6, String(out.size).length);
    const lines = [
      `${printable(file)}: ${out.size} bytes, version ${out.version ?? "?"}, ${
        plural(out.chunks.length, "chunk")
      }`,
      `${"offset".padStart(w)}  tag   ${"length".padStart(w)}  crc  view`,
      ...out.chunks.map((ch) =>
        `${String(ch.offset).padStart(w)}  ${printable(ch.tag).padEnd(4)}  ${
          String(ch.length).padStart(w)
        }  ` +
        `${ch.crc_ok ? "ok " : "BAD"}  ${describeView(ch.tag, ch.view)}`
      ),
    ];
    if (out.walk_error) {
      lines.push(`walk stopped: ${out.walk_error.code}: ${out.walk_error.message}`);
    }
    if (out.open_error) {
      lines.push(`does not open as a container: ${out.open_error.code}: ${out.open_error.message}`);
    }
    await printOut(ctx.io, lines.join("\n") + "\n");
  }
  const bad = out.open_error ?? out.walk_error ??
    (out.chunks.some((c) => !c.crc_ok)
      ? {
        code: "H4_CRC_MISMATCH",
        message: `CRC mismatch in ${
          out.chunks.filter((c) => !c.crc_ok).map((c) => `${c.tag} at ${c.offset}`).join(", ")
        }`,
      }
      : null);
  if (bad === null) return EXIT_OK;
  await printErr(ctx.io, errorLine(bad.code, bad.message));
  return EXIT_INVALID;
}
