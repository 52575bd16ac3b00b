import assert from "node:assert/strict";
import { bytesSource } from "../format/byte_source.ts";
import { isH4Error } from "../format/errors.ts";
import { openContainer } from "../seek/container.ts";
import { exportMp4 } from "./export.ts";
import { faststart } from "./faststart.ts";
import { importMedia } from "./import.ts";
import { fixture, memorySink, mp4Tracks } from "./testdata/helpers.ts";

function topTypes(b: Uint8Array): string[] {
  const out: string[] = [];
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  for (let at = 0; at < b.length; at += v.getUint32(at)) {
    out.push(String.fromCharCode(...b.subarray(at + 4, at + 8)));
  }
  return out;
}

for (const name of ["av.mp4", "a.m4a", "v.mov"]) {
  Deno.test(`faststart ${name}: moov before mdat, every sample unchanged`, async () => {
    const h4 = memorySink();
    await importMedia(fixture(name), h4.sink);
    const plain = memorySink();
    await exportMp4(await openContainer(h4.bytes()), plain.sink);
    const fast = memorySink();
    await faststart(bytesSource(plain.bytes()), fast.sink);
    const types = topTypes(fast.bytes());
    assert.ok(types.indexOf("moov") < types.indexOf("mdat"), types.join(","));
    assert.equal(fast.bytes().length, plain.bytes().length);
    assert.deepEqual(mp4Tracks(fast.bytes()), mp4Tracks(plain.bytes()));
    // Already fast: copied as it is.
    const again = memorySink();
    await faststart(bytesSource(fast.bytes()), again.sink);
    assert.deepEqual(again.bytes(), fast.bytes());
  });
}

Deno.test("faststart: a file that is not an MP4 is H4_BAD_ARGUMENT", async () => {
  for (const bad of [new Uint8Array([0, 0, 0, 9, 1, 2, 3, 4]), new Uint8Array(5)]) {
    await assert.rejects(
      () => faststart(bytesSource(bad), memorySink().sink),
      (e) => isH4Error(e) && e.code === "H4_BAD_ARGUMENT",
    );
  }
  const noMoov = new Uint8Array([0, 0, 0, 8, 0x6d, 0x64, 0x61, 0x74]);
  await assert.rejects(
    () => faststart(bytesSource(noMoov), memorySink().sink),
    (e) => isH4Error(e) && /no moov/.test(e.message),
  );
});
