import assert from "node:assert/strict";
import { buildPlayer, bundle } from "./build.ts";

// `import("node:…")` or `from "node:…"` in a bundle would load a node: module in a browser
// (the worker sources in lib/hash, background_sha256.ts and hash_pool.ts, are strings and are
// not matched).
const NODE_IMPORT = /\bimport\s*\(\s*["']node:|\bfrom\s*["']node:/;

Deno.test("deno task bundle: the checked-in player is a fresh build (run `deno task bundle`)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await buildPlayer(dir);
    for (const f of ["player.js", "player.html"]) {
      const fresh = await Deno.readTextFile(`${dir}/${f}`);
      const kept = await Deno.readTextFile(new URL(`./dist/${f}`, import.meta.url));
      assert.ok(fresh === kept, `lib/web/dist/${f} is stale: run \`deno task bundle\``);
    }
    assert.doesNotMatch(await Deno.readTextFile(`${dir}/player.js`), NODE_IMPORT);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the library's browser bundle imports no node: module", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await bundle("browser.ts", `${dir}/h4mk.js`);
    const js = await Deno.readTextFile(`${dir}/h4mk.js`);
    assert.doesNotMatch(js, NODE_IMPORT);
    for (const name of ["openContainer", "openHttpSource", "openCipher", "parseKeyFile"]) {
      assert.match(js, new RegExp(`\\b${name}\\b`));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the browser entry works where every node: import fails", async () => {
  // As a browser runs it: node: modules mapped to a stub that throws on import.
  const code = `
    import { openContainer, packContainer, createSealer, openCipher, generateKey } from "./lib/web/browser.ts";
    import { native } from "./lib/hash/native.ts";
    const key = generateKey();
    const blocks = [0, 1, 2].map((i) => ({ track_id: "v", pts_us: i * 40000, kind: i ? "P" : "I", keyframe: i === 0, payload: new Uint8Array([i, 1, 2]) }));
    const c = await openContainer(await packContainer(blocks, { sealer: createSealer(key) }));
    const opener = await openCipher(c, key);
    const b = await c.readBlock(c.seek("v", 50000).core_index, { opener });
    const ok = (await c.verify({ opener })).ok;
    console.log(JSON.stringify({ b: [...b], ok, native: Object.keys(native) }));
  `;
  assert.deepEqual(await runWithoutNode(code), {
    b: [0, 1, 2],
    ok: true,
    native: [],
  });
});

Deno.test("mod.ts imports where every node: import fails: no top-level await loads one", async () => {
  // The other entries of the package too (deno.json exports).
  const code = `
    import { packContainer, open } from "./mod.ts";
    import "./cipher.ts";
    import "./recipients.ts";
    import "./sign.ts";
    import { native } from "./lib/hash/native.ts";
    const keys = Object.keys(native).length;
    const c = await open(await packContainer([{ track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array([1]) }]));
    console.log(JSON.stringify({ keys, blocks: c.blockCount, ok: (await c.verify()).ok }));
  `;
  assert.deepEqual(await runWithoutNode(code), {
    keys: 0,
    blocks: 1,
    ok: true,
  });
});

/**
 * Runs `code` (a module, from the repository's root) as a browser would load it: every `node:`
 * module mapped to a stub that throws on import. Resolves to the JSON it prints.
 */
async function runWithoutNode(code: string): Promise<unknown> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-config", "--import-map", "lib/web/browser_map.json", "-"],
    cwd: new URL("../../", import.meta.url),
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const w = out.stdin.getWriter();
  await w.write(new TextEncoder().encode(code));
  await w.close();
  const r = await out.output();
  assert.ok(r.success, new TextDecoder().decode(r.stderr));
  return JSON.parse(new TextDecoder().decode(r.stdout));
}
