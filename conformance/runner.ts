/**
 * The conformance runner: `h4mk conformance ...` and `deno task conformance`.
 *
 *     h4mk conformance [--impl CMD]... [options]   run the vectors (default: our implementation)
 *     h4mk conformance --writer [--impl CMD]       writer checks
 *     h4mk conformance check FILE...               validate files, rule by rule
 *
 * See README.md in this folder for the adapter protocol, the vectors and the verdicts.
 *
 * @module
 */

import { ourImplementation } from "./adapter.ts";
import { checkContainer, checkText, type FileCheck } from "./check.ts";
import { commandImplementation, type Implementation, withTimeout } from "./impl.ts";
import { judge, type VectorResult } from "./judge.ts";
import { type ImplementationReport, type RunReport, summarise, textReport } from "./report.ts";
import { loadVectors, type Vector } from "./vectors.ts";
import {
  type BlockSet,
  blockSetFromFile,
  runWriterChecks,
  writerBlockSets,
  writerMatrix,
  writerPasses,
  type WriterResult,
  writerText,
} from "./writer_check.ts";

/** Default vectors folder (beside this module). */
export const DEFAULT_VECTORS_DIR: string = new URL("./vectors", import.meta.url).pathname;

/** The name that selects our implementation, in process, as an `--impl`. */
export const BUILTIN = "builtin";

const USAGE = `usage:
  h4mk conformance [options]               run every vector against this implementation
  h4mk conformance --impl CMD [--impl CMD]  run them against other implementations (a matrix)
  h4mk conformance --writer [--impl CMD]    check a writer: block sets in, files validated
  h4mk conformance check FILE...            validate files rule by rule

options:
  --impl CMD        implementation speaking the adapter protocol (conformance/README.md);
                    '${BUILTIN}' is this implementation in process (the default)
  --vectors DIR     vectors folder (default: the suite's own)
  --filter TEXT     only vectors whose name contains TEXT (repeatable; /re/ for a regex)
  --class C         only vectors of class valid, invalid or acceptable
  --timeout SEC     per call, default 10; a subprocess is killed after it
  --jobs N          vectors run in parallel (default: CPUs for commands, 1 in process)
  --no-seeks        skip the seek queries of valid vectors
  --strict-codes    count 'soft' (another code of the right class) as a failure
  --allow-skip      do not fail on vectors an implementation declares UNSUPPORTED
  --failures        list only vectors (block sets) that did not pass
  --matrix          print the vector x implementation matrix even for one implementation
  --json            print the report as JSON
  --progress        report progress on stderr (default when stderr is a terminal)
  --no-progress     do not report progress
writer options (--filter, --failures, --matrix, --allow-skip and --json apply too):
  --blocks FILE     a block set of your own, BLOCKS.jsonl as for 'write' (repeatable);
                    only these sets are run
  --profile P       pass --profile P (v1 or v2) to 'write' for the --blocks sets
exit status: 0 when every implementation passes every vector, 1 otherwise, 2 on usage errors`;

/** Parsed options. */
export interface RunOptions {
  /** Implementations (commands or BUILTIN). */
  impls: string[];
  /** Vectors folder. */
  vectorsDir: string;
  /** Name filters. */
  filters: string[];
  /** Class filter. */
  classes: string[];
  /** Timeout per call, ms. */
  timeoutMs: number;
  /** Parallel vectors; 0 = default. */
  jobs: number;
  /** Skip seeks. */
  noSeeks: boolean;
  /** Soft counts as failing. */
  strictCodes: boolean;
  /** Skips do not fail. */
  allowSkip: boolean;
  /** Only non-passing rows. */
  failures: boolean;
  /** Matrix output. */
  matrix: boolean;
  /** JSON output. */
  json: boolean;
  /** Writer mode. */
  writer: boolean;
  /** `check` files. */
  check: string[] | null;
  /** Progress on stderr: true, false, or null for "when stderr is a terminal". */
  progress: boolean | null;
  /** Writer mode: BLOCKS.jsonl files given with `--blocks`. */
  blocks: string[];
  /** Writer mode: `--profile` for the `--blocks` sets. */
  profile: string | null;
}

