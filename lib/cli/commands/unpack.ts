/**
 * `h4mk unpack FILE|URL -d DIR [--key-file KEY]`: one payload file per block, `blocks.jsonl`
 * that `h4mk pack` turns back into the same blocks, `meta.json` / `safe.json` with the
 * caller's keys (the writer's own META keys removed), and `pack.json` with the settings
 * (profile, codec, META, SAFE) that `h4mk pack DIR/blocks.jsonl` uses by default to rebuild
 * the same bytes.
 *
 * @module
 */

import { basename, dirname, join, resolve } from "node:path";
import { H4Error } from "../../format/errors.ts";
import type { Container } from "../../seek/container.ts";
import { writeFileAtomic } from "../../io/file.ts";
import { trackTemporary } from "../../io/temporaries.ts";
import type { CliContext } from "../io.ts";
import { printOut } from "../io.ts";
import { withInput } from "../input.ts";
import type { TrustArgs } from "../trust.ts";
import { blockLine } from "../jsonl.ts";
import { createProgress } from "../progress.ts";
import { createPool } from "../pool.ts";
import { EXIT_OK } from "../errors.ts";
import { openerFor, sealedNote } from "./keys.ts";
import { plural } from "../manifest.ts";

/** Options of `h4mk unpack`. */
export interface UnpackOptions extends TrustArgs {
  /** Output directory. */
  dir: string;
  /** LivingCipher key file. */
  keyFile?: string;
  /** Write into a non-empty directory, overwriting files. */
  force?: boolean;
  /** Put payloads into blocks.jsonl as base64 instead of one file per block. */
  inline?: boolean;
}

/** Payload files written at once. */
const WRITE_CONCURRENCY = 32;

/** Folder of the payload files inside the output directory. */
export const PAYLOAD_DIR = "blocks";

/** File beside `blocks.jsonl` with the settings `pack` uses by default. */
export const PACK_SETTINGS = "pack.json";

/** What `pack.json` holds: the pack options that rebuild the unpacked container. */
export interface PackSettings {
  /** Block-store profile. */
  profile: "v1" | "v2";
  /** Default codec of the blocks, when every track has the same one. */
  codec?: string;
  /** File name of the META keys beside pack.json. */
  meta: string;
  /** File name of SAFE beside pack.json, or null without SAFE. */
  safe: string | null;
  /** v1: embed `trak_b64`. */
  legacy_trak: boolean;
  /** Whether the unpacked container was encrypted (pack needs --key-file to encrypt again). */
  encrypted: boolean;
}

/**
 * The pack settings that rebuild `c` from its unpacked blocks.
 *
 * @example
 * ```ts ignore
 * import { packSettings } from "./unpack.ts";
 * const s = packSettings(container);
 * ```
 */
export function packSettings(c: Container): PackSettings {
  const codecs = [...new Set(c.tracks.map((t) => t.codec))];
  return {
    profile: c.version === 1 ? "v1" : "v2",
    ...(codecs.length === 1 && codecs[0] !== "none" ? { codec: codecs[0] } : {}),
    meta: "meta.json",
    safe: c.safe !== null ? "safe.json" : null,
    legacy_trak: c.version === 1 && typeof c.meta.trak_b64 === "string",
    encrypted: c.encrypted,
  };
}

/**
 * The caller's META keys: META without the keys the writer adds (SPEC.md section 8,
 * H4-MET-002). `domain` and `tracks` are always the writer's; `seekm_b64`, `trak_b64` and the
 * original writer's `compression` only in version 1 files.
 *
 * @example
 * ```ts
 * import { callerMeta } from "./unpack.ts";
 * import assert from "node:assert/strict";
 * const m = callerMeta({ domain: "video-transport", tracks: ["v"], title: "x" }, 2);
 * assert(JSON.stringify(m) === '{"title":"x"}');
 * ```
 */
export function callerMeta(
  meta: Record<string, unknown>,
  version: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta)) {
    if (k === "domain" || k === "tracks") continue;
    if (version === 1 && (k === "seekm_b64" || k === "trak_b64")) continue;
    if (
      version === 1 && k === "compression" && typeof v === "object" && v !== null &&
      (v as Record<string, unknown>).engine === "geometric-reference"
    ) continue;
    out[k] = v;
  }
  return out;
}

/** Where the files are written, and how they reach `dir` at the end. */
interface Target {
  /** Folder written into: a temporary sibling of `dir`, or `dir` itself with --force. */
  work: string;
  /** Renames the temporary folder to `dir` (nothing to do when writing in place). */
  commit(): Promise<void>;
  /** Removes the temporary folder after a failure. */
  abort(): Promise<void>;
}

/**
 * A new or empty `dir` is written as a temporary folder beside it, renamed to `dir` when
 * complete, so a failure or a signal leaves no partial folder. A non-empty `dir` (with
 * --force) is written in place.
 */
