import assert from "node:assert/strict";
import { captureIo } from "./io.ts";
import { main } from "./main.ts";
import { quickMain } from "./quick.ts";
import { packContainer } from "../format/writer.ts";

const dir = await Deno.makeTempDir({ prefix: "h4mk-quick-" });
const file = `${dir}/t.h4mk`;
const blocks = Array.from({ length: 40 }, (_, i) => ({
  track_id: i % 2 ? "video" : "audio\u0007",
  pts_us: i * 20_000 - 20_000,
  kind: (i % 10 === 1 ? "I" : "P") as "I" | "P",
  keyframe: i % 10 === 1 || i % 2 === 0,
  payload: new Uint8Array(100 + i).fill(i),
}));
await Deno.writeFile(file, await packContainer(blocks, { codec: "deflate" }));

/** Runs `args` both ways (output paths made distinct) and compares everything visible. */
async function same(args: (out: string) => string[]): Promise<number> {
  const a = captureIo(), b = captureIo();
  const qa = args(`${dir}/q.bin`), fa = args(`${dir}/f.bin`);
  const q = await quickMain(qa, a);
  assert.notEqual(q, undefined, `quick path declined ${JSON.stringify(qa)}`);
  const f = await main(fa, b);
  const norm = (s: string) => s.replaceAll("q.bin", "X").replaceAll("f.bin", "X");
  assert.equal(q, f, JSON.stringify(qa));
  assert.equal(norm(a.out()), norm(b.out()), JSON.stringify(qa));
  assert.equal(norm(a.err()), norm(b.err()), JSON.stringify(qa));
  assert.deepEqual(a.outBytes().length, b.outBytes().length);
  const read = (p: string) => Deno.readFile(p).catch(() => null);
  assert.deepEqual(await read(`${dir}/q.bin`), await read(`${dir}/f.bin`), JSON.stringify(qa));
  await Deno.remove(`${dir}/q.bin`).catch(() => {});
  await Deno.remove(`${dir}/f.bin`).catch(() => {});
  return q!;
}

Deno.test("quick: seek and block give what the full program gives", async () => {
  const cases: ((out: string) => string[])[] = [
    () => ["seek", file, "--track", "video", "--pts-us", "400000"],
    () => ["seek", file, "--track", "video", "--pts-us=0", "--json"],
    () => ["seek", "--json", "--track=video", "--pts_us", "-20000", file],
    () => ["seek", file, "--track", "audio\u0007", "--pts-us", "99999999999", "-q"],
    () => ["seek", file, "--track", "nope", "--pts-us", "1"], // unknown track: exit 1
    () => ["seek", `${dir}/missing.h4mk`, "--track", "video", "--pts-us", "1"],
    () => ["seek", import.meta.filename!, "--track", "video", "--pts-us", "1"], // not H4MK
    (o) => ["block", file, "--index", "7", "-o", o],
    (o) => ["block", file, "--index=7", "--output", o, "--raw"],
    () => ["block", file, "--index", "3", "-o", "-"],
    () => ["block", file, "--index", "3", "-o", "-", "--raw", "--quiet"],
    (o) => ["block", file, "--index", "400", "-o", o], // no such block: exit 1
    (o) => ["block", "-f", file, "--index", "0", "--output=" + o],
  ];
  const codes = [];
  for (const c of cases) codes.push(await same(c));
  assert.deepEqual(codes, [0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0]);
  // An existing output without --force is refused the same way.
  await Deno.writeFile(`${dir}/q.bin`, new Uint8Array(1));
  await Deno.writeFile(`${dir}/f.bin`, new Uint8Array(1));
  assert.equal(await same((o) => ["block", file, "--index", "1", "-o", o]), 1);
});

