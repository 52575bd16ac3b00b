/**
 * In-process tests of `main` (see main_test.ts) around lib/media: import and export.
 */
import assert from "node:assert/strict";
import { errorCode, moduleExists, runMain, tempDir } from "./testdata/helpers.ts";

Deno.test({
  name: "import and export wrap lib/media",
  ignore: !moduleExists("lib/media/mod.ts"),
  fn: async () => {
    await using tmp = await tempDir();
    const mp4 = new URL("../media/testdata/av.mp4", import.meta.url).pathname;
    const i = await runMain(["import", mp4, "-o", `${tmp.dir}/av.h4mk`, "--tracks", "video,audio"]);
    assert.equal(i.code, 0, i.stderr);
    assert.match(i.stdout, /^wrote .*av\.h4mk \(\d+ blocks; tracks /);
    const e = await runMain(["export", `${tmp.dir}/av.h4mk`, "-o", `${tmp.dir}/out.mp4`]);
    assert.equal(e.code, 0, e.stderr);
    const head = (await Deno.readFile(`${tmp.dir}/out.mp4`)).subarray(4, 8);
    assert.equal(new TextDecoder().decode(head), "ftyp");
    const bad = await runMain(["import", `${tmp.dir}/av.h4mk`, "-o", `${tmp.dir}/x.h4mk`]);
    assert.equal(bad.code, 1);
    errorCode(bad.stderr);
  },
});

Deno.test({
  name: "export --fragmented and --faststart write web-ready MP4s; together they are a usage error",
  ignore: !moduleExists("lib/media/mod.ts"),
  fn: async () => {
    await using tmp = await tempDir();
    const mp4 = new URL("../media/testdata/av.mp4", import.meta.url).pathname;
    const i = await runMain(["import", mp4, "-o", `${tmp.dir}/av.h4mk`]);
    assert.equal(i.code, 0, i.stderr);
    const boxes = async (path: string) => {
      const b = await Deno.readFile(path);
      const v = new DataView(b.buffer);
      const out: string[] = [];
      for (let at = 0; at < b.length; at += v.getUint32(at)) {
        out.push(new TextDecoder().decode(b.subarray(at + 4, at + 8)));
      }
      return out;
    };
    const f = await runMain([
      "export",
      `${tmp.dir}/av.h4mk`,
      "-o",
      `${tmp.dir}/f.mp4`,
      "--fragmented",
    ]);
    assert.equal(f.code, 0, f.stderr);
    assert.deepEqual((await boxes(`${tmp.dir}/f.mp4`)).slice(0, 4), [
      "ftyp",
      "moov",
      "moof",
      "mdat",
    ]);
    const s = await runMain([
      "export",
      `${tmp.dir}/av.h4mk`,
      "-o",
      `${tmp.dir}/s.mp4`,
      "--faststart",
    ]);
    assert.equal(s.code, 0, s.stderr);
    assert.deepEqual(await boxes(`${tmp.dir}/s.mp4`), ["ftyp", "moov", "mdat"]);
    const both = await runMain([
      "export",
      `${tmp.dir}/av.h4mk`,
      "-o",
      `${tmp.dir}/b.mp4`,
      "--faststart",
      "--fragmented",
    ]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /exclude each other/);
  },
});
