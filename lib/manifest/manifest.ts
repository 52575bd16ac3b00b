/**
 * The manifest of a container (SPEC.md H4-HTTP-013): the one document that `h4mk manifest
 * --json`, `GET /files/NAME/manifest` and `POST /video/manifest` answer. First the original
 * service's keys (`container` is the string `"H4MK"`, which its clients compare; `meta`,
 * `tracks`, `seek`, `trak`, `safe`, `core_blocks`), then this implementation's: `h4mk` (the
 * details of the file, its signatures among them) and `track_info`. It is produced as JSON text in parts
 * while the block index is walked page by page, so that memory stays small for files of
 * millions of blocks; {@linkcode buildManifest} parses it whole for callers that want the object.
 *
 * @module
 */

import type { Container } from "../seek/container.ts";
import type { TrackInfo, VerifyReport } from "../format/types.ts";
import { mediaSummary, type MediaTrackSummary } from "./media_summary.ts";

/** What goes into a manifest. */
export interface ManifestOptions {
  /** The container's name (`h4mk.name`): the NAME of the route, the CLI's argument; or null. */
  name: string | null;
  /** Include `seek`, the keyframes of every track (else null); default true. */
  seek?: boolean;
  /** Include `trak`, one entry per block (else null; large for long files); default true. */
  trak?: boolean;
  /** A full verification's report, for `h4mk.integrity` (the server runs none). */
  report?: VerifyReport;
}

/** A keyframe of `seek`, as the original's SEEKM. */
export interface ManifestKeyframe {
  /** Presentation time, microseconds. */
  pts_us: number;
  /** Block index. */
  core_index: number;
}

/** A block of `trak`, as the original's TRAK. */
export interface ManifestBlock {
  /** Track id. */
  track_id: string;
  /** Presentation time, microseconds. */
  pts_us: number;
  /** Frame kind. */
  kind: "I" | "P" | "B";
  /** Whether a decoder can start here. */
  keyframe: boolean;
  /** Block index. */
  core_index: number;
}

