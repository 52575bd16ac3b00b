/**
 * The controls track: camera path and motion curve instructions with a time, validated and
 * carried as JSON blocks of a track named `controls` (every block a keyframe of kind `I`).
 *
 * @module
 */
import { H4Error } from "../format/errors.ts";
import type { BlockInput } from "../format/types.ts";

/** Track id of the controls track. */
export const CONTROLS_TRACK = "controls";

/** Camera moves. */
export const CAMERA_MOVES = [
  "static",
  "pan_left",
  "pan_right",
  "tilt_up",
  "tilt_down",
  "zoom_in",
  "zoom_out",
  "dolly_in",
  "dolly_out",
  "truck_left",
  "truck_right",
  "pedestal_up",
  "pedestal_down",
  "orbit_left",
  "orbit_right",
  "roll_left",
  "roll_right",
] as const;

/** One of {@linkcode CAMERA_MOVES}. */
export type CameraMove = typeof CAMERA_MOVES[number];

/** Motion curves. */
export const MOTION_CURVES = ["linear", "ease_in", "ease_out", "ease_in_out", "step"] as const;

/** One of {@linkcode MOTION_CURVES}. */
export type MotionCurve = typeof MOTION_CURVES[number];

/** Camera path instruction. */
export interface CameraPath {
  /** The move. */
  move: CameraMove;
  /** How strong, 0 to 1. */
  intensity: number;
  /** Whether the move is smoothed. */
  smooth: boolean;
}

/** Motion curve instruction. */
export interface MotionCurveControl {
  /** Easing curve. */
  curve: MotionCurve;
  /** How strong, 0 to 1. */
  strength: number;
}

/** One control record: what a controls block carries. */
export interface ControlRecord {
  /** Time the control applies from, microseconds (a safe integer). */
  pts_us: number;
  /** Camera path, if any. */
  camera_path?: CameraPath;
  /** Motion curve, if any. */
  motion_curve?: MotionCurveControl;
  /** Free text, at most {@linkcode MAX_NOTES_LENGTH} characters. */
  notes?: string;
}

/** Longest `notes`. */
export const MAX_NOTES_LENGTH = 4096;
/** Largest encoded control block accepted by {@linkcode decodeControl}. */
export const MAX_CONTROL_BYTES = 64 * 1024;

function bad(message: string): never {
  throw new H4Error("H4_BAD_ARGUMENT", message);
}

function shown(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v);
  if (Array.isArray(v)) return "an array";
  if (v === null) return "null";
  return typeof v === "object" ? "an object" : String(v);
}

function plainObject(v: unknown, what: string, keys: readonly string[]): Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    bad(`${what} must be an object, got ${shown(v)}`);
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!keys.includes(k)) bad(`${what} has unknown field ${JSON.stringify(k)}`);
  }
  return o;
}

function unit(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 1) {
    bad(`${what} must be a number in 0..1, got ${shown(v)}`);
  }
  return v as number;
}

/**
 * Checks a control record and returns it normalised (only known fields, in a fixed order).
 * Any problem is an `H4_BAD_ARGUMENT` naming the field and what was received.
 *
 * @example
 * ```ts
 * import { validateControl } from "./controls.ts";
 * import assert from "node:assert/strict";
 * const c = validateControl({ pts_us: 0, camera_path: { move: "pan_left", intensity: 0.5, smooth: true } });
 * assert(c.camera_path?.move === "pan_left");
 * ```
 */
