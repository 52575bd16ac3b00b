/**
 * Modules the CLI uses but does not own, loaded on first use through lazy.ts (Deno does not read
 * them before the program starts; `deno task compile` names each with `--include`). A build
 * without one (or before it exists) runs every other command and reports
 * `H4_BAD_ARGUMENT: ... not available` for the rest. Their types come from the modules themselves
 * (type-only, erased at run time), so the type checker holds the commands to the real
 * signatures.
 *
 * @module
 */

import { H4Error } from "../format/errors.ts";
import { lazy } from "./lazy.ts";
import type { LivingKey, LivingOpener } from "../living/mod.ts";

/** A parsed LivingCipher key file. */
export type { LivingKey, LivingOpener };

/** lib/living/mod.ts (LivingCipher). */
export type LivingModule = typeof import("../living/mod.ts");

/** lib/server/mod.ts (HTTP API). */
export type ServerModule = typeof import("../server/mod.ts");

/** conformance/mod.ts (conformance suite). */
export type ConformanceModule = typeof import("../../conformance/mod.ts");

/** lib/media/mod.ts (MP4 import and export). */
export type MediaModule = typeof import("../media/mod.ts");

function isMissing(e: unknown, href: string): boolean {
  // Only the module itself being absent counts; a broken import inside it is a real error.
  return e instanceof Error && e.message.includes(href) &&
    ((e as { code?: string }).code === "ERR_MODULE_NOT_FOUND" ||
      /Module not found|Cannot find module/i.test(e.message));
}

/** The repository's root, for messages. */
const ROOT = new URL("../../", import.meta.url).href;

async function load<T>(what: string, url: URL): Promise<T> {
  try {
    return await lazy<T>(url);
  } catch (e) {
    if (isMissing(e, url.href)) {
      throw new H4Error(
        "H4_BAD_ARGUMENT",
        `${what} is not available in this build (${url.href.slice(ROOT.length)} missing)`,
      );
    }
    throw e;
  }
}

/**
 * Loads lib/living (LivingCipher).
 *
 * @example
 * ```ts ignore
 * import { loadLiving } from "./optional.ts";
 * const living = await loadLiving();
 * ```
 */
export function loadLiving(): Promise<LivingModule> {
  return load<typeof import("../living/mod.ts")>(
    "LivingCipher",
    new URL("../living/mod.ts", import.meta.url),
  );
}

/**
 * Loads the HTTP server.
 *
 * @example
 * ```ts ignore
 * import { loadServer } from "./optional.ts";
 * const { serve } = await loadServer();
 * ```
 */
export function loadServer(): Promise<ServerModule> {
  return load<typeof import("../server/mod.ts")>(
    "serve",
    new URL("../server/mod.ts", import.meta.url),
  );
}

/**
 * Loads the conformance suite.
 *
 * @example
 * ```ts ignore
 * import { loadConformance } from "./optional.ts";
 * const { runConformanceCli } = await loadConformance();
 * ```
 */
export function loadConformance(): Promise<ConformanceModule> {
  return load<typeof import("../../conformance/mod.ts")>(
    "conformance",
    new URL("../../conformance/mod.ts", import.meta.url),
  );
}

/**
 * Loads MP4 import and export.
 *
 * @example
 * ```ts ignore
 * import { loadMedia } from "./optional.ts";
 * const { importMedia } = await loadMedia();
 * ```
 */
export function loadMedia(): Promise<MediaModule> {
  return load<typeof import("../media/mod.ts")>(
    "MP4 import/export",
    new URL("../media/mod.ts", import.meta.url),
  );
}

/** lib/media/import.ts (MP4 import) alone. */
export type MediaImportModule = typeof import("../media/import.ts");

/**
 * Loads MP4 import alone: `h4mk import` does not load export and the rest of lib/media.
 *
 * @example
 * ```ts ignore
 * import { loadMediaImport } from "./optional.ts";
 * const { importMedia } = await loadMediaImport();
 * ```
 */
export function loadMediaImport(): Promise<MediaImportModule> {
  return load<typeof import("../media/import.ts")>(
    "MP4 import/export",
    new URL("../media/import.ts", import.meta.url),
  );
}
