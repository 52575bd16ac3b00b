/**
 * `h4mk seek FILE|URL --track ID --pts-us N [--json]`: where to start decoding to show time N.
 *
 * @module
 */

import type { CliContext } from "../io.ts";
import { printOut } from "../io.ts";
import { withInput } from "../input.ts";
import { printable } from "../text.ts";
import { EXIT_OK } from "../errors.ts";
import type { TrustArgs } from "../trust.ts";

/** Options of `h4mk seek`. */
export interface SeekOptions extends TrustArgs {
  /** Track id. */
  track: string;
  /** Target time in microseconds. */
  ptsUs: number;
  /** Print the seek result as JSON. */
  json?: boolean;
}

/**
 * Seeks one track and prints `track=ID pts_us=N -> keyframe_pts_us=K core_index=I`, or, when
 * the target lies before the track's first keyframe, a line that says nothing was found and
 * where the track starts.
 *
 * @example
 * ```ts ignore
 * import { seekCommand } from "./seek.ts";
 * await seekCommand(ctx, "demo.h4mk", { track: "video", ptsUs: 1_500_000 });
 * ```
 */
export function seekCommand(ctx: CliContext, file: string, opts: SeekOptions): Promise<number> {
  return withInput(file, async (container) => {
    const r = container.seek(opts.track, opts.ptsUs);
    const line = r.found
      ? `track=${printable(r.track_id)} pts_us=${r.pts_us} -> ` +
        `keyframe_pts_us=${r.keyframe_pts_us} core_index=${r.core_index}\n`
      : `track=${printable(r.track_id)} pts_us=${r.pts_us} -> not found: no keyframe at or ` +
        `before ${r.pts_us} us; the first keyframe is at ${r.keyframe_pts_us} us ` +
        `(core_index=${r.core_index})\n`;
    await printOut(ctx.io, opts.json ? JSON.stringify(r) + "\n" : line);
    return EXIT_OK;
  }, opts);
}
