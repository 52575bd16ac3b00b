/**
 * The samples of a fragmented MP4: the `trun`s of each `moof`, read straight from the bytes
 * into the tracks' units (track_units.ts), with `trex` defaults from the `moov`
 * (sample_tables.ts). Every count is checked against the bytes that hold it.
 *
 * @module
 */
import { type Child, children, malformed } from "./mp4_boxes.ts";
import type { Trex } from "./sample_tables.ts";
import type { TrackUnits } from "./track_units.ts";

/** Per-track state kept across `moof`s. */
export interface FragmentTrack {
  /** The track's units so far. */
  units: TrackUnits;
  /** Decode time after the last sample read. */
  nextDts: number;
}

/**
 * Adds the samples of one `moof` (its whole bytes, starting at file offset `moofStart`) to the
 * tracks it names; tracks not in `tracks` are skipped. `serial` numbers trun groups;
 * `onTraf` hears, per traf of a listed track, its decode time and its trun groups.
 *
 * @example
 * ```ts ignore
 * readMoof(moofBytes, start, trex, tracks, fileSize, serial);
 * ```
 */
export function readMoof(
  b: Uint8Array,
  moofStart: number,
  trex: Map<number, Trex>,
  tracks: Map<number, FragmentTrack>,
  fileSize: number,
  serial: { n: number },
  onTraf?: (trackId: number, baseTime: number, groups: [number, number]) => void,
): void {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const where = `moof at ${moofStart}`;
  const [top] = [...children(b, 0, b.length, where)];
  if (!top || top.type !== "moof") throw malformed(`${where} is not a moof box`);
  let prevEnd = moofStart;
  let first = true;
  for (const traf of children(b, top.body, top.end, where)) {
    if (traf.type !== "traf") continue;
    let tfhd: Child | undefined;
    let tfdt: Child | undefined;
    const truns: Child[] = [];
    for (const c of children(b, traf.body, traf.end, `traf of ${where}`)) {
      if (c.type === "tfhd") tfhd = c;
      else if (c.type === "tfdt") tfdt = c;
      else if (c.type === "trun") truns.push(c);
    }
    if (!tfhd || tfhd.end - tfhd.body < 8) throw malformed(`traf of ${where} has no tfhd`);
    const flags = v.getUint32(tfhd.body) & 0xff_ffff;
    const trackId = v.getUint32(tfhd.body + 4);
    const d = trex.get(trackId) ?? { entry: 1, duration: 0, size: 0, flags: 0 };
    let at = tfhd.body + 8;
    const need = (n: number) => {
      if (at + n > tfhd!.end) throw malformed(`tfhd of ${where} is too short for its flags`);
    };
    let base = first || (flags & 0x20000) ? moofStart : prevEnd;
    if (flags & 0x1) {
      need(8);
      base = Number(v.getBigUint64(at));
      at += 8;
    }
    let entry = d.entry, dDur = d.duration, dSize = d.size, dFlags = d.flags;
    if (flags & 0x2) (need(4), entry = v.getUint32(at), at += 4);
    if (flags & 0x8) (need(4), dDur = v.getUint32(at), at += 4);
    if (flags & 0x10) (need(4), dSize = v.getUint32(at), at += 4);
    if (flags & 0x20) (need(4), dFlags = v.getUint32(at), at += 4);
    first = false;
    const track = tracks.get(trackId);
    let dts = track?.nextDts ?? 0;
    if (tfdt) {
      if (tfdt.end - tfdt.body < 8) throw malformed(`tfdt of ${where} is too short`);
      const wide = b[tfdt.body] === 1;
      if (tfdt.end - tfdt.body < (wide ? 12 : 8)) throw malformed(`tfdt of ${where} is too short`);
      dts = wide ? Number(v.getBigUint64(tfdt.body + 4)) : v.getUint32(tfdt.body + 4);
    }
    let pos = base;
    const firstGroup = serial.n;
    const baseTime = dts;
    for (const trun of truns) {
      if (trun.end - trun.body < 8) throw malformed(`trun of ${where} is too short`);
      const version = b[trun.body];
      const tf = v.getUint32(trun.body) & 0xff_ffff;
      const n = v.getUint32(trun.body + 4);
      let p = trun.body + 8;
      if (tf & 0x1) {
        if (p + 4 > trun.end) throw malformed(`trun of ${where} is too short`);
        pos = base + v.getInt32(p);
        p += 4;
      }
      let firstFlags = -1;
      if (tf & 0x4) {
        if (p + 4 > trun.end) throw malformed(`trun of ${where} is too short`);
        firstFlags = v.getUint32(p);
        p += 4;
      }
      const per = ((tf & 0x100) ? 4 : 0) + ((tf & 0x200) ? 4 : 0) + ((tf & 0x400) ? 4 : 0) +
        ((tf & 0x800) ? 4 : 0);
      if (per ? n * per > trun.end - p : n * Math.max(1, dSize) > fileSize) {
        throw malformed(`trun of ${where} says ${n} samples in ${trun.end - p} bytes`);
      }
      const group = serial.n++;
      for (let i = 0; i < n; i++) {
        const dur = (tf & 0x100) ? v.getUint32((p += 4) - 4) : dDur;
        const size = (tf & 0x200) ? v.getUint32((p += 4) - 4) : dSize;
        let sf = dFlags;
        if (tf & 0x400) sf = v.getUint32((p += 4) - 4);
        else if (i === 0 && firstFlags >= 0) sf = firstFlags;
        const cto = (tf & 0x800)
          ? (version === 0 ? v.getUint32((p += 4) - 4) : v.getInt32((p += 4) - 4))
          : 0;
        track?.units.push(pos, size, dts, cto, dur, !((sf >> 16) & 1), entry, group);
        pos += size;
        dts += dur;
      }
    }
    prevEnd = pos;
    if (track) {
      track.nextDts = dts;
      onTraf?.(trackId, baseTime, [firstGroup, serial.n]);
    }
  }
}
