/**
 * Runs code as a quick command or a browser runs it: with the native primitives of native.ts
 * unloaded (portable CRC-32 and SHA-256, Web Crypto).
 *
 * @module
 */
import { loadNative, native, type NativePrimitives } from "../native.ts";

/**
 * Runs `f` with the native primitives unloaded, and puts them back after.
 *
 * @example
 * ```ts ignore
 * await withoutNative(() => assert.equal(crc32(bytes), crc32Portable(bytes)));
 * ```
 */
export async function withoutNative<T>(f: () => Promise<T> | T): Promise<T> {
  await loadNative();
  const saved: NativePrimitives = { ...native };
  for (const k of Object.keys(native) as (keyof NativePrimitives)[]) delete native[k];
  try {
    return await f();
  } finally {
    Object.assign(native, saved);
  }
}
