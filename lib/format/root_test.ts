import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { computeRoot, type RootInputs } from "./root.ts";

function reference(prefix: Uint8Array, inputs: RootInputs): string {
  const h = createHash("sha256").update("H4MK-ROOT-1").update(prefix.subarray(0, 32));
  for (const k of ["TRKS", "KSEK", "TDIR", "META", "SAFE"] as const) {
    const p = inputs[k];
    h.update(p ? createHash("sha256").update(p).digest() : new Uint8Array(32));
  }
  return h.digest("hex");
}

Deno.test("root: SHA-256 of the domain, LOCA bytes 0..32 and the five digests", () => {
  const prefix = new Uint8Array(160).map((_, i) => i);
  const inputs: RootInputs = {
    TRKS: Uint8Array.of(1),
    KSEK: Uint8Array.of(2),
    TDIR: Uint8Array.of(3),
    META: new TextEncoder().encode("{}"),
    SAFE: null,
  };
  const root = computeRoot(prefix, inputs);
  assert.equal(root.length, 32);
  assert.equal(root.toHex(), reference(prefix, inputs));
  // Only the first 32 bytes of the LOCA payload count.
  const other = prefix.slice();
  other[40] ^= 1;
  assert.deepEqual(computeRoot(other, inputs), root);
  other[31] ^= 1;
  assert.notDeepEqual(computeRoot(other, inputs), root);
});

Deno.test("root: every covered payload changes it; absent differs from empty", () => {
  const prefix = new Uint8Array(32);
  const base: RootInputs = {
    TRKS: Uint8Array.of(1),
    KSEK: Uint8Array.of(2),
    TDIR: Uint8Array.of(3),
    META: Uint8Array.of(4),
    SAFE: Uint8Array.of(5),
  };
  const root = computeRoot(prefix, base).toHex();
  for (const k of ["TRKS", "KSEK", "TDIR", "META", "SAFE"] as const) {
    assert.notEqual(computeRoot(prefix, { ...base, [k]: Uint8Array.of(9) }).toHex(), root, k);
  }
  // Order matters: swapping two payloads changes the root.
  assert.notEqual(
    computeRoot(prefix, { ...base, TRKS: base.KSEK, KSEK: base.TRKS }).toHex(),
    root,
  );
  const absent = computeRoot(prefix, { ...base, SAFE: null }).toHex();
  const empty = computeRoot(prefix, { ...base, SAFE: new Uint8Array(0) }).toHex();
  assert.notEqual(absent, empty);
  assert.equal(absent, reference(prefix, { ...base, SAFE: null }));
});
