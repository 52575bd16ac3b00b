import assert from "node:assert/strict";
import { concat } from "../format/bytes.ts";
import { isH4Error } from "../format/errors.ts";
import { packContainer } from "../format/writer.ts";
import { openContainer } from "../seek/container.ts";
import type { BlockEntry, BlockInput } from "../format/types.ts";
import { exportMp4 } from "./export.ts";
import { importMedia } from "./import.ts";
import { controlBlock } from "./controls.ts";
import { createSealer, generateKey, openCipher } from "../living/mod.ts";
import {
  ffmpegMakes,
  fixture,
  FIXTURES,
  hasCommand,
  memorySink,
  mp4Tracks,
  toyCipher,
} from "./testdata/helpers.ts";

async function roundTrip(name: string, sealed = false): Promise<Uint8Array> {
  const { sealer, opener } = toyCipher();
  const h4 = memorySink();
  await importMedia(fixture(name), h4.sink, sealed ? { sealer } : {});
  const c = await openContainer(h4.bytes());
  const out = memorySink();
  await exportMp4(c, out.sink, sealed ? { opener } : {});
  return out.bytes();
}

for (const name of FIXTURES) {
  Deno.test(`export ${name}: every sample's dts, cts, duration, size, sync flag and bytes as in the input`, async () => {
    const original = mp4Tracks(await Deno.readFile(fixture(name)));
    const rebuilt = mp4Tracks(await roundTrip(name));
    assert.equal(rebuilt.length, original.length);
    for (let i = 0; i < original.length; i++) {
      const [o, r] = [original[i], rebuilt[i]];
      assert.equal(r.handler, o.handler);
      assert.equal(r.timescale, o.timescale);
      assert.deepEqual(r.edits, o.edits);
      assert.deepEqual(r.entries, o.entries, "sample entries byte for byte");
      assert.equal(r.samples.length, o.samples.length);
      assert.deepEqual(r.samples, o.samples);
    }
  });
}

Deno.test("export of an encrypted container needs the opener and gives the same MP4", async () => {
  assert.deepEqual(await roundTrip("av.mp4", true), await roundTrip("av.mp4"));
  const { sealer } = toyCipher();
  const h4 = memorySink();
  await importMedia(fixture("a.m4a"), h4.sink, { sealer });
  await assert.rejects(
    exportMp4(await openContainer(h4.bytes()), memorySink().sink),
    (e) => isH4Error(e, "H4_ENCRYPTED"),
  );
});

Deno.test("LivingCipher: encrypted import in one pass, export with the key gives the same MP4", async () => {
  const key = generateKey();
  const h4 = memorySink();
  await importMedia(fixture("av.mp4"), h4.sink, { sealer: createSealer(key) });
  const c = await openContainer(h4.bytes());
  assert.equal(c.encrypted, true);
  assert.ok((await c.verify()).ok);
  const out = memorySink();
  await exportMp4(c, out.sink, { opener: await openCipher(c, key) });
  assert.deepEqual(out.bytes(), await roundTrip("av.mp4"));
  await assert.rejects(exportMp4(c, memorySink().sink), (e) => isH4Error(e, "H4_ENCRYPTED"));
});

Deno.test("export leaves out tracks that are not in META.media (controls)", async () => {
  const h4 = memorySink();
  await importMedia(fixture("a.m4a"), h4.sink);
  const c = await openContainer(h4.bytes());
  const blocks: BlockInput[] = [];
  for await (const e of c.entries()) {
    blocks.push({
      track_id: e.track_id,
      pts_us: e.pts_us,
      kind: e.kind,
      keyframe: e.keyframe,
      payload: await c.readBlock(e.index),
    });
  }
  blocks.push(controlBlock({ pts_us: 0, notes: "hello" }));
  const meta = { media: c.meta.media };
  const mixed = await openContainer(await packContainer(blocks, { meta }));
  assert.equal(mixed.tracks.length, 2);
  const out = memorySink();
  await exportMp4(mixed, out.sink);
  assert.deepEqual(mp4Tracks(out.bytes()), mp4Tracks(await roundTrip("a.m4a")));
});