Deno.test("quick: verify, import and export give what the full program gives", async () => {
  const mp4 = new URL("../media/testdata/av.mp4", import.meta.url).pathname;
  const pcm = new URL("../media/testdata/pcm_sowt.mov", import.meta.url).pathname;
  const h4 = `${dir}/av.h4mk`;
  assert.equal(await main(["import", mp4, "-o", h4, "-q"], captureIo()), 0);
  const broken = `${dir}/broken.h4mk`;
  const bytes = await Deno.readFile(file);
  bytes[bytes.length >> 1] ^= 1;
  await Deno.writeFile(broken, bytes);
  const cases: ((out: string) => string[])[] = [
    () => ["verify", file],
    () => ["verify", "--json", h4],
    () => ["verify", broken], // exit 1, the failed rules on stderr
    () => ["verify", broken, "--json", "-q"],
    () => ["verify", `${dir}/missing.h4mk`],
    (o) => ["import", mp4, "-o", o, "-q"],
    (o) => ["import", pcm, "--output=" + o, "--tracks", "audio", "--fsync"],
    (o) => ["import", mp4, "-o", o, "--tracks=data"], // no such track: exit 1
    (o) => ["import", file, "-o", o], // a container is not media: exit 1
    (o) => ["export", h4, "-o", o, "-q"],
    (o) => ["export", "-f", h4, "--output", o, "--fragmented"],
    (o) => ["export", h4, "-o", o, "--faststart", "--fsync"],
    (o) => ["export", h4, "-o", o, "--faststart", "--fragmented"], // usage error: exit 2
    (o) => ["export", file, "-o", o], // no META.media: exit 1
  ];
  const codes = [];
  for (const c of cases) codes.push(await same(c));
  assert.deepEqual(codes, [0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 2, 1]);
  // An existing output without --force is refused the same way.
  await Deno.writeFile(`${dir}/q.bin`, new Uint8Array(1));
  await Deno.writeFile(`${dir}/f.bin`, new Uint8Array(1));
  assert.equal(await same((o) => ["import", mp4, "-o", o]), 1);
  await Deno.writeFile(`${dir}/q.bin`, new Uint8Array(1));
  await Deno.writeFile(`${dir}/f.bin`, new Uint8Array(1));
  assert.equal(await same((o) => ["export", h4, "-o", o]), 1);
});

Deno.test("quick: anything unusual is left to the full program", async () => {
  for (
    const args of [
      [],
      ["manifest", file],
      ["seek", file, "--track", "video"], // no time
      ["seek", file, "--pts-us", "5"], // no track
      ["seek", file, "--track", "video", "--pts-us", "5x"],
      ["seek", file, "--track", "video", "--pts-us", "5", "--pts-us", "6"], // repeated
      ["seek", file, "--track", "video", "--pts-us", "5", "--help"],
      ["seek", file, "--track", "video", "--pts-us", "5", "--debug"],
      ["seek", file, file, "--track", "video", "--pts-us", "5"], // two files
      ["seek", file, "--track", "--json", "--pts-us", "5"], // an option where a value goes
      ["seek", file, "--track", "video", "--pts-us", "5", "--json=1"],
      ["seek", "--track", "video", "--pts-us", "5"], // no file
      ["seek", file, "--track", "video", "--", "--pts-us", "5"],
      ["--quiet", "seek", file, "--track", "video", "--pts-us", "5"],
      ["block", file, "--index", "-1"],
      ["block", file, "--index", "1", "--key-file", "k.json"],
      ["verify", file, "--key-file", "k.json"],
      ["verify", file, "--trust", "k.pub"],
      ["verify", file, "--json", "--json"],
      ["import", "in.mp4"], // no output
      ["import", "in.mp4", "-o", "x.h4mk", "--sign-key", "k"],
      ["import", "in.mp4", "-o", "x.h4mk", "--recipient", "r.pub"],
      ["export", "x.h4mk", "-o", "x.mp4", "--key-file", "k"],
      ["export", "x.h4mk", "-o", "x.mp4", "--root", "00"],
      ["export", "x.h4mk", "-o", "x.mp4", "--fsync=1"],
      ["block", file, "--index", "1", "-ofile.bin"],
      ["block", file],
    ]
  ) {
    assert.equal(await quickMain(args, captureIo()), undefined, JSON.stringify(args));
  }
});

Deno.test("quick: cli.ts takes the quick path without loading commander or node: modules", async () => {
  // What loads at start: quick.ts and each command module it loads (lazy.ts) when that command
  // runs, with their static imports (not dynamic ones, not type-only ones), transitively.
  const here = new URL("./quick.ts", import.meta.url);
  const roots = [
    here,
    ...[
      ...Deno.readTextFileSync(here).matchAll(/new URL\("([^"]+)", import\.meta\.url\)/g),
    ].map((m) => new URL(m[1], here)),
  ];
  assert.equal(roots.length, 5, roots.join(" "));
  type Dep = { code?: { specifier: string }; isDynamic?: boolean };
  const deps = new Map<string, Dep[]>();
  for (const root of roots) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", root.pathname],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    const info = JSON.parse(new TextDecoder().decode(out.stdout));
    for (const m of info.modules as { specifier: string; dependencies?: Dep[] }[]) {
      deps.set(m.specifier, m.dependencies ?? []);
    }
  }
  const seen = new Set<string>(roots.map((r) => r.href));
  const todo: string[] = [...seen];
  while (todo.length > 0) {
    for (const d of deps.get(todo.pop()!) ?? []) {
      const to = d.code?.specifier;
      if (to && !d.isDynamic && !seen.has(to)) {
        seen.add(to);
        todo.push(to);
      }
    }
  }
  const bad = [...seen].filter((s) =>
    s.startsWith("node:") || (s.startsWith("npm:") && !s.includes("@noble/"))
  );
  assert.deepEqual(bad, []);
  assert.ok(seen.size > 10, `${seen.size} modules`);
});
