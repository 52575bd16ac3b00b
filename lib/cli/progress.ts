/**
 * Progress lines on stderr for long work. Shown only when stderr is a terminal and `--quiet`
 * is not given, so pipes, logs and tests never see them.
 *
 * @module
 */

import { type CliContext, printErr } from "./io.ts";

/** A progress indicator. */
export interface Progress {
  /** Reports `done` units of work (of `total` when known). */
  update(done: number, total?: number): Promise<void>;
  /** Clears the progress line. */
  end(): Promise<void>;
}

const NOOP: Progress = { update: () => Promise.resolve(), end: () => Promise.resolve() };

/** Minimum time between two redraws, so progress costs nothing measurable. */
const REDRAW_MS = 100;

/**
 * Makes a progress indicator for `label` (e.g. "packing", unit "blocks"; unit "" shows the
 * label alone, for work that cannot be counted).
 *
 * @example
 * ```ts
 * import { captureIo } from "./io.ts";
 * import { createProgress } from "./progress.ts";
 * const p = createProgress({ io: captureIo(), quiet: false, debug: false }, "packing", "blocks");
 * await p.update(10);
 * await p.end();
 * ```
 */
export function createProgress(ctx: CliContext, label: string, unit: string): Progress {
  if (ctx.quiet || !ctx.io.stderrIsTerminal) return NOOP;
  let last = 0;
  let drawn = false;
  return {
    async update(done, total) {
      const now = Date.now();
      if (now - last < REDRAW_MS) return;
      last = now;
      drawn = true;
      const pct = total ? ` (${Math.floor((done / total) * 100)}%)` : "";
      const of = total !== undefined ? `/${total}` : "";
      // Without a unit there is nothing to count: the label alone says what is going on.
      const text = unit === "" ? `${label}…` : `${label} ${done}${of} ${unit}${pct}`;
      await printErr(ctx.io, `\r\x1b[K${text}`);
    },
    async end() {
      if (drawn) await printErr(ctx.io, "\r\x1b[K");
    },
  };
}
