/**
 * Issue 9, remote faults on the wire: a raw socket server (testdata/wire_server.ts) resets,
 * closes mid-body, sends garbage, unframed, long or compressed answers or a wrong total, one
 * at a time and on a seeded schedule. Reads return the right bytes or a typed error of
 * SPEC.md 16.1 (H4-HTTP-002..005); never other bytes.
 */

import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import type { Container } from "../seek/container.ts";
import { openHttpSource } from "./http_source.ts";
import {
  A,
  open,
  OPTS,
  pick,
  prng,
  readsRight,
  rejectsWith,
  SPREAD,
  TRANSPORT,
} from "./testdata/remote_fault_kit.ts";
import { serveWire, type WireFault } from "./testdata/wire_server.ts";

Deno.test("remote faults: faults on the wire (raw socket server)", async () => {
  let plan: WireFault[] = [];
  const wire = serveWire(A.bytes, () => plan.shift() ?? "ok");
  try {
    // A server without Range support whose whole-file answer is cut: a short body.
    plan = Array(10).fill("whole-cut");
    await rejectsWith(openHttpSource(wire.url, OPTS), ["H4_TRUNCATED"]);
    plan = ["whole-cut"];
    await readsRight(await open(wire.url), A, SPREAD[0]);
    // Each fault once, then honest answers: the retry cures it.
    for (const f of ["reset", "close", "garbage", "unframed"] as const) {
      plan = [f];
      const c = await open(wire.url);
      plan = [f];
      await readsRight(c, A, SPREAD[1]);
    }
    // Every time: the documented code.
    const always: [WireFault, string][] = [
      ["reset", "H4_TRUNCATED"],
      ["unframed", "H4_TRUNCATED"],
      ["close", "H4_IO"],
      ["garbage", "H4_IO"],
      ["long", "H4_IO"], // a body longer than the range is not retried
      ["gzip", "H4_IO"],
      ["total", "H4_SOURCE_CHANGED"],
    ];
    const c = await open(wire.url);
    for (const [f, code] of always) {
      plan = Array(10).fill(f);
      await rejectsWith(c.readBlock(SPREAD[2], { verify: true }), [code]);
      // The first request too ("total" there is a range other than the suffix asked: H4_IO).
      plan = Array(10).fill(f);
      await rejectsWith(openHttpSource(wire.url, OPTS), [f === "total" ? "H4_IO" : code]);
      plan = [];
    }
    await readsRight(c, A, SPREAD[2]);
  } finally {
    await wire.close();
  }
});

// ---------------------------------------------------------------------------------------------
// Seeded random fault schedules over many reads.

Deno.test("remote faults: seeded schedule of faults on the wire", async () => {
  const rnd = prng(77);
  const weights: [WireFault, number][] = [
    ["ok", 0.7],
    ["reset", 0.06],
    ["close", 0.06],
    ["garbage", 0.04],
    ["unframed", 0.05],
    ["long", 0.03],
    ["gzip", 0.03],
    ["total", 0.03],
    ["whole-cut", 0.02],
  ];
  const wire = serveWire(A.bytes, () => pick(rnd, weights));
  let reads = 0, right = 0, opens = 0;
  const errors: Record<string, number> = {};
  try {
    let c: Container | null = null;
    while (reads < 250) {
      if (!c) {
        opens++;
        c = await open(wire.url).catch((e) => {
          assert.ok(isH4Error(e) && TRANSPORT.includes(e.code), String(e));
          errors[e.code] = (errors[e.code] ?? 0) + 1;
          return null;
        });
        continue;
      }
      const i = Math.floor(rnd() * A.blocks.length);
      const verify = rnd() < 0.5;
      reads++;
      try {
        assert.deepEqual(await c.readBlock(i, { verify }), A.blocks[i], `block ${i}`);
        right++;
      } catch (e) {
        if (e instanceof assert.AssertionError) throw e;
        assert.ok(isH4Error(e) && TRANSPORT.includes(e.code), String(e));
        errors[e.code] = (errors[e.code] ?? 0) + 1;
        if (e.code === "H4_SOURCE_CHANGED") c = null;
      }
    }
  } finally {
    await wire.close();
  }
  console.log(
    `  wire seed 77: ${reads} reads (${right} right), ${opens} opens; answers ${
      JSON.stringify(Object.fromEntries(wire.counts))
    }; errors ${JSON.stringify(errors)}`,
  );
  assert.ok(right > reads / 2);
});
