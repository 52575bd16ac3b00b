/**
 * Containers and a served root for the server tests.
 *
 * @module
 */

import { packContainer, type WriterOptions } from "../../format/writer.ts";
import type { BlockInput, BlockSealer } from "../../format/types.ts";
import { randomBytes, rng } from "../../format/testdata/helpers.ts";
import { serve, type ServeOptions } from "../serve.ts";

/** Deterministic pseudo-random bytes (the format tests' generator). */
export function noise(n: number, seed: number): Uint8Array {
  return randomBytes(rng(seed), n);
}

/**
 * Blocks of a small two-track clip: `video_main` at 30 fps with a keyframe every 30 frames and
 * P/B frames between, `audio_main` every 21.333 ms, all keyframes; payloads of varied sizes
 * (divided by `shrink` to make long clips of small files).
 */
export function clipBlocks(seconds: number, shrink = 1): BlockInput[] {
  const blocks: BlockInput[] = [];
  const frames = Math.round(seconds * 30);
  let a = 0;
  for (let f = 0; f < frames; f++) {
    const pts = Math.round(f * 1_000_000 / 30);
    while (Math.round(a * 21333.33) <= pts) {
      blocks.push({
        track_id: "audio_main",
        pts_us: Math.round(a * 21333.33),
        kind: "I",
        keyframe: true,
        payload: noise(Math.ceil((100 + (a * 37) % 200) / shrink), 1_000_000 + a),
      });
      a++;
    }
    const key = f % 30 === 0;
    blocks.push({
      track_id: "video_main",
      pts_us: pts,
      kind: key ? "I" : f % 3 === 1 ? "P" : "B",
      keyframe: key,
      payload: noise(Math.ceil((key ? 6000 : 300 + (f * 97) % 1500) / shrink), f),
    });
  }
  return blocks;
}

/** A LivingCipher stand-in: appends a 16-byte tag; enough to make an encrypted container. */
export const fakeSealer: BlockSealer = {
  suite: "test-only",
  seal(_ctx, data) {
    const out = new Uint8Array(data.length + 16);
    out.set(data);
    out.fill(0xee, data.length);
    return out;
  },
  finish(root) {
    return root.slice();
  },
};

/** Packs a clip of `seconds` with small index pages so that the index has several. */
export function packClip(seconds: number, opts: WriterOptions = {}): Promise<Uint8Array> {
  return packContainer(clipBlocks(seconds), {
    blocksPerPage: 64,
    hashesPerPage: 16,
    meta: { title: "clip" },
    safe: { rating: "G" },
    ...opts,
  });
}

/** A temporary served root with the test containers. */
export interface Root {
  /** Folder path. */
  dir: string;
  /** Bytes of each file by name. */
  files: Map<string, Uint8Array<ArrayBuffer>>;
}

/**
 * Writes `clip.h4mk` (v2, 20 s), `clip-v1.h4mk`, `deflate.h4mk`, `enc.h4mk` (encrypted),
 * `sub/nested.h4mk`, `not-h4mk.bin` and `legacy.h4mk` (the original writer's two-tracks sample).
 */
export async function makeRoot(): Promise<Root> {
  const dir = await Deno.makeTempDir({ prefix: "h4mk-root-" });
  const files = new Map<string, Uint8Array<ArrayBuffer>>();
  const put = async (name: string, bytes: Uint8Array) => {
    const path = `${dir}/${name}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeFile(path, bytes);
    files.set(name, bytes as Uint8Array<ArrayBuffer>);
  };
  await put("clip.h4mk", await packClip(20));
  await put("clip-v1.h4mk", await packClip(4, { profile: "v1" }));
  await put("deflate.h4mk", await packClip(4, { codec: "deflate" }));
  await put("enc.h4mk", await packClip(4, { sealer: fakeSealer }));
  await put("sub/nested.h4mk", await packClip(2));
  await put("not-h4mk.bin", noise(5000, 7));
  const legacy = new URL("../../../testdata/legacy-v1/", import.meta.url);
  await put("legacy.h4mk", await Deno.readFile(new URL("two-tracks.h4mk", legacy)));
  return { dir, files };
}

/**
 * Starts testdata/serve_main.ts (`serve` in its own process) with `args` (ROOT [PORT
 * [MAX_UPLOAD]]) and resolves once it listens, with the port it printed. Its stdout is released
 * for the caller to cancel; stderr is `stderr`.
 */
export async function spawnServeMain(
  args: string[],
  stderr: "piped" | "null",
): Promise<{ child: Deno.ChildProcess; port: number }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./serve_main.ts", import.meta.url).pathname, ...args],
    stdout: "piped",
    stderr,
    stdin: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let first = "";
  while (!first.includes("\n")) {
    const { done, value } = await reader.read();
    if (done) throw new Error("server exited before listening");
    first += value;
  }
  reader.releaseLock();
  return { child, port: JSON.parse(first).port };
}

/**
 * Runs `f` against `serve` in this process on a fresh {@linkcode makeRoot} and a free port,
 * with `opts` and the request log collected; stops the server and removes the root after.
 */
export async function withServe(
  opts: Partial<ServeOptions>,
  f: (port: number, logs: string[], root: Root) => Promise<void>,
): Promise<void> {
  const root = await makeRoot();
  const logs: string[] = [];
  const server = await serve({
    root: root.dir,
    port: 0,
    log: (l) => logs.push(l),
    handleSignals: false,
    ...opts,
  });
  try {
    await f(server.addr.port, logs, root);
  } finally {
    await server.shutdown();
    await Deno.remove(root.dir, { recursive: true });
  }
}
