/**
 * The runtime's native primitives (`node:crypto` SHA-256, `node:zlib` CRC-32 and inflate),
 * loaded on request. Hashing and checksums work without them, in JavaScript (browsers); with
 * them, bulk work is about 10 times faster. Loading them is not free: in Deno the first `node:`
 * import starts the Node compatibility layer, 30 to 45 ms (measured), which is most of what a
 * short command such as `h4mk seek` costs. So library entry points (mod.ts) and bulk paths (the
 * writer, whole-file verification) load them, and a quick reader need not: its digests go to
 * Web Crypto, which is native too.
 *
 * @module
 */

/** The native primitives this runtime has, once {@linkcode loadNative} has run. */
export interface NativePrimitives {
  /** `node:crypto` createHash("sha256"). */
  createSha256?: () => { update(b: Uint8Array): unknown; digest(): Uint8Array };
  /** `node:zlib` crc32. */
  crc32?: (bytes: Uint8Array, seed?: number) => number;
  /** `node:zlib` inflateSync, with a bounded output. */
  inflateSync?: (
    buf: Uint8Array,
    opts: { maxOutputLength: number; info: true },
  ) => { buffer: Uint8Array; engine: { bytesWritten: number } };
}

/**
 * The loaded primitives; empty until {@linkcode loadNative} resolves, and where the runtime has
 * none. Read at each call, so code picks them up once loaded.
 */
export const native: NativePrimitives = {};

let loading: Promise<void> | undefined;

/**
 * Loads the native primitives, once; resolves when done (also where there are none).
 *
 * @example
 * ```ts
 * import { loadNative, native } from "./native.ts";
 * import assert from "node:assert/strict";
 * await loadNative();
 * assert(typeof native.crc32 === "function" || !("Deno" in globalThis));
 * ```
 */
export function loadNative(): Promise<void> {
  return loading ??= (async () => {
    try {
      const crypto = await import("node:crypto");
      if (typeof crypto.createHash === "function") {
        native.createSha256 = () =>
          crypto.createHash("sha256") as unknown as ReturnType<
            NonNullable<NativePrimitives["createSha256"]>
          >;
      }
    } catch {
      // not a Node-compatible runtime
    }
    try {
      const zlib = await import("node:zlib");
      if (typeof zlib.crc32 === "function") native.crc32 = zlib.crc32 as NativePrimitives["crc32"];
      if (typeof zlib.inflateSync === "function") {
        native.inflateSync = zlib.inflateSync as unknown as NativePrimitives["inflateSync"];
      }
    } catch {
      // not a Node-compatible runtime
    }
  })();
}
