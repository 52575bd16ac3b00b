import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import { bytesSource } from "../format/byte_source.ts";
import { openContainer } from "../seek/container.ts";
import type { BlockEntry } from "../format/types.ts";
import { importMedia } from "./import.ts";
import { parseMediaMeta } from "./media_meta.ts";
import { fixture, memorySink, toyCipher } from "./testdata/helpers.ts";

async function imp(name: string, opts: Parameters<typeof importMedia>[2] = {}) {
  const m = memorySink();
  const summary = await importMedia(fixture(name), m.sink, opts);
  const c = await openContainer(m.bytes());
  const entries: BlockEntry[] = [];
  for await (const e of c.entries()) entries.push(e);
  return { summary, bytes: m.bytes(), c, entries };
}

Deno.test("import av.mp4: one block per sample, track ids, kinds, META.media", async () => {
  const { summary, c, entries } = await imp("av.mp4");
  assert.equal(summary.fragmented, false);
  assert.deepEqual(
    summary.tracks.map((t) => [t.track_id, t.handler, t.codec, t.samples, t.keyframes]),
    [
      ["video_main", "vide", "avc1.64000c", 75, 3],
      ["audio_main", "soun", "mp4a.40.2", 131, 131],
    ],
  );
  assert.equal(summary.blocks, 206);
  assert.equal(c.blockCount, 206);
  assert.deepEqual(c.tracks.map((t) => [t.track_id, t.blocks, t.keyframes]), [[
    "audio_main",
    131,
    131,
  ], ["video_main", 75, 3]]);
  const video = entries.filter((e) => e.track_id === "video_main");
  // x264 -bf 2 with pyramid: I P B B P B B ... in decode order; pts 25 fps after the edit list.
  assert.deepEqual(video.slice(0, 7).map((e) => e.kind).join(""), "IPBBPBB");
  assert.deepEqual(video.slice(0, 4).map((e) => e.pts_us), [0, 120_000, 40_000, 80_000]);
  assert.ok(video.every((e) => (e.kind === "I") === e.keyframe));
  assert.deepEqual(
    [...video.map((e) => e.pts_us)].sort((a, b) => a - b),
    video.map((_, i) => i * 40_000),
  );
  const audio = entries.filter((e) => e.track_id === "audio_main");
  // AAC priming: the edit list starts at media time 1024 of 44100, so the first packet is early.
  assert.deepEqual(audio.slice(0, 3).map((e) => e.pts_us), [-23_220, 0, 23_220]);
  assert.ok(audio.every((e) => e.kind === "I" && e.keyframe));
  const media = parseMediaMeta(c.meta.media);
  const v = media.tracks.video_main;
  assert.equal(v.timescale, 12800);
  assert.equal(v.config_box, "avcC");
  assert.equal(v.width, 160);
  assert.equal(v.height, 120);
  assert.deepEqual(v.durations, [[75, 512]]);
  assert.deepEqual(v.edits, [{
    segment_duration: 3000,
    media_time: 1024,
    media_rate_integer: 1,
    media_rate_fraction: 0,
  }]);
  assert.equal(v.language, "und");
  const a = media.tracks.audio_main;
  assert.equal(a.config_box, "esds");
  assert.equal(a.sample_rate, 44100);
  assert.deepEqual(a.durations, [[130, 1024], [1, 204]]);
  assert.equal(a.tkhd.volume, 0x100);
  const report = await c.verify();
  assert.ok(report.ok, JSON.stringify(report.checks.filter((k) => !k.ok)));
});

Deno.test("import keeps the input's interleaving and is independent of the read size", async () => {
  const big = await imp("av.mp4");
  const small = await imp("av.mp4", { readSize: 4096 });
  assert.deepEqual(small.bytes, big.bytes);
  const order = big.entries.slice(0, 6).map((e) => e.track_id[0]).join("");
  assert.equal(order, "vvavaa"); // the order of the samples in av.mp4's mdat
});

Deno.test("import from a ByteSource equals import from the path", async () => {
  const m = memorySink();
  await importMedia(bytesSource(await Deno.readFile(fixture("av.mp4"))), m.sink);
  assert.deepEqual(m.bytes(), (await imp("av.mp4")).bytes);
});

