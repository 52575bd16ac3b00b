import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { sha256LanesWasm } from "./sha256_lanes_wasm.ts";

Deno.test("sha256LanesWasm: a valid module, the same bytes each time", () => {
  const bytes = sha256LanesWasm(1);
  assert.ok(WebAssembly.validate(bytes));
  assert.deepEqual(sha256LanesWasm(1), bytes);
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(bytes));
  assert.deepEqual(exports.map((e) => `${e.name}:${e.kind}`), ["mem:memory", "run:function"]);
});

Deno.test("sha256LanesWasm: run hashes four lanes of different block counts, one unused", () => {
  const { mem, run } = new WebAssembly.Instance(new WebAssembly.Module(sha256LanesWasm(1)))
    .exports as { mem: WebAssembly.Memory; run: (rec: number, groups: number) => void };
  const u8 = new Uint8Array(mem.buffer), i32 = new Int32Array(mem.buffer);
  // Messages "abc" (1 block), 100 bytes of 7 (2 blocks), 0 bytes (1 block), padded by hand.
  const messages = [
    new TextEncoder().encode("abc"),
    new Uint8Array(100).fill(7),
    new Uint8Array(0),
  ];
  const blockAt = 8192, outAt = 4096, rec = 2048;
  const counts: number[] = [];
  messages.forEach((m, l) => {
    const n = Math.floor(m.length / 64) + ((m.length & 63) < 56 ? 1 : 2);
    const at = blockAt + 256 * l;
    u8.set(m, at);
    u8[at + m.length] = 0x80;
    new DataView(mem.buffer).setUint32(at + 64 * n - 4, m.length * 8);
    counts.push(n);
  });
  i32[rec / 4] = Math.max(...counts);
  for (let l = 0; l < 4; l++) {
    i32[rec / 4 + 4 + l] = counts[l] ?? 0;
    i32[rec / 4 + 8 + l] = outAt + 32 * l;
    for (let b = 0; b < 2; b++) {
      i32[rec / 4 + 12 + 4 * b + l] = l < 3 && b < counts[l] ? blockAt + 256 * l + 64 * b : 0;
    }
  }
  run(rec, 1);
  messages.forEach((m, l) => {
    assert.equal(
      u8.subarray(outAt + 32 * l, outAt + 32 * l + 32).toHex(),
      createHash("sha256").update(m).digest("hex"),
    );
  });
});
