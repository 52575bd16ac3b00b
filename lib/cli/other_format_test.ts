import assert from "node:assert/strict";
import { bytesSource } from "../format/byte_source.ts";
import { otherFormatError } from "./other_format.ts";

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

Deno.test("otherFormatError: the format and the command to use, or nothing for H4MK and unknown", async () => {
  const mp4 = await otherFormatError("x.mp4", bytesSource(enc("\0\0\0\x18ftypisom")), "bad magic");
  assert.equal(mp4?.code, "H4_BAD_MAGIC");
  assert.equal(
    mp4?.message,
    "x.mp4 is not an H4MK container: it is MP4/QuickTime (bad magic); " +
      "to make a container of it: h4mk import x.mp4 -o OUT.h4mk",
  );
  const wav = await otherFormatError("a.wav", bytesSource(enc("RIFF\0\0\0\0WAVEfmt ")));
  assert.match(wav!.message, /it is WAV; .*ffmpeg -i a\.wav -c copy OUT\.mov/);
  const png = await otherFormatError("p.png", bytesSource(enc("\x89PNG\r\n\x1a\n")));
  assert.match(png!.message, /it is PNG; h4mk reads H4MK containers/);
  assert.equal(await otherFormatError("c.h4mk", bytesSource(enc("H4MK\0\x02"))), undefined);
  assert.equal(await otherFormatError("t.txt", bytesSource(enc("just text"))), undefined);
  // A name with control characters is shown escaped, one line.
  const odd = await otherFormatError("a\nb.mp4", bytesSource(enc("\0\0\0\x18ftypisom")));
  assert.ok(!odd!.message.includes("\n"));
});
