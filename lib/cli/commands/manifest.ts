/**
 * `h4mk manifest FILE|URL [--json] [--verify] [--trust KEY.pub] [--root HEX]`: exit 1 when
 * `--verify` finds the file invalid.
 *
 * @module
 */

import type { CliContext } from "../io.ts";
import { printErr, printOut } from "../io.ts";
import { withInput } from "../input.ts";
import { formatManifest, seekSummaries } from "../manifest.ts";
import { buildManifest, manifestJson } from "../../manifest/manifest.ts";
import { errorLine, EXIT_INVALID, EXIT_OK } from "../errors.ts";
import type { TrustArgs } from "../trust.ts";

/** Options of `h4mk manifest`. */
export interface ManifestOptions extends TrustArgs {
  /** Print the manifest document (the server's, SPEC.md H4-HTTP-013) as one JSON object. */
  json?: boolean;
  /** Also run a full verification and report it under `h4mk.integrity`; exit 1 when it fails. */
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
    if (opts.json) {
      // Written while the block index is walked, as the server sends it.
      for await (const part of await manifestJson(container, { name: file, report })) {
        await printOut(ctx.io, part);
      }
      await printOut(ctx.io, "\n");
    } else {
      // The summary needs neither `seek` nor `trak`, so it never walks the block index.
      const m = await buildManifest(container, { name: file, seek: false, trak: false, report });
      await printOut(ctx.io, formatManifest(file, m, seekSummaries(container)));
    }
    if (report && !report.ok) {
      await printErr(
        ctx.io,
        errorLine(
          report.checks.find((k) => !k.ok)?.code ?? "H4_VERIFY_FAILED",
          `verification failed: ${
            report.checks.filter((k) => !k.ok).map((k) => k.rule).join(", ")
          }`,
        ),
      );
      return EXIT_INVALID;
    }
    return EXIT_OK;
  }, { trust: opts.trust, root: opts.root });
}
