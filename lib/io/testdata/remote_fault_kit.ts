/**
 * The kit of the remote fault tests (lib/io/remote_*_test.ts): three versions of a container
 * (A; B, another file; A2, other content of exactly A's layout), a range server of each, and
 * the checks that a read is right or ends with a typed error of SPEC.md 16.1.
 *
 * @module
 */

import assert from "node:assert/strict";
import { isH4Error } from "../../format/errors.ts";
import type { BlockInput } from "../../format/types.ts";
import { packContainer, type WriterOptions } from "../../format/writer.ts";
import { type Container, openContainer } from "../../seek/container.ts";
import { type HttpSourceOptions, openHttpSource } from "../http_source.ts";
import { type RangeServer, type RangeServerKnobs, serveBytes } from "./range_server.ts";

import { rng as prng } from "../../format/testdata/helpers.ts";

/** The seeded PRNG of the format tests (mulberry32). */
export { prng };

/** Errors of the transport (SPEC.md 16.1): what a read may end with when the bytes are honest. */
export const TRANSPORT = ["H4_IO", "H4_TRUNCATED", "H4_SOURCE_CHANGED", "H4_RANGE_UNSUPPORTED"];
/** What a verified read may add when the server lies about the content (SPEC.md 9, 16.1). */
export const CONTENT = [
  "H4_BLOCK_HASH_MISMATCH",
  "H4_DIGEST_MISMATCH",
  "H4_CRC_MISMATCH",
  "H4_INDEX_MISMATCH",
  "H4_BAD_CHUNK",
];

/** Small probe and fast retries: index pages, hash pages and blocks all go over the network. */
export const OPTS: HttpSourceOptions = { tailProbe: 4096, retryDelayMs: 1, retries: 2 };

/** 1 200 blocks of two tracks; sizes from `sizeSeed`, content from `dataSeed`. */
export function clip(sizeSeed: number, dataSeed: number): BlockInput[] {
  const size = prng(sizeSeed);
  const data = prng(dataSeed);
  const out: BlockInput[] = [];
  for (let f = 0; f < 1200; f++) {
    const video = f % 3 !== 2;
    const key = video && f % 36 === 0;
    const payload = new Uint8Array(40 + Math.floor(size() * (key ? 1500 : 700)));
    // Half noise, half runs, so that deflate has something to do.
    for (let i = 0; i < payload.length; i++) {
      payload[i] = i < payload.length / 2 ? (data() * 256) | 0 : f & 0xff;
    }
    out.push({
      track_id: video ? "video" : "audio",
      pts_us: f * 11_111,
      kind: key || !video ? "I" : "P",
      keyframe: key || !video,
      payload,
    });
  }
  return out;
}

export interface Version {
  bytes: Uint8Array;
  local: Container;
  /** Plain bytes of every block, as the local reader returns them. */
  blocks: Uint8Array[];
}

export async function version(blocks: BlockInput[], opts: WriterOptions = {}): Promise<Version> {
  const bytes = await packContainer(blocks, {
    blocksPerPage: 32,
    hashesPerPage: 4,
    segmentTarget: 8192,
    meta: { title: "remote faults" },
    ...opts,
  });
  const local = await openContainer(bytes);
  const out: Uint8Array[] = [];
  for (let i = 0; i < local.blockCount; i++) out.push(await local.readBlock(i));
  return { bytes, local, blocks: out };
}

/** Version A; B, another file of another size; A2, other content of exactly A's layout. */
export const A = await version(clip(1, 2));
export const B = await version(clip(3, 4), { codec: "deflate" });
export const A2 = await version(clip(1, 5));
assert.equal(A2.bytes.length, A.bytes.length);
assert.notDeepEqual(A2.bytes, A.bytes);
assert.ok(A.bytes.length > 8 * 4096 && A.bytes.length < 1 << 20, `A is ${A.bytes.length} bytes`);

export async function rejectsWith(p: Promise<unknown>, codes: string[]): Promise<string> {
  let code = "";
  await assert.rejects(p, (e) => {
    assert.ok(isH4Error(e), `expected an H4Error ${codes.join("|")}, got ${e}`);
    assert.ok(codes.includes(e.code), `expected ${codes.join("|")}, got ${e.code}: ${e.message}`);
    assert.ok(!e.message.includes("\n"), `a one-line message: ${e.message}`);
    code = e.code;
    return true;
  });
  return code;
}

export async function open(url: string, opts: HttpSourceOptions = {}): Promise<Container> {
  return await openContainer(await openHttpSource(url, { ...OPTS, ...opts }));
}

/** A verified read equal to version `v`'s block. */
export async function readsRight(c: Container, v: Version, i: number): Promise<void> {
  assert.deepEqual(await c.readBlock(i, { verify: true }), v.blocks[i], `block ${i}`);
}

/** Block indexes spread over the file (so far apart that no two share a cached range). */
export const SPREAD = [7, 150, 333, 517, 701, 888, 1042, 1190];

export async function withServer(
  bytes: Uint8Array,
  knobs: RangeServerKnobs,
  f: (srv: RangeServer) => Promise<void>,
): Promise<void> {
  const srv = serveBytes(bytes, knobs);
  try {
    await f(srv);
  } finally {
    await srv.close();
  }
}

export function pick<T>(rnd: () => number, weights: [T, number][]): T {
  const total = weights.reduce((s, [, w]) => s + w, 0);
  let x = rnd() * total;
  for (const [v, w] of weights) if ((x -= w) < 0) return v;
  return weights[weights.length - 1][0];
}
