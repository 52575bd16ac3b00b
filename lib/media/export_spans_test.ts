// Export through reused windows (`readInto`, as the CLI does) writes payloads that follow each
// other in a window as one view of it: the bytes must be those of the plain path.
import assert from "node:assert/strict";
import { openContainer } from "../seek/container.ts";
import { exportMp4 } from "./export.ts";
import { importMedia } from "./import.ts";
import { fixture, memorySink } from "./testdata/helpers.ts";

for (const name of ["av.mp4", "v_10mhz.mp4", "pcm_sowt.mov", "pcm_lpcm.mov", "a.m4a"]) {
  Deno.test(`export ${name} through windows: the same bytes as without, the sink's writes in order`, async () => {
    const h4 = memorySink();
    await importMedia(fixture(name), h4.sink);
    const bytes = h4.bytes();
    const plain = memorySink();
    await exportMp4(await openContainer(bytes), plain.sink);
    const windowed = memorySink();
    const readInto = (buf: Uint8Array, offset: number) => {
      buf.set(bytes.subarray(offset, offset + buf.length));
      return Promise.resolve();
    };
    let writes = 0;
    const sink = { write: (b: Uint8Array) => (writes++, windowed.sink.write(b)) };
    await exportMp4(await openContainer(bytes), sink, { readInto });
    assert.deepEqual(windowed.bytes(), plain.bytes());
    // These two hold a run of payloads of 64 KiB or more: it goes to the sink on its own.
    if (name === "av.mp4" || name === "pcm_lpcm.mov") assert(writes > 1, `${writes} write(s)`);
  });
}
