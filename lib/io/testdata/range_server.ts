/**
 * A small misbehaving-on-demand HTTP server over bytes in memory, for tests of the HTTP
 * source: Range (single and suffix), ETag/Last-Modified, If-Match/If-Range, and knobs that
 * make it fail in the ways real servers and networks do.
 *
 * @module
 */

/** Knobs; tests change them between reads. */
export interface RangeServerKnobs {
  /** Answer 200 with the whole body to every request (a server without Range support). */
  noRange?: boolean;
  /** Omit Content-Length on 200 answers (chunked). */
  noLength?: boolean;
  /** Answer 503 to this many next requests. */
  fail?: number;
  /** Cut the body of this many next answers after half of it (announced length kept). */
  cut?: number;
  /** Send a well-formed answer with fewer bytes than the range asked for, this many times. */
  short?: number;
  /** Answer the range shifted by one byte. */
  shift?: boolean;
  /** Ignore If-Match and If-Range (a server that never checks preconditions). */
  ignoreConditionals?: boolean;
  /** Send no ETag and no Last-Modified. */
  noValidators?: boolean;
  /** Send a weak ETag instead of a strong one. */
  weakEtag?: boolean;
  /** Flip the byte at this offset in every answer that covers it. */
  flip?: number;
  /** Answer with this status and a JSON body. */
  status?: number;
  /** Add this Content-Encoding to answers. */
  encoding?: string;
  /** Send the headers and half the body of this many next answers, then nothing. */
  stall?: number;
  /** Answer a range with the right headers but the bytes this far further on (a lying server). */
  misplace?: number;
}

/** A running test server. */
export interface RangeServer {
  /** URL of the resource. */
  url: string;
  /** Knobs, live. */
  knobs: RangeServerKnobs;
  /** Headers of every request received, in order. */
  requests: Headers[];
  /** Replaces the served bytes (a new version: new ETag and Last-Modified). */
  replace(bytes: Uint8Array): void;
  /** Stops the server. */
  close(): Promise<void>;
}

/** Serves `bytes` at `http://127.0.0.1:PORT/file.h4mk`. */
export function serveBytes(bytes: Uint8Array, knobs: RangeServerKnobs = {}): RangeServer {
  let data = bytes;
  let version = 1;
  const requests: Headers[] = [];
  const ac = new AbortController();
  const etag = () => knobs.weakEtag ? `W/"v${version}"` : `"v${version}"`;
  const lastModified = () => new Date(Date.UTC(2024, 0, version)).toUTCString();

  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen() {} },
    (req) => {
      requests.push(req.headers);
      const headers = new Headers({ "accept-ranges": "bytes" });
      if (!knobs.noValidators) {
        headers.set("etag", etag());
        headers.set("last-modified", lastModified());
      }
      if (knobs.encoding) headers.set("content-encoding", knobs.encoding);
      if (knobs.status) return new Response("{}", { status: knobs.status, headers });
      if (knobs.fail && knobs.fail > 0) {
        knobs.fail--;
        return new Response("busy", { status: 503 });
      }
      const ifMatch = req.headers.get("if-match");
      if (!knobs.ignoreConditionals && ifMatch && ifMatch !== etag()) {
        return new Response(null, { status: 412, headers });
      }
      const range = req.headers.get("range");
      const ifRange = req.headers.get("if-range");
      const rangeOk = !ifRange || knobs.ignoreConditionals ||
        ifRange === etag() && !knobs.weakEtag || ifRange === lastModified();
      const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range) : null;
      if (knobs.noRange || !m || !rangeOk) {
        if (!knobs.noLength) headers.set("content-length", String(data.length));
        return new Response(body(data, 0, data.length), { status: 200, headers });
      }
      let start: number, end: number;
      if (m[1] === "") {
        start = Math.max(0, data.length - Number(m[2]));
        end = data.length - 1;
      } else {
        start = Number(m[1]);
        end = m[2] === "" ? data.length - 1 : Math.min(Number(m[2]), data.length - 1);
      }
      if (start >= data.length || start > end) {
        headers.set("content-range", `bytes */${data.length}`);
        return new Response(null, { status: 416, headers });
      }
      if (knobs.shift) {
        start++;
        end = Math.min(end + 1, data.length - 1);
      }
      let sendEnd = end;
      if (knobs.short && knobs.short > 0) {
        knobs.short--;
        sendEnd = start + Math.floor((end - start) / 2);
      }
      headers.set("content-range", `bytes ${start}-${end}/${data.length}`);
      headers.set("content-length", String(sendEnd - start + 1));
      if (knobs.misplace) {
        // Same length, other bytes: only a check of the content can tell.
        const from = (start + knobs.misplace) % Math.max(1, data.length - (sendEnd - start));
        return new Response(body(data, from, from + sendEnd - start + 1), { status: 206, headers });
      }
      return new Response(body(data, start, sendEnd + 1), { status: 206, headers });
    },
  );

  function body(src: Uint8Array, start: number, end: number): ReadableStream<Uint8Array> {
    const slice = src.slice(start, end);
    if (knobs.flip !== undefined && knobs.flip >= start && knobs.flip < end) {
      slice[knobs.flip - start] ^= 0x01;
    }
    const cut = knobs.cut && knobs.cut > 0;
    if (cut) knobs.cut!--;
    const stall = knobs.stall && knobs.stall > 0;
    if (stall) knobs.stall!--;
    return new ReadableStream({
      start(c) {
        if (stall) {
          c.enqueue(slice.subarray(0, slice.length >> 1));
          return; // never closed: the client's time limit has to end it
        }
        if (cut) {
          // Ends early while Content-Length announces more: the connection is dropped.
          c.enqueue(slice.subarray(0, slice.length >> 1));
          c.close();
          return;
        }
        // Several chunks, as a network delivers them.
        for (let at = 0; at < slice.length; at += 16384) {
          c.enqueue(slice.subarray(at, at + 16384));
        }
        c.close();
      },
    });
  }

  return {
    url: `http://127.0.0.1:${server.addr.port}/file.h4mk`,
    knobs,
    requests,
    replace(bytes: Uint8Array) {
      data = bytes;
      version++;
    },
    async close() {
      ac.abort();
      await server.finished;
    },
  };
}
