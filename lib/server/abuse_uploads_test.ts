/**
 * Issue 9, server under abuse: oversized and malformed uploads and requests get 400, 404, 405,
 * 413 or 422 with the JSON error body of SPEC.md 16.2 (H4-HTTP-010, 015), before the body is
 * read where the head already tells, and the server's memory stays bounded. The server runs in
 * its own process (testdata/abuse_kit.ts).
 */

import assert from "node:assert/strict";
import { openContainer } from "../seek/container.ts";
import { noise } from "./testdata/fixtures.ts";
import {
  codeOf,
  concat,
  dec,
  enc,
  fetchAnswer,
  get,
  jsonError,
  LIMIT,
  MiB,
  prng,
  pushChunked,
  raw,
  rawPost,
  readAnswer,
  withServer,
  writeAll,
} from "./testdata/abuse_kit.ts";

Deno.test("abuse: oversized uploads get 413 before reading or as they pass the limit; memory stays bounded", async () => {
  await withServer(async (s) => {
    // Content-Length over the limit, no body sent: the answer comes without it.
    for (
      const route of [
        "/video/manifest",
        "/video/seek_to_block?track_id=v&pts_us=0",
        "/video/block?core_index=0",
      ]
    ) {
      const a = await raw(
        s.port,
        `POST ${route} HTTP/1.1\r\nHost: x\r\nContent-Length: ${100 * MiB}\r\n\r\n`,
      );
      jsonError(a, 413, ["HTTP_PAYLOAD_TOO_LARGE"], route);
    }
    // The query is checked before the upload (H4-HTTP-010): a bad one is 400, never 413.
    for (
      const route of [
        "/video/block?core_index=x",
        "/video/seek_to_block?track_id=v",
        "/video/manifest?trak=maybe",
      ]
    ) {
      const a = await raw(
        s.port,
        `POST ${route} HTTP/1.1\r\nHost: x\r\nContent-Length: ${100 * MiB}\r\n\r\n`,
      );
      jsonError(a, 400, ["H4_BAD_ARGUMENT"], route);
    }
    // The limit itself is accepted (and read: garbage is 422); one byte more is refused.
    const garbage = noise(LIMIT + 1, 3) as Uint8Array<ArrayBuffer>;
    jsonError(await raw(s.port, rawPost("/video/manifest", garbage.subarray(0, LIMIT))), 422, [
      "H4_BAD_MAGIC",
    ], "LIMIT bytes");
    jsonError(await raw(s.port, rawPost("/video/manifest", garbage)), 413, [
      "HTTP_PAYLOAD_TOO_LARGE",
    ], "LIMIT + 1 bytes");
    // A multipart body over the limit, declared.
    const form = new FormData();
    form.append("file", new Blob([garbage]), "big.h4mk");
    jsonError(await fetchAnswer(`${s.base}/video/manifest`, { method: "POST", body: form }), 413, [
      "HTTP_PAYLOAD_TOO_LARGE",
    ], "multipart");
    // Far over the limit: the server answers before the client has sent its body, and must
    // read the rest (lingering) rather than close on it, or the client fails on its write and
    // never sees the 413 (a client in another process did, 19 times in 60, before the fix; in
    // this process the timing rarely shows it).
    const huge = new FormData();
    huge.append("file", new Blob([new Uint8Array(8 * MiB)]), "huge.h4mk");
    for (let i = 0; i < 8; i++) {
      jsonError(
        await fetchAnswer(`${s.base}/video/manifest`, { method: "POST", body: huge }),
        413,
        [
          "HTTP_PAYLOAD_TOO_LARGE",
        ],
        `multipart of 8 MiB, try ${i}`,
      );
    }
    // Chunked, no length: the client sends one chunk past the limit, does not end the body,
    // and still gets its 413: the server answers as soon as the count passes the limit.
    let r = await pushChunked(s.port, "/video/manifest", LIMIT + 65536);
    assert.ok(r.answer, "no answer to a chunked upload over the limit");
    jsonError(r.answer, 413, ["HTTP_PAYLOAD_TOO_LARGE"], "chunked");
    assert.equal(r.sent, LIMIT + 65536);

    // Memory: rounds of 8 concurrent chunked uploads offering 48 MiB each. The server stops
    // each at the limit, so the clients cannot push it all, and its memory does not follow: a
    // server that took whole bodies would hold 8 x 48 MiB at once. (Refused uploads are
    // garbage that V8 collects lazily: RSS plateaus some tens of MiB above its start, measured
    // over 80 sequential uploads, rather than staying within one limit.)
    const before = await s.rss();
    let offered = 0, pushed = 0, refused = 0;
    for (let round = 0; round < 4; round++) {
      const rs = await Promise.all(
        Array.from({ length: 8 }, () => pushChunked(s.port, "/video/manifest", 48 * MiB)),
      );
      for (r of rs) {
        offered += 48 * MiB;
        pushed += r.sent;
        assert.ok(r.answer, "no answer");
        jsonError(r.answer, 413, ["HTTP_PAYLOAD_TOO_LARGE"], "concurrent chunked");
        assert.ok(r.sent < 48 * MiB, `a client pushed all ${r.sent} bytes`);
        refused++;
      }
    }
    const after = await s.rss();
    const peak =
      Number(/VmHWM:\s+(\d+) kB/.exec(await Deno.readTextFile(`/proc/${s.pid}/status`))![1]) / 1024;
    console.log(
      `  ${refused} uploads over the limit offered ${offered / MiB} MiB, the clients got ${
        (pushed / MiB).toFixed(1)
      } MiB out before the 413; server RSS ${before.toFixed(1)} -> ${after.toFixed(1)} MiB (peak ${
        peak.toFixed(1)
      })`,
    );
    assert.ok(after - before < 96, `RSS grew by ${(after - before).toFixed(1)} MiB`);
    // Still serving.
    const ok = await raw(s.port, get("/files/clip.h4mk/seek?track_id=video_main&pts_us=0"));
    assert.equal(ok.status, 200);
  });
});

