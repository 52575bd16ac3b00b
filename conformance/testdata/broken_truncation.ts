/**
 * A deliberately broken reader for the runner's own tests: it accepts truncated files. When
 * reading fails the way a cut file fails (no locator, a chunk running past the end, trailing
 * bytes, a legacy file without its index), it reports what it could salvage instead of an
 * error: the header's version and no blocks. The truncation vectors must catch it.
 *
 *     deno run -A conformance/testdata/broken_truncation.ts read FILE
 *
 * @module
 */

import { ourImplementation, serveProtocol } from "../adapter.ts";
import type { Implementation } from "../impl.ts";

/** Codes a cut file gives, which this reader swallows. */
export const SWALLOWED: readonly string[] = [
  "H4_TRUNCATED",
  "H4_CHUNK_OVERRUN",
  "H4_BAD_LOCATOR",
  "H4_LEGACY_NO_INDEX",
];

/** The broken implementation. */
export function brokenTruncationImplementation(): Implementation {
  const ours = ourImplementation();
  return {
    name: "broken: accepts truncated files",
    async read(file, args) {
      const o = await ours.read(file, args);
      if (o.status !== "error" || !SWALLOWED.includes(o.code)) return o;
      const b = await Deno.readFile(file);
      const version = b.length >= 6 ? (b[4] << 8) | b[5] : 0;
      return {
        status: "ok",
        value: {
          version,
          profile: version === 1 ? "legacy" : "v2",
          encrypted: false,
          tracks: [],
          blocks: [],
          meta: {},
          safe: null,
          seek: {},
        },
      };
    },
    seek: ours.seek,
  };
}

if (import.meta.main) Deno.exit(await serveProtocol(brokenTruncationImplementation(), Deno.args));
