/**
 * The original writer's run-length codec `rle` ("geometric-reference"), SPEC.md section 5:
 * pairs of (value, run 1..255).
 *
 * @module
 */
import { H4Error } from "./errors.ts";

/**
 * Encodes with maximal runs of at most 255.
 *
 * @example
 * ```ts
 * import { rleEncode } from "./rle.ts";
 * import assert from "node:assert/strict";
 * assert(rleEncode(new Uint8Array(300)).length === 4);
 * ```
 */
export function rleEncode(data: Uint8Array): Uint8Array {
  // Worst case doubles the size; count first to allocate exactly.
  let pairs = 0;
  for (let i = 0; i < data.length;) {
    let j = i + 1;
    while (j < data.length && data[j] === data[i] && j - i < 255) j++;
    pairs++;
    i = j;
  }
  const out = new Uint8Array(pairs * 2);
  let o = 0;
  for (let i = 0; i < data.length;) {
    let j = i + 1;
    while (j < data.length && data[j] === data[i] && j - i < 255) j++;
    out[o++] = data[i];
    out[o++] = j - i;
    i = j;
  }
  return out;
}

/**
 * Decodes, requiring exactly `plainLength` bytes of output (H4-COD-002); never writes past it.
 *
 * @example
 * ```ts
 * import { rleDecode } from "./rle.ts";
 * import assert from "node:assert/strict";
 * assert(rleDecode(new Uint8Array([7, 3]), 3).join() === "7,7,7");
 * ```
 */
export function rleDecode(stored: Uint8Array, plainLength: number): Uint8Array {
  const fail = (m: string): never => {
    throw new H4Error("H4_CODEC_ERROR", `rle: ${m}`, { rule: "H4-COD-002" });
  };
  if (stored.length % 2 !== 0) fail(`odd stored length ${stored.length}`);
  // Each pair yields at most 255 bytes: a plain length beyond that is impossible, reject early.
  if (plainLength > (stored.length / 2) * 255) {
    fail(`${stored.length} stored bytes cannot decode to ${plainLength}`);
  }
  const out = new Uint8Array(plainLength);
  let o = 0;
  for (let i = 0; i < stored.length; i += 2) {
    const run = stored[i + 1];
    if (run === 0) fail(`run of 0 at byte ${i + 1}`);
    if (o + run > plainLength) fail(`output exceeds plain length ${plainLength}`);
    out.fill(stored[i], o, o + run);
    o += run;
  }
  if (o !== plainLength) fail(`decoded ${o} bytes, plain length is ${plainLength}`);
  return out;
}
