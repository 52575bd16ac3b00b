/**
 * Finished manifest answers of named containers, kept by file version (size, modification
 * time, inode) and query, so that a busy manifest is sent from memory instead of walking the
 * block index again. Bounded in total bytes; answers larger than one entry's bound are
 * streamed every time.
 *
 * @module
 */

/** Total bytes of manifests kept by default: 32 MiB. */
export const DEFAULT_MANIFEST_CACHE_BYTES = 32 << 20;
/** Largest manifest kept by default: 4 MiB. */
export const DEFAULT_MANIFEST_ENTRY_BYTES = 4 << 20;

/** A bounded LRU of manifest bodies. */
export interface ManifestCache {
  /** The body kept for `key`, if any (and marks it recently used). */
  get(key: string): Uint8Array | undefined;
  /**
   * Passes `body` through and keeps a copy under `key` once it has been read to the end, if it
   * is not larger than an entry's bound.
   */
  tee(key: string, body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array>;
}

/**
 * Makes a manifest cache of at most `maxBytes` in total and `maxEntry` per answer.
 *
 * @example
 * ```ts
 * import { createManifestCache } from "./manifest_cache.ts";
 * import assert from "node:assert/strict";
 * const cache = createManifestCache();
 * await new Response(cache.tee("k", new Response("{}").body!)).text();
 * assert(new TextDecoder().decode(cache.get("k")) === "{}");
 * ```
 */
export function createManifestCache(
  maxBytes = DEFAULT_MANIFEST_CACHE_BYTES,
  maxEntry = DEFAULT_MANIFEST_ENTRY_BYTES,
): ManifestCache {
  const entries = new Map<string, Uint8Array>();
  let total = 0;
  const put = (key: string, bytes: Uint8Array) => {
    const old = entries.get(key);
    if (old) {
      total -= old.length;
      entries.delete(key);
    }
    entries.set(key, bytes);
    total += bytes.length;
    while (total > maxBytes) {
      const [k, v] = entries.entries().next().value!;
      entries.delete(k);
      total -= v.length;
    }
  };
  return {
    get(key) {
      const hit = entries.get(key);
      if (hit) {
        entries.delete(key);
        entries.set(key, hit);
      }
      return hit;
    },
    tee(key, body) {
      let parts: Uint8Array[] | null = [];
      let size = 0;
      return body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            if (parts) {
              size += chunk.length;
              if (size > maxEntry) parts = null; // too large to keep: streamed each time
              else parts.push(chunk.slice());
            }
            controller.enqueue(chunk);
          },
          flush() {
            if (!parts) return;
            const bytes = new Uint8Array(size);
            let at = 0;
            for (const p of parts) {
              bytes.set(p, at);
              at += p.length;
            }
            put(key, bytes);
          },
        }),
      );
    },
  };
}
