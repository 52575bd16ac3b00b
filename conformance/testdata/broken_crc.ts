/**
 * A deliberately broken reader for the runner's own tests: it ignores chunk CRCs. It reads
 * with our reader; on H4_CRC_MISMATCH it rewrites every CRC to match its payload (and VERI to
 * match the rewritten headers, since a reader that ignores CRCs would have found VERI right
 * over the bytes as written) and reads again. The vectors of H4-FMT-011 must catch it.
 *
 *     deno run -A conformance/testdata/broken_crc.ts read FILE
 *
 * @module
 */

// fixVeri: every walkable chunk's CRC set to match its payload, VERI recomputed over the result.
import { fixVeri } from "../../lib/format/testdata/forge.ts";
import { canonicalRead, canonicalSeek, readOptionsOf, serveProtocol } from "../adapter.ts";
import type { Implementation, Outcome } from "../impl.ts";
import { isH4Error } from "../../mod.ts";

function outcome(e: unknown): Outcome {
  return isH4Error(e)
    ? { status: "error", code: e.code, message: e.message }
    : { status: "crash", detail: String(e) };
}

/** The broken implementation. */
export function brokenCrcImplementation(): Implementation {
  return {
    name: "broken: ignores CRCs",
    async read(file, args = []) {
      try {
        // Keys and trust as given: only CRCs are ignored.
        const opts = await readOptionsOf(args);
        const bytes = await Deno.readFile(file);
        try {
          return { status: "ok", value: await canonicalRead(bytes, opts) };
        } catch (e) {
          if (!isH4Error(e, "H4_CRC_MISMATCH")) throw e;
          return { status: "ok", value: await canonicalRead(fixVeri(bytes), opts) };
        }
      } catch (e) {
        return outcome(e);
      }
    },
    async seek(file, track, pts) {
      try {
        return {
          status: "ok",
          value: await canonicalSeek(fixVeri(await Deno.readFile(file)), track, pts),
        };
      } catch (e) {
        return outcome(e);
      }
    },
  };
}

if (import.meta.main) Deno.exit(await serveProtocol(brokenCrcImplementation(), Deno.args));