Deno.test("import a fragmented MP4: durations from the fragments, same blocks as the plain file", async () => {
  const frag = await imp("av_frag.mp4", { readSize: 8192 });
  const plain = await imp("av.mp4");
  assert.equal(frag.summary.fragmented, true);
  const media = parseMediaMeta(frag.c.meta.media);
  assert.equal(media.fragmented, true);
  // No edit list in this fragmented file: ffmpeg folds the AAC priming into the first duration.
  assert.deepEqual(media.tracks.audio_main.durations, [[1, 3528], [129, 1024], [1, 204]]);
  assert.deepEqual(media.tracks.video_main.durations, [[75, 512]]);
  assert.equal(media.tracks.video_main.edits, undefined);
  const payloads = async (r: typeof frag, id: string) => {
    const out: string[] = [];
    for (const e of r.entries) {
      if (e.track_id === id) out.push((await r.c.readBlock(e.index)).join());
    }
    return out;
  };
  assert.deepEqual(await payloads(frag, "video_main"), await payloads(plain, "video_main"));
  assert.deepEqual(
    frag.entries.filter((e) => e.track_id === "video_main").map((e) => e.kind),
    plain.entries.filter((e) => e.track_id === "video_main").map((e) => e.kind),
  );
});

Deno.test("import M4A (audio only, moov first) and MOV (QuickTime)", async () => {
  const m4a = await imp("a.m4a");
  assert.deepEqual(m4a.summary.tracks.map((t) => [t.track_id, t.samples]), [["audio_main", 95]]);
  const mov = await imp("v.mov");
  assert.deepEqual(mov.summary.tracks.map((t) => t.track_id), ["video_main", "audio_main"]);
  const media = parseMediaMeta(mov.c.meta.media);
  assert.equal(media.ftyp?.major_brand, "qt  ");
  assert.equal(media.tracks.video_main.language, undefined);
  assert.equal(media.tracks.video_main.language_code, 0x7fff);
});

Deno.test("import at a timescale above 10^6 keeps the composition offsets in META", async () => {
  const { c } = await imp("v_10mhz.mp4");
  const v = parseMediaMeta(c.meta.media).tracks.video_main;
  assert.equal(v.timescale, 10_000_000);
  assert.ok(v.cts_offsets && v.cts_offsets.length > 1);
  assert.equal(
    parseMediaMeta((await imp("av.mp4")).c.meta.media).tracks.video_main.cts_offsets,
    undefined,
  );
});

Deno.test("import --tracks selects by class or by id", async () => {
  const a = await imp("av.mp4", { tracks: ["audio"] });
  assert.deepEqual(a.c.tracks.map((t) => t.track_id), ["audio_main"]);
  assert.deepEqual(Object.keys(parseMediaMeta(a.c.meta.media).tracks), ["audio_main"]);
  const v = await imp("av.mp4", { tracks: ["video_main"] });
  assert.deepEqual(v.c.tracks.map((t) => t.track_id), ["video_main"]);
  for (const tracks of [["audio_2"], ["bogus"], [], ["video", "data_x"]]) {
    await assert.rejects(imp("av.mp4", { tracks }), (e) => isH4Error(e, "H4_BAD_ARGUMENT"));
  }
  await assert.rejects(
    imp("a.m4a", { tracks: ["video"] }),
    (e) => isH4Error(e, "H4_BAD_ARGUMENT") && /audio_main/.test(e.message),
  );
});

Deno.test("import reports progress", async () => {
  const seen: number[] = [];
  const { summary } = await imp("a.m4a", {
    readSize: 4096,
    onProgress: (p) => void seen.push(p.bytes_read),
  });
  assert.ok(seen.length >= 3);
  assert.ok(seen[seen.length - 1] >= summary.bytes_in);
});

