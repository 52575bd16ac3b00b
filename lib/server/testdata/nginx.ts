/**
 * Runs Debian's nginx on loopback for interop tests and benchmarks: no daemon, a prefix and a
 * minimal config in a temporary folder, an access log to count requests, stopped on demand.
 *
 * @module
 */

/** Where Debian installs nginx; the `NGINX` environment variable overrides it. */
export function findNginx(): string | null {
  const candidates = [
    Deno.env.get("NGINX"),
    "/usr/sbin/nginx",
    "/usr/local/sbin/nginx",
    "/usr/bin/nginx",
  ];
  for (const c of candidates) {
    if (!c) continue;
    try {
      if (Deno.statSync(c).isFile) return c;
    } catch {
      // next
    }
  }
  return null;
}

/** A running nginx. */
export interface Nginx {
  /** Base URL, e.g. `http://127.0.0.1:PORT`. */
  base: string;
  /** Access log lines so far: `method uri status bytes connection connection_requests "range"`. */
  accessLog(): Promise<string[]>;
  /** Stops nginx and removes its prefix folder. */
  stop(): Promise<void>;
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Starts nginx serving `root` at `/` on a free loopback port. */
export async function startNginx(binary: string, root: string): Promise<Nginx> {
  const prefix = await Deno.makeTempDir({ prefix: "h4mk-nginx-" });
  const port = freePort();
  const conf = `
master_process off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 256; }
http {
  log_format counted '$request_method $uri $status $body_bytes_sent $connection $connection_requests "$http_range"';
  access_log ${prefix}/access.log counted;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  default_type application/octet-stream;
  types { }
  sendfile on;
  keepalive_timeout 65;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location / { }
  }
}
`;
  await Deno.writeTextFile(`${prefix}/nginx.conf`, conf);
  const child = new Deno.Command(binary, {
    args: ["-p", prefix, "-c", `${prefix}/nginx.conf`, "-g", "daemon off;"],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  // Ready when it accepts a connection; give up after about 10 s.
  let ready = false;
  for (let i = 0; i < 200 && !ready; i++) {
    try {
      const c = await Deno.connect({ hostname: "127.0.0.1", port });
      c.close();
      ready = true;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  if (!ready) {
    child.kill("SIGKILL");
    await child.status;
    const log = await Deno.readTextFile(`${prefix}/error.log`).catch(() => "");
    await Deno.remove(prefix, { recursive: true });
    throw new Error(`nginx did not start on port ${port}: ${log}`);
  }
  return {
    base: `http://127.0.0.1:${port}`,
    async accessLog() {
      const text = await Deno.readTextFile(`${prefix}/access.log`).catch(() => "");
      return text.split("\n").filter((l) => l !== "");
    },
    async stop() {
      child.kill("SIGQUIT");
      const t = setTimeout(() => child.kill("SIGKILL"), 5000);
      await child.status;
      clearTimeout(t);
      await Deno.remove(prefix, { recursive: true });
    },
  };
}
