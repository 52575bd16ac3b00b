/**
 * Ed25519 (RFC 8032) for container signatures, SPEC.md section 18: Web Crypto where the
 * runtime has it (Deno, current browsers), `@noble/curves` where it does not. Both are
 * deterministic, so a seed and a message always give the same signature.
 *
 * @module
 */
import { H4Error } from "./errors.ts";

/** Length of an Ed25519 seed (secret key), public key and signature. */
export const ED25519 = { seed: 32, publicKey: 32, signature: 64 } as const;

interface Backend {
  publicKey(seed: Uint8Array): Promise<Uint8Array>;
  sign(seed: Uint8Array, message: Uint8Array): Promise<Uint8Array>;
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

const ALG = { name: "Ed25519" } as const;

/** PKCS #8 wrapping of an Ed25519 seed (RFC 8410): the one private key format every runtime imports. */
const PKCS8_PREFIX = Uint8Array.fromHex("302e020100300506032b657004220420");

function pkcs8(seed: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(PKCS8_PREFIX.length + seed.length);
  out.set(PKCS8_PREFIX);
  out.set(seed, PKCS8_PREFIX.length);
  return out;
}

const webCrypto: Backend = {
  async publicKey(seed) {
    const k = await crypto.subtle.importKey("pkcs8", pkcs8(seed), ALG, true, ["sign"]);
    const jwk = await crypto.subtle.exportKey("jwk", k);
    return Uint8Array.fromBase64(jwk.x!, { alphabet: "base64url" });
  },
  async sign(seed, message) {
    const k = await crypto.subtle.importKey("pkcs8", pkcs8(seed), ALG, false, ["sign"]);
    return new Uint8Array(await crypto.subtle.sign(ALG, k, message as Uint8Array<ArrayBuffer>));
  },
  async verify(publicKey, message, signature) {
    let k: CryptoKey;
    try {
      k = await crypto.subtle.importKey(
        "raw",
        publicKey as Uint8Array<ArrayBuffer>,
        ALG,
        false,
        ["verify"],
      );
    } catch {
      return false; // not a point on the curve: no signature verifies under it
    }
    return await crypto.subtle.verify(
      ALG,
      k,
      signature as Uint8Array<ArrayBuffer>,
      message as Uint8Array<ArrayBuffer>,
    );
  },
};

async function nobleBackend(): Promise<Backend> {
  const { ed25519 } = await import("@noble/curves/ed25519.js");
  return {
    publicKey: (seed) => Promise.resolve(ed25519.getPublicKey(seed)),
    sign: (seed, message) => Promise.resolve(ed25519.sign(message, seed)),
    verify(publicKey, message, signature) {
      try {
        return Promise.resolve(ed25519.verify(signature, message, publicKey));
      } catch {
        return Promise.resolve(false);
      }
    },
  };
}

let backend: Promise<Backend> | undefined;

/** Web Crypto when it signs and verifies Ed25519, else the portable implementation. */
function current(): Promise<Backend> {
  return backend ??= (async () => {
    try {
      const seed = new Uint8Array(32).fill(1);
      const pub = await webCrypto.publicKey(seed);
      const m = new Uint8Array(1);
      if (await webCrypto.verify(pub, m, await webCrypto.sign(seed, m))) return webCrypto;
    } catch {
      // no Ed25519 in this runtime's Web Crypto
    }
    return await nobleBackend();
  })();
}

function check(bytes: Uint8Array, length: number, what: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new H4Error(
      "H4_BAD_ARGUMENT",
      `an Ed25519 ${what} is ${length} bytes, got ${
        bytes instanceof Uint8Array ? bytes.length : typeof bytes
      }`,
    );
  }
}

/**
 * A new random Ed25519 seed and its public key.
 *
 * @example
 * ```ts
 * import { generateEd25519 } from "./ed25519.ts";
 * import assert from "node:assert/strict";
 * const k = await generateEd25519();
 * assert(k.seed.length === 32 && k.publicKey.length === 32);
 * ```
 */
export async function generateEd25519(): Promise<{ seed: Uint8Array; publicKey: Uint8Array }> {
  const seed = crypto.getRandomValues(new Uint8Array(ED25519.seed));
  return { seed, publicKey: await ed25519PublicKey(seed) };
}

/**
 * The public key of a seed.
 *
 * @example
 * ```ts
 * import { ed25519PublicKey } from "./ed25519.ts";
 * import assert from "node:assert/strict";
 * assert((await ed25519PublicKey(new Uint8Array(32))).length === 32);
 * ```
 */
export async function ed25519PublicKey(seed: Uint8Array): Promise<Uint8Array> {
  check(seed, ED25519.seed, "seed");
  return await (await current()).publicKey(seed);
}

/**
 * Signs `message` with a seed (RFC 8032, deterministic).
 *
 * @example
 * ```ts
 * import { signEd25519 } from "./ed25519.ts";
 * import assert from "node:assert/strict";
 * assert((await signEd25519(new Uint8Array(32), new Uint8Array(1))).length === 64);
 * ```
 */
export async function signEd25519(seed: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  check(seed, ED25519.seed, "seed");
  return await (await current()).sign(seed, message);
}

/**
 * True when `signature` is a valid signature of `message` under `publicKey`; false for a wrong
 * signature and for a public key that is not a curve point.
 *
 * @example
 * ```ts
 * import { ed25519PublicKey, signEd25519, verifyEd25519 } from "./ed25519.ts";
 * import assert from "node:assert/strict";
 * const seed = new Uint8Array(32).fill(7), m = new Uint8Array([1]);
 * const sig = await signEd25519(seed, m);
 * assert(await verifyEd25519(await ed25519PublicKey(seed), m, sig));
 * ```
 */
export async function verifyEd25519(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  if (publicKey.length !== ED25519.publicKey || signature.length !== ED25519.signature) {
    return false;
  }
  return await (await current()).verify(publicKey, message, signature);
}

/**
 * Forces the portable implementation (for tests of runtimes without Web Crypto Ed25519).
 *
 * @example
 * ```ts
 * import { usePortableEd25519 } from "./ed25519.ts";
 * await usePortableEd25519(true);
 * await usePortableEd25519(false);
 * ```
 */
export async function usePortableEd25519(on: boolean): Promise<void> {
  backend = on ? Promise.resolve(await nobleBackend()) : undefined;
}