Deno.test("encrypted import in one pass: blocks sealed, metadata readable", async () => {
  const { sealer, opener } = toyCipher();
  const plain = await imp("av.mp4");
  const enc = await imp("av.mp4", { sealer });
  assert.equal(enc.c.encrypted, true);
  assert.equal(enc.c.blockCount, plain.c.blockCount);
  assert.deepEqual(enc.c.meta.media, plain.c.meta.media);
  await assert.rejects(enc.c.readBlock(0), (e) => isH4Error(e, "H4_ENCRYPTED"));
  for (const i of [0, 1, 100, 205]) {
    assert.deepEqual(await enc.c.readBlock(i, { opener }), await plain.c.readBlock(i));
  }
});

Deno.test("import with profile v1", async () => {
  const { c } = await imp("a.m4a", { profile: "v1" });
  assert.equal(c.profile, "v1");
  assert.equal(c.blockCount, 95);
});

Deno.test("import refuses what is not MP4: Matroska, other files, empty, truncated", async () => {
  const run = (bytes: Uint8Array) => importMedia(bytesSource(bytes), memorySink().sink);
  const webm = new Uint8Array([
    0x1a,
    0x45,
    0xdf,
    0xa3,
    0x9f,
    0x42,
    0x86,
    0x81,
    1,
    0x42,
    0xf7,
    0x81,
    1,
  ]);
  await assert.rejects(
    run(webm),
    (e) =>
      isH4Error(e, "H4_BAD_ARGUMENT") && /Matroska/.test(e.message) &&
      /MP4, M4A, MOV/.test(e.message),
  );
  await assert.rejects(
    run(new TextEncoder().encode("RIFF\0\0\0\0WAVEfmt ")),
    (e) => isH4Error(e, "H4_BAD_ARGUMENT") && /not MP4/.test(e.message),
  );
  await assert.rejects(run(new Uint8Array(0)), (e) => isH4Error(e, "H4_BAD_ARGUMENT"));
  const av = await Deno.readFile(fixture("av.mp4"));
  // moov is at the end of av.mp4: without it there is nothing to import.
  await assert.rejects(
    run(av.subarray(0, 40_000)),
    (e) => isH4Error(e, "H4_BAD_ARGUMENT") && /moov/.test(e.message),
  );
  const frag = await Deno.readFile(fixture("av_frag.mp4"));
  await assert.rejects(run(frag.subarray(0, 50_000)), (e) => isH4Error(e));
  await assert.rejects(
    importMedia(fixture("av.mp4"), memorySink().sink, { readSize: 10 }),
    (e) => isH4Error(e, "H4_BAD_ARGUMENT"),
  );
  await assert.rejects(importMedia(fixture("missing.mp4"), memorySink().sink), (e) => isH4Error(e));
});

Deno.test("import of damaged MP4 never hangs and fails with an H4Error", async () => {
  const av = await Deno.readFile(fixture("a.m4a"));
  for (let k = 0; k < 40; k++) {
    const bad = av.slice();
    // flip bytes in the moov (at the front of a.m4a) and in the data
    for (let j = 0; j < 4; j++) bad[(k * 7919 + j * 104_729) % 4000] ^= 0xff;
    try {
      await importMedia(bytesSource(bad), memorySink().sink, { readSize: 4096 });
    } catch (e) {
      assert.ok(isH4Error(e), `damage ${k}: ${e}`);
    }
  }
});

Deno.test("PCM (H4-MED-007): one block per chunk, with the sample parameters in META", async () => {
  const cases: [string, string, number, number, number][] = [
    // file, codec, sample rate, channels, bytes per sample
    ["pcm_sowt.mov", "sowt", 8000, 1, 2],
    ["pcm_twos.mov", "twos", 8000, 2, 4],
    ["pcm_lpcm.mov", "lpcm", 96000, 1, 3],
  ];
  for (const [name, codec, rate, channels, size] of cases) {
    const { summary, c, entries } = await imp(name);
    const audio = summary.tracks.find((t) => t.track_id === "audio_main")!;
    const m = parseMediaMeta(c.meta.media).tracks.audio_main;
    assert.equal(m.codec, codec, name);
    assert.equal(m.sample_rate, rate, name);
    assert.equal(m.channels, channels, name);
    assert.equal(m.packed?.sample_size, size, name);
    assert.equal(m.packed?.sample_duration, 1, name);
    const blocks = entries.filter((e) => e.track_id === "audio_main");
    // A chunk holds many samples: far fewer blocks than samples, all of whole samples.
    assert.ok(blocks.length * 100 < m.packed!.samples, `${name}: ${blocks.length} blocks`);
    assert.equal(audio.samples, blocks.length);
    let bytes = 0;
    for (const b of blocks) {
      assert.equal(b.plain_length % size, 0);
      bytes += b.plain_length;
    }
    assert.equal(bytes, m.packed!.samples * size, name);
    assert.ok(blocks.every((b) => b.keyframe && b.kind === "I"));
    // pts of each block = the time of its first sample
    let samples = 0;
    for (const b of blocks) {
      assert.equal(b.pts_us, Math.round((samples * 1_000_000) / rate));
      samples += b.plain_length / size;
    }
  }
});

