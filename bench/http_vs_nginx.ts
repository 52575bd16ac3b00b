/**
 * Range throughput of `h4mk serve` against nginx in the same run: both serve the same file,
 * wrk asks both for the same random 4 KiB ranges (`GET /files/NAME` and `GET /NAME` with
 * `Range: bytes=a-b`), alternately, for `--rounds` rounds of `--seconds` each. Reports
 * requests/s and p99 of each and our ratios to nginx (target: at least 0.5 of nginx's
 * requests/s, p99 at most 2 times nginx's).
 *
 *   apt-get install -y nginx wrk
 *   deno run -A bench/http_vs_nginx.ts [--connections 64] [--seconds 10] [--rounds 3] [--json]
 *
 * Both servers are single-process on loopback; both write an access log (ours to /dev/null).
 *
 * @module
 */

import { findNginx, startNginx } from "../lib/server/testdata/nginx.ts";
import { packContainer } from "../lib/format/writer.ts";
import { clipBlocks } from "../lib/server/testdata/fixtures.ts";

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

async function startH4mk(root: string): Promise<{ base: string; stop(): Promise<void> }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../cli.ts", import.meta.url).pathname,
      "serve",
      root,
      "--port",
      "0",
    ],
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
  const drain = (async () => {
    while (!(await reader.read()).done) { /* discard */ }
  })();
  return {
    base: `http://127.0.0.1:${m[1]}`,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await drain;
    },
  };
}

interface Result {
  rps: number;
  p99_ms: number;
  errors: number;
  non2xx: number;
}

async function wrkRanges(
  wrk: string,
  url: string,
  size: number,
  conns: number,
  seconds: number,
): Promise<Result> {
  const script = await Deno.makeTempFile({ suffix: ".lua" });
  const span = 4096;
  await Deno.writeTextFile(
    script,
    `math.randomseed(42)
request = function()
  local a = math.random(0, ${Math.floor((size - span) / span)}) * ${span}
  return wrk.format("GET", nil, { ["Range"] = "bytes=" .. a .. "-" .. (a + ${span - 1}) })
end
`,
  );
  const out = await new Deno.Command(wrk, {
    args: ["-t2", `-c${conns}`, `-d${seconds}s`, "--latency", "-s", script, url],
    stdout: "piped",
    stderr: "piped",
  }).output();
  await Deno.remove(script);
  const text = new TextDecoder().decode(out.stdout);
  const ms = (s: string | undefined) => {
    const m = s?.match(/([\d.]+)(us|ms|s)/);
    if (!m) return NaN;
    return Number(m[1]) * (m[2] === "us" ? 0.001 : m[2] === "s" ? 1000 : 1);
  };
  const socket = text.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  return {
    rps: Number(text.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? NaN),
    p99_ms: ms(text.match(/^\s+99%\s+(\S+)/m)?.[1]),
    errors: socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
    // 206 is a success for wrk's count; anything else is counted here.
    non2xx: Number(text.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (import.meta.main) {
  const wrk = which("wrk");
  const nginxBin = findNginx();
  if (!wrk || !nginxBin) {
    console.error("needs wrk and nginx: apt-get install -y nginx wrk");
    Deno.exit(2);
  }
  const conns = Number(arg("connections", "64"));
  const seconds = Number(arg("seconds", "10"));
  const rounds = Number(arg("rounds", "3"));
  const root = await Deno.makeTempDir({ prefix: "h4mk-vs-nginx-" });
  const name = "clip.h4mk";
  const bytes = await packContainer(clipBlocks(600));
  await Deno.writeFile(`${root}/${name}`, bytes);
  const ours = await startH4mk(root);
  const nginx = await startNginx(nginxBin, root);
  const runs: { h4mk: Result[]; nginx: Result[] } = { h4mk: [], nginx: [] };
  try {
    for (let r = 0; r < rounds; r++) {
      runs.h4mk.push(
        await wrkRanges(wrk, `${ours.base}/files/${name}`, bytes.length, conns, seconds),
      );
      runs.nginx.push(await wrkRanges(wrk, `${nginx.base}/${name}`, bytes.length, conns, seconds));
    }
  } finally {
    await ours.stop();
    await nginx.stop();
    await Deno.remove(root, { recursive: true });
  }
  const summary = {
    file_bytes: bytes.length,
    connections: conns,
    seconds,
    rounds,
    h4mk: {
      rps: median(runs.h4mk.map((r) => r.rps)),
      p99_ms: median(runs.h4mk.map((r) => r.p99_ms)),
      errors: runs.h4mk.reduce((a, r) => a + r.errors + r.non2xx, 0),
    },
    nginx: {
      rps: median(runs.nginx.map((r) => r.rps)),
      p99_ms: median(runs.nginx.map((r) => r.p99_ms)),
      errors: runs.nginx.reduce((a, r) => a + r.errors + r.non2xx, 0),
    },
    load_average: Deno.loadavg(),
  };
  const ratio = {
    rps: summary.h4mk.rps / summary.nginx.rps,
    p99: summary.h4mk.p99_ms / summary.nginx.p99_ms,
  };
  if (Deno.args.includes("--json")) {
    console.log(JSON.stringify({ ...summary, ratio, runs }, null, 2));
  } else {
    console.log(
      `h4mk serve: ${summary.h4mk.rps.toFixed(0)} req/s, p99 ${
        summary.h4mk.p99_ms.toFixed(1)
      } ms, ${summary.h4mk.errors} errors\n` +
        `nginx:      ${summary.nginx.rps.toFixed(0)} req/s, p99 ${
          summary.nginx.p99_ms.toFixed(1)
        } ms, ${summary.nginx.errors} errors\n` +
        `ratio:      ${ratio.rps.toFixed(2)} x nginx requests/s (target >= 0.5), p99 ${
          ratio.p99.toFixed(2)
        } x nginx (target <= 2); load average ${summary.load_average.join(" ")}`,
    );
  }
}
