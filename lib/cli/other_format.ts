/**
 * A clear error for a file of another format given where a container is expected (`manifest
 * x.mp4`, `export x.mkv`, `inspect x.mp3`): the format named as what it is, with the
 * command that turns it into a container.
 *
 * @module
 */

import { H4Error } from "../format/errors.ts";
import type { ByteSource } from "../format/types.ts";
import { fileKind } from "../format/file_kind.ts";
import { printable } from "./text.ts";

/** Bytes read to recognise a format (two MPEG-TS packets). */
const HEAD = 376;

/** Containers ffmpeg remuxes to MP4 with `-c copy` before import. */
const REMUX_VIDEO = new Set([
  "Matroska/WebM",
  "AVI",
  "FLV",
  "MPEG transport stream",
  "MPEG program stream",
]);

/**
 * The `H4_BAD_MAGIC` error for `arg` when `src` starts like a known non-H4MK format, or
 * undefined when it does not (the caller keeps its own error then).
 *
 * `received` is the reader's own message, kept in parentheses.
 *
 * @example
 * ```ts
 * import { otherFormatError } from "./other_format.ts";
 * import assert from "node:assert/strict";
 * const mp4 = new Uint8Array([0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]);
 * const e = await otherFormatError("x.mp4", { size: 12, read: () => Promise.resolve(mp4) });
 * assert(e?.message.includes("h4mk import x.mp4"));
 * ```
 */
export async function otherFormatError(
  arg: string,
  src: ByteSource,
  received?: string,
): Promise<H4Error | undefined> {
  let head: Uint8Array;
  try {
    head = await src.read(0, Math.min(HEAD, src.size));
  } catch {
    return undefined;
  }
  const kind = fileKind(head);
  if (!kind || kind.family === "h4mk") return undefined;
  const name = printable(arg);
  const what = `${name} is not an H4MK container: it is ${kind.name}` +
    (received ? ` (${received})` : "");
  let hint: string;
  if (kind.family === "iso") hint = `to make a container of it: h4mk import ${name} -o OUT.h4mk`;
  else if (REMUX_VIDEO.has(kind.name)) {
    hint = `h4mk import reads MP4 and MOV: ffmpeg -i ${name} -map 0 -c copy OUT.mp4, ` +
      "then h4mk import OUT.mp4 -o OUT.h4mk";
  } else if (kind.family === "media") {
    const out = kind.name === "WAV" ? "OUT.mov" : "OUT.mp4";
    hint = `h4mk import reads MP4 and MOV: ffmpeg -i ${name} -c copy ${out}, ` +
      `then h4mk import ${out} -o OUT.h4mk`;
  } else hint = "h4mk reads H4MK containers; h4mk import makes one from an MP4 or MOV";
  return new H4Error("H4_BAD_MAGIC", `${what}; ${hint}`);
}