Deno.test("export refuses containers without or with inconsistent META.media", async () => {
  const h4 = memorySink();
  await importMedia(fixture("a.m4a"), h4.sink);
  const good = await openContainer(h4.bytes());
  const blocks: BlockInput[] = [];
  const entries: BlockEntry[] = [];
  for await (const e of good.entries()) {
    entries.push(e);
    blocks.push({
      track_id: e.track_id,
      pts_us: e.pts_us,
      kind: e.kind,
      keyframe: e.keyframe,
      payload: await good.readBlock(e.index),
    });
  }
  const media = good.meta.media as { tracks: Record<string, Record<string, unknown>> };
  const tamper = async (f: (m: typeof media) => void, bs = blocks) => {
    const m = structuredClone(media);
    f(m);
    return exportMp4(
      await openContainer(await packContainer(bs, { meta: { media: m } })),
      memorySink().sink,
    );
  };
  const bad = (e: unknown) => isH4Error(e, "H4_BAD_ARGUMENT");
  await assert.rejects(
    exportMp4(await openContainer(await packContainer(blocks)), memorySink().sink),
    bad,
  );
  await assert.rejects(tamper((m) => (m.tracks.audio_main.durations = [[3, 1024]])), bad);
  await assert.rejects(tamper((m) => (m.tracks.audio_main.samples = 3)), bad);
  await assert.rejects(tamper((m) => (m.tracks.audio_main.sample_entries = ["AAAA"])), bad);
  await assert.rejects(tamper((m) => (m.tracks.audio_main.sample_entries = ["not base64!"])), bad);
  await assert.rejects(tamper((m) => (m.tracks.audio_main.timescale = -1)), bad);
  await assert.rejects(tamper((m) => delete m.tracks.audio_main.tkhd), bad);
  await assert.rejects(tamper((m) => ((m as Record<string, unknown>).version = 2)), bad);
  // a pts that no sample time at 48 kHz maps to (timescale ≤ 10^6: the map is one-to-one)
  const shifted = blocks.map((b, i) => i === 5 ? { ...b, pts_us: b.pts_us + 1 } : b);
  const at48k = (e: unknown) => bad(e) && /pts_us/.test((e as Error).message);
  await assert.rejects(tamper(() => {}, shifted), at48k);
  assert.equal(entries.length, 95);
});

// ffprobe/ffmpeg comparison: the proof with real tools. Skipped, visibly, when they are missing.
const haveTools = (await hasCommand("ffprobe")) && (await hasCommand("ffmpeg"));
if (!haveTools) {
  console.warn(
    "lib/media/export_test.ts: ffmpeg/ffprobe not found, skipping the ffprobe round-trip checks",
  );
}

