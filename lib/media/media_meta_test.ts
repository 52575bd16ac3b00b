import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import { fromBase64, parseMediaMeta, toBase64 } from "./media_meta.ts";

const track = {
  mp4_track_id: 1,
  handler: "vide",
  handler_name: "VideoHandler",
  codec: "avc1.64000c",
  timescale: 12800,
  duration: 38400,
  tkhd_duration: 3000,
  samples: 75,
  language: "und",
  tkhd: {
    flags: 3,
    layer: 0,
    alternate_group: 0,
    volume: 0,
    matrix: [65536, 0, 0, 0, 65536, 0, 0, 0, 1073741824],
    width: 10485760,
    height: 7864320,
  },
  sample_entries: ["AAAACGF2YzE="],
  durations: [[75, 512]],
};
const good = {
  version: 1,
  format: "mp4",
  fragmented: false,
  ftyp: null,
  movie_timescale: 1000,
  tracks: { video_main: track },
};

Deno.test("parseMediaMeta accepts what import writes", () => {
  const m = parseMediaMeta(structuredClone(good));
  assert.equal(m.tracks.video_main.timescale, 12800);
  assert.deepEqual(m.tracks.video_main.durations, [[75, 512]]);
});

Deno.test("parseMediaMeta names the bad field", () => {
  const cases: [string, (m: typeof good & Record<string, unknown>) => void][] = [
    ["media", (m) => Object.assign(m, { version: 9 })],
    ["media.format", (m) => Object.assign(m, { format: "mkv" })],
    [
      "media.ftyp",
      (m) =>
        Object.assign(m, { ftyp: { major_brand: "is", minor_version: 0, compatible_brands: [] } }),
    ],
    ["timescale", (m) => Object.assign(m.tracks.video_main, { timescale: 0 })],
    ["durations", (m) => Object.assign(m.tracks.video_main, { durations: [[0, 512]] })],
    ["durations", (m) => Object.assign(m.tracks.video_main, { durations: [[1, -5]] })],
    ["durations", (m) => Object.assign(m.tracks.video_main, { durations: "75x512" })],
    ["sample_entries", (m) => Object.assign(m.tracks.video_main, { sample_entries: [] })],
    ["sample_entries[0]", (m) => Object.assign(m.tracks.video_main, { sample_entries: ["@@@@"] })],
    ["language", (m) => Object.assign(m.tracks.video_main, { language: "EN" })],
    ["matrix", (m) => Object.assign(m.tracks.video_main.tkhd, { matrix: [1, 2] })],
    ["handler", (m) => Object.assign(m.tracks.video_main, { handler: "video" })],
    [
      "edits",
      (m) =>
        Object.assign(m.tracks.video_main, {
          edits: [{
            segment_duration: 1,
            media_time: -2,
            media_rate_integer: 1,
            media_rate_fraction: 0,
          }],
        }),
    ],
    ["entry_runs", (m) => Object.assign(m.tracks.video_main, { entry_runs: [[75, 2]] })],
    ["samples", (m) => Object.assign(m.tracks.video_main, { samples: 1.5 })],
  ];
  for (const [field, f] of cases) {
    const m = structuredClone(good) as typeof good & Record<string, unknown>;
    f(m);
    assert.throws(
      () => parseMediaMeta(m),
      (e) => isH4Error(e, "H4_BAD_ARGUMENT") && e.message.includes(field),
      field,
    );
  }
  assert.throws(
    () => parseMediaMeta(undefined),
    (e) => isH4Error(e, "H4_BAD_ARGUMENT") && /importMedia/.test(e.message),
  );
  assert.throws(() => parseMediaMeta([]), (e) => isH4Error(e, "H4_BAD_ARGUMENT"));
});

Deno.test("base64 round trip and strictness", () => {
  const b = new Uint8Array(70_000).map((_, i) => i * 31);
  assert.deepEqual(fromBase64(toBase64(b)), b);
  for (const s of ["A", "AB=", "A===", "AB C", "ABC-"]) {
    assert.throws(() => fromBase64(s), (e) => isH4Error(e, "H4_BAD_ARGUMENT"), s);
  }
});
