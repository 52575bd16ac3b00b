import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import { buildFragment, buildInitSegment } from "./fmp4_mux.ts";

const u32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset).getUint32(at);
const type = (b: Uint8Array, at: number) => String.fromCharCode(...b.subarray(at + 4, at + 8));

/** Offset of the first box of `t` in `b`, searching every position (test data is small). */
function find(b: Uint8Array, t: string, from = 0): number {
  for (let i = from; i + 8 <= b.length; i++) if (type(b, i) === t) return i;
  return -1;
}

const entry = new Uint8Array([0, 0, 0, 8, 0x6d, 0x70, 0x34, 0x61]); // "mp4a", empty

Deno.test("buildInitSegment: ftyp, then moov with a trak per track and mvex/trex", () => {
  const init = buildInitSegment([
    { track_id: 1, handler: "vide", timescale: 12800, entries: [entry], width: 320, height: 180 },
    { track_id: 2, handler: "soun", timescale: 48000, entries: [entry], language: "eng" },
  ]);
  assert.equal(type(init, 0), "ftyp");
  const moov = u32(init, 0);
  assert.equal(type(init, moov), "moov");
  assert.equal(moov + u32(init, moov), init.length);
  let traks = 0;
  for (let at = find(init, "trak"); at >= 0; at = find(init, "trak", at + 8)) traks++;
  assert.equal(traks, 2);
  assert.ok(find(init, "trex") > 0 && find(init, "vmhd") > 0 && find(init, "smhd") > 0);
  // The sample entry is carried byte for byte.
  const stsd = find(init, "stsd");
  assert.deepEqual(init.subarray(stsd + 16, stsd + 24), entry);
});

Deno.test("buildInitSegment: bad tracks are H4_BAD_ARGUMENT", () => {
  const bad = (f: () => unknown) =>
    assert.throws(f, (e) => isH4Error(e) && e.code === "H4_BAD_ARGUMENT");
  bad(() => buildInitSegment([]));
  bad(() => buildInitSegment([{ track_id: 0, handler: "vide", timescale: 1, entries: [entry] }]));
  bad(() => buildInitSegment([{ track_id: 1, handler: "vide", timescale: 0, entries: [entry] }]));
  bad(() => buildInitSegment([{ track_id: 1, handler: "vide", timescale: 1, entries: [] }]));
  const t = { track_id: 1, handler: "vide", timescale: 1, entries: [entry] };
  bad(() => buildInitSegment([t, t]));
});

Deno.test("buildFragment: each trun's data offset points at its samples in the mdat", () => {
  const runs = [
    {
      track_id: 1,
      base_decode_time: 2 ** 40,
      samples: [
        { size: 3, duration: 512, cts_offset: 1024, sync: true },
        { size: 2, duration: 512, cts_offset: -512, sync: false },
      ],
    },
    {
      track_id: 2,
      base_decode_time: 0,
      entry: 2,
      samples: [{ size: 4, duration: 1024, cts_offset: 0, sync: true }],
    },
  ];
  const head = buildFragment(7, runs);
  assert.equal(type(head, 0), "moof");
  const moof = u32(head, 0);
  assert.equal(type(head, moof), "mdat");
  assert.equal(u32(head, moof), 8 + 9);
  assert.equal(head.length, moof + 8);
  assert.equal(u32(head, find(head, "mfhd") + 12), 7);
  const offsets: number[] = [];
  for (let at = find(head, "trun"); at >= 0; at = find(head, "trun", at + 8)) {
    assert.equal(head[at + 8], 1, "trun version 1 (signed offsets)");
    offsets.push(u32(head, at + 16));
  }
  assert.deepEqual(offsets, [moof + 8, moof + 8 + 5]);
  // tfdt is 64-bit; the second traf names its sample description.
  const tfdt = find(head, "tfdt");
  assert.equal(u32(head, tfdt + 12), 2 ** 8);
  const tfhd2 = find(head, "tfhd", find(head, "tfhd") + 8);
  assert.equal(u32(head, tfhd2 + 8) & 2, 2);
  assert.equal(u32(head, tfhd2 + 16), 2);
});

Deno.test("buildFragment: bad numbers are H4_BAD_ARGUMENT", () => {
  const s = { size: 1, duration: 1, cts_offset: 0, sync: true };
  const bad = (f: () => unknown) =>
    assert.throws(f, (e) => isH4Error(e) && e.code === "H4_BAD_ARGUMENT");
  bad(() => buildFragment(0, []));
  bad(() => buildFragment(1, [{ track_id: 1, base_decode_time: -1, samples: [s] }]));
  bad(() =>
    buildFragment(1, [{ track_id: 1, base_decode_time: 0, samples: [{ ...s, size: -1 }] }])
  );
  bad(() =>
    buildFragment(1, [{
      track_id: 1,
      base_decode_time: 0,
      samples: [{ ...s, cts_offset: 2 ** 31 }],
    }])
  );
  bad(() =>
    buildFragment(1, [{ track_id: 1, base_decode_time: 0, samples: [{ ...s, duration: 0.5 }] }])
  );
});