class UsageError extends Error {}

/**
 * Parses the command line of `h4mk conformance`.
 *
 * @example
 * ```ts
 * import { parseRunArgs } from "./runner.ts";
 * import assert from "node:assert/strict";
 * const o = parseRunArgs(["--impl", "python3 r.py", "--timeout", "2", "--json"]);
 * assert(o.impls[0] === "python3 r.py" && o.timeoutMs === 2000 && o.json);
 * ```
 */
export function parseRunArgs(args: string[]): RunOptions {
  const o: RunOptions = {
    impls: [],
    vectorsDir: DEFAULT_VECTORS_DIR,
    filters: [],
    classes: [],
    timeoutMs: 10_000,
    jobs: 0,
    noSeeks: false,
    strictCodes: false,
    allowSkip: false,
    failures: false,
    matrix: false,
    json: false,
    writer: false,
    check: null,
    progress: null,
    blocks: [],
    profile: null,
  };
  const value = (i: number, name: string): string => {
    const v = args[i + 1];
    if (v === undefined) throw new UsageError(`${name} needs a value`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [flag, inline] = a.startsWith("--") && a.includes("=")
      ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
      : [a, undefined];
    const take = (): string => (inline !== undefined ? inline : value(i++, flag));
    switch (flag) {
      case "--impl":
        o.impls.push(take());
        break;
      case "--vectors":
        o.vectorsDir = take();
        break;
      case "--filter":
        o.filters.push(take());
        break;
      case "--class": {
        const c = take();
        if (!["valid", "invalid", "acceptable"].includes(c)) {
          throw new UsageError(`--class must be valid, invalid or acceptable, got ${c}`);
        }
        o.classes.push(c);
        break;
      }
      case "--timeout": {
        const t = Number(take());
        if (!(t > 0)) throw new UsageError("--timeout must be a positive number of seconds");
        o.timeoutMs = Math.round(t * 1000);
        break;
      }
      case "--jobs": {
        const n = Number(take());
        if (!Number.isInteger(n) || n < 1) {
          throw new UsageError("--jobs must be a positive integer");
        }
        o.jobs = n;
        break;
      }
      case "--no-seeks":
        o.noSeeks = true;
        break;
      case "--strict-codes":
        o.strictCodes = true;
        break;
      case "--allow-skip":
        o.allowSkip = true;
        break;
      case "--failures":
        o.failures = true;
        break;
      case "--matrix":
        o.matrix = true;
        break;
      case "--json":
        o.json = true;
        break;
      case "--writer":
        o.writer = true;
        break;
      case "--progress":
        o.progress = true;
        break;
      case "--no-progress":
        o.progress = false;
        break;
      case "--blocks":
        o.blocks.push(take());
        break;
      case "--profile": {
        const p = take();
        if (p !== "v1" && p !== "v2") throw new UsageError(`--profile must be v1 or v2, got ${p}`);
        o.profile = p;
        break;
      }
      case "-h":
      case "--help":
        throw new UsageError("");
      case "check":
        if (i === 0) {
          o.check = [];
          break;
        }
        throw new UsageError(`unexpected argument ${a}`);
      default:
        if (o.check !== null && !a.startsWith("-")) o.check.push(a);
        else throw new UsageError(`unknown argument ${a}`);
    }
  }
  if (o.check !== null && o.check.length === 0) {
    throw new UsageError("check needs at least one FILE");
  }
  if ((o.blocks.length || o.profile) && !o.writer) {
    throw new UsageError("--blocks and --profile need --writer");
  }
  return o;
}

/** Builds an implementation from an `--impl` value. */
export function implementationFor(spec: string, timeoutMs: number): Implementation {
  if (spec === BUILTIN) {
    const ours = ourImplementation();
    return {
      name: ours.name,
      read: (f, a) => withTimeout(() => ours.read(f, a), timeoutMs),
      seek: (f, t, p, a) => withTimeout(() => ours.seek(f, t, p, a), timeoutMs),
      write: (b, o, a) => withTimeout(() => ours.write!(b, o, a), timeoutMs),
    };
  }
  return commandImplementation(spec, timeoutMs);
}

/**
 * Whether a name passes `--filter` values: a substring, or `/regex/`; any one suffices.
 *
 * @example
 * ```ts
 * import { nameFilter } from "./runner.ts";
 * import assert from "node:assert/strict";
 * assert(nameFilter(["/^v1-/"])("v1-rle") && !nameFilter(["x"])("v1-rle"));
 * ```
 */
export function nameFilter(filters: string[]): (name: string) => boolean {
  const tests = filters.map((f) => {
    if (f.length > 2 && f.startsWith("/") && f.endsWith("/")) {
      const re = new RegExp(f.slice(1, -1));
      return (n: string) => re.test(n);
    }
    return (n: string) => n.includes(f);
  });
  return (n) => tests.length === 0 || tests.some((t) => t(n));
}

/** Selects vectors by name filters and classes. */
export function selectVectors(vs: Vector[], filters: string[], classes: string[]): Vector[] {
  const named = nameFilter(filters);
  return vs.filter((v) => named(v.name) && (classes.length === 0 || classes.includes(v.exp.class)));
}

/**
 * Runs vectors against one implementation with `jobs` in parallel; results in vector order.
 *
 * @example
 * ```ts ignore
 * import { runVectors } from "./runner.ts";
 * const results = await runVectors(impl, vectors, { jobs: 2 });
 * ```
 */
export async function runVectors(
  impl: Implementation,
  vectors: Vector[],
  opts: {
    jobs?: number;
    noSeeks?: boolean;
    /** Called after each vector (in completion order) with the count done and its result. */
    onResult?: (done: number, total: number, r: VectorResult) => void;
  } = {},
): Promise<VectorResult[]> {
  const results: VectorResult[] = new Array(vectors.length);
  let next = 0, done = 0;
  const worker = async () => {
    while (next < vectors.length) {
      const i = next++;
      results[i] = await judge(impl, vectors[i], { noSeeks: opts.noSeeks });
      opts.onResult?.(++done, vectors.length, results[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.jobs ?? 1) }, worker));
  return results;
}

/**
 * A progress callback for `runVectors` that writes a line to stderr about every 5 % of the run
 * (and at its end) with the count of results that did not pass, or undefined when progress is
 * off (`--no-progress`, or stderr not a terminal without `--progress`).
 *
 * @example
 * ```ts
 * import { progressReporter } from "./runner.ts";
 * import assert from "node:assert/strict";
 * assert(progressReporter({ progress: false }, "x") === undefined);
 * ```
 */
export function progressReporter(
  o: Pick<RunOptions, "progress">,
  name: string,
): ((done: number, total: number, r: VectorResult | WriterResult) => void) | undefined {
  const on = o.progress ?? Deno.stderr.isTerminal();
  if (!on) return undefined;
  let bad = 0;
  return (done, total, r) => {
    if (r.verdict !== "pass") bad++;
    const step = Math.max(1, Math.floor(total / 20));
    if (done % step === 0 || done === total) {
      console.error(`h4mk conformance: ${name}: ${done}/${total} done, ${bad} not passing`);
    }
  };
}

/**
 * Runs the writer checks of `o` (block sets selected by `--filter`, or given by `--blocks`)
 * against each implementation.
 *
 * @example
 * ```ts ignore
 * import { parseRunArgs, runWriterMode } from "./runner.ts";
 * const [w] = await runWriterMode(parseRunArgs(["--writer", "--filter", "v1-rle"]));
 * console.log(w.ok, w.results.map((r) => r.verdict));
 * ```
 */
export async function runWriterMode(
  o: RunOptions,
): Promise<{ name: string; ok: boolean; results: WriterResult[] }[]> {
  const sets: BlockSet[] = o.blocks.length
    ? await Promise.all(
      o.blocks.map((f) => blockSetFromFile(f, o.profile ? ["--profile", o.profile] : [])),
    )
    : writerBlockSets();
  const selected = sets.filter((s) => nameFilter(o.filters)(s.name));
  if (selected.length === 0) throw new Error("no block set matches --filter");
  const out = [];
  for (const spec of o.impls.length ? o.impls : [BUILTIN]) {
    const impl = implementationFor(spec, o.timeoutMs);
    const results = await runWriterChecks(impl, selected, {
      onResult: progressReporter(o, impl.name),
    });
    out.push({ name: impl.name, ok: writerPasses(results, o.allowSkip), results });
  }
  return out;
}

/**
 * Runs the vectors against implementations and returns the report.
 */
export async function runConformance(o: RunOptions): Promise<RunReport> {
  const vectors = selectVectors(await loadVectors(o.vectorsDir), o.filters, o.classes);
  const specs = o.impls.length ? o.impls : [BUILTIN];
  const reports: ImplementationReport[] = [];
  for (const spec of specs) {
    const impl = implementationFor(spec, o.timeoutMs);
    const jobs = o.jobs || (spec === BUILTIN ? 1 : navigator.hardwareConcurrency || 2);
    const results = await runVectors(impl, vectors, {
      jobs,
      noSeeks: o.noSeeks,
      onResult: progressReporter(o, impl.name),
    });
    reports.push(
      summarise(impl.name, results, { strictCodes: o.strictCodes, allowSkip: o.allowSkip }),
    );
  }
  return {
    report_version: 1,
    vectors_dir: o.vectorsDir,
    vectors: vectors.length,
    strict_codes: o.strictCodes,
    implementations: reports,
    ok: reports.every((r) => r.ok),
  };
}

/**
 * The `h4mk conformance` command: parses `args`, runs, prints, and returns the exit status.
 *
 * @example
 * ```ts ignore
 * import { runConformanceCli } from "./runner.ts";
 * Deno.exit(await runConformanceCli(["--filter", "legacy/", "--failures"]));
 * ```
 */
export async function runConformanceCli(args: string[]): Promise<number> {
  let o: RunOptions;
  try {
    o = parseRunArgs(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (e.message) console.error(`h4mk conformance: ${e.message}`);
    console.error(USAGE);
    return e.message ? 2 : 0;
  }
  try {
    if (o.check !== null) {
      const results: FileCheck[] = [];
      for (const f of o.check) {
        let bytes: Uint8Array;
        try {
          bytes = await Deno.readFile(f);
        } catch (e) {
          results.push({
            file: f,
            ok: false,
            checks: [{
              rule: "H4-FMT-001",
              ok: false,
              level: "must",
              code: "H4_IO",
              message: `cannot read: ${(e as Error).message}`,
            }],
          });
          continue;
        }
        results.push(await checkContainer(f, bytes));
      }
      console.log(
        o.json
          ? JSON.stringify({ files: results, ok: results.every((r) => r.ok) }, null, 2)
          : checkText(results),
      );
      return results.every((r) => r.ok) ? 0 : 1;
    }
    if (o.writer) {
      const writers = await runWriterMode(o);
      const ok = writers.every((w) => w.ok);
      if (o.json) {
        console.log(JSON.stringify({ writers, allow_skip: o.allowSkip, ok }, null, 2));
      } else {
        const parts: string[] = [];
        if (o.matrix || writers.length > 1) parts.push(writerMatrix(writers, !o.failures));
        for (const w of writers) {
          parts.push(
            writerText(w.name, w.results, { allowSkip: o.allowSkip, failuresOnly: o.failures }),
          );
        }
        console.log(parts.join("\n\n"));
      }
      return ok ? 0 : 1;
    }
    const report = await runConformance(o);
    console.log(
      o.json
        ? JSON.stringify(report, null, 2)
        : textReport(report, { failuresOnly: o.failures, matrix: o.matrix }),
    );
    return report.ok ? 0 : 1;
  } catch (e) {
    console.error(`h4mk conformance: ${(e as Error).message}`);
    return 2;
  }
}

if (import.meta.main) Deno.exit(await runConformanceCli(Deno.args));
