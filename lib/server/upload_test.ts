import assert from "node:assert/strict";
import { HttpError } from "./http_error.ts";
import { readUpload } from "./upload.ts";

const bytes = new Uint8Array([0x48, 0x34, 0x4d, 0x4b, 0, 2, 0, 0, 13, 10, 45, 45]); // ends "\r\n--"

function req(body: BodyInit | null, headers: HeadersInit = {}): Request {
  return new Request("http://x/video/manifest", { method: "POST", body, headers });
}

async function status(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (e) {
    assert.ok(e instanceof HttpError, String(e));
    return e.status;
  }
}

Deno.test("readUpload: raw bodies, with and without Content-Length", async () => {
  assert.deepEqual(await readUpload(req(bytes), 100), bytes);
  const stream = ReadableStream.from([bytes.slice(0, 5), bytes.slice(5)]);
  assert.deepEqual(await readUpload(req(stream), 100), bytes);
  assert.equal(await status(readUpload(req(null), 100)), 400);
  assert.equal(await status(readUpload(req(new Uint8Array(0)), 100)), 400);
  assert.equal(await status(readUpload(req(new Uint8Array(101)), 100)), 413);
  assert.equal(
    await status(
      readUpload(req(ReadableStream.from([new Uint8Array(60), new Uint8Array(60)])), 100),
    ),
    413,
  );
  assert.deepEqual(await readUpload(req(new Uint8Array(100)), 100), new Uint8Array(100));
});

Deno.test("readUpload: multipart field file", async () => {
  const form = new FormData();
  form.append("a", "text");
  form.append("file", new Blob([bytes]), "x.h4mk");
  form.append("b", "after");
  const r = new Request("http://x/", { method: "POST", body: form });
  assert.deepEqual(await readUpload(r, 10_000), bytes);

  const mp = (body: string, boundary = "XyZ") =>
    req(body, { "content-type": `multipart/form-data; boundary="${boundary}"` });
  const ok =
    "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=file\r\n\r\nDATA\r\n--XyZ--\r\n";
  assert.equal(new TextDecoder().decode(await readUpload(mp(ok), 1000)), "DATA");
  for (
    const bad of [
      '--XyZ\r\nContent-Disposition: form-data; name="other"\r\n\r\nDATA\r\n--XyZ--',
      '--XyZ\r\nContent-Disposition: form-data; name="file"\r\n\r\nDATA',
      '--XyZ\r\nContent-Disposition: form-data; name="file"',
      "no boundary at all",
      "--XyZ--",
    ]
  ) assert.equal(await status(readUpload(mp(bad), 1000)), 400, bad);
  const empty = '--XyZ\r\nContent-Disposition: form-data; name="file"\r\n\r\n\r\n--XyZ--';
  assert.equal(await status(readUpload(mp(empty), 1000)), 400);
  assert.equal(
    await status(readUpload(req("x", { "content-type": "multipart/form-data" }), 1000)),
    400,
  );
});
