/**
 * The blocks JSONL format of `h4mk pack` and `h4mk unpack`: one JSON object per line with
 * `track_id`, `pts_us`, `kind` (I, P or B), `keyframe`, the payload as `payload_b64` or
 * `payload_file` (relative to the JSONL file), and an optional `codec`. Lines are read one at a
 * time so memory does not grow with the number of blocks.
 *
 * @module
 */

import { H4Error } from "../format/errors.ts";
import type { BlockEntry, BlockInput, BlockKind, CodecName } from "../format/types.ts";

const KINDS: readonly string[] = ["I", "P", "B"];
const CODECS: readonly string[] = ["none", "deflate", "rle"];

/** One line read from a stream, with its 1-based number. */
export interface NumberedLine {
  /** 1-based line number. */
  number: number;
  /** The line without its end-of-line characters. */
  text: string;
}

/**
 * Splits a byte stream into UTF-8 lines, one at a time (`\n` or `\r\n` endings).
 *
 * @example
 * ```ts
 * import { readLines } from "./jsonl.ts";
 * import assert from "node:assert/strict";
 * const stream = new Blob(["a\nb\r\n"]).stream();
 * const lines = await Array.fromAsync(readLines(stream));
 * assert(lines.length === 2 && lines[1].text === "b");
 * ```
 */
export async function* readLines(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<NumberedLine> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let buffered = "";
  let number = 0;
  const reader = stream.getReader();
  try {
    while (true) {
      const { value, done } = await reader.read();
      let text: string;
      try {
        text = done ? decoder.decode() : decoder.decode(value, { stream: true });
      } catch (e) {
        throw new H4Error("H4_BAD_UTF8", `line ${number + 1}: input is not valid UTF-8`, {
          cause: e,
        });
      }
      buffered += text;
      let start = 0;
      let nl: number;
      while ((nl = buffered.indexOf("\n", start)) >= 0) {
        const end = nl > start && buffered.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        yield { number: ++number, text: buffered.slice(start, end) };
        start = nl + 1;
      }
      buffered = buffered.slice(start);
      if (done) break;
    }
    if (buffered.length > 0) {
      yield { number: ++number, text: buffered.endsWith("\r") ? buffered.slice(0, -1) : buffered };
    }
  } finally {
    reader.releaseLock();
  }
}

