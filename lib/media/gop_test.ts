import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import { gopSchedule } from "./gop.ts";

const kinds = (g: ReturnType<typeof gopSchedule>, n: number) =>
  Array.from({ length: n }, (_, i) => g.kindFor(i)).join("");

Deno.test("gopSchedule: keyframes every gop_size frames, B only when allowed", () => {
  assert.equal(kinds(gopSchedule({ gop_size: 5, allow_b: false }), 11), "IPPPPIPPPPI");
  assert.equal(kinds(gopSchedule({ gop_size: 10, allow_b: true }), 11), "IBBPBBPBBPI");
  assert.equal(kinds(gopSchedule({ gop_size: 1, allow_b: true }), 3), "III");
  assert.equal(kinds(gopSchedule({ gop_size: 2, allow_b: true }), 4), "IPIP");
  const g = gopSchedule({ gop_size: 30, allow_b: true });
  for (let i = 0; i < 300; i++) assert.equal(g.isKeyframe(i), g.kindFor(i) === "I");
});

Deno.test("gopSchedule rejects bad input with H4_BAD_ARGUMENT", () => {
  const bad = (e: unknown) => isH4Error(e, "H4_BAD_ARGUMENT");
  for (
    const o of [
      { gop_size: 0, allow_b: true },
      { gop_size: 1.5, allow_b: true },
      { gop_size: 2 ** 21, allow_b: true },
      { gop_size: 4, allow_b: "yes" },
      null,
    ]
  ) {
    assert.throws(() => gopSchedule(o as never), bad);
  }
  const g = gopSchedule({ gop_size: 4, allow_b: false });
  for (const i of [-1, 0.5, NaN, Infinity]) assert.throws(() => g.kindFor(i), bad);
  assert.throws(() => g.isKeyframe(-3), bad);
});
