/**
 * AEAD suites of LivingCipher, SPEC.md section 12.3. Every suite stores a block as its
 * ciphertext (as long as the plaintext) followed by a 16-byte tag. `chacha20-poly1305`
 * (RFC 8439) is mandatory; it runs on the runtime's native `node:crypto` where there is one
 * (Deno, Node) and on `@noble/ciphers` otherwise (browsers). Both give the same bytes.
 *
 * @module
 */
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { H4Error } from "../format/errors.ts";
import { TAG_LENGTH } from "./constants.ts";

/** Which implementation runs a suite: `native` (`node:crypto`), `portable` (`@noble/ciphers`), or the best there is. */
export type Backend = "auto" | "native" | "portable";

/** One AEAD suite bound to one implementation. */
export interface AeadSuite {
  /** Suite name as written in LIVC. */
  readonly name: string;
  /** The implementation in use. */
  readonly backend: "native" | "portable";
  /** Encrypts: returns ciphertext followed by the 16-byte tag. */
  seal(key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** Decrypts `ciphertext || tag`; returns null when the tag does not verify. */
  open(key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, stored: Uint8Array): Uint8Array | null;
}

/** Names of the suites this implementation knows, SPEC.md section 12.3. */
export const SUITE_NAMES: readonly string[] = ["chacha20-poly1305"];

interface NodeCipher {
  setAAD(ad: Uint8Array): unknown;
  update(data: Uint8Array): Uint8Array;
  final(): Uint8Array;
  getAuthTag(): Uint8Array;
}
interface NodeDecipher {
  setAAD(ad: Uint8Array): unknown;
  setAuthTag(tag: Uint8Array): unknown;
  update(data: Uint8Array): Uint8Array;
  final(): Uint8Array;
}
interface NodeCrypto {
  getCiphers(): string[];
  createCipheriv(
    alg: string,
    key: Uint8Array,
    iv: Uint8Array,
    opts: { authTagLength: number },
  ): NodeCipher;
  createDecipheriv(
    alg: string,
    key: Uint8Array,
    iv: Uint8Array,
    opts: { authTagLength: number },
  ): NodeDecipher;
}

let nodeCrypto: NodeCrypto | undefined;
try {
  const mod = await import("node:crypto");
  if (typeof mod.createCipheriv === "function" && mod.getCiphers().includes("chacha20-poly1305")) {
    nodeCrypto = mod as unknown as NodeCrypto;
  }
} catch {
  // not a Node-compatible runtime: the portable backend is used
}

/**
 * A Node Buffer as a plain Uint8Array of its own: a view when the Buffer owns its memory, a copy
 * when it is a slice of Node's shared pool (small sizes), so that no caller can reach other
 * bytes of the pool through `.buffer`.
 */
function plain(b: Uint8Array): Uint8Array {
  if (b.byteOffset === 0 && b.buffer.byteLength === b.length) return new Uint8Array(b.buffer);
  return new Uint8Array(b);
}

/**
 * `ct || tag` in one buffer. A ciphertext Buffer that owns its memory is grown in place with
 * `ArrayBuffer.prototype.transfer` (no zero-fill, often no copy); a pooled one is copied.
 */
function joinTag(ct: Uint8Array, tag: Uint8Array): Uint8Array {
  const n = ct.length;
  let out: Uint8Array | undefined;
  const buf = ct.buffer;
  if (
    ct.byteOffset === 0 && buf.byteLength === n && buf instanceof ArrayBuffer &&
    typeof buf.transfer === "function"
  ) {
    try {
      out = new Uint8Array(buf.transfer(n + TAG_LENGTH));
    } catch {
      // a non-detachable buffer: copy below
    }
  }
  if (out === undefined) {
    out = new Uint8Array(n + TAG_LENGTH);
    out.set(ct);
  }
  out.set(tag, n);
  return out;
}

function nativeChacha(crypto: NodeCrypto): AeadSuite {
  const alg = "chacha20-poly1305";
  const opts = { authTagLength: TAG_LENGTH };
  return {
    name: alg,
    backend: "native",
    seal(key, nonce, ad, plaintext) {
      const c = crypto.createCipheriv(alg, key, nonce, opts);
      c.setAAD(ad);
      const ct = c.update(plaintext);
      c.final();
      // node:crypto has no API that encrypts into a caller's buffer: append the tag to its output.
      return joinTag(ct, c.getAuthTag());
    },
    open(key, nonce, ad, stored) {
      if (stored.length < TAG_LENGTH) return null;
      const n = stored.length - TAG_LENGTH;
      const d = crypto.createDecipheriv(alg, key, nonce, opts);
      d.setAAD(ad);
      d.setAuthTag(stored.subarray(n));
      const pt = d.update(stored.subarray(0, n));
      try {
        d.final();
      } catch {
        pt.fill(0);
        return null;
      }
      return plain(pt);
    },
  };
}

function portableChacha(): AeadSuite {
  return {
    name: "chacha20-poly1305",
    backend: "portable",
    seal: (key, nonce, ad, plaintext) => chacha20poly1305(key, nonce, ad).encrypt(plaintext),
    open(key, nonce, ad, stored) {
      if (stored.length < TAG_LENGTH) return null;
      try {
        return chacha20poly1305(key, nonce, ad).decrypt(stored);
      } catch {
        return null;
      }
    },
  };
}

const PORTABLE_CHACHA = portableChacha();
const NATIVE_CHACHA = nodeCrypto ? nativeChacha(nodeCrypto) : undefined;

/**
 * True when a native implementation of `name` is available in this runtime.
 *
 * @example
 * ```ts
 * import { hasNativeSuite } from "./suites.ts";
 * import assert from "node:assert/strict";
 * assert(typeof hasNativeSuite("chacha20-poly1305") === "boolean");
 * ```
 */
export function hasNativeSuite(name: string): boolean {
  return name === "chacha20-poly1305" && NATIVE_CHACHA !== undefined;
}

/**
 * The suite named `name` (H4-LC-003). An unknown name is `H4_CIPHER_UNKNOWN_SUITE`, never a
 * fallback; asking for `native` where there is none is `H4_BAD_ARGUMENT`.
 *
 * @example
 * ```ts
 * import { getSuite } from "./suites.ts";
 * import assert from "node:assert/strict";
 * const s = getSuite("chacha20-poly1305", "portable");
 * const key = new Uint8Array(32), nonce = new Uint8Array(12), ad = new Uint8Array(1);
 * const stored = s.seal(key, nonce, ad, new Uint8Array([1, 2, 3]));
 * assert(stored.length === 3 + 16 && s.open(key, nonce, ad, stored)?.[2] === 3);
 * ```
 */
export function getSuite(name: string, backend: Backend = "auto"): AeadSuite {
  if (name !== "chacha20-poly1305") {
    throw new H4Error(
      "H4_CIPHER_UNKNOWN_SUITE",
      `unknown LivingCipher suite ${describeSuiteName(name)}; known: ${SUITE_NAMES.join(", ")}`,
      { rule: "H4-LC-003", chunk: "LIVC" },
    );
  }
  if (backend === "portable") return PORTABLE_CHACHA;
  if (backend === "native") {
    if (!NATIVE_CHACHA) {
      throw new H4Error(
        "H4_BAD_ARGUMENT",
        `no native ${name} in this runtime; use backend "portable" or "auto"`,
      );
    }
    return NATIVE_CHACHA;
  }
  if (backend !== "auto") {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `backend must be auto, native or portable, got ${JSON.stringify(backend)}`,
    );
  }
  return NATIVE_CHACHA ?? PORTABLE_CHACHA;
}

/**
 * A suite name for a message: quoted when printable ASCII, else its length only.
 *
 * @example
 * ```ts
 * import { describeSuiteName } from "./suites.ts";
 * import assert from "node:assert/strict";
 * assert(describeSuiteName("x") === '"x"');
 * ```
 */
export function describeSuiteName(name: string): string {
  return /^[\x20-\x7e]{0,64}$/.test(name)
    ? JSON.stringify(name)
    : `of ${name.length} non-printable characters`;
}
