/**
 * Shared by the benchmarks: the one-hour reference packet list
 * (`bench/data/packets-1h.tsv.gz`: 263,041 packets of a one-hour 160x90 30 fps H.264 +
 * AAC file), deterministic random payloads, and small helpers (counting sources, null sinks,
 * medians). Not a benchmark itself: deno bench only runs `*_bench.ts`.
 *
 * @module
 */
import type { BlockInput, ByteSink, ByteSource } from "../mod.ts";

/** The packet list as columns, in file order. */
export interface ReferencePackets {
  /** Number of packets. */
  count: number;
  /** Track id of each packet. */
  track: string[];
  /** pts in microseconds. */
  pts: Float64Array;
  /** dts in microseconds (H4MK does not store it). */
  dts: Float64Array;
  /** 1 for keyframes. */
  keyframe: Uint8Array;
  /** Payload size in bytes. */
  size: Uint32Array;
  /** Sum of the sizes. */
  payloadBytes: number;
}

/** Path of the packet list: `$H4MK_REFERENCE`, else `bench/data/packets-1h.tsv.gz`. */
export function referencePath(): string {
  const env = Deno.env.get("H4MK_REFERENCE");
  if (env) return env;
  return new URL("./data/packets-1h.tsv.gz", import.meta.url).pathname;
}

/** Folder for generated files (git-ignored). */
export const DATA_DIR: string = new URL("./data/", import.meta.url).pathname;

/** Reads and parses the (gzipped) TSV packet list. */
export async function loadReferencePackets(path: string = referencePath()): Promise<
  ReferencePackets
> {
  const gz = await Deno.readFile(path);
  const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"));
  const text = await new Response(stream).text();
  const lines = text.split("\n").filter((l) => l.length > 0 && !l.startsWith("#"));
  const n = lines.length;
  const out: ReferencePackets = {
    count: n,
    track: new Array<string>(n),
    pts: new Float64Array(n),
    dts: new Float64Array(n),
    keyframe: new Uint8Array(n),
    size: new Uint32Array(n),
    payloadBytes: 0,
  };
  for (let i = 0; i < n; i++) {
    const f = lines[i].split("\t");
    if (f.length < 5) throw new Error(`${path}: line ${i + 2} has ${f.length} fields, expected 5`);
    out.track[i] = f[0];
    out.pts[i] = Number(f[1]);
    out.dts[i] = Number(f[2]);
    out.keyframe[i] = f[3] === "1" ? 1 : 0;
    out.size[i] = Number(f[4]);
    out.payloadBytes += out.size[i];
  }
  return out;
}

/**
 * `n` deterministic pseudo-random bytes (xorshift32 from `seed`): incompressible like media
 * payloads, and the same on every run.
 */
export function randomBytes(n: number, seed = 0x4834_4d4b): Uint8Array {
  const words = new Uint32Array(Math.ceil(n / 4));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return new Uint8Array(words.buffer, 0, n);
}

/**
 * The reference content as writer input: payload `i` is the next `size[i]` bytes of one
 * deterministic random stream, kind `I` for keyframes and `P` otherwise.
 */
export function referenceBlocks(p: ReferencePackets, seed?: number): BlockInput[] {
  const pool = randomBytes(p.payloadBytes, seed);
  const blocks: BlockInput[] = new Array(p.count);
  let at = 0;
  for (let i = 0; i < p.count; i++) {
    const key = p.keyframe[i] === 1;
    blocks[i] = {
      track_id: p.track[i],
      pts_us: p.pts[i],
      kind: key ? "I" : "P",
      keyframe: key,
      payload: pool.subarray(at, at + p.size[i]),
    };
    at += p.size[i];
  }
  return blocks;
}

/** A source wrapper that counts reads and bytes read. */
export interface CountingSource extends ByteSource {
  /** Number of `read` calls. */
  reads: number;
  /** Bytes returned by `read`. */
  bytes: number;
}

