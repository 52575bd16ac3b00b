import assert from "node:assert/strict";
import { bytesSource } from "../format/byte_source.ts";
import { isH4Error } from "../format/errors.ts";
import { planTrack } from "./import_track.ts";
import { assignTrackIds } from "./mapping.ts";
import { type HeadInfo, readHead } from "./moov_head.ts";
import { readHeadMp4box } from "./moov_head_mp4box.ts";
import { topLevelBoxes } from "./mp4_boxes.ts";
import { readMoov } from "./sample_tables.ts";
import { ffmpegMakes, fixture, FIXTURES } from "./testdata/helpers.ts";

/** The head the importer reads: ftyp (if any) and the moov with its sample tables blanked. */
async function headOf(bytes: Uint8Array): Promise<Uint8Array> {
  const src = bytesSource(bytes);
  const boxes = await topLevelBoxes(src);
  const moov = boxes.find((b) => b.type === "moov")!;
  const freed = readMoov(bytes.subarray(moov.start, moov.start + moov.size), bytes.length).freed;
  const ftyp = boxes.find((b) => b.type === "ftyp" && b.size <= 4096);
  const f = ftyp ? bytes.subarray(ftyp.start, ftyp.start + ftyp.size) : new Uint8Array(0);
  const head = new Uint8Array(f.length + freed.length);
  head.set(f);
  head.set(freed, f.length);
  return head;
}

/** Everything the importer takes from a head: the plan of each track, and the movie's fields. */
function planned(info: HeadInfo): unknown {
  const ids = assignTrackIds(info.traks.map((t) => t.mdia.hdlr.handler));
  return {
    ftyp: info.ftyp,
    movieTimescale: info.movieTimescale,
    fragmented: info.fragmented,
    codecs: info.codecs,
    plans: info.traks.map((t, i) => {
      const p = planTrack(t, ids[i], info.movieTimescale, info.codecs[i]);
      return {
        meta: p.meta,
        origin: p.origin,
        rawEntries: p.rawEntries,
        tkhdBox: p.tkhdBox,
        configBox: p.configBox && [p.configBox.type, p.configBox.start, p.configBox.size],
        entries: t.mdia.minf.stbl.stsd.entries.map((e) => [e.type, e.start, e.size]),
      };
    }),
  };
}

/** mp4box's reading of `head`, or the error it gives. */
async function byMp4box(head: Uint8Array): Promise<unknown> {
  try {
    return planned(await readHeadMp4box(head));
  } catch (e) {
    return { error: isH4Error(e) ? e.code : "thrown" };
  }
}

Deno.test("readHead reads H.264 and AAC heads as mp4box does, and leaves the others to it", async () => {
  const read: string[] = [];
  for (const name of FIXTURES) {
    const head = await headOf(await Deno.readFile(fixture(name)));
    const own = readHead(head);
    if (own) {
      read.push(name);
      assert.deepEqual(planned(own), await byMp4box(head), name);
    }
  }
  // H.264 and AAC in MP4, M4A and fragmented MP4 are read without mp4box (AAC in MOV has a
  // QuickTime sound description, left to mp4box).
  assert.deepEqual(read, ["av.mp4", "av_frag.mp4", "a.m4a", "v_10mhz.mp4"]);
});

/** Boxes of which readHead reads more than the size and type. */
const READ = new Set([
  "ftyp",
  "moov",
  "mvhd",
  "trak",
  "tkhd",
  "edts",
  "elst",
  "mdia",
  "mdhd",
  "hdlr",
  "minf",
  "stbl",
  "stsd",
]);
/** The boxes readHead walks into. */
const WALKED = new Set(["moov", "trak", "edts", "mdia", "minf", "stbl"]);

/** The innermost box holding byte `at` of `head`, down the boxes readHead walks. */
function boxAt(head: Uint8Array, at: number): { type: string; start: number } {
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let from = 0;
  let to = head.length;
  let found = { type: "", start: 0 };
  for (;;) {
    let pos = from;
    let inner: { type: string; start: number; end: number } | undefined;
    while (to - pos >= 8) {
      const size = v.getUint32(pos);
      const type = String.fromCharCode(...head.subarray(pos + 4, pos + 8));
      if (size < 8) break;
      if (at >= pos && at < pos + size) inner = { type, start: pos, end: pos + size };
      pos += size;
    }
    if (!inner) return found;
    found = inner;
    if (!WALKED.has(inner.type) || at < inner.start + 8) return found;
    from = inner.start + 8;
    to = Math.min(inner.end, head.length);
  }
}

