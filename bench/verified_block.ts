/**
 * A verified block read against an unverified one, in process (SPEC.md 18.5, issue 15 target:
 * at most 1.3 x): a 10-minute 30 fps video + audio container (v2, default segments) in a file,
 * read (a) forward from a keyframe, every block in order, as a player does, and (b) one block at
 * a random index per freshly opened container. Verified = `verifyBlocks: true` (what `open` of a
 * URL and every trusted open do): the block's storage chunk is read whole and checked against
 * BHSH; chunks already checked are kept. Rounds alternate the two so that machine load hits both.
 *
 * Usage: deno run -A bench/verified_block.ts [--rounds 7]
 *
 * @module
 */
import { openFileSource, packContainer } from "../mod.ts";
import { generateSigningKey, signFile } from "../sign.ts";
import { openContainer } from "../lib/seek/container.ts";
import type { BlockInput } from "../mod.ts";

const rounds = Number(Deno.args[Deno.args.indexOf("--rounds") + 1] || 7);

function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed * 2654435761 >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const blocks: BlockInput[] = [];
let a = 0;
for (let f = 0; f < 600 * 30; f++) {
  const pts = Math.round(f * 1_000_000 / 30);
  while (Math.round(a * 21333.33) <= pts) {
    blocks.push({
      track_id: "audio",
      pts_us: Math.round(a * 21333.33),
      kind: "I",
      keyframe: true,
      payload: noise(180 + (a % 50), a),
    });
    a++;
  }
  const key = f % 60 === 0;
  blocks.push({
    track_id: "video",
    pts_us: pts,
    kind: key ? "I" : "P",
    keyframe: key,
    payload: noise(key ? 20_000 : 2_000 + (f * 97) % 3000, 1e6 + f),
  });
}
const key = await generateSigningKey();
const bytes = await packContainer(blocks, { signingKeys: [key] });
const path = await Deno.makeTempFile({ suffix: ".h4mk" });
await Deno.writeFile(path, bytes);
console.log(`${blocks.length} blocks, ${bytes.length} bytes`);

async function forward(verify: boolean): Promise<number> {
  const c = await openContainer(await openFileSource(path), {
    verifyBlocks: verify,
    prefetch: false,
  });
  const start = c.seek("video", 120_000_000).core_index;
  const t0 = performance.now();
  let sum = 0;
  for (let i = start; i < start + 3000; i++) sum += (await c.readBlock(i)).length;
  const ms = performance.now() - t0;
  await c.close();
  if (sum === 0) throw new Error("nothing read");
  return ms;
}

async function random(verify: boolean, seed: number): Promise<number> {
  let x = seed;
  let ms = 0;
  for (let k = 0; k < 200; k++) {
    x = (x * 1103515245 + 12345) >>> 0;
    const c = await openContainer(await openFileSource(path), {
      verifyBlocks: verify,
      prefetch: false,
    });
    await c.entry(x % blocks.length); // index page loaded outside the timing
    const t0 = performance.now();
    await c.readBlock(x % blocks.length);
    ms += performance.now() - t0;
    await c.close();
  }
  return ms;
}

const med = (v: number[]) => v.toSorted((p, q) => p - q)[Math.floor(v.length / 2)];
const f = { plain: [] as number[], verified: [] as number[] };
const r = { plain: [] as number[], verified: [] as number[] };
await forward(false), await forward(true); // warm-up
for (let i = 0; i < rounds; i++) {
  const order = i % 2 ? [true, false] : [false, true];
  for (const v of order) (v ? f.verified : f.plain).push(await forward(v));
  for (const v of order) (v ? r.verified : r.plain).push(await random(v, 7 + i));
}
console.log(
  `forward, 3000 blocks from a keyframe: unverified ${med(f.plain).toFixed(1)} ms, verified ${
    med(f.verified).toFixed(1)
  } ms, ratio ${(med(f.verified) / med(f.plain)).toFixed(2)} x (median of ${rounds})`,
);
console.log(
  `random, 200 one-block reads (index page loaded): unverified ${
    med(r.plain).toFixed(1)
  } ms, verified ${med(r.verified).toFixed(1)} ms, ratio ${
    (med(r.verified) / med(r.plain)).toFixed(2)
  } x`,
);
// Signing in place (the tail only) and a trusted open, against an untrusted open.
const other = await generateSigningKey();
const t0 = performance.now();
await signFile(path, other);
const signMs = performance.now() - t0;
const opens = { plain: [] as number[], trusted: [] as number[] };
for (let i = 0; i < 20; i++) {
  for (const trusted of [false, true]) {
    const t = performance.now();
    const c = await openContainer(await openFileSource(path), {
      trust: trusted ? { keys: [key.publicKey] } : undefined,
    });
    (trusted ? opens.trusted : opens.plain).push(performance.now() - t);
    await c.close();
  }
}
console.log(
  `sign in place (${bytes.length} bytes file): ${signMs.toFixed(1)} ms; open ${
    med(opens.plain).toFixed(2)
  } ms, trusted open (2 signatures, both checked) ${med(opens.trusted).toFixed(2)} ms`,
);
await Deno.remove(path);
