/**
 * Encrypting and decrypting whole containers, SPEC.md section 12.9: every block is read
 * (decrypted and decompressed when needed) and written again with the same track, pts, kind,
 * keyframe flag and codec; META and SAFE are copied, minus the keys the writer adds itself.
 *
 * @module
 */
import { WRITER_META_KEYS } from "../format/constants.ts";
import { H4Error } from "../format/errors.ts";
import type { JsonObject } from "../format/meta.ts";
import type { BlockOpener, BlockSealer, ByteSink, CodecName, Profile } from "../format/types.ts";
import { createWriter, type WriterOptions, type WriteSummary } from "../format/writer.ts";
import type { Container } from "../seek/container.ts";
import type { LivingKey } from "./keys.ts";
import { openCipher } from "./opener.ts";
import { createSealer, type SealerOptions } from "./sealer.ts";
import type { Recipient } from "./identity.ts";
import { sealToRecipients } from "./recipients_open.ts";
import type { Backend } from "./suites.ts";

/** Writer options a conversion passes through (tests use small pages and segments). */
export type ConvertWriterOptions = Pick<
  WriterOptions,
  "seekIntervalUs" | "blocksPerPage" | "hashesPerPage" | "segmentTarget" | "signingKeys"
>;

/** Options of {@linkcode encryptContainer}. */
export interface EncryptOptions extends SealerOptions {
  /** Profile of the output; default the source's (`v1` for files of the original writer). */
  profile?: Profile;
  /** Key of an already encrypted source: re-encrypts it under the new key and a new container id. */
  sourceKey?: LivingKey | Uint8Array;
  /** Passed to the writer. */
  writer?: ConvertWriterOptions;
  /** Also encrypt to these recipients (SPEC.md 12.16): E_0 wrapped for each in RCPT. */
  recipients?: readonly Recipient[];
  /** With `recipients`: write their ids in clear (hints). */
  recipientHints?: boolean;
}

/** Options of {@linkcode decryptContainer}. */
export interface DecryptOptions {
  /** Profile of the output; default the source's. */
  profile?: Profile;
  /** AEAD implementation. */
  backend?: Backend;
  /** Passed to the writer. */
  writer?: ConvertWriterOptions;
}

async function rewrite(
  src: Container,
  sink: ByteSink,
  opener: BlockOpener | undefined,
  sealer: BlockSealer | undefined,
  profile: Profile | undefined,
  writer: ConvertWriterOptions = {},
  from = 0,
): Promise<WriteSummary> {
  const meta: JsonObject = { ...src.meta };
  for (const k of WRITER_META_KEYS) delete meta[k];
  const out = profile ?? (src.profile === "v2" ? "v2" : "v1");
  // One default codec for all tracks when they agree keeps TRKS and BIDX as they were.
  const codecs = new Set<CodecName>(src.tracks.map((t) => t.codec));
  const w = createWriter(sink, {
    ...writer,
    profile: out,
    codec: codecs.size === 1 ? [...codecs][0] : "none",
    meta,
    safe: src.safe,
    sealer,
    legacyTrak: out === "v1" && Object.hasOwn(src.meta, "trak_b64"),
  });
  for (let i = from; i < src.blockCount; i++) {
    const e = await src.entry(i);
    const payload = await src.readBlock(i, { opener });
    await w.add({
      track_id: e.track_id,
      pts_us: e.pts_us,
      kind: e.kind,
      keyframe: e.keyframe,
      codec: e.codec,
      payload,
    });
  }
  return await w.finish();
}

/**
 * Writes an encrypted copy of `src` to `sink` under root key `key`, with a new random container
 * id. An encrypted source needs `opts.sourceKey` (re-encryption, for instance to rotate keys).
 * Files of the original writer become `v1` files.
 *
 * @example
 * ```ts
 * import { concat } from "../format/bytes.ts";
 * import { packContainer } from "../format/writer.ts";
 * import { openContainer } from "../seek/container.ts";
 * import { encryptContainer, generateKey, openCipher } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const plain = await openContainer(await packContainer([
 *   { track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array([5]) },
 * ]));
 * const key = generateKey();
 * const parts: Uint8Array[] = [];
 * await encryptContainer(plain, key, { write: (b) => void parts.push(b.slice()) });
 * const enc = await openContainer(concat(parts));
 * assert(enc.encrypted && (await enc.readBlock(0, { opener: await openCipher(enc, key) }))[0] === 5);
 * ```
 */
export async function encryptContainer(
  src: Container,
  key: Uint8Array | LivingKey,
  sink: ByteSink,
  opts: EncryptOptions = {},
): Promise<WriteSummary> {
  let opener: BlockOpener | undefined;
  if (src.encrypted) {
    if (opts.sourceKey === undefined) {
      throw new H4Error(
        "H4_ENCRYPTED",
        "source container is encrypted: give its key (sourceKey) to re-encrypt it",
      );
    }
    opener = await openCipher(src, opts.sourceKey, { backend: opts.backend });
  }
  const sealer = createSealer(key, {
    epochBlocks: opts.epochBlocks,
    suite: opts.suite,
    backend: opts.backend,
  });
  if (opts.recipients?.length) {
    sealToRecipients(sealer, key, opts.recipients, { hint: opts.recipientHints });
  }
  return await rewrite(src, sink, opener, sealer, opts.profile, opts.writer);
}

/** What {@linkcode decryptContainer} wrote. */
export interface DecryptSummary extends WriteSummary {
  /**
   * Blocks 0..sealedBlocks − 1 of the source stayed sealed to the key (an epoch key of a later
   * epoch) and are not in the output, whose block 0 is the source's block `sealedBlocks`.
   * 0 with a root key.
   */
  sealedBlocks: number;
}

/**
 * Writes a decrypted copy of encrypted `src` to `sink`. Every block is authenticated on the
 * way (a failure stops the copy with its error). With a root key the copy has every block; with
 * an epoch key it has the blocks the key opens (from its epoch on, renumbered from 0), and
 * `sealedBlocks` says how many earlier blocks stayed sealed and were left out (SPEC.md 12.11).
 *
 * @example
 * ```ts
 * import { packContainer } from "../format/writer.ts";
 * import { openContainer } from "../seek/container.ts";
 * import { createSealer, decryptContainer, generateKey } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const key = generateKey();
 * const enc = await openContainer(await packContainer([
 *   { track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array([5]) },
 * ], { sealer: createSealer(key) }));
 * const parts: Uint8Array[] = [];
 * const s = await decryptContainer(enc, { kind: "root", key }, { write: (b) => void parts.push(b.slice()) });
 * assert(s.blocks === 1);
 * ```
 */
export async function decryptContainer(
  src: Container,
  key: LivingKey | Uint8Array,
  sink: ByteSink,
  opts: DecryptOptions = {},
): Promise<DecryptSummary> {
  const opener = await openCipher(src, key, { backend: opts.backend });
  const sealedBlocks = opener.firstOpenBlock;
  const summary = await rewrite(
    src,
    sink,
    opener,
    undefined,
    opts.profile,
    opts.writer,
    sealedBlocks,
  );
  return { ...summary, sealedBlocks };
}
