/**
 * What the HTTP benchmarks (bench/http_load.ts, bench/http_vs_nginx.ts) share: their command
 * line, `h4mk serve` started as the CLI starts it, wrk runs with their figures read from its
 * output, and a load generator in Deno for machines without wrk.
 *
 * @module
 */

/** The value after `--name` in the command line, or `fallback`. */
export function arg(name: string, fallback: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 && Deno.args[i + 1] ? Deno.args[i + 1] : fallback;
}

/** The path of `cmd` on PATH, or null. */
export function which(cmd: string): string | null {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${dir}/${cmd}`).isFile) return `${dir}/${cmd}`;
    } catch {
      // next
    }
  }
  return null;
}

/** A running `h4mk serve`. */
export interface CliServer {
  /** `http://127.0.0.1:PORT`. */
  base: string;
  /** Process id (for its memory in /proc). */
  pid: number;
  /** Stops it with SIGTERM; resolves with its exit status. */
  stop(): Promise<Deno.CommandStatus>;
}

/**
 * Starts `h4mk serve ROOT --port 0` (cli.ts) as a user would; its request log goes to
 * /dev/null (still written by the server), its stderr is read for the address and drained.
 */
export async function startCliServer(root: string): Promise<CliServer> {
  const cli = new URL("../cli.ts", import.meta.url).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cli, "serve", root, "--port", "0"],
    stdin: "null",
    stdout: "null",
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

/** Figures of one load run. */
export interface LoadResult {
  /** Which client made the load. */
  client: string;
  /** Requests answered. */
  requests: number;
  /** Requests per second. */
  rps: number;
  /** Median latency, ms. */
  p50_ms: number;
  /** 99th percentile latency, ms. */
  p99_ms: number;
  /** Connection errors (connect, read, write, timeout). */
  errors: number;
  /** Answers with another status than expected (wrk: not 2xx or 3xx). */
  non2xx: number;
}

/**
 * Runs wrk (2 threads) with the Lua `script` on `url` and reads its figures. `echo` prints
 * wrk's own output to stderr.
 */
export async function runWrk(
  wrk: string,
  url: string,
  script: string,
  conns: number,
  seconds: number,
  echo = false,
): Promise<LoadResult> {
  const file = await Deno.makeTempFile({ suffix: ".lua" });
  await Deno.writeTextFile(file, script);
  const out = await new Deno.Command(wrk, {
    args: ["-t2", `-c${conns}`, `-d${seconds}s`, "--latency", "-s", file, url],
    stdout: "piped",
    stderr: "piped",
  }).output();
  await Deno.remove(file);
  const text = new TextDecoder().decode(out.stdout);
  if (echo) console.error(text);
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
    // 206 is a success for wrk's count; anything else is counted here.
    non2xx: Number(text.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0),
  };
}

/**
 * A load generator in Deno: `conns` loops, each sending `request(k)` (k counts requests) for
 * `seconds`; an answer whose status is not `ok` counts in `non2xx`.
 */
export async function runDenoLoad(
  client: string,
  request: (k: number) => Request,
  ok: (status: number) => boolean,
  conns: number,
  seconds: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let k = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: conns }, async () => {
    while (performance.now() < end) {
      const s = performance.now();
      try {
        const res = await fetch(request(k++));
        await res.arrayBuffer();
        if (!ok(res.status)) non2xx++;
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
    client,
    requests: latencies.length,
    rps: latencies.length / elapsed,
    p50_ms: pct(0.5),
    p99_ms: pct(0.99),
    errors,
    non2xx,
  };
}
