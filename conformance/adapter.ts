/**
 * Our implementation behind the adapter protocol (README.md): `read`, `seek` and `write` over
 * the library's public API. Used in process by the runner, and as a command:
 *
 *     deno run -A conformance/adapter.ts read FILE [--key KEYFILE | --identity IDFILE] [--trust KEY.pub]... [--root HEX]
 *     deno run -A conformance/adapter.ts seek FILE TRACK PTS [--key KEYFILE] [--trust KEY.pub]...
 *     deno run -A conformance/adapter.ts write BLOCKS.jsonl OUT [--profile v1|v2] [--codec C]
 *
 * `read` is strict: it opens the file, runs full verification (SPEC.md section 9) and decodes
 * every block; the first failing check is the rejection.
 *
 * @module
 */

import { type BlockInput, type Container, H4Error, isH4Error, packContainer } from "../mod.ts";
import type { BlockOpener, CodecName } from "../lib/format/types.ts";
import { openContainer } from "../lib/seek/container.ts";
import { sha256 } from "../lib/hash/sha256.ts";
import { parsePublicKeyFile } from "../lib/format/sign_keys.ts";
import type { TrustOptions } from "../lib/seek/container.ts";
import {
  openCipher,
  openWithIdentity,
  parseIdentityFile,
  parseKeyFile,
} from "../lib/living/mod.ts";
import {
  type CanonicalBlock,
  type CanonicalRead,
  type CanonicalSeek,
  readLine,
  seekLine,
} from "./canonical.ts";
import type { Implementation, Outcome } from "./impl.ts";
import { hex } from "./builder/fields.ts";

/** Options of a read. */
export interface AdapterReadOptions {
  /** A LivingCipher key file's text; blocks are then decrypted. */
  key?: string;
  /** Trust (SPEC.md section 18): public keys and/or a pinned root; refused when not met. */
  trust?: TrustOptions;
  /** An X25519 identity file's text (SPEC.md 12.16): the key comes from the recipients chunk. */
  identity?: string;
}

async function openerFor(
  c: Container,
  key?: string,
  identity?: string,
): Promise<BlockOpener | undefined> {
  if (identity && c.encrypted && c.profile !== "legacy") {
    return (await openWithIdentity(c, parseIdentityFile(identity))).opener;
  }
  if (!key || !c.encrypted || c.profile === "legacy") return undefined;
  return await openCipher(c, parseKeyFile(key));
}

/**
 * The canonical read result of a container file, after full verification.
 *
 * @example
 * ```ts
 * import { packContainer } from "../mod.ts";
 * import { canonicalRead } from "./adapter.ts";
 * import assert from "node:assert/strict";
 * const bytes = await packContainer([{ track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array(2) }]);
 * assert((await canonicalRead(bytes)).blocks.length === 1);
 * ```
 */
export async function canonicalRead(
  bytes: Uint8Array,
  opts: AdapterReadOptions = {},
): Promise<CanonicalRead> {
  const c = await openContainer(bytes, { trust: opts.trust });
  try {
    const opener = await openerFor(c, opts.key, opts.identity);
    const report = await c.verify({ opener });
    // With a key, verify() includes the LivingCipher transcript (H4-LC-017).
    const checks = [...report.checks];
    const bad = checks.find((x) => !x.ok);
    if (bad) {
      throw new H4Error((bad.code ?? "H4_IO") as H4Error["code"], bad.message, { rule: bad.rule });
    }
    const blocks: CanonicalBlock[] = [];
    for await (const e of c.entries()) {
      let digest: string | null = null;
      let plain: number | null = e.plain_length;
      // A block before an epoch key's epoch stays sealed: no payload, like a block read without
      // a key (SPEC.md H4-LC-017).
      if (!c.encrypted || (opener && e.index >= (opener.firstOpenBlock ?? 0))) {
        digest = hex(sha256(await c.readBlock(e.index, { opener })));
      } else if (c.profile === "legacy") {
        plain = null; // no one can decrypt the original writer's blocks: length unknown
      }
      blocks.push({
        index: e.index,
        track_id: e.track_id,
        pts_us: e.pts_us,
        kind: e.kind,
        keyframe: e.keyframe,
        codec: e.codec,
        stored_length: e.stored_length,
        plain_length: plain,
        sha256: digest,
      });
    }
    const seek: Record<string, [number, number][]> = {};
    for (const t of c.tracks) {
      const table = c.seekTable(t.track_id);
      const pairs: [number, number][] = [];
      for (let i = 0; i < table.count; i++) pairs.push([table.pts[i], table.block[i]]);
      seek[t.track_id] = pairs;
    }
    return {
      version: c.version,
      profile: c.profile,
      encrypted: c.encrypted,
      tracks: c.tracks.map((t) => ({
        track_id: t.track_id,
        codec: t.codec,
        blocks: t.blocks,
        keyframes: t.keyframes,
        seek_entries: t.seek_entries,
      })),
      blocks,
      meta: c.meta,
      safe: c.safe,
      seek,
    };
  } finally {
    await c.close();
  }
}

