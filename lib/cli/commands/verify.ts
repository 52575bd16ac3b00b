/**
 * `h4mk verify FILE|URL [--key-file KEY] [--json]`: full verification (SPEC.md section 9),
 * plus the LivingCipher transcript with a key. Exit 0 when valid, 1 when not.
 *
 * @module
 */

import { isH4Error } from "../../format/errors.ts";
import type { VerifyCheck } from "../../format/types.ts";
import type { CliContext } from "../io.ts";
import { printErr, printOut, useColor } from "../io.ts";
import { openInput } from "../input.ts";
import { printable } from "../text.ts";
import { errorLine, EXIT_INVALID, EXIT_OK } from "../errors.ts";
import { createProgress } from "../progress.ts";
import { loadNative } from "../../hash/native.ts";
import type { TrustArgs } from "../trust.ts";
import { lazy } from "../lazy.ts";

// keys.ts (key files, LivingCipher) is loaded only with a key: `h4mk verify FILE` is a quick
// command (lib/cli/quick.ts), compared with `sha256sum` (issue 19).
const keys = () => lazy<typeof import("./keys.ts")>(new URL("./keys.ts", import.meta.url));

/** Options of `h4mk verify`. */
export interface VerifyOptions extends TrustArgs {
  /** LivingCipher key file: also decrypt every block and check the transcript. */
  keyFile?: string;
  /** Print one JSON object. */
  json?: boolean;
}

/** The JSON printed by `h4mk verify --json`. */
export interface VerifyOutput {
  /** The file or URL. */
  file: string;
  /** True when every check holds. */
  ok: boolean;
  /** Rule ids of the failed checks. */
  failed: string[];
  /** Every check made. */
  checks: VerifyCheck[];
  /**
   * With an epoch key of a later epoch: blocks 0..sealed_blocks − 1 stayed sealed (checked in
   * the LivingCipher transcript, not decrypted). Absent otherwise.
   */
  sealed_blocks?: number;
  /** Signatures (key id, public key, whether each verifies), SPEC.md section 18. */
  signatures: { key_id: string; public_key: string; valid: boolean }[];
  /** True when `--trust`/`--root` was given and the container passed it. */
  trusted: boolean;
}

/** Checks, signatures, and how many leading blocks stayed sealed to the key (0 for a root key). */
interface Outcome {
  checks: VerifyCheck[];
  signatures: VerifyOutput["signatures"];
  trusted: boolean;
  sealed: number;
  total: number;
}

async function runChecks(
  ctx: CliContext,
  file: string,
  opts: VerifyOptions,
): Promise<Outcome> {
  // Whole-file verification hashes with the native primitives: their loading (the Node layer,
  // 35 to 50 ms) starts now and proceeds while the file is opened.
  const native = loadNative();
  let input;
  try {
    input = await openInput(file, { trust: opts.trust, root: opts.root });
  } catch (e) {
    // A file that cannot even be opened is invalid: report its error as the failed rule.
    if (!isH4Error(e)) throw e;
    return {
      checks: [{ rule: e.rule ?? "open", ok: false, message: e.message, code: e.code }],
      signatures: [],
      trusted: false,
      sealed: 0,
      total: 0,
    };
  }
  const progress = createProgress(ctx, `verifying ${printable(file)}`, "");
  try {
    const opener = opts.keyFile === undefined
      ? undefined
      : await (await keys()).openerFor(ctx, input, opts.keyFile);
    await native;
    await progress.update(0);
    const report = await input.verify({ opener });
    // With an opener, verify() includes the LivingCipher transcript checks.
    const signatures = (await input.signatures()).map((s) => ({
      key_id: s.key_id,
      public_key: s.public_key,
      valid: s.valid,
    }));
    return {
      checks: [...report.checks],
      signatures,
      trusted: input.trusted,
      sealed: opener?.firstOpenBlock ?? 0,
      total: input.blockCount,
    };
  } finally {
    await progress.end();
    await input.close();
  }
}

/**
 * Verifies a container and prints the result.
 *
 * @example
 * ```ts ignore
 * import { verifyCommand } from "./verify.ts";
 * const exit = await verifyCommand(ctx, "demo.h4mk", {});
 * ```
 */
export async function verifyCommand(
  ctx: CliContext,
  file: string,
  opts: VerifyOptions,
): Promise<number> {
  const { checks, signatures, trusted, sealed, total } = await runChecks(ctx, file, opts);
  const failed = checks.filter((c) => !c.ok);
  const ok = failed.length === 0;
  if (opts.json) {
    const out: VerifyOutput = {
      file,
      ok,
      failed: failed.map((c) => c.rule),
      checks,
      signatures,
      trusted,
    };
    if (sealed > 0) out.sealed_blocks = sealed;
    await printOut(ctx.io, JSON.stringify(out) + "\n");
  } else {
    const color = useColor(ctx.io, "stdout");
    const paint = (code: number, s: string) => color ? `\x1b[${code}m${s}\x1b[0m` : s;
    const lines = ok
      ? [
        `${printable(file)}: ${paint(32, "valid")} (${checks.length} check${
          checks.length === 1 ? "" : "s"
        } passed)`,
      ]
      : [
        `${printable(file)}: ${
          paint(31, "INVALID")
        } (${failed.length} of ${checks.length} checks failed)`,
        ...failed.map((c) =>
          `  FAIL ${c.rule}${c.code ? ` ${c.code}` : ""}: ${printable(c.message)}`
        ),
      ];
    // A grant opens its epochs only: say plainly what it could not check.
    if (sealed > 0) {
      const { sealedNote } = await keys();
      lines.push(`  ${sealedNote(sealed, total, "in the transcript, not decrypted")}`);
    }
    for (const s of signatures) {
      lines.push(`  signed by ${s.key_id}: ${s.valid ? "valid" : paint(31, "INVALID")}`);
    }
    if (trusted) lines.push(`  trusted: signed by a trusted key or pinned root`);
    await printOut(ctx.io, lines.join("\n") + "\n");
  }
  if (ok) return EXIT_OK;
  const rules = [...new Set(failed.map((c) => c.rule))].join(", ");
  await printErr(
    ctx.io,
    errorLine(failed[0].code ?? "H4_VERIFY_FAILED", `verification failed: ${rules}`),
  );
  return EXIT_INVALID;
}