Deno.test("PCM in a fragmented MOV: the muxer's packets of 1024 samples stay blocks", async () => {
  const { c, entries } = await imp("pcm_frag.mov");
  const m = parseMediaMeta(c.meta.media).tracks.audio_main;
  assert.deepEqual([m.codec, m.sample_rate, m.channels, m.packed], ["sowt", 8000, 1, undefined]);
  assert.deepEqual(entries.map((e) => e.plain_length), [...Array(7).fill(2048), 1664]);
});

Deno.test("PCM: ipcm (ISO 23003-5) and other constant tiny samples pack by chunk too", async () => {
  // The twos fixture with its sample entry renamed: the sample tables decide, not the name.
  const bytes = await Deno.readFile(fixture("pcm_twos.mov"));
  const at = new TextDecoder("latin1").decode(bytes).indexOf("twos");
  bytes.set(new TextEncoder().encode("ipcm"), at);
  const m = memorySink();
  const s = await importMedia(bytesSource(bytes), m.sink);
  const meta = parseMediaMeta((await openContainer(m.bytes())).meta.media).tracks.audio_main;
  assert.equal(meta.codec, "ipcm");
  assert.equal(meta.packed?.samples, 8000);
  assert.ok(s.blocks < 100);
});

/** Where box `type` starts in `bytes` (its size field), searched as text. */
function boxAt(bytes: Uint8Array, type: string, from = 0): number {
  return new TextDecoder("latin1").decode(bytes).indexOf(type, from) - 4;
}

