/**
 * The boxes of an ISO BMFF file read straight from the bytes: the top-level boxes of an input
 * and the children of a box in memory, each size checked against what holds it, so a corrupt
 * box is a typed error (`H4_BAD_ARGUMENT`, "malformed MP4") and never a read past its parent.
 *
 * @module
 */
import { H4Error } from "../format/errors.ts";
import type { ByteSource } from "../format/types.ts";

/** A box of the input: type, where it starts, header length and total size. */
export interface BoxSpan {
  /** Four-character type. */
  type: string;
  /** Offset of the box's first byte. */
  start: number;
  /** Header bytes (8, 16 with a 64-bit size, more for `uuid`). */
  header: number;
  /** Total size as the header says (may run past the end of a truncated file). */
  size: number;
}

/**
 * The error of a malformed input: `H4_BAD_ARGUMENT` with "malformed MP4: " and `what`.
 *
 * @example
 * ```ts
 * import { malformed } from "./mp4_boxes.ts";
 * import assert from "node:assert/strict";
 * assert(malformed("x").message === "malformed MP4: x");
 * ```
 */
export function malformed(what: string): H4Error {
  return new H4Error("H4_BAD_ARGUMENT", `malformed MP4: ${what}`);
}

function fourcc(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
}

function shownType(t: string): string {
  return /^[\x20-\x7e]{4}$/.test(t)
    ? `'${t}'`
    : `of bytes ${[...t].map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join(" ")}`;
}

/**
 * The top-level boxes of `src`, read header by header (16 bytes each). Stops at the first box
 * that runs past the end of the input (a truncated file) or at fewer than 8 trailing bytes.
 *
 * @example
 * ```ts
 * import { topLevelBoxes } from "./mp4_boxes.ts";
 * import assert from "node:assert/strict";
 * const b = new Uint8Array([0, 0, 0, 8, 0x66, 0x72, 0x65, 0x65]);
 * const boxes = await topLevelBoxes({ size: 8, read: (o, n) => Promise.resolve(b.slice(o, o + n)) });
 * assert(boxes[0].type === "free");
 * ```
 */
export async function topLevelBoxes(src: ByteSource): Promise<BoxSpan[]> {
  const out: BoxSpan[] = [];
  let pos = 0;
  while (src.size - pos >= 8) {
    const h = await src.read(pos, Math.min(16, src.size - pos));
    const v = new DataView(h.buffer, h.byteOffset, h.byteLength);
    let size = v.getUint32(0);
    const type = fourcc(h, 4);
    let header = 8;
    if (size === 1) {
      if (h.length < 16) throw malformed(`box ${shownType(type)} at ${pos} is cut off`);
      size = Number(v.getBigUint64(8));
      header = 16;
    } else if (size === 0) size = src.size - pos;
    if (size < header || !Number.isSafeInteger(size)) {
      throw malformed(`box ${shownType(type)} at offset ${pos} has size ${size}`);
    }
    out.push({ type, start: pos, header, size });
    pos += size;
  }
  return out;
}
/** A child box inside a parent's bytes. */
export interface Child {
  /** Four-character type. */
  type: string;
  /** Offset of the box's first byte in the parent's bytes. */
  start: number;
  /** Offset of its body (after the header). */
  body: number;
  /** Offset just past its end. */
  end: number;
}

/**
 * The child boxes of `b` between offsets `from` and `to`, each checked to end within `to`;
 * `where` names the parent in errors.
 *
 * @example
 * ```ts
 * import { children } from "./mp4_boxes.ts";
 * import assert from "node:assert/strict";
 * const b = new Uint8Array([0, 0, 0, 8, 0x66, 0x72, 0x65, 0x65]);
 * assert([...children(b, 0, 8, "the file")][0].type === "free");
 * ```
 */
export function* children(
  b: Uint8Array,
  from: number,
  to: number,
  where: string,
): Generator<Child> {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let pos = from;
  while (to - pos >= 8) {
    let size = v.getUint32(pos);
    const type = fourcc(b, pos + 4);
    let header = 8;
    if (size === 1) {
      if (to - pos < 16) throw malformed(`box ${shownType(type)} in ${where} is cut off`);
      size = Number(v.getBigUint64(pos + 8));
      header = 16;
    } else if (size === 0) size = to - pos;
    if (size < header || pos + size > to) {
      throw malformed(
        `box ${shownType(type)} in ${where} has size ${size}, ${to - pos} bytes left`,
      );
    }
    yield { type, start: pos, body: pos + header, end: pos + size };
    pos += size;
  }
}
