/**
 * Load benchmark of `h4mk serve`: random block fetches (`GET /files/NAME/block/N`) on 64
 * connections for 10 s; reports requests/s, p50/p99 latency, errors and the server's peak
 * memory (VmHWM and sampled VmRSS from /proc).
 *
 *   deno run -A bench/http_load.ts [--connections 64] [--seconds 10] [--client wrk|deno]
 *                                  [--route block|range] [--json]
 *
 * Uses `wrk` (apt-get install -y wrk) when present, else a load generator in Deno. The
 * container is bench/data/remote-1h.h4mk (written by bench/remote_seek.ts when missing).
 *
 * @module
 */

import { ensureContainer } from "./remote_seek.ts";
import { openFileSource } from "../lib/io/file.ts";
import { openContainer } from "../lib/seek/container.ts";
import { arg, type LoadResult, runDenoLoad, runWrk, startCliServer, which } from "./http_kit.ts";

function procStatus(pid: number, field: string): number {
  try {
    const text = Deno.readTextFileSync(`/proc/${pid}/status`);
    const m = text.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** wrk on `base`, asking for `paths(n)` with n random below `blocks`. */
function wrkBlocks(
  wrk: string,
  base: string,
  paths: (n: number) => string,
  blocks: number,
  conns: number,
  seconds: number,
): Promise<LoadResult> {
  const sample = paths(12345).replace("12345", '" .. n .. "');
  const script = `math.randomseed(os.time())
request = function()
  local n = math.random(0, ${blocks - 1})
  return wrk.format("GET", "${sample}")
end
`;
  return runWrk(wrk, base, script, conns, seconds, true);
}

if (import.meta.main) {
  const conns = Number(arg("connections", "64"));
  const seconds = Number(arg("seconds", "10"));
  const route = arg("route", "block");
  const wrk = which("wrk");
  const clientName = arg("client", wrk ? "wrk" : "deno");
  const file = await ensureContainer("remote-1h.h4mk", null);
  const name = file.slice(file.lastIndexOf("/") + 1);
  const root = file.slice(0, file.lastIndexOf("/"));
  const c = await openContainer(await openFileSource(file));
  const blocks = c.blockCount;
  const entries: { offset: number; len: number }[] = [];
  if (route === "range") {
    for (let i = 0; i < 4096; i++) {
      const e = await c.entry(Math.floor(Math.random() * blocks));
      entries.push({ offset: e.offset, len: e.stored_length });
    }
  }
  await c.close();
  const server = await startCliServer(root);
  const paths = (n: number) => `/files/${name}/block/${n}`;
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, procStatus(server.pid, "VmRSS"));
  }, 100);
  const rssBefore = procStatus(server.pid, "VmRSS");
  let result: LoadResult;
  try {
    // Warm-up: the server opens and caches the container.
    await (await fetch(server.base + paths(0))).arrayBuffer();
    if (route === "range") {
      // Raw Range GETs of whole blocks, for comparison with the block route.
      result = await runDenoLoad(
        "deno fetch (range)",
        (k) => {
          const e = entries[k % entries.length];
          return new Request(`${server.base}/files/${name}`, {
            headers: { range: `bytes=${e.offset}-${e.offset + e.len - 1}` },
          });
        },
        (status) => status === 206,
        conns,
        seconds,
      );
    } else if (clientName === "wrk" && wrk) {
      result = await wrkBlocks(wrk, server.base, paths, blocks, conns, seconds);
    } else {
      result = await runDenoLoad(
        "deno fetch",
        () => new Request(server.base + paths(Math.floor(Math.random() * blocks))),
        (status) => status < 300,
        conns,
        seconds,
      );
    }
  } finally {
    clearInterval(sampler);
  }
  const hwm = procStatus(server.pid, "VmHWM");
  const status = await server.stop();
  const report = {
    target: `h4mk serve, GET /files/${name}/block/N (N random of ${blocks})`,
    route,
    connections: conns,
    seconds,
    ...result,
    rps: Math.round(result.rps),
    server_rss_before_mb: +(rssBefore / 2 ** 20).toFixed(1),
    server_peak_rss_sampled_mb: +(peakRss / 2 ** 20).toFixed(1),
    server_vmhwm_mb: +(hwm / 2 ** 20).toFixed(1),
    server_exit: status.code,
  };
  console.log(Deno.args.includes("--json") ? JSON.stringify(report) : report);
}
