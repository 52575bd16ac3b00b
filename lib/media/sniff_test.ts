import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import { bytesSource } from "../format/byte_source.ts";
import { sniffMedia } from "./sniff.ts";

Deno.test("sniffMedia accepts ISO BMFF openings and names the supported inputs otherwise", async () => {
  const box = (t: string) =>
    bytesSource(new Uint8Array([0, 0, 0, 8, ...new TextEncoder().encode(t)]));
  for (const t of ["ftyp", "moov", "mdat", "free", "wide", "styp"]) await sniffMedia(box(t));
  const bad = (re: RegExp) => (e: unknown) =>
    isH4Error(e, "H4_BAD_ARGUMENT") && re.test((e as Error).message);
  await assert.rejects(sniffMedia(box("OggS")), bad(/MP4, M4A, MOV and fragmented MP4/));
  await assert.rejects(
    sniffMedia(bytesSource(new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 1, 2, 3, 4]))),
    bad(/Matroska\/WebM/),
  );
  await assert.rejects(sniffMedia(bytesSource(new Uint8Array(3))), bad(/too short/));
  await assert.rejects(
    sniffMedia(bytesSource(new Uint8Array([0, 0, 0, 8, 1, 2, 3, 4]))),
    bad(/bytes 00 00 00 08 01/),
  );
});
