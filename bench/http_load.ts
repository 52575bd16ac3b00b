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

function arg(name: string, fallback: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 && Deno.args[i + 1] ? Deno.args[i + 1] : fallback;
}

function which(cmd: string): string | null {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${dir}/${cmd}`).isFile) return `${dir}/${cmd}`;
    } catch {
      // next
    }
  }
  return null;
}

/** Starts `h4mk serve ROOT --port 0` (cli.ts) and returns its address and pid. */
async function startCliServer(root: string) {
  const cli = new URL("../cli.ts", import.meta.url).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cli, "serve", root, "--port", "0"],
    stdin: "null",
    stdout: "null", // one log line per request; discarded, but still written by the server
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  let m: RegExpMatchArray | null = null;
  while (!(m = text.match(/http:\/\/127\.0\.0\.1:(\d+)\//))) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`h4mk serve did not start: ${text}`);
    text += value;
  }
  // Keep draining stderr so the server never blocks on it.
  const drain = (async () => {
    while (!(await reader.read()).done) { /* discard */ }
  })();
  return {
    base: `http://127.0.0.1:${m[1]}`,
    pid: child.pid,
    async stop() {
      child.kill("SIGTERM");
      const status = await child.status;
      await drain;
      return status;
    },
  };
}

function procStatus(pid: number, field: string): number {
  try {
    const text = Deno.readTextFileSync(`/proc/${pid}/status`);
    const m = text.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

interface LoadResult {
  client: string;
  requests: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  non2xx: number;
}

async function runWrk(
  wrk: string,
  base: string,
  paths: (n: number) => string,
  blocks: number,
  conns: number,
  seconds: number,
): Promise<LoadResult> {
  const script = await Deno.makeTempFile({ suffix: ".lua" });
  const sample = paths(12345).replace("12345", '" .. n .. "');
  await Deno.writeTextFile(
    script,
    `math.randomseed(os.time())
request = function()
  local n = math.random(0, ${blocks - 1})
  return wrk.format("GET", "${sample}")
end
`,
  );
  const out = await new Deno.Command(wrk, {
    args: ["-t2", `-c${conns}`, `-d${seconds}s`, "--latency", "-s", script, base],
    stdout: "piped",
    stderr: "piped",
  }).output();
  await Deno.remove(script);
  const text = new TextDecoder().decode(out.stdout);
  console.error(text);
  const ms = (s: string | undefined) => {
    const m = s?.match(/([\d.]+)(us|ms|s)/);
    if (!m) return NaN;
    return Number(m[1]) * (m[2] === "us" ? 0.001 : m[2] === "s" ? 1000 : 1);
  };
  const socket = text.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  return {
    client: "wrk",
    requests: Number(text.match(/(\d+) requests in/)?.[1] ?? NaN),
    rps: Number(text.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? NaN),
    p50_ms: ms(text.match(/^\s+50%\s+(\S+)/m)?.[1]),
    p99_ms: ms(text.match(/^\s+99%\s+(\S+)/m)?.[1]),
    errors: socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
    non2xx: Number(text.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0),
  };
}

async function runDeno(
  base: string,
  paths: (n: number) => string,
  blocks: number,
  conns: number,
  seconds: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: conns }, async () => {
    while (performance.now() < end) {
      const n = Math.floor(Math.random() * blocks);
      const s = performance.now();
      try {
        const res = await fetch(base + paths(n));
        await res.arrayBuffer();
        if (res.status >= 300) non2xx++;
        latencies.push(performance.now() - s);
      } catch {
        errors++;
      }
    }
  }));
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
  return {
    client: "deno fetch",
    requests: latencies.length,
    rps: latencies.length / elapsed,
    p50_ms: pct(0.5),
    p99_ms: pct(0.99),
    errors,
    non2xx,
  };
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
      result = await runDenoRange(server.base, name, entries, conns, seconds);
    } else if (clientName === "wrk" && wrk) {
      result = await runWrk(wrk, server.base, paths, blocks, conns, seconds);
    } else {
      result = await runDeno(server.base, paths, blocks, conns, seconds);
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

async function runDenoRange(
  base: string,
  name: string,
  entries: { offset: number; len: number }[],
  conns: number,
  seconds: number,
): Promise<LoadResult> {
  let k = 0;
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: conns }, async () => {
    while (performance.now() < end) {
      const e = entries[k++ % entries.length];
      const s = performance.now();
      try {
        const res = await fetch(`${base}/files/${name}`, {
          headers: { range: `bytes=${e.offset}-${e.offset + e.len - 1}` },
        });
        await res.arrayBuffer();
        if (res.status !== 206) non2xx++;
        latencies.push(performance.now() - s);
      } catch {
        errors++;
      }
    }
  }));
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    client: "deno fetch (range)",
    requests: latencies.length,
    rps: latencies.length / elapsed,
    p50_ms: latencies[Math.floor(latencies.length / 2)],
    p99_ms: latencies[Math.floor(latencies.length * 0.99)],
    errors,
    non2xx,
  };
}
