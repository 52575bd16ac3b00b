/**
 * The manifest of a container: the original service's `/video/manifest` fields (`container`,
 * `meta`, `tracks`, `seek`, `safe`, `core_blocks`) plus `codec`, `encrypted` and `integrity`,
 * as one JSON object or a short human summary.
 *
 * @module
 */

import type { Container, SignatureInfo } from "../seek/container.ts";
import type { TrackInfo, VerifyReport } from "../format/types.ts";
import { printable, toHex } from "./text.ts";
import { formatMediaTrack, mediaSummary, type MediaTrackSummary } from "./media_summary.ts";

/** Per-track summary of a seek table. */
export interface SeekSummary {
  /** Number of entries in the track's seek table. */
  entries: number;
  /** pts of the first entry (null when the table is empty). */
  first_pts_us: number | null;
  /** pts of the last entry (null when the table is empty). */
  last_pts_us: number | null;
}

/** Integrity status as far as it was checked. */
export interface IntegritySummary {
  /** True when the file has a root digest and it matched on open (H4-INT-004). */
  root_checked: boolean;
  /** Result of a full verification, or null when none was run. */
  verified: boolean | null;
  /** Rule ids of failed checks (empty when none failed or none ran). */
  failed: string[];
  /** True when opened with `--trust`/`--root` and trusted (SPEC.md section 18). */
  trusted: boolean;
}

/** One signature of the container (SPEC.md section 18). */
export interface ManifestSignature {
  /** Short key id of the signer. */
  key_id: string;
  /** The signer's Ed25519 public key, base64. */
  public_key: string;
  /** Whether the signature verifies over this container's root. */
  valid: boolean;
}

/** The manifest JSON object. */
export interface Manifest {
  /** `"H4MK"`, as the original service's manifest (SPEC.md H4-HTTP-013). */
  container: "H4MK";
  /** This implementation's facts about the file. */
  h4mk: {
    version: number;
    profile: string;
    size: number;
    storage_chunks: number;
    root: string | null;
  };
  /** META without the large legacy index keys (`seekm_b64`, `trak_b64`), as the original. */
  meta: Record<string, unknown>;
  /** Tracks in code point order of id. */
  tracks: TrackInfo[];
  /** Seek table summary per track id. */
  seek: Record<string, SeekSummary>;
  /** SAFE, or null when absent. */
  safe: Record<string, unknown> | null;
  /** Number of blocks. */
  core_blocks: number;
  /** The codec of every track, or `"mixed"`. */
  codec: string;
  /** True when blocks are encrypted (LivingCipher, or a legacy encrypted file). */
  encrypted: boolean;
  /** Integrity status. */
  integrity: IntegritySummary;
  /** Signatures, in file order. */
  signatures: ManifestSignature[];
  /**
   * How blocks are stored (`none`, `deflate`, ... or `"mixed"`): the same value as `codec`,
   * named for what it is. The media codec of an imported track is under `media`.
   */
  block_compression: string;
  /** Per imported media track (from `META.media`): codec, size, rates, duration...; else null. */
  media: Record<string, MediaTrackSummary> | null;
}

/** META keys left out of the manifest, as the original service did: they are the legacy index. */
const HIDDEN_META_KEYS = new Set(["seekm_b64", "trak_b64"]);

function seekSummary(c: Container, t: TrackInfo): SeekSummary {
  if (t.seek_entries === 0) return { entries: 0, first_pts_us: null, last_pts_us: null };
  // The first entry answers any target before it; the last answers the largest target.
  const first = c.seek(t.track_id, Number.MIN_SAFE_INTEGER);
  const last = c.seek(t.track_id, Number.MAX_SAFE_INTEGER);
  return {
    entries: t.seek_entries,
    first_pts_us: first.keyframe_pts_us,
    last_pts_us: last.keyframe_pts_us,
  };
}

/**
 * Builds the manifest of an opened container; pass a verification report to include it.
 *
 * @example
 * ```ts ignore
 * import { buildManifest } from "./manifest.ts";
 * const m = buildManifest(container);
 * console.log(m.core_blocks);
 * ```
 */
export function buildManifest(
  c: Container,
  report?: VerifyReport,
  signatures: readonly SignatureInfo[] = [],
): Manifest {
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.meta)) if (!HIDDEN_META_KEYS.has(k)) meta[k] = v;
  const seek: Record<string, SeekSummary> = {};
  for (const t of c.tracks) seek[t.track_id] = seekSummary(c, t);
  const codecs = [...new Set(c.tracks.map((t) => t.codec))];
  const compression = codecs.length === 1 ? codecs[0] : codecs.length === 0 ? "none" : "mixed";
  return {
    container: "H4MK",
    meta,
    tracks: c.tracks.map((t) => ({ ...t })),
    seek,
    safe: c.safe,
    core_blocks: c.blockCount,
    h4mk: {
      version: c.version,
      profile: c.profile,
      size: c.size,
      storage_chunks: c.chunkCount,
      root: c.root ? toHex(c.root) : null,
    },
    codec: compression,
    encrypted: c.encrypted,
    integrity: {
      root_checked: c.root !== null,
      verified: report ? report.ok : null,
      failed: report ? report.checks.filter((k) => !k.ok).map((k) => k.rule) : [],
      trusted: c.trusted,
    },
    signatures: signatures.map((s) => ({
      key_id: s.key_id,
      public_key: s.public_key,
      valid: s.valid,
    })),
    block_compression: compression,
    media: mediaSummary(c.meta, c.tracks),
  };
}

