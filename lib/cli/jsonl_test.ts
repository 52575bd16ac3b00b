import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import {
  blockLine,
  decodeBase64,
  encodeBase64,
  parseBlockLine,
  readBlocks,
  readLines,
} from "./jsonl.ts";

function streamOf(...parts: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const p of parts) c.enqueue(typeof p === "string" ? enc.encode(p) : p);
      c.close();
    },
  });
}

Deno.test("readLines splits across chunks, handles CRLF, no final newline and split UTF-8", async () => {
  const e = new TextEncoder().encode("é");
  const lines = await Array.fromAsync(
    readLines(
      streamOf("a\r\nb", "c\n", new Uint8Array([e[0]]), new Uint8Array([e[1], 10]), "\nlast"),
    ),
  );
  assert.deepEqual(lines, [
    { number: 1, text: "a" },
    { number: 2, text: "bc" },
    { number: 3, text: "é" },
    { number: 4, text: "" },
    { number: 5, text: "last" },
  ]);
  await assert.rejects(
    () => Array.fromAsync(readLines(streamOf("ok\n", new Uint8Array([0xff, 10])))),
    (err) => isH4Error(err, "H4_BAD_UTF8") && err.message.startsWith("line 2"),
  );
});

Deno.test("parseBlockLine names the line and the field on every bad input", () => {
  const good = { track_id: "v", pts_us: -5, kind: "B", keyframe: false, payload_b64: "AAE=" };
  const ok = parseBlockLine(JSON.stringify({ ...good, codec: "rle", extra: 1 }), 1);
  assert.deepEqual(ok.block, {
    track_id: "v",
    pts_us: -5,
    kind: "B",
    keyframe: false,
    codec: "rle",
  });
  assert.deepEqual([...ok.payload!], [0, 1]);
  const cases: [unknown, RegExp][] = [
    ["{", /line 7: not valid JSON/],
    [[1], /expected a JSON object/],
    [{ ...good, track_id: 1 }, /track_id must be a string/],
    [{ ...good, pts_us: 1.5 }, /pts_us must be a safe integer/],
    [{ ...good, pts_us: 2 ** 60 }, /pts_us must be a safe integer/],
    [{ ...good, kind: "X" }, /kind must be "I", "P" or "B", got "X"/],
    [{ ...good, keyframe: "yes" }, /keyframe must be true or false/],
    [{ ...good, codec: "zstd" }, /codec must be/],
    [{ ...good, payload_b64: "**" }, /payload_b64 is not standard base64/],
    [{ ...good, payload_file: "x.bin" }, /exactly one of payload_b64 and payload_file/],
    [{ track_id: "v", pts_us: 0, kind: "I", keyframe: true }, /exactly one of/],
    [
      { track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload_file: 3 },
      /payload_file must be a path/,
    ],
  ];
  for (const [input, re] of cases) {
    const text = typeof input === "string" ? input : JSON.stringify(input);
    assert.throws(
      () => parseBlockLine(text, 7),
      (e) => isH4Error(e, "H4_BAD_ARGUMENT") && re.test(e.message),
      text,
    );
  }
});

Deno.test("base64 round trip and strictness", () => {
  const bytes = new Uint8Array(70000).map((_, i) => i * 13);
  assert.deepEqual(decodeBase64(encodeBase64(bytes)), bytes);
  assert.deepEqual([...decodeBase64("AQI")], [1, 2]);
  assert.deepEqual([...decodeBase64("")], []);
  assert.throws(() => decodeBase64("A"));
  assert.throws(() => decodeBase64("AQ I="));
});

Deno.test("readBlocks loads payload files relative to the base dir, skips blank lines", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/p`);
    await Deno.writeFile(`${dir}/p/0.bin`, new Uint8Array([9, 8]));
    const entry = {
      index: 0,
      track_id: "v",
      pts_us: 0,
      kind: "I",
      keyframe: true,
      codec: "none",
      offset: 20,
      stored_length: 2,
      plain_length: 2,
      chunk: 0,
    } as const;
    const text = blockLine(entry, "p/0.bin") + "\n  \n";
    const blocks = await Array.fromAsync(readBlocks(streamOf(text), dir));
    assert.equal(blocks.length, 1);
    assert.deepEqual([...blocks[0].payload], [9, 8]);
    assert.equal(blocks[0].codec, "none");
    assert.equal(blocks[0].line, 1);
    await assert.rejects(
      () => Array.fromAsync(readBlocks(streamOf(blockLine(entry, "p/missing.bin")), dir)),
      (e) =>
        isH4Error(e, "H4_IO") && /line 1: payload_file .*missing\.bin not found/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
