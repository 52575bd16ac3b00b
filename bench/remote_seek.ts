/**
 * Remote seek benchmark: requests, bytes and time for a cold open + seek to 1800 s + one
 * block over HTTP, against nginx and `h4mk serve`, for a container shaped like the one-hour
 * reference (bench/data/packets-1h.tsv.gz: 263,041 packets, random payloads of
 * the listed sizes) and for a 1,000,000-block container (the reference repeated).
 *
 *   deno run -A bench/remote_seek.ts [--runs 7] [--rebuild] [--json]
 *
 * Containers are written once to bench/data/remote-1h.h4mk and remote-1m.h4mk (git-ignored).
 * nginx is used when /usr/sbin/nginx exists (apt-get install -y nginx).
 *
 * @module
 */

import { writeContainer } from "../lib/format/writer.ts";
import type { BlockInput } from "../lib/format/types.ts";
import { openFileSource, writeFileAtomic } from "../lib/io/file.ts";
import { openHttpSource } from "../lib/io/http_source.ts";
import { openContainer } from "../lib/seek/container.ts";
import { findNginx, startNginx } from "../lib/server/testdata/nginx.ts";
import { spawnServeMain } from "../lib/server/testdata/fixtures.ts";
import {
  DATA_DIR,
  loadReferencePackets,
  median,
  randomBytes,
  type ReferencePackets,
} from "./reference.ts";

/**
 * The reference content (as bench/reference.ts's `referenceBlocks`: kind I for keyframes, P
 * otherwise, deterministic random payloads), repeated with pts shifted by one hour per
 * repetition until `count` blocks.
 */
export function* repeatedReference(p: ReferencePackets, count: number): Generator<BlockInput> {
  let pool: Uint8Array = new Uint8Array(0);
  let at = 0;
  for (let n = 0; n < count; n++) {
    const i = n % p.count;
    const hour = Math.floor(n / p.count);
    if (i === 0) {
      pool = randomBytes(p.payloadBytes, 0x4834_4d4b + hour);
      at = 0;
    }
    const key = p.keyframe[i] === 1;
    yield {
      track_id: p.track[i],
      pts_us: p.pts[i] + hour * 3_600_000_000,
      kind: key ? "I" : "P",
      keyframe: key,
      payload: pool.subarray(at, at + p.size[i]),
    };
    at += p.size[i];
  }
}

/**
 * Writes (once) `bench/data/NAME`: `count` reference-shaped blocks (null: the reference as is,
 * 263,041 blocks). Returns its path.
 */
export async function ensureContainer(
  name: string,
  count: number | null,
  rebuild = false,
): Promise<string> {
  const path = `${DATA_DIR}${name}`;
  if (!rebuild) {
    try {
      await Deno.stat(path);
      return path;
    } catch {
      // build it
    }
  }
  await Deno.mkdir(DATA_DIR, { recursive: true });
  const packets = await loadReferencePackets();
  const n = count ?? packets.count;
  const t0 = performance.now();
  await writeFileAtomic(path, async (sink) => {
    await writeContainer(sink, repeatedReference(packets, n), { meta: { title: name } });
  }, { force: true });
  const size = (await Deno.stat(path)).size;
  console.error(
    `wrote ${path}: ${n} blocks, ${size} bytes in ${
      ((performance.now() - t0) / 1000).toFixed(1)
    } s`,
  );
  return path;
}

/** Starts `lib/server/testdata/serve_main.ts` (the `serve` function) in its own process. */
export async function startOwnServer(
  root: string,
): Promise<{ base: string; pid: number; stop(): Promise<void> }> {
  const { child, port } = await spawnServeMain([root, "0"], "null");
  return {
    base: `http://127.0.0.1:${port}/files`,
    pid: child.pid,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await child.stdout.cancel().catch(() => {});
    },
  };
}

interface Measure {
  requests: number;
  bytes: number;
  ms: number;
  /** Requests of one further block (the next in block order) after the first. */
  further: number;
}

async function measure(
  url: string,
  path: "readBlock" | "seek-answer",
  tailProbe: number,
): Promise<Measure> {
  const t0 = performance.now();
  const src = await openHttpSource(url, { tailProbe });
  const c = await openContainer(src, { tailProbe: Math.min(tailProbe, 65536) });
  const s = c.seek("video_main", 1_800_000_000);
  const block = path === "readBlock"
    ? await c.readBlock(s.core_index)
    : await src.read(s.offset, s.stored_length);
  const ms = performance.now() - t0;
  if (block.length !== s.stored_length) throw new Error("wrong block length");
  const bytes = src.stats.bytes;
  const before = src.stats.requests;
  await c.readBlock(s.core_index + 1);
  const m = { requests: before, bytes, ms, further: src.stats.requests - before };
  src.close();
  return m;
}

if (import.meta.main) {
  const args = Deno.args;
  const runs = Number(args[args.indexOf("--runs") + 1]) || 7;
  const rebuild = args.includes("--rebuild");
  const ref = await ensureContainer("remote-1h.h4mk", null, rebuild);
  const big = await ensureContainer("remote-1m.h4mk", 1_000_000, rebuild);
  const rows: Record<string, unknown>[] = [];
  const own = await startOwnServer(DATA_DIR);
  const nginxBin = findNginx();
  const nginx = nginxBin ? await startNginx(nginxBin, DATA_DIR) : null;
  if (!nginx) console.error("nginx not found: measuring h4mk serve only");
  try {
    for (const file of [ref, big]) {
      const name = file.slice(file.lastIndexOf("/") + 1);
      const size = (await Deno.stat(file)).size;
      const local = await openContainer(await openFileSource(file));
      const servers: [string, string][] = [["h4mk serve", `${own.base}/${name}`]];
      if (nginx) servers.push(["nginx", `${nginx.base}/${name}`]);
      for (const [server, url] of servers) {
        for (
          const [path, probe] of [
            ["readBlock", 65536],
            ["seek-answer", 65536],
            ["readBlock", 262144],
            ["seek-answer", 262144],
          ] as const
        ) {
          const ms: number[] = [];
          let last: Measure | null = null;
          for (let i = 0; i < runs; i++) {
            last = await measure(url, path, probe);
            ms.push(last.ms);
          }
          rows.push({
            container: name,
            blocks: local.blockCount,
            size,
            server,
            path,
            tailProbe: probe,
            requests: last!.requests,
            further_block_requests: last!.further,
            bytes: last!.bytes,
            ms_median: Number(median(ms).toFixed(2)),
            ms_first: Number(ms[0].toFixed(2)),
          });
          console.error(JSON.stringify(rows.at(-1)));
        }
      }
      await local.close();
    }
  } finally {
    await own.stop();
    await nginx?.stop();
  }
  if (args.includes("--json")) console.log(JSON.stringify(rows, null, 1));
  else {
    console.log(
      "| container | blocks | server | path | tail probe | requests | bytes | ms (median) | ms (first run) | next block |",
    );
    console.log("|---|---:|---|---|---:|---:|---:|---:|---:|---:|");
    for (const r of rows) {
      console.log(
        `| ${r.container} | ${r.blocks} | ${r.server} | ${r.path} | ${r.tailProbe} | ${r.requests} | ${r.bytes} | ${r.ms_median} | ${r.ms_first} | ${r.further_block_requests} |`,
      );
    }
  }
}
