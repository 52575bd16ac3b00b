/**
 * Issue 16 row 8: a server that stops in the middle of a body costs a remote reader at most
 * its time budget (`timeout`, `--timeout`), retries included, and the error says so.
 */

import assert from "node:assert/strict";
import { packContainer } from "../format/writer.ts";
import { H4Error } from "../format/errors.ts";
import { openContainer } from "../seek/container.ts";
import { openHttpSource } from "./http_source.ts";

/** Longer than any budget of these tests: reaching it means the budget was not kept. */
const HANG_MS = 20_000;

/** Serves `bytes` with Range; answers after the first one stop after 10 bytes of body. */
function stallingServer(bytes: Uint8Array): { url: string; close(): Promise<void> } {
  const stalled: ReadableStreamDefaultController<Uint8Array>[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (req) => {
    const m = /^bytes=(\d*)-(\d*)$/.exec(req.headers.get("range") ?? "")!;
    const start = m[1] === "" ? bytes.length - Number(m[2]) : Number(m[1]);
    const end = m[1] === "" || m[2] === "" ? bytes.length - 1 : Number(m[2]);
    const first = req.headers.get("if-match") === null;
    const body = first ? bytes.slice(start, end + 1) : new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(start, Math.min(end + 1, start + 10)));
        stalled.push(c); // never closed: the server stops mid-body
      },
    });
    return new Response(body, {
      status: 206,
      headers: {
        "content-range": `bytes ${start}-${end}/${bytes.length}`,
        "content-length": String(end - start + 1),
        "etag": '"v1"',
      },
    });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/c.h4mk`,
    async close() {
      for (const c of stalled) c.error(new Error("test over"));
      await server.shutdown();
    },
  };
}

async function withGuard<T>(p: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("the time budget was not kept")), HANG_MS);
  });
  try {
    return await Promise.race([p, guard]);
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("remote timeout: a body that stops costs at most the budget, with a clear H4_IO", async () => {
  const blocks = Array.from({ length: 50 }, (_, i) => ({
    track_id: "v",
    pts_us: i * 1000,
    kind: "I" as const,
    keyframe: true,
    payload: new Uint8Array(20_000).fill(i),
  }));
  const bytes = await packContainer(blocks);
  const s = stallingServer(bytes);
  try {
    const src = await openHttpSource(s.url, { timeout: 400, tailProbe: 1024, retryDelayMs: 10 });
    // The tables past the tail probe or the block: the first read after the probe stalls.
    const err = await withGuard(
      openContainer(src, { prefetch: false }).then((c) => c.readBlock(3)).then(
        () => null,
        (e) => e,
      ),
    );
    assert.ok(err instanceof H4Error, String(err));
    assert.equal(err.code, "H4_IO");
    assert.match(
      err.message,
      /no complete answer within the time budget of 400 ms \(\d+ attempts?; see --timeout\)/,
    );
    src.close();
  } finally {
    await s.close();
  }
});

Deno.test("remote timeout: h4mk --timeout bounds a read of a URL", async () => {
  const bytes = await packContainer(
    Array.from({ length: 50 }, (_, i) => ({
      track_id: "v",
      pts_us: i * 1000,
      kind: "I" as const,
      keyframe: true,
      payload: new Uint8Array(20_000).fill(i),
    })),
  );
  const s = stallingServer(bytes);
  try {
    const out = await withGuard(
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          new URL("../../cli.ts", import.meta.url).pathname,
          "--timeout",
          "0.5",
          "block",
          s.url,
          "--index",
          "3",
          "-o",
          "/dev/null",
        ],
        stdout: "null",
        stderr: "piped",
        env: { NO_COLOR: "1" },
      }).output(),
    );
    const stderr = new TextDecoder().decode(out.stderr).trim();
    assert.equal(out.code, 1, stderr);
    assert.match(stderr, /^h4mk: error: H4_IO: .*time budget of 500 ms/);
  } finally {
    await s.close();
  }
});
