/**
 * Moves the `moov` of a plain MP4 in front of its `mdat` (`h4mk export --faststart`), as
 * qt-faststart does: chunk offsets (`stco`, `co64`) grow by the size of the moved `moov`, every
 * other byte is kept. A browser can then start playing while it downloads.
 *
 * @module
 */
import { H4Error } from "../format/errors.ts";
import type { ByteSink, ByteSource } from "../format/types.ts";

interface TopBox {
  type: string;
  start: number;
  size: number;
}

const U32_MAX = 0xffff_ffff;
/** Boxes whose children lead to the chunk offset tables. */
const PATH = new Set(["moov", "trak", "mdia", "minf", "stbl"]);
/** Largest `moov` read into memory. */
const MAX_MOOV = 256 << 20;

function typeAt(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
}

async function topBoxes(src: ByteSource): Promise<TopBox[]> {
  const out: TopBox[] = [];
  for (let at = 0; at < src.size;) {
    if (src.size - at < 8) throw bad(`${src.size - at} stray bytes at ${at}`);
    const h = await src.read(at, Math.min(16, src.size - at));
    const v = new DataView(h.buffer, h.byteOffset, h.length);
    let size = v.getUint32(0);
    if (size === 1) {
      if (h.length < 16) throw bad(`a 64-bit box size cut at ${at}`);
      size = Number(v.getBigUint64(8));
    } else if (size === 0) size = src.size - at;
    if (size < 8 || at + size > src.size) throw bad(`box at ${at} has size ${size}`);
    out.push({ type: typeAt(h, 4), start: at, size });
    at += size;
  }
  return out;
}

function bad(what: string): H4Error {
  return new H4Error("H4_BAD_ARGUMENT", `faststart: not a well-formed MP4: ${what}`);
}

/** Adds `delta` to every chunk offset under `box` (a moov, in place). */
function shiftOffsets(b: Uint8Array, start: number, end: number, delta: number): void {
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  for (let at = start; at + 8 <= end;) {
    const size = v.getUint32(at);
    const type = typeAt(b, at + 4);
    if (size < 8 || at + size > end) throw bad(`${type} box of ${size} bytes in moov`);
    if (PATH.has(type)) shiftOffsets(b, at + 8, at + size, delta);
    else if (type === "stco" || type === "co64") {
      const n = v.getUint32(at + 12);
      const wide = type === "co64";
      if (16 + n * (wide ? 8 : 4) > size) throw bad(`${type} of ${n} entries in ${size} bytes`);
      for (let i = 0; i < n; i++) {
        const p = at + 16 + i * (wide ? 8 : 4);
        if (wide) v.setBigUint64(p, v.getBigUint64(p) + BigInt(delta));
        else {
          const o = v.getUint32(p) + delta;
          if (o > U32_MAX) {
            throw new H4Error(
              "H4_LIMIT_EXCEEDED",
              "faststart: a chunk offset passes 4 GiB once moov moves first; use --fragmented",
            );
          }
          v.setUint32(p, o);
        }
      }
    }
    at += size;
  }
}

/**
 * Copies the MP4 `src` to `sink` with its `moov` first (after `ftyp`). A file whose `moov`
 * already precedes its `mdat` is copied as it is. Throws `H4_BAD_ARGUMENT` for a malformed
 * file and `H4_LIMIT_EXCEEDED` when a 32-bit chunk offset would overflow.
 *
 * @example
 * ```ts
 * import { faststart } from "./faststart.ts";
 * import { bytesSource } from "../format/byte_source.ts";
 * import assert from "node:assert/strict";
 * const box = (type: string, body: number[]) =>
 *   [0, 0, 0, 8 + body.length, ...[...type].map((c) => c.charCodeAt(0)), ...body];
 * const stco = box("stco", [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 16]);
 * const moov = box("moov", box("trak", box("mdia", box("minf", box("stbl", stco)))));
 * const mp4 = new Uint8Array([...box("ftyp", [0x69, 0x73, 0x6f, 0x6d]), ...box("mdat", [7]), ...moov]);
 * const out: Uint8Array[] = [];
 * await faststart(bytesSource(mp4), { write: (b) => void out.push(b.slice()) });
 * const all = new Uint8Array(out.flatMap((b) => [...b]));
 * assert(String.fromCharCode(...all.subarray(16, 20)) === "moov");
 * ```
 */
export async function faststart(src: ByteSource, sink: ByteSink): Promise<void> {
  const boxes = await topBoxes(src);
  const moovAt = boxes.findIndex((b) => b.type === "moov");
  const mdatAt = boxes.findIndex((b) => b.type === "mdat");
  if (moovAt < 0) throw bad("no moov box");
  const moovBox = boxes[moovAt];
  if (moovBox.size > MAX_MOOV) {
    throw new H4Error("H4_LIMIT_EXCEEDED", `faststart: moov of ${moovBox.size} bytes is too large`);
  }
  const moov = await src.read(moovBox.start, moovBox.size);
  const order: (TopBox | "moov")[] = [];
  if (mdatAt < 0 || moovAt < mdatAt) order.push(...boxes.map((b) => (b === moovBox ? "moov" : b)));
  else {
    // moov goes right after the leading ftyp (and anything before the first mdat stays put)
    // and every byte between its new and old places moves forward by its size.
    const before = boxes.slice(0, mdatAt);
    const moved = boxes.slice(mdatAt).filter((b) => b !== moovBox);
    const head = new DataView(moov.buffer, moov.byteOffset).getUint32(0) === 1 ? 16 : 8;
    shiftOffsets(moov, head, moov.length, moovBox.size);
    order.push(...before, "moov", ...moved);
  }
  for (const b of order) {
    if (b === "moov") {
      await sink.write(moov);
      continue;
    }
    for (let at = b.start; at < b.start + b.size;) {
      const n = Math.min(1 << 20, b.start + b.size - at);
      await sink.write(await src.read(at, n));
      at += n;
    }
  }
}
