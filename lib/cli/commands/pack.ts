/**
 * `h4mk pack BLOCKS.jsonl|- -o OUT.h4mk [--profile v1|v2] [--codec none|deflate|rle]
 * [--meta JSON|@path] [--safe JSON|@path] [--key-file KEY] [--legacy-trak]`.
 *
 * Lines are read and added to the writer one at a time, so memory holds the index but never
 * more than one payload.
 *
 * @module
 */

import { dirname } from "node:path";
import { H4Error, isH4Error } from "../../format/errors.ts";
import type { CodecName, Profile } from "../../format/types.ts";
import { createWriter, type WriteSummary } from "../../format/writer.ts";
import type { CliContext } from "../io.ts";
import { printErr, printOut } from "../io.ts";
import { readJsonObjectArg, toHex } from "../args.ts";
import { readBlocks } from "../jsonl.ts";
import { assertOutputFree, STDIO, writeOutput } from "../output.ts";
import { createProgress } from "../progress.ts";
import { EXIT_OK } from "../errors.ts";
import { sealerFor } from "./recipients.ts";
import { plural } from "../manifest.ts";

/** Options of `h4mk pack`. */
export interface PackOptions {
  /** Output path, `-` for stdout. */
  output: string;
  /** Block-store profile. */
  profile?: Profile;
  /** Default codec of the blocks. */
  codec?: CodecName;
  /** META: JSON object text or `@path`. */
  meta?: string;
  /** SAFE: JSON object text or `@path`. */
  safe?: string;
  /** LivingCipher key file: encrypt the blocks. */
  keyFile?: string;
  /** Recipient files: encrypt to them too (SPEC.md 12.16), with or without `keyFile`. */
  recipient?: string[];
  /** Write recipient ids in clear. */
  recipientHints?: boolean;
  /** LivingCipher blocks per epoch (the unit of `h4mk grant`). */
  epochBlocks?: number;
  /** v1: embed `trak_b64` in META for the original reader. */
  legacyTrak?: boolean;
  /** Overwrite an existing output. */
  force?: boolean;
}

/**
 * Packs a blocks JSONL file (or stdin for `-`) into a container.
 *
 * @example
 * ```ts ignore
 * import { packCommand } from "./pack.ts";
 * await packCommand(ctx, "blocks.jsonl", { output: "out.h4mk" });
 * ```
 */
export async function packCommand(
  ctx: CliContext,
  input: string,
  opts: PackOptions,
): Promise<number> {
  const force = opts.force ?? false;
  await assertOutputFree(opts.output, force);
  const meta = opts.meta !== undefined ? await readJsonObjectArg("--meta", opts.meta) : undefined;
  const safe = opts.safe !== undefined ? await readJsonObjectArg("--safe", opts.safe) : undefined;
  const sealer = await sealerFor(ctx, opts);
  if (opts.legacyTrak && opts.profile !== "v1") {
    throw new H4Error("H4_BAD_ARGUMENT", "--legacy-trak needs --profile v1");
  }
  const file = input === STDIO ? undefined : await Deno.open(input, { read: true });
  const stream = file ? file.readable : ctx.io.stdin();
  const baseDir = input === STDIO ? Deno.cwd() : dirname(input);
  const progress = createProgress(ctx, "packing", "blocks");
  let summary: WriteSummary | undefined;
  try {
    await writeOutput(ctx, opts.output, force, async (sink) => {
      const writer = createWriter(sink, {
        profile: opts.profile,
        codec: opts.codec,
        meta,
        safe,
        sealer,
        legacyTrak: opts.legacyTrak,
      });
      let n = 0;
      for await (const { line, ...block } of readBlocks(stream, baseDir)) {
        try {
          await writer.add(block);
        } catch (e) {
          if (!isH4Error(e)) throw e;
          // Name the input line: the writer only knows the block.
          throw new H4Error(e.code, `line ${line}: ${e.message}`, { rule: e.rule, cause: e });
        }
        await progress.update(++n);
      }
      summary = await writer.finish();
    });
  } finally {
    await progress.end();
    // Reading to the end closes the file's stream; an error part-way may leave it open.
    try {
      file?.close();
    } catch { /* already closed by its stream */ }
  }
  const s = summary!;
  const counts = `${plural(s.blocks, "block")}, ${plural(s.tracks, "track")}, ${s.bytes} bytes`;
  const line = `wrote ${opts.output} (${counts}, root ${toHex(s.root)})\n`;
  await (opts.output === STDIO ? printErr(ctx.io, line) : printOut(ctx.io, line));
  return EXIT_OK;
}
