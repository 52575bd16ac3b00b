/**
 * Constants of LivingCipher, named after the terms of SPEC.md section 12.
 *
 * @module
 */

/** Length of a root key and of every epoch key, section 12.2. */
export const KEY_LENGTH = 32;
/** Length of the random container id stored in LIVC, section 12.4 (H4-LC-005). */
export const CONTAINER_ID_LENGTH = 16;
/** Length of the AEAD tag that follows every block's ciphertext, section 12.3 (H4-LC-004). */
export const TAG_LENGTH = 16;
/** Length of an AEAD nonce, section 12.6 (H4-LC-008). */
export const NONCE_LENGTH = 12;
/** Length of the key check value in LIVC, section 12.8. */
export const KEY_CHECK_LENGTH = 16;
/** Length of the transcript hash and of the seal, section 12.8. */
export const DIGEST_LENGTH = 32;
/** LIVC layout version, section 12.8. */
export const LIVC_VERSION = 1;
/** Associated-data layout version, section 12.5. */
export const AD_VERSION = 1;
/** The mandatory suite, section 12.3 (H4-LC-003). */
export const DEFAULT_SUITE = "chacha20-poly1305";
/** Writer default: blocks per epoch K, section 12.9. */
export const DEFAULT_EPOCH_BLOCKS = 4096;
/** Largest epoch size K (u32), section 12.8. */
export const MAX_EPOCH_BLOCKS = 0xffff_ffff;
/** Largest block count (SPEC.md section 13). */
export const MAX_BLOCKS = 0xffff_ffff;
/** Most epochs a container may have (section 12.8): 2^20, which K = 4096 reaches only at 2^32 blocks. */
export const MAX_EPOCHS = 1 << 20;
/** Longest suite name in LIVC, section 12.8. */
export const MAX_SUITE_NAME_LENGTH = 32;
/** Shortest shared secret `deriveKeyFromSharedSecret` accepts, section 12.2 (H4-LC-001). */
export const MIN_SHARED_SECRET_LENGTH = 16;

/** HKDF labels and hash domains of section 12.4; all ASCII. */
export const LABELS = {
  /** info of E_0 = HKDF(root, salt = container id). */
  epochZero: "H4MK-LC1 epoch 0",
  /** info of the one-way step E_{e+1} = HKDF-Expand(E_e). */
  epochStep: "H4MK-LC1 epoch step",
  /** info prefix of the block key K_e; the suite name follows. */
  blockKey: "H4MK-LC1 block key ",
  /** info of the key check value, from the closing epoch key. */
  keyCheck: "H4MK-LC1 key check",
  /** info of the seal key, from the closing epoch key. */
  sealKey: "H4MK-LC1 seal key",
  /** salt of `deriveKeyFromSharedSecret`. */
  sharedSecret: "H4MK-LC1 shared secret",
  /** first bytes hashed into the transcript. */
  transcript: "H4MK-LC1 transcript",
  /** first bytes of the sealed message. */
  seal: "H4MK-LC1 seal",
} as const;

/** Default `info` of `deriveKeyFromSharedSecret`. */
export const DEFAULT_SHARED_SECRET_INFO = "h4mk living key";
/** First word of a root key file, section 12.2. */
export const KEY_FILE_ROOT = "h4mk-key-1";
/** First word of an epoch key file, section 12.2. */
export const KEY_FILE_EPOCH = "h4mk-epoch-key-1";
