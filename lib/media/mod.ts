/**
 * Media in and out of H4MK: MP4 import and export, GOP scheduling, codec adapters and the
 * controls track (SPEC.md section 17).
 *
 * @example
 * ```ts ignore
 * import { exportMp4, importMedia } from "./mod.ts";
 * ```
 *
 * @module
 */
export {
  type ImportedTrack,
  importMedia,
  type ImportMediaOptions,
  type ImportProgress,
  type ImportSummary,
} from "./import.ts";
export { exportMp4, type ExportMp4Options } from "./export.ts";
export { readerOf, type ReadInto } from "./window.ts";
export { exportFragmentedMp4, type ExportFragmentedOptions } from "./export_fragmented.ts";
export { faststart } from "./faststart.ts";
export { SUPPORTED_INPUTS } from "./sniff.ts";
export {
  assignTrackIds,
  ctsFromPts,
  type EditEntry,
  kindClassifier,
  type PtsOrigin,
  ptsOrigin,
  ptsUs,
  roundDiv,
  type Runs,
  type TrackClass,
  trackClass,
} from "./mapping.ts";
export {
  type FtypMeta,
  MEDIA_META_KEY,
  MEDIA_META_VERSION,
  type MediaMeta,
  type MediaTrackMeta,
  type PackedMeta,
  parseMediaMeta,
  type TkhdMeta,
} from "./media_meta.ts";
export { type GopOptions, type GopSchedule, gopSchedule, MAX_GOP_SIZE } from "./gop.ts";
export {
  type CodecAdapter,
  passThroughAdapter,
  type PassThroughFrame,
  playFrom,
  type PlayOptions,
  type PlayReport,
} from "./adapter.ts";
export {
  CAMERA_MOVES,
  type CameraMove,
  type CameraPath,
  controlBlock,
  type ControlRecord,
  CONTROLS_TRACK,
  decodeControl,
  encodeControl,
  MAX_CONTROL_BYTES,
  MAX_NOTES_LENGTH,
  MOTION_CURVES,
  type MotionCurve,
  type MotionCurveControl,
  validateControl,
} from "./controls.ts";