const JS_INTERNALS =
  /DataView|bounds|undefined|null|TypeError|RangeError|is not|Cannot read|NaN|\[object/;

Deno.test("damaged sample tables: typed errors that name the table, no JavaScript internals", async () => {
  const av = await Deno.readFile(fixture("av.mp4"));
  const cases: [string, (b: Uint8Array, v: DataView) => void][] = [
    // stsz says more sizes than it holds
    ["stsz", (b, v) => v.setUint32(boxAt(b, "stsz") + 16, 0x0fff_ffff)],
    // a constant size for more samples than the file holds
    ["stsz", (b, v) => {
      const at = boxAt(b, "stsz");
      v.setUint32(at + 12, 4);
      v.setUint32(at + 16, 0xffff_ffff);
    }],
    ["stco", (b, v) => v.setUint32(boxAt(b, "stco") + 12, 0x7fff_ffff)],
    ["stsc", (b, v) => v.setUint32(boxAt(b, "stsc") + 12, 0x7fff_ffff)],
    ["stts", (b, v) => v.setUint32(boxAt(b, "stts") + 12, 0x7fff_ffff)],
    // a chunk offset past the end of the input
    ["sample data", (b, v) => v.setUint32(boxAt(b, "stco") + 16, 0x7fff_0000)],
    // a box size running past its parent
    ["box", (b, v) => v.setUint32(boxAt(b, "stbl"), 0x00ff_ffff)],
  ];
  for (const [what, damage] of cases) {
    const bad = av.slice();
    damage(bad, new DataView(bad.buffer));
    await assert.rejects(
      importMedia(bytesSource(bad), memorySink().sink),
      (e) => {
        assert.ok(isH4Error(e), `${what}: ${e}`);
        assert.ok(!JS_INTERNALS.test(e.message), `${what}: ${e.message}`);
        assert.ok(!e.message.includes("\n"));
        return true;
      },
    );
  }
});

Deno.test("import of damaged MP4: messages carry no JavaScript internals and mp4box prints nothing", async () => {
  const said: unknown[] = [];
  const saved = { ...console };
  for (const k of ["log", "info", "warn", "error", "debug"] as const) {
    console[k] = (...a: unknown[]) => void said.push(a);
  }
  try {
    for (const name of ["a.m4a", "av.mp4", "pcm_twos.mov"]) {
      const src = await Deno.readFile(fixture(name));
      for (let k = 0; k < 60; k++) {
        const bad = src.slice();
        // damage inside the moov, where the tables and descriptions are
        const moov = boxAt(bad, "moov");
        for (let j = 0; j < 3; j++) bad[moov + 8 + ((k * 7919 + j * 104_729) % 900)] ^= 0xa5;
        try {
          await importMedia(bytesSource(bad), memorySink().sink);
        } catch (e) {
          assert.ok(isH4Error(e), `${name} damage ${k}: ${e}`);
          assert.ok(!JS_INTERNALS.test(e.message), `${name} damage ${k}: ${e.message}`);
        }
      }
    }
  } finally {
    Object.assign(console, saved);
  }
  assert.deepEqual(said, []);
});

Deno.test("blocks of all tracks follow the input's byte order (H4-MED-008)", async () => {
  const { createFile } = await import("mp4box");
  for (const name of ["av.mp4", "v.mov", "av_frag.mp4", "pcm_sowt.mov"]) {
    const bytes = await Deno.readFile(fixture(name));
    const f = createFile();
    const ab = bytes.slice().buffer as ArrayBuffer & { fileStart: number };
    ab.fileStart = 0;
    // deno-lint-ignore no-explicit-any
    f.appendBuffer(ab as any);
    f.flush();
    // Every sample's (file offset, track, size) as mp4box lists them, in file order.
    const rows: [number, number, number][] = [];
    // deno-lint-ignore no-explicit-any
    for (const trak of (f as any).moov.traks) {
      for (const s of trak.samples) rows.push([s.offset, trak.tkhd.track_id, s.size]);
    }
    rows.sort((a, b) => a[0] - b[0]);
    const { entries, c } = await imp(name);
    const media = parseMediaMeta(c.meta.media);
    const byMp4 = new Map(Object.entries(media.tracks).map(([id, t]) => [t.mp4_track_id, id]));
    // Blocks in container order, each expanded back to the track of its samples.
    const got: string[] = [];
    for (const e of entries) got.push(e.track_id);
    const want: string[] = [];
    for (const [, track] of rows) {
      const id = byMp4.get(track)!;
      const packed = media.tracks[id].packed;
      // a packed track's chunk is one block: count it once per run of its samples
      if (packed && want[want.length - 1] === id) continue;
      want.push(id);
    }
    assert.deepEqual(got, want, name);
  }
});

Deno.test("damaged fragments (moof, traf, trun): typed errors, no hang, nothing printed", async () => {
  for (const name of ["av_frag.mp4", "pcm_frag.mov"]) {
    const src = await Deno.readFile(fixture(name));
    const moof = boxAt(src, "moof");
    for (let k = 0; k < 80; k++) {
      const bad = src.slice();
      for (let j = 0; j < 2; j++) bad[moof + 8 + ((k * 7919 + j * 104_729) % 600)] ^= 0x5a + k;
      try {
        await importMedia(bytesSource(bad), memorySink().sink);
      } catch (e) {
        assert.ok(isH4Error(e), `${name} damage ${k}: ${e}`);
        assert.ok(!JS_INTERNALS.test(e.message), `${name} damage ${k}: ${e.message}`);
      }
    }
    // a trun claiming 2^32-1 default-size samples
    const bad = src.slice();
    const trun = boxAt(bad, "trun");
    new DataView(bad.buffer).setUint32(trun + 12, 0xffff_ffff);
    await assert.rejects(
      importMedia(bytesSource(bad), memorySink().sink),
      (e) => isH4Error(e, "H4_BAD_ARGUMENT") && /trun/.test(e.message),
    );
  }
});