async function prepareDir(dir: string, force: boolean, inline: boolean): Promise<Target> {
  let empty = true;
  try {
    const stat = await Deno.stat(dir);
    if (!stat.isDirectory) {
      throw new H4Error("H4_BAD_ARGUMENT", `${dir} exists and is not a directory`);
    }
    for await (const _ of Deno.readDir(dir)) {
      if (!force) {
        throw new H4Error(
          "H4_BAD_ARGUMENT",
          `directory ${dir} is not empty (use --force to write into it)`,
        );
      }
      empty = false;
      break;
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  if (!empty) {
    await Deno.mkdir(inline ? dir : join(dir, PAYLOAD_DIR), { recursive: true });
    return { work: dir, commit: () => Promise.resolve(), abort: () => Promise.resolve() };
  }
  const abs = resolve(dir);
  const work = join(dirname(abs), `.${basename(abs)}.${crypto.randomUUID().slice(0, 8)}.tmp`);
  const untrack = trackTemporary(work);
  try {
    await Deno.mkdir(inline ? work : join(work, PAYLOAD_DIR), { recursive: true });
  } catch (e) {
    untrack();
    throw ioError(e, `cannot create ${dir}`);
  }
  return {
    work,
    async commit() {
      try {
        // An empty folder that exists is replaced by the rename (rename(2) allows it).
        await Deno.rename(work, abs);
      } catch (e) {
        await Deno.remove(work, { recursive: true }).catch(() => {});
        untrack();
        throw ioError(e, `cannot rename the unpacked folder to ${dir}`);
      }
      untrack();
    },
    async abort() {
      await Deno.remove(work, { recursive: true }).catch(() => {});
      untrack();
    },
  };
}

/** An I/O failure as H4_IO naming `path`. */
function ioError(e: unknown, what: string): H4Error {
  if (e instanceof H4Error) return e;
  const msg = String((e as Error)?.message ?? e).split("\n")[0];
  return new H4Error("H4_IO", `${what}: ${msg}`, { cause: e });
}

function repackCommand(c: Container, dir: string): string {
  const profile = c.version === 1 ? "v1" : "v2";
  const codecs = [...new Set(c.tracks.map((t) => t.codec))];
  const parts = [
    "h4mk pack",
    join(dir, "blocks.jsonl"),
    "-o OUT.h4mk",
    `--profile ${profile}`,
  ];
  if (codecs.length === 1 && codecs[0] !== "none") parts.push(`--codec ${codecs[0]}`);
  parts.push(`--meta @${join(dir, "meta.json")}`);
  if (c.safe !== null) parts.push(`--safe @${join(dir, "safe.json")}`);
  if (c.version === 1 && typeof c.meta.trak_b64 === "string") parts.push("--legacy-trak");
  if (c.encrypted) parts.push("--key-file KEY");
  return parts.join(" ");
}

async function writeText(path: string, text: string): Promise<void> {
  await writeFileAtomic(
    path,
    (sink) => Promise.resolve(sink.write(new TextEncoder().encode(text))).then(() => {}),
    {
      force: true,
    },
  );
}

/** An error whose message names a file of the temporary folder, renamed to the final one. */
function rename(e: unknown, work: string, dir: string): unknown {
  if (!(e instanceof H4Error) || work === dir || !e.message.includes(work)) return e;
  return new H4Error(e.code, e.message.replaceAll(work, dir), { cause: e });
}

/**
 * Unpacks a container into a directory.
 *
 * @example
 * ```ts ignore
 * import { unpackCommand } from "./unpack.ts";
 * await unpackCommand(ctx, "demo.h4mk", { dir: "demo" });
 * ```
 */
export function unpackCommand(ctx: CliContext, file: string, opts: UnpackOptions): Promise<number> {
  return withInput(file, async (c) => {
    const opener = await openerFor(ctx, c, opts.keyFile);
    const sealed = Math.min(opener?.firstOpenBlock ?? 0, c.blockCount);
    const target = await prepareDir(opts.dir, opts.force ?? false, opts.inline ?? false);
    const work = target.work;
    // Errors name the file of the final folder, not of the temporary one.
    const named = (rel: string) => join(opts.dir, rel);
    const width = Math.max(6, String(Math.max(0, c.blockCount - 1)).length);
    const progress = createProgress(ctx, "unpacking", "blocks");
    const encoder = new TextEncoder();
    try {
      try {
        await writeFileAtomic(join(work, "blocks.jsonl"), async (sink) => {
          // Payload files are written a few at a time: small files cost a system call each.
          const pool = createPool(WRITE_CONCURRENCY);
          for await (const entry of c.entries()) {
            // Blocks before an epoch key's epoch stay sealed: they are left out, and said so.
            if (entry.index < sealed) continue;
            const payload = await c.readBlock(entry.index, { opener });
            if (opts.inline) {
              await sink.write(encoder.encode(blockLine(entry, payload)));
            } else {
              const name = `${PAYLOAD_DIR}/${String(entry.index).padStart(width, "0")}.bin`;
              await pool.run(() =>
                Deno.writeFile(join(work, name), payload).catch((e) => {
                  throw ioError(e, `cannot write ${named(name)}`);
                })
              );
              await sink.write(encoder.encode(blockLine(entry, name)));
            }
            await progress.update(entry.index + 1, c.blockCount);
          }
          await pool.drain();
        }, { force: true });
      } catch (e) {
        throw rename(e, work, opts.dir);
      } finally {
        await progress.end();
      }
      await writeText(
        join(work, "meta.json"),
        JSON.stringify(callerMeta(c.meta, c.version)) + "\n",
      ).catch((e) => {
        throw rename(e, work, opts.dir);
      });
      if (c.safe !== null) {
        await writeText(join(work, "safe.json"), JSON.stringify(c.safe) + "\n").catch((e) => {
          throw rename(e, work, opts.dir);
        });
      }
      await target.commit();
    } catch (e) {
      await target.abort();
      throw e;
    }
    await writeText(join(opts.dir, PACK_SETTINGS), JSON.stringify(packSettings(c)) + "\n");
    await printOut(
      ctx.io,
      `unpacked ${plural(c.blockCount - sealed, "block")} of ${
        plural(c.tracks.length, "track")
      } to ${opts.dir}\n` +
        (sealed > 0 ? `${sealedNote(sealed, c.blockCount, "not unpacked")}\n` : "") +
        `repack: ${repackCommand(c, opts.dir)}\n`,
    );
    return EXIT_OK;
  }, opts);
}
