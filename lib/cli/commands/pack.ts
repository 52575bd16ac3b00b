/**
 * `h4mk pack BLOCKS.jsonl|- -o OUT.h4mk [--profile v1|v2] [--codec none|deflate|rle]
 * [--meta JSON|@path] [--safe JSON|@path] [--key-file KEY] [--legacy-trak]`.
 *
 * Beside a `blocks.jsonl` written by `unpack` lies `pack.json`: its profile, codec, META and
 * SAFE are the defaults, so that `unpack` then `pack` rebuilds the same bytes; a flag given
 * on the command line wins.
 *
 * Lines are read and added to the writer one at a time, so memory holds the index but never
 * more than one payload.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { H4Error, isH4Error } from "../../format/errors.ts";
import type { CodecName, Profile } from "../../format/types.ts";
import { createWriter, type WriteSummary } from "../../format/writer.ts";
import { loadSigningKeys } from "../trust.ts";
import type { CliContext } from "../io.ts";
import { printErr, printOut } from "../io.ts";
import { readJsonObjectArg, toHex } from "../args.ts";
import { readBlocks } from "../jsonl.ts";
import { assertOutputFree, STDIO, writeOutput } from "../output.ts";
import { createProgress } from "../progress.ts";
import { EXIT_OK } from "../errors.ts";
import { sealerFor } from "./recipients.ts";
import { plural } from "../manifest.ts";
import { PACK_SETTINGS } from "./unpack.ts";

const CODECS = ["none", "deflate", "rle"];

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
  /** Sign with these secret signing key files (SPEC.md section 18). */
  signKey?: string[];
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
  options: PackOptions,
): Promise<number> {
  let opts = options;
  const force = opts.force ?? false;
  await assertOutputFree(opts.output, force);
  if (input !== STDIO) opts = await withUnpackSettings(input, opts);
  const meta = opts.meta !== undefined ? await readJsonObjectArg("--meta", opts.meta) : undefined;
  const safe = opts.safe !== undefined ? await readJsonObjectArg("--safe", opts.safe) : undefined;
  const sealer = await sealerFor(ctx, opts);
  const signingKeys = await loadSigningKeys(ctx, opts.signKey);
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
        signingKeys,
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

/** Largest pack.json read: it is a few short fields. */
const MAX_SETTINGS = 64 * 1024;

/**
 * `opts` completed from the `pack.json` that `unpack` wrote beside `input`, if there is one:
 * each setting applies only where no flag was given. The file is checked like any input.
 */
async function withUnpackSettings(input: string, opts: PackOptions): Promise<PackOptions> {
  const dir = dirname(input);
  const path = join(dir, PACK_SETTINGS);
  let text: string;
  try {
    const st = await Deno.stat(path);
    if (!st.isFile || st.size > MAX_SETTINGS) {
      throw new H4Error("H4_BAD_ARGUMENT", `${path} is not a pack.json written by h4mk unpack`);
    }
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return opts;
    throw e;
  }
  let s: Record<string, unknown>;
  try {
    s = JSON.parse(text);
  } catch {
    throw new H4Error("H4_BAD_ARGUMENT", `${path} is not JSON`);
  }
  const bad = (what: string): never => {
    throw new H4Error("H4_BAD_ARGUMENT", `${path}: ${what}`);
  };
  if (s === null || typeof s !== "object" || Array.isArray(s)) bad("expected a JSON object");
  const fileName = (v: unknown, key: string): string | undefined => {
    if (v === null || v === undefined) return undefined;
    if (typeof v !== "string" || !/^[\w.-]{1,100}$/.test(v) || v.startsWith(".")) {
      return bad(`${key} must be a file name beside pack.json, got ${JSON.stringify(v)}`);
    }
    return join(dir, v);
  };
  if (s.profile !== "v1" && s.profile !== "v2") bad(`profile must be v1 or v2`);
  if (s.codec !== undefined && (typeof s.codec !== "string" || !CODECS.includes(s.codec))) {
    bad(`codec must be one of ${CODECS.join(", ")}`);
  }
  if (typeof s.legacy_trak !== "boolean") bad("legacy_trak must be true or false");
  const meta = fileName(s.meta, "meta");
  const safe = fileName(s.safe, "safe");
  const profile = opts.profile ?? s.profile as Profile;
  return {
    ...opts,
    profile,
    codec: opts.codec ?? s.codec as CodecName | undefined,
    meta: opts.meta ?? (meta !== undefined ? `@${meta}` : undefined),
    safe: opts.safe ?? (safe !== undefined ? `@${safe}` : undefined),
    legacyTrak: opts.legacyTrak ?? (profile === "v1" && s.legacy_trak === true),
  };
}
