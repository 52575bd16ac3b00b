/**
 * Runs `serve` in its own process for tests and benchmarks:
 * `deno run -A serve_main.ts ROOT [PORT [MAX_UPLOAD]]`. Prints `{"port": N}` on stdout once
 * listening, request log lines on stderr, and exits 0 after SIGINT or SIGTERM.
 *
 * @module
 */
import { serve } from "../mod.ts";

const [root, port = "0", maxUpload] = Deno.args;
const server = await serve({
  root,
  port: Number(port),
  maxUpload: maxUpload === undefined ? undefined : Number(maxUpload),
  log: (line) => console.error(line),
});
console.log(JSON.stringify({ port: server.addr.port, pid: Deno.pid }));
await server.finished;
console.error("stopped");
