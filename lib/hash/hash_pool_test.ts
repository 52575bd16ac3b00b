import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { type HashPool, startHashPool } from "./hash_pool.ts";
import { loadNative, native, type NativePrimitives } from "./native.ts";
import { randomBytes, rng } from "./testdata/random.ts";

const hex = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

async function pool(): Promise<HashPool> {
  await loadNative();
  const p = await startHashPool();
  assert.ok(p, "Deno has worker threads and a native SHA-256");
  return p;
}

Deno.test("hash pool: each range's digest, in order, and the buffers back unchanged", async () => {
  const p = await pool();
  try {
    const r = rng(5);
    const sent: { bytes: Uint8Array; ranges: number[] }[] = [];
    const want = new Map<number, string>();
    let id = 0;
    for (let k = 0; k < 12; k++) {
      const bytes = randomBytes(r, 1000 + k * 4099);
      const ranges: number[] = [];
      for (let at = 0; at < bytes.length;) {
        const end = Math.min(bytes.length, at + Math.floor(r() * 3000));
        ranges.push(at, end, id);
        want.set(id++, hex(bytes.subarray(at, end)));
        at = end;
      }
      sent.push({ bytes: bytes.slice(), ranges });
      p.send(bytes.buffer as ArrayBuffer, ranges);
      assert.equal(bytes.length, 0, "the buffer moved to the worker");
    }
    assert.equal(p.inFlight, 12);
    const got: [number, string][] = [];
    const back: ArrayBuffer[] = [];
    while (p.inFlight > 0) {
      await p.wait();
      back.push(...p.poll((i, d) => got.push([i, d.toHex()])));
    }
    assert.deepEqual(got, [...want]);
    assert.deepEqual(back.map((b) => new Uint8Array(b)), sent.map((s) => s.bytes));
    // Nothing owed: wait resolves at once and poll finds nothing.
    await p.wait();
    assert.deepEqual(p.poll(() => assert.fail()), []);
  } finally {
    await p.close();
  }
});

Deno.test("hash pool: poll takes answers without the event loop", async () => {
  // A writer fed synchronously never yields: answers must arrive through poll alone.
  const p = await pool();
  try {
    const n = 4;
    for (let k = 0; k < n; k++) p.send(new Uint8Array(1 << 16).fill(k).buffer, [0, 1 << 16, k]);
    const got: number[] = [];
    // Spin (no await) until every answer is in; bounded so a bug fails instead of hanging.
    const until = Date.now() + 30_000;
    while (got.length < n && Date.now() < until) p.poll((i) => got.push(i));
    assert.deepEqual(got, [0, 1, 2, 3]);
    assert.equal(p.inFlight, 0);
  } finally {
    await p.close();
  }
});

Deno.test("hash pool: pools at once share the worker, each gets its own answers", async () => {
  const [a, b] = [await pool(), await pool()];
  try {
    const got: Record<string, number[]> = { a: [], b: [] };
    for (let k = 0; k < 6; k++) {
      a.send(new Uint8Array(5000).fill(k).buffer, [0, 5000, k]);
      b.send(new Uint8Array(7000).fill(k).buffer, [0, 7000, 100 + k]);
    }
    await a.close(); // closing one leaves the other working
    while (b.inFlight > 0) {
      await b.wait();
      b.poll((i, d) => {
        assert.equal(d.toHex(), hex(new Uint8Array(7000).fill(i - 100)));
        got.b.push(i);
      });
    }
    assert.deepEqual(got.b, [100, 101, 102, 103, 104, 105]);
    const c = await pool(); // a later pool works on the same worker
    c.send(new Uint8Array(3).buffer, [0, 3, 1]);
    while (c.inFlight > 0) {
      await c.wait();
      c.poll((i) => got.a.push(i));
    }
    assert.deepEqual(got.a, [1]);
    await c.close();
  } finally {
    await a.close();
    await b.close();
  }
});

Deno.test("hash pool: none without a native SHA-256 (browsers hash on their thread)", async () => {
  await loadNative();
  const saved: NativePrimitives = { ...native };
  delete native.createSha256;
  try {
    assert.equal(await startHashPool(), undefined);
  } finally {
    Object.assign(native, saved);
  }
});

Deno.test("hash pool: closed, it refuses work; an abandoned pool lets the process exit", async () => {
  const p = await pool();
  await p.close();
  assert.throws(() => p.send(new ArrayBuffer(1), [0, 1, 0]));
  assert.throws(() => p.poll(() => {}));
  // A process that starts a pool, gives it work and never closes it still ends.
  const code = `
    import { startHashPool } from "./lib/hash/hash_pool.ts";
    import { loadNative } from "./lib/hash/native.ts";
    await loadNative();
    const p = await startHashPool();
    p.send(new ArrayBuffer(1 << 20), [0, 1 << 20, 0]);
    console.log(p.inFlight);
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "-"],
    cwd: new URL("../../", import.meta.url),
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const w = out.stdin.getWriter();
  await w.write(new TextEncoder().encode(code));
  await w.close();
  const res = await out.output();
  assert.equal(new TextDecoder().decode(res.stderr), "");
  assert.equal(res.code, 0);
  assert.equal(new TextDecoder().decode(res.stdout).trim(), "1");
});
