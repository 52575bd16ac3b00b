/// <reference lib="dom" />
/**
 * The web player (the page of lib/web/page.ts; `deno task bundle` builds it into
 * lib/web/dist/player.js). It opens a container over HTTP Range with the library, shows its
 * tracks, codecs and keyframes, and plays the tracks that import described in `META.media`
 * through Media Source Extensions: the blocks of one keyframe interval are read with one Range
 * request, muxed into a fragmented MP4 fragment (lib/media/fmp4_mux.ts) with the sample entry
 * that import stored, and appended. Seeks use the library's seek: the frame shown after a seek
 * is the keyframe that `Container.seek` returns. A key file chosen in the page opens an
 * encrypted container; it is read by the page and never sent anywhere.
 *
 * Test contract: `?autoplay=1&t=SECONDS` starts muted playback at the keyframe at or before
 * SECONDS; `window.h4player` is `{ ready, requests, seek(seconds), ... }`.
 *
 * @module
 */
import {
  type BlockEntry,
  type Container,
  openCipher,
  openContainer,
  openHttpSource,
  parseKeyFile,
  type SeekResult,
} from "./browser.ts";
import type { BlockOpener } from "../format/types.ts";
import { CHUNK_HEADER_LENGTH } from "../format/constants.ts";
import { buildFragment, buildInitSegment, type FragSample } from "../media/fmp4_mux.ts";
import { fromBase64, type MediaTrackMeta } from "../media/media_meta.ts";
import { type SpanSource, spanSource } from "./span_source.ts";
import { mime, plan } from "./player_plan.ts";
import { showBlocks, showTimeline, showTracks } from "./player_view.ts";

/** What `ready` resolves to. */
interface ReadyInfo {
  /** Whether some track plays. */
  playable: boolean;
  /** Why nothing plays, when it does not. */
  reason?: string;
}

/** One track fed to a SourceBuffer. */
interface Lane {
  id: string;
  meta: MediaTrackMeta;
  kind: "video" | "audio";
  buffer: SourceBuffer;
  /** Duration of the last sample of a fragment when nothing follows it, in ticks. */
  lastDuration: number;
}

/** Seconds of media kept buffered ahead of the playhead. */
const AHEAD_SECONDS = 15;
/** Seconds of media kept behind the playhead. */
const BEHIND_SECONDS = 30;
/** Blocks walked back from a keyframe to find the audio that starts with it. */
const AUDIO_LOOKBACK = 400;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const video = $<HTMLVideoElement>("video");
const statusLine = $<HTMLParagraphElement>("status");
const params = new URLSearchParams(location.search);

let generation = 0;
/** Set while the player moves the playhead itself (its `seeking` event is not the user's). */
let ownSeek = false;
let lastSeek: SeekResult | null = null;
/** Requests, bytes and time from a seek to its keyframe interval appended. */
let seekStats: { generation: number; requests: number; bytes: number; ms: number } | null = null;
/** The same for opening the container (the first request onwards). */
let openStats: { requests: number; bytes: number; ms: number } | null = null;
let failure: string | null = null;
let state = "loading";
let source: SpanSource | null = null;
let http: Awaited<ReturnType<typeof openHttpSource>> | null = null;

function say(text: string, error = false): void {
  statusLine.textContent = text;
  statusLine.classList.toggle("error", error);
}

function fail(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string })?.code;
  failure = code ? `${code}: ${msg}` : msg;
  state = "error";
  say(failure, true);
  return failure;
}

function waitEvent(target: EventTarget, ...names: string[]): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const n of names) target.removeEventListener(n, done);
      resolve();
    };
    for (const n of names) target.addEventListener(n, done);
  });
}

async function settled(b: SourceBuffer): Promise<void> {
  while (b.updating) await waitEvent(b, "updateend", "error", "abort");
}

async function append(b: SourceBuffer, bytes: Uint8Array): Promise<void> {
  await settled(b);
  b.appendBuffer(bytes as Uint8Array<ArrayBuffer>);
  await settled(b);
}

function ticks(ptsUs: number, timescale: number): number {
  return Math.round(ptsUs * timescale / 1e6);
}

