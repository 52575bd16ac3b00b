/**
 * Thin commands over modules other engineers own, loaded on first use: `serve`
 * (lib/server), `conformance` (conformance/), `import` and `export` (lib/media).
 *
 * @module
 */

import type { CliContext } from "../io.ts";
import { printErr, printOut } from "../io.ts";
import { withInput } from "../input.ts";
import { assertOutputFree, STDIO, writeOutput } from "../output.ts";
import { EXIT_OK } from "../errors.ts";
import { loadConformance, loadMedia, loadServer } from "../optional.ts";
import { createProgress } from "../progress.ts";
import { openerFor } from "./keys.ts";
import { sealerFor } from "./recipients.ts";
import { plural } from "../manifest.ts";

/** Options of `h4mk serve`. */
export interface ServeOptions {
  /** Host name or address to listen on. */
  host: string;
  /** Port (0 picks a free one). */
  port: number;
  /** Largest accepted upload in bytes. */
  maxUpload?: number;
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
  /** Recipient files: encrypt to them too (SPEC.md 12.16), with or without `keyFile`. */
  recipient?: string[];
  /** Write recipient ids in clear. */
  recipientHints?: boolean;
  /** LivingCipher blocks per epoch (the unit of `h4mk grant`). */
  epochBlocks?: number;
  /** Overwrite an existing output. */
  force?: boolean;
}

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
  const { importMedia } = await loadMedia();
  const sealer = await sealerFor(ctx, opts);
  const tracks = opts.tracks?.split(",").map((t) => t.trim()).filter((t) => t !== "");
  const progress = createProgress(ctx, "importing", "blocks");
  let summary: { blocks: number; tracks: { track_id: string }[] } | undefined;
  try {
    await writeOutput(ctx, opts.output, force, async (sink) => {
      summary = await importMedia(input, sink, {
        tracks,
        sealer,
        onProgress: (p) => void progress.update(p.blocks),
      });
    });
  } finally {
    await progress.end();
  }
  const ids = summary!.tracks.map((t) => t.track_id).join(", ");
  const line = `wrote ${opts.output} (${plural(summary!.blocks, "block")}; tracks ${ids})\n`;
  await (opts.output === STDIO ? printErr(ctx.io, line) : printOut(ctx.io, line));
  return EXIT_OK;
}

/** Options of `h4mk export`. */
export interface ExportOptions {
  /** Output MP4 path. */
  output: string;
  /** LivingCipher key file of an encrypted container. */
  keyFile?: string;
  /** Overwrite an existing output. */
  force?: boolean;
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
  await assertOutputFree(opts.output, force);
  const { exportMp4 } = await loadMedia();
  await withInput(input, async (container) => {
    const opener = await openerFor(ctx, container, opts.keyFile);
    const progress = createProgress(ctx, "exporting", "blocks");
    try {
      await writeOutput(ctx, opts.output, force, async (sink) => {
        await exportMp4(container, sink, {
          opener,
          onProgress: (p) => void progress.update(p.blocks, p.total_blocks),
        });
      });
    } finally {
      await progress.end();
    }
  });
  const line = `wrote ${opts.output}\n`;
  await (opts.output === STDIO ? printErr(ctx.io, line) : printOut(ctx.io, line));
  return EXIT_OK;
}