Deno.test("abuse: malformed uploads and requests get 400, 404, 405 or 422 with a JSON error", async () => {
  await withServer(async (s, root) => {
    const nested = root.files.get("sub/nested.h4mk")!;
    const local = await openContainer(nested);
    const mp = 'multipart/form-data; boundary="XyZ"';
    const part = (name: string, body: string | Uint8Array, extra = "") =>
      concat([
        enc.encode(`--XyZ\r\nContent-Disposition: form-data; name="${name}"\r\n${extra}\r\n`),
        typeof body === "string" ? enc.encode(body) : body,
        enc.encode("\r\n"),
      ]);
    const end = enc.encode("--XyZ--\r\n");
    const cases: [string, Uint8Array, number, string[]][] = [
      [
        "multipart without boundary",
        rawPost("/video/manifest", concat([part("file", nested), end]), "multipart/form-data"),
        400,
        ["H4_BAD_ARGUMENT"],
      ],
      [
        "boundary of 71 characters (RFC 2046: 1 to 70)",
        rawPost(
          "/video/manifest",
          concat([
            enc.encode(
              `--${"b".repeat(71)}\r\nContent-Disposition: form-data; name="file"\r\n\r\n`,
            ),
            nested,
            enc.encode(`\r\n--${"b".repeat(71)}--\r\n`),
          ]),
          `multipart/form-data; boundary=${"b".repeat(71)}`,
        ),
        400,
        ["H4_BAD_ARGUMENT"],
      ],
      [
        "empty boundary",
        rawPost(
          "/video/manifest",
          concat([part("file", nested), end]),
          'multipart/form-data; boundary=""',
        ),
        400,
        ["H4_BAD_ARGUMENT"],
      ],
      [
        "truncated multipart",
        rawPost("/video/manifest", part("file", nested).subarray(0, 5000), mp),
        400,
        ["H4_BAD_ARGUMENT"],
      ],
      [
        "no closing delimiter",
        rawPost(
          "/video/manifest",
          concat([
            enc.encode('--XyZ\r\nContent-Disposition: form-data; name="file"\r\n\r\n'),
            nested,
          ]),
          mp,
        ),
        400,
        ["H4_BAD_ARGUMENT"],
      ],
      [
        "no file field",
        rawPost("/video/manifest", concat([part("files", nested), part("other", "x"), end]), mp),
        400,
        ["H4_BAD_ARGUMENT"],
      ],
      ["empty file field", rawPost("/video/manifest", concat([part("file", ""), end]), mp), 400, [
        "H4_BAD_ARGUMENT",
      ]],
      [
        "part headers of 100 KiB",
        rawPost(
          "/video/manifest",
          concat([part("file", nested, `X-Pad: ${"a".repeat(100_000)}\r\n`), end]),
          mp,
        ),
        400,
        ["H4_BAD_ARGUMENT"],
      ],
      [
        "part headers that never end",
        rawPost("/video/manifest", enc.encode(`--XyZ\r\nX-Pad: ${"a\r\n".repeat(200_000)}`), mp),
        400,
        ["H4_BAD_ARGUMENT"],
      ],
      [
        "only delimiters",
        rawPost("/video/manifest", enc.encode("--XyZ\r\n".repeat(100_000)), mp),
        400,
        ["H4_BAD_ARGUMENT"],
      ],
      [
        "garbage file field",
        rawPost("/video/manifest", concat([part("file", noise(5000, 1)), end]), mp),
        422,
        ["H4_BAD_MAGIC"],
      ],
      ["garbage bytes", rawPost("/video/manifest", noise(100_000, 2)), 422, ["H4_BAD_MAGIC"]],
      [
        "H4MK and garbage",
        rawPost(
          "/video/manifest",
          concat([enc.encode("H4MK"), new Uint8Array([0, 2, 0, 0]), noise(50_000, 3)]),
        ),
        422,
        [],
      ],
      [
        "half a container",
        rawPost("/video/manifest", nested.subarray(0, nested.length >> 1)),
        422,
        [],
      ],
      [
        "a container one byte short",
        rawPost("/video/block?core_index=0", nested.subarray(0, nested.length - 1)),
        422,
        [],
      ],
      ["empty body", rawPost("/video/manifest", ""), 400, ["H4_BAD_ARGUMENT"]],
      [
        "no body at all",
        enc.encode("POST /video/manifest HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        400,
        ["H4_BAD_ARGUMENT"],
      ],
      ["PUT a file", enc.encode(get("/files/clip.h4mk", "PUT")), 405, ["HTTP_METHOD_NOT_ALLOWED"]],
      ["DELETE a file", enc.encode(get("/files/clip.h4mk", "DELETE")), 405, [
        "HTTP_METHOD_NOT_ALLOWED",
      ]],
      ["OPTIONS", enc.encode(get("/files/clip.h4mk", "OPTIONS")), 405, ["HTTP_METHOD_NOT_ALLOWED"]],
      ["GET an upload route", enc.encode(get("/video/manifest")), 405, ["HTTP_METHOD_NOT_ALLOWED"]],
      ["POST openapi", enc.encode(get("/openapi.json", "POST")), 405, ["HTTP_METHOD_NOT_ALLOWED"]],
      ["unknown route", enc.encode(get("/admin")), 404, ["HTTP_NOT_FOUND"]],
      ["unknown upload route", rawPost("/video/exec", nested), 404, ["HTTP_NOT_FOUND"]],
      [
        "block index of 17 digits",
        enc.encode(get("/files/clip.h4mk/block/12345678901234567")),
        400,
        ["H4_BAD_ARGUMENT"],
      ],
      [
        "pts over 2^53",
        enc.encode(get("/files/clip.h4mk/seek?track_id=video_main&pts_us=9999999999999999")),
        400,
        ["H4_BAD_ARGUMENT"],
      ],
      ["negative block", enc.encode(get("/files/clip.h4mk/block/-1")), 400, ["H4_BAD_ARGUMENT"]],
      ["decompress=maybe", enc.encode(get("/files/clip.h4mk/block/1?decompress=maybe")), 400, [
        "H4_BAD_ARGUMENT",
      ]],
    ];
    for (const [what, request, status, codes] of cases) {
      const a = await raw(s.port, request);
      // No code given: any H4 format code (which one depends on where the damage falls).
      const code = jsonError(a, status, codes.length ? codes : [codeOf(a)], what);
      assert.match(code, status === 422 ? /^H4_[A-Z0-9_]+$/ : /^(H4|HTTP)_[A-Z0-9_]+$/, what);
      if (status === 405) assert.ok(a.headers.get("allow"), `${what}: Allow`);
    }
    // Thousands of tiny parts before the file: read in one pass.
    const many = concat([
      ...Array.from({ length: 3000 }, (_, i) => part(`f${i}`, "x")),
      part("file", nested),
      end,
    ]);
    const a = await raw(s.port, rawPost("/video/manifest?trak=false", many, mp));
    assert.equal(a.status, 200, dec.decode(a.body).slice(0, 200));
    assert.equal(JSON.parse(dec.decode(a.body)).core_blocks, local.blockCount);
    // A body shorter than its Content-Length (the client stops sending): 400.
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: s.port });
    await writeAll(
      conn,
      concat([
        enc.encode(
          `POST /video/manifest HTTP/1.1\r\nHost: x\r\nContent-Length: ${nested.length}\r\n\r\n`,
        ),
        nested.subarray(0, 1000),
      ]),
    );
    await conn.closeWrite();
    const short = await readAnswer(conn);
    conn.close();
    assert.ok(short, "no answer to a body shorter than its Content-Length");
    jsonError(short, 400, ["H4_BAD_ARGUMENT"], "short body");

    // Seeded mutations of a container, uploaded: 200 or 422 with an H4 code, never a 500.
    const rnd = prng(9);
    const statuses: Record<string, number> = {};
    const mutate = (b: Uint8Array): Uint8Array => {
      const m = b.slice();
      const at = Math.floor(rnd() * b.length);
      switch (Math.floor(rnd() * 5)) {
        case 0:
          return m.subarray(0, at); // truncated
        case 1:
          for (let k = 0; k < 1 + rnd() * 8; k++) {
            m[Math.floor(rnd() * m.length)] ^= 1 << (rnd() * 8);
          }
          return m;
        case 2:
          return concat([m.subarray(0, at), m.subarray(Math.min(m.length, at + 1 + rnd() * 500))]);
        case 3:
          return concat([m.subarray(0, at), noise(1 + Math.floor(rnd() * 64), at), m.subarray(at)]);
        default:
          m.fill(0xff, at, at + 4 + Math.floor(rnd() * 60));
          return m;
      }
    };
    const mutants = Array.from({ length: 120 }, () => mutate(nested));
    const targets = [
      "/video/manifest?trak=false",
      "/video/block?verify=true&core_index=",
      "/video/seek_to_block?track_id=video_main&pts_us=1000000",
    ];
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < mutants.length * targets.length) {
        const n = next++;
        const m = mutants[n % mutants.length];
        let t = targets[Math.floor(n / mutants.length)];
        if (t.endsWith("=")) t += Math.floor(rnd() * local.blockCount);
        const a = await raw(s.port, rawPost(t, m.length ? m : new Uint8Array(1)));
        statuses[a.status] = (statuses[a.status] ?? 0) + 1;
        if (a.status !== 200) {
          const code = jsonError(a, a.status, [codeOf(a)], `mutant ${n}`);
          const want = {
            404: /^H4_UNKNOWN_TRACK$/,
            409: /^H4_ENCRYPTED$/,
            416: /^H4_BLOCK_OUT_OF_RANGE$/,
            422: /^H4_/,
          }[a.status as 404];
          assert.ok(want?.test(code), `mutant ${n} ${t}: ${a.status} ${code}`);
        }
      }
    }));
    console.log(
      `  ${mutants.length * targets.length} mutated uploads: statuses ${JSON.stringify(statuses)}`,
    );
    assert.ok(!statuses[500]);
  });
});
