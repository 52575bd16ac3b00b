/**
 * The H4MK conformance suite: vectors (binary files with expectations, rule by rule), a runner
 * for any implementation speaking the adapter protocol, writer checks, and rule-by-rule file
 * validation. See README.md in this folder.
 *
 * @example Run the suite against this implementation
 * ```ts ignore
 * import { runConformanceCli } from "./mod.ts";
 * Deno.exit(await runConformanceCli(["--failures"]));
 * ```
 *
 * @module
 */
export {
  BUILTIN,
  DEFAULT_VECTORS_DIR,
  implementationFor,
  nameFilter,
  parseRunArgs,
  progressReporter,
  runConformance,
  runConformanceCli,
  type RunOptions,
  runVectors,
  runWriterMode,
  selectVectors,
} from "./runner.ts";
export {
  type AdapterReadOptions,
  adapterWrite,
  type BlockLine,
  canonicalRead,
  canonicalSeek,
  ourImplementation,
  parseBlocksJsonl,
  serveProtocol,
} from "./adapter.ts";
export { checkContainer, checkText, type FileCheck, type RuleCheck } from "./check.ts";
export {
  commandImplementation,
  type Implementation,
  interpret,
  type Outcome,
  splitCommand,
  withTimeout,
} from "./impl.ts";
export { judge, type JudgeOptions, passing, type VectorResult, type Verdict } from "./judge.ts";
export {
  type Counts,
  type ImplementationReport,
  matrixTable,
  type RunReport,
  softTable,
  summarise,
  textReport,
  totalsTable,
  vectorTable,
  verdictLine,
} from "./report.ts";
export {
  type CanonicalBlock,
  type CanonicalRead,
  type CanonicalSeek,
  type CanonicalTrack,
  diff,
  readLine,
  seekAnswer,
  seekLine,
} from "./canonical.ts";
export { ERROR_CLASS, type ErrorClass, errorClass } from "./error_classes.ts";
export {
  checkExpectation,
  type Expectation,
  loadVectors,
  type SeekQuery,
  type Vector,
  type VectorClass,
} from "./vectors.ts";
export {
  type BlockSet,
  blockSetFromFile,
  blocksJsonl,
  runWriterChecks,
  writerBlockSets,
  writerMatrix,
  writerPasses,
  type WriterResult,
  writerText,
} from "./writer_check.ts";
export type { BlockInput, BlockKind, CodecName } from "../lib/format/types.ts";
export type { Codec, CraftBlock, Kind } from "./builder/build.ts";
