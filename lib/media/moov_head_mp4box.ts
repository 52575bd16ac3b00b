/**
 * The headers and sample descriptions of an input's `ftyp` and `moov` read by mp4box, for
 * what moov_head.ts does not read itself (codecs other than H.264 and AAC, QuickTime sound
 * descriptions, anything unusual). mp4box is loaded on first use.
 *
 * @module
 */
import type { ISOFile, MP4BoxBuffer } from "mp4box";
import { H4Error } from "../format/errors.ts";
import type { TrakLike } from "./import_track.ts";
import type { FtypMeta } from "./media_meta.ts";
import type { HeadInfo } from "./moov_head.ts";
import { loadMp4box } from "./quiet.ts";

/**
 * Reads `head` (an `ftyp`, if any, then a `moov`) with mp4box. A box it cannot read is
 * `H4_BAD_ARGUMENT` ("malformed MP4"); whatever else it trips on is thrown as it is, for the
 * caller to report as a damaged moov.
 *
 * @example
 * ```ts ignore
 * const info = await readHeadMp4box(head);
 * ```
 */
export async function readHeadMp4box(head: Uint8Array): Promise<HeadInfo> {
  const { createFile } = await loadMp4box();
  const file = createFile() as ISOFile;
  let demuxError: string | undefined;
  file.onError = (module: string, message: string) => {
    demuxError ??= `${module}: ${message}`;
  };
  (file as unknown as { discardMdatData: boolean }).discardMdatData = true;
  file.appendBuffer(toMp4BoxBuffer(head, 0));
  file.flush();
  if (demuxError) throw new H4Error("H4_BAD_ARGUMENT", `malformed MP4: ${demuxError}`);
  const moov = (file as unknown as { moov?: { traks: TrakLike[]; mvhd: { timescale: number } } })
    .moov;
  if (!moov) throw new H4Error("H4_BAD_ARGUMENT", "malformed MP4: its moov box could not be read");
  const info = file.getInfo();
  const ftyp = (file as unknown as { ftyp?: FtypMeta }).ftyp;
  return {
    traks: moov.traks,
    movieTimescale: moov.mvhd.timescale,
    ftyp: ftyp
      ? {
        major_brand: ftyp.major_brand,
        minor_version: ftyp.minor_version,
        compatible_brands: [...ftyp.compatible_brands],
      }
      : null,
    fragmented: Boolean(info.isFragmented),
    codecs: moov.traks.map((t) => info.tracks.find((x) => x.id === t.tkhd.track_id)?.codec),
  };
}

function toMp4BoxBuffer(bytes: Uint8Array, fileStart: number): MP4BoxBuffer {
  // mp4box keeps the buffer and indexes it from 0: give it one that is exactly these bytes.
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer;
  const ab = (whole ? bytes.buffer : bytes.slice().buffer) as MP4BoxBuffer;
  ab.fileStart = fileStart;
  return ab;
}