/** Reads the key file the user chooses, and opens the cipher with it. */
function askKey(c: Container): Promise<BlockOpener> {
  const box = $<HTMLParagraphElement>("keybox");
  const input = $<HTMLInputElement>("key");
  box.hidden = false;
  state = "needs-key";
  say("encrypted: choose the key file to play (it is not uploaded)");
  return new Promise((resolve) => {
    input.addEventListener("change", async () => {
      const file = input.files?.[0];
      if (!file) return;
      try {
        const opener = await openCipher(c, parseKeyFile(await file.text()));
        // A wrong key fails here, on the first block, rather than in the middle of playback.
        await c.readBlock(0, { opener });
        box.hidden = true;
        resolve(opener);
      } catch (e) {
        fail(e);
        state = "needs-key";
      }
    });
  });
}

/** The player. */
async function start(url: string): Promise<ReadyInfo> {
  http = await openHttpSource(new URL(url, location.href), { cacheBytes: 16 << 20 });
  source = spanSource(http);
  const c = await openContainer(source);
  openStats = { requests: http.stats.requests, bytes: http.stats.bytes, ms: performance.now() };
  const { media, play, why } = plan(c);
  showTracks(c, media, play);
  const videoId = [...play.keys()].find((id) => media!.tracks[id].handler === "vide");
  const keyTrack = videoId ?? [...play.keys()][0] ??
    c.tracks.find((t) => t.keyframes > 0)?.track_id;
  const table = keyTrack ? c.seekTable(keyTrack) : null;
  const keyTimes = table ? [...table.pts].map((p) => p / 1e6) : [];
  let duration = 0;
  for (const t of Object.values(media?.tracks ?? {})) {
    if (t.timescale > 0) duration = Math.max(duration, t.duration / t.timescale);
  }
  if (!(duration > 0)) duration = (keyTimes[keyTimes.length - 1] ?? 0) + 1;
  showTimeline(video, keyTimes, duration, (s) => void player.seek(s).catch(fail));
  if (!play.size || !table) {
    state = "not-playable";
    say(`cannot play: ${why || "no keyframes"}. Tracks and blocks are listed below.`, true);
    await showBlocks(c, 0);
    $<HTMLDetailsElement>("blocks").open = true;
    return { playable: false, reason: why };
  }
  let opener: BlockOpener | undefined;
  if (c.encrypted) opener = await askKey(c);

  const ms = new MediaSource();
  video.src = URL.createObjectURL(ms);
  await waitEvent(ms, "sourceopen");
  ms.duration = duration;
  // Every SourceBuffer is added before the first append: a browser takes no new one after.
  const lanes: Lane[] = [...play.keys()].map((id) => {
    const meta = media!.tracks[id];
    const kind = meta.handler === "vide" ? "video" : "audio";
    const buffer = ms.addSourceBuffer(mime(kind, meta.codec));
    return { id, meta, kind, buffer, lastDuration: meta.durations[0]?.[1] ?? 1 };
  });
  for (const { meta, buffer } of lanes) {
    await append(
      buffer,
      buildInitSegment([{
        track_id: 1,
        handler: meta.handler,
        timescale: meta.timescale,
        entries: meta.sample_entries.map(fromBase64),
        width: meta.width,
        height: meta.height,
      }]),
    );
  }
  const byId = new Map(lanes.map((l) => [l.id, l]));
  let sequence = 1;

  /** Block range of keyframe interval `j` of the seek table. */
  const interval = (j: number): [number, number] => [
    table.block[j],
    j + 1 < table.count ? table.block[j + 1] : c.blockCount,
  ];

  async function feed(
    gen: number,
    j: number,
    keyPts: number,
    onFirst: () => void,
  ): Promise<void> {
    let lo = interval(j)[0];
    // Audio that starts before the keyframe lies before it in the file: take it too.
    const audio = lanes.some((l) => l.kind === "audio");
    for (let i = lo - 1, n = 0; audio && i >= 0 && n < AUDIO_LOOKBACK; i--, n++) {
      const e = await c.entry(i);
      const lane = byId.get(e.track_id);
      if (lane?.kind !== "audio") continue;
      lo = i;
      if (e.pts_us <= keyPts) break;
    }
    for (; j < table!.count && gen === generation; j++) {
      const [first, end] = interval(j);
      const from = Math.min(lo, first);
      lo = Infinity;
      const entries: BlockEntry[] = [];
      for (let i = from; i < end; i++) entries.push(await c.entry(i));
      // One read for the whole interval (blocks lie back to back, apart from chunk headers),
      // so that reading each block costs no request.
      const a = entries[0], z = entries[entries.length - 1];
      const spanStart = a.offset - CHUNK_HEADER_LENGTH;
      await source!.prefetch(spanStart, z.offset + z.stored_length - spanStart);
      if (gen !== generation) return;
      const nextKey = j + 1 < table!.count ? table!.pts[j + 1] : null;
      for (const lane of lanes) {
        const mine = entries.filter((e) =>
          e.track_id === lane.id && (lane.kind === "video" ? e.index >= first : true)
        );
        if (!mine.length) continue;
        const payloads: Uint8Array[] = [];
        for (const e of mine) payloads.push(await c.readBlock(e.index, { opener }));
        const frag = fragment(lane, mine, payloads, nextKey);
        if (!frag) continue;
        if (gen !== generation) return;
        await append(lane.buffer, frag);
      }
      if (gen !== generation) return;
      onFirst();
      // What was played long ago goes, so that a long film fits the SourceBuffer quota.
      const behind = video.currentTime - BEHIND_SECONDS;
      for (const l of lanes) {
        const r = l.buffer.buffered;
        if (behind > 0 && r.length && r.start(0) < behind) {
          await settled(l.buffer);
          l.buffer.remove(0, behind);
          await settled(l.buffer);
        }
      }
      await until(gen, () => bufferedAhead() < AHEAD_SECONDS);
    }
    if (gen === generation && ms.readyState === "open") {
      for (const l of lanes) await settled(l.buffer);
      ms.endOfStream();
    }
  }

  function fragment(
    lane: Lane,
    mine: BlockEntry[],
    payloads: Uint8Array[],
    nextKeyPts: number | null,
  ): Uint8Array | null {
    const ts = lane.meta.timescale;
    let pres = mine.map((e) => ticks(e.pts_us, ts));
    let bytes = payloads;
    let sync = mine.map((e) => e.keyframe);
    if (lane.kind === "audio") {
      // Priming samples before time zero are left out: a fragment cannot start below zero.
      const keep = pres.map((p) => p >= 0);
      pres = pres.filter((_, i) => keep[i]);
      bytes = bytes.filter((_, i) => keep[i]);
      sync = sync.filter((_, i) => keep[i]);
      if (!pres.length) return null;
    }
    // Decode times: the presentation times in order (decode order is the blocks' order; with
    // B-frames the composition offsets are then signed, trun version 1).
    const dts = [...pres].sort((x, y) => x - y);
    const end = lane.kind === "video" && nextKeyPts !== null ? ticks(nextKeyPts, ts) : null;
    const samples: FragSample[] = pres.map((p, i) => {
      const next = i + 1 < dts.length ? dts[i + 1] : end;
      const d = next !== null && next > dts[i] ? next - dts[i] : lane.lastDuration;
      if (i + 1 < dts.length) lane.lastDuration = d || lane.lastDuration;
      return { size: bytes[i].length, duration: d, cts_offset: p - dts[i], sync: sync[i] };
    });
    const head = buildFragment(sequence++, [{
      track_id: 1,
      base_decode_time: dts[0],
      samples,
    }]);
    let n = head.length;
    for (const b of bytes) n += b.length;
    const out = new Uint8Array(n);
    out.set(head);
    let at = head.length;
    for (const b of bytes) {
      out.set(b, at);
      at += b.length;
    }
    return out;
  }

  function bufferedAhead(): number {
    let ahead = Infinity;
    for (const l of lanes) {
      const r = l.buffer.buffered;
      let endOf = video.currentTime;
      for (let i = 0; i < r.length; i++) {
        if (r.start(i) <= video.currentTime + 0.5 && r.end(i) > endOf) endOf = r.end(i);
      }
      ahead = Math.min(ahead, endOf - video.currentTime);
    }
    return ahead;
  }

  async function until(gen: number, ok: () => boolean): Promise<void> {
    while (gen === generation && !ok()) await waitEvent(video, "timeupdate", "seeking", "h4seek");
  }

  player.seek = async (seconds: number): Promise<SeekResult> => {
    if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError(`bad time ${seconds}`);
    const gen = ++generation;
    const before = {
      requests: http!.stats.requests,
      bytes: http!.stats.bytes,
      at: performance.now(),
    };
    video.dispatchEvent(new Event("h4seek"));
    const hit = c.seek(keyTrack!, Math.round(seconds * 1e6));
    lastSeek = hit;
    let j = 0;
    while (j + 1 < table.count && table.block[j + 1] <= hit.core_index) j++;
    for (const l of lanes) {
      await settled(l.buffer);
      if (l.buffer.buffered.length) {
        l.buffer.remove(0, Infinity);
        await settled(l.buffer);
      }
    }
    if (gen !== generation) return hit;
    ownSeek = true;
    video.currentTime = hit.keyframe_pts_us / 1e6;
    let first!: () => void;
    const appended = new Promise<void>((resolve) => first = resolve);
    const fed = feed(gen, j, hit.keyframe_pts_us, () => {
      if (seekStats?.generation === gen) return;
      seekStats = {
        generation: gen,
        requests: http!.stats.requests - before.requests,
        bytes: http!.stats.bytes - before.bytes,
        ms: performance.now() - before.at,
      };
      first();
    });
    fed.catch((e) => {
      fail(e);
      first();
    });
    // Resolves once the keyframe's interval is appended.
    await appended;
    void showBlocks(c, hit.core_index);
    say(
      `${c.tracks.length} tracks · seek to ${seconds.toFixed(2)} s → keyframe ${
        (hit.keyframe_pts_us / 1e6).toFixed(3)
      } s (block ${hit.core_index}) · ${http!.stats.requests} requests, ${http!.stats.bytes} bytes${
        why ? ` · ${why}` : ""
      }`,
    );
    return hit;
  };

  // The video's own controls seek too: a time outside what is buffered is a library seek.
  video.addEventListener("seeking", () => {
    if (ownSeek) {
      ownSeek = false;
      return;
    }
    const at = video.currentTime;
    const held = lanes.every((l) => {
      const r = l.buffer.buffered;
      for (let i = 0; i < r.length; i++) if (r.start(i) <= at && at < r.end(i)) return true;
      return false;
    });
    if (!held) void player.seek(at).catch(fail);
  });
  video.addEventListener("error", () => fail(new Error(`media error: ${video.error?.message}`)));

  const t = Number(params.get("t") ?? 0);
  state = "playing";
  await player.seek(Number.isFinite(t) && t > 0 ? t : 0);
  if (params.get("autoplay") === "1") {
    video.muted = true;
    await video.play().catch(fail);
  }
  return { playable: true };
}