/** Wraps `src` to count what is read through it. */
export function countingSource(src: ByteSource): CountingSource {
  const c: CountingSource = {
    size: src.size,
    reads: 0,
    bytes: 0,
    read(offset, length) {
      c.reads++;
      c.bytes += length;
      return src.read(offset, length);
    },
    close: () => src.close?.(),
  };
  return c;
}

/** A sink that drops the bytes and counts them. */
export function nullSink(): ByteSink & { bytes: number } {
  const s = {
    bytes: 0,
    write(b: Uint8Array): void {
      s.bytes += b.length;
    },
  };
  return s;
}

/** Median of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Percentile `q` (0..1) of numbers, nearest rank. */
export function percentile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/** One line describing the machine: CPU model, cores, memory, Deno and V8 versions. */
export async function machine(): Promise<string> {
  let cpu = "?";
  try {
    const info = await Deno.readTextFile("/proc/cpuinfo");
    cpu = /model name\s*:\s*(.*)/.exec(info)?.[1]?.trim() ?? "?";
  } catch { /* not Linux */ }
  const cores = navigator.hardwareConcurrency;
  const mem = (Deno.systemMemoryInfo().total / 2 ** 30).toFixed(0);
  return `${cpu}, ${cores} cores, ${mem} GiB RAM, ${Deno.build.os}, deno ${Deno.version.deno}, ` +
    `v8 ${Deno.version.v8}`;
}

/** Bytes as MB/s (10^6) for `seconds`. */
export function mbps(bytes: number, seconds: number): number {
  return bytes / seconds / 1e6;
}

/** Shape of the synthetic input of the throughput and memory benchmarks. */
export interface SyntheticOptions {
  /** Stop after about this many payload bytes. */
  totalBytes: number;
  /** PRNG seed. */
  seed?: number;
  /** Size of the random pool payloads are cut from (default 64 MiB). */
  poolBytes?: number;
}

/**
 * A deterministic multi-GB input generated on the fly, shaped like a 30 fps 1080p H.264 + 48 kHz
 * AAC stream (about 6.5 Mbit/s): a keyframe every 60 frames of 100-200 KB, other frames of
 * 12-38 KB, audio packets of 300-700 B every 21.333 ms. Payloads are views into one random pool,
 * so generating the input costs almost nothing and no input is kept.
 */
export function* syntheticBlocks(o: SyntheticOptions): Generator<BlockInput> {
  const pool = randomBytes(o.poolBytes ?? 64 * 1024 * 1024, o.seed);
  let x = (o.seed ?? 7) >>> 0 || 7;
  const rnd = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
  let done = 0, frame = 0, audio = 0, at = 0;
  const cut = (n: number) => {
    if (at + n > pool.length) at = Math.floor(rnd() * 4096);
    const p = pool.subarray(at, at + n);
    at += n;
    done += n;
    return p;
  };
  while (done < o.totalBytes) {
    const vpts = Math.round(frame * 1_000_000 / 30);
    while (audio * 21_333 <= vpts) {
      yield {
        track_id: "audio_main",
        pts_us: audio * 21_333,
        kind: "I",
        keyframe: true,
        payload: cut(300 + Math.floor(rnd() * 400)),
      };
      audio++;
    }
    const key = frame % 60 === 0;
    const size = key ? 100_000 + Math.floor(rnd() * 100_000) : 12_000 + Math.floor(rnd() * 26_000);
    yield {
      track_id: "video_main",
      pts_us: vpts,
      kind: key ? "I" : "P",
      keyframe: key,
      payload: cut(size),
    };
    frame++;
  }
}

/**
 * CPU seconds this process has used: its main thread, and all its other threads including
 * those that have ended (Linux: /proc/self/stat counts them).
 */
export function cpuSeconds(): { main: number; others: number } | null {
  try {
    // utime and stime, in clock ticks (100 a second on Linux), after the command name.
    const ticks = (stat: string) => {
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return (Number(f[11]) + Number(f[12])) / 100;
    };
    const all = ticks(Deno.readTextFileSync("/proc/self/stat"));
    const main = ticks(Deno.readTextFileSync(`/proc/self/task/${Deno.pid}/stat`));
    return { main, others: all - main };
  } catch {
    return null;
  }
}
