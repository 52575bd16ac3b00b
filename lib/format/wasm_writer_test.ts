import assert from "node:assert/strict";
import { wasmWriter } from "./wasm_writer.ts";

/** LEB128 by the definition: seven bits at a time, by BigInt. */
function leb(n: bigint, signed: boolean): number[] {
  const out: number[] = [];
  for (;;) {
    const b = Number(BigInt.asUintN(7, n));
    n >>= 7n;
    const done = signed
      ? (n === 0n && (b & 0x40) === 0) || (n === -1n && (b & 0x40) !== 0)
      : n === 0n;
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

const bytes = (write: (w: ReturnType<typeof wasmWriter>) => void) => {
  const w = wasmWriter(64);
  write(w);
  return [...w.finish()];
};

Deno.test("wasm writer: LEB128 of the edges", () => {
  for (const n of [0, 1, 63, 64, 127, 128, 255, 16383, 16384, 2 ** 31 - 1, 2 ** 32 - 1]) {
    assert.deepEqual(bytes((w) => w.uleb(n)), leb(BigInt(n), false), `uleb ${n}`);
  }
  for (const n of [0, 1, -1, 63, 64, -64, -65, 8191, -8192, 2 ** 31 - 1, -(2 ** 31)]) {
    assert.deepEqual(bytes((w) => w.sleb(n)), leb(BigInt(n), true), `sleb ${n}`);
  }
  for (
    const n of [2 ** 32, -(2 ** 40), 2 ** 50 - 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]
  ) {
    assert.deepEqual(bytes((w) => w.sleb(n, true)), leb(BigInt(n), true), `sleb wide ${n}`);
  }
});

Deno.test("wasm writer: float64, names, sections a module accepts, and its capacity", () => {
  assert.deepEqual(bytes((w) => w.f64(1)), [0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
  assert.deepEqual(bytes((w) => w.name("mem")), [3, 0x6d, 0x65, 0x6d]);
  const w = wasmWriter(64);
  w.put(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
  w.section(5, () => w.put(1, 0x00, 1)); // one memory
  w.section(7, () => (w.put(1), w.name("mem"), w.put(0x02, 0)));
  const m = w.finish();
  assert.ok(WebAssembly.validate(m));
  assert.deepEqual(WebAssembly.Module.exports(new WebAssembly.Module(m)), [
    { name: "mem", kind: "memory" },
  ]);
  assert.throws(() => wasmWriter(4).put(1, 2, 3, 4, 5), RangeError);
});