function lineError(line: number, message: string, cause?: unknown): H4Error {
  return new H4Error("H4_BAD_ARGUMENT", `line ${line}: ${message}`, { cause });
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  const s = JSON.stringify(value);
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

/**
 * Decodes standard base64 (padded or not) strictly.
 *
 * @example
 * ```ts
 * import { decodeBase64 } from "./jsonl.ts";
 * import assert from "node:assert/strict";
 * assert(decodeBase64("AQI=").length === 2);
 * ```
 */
export function decodeBase64(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || (text.replace(/=+$/, "").length % 4) === 1) {
    throw new TypeError("not standard base64");
  }
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * Encodes bytes as standard padded base64.
 *
 * @example
 * ```ts
 * import { encodeBase64 } from "./jsonl.ts";
 * import assert from "node:assert/strict";
 * assert(encodeBase64(new Uint8Array([1, 2])) === "AQI=");
 * ```
 */
export function encodeBase64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

/** A parsed line before its payload is loaded. */
export interface BlockLine {
  /** Block fields. */
  block: Omit<BlockInput, "payload">;
  /** Payload given inline. */
  payload?: Uint8Array;
  /** Payload file, as written in the line (relative to the JSONL file). */
  payloadFile?: string;
}

/**
 * Parses one JSONL line (without loading a payload file).
 *
 * @example
 * ```ts
 * import { parseBlockLine } from "./jsonl.ts";
 * import assert from "node:assert/strict";
 * const b = parseBlockLine('{"track_id":"v","pts_us":0,"kind":"I","keyframe":true,"payload_b64":"AA=="}', 1);
 * assert(b.block.track_id === "v" && b.payload?.length === 1);
 * ```
 */
export function parseBlockLine(text: string, line: number): BlockLine {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (e) {
    throw lineError(line, `not valid JSON: ${(e as Error).message}`, e);
  }
  if (o === null || typeof o !== "object" || Array.isArray(o)) {
    throw lineError(line, `expected a JSON object, got ${describe(o)}`);
  }
  const r = o as Record<string, unknown>;
  if (typeof r.track_id !== "string") {
    throw lineError(line, `track_id must be a string, got ${describe(r.track_id)}`);
  }
  if (typeof r.pts_us !== "number" || !Number.isSafeInteger(r.pts_us)) {
    throw lineError(line, `pts_us must be a safe integer, got ${describe(r.pts_us)}`);
  }
  if (typeof r.kind !== "string" || !KINDS.includes(r.kind)) {
    throw lineError(line, `kind must be "I", "P" or "B", got ${describe(r.kind)}`);
  }
  if (typeof r.keyframe !== "boolean") {
    throw lineError(line, `keyframe must be true or false, got ${describe(r.keyframe)}`);
  }
  if (r.codec !== undefined && (typeof r.codec !== "string" || !CODECS.includes(r.codec))) {
    throw lineError(line, `codec must be "none", "deflate" or "rle", got ${describe(r.codec)}`);
  }
  const hasB64 = r.payload_b64 !== undefined;
  const hasFile = r.payload_file !== undefined;
  if (hasB64 === hasFile) {
    throw lineError(line, "give exactly one of payload_b64 and payload_file");
  }
  const block: Omit<BlockInput, "payload"> = {
    track_id: r.track_id,
    pts_us: r.pts_us,
    kind: r.kind as BlockKind,
    keyframe: r.keyframe,
  };
  if (r.codec !== undefined) block.codec = r.codec as CodecName;
  if (hasB64) {
    if (typeof r.payload_b64 !== "string") {
      throw lineError(line, `payload_b64 must be a string, got ${describe(r.payload_b64)}`);
    }
    try {
      return { block, payload: decodeBase64(r.payload_b64) };
    } catch (e) {
      throw lineError(line, "payload_b64 is not standard base64", e);
    }
  }
  if (typeof r.payload_file !== "string" || r.payload_file === "") {
    throw lineError(line, `payload_file must be a path, got ${describe(r.payload_file)}`);
  }
  return { block, payloadFile: r.payload_file };
}

/**
 * Reads a JSONL stream as blocks, loading each payload as its line is reached.
 * `baseDir` resolves relative `payload_file` paths. Blank lines are skipped.
 *
 * @example
 * ```ts
 * import { readBlocks } from "./jsonl.ts";
 * import assert from "node:assert/strict";
 * const jsonl = '{"track_id":"v","pts_us":0,"kind":"I","keyframe":true,"payload_b64":"AA=="}\n';
 * const blocks = await Array.fromAsync(readBlocks(new Blob([jsonl]).stream(), "."));
 * assert(blocks.length === 1);
 * ```
 */
export async function* readBlocks(
  stream: ReadableStream<Uint8Array>,
  baseDir: string,
): AsyncGenerator<BlockInput & { line: number }> {
  for await (const { number, text } of readLines(stream)) {
    if (text.trim() === "") continue;
    const parsed = parseBlockLine(text, number);
    let payload = parsed.payload;
    if (payload === undefined) {
      const file = parsed.payloadFile!;
      const path = file.startsWith("/") || /^[A-Za-z]:[\\/]/.test(file)
        ? file
        : `${baseDir}/${file}`;
      try {
        payload = await Deno.readFile(path);
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) {
          throw new H4Error("H4_IO", `line ${number}: payload_file ${path} not found`, {
            cause: e,
          });
        }
        throw e;
      }
    }
    yield { ...parsed.block, payload, line: number };
  }
}

/**
 * The JSONL line `unpack` writes for a block: `pack` reads it back to the same block. The
 * payload is a file name, or the bytes themselves (written as `payload_b64`).
 *
 * @example
 * ```ts
 * import { blockLine } from "./jsonl.ts";
 * import assert from "node:assert/strict";
 * const line = blockLine({ index: 0, track_id: "v", pts_us: 0, kind: "I", keyframe: true,
 *   codec: "none", offset: 20, stored_length: 1, plain_length: 1, chunk: 0 }, "blocks/0.bin");
 * assert(line.startsWith('{"track_id":"v"'));
 * ```
 */
export function blockLine(e: BlockEntry, payload: string | Uint8Array): string {
  return JSON.stringify({
    track_id: e.track_id,
    pts_us: e.pts_us,
    kind: e.kind,
    keyframe: e.keyframe,
    codec: e.codec,
    ...(typeof payload === "string"
      ? { payload_file: payload }
      : { payload_b64: encodeBase64(payload) }),
  }) + "\n";
}
