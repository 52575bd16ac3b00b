/**
 * A server on a raw socket, for faults a well-behaved HTTP stack cannot produce: resets,
 * closes mid-body, garbage, unframed, long or compressed answers, a wrong total.
 *
 * @module
 */

import { gzipSync } from "node:zlib";
import { concat } from "../../format/bytes.ts";

// ---------------------------------------------------------------------------------------------
// A server on a raw socket, for faults a well-behaved HTTP stack cannot produce.

/** What the wire server does with one request. */
export type WireFault =
  | "ok" // an honest 206
  | "reset" // headers with the full length, half the body, then the connection is closed
  | "close" // the connection is closed before any answer
  | "garbage" // not HTTP
  | "long" // 100 bytes more than the range, framed by a matching Content-Length
  | "unframed" // no Content-Length, half the body, then close (looks complete to HTTP)
  | "gzip" // the range gzip-compressed, with Content-Encoding and its real length
  | "total" // Content-Range with another total size
  | "whole-cut"; // 200 with the whole file, chunked, cut after half of it (no last chunk)

export interface WireServer {
  url: string;
  /** Answers by fault. */
  counts: Map<WireFault, number>;
  close(): Promise<void>;
}

/** Serves `data` over raw TCP on 127.0.0.1, one request per connection, doing `next()`. */
export function serveWire(data: Uint8Array, next: () => WireFault): WireServer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const open = new Set<Deno.Conn>();
  const counts = new Map<WireFault, number>();
  const enc = new TextEncoder();
  const writeAll = async (c: Deno.Conn, b: Uint8Array) => {
    for (let o = 0; o < b.length;) o += await c.write(b.subarray(o));
  };
  async function handle(conn: Deno.Conn): Promise<void> {
    const buf = new Uint8Array(16384);
    let got = 0;
    let head = "";
    while (!head.includes("\r\n\r\n") && got < buf.length) {
      const n = await conn.read(buf.subarray(got));
      if (n === null) return;
      got += n;
      head = new TextDecoder().decode(buf.subarray(0, got));
    }
    const m = /\r\nrange: *bytes=(\d*)-(\d*)\r\n/i.exec(head);
    let start = 0, end = data.length - 1;
    if (m && m[1] === "") start = Math.max(0, data.length - Number(m[2]));
    else if (m) [start, end] = [Number(m[1]), Math.min(Number(m[2]), data.length - 1)];
    const fault = next();
    counts.set(fault, (counts.get(fault) ?? 0) + 1);
    if (fault === "close") return;
    if (fault === "garbage") return await writeAll(conn, enc.encode("NOT HTTP AT ALL\r\n\r\n"));
    if (fault === "whole-cut") {
      const half = data.subarray(0, data.length >> 1);
      await writeAll(conn, enc.encode(`HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n`));
      return await writeAll(conn, concat([enc.encode(`${half.length.toString(16)}\r\n`), half]));
    }
    let body = data.subarray(start, end + 1);
    let total = data.length;
    let length: number | null = body.length;
    let extra = "";
    if (fault === "long") {
      const longer = new Uint8Array(body.length + 100);
      longer.set(body);
      [body, length] = [longer, longer.length];
    }
    if (fault === "reset") body = body.subarray(0, body.length >> 1);
    if (fault === "unframed") [body, length] = [body.subarray(0, body.length >> 1), null];
    if (fault === "gzip") {
      body = gzipSync(body);
      length = body.length;
      extra = "content-encoding: gzip\r\n";
    }
    if (fault === "total") total++;
    const headers =
      `HTTP/1.1 206 Partial Content\r\ncontent-range: bytes ${start}-${end}/${total}\r\n` +
      `etag: "w1"\r\naccept-ranges: bytes\r\n${extra}` +
      (length === null ? "" : `content-length: ${length}\r\n`) + "connection: close\r\n\r\n";
    await writeAll(conn, enc.encode(headers));
    await writeAll(conn, body);
  }
  const loop = (async () => {
    const pending = new Set<Promise<void>>();
    for await (const conn of listener) {
      open.add(conn);
      const p = handle(conn).catch(() => {}).finally(() => {
        open.delete(conn);
        try {
          conn.close();
        } catch { /* closed */ }
        pending.delete(p);
      });
      pending.add(p);
    }
    await Promise.all(pending);
  })();
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/wire.h4mk`,
    counts,
    async close() {
      listener.close();
      for (const c of open) {
        try {
          c.close();
        } catch { /* closed */ }
      }
      await loop;
    },
  };
}
