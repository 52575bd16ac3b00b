// Test helpers of lib/media (not published: testdata/ is excluded).
import { createFile, type ISOFile, type MP4BoxBuffer, type Sample } from "mp4box";
import { sha256 } from "@noble/hashes/sha2.js";
import type { BlockContext, BlockOpener, BlockSealer, ByteSink } from "../../format/types.ts";
import { H4Error } from "../../format/errors.ts";
import { loadMp4box } from "../quiet.ts";
import type { TrackUnits } from "../track_units.ts";

// mp4box's own log lines (raw bytes, NULs included) stay out of test output too.
await loadMp4box();

/** The MP4 and MOV files of lib/media/testdata/ that every import and export test goes through. */
export const FIXTURES: readonly string[] = [
  "av.mp4",
  "av_frag.mp4",
  "a.m4a",
  "v.mov",
  "v_10mhz.mp4",
  "pcm_sowt.mov",
  "pcm_twos.mov",
  "pcm_lpcm.mov",
  "pcm_frag.mov",
];

/** Path of a fixture. */
export function fixture(name: string): string {
  return new URL(`./${name}`, import.meta.url).pathname;
}

/** A sink that keeps everything. */
export function memorySink(): { sink: ByteSink; bytes(): Uint8Array } {
  const parts: Uint8Array[] = [];
  return {
    sink: { write: (b: Uint8Array) => void parts.push(b.slice()) },
    bytes(): Uint8Array {
      const out = new Uint8Array(parts.reduce((a, b) => a + b.length, 0));
      let o = 0;
      for (const p of parts) {
        out.set(p, o);
        o += p.length;
      }
      return out;
    },
  };
}

/** A column of a track's units as a plain list (its first `length` entries). */
export function unitColumn(
  u: TrackUnits,
  name: "offset" | "size" | "dts" | "ctsOffset" | "duration" | "sync" | "entry" | "group",
): number[] {
  return Array.from(u[name].subarray(0, u.length));
}

/** An MP4 box of `type` around `parts` (32-bit size), for hand-made tables in tests. */
export function mp4Box(type: string, ...parts: Uint8Array[]): Uint8Array {
  const n = 8 + parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  new DataView(out.buffer).setUint32(0, n);
  out.set(new TextEncoder().encode(type), 4);
  let at = 8;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Hex of SHA-256. */
export function hex(bytes: Uint8Array): string {
  return [...sha256(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** One sample as mp4box sees it, with a hash of its data. */
export interface SampleRow {
  dts: number;
  cts: number;
  duration: number;
  size: number;
  sync: boolean;
  entry: number;
  hash: string;
}

/** One track as mp4box sees it. */
export interface TrackRows {
  id: number;
  handler: string;
  timescale: number;
  edits: unknown;
  entries: string[];
  samples: SampleRow[];
}

/** Every sample of every track of an MP4 in memory, read with mp4box. */
export function mp4Tracks(bytes: Uint8Array): TrackRows[] {
  const f = createFile() as ISOFile;
  const tracks = new Map<number, TrackRows>();
  f.onReady = (info) => {
    for (const t of info.tracks) {
      // deno-lint-ignore no-explicit-any
      const trak = f.getTrackById(t.id) as any;
      tracks.set(t.id, {
        id: t.id,
        handler: trak.mdia.hdlr.handler,
        timescale: t.timescale,
        edits: trak.edts?.elst?.entries ?? null,
        // deno-lint-ignore no-explicit-any
        entries: trak.mdia.minf.stbl.stsd.entries.map((e: any) =>
          hex(bytes.subarray(e.start, e.start + e.size))
        ),
        samples: [],
      });
      f.setExtractionOptions(t.id, null, { nbSamples: 1000 });
    }
    f.start();
  };
  f.onSamples = (id: number, _u: unknown, samples: Sample[]) => {
    for (const s of samples) {
      tracks.get(id)!.samples.push({
        dts: s.dts,
        cts: s.cts,
        duration: s.duration,
        size: s.size,
        sync: Boolean(s.is_sync),
        entry: s.description_index,
        hash: hex(s.data!),
      });
    }
  };
  const ab = bytes.slice().buffer as MP4BoxBuffer;
  ab.fileStart = 0;
  f.appendBuffer(ab);
  f.flush();
  return [...tracks.values()];
}

function tag(ctx: BlockContext, data: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode(JSON.stringify(ctx));
  const all = new Uint8Array(head.length + data.length);
  all.set(head);
  all.set(data, head.length);
  return sha256(all).subarray(0, 16);
}

/** A toy cipher with the BlockSealer/BlockOpener shape (XOR and a hash tag): tests only. */
export function toyCipher(key = 0x5a): { sealer: BlockSealer; opener: BlockOpener } {
  const xor = (d: Uint8Array): Uint8Array => d.map((b, i) => b ^ key ^ (i & 0xff));
  return {
    sealer: {
      suite: "toy-xor",
      seal(ctx: BlockContext, data: Uint8Array): Uint8Array {
        const c = xor(data);
        const out = new Uint8Array(c.length + 16);
        out.set(c);
        out.set(tag(ctx, c), c.length);
        return out;
      },
      finish: () => new Uint8Array([1, 2, 3]),
    },
    opener: {
      open(ctx: BlockContext, stored: Uint8Array): Uint8Array {
        const c = stored.subarray(0, stored.length - 16);
        const t = tag(ctx, c);
        if (t.some((b, i) => b !== stored[c.length + i])) {
          throw new H4Error("H4_CIPHER_AUTH_FAILED", "toy tag mismatch");
        }
        return xor(c);
      },
    },
  };
}

/** Whether a command runs (`ffmpeg -version`). */
export async function hasCommand(cmd: string): Promise<boolean> {
  try {
    const r = await new Deno.Command(cmd, { args: ["-version"], stdout: "null", stderr: "null" })
      .output();
    return r.success;
  } catch {
    return false;
  }
}

/**
 * Runs `ffmpeg ARGS... PATH` quietly, overwriting PATH; whether it made the file (an ffmpeg
 * without the encoder or muxer asked for does not).
 *
 * @example
 * ```ts ignore
 * import { ffmpegMakes } from "./helpers.ts";
 * const ok = await ffmpegMakes(["-f", "lavfi", "-i", "sine", "-t", "0.1"], "/tmp/a.m4a");
 * ```
 */
export async function ffmpegMakes(args: string[], path: string): Promise<boolean> {
  const r = await new Deno.Command("ffmpeg", {
    args: ["-hide_banner", "-loglevel", "error", "-y", ...args, path],
    stdout: "null",
    stderr: "null",
  }).output();
  return r.success;
}
