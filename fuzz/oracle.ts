/**
 * The fuzzer's oracle: drive every reader entry point over one input and classify the result.
 * Any input must end in a correct result or a typed {@linkcode H4Error}; anything else
 * (TypeError, RangeError, a stack overflow, a hang) is a finding.
 *
 * @module
 */
import { H4Error } from "../lib/format/errors.ts";
import type { BlockOpener } from "../lib/format/types.ts";
import { openContainer } from "../lib/seek/container.ts";

/** What one input did. */
export interface Outcome {
  /** `accepted`: opened (block errors may still occur); `rejected`: open failed with an H4Error. */
  kind: "accepted" | "rejected";
  /** Every H4 error code seen, in order. */
  codes: string[];
  /** Milliseconds spent. */
  ms: number;
}

/** A non-H4 error, with the step that raised it. */
export class Finding extends Error {
  /** Makes a finding. */
  constructor(readonly step: string, readonly error: unknown) {
    super(`${step}: ${(error as Error)?.stack ?? String(error)}`);
  }
}

async function guard<T>(
  step: string,
  codes: string[],
  f: () => Promise<T> | T,
): Promise<T | undefined> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof H4Error) {
      codes.push(e.code);
      return undefined;
    }
    throw new Finding(step, e);
  }
}

/**
 * Opens `bytes`, seeks on every track at edge times, reads up to `maxBlocks` blocks with
 * verification, and runs full verification.
 *
 * @example
 * ```ts
 * import { exercise } from "./oracle.ts";
 * import assert from "node:assert/strict";
 * assert((await exercise(new Uint8Array(3))).kind === "rejected");
 * ```
 */
export async function exercise(
  bytes: Uint8Array,
  opts: { maxBlocks?: number; opener?: BlockOpener } = {},
): Promise<Outcome> {
  const t0 = performance.now();
  const codes: string[] = [];
  const c = await guard("open", codes, () => openContainer(bytes, { tailProbe: 1024 }));
  if (!c) return { kind: "rejected", codes, ms: performance.now() - t0 };
  for (const t of c.tracks) {
    for (const pts of [-(2 ** 53 - 1), -1, 0, 1, 1_000_000, 2 ** 53 - 1]) {
      await guard("seek", codes, () => c.seek(t.track_id, pts));
    }
  }
  await guard("seek-unknown", codes, () => c.seek("\u0000no such track", 0));
  const n = Math.min(c.blockCount, opts.maxBlocks ?? 64);
  for (let i = 0; i < n; i++) {
    await guard(
      "readBlock",
      codes,
      () => c.readBlock(i, { verify: i % 2 === 0, opener: opts.opener }),
    );
  }
  await guard("readBlock-out-of-range", codes, () => c.readBlock(c.blockCount));
  const report = await guard("verify", codes, () => c.verify({ opener: opts.opener }));
  if (report) {
    for (const k of report.checks) {
      // verify() reports an exception of another type as H4_IO; bytes in memory do no I/O, so
      // here it can only be an untyped error that verification caught.
      if (!k.ok && k.code === "H4_IO") throw new Finding(`verify ${k.rule}`, new Error(k.message));
      if (!k.ok && k.code) codes.push(k.code);
    }
  }
  return { kind: "accepted", codes, ms: performance.now() - t0 };
}
