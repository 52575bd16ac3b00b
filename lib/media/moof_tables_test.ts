import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import { type FragmentTrack, readMoof } from "./moof_tables.ts";
import { TrackUnits } from "./track_units.ts";
import { topLevelBoxes } from "./mp4_boxes.ts";
import { readMoov } from "./sample_tables.ts";
import { bytesSource } from "../format/byte_source.ts";
import { fixture, mp4Box } from "./testdata/helpers.ts";

Deno.test("readMoof: the fragments of av_frag.mp4 give every sample once, in decode order", async () => {
  const bytes = await Deno.readFile(fixture("av_frag.mp4"));
  const boxes = await topLevelBoxes(bytesSource(bytes));
  const moov = boxes.find((b) => b.type === "moov")!;
  const { trex } = readMoov(bytes.subarray(moov.start, moov.start + moov.size), bytes.length);
  const tracks = new Map<number, FragmentTrack>([[1, { units: new TrackUnits(), nextDts: 0 }]]);
  const serial = { n: 0 };
  const trafs: number[] = [];
  for (const b of boxes.filter((b) => b.type === "moof")) {
    const moof = bytes.subarray(b.start, b.start + b.size);
    readMoof(moof, b.start, trex, tracks, bytes.length, serial, (id) => void trafs.push(id));
  }
  const u = tracks.get(1)!.units;
  assert.ok(u.length > 0 && trafs.every((id) => id === 1));
  for (let i = 1; i < u.length; i++) assert.equal(u.dts[i], u.dts[i - 1] + u.duration[i - 1]);
  assert.ok(u.offset.subarray(0, u.length).every((o, i) => o + u.size[i] <= bytes.length));
});

Deno.test("readMoof refuses a trun that says more samples than its bytes hold", () => {
  const tfhd = mp4Box("tfhd", Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 1));
  // flags 0x200 (sizes present), 1000 samples, no bytes for them.
  const trun = mp4Box("trun", Uint8Array.of(0, 0, 2, 0, 0, 0, 0x03, 0xe8));
  const moof = mp4Box("moof", mp4Box("traf", tfhd, trun));
  assert.throws(
    () => readMoof(moof, 0, new Map(), new Map(), 1 << 20, { n: 0 }),
    (e) => isH4Error(e, "H4_BAD_ARGUMENT") && /says 1000 samples/.test(e.message),
  );
});
