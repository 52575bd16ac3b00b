/**
 * Adding a signature to a container file in place (SPEC.md 18.4): the new SIGN chunk goes
 * where LOCA was and LOCA, unchanged, follows it. Nothing before LOCA is read or written but the
 * tail, so the work does not depend on the file's size.
 *
 * @module
 */
import { encodeChunk } from "../format/chunk.ts";
import { CHUNK_HEADER_LENGTH, LOCA_CHUNK_LENGTH } from "../format/constants.ts";
import { H4Error } from "../format/errors.ts";
import { makeSignPayload, SIGN_TAG } from "../format/signature.ts";
import type { SigningKey } from "../format/sign_keys.ts";
import { openContainer } from "../seek/container.ts";
import { openFileSource } from "./file.ts";

/** What {@linkcode signFile} did. */
export interface SignResult {
  /** False when the key had signed the file already (then nothing was written). */
  added: boolean;
  /** Key id of the signer. */
  keyId: string;
  /** The signed root digest. */
  root: Uint8Array;
  /** File size after signing. */
  size: number;
}

/**
 * Signs the container at `path` with `key`, in place. The file is opened and its root checked
 * first; the new tail (SIGN, then the same LOCA) is written with one positioned write at the
 * old LOCA's offset and synced. A file that changed size meanwhile is refused
 * (`H4_SOURCE_CHANGED`).
 *
 * @example
 * ```ts ignore
 * import { signFile } from "./sign_file.ts";
 * import { generateSigningKey } from "../format/sign_keys.ts";
 * await signFile("movie.h4mk", await generateSigningKey());
 * ```
 */
export async function signFile(path: string, key: SigningKey): Promise<SignResult> {
  const src = await openFileSource(path);
  let size: number, tail: Uint8Array, root: Uint8Array;
  try {
    const c = await openContainer(src, { prefetch: false });
    if (!c.locator || !c.root) {
      throw new H4Error(
        "H4_BAD_ARGUMENT",
        `${path} is a file of the original writer: it has no root digest to sign`,
      );
    }
    size = c.size;
    root = c.root;
    if (c.signers.some((s) => s.keyId === key.keyId)) {
      return { added: false, keyId: key.keyId, root, size };
    }
    // The LOCA chunk exactly as it is (its payload was checked on open).
    const loca = await src.read(size - LOCA_CHUNK_LENGTH, LOCA_CHUNK_LENGTH);
    const sign = await makeSignPayload(
      key.seed,
      key.publicKey,
      loca.subarray(CHUNK_HEADER_LENGTH),
      c.livc,
    );
    const chunk = encodeChunk(SIGN_TAG, sign);
    tail = new Uint8Array(chunk.length + loca.length);
    tail.set(chunk);
    tail.set(loca, chunk.length);
  } finally {
    await src.close?.();
  }
  const f = await Deno.open(path, { read: true, write: true });
  try {
    const st = await f.stat();
    if (st.size !== size) {
      throw new H4Error(
        "H4_SOURCE_CHANGED",
        `${path} changed size while it was signed (${size} then ${st.size} bytes)`,
      );
    }
    await f.seek(size - LOCA_CHUNK_LENGTH, Deno.SeekMode.Start);
    let done = 0;
    while (done < tail.length) done += await f.write(tail.subarray(done));
    await f.sync();
  } finally {
    f.close();
  }
  return { added: true, keyId: key.keyId, root, size: size - LOCA_CHUNK_LENGTH + tail.length };
}