/** The page's API, for people in the console and for tests. */
const player = {
  ready: null as unknown as Promise<ReadyInfo>,
  /** HTTP requests made so far. */
  get requests(): number {
    return http?.stats.requests ?? 0;
  },
  /** Body bytes received so far. */
  get bytes(): number {
    return http?.stats.bytes ?? 0;
  },
  /** `loading`, `needs-key`, `playing`, `not-playable` or `error`. */
  get state(): string {
    return state;
  },
  /** The last error shown, or null. */
  get error(): string | null {
    return failure;
  },
  /** Requests, bytes and ms of opening the container (ms from the page's start). */
  get openStats() {
    return openStats;
  },
  /** Requests, bytes and ms from the last seek to its keyframe interval appended. */
  get seekStats() {
    return seekStats;
  },
  /** The last seek's answer from the library. */
  get lastSeek(): SeekResult | null {
    return lastSeek;
  },
  /** Seeks to the keyframe at or before `seconds`. */
  seek: (_seconds: number): Promise<SeekResult> => Promise.reject(new Error("not ready")),
};
(globalThis as unknown as { h4player: typeof player }).h4player = player;

const src = document.body.dataset.src ?? params.get("src");
if (src) {
  player.ready = start(src).catch((e) => {
    fail(e);
    throw e;
  });
} else {
  const form = $<HTMLFormElement>("open");
  form.hidden = false;
  say("give the URL of a container served with Range requests (and CORS)");
  player.ready = new Promise((resolve, reject) => {
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const u = $<HTMLInputElement>("url").value;
      history.replaceState(null, "", `?src=${encodeURIComponent(u)}`);
      form.hidden = true;
      start(u).then(resolve, (e) => reject(new Error(fail(e))));
    });
  });
}
player.ready.catch(() => {});