/**
 * The seek answer of SPEC.md section 10 on a container file.
 *
 * @example
 * ```ts
 * import { packContainer } from "../mod.ts";
 * import { canonicalSeek } from "./adapter.ts";
 * import assert from "node:assert/strict";
 * const bytes = await packContainer([{ track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array(2) }]);
 * assert((await canonicalSeek(bytes, "v", 10)).found);
 * ```
 */
export async function canonicalSeek(
  bytes: Uint8Array,
  track: string,
  pts: number,
  trust?: TrustOptions,
): Promise<CanonicalSeek> {
  const c = await openContainer(bytes, { trust });
  try {
    const r = c.seek(track, pts);
    return {
      track_id: r.track_id,
      pts_us: r.pts_us,
      keyframe_pts_us: r.keyframe_pts_us,
      core_index: r.core_index,
      found: r.found,
    };
  } finally {
    await c.close();
  }
}

/** One line of BLOCKS.jsonl. */
export interface BlockLine {
  /** Track id. */
  track_id: string;
  /** pts, µs. */
  pts_us: number;
  /** Kind. */
  kind: "I" | "P" | "B";
  /** Keyframe flag. */
  keyframe: boolean;
  /** Payload, standard base64. */
  payload_b64: string;
  /** Codec (optional). */
  codec?: CodecName;
}

/**
 * Parses BLOCKS.jsonl text into writer input.
 *
 * @example
 * ```ts
 * import { parseBlocksJsonl } from "./adapter.ts";
 * import assert from "node:assert/strict";
 * const b = parseBlocksJsonl('{"track_id":"v","pts_us":0,"kind":"I","keyframe":true,"payload_b64":"AQI="}\n');
 * assert(b[0].payload[1] === 2);
 * ```
 */
