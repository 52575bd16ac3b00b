/**
 * Runs `serve` in its own process for tests and benchmarks:
 * `deno run -A serve_main.ts ROOT [PORT [MAX_UPLOAD [OPTIONS]]]`, OPTIONS a JSON object of
 * further `serve` options (limits). Prints `{"port": N}` on stdout once
 * listening, request log lines on stderr, and exits 0 after SIGINT or SIGTERM.
 *
 * @module
 */
import { serve } from "../mod.ts";

const [root, port = "0", maxUpload, options = "{}"] = Deno.args;
const server = await serve({
  ...JSON.parse(options),
  root,
  port: Number(port),
  maxUpload: maxUpload === undefined || maxUpload === "" ? undefined : Number(maxUpload),
  log: (line) => console.error(line),
});
console.log(JSON.stringify({ port: server.addr.port, pid: Deno.pid }));
await server.finished;
console.error("stopped");
