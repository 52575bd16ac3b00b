/**
 * The known answers (`kat.json`) and key-file vectors (`key_files.json`) of the LivingCipher
 * vectors (conformance/gen/cipher_vectors.ts).
 *
 * @module
 */
import type { BlockContext } from "../../lib/format/types.ts";
import { TAG_LENGTH } from "../../lib/living/constants.ts";
import { blockNonce, createAdEncoder } from "../../lib/living/context.ts";
import { fixed, VECTOR_CONTAINER_ID, VECTOR_KEY, vectorBlocks } from "./cipher_build.ts";
import { hex } from "./cipher_expect.ts";
import {
  blockKey,
  computeSeal,
  createEpochChain,
  epochZeroKey,
  keyCheck,
} from "../../lib/living/key_schedule.ts";
import { deriveKeyFromSharedSecret, encodeKeyFile } from "../../lib/living/keys.ts";
import { decodeLivc, epochCount } from "../../lib/living/livc.ts";
import { createVectorSealer } from "../../lib/living/sealer.ts";
import { createTranscript } from "../../lib/living/transcript.ts";
import type { KeyFileVector } from "../../lib/living/vector_check.ts";

export type { KeyFileVector };

/** The pure-crypto known-answer file: every intermediate value for fixed inputs. */
export function knownAnswers(): Record<string, unknown> {
  const suite = "chacha20-poly1305";
  const k = 2;
  const blocks = vectorBlocks().slice(0, 5);
  const root = fixed("root digest", 32);
  const sealer = createVectorSealer(VECTOR_KEY, {
    containerId: VECTOR_CONTAINER_ID,
    epochBlocks: k,
    backend: "portable",
  });
  const ad = createAdEncoder(suite, VECTOR_CONTAINER_ID);
  const e0 = epochZeroKey(VECTOR_KEY, VECTOR_CONTAINER_ID);
  const n = epochCount(blocks.length, k);
  const chain = createEpochChain(0, e0, n);
  const transcript = createTranscript(true);
  const rows = blocks.map((b, i) => {
    const ctx: BlockContext = {
      index: i,
      track_id: b.track_id,
      pts_us: b.pts_us,
      kind: b.kind,
      keyframe: b.keyframe,
      codec: "none",
      plain_length: b.payload.length,
    };
    const stored = sealer.seal(ctx, b.payload);
    const a = ad.encode(ctx);
    transcript.add(a, stored.subarray(stored.length - TAG_LENGTH));
    const epoch = Math.floor(i / k);
    return {
      context: ctx,
      plaintext: hex(b.payload),
      epoch,
      epoch_key: hex(chain.key(epoch)),
      block_key: hex(blockKey(chain.key(epoch), suite)),
      nonce: hex(blockNonce(i)),
      ad: hex(a),
      stored: hex(stored),
    };
  });
  const livc = sealer.finish(root);
  const d = decodeLivc(livc);
  const shared = fixed("shared secret", 32);
  return {
    description:
      "LivingCipher known answers (SPEC.md section 12): fixed root key, container id and blocks; every intermediate value. Regenerate with conformance/gen/cipher_vectors.ts.",
    suite,
    root_key: hex(VECTOR_KEY),
    root_key_file: encodeKeyFile({ kind: "root", key: VECTOR_KEY }).trim(),
    container_id: hex(VECTOR_CONTAINER_ID),
    epoch_blocks: k,
    epoch_0_key: hex(e0),
    blocks: rows,
    closing_epoch: n,
    closing_epoch_key: hex(chain.key(n)),
    key_check: hex(keyCheck(chain.key(n))),
    transcript: hex(transcript.digest()),
    root_digest: hex(root),
    seal: hex(computeSeal(chain.key(n), d.sealedPart, root)),
    livc: hex(livc),
    epoch_key_file_epoch_1: encodeKeyFile({
      kind: "epoch",
      containerId: VECTOR_CONTAINER_ID,
      epoch: 1,
      key: chain.key(1),
    })
      .trim(),
    shared_secret: {
      secret: hex(shared),
      info: "h4mk living key",
      key: hex(deriveKeyFromSharedSecret(shared)),
    },
  };
}

/**
 * The key-file vectors (`key_files.json`): the strict grammar of SPEC.md 12.2 and the roles of
 * 12.2/12.9 (only a root key seals; an epoch key, the epoch-0 grant included, never does).
 */
