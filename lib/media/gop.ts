/**
 * GOP scheduling for producers that emit frames themselves (renderers, generators): which
 * frame is a keyframe and which kind each frame gets, so that the blocks handed to the writer
 * have a regular group-of-pictures structure.
 *
 * @module
 */
import { H4Error } from "../format/errors.ts";
import type { BlockKind } from "../format/types.ts";

/** Options of {@linkcode gopSchedule}. */
export interface GopOptions {
  /** Frames per group, keyframe included: 1 makes every frame a keyframe. */
  gop_size: number;
  /** Whether frames between references may be `B`. */
  allow_b: boolean;
}

/** The schedule: frame `i` counts from 0 in decode order. */
export interface GopSchedule {
  /** True for the first frame of each group. */
  isKeyframe(i: number): boolean;
  /** Kind of frame `i`: `I`, `P` or `B`. */
  kindFor(i: number): BlockKind;
}

/** Largest group size accepted. */
export const MAX_GOP_SIZE = 1 << 20;

/**
 * A fixed GOP schedule. Frame `i` sits at position `p = i mod gop_size` of its group:
 * `p = 0` is the keyframe (`I`). Without B-frames every other frame is `P`. With them, every
 * third position (`p = 3, 6, ...`) and the group's last frame are `P` (the last one is a
 * reference so that groups stay closed) and the rest are `B`: `I B B P B B P ... P`.
 *
 * @example
 * ```ts
 * import { gopSchedule } from "./gop.ts";
 * import assert from "node:assert/strict";
 * const g = gopSchedule({ gop_size: 8, allow_b: true });
 * const kinds = Array.from({ length: 9 }, (_, i) => g.kindFor(i)).join("");
 * assert(kinds === "IBBPBBPPI" && g.isKeyframe(8));
 * ```
 */
export function gopSchedule(opts: GopOptions): GopSchedule {
  if (opts === null || typeof opts !== "object") {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `gopSchedule needs { gop_size, allow_b }, got ${opts === null ? "null" : typeof opts}`,
    );
  }
  const { gop_size: size, allow_b: allowB } = opts;
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_GOP_SIZE) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `gop_size must be an integer in 1..${MAX_GOP_SIZE}, got ${size}`,
    );
  }
  if (typeof allowB !== "boolean") {
    throw new H4Error("H4_BAD_ARGUMENT", `allow_b must be a boolean, got ${typeof allowB}`);
  }
  const position = (i: number): number => {
    if (!Number.isSafeInteger(i) || i < 0) {
      throw new H4Error("H4_BAD_ARGUMENT", `frame number must be a non-negative integer, got ${i}`);
    }
    return i % size;
  };
  return {
    isKeyframe: (i) => position(i) === 0,
    kindFor(i): BlockKind {
      const p = position(i);
      if (p === 0) return "I";
      if (!allowB || p % 3 === 0 || p === size - 1) return "P";
      return "B";
    },
  };
}
