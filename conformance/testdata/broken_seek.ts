/**
 * A deliberately broken reader for the runner's own tests: its seek is off by one, answering
 * the last keyframe strictly before the target (a `<` where SPEC.md section 10 says `≤`).
 * Every valid vector with a seek query at a keyframe's exact pts must catch it.
 *
 *     deno run -A conformance/testdata/broken_seek.ts seek FILE TRACK PTS
 *
 * @module
 */

import { canonicalSeek, ourImplementation, serveProtocol } from "../adapter.ts";
import type { Implementation } from "../impl.ts";
import { isH4Error } from "../../mod.ts";

/** The broken implementation. */
export function brokenSeekImplementation(): Implementation {
  const ours = ourImplementation();
  return {
    name: "broken: seeks off by one",
    read: ours.read,
    async seek(file, track, pts) {
      try {
        const bytes = await Deno.readFile(file);
        const r = await canonicalSeek(bytes, track, pts - 1);
        return { status: "ok", value: { ...r, pts_us: pts } };
      } catch (e) {
        if (isH4Error(e)) return { status: "error", code: e.code, message: e.message };
        return { status: "crash", detail: String(e) };
      }
    },
  };
}

if (import.meta.main) Deno.exit(await serveProtocol(brokenSeekImplementation(), Deno.args));
