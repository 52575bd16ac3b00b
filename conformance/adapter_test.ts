import assert from "node:assert/strict";
import { packContainer } from "../mod.ts";
import { canonicalRead, canonicalSeek, ourImplementation } from "./adapter.ts";
import { small } from "./gen/common.ts";

Deno.test("adapter: canonical read and seek of a packed file", async () => {
  const bytes = await packContainer(small(), { safe: { s: 1 } });
  const r = await canonicalRead(bytes);
  assert.equal(r.blocks.length, 10);
  assert.deepEqual(Object.keys(r), [
    "version",
    "profile",
    "encrypted",
    "tracks",
    "blocks",
    "meta",
    "safe",
    "seek",
  ]);
  assert.deepEqual(r.safe, { s: 1 });
  assert.deepEqual(await canonicalSeek(bytes, "video", 1), {
    track_id: "video",
    pts_us: 1,
    keyframe_pts_us: 0,
    core_index: 0,
    found: true,
  });
});

Deno.test("adapter: errors are outcomes, not exceptions; the command prints the protocol", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/bad.h4mk`, new TextEncoder().encode("H4MK\0\u0009\0\0"));
    const o = await ourImplementation().read(`${dir}/bad.h4mk`);
    assert.equal(o.status, "error");
    const cmd = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("./adapter.ts", import.meta.url).pathname,
        "read",
        `${dir}/bad.h4mk`,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(cmd.code, 1);
    assert.match(new TextDecoder().decode(cmd.stderr), /^ERROR H4_UNSUPPORTED_VERSION /m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
