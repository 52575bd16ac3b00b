/**
 * Thin commands over modules other engineers own, loaded on first use: `serve`
 * (lib/server), `conformance` (conformance/), `import` and `export` (lib/media).
 *
 * @module
 */

// Only what `import` and `export` always need is imported here: `import` is measured against
// `ffmpeg -c copy` (issue 20), and the container reader, the key and recipient handling and the
// signing keys (about 40 ms of modules, measured) are loaded by the commands that use them.
import type { CliContext } from "../io.ts";
import { printErr, printOut } from "../io.ts";
import type { TrustArgs } from "../trust.ts";
import { assertOutputFree, STDIO, writeOutput } from "../output.ts";
import { EXIT_OK, UsageError } from "../errors.ts";
import { openFileSource } from "../../io/file.ts";
import { loadConformance, loadMedia, loadMediaImport, loadServer } from "../optional.ts";
import { createByteProgress, createProgress } from "../progress.ts";
import { isUrl } from "../text.ts";
import { lazy } from "../lazy.ts";

/** Options of `h4mk serve`. */
export interface ServeOptions {
  /** Host name or address to listen on. */
  host: string;
  /** Port (0 picks a free one). */
  port: number;
  /** Largest accepted upload in bytes. */
  maxUpload?: number;
  /** Largest block answered in bytes. */
  maxBlock?: number;
  /** Open connections at once. */
  maxConnections?: number;
}

/**
 * `h4mk serve [ROOT]`: the HTTP API over the containers in ROOT; runs until stopped.
 *
 * @example
 * ```ts ignore
 * import { serveCommand } from "./external.ts";
 * await serveCommand(ctx, ".", { host: "127.0.0.1", port: 8080 });
 * ```
 */
export async function serveCommand(
  ctx: CliContext,
  root: string,
  opts: ServeOptions,
): Promise<number> {
  const { serve } = await loadServer();
  const server = await serve({
    root,
    host: opts.host,
    port: opts.port,
    ...(opts.maxUpload !== undefined ? { maxUpload: opts.maxUpload } : {}),
    ...(opts.maxBlock !== undefined ? { maxBlock: opts.maxBlock } : {}),
    ...(opts.maxConnections !== undefined ? { maxConnections: opts.maxConnections } : {}),
  });
  const host = server.addr.hostname.includes(":")
    ? `[${server.addr.hostname}]`
    : server.addr.hostname;
  await printErr(
    ctx.io,
    `h4mk serve: ${root} on http://${host}:${server.addr.port}/ (Ctrl-C to stop)\n`,
  );
  // The server stops on SIGINT/SIGTERM and logs each request itself.
  await server.finished;
  return EXIT_OK;
}

/**
 * `h4mk conformance ...`: hands its arguments to the conformance suite's own CLI.
 *
 * @example
 * ```ts ignore
 * import { conformanceCommand } from "./external.ts";
 * const exit = await conformanceCommand(ctx, ["--help"]);
 * ```
 */
export async function conformanceCommand(_ctx: CliContext, args: string[]): Promise<number> {
  const { runConformanceCli } = await loadConformance();
  return await runConformanceCli(args);
}

/** Options of `h4mk import`. */
export interface ImportOptions {
  /** Output container path. */
  output: string;
  /** Track selection, e.g. `video,audio`. */
  tracks?: string;
  /** Encrypt with this key file. */
  keyFile?: string;
  /** Sign with these secret signing key files (SPEC.md section 18). */
  signKey?: string[];
  /** Recipient files: encrypt to them too (SPEC.md 12.16), with or without `keyFile`. */
  recipient?: string[];
  /** Write recipient ids in clear. */
  recipientHints?: boolean;
  /** LivingCipher blocks per epoch (the unit of `h4mk grant`). */
  epochBlocks?: number;
  /** Overwrite an existing output. */
  force?: boolean;
  /** Flush the output to the disk before renaming it into place (see {@linkcode MEDIA_SYNC}). */
  fsync?: boolean;
}

/**
 * Whether `import` and `export` flush their output to the disk (`fdatasync`) before the
 * rename by default: no, as `ffmpeg`, `cp`, `sed -i` and `rsync` (without `--fsync`) do not.
 * The output is still written to a temporary name and renamed, so no reader ever sees a
 * partial file; what the flush adds is only durability across a crash of the machine, for a
 * file that can be made again from its input (and that `h4mk verify` would find short). It
 * cost about 0.1 s of a 0.8 s import of an 85 MB clip (BENCHMARKS.md, "Media import and
 * export"), time ffmpeg does not spend. `--fsync` asks for it, as `rsync --fsync` does;
 * commands whose output may be the only copy of something (`pack`, `encrypt`, `sign`, keys)
 * always flush.
 */
export const MEDIA_SYNC = false;

/**
 * `h4mk import INPUT -o OUT.h4mk`: an MP4 (or other supported media) to a container.
 *
 * @example
 * ```ts ignore
 * import { importCommand } from "./external.ts";
 * await importCommand(ctx, "clip.mp4", { output: "clip.h4mk" });
 * ```
 */