/**
 * `n` and a noun, plural unless n is 1: `plural(1, "block")` is "1 block".
 *
 * @example
 * ```ts
 * import { plural } from "./manifest.ts";
 * import assert from "node:assert/strict";
 * assert(plural(1, "track") === "1 track" && plural(2, "entry", "entries") === "2 entries");
 * ```
 */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Terminal columns a string takes: East Asian wide and fullwidth characters take two.
 *
 * @example
 * ```ts
 * import { displayWidth } from "./manifest.ts";
 * import assert from "node:assert/strict";
 * assert(displayWidth("音声") === 4 && displayWidth("ab") === 2);
 * ```
 */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const wide = (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x1f300 && c <= 0x1faff) ||
      (c >= 0x20000 && c <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - displayWidth(text)));
}

/**
 * Formats a manifest as a short human summary.
 *
 * @example
 * ```ts ignore
 * import { buildManifest, formatManifest } from "./manifest.ts";
 * console.log(formatManifest("demo.h4mk", buildManifest(container)));
 * ```
 */
export function formatManifest(name: string, m: Manifest): string {
  const c = m.h4mk;
  const profile = c.profile === "legacy" ? "file of the original writer" : `profile ${c.profile}`;
  const lines = [
    `${printable(name)}: H4MK version ${c.version} (${profile}), ${c.size} bytes, ` +
    `${plural(m.core_blocks, "block")} in ${plural(m.tracks.length, "track")}, ` +
    `${plural(c.storage_chunks, "storage chunk")}`,
  ];
  const integrity = m.integrity.verified === null
    ? (m.integrity.root_checked ? "root digest ok" : "no root digest (legacy file)") +
      "; run h4mk verify for a full check"
    : m.integrity.verified
    ? "verified, all checks pass"
    : `INVALID: ${m.integrity.failed.join(", ")}`;
  lines.push(`root:       ${c.root ?? "none"}`);
  lines.push(`compression: ${m.block_compression} (how blocks are stored)`);
  lines.push(`encrypted:  ${m.encrypted ? "yes" : "no"}`);
  lines.push(`integrity:  ${integrity}`);
  lines.push(
    `signed:     ${
      m.signatures.length === 0
        ? "no"
        : m.signatures.map((s) => `${s.key_id} (${s.valid ? "valid" : "INVALID"})`).join(", ")
    }${m.integrity.trusted ? "; trusted" : ""}`,
  );
  lines.push("tracks:");
  const width = (f: (t: TrackInfo) => string) =>
    Math.max(0, ...m.tracks.map((t) => displayWidth(f(t))));
  const idW = Math.min(24, width((t) => printable(t.track_id)));
  const codecW = width((t) => t.codec);
  const media = m.media ?? {};
  const blocksW = width((t) => String(t.blocks));
  const keysW = width((t) => String(t.keyframes));
  for (const t of m.tracks) {
    const s = m.seek[t.track_id];
    const seek = s.entries === 0
      ? "no keyframe"
      : `${
        plural(s.entries, "seek entry", "seek entries")
      }, ${s.first_pts_us}..${s.last_pts_us} us`;
    lines.push(
      `  ${pad(printable(t.track_id), idW)}  compression=${pad(t.codec, codecW)}  ` +
        `blocks=${pad(String(t.blocks), blocksW)}  keyframes=${
          pad(String(t.keyframes), keysW)
        }  ${seek}`,
    );
    const s2 = media[t.track_id];
    if (s2) lines.push(`  ${pad("", idW)}  ${printable(formatMediaTrack(s2))}`);
  }
  if (m.tracks.length === 0) lines.push("  (none)");
  // META.media is shown above, track by track; the rest of META as JSON.
  const rest = { ...m.meta };
  if (m.media) delete rest.media;
  const metaText = Object.keys(rest).length ? clip(printable(JSON.stringify(rest)), 160) : "";
  const mediaNote = m.media ? "media (MP4 import mapping, shown under tracks)" : "";
  lines.push(`meta:       ${[mediaNote, metaText].filter((x) => x).join("; ") || "{}"}`);
  lines.push(
    `safe:       ${m.safe === null ? "none" : clip(printable(JSON.stringify(m.safe)), 160)}`,
  );
  return lines.join("\n") + "\n";
}
