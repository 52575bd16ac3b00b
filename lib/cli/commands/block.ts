/**
 * `h4mk block FILE|URL --index N [-o PATH|-] [--raw] [--key-file KEY] [--verify|--no-verify]
 * [--trust KEY.pub] [--root HEX]`. A block read from a URL is checked against its BHSH hash
 * unless `--no-verify` (SPEC.md 18.5); `--verify` checks a local one too.
 *
 * @module
 */

import type { CliContext } from "../io.ts";
import { printErr, printOut } from "../io.ts";
import { withInput } from "../input.ts";
import { assertOutputFree, STDIO, writeOutput } from "../output.ts";
import { EXIT_OK } from "../errors.ts";
import { lazy } from "../lazy.ts";
import type { TrustArgs } from "../trust.ts";
import { contextOf } from "../../format/block_context.ts";

/** Options of `h4mk block`. */
export interface BlockOptions extends TrustArgs {
  /** Block index (`core_index`). */
  index: number;
  /** Output path, `-` for stdout. */
  output: string;
  /** Write the stored bytes as they are in the file. */
  raw?: boolean;
  /** LivingCipher key file. */
  keyFile?: string;
  /** Overwrite an existing output. */
  force?: boolean;
}

/**
 * Writes one block, decompressed (and decrypted with a key) unless `--raw`.
 *
 * @example
 * ```ts ignore
 * import { blockCommand } from "./block.ts";
 * await blockCommand(ctx, "demo.h4mk", { index: 0, output: "block.bin" });
 * ```
 */
export function blockCommand(ctx: CliContext, file: string, opts: BlockOptions): Promise<number> {
  return withInput(file, async (container) => {
    await assertOutputFree(opts.output, opts.force ?? false);
    // Key handling is loaded only with a key: plain reads stay on the quick path's few modules.
    const opener = opts.keyFile === undefined
      ? undefined
      : await (await lazy<typeof import("./keys.ts")>(new URL("./keys.ts", import.meta.url)))
        .openerFor(ctx, container, opts.keyFile);
    let bytes: Uint8Array;
    let what: string;
    if (opts.raw && opener) {
      // Decrypted but still compressed: the stored bytes opened with the block's context.
      const e = await container.entry(opts.index);
      bytes = opener.open(contextOf(e), await container.readStored(opts.index));
      what = "decrypted CORE bytes";
    } else if (opts.raw) {
      bytes = await container.readStored(opts.index);
      what = "raw CORE bytes";
    } else {
      bytes = await container.readBlock(opts.index, { opener });
      what = "decompressed";
    }
    await writeOutput(ctx, opts.output, opts.force ?? false, async (sink) => {
      await sink.write(bytes);
    });
    const line = `wrote ${opts.output} (${what}, ${bytes.length} bytes)\n`;
    // With the block on stdout the message must not mix into it.
    await (opts.output === STDIO ? printErr(ctx.io, line) : printOut(ctx.io, line));
    return EXIT_OK;
  }, opts);
}