Deno.test("readHead on damaged heads: what it reads, mp4box reads the same", async () => {
  let compared = 0;
  for (const name of ["av.mp4", "a.m4a", "v.mov", "av_frag.mp4"]) {
    const clean = await headOf(await Deno.readFile(fixture(name)));
    for (let k = 0; k < 300; k++) {
      const head = clean.slice();
      // one to three changed bytes anywhere in the head (sizes, types, fields, descriptors)
      const changed: number[] = [];
      for (let j = 0; j <= k % 3; j++) {
        const at = (k * 7919 + j * 104_729) % head.length;
        head[at] = k % 5 === 0 ? 0 : head[at] ^ (1 << ((k + j) % 8));
        changed.push(at);
      }
      const own = readHead(head);
      if (!own) continue;
      compared++;
      const theirs = await byMp4box(head);
      if ((theirs as { error?: string }).error) {
        // mp4box fails on damage in a box the importer does not use (a sample group, say,
        // read past the end of the moov), which readHead does not read: with the bytes of
        // those boxes repaired, readHead reads the same and mp4box agrees.
        const repaired = head.slice();
        let unread = 0;
        for (const at of changed) {
          const box = boxAt(clean, at);
          // a box's type or body, not its size
          if (!READ.has(box.type) && at >= box.start + 4) {
            repaired[at] = clean[at];
            unread++;
          }
        }
        assert.ok(unread > 0, `${name} damage ${k}: mp4box failed on bytes readHead reads`);
        const again = readHead(repaired);
        assert.ok(again, `${name} damage ${k}`);
        assert.deepEqual(planned(again), planned(own), `${name} damage ${k}`);
        assert.deepEqual(planned(own), await byMp4box(repaired), `${name} damage ${k}`);
        continue;
      }
      assert.deepEqual(planned(own), theirs, `${name} damage ${k}`);
    }
  }
  assert.ok(compared > 300, `only ${compared} damaged heads were read`);
});

Deno.test({
  name: "readHead: the heads of ffmpeg's HEVC, AV1, VP9, Opus, mov_text, ismv and edits",
  ignore: !(await hasFfmpeg()),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const v = ["-f", "lavfi", "-i", "testsrc2=size=96x64:rate=25"];
      const a = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"];
      const va = [...v, ...a, "-t", "0.5", "-map", "0:v", "-map", "1:a"];
      await Deno.writeTextFile(`${dir}/s.srt`, "1\n00:00:00,000 --> 00:00:00,400\nhi\n");
      const cases: [string, string[]][] = [
        ["hevc.mp4", [...va, "-c:v", "libx265", "-x265-params", "log-level=error", "-c:a", "aac"]],
        ["av1.mp4", [...va, "-c:v", "libaom-av1", "-cpu-used", "8", "-c:a", "libopus"]],
        ["vp9.mp4", [...va, "-c:v", "libvpx-vp9", "-deadline", "realtime", "-c:a", "libopus"]],
        ["subs.mp4", [
          ...v,
          ...a,
          ...["-f", "lavfi", "-i", "sine=frequency=880:sample_rate=44100"],
          ...["-i", `${dir}/s.srt`, "-t", "0.5"],
          ...["-map", "0:v", "-map", "1:a", "-map", "2:a", "-map", "3"],
          ...["-c:v", "libx264", "-c:a", "aac", "-c:s", "mov_text"],
        ]],
        ["ismv.ismv", [...va, "-c:v", "libx264", "-c:a", "aac", "-f", "ismv"]],
        ["aac.mov", [...va, "-c:v", "libx264", "-c:a", "aac"]],
        ["he.m4a", [...a, "-t", "0.5", "-c:a", "aac", "-profile:a", "aac_he"]],
        ["avc3.mp4", [...va, "-c:v", "libx264", "-tag:v", "avc3", "-c:a", "aac"]],
        ["edits.mp4", [...va, "-c:v", "libx264", "-c:a", "aac", "-ss", "0.1"]],
        ["frag.mp4", [...va, "-c:v", "libx264", "-c:a", "aac", "-movflags", "frag_keyframe"]],
      ];
      let own = 0;
      for (const [name, args] of cases) {
        const path = `${dir}/${name}`;
        if (!await ffmpegMakes(args, path)) continue; // this ffmpeg cannot make it
        const head = await headOf(await Deno.readFile(path));
        const info = readHead(head);
        if (!info) continue;
        own++;
        assert.deepEqual(planned(info), await byMp4box(head), name);
      }
      assert.ok(own >= 4, `only ${own} heads read`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

async function hasFfmpeg(): Promise<boolean> {
  try {
    return (await new Deno.Command("ffmpeg", { args: ["-version"], stdout: "null" }).output())
      .success;
  } catch {
    return false;
  }
}
