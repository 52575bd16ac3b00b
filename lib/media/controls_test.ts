import assert from "node:assert/strict";
import fc from "fast-check";
import { isH4Error } from "../format/errors.ts";
import { packContainer } from "../format/writer.ts";
import { openContainer } from "../seek/container.ts";
import {
  CAMERA_MOVES,
  controlBlock,
  type ControlRecord,
  CONTROLS_TRACK,
  decodeControl,
  encodeControl,
  MOTION_CURVES,
  validateControl,
} from "./controls.ts";

const record = fc.record({
  pts_us: fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  camera_path: fc.option(
    fc.record({
      move: fc.constantFrom(...CAMERA_MOVES),
      intensity: fc.double({ min: 0, max: 1, noNaN: true }),
      smooth: fc.boolean(),
    }),
    { nil: undefined },
  ),
  motion_curve: fc.option(
    fc.record({
      curve: fc.constantFrom(...MOTION_CURVES),
      strength: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    { nil: undefined },
  ),
  notes: fc.option(fc.string({ maxLength: 100, unit: "grapheme" }), { nil: undefined }),
}, { requiredKeys: ["pts_us"] }) as fc.Arbitrary<ControlRecord>;

Deno.test("controls: encode/decode round trip, deterministic bytes", () => {
  fc.assert(fc.property(record, (r) => {
    const clean = JSON.parse(JSON.stringify(r));
    const bytes = encodeControl(r);
    assert.deepEqual(decodeControl(bytes), validateControl(clean));
    assert.deepEqual(encodeControl(decodeControl(bytes)), bytes);
  }));
});

Deno.test("controls: bad records are H4_BAD_ARGUMENT naming the field", () => {
  const cases: [unknown, string][] = [
    [null, "control"],
    [{}, "pts_us"],
    [{ pts_us: 1.5 }, "pts_us"],
    [{ pts_us: 0, camera_path: { move: "fly", intensity: 0.5, smooth: true } }, "camera_path.move"],
    [
      { pts_us: 0, camera_path: { move: "pan_left", intensity: 2, smooth: true } },
      "camera_path.intensity",
    ],
    [
      { pts_us: 0, camera_path: { move: "pan_left", intensity: 0.1, smooth: 1 } },
      "camera_path.smooth",
    ],
    [
      { pts_us: 0, camera_path: { move: "pan_left", intensity: 0.1, smooth: true, speed: 3 } },
      "speed",
    ],
    [{ pts_us: 0, motion_curve: { curve: "bounce", strength: 0.1 } }, "motion_curve.curve"],
    [{ pts_us: 0, motion_curve: { curve: "linear", strength: NaN } }, "motion_curve.strength"],
    [{ pts_us: 0, notes: "x".repeat(5000) }, "notes"],
    [{ pts_us: 0, notes: "\ud800" }, "surrogate"],
    [{ pts_us: 0, extra: true }, "extra"],
  ];
  for (const [v, field] of cases) {
    assert.throws(
      () => validateControl(v),
      (e) => isH4Error(e, "H4_BAD_ARGUMENT") && e.message.includes(field),
      field,
    );
  }
  assert.throws(() => decodeControl(new Uint8Array([0xff])), (e) => isH4Error(e, "H4_BAD_UTF8"));
  assert.throws(
    () => decodeControl(new TextEncoder().encode("{")),
    (e) => isH4Error(e, "H4_BAD_JSON"),
  );
  assert.throws(
    () => decodeControl(new TextEncoder().encode("[1]")),
    (e) => isH4Error(e, "H4_BAD_ARGUMENT"),
  );
  assert.throws(
    () => decodeControl(new Uint8Array(70_000)),
    (e) => isH4Error(e, "H4_BAD_ARGUMENT"),
  );
});

Deno.test("controls ride in a container as blocks of the controls track", async () => {
  const recs: ControlRecord[] = [
    { pts_us: 0, camera_path: { move: "dolly_in", intensity: 0.25, smooth: true } },
    {
      pts_us: 2_000_000,
      motion_curve: { curve: "ease_in_out", strength: 0.8 },
      notes: "slow down",
    },
  ];
  const c = await openContainer(await packContainer(recs.map(controlBlock)));
  assert.deepEqual(c.tracks.map((t) => t.track_id), [CONTROLS_TRACK]);
  const s = c.seek(CONTROLS_TRACK, 2_500_000);
  assert.deepEqual(decodeControl(await c.readBlock(s.core_index)), recs[1]);
});