async function run(cmd: string, args: string[]): Promise<string> {
  const r = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  if (!r.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(r.stderr)}`);
  }
  return new TextDecoder().decode(r.stdout);
}

/** Per stream, in order: pts, dts, duration, size, flags of every packet, and its MD5. */
async function packets(path: string): Promise<Map<string, string[]>> {
  const probe = await run("ffprobe", [
    "-v",
    "error",
    "-show_packets",
    "-of",
    "csv=p=0",
    "-show_entries",
    "packet=stream_index,pts,dts,duration,size,flags",
    path,
  ]);
  const md5 = await run("ffmpeg", [
    "-v",
    "error",
    "-i",
    path,
    "-map",
    "0",
    "-c",
    "copy",
    "-f",
    "framemd5",
    "-",
  ]);
  const byStream = new Map<string, string[]>();
  const add = (s: string, row: string) => byStream.set(s, [...(byStream.get(s) ?? []), row]);
  const order: string[] = [];
  for (const line of probe.split("\n")) {
    const [s, ...rest] = line.split(",");
    if (/^\d+$/.test(s)) {
      add(`probe ${s}`, rest.slice(0, 5).join(","));
      order.push(`${s},${rest[0]},${rest[1]}`);
    }
  }
  // Across streams, in the order the demuxer reads them (the file's interleaving).
  byStream.set("order", order);
  for (const line of md5.split("\n")) {
    if (line.startsWith("#") || !line.trim()) continue;
    const f = line.split(",").map((x) => x.trim());
    add(`md5 ${f[0]}`, [f[1], f[2], f[3], f[4], f[5]].join(","));
  }
  return byStream;
}

for (const name of FIXTURES) {
  Deno.test({
    name: `ffprobe: ${name} and its round trip have identical packets and timestamps`,
    ignore: !haveTools,
    async fn() {
      const dir = await Deno.makeTempDir();
      try {
        const out = `${dir}/rt_${name}`;
        await Deno.writeFile(out, await roundTrip(name));
        const [a, b] = [await packets(fixture(name)), await packets(out)];
        assert.deepEqual([...b.keys()], [...a.keys()]);
        for (const [k, rows] of a) {
          // Fragmented inputs come back fragmented (H4-MED-010): durations too are the same.
          const expected = rows;
          const got = b.get(k)!;
          assert.deepEqual(got, expected, `${name} ${k}`);
        }
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

for (const name of ["pcm_sowt.mov", "pcm_twos.mov", "pcm_lpcm.mov", "pcm_frag.mov"]) {
  Deno.test({
    name: `ffmpeg: ${name} and its round trip decode to identical audio (framemd5)`,
    ignore: !haveTools,
    async fn() {
      const dir = await Deno.makeTempDir();
      try {
        const out = `${dir}/rt_${name}`;
        await Deno.writeFile(out, await roundTrip(name));
        const md5 = (p: string) =>
          run("ffmpeg", ["-v", "error", "-i", p, "-map", "0:a", "-f", "framemd5", "-"]);
        const [a, b] = [await md5(fixture(name)), await md5(out)];
        assert.ok(a.split("\n").length > 8);
        assert.equal(b, a);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

Deno.test("a fragmented input is exported fragmented, fragment for fragment (H4-MED-010)", async () => {
  const topTypes = (b: Uint8Array) => {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const types: string[] = [];
    for (let at = 0; at + 8 <= b.length; at += v.getUint32(at)) {
      types.push(new TextDecoder().decode(b.subarray(at + 4, at + 8)));
    }
    // mfra (a random access index at the end) is not rebuilt: demuxers find moofs without it
    return types.filter((t) => t !== "mfra").join(" ");
  };
  for (const name of ["av_frag.mp4", "pcm_frag.mov"]) {
    const input = await Deno.readFile(fixture(name));
    const out = await roundTrip(name);
    assert.equal(topTypes(out), topTypes(input), name);
    const h4 = memorySink();
    await importMedia(fixture(name), h4.sink);
    const c = await openContainer(h4.bytes());
    const m = c.meta.media as { fragments: [string, number, number][][] };
    assert.equal(m.fragments.length, topTypes(input).split(" ").filter((t) => t === "moof").length);
    // A layout that does not cover the blocks is refused, naming the key.
    for (
      const bad of [
        [[["video_main", 1, 0]]],
        [...m.fragments, [["audio_main", 1, 0]]],
        [[["nope", 1, 0]]],
        [[["audio_main", 0, 0]]],
      ]
    ) {
      const blocks: BlockInput[] = [];
      for await (const e of c.entries()) {
        blocks.push({
          track_id: e.track_id,
          pts_us: e.pts_us,
          kind: e.kind,
          keyframe: e.keyframe,
          payload: await c.readBlock(e.index),
        });
      }
      const meta = { media: { ...(c.meta.media as object), fragments: bad } };
      const c2 = await openContainer(await packContainer(blocks, { meta }));
      await assert.rejects(
        exportMp4(c2, memorySink().sink),
        (e) => isH4Error(e, "H4_BAD_ARGUMENT") && /fragments/.test(e.message),
      );
    }
  }
});

Deno.test({
  name:
    "ffprobe: HEVC, AV1, VP9 + Opus, two audio tracks + mov_text, VFR, ismv made by ffmpeg: same packets",
  ignore: !haveTools,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const v = ["-f", "lavfi", "-i", "testsrc2=size=96x64:rate=25"];
      const a = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"];
      const cases: [string, string[]][] = [
        ["hevc.mp4", [
          ...v,
          ...a,
          "-t",
          "0.5",
          "-map",
          "0:v",
          "-map",
          "1:a",
          "-c:v",
          "libx265",
          "-x265-params",
          "log-level=error",
          "-c:a",
          "aac",
        ]],
        ["av1.mp4", [
          ...v,
          ...a,
          "-t",
          "0.5",
          "-map",
          "0:v",
          "-map",
          "1:a",
          "-c:v",
          "libaom-av1",
          "-cpu-used",
          "8",
          "-c:a",
          "libopus",
        ]],
        ["vp9.mp4", [
          ...v,
          ...a,
          "-t",
          "0.5",
          "-map",
          "0:v",
          "-map",
          "1:a",
          "-c:v",
          "libvpx-vp9",
          "-deadline",
          "realtime",
          "-c:a",
          "libopus",
        ]],
        ["subs.mp4", [
          ...v,
          ...a,
          "-f",
          "lavfi",
          "-i",
          "sine=frequency=880:sample_rate=44100",
          "-i",
          `${dir}/s.srt`,
          "-t",
          "1",
          "-map",
          "0:v",
          "-map",
          "1:a",
          "-map",
          "2:a",
          "-map",
          "3",
          "-c:v",
          "libx264",
          "-c:a",
          "aac",
          "-c:s",
          "mov_text",
        ]],
        ["vfr.mp4", [
          ...v,
          "-t",
          "1",
          "-vf",
          "setpts='if(lt(N,10),N*2,N+10)/TB/25'",
          "-fps_mode",
          "passthrough",
          "-c:v",
          "libx264",
        ]],
        // ismv writes durations of all ones (unknown) in version 1 boxes
        ["ismv.ismv", [
          ...v,
          ...a,
          "-t",
          "0.5",
          "-map",
          "0:v",
          "-map",
          "1:a",
          "-c:v",
          "libx264",
          "-c:a",
          "aac",
          "-f",
          "ismv",
        ]],
      ];
      await Deno.writeTextFile(
        `${dir}/s.srt`,
        "1\n00:00:00,000 --> 00:00:00,500\nhello\n\n2\n00:00:00,500 --> 00:00:01,000\nworld\n",
      );
      let made = 0;
      for (const [name, args] of cases) {
        const path = `${dir}/${name}`;
        if (!await ffmpegMakes(args, path)) {
          console.warn(`export_test: this ffmpeg cannot make ${name}, skipped`);
          continue;
        }
        made++;
        const h4 = memorySink();
        await importMedia(path, h4.sink);
        const out = memorySink();
        await exportMp4(await openContainer(h4.bytes()), out.sink);
        await Deno.writeFile(`${path}.rt.mp4`, out.bytes());
        const probe = (p: string) =>
          run("ffprobe", [
            "-v",
            "error",
            "-show_entries",
            "packet=stream_index,pts,dts,duration,size,flags",
            "-of",
            "csv=p=0",
            p,
          ]);
        assert.equal(await probe(`${path}.rt.mp4`), await probe(path), name);
      }
      assert.ok(made >= 3, `only ${made} inputs could be made`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("export's output: pieces gathered in two buffers in turn, each written once the last write is done", async () => {
  const { coalescingSink } = await import("./export.ts");
  // A sink that reads its bytes only when its write completes (as an asynchronous file write
  // does) and fails if a second write starts before: the bytes must come out as they went in.
  const got: Uint8Array[] = [];
  let busy = false;
  const out = coalescingSink({
    write(b) {
      assert.ok(!busy, "a write started before the last one was done");
      busy = true;
      return new Promise<void>((resolve) =>
        setTimeout(() => {
          got.push(b.slice());
          busy = false;
          resolve();
        }, 1)
      );
    },
  });
  const sent: Uint8Array[] = [];
  for (let i = 0; i < 400; i++) {
    const n = i % 97 === 0 ? (1 << 20) + i : 3000 + ((i * 7919) % 40_000);
    const b = new Uint8Array(n).fill(i & 255);
    sent.push(b.slice());
    if (i % 3 === 0 && out.add(b)) continue;
    await out.write(b);
    b.fill(0); // the caller's bytes are its own again
  }
  await out.flush();
  assert.ok(!busy);
  const a = concat(got);
  const b = concat(sent);
  assert.equal(a.length, b.length);
  assert.equal(a.findIndex((x, i) => x !== b[i]), -1);
});
