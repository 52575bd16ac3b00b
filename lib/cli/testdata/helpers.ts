/**
 * Helpers of the CLI tests: running `deno run -A cli.ts` as a subprocess or `main` in-process,
 * temporary directories, small containers, and the legacy samples beside the repository.
 *
 * @module
 */

import { main } from "../main.ts";
import { captureIo } from "../io.ts";
import { packContainer } from "../../format/writer.ts";
import type { BlockInput } from "../../format/types.ts";
import type { WriterOptions } from "../../format/writer.ts";

/** The repository root. */
export const REPO_ROOT: URL = new URL("../../../", import.meta.url);
/** cli.ts. */
export const CLI_PATH: string = new URL("cli.ts", REPO_ROOT).pathname;
/** The original writer's samples, copied into the repository: `testdata/legacy-v1/`. */
export const LEGACY_DIR: URL = new URL("testdata/legacy-v1/", REPO_ROOT);
/** Names of the legacy samples (without extension). */
export const LEGACY_SAMPLES: readonly string[] = ["single-track", "two-tracks", "unicode-ids"];

/** Result of one run. */
export interface RunResult {
  /** Exit code. */
  code: number;
  /** Standard output as bytes. */
  stdoutBytes: Uint8Array;
  /** Standard output as text. */
  stdout: string;
  /** Standard error as text. */
  stderr: string;
}

/** Options of a run. */
export interface RunOptions {
  /** Bytes for standard input. */
  stdin?: Uint8Array | string;
  /** Working directory. */
  cwd?: string;
}

const decoder = new TextDecoder();

/** Runs `deno run -A cli.ts ...args` as a subprocess. */
export async function runCli(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", CLI_PATH, ...args],
    cwd: opts.cwd,
    stdin: opts.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  if (opts.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(
      typeof opts.stdin === "string" ? new TextEncoder().encode(opts.stdin) : opts.stdin,
    );
    await w.close();
  }
  const out = await child.output();
  return {
    code: out.code,
    stdoutBytes: out.stdout,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
  };
}

/** Runs `main(args)` in-process with captured streams. */
export async function runMain(args: string[], stdin: Uint8Array | string = ""): Promise<RunResult> {
  const io = captureIo(stdin);
  const code = await main(args, io);
  return { code, stdoutBytes: io.outBytes(), stdout: io.out(), stderr: io.err() };
}

/** A fresh temporary directory, removed by the returned function. */
export async function tempDir(): Promise<{ dir: string; [Symbol.asyncDispose](): Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "h4mk-cli-test-" });
  return {
    dir,
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Bytes of `n` whose values depend on `seed`. */
export function bytesOf(seed: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (seed * 31 + i * 7) & 0xff;
  return out;
}

/** A small two-track block list: video with I/P/B, audio all keyframes. */
export function smallBlocks(): BlockInput[] {
  const blocks: BlockInput[] = [];
  const kinds = ["I", "P", "B", "B", "P", "B"] as const;
  for (let i = 0; i < 12; i++) {
    const kind = kinds[i % kinds.length];
    blocks.push({
      track_id: "video",
      pts_us: i * 40_000,
      kind,
      keyframe: kind === "I",
      payload: bytesOf(i, 100 + i),
    });
    blocks.push({
      track_id: "audio",
      pts_us: i * 40_000 - 20_000,
      kind: "I",
      keyframe: true,
      payload: bytesOf(100 + i, 30),
    });
  }
  return blocks;
}

/** Writes a container of `blocks` to `path`. */
export async function writeContainer(
  path: string,
  blocks: BlockInput[] = smallBlocks(),
  opts: WriterOptions = {},
): Promise<Uint8Array> {
  const bytes = await packContainer(blocks, opts);
  await Deno.writeFile(path, bytes);
  return bytes;
}

/** A block of a legacy sample's `.json`. */
export interface LegacyBlock {
  /** Block index. */
  core_index: number;
  /** Track id. */
  track_id: string;
  /** pts. */
  pts_us: number;
  /** Kind. */
  kind: "I" | "P" | "B";
  /** Keyframe flag. */
  keyframe: boolean;
  /** Plaintext length. */
  length: number;
  /** SHA-256 of the plaintext, hex. */
  sha256: string;
}

/** Reads the expected values of a legacy sample. */
export async function legacyExpected(name: string): Promise<LegacyBlock[]> {
  const doc = JSON.parse(await Deno.readTextFile(new URL(`${name}.json`, LEGACY_DIR)));
  return doc.blocks as LegacyBlock[];
}

/** Path of a legacy sample. */
export function legacyPath(name: string): string {
  return new URL(`${name}.h4mk`, LEGACY_DIR).pathname;
}

/** SHA-256 hex of bytes. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return [...d].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** True when a module of the tree exists (for commands wired to modules that may be absent). */
export function moduleExists(rel: string): boolean {
  try {
    return Deno.statSync(new URL(rel, REPO_ROOT)).isFile;
  } catch {
    return false;
  }
}

const ERROR_LINE = /^h4mk: error: (H4_[A-Z_]+): [^\n]+\n$/;

/** The code of the one error line `stderr` must be; fails the test otherwise. */
export function errorCode(stderr: string): string {
  const m = ERROR_LINE.exec(stderr);
  if (!m) throw new Error(`expected one error line, got ${JSON.stringify(stderr)}`);
  return m[1];
}