export function keyFileVectors(): KeyFileVector[] {
  const b64 = VECTOR_KEY.toBase64();
  const rootLine = `h4mk-key-1 ${b64}`;
  const e0 = epochZeroKey(VECTOR_KEY, VECTOR_CONTAINER_ID);
  const grantLine = `h4mk-epoch-key-1 ${hex(VECTOR_CONTAINER_ID)} 0 ${e0.toBase64()}`;
  const bad = "H4_CIPHER_BAD_KEY";
  // The last character of 32 bytes in base64 has two unused bits: setting one is non-canonical.
  const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const cases: [string[], string[], string, string, string, ("root" | "epoch")?, string?][] = [
    [
      ["Valid", "RootKey"],
      ["H4-LC-002"],
      "A root key file as keygen writes it.",
      `${rootLine}\n`,
      "ok",
      "root",
      "ok",
    ],
    [
      ["Valid", "NoFinalNewline"],
      ["H4-LC-002"],
      "The final LF is optional.",
      rootLine,
      "ok",
      "root",
      "ok",
    ],
    [
      ["GrantAsSealingKey", "EpochKey"],
      ["H4-LC-020"],
      "The epoch-0 grant of a container (grant --from-epoch 0): it opens that container, and sealing with it is refused. Accepting it sealed every container under its container id: key and nonce reuse.",
      `${grantLine}\n`,
      "ok",
      "epoch",
      bad,
    ],
    [
      ["GrantAsSealingKey", "EpochKey"],
      ["H4-LC-020"],
      "An epoch-2 grant used as a sealing key.",
      `${grantLine.replace(" 0 ", " 2 ")}\n`,
      "ok",
      "epoch",
      bad,
    ],
    [["Crlf"], ["H4-LC-002"], "A CR LF line ending.", `${rootLine}\r\n`, bad],
    [["Tab"], ["H4-LC-002"], "A tab between the fields.", `h4mk-key-1\t${b64}\n`, bad],
    [["DoubleSpace"], ["H4-LC-002"], "Two spaces between the fields.", `h4mk-key-1  ${b64}\n`, bad],
    [["LeadingSpace"], ["H4-LC-002"], "A space before the first field.", ` ${rootLine}\n`, bad],
    [["TrailingSpace"], ["H4-LC-002"], "A space after the last field.", `${rootLine} \n`, bad],
    [
      ["TrailingBlankLine"],
      ["H4-LC-002"],
      "A blank line after the key line.",
      `${rootLine}\n\n`,
      bad,
    ],
    [
      ["LeadingBlankLine"],
      ["H4-LC-002"],
      "A blank line before the key line.",
      `\n${rootLine}\n`,
      bad,
    ],
    [
      ["ByteOrderMark"],
      ["H4-LC-002"],
      "A UTF-8 byte order mark first.",
      `\ufeff${rootLine}\n`,
      bad,
    ],
    [["TwoKeys"], ["H4-LC-002"], "Two key lines.", `${rootLine}\n${rootLine}\n`, bad],
    [["Empty"], ["H4-LC-002"], "An empty file.", "", bad],
    [
      ["UnknownType"],
      ["H4-LC-002"],
      "A type this version does not define: refused by name, never guessed.",
      `h4mk-recipient-1 ${b64}\n`,
      bad,
    ],
    [
      ["NonCanonicalBase64"],
      ["H4-LC-002"],
      "Base64 whose unused bits are not zero.",
      `h4mk-key-1 ${b64.slice(0, 42)}${B64[B64.indexOf(b64[42]) ^ 1]}=\n`,
      bad,
    ],
    [
      ["UppercaseHex"],
      ["H4-LC-002"],
      "A container id in uppercase hex.",
      `${grantLine.replace(hex(VECTOR_CONTAINER_ID), hex(VECTOR_CONTAINER_ID).toUpperCase())}\n`,
      bad,
    ],
    [
      ["LeadingZeroEpoch"],
      ["H4-LC-002"],
      "An epoch with a leading zero.",
      `${grantLine.replace(" 0 ", " 00 ")}\n`,
      bad,
    ],
  ];
  return cases.map(([flags, rules, description, text, parse, role, seal], i) => ({
    tc_id: i + 1,
    flags,
    rules,
    description,
    text,
    parse,
    ...(role ? { role } : {}),
    seal: seal ?? parse,
  }));
}
