/**
 * `h4mk manifest FILE|URL [--json] [--verify]`.
 *
 * @module
 */

import type { CliContext } from "../io.ts";
import { printOut } from "../io.ts";
import { withInput } from "../input.ts";
import { buildManifest, formatManifest } from "../manifest.ts";
import { EXIT_OK } from "../errors.ts";

/** Options of `h4mk manifest`. */
export interface ManifestOptions {
  /** Print one JSON object. */
  json?: boolean;
  /** Also run a full verification and report it under `integrity`. */
  verify?: boolean;
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
    const report = opts.verify ? await container.verify() : undefined;
    const m = buildManifest(container, report);
    await printOut(ctx.io, opts.json ? JSON.stringify(m) + "\n" : formatManifest(file, m));
    return EXIT_OK;
  });
}
