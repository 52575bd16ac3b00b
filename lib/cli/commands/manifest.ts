/**
 * `h4mk manifest FILE|URL [--json] [--verify] [--trust KEY.pub] [--root HEX]`: exit 1 when
 * `--verify` finds the file invalid.
 *
 * @module
 */

import type { CliContext } from "../io.ts";
import { printErr, printOut } from "../io.ts";
import { withInput } from "../input.ts";
import { buildManifest, formatManifest } from "../manifest.ts";
import { errorLine, EXIT_INVALID, EXIT_OK } from "../errors.ts";
import type { TrustArgs } from "../trust.ts";

/** Options of `h4mk manifest`. */
export interface ManifestOptions extends TrustArgs {
  /** Print one JSON object. */
  json?: boolean;
  /** Also run a full verification and report it under `integrity`; exit 1 when it fails. */
  check?: boolean;
}

/**
 * Prints the manifest of a container.
 *
 * @example
 * ```ts ignore
 * import { manifestCommand } from "./manifest.ts";
 * await manifestCommand(ctx, "demo.h4mk", { json: true });
 * ```
 */
export function manifestCommand(
  ctx: CliContext,
  file: string,
  opts: ManifestOptions,
): Promise<number> {
  return withInput(file, async (container) => {
    const report = opts.check ? await container.verify() : undefined;
    const m = buildManifest(container, report, await container.signatures());
    await printOut(ctx.io, opts.json ? JSON.stringify(m) + "\n" : formatManifest(file, m));
    if (report && !report.ok) {
      await printErr(
        ctx.io,
        errorLine(
          report.checks.find((k) => !k.ok)?.code ?? "H4_VERIFY_FAILED",
          `verification failed: ${m.integrity.failed.join(", ")}`,
        ),
      );
      return EXIT_INVALID;
    }
    return EXIT_OK;
  }, { trust: opts.trust, root: opts.root });
}
