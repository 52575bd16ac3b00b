/**
 * The boxes of a fragmented MP4: `mvex` for the `moov`, and one `moof` per fragment with a
 * `traf` per track (`tfhd`, `tfdt`, `trun`). Export writes a fragmented input back
 * fragmented, fragment for fragment (H4-MED-010), so that demuxers read the same packets with
 * the same durations.
 *
 * @module
 */
import { ByteWriter, concat } from "../format/bytes.ts";
import { H4Error } from "../format/errors.ts";

/** One run of a track's samples lying back to back in the fragment's mdat. */
export interface TrunRun {
  /** Offset of the run's first byte from the start of the mdat's payload. */
  at: number;
  /** Sample sizes. */
  sizes: number[];
  /** Sample durations. */
  durations: number[];
  /** Sync flags. */
  sync: boolean[];
  /** Composition offsets (cts − dts). */
  ctsOffsets: number[];
}

/** One track's part of a fragment. */
export interface TrafPlan {
  /** `track_ID`. */
  trackId: number;
  /** 1-based sample description index. */
  entry: number;
  /** Decode time of the first sample (`tfdt`). */
  baseTime: number;
  /** The runs of samples, in mdat order. */
  runs: TrunRun[];
}

function box(type: string, body: Uint8Array): Uint8Array {
  const head = new ByteWriter(8);
  head.u32(8 + body.length);
  for (let i = 0; i < 4; i++) head.u8(type.charCodeAt(i));
  return concat([head.finish(), body]);
}

function full(version: number, flags: number): ByteWriter {
  const w = new ByteWriter();
  w.u32(((version << 24) | flags) >>> 0);
  return w;
}

/** Sample flags: sync (depends on nothing) or not (depends on others, non-sync bit). */
const SYNC_FLAGS = 0x0200_0000;
const NON_SYNC_FLAGS = 0x0101_0000;

/**
 * The `mvex` box: a `trex` with zero defaults for each track.
 *
 * @example
 * ```ts
 * import { buildMvex } from "./fragment_mux.ts";
 * import assert from "node:assert/strict";
 * assert(buildMvex([1, 2]).length === 8 + 2 * 32);
 * ```
 */
export function buildMvex(trackIds: number[]): Uint8Array {
  return box(
    "mvex",
    concat(trackIds.map((id) => {
      const w = full(0, 0);
      w.u32(id);
      w.u32(1); // default sample description index
      w.u32(0);
      w.u32(0);
      w.u32(0);
      return box("trex", w.finish());
    })),
  );
}

function trun(r: TrunRun, dataOffset: number): Uint8Array {
  // data offset, then per sample: duration, size, flags, composition offset (signed, v1)
  const w = full(1, 0x1 | 0x100 | 0x200 | 0x400 | 0x800);
  w.u32(r.sizes.length);
  if (dataOffset > 0x7fff_ffff) {
    throw new H4Error("H4_LIMIT_EXCEEDED", `fragment data offset ${dataOffset} does not fit trun`);
  }
  w.u32(dataOffset);
  for (let i = 0; i < r.sizes.length; i++) {
    w.u32(r.durations[i]);
    w.u32(r.sizes[i]);
    w.u32(r.sync[i] ? SYNC_FLAGS : NON_SYNC_FLAGS);
    w.u32(r.ctsOffsets[i] >>> 0);
  }
  return box("trun", w.finish());
}

/**
 * A `moof` with sequence number `seq` whose samples lie in the mdat that follows it, which
 * has a header of `mdatHeader` bytes. Offsets are relative to the moof (default-base-is-moof).
 *
 * @example
 * ```ts
 * import { buildMoof } from "./fragment_mux.ts";
 * import assert from "node:assert/strict";
 * const moof = buildMoof(1, [{ trackId: 1, entry: 1, baseTime: 0, runs: [
 *   { at: 0, sizes: [3], durations: [10], sync: [true], ctsOffsets: [0] }] }], 8);
 * assert(new TextDecoder().decode(moof.subarray(4, 8)) === "moof");
 * ```
 */
export function buildMoof(seq: number, trafs: TrafPlan[], mdatHeader: number): Uint8Array {
  // The moof's size does not depend on the data offsets: build once to measure, then for real.
  const build = (base: number): Uint8Array => {
    const mfhd = full(0, 0);
    mfhd.u32(seq);
    const parts = [box("mfhd", mfhd.finish())];
    for (const t of trafs) {
      const tfhd = full(0, 0x2_0000 | 0x2); // default-base-is-moof, sample description index
      tfhd.u32(t.trackId);
      tfhd.u32(t.entry);
      const tfdt = full(1, 0);
      tfdt.u64(t.baseTime);
      parts.push(
        box(
          "traf",
          concat([
            box("tfhd", tfhd.finish()),
            box("tfdt", tfdt.finish()),
            ...t.runs.map((r) => trun(r, base + r.at)),
          ]),
        ),
      );
    }
    return box("moof", concat(parts));
  };
  const size = build(0).length;
  return build(size + mdatHeader);
}