export function parseBlocksJsonl(text: string): BlockInput[] {
  return text.split("\n").filter((l) => l.trim()).map((l) => {
    const o = JSON.parse(l) as BlockLine;
    const payload = Uint8Array.fromBase64(o.payload_b64);
    const b: BlockInput = {
      track_id: o.track_id,
      pts_us: o.pts_us,
      kind: o.kind,
      keyframe: o.keyframe,
      payload,
    };
    if (o.codec) b.codec = o.codec;
    return b;
  });
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function keyOf(args: string[]): Promise<string | undefined> {
  const k = flag(args, "--key");
  return k === undefined ? undefined : await Deno.readTextFile(k);
}

/**
 * The read options of protocol arguments: `--key KEYFILE`, `--identity IDFILE`, `--trust KEY.pub` (repeatable) and
 * `--root HEX` (SPEC.md section 18).
 *
 * @example
 * ```ts
 * import { readOptionsOf } from "./adapter.ts";
 * import assert from "node:assert/strict";
 * assert((await readOptionsOf([])).trust === undefined);
 * ```
 */
export async function readOptionsOf(args: string[]): Promise<AdapterReadOptions> {
  return {
    key: await keyOf(args),
    trust: await trustOf(args),
    identity: await identityOf(args),
  };
}

/** `--trust KEY.pub` (repeatable) and `--root HEX` of SPEC.md section 18. */
async function trustOf(args: string[]): Promise<TrustOptions | undefined> {
  const keys: Uint8Array[] = [];
  let root: Uint8Array | undefined;
  for (let i = 0; i < args.length - 1; i++) {
    if (args[i] === "--trust") {
      keys.push(parsePublicKeyFile(await Deno.readTextFile(args[i + 1])).publicKey);
    } else if (args[i] === "--root") {
      if (!/^[0-9a-f]{64}$/i.test(args[i + 1])) {
        throw new H4Error("H4_BAD_ARGUMENT", `--root takes 64 hex digits`);
      }
      root = Uint8Array.fromHex(args[i + 1].toLowerCase());
    }
  }
  return keys.length || root ? { keys, root } : undefined;
}

async function identityOf(args: string[]): Promise<string | undefined> {
  const k = flag(args, "--identity");
  return k === undefined ? undefined : await Deno.readTextFile(k);
}

function outcomeOf(e: unknown): Outcome {
  if (isH4Error(e)) return { status: "error", code: e.code, message: e.message };
  return {
    status: "crash",
    detail: `threw ${(e as Error)?.name ?? typeof e}: ${(e as Error)?.message ?? e}`,
  };
}

/**
 * Writes a container from BLOCKS.jsonl with our writer; `--profile` and `--codec` select the
 * writer options.
 */
export async function adapterWrite(
  blocksPath: string,
  out: string,
  args: string[] = [],
): Promise<void> {
  const blocks = parseBlocksJsonl(await Deno.readTextFile(blocksPath));
  const profile = (flag(args, "--profile") ?? "v2") as "v1" | "v2";
  const codec = flag(args, "--codec") as CodecName | undefined;
  const bytes = await packContainer(blocks, { profile, codec });
  const tmp = `${out}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  await Deno.writeFile(tmp, bytes);
  await Deno.rename(tmp, out);
}

/**
 * Our implementation, in process.
 *
 * @example
 * ```ts ignore
 * import { ourImplementation } from "./adapter.ts";
 * const o = await ourImplementation().read("conformance/vectors/legacy/single-track.h4mk");
 * console.log(o.status);
 * ```
 */
export function ourImplementation(name = "h4mk (in-process)"): Implementation {
  return {
    name,
    async read(file, args = []) {
      try {
        return {
          status: "ok",
          value: await canonicalRead(await Deno.readFile(file), await readOptionsOf(args)),
        };
      } catch (e) {
        return outcomeOf(e);
      }
    },
    async seek(file, track, pts, args = []) {
      try {
        return {
          status: "ok",
          value: await canonicalSeek(await Deno.readFile(file), track, pts, await trustOf(args)),
        };
      } catch (e) {
        return outcomeOf(e);
      }
    },
    async write(blocks, out, args = []) {
      try {
        await adapterWrite(blocks, out, args);
        return { status: "ok", value: null };
      } catch (e) {
        return outcomeOf(e);
      }
    },
  };
}

/**
 * Runs one protocol command for an implementation and prints as the protocol says; returns the
 * exit code. Shared by this adapter's main and the broken test adapters.
 */
export async function serveProtocol(impl: Implementation, args: string[]): Promise<number> {
  const [cmd, ...rest] = args;
  let o: Outcome;
  if (cmd === "read" && rest.length >= 1) o = await impl.read(rest[0], rest.slice(1));
  else if (cmd === "seek" && rest.length >= 3 && /^-?[0-9]+$/.test(rest[2])) {
    o = await impl.seek(rest[0], rest[1], Number(rest[2]), rest.slice(3));
  } else if (cmd === "write" && rest.length >= 2 && impl.write) {
    o = await impl.write(rest[0], rest[1], rest.slice(2));
  } else {
    console.error(
      "usage: read FILE [--key KEYFILE] [--trust KEY.pub]... [--root HEX] | seek FILE TRACK PTS [--trust KEY.pub]... [--root HEX] | write BLOCKS.jsonl OUT",
    );
    return 2;
  }
  if (o.status === "ok") {
    if (cmd === "read") console.log(readLine(o.value as CanonicalRead));
    else if (cmd === "seek") console.log(seekLine(o.value as CanonicalSeek));
    return 0;
  }
  if (o.status === "error") {
    console.error(`ERROR ${o.code} ${o.message}`);
    return 1;
  }
  if (o.status === "unsupported") {
    console.error(`UNSUPPORTED ${o.detail}`);
    return 3;
  }
  console.error(o.detail);
  return 70;
}

if (import.meta.main) Deno.exit(await serveProtocol(ourImplementation(), Deno.args));
