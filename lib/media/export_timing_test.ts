import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import { checkedEntry, timing, type TrackState } from "./export_timing.ts";
import type { MediaTrackMeta } from "./media_meta.ts";

const meta = (extra: Partial<MediaTrackMeta> = {}): MediaTrackMeta => ({
  mp4_track_id: 1,
  handler: "soun",
  handler_name: "",
  codec: "mp4a.40.2",
  timescale: 48000,
  duration: 2048,
  tkhd_duration: 0,
  samples: 2,
  tkhd: { flags: 3, layer: 0, alternate_group: 0, volume: 256, matrix: [], width: 0, height: 0 },
  sample_entries: [],
  durations: [[2, 1024]],
  ...extra,
});

const state = (m: MediaTrackMeta, pts: number[]): TrackState => ({
  id: "audio_main",
  meta: m,
  pts,
  sizes: pts.map(() => 10),
  sync: pts.map(() => true),
  chunks: [{ offset: 0, count: 2, entry: 1 }],
  entryOf: [],
  seen: pts.length,
  skipped: 0,
  packedSamples: 0,
});

Deno.test("timing: decode times from durations, composition offsets from pts_us", () => {
  const t = timing(state(meta(), [0, 21333]), [], 1000);
  assert.deepEqual([t.durations, t.ctsOffsets, t.sizes], [[1024, 1024], [0, 0], [10, 10]]);
  // A pts that no sample time at 48 kHz gives.
  assert.throws(
    () => timing(state(meta(), [0, 21334]), [], 1000),
    (e) => isH4Error(e, "H4_BAD_ARGUMENT") && /no sample time/.test(e.message),
  );
});

Deno.test("timing: a packed track's blocks must be whole chunks of its samples", () => {
  const packed = { sample_size: 4, sample_duration: 1, samples: 2048 };
  const m = meta({ samples: 2, packed });
  const t = state(m, [0, 21333]);
  t.chunks = [{ offset: 0, count: 1024, entry: 1 }, { offset: 4096, count: 1024, entry: 1 }];
  t.packedSamples = 2048;
  assert.deepEqual(timing(t, [], 1000).packed, { size: 4, duration: 1, count: 2048 });
  t.packedSamples = 2047;
  assert.throws(() => timing(t, [], 1000), (e) => isH4Error(e, "H4_BAD_ARGUMENT"));
});

Deno.test("checkedEntry: a box whose size field is not its length is refused", () => {
  const box = new Uint8Array([0, 0, 0, 9, 0x61, 0x76, 0x63, 0x31]);
  assert.throws(() => checkedEntry(box, "e"), (e) => isH4Error(e, "H4_BAD_ARGUMENT"));
});
