/**
 * Issue 9, remote faults on seeded random schedules: every request of many block reads gets a
 * random fault, from an honest server and from one that also lies about content. Reads return
 * the opened version's bytes or a typed error of SPEC.md 16.1 (H4-HTTP-002..005, H4-INT-003).
 */

import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import { type Container, openContainer } from "../seek/container.ts";
import { type HttpSourceOptions, openHttpSource } from "./http_source.ts";
import { serveBytes } from "./testdata/range_server.ts";
import { A, B, CONTENT, OPTS, pick, prng, TRANSPORT } from "./testdata/remote_fault_kit.ts";

// ---------------------------------------------------------------------------------------------
// Seeded random fault schedules over many reads.

type Fault =
  | "none"
  | "503"
  | "cut"
  | "short"
  | "shift"
  | "gzip"
  | "noRange"
  | "404"
  | "replace"
  | "flip"
  | "misplace";

/** Cumulative weights: honest faults only, or with a server that also lies about content. */
const HONEST: [Fault, number][] = [
  ["none", 1.2],
  ["503", 0.08],
  ["cut", 0.08],
  ["short", 0.08],
  ["shift", 0.04],
  ["gzip", 0.03],
  ["noRange", 0.03],
  ["404", 0.02],
  ["replace", 0.04],
];
const LYING: [Fault, number][] = [...HONEST, ["flip", 0.08], ["misplace", 0.04]];

interface Tally {
  reads: number;
  right: number;
  opens: number;
  requests: number;
  faults: Record<string, number>;
  errors: Record<string, number>;
  /** Failed reads that made no request: an earlier bad answer kept in the source's cache. */
  fromCache: number;
}

/**
 * Runs `reads` random block reads against a range server whose every request gets a random
 * fault. A read returns the opened version's block or throws an allowed H4Error; a source
 * that reports H4_SOURCE_CHANGED (or, with lies, sometimes any failure) is reopened. With
 * `cacheBytes: 0` every block read is a request (the container still keeps index pages).
 */
