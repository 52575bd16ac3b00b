import assert from "node:assert/strict";
import { planTrack, toBlock, type TrakLike } from "./import_track.ts";

const trak = (handler: string, language: number): TrakLike => ({
  tkhd: { type: "tkhd", start: 0, size: 92, track_id: 1, duration: 0xffff_ffff },
  edts: {
    elst: {
      entries: [{
        segment_duration: 1000,
        media_time: 1024,
        media_rate_integer: 1,
        media_rate_fraction: 0,
      }],
    },
  },
  mdia: {
    mdhd: { timescale: 48000, duration: 96000, language },
    hdlr: { handler, name: "Sound" },
    minf: {
      stbl: {
        stsd: {
          entries: [{ type: "mp4a", start: 0, size: 36, samplerate: 48000, channel_count: 2 }],
        },
      },
    },
  },
});

Deno.test("planTrack: language, audio parameters, unknown durations and the edit's origin", () => {
  const und = (("u".charCodeAt(0) - 0x60) << 10) | (("n".charCodeAt(0) - 0x60) << 5) |
    ("d".charCodeAt(0) - 0x60);
  const p = planTrack(trak("soun", und), "audio_main", 1000, "mp4a.40.2");
  assert.equal(p.meta.language, "und");
  assert.deepEqual([p.meta.sample_rate, p.meta.channels], [48000, 2]);
  assert.deepEqual([p.meta.duration, p.meta.tkhd_duration], [96000, 0]);
  assert.equal(p.origin.media_time, 1024);
  const q = planTrack(trak("soun", 0x7fff), "audio_main", 1000, undefined);
  assert.deepEqual([q.meta.language, q.meta.language_code, q.meta.codec], [
    undefined,
    0x7fff,
    "mp4a",
  ]);
});

Deno.test("toBlock: pts_us from the edit's origin, kinds and counts", () => {
  const p = planTrack(trak("soun", 0), "audio_main", 1000, "mp4a.40.2");
  p.units.push(0, 10, 1024, 0, 1024, true, 1, 0);
  p.units.push(10, 12, 2048, 0, 1024, false, 1, 0);
  const a = toBlock(p, 0, new Uint8Array(10));
  const b = toBlock(p, 1, new Uint8Array(12));
  assert.deepEqual([a.pts_us, a.kind, a.keyframe], [0, "I", true]);
  assert.deepEqual([b.pts_us, b.kind, b.keyframe], [21333, "P", false]);
  assert.deepEqual([p.keyframes, p.bytes], [1, 22]);
});