export async function importCommand(
  ctx: CliContext,
  input: string,
  opts: ImportOptions,
): Promise<number> {
  const force = opts.force ?? false;
  await assertOutputFree(opts.output, force);
  const { importMedia } = await loadMediaImport();
  const sealer = opts.keyFile !== undefined || (opts.recipient?.length ?? 0) > 0
    ? await (await lazy<typeof import("./recipients.ts")>(
      new URL("./recipients.ts", import.meta.url),
    )).sealerFor(ctx, opts)
    : undefined;
  const signingKeys = (opts.signKey?.length ?? 0) > 0
    ? await (await lazy<typeof import("../trust.ts")>(new URL("../trust.ts", import.meta.url)))
      .loadSigningKeys(ctx, opts.signKey)
    : [];
  const tracks = opts.tracks?.split(",").map((t) => t.trim()).filter((t) => t !== "");
  // An MP4 is read where it says (moov may be at the end): stdin goes to a temporary file first.
  const spooled = input === STDIO ? await spoolStdin(ctx) : undefined;
  const progress = createByteProgress(ctx, "importing");
  let summary: { blocks: number; tracks: { track_id: string }[] } | undefined;
  try {
    await writeOutput(ctx, opts.output, force, async (sink) => {
      summary = await importMedia(spooled ?? input, sink, {
        tracks,
        sealer,
        signingKeys,
        onProgress: (p) => void progress.update(p.bytes_read, p.total_bytes),
      });
    }, { sync: opts.fsync ?? MEDIA_SYNC });
  } finally {
    await progress.end();
    if (spooled) await Deno.remove(spooled).catch(() => {});
  }
  const ids = summary!.tracks.map((t) => t.track_id).join(", ");
  const blocks = `${summary!.blocks} block${summary!.blocks === 1 ? "" : "s"}`;
  const line = `wrote ${opts.output} (${blocks}; tracks ${ids})\n`;
  await (opts.output === STDIO ? printErr(ctx.io, line) : printOut(ctx.io, line));
  return EXIT_OK;
}

/** Copies stdin to a new temporary file and returns its path. */
async function spoolStdin(ctx: CliContext): Promise<string> {
  const path = await Deno.makeTempFile({ prefix: "h4mk-import-", suffix: ".mp4" });
  try {
    const f = await Deno.open(path, { write: true, truncate: true });
    await ctx.io.stdin().pipeTo(f.writable);
  } catch (e) {
    await Deno.remove(path).catch(() => {});
    throw e;
  }
  return path;
}

/** Options of `h4mk export`. */
export interface ExportOptions extends TrustArgs {
  /** Output MP4 path. */
  output: string;
  /** LivingCipher key file of an encrypted container. */
  keyFile?: string;
  /** Overwrite an existing output. */
  force?: boolean;
  /** Write a fragmented MP4. */
  fragmented?: boolean;
  /** Write the moov before the mdat. */
  faststart?: boolean;
  /** Flush the output to the disk before renaming it into place (see {@linkcode MEDIA_SYNC}). */
  fsync?: boolean;
}

/**
 * `h4mk export IN.h4mk -o OUT.mp4`: a container's media tracks back to MP4.
 *
 * @example
 * ```ts ignore
 * import { exportCommand } from "./external.ts";
 * await exportCommand(ctx, "clip.h4mk", { output: "clip.mp4" });
 * ```
 */
export async function exportCommand(
  ctx: CliContext,
  input: string,
  opts: ExportOptions,
): Promise<number> {
  const force = opts.force ?? false;
  if (opts.fragmented && opts.faststart) {
    throw new UsageError("--fragmented and --faststart exclude each other");
  }
  await assertOutputFree(opts.output, force);
  const { exportMp4, exportFragmentedMp4, faststart, readerOf } = await loadMedia();
  const { withInput } = await lazy<typeof import("../input.ts")>(
    new URL("../input.ts", import.meta.url),
  );
  const { openerFor, sealedNote } = await lazy<typeof import("./keys.ts")>(
    new URL("./keys.ts", import.meta.url),
  );
  let note = "";
  await withInput(input, async (container) => {
    const opener = await openerFor(ctx, container, opts.keyFile);
    const sealed = Math.min(opener?.firstOpenBlock ?? 0, container.blockCount);
    if (sealed > 0) {
      note = `${
        sealedNote(sealed, container.blockCount, "not exported")
      }; each track starts at its first keyframe after them\n`;
    }
    // A local file is read into reused buffers; a URL through the container's own source.
    const reader = isUrl(input) ? undefined : await readerOf(container.source, input);
    const progress = createProgress(ctx, "exporting", "blocks");
    const onProgress = (p: { blocks: number; total_blocks: number }) =>
      void progress.update(p.blocks, p.total_blocks);
    try {
      await writeOutput(ctx, opts.output, force, async (sink) => {
        if (opts.fragmented) {
          await exportFragmentedMp4(container, sink, { opener, onProgress });
        } else if (opts.faststart) {
          // The moov is known once every block has been seen: the plain MP4 goes to a
          // temporary file first, then is copied with its moov moved to the front.
          const tmp = await Deno.makeTempFile({ prefix: "h4mk-export-", suffix: ".mp4" });
          try {
            const f = await Deno.open(tmp, { write: true, truncate: true });
            try {
              const write = async (b: Uint8Array) => {
                for (let o = 0; o < b.length;) o += await f.write(b.subarray(o));
              };
              await exportMp4(container, { write }, { opener, onProgress });
            } finally {
              f.close();
            }
            const src = await openFileSource(tmp);
            try {
              await faststart(src, sink);
            } finally {
              await src.close?.();
            }
          } finally {
            await Deno.remove(tmp).catch(() => {});
          }
        } else {
          await exportMp4(container, sink, { opener, readInto: reader?.readInto, onProgress });
        }
      }, { sync: opts.fsync ?? MEDIA_SYNC });
    } finally {
      await progress.end();
      await reader?.close();
    }
  }, opts);
  const line = `wrote ${opts.output}\n${note}`;
  await (opts.output === STDIO ? printErr(ctx.io, line) : printOut(ctx.io, line));
  return EXIT_OK;
}
