import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import { bytesSource } from "../format/byte_source.ts";
import { children, topLevelBoxes } from "./mp4_boxes.ts";

Deno.test("topLevelBoxes refuses a box smaller than its header", async () => {
  const bad = new Uint8Array([0, 0, 0, 4, 0x66, 0x72, 0x65, 0x65]);
  await assert.rejects(
    topLevelBoxes(bytesSource(bad)),
    (e) => isH4Error(e, "H4_BAD_ARGUMENT") && /size 4/.test(e.message),
  );
});

Deno.test("children: a child running past its parent is a typed error naming the parent", () => {
  const b = new Uint8Array([0, 0, 0, 16, 0x66, 0x72, 0x65, 0x65, 0, 0, 0, 0]);
  assert.throws(
    () => [...children(b, 0, b.length, "moov")],
    (e) =>
      isH4Error(e, "H4_BAD_ARGUMENT") &&
      /'free' in moov has size 16, 12 bytes left/.test(e.message),
  );
});
