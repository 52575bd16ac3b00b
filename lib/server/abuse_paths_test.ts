/**
 * Issue 9, server under abuse: path escapes. Raw request targets, symlinks and `?name=` never
 * reach a file outside the served root; each attempt gets the status and JSON error body of
 * SPEC.md 16.2 (H4-HTTP-011, 015). The server runs in its own process (testdata/abuse_kit.ts).
 */

import assert from "node:assert/strict";
import { packContainer } from "../format/writer.ts";
import { dec, enc, get, jsonError, raw, type RawAnswer, withServer } from "./testdata/abuse_kit.ts";

Deno.test("abuse: path escapes never leave the root (raw request targets, symlinks, ?name=)", async () => {
  const MARKER = "SECRET-OUTSIDE-THE-ROOT-7f3a";
  const outside = await Deno.realPath(await Deno.makeTempDir({ prefix: "h4mk-outside-" }));
  const secret = await packContainer(
    [{ track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: enc.encode(MARKER) }],
    { meta: { secret: MARKER } },
  );
  await Deno.writeFile(`${outside}/secret.h4mk`, secret);
  await Deno.writeTextFile(`${outside}/secret.txt`, MARKER);
  const fifo = new Deno.Command("mkfifo", { args: [`${outside}/fifo`] });
  let fifoMade = false;
  try {
    await withServer(async (s, root) => {
      const clip = root.files.get("clip.h4mk")!;
      const up = outside.slice(outside.lastIndexOf("/") + 1);
      const long = (n: number, unit = "a") => unit.repeat(n);
      const cases: [string, number, string][] = [
        // Encoded separators, backslashes, NUL and control characters, bad encodings: 400.
        ["/files/..%2f..%2fetc%2fpasswd", 400, "H4_BAD_ARGUMENT"],
        ["/files/..%2F..%2F..%2F..%2Fetc%2Fpasswd", 400, "H4_BAD_ARGUMENT"],
        ["/files/..%5c..%5cetc%5cpasswd", 400, "H4_BAD_ARGUMENT"],
        ["/files/sub%2F..%2F..%2Fclip.h4mk", 400, "H4_BAD_ARGUMENT"],
        ["/files/%2Fetc%2Fpasswd", 400, "H4_BAD_ARGUMENT"],
        ["/files//etc/passwd", 400, "H4_BAD_ARGUMENT"],
        [
          `/files/%2F${outside.slice(1).replaceAll("/", "%2F")}%2Fsecret.h4mk`,
          400,
          "H4_BAD_ARGUMENT",
        ],
        ["/files/%00", 400, "H4_BAD_ARGUMENT"],
        ["/files/clip.h4mk%00", 400, "H4_BAD_ARGUMENT"],
        ["/files/clip.h4mk%00.txt", 400, "H4_BAD_ARGUMENT"],
        ["/files/clip%0a.h4mk", 400, "H4_BAD_ARGUMENT"],
        ["/files/.git/config", 400, "H4_BAD_ARGUMENT"],
        ["/files/.git-config", 400, "H4_BAD_ARGUMENT"], // a dot file inside the root
        ["/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd", 400, "H4_BAD_ARGUMENT"],
        ["/files/%C0%AE%C0%AE/%C0%AE%C0%AE/etc/passwd", 400, "H4_BAD_ARGUMENT"], // overlong UTF-8
        ["/files/%E0%80%AE%E0%80%AE/etc/passwd", 400, "H4_BAD_ARGUMENT"],
        ["/files/%", 400, "H4_BAD_ARGUMENT"],
        [`/files/${long(1025)}`, 400, "H4_BAD_ARGUMENT"],
        [`/files/${long(1025, "%61")}`, 400, "H4_BAD_ARGUMENT"],
        [`/files/${long(600, "a/")}x`, 400, "H4_BAD_ARGUMENT"],
        [`/files/${long(60_000)}`, 400, "H4_BAD_ARGUMENT"],
        [`/files/${long(60_000)}/manifest`, 400, "H4_BAD_ARGUMENT"],
        // Dot segments are refused on the raw path, before URL parsing could remove them
        // (H4-HTTP-011).
        ["/files/../../etc/passwd", 400, "H4_BAD_ARGUMENT"],
        ["/files/%2e%2e/%2e%2e/etc/passwd", 400, "H4_BAD_ARGUMENT"],
        ["/files/%2E%2E/%2E%2E/%2E%2E/etc/passwd", 400, "H4_BAD_ARGUMENT"],
        ["/files/.%2e/.%2e/etc/passwd", 400, "H4_BAD_ARGUMENT"],
        ["/files/sub/../../../etc/passwd", 400, "H4_BAD_ARGUMENT"],
        ["/files/%2e/clip.h4mk", 400, "H4_BAD_ARGUMENT"],
        ["/files/./clip.h4mk", 400, "H4_BAD_ARGUMENT"],
        ["/files/sub/%2E/nested.h4mk", 400, "H4_BAD_ARGUMENT"],
        ["//etc/passwd", 404, "HTTP_NOT_FOUND"],
        [`http://127.0.0.1/files/../..${outside}/secret.h4mk`, 400, "H4_BAD_ARGUMENT"],
        // Double encoding is decoded once: names that do not exist.
        ["/files/%252e%252e/%252e%252e/etc/passwd", 404, "HTTP_NOT_FOUND"],
        ["/files/%252e%252e%252f%252e%252e%252fetc%252fpasswd", 404, "HTTP_NOT_FOUND"],
        // Symbolic links whose real path is outside the root, and what is not a regular file.
        ["/files/outside.h4mk", 404, "HTTP_NOT_FOUND"],
        ["/files/outside.h4mk/manifest", 404, "HTTP_NOT_FOUND"],
        ["/files/outside.h4mk/seek?track_id=v&pts_us=0", 404, "HTTP_NOT_FOUND"],
        ["/files/outside.h4mk/block/0", 404, "HTTP_NOT_FOUND"],
        ["/files/outside-dir/secret.h4mk", 404, "HTTP_NOT_FOUND"],
        ["/files/outside-dir/secret.txt", 404, "HTTP_NOT_FOUND"],
        ["/files/outside-dir/secret.h4mk/block/0?decompress=false", 404, "HTTP_NOT_FOUND"],
        [`/files/up/${up}/secret.h4mk`, 404, "HTTP_NOT_FOUND"],
        ["/files/passwd.h4mk", 404, "HTTP_NOT_FOUND"],
        ["/files/dev-zero", 404, "HTTP_NOT_FOUND"],
        ["/files/loop-a", 404, "HTTP_NOT_FOUND"],
        ["/files/fifo-link", 404, "HTTP_NOT_FOUND"],
        ["/files/sub", 404, "HTTP_NOT_FOUND"],
        ["/files/sub/nested.h4mk/../../outside.h4mk", 400, "H4_BAD_ARGUMENT"],
      ];
      const answers: RawAnswer[] = [];
      for (const [target, status, code] of cases) {
        const a = await raw(s.port, get(target));
        answers.push(a);
        jsonError(a, status, [code], target.slice(0, 100));
      }
      // HEAD gives the status without a body.
      for (const target of ["/files/outside.h4mk", "/files/..%2fsecret", "/files/fifo-link"]) {
        const a = await raw(s.port, get(target, "HEAD"));
        assert.ok(a.status === 404 || a.status === 400, `HEAD ${target}: ${a.status}`);
        assert.equal(a.body.length, 0);
      }
      // Names in ?name= of the upload routes (the body is not read).
      const names: [string, number][] = [
        ["..%2Fclip.h4mk", 400],
        ["%2Fetc%2Fpasswd", 400],
        [encodeURIComponent(`${outside}/secret.h4mk`), 400],
        ["sub%2F..%2F..%2Fx", 400],
        ["a%5Cb", 400],
        ["a%00b", 400],
        ["", 400],
        [long(1025), 400],
        ["outside.h4mk", 404],
        ["outside-dir%2Fsecret.h4mk", 404],
        [encodeURIComponent(`up/${up}/secret.h4mk`), 404],
        ["passwd.h4mk", 404],
        ["fifo-link", 404],
        ["%252e%252e%252fsecret.h4mk", 404],
      ];
      for (
        const route of [
          "/video/manifest?",
          "/video/block?core_index=0&decompress=false&",
          "/video/seek_to_block?track_id=v&pts_us=0&",
        ]
      ) {
        for (const [name, status] of names) {
          const a = await raw(s.port, get(`${route}name=${name}`, "POST"));
          answers.push(a);
          jsonError(
            a,
            status,
            [status === 400 ? "H4_BAD_ARGUMENT" : "HTTP_NOT_FOUND"],
            `${route}name=${name.slice(0, 60)}`,
          );
        }
      }
      // A request line too long for the HTTP layer never reaches the handler: 400, no body.
      const huge = await raw(s.port, get(`/files/${long(70_000)}`));
      assert.equal(huge.status, 400);
      answers.push(huge);
      // Dot segments are refused even when they would resolve inside the root (H4-HTTP-011);
      // a symbolic link to the root itself is served.
      for (const target of ["/files/sub/%2e%2e/clip.h4mk", "/files/sub/../clip.h4mk"]) {
        const a = await raw(s.port, get(target));
        jsonError(a, 400, ["H4_BAD_ARGUMENT"], target);
      }
      const self = await raw(s.port, get("/files/self/clip.h4mk"));
      assert.equal(self.status, 200);
      assert.deepEqual(self.body, clip);
      const passwd = await Deno.readTextFile("/etc/passwd").catch(() => "root:x:0:0:");
      for (const a of answers) {
        const text = dec.decode(a.body);
        assert.ok(!text.includes(MARKER), "a secret from outside the root was answered");
        assert.ok(!text.includes(passwd.slice(0, 12)), "/etc/passwd was answered");
      }
      // And the server still serves.
      const ok = await raw(s.port, get("/files/clip.h4mk/block/0"));
      assert.equal(ok.status, 200);
      console.log(
        `  ${answers.length} escape attempts: ${
          answers.filter((a) => a.status === 400).length
        } x 400, ${answers.filter((a) => a.status === 404).length} x 404, 0 bytes from outside`,
      );
    }, async (root) => {
      const d = root.dir;
      await Deno.symlink(`${outside}/secret.h4mk`, `${d}/outside.h4mk`);
      await Deno.symlink(outside, `${d}/outside-dir`);
      await Deno.symlink("..", `${d}/up`);
      await Deno.symlink("/etc/passwd", `${d}/passwd.h4mk`);
      await Deno.symlink("/dev/zero", `${d}/dev-zero`);
      await Deno.symlink(`${d}/loop-b`, `${d}/loop-a`);
      await Deno.symlink(`${d}/loop-a`, `${d}/loop-b`);
      await Deno.symlink(".", `${d}/self`);
      await Deno.writeTextFile(`${d}/.git-config`, MARKER);
      fifoMade = (await fifo.output().catch(() => ({ success: false }))).success;
      // A FIFO inside the root, reached through a link (opening it would block forever).
      await Deno.symlink(fifoMade ? `${outside}/fifo` : "/dev/null", `${d}/fifo-link`);
    });
  } finally {
    await Deno.remove(outside, { recursive: true });
  }
});