export function validateControl(value: unknown): ControlRecord {
  const o = plainObject(value, "control", ["pts_us", "camera_path", "motion_curve", "notes"]);
  if (typeof o.pts_us !== "number" || !Number.isSafeInteger(o.pts_us)) {
    bad(`control pts_us must be a safe integer, got ${shown(o.pts_us)}`);
  }
  const out: ControlRecord = { pts_us: o.pts_us as number };
  if (o.camera_path !== undefined) {
    const c = plainObject(o.camera_path, "camera_path", ["move", "intensity", "smooth"]);
    if (!CAMERA_MOVES.includes(c.move as CameraMove)) {
      bad(`camera_path.move must be one of ${CAMERA_MOVES.join(", ")}, got ${shown(c.move)}`);
    }
    const intensity = unit(c.intensity, "camera_path.intensity");
    if (typeof c.smooth !== "boolean") {
      bad(`camera_path.smooth must be a boolean, got ${shown(c.smooth)}`);
    }
    out.camera_path = { move: c.move as CameraMove, intensity, smooth: c.smooth as boolean };
  }
  if (o.motion_curve !== undefined) {
    const m = plainObject(o.motion_curve, "motion_curve", ["curve", "strength"]);
    if (!MOTION_CURVES.includes(m.curve as MotionCurve)) {
      bad(`motion_curve.curve must be one of ${MOTION_CURVES.join(", ")}, got ${shown(m.curve)}`);
    }
    out.motion_curve = {
      curve: m.curve as MotionCurve,
      strength: unit(m.strength, "motion_curve.strength"),
    };
  }
  if (o.notes !== undefined) {
    if (typeof o.notes !== "string" || o.notes.length > MAX_NOTES_LENGTH) {
      bad(
        `notes must be a string of at most ${MAX_NOTES_LENGTH} characters, got ${
          typeof o.notes === "string" ? `${o.notes.length} characters` : shown(o.notes)
        }`,
      );
    }
    if (
      /[\ud800-\udfff]/.test((o.notes as string).replace(/[\ud800-\udbff][\udc00-\udfff]/g, ""))
    ) {
      bad("notes holds a lone surrogate, which is not UTF-8");
    }
    out.notes = o.notes as string;
  }
  return out;
}

/**
 * Encodes a control record as compact UTF-8 JSON (validated first; fields in a fixed order,
 * so equal records give equal bytes).
 *
 * @example
 * ```ts
 * import { decodeControl, encodeControl } from "./controls.ts";
 * import assert from "node:assert/strict";
 * const bytes = encodeControl({ pts_us: 40_000, motion_curve: { curve: "ease_in", strength: 1 } });
 * assert(decodeControl(bytes).motion_curve?.curve === "ease_in");
 * ```
 */
export function encodeControl(obj: ControlRecord): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(validateControl(obj)));
}

/**
 * Decodes and validates a control block: strict UTF-8, JSON, then {@linkcode validateControl}.
 *
 * @example
 * ```ts
 * import { decodeControl } from "./controls.ts";
 * import assert from "node:assert/strict";
 * const c = decodeControl(new TextEncoder().encode('{"pts_us":5,"notes":"hi"}'));
 * assert(c.notes === "hi");
 * ```
 */
export function decodeControl(bytes: Uint8Array): ControlRecord {
  if (!(bytes instanceof Uint8Array)) bad(`control block must be bytes, got ${shown(bytes)}`);
  if (bytes.length > MAX_CONTROL_BYTES) {
    bad(`control block of ${bytes.length} bytes exceeds ${MAX_CONTROL_BYTES}`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new H4Error("H4_BAD_UTF8", `control block of ${bytes.length} bytes is not valid UTF-8`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new H4Error(
      "H4_BAD_JSON",
      `control block is not JSON: ${JSON.stringify(text.slice(0, 40))}`,
    );
  }
  return validateControl(value);
}

/**
 * The block that carries a control record on the {@linkcode CONTROLS_TRACK} track.
 *
 * @example
 * ```ts
 * import { controlBlock } from "./controls.ts";
 * import assert from "node:assert/strict";
 * const b = controlBlock({ pts_us: 0, notes: "start" });
 * assert(b.track_id === "controls" && b.keyframe && b.kind === "I");
 * ```
 */
export function controlBlock(obj: ControlRecord): BlockInput {
  const payload = encodeControl(obj);
  return { track_id: CONTROLS_TRACK, pts_us: obj.pts_us, kind: "I", keyframe: true, payload };
}
