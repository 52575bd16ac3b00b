import assert from "node:assert/strict";
import { fileKind } from "./file_kind.ts";

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

Deno.test("fileKind names common formats from their first bytes", () => {
  const cases: [Uint8Array, string | undefined][] = [
    [enc("H4MK\0\x02\0\0"), "H4MK"],
    [enc("\0\0\0\x18ftypisom"), "MP4/QuickTime"],
    [enc("\0\0\0\x14ftypqt  "), "QuickTime MOV"],
    [enc("\0\0\0\x1cftypM4A "), "M4A (MP4 audio)"],
    [enc("\0\0\0\x08wide"), "MP4/QuickTime"],
    [new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0, 0, 0, 0]), "Matroska/WebM"],
    [enc("ID3\x04\0\0\0\0"), "MP3"],
    [new Uint8Array([0xff, 0xfb, 0x90, 0x64]), "MP3"],
    [new Uint8Array([0xff, 0xf1, 0x50, 0x80]), "AAC (ADTS)"],
    [enc("RIFF\0\0\0\0WAVEfmt "), "WAV"],
    [enc("RIFF\0\0\0\0AVI LIST"), "AVI"],
    [enc("OggS\0\x02"), "Ogg"],
    [enc("fLaC\0\0\0\x22"), "FLAC"],
    [enc("\x89PNG\r\n\x1a\n"), "PNG"],
    [enc("hello world!"), undefined],
    [new Uint8Array(0), undefined],
  ];
  for (const [bytes, name] of cases) assert.equal(fileKind(bytes)?.name, name);
  const ts = new Uint8Array(376);
  ts[0] = ts[188] = 0x47;
  assert.equal(fileKind(ts)?.name, "MPEG transport stream");
});
