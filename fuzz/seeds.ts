/**
 * Seed inputs for the fuzzer: fresh containers in every profile and codec, the original
 * writer's samples, and the conformance vectors.
 *
 * @module
 */
import { packContainer } from "../lib/format/writer.ts";
import type { BlockInput, CodecName, Profile } from "../lib/format/types.ts";
import { makeRng } from "./mutate.ts";

/** A named seed. */
export interface Seed {
  /** Where it came from. */
  name: string;
  /** The bytes. */
  bytes: Uint8Array;
}

function blocks(seed: number, count: number): BlockInput[] {
  const rng = makeRng(seed);
  const out: BlockInput[] = [];
  for (let i = 0; i < count; i++) {
    const video = rng.next() < 0.6;
    const key = video ? i % 5 === 0 : true;
    out.push({
      track_id: video ? "video_main" : rng.next() < 0.5 ? "audio_main" : "音声",
      pts_us: i * 20_000 - 40_000 + (video && !key ? (rng.int(3) - 1) * 40_000 : 0),
      kind: key ? "I" : rng.next() < 0.5 ? "P" : "B",
      keyframe: key,
      payload: Uint8Array.from(
        { length: rng.int(300) },
        () => (rng.next() < 0.5 ? 7 : rng.int(256)),
      ),
    });
  }
  return out;
}

/**
 * Fresh containers: both profiles, all codecs, small pages so tables have many pages.
 *
 * @example
 * ```ts
 * import { freshSeeds } from "./seeds.ts";
 * import assert from "node:assert/strict";
 * assert((await freshSeeds()).length > 0);
 * ```
 */
export async function freshSeeds(): Promise<Seed[]> {
  const out: Seed[] = [];
  let k = 1;
  for (const profile of ["v1", "v2"] as Profile[]) {
    for (const codec of ["none", "deflate", "rle"] as CodecName[]) {
      const bytes = await packContainer(blocks(k++, 40), {
        profile,
        codec,
        meta: { title: "fuzz", n: [1, { a: "é" }] },
        safe: k % 2 ? { policy: "transport_only" } : null,
        blocksPerPage: 7,
        hashesPerPage: 3,
        segmentTarget: 1500,
        legacyTrak: k % 2 === 0,
      });
      out.push({ name: `fresh-${profile}-${codec}`, bytes });
    }
  }
  out.push({ name: "fresh-empty", bytes: await packContainer([]) });
  return out;
}

/**
 * Files found on disk: the legacy samples beside the repository and conformance vectors.
 *
 * @example
 * ```ts
 * import { diskSeeds } from "./seeds.ts";
 * import assert from "node:assert/strict";
 * assert(Array.isArray(await diskSeeds(new URL("../", import.meta.url))));
 * ```
 */
export async function diskSeeds(repoRoot: URL, limit = 400): Promise<Seed[]> {
  const out: Seed[] = [];
  const dirs = [
    new URL("testdata/legacy-v1/", repoRoot),
    new URL("conformance/vectors/", repoRoot),
  ];
  const walk = async (dir: URL) => {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(dir)].sort((a, b) => (a.name < b.name ? -1 : 1));
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.length >= limit) return;
      if (e.isDirectory) await walk(new URL(`${e.name}/`, dir));
      else if (e.name.endsWith(".h4mk")) {
        const bytes = await Deno.readFile(new URL(e.name, dir));
        if (bytes.length <= 1 << 20) out.push({ name: new URL(e.name, dir).pathname, bytes });
      }
    }
  };
  for (const d of dirs) await walk(d);
  return out;
}
