/**
 * `h4mk demo [DIR]`: makes a small two-track container, then runs `manifest`, `seek` and
 * `block` on it and prints what they print. The README's first command (`deno task demo`).
 *
 * @module
 */

import { join } from "node:path";
import { createWriter, type WriteSummary } from "../../format/writer.ts";
import type { CliContext } from "../io.ts";
import { printOut } from "../io.ts";
import { toHex } from "../args.ts";
import { DEMO_VIDEO, demoBlocks } from "../demo_blocks.ts";
import { assertOutputFree, writeOutput } from "../output.ts";
import { EXIT_OK } from "../errors.ts";
import { manifestCommand } from "./manifest.ts";
import { seekCommand } from "./seek.ts";
import { blockCommand } from "./block.ts";
import { withInput } from "../input.ts";
import { plural } from "../manifest.ts";

/** Options of `h4mk demo`. */
export interface DemoOptions {
  /** Overwrite demo files left by an earlier run in DIR. */
  force?: boolean;
}

/** Seek target of the demo: half-way through the second GOP. */
const DEMO_SEEK_US = 1_500_000;

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/**
 * Runs the demo in `dir` (a new temporary directory when undefined).
 *
 * @example
 * ```ts ignore
 * import { demoCommand } from "./demo.ts";
 * await demoCommand(ctx, undefined, {});
 * ```
 */
export async function demoCommand(
  ctx: CliContext,
  dir: string | undefined,
  opts: DemoOptions,
): Promise<number> {
  const force = opts.force ?? false;
  const where = dir ?? await Deno.makeTempDir({ prefix: "h4mk-demo-" });
  await Deno.mkdir(where, { recursive: true });
  const file = join(where, "demo.h4mk");
  const blockFile = join(where, "block.bin");
  await assertOutputFree(file, force);
  await assertOutputFree(blockFile, force);

  let summary: WriteSummary | undefined;
  await writeOutput(ctx, file, force, async (sink) => {
    const writer = createWriter(sink, {
      meta: { title: "h4mk demo", generator: "h4mk demo" },
      safe: { content: "synthetic payloads" },
    });
    for (const block of demoBlocks()) await writer.add(block);
    summary = await writer.finish();
  });
  const s = summary!;
  await printOut(
    ctx.io,
    `made ${file}: ${plural(s.blocks, "block")} of ${
      plural(s.tracks, "track")
    } (3 s of 30 fps video with I/P/B ` +
      `frames, 48 kHz audio), ${s.bytes} bytes, root ${toHex(s.root)}\n\n`,
  );

  const step = (args: string[]) => printOut(ctx.io, `$ h4mk ${args.map(quote).join(" ")}\n`);
  await step(["manifest", file]);
  await manifestCommand(ctx, file, {});
  await printOut(ctx.io, "\n");
  await step(["seek", file, "--track", DEMO_VIDEO, "--pts-us", String(DEMO_SEEK_US)]);
  await seekCommand(ctx, file, { track: DEMO_VIDEO, ptsUs: DEMO_SEEK_US });
  await printOut(ctx.io, "\n");
  const index = await withInput(
    file,
    (container) => container.seek(DEMO_VIDEO, DEMO_SEEK_US).core_index,
  );
  await step(["block", file, "--index", String(index), "-o", blockFile]);
  await blockCommand(ctx, file, { index, output: blockFile, force });
  await printOut(
    ctx.io,
    `\nNext:\n  h4mk verify ${quote(file)}\n  h4mk inspect ${quote(file)}\n` +
      `  h4mk unpack ${quote(file)} -d ${quote(join(where, "unpacked"))}\n`,
  );
  return EXIT_OK;
}
