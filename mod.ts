/**
 * H4MK: a transport-only sidecar container for existing video apps. Blocks of several tracks,
 * a binary block index and per-track seek tables readable without a key, META and SAFE JSON,
 * optional LivingCipher block encryption, and integrity (CRC, VERI, per-chunk hashes, a root
 * digest). The format is specified in SPEC.md.
 *
 * @example Pack blocks, open the container, seek and read a block
 * ```ts
 * import { openContainer, packContainer } from "./mod.ts";
 * const bytes = await packContainer([
 *   { track_id: "video_main", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array([1]) },
 *   { track_id: "video_main", pts_us: 33_333, kind: "P", keyframe: false, payload: new Uint8Array([2]) },
 * ]);
 * const c = await openContainer(bytes);
 * const hit = c.seek("video_main", 40_000);
 * console.assert(hit.core_index === 0);
 * console.assert((await c.readBlock(1))[0] === 2);
 * console.assert((await c.verify()).ok);
 * ```
 *
 * @module
 */
export * from "./lib/format/mod.ts";
export * from "./lib/seek/mod.ts";
export * from "./lib/living/mod.ts";
export * from "./lib/io/mod.ts";

import { loadNative } from "./lib/format/native.ts";
// The library loads the native hash, CRC and inflate at once (see lib/format/native.ts).
await loadNative();
