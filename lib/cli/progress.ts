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

/** `n` bytes as MB with one decimal (10^6 bytes, as file managers show sizes). */
function mb(n: number): string {
  return (n / 1e6).toFixed(1);
}

/** Seconds as `42 s` or `3 min 5 s`. */
function duration(s: number): string {
  const t = Math.max(0, Math.round(s));
  return t < 60 ? `${t} s` : `${Math.floor(t / 60)} min ${t % 60} s`;
}

/**
 * Progress in bytes of a known total, with the percentage and an estimate of the time left
 * (from the rate so far): `importing 12.3/85.3 MB (14%), about 6 s left`. Like
 * {@linkcode createProgress}, only on a terminal and without `--quiet`. `now` is for tests.
 *
 * @example
 * ```ts
 * import { captureIo } from "./io.ts";
 * import { createByteProgress } from "./progress.ts";
 * const p = createByteProgress({ io: captureIo(), quiet: false, debug: false }, "importing");
 * await p.update(1_000_000, 4_000_000);
 * await p.end();
 * ```
 */
export function createByteProgress(
  ctx: CliContext,
  label: string,
  now: () => number = Date.now,
): Progress {
  if (ctx.quiet || !ctx.io.stderrIsTerminal) return NOOP;
  const start = now();
  let last = -Infinity;
  let drawn = false;
  return {
    async update(done, total) {
      const t = now();
      if (t - last < REDRAW_MS) return;
      last = t;
      drawn = true;
      let text = `${label} ${mb(done)}`;
      if (total) {
        text += `/${mb(total)} MB (${Math.floor((done / total) * 100)}%)`;
        const elapsed = (t - start) / 1000;
        if (done > 0 && elapsed >= 0.5) {
          text += `, about ${duration((elapsed * (total - done)) / done)} left`;
        }
      } else text += " MB";
      await printErr(ctx.io, `\r\x1b[K${text}`);
    },
    async end() {
      if (drawn) await printErr(ctx.io, "\r\x1b[K");
    },
  };
}