/** Integrity as far as it was checked. */
export interface ManifestIntegrity {
  /** True when the file has a root digest and it matched on open (H4-INT-004). */
  root_checked: boolean;
  /** Result of a full verification, or null when none was run. */
  verified: boolean | null;
  /** Rule ids of failed checks (empty when none failed or none ran). */
  failed: string[];
  /** True when opened with trust (keys or a root) and trusted (SPEC.md section 18). */
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

/** The manifest document, key by key in the order it is written. */
export interface Manifest {
  /** `"H4MK"`, as the original service answered. */
  container: "H4MK";
  /** META without the legacy index keys (`seekm_b64`, `trak_b64`), as the original. */
  meta: Record<string, unknown>;
  /** Track ids in code point order. */
  tracks: string[];
  /** Keyframes per track id in pts order (ties in block order), or null when left out. */
  seek: Record<string, ManifestKeyframe[]> | null;
  /** Every block in block order, or null when left out. */
  trak: ManifestBlock[] | null;
  /** SAFE, or null when absent. */
  safe: Record<string, unknown> | null;
  /** Number of blocks. */
  core_blocks: number;
  /** This implementation's details of the file. */
  h4mk: {
    /** The name it was asked by, or null. */
    name: string | null;
    /** Format version, 1 or 2. */
    version: number;
    /** `v1`, `v2` or `legacy` (a file of the original writer). */
    profile: string;
    /** File size in bytes. */
    size: number;
    /** Number of blocks. */
    blocks: number;
    /** Number of storage chunks. */
    chunks: number;
    /** True when blocks are encrypted (LivingCipher, or a legacy encrypted file). */
    encrypted: boolean;
    /** Root digest, hex, or null (legacy file). */
    root: string | null;
    /** How blocks are stored: the codec of every track (`none`, `deflate`, `rle`) or `mixed`. */
    block_compression: string;
    /** Integrity as far as it was checked. */
    integrity: ManifestIntegrity;
    /** Per imported media track (from `META.media`): codec, size, rates...; else null. */
    media: Record<string, MediaTrackSummary> | null;
    /** Signatures, in file order (SPEC.md section 18). */
    signatures: ManifestSignature[];
  };
  /** Per-track counts (SPEC.md section 6.1), in code point order of id. */
  track_info: TrackInfo[];
}

/** META keys left out of the manifest, as the original service did: they are the legacy index. */
const HIDDEN_META_KEYS = new Set(["seekm_b64", "trak_b64"]);

/** Text is yielded in parts of about this many characters. */
const PART = 65536;

/**
 * The manifest as JSON text in parts. The block index is walked once before this resolves, so
 * that a damaged index throws here (a 422 answer) rather than cutting a started answer short;
 * that walk also collects the keyframes of `seek`. `trak` walks it again while it is written.
 *
 * @example
 * ```ts
 * import { manifestJson } from "./manifest.ts";
 * import { packContainer } from "../format/writer.ts";
 * import { openContainer } from "../seek/container.ts";
 * import assert from "node:assert/strict";
 * const c = await openContainer(await packContainer([
 *   { track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array([7]) },
 * ]));
 * let text = "";
 * for await (const part of await manifestJson(c, { name: null })) text += part;
 * assert(JSON.parse(text).trak[0].core_index === 0);
 * ```
 */
export async function manifestJson(
  c: Container,
  opts: ManifestOptions,
): Promise<AsyncGenerator<string>> {
  const withSeek = opts.seek ?? true, withTrak = opts.trak ?? true;
  const keys = new Map<string, number[]>(c.tracks.map((t) => [t.track_id, []]));
  if (withSeek || withTrak) {
    for await (const e of c.entries()) {
      if (withSeek && e.keyframe) keys.get(e.track_id)?.push(e.pts_us, e.index);
    }
  }
  const signatures: ManifestSignature[] = (await c.signatures()).map((x) => ({
    key_id: x.key_id,
    public_key: x.public_key,
    valid: x.valid,
  }));
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.meta)) if (!HIDDEN_META_KEYS.has(k)) meta[k] = v;
  const codecs = [...new Set(c.tracks.map((t) => t.codec))];
  const report = opts.report;
  const details: Manifest["h4mk"] = {
    name: opts.name,
    version: c.version,
    profile: c.profile,
    size: c.size,
    blocks: c.blockCount,
    chunks: c.chunkCount,
    encrypted: c.encrypted,
    root: c.root ? hex(c.root) : null,
    block_compression: codecs.length === 1 ? codecs[0] : codecs.length === 0 ? "none" : "mixed",
    integrity: {
      root_checked: c.root !== null,
      verified: report ? report.ok : null,
      failed: report ? report.checks.filter((k) => !k.ok).map((k) => k.rule) : [],
      trusted: c.trusted,
    },
    media: mediaSummary(c.meta, c.tracks),
    // Who signed, and whether each signature verifies over this root (SPEC.md section 18).
    signatures,
  };
  return (async function* parts(): AsyncGenerator<string> {
    yield `{"container":"H4MK","meta":${JSON.stringify(meta)}`;
    yield `,"tracks":${JSON.stringify(c.tracks.map((t) => t.track_id))}`;
    if (withSeek) {
      // Keyframes per track, in pts order (ties in block order), as the original's SEEKM.
      yield `,"seek":{`;
      let firstTrack = true;
      for (const [id, flat] of keys) {
        const order = Array.from({ length: flat.length / 2 }, (_, i) => i);
        order.sort((a, b) => flat[2 * a] - flat[2 * b] || flat[2 * a + 1] - flat[2 * b + 1]);
        let out = `${firstTrack ? "" : ","}${JSON.stringify(id)}:[`;
        firstTrack = false;
        for (let k = 0; k < order.length; k++) {
          const i = order[k];
          out += `${k ? "," : ""}{"pts_us":${flat[2 * i]},"core_index":${flat[2 * i + 1]}}`;
          if (out.length > PART) {
            yield out;
            out = "";
          }
        }
        yield out + "]";
      }
      yield "}";
    } else {
      yield `,"seek":null`;
    }
    if (withTrak) {
      let out = `,"trak":[`;
      let first = true;
      for await (const e of c.entries()) {
        out +=
          `${first ? "" : ","}{"track_id":${JSON.stringify(e.track_id)},"pts_us":${e.pts_us},` +
          `"kind":"${e.kind}","keyframe":${e.keyframe},"core_index":${e.index}}`;
        first = false;
        if (out.length > PART) {
          yield out;
          out = "";
        }
      }
      yield out + "]";
    } else {
      yield `,"trak":null`;
    }
    yield `,"safe":${JSON.stringify(c.safe)},"core_blocks":${c.blockCount}`;
    yield `,"h4mk":${JSON.stringify(details)},"track_info":${JSON.stringify(c.tracks)}}`;
  })();
}

/**
 * The manifest as one object: {@linkcode manifestJson} parsed whole.
 *
 * @example
 * ```ts
 * import { buildManifest } from "./manifest.ts";
 * import { packContainer } from "../format/writer.ts";
 * import { openContainer } from "../seek/container.ts";
 * import assert from "node:assert/strict";
 * const c = await openContainer(await packContainer([
 *   { track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array([7]) },
 * ]));
 * const m = await buildManifest(c, { name: "a.h4mk", trak: false });
 * assert(m.container === "H4MK" && m.h4mk.name === "a.h4mk" && m.trak === null);
 * assert.deepEqual(m.seek, { v: [{ pts_us: 0, core_index: 0 }] });
 * ```
 */
export async function buildManifest(c: Container, opts: ManifestOptions): Promise<Manifest> {
  let text = "";
  for await (const part of await manifestJson(c, opts)) text += part;
  return JSON.parse(text);
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