async function schedule(
  seed: number,
  reads: number,
  weights: [Fault, number][],
  opts: HttpSourceOptions = {},
): Promise<Tally> {
  const lying = weights.some(([f]) => f === "flip" || f === "misplace");
  const rnd = prng(seed);
  let current = A;
  const srv = serveBytes(current.bytes);
  const t: Tally = {
    reads: 0,
    right: 0,
    opens: 0,
    requests: 0,
    faults: {},
    errors: {},
    fromCache: 0,
  };
  const faulty: typeof fetch = (input, init) => {
    t.requests++;
    Object.assign(srv.knobs, {
      fail: 0,
      cut: 0,
      short: 0,
      shift: false,
      encoding: undefined,
      noRange: false,
      status: undefined,
      flip: undefined,
      misplace: 0,
    });
    const f = pick(rnd, weights);
    t.faults[f] = (t.faults[f] ?? 0) + 1;
    if (f === "503") srv.knobs.fail = 1;
    if (f === "cut") srv.knobs.cut = 1;
    if (f === "short") srv.knobs.short = 1;
    if (f === "shift") srv.knobs.shift = true;
    if (f === "gzip") srv.knobs.encoding = "gzip";
    if (f === "noRange") srv.knobs.noRange = true;
    if (f === "404") srv.knobs.status = 404;
    if (f === "misplace") srv.knobs.misplace = 1 + Math.floor(rnd() * 100_000);
    if (f === "replace") {
      current = current === A ? B : A;
      srv.replace(current.bytes);
    }
    if (f === "flip") {
      const m = /^bytes=(\d*)-(\d*)$/.exec(new Headers(init?.headers).get("range") ?? "")!;
      const size = current.bytes.length;
      const [lo, hi] = m[1] === "" ? [size - Number(m[2]), size - 1] : [Number(m[1]), Number(m[2])];
      srv.knobs.flip = Math.max(0, lo) + Math.floor(rnd() * (Math.min(hi, size - 1) - lo + 1));
    }
    return fetch(input, init);
  };
  const fail = (e: unknown, allowed: string[] | null, what: string) => {
    assert.ok(isH4Error(e), `${what}: not an H4Error: ${e}`);
    assert.ok(allowed === null || allowed.includes(e.code), `${what}: ${e.code}: ${e.message}`);
    assert.ok(!e.message.includes("\n"), `${what}: a one-line message: ${e.message}`);
    t.errors[e.code] = (t.errors[e.code] ?? 0) + 1;
    return e.code;
  };
  let c: Container | null = null;
  let opened = A;
  try {
    for (let r = 0; r < reads; r++) {
      if (!c) {
        t.opens++;
        try {
          // A small maxFullBody: a probe answered 200 is refused rather than kept whole
          // (which would answer every later read without a request).
          const src = await openHttpSource(srv.url, {
            ...OPTS,
            maxFullBody: 100_000,
            ...opts,
            fetch: faulty,
          });
          opened = current; // the version of the first answer (no request since)
          c = await openContainer(src);
        } catch (e) {
          // A flipped tail can break anything in it: any format code, but typed.
          fail(e, lying ? null : TRANSPORT, "open");
          c = null;
        }
        continue;
      }
      const i = Math.floor(rnd() * opened.blocks.length);
      const verify = lying || rnd() < 0.5;
      const before = t.requests;
      t.reads++;
      try {
        const got: Uint8Array = await c.readBlock(i, { verify });
        assert.deepEqual(got, opened.blocks[i], `read ${r}: block ${i} (verify ${verify})`);
        t.right++;
      } catch (e) {
        if (e instanceof assert.AssertionError) throw e;
        const code = fail(e, lying ? [...TRANSPORT, ...CONTENT] : TRANSPORT, `read ${r}`);
        if (t.requests === before) t.fromCache++;
        if (code === "H4_SOURCE_CHANGED" || (lying && rnd() < 0.25)) c = null;
      }
      if (r % 50 === 49) c = null; // opens are exercised under faults too
    }
  } finally {
    await srv.close();
  }
  return t;
}

function report(name: string, t: Tally): void {
  console.log(
    `  ${name}: ${t.reads} reads (${t.right} right, ${t.reads - t.right} typed errors), ` +
      `${t.opens} opens, ${t.requests} requests; faults ${JSON.stringify(t.faults)}; ` +
      `errors ${JSON.stringify(t.errors)}; failed from cache ${t.fromCache}`,
  );
}

Deno.test("remote faults: seeded schedule of honest faults, verified and unverified reads", async () => {
  for (const seed of [9, 90]) {
    const t = await schedule(seed, 300, HONEST, { cacheBytes: 0 });
    report(`seed ${seed}`, t);
    // The schedule did something: most reads right, every fault kind and several codes seen.
    assert.ok(t.right > t.reads / 2, `only ${t.right} of ${t.reads} reads right`);
    for (const [f] of HONEST) assert.ok(t.faults[f] > 0, `fault ${f} never injected`);
    assert.ok(Object.keys(t.errors).length >= 3, JSON.stringify(t.errors));
  }
});

Deno.test("remote faults: seeded schedule with a server that also lies about content", async () => {
  // Without the source's range cache (every read asks the server), then with it (a lie kept
  // in the cache fails again, with the same typed error, until the source is reopened).
  for (const [seed, cacheBytes] of [[2024, 0], [4048, undefined]]) {
    const t = await schedule(seed!, 300, LYING, { cacheBytes });
    report(`seed ${seed}, cacheBytes ${cacheBytes ?? "default"}`, t);
    assert.ok(t.right > t.reads / 3, `only ${t.right} of ${t.reads} reads right`);
    assert.ok(t.errors.H4_BLOCK_HASH_MISMATCH > 0 || t.errors.H4_DIGEST_MISMATCH > 0);
  }
});
