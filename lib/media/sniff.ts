/**
 * Tells an MP4-family input from everything else before demuxing, so that a Matroska file or
 * a random file gets a clear `H4_BAD_ARGUMENT` instead of a demuxer error.
 *
 * @module
 */
import { H4Error } from "../format/errors.ts";
import type { ByteSource } from "../format/types.ts";
import { fileKind } from "../format/file_kind.ts";

/** What {@linkcode importMedia} reads, for messages. */
export const SUPPORTED_INPUTS = "MP4, M4A, MOV and fragmented MP4";

/**
 * Checks that `src` starts like an MP4-family file; throws `H4_BAD_ARGUMENT` naming the
 * supported inputs otherwise (Matroska/WebM is recognised and named).
 *
 * @example
 * ```ts
 * import { sniffMedia } from "./sniff.ts";
 * import assert from "node:assert/strict";
 * const webm = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0, 0, 0, 0]);
 * const src = { size: 8, read: () => Promise.resolve(webm) };
 * await sniffMedia(src).catch((e) => assert(e.code === "H4_BAD_ARGUMENT"));
 * ```
 */
export async function sniffMedia(src: ByteSource): Promise<void> {
  if (src.size < 8) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `input of ${src.size} bytes is too short for ${SUPPORTED_INPUTS}`,
    );
  }
  // The same recognition as the messages of the other commands (lib/format/file_kind.ts).
  const head = await src.read(0, Math.min(376, src.size));
  const kind = fileKind(head);
  if (kind?.family === "iso") return;
  if (kind?.family === "h4mk") {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      "input is an H4MK container already, not MP4: h4mk export IN.h4mk -o OUT.mp4 gives its MP4 back",
    );
  }
  if (kind?.name === "Matroska/WebM") {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `input is Matroska/WebM, which import does not read; supported inputs: ${SUPPORTED_INPUTS} (remux with ffmpeg -c copy out.mp4)`,
    );
  }
  if (kind) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `input is ${kind.name}, not ${SUPPORTED_INPUTS}, which import reads` +
        (kind.family === "media" ? " (remux it first: ffmpeg -i IN -c copy OUT.mp4)" : ""),
    );
  }
  const type = String.fromCharCode(...head.subarray(4, 8));
  const shown = /^[\x20-\x7e]{4}$/.test(type)
    ? JSON.stringify(type)
    : `bytes ${[...head.subarray(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join(" ")}`;
  throw new H4Error("H4_BAD_ARGUMENT", `input is not ${SUPPORTED_INPUTS}: it starts with ${shown}`);
}
