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

import { crc32 } from "../../lib/hash/crc32.ts";
import { computeVeri } from "../../lib/format/veri.ts";
import { canonicalRead, canonicalSeek, readOptionsOf, serveProtocol } from "../adapter.ts";
import type { Implementation, Outcome } from "../impl.ts";
import { isH4Error } from "../../mod.ts";

/** Returns a copy of `b` with every walkable chunk's CRC set to match its payload and VERI
 * recomputed over the result. */
export function fixCrcs(b: Uint8Array): Uint8Array {
  const out = b.slice();
  const v = new DataView(out.buffer);
  for (let o = 8; o + 12 <= out.length;) {
    const len = v.getUint32(o + 4);
    if (o + 12 + len > out.length) break;
    const tag = String.fromCharCode(...out.subarray(o, o + 4));
    if (tag === "VERI" && len === 32) out.set(computeVeri(out, o), o + 12);
    v.setUint32(o + 8, crc32(out.subarray(o + 12, o + 12 + len)));
    o += 12 + len;
  }
  return out;
}

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
          return { status: "ok", value: await canonicalRead(fixCrcs(bytes), opts) };
        }
      } catch (e) {
        return outcome(e);
      }
    },
    async seek(file, track, pts) {
      try {
        return {
          status: "ok",
          value: await canonicalSeek(fixCrcs(await Deno.readFile(file)), track, pts),
        };
      } catch (e) {
        return outcome(e);
      }
    },
  };
}

if (import.meta.main) Deno.exit(await serveProtocol(brokenCrcImplementation(), Deno.args));
