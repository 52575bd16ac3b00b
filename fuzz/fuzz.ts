/**
 * `deno task fuzz`: a seeded mutation fuzzer over fresh containers, the original writer's
 * samples and the conformance vectors. Every input must end in a correct result or a typed
 * H4Error within a time bound; findings are saved with the mutation that made them.
 *
 *     deno task fuzz [--seconds 60] [--iterations N] [--seed 1] [--out fuzz/findings]
 *
 * @module
 */
import { exercise, Finding } from "./oracle.ts";
import { makeRng, mutate } from "./mutate.ts";
import { diskSeeds, freshSeeds, type Seed } from "./seeds.ts";

/** Options of {@linkcode runFuzz}. */
export interface FuzzOptions {
  /** PRNG seed. */
  seed?: number;
  /** Stop after this many mutated inputs. */
  iterations?: number;
  /** Stop after this many seconds. */
  seconds?: number;
  /** Also truncate every seed at every offset (for seeds up to this size). */
  truncateUpTo?: number;
  /** Per-input time bound in ms; slower inputs are findings. */
  slowMs?: number;
  /** Where to save findings; none when undefined. */
  out?: string;
  /** Include files on disk as seeds (at most this many; 0 for none). */
  disk?: number;
}

/** What a run did. */
export interface FuzzStats {
  /** Inputs tried. */
  inputs: number;
  /** Inputs that opened. */
  accepted: number;
  /** Inputs rejected on open. */
  rejected: number;
  /** Count per error code seen. */
  codes: Record<string, number>;
  /** Count per mutator. */
  mutators: Record<string, number>;
  /** Findings: non-H4 errors or slow inputs. */
  findings: { seed: string; mutator: string; reason: string }[];
  /** Slowest input, ms. */
  slowestMs: number;
  /** Seeds used. */
  seeds: number;
}

/**
 * Runs the fuzzer.
 *
 * @example
 * ```ts
 * import { runFuzz } from "./fuzz.ts";
 * import assert from "node:assert/strict";
 * const s = await runFuzz({ iterations: 5, truncateUpTo: 0, disk: 0 });
 * assert(s.findings.length === 0);
 * ```
 */
export async function runFuzz(opts: FuzzOptions = {}): Promise<FuzzStats> {
  const rng = makeRng(opts.seed ?? 1);
  const fresh = await freshSeeds();
  const seeds: Seed[] = [...fresh];
  const disk = opts.disk ?? 1000;
  if (disk > 0) seeds.push(...await diskSeeds(new URL("../", import.meta.url), disk));
  const stats: FuzzStats = {
    inputs: 0,
    accepted: 0,
    rejected: 0,
    codes: {},
    mutators: {},
    findings: [],
    slowestMs: 0,
    seeds: seeds.length,
  };
  const slowMs = opts.slowMs ?? 5000;
  const deadline = performance.now() + (opts.seconds ?? Infinity) * 1000;
  const run = async (seed: Seed, mutator: string, bytes: Uint8Array) => {
    stats.inputs++;
    stats.mutators[mutator] = (stats.mutators[mutator] ?? 0) + 1;
    try {
      const o = await exercise(bytes, { maxBlocks: 16 });
      if (o.kind === "accepted") stats.accepted++;
      else stats.rejected++;
      for (const c of o.codes) stats.codes[c] = (stats.codes[c] ?? 0) + 1;
      stats.slowestMs = Math.max(stats.slowestMs, o.ms);
      if (o.ms > slowMs) await found(seed, mutator, bytes, `slow: ${o.ms.toFixed(0)} ms`);
    } catch (e) {
      await found(
        seed,
        mutator,
        bytes,
        e instanceof Finding ? e.message.split("\n").slice(0, 4).join(" | ") : String(e),
      );
    }
  };
  const found = async (seed: Seed, mutator: string, bytes: Uint8Array, reason: string) => {
    stats.findings.push({ seed: seed.name, mutator, reason });
    if (opts.out) {
      await Deno.mkdir(opts.out, { recursive: true });
      const name = `${opts.out}/finding-${stats.findings.length}`;
      await Deno.writeFile(`${name}.h4mk`, bytes);
      await Deno.writeTextFile(`${name}.txt`, `${seed.name}\n${mutator}\n${reason}\n`);
    }
  };
  const truncateUpTo = opts.truncateUpTo ?? 4096;
  // Every truncation of the fresh seeds; the vectors already include structural truncations.
  for (const seed of fresh) {
    if (seed.bytes.length > truncateUpTo) continue;
    for (let n = 0; n < seed.bytes.length && performance.now() < deadline; n++) {
      await run(seed, "truncate-every", seed.bytes.subarray(0, n));
    }
  }
  for (let i = 0; i < (opts.iterations ?? Infinity) && performance.now() < deadline; i++) {
    const seed = seeds[i % seeds.length];
    const m = mutate(seed.bytes, rng);
    await run(seed, `${m.mutator}${m.repaired ? "+repair" : ""}`, m.bytes);
  }
  return stats;
}

/** Usage text of `deno task fuzz`. */
export const FUZZ_USAGE =
  `usage: deno task fuzz [--seconds 60] [--iterations N] [--seed 1] [--out fuzz/findings]

  --seconds N     stop after N seconds (default 60)
  --iterations N  stop after N mutated inputs
  --seed N        PRNG seed (default 1)
  --out DIR       where findings are saved (default fuzz/findings)
  -h, --help      print this help
`;

/**
 * Reads the command line of `deno task fuzz`: `{help: true}` for `-h`/`--help`, the run's
 * options otherwise; an unknown option or a value that is not a number is an error message.
 *
 * @example
 * ```ts
 * import { parseFuzzArgs } from "./fuzz.ts";
 * import assert from "node:assert/strict";
 * assert("help" in parseFuzzArgs(["--help"]));
 * ```
 */
export function parseFuzzArgs(
  args: string[],
): { help: true } | { error: string } | { options: FuzzOptions } {
  const options: FuzzOptions = { seed: 1, seconds: 60, out: "fuzz/findings" };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-h" || a === "--help") return { help: true };
    const v = args[i + 1];
    const num = () => {
      const n = Number(v);
      return v !== undefined && /^\d+$/.test(v) && Number.isSafeInteger(n) ? n : null;
    };
    if (a === "--out" && v !== undefined) options.out = v;
    else if (a === "--seconds" || a === "--iterations" || a === "--seed") {
      const n = num();
      if (n === null) return { error: `${a} needs a whole number, got ${JSON.stringify(v)}` };
      options[a.slice(2) as "seconds" | "iterations" | "seed"] = n;
    } else return { error: `unknown option ${JSON.stringify(a)}` };
    i++;
  }
  return { options };
}

if (import.meta.main) {
  const parsed = parseFuzzArgs(Deno.args);
  if ("help" in parsed) {
    console.log(FUZZ_USAGE);
    Deno.exit(0);
  }
  if ("error" in parsed) {
    console.error(`fuzz: ${parsed.error}\n${FUZZ_USAGE}`);
    Deno.exit(2);
  }
  const stats = await runFuzz(parsed.options);
  console.log(JSON.stringify({ ...stats, findings: stats.findings.slice(0, 20) }, null, 2));
  console.log(
    `fuzz: ${stats.inputs} inputs, ${stats.accepted} opened, ${stats.rejected} rejected, ` +
      `${
        Object.keys(stats.codes).length
      } distinct error codes, ${stats.findings.length} findings, slowest ${
        stats.slowestMs.toFixed(1)
      } ms`,
  );
  Deno.exit(stats.findings.length ? 1 : 0);
}
