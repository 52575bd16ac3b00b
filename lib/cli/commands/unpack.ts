/**
 * `h4mk unpack FILE|URL -d DIR [--key-file KEY]`: one payload file per block, `blocks.jsonl`
 * that `h4mk pack` turns back into the same blocks, `meta.json` / `safe.json` with the
 * caller's keys (the writer's own META keys removed), and `pack.json` with the settings
 * (profile, codec, META, SAFE) that `h4mk pack DIR/blocks.jsonl` uses by default to rebuild
 * the same bytes.
 *
 * @module
 */

import { join } from "node:path";
import { H4Error } from "../../format/errors.ts";
import type { Container } from "../../seek/container.ts";
import { writeFileAtomic } from "../../io/file.ts";
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
 * const m = callerMeta({ domain: "video-transport", tracks: ["v"], title: "x" }, 2);
 * console.assert(JSON.stringify(m) === '{"title":"x"}');
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

async function prepareDir(dir: string, force: boolean, inline: boolean): Promise<void> {
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
      break;
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  await Deno.mkdir(inline ? dir : join(dir, PAYLOAD_DIR), { recursive: true });
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
    await prepareDir(opts.dir, opts.force ?? false, opts.inline ?? false);
    const width = Math.max(6, String(Math.max(0, c.blockCount - 1)).length);
    const progress = createProgress(ctx, "unpacking", "blocks");
    const encoder = new TextEncoder();
    try {
      await writeFileAtomic(join(opts.dir, "blocks.jsonl"), async (sink) => {
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
            await pool.run(() => Deno.writeFile(join(opts.dir, name), payload));
            await sink.write(encoder.encode(blockLine(entry, name)));
          }
          await progress.update(entry.index + 1, c.blockCount);
        }
        await pool.drain();
      }, { force: true });
    } finally {
      await progress.end();
    }
    await writeText(
      join(opts.dir, "meta.json"),
      JSON.stringify(callerMeta(c.meta, c.version)) + "\n",
    );
    if (c.safe !== null) {
      await writeText(join(opts.dir, "safe.json"), JSON.stringify(c.safe) + "\n");
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
