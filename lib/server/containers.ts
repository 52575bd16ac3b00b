/**
 * A small cache of opened containers of the served root, so that block requests do not
 * re-read and re-check the tail of the file every time. An entry is keyed by real path and
 * is reopened when the file's size, modification time or inode changes.
 *
 * @module
 */

import { type Container, openContainer } from "../seek/container.ts";
import { openFileSource } from "../io/file.ts";
import type { ResolvedFile } from "./names.ts";

/** Containers kept open by default. */
export const DEFAULT_CACHED_CONTAINERS = 16;

/** A container in use; `release` must be called once when done with it. */
export interface Lease {
  /** The opened container. */
  container: Container;
  /** Hands the container back to the cache. */
  release(): void;
}

/** An LRU of opened containers. */
export interface ContainerCache {
  /** Opens (or finds) the container of a resolved file. */
  acquire(file: ResolvedFile): Promise<Lease>;
  /** Closes every container; leases still out close when released. */
  close(): Promise<void>;
}

interface Entry {
  signature: string;
  opening: Promise<Container>;
  refs: number;
  evicted: boolean;
  disposed: Promise<void> | null;
}

/**
 * Makes a cache holding at most `capacity` containers (0: open every time).
 *
 * @example
 * ```ts
 * import { createContainerCache } from "./containers.ts";
 * import { resolveName } from "./names.ts";
 * import { packContainer } from "../format/writer.ts";
 * import assert from "node:assert/strict";
 * const root = await Deno.realPath(await Deno.makeTempDir());
 * await Deno.writeFile(`${root}/a.h4mk`, await packContainer([]));
 * const cache = createContainerCache(16);
 * const lease = await cache.acquire(await resolveName(root, ["a.h4mk"]));
 * try {
 *   assert(lease.container.blockCount === 0);
 * } finally {
 *   lease.release();
 * }
 * await cache.close();
 * ```
 */
export function createContainerCache(capacity = DEFAULT_CACHED_CONTAINERS): ContainerCache {
  const entries = new Map<string, Entry>();

  function dispose(entry: Entry): Promise<void> {
    entry.disposed ??= entry.opening.then((c) => c.close()).catch(() => {});
    return entry.disposed;
  }

  function evict(path: string, entry: Entry): Promise<void> {
    if (entries.get(path) === entry) entries.delete(path);
    entry.evicted = true;
    return entry.refs === 0 ? dispose(entry) : Promise.resolve();
  }

  async function open(path: string): Promise<Container> {
    const source = await openFileSource(path);
    try {
      return await openContainer(source);
    } catch (e) {
      await source.close?.();
      throw e;
    }
  }

  return {
    async acquire(file: ResolvedFile): Promise<Lease> {
      const { path, info } = file;
      const signature = `${info.size}:${info.mtime?.getTime()}:${info.ino}`;
      let entry = entries.get(path);
      if (entry && entry.signature !== signature) {
        evict(path, entry);
        entry = undefined;
      }
      if (!entry) {
        // Held from the start: with a capacity of 0 the loop below evicts it at once, and
        // it must then be closed at release, not before use.
        entry = { signature, opening: open(path), refs: 1, evicted: false, disposed: null };
        entries.set(path, entry);
        while (entries.size > capacity) {
          const [oldPath, old] = entries.entries().next().value!;
          evict(oldPath, old);
        }
      } else {
        entries.delete(path); // most recently used goes last
        entries.set(path, entry);
        entry.refs++;
      }
      const held = entry;
      let container: Container;
      try {
        container = await held.opening;
      } catch (e) {
        held.refs--;
        evict(path, held); // a file that fails to open is not remembered
        throw e;
      }
      let released = false;
      return {
        container,
        release() {
          if (released) return;
          released = true;
          held.refs--;
          if (held.evicted && held.refs === 0) dispose(held);
        },
      };
    },
    async close(): Promise<void> {
      await Promise.all([...entries].map(([path, entry]) => evict(path, entry)));
    },
  };
}
