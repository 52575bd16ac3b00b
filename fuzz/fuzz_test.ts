import assert from "node:assert/strict";
import { parseFuzzArgs, runFuzz } from "./fuzz.ts";
import { exercise } from "./oracle.ts";
import { makeRng, mutate } from "./mutate.ts";
import { freshSeeds } from "./seeds.ts";

Deno.test("fuzz: a short seeded run ends every input in a result or a typed error", async () => {
  const stats = await runFuzz({ seed: 20261125, iterations: 3000, truncateUpTo: 1500, disk: 120 });
  assert.deepEqual(stats.findings, []);
  assert.ok(stats.inputs > 3000);
  assert.ok(stats.rejected > 0 && stats.accepted > 0);
  // The run reaches the deep parsers, not only the framing checks.
  for (const code of ["H4_CRC_MISMATCH", "H4_TRUNCATED", "H4_BAD_LOCATOR"]) {
    assert.ok(stats.codes[code] > 0, `no ${code} seen: ${JSON.stringify(stats.codes)}`);
  }
});

Deno.test("fuzz: mutations are deterministic for a seed", async () => {
  const [seed] = await freshSeeds();
  const a = mutate(seed.bytes, makeRng(7));
  const b = mutate(seed.bytes, makeRng(7));
  assert.equal(a.mutator, b.mutator);
  assert.deepEqual(a.bytes, b.bytes);
});

Deno.test("fuzz: a kilobyte of hostile bytes never makes the reader allocate megabytes", async () => {
  // A chunk claiming 4 GiB, a META of 100,000 nested arrays, counts of millions in tiny tables.
  const inputs: Uint8Array[] = [];
  const head = [0x48, 0x34, 0x4d, 0x4b, 0, 1, 0, 0];
  inputs.push(
    new Uint8Array([...head, 0x43, 0x4f, 0x52, 0x45, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]),
  );
  const deep = new TextEncoder().encode("[".repeat(100_000));
  const crcless = new Uint8Array(8 + 12 + deep.length);
  crcless.set(head);
  crcless.set([0x4d, 0x45, 0x54, 0x41], 8);
  new DataView(crcless.buffer).setUint32(12, deep.length);
  crcless.set(deep, 20);
  inputs.push(crcless);
  for (const input of inputs) {
    const before = Deno.memoryUsage().rss;
    const o = await exercise(input);
    assert.equal(o.kind, "rejected");
    assert.ok(Deno.memoryUsage().rss - before < 64 * 1024 * 1024);
  }
});

Deno.test("fuzz: --help prints the usage and runs nothing; unknown options are refused (issue 16 row 7)", async () => {
  assert.ok("help" in parseFuzzArgs(["--help"]));
  assert.ok("help" in parseFuzzArgs(["--seconds", "5", "-h"]));
  assert.deepEqual(parseFuzzArgs(["--seconds", "5", "--seed", "3"]), {
    options: { seed: 3, seconds: 5, out: "fuzz/findings" },
  });
  assert.ok("error" in parseFuzzArgs(["--bogus"]));
  assert.ok("error" in parseFuzzArgs(["--seconds", "x"]));
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./fuzz.ts", import.meta.url).pathname, "--help"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0);
  assert.match(new TextDecoder().decode(out.stdout), /^usage: deno task fuzz/);
});
