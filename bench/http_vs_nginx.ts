/**
 * Range throughput of `h4mk serve` against nginx in the same run: both serve the same file,
 * wrk asks both for the same random 4 KiB ranges (`GET /files/NAME` and `GET /NAME` with
 * `Range: bytes=a-b`), alternately, for `--rounds` rounds of `--seconds` each, after a
 * warm-up of 3 s of each (not counted). Reports
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
import { arg, type LoadResult, runWrk, startCliServer, which } from "./http_kit.ts";

/** wrk on `url` asking for random 4 KiB ranges of a file of `size` bytes (the same for both servers). */
function wrkRanges(
  wrk: string,
  url: string,
  size: number,
  conns: number,
  seconds: number,
): Promise<LoadResult> {
  const span = 4096;
  const script = `math.randomseed(42)
request = function()
  local a = math.random(0, ${Math.floor((size - span) / span)}) * ${span}
  return wrk.format("GET", nil, { ["Range"] = "bytes=" .. a .. "-" .. (a + ${span - 1}) })
end
`;
  return runWrk(wrk, url, script, conns, seconds);
}

/** Seconds of load on each server before the counted rounds. */
const WARM_UP_SECONDS = 3;

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
  const ours = await startCliServer(root);
  const nginx = await startNginx(nginxBin, root);
  const runs: { h4mk: LoadResult[]; nginx: LoadResult[] } = { h4mk: [], nginx: [] };
  try {
    // A warm-up of each (not counted): the first seconds of a JavaScript server are its code
    // being compiled and its heap sized, not its steady throughput (a first round of 3 s
    // answered with p99 about twice that of the next ones).
    await wrkRanges(wrk, `${ours.base}/files/${name}`, bytes.length, conns, WARM_UP_SECONDS);
    await wrkRanges(wrk, `${nginx.base}/${name}`, bytes.length, conns, WARM_UP_SECONDS);
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
  // Each round's ratios too: a round of ours and the round of nginx right after it share the
  // machine's load of that moment (on a shared machine the load of one round is noise).
  const perRound = runs.h4mk.map((r, i) => ({
    rps: r.rps / runs.nginx[i].rps,
    p99: r.p99_ms / runs.nginx[i].p99_ms,
  }));
  if (Deno.args.includes("--json")) {
    console.log(JSON.stringify({ ...summary, ratio, per_round_ratio: perRound, runs }, null, 2));
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
        } x nginx (target <= 2); load average ${summary.load_average.join(" ")}\n` +
        `each round: ${
          perRound.map((r) => `${r.rps.toFixed(2)} x req/s, p99 ${r.p99.toFixed(2)} x`).join("; ")
        }`,
    );
  }
}
