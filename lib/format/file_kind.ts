/**
 * Names the format of a file from its first bytes, for messages: an MP4 given where a
 * container is expected, or a container given to `import`, is named as what it is.
 *
 * @module
 */

/** A recognised file format. */
export interface FileKind {
  /** Short name, e.g. `MP4/QuickTime`, `Matroska/WebM`, `MP3`, `H4MK`. */
  name: string;
  /** Family: `iso` (MP4, MOV, M4A), `h4mk`, `media` (other audio/video), `other`. */
  family: "iso" | "h4mk" | "media" | "other";
}

/** Box types that can open an ISO BMFF / QuickTime file. */
const ISO_FIRST_BOXES = new Set([
  "ftyp",
  "styp",
  "moov",
  "mdat",
  "free",
  "skip",
  "wide",
  "pnot",
  "moof",
  "sidx",
  "uuid",
  "pdin",
  "junk",
]);

const at = (b: Uint8Array, o: number, s: string): boolean =>
  b.length >= o + s.length && [...s].every((c, i) => b[o + i] === c.charCodeAt(0));

/**
 * The format of a file starting with `head` (give at least 12 bytes; 376 to recognise an
 * MPEG transport stream), or undefined when it is none of those known.
 *
 * @example
 * ```ts
 * import { fileKind } from "./file_kind.ts";
 * import assert from "node:assert/strict";
 * const mp4 = new Uint8Array([0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]);
 * assert(fileKind(mp4)?.name === "MP4/QuickTime");
 * ```
 */
export function fileKind(head: Uint8Array): FileKind | undefined {
  const b = head;
  if (at(b, 0, "H4MK")) return { name: "H4MK", family: "h4mk" };
  if (b.length >= 8 && ISO_FIRST_BOXES.has(String.fromCharCode(...b.subarray(4, 8)))) {
    const brand = b.length >= 12 ? String.fromCharCode(...b.subarray(8, 12)) : "";
    const name = at(b, 4, "ftyp") && brand === "qt  "
      ? "QuickTime MOV"
      : at(b, 4, "ftyp") && /^M4[AB]/.test(brand)
      ? "M4A (MP4 audio)"
      : "MP4/QuickTime";
    return { name, family: "iso" };
  }
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) {
    return { name: "Matroska/WebM", family: "media" };
  }
  if (at(b, 0, "ID3") || (b[0] === 0xff && (b[1] & 0xe6) === 0xe2 && b.length >= 3)) {
    // ID3 tag, or an MPEG audio frame sync with layer III or II
    return { name: "MP3", family: "media" };
  }
  if (b[0] === 0xff && (b[1] & 0xf6) === 0xf0) return { name: "AAC (ADTS)", family: "media" };
  if (at(b, 0, "RIFF") && at(b, 8, "WAVE")) return { name: "WAV", family: "media" };
  if (at(b, 0, "RIFF") && at(b, 8, "AVI ")) return { name: "AVI", family: "media" };
  if (at(b, 0, "OggS")) return { name: "Ogg", family: "media" };
  if (at(b, 0, "fLaC")) return { name: "FLAC", family: "media" };
  if (at(b, 0, "FLV")) return { name: "FLV", family: "media" };
  if (b.length >= 376 && b[0] === 0x47 && b[188] === 0x47) {
    return { name: "MPEG transport stream", family: "media" };
  }
  if (b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0xba) {
    return { name: "MPEG program stream", family: "media" };
  }
  if (at(b, 0, "\x89PNG")) return { name: "PNG", family: "other" };
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { name: "JPEG", family: "other" };
  if (at(b, 0, "GIF8")) return { name: "GIF", family: "other" };
  if (at(b, 0, "%PDF")) return { name: "PDF", family: "other" };
  if (at(b, 0, "PK\x03\x04")) return { name: "ZIP archive", family: "other" };
  if (b[0] === 0x1f && b[1] === 0x8b) return { name: "gzip", family: "other" };
  return undefined;
}
