var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __esm = (fn, res) => function __init() {
  return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
};
var __commonJS = (cb, mod2) => function __require() {
  return mod2 || (0, cb[__getOwnPropNames(cb)[0]])((mod2 = { exports: {} }).exports, mod2), mod2.exports;
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod2, isNodeMode, target) => (target = mod2 != null ? __create(__getProtoOf(mod2)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  1 ? __defProp(target, "default", { value: mod2, enumerable: true }) : target,
  mod2
));

// lib/format/errors.ts
function isH4Error(e, code) {
  return e instanceof H4Error && (code === void 0 || e.code === code);
}
var H4Error;
var init_errors = __esm({
  "lib/format/errors.ts"() {
    H4Error = class extends Error {
      /** Stable machine-readable code. */
      code;
      /** Byte offset in the container, when known. */
      offset;
      /** Chunk tag, when known. */
      chunk;
      /** SPEC.md rule id, when known. */
      rule;
      /** Makes an error; `message` must be one line. */
      constructor(code, message, detail = {}) {
        super(message.replace(/\s*\n\s*/g, " "), {
          cause: detail.cause
        });
        this.name = "H4Error";
        this.code = code;
        if (detail.offset !== void 0) this.offset = detail.offset;
        if (detail.chunk !== void 0) this.chunk = detail.chunk;
        if (detail.rule !== void 0) this.rule = detail.rule;
      }
    };
  }
});

// lib/format/bytes.ts
function concat(parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
function decodeUtf8(bytes, chunk, offset) {
  try {
    return FATAL_UTF8.decode(bytes);
  } catch {
    throw new H4Error("H4_BAD_UTF8", `${chunk}: invalid UTF-8 in ${bytes.length} bytes`, {
      chunk,
      offset,
      rule: "H4-ENC-005"
    });
  }
}
function encodeUtf8(text) {
  return UTF8.encode(text);
}
function compareCodePoints(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; ) {
    const ca = a.codePointAt(i);
    const cb = b.codePointAt(i);
    if (ca !== cb) return ca - cb;
    i += ca > 65535 ? 2 : 1;
  }
  return a.length - b.length;
}
var MAX_SAFE, ByteReader, ByteWriter, FATAL_UTF8, UTF8;
var init_bytes = __esm({
  "lib/format/bytes.ts"() {
    init_errors();
    MAX_SAFE = Number.MAX_SAFE_INTEGER;
    ByteReader = class {
      bytes;
      code;
      chunk;
      base;
      /** Current position. */
      pos;
      #view;
      /** Reads `bytes`; `code` and `chunk` label errors; `base` is added to reported offsets. */
      constructor(bytes, code, chunk, base = 0) {
        this.bytes = bytes;
        this.code = code;
        this.chunk = chunk;
        this.base = base;
        this.pos = 0;
        this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      }
      /** Bytes left. */
      get remaining() {
        return this.bytes.length - this.pos;
      }
      /** Throws a typed error at the current position. */
      fail(message, code = this.code, rule) {
        throw new H4Error(code, `${this.chunk}: ${message}`, {
          offset: this.base + this.pos,
          chunk: this.chunk,
          rule
        });
      }
      /** Checks that `n` bytes remain. */
      need(n, what) {
        if (n > this.remaining) {
          this.fail(`${what} needs ${n} bytes, ${this.remaining} left`);
        }
      }
      /** Reads a u8. */
      u8(what = "u8") {
        this.need(1, what);
        return this.bytes[this.pos++];
      }
      /** Reads a big-endian u16. */
      u16(what = "u16") {
        this.need(2, what);
        const v = this.#view.getUint16(this.pos);
        this.pos += 2;
        return v;
      }
      /** Reads a big-endian u32. */
      u32(what = "u32") {
        this.need(4, what);
        const v = this.#view.getUint32(this.pos);
        this.pos += 4;
        return v;
      }
      /** Reads a big-endian u64 that must be at most 2^53 - 1 (H4-ENC-004). */
      u64(what = "u64") {
        this.need(8, what);
        const hi = this.#view.getUint32(this.pos);
        const lo = this.#view.getUint32(this.pos + 4);
        if (hi > 2097151) {
          this.fail(`${what} exceeds 2^53-1 (high word 0x${hi.toString(16)})`, "H4_BAD_VARINT", "H4-ENC-004");
        }
        this.pos += 8;
        return hi * 4294967296 + lo;
      }
      /** Reads `n` bytes (a view, not a copy). */
      take(n, what = "bytes") {
        this.need(n, what);
        const out = this.bytes.subarray(this.pos, this.pos + n);
        this.pos += n;
        return out;
      }
      /** Reads a minimal unsigned LEB128 varint of at most 2^53 - 1 (H4-ENC-001). */
      varint(what = "varint") {
        let result = 0;
        let scale = 1;
        const start2 = this.pos;
        for (let i = 0; ; i++) {
          if (this.pos >= this.bytes.length) {
            this.pos = start2;
            this.fail(`${what} runs past the end`, "H4_BAD_VARINT", "H4-ENC-001");
          }
          const b = this.bytes[this.pos++];
          result += (b & 127) * scale;
          if ((b & 128) === 0) {
            if (b === 0 && i > 0) {
              this.pos = start2;
              this.fail(`${what} is not minimal`, "H4_BAD_VARINT", "H4-ENC-001");
            }
            if (result > MAX_SAFE) {
              this.pos = start2;
              this.fail(`${what} exceeds 2^53-1`, "H4_BAD_VARINT", "H4-ENC-001");
            }
            return result;
          }
          scale *= 128;
          if (i >= 7) {
            this.pos = start2;
            this.fail(`${what} is longer than 8 bytes`, "H4_BAD_VARINT", "H4-ENC-001");
          }
        }
      }
      /** Reads a zigzag svarint (H4-ENC-003). */
      svarint(what = "svarint") {
        const z = this.varint(what);
        return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      }
      /** Throws unless every byte was consumed. */
      end(what = "table") {
        if (this.remaining !== 0) this.fail(`${this.remaining} bytes left after the ${what}`);
      }
    };
    ByteWriter = class {
      #buf;
      #view;
      #len = 0;
      /** Starts with `capacity` bytes of room. */
      constructor(capacity = 256) {
        this.#buf = new Uint8Array(capacity);
        this.#view = new DataView(this.#buf.buffer);
      }
      /** Bytes written so far. */
      get length() {
        return this.#len;
      }
      #room(n) {
        if (this.#len + n <= this.#buf.length) return;
        let cap = this.#buf.length * 2;
        while (cap < this.#len + n) cap *= 2;
        const next = new Uint8Array(cap);
        next.set(this.#buf.subarray(0, this.#len));
        this.#buf = next;
        this.#view = new DataView(next.buffer);
      }
      /** Writes a u8. */
      u8(v) {
        this.#room(1);
        this.#buf[this.#len++] = v;
      }
      /** Writes a big-endian u16. */
      u16(v) {
        this.#room(2);
        this.#view.setUint16(this.#len, v);
        this.#len += 2;
      }
      /** Writes a big-endian u32. */
      u32(v) {
        this.#room(4);
        this.#view.setUint32(this.#len, v);
        this.#len += 4;
      }
      /** Writes a big-endian u64 from a safe integer. */
      u64(v) {
        this.#room(8);
        this.#view.setUint32(this.#len, Math.floor(v / 4294967296));
        this.#view.setUint32(this.#len + 4, v >>> 0);
        this.#len += 8;
      }
      /** Writes bytes. */
      bytes(b) {
        this.#room(b.length);
        this.#buf.set(b, this.#len);
        this.#len += b.length;
      }
      /** Writes a minimal unsigned LEB128 varint. */
      varint(v) {
        this.#room(8);
        while (v >= 128) {
          this.#buf[this.#len++] = v % 128 | 128;
          v = Math.floor(v / 128);
        }
        this.#buf[this.#len++] = v;
      }
      /** Writes a zigzag svarint. */
      svarint(v) {
        this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
      }
      /** The bytes written (a copy sized exactly). */
      finish() {
        return this.#buf.slice(0, this.#len);
      }
    };
    FATAL_UTF8 = new TextDecoder("utf-8", {
      fatal: true,
      ignoreBOM: true
    });
    UTF8 = new TextEncoder();
  }
});

// lib/format/constants.ts
var MAGIC, HEADER_LENGTH, VERSION_V1, VERSION_V2, CHUNK_HEADER_LENGTH, FIRST_BLOCK_OFFSET, LOCA_PAYLOAD_LENGTH, LOCA_CHUNK_LENGTH, LOCATOR_VERSION, LOCA_FLAG_ENCRYPTED, LOCA_SLOTS, ROOT_DOMAIN, VERI_DOMAIN, SEGMENT_KEYFRAME_BOUND, SEGMENT_TARGET, DEFAULT_TAIL_PROBE, CIPHER_OVERHEAD, LIMITS, CODEC_IDS, CODEC_NAMES, KIND_IDS, KIND_NAMES;
var init_constants = __esm({
  "lib/format/constants.ts"() {
    MAGIC = new Uint8Array([
      72,
      52,
      77,
      75
    ]);
    HEADER_LENGTH = 8;
    VERSION_V1 = 1;
    VERSION_V2 = 2;
    CHUNK_HEADER_LENGTH = 12;
    FIRST_BLOCK_OFFSET = HEADER_LENGTH + CHUNK_HEADER_LENGTH;
    LOCA_PAYLOAD_LENGTH = 160;
    LOCA_CHUNK_LENGTH = CHUNK_HEADER_LENGTH + LOCA_PAYLOAD_LENGTH;
    LOCATOR_VERSION = 1;
    LOCA_FLAG_ENCRYPTED = 1;
    LOCA_SLOTS = [
      "BIDX",
      "BHSH",
      "KSEK",
      "TDIR",
      "TRKS",
      "META",
      "SAFE",
      "LIVC"
    ];
    ROOT_DOMAIN = "H4MK-ROOT-1";
    VERI_DOMAIN = "H4MK-VERI-2";
    SEGMENT_KEYFRAME_BOUND = 64 * 1024;
    SEGMENT_TARGET = 256 * 1024;
    DEFAULT_TAIL_PROBE = 64 * 1024;
    CIPHER_OVERHEAD = 16;
    LIMITS = {
      tracks: 65535,
      trackIdBytes: 255,
      blocks: 4294967295,
      blockBytes: 2 ** 30,
      segmentBytes: 16 * 1024 * 1024,
      jsonBytes: 16 * 1024 * 1024,
      jsonDepth: 64,
      pageBytes: 1024 * 1024,
      perPage: 65536,
      /** Largest |pts_us|: keeps every delta-of-delta residual a safe integer (about 35 years). */
      ptsAbs: 2 ** 50 - 1
    };
    CODEC_IDS = {
      none: 0,
      deflate: 1,
      rle: 2
    };
    CODEC_NAMES = [
      "none",
      "deflate",
      "rle"
    ];
    KIND_IDS = {
      I: 0,
      P: 1,
      B: 2
    };
    KIND_NAMES = [
      "I",
      "P",
      "B"
    ];
  }
});

// lib/web/node_stub.js
var require_node_stub = __commonJS({
  "lib/web/node_stub.js"() {
    throw new Error("no node: built-ins in a browser");
  }
});

// lib/hash/native.ts
function loadNative() {
  return loading ??= (async () => {
    try {
      const crypto2 = await Promise.resolve().then(() => __toESM(require_node_stub()));
      if (typeof crypto2.createHash === "function") {
        native.createSha256 = () => crypto2.createHash("sha256");
      }
    } catch {
    }
    try {
      const zlib = await Promise.resolve().then(() => __toESM(require_node_stub()));
      if (typeof zlib.crc32 === "function") native.crc32 = zlib.crc32;
      if (typeof zlib.inflateSync === "function") {
        native.inflateSync = zlib.inflateSync;
      }
    } catch {
    }
  })();
}
var native, loading;
var init_native = __esm({
  "lib/hash/native.ts"() {
    native = {};
  }
});

// lib/hash/crc32.ts
function tables() {
  if (T) return T;
  T = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 3988292384 ^ c >>> 1 : c >>> 1;
    T[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++) {
      const prev = T[(k - 1) * 256 + n];
      T[k * 256 + n] = prev >>> 8 ^ T[prev & 255];
    }
  }
  return T;
}
function crc32Portable(bytes, seed = 0) {
  const t = tables();
  let c = ~seed;
  let i = 0;
  const end8 = bytes.length - (bytes.length & 7);
  for (; i < end8; i += 8) {
    c ^= bytes[i] | bytes[i + 1] << 8 | bytes[i + 2] << 16 | bytes[i + 3] << 24;
    c = t[1792 + (c & 255)] ^ t[1536 + (c >>> 8 & 255)] ^ t[1280 + (c >>> 16 & 255)] ^ t[1024 + (c >>> 24)] ^ t[768 + bytes[i + 4]] ^ t[512 + bytes[i + 5]] ^ t[256 + bytes[i + 6]] ^ t[bytes[i + 7]];
  }
  for (; i < bytes.length; i++) c = t[(c ^ bytes[i]) & 255] ^ c >>> 8;
  return ~c >>> 0;
}
function crc32(bytes, seed = 0) {
  return native.crc32 ? native.crc32(bytes, seed) >>> 0 : crc32Portable(bytes, seed);
}
var T;
var init_crc32 = __esm({
  "lib/hash/crc32.ts"() {
    init_native();
  }
});

// lib/format/chunk.ts
function parseChunkHeader(bytes, offset, fileSize) {
  if (bytes.length < CHUNK_HEADER_LENGTH) {
    throw new H4Error("H4_TRUNCATED", `chunk header at ${offset} has ${bytes.length} of 12 bytes`, {
      offset,
      rule: "H4-FMT-012"
    });
  }
  let tag = "";
  for (let i = 0; i < 4; i++) {
    const b = bytes[i];
    if (b < 32 || b > 126) {
      throw new H4Error("H4_BAD_CHUNK", `chunk at ${offset} has tag byte 0x${b.toString(16)}`, {
        offset,
        rule: "H4-FMT-014"
      });
    }
    tag += String.fromCharCode(b);
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, CHUNK_HEADER_LENGTH);
  const length = v.getUint32(4);
  const crc = v.getUint32(8);
  const end2 = offset + CHUNK_HEADER_LENGTH + length;
  if (end2 > fileSize) {
    throw new H4Error("H4_CHUNK_OVERRUN", `${tag} at ${offset} claims ${length} bytes, only ${Math.max(0, fileSize - offset - 12)} remain`, {
      offset,
      chunk: tag,
      rule: "H4-FMT-010"
    });
  }
  return {
    offset,
    tag,
    length,
    crc
  };
}
function checkChunkCrc(header, payload) {
  const got = crc32(payload);
  if (got !== header.crc) {
    throw new H4Error("H4_CRC_MISMATCH", `${header.tag} at ${header.offset}: CRC 0x${got.toString(16).padStart(8, "0")}, header says 0x${header.crc.toString(16).padStart(8, "0")}`, {
      offset: header.offset,
      chunk: header.tag,
      rule: "H4-FMT-011"
    });
  }
}
function checkChunkHeaderRoom(size, offset) {
  if (size - offset < CHUNK_HEADER_LENGTH) {
    throw new H4Error("H4_TRUNCATED", `${size - offset} trailing bytes at ${offset} cannot hold a chunk header`, {
      offset,
      rule: "H4-FMT-012"
    });
  }
}
var init_chunk = __esm({
  "lib/format/chunk.ts"() {
    init_constants();
    init_crc32();
    init_errors();
  }
});

// lib/format/rle.ts
function rleDecode(stored, plainLength) {
  const fail2 = (m) => {
    throw new H4Error("H4_CODEC_ERROR", `rle: ${m}`, {
      rule: "H4-COD-002"
    });
  };
  if (stored.length % 2 !== 0) fail2(`odd stored length ${stored.length}`);
  if (plainLength > stored.length / 2 * 255) {
    fail2(`${stored.length} stored bytes cannot decode to ${plainLength}`);
  }
  const out = new Uint8Array(plainLength);
  let o = 0;
  for (let i = 0; i < stored.length; i += 2) {
    const run = stored[i + 1];
    if (run === 0) fail2(`run of 0 at byte ${i + 1}`);
    if (o + run > plainLength) fail2(`output exceeds plain length ${plainLength}`);
    out.fill(stored[i], o, o + run);
    o += run;
  }
  if (o !== plainLength) fail2(`decoded ${o} bytes, plain length is ${plainLength}`);
  return out;
}
var init_rle = __esm({
  "lib/format/rle.ts"() {
    init_errors();
  }
});

// lib/format/deflate.ts
var deflate_exports = {};
__export(deflate_exports, {
  deflateDecode: () => deflateDecode,
  deflateEncode: () => deflateEncode
});
async function pipe(data, ts, limit, piece) {
  const writer = ts.writable.getWriter();
  const reader = ts.readable.getReader();
  let stop = false;
  const feeding = (async () => {
    for (let o = 0; o < data.length && !stop; o += piece) {
      await writer.write(data.slice(o, o + piece));
    }
    if (!stop) await writer.close();
  })();
  feeding.catch(() => {
  });
  const parts = [];
  let n = 0;
  try {
    for (; ; ) {
      const { value, done } = await reader.read();
      if (done) break;
      n += value.length;
      if (n > limit) throw codecError(`output exceeds plain length ${limit}`);
      parts.push(value);
    }
    await feeding;
  } catch (e) {
    stop = true;
    await reader.cancel().catch(() => {
    });
    await writer.abort().catch(() => {
    });
    throw e;
  }
  return concat(parts);
}
function deflateEncode(data) {
  return pipe(data, new CompressionStream("deflate"), Number.MAX_SAFE_INTEGER, Math.max(1, data.length));
}
async function deflateDecode(stored, plainLength) {
  let out;
  const inflateSync = native.inflateSync;
  if (inflateSync) {
    let r;
    try {
      r = inflateSync(stored, {
        maxOutputLength: plainLength + 1,
        info: true
      });
    } catch (e) {
      const msg = String(e?.message ?? e).split("\n")[0];
      throw e instanceof RangeError ? codecError(`output exceeds plain length ${plainLength}`, e) : codecError(`malformed zlib stream (${msg})`, e);
    }
    if (r.engine.bytesWritten !== stored.length) {
      throw codecError(`${stored.length - r.engine.bytesWritten} bytes after the end of the zlib stream`);
    }
    out = new Uint8Array(r.buffer.buffer, r.buffer.byteOffset, r.buffer.length);
  } else {
    if (stored.length === 0) throw codecError("empty input is not a zlib stream");
    try {
      out = await pipe(stored, new DecompressionStream("deflate"), plainLength, PIECE);
    } catch (e) {
      if (e instanceof H4Error) throw e;
      const msg = String(e?.message ?? e).split("\n")[0];
      throw codecError(`malformed zlib stream (${msg})`, e);
    }
  }
  if (out.length !== plainLength) {
    throw codecError(`decoded ${out.length} bytes, plain length is ${plainLength}`);
  }
  return out;
}
var codecError, PIECE;
var init_deflate = __esm({
  "lib/format/deflate.ts"() {
    init_bytes();
    init_errors();
    init_native();
    codecError = (message, cause) => new H4Error("H4_CODEC_ERROR", `deflate: ${message}`, {
      rule: "H4-COD-002",
      cause
    });
    PIECE = 1024;
  }
});

// lib/format/codec.ts
function codecName(id, offset, chunk) {
  const name = CODEC_NAMES[id];
  if (name === void 0) {
    throw new H4Error("H4_UNKNOWN_CODEC", `codec id ${id} is not none (0), deflate (1) or rle (2)`, {
      offset,
      chunk,
      rule: "H4-COD-001"
    });
  }
  return name;
}
async function decodePayload(codec, stored, plainLength) {
  if (codec === "none") {
    if (stored.length !== plainLength) {
      throw new H4Error("H4_CODEC_ERROR", `none: ${stored.length} bytes, plain length is ${plainLength}`, {
        rule: "H4-COD-002"
      });
    }
    return stored;
  }
  if (codec === "rle") return rleDecode(stored, plainLength);
  return await (await loadDeflate()).deflateDecode(stored, plainLength);
}
var deflate, loadDeflate;
var init_codec = __esm({
  "lib/format/codec.ts"() {
    init_constants();
    init_errors();
    init_rle();
    loadDeflate = () => deflate ??= Promise.resolve().then(() => (init_deflate(), deflate_exports));
  }
});

// lib/format/index_columns.ts
function allocColumns(capacity) {
  return {
    count: 0,
    track: new Uint16Array(capacity),
    pts: new Float64Array(capacity),
    kind: new Uint8Array(capacity),
    keyframe: new Uint8Array(capacity),
    codec: new Uint8Array(capacity),
    newChunk: new Uint8Array(capacity),
    offset: new Float64Array(capacity),
    stored: new Uint32Array(capacity),
    plain: new Uint32Array(capacity),
    chunk: new Uint32Array(capacity)
  };
}
var init_index_columns = __esm({
  "lib/format/index_columns.ts"() {
  }
});

// lib/format/trks.ts
function trackIdBytes(id) {
  if (typeof id !== "string") {
    throw new H4Error("H4_BAD_ARGUMENT", `track_id must be a string, got ${typeof id}`);
  }
  if (id.isWellFormed && !id.isWellFormed()) {
    throw new H4Error("H4_BAD_ARGUMENT", `track_id ${JSON.stringify(id)} has a lone surrogate`);
  }
  const b = encodeUtf8(id);
  if (b.length < 1 || b.length > LIMITS.trackIdBytes) {
    throw new H4Error("H4_BAD_ARGUMENT", `track_id must be 1 to 255 bytes of UTF-8, got ${b.length}`);
  }
  return b;
}
function decodeTrks(payload, base = 0) {
  const r = new ByteReader(payload, "H4_BAD_TRACKS", "TRKS", base);
  const n = r.u32("track_count");
  if (n > LIMITS.tracks) {
    r.fail(`track_count ${n} exceeds ${LIMITS.tracks}`, "H4_LIMIT_EXCEEDED", "H4-LIM-001");
  }
  if (n * 21 > r.remaining) {
    r.fail(`track_count ${n} needs at least ${n * 21} bytes, ${r.remaining} left`);
  }
  const out = [];
  let prev;
  for (let i = 0; i < n; i++) {
    const len = r.u16("id_length");
    if (len < 1 || len > LIMITS.trackIdBytes) {
      r.fail(`track ${i}: id_length ${len} not in 1..255`, "H4_BAD_TRACKS", "H4-TRK-001");
    }
    const id = decodeUtf8(r.take(len, "id"), "TRKS", base + r.pos);
    if (prev !== void 0 && compareCodePoints(prev, id) >= 0) {
      r.fail(`track ids not in strictly increasing code point order: ${JSON.stringify(prev)} then ${JSON.stringify(id)}`, "H4_BAD_TRACKS", "H4-TRK-001");
    }
    const codec = codecName(r.u8("codec"), base + r.pos, "TRKS");
    r.u8("flags");
    const blocks = r.u64("blocks");
    const keyframes = r.u64("keyframes");
    if (keyframes > blocks) {
      r.fail(`track ${JSON.stringify(id)}: ${keyframes} keyframes > ${blocks} blocks`, "H4_BAD_TRACKS", "H4-TRK-001");
    }
    out.push({
      track_id: id,
      codec,
      blocks,
      keyframes
    });
    prev = id;
  }
  r.end("tracks");
  return out;
}
var init_trks = __esm({
  "lib/format/trks.ts"() {
    init_bytes();
    init_codec();
    init_constants();
    init_errors();
  }
});

// lib/format/meta.ts
function jsonDepth(text) {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}
function decodeJsonDoc(bytes, chunk, offset) {
  if (bytes.length > LIMITS.jsonBytes) {
    throw new H4Error("H4_LIMIT_EXCEEDED", `${chunk} of ${bytes.length} bytes exceeds ${LIMITS.jsonBytes}`, {
      chunk,
      offset,
      rule: "H4-LIM-001"
    });
  }
  const text = decodeUtf8(bytes, chunk, offset);
  const depth = jsonDepth(text);
  if (depth > LIMITS.jsonDepth) {
    throw new H4Error("H4_BAD_JSON", `${chunk} nests ${depth} levels, the limit is ${LIMITS.jsonDepth}`, {
      chunk,
      offset,
      rule: "H4-MET-001"
    });
  }
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new H4Error("H4_BAD_JSON", `${chunk} is not valid JSON (${e.message.split("\n")[0]})`, {
      chunk,
      offset,
      rule: "H4-MET-001"
    });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new H4Error("H4_BAD_JSON", `${chunk} must be a JSON object, got ${Array.isArray(value) ? "an array" : value === null ? "null" : typeof value}`, {
      chunk,
      offset,
      rule: "H4-MET-001"
    });
  }
  return value;
}
var init_meta = __esm({
  "lib/format/meta.ts"() {
    init_bytes();
    init_constants();
    init_errors();
  }
});

// npm:@noble/hashes/2.4.0/_u64.js
function fromBig(n, le = false) {
  if (le) return {
    h: Number(n & U32_MASK64),
    l: Number(n >> _32n & U32_MASK64)
  };
  return {
    h: Number(n >> _32n & U32_MASK64) | 0,
    l: Number(n & U32_MASK64) | 0
  };
}
function split(lst, le = false) {
  const len = lst.length;
  let Ah = new Uint32Array(len);
  let Al = new Uint32Array(len);
  for (let i = 0; i < len; i++) {
    const { h, l } = fromBig(lst[i], le);
    [Ah[i], Al[i]] = [
      h,
      l
    ];
  }
  return [
    Ah,
    Al
  ];
}
function setU64FromNum(view, byteOffset, n, isLE2) {
  const h = fromNumH(n);
  const l = fromNumL(n);
  view.setUint32(byteOffset, isLE2 ? l : h, isLE2);
  view.setUint32(byteOffset + 4, isLE2 ? h : l, isLE2);
}
function add(Ah, Al, Bh, Bl) {
  const l = (Al >>> 0) + (Bl >>> 0);
  return {
    h: Ah + Bh + (l / 2 ** 32 | 0) | 0,
    l: l | 0
  };
}
var U32_MASK64, _32n, fromNumH, fromNumL, shrSH, shrSL, rotrSH, rotrSL, rotrBH, rotrBL, add3L, add3H, add4L, add4H, add5L, add5H;
var init_u64 = __esm({
  "npm:@noble/hashes/2.4.0/_u64.js"() {
    U32_MASK64 = /* @__PURE__ */ (() => BigInt(2 ** 32 - 1))();
    _32n = /* @__PURE__ */ BigInt(32);
    fromNumH = (n) => n / 2 ** 32 | 0;
    fromNumL = (n) => n >>> 0;
    shrSH = (h, _l, s) => h >>> s;
    shrSL = (h, l, s) => h << 32 - s | l >>> s;
    rotrSH = (h, l, s) => h >>> s | l << 32 - s;
    rotrSL = (h, l, s) => h << 32 - s | l >>> s;
    rotrBH = (h, l, s) => h << 64 - s | l >>> s - 32;
    rotrBL = (h, l, s) => h >>> s - 32 | l << 64 - s;
    add3L = (Al, Bl, Cl) => (Al >>> 0) + (Bl >>> 0) + (Cl >>> 0);
    add3H = (low, Ah, Bh, Ch) => Ah + Bh + Ch + (low / 2 ** 32 | 0) | 0;
    add4L = (Al, Bl, Cl, Dl) => (Al >>> 0) + (Bl >>> 0) + (Cl >>> 0) + (Dl >>> 0);
    add4H = (low, Ah, Bh, Ch, Dh) => Ah + Bh + Ch + Dh + (low / 2 ** 32 | 0) | 0;
    add5L = (Al, Bl, Cl, Dl, El) => (Al >>> 0) + (Bl >>> 0) + (Cl >>> 0) + (Dl >>> 0) + (El >>> 0);
    add5H = (low, Ah, Bh, Ch, Dh, Eh) => Ah + Bh + Ch + Dh + Eh + (low / 2 ** 32 | 0) | 0;
  }
});

// npm:@noble/hashes/2.4.0/utils.js
function isBytes(a) {
  return a instanceof Uint8Array || ArrayBuffer.isView(a) && a.constructor.name === "Uint8Array" && "BYTES_PER_ELEMENT" in a && a.BYTES_PER_ELEMENT === 1;
}
function anumber(n, title = "") {
  if (typeof n !== "number") throw new TypeError(atitle(title) + "expected number, got " + typeof n);
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(atitle(title) + "expected integer >= 0, got " + n);
  return n;
}
function abytes(value, length, title = "") {
  if (isBytes(value) && (length === void 0 || value.length === length)) return value;
  if (length !== void 0) anumber(length, "length");
  const bytes = isBytes(value);
  const ofLen = length !== void 0 ? ` of length ${length}` : "";
  const got = bytes ? `length=${value.length}` : `type=${typeof value}`;
  const message = atitle(title) + "expected Uint8Array" + ofLen + ", got " + got;
  if (!bytes) throw new TypeError(message);
  throw new RangeError(message);
}
function ahash(h) {
  if (typeof h !== "function" || typeof h.create !== "function") throw new TypeError("expected hash wrapped by utils.createHasher");
  anumber(h.outputLen);
  anumber(h.blockLen);
  if (h.outputLen < 1 || h.blockLen < 1) throw new Error("hash blockLen / outputLen must be >= 1");
}
function aexists(instance, checkFinished = true) {
  if (instance.destroyed) throw new Error("hash was destroyed");
  if (checkFinished && instance.finished) throw new Error("digest() was already called");
}
function aoutput(out, instance) {
  abytes(out, void 0, "output");
  const min = instance.outputLen;
  if (!(out.length >= min)) {
    throw new RangeError('"output" expected length >= ' + min);
  }
}
function clean(...arrays) {
  for (let i = 0; i < arrays.length; i++) {
    arrays[i].fill(0);
  }
}
function createView(arr) {
  return new DataView(arr.buffer, arr.byteOffset, arr.byteLength);
}
function rotr(word, shift) {
  return word << 32 - shift | word >>> shift;
}
function bytesToHex(bytes) {
  abytes(bytes);
  if (hasHexBuiltin) return bytes.toHex();
  let hex = "";
  for (let i = 0; i < bytes.length; i++) {
    hex += hexes[bytes[i]];
  }
  return hex;
}
function asciiToBase16(ch) {
  return ch >= 48 && ch <= 57 ? ch - 48 : ch >= 65 && ch <= 70 ? ch - (65 - 10) : ch >= 97 && ch <= 102 ? ch - (97 - 10) : void 0;
}
function hexToBytes(hex) {
  if (typeof hex !== "string") throw new TypeError("hex string expected, got " + typeof hex);
  if (hasHexBuiltin) {
    try {
      return Uint8Array.fromHex(hex);
    } catch (error) {
      if (error instanceof SyntaxError) throw new RangeError(error.message);
      throw error;
    }
  }
  const hl = hex.length;
  const al = hl / 2;
  if (hl % 2) throw new RangeError("hex string expected, got unpadded hex of length " + hl);
  const array = new Uint8Array(al);
  for (let ai = 0, hi = 0; ai < al; ai++, hi += 2) {
    const n1 = asciiToBase16(hex.charCodeAt(hi));
    const n2 = asciiToBase16(hex.charCodeAt(hi + 1));
    if (n1 === void 0 || n2 === void 0) {
      const char = hex[hi] + hex[hi + 1];
      throw new RangeError('hex string expected, got non-hex character "' + char + '" at index ' + hi);
    }
    array[ai] = n1 * 16 + n2;
  }
  return array;
}
function utf8ToBytes(str2) {
  if (typeof str2 !== "string") throw new TypeError("string expected");
  const encoded = new TextEncoder().encode(str2);
  try {
    return new Uint8Array(encoded);
  } finally {
    clean(encoded);
  }
}
function concatBytes(...arrays) {
  let sum = 0;
  for (let i = 0; i < arrays.length; i++) {
    const a = arrays[i];
    abytes(a);
    sum += a.length;
  }
  const res = new Uint8Array(sum);
  for (let i = 0, pad = 0; i < arrays.length; i++) {
    const a = arrays[i];
    res.set(a, pad);
    pad += a.length;
  }
  return res;
}
function checkOpts(defaults, opts, title = "opts") {
  aopts(defaults, "defaults");
  if (opts !== void 0) aopts(opts, title);
  const merged = Object.assign(/* @__PURE__ */ Object.create(null), defaults, opts);
  return merged;
}
function createHasher(hashCons, info = {}) {
  if (typeof hashCons !== "function") throw new TypeError('"hashCons" expected function, got type=' + typeof hashCons);
  info = checkOpts({}, info, "info");
  const hashC = (msg, opts) => hashCons(opts).update(msg).digest();
  const tmp = hashCons(void 0);
  hashC.outputLen = tmp.outputLen;
  hashC.blockLen = tmp.blockLen;
  hashC.canXOF = tmp.canXOF;
  hashC.create = (opts) => hashCons(opts);
  Object.assign(hashC, info);
  return Object.freeze(hashC);
}
function randomBytes(bytesLength = 32) {
  anumber(bytesLength, "bytesLength");
  const cr = typeof globalThis === "object" ? globalThis.crypto : null;
  if (typeof cr?.getRandomValues !== "function") throw new Error("crypto.getRandomValues must be defined");
  if (bytesLength > 65536) throw new RangeError(`"bytesLength" expected <= 65536, got ${bytesLength}`);
  return cr.getRandomValues(new Uint8Array(bytesLength));
}
var atitle, aobject, aopts, hasHexBuiltin, hexes, oidNist;
var init_utils = __esm({
  "npm:@noble/hashes/2.4.0/utils.js"() {
    atitle = (title) => title ? `"${title}" ` : "";
    aobject = (value, label) => {
      if (value === null || typeof value !== "object" || Array.isArray(value)) throw new TypeError((label === "object" ? "" : `"${label}" `) + "expected object, got type=" + typeof value);
    };
    aopts = (value, label) => {
      aobject(value, label);
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw new TypeError(`"${label}" expected plain object`);
      if (Object.hasOwn(value, "__proto__")) throw new TypeError(`"${label}.__proto__" is not allowed`);
    };
    hasHexBuiltin = /* @__PURE__ */ (() => (
      // @ts-ignore
      typeof Uint8Array.from([]).toHex === "function" && typeof Uint8Array.fromHex === "function"
    ))();
    hexes = /* @__PURE__ */ Array.from({
      length: 256
    }, (_, i) => i.toString(16).padStart(2, "0"));
    oidNist = (suffix) => ({
      // Current NIST hashAlgs suffixes used here fit in one DER subidentifier octet.
      // Larger suffix values would need base-128 OID encoding and a different length byte.
      oid: Uint8Array.from([
        6,
        9,
        96,
        134,
        72,
        1,
        101,
        3,
        4,
        2,
        suffix
      ])
    });
  }
});

// npm:@noble/hashes/2.4.0/_md.js
function Chi(a, b, c) {
  return a & b ^ ~a & c;
}
function Maj(a, b, c) {
  return a & b ^ a & c ^ b & c;
}
var HashMD, SHA256_IV, SHA512_IV;
var init_md = __esm({
  "npm:@noble/hashes/2.4.0/_md.js"() {
    init_u64();
    init_utils();
    HashMD = class {
      blockLen;
      outputLen;
      canXOF = false;
      padOffset;
      isLE;
      // For partial updates less than block size
      buffer;
      view;
      finished = false;
      length = 0;
      pos = 0;
      destroyed = false;
      constructor(blockLen, outputLen, padOffset, isLE2) {
        this.blockLen = blockLen;
        this.outputLen = outputLen;
        this.padOffset = padOffset;
        this.isLE = isLE2;
        this.buffer = new Uint8Array(blockLen);
        this.view = createView(this.buffer);
      }
      update(data) {
        aexists(this);
        abytes(data);
        const { view, buffer, blockLen } = this;
        const len = data.length;
        let processed = false;
        for (let pos = 0; pos < len; ) {
          const take = Math.min(blockLen - this.pos, len - pos);
          if (take === blockLen) {
            const dataView = createView(data);
            for (; blockLen <= len - pos; pos += blockLen) this.process(dataView, pos);
            processed = true;
            continue;
          }
          buffer.set(pos === 0 && take === len ? data : data.subarray(pos, pos + take), this.pos);
          this.pos += take;
          pos += take;
          if (this.pos === blockLen) {
            this.process(view, 0);
            this.pos = 0;
            processed = true;
          }
        }
        this.length += data.length;
        if (processed) this.roundClean();
        return this;
      }
      digestInto(out) {
        aexists(this);
        aoutput(out, this);
        this.finished = true;
        const { buffer, view, blockLen, isLE: isLE2 } = this;
        let { pos } = this;
        buffer[pos++] = 128;
        buffer.fill(0, pos);
        if (this.padOffset > blockLen - pos) {
          this.process(view, 0);
          buffer.fill(0);
        }
        setU64FromNum(view, blockLen - 8, this.length * 8, isLE2);
        this.process(view, 0);
        this.roundClean();
        const oview = out === buffer ? view : createView(out);
        const len = this.outputLen;
        const outLen = len / 4;
        const state2 = this.get();
        if (len % 4 || outLen > state2.length) throw new Error("invalid outputLen");
        for (let i = 0; i < outLen; i++) oview.setUint32(4 * i, state2[i], isLE2);
      }
      digest() {
        const { buffer, outputLen } = this;
        this.digestInto(buffer);
        const res = buffer.slice(0, outputLen);
        this.destroy();
        return res;
      }
      _cloneIntoMeta(to) {
        const { buffer, length, finished, destroyed, pos } = this;
        to.destroyed = destroyed;
        to.finished = finished;
        to.length = length;
        to.pos = pos;
        if (pos) to.buffer.set(buffer);
        return to;
      }
      clone() {
        return this._cloneInto();
      }
    };
    SHA256_IV = /* @__PURE__ */ Uint32Array.from([
      1779033703,
      3144134277,
      1013904242,
      2773480762,
      1359893119,
      2600822924,
      528734635,
      1541459225
    ]);
    SHA512_IV = /* @__PURE__ */ Uint32Array.from([
      1779033703,
      4089235720,
      3144134277,
      2227873595,
      1013904242,
      4271175723,
      2773480762,
      1595750129,
      1359893119,
      2917565137,
      2600822924,
      725511199,
      528734635,
      4215389547,
      1541459225,
      327033209
    ]);
  }
});

// npm:@noble/hashes/2.4.0/sha2.js
var SHA256_K, SHA256_W, SHA2_32B, _SHA256, K512, SHA512_Kh, SHA512_Kl, SHA512_W_H, SHA512_W_L, SHA2_64B, _SHA512, sha256, sha512;
var init_sha2 = __esm({
  "npm:@noble/hashes/2.4.0/sha2.js"() {
    init_md();
    init_u64();
    init_utils();
    SHA256_K = /* @__PURE__ */ Uint32Array.from([
      1116352408,
      1899447441,
      3049323471,
      3921009573,
      961987163,
      1508970993,
      2453635748,
      2870763221,
      3624381080,
      310598401,
      607225278,
      1426881987,
      1925078388,
      2162078206,
      2614888103,
      3248222580,
      3835390401,
      4022224774,
      264347078,
      604807628,
      770255983,
      1249150122,
      1555081692,
      1996064986,
      2554220882,
      2821834349,
      2952996808,
      3210313671,
      3336571891,
      3584528711,
      113926993,
      338241895,
      666307205,
      773529912,
      1294757372,
      1396182291,
      1695183700,
      1986661051,
      2177026350,
      2456956037,
      2730485921,
      2820302411,
      3259730800,
      3345764771,
      3516065817,
      3600352804,
      4094571909,
      275423344,
      430227734,
      506948616,
      659060556,
      883997877,
      958139571,
      1322822218,
      1537002063,
      1747873779,
      1955562222,
      2024104815,
      2227730452,
      2361852424,
      2428436474,
      2756734187,
      3204031479,
      3329325298
    ]);
    SHA256_W = /* @__PURE__ */ new Uint32Array(64);
    SHA2_32B = class extends HashMD {
      // We cannot use array here since array allows indexing by variable
      // which means optimizer/compiler cannot use registers.
      // Numeric initializers matter: starting the fields as `undefined` changes
      // V8's field representation and makes sha256 3x slower (measured).
      A = 0;
      B = 0;
      C = 0;
      D = 0;
      E = 0;
      F = 0;
      G = 0;
      H = 0;
      constructor(outputLen, IV) {
        super(64, outputLen, 8, false);
        this.A = IV[0] | 0;
        this.B = IV[1] | 0;
        this.C = IV[2] | 0;
        this.D = IV[3] | 0;
        this.E = IV[4] | 0;
        this.F = IV[5] | 0;
        this.G = IV[6] | 0;
        this.H = IV[7] | 0;
      }
      get() {
        const { A, B, C, D, E, F, G, H: H2 } = this;
        return [
          A,
          B,
          C,
          D,
          E,
          F,
          G,
          H2
        ];
      }
      // prettier-ignore
      set(A, B, C, D, E, F, G, H2) {
        this.A = A | 0;
        this.B = B | 0;
        this.C = C | 0;
        this.D = D | 0;
        this.E = E | 0;
        this.F = F | 0;
        this.G = G | 0;
        this.H = H2 | 0;
      }
      _cloneInto(to) {
        (to ||= new this.constructor()).set(...this.get());
        return this._cloneIntoMeta(to);
      }
      process(view, offset) {
        for (let i = 0; i < 16; i++, offset += 4) SHA256_W[i] = view.getUint32(offset, false);
        for (let i = 16; i < 64; i++) {
          const W15 = SHA256_W[i - 15];
          const W2 = SHA256_W[i - 2];
          const s0 = rotr(W15, 7) ^ rotr(W15, 18) ^ W15 >>> 3;
          const s1 = rotr(W2, 17) ^ rotr(W2, 19) ^ W2 >>> 10;
          SHA256_W[i] = s1 + SHA256_W[i - 7] + s0 + SHA256_W[i - 16] | 0;
        }
        let { A, B, C, D, E, F, G, H: H2 } = this;
        for (let i = 0; i < 64; i++) {
          const sigma1 = rotr(E, 6) ^ rotr(E, 11) ^ rotr(E, 25);
          const T1 = H2 + sigma1 + Chi(E, F, G) + SHA256_K[i] + SHA256_W[i] | 0;
          const sigma0 = rotr(A, 2) ^ rotr(A, 13) ^ rotr(A, 22);
          const T2 = sigma0 + Maj(A, B, C) | 0;
          H2 = G;
          G = F;
          F = E;
          E = D + T1 | 0;
          D = C;
          C = B;
          B = A;
          A = T1 + T2 | 0;
        }
        A = A + this.A | 0;
        B = B + this.B | 0;
        C = C + this.C | 0;
        D = D + this.D | 0;
        E = E + this.E | 0;
        F = F + this.F | 0;
        G = G + this.G | 0;
        H2 = H2 + this.H | 0;
        this.set(A, B, C, D, E, F, G, H2);
      }
      roundClean() {
        clean(SHA256_W);
      }
      destroy() {
        this.destroyed = true;
        this.set(0, 0, 0, 0, 0, 0, 0, 0);
        clean(this.buffer);
      }
    };
    _SHA256 = class extends SHA2_32B {
      constructor() {
        super(32, SHA256_IV);
      }
    };
    K512 = /* @__PURE__ */ (() => split([
      "0x428a2f98d728ae22",
      "0x7137449123ef65cd",
      "0xb5c0fbcfec4d3b2f",
      "0xe9b5dba58189dbbc",
      "0x3956c25bf348b538",
      "0x59f111f1b605d019",
      "0x923f82a4af194f9b",
      "0xab1c5ed5da6d8118",
      "0xd807aa98a3030242",
      "0x12835b0145706fbe",
      "0x243185be4ee4b28c",
      "0x550c7dc3d5ffb4e2",
      "0x72be5d74f27b896f",
      "0x80deb1fe3b1696b1",
      "0x9bdc06a725c71235",
      "0xc19bf174cf692694",
      "0xe49b69c19ef14ad2",
      "0xefbe4786384f25e3",
      "0x0fc19dc68b8cd5b5",
      "0x240ca1cc77ac9c65",
      "0x2de92c6f592b0275",
      "0x4a7484aa6ea6e483",
      "0x5cb0a9dcbd41fbd4",
      "0x76f988da831153b5",
      "0x983e5152ee66dfab",
      "0xa831c66d2db43210",
      "0xb00327c898fb213f",
      "0xbf597fc7beef0ee4",
      "0xc6e00bf33da88fc2",
      "0xd5a79147930aa725",
      "0x06ca6351e003826f",
      "0x142929670a0e6e70",
      "0x27b70a8546d22ffc",
      "0x2e1b21385c26c926",
      "0x4d2c6dfc5ac42aed",
      "0x53380d139d95b3df",
      "0x650a73548baf63de",
      "0x766a0abb3c77b2a8",
      "0x81c2c92e47edaee6",
      "0x92722c851482353b",
      "0xa2bfe8a14cf10364",
      "0xa81a664bbc423001",
      "0xc24b8b70d0f89791",
      "0xc76c51a30654be30",
      "0xd192e819d6ef5218",
      "0xd69906245565a910",
      "0xf40e35855771202a",
      "0x106aa07032bbd1b8",
      "0x19a4c116b8d2d0c8",
      "0x1e376c085141ab53",
      "0x2748774cdf8eeb99",
      "0x34b0bcb5e19b48a8",
      "0x391c0cb3c5c95a63",
      "0x4ed8aa4ae3418acb",
      "0x5b9cca4f7763e373",
      "0x682e6ff3d6b2b8a3",
      "0x748f82ee5defb2fc",
      "0x78a5636f43172f60",
      "0x84c87814a1f0ab72",
      "0x8cc702081a6439ec",
      "0x90befffa23631e28",
      "0xa4506cebde82bde9",
      "0xbef9a3f7b2c67915",
      "0xc67178f2e372532b",
      "0xca273eceea26619c",
      "0xd186b8c721c0c207",
      "0xeada7dd6cde0eb1e",
      "0xf57d4f7fee6ed178",
      "0x06f067aa72176fba",
      "0x0a637dc5a2c898a6",
      "0x113f9804bef90dae",
      "0x1b710b35131c471b",
      "0x28db77f523047d84",
      "0x32caab7b40c72493",
      "0x3c9ebe0a15c9bebc",
      "0x431d67c49c100d4c",
      "0x4cc5d4becb3e42b6",
      "0x597f299cfc657e2a",
      "0x5fcb6fab3ad6faec",
      "0x6c44198c4a475817"
    ].map((n) => BigInt(n))))();
    SHA512_Kh = /* @__PURE__ */ (() => K512[0])();
    SHA512_Kl = /* @__PURE__ */ (() => K512[1])();
    SHA512_W_H = /* @__PURE__ */ new Uint32Array(80);
    SHA512_W_L = /* @__PURE__ */ new Uint32Array(80);
    SHA2_64B = class extends HashMD {
      // We cannot use array here since array allows indexing by variable
      // which means optimizer/compiler cannot use registers.
      // h -- high 32 bits, l -- low 32 bits
      // Numeric initializers matter: starting the fields as `undefined` changes
      // V8's field representation and slows hashing down (measured on sha256).
      Ah = 0;
      Al = 0;
      Bh = 0;
      Bl = 0;
      Ch = 0;
      Cl = 0;
      Dh = 0;
      Dl = 0;
      Eh = 0;
      El = 0;
      Fh = 0;
      Fl = 0;
      Gh = 0;
      Gl = 0;
      Hh = 0;
      Hl = 0;
      constructor(outputLen, IV) {
        super(128, outputLen, 16, false);
        this.Ah = IV[0] | 0;
        this.Al = IV[1] | 0;
        this.Bh = IV[2] | 0;
        this.Bl = IV[3] | 0;
        this.Ch = IV[4] | 0;
        this.Cl = IV[5] | 0;
        this.Dh = IV[6] | 0;
        this.Dl = IV[7] | 0;
        this.Eh = IV[8] | 0;
        this.El = IV[9] | 0;
        this.Fh = IV[10] | 0;
        this.Fl = IV[11] | 0;
        this.Gh = IV[12] | 0;
        this.Gl = IV[13] | 0;
        this.Hh = IV[14] | 0;
        this.Hl = IV[15] | 0;
      }
      // prettier-ignore
      get() {
        const { Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl } = this;
        return [
          Ah,
          Al,
          Bh,
          Bl,
          Ch,
          Cl,
          Dh,
          Dl,
          Eh,
          El,
          Fh,
          Fl,
          Gh,
          Gl,
          Hh,
          Hl
        ];
      }
      // prettier-ignore
      set(Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl) {
        this.Ah = Ah | 0;
        this.Al = Al | 0;
        this.Bh = Bh | 0;
        this.Bl = Bl | 0;
        this.Ch = Ch | 0;
        this.Cl = Cl | 0;
        this.Dh = Dh | 0;
        this.Dl = Dl | 0;
        this.Eh = Eh | 0;
        this.El = El | 0;
        this.Fh = Fh | 0;
        this.Fl = Fl | 0;
        this.Gh = Gh | 0;
        this.Gl = Gl | 0;
        this.Hh = Hh | 0;
        this.Hl = Hl | 0;
      }
      _cloneInto(to) {
        (to ||= new this.constructor()).set(...this.get());
        return this._cloneIntoMeta(to);
      }
      process(view, offset) {
        for (let i = 0; i < 16; i++, offset += 4) {
          SHA512_W_H[i] = view.getUint32(offset);
          SHA512_W_L[i] = view.getUint32(offset += 4);
        }
        for (let i = 16; i < 80; i++) {
          const W15h = SHA512_W_H[i - 15] | 0;
          const W15l = SHA512_W_L[i - 15] | 0;
          const s0h = rotrSH(W15h, W15l, 1) ^ rotrSH(W15h, W15l, 8) ^ shrSH(W15h, W15l, 7);
          const s0l = rotrSL(W15h, W15l, 1) ^ rotrSL(W15h, W15l, 8) ^ shrSL(W15h, W15l, 7);
          const W2h = SHA512_W_H[i - 2] | 0;
          const W2l = SHA512_W_L[i - 2] | 0;
          const s1h = rotrSH(W2h, W2l, 19) ^ rotrBH(W2h, W2l, 61) ^ shrSH(W2h, W2l, 6);
          const s1l = rotrSL(W2h, W2l, 19) ^ rotrBL(W2h, W2l, 61) ^ shrSL(W2h, W2l, 6);
          const SUMl = add4L(s0l, s1l, SHA512_W_L[i - 7], SHA512_W_L[i - 16]);
          const SUMh = add4H(SUMl, s0h, s1h, SHA512_W_H[i - 7], SHA512_W_H[i - 16]);
          SHA512_W_H[i] = SUMh | 0;
          SHA512_W_L[i] = SUMl | 0;
        }
        let { Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl } = this;
        for (let i = 0; i < 80; i++) {
          const sigma1h = rotrSH(Eh, El, 14) ^ rotrSH(Eh, El, 18) ^ rotrBH(Eh, El, 41);
          const sigma1l = rotrSL(Eh, El, 14) ^ rotrSL(Eh, El, 18) ^ rotrBL(Eh, El, 41);
          const CHIh = Eh & Fh ^ ~Eh & Gh;
          const CHIl = El & Fl ^ ~El & Gl;
          const T1ll = add5L(Hl, sigma1l, CHIl, SHA512_Kl[i], SHA512_W_L[i]);
          const T1h = add5H(T1ll, Hh, sigma1h, CHIh, SHA512_Kh[i], SHA512_W_H[i]);
          const T1l = T1ll | 0;
          const sigma0h = rotrSH(Ah, Al, 28) ^ rotrBH(Ah, Al, 34) ^ rotrBH(Ah, Al, 39);
          const sigma0l = rotrSL(Ah, Al, 28) ^ rotrBL(Ah, Al, 34) ^ rotrBL(Ah, Al, 39);
          const MAJh = Ah & Bh ^ Ah & Ch ^ Bh & Ch;
          const MAJl = Al & Bl ^ Al & Cl ^ Bl & Cl;
          Hh = Gh | 0;
          Hl = Gl | 0;
          Gh = Fh | 0;
          Gl = Fl | 0;
          Fh = Eh | 0;
          Fl = El | 0;
          ({ h: Eh, l: El } = add(Dh | 0, Dl | 0, T1h | 0, T1l | 0));
          Dh = Ch | 0;
          Dl = Cl | 0;
          Ch = Bh | 0;
          Cl = Bl | 0;
          Bh = Ah | 0;
          Bl = Al | 0;
          const All = add3L(T1l, sigma0l, MAJl);
          Ah = add3H(All, T1h, sigma0h, MAJh);
          Al = All | 0;
        }
        ({ h: Ah, l: Al } = add(this.Ah | 0, this.Al | 0, Ah | 0, Al | 0));
        ({ h: Bh, l: Bl } = add(this.Bh | 0, this.Bl | 0, Bh | 0, Bl | 0));
        ({ h: Ch, l: Cl } = add(this.Ch | 0, this.Cl | 0, Ch | 0, Cl | 0));
        ({ h: Dh, l: Dl } = add(this.Dh | 0, this.Dl | 0, Dh | 0, Dl | 0));
        ({ h: Eh, l: El } = add(this.Eh | 0, this.El | 0, Eh | 0, El | 0));
        ({ h: Fh, l: Fl } = add(this.Fh | 0, this.Fl | 0, Fh | 0, Fl | 0));
        ({ h: Gh, l: Gl } = add(this.Gh | 0, this.Gl | 0, Gh | 0, Gl | 0));
        ({ h: Hh, l: Hl } = add(this.Hh | 0, this.Hl | 0, Hh | 0, Hl | 0));
        this.set(Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl);
      }
      roundClean() {
        clean(SHA512_W_H, SHA512_W_L);
      }
      destroy() {
        this.destroyed = true;
        clean(this.buffer);
        this.set(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
      }
    };
    _SHA512 = class extends SHA2_64B {
      constructor() {
        super(64, SHA512_IV);
      }
    };
    sha256 = /* @__PURE__ */ createHasher(() => new _SHA256(), /* @__PURE__ */ oidNist(1));
    sha512 = /* @__PURE__ */ createHasher(() => new _SHA512(), /* @__PURE__ */ oidNist(3));
  }
});

// lib/hash/sha256.ts
function createSha256Portable() {
  const h = sha256.create();
  const api = {
    update(bytes) {
      h.update(bytes);
      return api;
    },
    digest: () => h.digest()
  };
  return api;
}
function createSha256() {
  if (!native.createSha256) return createSha256Portable();
  const h = native.createSha256();
  const api = {
    update(bytes) {
      h.update(bytes);
      return api;
    },
    digest: () => new Uint8Array(h.digest())
  };
  return api;
}
function sha2562(bytes) {
  return createSha256().update(bytes).digest();
}
function sha256Async(bytes) {
  if (!subtleDigest || native.createSha256) return Promise.resolve(sha2562(bytes));
  return subtleDigest("SHA-256", bytes).then((d) => new Uint8Array(d));
}
var subtleDigest;
var init_sha256 = __esm({
  "lib/hash/sha256.ts"() {
    init_sha2();
    init_native();
    subtleDigest = (() => {
      const s = globalThis.crypto?.subtle;
      return typeof s?.digest === "function" ? s.digest.bind(s) : void 0;
    })();
  }
});

// lib/format/veri.ts
function veriPart(version, tag) {
  if (version === VERSION_V1) return "bytes";
  return tag === "SEGM" || tag === "CORE" ? "digest" : "bytes";
}
function createVeriHash(version, header) {
  const h = createSha256();
  if (version !== VERSION_V1) h.update(DOMAIN).update(header.subarray(0, HEADER_LENGTH));
  return {
    version,
    bytes(bytes) {
      h.update(bytes);
    },
    digest(head, payloadDigest) {
      h.update(head.subarray(0, CHUNK_HEADER_LENGTH)).update(payloadDigest);
    },
    chunk(tag, head, payload) {
      h.update(head.subarray(0, CHUNK_HEADER_LENGTH));
      h.update(veriPart(version, tag) === "digest" ? sha2562(payload) : payload);
    },
    finish: () => h.digest()
  };
}
var DOMAIN;
var init_veri = __esm({
  "lib/format/veri.ts"() {
    init_bytes();
    init_chunk();
    init_constants();
    init_sha256();
    DOMAIN = encodeUtf8(VERI_DOMAIN);
  }
});

// lib/format/fast_varint.ts
function fastVarint(b) {
  let p = vpos[0];
  if (p >= b.length) return -1;
  let x = b[p++];
  if (x < 128) {
    vpos[0] = p;
    return x;
  }
  let result = x & 127;
  let scale = 128;
  for (let i = 1; ; i++) {
    if (p >= b.length) return -1;
    x = b[p++];
    result += (x & 127) * scale;
    if (x < 128) {
      if (x === 0 || result > Number.MAX_SAFE_INTEGER) return -1;
      vpos[0] = p;
      return result;
    }
    scale *= 128;
    if (i >= 7) return -1;
  }
}
var vpos;
var init_fast_varint = __esm({
  "lib/format/fast_varint.ts"() {
    vpos = new Int32Array(1);
  }
});

// lib/format/wasm_writer.ts
function instantiateWasm(assemble2) {
  try {
    if (typeof WebAssembly !== "object") return null;
    const bytes = assemble2();
    if (!WebAssembly.validate(bytes)) return null;
    return new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
  } catch {
    return null;
  }
}
function wasmWriter(capacity) {
  const c = new Uint8Array(capacity);
  const f = new DataView(new ArrayBuffer(8));
  let pos = 0;
  const room = (n) => {
    if (pos + n > capacity) throw new RangeError(`a module over ${capacity} bytes`);
  };
  const w2 = {
    put(...bytes) {
      room(bytes.length);
      for (let i = 0; i < bytes.length; i++) c[pos++] = bytes[i];
    },
    uleb(n) {
      room(5);
      do {
        let b = n & 127;
        n >>>= 7;
        if (n !== 0) b |= 128;
        c[pos++] = b;
      } while (n !== 0);
    },
    sleb(n, wide = false) {
      room(10);
      if (!wide) n |= 0;
      for (; ; ) {
        const b = (n % 128 + 128) % 128;
        n = (n - b) / 128;
        if (n === 0 && (b & 64) === 0 || n === -1 && (b & 64) !== 0) {
          c[pos++] = b;
          return;
        }
        c[pos++] = b | 128;
      }
    },
    f64(x) {
      room(8);
      f.setFloat64(0, x, true);
      for (let i = 0; i < 8; i++) c[pos++] = f.getUint8(i);
    },
    name(s) {
      w2.uleb(s.length);
      room(s.length);
      for (let i = 0; i < s.length; i++) c[pos++] = s.charCodeAt(i);
    },
    section(id, body) {
      if (id >= 0) w2.put(id);
      room(5);
      const at = pos;
      pos += 5;
      body();
      const n = pos - at - 5;
      for (let i = 0; i < 4; i++) c[at + i] = n >>> 7 * i & 127 | 128;
      c[at + 4] = n >>> 28;
    },
    finish: () => c.slice(0, pos)
  };
  return w2;
}
var init_wasm_writer = __esm({
  "lib/format/wasm_writer.ts"() {
  }
});

// lib/format/bidx_wasm.ts
function assemble() {
  const w2 = wasmWriter(4096);
  const { put: put2, uleb: uleb2 } = w2;
  const block2 = () => put2(2, 64);
  const loop2 = () => put2(3, 64);
  const ifThen = (type = 64) => put2(4, type);
  const orElse = () => put2(5);
  const end2 = () => put2(11);
  const br2 = (d) => put2(12, d);
  const brIf2 = (d) => put2(13, d);
  const ret = () => put2(15);
  const call = (f) => put2(16, f);
  const get2 = (l) => put2(32, l);
  const set2 = (l) => put2(33, l);
  const gget = (g) => put2(35, g);
  const gset = (g) => put2(36, g);
  const load8 = () => put2(45, 0, 0);
  const f64Load = () => put2(43, 3, 0);
  const f64Store = () => put2(57, 3, 0);
  const i32Store2 = () => put2(54, 2, 0);
  const i32Store16 = () => put2(59, 1, 0);
  const i32Store8 = () => put2(58, 0, 0);
  const i32 = (n) => (put2(65), w2.sleb(n));
  const i64 = (n) => (put2(66), w2.sleb(n, true));
  const f64 = (x) => (put2(68), w2.f64(x));
  const op = (code) => () => put2(code);
  const i32Eqz2 = op(69), i32Eq = op(70), i32GeU = op(79), i32GtU = op(75);
  const i32LtU = op(73), i32Add2 = op(106), i32And = op(113), i32ShrU = op(118);
  const i32Shl = op(116), i32Mul = op(108), i32Or = op(114);
  const i64LtS = op(83), i64GtS = op(85), i64GeU = op(90), i64Add = op(124);
  const i64Sub = op(125), i64And = op(131), i64Or = op(132), i64Shl = op(134);
  const i64ShrU = op(136), i64Eqz = op(80);
  const f64Le = op(101), f64Abs = op(153), f64Neg = op(154), f64Add = op(160);
  const f64Sub = op(161), f64Div = op(163);
  const wrap = op(167), extendU = op(173), toF64 = op(185);
  const failIf = () => (ifThen(), i32(-1), ret(), end2());
  const bad4 = () => (i64(0), i64LtS());
  const POS = 0, END = 1;
  const varintBody = () => {
    const X = 0, I = 1, RESULT = 2, SHIFT = 3;
    put2(2, 2, I32, 2, I64);
    gget(POS), gget(END), i32GeU(), ifThen(), i64(-1), ret(), end2();
    gget(POS), load8(), set2(X);
    gget(POS), i32(1), i32Add2(), gset(POS);
    get2(X), i32(128), i32LtU(), ifThen(), get2(X), extendU(), ret(), end2();
    get2(X), i32(127), i32And(), extendU(), set2(RESULT);
    i64(7), set2(SHIFT);
    i32(1), set2(I);
    loop2();
    gget(POS), gget(END), i32GeU(), ifThen(), i64(-1), ret(), end2();
    gget(POS), load8(), set2(X);
    gget(POS), i32(1), i32Add2(), gset(POS);
    get2(RESULT), get2(X), i32(127), i32And(), extendU(), get2(SHIFT), i64Shl(), i64Or(), set2(RESULT);
    get2(X), i32(128), i32LtU(), ifThen();
    get2(X), i32Eqz2(), ifThen(), i64(-1), ret(), end2();
    get2(RESULT), i64(Number.MAX_SAFE_INTEGER), i64GtS(), ifThen(), i64(-1), ret(), end2();
    get2(RESULT), ret();
    end2();
    get2(SHIFT), i64(7), i64Add(), set2(SHIFT);
    get2(I), i32(7), i32GeU(), ifThen(), i64(-1), ret(), end2();
    get2(I), i32(1), i32Add2(), set2(I);
    br2(0);
    end2();
    i64(-1);
  };
  const decodeBody = () => {
    const PAGE2 = 0, LENGTH = 1, COUNT = 2, TRACKS = 3, CODECS = 4, OVERHEAD = 5, STATE = 6;
    const OUT = 7;
    const I = 8, T2 = 9, CODEC = 10, C = 11, KIND = 12, NEW = 13, HEAD32 = 14, LAST = 15;
    const DELTA = 16;
    const HEAD = 17, Z = 18, STORED = 19, PLAIN = 20, CHUNK = 21;
    const OFFSET = 22, PREV_END = 23, PTS = 24, ZZ = 25, LP = 26;
    const COL = 27;
    const P = 37, E = 38, X = 39;
    put2(4, 9, I32, 5, I64, 5, F64, 13, I32);
    const varint = (l) => {
      get2(P), get2(E), i32LtU(), ifThen(I32), get2(P), load8(), orElse(), i32(128), end2(), set2(X);
      get2(X), i32(128), i32LtU(), ifThen();
      get2(X), extendU(), set2(l);
      get2(P), i32(1), i32Add2(), set2(P);
      orElse();
      get2(P), gset(POS), call(0), set2(l), gget(POS), set2(P);
      get2(l), bad4(), failIf();
      end2();
    };
    const names = Object.keys(COLUMNS);
    const col = (name) => COL + names.indexOf(name);
    names.forEach((name, k) => {
      get2(OUT), get2(COUNT), i32(COLUMNS[name][0]), i32Mul(), i32Add2(), set2(COL + k);
    });
    get2(PAGE2), set2(P);
    get2(PAGE2), get2(LENGTH), i32Add2(), set2(E);
    get2(E), gset(END);
    varint(HEAD);
    get2(HEAD), toF64(), set2(OFFSET);
    varint(CHUNK);
    get2(CHUNK), get2(COUNT), extendU(), i64Add(), i64(LIMITS.blocks), i64GtS(), failIf();
    f64(0), set2(PREV_END);
    i32(0), set2(I);
    block2(), loop2();
    get2(I), get2(COUNT), i32GeU(), brIf2(1);
    varint(HEAD);
    get2(HEAD), wrap(), set2(HEAD32);
    get2(HEAD32), i32(1), i32And(), set2(NEW);
    get2(HEAD32), i32(2), i32ShrU(), i32(3), i32And(), set2(KIND);
    get2(HEAD), i64(5), i64ShrU(), get2(TRACKS), extendU(), i64GeU(), failIf();
    get2(HEAD), i64(5), i64ShrU(), wrap(), set2(T2);
    get2(KIND), i32(3), i32Eq(), failIf();
    get2(CODECS), get2(T2), i32Add2(), load8(), set2(CODEC);
    get2(HEAD32), i32(16), i32And(), ifThen();
    get2(P), get2(E), i32GeU(), failIf();
    get2(P), load8(), set2(C);
    get2(P), i32(1), i32Add2(), set2(P);
    get2(C), i32(2), i32GtU(), get2(C), get2(CODEC), i32Eq(), i32Or(), failIf();
    get2(C), set2(CODEC);
    end2();
    varint(Z);
    get2(Z), i64(1), i64And(), i64Eqz(), ifThen(F64);
    get2(Z), toF64(), f64(2), f64Div();
    orElse();
    get2(Z), toF64(), f64(1), f64Add(), f64Neg(), f64(2), f64Div();
    end2();
    set2(ZZ);
    get2(STATE), get2(T2), i32(3), i32Shl(), i32Add2(), set2(LAST);
    get2(LAST), get2(TRACKS), i32(3), i32Shl(), i32Add2(), set2(DELTA);
    get2(LAST), f64Load(), set2(LP);
    get2(ZZ), get2(LP), f64Add(), get2(DELTA), f64Load(), f64Add(), set2(PTS);
    get2(PTS), f64Abs(), f64(LIMITS.ptsAbs), f64Le(), i32Eqz2(), failIf();
    get2(DELTA), get2(PTS), get2(LP), f64Sub(), f64Store();
    get2(LAST), get2(PTS), f64Store();
    varint(STORED);
    get2(STORED), i64(LIMITS.blockBytes), i64GtS(), failIf();
    get2(CODEC), ifThen();
    varint(PLAIN);
    get2(PLAIN), i64(LIMITS.blockBytes), i64GtS(), failIf();
    orElse();
    get2(STORED), get2(OVERHEAD), i64Sub(), set2(PLAIN);
    get2(PLAIN), bad4(), failIf();
    end2();
    get2(I), ifThen();
    get2(PREV_END), get2(NEW), ifThen(F64), f64(CHUNK_HEADER_LENGTH), orElse(), f64(0), end2();
    f64Add(), set2(OFFSET);
    get2(CHUNK), get2(NEW), extendU(), i64Add(), set2(CHUNK);
    end2();
    const row = (name) => {
      get2(col(name)), get2(I);
      const size = COLUMNS[name][1];
      if (size > 1) i32(Math.log2(size)), i32Shl();
      i32Add2();
    };
    row("pts"), get2(PTS), f64Store();
    row("offset"), get2(OFFSET), f64Store();
    row("stored"), get2(STORED), wrap(), i32Store2();
    row("plain"), get2(PLAIN), wrap(), i32Store2();
    row("chunk"), get2(CHUNK), wrap(), i32Store2();
    row("track"), get2(T2), i32Store16();
    row("kind"), get2(KIND), i32Store8();
    row("keyframe"), get2(HEAD32), i32(1), i32ShrU(), i32(1), i32And(), i32Store8();
    row("codec"), get2(CODEC), i32Store8();
    row("newChunk"), get2(NEW), i32Store8();
    get2(OFFSET), get2(STORED), toF64(), f64Add(), set2(PREV_END);
    get2(I), i32(1), i32Add2(), set2(I);
    br2(0);
    end2(), end2();
    get2(P), get2(PAGE2), put2(107);
  };
  put2(0, 97, 115, 109, 1, 0, 0, 0);
  w2.section(1, () => {
    put2(2);
    put2(96, 0, 1, I64);
    put2(96, 8, I32, I32, I32, I32, I32, I64, I32, I32, 1, I32);
  });
  w2.section(3, () => put2(2, 0, 1));
  w2.section(5, () => (put2(1, 0), uleb2(1)));
  w2.section(6, () => {
    put2(2);
    put2(I32, 1), i32(0), end2();
    put2(I32, 1), i32(0), end2();
  });
  w2.section(7, () => {
    put2(2);
    w2.name("mem"), put2(2, 0);
    w2.name("decode"), put2(0, 1);
  });
  w2.section(10, () => {
    put2(2);
    w2.section(-1, () => (varintBody(), end2()));
    w2.section(-1, () => (decodeBody(), end2()));
  });
  return w2.finish();
}
function loadKernel() {
  return kernel === void 0 ? kernel = instantiateWasm(assemble) : kernel;
}
function decodeBidxPageWasm(page, ctx, cols) {
  const k = loadKernel();
  if (!k) return void 0;
  const tracks = ctx.trackCodecs.length, n = ctx.count;
  if (!Number.isSafeInteger(n) || n < 0 || !Number.isSafeInteger(ctx.overhead)) return void 0;
  for (let t = 0; t < tracks; t++) {
    const c = ctx.trackCodecs[t];
    if (!(Number.isInteger(c) && c >= 0 && c <= 255)) return void 0;
  }
  const codecsAt = 16 * tracks, pageAt = align8(codecsAt + tracks);
  const outAt = align8(pageAt + page.length), size = outAt + ROW_BYTES * n;
  if (size > MEMORY_LIMIT) return void 0;
  if (k.mem.buffer.byteLength < size) {
    try {
      k.mem.grow(Math.ceil((size - k.mem.buffer.byteLength) / 65536));
    } catch {
      return void 0;
    }
  }
  const buf = k.mem.buffer;
  new Float64Array(buf, 0, 2 * tracks).fill(0);
  const mem = new Uint8Array(buf);
  for (let t = 0; t < tracks; t++) mem[codecsAt + t] = ctx.trackCodecs[t];
  mem.set(page, pageAt);
  const read = k.decode(pageAt, page.length, n, tracks, codecsAt, BigInt(ctx.overhead), 0, outAt);
  if (read !== page.length) return false;
  const at = (name) => outAt + COLUMNS[name][0] * n;
  cols.pts.set(new Float64Array(buf, at("pts"), n));
  cols.offset.set(new Float64Array(buf, at("offset"), n));
  cols.stored.set(new Uint32Array(buf, at("stored"), n));
  cols.plain.set(new Uint32Array(buf, at("plain"), n));
  cols.chunk.set(new Uint32Array(buf, at("chunk"), n));
  cols.track.set(new Uint16Array(buf, at("track"), n));
  cols.kind.set(mem.subarray(at("kind"), at("kind") + n));
  cols.keyframe.set(mem.subarray(at("keyframe"), at("keyframe") + n));
  cols.codec.set(mem.subarray(at("codec"), at("codec") + n));
  cols.newChunk.set(mem.subarray(at("newChunk"), at("newChunk") + n));
  cols.count = n;
  return true;
}
var COLUMNS, ROW_BYTES, I32, I64, F64, kernel, MEMORY_LIMIT, align8;
var init_bidx_wasm = __esm({
  "lib/format/bidx_wasm.ts"() {
    init_constants();
    init_wasm_writer();
    COLUMNS = {
      pts: [
        0,
        8
      ],
      offset: [
        8,
        8
      ],
      stored: [
        16,
        4
      ],
      plain: [
        20,
        4
      ],
      chunk: [
        24,
        4
      ],
      track: [
        28,
        2
      ],
      kind: [
        30,
        1
      ],
      keyframe: [
        31,
        1
      ],
      codec: [
        32,
        1
      ],
      newChunk: [
        33,
        1
      ]
    };
    ROW_BYTES = 34;
    I32 = 127;
    I64 = 126;
    F64 = 124;
    MEMORY_LIMIT = 64 * 1024 * 1024;
    align8 = (n) => Math.ceil(n / 8) * 8;
  }
});

// lib/format/bidx.ts
var bidx_exports = {};
__export(bidx_exports, {
  decodeBidxPage: () => decodeBidxPage,
  decodeBidxPageFast: () => decodeBidxPageFast,
  encodeBidxPage: () => encodeBidxPage
});
function encodeBidxPage(cols, start2, end2, trackCodecs) {
  const w2 = new ByteWriter(16 + (end2 - start2) * 6);
  w2.varint(cols.offset[start2]);
  w2.varint(cols.chunk[start2]);
  const lastPts = /* @__PURE__ */ new Map();
  const lastDelta = /* @__PURE__ */ new Map();
  for (let i = start2; i < end2; i++) {
    const t = cols.track[i];
    const codec = cols.codec[i];
    const hasCodec = codec !== trackCodecs[t] ? 1 : 0;
    w2.varint(t * 32 + hasCodec * 16 + cols.kind[i] * 4 + cols.keyframe[i] * 2 + cols.newChunk[i]);
    if (hasCodec) w2.u8(codec);
    const lp = lastPts.get(t) ?? 0;
    const ld = lastDelta.get(t) ?? 0;
    const pts = cols.pts[i];
    w2.svarint(pts - (lp + ld));
    lastDelta.set(t, pts - lp);
    lastPts.set(t, pts);
    w2.varint(cols.stored[i]);
    if (codec !== 0) w2.varint(cols.plain[i]);
  }
  return w2.finish();
}
function decodeBidxPage(page, ctx, into) {
  const r = new ByteReader(page, "H4_BAD_INDEX", "BIDX", ctx.base ?? 0);
  if (ctx.count * 3 > page.length) {
    r.fail(`page of ${page.length} bytes cannot hold ${ctx.count} records`);
  }
  const cols = into && into.pts.length >= ctx.count ? into : allocColumns(ctx.count);
  const viaWasm = pagesDecoded++ > 0 ? decodeBidxPageWasm(page, ctx, cols) : void 0;
  if (viaWasm) return cols;
  if (viaWasm === void 0) {
    if (!warm && pagesDecoded > 1) warmUp();
    if (decodeBidxPageFast(page, ctx, cols) && vpos[0] === page.length) return cols;
  }
  const trackCount = ctx.trackCodecs.length;
  let offset = r.varint("first_offset");
  let chunk = r.varint("first_chunk");
  if (chunk + ctx.count > LIMITS.blocks) {
    r.fail(`first_chunk ${chunk} exceeds the block limit`, "H4_BAD_INDEX", "H4-IDX-002");
  }
  const lastPts = new Float64Array(trackCount);
  const lastDelta = new Float64Array(trackCount);
  let prevEnd = 0;
  for (let i = 0; i < ctx.count; i++) {
    const block2 = ctx.first + i;
    const head = r.varint("record head");
    const newChunk = head & 1;
    const keyframe = head >> 1 & 1;
    const kind = head >> 2 & 3;
    const hasCodec = head >> 4 & 1;
    const t = Math.floor(head / 32);
    if (t >= trackCount) {
      r.fail(`block ${block2}: track index ${t}, TRKS has ${trackCount}`, "H4_BAD_INDEX", "H4-IDX-002");
    }
    if (kind === 3) r.fail(`block ${block2}: kind 3 is reserved`, "H4_BAD_INDEX", "H4-IDX-001");
    let codec = ctx.trackCodecs[t];
    if (hasCodec) {
      codec = r.u8("codec");
      if (codec > 2) r.fail(`block ${block2}: codec id ${codec}`, "H4_UNKNOWN_CODEC", "H4-COD-001");
      if (codec === ctx.trackCodecs[t]) {
        r.fail(`block ${block2}: codec byte repeats the track's codec`, "H4_BAD_INDEX", "H4-IDX-002");
      }
    }
    const pts = r.svarint("pts_residual") + lastPts[t] + lastDelta[t];
    if (!(Math.abs(pts) <= LIMITS.ptsAbs)) {
      r.fail(`block ${block2}: pts ${pts} is outside \xB1(2^50 - 1)`, "H4_LIMIT_EXCEEDED", "H4-LIM-001");
    }
    lastDelta[t] = pts - lastPts[t];
    lastPts[t] = pts;
    const stored = r.varint("stored_length");
    if (stored > LIMITS.blockBytes) {
      r.fail(`block ${block2}: stored length ${stored} exceeds 2^30`, "H4_LIMIT_EXCEEDED", "H4-LIM-001");
    }
    let plain2;
    if (codec !== 0) {
      plain2 = r.varint("plain_length");
      if (plain2 > LIMITS.blockBytes) {
        r.fail(`block ${block2}: plain length ${plain2} exceeds 2^30`, "H4_LIMIT_EXCEEDED", "H4-LIM-001");
      }
    } else {
      plain2 = stored - ctx.overhead;
      if (plain2 < 0) {
        r.fail(`block ${block2}: stored length ${stored} is shorter than the cipher tag`, "H4_BAD_INDEX", "H4-IDX-002");
      }
    }
    if (i > 0) {
      offset = prevEnd + (newChunk ? CHUNK_HEADER_LENGTH : 0);
      chunk += newChunk;
    }
    cols.track[i] = t;
    cols.pts[i] = pts;
    cols.kind[i] = kind;
    cols.keyframe[i] = keyframe;
    cols.codec[i] = codec;
    cols.newChunk[i] = newChunk;
    cols.offset[i] = offset;
    cols.stored[i] = stored;
    cols.plain[i] = plain2;
    cols.chunk[i] = chunk;
    prevEnd = offset + stored;
  }
  cols.count = ctx.count;
  r.end("page's records");
  return cols;
}
function warmUp() {
  warm = true;
  const big = 2 ** 44;
  const cols = allocColumns(4);
  cols.count = 4;
  [
    big,
    -big,
    2 * big,
    3
  ].forEach((pts, i) => {
    cols.pts[i] = pts;
    cols.track[i] = i & 1;
    cols.keyframe[i] = i & 1;
    cols.newChunk[i] = i === 2 ? 1 : 0;
    cols.stored[i] = cols.plain[i] = 2 ** 29 + i;
    cols.offset[i] = 2 ** 40;
    cols.chunk[i] = 1;
  });
  cols.codec[1] = 1;
  cols.plain[1] = 2 ** 30;
  const page = encodeBidxPage(cols, 0, 4, [
    0,
    0
  ]);
  decodeBidxPageFast(page, {
    first: 0,
    count: 4,
    trackCodecs: [
      0,
      0
    ],
    overhead: 0
  }, cols);
}
function decodeBidxPageFast(page, ctx, cols) {
  const codecs = ctx.trackCodecs;
  const trackCount = codecs.length;
  vpos[0] = 0;
  let offset = fastVarint(page);
  let chunk = fastVarint(page);
  if (offset < 0 || chunk < 0 || chunk + ctx.count > LIMITS.blocks) return false;
  const lastPts = new Float64Array(trackCount);
  const lastDelta = new Float64Array(trackCount);
  const { track, pts: ptsCol, kind: kindCol, keyframe: keyCol, codec: codecCol } = cols;
  const { newChunk: newCol, offset: offsetCol, stored: storedCol, plain: plainCol } = cols;
  const chunkCol = cols.chunk;
  const end2 = page.length, count = ctx.count;
  cols.count = count;
  let prevEnd = 0;
  for (let i = 0; i < count; i++) {
    const head = fastVarint(page);
    if (head < 0) return false;
    const newChunk = head & 1;
    const kind = head >> 2 & 3;
    const t = Math.floor(head / 32);
    if (t >= trackCount || kind === 3) return false;
    let codec = codecs[t];
    if (head >> 4 & 1) {
      if (vpos[0] >= end2) return false;
      const c = page[vpos[0]++];
      if (c > 2 || c === codec) return false;
      codec = c;
    }
    const z = fastVarint(page);
    if (z < 0) return false;
    const pts = (z % 2 === 0 ? z / 2 : -(z + 1) / 2) + lastPts[t] + lastDelta[t];
    if (!(Math.abs(pts) <= LIMITS.ptsAbs)) return false;
    lastDelta[t] = pts - lastPts[t];
    lastPts[t] = pts;
    const stored = fastVarint(page);
    if (stored < 0 || stored > LIMITS.blockBytes) return false;
    let plain2;
    if (codec !== 0) {
      plain2 = fastVarint(page);
      if (plain2 < 0 || plain2 > LIMITS.blockBytes) return false;
    } else {
      plain2 = stored - ctx.overhead;
      if (plain2 < 0) return false;
    }
    if (i > 0) {
      offset = prevEnd + (newChunk ? CHUNK_HEADER_LENGTH : 0);
      chunk += newChunk;
    }
    track[i] = t;
    ptsCol[i] = pts;
    kindCol[i] = kind;
    keyCol[i] = head >> 1 & 1;
    codecCol[i] = codec;
    newCol[i] = newChunk;
    offsetCol[i] = offset;
    storedCol[i] = stored;
    plainCol[i] = plain2;
    chunkCol[i] = chunk;
    prevEnd = offset + stored;
  }
  return true;
}
var pagesDecoded, warm;
var init_bidx = __esm({
  "lib/format/bidx.ts"() {
    init_bytes();
    init_constants();
    init_index_columns();
    init_fast_varint();
    init_bidx_wasm();
    pagesDecoded = 0;
    warm = false;
  }
});

// lib/format/ksek.ts
function allocSeekTable(n) {
  return {
    count: n,
    pts: new Float64Array(n),
    block: new Float64Array(n),
    offset: new Float64Array(n),
    stored: new Float64Array(n),
    kind: new Uint8Array(n),
    codec: new Uint8Array(n),
    plain: new Float64Array(n)
  };
}
function seekTableFromRows(cols, rows) {
  const t = allocSeekTable(rows.length);
  rows.forEach((i, k) => {
    t.pts[k] = cols.pts[i];
    t.block[k] = i;
    t.offset[k] = cols.offset[i];
    t.stored[k] = cols.stored[i];
    t.kind[k] = cols.kind[i];
    t.codec[k] = cols.codec[i];
    t.plain[k] = cols.plain[i];
  });
  return t;
}
function fastSvarint(b) {
  const z = fastVarint(b);
  if (z < 0) return NaN;
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}
function decodeSeekTableFast(bytes, overhead) {
  vpos[0] = 0;
  const n = fastVarint(bytes);
  if (n < 0 || n * 5 > bytes.length - vpos[0]) return void 0;
  const t = allocSeekTable(n);
  let prevPts = 0, prevDelta = 0, prevIndex = 0, prevOffset = 0;
  for (let i = 0; i < n; i++) {
    const pts = fastSvarint(bytes) + prevPts + prevDelta;
    const block2 = fastSvarint(bytes) + prevIndex;
    const offset = fastSvarint(bytes) + prevOffset;
    if (!(Math.abs(pts) <= LIMITS.ptsAbs) || !Number.isSafeInteger(offset)) return void 0;
    if (!(block2 >= 0 && block2 <= LIMITS.blocks) || offset < 0) return void 0;
    if (i > 0 && (pts < prevPts || pts === prevPts && block2 <= prevIndex)) return void 0;
    prevDelta = pts - prevPts;
    prevPts = pts;
    prevIndex = block2;
    prevOffset = offset;
    const stored = fastVarint(bytes);
    if (stored < 0 || stored > LIMITS.blockBytes) return void 0;
    const info = fastVarint(bytes);
    if (info < 0 || info > 11) return void 0;
    const kind = info >> 2;
    const codec = info & 3;
    if (kind === 3 || codec === 3) return void 0;
    let plain2 = stored - overhead;
    if (codec !== 0) {
      plain2 = fastVarint(bytes);
      if (plain2 < 0) return void 0;
    }
    if (plain2 < 0 || plain2 > LIMITS.blockBytes) return void 0;
    t.pts[i] = pts;
    t.block[i] = block2;
    t.offset[i] = offset;
    t.stored[i] = stored;
    t.kind[i] = kind;
    t.codec[i] = codec;
    t.plain[i] = plain2;
  }
  return vpos[0] === bytes.length ? t : void 0;
}
function decodeSeekTable(bytes, overhead, base = 0) {
  const fast = decodeSeekTableFast(bytes, overhead);
  if (fast) return fast;
  const r = new ByteReader(bytes, "H4_BAD_SEEK_TABLE", "KSEK", base);
  const n = r.varint("n");
  if (n * 5 > r.remaining) r.fail(`n = ${n} entries cannot fit in ${r.remaining} bytes`);
  const t = allocSeekTable(n);
  let prevPts = 0, prevDelta = 0, prevIndex = 0, prevOffset = 0;
  for (let i = 0; i < n; i++) {
    const pts = r.svarint("pts_residual") + prevPts + prevDelta;
    const block2 = r.svarint("index_delta") + prevIndex;
    const offset = r.svarint("offset_delta") + prevOffset;
    if (!(Math.abs(pts) <= LIMITS.ptsAbs)) {
      r.fail(`entry ${i}: pts ${pts} is outside \xB1(2^50 - 1)`, "H4_LIMIT_EXCEEDED", "H4-LIM-001");
    }
    if (!Number.isSafeInteger(offset)) {
      r.fail(`entry ${i}: value out of the safe range`, "H4_BAD_SEEK_TABLE", "H4-ENC-003");
    }
    if (block2 < 0 || block2 > LIMITS.blocks || offset < 0) {
      r.fail(`entry ${i}: block ${block2} offset ${offset} out of range`, "H4_BAD_SEEK_TABLE", "H4-SEK-001");
    }
    if (i > 0 && (pts < prevPts || pts === prevPts && block2 <= prevIndex)) {
      r.fail(`entry ${i} (pts ${pts}, block ${block2}) out of order after (pts ${prevPts}, block ${prevIndex})`, "H4_BAD_SEEK_TABLE", "H4-SEK-002");
    }
    prevDelta = pts - prevPts;
    prevPts = pts;
    prevIndex = block2;
    prevOffset = offset;
    const stored = r.varint("stored_length");
    if (stored > LIMITS.blockBytes) {
      r.fail(`entry ${i}: stored length ${stored} exceeds 2^30`, "H4_LIMIT_EXCEEDED", "H4-LIM-001");
    }
    const info = r.varint("info");
    const kind = info >> 2;
    const codec = info & 3;
    if (info > 11 || kind === 3) {
      r.fail(`entry ${i}: info ${info} names kind ${kind}`, "H4_BAD_SEEK_TABLE", "H4-IDX-001");
    }
    if (codec === 3) r.fail(`entry ${i}: codec id 3`, "H4_UNKNOWN_CODEC", "H4-COD-001");
    let plain2 = stored - overhead;
    if (codec !== 0) plain2 = r.varint("plain_length");
    if (plain2 < 0 || plain2 > LIMITS.blockBytes) {
      r.fail(`entry ${i}: plain length ${plain2} out of range`, "H4_BAD_SEEK_TABLE", "H4-SEK-001");
    }
    t.pts[i] = pts;
    t.block[i] = block2;
    t.offset[i] = offset;
    t.stored[i] = stored;
    t.kind[i] = kind;
    t.codec[i] = codec;
    t.plain[i] = plain2;
  }
  r.end("seek table");
  return t;
}
function decodeKsek(payload, trackCount, overhead, base = 0) {
  return splitKsek(payload, trackCount, base).map((t) => decodeSeekTable(t.bytes, overhead, t.base));
}
function splitKsek(payload, trackCount, base = 0) {
  const r = new ByteReader(payload, "H4_BAD_SEEK_TABLE", "KSEK", base);
  const n = r.u32("track_count");
  if (n !== trackCount) {
    r.fail(`track_count ${n}, TRKS has ${trackCount}`, "H4_BAD_SEEK_TABLE", "H4-SEK-001");
  }
  r.need(n * 4, "table lengths");
  const lengths = [];
  for (let i = 0; i < n; i++) lengths.push(r.u32("table_length"));
  const out = [];
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const bytes = r.take(lengths[i], `table ${i}`);
    const t = new ByteReader(bytes, "H4_BAD_SEEK_TABLE", "KSEK", base + at);
    const count = t.varint("n");
    if (count * 5 > t.remaining) t.fail(`n = ${count} entries cannot fit in ${t.remaining} bytes`);
    out.push({
      bytes,
      base: base + at,
      count
    });
  }
  r.end("seek tables");
  return out;
}
var init_ksek = __esm({
  "lib/format/ksek.ts"() {
    init_bytes();
    init_constants();
    init_fast_varint();
  }
});

// lib/format/loca.ts
function decodeLoca(payload, base = 0) {
  if (payload.length !== LOCA_PAYLOAD_LENGTH) {
    throw new H4Error("H4_BAD_LOCATOR", `LOCA payload is ${payload.length} bytes, must be 160`, {
      offset: base,
      chunk: "LOCA",
      rule: "H4-LOC-002"
    });
  }
  const r = new ByteReader(payload, "H4_BAD_LOCATOR", "LOCA", base);
  const header = r.take(8).slice();
  const version = r.u16("locator_version");
  if (version !== LOCATOR_VERSION) {
    r.fail(`locator_version ${version}, expected 1`, "H4_BAD_LOCATOR", "H4-LOC-002");
  }
  const flags = r.u16("flags");
  if (flags & ~1) {
    r.fail(`unknown flag bits 0x${flags.toString(16)}`, "H4_BAD_LOCATOR", "H4-LOC-002");
  }
  const trackCount = r.u32("track_count");
  const blockCount = r.u64("block_count");
  const chunkCount = r.u64("storage_chunk_count");
  const slots = {};
  for (const s of LOCA_SLOTS) {
    const offset = r.u64(`${s} offset`);
    const length = r.u32(`${s} length`);
    if (offset === 0 !== (length === 0)) {
      r.fail(`slot ${s} has offset ${offset} and length ${length}`, "H4_BAD_LOCATOR", "H4-LOC-002");
    }
    slots[s] = offset === 0 ? null : {
      offset,
      length
    };
  }
  const root = r.take(32).slice();
  return {
    header,
    flags,
    trackCount,
    blockCount,
    chunkCount,
    slots,
    root
  };
}
var init_loca = __esm({
  "lib/format/loca.ts"() {
    init_bytes();
    init_constants();
    init_errors();
  }
});

// lib/format/root.ts
async function computeRootAsync(locaPrefix, inputs) {
  const digests = await Promise.all(ROOTED_TAGS.map((k) => {
    const p = inputs[k];
    return p ? sha256Async(p) : ZERO;
  }));
  return sha256Async(concat([
    DOMAIN2,
    locaPrefix.subarray(0, 32),
    ...digests
  ]));
}
var ROOTED_TAGS, ZERO, DOMAIN2;
var init_root = __esm({
  "lib/format/root.ts"() {
    init_bytes();
    init_constants();
    init_sha256();
    ROOTED_TAGS = [
      "TRKS",
      "KSEK",
      "TDIR",
      "META",
      "SAFE"
    ];
    ZERO = new Uint8Array(32);
    DOMAIN2 = encodeUtf8(ROOT_DOMAIN);
  }
});

// lib/format/seekm.ts
var seekm_exports = {};
__export(seekm_exports, {
  decodeSeekm: () => decodeSeekm,
  encodeSeekm: () => encodeSeekm
});
function encodeSeekm(tracks) {
  const w2 = new ByteWriter();
  w2.u32(tracks.length);
  for (const t of tracks) {
    const id = encodeUtf8(t.track_id);
    w2.u16(id.length);
    w2.bytes(id);
    w2.u32(t.entries.length);
    for (const [pts, idx] of t.entries) {
      const v = BigInt.asUintN(64, BigInt(pts));
      w2.u32(Number(v >> 32n));
      w2.u32(Number(v & 0xffffffffn));
      w2.u32(idx);
    }
  }
  return w2.finish();
}
function decodeSeekm(bytes) {
  const r = new ByteReader(bytes, "H4_BAD_SEEK_TABLE", "META.seekm_b64");
  const n = r.u32("track_count");
  if (n * 6 > r.remaining) {
    r.fail(`track_count ${n} cannot fit in ${r.remaining} bytes`, "H4_BAD_SEEK_TABLE", "H4-LEG-003");
  }
  const out = [];
  for (let i = 0; i < n; i++) {
    const len = r.u16("id_length");
    if (len < 1 || len > LIMITS.trackIdBytes) {
      r.fail(`id_length ${len}`, "H4_BAD_SEEK_TABLE", "H4-LEG-003");
    }
    const id = decodeUtf8(r.take(len, "id"), "META.seekm_b64");
    const m = r.u32("n");
    r.need(m * 12, `${m} entries`);
    const entries = [];
    for (let j = 0; j < m; j++) {
      const hi = r.u32("pts hi");
      const lo = r.u32("pts lo");
      const pts = (hi | 0) * 4294967296 + lo;
      if (!Number.isSafeInteger(pts)) {
        r.fail(`pts out of the safe range`, "H4_BAD_SEEK_TABLE", "H4-LEG-006");
      }
      entries.push([
        pts,
        r.u32("core_index")
      ]);
    }
    out.push({
      track_id: id,
      entries
    });
  }
  r.end("SEEKM");
  for (let i = 1; i < out.length; i++) {
    if (compareCodePoints(out[i - 1].track_id, out[i].track_id) >= 0) {
      r.fail(`tracks not in code point order`, "H4_BAD_SEEK_TABLE", "H4-LEG-003");
    }
  }
  return out;
}
var init_seekm = __esm({
  "lib/format/seekm.ts"() {
    init_bytes();
    init_constants();
  }
});

// npm:@noble/curves/2.4.0/utils.js
function aarray(item, title, inner = () => {
}) {
  if (!Array.isArray(item)) throw new TypeError(`"${title}" expected array, got type=${typeof item}`);
  for (let i = 0; i < item.length; i++) inner(item[i], `${title}[${i}]`);
  return item;
}
function astring(value, title = "") {
  if (typeof value !== "string") {
    const prefix = title && `"${title}" `;
    throw new TypeError(prefix + "expected string, got type=" + typeof value);
  }
  return value;
}
function aobject2(value, title = "object") {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new TypeError(title === "object" ? "expected valid options object" : `"${title}" expected object, got type=${typeof value}`);
  return value;
}
function afunction(value, title) {
  if (typeof value !== "function") throw new TypeError(`"${title}" is invalid: expected function, got ${typeof value}`);
  return value;
}
function abool(value, title = "") {
  if (typeof value !== "boolean") throw new TypeError(atitle2(title) + "expected boolean, got type=" + typeof value);
  return value;
}
function abignumber(n) {
  if (typeof n === "bigint") {
    if (!isPosBig(n)) throw new RangeError("positive bigint expected, got " + n);
  } else anumber2(n);
  return n;
}
function asafenumber(value, title = "") {
  if (typeof value !== "number") {
    const prefix = title && `"${title}" `;
    throw new TypeError(prefix + "expected number, got type=" + typeof value);
  }
  if (!Number.isSafeInteger(value)) {
    const prefix = title && `"${title}" `;
    throw new RangeError(prefix + "expected safe integer, got " + value);
  }
}
function hexToNumber(hex) {
  if (typeof hex !== "string") throw new TypeError("hex string expected, got " + typeof hex);
  return hex === "" ? _0n : BigInt("0x" + hex);
}
function bytesToNumberBE(bytes) {
  return hexToNumber(bytesToHex(bytes));
}
function bytesToNumberLE(bytes) {
  return hexToNumber(bytesToHex(copyBytes(abytes(bytes)).reverse()));
}
function numberToBytesBE(n, len) {
  anumber(len);
  if (len === 0) throw new Error("zero output length is invalid");
  n = abignumber(n);
  const expectedLen = len * 2;
  const hex = n.toString(16);
  if (hex.length > expectedLen) throw new RangeError("number is too large");
  return hexToBytes(hex.padStart(expectedLen, "0"));
}
function numberToBytesLE(n, len) {
  return numberToBytesBE(n, len).reverse();
}
function equalBytes2(a, b) {
  a = abytes2(a);
  b = abytes2(b);
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
function copyBytes(bytes) {
  return Uint8Array.from(abytes2(bytes));
}
function asciiToBytes(ascii) {
  if (typeof ascii !== "string") throw new TypeError("ascii string expected, got " + typeof ascii);
  return Uint8Array.from(ascii, (c, i) => {
    const charCode = c.charCodeAt(0);
    if (c.length !== 1 || charCode > 127) {
      throw new RangeError(`string contains non-ASCII character "${ascii[i]}" with code ${charCode} at position ${i}`);
    }
    return charCode;
  });
}
function isPosBig(n) {
  return typeof n === "bigint" && _0n <= n;
}
function inRange(n, min, max) {
  return isPosBig(n) && isPosBig(min) && isPosBig(max) && min <= n && n < max;
}
function aInRange(title, n, min, max) {
  if (!inRange(n, min, max)) throw new RangeError("expected valid " + title + ": " + min + " <= n < " + max + ", got " + n);
}
function bitLen(n) {
  if (n < _0n) throw new Error("expected non-negative bigint, got " + n);
  return n === _0n ? 0 : n.toString(2).length;
}
function validateObject(object, fields = {}, optFields = {}, title = "object") {
  aobject2(object, title);
  aobject2(fields, "fields");
  aobject2(optFields, "optFields");
  function checkField(fieldName, expectedType, isOpt) {
    const label = title === "object" ? `param "${String(fieldName)}"` : `"${title}.${String(fieldName)}"`;
    const val = object[fieldName];
    if (!Object.hasOwn(object, fieldName) && (isOpt ? val !== void 0 : expectedType !== "function")) {
      throw new TypeError(`${label} is invalid: expected own property`);
    }
    if (isOpt && val === void 0) return;
    const current2 = typeof val;
    if (current2 !== expectedType || val === null) throw new TypeError(`${label} is invalid: expected ${expectedType}, got ${current2}`);
  }
  const iter = (f, isOpt) => Object.entries(f).forEach(([k, v]) => checkField(k, v, isOpt));
  iter(fields, false);
  iter(optFields, true);
}
var abytes2, anumber2, bytesToHex2, concatBytes2, hexToBytes2, isBytes2, randomBytes2, _0n, _1n, atitle2, bitMask, notImplemented;
var init_utils2 = __esm({
  "npm:@noble/curves/2.4.0/utils.js"() {
    init_utils();
    abytes2 = (value, length, title) => abytes(value, length, title);
    anumber2 = anumber;
    bytesToHex2 = bytesToHex;
    concatBytes2 = (...arrays) => concatBytes(...arrays);
    hexToBytes2 = (hex) => hexToBytes(hex);
    isBytes2 = isBytes;
    randomBytes2 = (bytesLength) => randomBytes(bytesLength);
    _0n = /* @__PURE__ */ BigInt(0);
    _1n = /* @__PURE__ */ BigInt(1);
    atitle2 = (title) => title ? `"${title}" ` : "";
    bitMask = (n) => {
      asafenumber(n, "n");
      return (_1n << BigInt(n)) - _1n;
    };
    notImplemented = () => {
      throw new Error("not implemented");
    };
  }
});

// npm:@noble/curves/2.4.0/abstract/modular.js
function mod(a, b) {
  if (b <= _0n2) throw new Error("mod: expected positive modulus, got " + b);
  const result = a % b;
  return result >= _0n2 ? result : b + result;
}
function pow(num, power, modulo) {
  if (modulo <= _1n2) throw new Error("pow: expected modulus > 1, got " + modulo);
  if (typeof power !== "bigint") throw new TypeError("invalid exponent: expected bigint, got " + typeof power);
  if (power < _0n2) throw new Error("invalid exponent, negatives unsupported");
  if (power === _0n2) return _1n2;
  if (power === _1n2) return num;
  let d = num % modulo;
  if (d < _0n2) d += modulo;
  if (power < POW_WINDOWED_MIN) {
    let p2 = _1n2;
    while (power > _0n2) {
      if (power & _1n2) p2 = p2 * d % modulo;
      d = d * d % modulo;
      power >>= _1n2;
    }
    return p2;
  }
  const digits = [];
  while (power > _0n2) {
    digits.push(Number(power & _15n));
    power >>= _4n;
  }
  const table = new Array(16);
  table[0] = _1n2;
  table[1] = d;
  for (let i = 2; i < 16; i++) table[i] = table[i - 1] * d % modulo;
  let p = table[digits[digits.length - 1]];
  for (let w2 = digits.length - 2; w2 >= 0; w2--) {
    p = p * p % modulo;
    p = p * p % modulo;
    p = p * p % modulo;
    p = p * p % modulo;
    const digit = digits[w2];
    if (digit !== 0) p = p * table[digit] % modulo;
  }
  return p;
}
function pow2(x, power, modulo) {
  if (modulo <= _1n2) throw new Error("pow2: expected modulus > 1, got " + modulo);
  if (power < _0n2) throw new Error("pow2: expected non-negative exponent, got " + power);
  let res = x;
  while (power-- > _0n2) {
    res *= res;
    res %= modulo;
  }
  return res;
}
function invert(number, modulo) {
  if (number === _0n2) throw new Error("invert: expected non-zero number");
  if (modulo <= _1n2) throw new Error("invert: expected modulus > 1, got " + modulo);
  let a = mod(number, modulo);
  let b = modulo;
  let x = _0n2, u = _1n2;
  while (a !== _0n2) {
    const q = b / a;
    const r = b - a * q;
    const m = x - u * q;
    b = a, a = r, x = u, u = m;
  }
  const gcd = b;
  if (gcd !== _1n2) throw new Error("invert: does not exist");
  return mod(x, modulo);
}
function invertCt(a, prime) {
  if (prime <= _1n2) throw new Error("invertCt: expected prime modulus > 1, got " + prime);
  const an = mod(a, prime);
  if (an === _0n2) throw new Error("invertCt: expected non-zero number");
  const inverse = pow(an, prime - _2n, prime);
  if (mod(an * inverse, prime) !== _1n2) throw new Error("invertCt: does not exist");
  return inverse;
}
function assertIsSquare(Fp2, root, n) {
  const F = Fp2;
  if (!F.eql(F.sqr(root), n)) throw new Error("Cannot find square root");
}
function aoddModulus(order2, fnName) {
  if ((order2 & _1n2) === _0n2) throw new Error(fnName + ": expected odd modulus, got " + order2);
}
function sqrt3mod4(Fp2, n) {
  const F = Fp2;
  const p1div4 = (F.ORDER + _1n2) / _4n;
  const root = F.pow(n, p1div4);
  assertIsSquare(F, root, n);
  return root;
}
function sqrt5mod8(Fp2, n) {
  const F = Fp2;
  const p5div8 = (F.ORDER - _5n) / _8n;
  const n2 = F.mul(n, _2n);
  const v = F.pow(n2, p5div8);
  const nv = F.mul(n, v);
  const i = F.mul(F.mul(nv, _2n), v);
  const root = F.mul(nv, F.sub(i, F.ONE));
  assertIsSquare(F, root, n);
  return root;
}
function sqrt9mod16(P) {
  const Fp_ = Field(P);
  const tn = tonelliShanks(P);
  const c1 = tn(Fp_, Fp_.neg(Fp_.ONE));
  const c2 = tn(Fp_, c1);
  const c3 = tn(Fp_, Fp_.neg(c1));
  const c4 = (P + _7n) / _16n;
  return (Fp2, n) => {
    const F = Fp2;
    let tv1 = F.pow(n, c4);
    let tv2 = F.mul(tv1, c1);
    const tv3 = F.mul(tv1, c2);
    const tv4 = F.mul(tv1, c3);
    const e1 = F.eql(F.sqr(tv2), n);
    const e2 = F.eql(F.sqr(tv3), n);
    tv1 = F.cmov(tv1, tv2, e1);
    tv2 = F.cmov(tv4, tv3, e2);
    const e3 = F.eql(F.sqr(tv2), n);
    const root = F.cmov(tv1, tv2, e3);
    assertIsSquare(F, root, n);
    return root;
  };
}
function tonelliShanks(P) {
  if (P < _3n) throw new Error("sqrt is not defined for small field");
  aoddModulus(P, "tonelliShanks");
  let Q = P - _1n2;
  let S = 0;
  while (Q % _2n === _0n2) {
    Q /= _2n;
    S++;
  }
  let Z = _2n;
  const _Fp = Field(P);
  while (FpLegendre(_Fp, Z) === 1) {
    if (Z++ > 1e3) throw new Error("Cannot find square root: probably non-prime P");
  }
  if (S === 1) return sqrt3mod4;
  let cc = _Fp.pow(Z, Q);
  const Q1div2 = (Q + _1n2) / _2n;
  return function tonelliSlow(Fp2, n) {
    const F = Fp2;
    if (F.is0(n)) return n;
    if (FpLegendre(F, n) !== 1) throw new Error("Cannot find square root");
    let M = S;
    let c = F.mul(F.ONE, cc);
    let t = F.pow(n, Q);
    let R = F.pow(n, Q1div2);
    while (!F.eql(t, F.ONE)) {
      if (F.is0(t)) throw new Error("Cannot find square root: probably non-prime P");
      let i = 1;
      let t_tmp = F.sqr(t);
      while (!F.eql(t_tmp, F.ONE)) {
        i++;
        t_tmp = F.sqr(t_tmp);
        if (i === M) throw new Error("Cannot find square root");
      }
      const exponent = _1n2 << BigInt(M - i - 1);
      const b = F.pow(c, exponent);
      M = i;
      c = F.sqr(b);
      t = F.mul(t, c);
      R = F.mul(R, b);
    }
    return R;
  };
}
function FpSqrt(P) {
  aoddModulus(P, "Fp.sqrt");
  if (P % _4n === _3n) return sqrt3mod4;
  if (P % _8n === _5n) return sqrt5mod8;
  if (P % _16n === _9n) return sqrt9mod16(P);
  return tonelliShanks(P);
}
function validateField(field) {
  aobject2(field, "field");
  if (typeof field.ORDER !== "bigint") throw new TypeError('param "ORDER" is invalid: expected bigint, got ' + typeof field.ORDER);
  asafenumber(field.BYTES, "BYTES");
  asafenumber(field.BITS, "BITS");
  for (const name of FIELD_FIELDS) afunction(field[name], "field." + name);
  if (field.BYTES < 1 || field.BITS < 1) throw new Error("invalid field: expected BYTES/BITS > 0");
  if (field.ORDER <= _1n2) throw new Error("invalid field: expected ORDER > 1, got " + field.ORDER);
  return field;
}
function FpInvertBatch(Fp2, nums, passZero = false) {
  validateField(Fp2);
  aarray(nums, "nums");
  abool(passZero, "passZero");
  const F = Fp2;
  const inverted = new Array(nums.length).fill(passZero ? F.ZERO : void 0);
  const multipliedAcc = nums.reduce((acc, num, i) => {
    if (F.is0(num)) return acc;
    inverted[i] = acc;
    return F.mul(acc, num);
  }, F.ONE);
  const invertedAcc = F.inv(multipliedAcc);
  nums.reduceRight((acc, num, i) => {
    if (F.is0(num)) return acc;
    inverted[i] = F.mul(acc, inverted[i]);
    return F.mul(acc, num);
  }, invertedAcc);
  return inverted;
}
function FpLegendre(Fp2, n) {
  validateField(Fp2);
  const F = Fp2;
  aoddModulus(F.ORDER, "FpLegendre");
  const p1mod2 = (F.ORDER - _1n2) / _2n;
  const powered = F.pow(n, p1mod2);
  const yes = F.eql(powered, F.ONE);
  const zero = F.eql(powered, F.ZERO);
  const no = F.eql(powered, F.neg(F.ONE));
  if (!yes && !zero && !no) throw new Error("invalid Legendre symbol result");
  return yes ? 1 : zero ? 0 : -1;
}
function nLength(n, nBitLength) {
  if (nBitLength !== void 0) anumber2(nBitLength);
  if (n <= _0n2) throw new Error("invalid n length: expected positive n, got " + n);
  if (nBitLength !== void 0 && nBitLength < 1) throw new Error("invalid n length: expected positive bit length, got " + nBitLength);
  const bits = bitLen(n);
  if (nBitLength !== void 0 && nBitLength < bits) throw new Error(`invalid n length: expected nBitLength (${nBitLength}) >= bitLen(n) (${bits})`);
  const _nBitLength = nBitLength !== void 0 ? nBitLength : bits;
  const nByteLength = Math.ceil(_nBitLength / 8);
  return {
    nBitLength: _nBitLength,
    nByteLength
  };
}
function Field(ORDER, opts = {}) {
  Object.freeze(_Field.prototype);
  return new _Field(ORDER, opts);
}
function FpSqrtEven(Fp2, elm) {
  validateField(Fp2);
  const F = Fp2;
  if (!F.isOdd) throw new Error("Field doesn't have isOdd");
  const root = F.sqrt(elm);
  return F.isOdd(root) ? F.neg(root) : root;
}
function getFieldBytesLength(fieldOrder) {
  if (typeof fieldOrder !== "bigint") throw new Error("field order must be bigint");
  if (fieldOrder <= _1n2) throw new Error("field order must be greater than 1");
  const bitLength = bitLen(fieldOrder - _1n2);
  return Math.ceil(bitLength / 8);
}
function getMinHashLength(fieldOrder) {
  const length = getFieldBytesLength(fieldOrder);
  return length + Math.ceil(length / 2);
}
function mapHashToField(key, fieldOrder, isLE2 = false) {
  abytes2(key);
  const len = key.length;
  const fieldLen = getFieldBytesLength(fieldOrder);
  const minLen = Math.max(getMinHashLength(fieldOrder), 16);
  if (len < minLen || len > 1024) throw new Error("expected " + minLen + "-1024 bytes of input, got " + len);
  const num = isLE2 ? bytesToNumberLE(key) : bytesToNumberBE(key);
  const reduced = mod(num, fieldOrder - _1n2) + _1n2;
  return isLE2 ? numberToBytesLE(reduced, fieldLen) : numberToBytesBE(reduced, fieldLen);
}
var _0n2, _1n2, _2n, _3n, _4n, _5n, _7n, _8n, _9n, _15n, _16n, POW_WINDOWED_MIN, isNegativeLE, FIELD_FIELDS, FIELD_SQRT, _Field;
var init_modular = __esm({
  "npm:@noble/curves/2.4.0/abstract/modular.js"() {
    init_utils2();
    _0n2 = /* @__PURE__ */ BigInt(0);
    _1n2 = /* @__PURE__ */ BigInt(1);
    _2n = /* @__PURE__ */ BigInt(2);
    _3n = /* @__PURE__ */ BigInt(3);
    _4n = /* @__PURE__ */ BigInt(4);
    _5n = /* @__PURE__ */ BigInt(5);
    _7n = /* @__PURE__ */ BigInt(7);
    _8n = /* @__PURE__ */ BigInt(8);
    _9n = /* @__PURE__ */ BigInt(9);
    _15n = /* @__PURE__ */ BigInt(15);
    _16n = /* @__PURE__ */ BigInt(16);
    POW_WINDOWED_MIN = /* @__PURE__ */ BigInt("0x10000000000000000");
    isNegativeLE = (num, modulo) => (mod(num, modulo) & _1n2) === _1n2;
    FIELD_FIELDS = [
      "create",
      "isValid",
      "is0",
      "neg",
      "inv",
      "sqrt",
      "sqr",
      "eql",
      "add",
      "sub",
      "mul",
      "pow",
      "div",
      "addN",
      "subN",
      "mulN",
      "sqrN"
    ];
    FIELD_SQRT = /* @__PURE__ */ new WeakMap();
    _Field = class {
      ORDER;
      BITS;
      BYTES;
      isLE;
      ZERO = _0n2;
      ONE = _1n2;
      _lengths;
      _mod;
      constructor(ORDER, opts = {}) {
        if (ORDER <= _1n2) throw new Error("invalid field: expected ORDER > 1, got " + ORDER);
        let _nbitLength = void 0;
        this.isLE = false;
        if (opts != null && typeof opts === "object") {
          if (typeof opts.BITS === "number") _nbitLength = opts.BITS;
          if (typeof opts.sqrt === "function")
            Object.defineProperty(this, "sqrt", {
              value: opts.sqrt,
              enumerable: true
            });
          if (typeof opts.isLE === "boolean") this.isLE = opts.isLE;
          if (opts.allowedLengths) this._lengths = Object.freeze(opts.allowedLengths.slice());
          if (typeof opts.modFromBytes === "boolean") this._mod = opts.modFromBytes;
        }
        const { nBitLength, nByteLength } = nLength(ORDER, _nbitLength);
        if (nByteLength > 2048) throw new Error("invalid field: expected ORDER of <= 2048 bytes");
        this.ORDER = ORDER;
        this.BITS = nBitLength;
        this.BYTES = nByteLength;
        Object.freeze(this);
      }
      create(num) {
        return mod(num, this.ORDER);
      }
      isValid(num) {
        if (typeof num !== "bigint") throw new TypeError("invalid field element: expected bigint, got " + typeof num);
        return _0n2 <= num && num < this.ORDER;
      }
      is0(num) {
        return num === _0n2;
      }
      // is valid and invertible
      isValidNot0(num) {
        return !this.is0(num) && this.isValid(num);
      }
      isOdd(num) {
        return (num & _1n2) === _1n2;
      }
      neg(num) {
        return mod(-num, this.ORDER);
      }
      eql(lhs, rhs) {
        return lhs === rhs;
      }
      sqr(num) {
        return mod(num * num, this.ORDER);
      }
      add(lhs, rhs) {
        return mod(lhs + rhs, this.ORDER);
      }
      sub(lhs, rhs) {
        return mod(lhs - rhs, this.ORDER);
      }
      mul(lhs, rhs) {
        return mod(lhs * rhs, this.ORDER);
      }
      pow(num, power) {
        return pow(num, power, this.ORDER);
      }
      div(lhs, rhs) {
        return mod(lhs * invert(rhs, this.ORDER), this.ORDER);
      }
      // Same as above, but doesn't normalize
      sqrN(num) {
        return num * num;
      }
      addN(lhs, rhs) {
        return lhs + rhs;
      }
      subN(lhs, rhs) {
        return lhs - rhs;
      }
      mulN(lhs, rhs) {
        return lhs * rhs;
      }
      inv(num) {
        return invert(num, this.ORDER);
      }
      sqrt(num) {
        let sqrt = FIELD_SQRT.get(this);
        if (!sqrt) FIELD_SQRT.set(this, sqrt = FpSqrt(this.ORDER));
        return sqrt(this, num);
      }
      toBytes(num) {
        return this.isLE ? numberToBytesLE(num, this.BYTES) : numberToBytesBE(num, this.BYTES);
      }
      fromBytes(bytes, skipValidation = false) {
        abytes2(bytes);
        const { _lengths: allowedLengths, BYTES, isLE: isLE2, ORDER, _mod: modFromBytes } = this;
        if (allowedLengths) {
          if (bytes.length < 1 || !allowedLengths.includes(bytes.length) || bytes.length > BYTES) {
            throw new Error("Field.fromBytes: expected " + allowedLengths + " bytes, got " + bytes.length);
          }
          const padded = new Uint8Array(BYTES);
          padded.set(bytes, isLE2 ? 0 : padded.length - bytes.length);
          bytes = padded;
        }
        if (bytes.length !== BYTES) throw new Error("Field.fromBytes: expected " + BYTES + " bytes, got " + bytes.length);
        let scalar = isLE2 ? bytesToNumberLE(bytes) : bytesToNumberBE(bytes);
        if (modFromBytes) scalar = mod(scalar, ORDER);
        if (!skipValidation) {
          if (!this.isValid(scalar)) throw new Error("invalid field element: outside of range 0..ORDER");
        }
        return scalar;
      }
      // TODO: we don't need it here, move out to separate fn
      invertBatch(lst) {
        return FpInvertBatch(this, lst, true);
      }
      // We can't move this out because Fp6, Fp12 implement it
      // and it's unclear what to return in there.
      cmov(a, b, condition) {
        abool(condition, "condition");
        return condition ? b : a;
      }
    };
  }
});

// npm:@noble/curves/2.4.0/abstract/curve.js
function validatePointCons(Point) {
  const pc = Point;
  if (typeof pc !== "function") throw new TypeError('"Point" expected constructor, got type=' + typeof Point);
  afunction(pc.fromAffine, "Point.fromAffine");
  afunction(pc.fromBytes, "Point.fromBytes");
  afunction(pc.fromHex, "Point.fromHex");
  aobject2(pc.BASE, "Point.BASE");
  aobject2(pc.ZERO, "Point.ZERO");
  validateField(pc.Fp);
  validateField(pc.Fn);
}
function normalizeZ(c, points) {
  validatePointCons(c);
  validateMSMPoints(points, c);
  const invertedZs = FpInvertBatch(c.Fp, points.map((p) => p.Z));
  return points.map((p, i) => c.fromAffine(p.toAffine(invertedZs[i])));
}
function validateW(W2, bits, min = 1) {
  if (!Number.isSafeInteger(W2) || W2 < min || W2 > bits) throw new Error("invalid window size, expected [" + min + ".." + bits + "], got W=" + W2);
}
function validateTableBytes(numPoints, fpBytes) {
  const bytes = numPoints * (4 * fpBytes + 128);
  if (bytes > TABLE_BYTES_MAX) throw new Error("invalid window size: table would need ~" + Math.ceil(bytes / 2 ** 20) + " MiB, max " + TABLE_BYTES_MAX / 2 ** 20 + " MiB");
}
function probeRandomBytes(randomBytes4, length) {
  if (randomBytes4 === void 0) return void 0;
  afunction(randomBytes4, "randomBytes");
  try {
    const probe = randomBytes4(length);
    if (!isBytes2(probe) || probe.length !== length) return void 0;
  } catch {
    return void 0;
  }
  return randomBytes4;
}
function validateMSMPoints(points, c) {
  aarray(points, "points");
  points.forEach((p, i) => {
    if (!(p instanceof c)) throw new Error("invalid point at index " + i);
  });
}
function validateMSMScalars(scalars, field, maxScalar) {
  if (!Array.isArray(scalars)) throw new Error("array of scalars expected");
  scalars.forEach((s, i) => {
    const ok = maxScalar === void 0 ? field.isValid(s) : isPosBig(s) && s < maxScalar;
    if (!ok) throw new Error("invalid scalar at index " + i);
  });
}
function getWindowSize(P) {
  return pointWindowSizes.get(P) || 1;
}
function oddMultiples(p, size) {
  const dbl = p.double();
  const t = [
    p
  ];
  for (let j = 1; j < size; j++) t.push(t[j - 1].add(dbl));
  return t;
}
function wnafDigits(n, W2) {
  const size = 2 ** W2;
  const half = size / 2;
  const mask = BigInt(size - 1);
  const d = [];
  while (n > _0n3) {
    let w2 = 0;
    if (n & _1n3) {
      w2 = Number(n & mask);
      if (w2 >= half) w2 -= size;
      n -= BigInt(w2);
    }
    d.push(w2);
    n >>= _1n3;
  }
  return d;
}
function signedWindowDigits(n, W2, windows) {
  const size = 2 ** W2;
  const half = size / 2;
  const mask = BigInt(size - 1);
  const shiftBy = BigInt(W2);
  const d = [];
  for (let w2 = 0; w2 < windows; w2++) {
    let v = Number(n & mask);
    n >>= shiftBy;
    if (v > half) {
      v -= size;
      n += _1n3;
    }
    d.push(v);
  }
  if (n !== _0n3) throw new Error("invalid wnaf");
  return d;
}
function wnafWalk(zero, tables2, digits) {
  let max = 0;
  for (const d of digits) max = Math.max(max, d.length);
  let acc = zero;
  for (let bit = max - 1; bit >= 0; bit--) {
    if (bit !== max - 1) acc = acc.double();
    for (let i = 0; i < digits.length; i++) {
      const w2 = digits[i][bit];
      if (w2) {
        const item = tables2[i][Math.abs(w2) - 1 >> 1];
        acc = acc.add(w2 < 0 ? item.negate() : item);
      }
    }
  }
  return acc;
}
function mulAddUnsafe(c, points, scalars, allowOversized = false) {
  validatePointCons(c);
  validateMSMPoints(points, c);
  abool(allowOversized, "allowOversized");
  validateMSMScalars(scalars, c.Fn, allowOversized ? c.Fn.ORDER ** _4n2 : void 0);
  if (points.length !== scalars.length) throw new Error("arrays of points and scalars must have equal length");
  const tables2 = points.map((p) => oddMultiples(p, 4));
  const digits = scalars.map((n) => wnafDigits(n, 4));
  return wnafWalk(c.ZERO, tables2, digits);
}
function createField(order2, field, isLE2) {
  if (field) {
    if (field.ORDER !== order2) throw new Error("Field.ORDER must match order: Fp == p, Fn == n");
    validateField(field);
    return field;
  } else {
    return Field(order2, {
      isLE: isLE2
    });
  }
}
function createCurveFields(type, CURVE, curveOpts = {}, FpFnLE) {
  if (type !== "weierstrass" && type !== "edwards") throw new Error('expected curve type "weierstrass" or "edwards"');
  if (FpFnLE === void 0) FpFnLE = type === "edwards";
  if (!CURVE || typeof CURVE !== "object") throw new Error(`expected valid ${type} CURVE object`);
  validateObject(curveOpts);
  for (const p of [
    "p",
    "n",
    "h"
  ]) {
    const val = CURVE[p];
    if (!(isPosBig(val) && val !== _0n3)) throw new Error(`CURVE.${p} must be positive bigint`);
  }
  const Fp2 = createField(CURVE.p, curveOpts.Fp, FpFnLE);
  const Fn2 = createField(CURVE.n, curveOpts.Fn, FpFnLE);
  const _b = type === "weierstrass" ? "b" : "d";
  const params2 = [
    "Gx",
    "Gy",
    "a",
    _b
  ];
  for (const p of params2) {
    if (!Fp2.isValid(CURVE[p])) throw new Error(`CURVE.${p} must be valid field element of CURVE.Fp`);
  }
  CURVE = Object.freeze(Object.assign({}, CURVE));
  return {
    CURVE,
    Fp: Fp2,
    Fn: Fn2
  };
}
function createKeygen(randomSecretKey, getPublicKey) {
  return function keygen(seed) {
    const secretKey = randomSecretKey(seed);
    return {
      secretKey,
      publicKey: getPublicKey(secretKey)
    };
  };
}
var _0n3, _1n3, _4n2, BLIND_BYTES, BLIND_BITS, FW_WINDOW, TABLE_BYTES_MAX, pointWindowSizes, ScalarMultiplier;
var init_curve = __esm({
  "npm:@noble/curves/2.4.0/abstract/curve.js"() {
    init_utils2();
    init_modular();
    _0n3 = /* @__PURE__ */ BigInt(0);
    _1n3 = /* @__PURE__ */ BigInt(1);
    _4n2 = /* @__PURE__ */ BigInt(4);
    BLIND_BYTES = 16;
    BLIND_BITS = 128;
    FW_WINDOW = 5;
    TABLE_BYTES_MAX = /* @__PURE__ */ (() => 2 ** 31)();
    pointWindowSizes = /* @__PURE__ */ new WeakMap();
    ScalarMultiplier = class {
      Point;
      BASE;
      ZERO;
      randomBytes;
      wnafPrecomputes = /* @__PURE__ */ new WeakMap();
      baseCanBeBlinded;
      bits;
      // Parametrized with a given Point class (not individual point)
      constructor(Point, randomBytes4) {
        validatePointCons(Point);
        this.randomBytes = probeRandomBytes(randomBytes4, BLIND_BYTES);
        this.Point = Point;
        this.BASE = Point.BASE;
        this.ZERO = Point.ZERO;
        this.bits = Point.Fn.BITS;
      }
      /**
         * Creates a signed fixed-window wNAF precomputation table: for every window w, the
         * multiples `[1..2^(W−1)]⋅2^(w⋅W)⋅P`, flattened. All doublings are baked into the table,
         * so cached multiplication is additions-only. `windows = ceil(bits/W) + 1`: the extra
         * window absorbs the final carry of signed-digit recoding.
         * For a 256-bit curve and W=6, the table is 44⋅32 = 1408 points.
         * @param point - Point instance
         * @param W - window size
         * @param bits - scalar bitlength the table must cover
         */
      buildWnafTable(point, W2, bits) {
        const windows = Math.ceil(bits / W2) + 1;
        const half = 2 ** (W2 - 1);
        const comp = [];
        let base = point;
        for (let w2 = 0; w2 < windows; w2++) {
          let acc = base;
          for (let i = 0; i < half; i++) {
            comp.push(acc);
            acc = acc.add(base);
          }
          base = comp[comp.length - 1].double();
        }
        return {
          W: W2,
          bits,
          windows,
          comp
        };
      }
      /**
         * Implements ec multiplication using precomputed signed fixed-window wNAF tables.
         * Constant-time: fixed window count with one table addition per window — zero digits feed
         * the fake accumulator — and no doublings; the lookup scans the whole window slice.
         * Scalar bounds are validated by the public entry points ({@link ScalarMultiplier.mulCT},
         * {@link ScalarMultiplier.mulCTBlinded}, {@link ScalarMultiplier.mulUnsafe});
         * signedWindowDigits throws if `n` exceeds the table.
         * @returns real and fake (for const-time) points
         */
      wnafCachedCT(precomputes, n) {
        const { W: W2, windows, comp } = precomputes;
        const half = 2 ** (W2 - 1);
        const digits = signedWindowDigits(n, W2, windows);
        let p = this.ZERO;
        let f = this.BASE;
        for (let w2 = 0; w2 < windows; w2++) {
          const digit = digits[w2];
          const start2 = w2 * half;
          const idx = Math.abs(digit) - 1;
          let sel = comp[start2];
          for (let i = 1; i < half; i++) sel = i === idx ? comp[start2 + i] : sel;
          const neg = sel.negate();
          if (digit === 0) f = f.add(comp[start2]);
          else p = p.add(digit < 0 ? neg : sel);
        }
        return {
          p,
          f
        };
      }
      // Cache key is point identity plus (W, bits); at most two entries exist per point (public-width
      // `Fn.BITS` and blinded `Fn.BITS + BLIND_BITS`). Callers must not reuse the same point with
      // incompatible `transform(...)` layouts and expect a separate cache entry.
      getWnafPrecomputes(W2, point, bits, transform) {
        let entries = this.wnafPrecomputes.get(point);
        let comp = entries?.find((entry) => entry.W === W2 && entry.bits === bits);
        if (!comp) {
          comp = this.buildWnafTable(point, W2, bits);
          if (typeof transform === "function") comp = {
            ...comp,
            comp: transform(comp.comp)
          };
          if (!entries) {
            entries = [];
            this.wnafPrecomputes.set(point, entries);
          }
          entries.push(comp);
        }
        return comp;
      }
      assertPoint(point) {
        if (!(point instanceof this.Point)) throw new TypeError('"point" expected Point instance, got type=' + typeof point);
      }
      // Shared prologue of the constant-time entry points. Rejects scalar 0: in key/signature-style
      // callers a zero scalar means broken upstream plumbing, and concrete Points already reject it.
      // Uses inRange instead of Fn.isValidNot0: validateField() only certifies the arithmetic subset.
      validateMulInput(point, scalar) {
        this.assertPoint(point);
        if (!inRange(scalar, _1n3, this.Point.Fn.ORDER)) throw new Error("invalid scalar");
      }
      // Constant-time dispatch shared by mulCT / mulCTBlinded. Un-precomputed points (W===1, e.g.
      // ECDH peer keys) skip building a throwaway cached table in favor of a small fixed-window
      // multiply. `n` must be < 2^bits.
      runCT(point, n, bits, transform) {
        const W2 = getWindowSize(point);
        if (W2 === 1) return this.fixedWindowCT(point, n, bits);
        return this.wnafCachedCT(this.getWnafPrecomputes(W2, point, bits, transform), n);
      }
      mulCT(point, scalar, transform) {
        this.validateMulInput(point, scalar);
        return this.runCT(point, scalar, this.bits, transform);
      }
      mulCTBlinded(point, scalar, transform) {
        this.validateMulInput(point, scalar);
        if (this.randomBytes === void 0) throw new Error("randomBytes is required for scalar blinding");
        const bits = this.Point.Fn.BITS + BLIND_BITS;
        const blind = this.randomBytes(BLIND_BYTES);
        if (!isBytes2(blind) || blind.length !== BLIND_BYTES) throw new Error("randomBytes returned invalid byte array");
        blind[0] = blind[0] & 63 | 128;
        const n = scalar + bytesToNumberBE(blind) * this.Point.Fn.ORDER;
        return this.runCT(point, n, bits, transform);
      }
      /**
         * Constant-time multiplication `n*point` for an un-precomputed point, via a small fixed window.
         * A cached wNAF table only pays off when reused; a flat 2^FW_WINDOW table (`size-1` adds) is
         * far cheaper to build for a single use. The point-operation sequence is independent of `n`:
         * build the table, then per window exactly FW_WINDOW doublings, a data-oblivious scan over
         * every table entry, and one addition (adds the identity when the window digit is 0 — never
         * skipped).
         *
         * `n` must be `< 2^bits`. Assumes complete addition (adding the identity costs the same as any
         * add), which holds for the Weierstrass/Edwards point types used here. The table is left in
         * projective form (no normalizeZ): normalizing this small a table costs more than the
         * mixed-add savings it would buy for a single multiply.
         * @returns real point `p`; `f` duplicates it only to match {@link wnafCachedCT}'s return shape
         * (this path needs no fake accumulator — its op-count is already scalar-independent).
         */
      fixedWindowCT(point, n, bits) {
        const W2 = FW_WINDOW;
        const size = 1 << W2;
        const mask = bitMask(W2);
        const table = new Array(size);
        table[0] = this.ZERO;
        for (let i = 1; i < size; i++) table[i] = table[i - 1].add(point);
        const windows = Math.ceil(bits / W2);
        let acc = this.ZERO;
        for (let window = windows - 1; window >= 0; window--) {
          if (window !== windows - 1) for (let d = 0; d < W2; d++) acc = acc.double();
          const digit = Number(n >> BigInt(window * W2) & mask);
          let sel = table[0];
          for (let i = 1; i < size; i++) sel = i === digit ? table[i] : sel;
          acc = acc.add(sel);
        }
        return {
          p: acc,
          f: acc
        };
      }
      shouldBlind(point, cofactor) {
        if (this.randomBytes === void 0) return false;
        if (cofactor === _1n3) return true;
        if (point !== this.BASE) return false;
        if (this.baseCanBeBlinded === void 0) this.baseCanBeBlinded = this.mulUnsafe(this.BASE, this.Point.Fn.ORDER).is0();
        return this.baseCanBeBlinded;
      }
      mulSecret(point, scalar, cofactor, transform) {
        return this.shouldBlind(point, cofactor) ? this.mulCTBlinded(point, scalar, transform) : this.mulCT(point, scalar, transform);
      }
      mulUnsafe(point, scalar, transform) {
        this.assertPoint(point);
        if (!isPosBig(scalar)) throw new Error("invalid scalar");
        const W2 = getWindowSize(point);
        if (W2 === 1 || scalar >= this.Point.Fn.ORDER) return mulAddUnsafe(this.Point, [
          point
        ], [
          scalar
        ], true);
        const precomputes = this.getWnafPrecomputes(W2, point, this.bits, transform);
        return this.wnafCachedCT(precomputes, scalar).p;
      }
      // Remembers the window size used for precomputed wNAF multiplication of the given point
      // and drops any previously built tables. Usually only the base point is precomputed.
      // W=1 resets the point to the un-precomputed (table-less) paths.
      // W is additionally capped so tables stay under ~2 GiB ({@link TABLE_BYTES_MAX}).
      setWindowSize(point, W2) {
        this.assertPoint(point);
        validateW(W2, this.bits);
        const windows = Math.ceil((this.bits + BLIND_BITS) / W2) + 1;
        validateTableBytes(windows * 2 ** (W2 - 1), this.Point.Fp.BYTES);
        pointWindowSizes.set(point, W2);
        this.wnafPrecomputes.delete(point);
      }
      // True when a window size is set: tables themselves are built lazily on first multiply.
      hasWindowSize(point) {
        return getWindowSize(point) !== 1;
      }
    };
  }
});

// npm:@noble/curves/2.4.0/abstract/edwards.js
function isEdValidXY(Fp2, CURVE, x, y) {
  const x2 = Fp2.sqr(x);
  const y2 = Fp2.sqr(y);
  const left = Fp2.add(Fp2.mul(CURVE.a, x2), y2);
  const right = Fp2.add(Fp2.ONE, Fp2.mul(CURVE.d, Fp2.mul(x2, y2)));
  return Fp2.eql(left, right);
}
function edwards(params2, extraOpts = {}) {
  validateObject(extraOpts, {}, {}, "extraOpts");
  const opts = extraOpts;
  const validated = createCurveFields("edwards", params2, opts, opts.FpFnLE);
  const { Fp: Fp2, Fn: Fn2 } = validated;
  let CURVE = validated.CURVE;
  const { h: cofactor } = CURVE;
  if (FpLegendre(Fp2, CURVE.a) !== 1) throw new Error("edwards: CURVE.a must be a square in Fp for complete addition formulas");
  if (FpLegendre(Fp2, CURVE.d) !== -1) throw new Error("edwards: CURVE.d must be a non-square in Fp for complete addition formulas");
  validateObject(opts, {}, {
    uvRatio: "function",
    randomBytes: "function"
  });
  const randomBytes4 = opts.randomBytes === void 0 ? randomBytes2 : opts.randomBytes;
  const MASK = _2n2 << BigInt(Fp2.BYTES * 8) - _1n4;
  function isOdd(n) {
    if (!Fp2.isOdd) throw new Error("Field does not have .isOdd()");
    return Fp2.isOdd(n);
  }
  const uvRatio2 = opts.uvRatio === void 0 ? (u, v) => {
    try {
      return {
        isValid: true,
        value: Fp2.sqrt(Fp2.div(u, v))
      };
    } catch (e) {
      return {
        isValid: false,
        value: _0n4
      };
    }
  } : opts.uvRatio;
  if (!isEdValidXY(Fp2, CURVE, CURVE.Gx, CURVE.Gy)) throw new Error("bad curve params: generator point");
  const mulA = Fp2.eql(CURVE.a, Fp2.neg(Fp2.ONE)) ? (x) => Fp2.neg(x) : Fp2.eql(CURVE.a, Fp2.ONE) ? (x) => x : (x) => Fp2.mul(CURVE.a, x);
  function acoord(title, n, banZero = false) {
    const min = banZero ? _1n4 : _0n4;
    aInRange("coordinate " + title, n, min, MASK);
    return n;
  }
  function aedpoint(other) {
    if (!(other instanceof Point)) throw new Error("EdwardsPoint expected");
  }
  class Point {
    static BASE = new Point(CURVE.Gx, CURVE.Gy, Fp2.ONE, Fp2.mul(CURVE.Gx, CURVE.Gy));
    static ZERO = new Point(Fp2.ZERO, Fp2.ONE, Fp2.ONE, Fp2.ZERO);
    static Fp = Fp2;
    static Fn = Fn2;
    X;
    Y;
    Z;
    T;
    constructor(X, Y, Z, T2) {
      this.X = acoord("x", X);
      this.Y = acoord("y", Y);
      this.Z = acoord("z", Z, true);
      this.T = acoord("t", T2);
      Object.freeze(this);
    }
    static CURVE() {
      return CURVE;
    }
    /**
         * Create one extended Edwards point from affine coordinates.
         * Does NOT validate that the point is on-curve or torsion-free.
         * Use `.assertValidity()` on adversarial inputs.
         */
    static fromAffine(p) {
      if (p instanceof Point) throw new Error("extended point not allowed");
      const { x, y } = p || {};
      acoord("x", x);
      acoord("y", y);
      return new Point(x, y, Fp2.ONE, Fp2.mul(x, y));
    }
    // Uses algo from RFC8032 5.1.3.
    static fromBytes(bytes, zip215 = false) {
      const len = Fp2.BYTES;
      const { a, d } = CURVE;
      bytes = copyBytes(abytes2(bytes, len, "point"));
      abool(zip215, "zip215");
      const normed = copyBytes(bytes);
      const lastByte = bytes[len - 1];
      normed[len - 1] = lastByte & ~128;
      const y = bytesToNumberLE(normed);
      const max = zip215 ? MASK : Fp2.ORDER;
      aInRange("point.y", y, _0n4, max);
      const y2 = Fp2.sqr(y);
      const u = Fp2.sub(y2, Fp2.ONE);
      const v = Fp2.sub(Fp2.mulN(d, y2), a);
      let { isValid, value: x } = uvRatio2(u, v);
      if (!isValid) throw new Error("bad point: invalid y coordinate");
      const isXOdd = isOdd(x);
      const isLastByteOdd = (lastByte & 128) !== 0;
      if (!zip215 && Fp2.is0(x) && isLastByteOdd)
        throw new Error("bad point: x=0 and x_0=1");
      if (isLastByteOdd !== isXOdd) x = Fp2.neg(x);
      return Point.fromAffine({
        x,
        y
      });
    }
    static fromHex(hex, zip215 = false) {
      return Point.fromBytes(hexToBytes2(hex), zip215);
    }
    get x() {
      return this.toAffine().x;
    }
    get y() {
      return this.toAffine().y;
    }
    precompute(windowSize = 6, isLazy = true) {
      wnaf.setWindowSize(this, windowSize);
      if (!isLazy) this.multiply(_2n2);
      return this;
    }
    // Useful in fromAffine() - not for fromBytes(), which always created valid points.
    assertValidity() {
      const p = this;
      const { a, d } = CURVE;
      if (p.is0()) throw new Error("bad point: ZERO");
      const { X, Y, Z, T: T2 } = p;
      const X2 = Fp2.sqr(X);
      const Y2 = Fp2.sqr(Y);
      const Z2 = Fp2.sqr(Z);
      const Z4 = Fp2.sqr(Z2);
      const aX2 = Fp2.mul(X2, a);
      const left = Fp2.mul(Fp2.add(aX2, Y2), Z2);
      const right = Fp2.add(Z4, Fp2.mul(d, Fp2.mul(X2, Y2)));
      if (!Fp2.eql(left, right)) throw new Error("bad point: equation left != right (1)");
      const XY = Fp2.mul(X, Y);
      const ZT = Fp2.mul(Z, T2);
      if (!Fp2.eql(XY, ZT)) throw new Error("bad point: equation left != right (2)");
    }
    // Compare one point to another.
    equals(other) {
      aedpoint(other);
      const { X: X1, Y: Y1, Z: Z1 } = this;
      const { X: X2, Y: Y2, Z: Z2 } = other;
      const X1Z2 = Fp2.mul(X1, Z2);
      const X2Z1 = Fp2.mul(X2, Z1);
      const Y1Z2 = Fp2.mul(Y1, Z2);
      const Y2Z1 = Fp2.mul(Y2, Z1);
      return Fp2.eql(X1Z2, X2Z1) && Fp2.eql(Y1Z2, Y2Z1);
    }
    is0() {
      return this.equals(Point.ZERO);
    }
    negate() {
      return new Point(Fp2.neg(this.X), this.Y, this.Z, Fp2.neg(this.T));
    }
    // Fast algo for doubling Extended Point.
    // https://hyperelliptic.org/EFD/g1p/auto-twisted-extended.html#doubling-dbl-2008-hwcd
    // Cost: 4M + 4S + 1*a + 6add + 1*2.
    double() {
      const { X: X1, Y: Y1, Z: Z1 } = this;
      const A = Fp2.sqr(X1);
      const B = Fp2.sqr(Y1);
      const C = Fp2.mul(Fp2.sqr(Z1), _2n2);
      const D = mulA(A);
      const x1y1 = Fp2.addN(X1, Y1);
      const E = Fp2.sub(Fp2.subN(Fp2.sqr(x1y1), A), B);
      const G = Fp2.addN(D, B);
      const F = Fp2.subN(G, C);
      const H2 = Fp2.subN(D, B);
      const X3 = Fp2.mul(E, F);
      const Y3 = Fp2.mul(G, H2);
      const T3 = Fp2.mul(E, H2);
      const Z3 = Fp2.mul(F, G);
      return new Point(X3, Y3, Z3, T3);
    }
    // Fast algo for adding 2 Extended Points.
    // https://hyperelliptic.org/EFD/g1p/auto-twisted-extended.html#addition-add-2008-hwcd
    // Cost: 9M + 1*a + 1*d + 7add.
    add(other) {
      aedpoint(other);
      const { d } = CURVE;
      const { X: X1, Y: Y1, Z: Z1, T: T1 } = this;
      const { X: X2, Y: Y2, Z: Z2, T: T2 } = other;
      const A = Fp2.mul(X1, X2);
      const B = Fp2.mul(Y1, Y2);
      const C = Fp2.mul(Fp2.mulN(T1, d), T2);
      const D = Fp2.mul(Z1, Z2);
      const E = Fp2.sub(Fp2.subN(Fp2.mulN(Fp2.addN(X1, Y1), Fp2.addN(X2, Y2)), A), B);
      const F = Fp2.subN(D, C);
      const G = Fp2.addN(D, C);
      const H2 = Fp2.sub(B, mulA(A));
      const X3 = Fp2.mul(E, F);
      const Y3 = Fp2.mul(G, H2);
      const T3 = Fp2.mul(E, H2);
      const Z3 = Fp2.mul(F, G);
      return new Point(X3, Y3, Z3, T3);
    }
    subtract(other) {
      aedpoint(other);
      return this.add(other.negate());
    }
    // Constant-time multiplication.
    multiply(scalar) {
      if (!Fn2.isValidNot0(scalar)) throw new RangeError("invalid scalar: expected 1 <= sc < curve.n");
      const { p, f } = wnaf.mulSecret(this, scalar, cofactor, normalize);
      return normalize([
        p,
        f
      ])[0];
    }
    // Non-constant-time multiplication. Uses double-and-add algorithm.
    // It's faster, but should only be used when you don't care about
    // an exposed private key e.g. sig verification.
    // Keeps the same subgroup-scalar contract: 0 is allowed for public-scalar callers, but
    // n and larger values are rejected instead of being reduced mod n to the identity point.
    multiplyUnsafe(scalar) {
      if (!Fn2.isValid(scalar)) throw new RangeError("invalid scalar: expected 0 <= sc < curve.n");
      if (scalar === _0n4) return Point.ZERO;
      if (this.is0() || scalar === _1n4) return this;
      return wnaf.mulUnsafe(this, scalar, normalize);
    }
    // Checks if point is of small order.
    // If you add something to small order point, you will have "dirty"
    // point with torsion component.
    // Clears cofactor and checks if the result is 0.
    isSmallOrder() {
      return this.clearCofactor().is0();
    }
    // Multiplies point by curve order and checks if the result is 0.
    // Returns `false` is the point is dirty.
    isTorsionFree() {
      return wnaf.mulUnsafe(this, CURVE.n).is0();
    }
    // Converts Extended point to default (x, y) coordinates.
    // Can accept precomputed Z^-1 - for example, from invertBatch.
    toAffine(invertedZ) {
      const p = this;
      let iz = invertedZ;
      if (iz != null && typeof iz !== "bigint") throw new TypeError('"invertedZ" expected bigint, got type=' + typeof iz);
      const { X, Y, Z } = p;
      const is0 = p.is0();
      if (iz == null) iz = is0 ? Fp2.create(_8n2) : Fp2.inv(Z);
      const x = Fp2.mul(X, iz);
      const y = Fp2.mul(Y, iz);
      const zz = Fp2.mul(Z, iz);
      if (is0) return {
        x: Fp2.ZERO,
        y: Fp2.ONE
      };
      if (!Fp2.eql(zz, Fp2.ONE)) throw new Error("invZ was invalid");
      return {
        x,
        y
      };
    }
    clearCofactor() {
      if (cofactor === _1n4) return this;
      if (cofactor === _2n2) return this.double();
      if (cofactor === _4n3) return this.double().double();
      if (cofactor === _8n2) return this.double().double().double();
      return this.multiplyUnsafe(cofactor);
    }
    toBytes() {
      const { x, y } = this.toAffine();
      const bytes = Fp2.toBytes(y);
      bytes[bytes.length - 1] |= isOdd(x) ? 128 : 0;
      return bytes;
    }
    toHex() {
      return bytesToHex2(this.toBytes());
    }
    toString() {
      return `<Point ${this.is0() ? "ZERO" : this.toHex()}>`;
    }
  }
  const normalize = (points) => normalizeZ(Point, points);
  const wnaf = new ScalarMultiplier(Point, randomBytes4);
  if (wnaf.bits >= 6) Point.BASE.precompute(6);
  Object.freeze(Point.prototype);
  Object.freeze(Point);
  return Point;
}
function eddsa(Point, cHash, eddsaOpts = {}) {
  validatePointCons(Point);
  if (typeof cHash !== "function") throw new Error('"hash" function param is required');
  const hash = cHash;
  const opts = eddsaOpts;
  validateObject(opts, {}, {
    adjustScalarBytes: "function",
    randomBytes: "function",
    domain: "function",
    prehash: "function",
    zip215: "boolean",
    mapToCurve: "function",
    toMontgomery: "function",
    toMontgomerySecret: "function"
  });
  const { prehash } = opts;
  const { BASE, Fp: Fp2, Fn: Fn2 } = Point;
  const outputLen = hash.outputLen;
  const expectedLen = 2 * Fp2.BYTES;
  if (outputLen !== void 0) {
    asafenumber(outputLen, "hash.outputLen");
    if (outputLen !== expectedLen) throw new Error(`hash.outputLen must be ${expectedLen}, got ${outputLen}`);
  }
  const randomBytes4 = opts.randomBytes === void 0 ? randomBytes2 : opts.randomBytes;
  const toMontgomery2 = opts.toMontgomery;
  const toMontgomerySecret2 = opts.toMontgomerySecret;
  const adjustScalarBytes2 = opts.adjustScalarBytes === void 0 ? (bytes) => bytes : opts.adjustScalarBytes;
  const domain = opts.domain === void 0 ? (data, ctx, phflag) => {
    abool(phflag, "phflag");
    if (ctx.length || phflag) throw new Error("Contexts/pre-hash are not supported");
    return data;
  } : opts.domain;
  function modN_LE(hash2) {
    return Fn2.create(bytesToNumberLE(hash2));
  }
  function getPrivateScalar(key) {
    const len = lengths.secretKey;
    abytes2(key, lengths.secretKey, "secretKey");
    const hashed = abytes2(hash(key), 2 * len, "hashedSecretKey");
    const head = adjustScalarBytes2(hashed.slice(0, len));
    const prefix = hashed.slice(len, 2 * len);
    const scalar = modN_LE(head);
    return {
      head,
      prefix,
      scalar
    };
  }
  function getExtendedPublicKey(secretKey) {
    const { head, prefix, scalar } = getPrivateScalar(secretKey);
    const point = BASE.multiply(scalar);
    const pointBytes = point.toBytes();
    return {
      head,
      prefix,
      scalar,
      point,
      pointBytes
    };
  }
  function getPublicKey(secretKey) {
    return getExtendedPublicKey(secretKey).pointBytes;
  }
  function hashDomainToScalar(context = Uint8Array.of(), ...msgs) {
    const msg = concatBytes2(...msgs);
    return modN_LE(hash(domain(msg, abytes2(context, void 0, "context"), !!prehash)));
  }
  function sign(msg, secretKey, options = {}) {
    validateObject(options, {}, {}, "options");
    msg = copyBytes(abytes2(msg, void 0, "message"));
    if (prehash) msg = prehash(msg);
    const { prefix, scalar, pointBytes } = getExtendedPublicKey(secretKey);
    const r = hashDomainToScalar(options.context, prefix, msg);
    const R = BASE.multiply(r).toBytes();
    const k = hashDomainToScalar(options.context, R, pointBytes, msg);
    const s = Fn2.create(r + k * scalar);
    if (!Fn2.isValid(s)) throw new Error("sign failed: invalid s");
    const rs = concatBytes2(R, Fn2.toBytes(s));
    return abytes2(rs, lengths.signature, "result");
  }
  const verifyOpts = {
    zip215: opts.zip215
  };
  function verify(sig, msg, publicKey, options = verifyOpts) {
    validateObject(options);
    const { context } = options;
    const zip215 = options.zip215 === void 0 ? !!verifyOpts.zip215 : options.zip215;
    const len = lengths.signature;
    sig = abytes2(sig, len, "signature");
    msg = abytes2(msg, void 0, "message");
    publicKey = abytes2(publicKey, lengths.publicKey, "publicKey");
    if (zip215 !== void 0) abool(zip215, "zip215");
    if (prehash) msg = prehash(msg);
    const mid = len / 2;
    const r = sig.subarray(0, mid);
    const s = bytesToNumberLE(sig.subarray(mid, len));
    let A, R, SB;
    try {
      A = Point.fromBytes(publicKey, zip215);
      R = Point.fromBytes(r, zip215);
      SB = BASE.multiplyUnsafe(s);
    } catch (error) {
      return false;
    }
    if (!zip215 && A.isSmallOrder()) return false;
    const k = hashDomainToScalar(context, r, publicKey, msg);
    const RkA = R.add(A.multiplyUnsafe(k));
    return RkA.subtract(SB).clearCofactor().is0();
  }
  const _size = Fp2.BYTES;
  const lengths = {
    secretKey: _size,
    publicKey: _size,
    signature: 2 * _size,
    seed: _size
  };
  function randomSecretKey(seed) {
    seed = seed === void 0 ? randomBytes4(lengths.seed) : seed;
    return abytes2(seed, lengths.seed, "seed");
  }
  function isValidSecretKey(key) {
    return isBytes2(key) && key.length === lengths.secretKey;
  }
  function isValidPublicKey(key, zip215) {
    try {
      return !!Point.fromBytes(key, zip215 === void 0 ? verifyOpts.zip215 : zip215);
    } catch (error) {
      return false;
    }
  }
  const utils = {
    getExtendedPublicKey,
    randomSecretKey,
    isValidSecretKey,
    isValidPublicKey,
    /** Converts an Edwards public key to a companion Montgomery public key. */
    toMontgomery(publicKey) {
      if (toMontgomery2 === void 0) throw new Error("Montgomery conversion is not supported for this curve");
      return toMontgomery2(Point.fromBytes(publicKey));
    },
    toMontgomerySecret(secretKey) {
      if (toMontgomerySecret2 === void 0) throw new Error("Montgomery conversion is not supported for this curve");
      return toMontgomerySecret2(secretKey);
    }
  };
  Object.freeze(lengths);
  Object.freeze(utils);
  return Object.freeze({
    keygen: createKeygen(randomSecretKey, getPublicKey),
    getPublicKey,
    sign,
    verify,
    utils,
    Point,
    lengths
  });
}
var _0n4, _1n4, _2n2, _4n3, _8n2, PrimeEdwardsPoint;
var init_edwards = __esm({
  "npm:@noble/curves/2.4.0/abstract/edwards.js"() {
    init_utils2();
    init_curve();
    init_modular();
    _0n4 = /* @__PURE__ */ BigInt(0);
    _1n4 = /* @__PURE__ */ BigInt(1);
    _2n2 = /* @__PURE__ */ BigInt(2);
    _4n3 = /* @__PURE__ */ BigInt(4);
    _8n2 = /* @__PURE__ */ BigInt(8);
    PrimeEdwardsPoint = class {
      static BASE;
      static ZERO;
      static Fp;
      static Fn;
      ep;
      /**
         * Wrap one internal Edwards representative directly.
         * This is not a canonical encoding boundary: alternate Edwards
         * representatives may still describe the same abstract wrapper element.
         */
      constructor(ep) {
        this.ep = ep;
      }
      // Static methods that must be implemented by subclasses
      static fromBytes(_bytes) {
        notImplemented();
      }
      static fromHex(_hex) {
        notImplemented();
      }
      get x() {
        return this.toAffine().x;
      }
      get y() {
        return this.toAffine().y;
      }
      // Common implementations
      clearCofactor() {
        return this;
      }
      assertValidity() {
        this.ep.assertValidity();
      }
      /**
         * Return affine coordinates of the current internal Edwards representative.
         * This is a convenience helper, not a canonical Ristretto/Decaf encoding.
         * Equal abstract elements may expose different `x` / `y`; use
         * `toBytes()` / `fromBytes()` for canonical roundtrips.
         */
      toAffine(invertedZ) {
        return this.ep.toAffine(invertedZ);
      }
      toHex() {
        return bytesToHex2(this.toBytes());
      }
      toString() {
        return this.toHex();
      }
      isTorsionFree() {
        return true;
      }
      isSmallOrder() {
        return false;
      }
      add(other) {
        this.assertSame(other);
        return this.init(this.ep.add(other.ep));
      }
      subtract(other) {
        this.assertSame(other);
        return this.init(this.ep.subtract(other.ep));
      }
      multiply(scalar) {
        return this.init(this.ep.multiply(scalar));
      }
      multiplyUnsafe(scalar) {
        return this.init(this.ep.multiplyUnsafe(scalar));
      }
      double() {
        return this.init(this.ep.double());
      }
      negate() {
        return this.init(this.ep.negate());
      }
      precompute(windowSize, isLazy) {
        this.ep.precompute(windowSize, isLazy);
        return this;
      }
    };
  }
});

// npm:@noble/curves/2.4.0/abstract/fft.js
function checkU32(n, title = "n") {
  if (typeof n !== "number") throw new TypeError(`wrong u32 integer "${title}": expected number, got type=${typeof n}`);
  if (!Number.isSafeInteger(n) || n < 0 || n > 4294967295) throw new RangeError(`wrong u32 integer "${title}": expected 0..4294967295, got ${n}`);
  return n;
}
function isPowerOfTwo(x) {
  checkU32(x, "x");
  return (x & x - 1) === 0 && x !== 0;
}
function nextPowerOfTwo(n) {
  checkU32(n);
  if (n <= 1) return 1;
  if (n > 2147483648) throw new Error("nextPowerOfTwo overflow: result does not fit u32");
  return 1 << log2(n - 1) + 1 >>> 0;
}
function log2(n) {
  checkU32(n);
  return 31 - Math.clz32(n);
}
function poly(field, roots, create, fft, length) {
  validateField(field);
  const F = field;
  const _create = create || ((len, elm) => new Array(len).fill(elm ?? F.ZERO));
  const isPoly = (x) => {
    if (Array.isArray(x)) return true;
    if (!ArrayBuffer.isView(x)) return false;
    const v = x;
    return typeof v.length === "number" && typeof v.slice === "function" && typeof v[Symbol.iterator] === "function";
  };
  const checkPoly = (title, value) => {
    if (!isPoly(value)) throw new TypeError(`"${title}" expected polynomial, got type=${typeof value}`);
  };
  const checkLength = (a, b) => {
    checkPoly("a", a);
    const L = a.length;
    if (b !== void 0) {
      checkPoly("b", b);
      if (b.length !== L) throw new Error(`poly: mismatched lengths ${L} vs ${b.length}`);
    }
    if (length !== void 0 && L !== length) throw new Error(`poly: expected fixed length ${length}, got ${L}`);
    return L;
  };
  function findOmegaIndex(x, n, brp = false, weights) {
    if (!isPowerOfTwo(n)) throw new Error("poly.lagrange: expected power of two length, got " + n);
    const omega = weights || (brp ? roots.brp(log2(n)) : roots.roots(log2(n)));
    for (let i = 0; i < n; i++) if (F.eql(x, omega[i])) return i;
    return -1;
  }
  return {
    roots,
    create: _create,
    length,
    extend: (a, len) => {
      checkLength(a);
      const out = _create(len, F.ZERO);
      for (let i = 0; i < Math.min(a.length, len); i++) out[i] = a[i];
      return out;
    },
    degree: (a) => {
      checkLength(a);
      for (let i = a.length - 1; i >= 0; i--) if (!F.is0(a[i])) return i;
      return -1;
    },
    add: (a, b) => {
      const len = checkLength(a, b);
      const out = _create(len);
      for (let i = 0; i < len; i++) out[i] = F.add(a[i], b[i]);
      return out;
    },
    sub: (a, b) => {
      const len = checkLength(a, b);
      const out = _create(len);
      for (let i = 0; i < len; i++) out[i] = F.sub(a[i], b[i]);
      return out;
    },
    dot: (a, b) => {
      const len = checkLength(a, b);
      const out = _create(len);
      for (let i = 0; i < len; i++) out[i] = F.mul(a[i], b[i]);
      return out;
    },
    mul: (a, b) => {
      if (isPoly(b)) {
        const len = checkLength(a, b);
        if (fft) {
          const A = fft.direct(a, false, true);
          const B = fft.direct(b, false, true);
          for (let i = 0; i < A.length; i++) A[i] = F.mul(A[i], B[i]);
          return fft.inverse(A, true, false);
        } else {
          const res = _create(len);
          for (let i = 0; i < len; i++) {
            for (let j = 0; j < len; j++) {
              const k = (i + j) % len;
              res[k] = F.add(res[k], F.mul(a[i], b[j]));
            }
          }
          return res;
        }
      } else {
        const out = _create(checkLength(a));
        for (let i = 0; i < out.length; i++) out[i] = F.mul(a[i], b);
        return out;
      }
    },
    convolve(a, b) {
      checkPoly("a", a);
      checkPoly("b", b);
      const len = nextPowerOfTwo(a.length + b.length - 1);
      return this.mul(this.extend(a, len), this.extend(b, len));
    },
    shift(p, factor) {
      checkPoly("p", p);
      const out = _create(p.length);
      if (length !== void 0 && p.length !== length) throw new Error(`poly: expected fixed length ${length}, got ${p.length}`);
      if (!p.length) return out;
      out[0] = p[0];
      for (let i = 1, power = F.ONE; i < p.length; i++) {
        power = F.mul(power, factor);
        out[i] = F.mul(p[i], power);
      }
      return out;
    },
    clone: (a) => {
      checkLength(a);
      const out = _create(a.length);
      for (let i = 0; i < a.length; i++) out[i] = a[i];
      return out;
    },
    eval: (a, basis) => {
      checkLength(a, basis);
      let acc = F.ZERO;
      for (let i = 0; i < a.length; i++) acc = F.add(acc, F.mul(a[i], basis[i]));
      return acc;
    },
    monomial: {
      basis: (x, n) => {
        const out = _create(n);
        let pow3 = F.ONE;
        for (let i = 0; i < n; i++) {
          out[i] = pow3;
          pow3 = F.mul(pow3, x);
        }
        return out;
      },
      eval: (a, x) => {
        checkLength(a);
        let acc = F.ZERO;
        for (let i = a.length - 1; i >= 0; i--) acc = F.add(F.mul(acc, x), a[i]);
        return acc;
      }
    },
    lagrange: {
      basis: (x, n, brp = false, weights) => {
        if (!isPowerOfTwo(n)) throw new Error("poly.lagrange: expected power of two length, got " + n);
        const bits = log2(n);
        const cache = weights || (brp ? roots.brp(bits) : roots.roots(bits));
        const out = _create(n);
        const idx = findOmegaIndex(x, n, brp, weights);
        if (idx !== -1) {
          out[idx] = F.ONE;
          return out;
        }
        const tm = F.pow(x, BigInt(n));
        const c = F.mul(F.sub(tm, F.ONE), F.inv(BigInt(n)));
        const denom = _create(n);
        for (let i = 0; i < n; i++) denom[i] = F.sub(x, cache[i]);
        const inv = F.invertBatch(denom);
        for (let i = 0; i < n; i++) out[i] = F.mul(c, F.mul(cache[i], inv[i]));
        return out;
      },
      eval(a, x, brp = false) {
        checkLength(a);
        const idx = findOmegaIndex(x, a.length, brp);
        if (idx !== -1) return a[idx];
        const L = this.basis(x, a.length, brp);
        let acc = F.ZERO;
        for (let i = 0; i < a.length; i++) if (!F.is0(a[i])) acc = F.add(acc, F.mul(a[i], L[i]));
        return acc;
      }
    },
    vanishing(roots2) {
      checkPoly("roots", roots2);
      if (length !== void 0 && roots2.length !== length) throw new Error(`poly: expected fixed length ${length}, got ${roots2.length}`);
      const out = _create(roots2.length + 1, F.ZERO);
      out[0] = F.ONE;
      for (const r of roots2) {
        const neg = F.neg(r);
        for (let j = out.length - 1; j > 0; j--) out[j] = F.add(F.mul(out[j], neg), out[j - 1]);
        out[0] = F.mul(out[0], neg);
      }
      return out;
    }
  };
}
var init_fft = __esm({
  "npm:@noble/curves/2.4.0/abstract/fft.js"() {
    init_modular();
  }
});

// npm:@noble/curves/2.4.0/abstract/hash-to-curve.js
function i2osp(value, length) {
  asafenumber(value);
  asafenumber(length);
  if (length < 0 || length > 4) throw new Error("invalid I2OSP length: " + length);
  if (value < 0 || value > 2 ** (8 * length) - 1) throw new Error("invalid I2OSP input: " + value);
  const res = Array.from({
    length
  }).fill(0);
  for (let i = length - 1; i >= 0; i--) {
    res[i] = value & 255;
    value >>>= 8;
  }
  return new Uint8Array(res);
}
function strxor(a, b) {
  const arr = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) {
    arr[i] = a[i] ^ b[i];
  }
  return arr;
}
function normDST(DST) {
  if (!isBytes2(DST) && typeof DST !== "string") throw new Error("DST must be Uint8Array or ascii string");
  const dst = typeof DST === "string" ? asciiToBytes(DST) : DST;
  if (dst.length === 0) throw new Error("DST must be non-empty");
  return dst;
}
function expand_message_xmd(msg, DST, lenInBytes, H2) {
  abytes2(msg);
  asafenumber(lenInBytes);
  if (typeof H2 !== "function") throw new Error("expand_message_xmd: expected hash function");
  asafenumber(H2.outputLen, "hash.outputLen");
  asafenumber(H2.blockLen, "hash.blockLen");
  DST = normDST(DST);
  if (DST.length > 255) DST = H2(concatBytes2(asciiToBytes("H2C-OVERSIZE-DST-"), DST));
  const { outputLen: b_in_bytes, blockLen: r_in_bytes } = H2;
  const ell = Math.ceil(lenInBytes / b_in_bytes);
  if (lenInBytes > 65535 || ell > 255) throw new Error("expand_message_xmd: invalid lenInBytes");
  const DST_prime = concatBytes2(DST, i2osp(DST.length, 1));
  const Z_pad = new Uint8Array(r_in_bytes);
  const l_i_b_str = i2osp(lenInBytes, 2);
  const b = new Array(ell);
  const b_0 = H2(concatBytes2(Z_pad, msg, l_i_b_str, i2osp(0, 1), DST_prime));
  b[0] = H2(concatBytes2(b_0, i2osp(1, 1), DST_prime));
  for (let i = 1; i < ell; i++) {
    const args = [
      strxor(b_0, b[i - 1]),
      i2osp(i + 1, 1),
      DST_prime
    ];
    b[i] = H2(concatBytes2(...args));
  }
  const pseudo_random_bytes = concatBytes2(...b);
  return pseudo_random_bytes.slice(0, lenInBytes);
}
function expand_message_xof(msg, DST, lenInBytes, k, H2) {
  abytes2(msg);
  asafenumber(lenInBytes);
  asafenumber(k, "k");
  if (k < 0) throw new Error("expand_message_xof: invalid k");
  if (typeof H2 !== "function") throw new Error("expand_message_xof: expected XOF function");
  if (typeof H2.create !== "function") throw new Error("expand_message_xof: expected XOF create");
  DST = normDST(DST);
  if (lenInBytes < 0 || lenInBytes > 65535) throw new Error("expand_message_xof: invalid lenInBytes");
  if (DST.length > 255) {
    const dkLen = Math.ceil(2 * k / 8);
    DST = H2.create({
      dkLen
    }).update(asciiToBytes("H2C-OVERSIZE-DST-")).update(DST).digest();
  }
  if (DST.length > 255) throw new Error("expand_message_xof: invalid DST");
  return H2.create({
    dkLen: lenInBytes
  }).update(msg).update(i2osp(lenInBytes, 2)).update(DST).update(i2osp(DST.length, 1)).digest();
}
function hash_to_field(msg, count, options) {
  validateObject(options, {
    p: "bigint",
    m: "number",
    k: "number",
    hash: "function"
  });
  const { p, k, m, hash, expand: expand2, DST } = options;
  asafenumber(hash.outputLen, "valid hash");
  abytes2(msg);
  asafenumber(count);
  asafenumber(m, "m");
  asafenumber(k, "k");
  if (p <= BigInt(1)) throw new Error("hash_to_field: expected valid field characteristic");
  if (count < 1) throw new Error("hash_to_field: expected count >= 1");
  if (m < 1) throw new Error("hash_to_field: expected m >= 1");
  if (k < 0) throw new Error("hash_to_field: invalid k");
  const log2p = p.toString(2).length;
  const L = Math.ceil((log2p + k) / 8);
  const len_in_bytes = count * m * L;
  let prb;
  if (expand2 === "xmd") {
    prb = expand_message_xmd(msg, DST, len_in_bytes, hash);
  } else if (expand2 === "xof") {
    prb = expand_message_xof(msg, DST, len_in_bytes, k, hash);
  } else if (expand2 === "_internal_pass") {
    prb = msg;
  } else {
    throw new Error('expand must be "xmd" or "xof"');
  }
  const u = new Array(count);
  for (let i = 0; i < count; i++) {
    const e = new Array(m);
    for (let j = 0; j < m; j++) {
      const elm_offset = L * (j + i * m);
      const tv = prb.subarray(elm_offset, elm_offset + L);
      e[j] = mod(os2ip(tv), p);
    }
    u[i] = e;
  }
  return u;
}
function createHasher2(Point, mapToCurve, defaults) {
  if (typeof mapToCurve !== "function") throw new Error("mapToCurve() must be defined");
  validateObject(defaults);
  const snapshot = (src2) => Object.freeze({
    ...src2,
    DST: isBytes2(src2.DST) ? copyBytes(src2.DST) : src2.DST,
    ...src2.encodeDST === void 0 ? {} : {
      encodeDST: isBytes2(src2.encodeDST) ? copyBytes(src2.encodeDST) : src2.encodeDST
    }
  });
  const safeDefaults = snapshot(defaults);
  const dstOverride = (options) => options && options.DST !== void 0 ? {
    DST: options.DST
  } : void 0;
  function map(num) {
    return Point.fromAffine(mapToCurve(num));
  }
  function clear(initial) {
    const P = initial.clearCofactor();
    if (P.equals(Point.ZERO)) return Point.ZERO;
    P.assertValidity();
    return P;
  }
  return Object.freeze({
    get defaults() {
      return snapshot(safeDefaults);
    },
    Point,
    hashToCurve(msg, options) {
      const opts = Object.assign({}, safeDefaults, dstOverride(options));
      const u = hash_to_field(msg, 2, opts);
      const u0 = map(u[0]);
      const u1 = map(u[1]);
      return clear(u0.add(u1));
    },
    encodeToCurve(msg, options) {
      const optsDst = safeDefaults.encodeDST === void 0 ? {} : {
        DST: safeDefaults.encodeDST
      };
      const opts = Object.assign({}, safeDefaults, optsDst, dstOverride(options));
      const u = hash_to_field(msg, 1, opts);
      const u0 = map(u[0]);
      return clear(u0);
    },
    /** See {@link H2CHasher} */
    mapToCurve(scalars) {
      if (safeDefaults.m === 1) {
        if (typeof scalars !== "bigint") throw new Error("expected bigint (m=1)");
        return clear(map([
          scalars
        ]));
      }
      if (!Array.isArray(scalars)) throw new Error("expected array of bigints");
      if (scalars.length !== safeDefaults.m) throw new Error(`expected array of ${safeDefaults.m} bigints`);
      for (const i of scalars) if (typeof i !== "bigint") throw new Error("expected array of bigints");
      return clear(map(scalars));
    },
    // hash_to_scalar can produce 0: https://www.rfc-editor.org/errata/eid8393
    // RFC 9380, draft-irtf-cfrg-bbs-signatures-08. Default scalar DST is the shared generic
    // `HashToScalar-` prefix above unless the caller overrides it per invocation.
    hashToScalar(msg, options) {
      const N = Point.Fn.ORDER;
      const opts = Object.assign({}, safeDefaults, {
        DST: _DST_scalar
      }, dstOverride(options), {
        p: N,
        m: 1
      });
      return hash_to_field(msg, 1, opts)[0][0];
    }
  });
}
var os2ip, _DST_scalar;
var init_hash_to_curve = __esm({
  "npm:@noble/curves/2.4.0/abstract/hash-to-curve.js"() {
    init_utils2();
    init_modular();
    os2ip = bytesToNumberBE;
    _DST_scalar = "HashToScalar-";
  }
});

// npm:@noble/curves/2.4.0/abstract/frost.js
function createFROST(opts) {
  validateObject(opts, {
    name: "string",
    hash: "function"
  }, {
    hashToScalar: "function",
    validatePoint: "function",
    parsePublicKey: "function",
    adjustScalar: "function",
    adjustPoint: "function",
    challenge: "function",
    adjustNonces: "function",
    adjustSecret: "function",
    adjustPublic: "function",
    adjustGroupCommitmentShare: "function",
    adjustTx: "object",
    adjustDKG: "function"
  });
  validatePointCons(opts.Point);
  const { Point, validatePoint, parsePublicKey, adjustScalar, adjustPoint: adjustPointHook, challenge, adjustNonces, adjustSecret, adjustPublic, adjustGroupCommitmentShare, adjustDKG } = opts;
  const Fn2 = opts.Fn === void 0 ? Point.Fn : opts.Fn;
  const adjustTx = opts.adjustTx === void 0 ? void 0 : {
    encode: opts.adjustTx.encode,
    decode: opts.adjustTx.decode
  };
  if (adjustTx) validateObject(adjustTx, {
    encode: "function",
    decode: "function"
  });
  const hashBytes = opts.hash;
  const hashToScalar = opts.hashToScalar === void 0 ? (msg, opts2 = {
    DST: new Uint8Array()
  }) => {
    const t = hashBytes(concatBytes2(opts2.DST, msg));
    return Fn2.create(Fn2.isLE ? bytesToNumberLE(t) : bytesToNumberBE(t));
  } : opts.hashToScalar;
  const H1Prefix = utf8ToBytes(opts.H1 !== void 0 ? opts.H1 : opts.name + "rho");
  const H2Prefix = utf8ToBytes(opts.H2 !== void 0 ? opts.H2 : opts.name + "chal");
  const H3Prefix = utf8ToBytes(opts.H3 !== void 0 ? opts.H3 : opts.name + "nonce");
  const H4Prefix = utf8ToBytes(opts.H4 !== void 0 ? opts.H4 : opts.name + "msg");
  const H5Prefix = utf8ToBytes(opts.H5 !== void 0 ? opts.H5 : opts.name + "com");
  const HDKGPrefix = utf8ToBytes(opts.HDKG !== void 0 ? opts.HDKG : opts.name + "dkg");
  const HIDPrefix = utf8ToBytes(opts.HID !== void 0 ? opts.HID : opts.name + "id");
  const H1 = (msg) => hashToScalar(msg, {
    DST: H1Prefix
  });
  const H2 = (msg) => hashToScalar(msg, {
    DST: H2Prefix
  });
  const H3 = (msg) => hashToScalar(msg, {
    DST: H3Prefix
  });
  const H4 = (msg) => hashBytes(concatBytes2(H4Prefix, msg));
  const H5 = (msg) => hashBytes(concatBytes2(H5Prefix, msg));
  const HDKG = (msg) => hashToScalar(msg, {
    DST: HDKGPrefix
  });
  const HID = (msg) => hashToScalar(msg, {
    DST: HIDPrefix
  });
  const randomScalar = (rng = randomBytes2) => {
    if (typeof rng !== "function") throw new TypeError('"rng" expected function, got type=' + typeof rng);
    const t = mapHashToField(rng(getMinHashLength(Fn2.ORDER)), Fn2.ORDER, Fn2.isLE);
    return Fn2.isLE ? bytesToNumberLE(t) : bytesToNumberBE(t);
  };
  const serializePoint = (p) => p.toBytes();
  const validatePublicPoint = (p) => {
    p.assertValidity();
    if (p.is0()) throw new Error("invalid point: identity");
    if (!p.isTorsionFree()) throw new Error("bad point: not in prime-order subgroup");
    if (validatePoint) validatePoint(p);
    return p;
  };
  const parsePoint = (bytes) => validatePublicPoint(Point.fromBytes(bytes));
  const nonceCommitments = (identifier, nonces) => ({
    identifier,
    hiding: serializePoint(Point.BASE.multiply(Fn2.fromBytes(nonces.hiding))),
    binding: serializePoint(Point.BASE.multiply(Fn2.fromBytes(nonces.binding)))
  });
  const adjustPoint = adjustPointHook === void 0 ? (n) => n : adjustPointHook;
  const validateIdentifier = (n) => {
    if (!Fn2.isValid(n) || Fn2.is0(n)) throw new Error("Invalid identifier " + n);
    return n;
  };
  const serializeIdentifier = (id) => bytesToHex2(Fn2.toBytes(validateIdentifier(id)));
  const parseIdentifier = (id, title = "identifier") => {
    astring(id, title);
    const n = validateIdentifier(Fn2.fromBytes(hexToBytes2(id)));
    if (serializeIdentifier(n) !== id) throw new Error("expected canonical identifier hex");
    return n;
  };
  const copyRound1Package = (p) => ({
    identifier: serializeIdentifier(parseIdentifier(p.identifier)),
    commitment: p.commitment.map((c) => copyBytes(c)),
    proofOfKnowledge: copyBytes(p.proofOfKnowledge)
  });
  const canonicalRound1Packages = (packages) => {
    const snapshot = packages.map(copyRound1Package);
    snapshot.sort((a, b) => {
      const ai = parseIdentifier(a.identifier);
      const bi = parseIdentifier(b.identifier);
      return ai < bi ? -1 : ai > bi ? 1 : 0;
    });
    return snapshot;
  };
  const equalRound1Transcripts = (a, b) => {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const p = a[i];
      const q = b[i];
      if (p.identifier !== q.identifier || p.commitment.length !== q.commitment.length) return false;
      for (let j = 0; j < p.commitment.length; j++) {
        if (!equalBytes2(p.commitment[j], q.commitment[j])) return false;
      }
      if (!equalBytes2(p.proofOfKnowledge, q.proofOfKnowledge)) return false;
    }
    return true;
  };
  const Signature = {
    // RFC 9591 Appendix A encodes signatures canonically as
    // SerializeElement(R) || SerializeScalar(z).
    encode: (R, z) => {
      let res = concatBytes2(serializePoint(R), Fn2.toBytes(z));
      if (adjustTx) res = adjustTx.encode(res);
      return res;
    },
    decode: (sig) => {
      if (adjustTx) sig = adjustTx.decode(sig);
      const Rbytes = sig.subarray(0, -Fn2.BYTES);
      const R = parsePoint(Rbytes);
      if (serializePoint(R).length !== Rbytes.length) throw new Error("invalid signature encoding");
      const z = Fn2.fromBytes(sig.subarray(-Fn2.BYTES));
      return {
        R,
        z
      };
    }
  };
  const genPointScalarPair = (rng = randomBytes2) => {
    let n = randomScalar(rng);
    if (adjustScalar) n = adjustScalar(n);
    let p = Point.BASE.multiply(n);
    return {
      scalar: n,
      point: p
    };
  };
  const nrErr = "roots are unavailable in FROST polynomial mode";
  const noRoots = {
    info: {
      G: Fn2.ZERO,
      oddFactor: Fn2.ZERO,
      powerOfTwo: 0
    },
    roots() {
      throw new Error(nrErr);
    },
    brp() {
      throw new Error(nrErr);
    },
    inverse() {
      throw new Error(nrErr);
    },
    omega() {
      throw new Error(nrErr);
    },
    clear() {
    }
  };
  const Poly = poly(Fn2, noRoots);
  const msm = (points, scalars) => mulAddUnsafe(Point, points, scalars);
  const polynomialEvaluate = (x, coeffs) => {
    if (!coeffs.length) throw new Error("empty coefficients");
    return Poly.monomial.eval(coeffs, x);
  };
  const deriveInterpolatingValue = (L, xi) => {
    const err = "invalid parameters";
    if (!L.some((x) => Fn2.eql(x, xi))) throw new Error(err);
    const Lset = new Set(L);
    if (Lset.size !== L.length) throw new Error(err);
    if (!Lset.has(xi)) throw new Error(err);
    let num = Fn2.ONE;
    let den = Fn2.ONE;
    for (const x of L) {
      if (Fn2.eql(x, xi)) continue;
      num = Fn2.mul(num, x);
      den = Fn2.mul(den, Fn2.sub(x, xi));
    }
    return Fn2.div(num, den);
  };
  const evalutateVSS = (identifier, commitment) => {
    const monomial = Poly.monomial.basis(identifier, commitment.length);
    return msm(commitment, monomial);
  };
  const generateSecretPolynomial = (signers, secret, coeffs, rng = randomBytes2) => {
    validateSigners(signers);
    if (secret !== void 0) abytes2(secret, Fn2.BYTES, "secret");
    if (coeffs !== void 0) aarray(coeffs, "coeffs");
    if (typeof rng !== "function") throw new TypeError('"rng" expected function, got type=' + typeof rng);
    const secretScalar = secret === void 0 ? randomScalar(rng) : Fn2.fromBytes(secret);
    if (!coeffs) {
      coeffs = [];
      for (let i = 0; i < signers.min - 1; i++) coeffs.push(randomScalar(rng));
    }
    if (coeffs.length !== signers.min - 1) throw new Error("wrong coefficients length");
    const coefficients = [
      secretScalar,
      ...coeffs
    ];
    const commitment = coefficients.map((i) => Point.BASE.multiply(i));
    return {
      coefficients,
      commitment,
      secret: secretScalar
    };
  };
  const ProofOfKnowledge = {
    challenge: (id, verKey, R) => HDKG(concatBytes2(Fn2.toBytes(id), serializePoint(verKey), serializePoint(R))),
    compute(id, coefficents, commitments, rng = randomBytes2) {
      if (coefficents.length < 1) throw new Error("coefficients should have at least one element");
      const { point: R, scalar: k } = genPointScalarPair(rng);
      const verKey = commitments[0];
      const c = this.challenge(id, verKey, R);
      const mu = Fn2.add(k, Fn2.mul(coefficents[0], c));
      return Signature.encode(R, mu);
    },
    validate(id, commitment, proof) {
      if (commitment.length < 1) throw new Error("commitment should have at least one element");
      const { R, z } = Signature.decode(proof);
      const phi = parsePoint(commitment[0]);
      const c = this.challenge(id, phi, R);
      if (!R.equals(Point.BASE.multiplyUnsafe(z).subtract(phi.multiplyUnsafe(c)))) throw new Error("invalid proof of knowledge");
    }
  };
  const Basic = {
    challenge: (R, PK, msg) => {
      if (challenge) return challenge(R, PK, msg);
      return H2(concatBytes2(serializePoint(R), serializePoint(PK), msg));
    },
    sign(msg, sk, rng = randomBytes2) {
      const { point: R, scalar: r } = genPointScalarPair(rng);
      const PK = Point.BASE.multiply(sk);
      const c = this.challenge(R, PK, msg);
      const z = Fn2.add(r, Fn2.mul(c, sk));
      return [
        R,
        z
      ];
    },
    verify(msg, R, z, PK) {
      if (adjustPointHook) PK = adjustPointHook(PK);
      if (adjustPointHook) R = adjustPointHook(R);
      const c = this.challenge(R, PK, msg);
      const zB = Point.BASE.multiplyUnsafe(z);
      const cA = PK.multiplyUnsafe(c);
      let check = zB.subtract(cA).subtract(R);
      if (check.clearCofactor) check = check.clearCofactor();
      return Point.ZERO.equals(check);
    }
  };
  const validateSecretShare = (identifier, commitment, signingShare) => {
    if (!Point.BASE.multiply(signingShare).equals(evalutateVSS(identifier, commitment))) throw new Error("invalid secret share");
  };
  const Identifier = {
    fromNumber(n) {
      if (!Number.isSafeInteger(n)) throw new Error("expected safe interger");
      return serializeIdentifier(BigInt(n));
    },
    // Not in spec, but in FROST implementation,
    // seems useful and nice, no need to sync identifiers (would require more interactions)
    derive(s) {
      astring(s, "s");
      return serializeIdentifier(HID(utf8ToBytes(s)));
    }
  };
  const generateNonce = (secret, rng = randomBytes2) => H3(concatBytes2(rng(32), Fn2.toBytes(secret)));
  const getGroupCommitment = (GPK, commitmentList, msg) => {
    const CL = commitmentList.map((i) => [
      i.identifier,
      parseIdentifier(i.identifier),
      parsePoint(i.hiding),
      parsePoint(i.binding)
    ]);
    CL.sort((a, b) => a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
    const Cbytes = [];
    for (const [_, id, hC, bC] of CL) Cbytes.push(Fn2.toBytes(id), serializePoint(hC), serializePoint(bC));
    const encodedCommitmentHash = H5(concatBytes2(...Cbytes));
    const rhoPrefix = concatBytes2(serializePoint(GPK), H4(msg), encodedCommitmentHash);
    const bindingFactors = {};
    for (const [i, id] of CL) {
      bindingFactors[i] = H1(concatBytes2(rhoPrefix, Fn2.toBytes(id)));
    }
    let hidingSum = Point.ZERO;
    const points = [];
    const scalars = [];
    for (const [i, _, hC, bC] of CL) {
      if (Point.ZERO.equals(hC) || Point.ZERO.equals(bC)) throw new Error("infinity commitment");
      hidingSum = hidingSum.add(hC);
      points.push(bC);
      scalars.push(bindingFactors[i]);
    }
    const groupCommitment = hidingSum.add(msm(points, scalars));
    const identifiers = CL.map((i) => i[1]);
    return {
      identifiers,
      groupCommitment,
      bindingFactors
    };
  };
  const prepareShare = (PK, commitmentList, msg, identifier) => {
    const GPK = adjustPoint(parsePoint(PK));
    const id = parseIdentifier(identifier);
    const { identifiers, groupCommitment, bindingFactors } = getGroupCommitment(GPK, commitmentList, msg);
    const bindingFactor = bindingFactors[identifier];
    const lambda = deriveInterpolatingValue(identifiers, id);
    const challenge2 = Basic.challenge(groupCommitment, GPK, msg);
    return {
      lambda,
      challenge: challenge2,
      bindingFactor,
      groupCommitment
    };
  };
  Object.freeze(Identifier);
  const frost = {
    Identifier,
    // DKG is Distributed Key Generation, not Trusted Dealer Key Generation.
    DKG: Object.freeze({
      // NOTE: we allow to pass secret scalar from user side,
      // this way it can be derived, instead of random generation
      round1: (id, signers, secret, rng = randomBytes2) => {
        const idNum = parseIdentifier(id, "id");
        validateSigners(signers);
        const { coefficients, commitment } = generateSecretPolynomial(signers, secret, void 0, rng);
        const proofOfKnowledge = ProofOfKnowledge.compute(idNum, coefficients, commitment, rng);
        const commitmentBytes = commitment.map(serializePoint);
        const round1Public = {
          identifier: serializeIdentifier(idNum),
          commitment: commitmentBytes,
          proofOfKnowledge
        };
        const round1Secret = {
          identifier: idNum,
          coefficients,
          commitment: commitment.map(serializePoint),
          // Copy threshold metadata instead of retaining the caller-owned object by reference.
          signers: {
            min: signers.min,
            max: signers.max
          },
          step: 1
        };
        return {
          public: round1Public,
          secret: round1Secret
        };
      },
      round2: (secret, others) => {
        validateObject(secret, {
          identifier: "bigint",
          commitment: "object",
          signers: "object"
        }, {
          coefficients: "object",
          round1Cache: "object",
          round2Cache: "object",
          step: "number"
        }, "secret");
        validateSigners(secret.signers, "secret.signers");
        aarray(others, "others");
        if (others.length !== secret.signers.max - 1) throw new Error("wrong number of round1 packages");
        if (!secret.coefficients || secret.step === 3) throw new Error("round3 package used in round2");
        const authenticatedRound1 = canonicalRound1Packages(others);
        if (secret.round2Cache !== void 0) {
          if (secret.round1Cache === void 0 || !equalRound1Transcripts(secret.round1Cache, authenticatedRound1)) throw new Error("round1 packages do not match authenticated transcript");
          return secret.round2Cache;
        }
        const res = {};
        for (const p of authenticatedRound1) {
          if (p.commitment.length !== secret.signers.min) throw new Error("wrong number of commitments");
          const id = parseIdentifier(p.identifier);
          if (id === secret.identifier) throw new Error("duplicate id=" + serializeIdentifier(id));
          ProofOfKnowledge.validate(id, p.commitment, p.proofOfKnowledge);
          for (const c of p.commitment) parsePoint(c);
          if (res[p.identifier]) throw new Error("Duplicate id=" + id);
          const signingShare = Fn2.toBytes(polynomialEvaluate(id, secret.coefficients));
          res[p.identifier] = {
            identifier: serializeIdentifier(secret.identifier),
            signingShare
          };
        }
        secret.round1Cache = authenticatedRound1;
        secret.round2Cache = res;
        secret.step = 2;
        return res;
      },
      round3: (secret, round1, round2) => {
        validateObject(secret, {
          identifier: "bigint",
          commitment: "object",
          signers: "object"
        }, {
          coefficients: "object",
          round1Cache: "object",
          round2Cache: "object",
          step: "number"
        }, "secret");
        validateSigners(secret.signers, "secret.signers");
        aarray(round1, "round1");
        aarray(round2, "round2");
        if (round1.length !== secret.signers.max - 1) throw new Error("wrong length of round1 packages");
        if (!secret.coefficients || secret.step !== 2 || !secret.round1Cache) throw new Error("round2 package used in round3");
        const suppliedRound1 = canonicalRound1Packages(round1);
        const authenticatedRound1 = secret.round1Cache;
        if (!equalRound1Transcripts(authenticatedRound1, suppliedRound1)) throw new Error("round1 packages do not match authenticated transcript");
        if (round2.length !== authenticatedRound1.length) throw new Error("wrong length of round2 packages");
        const merged = {};
        for (const r1 of authenticatedRound1) {
          if (!r1.identifier || !r1.commitment) throw new Error("wrong round1 share");
          merged[r1.identifier] = {
            ...r1
          };
        }
        for (const r2 of round2) {
          if (!r2.identifier || !r2.signingShare) throw new Error("wrong round2 share");
          if (!merged[r2.identifier]) throw new Error("round1 share for " + r2.identifier + " is missing");
          merged[r2.identifier].signingShare = r2.signingShare;
        }
        if (Object.keys(merged).length !== authenticatedRound1.length) throw new Error("mismatch identifiers between rounds");
        let signingShare = Fn2.ZERO;
        if (secret.commitment.length !== secret.signers.min) throw new Error("wrong commitments length");
        const localCommitment = secret.commitment.map(parsePoint);
        const localShare = polynomialEvaluate(secret.identifier, secret.coefficients);
        validateSecretShare(secret.identifier, localCommitment, localShare);
        const localCommitmentBytes = localCommitment.map(serializePoint);
        const commitments = {
          [serializeIdentifier(secret.identifier)]: localCommitmentBytes
        };
        for (const k in merged) {
          const v = merged[k];
          if (!v.signingShare || !v.commitment) throw new Error("mismatch identifiers");
          const id = parseIdentifier(k);
          const signingSharePart = Fn2.fromBytes(v.signingShare);
          const commitment = v.commitment.map(parsePoint);
          validateSecretShare(secret.identifier, commitment, signingSharePart);
          signingShare = Fn2.add(signingShare, signingSharePart);
          const idSer = serializeIdentifier(id);
          if (commitments[idSer]) throw new Error("duplicated id=" + idSer);
          commitments[idSer] = v.commitment;
        }
        signingShare = Fn2.add(signingShare, localShare);
        const mergedCommitment = new Array(secret.signers.min).fill(Point.ZERO);
        for (const k in commitments) {
          const v = commitments[k];
          if (v.length !== secret.signers.min) throw new Error("wrong commitments length");
          for (let i = 0; i < v.length; i++) mergedCommitment[i] = mergedCommitment[i].add(parsePoint(v[i]));
        }
        const mergedCommitmentBytes = mergedCommitment.map(serializePoint);
        const verifyingShares = {};
        for (const k in commitments) verifyingShares[k] = serializePoint(evalutateVSS(parseIdentifier(k), mergedCommitment));
        let res = {
          public: {
            signers: {
              min: secret.signers.min,
              max: secret.signers.max
            },
            commitments: mergedCommitmentBytes,
            verifyingShares: Object.fromEntries(Object.entries(verifyingShares).map(([k, v]) => [
              k,
              v.slice()
            ]))
          },
          secret: {
            identifier: serializeIdentifier(secret.identifier),
            signingShare: Fn2.toBytes(signingShare)
          }
        };
        if (adjustDKG) res = adjustDKG(res);
        for (let i = 0; i < secret.coefficients.length; i++) secret.coefficients[i] -= secret.coefficients[i];
        delete secret.coefficients;
        delete secret.round1Cache;
        delete secret.round2Cache;
        secret.step = 3;
        return res;
      },
      clean(secret) {
        validateObject(secret, {
          identifier: "bigint",
          commitment: "object",
          signers: "object"
        }, {
          coefficients: "object",
          round1Cache: "object",
          round2Cache: "object",
          step: "number"
        }, "secret");
        secret.identifier -= secret.identifier;
        if (secret.coefficients) {
          for (let i = 0; i < secret.coefficients.length; i++) secret.coefficients[i] -= secret.coefficients[i];
        }
        delete secret.round1Cache;
        delete secret.round2Cache;
        secret.step = 3;
      }
    }),
    // Trusted dealer setup
    // Generates keys for all participants
    trustedDealer(signers, identifiers, secret, rng = randomBytes2) {
      validateSigners(signers);
      if (identifiers === void 0) {
        identifiers = [];
        for (let i = 1; i <= signers.max; i++) identifiers.push(Identifier.fromNumber(i));
      } else {
        aarray(identifiers, "identifiers");
        if (identifiers.length !== signers.max) throw new Error("identifiers should be array of " + signers.max);
      }
      const identifierNums = {};
      for (const id of identifiers) {
        const idNum = parseIdentifier(id);
        if (id in identifierNums) throw new Error("duplicated id=" + id);
        identifierNums[id] = idNum;
      }
      const sp = generateSecretPolynomial(signers, secret, void 0, rng);
      const commitmentBytes = sp.commitment.map(serializePoint);
      const secretShares = {};
      const verifyingShares = {};
      for (const id of identifiers) {
        const signingShare = polynomialEvaluate(identifierNums[id], sp.coefficients);
        verifyingShares[id] = serializePoint(Point.BASE.multiply(signingShare));
        secretShares[id] = {
          identifier: id,
          signingShare: Fn2.toBytes(signingShare)
        };
      }
      return {
        public: {
          signers: {
            min: signers.min,
            max: signers.max
          },
          commitments: commitmentBytes,
          verifyingShares
        },
        secretShares
      };
    },
    // Validate secret (from trusted dealer or DKG)
    validateSecret(secret, pub) {
      validateObject(secret, {
        identifier: "string",
        signingShare: "object"
      }, {}, "secret");
      abytes2(secret.signingShare, Fn2.BYTES, "secret.signingShare");
      validateObject(pub, {
        signers: "object",
        commitments: "object",
        verifyingShares: "object"
      }, {}, "pub");
      validateSigners(pub.signers, "pub.signers");
      aarray(pub.commitments, "pub.commitments");
      const id = parseIdentifier(secret.identifier);
      const commitment = pub.commitments.map(parsePoint);
      const signingShare = Fn2.fromBytes(secret.signingShare);
      validateSecretShare(id, commitment, signingShare);
    },
    // Actual signing
    // Round 1: each participant commit to nonces
    // Nonces kept private, commitments sent to coordinator (or every other participant)
    // NOTE: we don't need the message at this point, which lets a coordinator
    // keep multiple nonce commitments per participant in advance and skip
    // round1 for signing.
    // But then each participant needs to remember generated shares
    commit(secret, rng = randomBytes2) {
      validateObject(secret, {
        identifier: "string",
        signingShare: "object"
      }, {}, "secret");
      abytes2(secret.signingShare, Fn2.BYTES, "secret.signingShare");
      if (typeof rng !== "function") throw new TypeError('"rng" expected function, got type=' + typeof rng);
      const secretScalar = Fn2.fromBytes(secret.signingShare);
      const hiding = generateNonce(secretScalar, rng);
      const binding = generateNonce(secretScalar, rng);
      const nonces = {
        hiding: Fn2.toBytes(hiding),
        binding: Fn2.toBytes(binding)
      };
      return {
        nonces,
        commitments: nonceCommitments(secret.identifier, nonces)
      };
    },
    // Round2: sign. Each participant creates a signature share from the secret
    // and the selected nonce commitments.
    signShare(secret, pub, nonces, commitmentList, msg) {
      validateObject(secret, {
        identifier: "string",
        signingShare: "object"
      }, {}, "secret");
      abytes2(secret.signingShare, Fn2.BYTES, "secret.signingShare");
      validateObject(pub, {
        signers: "object",
        commitments: "object",
        verifyingShares: "object"
      }, {}, "pub");
      validateSigners(pub.signers, "pub.signers");
      aarray(pub.commitments, "pub.commitments");
      validateObject(nonces, {
        hiding: "object",
        binding: "object"
      }, {}, "nonces");
      abytes2(nonces.hiding, Fn2.BYTES, "nonces.hiding");
      abytes2(nonces.binding, Fn2.BYTES, "nonces.binding");
      aarray(commitmentList, "commitmentList");
      abytes2(msg, void 0, "msg");
      validateCommitmentsNum(pub.signers, commitmentList.length);
      const hidingNonce0 = Fn2.fromBytes(nonces.hiding);
      const bindingNonce0 = Fn2.fromBytes(nonces.binding);
      if (Fn2.is0(hidingNonce0) || Fn2.is0(bindingNonce0)) throw new Error("signing nonces already used");
      const expectedCommitment = {
        identifier: secret.identifier,
        hiding: serializePoint(Point.BASE.multiply(hidingNonce0)),
        binding: serializePoint(Point.BASE.multiply(bindingNonce0))
      };
      const commitment = commitmentList.find((i) => i.identifier === secret.identifier);
      if (!commitment) throw new Error("missing signer commitment");
      if (bytesToHex2(commitment.hiding) !== bytesToHex2(expectedCommitment.hiding) || bytesToHex2(commitment.binding) !== bytesToHex2(expectedCommitment.binding)) throw new Error("incorrect signer commitment");
      if (adjustSecret) secret = adjustSecret(secret, pub);
      if (adjustPublic) pub = adjustPublic(pub);
      const SK = Fn2.fromBytes(secret.signingShare);
      const { lambda, challenge: challenge2, bindingFactor, groupCommitment } = prepareShare(pub.commitments[0], commitmentList, msg, secret.identifier);
      const N = adjustNonces ? adjustNonces(groupCommitment, nonces) : nonces;
      const hidingNonce = adjustNonces ? Fn2.fromBytes(N.hiding) : hidingNonce0;
      const bindingNonce = adjustNonces ? Fn2.fromBytes(N.binding) : bindingNonce0;
      const t = Fn2.mul(Fn2.mul(lambda, SK), challenge2);
      const t2 = Fn2.mul(bindingNonce, bindingFactor);
      const r = Fn2.toBytes(Fn2.add(Fn2.add(hidingNonce, t2), t));
      nonces.hiding.fill(0);
      nonces.binding.fill(0);
      return r;
    },
    // Each participant (or coordinator) can verify signatures from other participants
    verifyShare(pub, commitmentList, msg, identifier, sigShare) {
      validateObject(pub, {
        signers: "object",
        commitments: "object",
        verifyingShares: "object"
      }, {}, "pub");
      validateSigners(pub.signers, "pub.signers");
      aarray(pub.commitments, "pub.commitments");
      aarray(commitmentList, "commitmentList");
      abytes2(msg, void 0, "msg");
      parseIdentifier(identifier);
      abytes2(sigShare, Fn2.BYTES, "sigShare");
      if (adjustPublic) pub = adjustPublic(pub);
      const comm = commitmentList.find((i) => i.identifier === identifier);
      if (!comm) throw new Error("cannot find identifier commitment");
      const PK = parsePoint(pub.verifyingShares[identifier]);
      const hidingNonceCommitment = parsePoint(comm.hiding);
      const bindingNonceCommitment = parsePoint(comm.binding);
      const { lambda, challenge: challenge2, bindingFactor, groupCommitment } = prepareShare(pub.commitments[0], commitmentList, msg, identifier);
      let commShare = hidingNonceCommitment.add(bindingNonceCommitment.multiplyUnsafe(bindingFactor));
      if (adjustGroupCommitmentShare) commShare = adjustGroupCommitmentShare(groupCommitment, commShare);
      const l = Point.BASE.multiplyUnsafe(Fn2.fromBytes(sigShare));
      const r = commShare.add(PK.multiplyUnsafe(Fn2.mul(challenge2, lambda)));
      return l.equals(r);
    },
    // Aggregate multiple signature shares into groupSignature
    aggregate(pub, commitmentList, msg, sigShares) {
      validateObject(pub, {
        signers: "object",
        commitments: "object",
        verifyingShares: "object"
      }, {}, "pub");
      validateSigners(pub.signers, "pub.signers");
      aarray(pub.commitments, "pub.commitments");
      aarray(commitmentList, "commitmentList");
      abytes2(msg, void 0, "msg");
      validateObject(sigShares, {}, {}, "sigShares");
      const rawPub = pub;
      if (adjustPublic) pub = adjustPublic(pub);
      try {
        validateCommitmentsNum(pub.signers, commitmentList.length);
      } catch {
        throw new AggErr("aggregation failed", []);
      }
      const ids = commitmentList.map((i) => i.identifier);
      const seen = /* @__PURE__ */ new Set();
      for (const id of ids) {
        if (seen.has(id)) throw new AggErr("aggregation failed", []);
        seen.add(id);
      }
      if (ids.length !== Object.keys(sigShares).length) throw new AggErr("aggregation failed", []);
      for (const id of ids) {
        if (!(id in sigShares) || !(id in pub.verifyingShares)) throw new AggErr("aggregation failed", []);
      }
      const GPK = parsePoint(pub.commitments[0]);
      const { groupCommitment } = getGroupCommitment(GPK, commitmentList, msg);
      let z = Fn2.ZERO;
      for (const id of ids) z = Fn2.add(z, Fn2.fromBytes(sigShares[id]));
      if (!Basic.verify(msg, groupCommitment, z, GPK)) {
        const cheaters = [];
        for (const id of ids) {
          if (!this.verifyShare(rawPub, commitmentList, msg, id, sigShares[id])) cheaters.push(id);
        }
        throw new AggErr("aggregation failed", cheaters);
      }
      return Signature.encode(groupCommitment, z);
    },
    // Basic sign/verify using single key
    sign(msg, secretKey) {
      let sk = Fn2.fromBytes(secretKey);
      if (adjustScalar) sk = adjustScalar(sk);
      const [R, z] = Basic.sign(msg, sk);
      return Signature.encode(R, z);
    },
    verify(sig, msg, publicKey) {
      const PK = parsePublicKey ? validatePublicPoint(parsePublicKey(publicKey)) : parsePoint(publicKey);
      const { R, z } = Signature.decode(sig);
      return Basic.verify(msg, R, z, PK);
    },
    // Combine multiple secret shares to restore secret
    combineSecret(shares, signers) {
      aarray(shares, "shares");
      validateSigners(signers);
      if (shares.length < signers.min || shares.length > signers.max) throw new Error("wrong secret shares array");
      const points = [];
      const seen = {};
      for (const s of shares) {
        const idNum = parseIdentifier(s.identifier);
        const id = serializeIdentifier(idNum);
        if (seen[id]) throw new Error("duplicated id=" + id);
        seen[id] = true;
        points.push([
          idNum,
          Fn2.fromBytes(s.signingShare)
        ]);
      }
      const xCoords = points.map(([x]) => x);
      let res = Fn2.ZERO;
      for (const [x, y] of points) res = Fn2.add(res, Fn2.mul(y, deriveInterpolatingValue(xCoords, x)));
      return Fn2.toBytes(res);
    },
    // Utils
    utils: Object.freeze({
      Fn: Fn2,
      // Test RNG overrides still go through noble's non-zero scalar derivation; this is not a raw
      // "bytes become scalar" escape hatch.
      randomScalar: (rng = randomBytes2) => Fn2.toBytes(genPointScalarPair(rng).scalar),
      generateSecretPolynomial: (signers, secret, coeffs, rng) => {
        const res = generateSecretPolynomial(signers, secret, coeffs, rng);
        return {
          ...res,
          commitment: res.commitment.map(serializePoint)
        };
      }
    })
  };
  return Object.freeze(frost);
}
var validateSigners, validateCommitmentsNum, AggErr;
var init_frost = __esm({
  "npm:@noble/curves/2.4.0/abstract/frost.js"() {
    init_utils();
    init_utils2();
    init_curve();
    init_fft();
    init_modular();
    validateSigners = (signers, title = "signers") => {
      validateObject(signers, {
        min: "number",
        max: "number"
      }, {}, title);
      asafenumber(signers.min, title + ".min");
      asafenumber(signers.max, title + ".max");
      if (signers.min < 2 || signers.max < 2 || signers.min > signers.max) throw new Error("Wrong signers info: min=" + signers.min + " max=" + signers.max);
    };
    validateCommitmentsNum = (signers, len) => {
      if (len < signers.min || len > signers.max) throw new Error("Wrong number of commitments=" + len);
    };
    AggErr = class extends Error {
      // Empty means aggregation failed before per-share verification could attribute a signer.
      cheaters;
      constructor(msg, cheaters) {
        super(msg);
        this.cheaters = cheaters;
      }
    };
  }
});

// npm:@noble/curves/2.4.0/abstract/montgomery.js
function cmask(P, swap) {
  return P + swap - (swap >> _1n5 << _1n5);
}
function cswap(P) {
  const offset = BigInt(6) * P;
  return (mask, x_2, x_3) => {
    const sum = x_2 + x_3;
    const d = offset + x_3 - x_2;
    const a = (d * mask + x_2) % P;
    return {
      x_2: a,
      x_3: sum - a
    };
  };
}
function validateOpts(curve) {
  validateObject(curve, {
    P: "bigint",
    type: "string",
    adjustScalarBytes: "function",
    powPminus2: "function"
  }, {
    randomBytes: "function",
    scalarMultBase: "function"
  });
  return Object.freeze({
    ...curve
  });
}
function montgomery(curveDef) {
  const CURVE = validateOpts(curveDef);
  const { P, type, adjustScalarBytes: adjustScalarBytes2, powPminus2, randomBytes: rand } = CURVE;
  const mulBaseHook = CURVE.scalarMultBase;
  const is25519 = type === "x25519";
  if (!is25519 && type !== "x448") throw new Error("invalid type");
  const randomBytes_ = rand === void 0 ? randomBytes2 : rand;
  const montgomeryBits = is25519 ? 255 : 448;
  const swap = cswap(P);
  const fieldLen = is25519 ? 32 : 56;
  const Gu = is25519 ? BigInt(9) : BigInt(5);
  const a24 = is25519 ? BigInt(121665) : BigInt(39081);
  const minScalar = is25519 ? _2n3 ** BigInt(254) : _2n3 ** BigInt(447);
  const maxAdded = is25519 ? BigInt(8) * (_2n3 ** BigInt(251) - _1n5) : BigInt(4) * (_2n3 ** BigInt(445) - _1n5);
  const maxScalar = minScalar + maxAdded + _1n5;
  const modP = (n) => mod(n, P);
  const GuBytes = encodeU(Gu);
  function encodeU(u) {
    return numberToBytesLE(modP(u), fieldLen);
  }
  function decodeU(u) {
    const _u = copyBytes(abytes2(u, fieldLen, "uCoordinate"));
    if (is25519) _u[31] &= 127;
    return modP(bytesToNumberLE(_u));
  }
  function decodeScalar(scalar) {
    return bytesToNumberLE(adjustScalarBytes2(copyBytes(abytes2(scalar, fieldLen, "scalar"))));
  }
  const lowOrderU = new Set(is25519 ? [
    _0n5,
    _1n5,
    P - _1n5,
    BigInt("325606250916557431795983626356110631294008115727848805560023387167927233504"),
    BigInt("39382357235489614581723060781553021112529911719440698176882885853963445705823")
  ] : [
    _0n5,
    _1n5,
    P - _1n5
  ]);
  function scalarMult(scalar, u) {
    const pointU = decodeU(u);
    if (lowOrderU.has(pointU)) throw new Error("invalid private or public key received");
    const pu = montgomeryLadder(pointU, decodeScalar(scalar));
    if (pu === _0n5) throw new Error("invalid private or public key received");
    return encodeU(pu);
  }
  function scalarMultBase(scalar) {
    if (mulBaseHook === void 0) return scalarMult(scalar, GuBytes);
    const k = decodeScalar(scalar);
    aInRange("scalar", k, minScalar, maxScalar);
    const pu = modP(mulBaseHook(k));
    if (pu === _0n5) throw new Error("invalid private or public key received");
    return encodeU(pu);
  }
  const getPublicKey = scalarMultBase;
  const getSharedSecret = scalarMult;
  function montgomeryLadder(u, scalar) {
    aInRange("u", u, _0n5, P);
    aInRange("scalar", scalar, minScalar, maxScalar);
    const k = scalar;
    const x_1 = u;
    let x_2 = _1n5;
    let z_2 = _0n5;
    let x_3 = u;
    let z_3 = _1n5;
    const kx = k ^ k >> _1n5;
    for (let t = BigInt(montgomeryBits - 1); t >= _0n5; t--) {
      const mask2 = cmask(P, kx >> t);
      ({ x_2, x_3 } = swap(mask2, x_2, x_3));
      ({ x_2: z_2, x_3: z_3 } = swap(mask2, z_2, z_3));
      const A = x_2 + z_2;
      const AA = modP(A * A);
      const B = x_2 - z_2;
      const BB = modP(B * B);
      const E = AA - BB;
      const C = x_3 + z_3;
      const D = x_3 - z_3;
      const DA = modP(D * A);
      const CB = modP(C * B);
      const dacb = DA + CB;
      const da_cb = DA - CB;
      x_3 = modP(dacb * dacb);
      z_3 = modP(x_1 * modP(da_cb * da_cb));
      x_2 = modP(AA * BB);
      z_2 = modP(E * (AA + modP(a24 * E)));
    }
    const mask = cmask(P, k);
    ({ x_2, x_3 } = swap(mask, x_2, x_3));
    ({ x_2: z_2, x_3: z_3 } = swap(mask, z_2, z_3));
    const z2 = powPminus2(z_2);
    return modP(x_2 * z2);
  }
  const lengths = {
    secretKey: fieldLen,
    publicKey: fieldLen,
    seed: fieldLen
  };
  const randomSecretKey = (seed) => {
    seed = seed === void 0 ? randomBytes_(fieldLen) : seed;
    abytes2(seed, lengths.seed, "seed");
    return seed;
  };
  const utils = {
    randomSecretKey
  };
  Object.freeze(lengths);
  Object.freeze(utils);
  return Object.freeze({
    keygen: createKeygen(randomSecretKey, getPublicKey),
    getSharedSecret,
    getPublicKey,
    scalarMult,
    scalarMultBase,
    utils,
    GuBytes: GuBytes.slice(),
    lengths
  });
}
var _0n5, _1n5, _2n3;
var init_montgomery = __esm({
  "npm:@noble/curves/2.4.0/abstract/montgomery.js"() {
    init_utils2();
    init_curve();
    init_modular();
    _0n5 = /* @__PURE__ */ BigInt(0);
    _1n5 = /* @__PURE__ */ BigInt(1);
    _2n3 = /* @__PURE__ */ BigInt(2);
  }
});

// npm:@noble/curves/2.4.0/abstract/oprf.js
function createOPRF(opts) {
  validateObject(opts, {
    name: "string",
    hash: "function",
    hashToScalar: "function",
    hashToGroup: "function"
  });
  validatePointCons(opts.Point);
  const { name, Point, hash, hashToGroup: hashToGroupHook, hashToScalar } = opts;
  const { Fn: Fn2 } = Point;
  const invertSecret = (value) => invertCt(value, Fn2.ORDER);
  const hashToGroup = (msg, ctx) => hashToGroupHook(msg, {
    DST: concatBytes2(asciiToBytes("HashToGroup-"), ctx)
  });
  const hashToScalarPrefixed = (msg, ctx) => hashToScalar(msg, {
    DST: concatBytes2(_DST_scalarBytes, ctx)
  });
  const randomScalar = (rng = randomBytes2) => {
    if (typeof rng !== "function") throw new TypeError('"rng" expected function, got type=' + typeof rng);
    const t = mapHashToField(rng(getMinHashLength(Fn2.ORDER)), Fn2.ORDER, Fn2.isLE);
    return Fn2.isLE ? bytesToNumberLE(t) : bytesToNumberBE(t);
  };
  const msm = (points, scalars) => mulAddUnsafe(Point, points, scalars);
  const getCtx = (mode) => concatBytes2(asciiToBytes("OPRFV1-"), new Uint8Array([
    mode
  ]), asciiToBytes("-" + name));
  const ctxOPRF = getCtx(0);
  const ctxVOPRF = getCtx(1);
  const ctxPOPRF = getCtx(2);
  function encode(...args) {
    const res2 = [];
    for (const a of args) {
      if (typeof a === "number") res2.push(numberToBytesBE(a, 2));
      else if (typeof a === "string") res2.push(asciiToBytes(a));
      else {
        abytes2(a);
        res2.push(numberToBytesBE(a.length, 2), a);
      }
    }
    return concatBytes2(...res2);
  }
  const inputBytes = (title, bytes) => {
    abytes2(bytes, void 0, title);
    if (bytes.length > 65535) throw new Error(`"${title}" expected Uint8Array of length <= 65535, got length=${bytes.length}`);
    return bytes;
  };
  const hashInput = (...bytes) => hash(encode(...bytes, "Finalize"));
  function getTranscripts(B, C, D, ctx) {
    const Bm = B.toBytes();
    const seed = hash(encode(Bm, concatBytes2(asciiToBytes("Seed-"), ctx)));
    const res2 = [];
    for (let i = 0; i < C.length; i++) {
      const Ci = C[i].toBytes();
      const Di = D[i].toBytes();
      const di = hashToScalarPrefixed(encode(seed, i, Ci, Di, "Composite"), ctx);
      res2.push(di);
    }
    return res2;
  }
  function computeComposites(B, C, D, ctx) {
    const T2 = getTranscripts(B, C, D, ctx);
    const M = msm(C, T2);
    const Z = msm(D, T2);
    return {
      M,
      Z
    };
  }
  function computeCompositesFast(k, B, C, D, ctx) {
    const T2 = getTranscripts(B, C, D, ctx);
    const M = msm(C, T2);
    const Z = M.multiply(k);
    return {
      M,
      Z
    };
  }
  function challengeTranscript(B, M, Z, t2, t3, ctx) {
    const [Bm, a0, a1, a2, a3] = [
      B,
      M,
      Z,
      t2,
      t3
    ].map((i) => i.toBytes());
    return hashToScalarPrefixed(encode(Bm, a0, a1, a2, a3, "Challenge"), ctx);
  }
  function generateProof(ctx, k, B, C, D, rng) {
    const { M, Z } = computeCompositesFast(k, B, C, D, ctx);
    const r = randomScalar(rng);
    const t2 = Point.BASE.multiply(r);
    const t3 = M.multiply(r);
    const c = challengeTranscript(B, M, Z, t2, t3, ctx);
    const s = Fn2.sub(r, Fn2.mul(c, k));
    return concatBytes2(...[
      c,
      s
    ].map((i) => Fn2.toBytes(i)));
  }
  function verifyProof(ctx, B, C, D, proof) {
    abytes2(proof, 2 * Fn2.BYTES);
    const { M, Z } = computeComposites(B, C, D, ctx);
    const [c, s] = [
      proof.subarray(0, Fn2.BYTES),
      proof.subarray(Fn2.BYTES)
    ].map((f) => Fn2.fromBytes(f));
    const t2 = msm([
      Point.BASE,
      B
    ], [
      s,
      c
    ]);
    const t3 = msm([
      M,
      Z
    ], [
      s,
      c
    ]);
    const expectedC = challengeTranscript(B, M, Z, t2, t3, ctx);
    if (!Fn2.eql(c, expectedC)) throw new Error("proof verification failed");
  }
  function generateKeyPair() {
    const skS = randomScalar();
    const pkS = Point.BASE.multiply(skS);
    return {
      secretKey: Fn2.toBytes(skS),
      publicKey: pkS.toBytes()
    };
  }
  function deriveKeyPair(ctx, seed, info) {
    abytes2(seed, 32, "seed");
    info = inputBytes("keyInfo", info);
    const dst = concatBytes2(asciiToBytes("DeriveKeyPair"), ctx);
    const msg = concatBytes2(seed, encode(info), Uint8Array.of(0));
    for (let counter = 0; counter <= 255; counter++) {
      msg[msg.length - 1] = counter;
      const skS = hashToScalar(msg, {
        DST: dst
      });
      if (Fn2.is0(skS)) continue;
      return {
        secretKey: Fn2.toBytes(skS),
        publicKey: Point.BASE.multiply(skS).toBytes()
      };
    }
    throw new Error("Cannot derive key");
  }
  const wirePoint = (label, bytes) => {
    const point = Point.fromBytes(bytes);
    if (point.equals(Point.ZERO)) throw new Error(label + " point at infinity");
    return point;
  };
  function blind(ctx, input, rng = randomBytes2) {
    input = inputBytes("input", input);
    const blind2 = randomScalar(rng);
    const inputPoint = hashToGroup(input, ctx);
    if (inputPoint.equals(Point.ZERO)) throw new Error("Input point at infinity");
    const blinded = inputPoint.multiply(blind2);
    return {
      blind: Fn2.toBytes(blind2),
      blinded: blinded.toBytes()
    };
  }
  function evaluate(ctx, secretKey, input) {
    input = inputBytes("input", input);
    const skS = Fn2.fromBytes(secretKey);
    const inputPoint = hashToGroup(input, ctx);
    if (inputPoint.equals(Point.ZERO)) throw new Error("Input point at infinity");
    const unblinded = inputPoint.multiply(skS).toBytes();
    return hashInput(input, unblinded);
  }
  const oprf = Object.freeze({
    generateKeyPair,
    deriveKeyPair: (seed, keyInfo) => deriveKeyPair(ctxOPRF, seed, keyInfo),
    blind: (input, rng = randomBytes2) => blind(ctxOPRF, input, rng),
    blindEvaluate(secretKey, blindedPoint) {
      const skS = Fn2.fromBytes(secretKey);
      const elm = wirePoint("blinded", blindedPoint);
      return elm.multiply(skS).toBytes();
    },
    finalize(input, blindBytes, evaluatedBytes) {
      input = inputBytes("input", input);
      const blind2 = Fn2.fromBytes(blindBytes);
      const evalPoint = wirePoint("evaluated", evaluatedBytes);
      const unblinded = evalPoint.multiply(Fn2.inv(blind2)).toBytes();
      return hashInput(input, unblinded);
    },
    evaluate: (secretKey, input) => evaluate(ctxOPRF, secretKey, input)
  });
  const voprf = Object.freeze({
    generateKeyPair,
    deriveKeyPair: (seed, keyInfo) => deriveKeyPair(ctxVOPRF, seed, keyInfo),
    blind: (input, rng = randomBytes2) => blind(ctxVOPRF, input, rng),
    blindEvaluateBatch(secretKey, publicKey, blinded, rng = randomBytes2) {
      if (!Array.isArray(blinded)) throw new Error("expected array");
      const skS = Fn2.fromBytes(secretKey);
      const pkS = wirePoint("public key", publicKey);
      const blindedPoints = blinded.map((i) => wirePoint("blinded", i));
      const evaluated = blindedPoints.map((i) => i.multiply(skS));
      const proof = generateProof(ctxVOPRF, skS, pkS, blindedPoints, evaluated, rng);
      return {
        evaluated: evaluated.map((i) => i.toBytes()),
        proof
      };
    },
    blindEvaluate(secretKey, publicKey, blinded, rng = randomBytes2) {
      const res2 = this.blindEvaluateBatch(secretKey, publicKey, [
        blinded
      ], rng);
      return {
        evaluated: res2.evaluated[0],
        proof: res2.proof
      };
    },
    finalizeBatch(items, publicKey, proof) {
      if (!Array.isArray(items)) throw new Error("expected array");
      const pkS = wirePoint("public key", publicKey);
      const blindedPoints = items.map((i) => wirePoint("blinded", i.blinded));
      const evalPoints = items.map((i) => wirePoint("evaluated", i.evaluated));
      verifyProof(ctxVOPRF, pkS, blindedPoints, evalPoints, proof);
      return items.map((i, j) => {
        const input = inputBytes("input", i.input);
        const blind2 = Fn2.fromBytes(i.blind);
        const unblinded = evalPoints[j].multiply(Fn2.inv(blind2)).toBytes();
        return hashInput(input, unblinded);
      });
    },
    finalize(input, blind2, evaluated, blinded, publicKey, proof) {
      return this.finalizeBatch([
        {
          input,
          blind: blind2,
          evaluated,
          blinded
        }
      ], publicKey, proof)[0];
    },
    evaluate: (secretKey, input) => evaluate(ctxVOPRF, secretKey, input)
  });
  const poprf = (info) => {
    info = copyBytes(inputBytes("info", info));
    const m = hashToScalarPrefixed(encode("Info", info), ctxPOPRF);
    const T2 = Point.BASE.multiply(m);
    return Object.freeze({
      generateKeyPair,
      deriveKeyPair: (seed, keyInfo) => deriveKeyPair(ctxPOPRF, seed, keyInfo),
      blind(input, publicKey, rng = randomBytes2) {
        input = inputBytes("input", input);
        const pkS = wirePoint("public key", publicKey);
        const tweakedKey = T2.add(pkS);
        if (tweakedKey.equals(Point.ZERO)) throw new Error("tweakedKey point at infinity");
        const blind2 = randomScalar(rng);
        const inputPoint = hashToGroup(input, ctxPOPRF);
        if (inputPoint.equals(Point.ZERO)) throw new Error("Input point at infinity");
        const blindedPoint = inputPoint.multiply(blind2);
        return {
          blind: Fn2.toBytes(blind2),
          blinded: blindedPoint.toBytes(),
          tweakedKey: tweakedKey.toBytes()
        };
      },
      blindEvaluateBatch(secretKey, blinded, rng = randomBytes2) {
        if (!Array.isArray(blinded)) throw new Error("expected array");
        const skS = Fn2.fromBytes(secretKey);
        const t = Fn2.add(skS, m);
        const invT = invertSecret(t);
        const blindedPoints = blinded.map((i) => wirePoint("blinded", i));
        const evalPoints = blindedPoints.map((i) => i.multiply(invT));
        const tweakedKey = Point.BASE.multiply(t);
        const proof = generateProof(ctxPOPRF, t, tweakedKey, evalPoints, blindedPoints, rng);
        return {
          evaluated: evalPoints.map((i) => i.toBytes()),
          proof
        };
      },
      blindEvaluate(secretKey, blinded, rng = randomBytes2) {
        const res2 = this.blindEvaluateBatch(secretKey, [
          blinded
        ], rng);
        return {
          evaluated: res2.evaluated[0],
          proof: res2.proof
        };
      },
      finalizeBatch(items, proof, tweakedKey) {
        if (!Array.isArray(items)) throw new Error("expected array");
        const inputs = items.map((i) => inputBytes("input", i.input));
        const evalPoints = items.map((i) => wirePoint("evaluated", i.evaluated));
        verifyProof(ctxPOPRF, wirePoint("tweakedKey", tweakedKey), evalPoints, items.map((i) => wirePoint("blinded", i.blinded)), proof);
        return items.map((i, j) => {
          const blind2 = Fn2.fromBytes(i.blind);
          const point = evalPoints[j].multiply(Fn2.inv(blind2)).toBytes();
          return hashInput(inputs[j], info, point);
        });
      },
      finalize(input, blind2, evaluated, blinded, proof, tweakedKey) {
        return this.finalizeBatch([
          {
            input,
            blind: blind2,
            evaluated,
            blinded
          }
        ], proof, tweakedKey)[0];
      },
      evaluate(secretKey, input) {
        input = inputBytes("input", input);
        const skS = Fn2.fromBytes(secretKey);
        const inputPoint = hashToGroup(input, ctxPOPRF);
        if (inputPoint.equals(Point.ZERO)) throw new Error("Input point at infinity");
        const t = Fn2.add(skS, m);
        const invT = invertSecret(t);
        const unblinded = inputPoint.multiply(invT).toBytes();
        return hashInput(input, info, unblinded);
      }
    });
  };
  const res = {
    name,
    oprf,
    voprf,
    poprf,
    __tests: Object.freeze({
      Fn: Fn2,
      invertSecret
    })
  };
  return Object.freeze(res);
}
var _DST_scalarBytes;
var init_oprf = __esm({
  "npm:@noble/curves/2.4.0/abstract/oprf.js"() {
    init_utils2();
    init_curve();
    init_hash_to_curve();
    init_modular();
    _DST_scalarBytes = /* @__PURE__ */ asciiToBytes(_DST_scalar);
  }
});

// npm:@noble/curves/2.4.0/ed25519.js
var ed25519_exports = {};
__export(ed25519_exports, {
  ED25519_TORSION_SUBGROUP: () => ED25519_TORSION_SUBGROUP,
  _map_to_curve_elligator2_curve25519: () => _map_to_curve_elligator2_curve25519,
  ed25519: () => ed25519,
  ed25519_FROST: () => ed25519_FROST,
  ed25519_hasher: () => ed25519_hasher,
  ed25519ctx: () => ed25519ctx,
  ed25519ph: () => ed25519ph,
  ristretto255: () => ristretto255,
  ristretto255_FROST: () => ristretto255_FROST,
  ristretto255_hasher: () => ristretto255_hasher,
  ristretto255_oprf: () => ristretto255_oprf,
  x25519: () => x25519
});
function ed25519_pow_2_252_3(x) {
  const _10n = BigInt(10), _20n = BigInt(20), _40n = BigInt(40), _80n = BigInt(80);
  const P = ed25519_CURVE_p;
  const x2 = x * x % P;
  const b2 = x2 * x % P;
  const b4 = pow2(b2, _2n4, P) * b2 % P;
  const b5 = pow2(b4, _1n6, P) * x % P;
  const b10 = pow2(b5, _5n2, P) * b5 % P;
  const b20 = pow2(b10, _10n, P) * b10 % P;
  const b40 = pow2(b20, _20n, P) * b20 % P;
  const b80 = pow2(b40, _40n, P) * b40 % P;
  const b160 = pow2(b80, _80n, P) * b80 % P;
  const b240 = pow2(b160, _80n, P) * b80 % P;
  const b250 = pow2(b240, _10n, P) * b10 % P;
  const pow_p_5_8 = pow2(b250, _2n4, P) * x % P;
  return {
    pow_p_5_8,
    b2
  };
}
function adjustScalarBytes(bytes) {
  bytes[0] &= 248;
  bytes[31] &= 127;
  bytes[31] |= 64;
  return bytes;
}
function uvRatio(u, v) {
  const P = ed25519_CURVE_p;
  const v3 = mod(v * v * v, P);
  const v7 = mod(v3 * v3 * v, P);
  const pow3 = ed25519_pow_2_252_3(u * v7).pow_p_5_8;
  let x = mod(u * v3 * pow3, P);
  const vx2 = mod(v * x * x, P);
  const root1 = x;
  const root2 = mod(x * ED25519_SQRT_M1, P);
  const useRoot1 = vx2 === u;
  const useRoot2 = vx2 === mod(-u, P);
  const noRoot = vx2 === mod(-u * ED25519_SQRT_M1, P);
  if (useRoot1) x = root1;
  if (useRoot2 || noRoot) x = root2;
  if (isNegativeLE(x, P)) x = mod(-x, P);
  return {
    isValid: useRoot1 || useRoot2,
    value: x
  };
}
function toMontgomery(point) {
  const { y } = point;
  return Fp.toBytes(Fp.div(_1n6 + y, _1n6 - y));
}
function toMontgomerySecret(secretKey) {
  const size = ed25519_Point.Fp.BYTES;
  abytes(secretKey, size);
  return adjustScalarBytes(sha512(secretKey.subarray(0, size))).subarray(0, size);
}
function ed25519_domain(data, ctx, phflag) {
  if (ctx.length > 255) throw new Error("Context is too big");
  return concatBytes(asciiToBytes("SigEd25519 no Ed25519 collisions"), new Uint8Array([
    phflag ? 1 : 0,
    ctx.length
  ]), ctx, data);
}
function ed(opts) {
  return eddsa(ed25519_Point, sha512, Object.assign({
    adjustScalarBytes,
    toMontgomery,
    toMontgomerySecret,
    zip215: true
  }, opts));
}
function _map_to_curve_elligator2_curve25519(u) {
  let tv1 = Fp.sqr(u);
  tv1 = Fp.mul(tv1, _2n4);
  let xd = Fp.add(tv1, Fp.ONE);
  let x1n = Fp.neg(ELL2_J);
  let tv2 = Fp.sqr(xd);
  let gxd = Fp.mul(tv2, xd);
  let gx1 = Fp.mul(tv1, ELL2_J);
  gx1 = Fp.mul(gx1, x1n);
  gx1 = Fp.add(gx1, tv2);
  gx1 = Fp.mul(gx1, x1n);
  let tv3 = Fp.sqr(gxd);
  tv2 = Fp.sqr(tv3);
  tv3 = Fp.mul(tv3, gxd);
  tv3 = Fp.mul(tv3, gx1);
  tv2 = Fp.mul(tv2, tv3);
  let y11 = ed25519_pow_2_252_3(tv2).pow_p_5_8;
  y11 = Fp.mul(y11, tv3);
  let y12 = Fp.mul(y11, ELL2_C3);
  tv2 = Fp.sqr(y11);
  tv2 = Fp.mul(tv2, gxd);
  let e1 = Fp.eql(tv2, gx1);
  let y1 = Fp.cmov(y12, y11, e1);
  let x2n = Fp.mul(x1n, tv1);
  let y21 = Fp.mul(y11, u);
  y21 = Fp.mul(y21, ELL2_C2);
  let y22 = Fp.mul(y21, ELL2_C3);
  let gx2 = Fp.mul(gx1, tv1);
  tv2 = Fp.sqr(y21);
  tv2 = Fp.mul(tv2, gxd);
  let e2 = Fp.eql(tv2, gx2);
  let y2 = Fp.cmov(y22, y21, e2);
  tv2 = Fp.sqr(y1);
  tv2 = Fp.mul(tv2, gxd);
  let e3 = Fp.eql(tv2, gx1);
  let xn = Fp.cmov(x2n, x1n, e3);
  let y = Fp.cmov(y2, y1, e3);
  let e4 = Fp.isOdd(y);
  y = Fp.cmov(y, Fp.neg(y), e3 !== e4);
  return {
    xMn: xn,
    xMd: xd,
    yMn: y,
    yMd: _1n6
  };
}
function map_to_curve_elligator2_edwards25519(u) {
  const { xMn, xMd, yMn, yMd } = _map_to_curve_elligator2_curve25519(u);
  let xn = Fp.mul(xMn, yMd);
  xn = Fp.mul(xn, ELL2_C1_EDWARDS);
  let xd = Fp.mul(xMd, yMn);
  let yn = Fp.sub(xMn, xMd);
  let yd = Fp.add(xMn, xMd);
  let tv1 = Fp.mul(xd, yd);
  let e = Fp.eql(tv1, Fp.ZERO);
  xn = Fp.cmov(xn, Fp.ZERO, e);
  xd = Fp.cmov(xd, Fp.ONE, e);
  yn = Fp.cmov(yn, Fp.ONE, e);
  yd = Fp.cmov(yd, Fp.ONE, e);
  const [xd_inv, yd_inv] = FpInvertBatch(Fp, [
    xd,
    yd
  ], true);
  return {
    x: Fp.mul(xn, xd_inv),
    y: Fp.mul(yn, yd_inv)
  };
}
function calcElligatorRistrettoMap(r0) {
  const { d } = ed25519_CURVE;
  const r = Fp.mul(Fp.mulN(SQRT_M1, r0), r0);
  const Ns = Fp.mul(Fp.addN(r, _1n6), ONE_MINUS_D_SQ);
  let c = BigInt(-1);
  const D = Fp.mul(Fp.subN(c, Fp.mulN(d, r)), Fp.add(r, d));
  let { isValid: Ns_D_is_sq, value: s } = uvRatio(Ns, D);
  let s_ = Fp.mul(s, r0);
  if (!Fp.isOdd(s_)) s_ = Fp.neg(s_);
  if (!Ns_D_is_sq) s = s_;
  if (!Ns_D_is_sq) c = r;
  const Nt = Fp.sub(Fp.mulN(Fp.mulN(c, Fp.subN(r, _1n6)), D_MINUS_ONE_SQ), D);
  const s2 = Fp.sqrN(s);
  const W0 = Fp.mul(Fp.addN(s, s), D);
  const W1 = Fp.mul(Nt, SQRT_AD_MINUS_ONE);
  const W2 = Fp.sub(_1n6, s2);
  const W3 = Fp.add(_1n6, s2);
  return new ed25519_Point(Fp.mul(W0, W3), Fp.mul(W2, W1), Fp.mul(W1, W3), Fp.mul(W0, W2));
}
var _0n6, _1n6, _2n4, _3n2, _5n2, _8n3, ed25519_CURVE_p, ed25519_CURVE, ED25519_SQRT_M1, ed25519_Point, Fp, Fn, ed25519, ed25519ctx, ed25519ph, ed25519_FROST, x25519, ELL2_C1, ELL2_C2, ELL2_C3, ELL2_J, ELL2_C1_EDWARDS, ed25519_hasher, SQRT_M1, SQRT_AD_MINUS_ONE, INVSQRT_A_MINUS_D, ONE_MINUS_D_SQ, D_MINUS_ONE_SQ, invertSqrt, MAX_255B, bytes255ToNumberLE, _RistrettoPoint, ristretto255, ristretto255_hasher, ristretto255_oprf, ristretto255_FROST, ED25519_TORSION_SUBGROUP;
var init_ed25519 = __esm({
  "npm:@noble/curves/2.4.0/ed25519.js"() {
    init_sha2();
    init_utils();
    init_edwards();
    init_frost();
    init_hash_to_curve();
    init_modular();
    init_montgomery();
    init_oprf();
    init_utils2();
    _0n6 = /* @__PURE__ */ BigInt(0);
    _1n6 = /* @__PURE__ */ BigInt(1);
    _2n4 = /* @__PURE__ */ BigInt(2);
    _3n2 = /* @__PURE__ */ BigInt(3);
    _5n2 = /* @__PURE__ */ BigInt(5);
    _8n3 = /* @__PURE__ */ BigInt(8);
    ed25519_CURVE_p = /* @__PURE__ */ BigInt("0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed");
    ed25519_CURVE = /* @__PURE__ */ (() => ({
      p: ed25519_CURVE_p,
      n: BigInt("0x1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed"),
      h: _8n3,
      a: BigInt("0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec"),
      d: BigInt("0x52036cee2b6ffe738cc740797779e89800700a4d4141d8ab75eb4dca135978a3"),
      Gx: BigInt("0x216936d3cd6e53fec0a4e231fdd6dc5c692cc7609525a7b2c9562d608f25d51a"),
      Gy: BigInt("0x6666666666666666666666666666666666666666666666666666666666666658")
    }))();
    ED25519_SQRT_M1 = /* @__PURE__ */ BigInt("19681161376707505956807079304988542015446066515923890162744021073123829784752");
    ed25519_Point = /* @__PURE__ */ edwards(ed25519_CURVE, {
      uvRatio
    });
    Fp = /* @__PURE__ */ (() => ed25519_Point.Fp)();
    Fn = /* @__PURE__ */ (() => ed25519_Point.Fn)();
    ed25519 = /* @__PURE__ */ ed({});
    ed25519ctx = /* @__PURE__ */ ed({
      domain: ed25519_domain
    });
    ed25519ph = /* @__PURE__ */ ed({
      domain: ed25519_domain,
      prehash: sha512
    });
    ed25519_FROST = /* @__PURE__ */ (() => createFROST({
      name: "FROST-ED25519-SHA512-v1",
      Point: ed25519_Point,
      validatePoint: (p) => {
        p.assertValidity();
        if (!p.isTorsionFree()) throw new Error("bad point: not torsion-free");
      },
      hash: sha512,
      // RFC 9591 keeps H2 undecorated here for RFC 8032 compatibility. In createFROST(),
      // `H2: ''` becomes an empty DST prefix; the built-in hashToScalar fallback treats
      // that the same as omitted DST, even though custom hooks can still observe the empty bag.
      H2: ""
    }))();
    x25519 = /* @__PURE__ */ (() => {
      const P = ed25519_CURVE_p;
      const powPminus2 = (x) => {
        const { pow_p_5_8, b2 } = ed25519_pow_2_252_3(x);
        return mod(pow2(pow_p_5_8, _3n2, P) * b2, P);
      };
      return montgomery({
        P,
        type: "x25519",
        powPminus2,
        adjustScalarBytes,
        // ~3x faster fixed-base: [k]B on the birationally-equivalent Edwards curve using cached
        // base tables, mapped back via u = (1+y)/(1-y) = (Z+Y)/(Z-Y) with one Fermat inversion.
        // Same construction as libsodium's crypto_scalarmult_curve25519_base.
        scalarMultBase: (k) => {
          const kn = mod(k, ed25519_Point.Fn.ORDER);
          if (kn === _0n6) return _0n6;
          const p = ed25519_Point.BASE.multiply(kn);
          return mod((p.Z + p.Y) * powPminus2(mod(p.Z - p.Y, P)), P);
        }
      });
    })();
    ELL2_C1 = /* @__PURE__ */ (() => (ed25519_CURVE_p + _3n2) / _8n3)();
    ELL2_C2 = /* @__PURE__ */ (() => Fp.pow(_2n4, ELL2_C1))();
    ELL2_C3 = /* @__PURE__ */ (() => Fp.sqrt(Fp.neg(Fp.ONE)))();
    ELL2_J = /* @__PURE__ */ BigInt(486662);
    ELL2_C1_EDWARDS = /* @__PURE__ */ (() => FpSqrtEven(Fp, Fp.neg(BigInt(486664))))();
    ed25519_hasher = /* @__PURE__ */ (() => createHasher2(ed25519_Point, (scalars) => map_to_curve_elligator2_edwards25519(scalars[0]), {
      DST: "edwards25519_XMD:SHA-512_ELL2_RO_",
      encodeDST: "edwards25519_XMD:SHA-512_ELL2_NU_",
      p: ed25519_CURVE_p,
      m: 1,
      k: 128,
      expand: "xmd",
      hash: sha512
    }))();
    SQRT_M1 = ED25519_SQRT_M1;
    SQRT_AD_MINUS_ONE = /* @__PURE__ */ BigInt("25063068953384623474111414158702152701244531502492656460079210482610430750235");
    INVSQRT_A_MINUS_D = /* @__PURE__ */ BigInt("54469307008909316920995813868745141605393597292927456921205312896311721017578");
    ONE_MINUS_D_SQ = /* @__PURE__ */ BigInt("1159843021668779879193775521855586647937357759715417654439879720876111806838");
    D_MINUS_ONE_SQ = /* @__PURE__ */ BigInt("40440834346308536858101042469323190826248399146238708352240133220865137265952");
    invertSqrt = (number) => uvRatio(_1n6, number);
    MAX_255B = /* @__PURE__ */ BigInt("0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
    bytes255ToNumberLE = (bytes) => Fp.create(bytesToNumberLE(bytes) & MAX_255B);
    _RistrettoPoint = class __RistrettoPoint extends PrimeEdwardsPoint {
      // Do NOT change syntax: the following gymnastics is done,
      // because typescript strips comments, which makes bundlers disable tree-shaking.
      // prettier-ignore
      static BASE = /* @__PURE__ */ (() => new __RistrettoPoint(ed25519_Point.BASE))();
      // prettier-ignore
      static ZERO = /* @__PURE__ */ (() => new __RistrettoPoint(ed25519_Point.ZERO))();
      // prettier-ignore
      static Fp = /* @__PURE__ */ (() => Fp)();
      // prettier-ignore
      static Fn = /* @__PURE__ */ (() => Fn)();
      constructor(ep) {
        super(ep);
      }
      /**
         * Create one Ristretto255 point from affine Edwards coordinates.
         * This wraps the internal Edwards representative directly and is not a
         * canonical ristretto255 decoding path.
         * Use `toBytes()` / `fromBytes()` if canonical ristretto255 bytes matter.
         */
      static fromAffine(ap) {
        return new __RistrettoPoint(ed25519_Point.fromAffine(ap));
      }
      assertSame(other) {
        if (!(other instanceof __RistrettoPoint)) throw new Error("RistrettoPoint expected");
      }
      init(ep) {
        return new __RistrettoPoint(ep);
      }
      static fromBytes(bytes) {
        abytes(bytes, 32);
        const { a, d } = ed25519_CURVE;
        const s = bytes255ToNumberLE(bytes);
        if (!equalBytes2(Fp.toBytes(s), bytes) || Fp.isOdd(s)) throw new Error("invalid ristretto255 encoding 1");
        const s2 = Fp.sqr(s);
        const u1 = Fp.add(_1n6, Fp.mulN(a, s2));
        const u2 = Fp.sub(_1n6, Fp.mulN(a, s2));
        const u1_2 = Fp.sqr(u1);
        const u2_2 = Fp.sqr(u2);
        const v = Fp.sub(Fp.mulN(Fp.mulN(a, d), u1_2), u2_2);
        const { isValid, value: I } = invertSqrt(Fp.mul(v, u2_2));
        const Dx = Fp.mul(I, u2);
        const Dy = Fp.mul(Fp.mulN(I, Dx), v);
        let x = Fp.mul(Fp.addN(s, s), Dx);
        if (Fp.isOdd(x)) x = Fp.neg(x);
        const y = Fp.mul(u1, Dy);
        const t = Fp.mul(x, y);
        if (!isValid || Fp.isOdd(t) || Fp.is0(y)) throw new Error("invalid ristretto255 encoding 2");
        return new __RistrettoPoint(new ed25519_Point(x, y, Fp.ONE, t));
      }
      /**
         * Converts ristretto-encoded string to ristretto point.
         * Described in [RFC9496](https://www.rfc-editor.org/rfc/rfc9496#name-decode).
         * @param hex - Ristretto-encoded 32 bytes. Not every 32-byte string is valid ristretto encoding
         */
      static fromHex(hex) {
        return __RistrettoPoint.fromBytes(hexToBytes(hex));
      }
      /**
         * Encodes ristretto point to Uint8Array.
         * Described in [RFC9496](https://www.rfc-editor.org/rfc/rfc9496#name-encode).
         */
      toBytes() {
        let { X, Y, Z, T: T2 } = this.ep;
        const u1 = Fp.mul(Fp.add(Z, Y), Fp.sub(Z, Y));
        const u2 = Fp.mul(X, Y);
        const u2sq = Fp.sqr(u2);
        const { value: invsqrt } = invertSqrt(Fp.mul(u1, u2sq));
        const D1 = Fp.mul(invsqrt, u1);
        const D2 = Fp.mul(invsqrt, u2);
        const zInv = Fp.mul(Fp.mulN(D1, D2), T2);
        let D;
        if (Fp.isOdd(Fp.mul(T2, zInv))) {
          let _x = Fp.mul(Y, SQRT_M1);
          let _y = Fp.mul(X, SQRT_M1);
          X = _x;
          Y = _y;
          D = Fp.mul(D1, INVSQRT_A_MINUS_D);
        } else {
          D = D2;
        }
        if (Fp.isOdd(Fp.mul(X, zInv))) Y = Fp.neg(Y);
        let s = Fp.mul(Fp.subN(Z, Y), D);
        if (Fp.isOdd(s)) s = Fp.neg(s);
        return Fp.toBytes(s);
      }
      /**
         * Compares two Ristretto points.
         * Described in [RFC9496](https://www.rfc-editor.org/rfc/rfc9496#name-equals).
         */
      equals(other) {
        this.assertSame(other);
        const { X: X1, Y: Y1 } = this.ep;
        const { X: X2, Y: Y2 } = other.ep;
        const one = Fp.eql(Fp.mul(X1, Y2), Fp.mul(Y1, X2));
        const two = Fp.eql(Fp.mul(Y1, Y2), Fp.mul(X1, X2));
        return one || two;
      }
      is0() {
        return this.equals(__RistrettoPoint.ZERO);
      }
    };
    ristretto255 = /* @__PURE__ */ (() => {
      Object.freeze(_RistrettoPoint.BASE);
      Object.freeze(_RistrettoPoint.ZERO);
      Object.freeze(_RistrettoPoint.prototype);
      Object.freeze(_RistrettoPoint);
      return Object.freeze({
        Point: _RistrettoPoint
      });
    })();
    ristretto255_hasher = /* @__PURE__ */ Object.freeze({
      Point: _RistrettoPoint,
      /**
      * Spec: https://www.rfc-editor.org/rfc/rfc9380.html#name-hashing-to-ristretto255. Caveats:
      * * There are no test vectors
      * * encodeToCurve / mapToCurve is undefined
      * * mapToCurve would be `calcElligatorRistrettoMap(scalars[0])`, not ristretto255_map!
      * * hashToScalar is undefined too, so we just use OPRF implementation
      * * We cannot re-use 'createHasher', because ristretto255_map is different algorithm/RFC
        (os2ip -> bytes255ToNumberLE)
      * * mapToCurve == calcElligatorRistrettoMap, hashToCurve == ristretto255_map
      * * hashToScalar is undefined in RFC9380 for ristretto, so we use the OPRF
        version here. Using `bytes255ToNumblerLE` will create a different result
        if we use `bytes255ToNumberLE` as os2ip
      * * current version is closest to spec.
      */
      hashToCurve(msg, options) {
        const DST = options?.DST === void 0 ? "ristretto255_XMD:SHA-512_R255MAP_RO_" : options.DST;
        const xmd = expand_message_xmd(msg, DST, 64, sha512);
        return ristretto255_hasher.deriveToCurve(xmd);
      },
      hashToScalar(msg, options) {
        const DST = options?.DST === void 0 ? _DST_scalar : options.DST;
        const xmd = expand_message_xmd(msg, DST, 64, sha512);
        return Fn.create(bytesToNumberLE(xmd));
      },
      /**
         * HashToCurve-like construction based on RFC 9496 (Element Derivation).
         * Converts 64 uniform random bytes into a curve point.
         *
         * WARNING: This represents an older hash-to-curve construction from before
         * RFC 9380 was finalized.
         * It was later reused as a component in the newer
         * `hash_to_ristretto255` function defined in RFC 9380.
         */
      deriveToCurve(bytes) {
        abytes(bytes, 64);
        const r1 = bytes255ToNumberLE(bytes.subarray(0, 32));
        const R1 = calcElligatorRistrettoMap(r1);
        const r2 = bytes255ToNumberLE(bytes.subarray(32, 64));
        const R2 = calcElligatorRistrettoMap(r2);
        return new _RistrettoPoint(R1.add(R2));
      }
    });
    ristretto255_oprf = /* @__PURE__ */ (() => createOPRF({
      name: "ristretto255-SHA512",
      Point: _RistrettoPoint,
      hash: sha512,
      hashToGroup: ristretto255_hasher.hashToCurve,
      hashToScalar: ristretto255_hasher.hashToScalar
    }))();
    ristretto255_FROST = /* @__PURE__ */ (() => createFROST({
      name: "FROST-RISTRETTO255-SHA512-v1",
      Point: _RistrettoPoint,
      validatePoint: (p) => {
        p.assertValidity();
      },
      hash: sha512
    }))();
    ED25519_TORSION_SUBGROUP = /* @__PURE__ */ Object.freeze([
      "0100000000000000000000000000000000000000000000000000000000000000",
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
      "0000000000000000000000000000000000000000000000000000000000000080",
      "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
      "0000000000000000000000000000000000000000000000000000000000000000",
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa"
    ]);
  }
});

// lib/format/ed25519.ts
function pkcs8(seed) {
  const out = new Uint8Array(PKCS8_PREFIX.length + seed.length);
  out.set(PKCS8_PREFIX);
  out.set(seed, PKCS8_PREFIX.length);
  return out;
}
async function nobleBackend() {
  const { ed25519: ed255192 } = await Promise.resolve().then(() => (init_ed25519(), ed25519_exports));
  return {
    publicKey: (seed) => Promise.resolve(ed255192.getPublicKey(seed)),
    sign: (seed, message) => Promise.resolve(ed255192.sign(message, seed)),
    verify(publicKey, message, signature) {
      try {
        return Promise.resolve(ed255192.verify(signature, message, publicKey));
      } catch {
        return Promise.resolve(false);
      }
    }
  };
}
function current() {
  return backend ??= (async () => {
    try {
      const seed = new Uint8Array(32).fill(1);
      const pub = await webCrypto.publicKey(seed);
      const m = new Uint8Array(1);
      if (await webCrypto.verify(pub, m, await webCrypto.sign(seed, m))) return webCrypto;
    } catch {
    }
    return await nobleBackend();
  })();
}
async function verifyEd25519(publicKey, message, signature) {
  if (publicKey.length !== ED25519.publicKey || signature.length !== ED25519.signature) {
    return false;
  }
  return await (await current()).verify(publicKey, message, signature);
}
var ED25519, ALG, PKCS8_PREFIX, webCrypto, backend;
var init_ed255192 = __esm({
  "lib/format/ed25519.ts"() {
    init_errors();
    ED25519 = {
      seed: 32,
      publicKey: 32,
      signature: 64
    };
    ALG = {
      name: "Ed25519"
    };
    PKCS8_PREFIX = Uint8Array.fromHex("302e020100300506032b657004220420");
    webCrypto = {
      async publicKey(seed) {
        const k = await crypto.subtle.importKey("pkcs8", pkcs8(seed), ALG, true, [
          "sign"
        ]);
        const jwk = await crypto.subtle.exportKey("jwk", k);
        return Uint8Array.fromBase64(jwk.x, {
          alphabet: "base64url"
        });
      },
      async sign(seed, message) {
        const k = await crypto.subtle.importKey("pkcs8", pkcs8(seed), ALG, false, [
          "sign"
        ]);
        return new Uint8Array(await crypto.subtle.sign(ALG, k, message));
      },
      async verify(publicKey, message, signature) {
        let k;
        try {
          k = await crypto.subtle.importKey("raw", publicKey, ALG, false, [
            "verify"
          ]);
        } catch {
          return false;
        }
        return await crypto.subtle.verify(ALG, k, signature, message);
      }
    };
  }
});

// lib/format/signature.ts
function keyIdOf(publicKey) {
  return sha2562(concat([
    encodeUtf8(KEY_ID_DOMAIN),
    publicKey
  ])).subarray(0, 8).toHex();
}
function signedMessage(locaPayload, livc) {
  return concat([
    encodeUtf8(SIGN_DOMAIN),
    locaPayload.subarray(0, 32),
    locaPayload.subarray(128, 160),
    livc ? sha2562(livc) : new Uint8Array(32)
  ]);
}
function bad(message, offset) {
  throw new H4Error("H4_BAD_SIGNATURE", message, {
    offset,
    chunk: SIGN_TAG,
    rule: "H4-SIG-002"
  });
}
function decodeSignPayload(payload, offset) {
  if (payload.length !== SIGN_PAYLOAD_LENGTH) {
    bad(`SIGN at ${offset} has ${payload.length} payload bytes, must be 100`, offset);
  }
  const version = payload[0] << 8 | payload[1];
  const alg = payload[2] << 8 | payload[3];
  if (version !== SIGN_VERSION) bad(`SIGN at ${offset} has version ${version}, not 1`, offset);
  if (alg !== SIGN_ALG_ED25519) {
    bad(`SIGN at ${offset} has algorithm ${alg}, this reader knows 1 (Ed25519)`, offset);
  }
  const publicKey = payload.slice(4, 36);
  return {
    publicKey,
    signature: payload.slice(36, 100),
    keyId: keyIdOf(publicKey),
    offset
  };
}
function checkDistinctSigners(records) {
  const seen = /* @__PURE__ */ new Map();
  for (const r of records) {
    const k = r.publicKey.toHex();
    const first = seen.get(k);
    if (first) {
      bad(`SIGN at ${r.offset} repeats the signer ${r.keyId} of SIGN at ${first.offset}`, r.offset);
    }
    seen.set(k, r);
  }
}
async function verifySignature(record, locaPayload, livc) {
  return await verifyEd25519(record.publicKey, signedMessage(locaPayload, livc), record.signature);
}
var SIGN_TAG, SIGN_DOMAIN, KEY_ID_DOMAIN, SIGN_PAYLOAD_LENGTH, SIGN_VERSION, SIGN_ALG_ED25519, SIGN_CHUNK_LENGTH;
var init_signature = __esm({
  "lib/format/signature.ts"() {
    init_bytes();
    init_constants();
    init_ed255192();
    init_errors();
    init_sha256();
    SIGN_TAG = "SIGN";
    SIGN_DOMAIN = "H4MK-SIGN-1";
    KEY_ID_DOMAIN = "H4MK-KEYID-1";
    SIGN_PAYLOAD_LENGTH = 100;
    SIGN_VERSION = 1;
    SIGN_ALG_ED25519 = 1;
    SIGN_CHUNK_LENGTH = CHUNK_HEADER_LENGTH + SIGN_PAYLOAD_LENGTH;
  }
});

// lib/format/tdir.ts
function decodeTdir(payload, blocks, chunks, base = 0) {
  const r = new ByteReader(payload, "H4_BAD_INDEX", "TDIR", base);
  const blocksPerPage = r.u32("blocks_per_page");
  if (blocksPerPage < 1 || blocksPerPage > LIMITS.perPage) {
    r.fail(`blocks_per_page ${blocksPerPage} not in 1..65536`, "H4_BAD_INDEX", "H4-TDR-001");
  }
  const bidxCount = r.u32("bidx_page_count");
  const wantBidx = Math.ceil(blocks / blocksPerPage);
  if (bidxCount !== wantBidx) {
    r.fail(`bidx_page_count ${bidxCount}, ${blocks} blocks in pages of ${blocksPerPage} need ${wantBidx}`, "H4_BAD_INDEX", "H4-TDR-001");
  }
  r.need(bidxCount * 36, "BIDX page entries");
  const bidxPageLengths = [];
  const bidxPageDigests = [];
  for (let i = 0; i < bidxCount; i++) {
    const len = r.u32("page_length");
    if (len > LIMITS.pageBytes) {
      r.fail(`BIDX page ${i} length ${len} exceeds 1 MiB`, "H4_LIMIT_EXCEEDED", "H4-LIM-001");
    }
    bidxPageLengths.push(len);
    bidxPageDigests.push(r.take(32, "page_digest").slice());
  }
  const hashesPerPage = r.u32("hashes_per_page");
  if (hashesPerPage < 1 || hashesPerPage > LIMITS.perPage) {
    r.fail(`hashes_per_page ${hashesPerPage} not in 1..65536`, "H4_BAD_INDEX", "H4-TDR-001");
  }
  const bhshCount = r.u32("bhsh_page_count");
  const wantBhsh = Math.ceil(chunks / hashesPerPage);
  if (bhshCount !== wantBhsh) {
    r.fail(`bhsh_page_count ${bhshCount}, ${chunks} chunks in pages of ${hashesPerPage} need ${wantBhsh}`, "H4_BAD_INDEX", "H4-TDR-001");
  }
  r.need(bhshCount * 32, "BHSH page digests");
  const bhshPageDigests = [];
  for (let i = 0; i < bhshCount; i++) bhshPageDigests.push(r.take(32, "page_digest").slice());
  r.end("directory");
  return {
    blocksPerPage,
    bidxPageLengths,
    bidxPageDigests,
    hashesPerPage,
    bhshPageDigests
  };
}
var init_tdir = __esm({
  "lib/format/tdir.ts"() {
    init_bytes();
    init_constants();
  }
});

// lib/format/trak.ts
var trak_exports = {};
__export(trak_exports, {
  decodeTrak: () => decodeTrak,
  encodeTrak: () => encodeTrak
});
function encodeTrak(entries) {
  return encodeUtf8(JSON.stringify({
    trak: entries.map((e) => ({
      track_id: e.track_id,
      pts_us: e.pts_us,
      kind: e.kind,
      keyframe: e.keyframe,
      core_index: e.core_index
    }))
  }));
}
function decodeTrak(bytes) {
  const fail2 = (m) => {
    throw new H4Error("H4_LEGACY_NO_INDEX", `META.trak_b64: ${m}`, {
      chunk: "META",
      rule: "H4-LEG-001"
    });
  };
  let doc;
  try {
    doc = JSON.parse(decodeUtf8(bytes, "META.trak_b64"));
  } catch (e) {
    if (e instanceof H4Error) throw e;
    fail2("not valid JSON");
  }
  const list = doc?.trak;
  if (!Array.isArray(list)) return fail2(`no "trak" array`);
  return list.map((x, i) => {
    const e = x;
    if (typeof e !== "object" || e === null || typeof e.track_id !== "string" || !Number.isSafeInteger(e.pts_us) || ![
      "I",
      "P",
      "B"
    ].includes(e.kind) || typeof e.keyframe !== "boolean" || !Number.isSafeInteger(e.core_index)) {
      fail2(`entry ${i} is not {track_id, pts_us, kind I|P|B, keyframe, core_index}`);
    }
    if (e.core_index !== i) {
      throw new H4Error("H4_INDEX_MISMATCH", `META.trak_b64: entry ${i} says core_index ${e.core_index}; entries are in block order`, {
        chunk: "META",
        rule: "H4-LEG-001"
      });
    }
    return {
      track_id: e.track_id,
      pts_us: e.pts_us,
      kind: e.kind,
      keyframe: e.keyframe,
      core_index: i
    };
  });
}
var init_trak = __esm({
  "lib/format/trak.ts"() {
    init_bytes();
    init_errors();
  }
});

// lib/format/chunk_walk.ts
function tagCode(tag) {
  let n = 0;
  for (let i = 0; i < 4; i++) n = n * 256 + (tag.charCodeAt(i) & 255);
  return n;
}
function tagOfCode(code) {
  return String.fromCharCode(code >>> 24, code >>> 16 & 255, code >>> 8 & 255, code & 255);
}
async function walkWindows(src2, visitor, range = {}) {
  const size = src2.size;
  const to = Math.min(range.to ?? size, size);
  const span = Math.max(CHUNK_HEADER_LENGTH, range.window ?? WALK_WINDOW);
  let offset = range.from ?? HEADER_LENGTH;
  let buf = EMPTY;
  let bufAt = 0;
  let own;
  const load = async (at) => {
    if (buf.length > 0) visitor.leave?.(buf, bufAt, at);
    const length = Math.min(size - at, span);
    const keep = at >= bufAt && at < bufAt + buf.length ? bufAt + buf.length - at : 0;
    const kept = buf.subarray(at - bufAt, at - bufAt + keep);
    if (src2.readInto) {
      if (!own || own.length < length) {
        const grown = new Uint8Array(length);
        grown.set(kept);
        own = grown;
      } else own.set(kept);
      const rest = await src2.readInto(at + keep, own.subarray(keep, length));
      if (rest.buffer !== own.buffer || rest.byteOffset !== own.byteOffset + keep) {
        own.set(rest, keep);
      }
      buf = own.subarray(0, length);
    } else if (keep === 0) buf = await src2.read(at, length);
    else {
      const next = new Uint8Array(length);
      next.set(kept);
      next.set(await src2.read(at + keep, length - keep), keep);
      buf = next;
    }
    bufAt = at;
  };
  while (offset < to) {
    checkChunkHeaderRoom(size, offset);
    let h = offset - bufAt;
    if (h < 0 || h + CHUNK_HEADER_LENGTH > buf.length) {
      await load(offset);
      h = 0;
    }
    const b0 = buf[h], b1 = buf[h + 1], b2 = buf[h + 2], b3 = buf[h + 3];
    const length = (buf[h + 4] << 24 | buf[h + 5] << 16 | buf[h + 6] << 8 | buf[h + 7]) >>> 0;
    const crc = (buf[h + 8] << 24 | buf[h + 9] << 16 | buf[h + 10] << 8 | buf[h + 11]) >>> 0;
    const end2 = offset + CHUNK_HEADER_LENGTH + length;
    if (b0 < 32 || b0 > 126 || b1 < 32 || b1 > 126 || b2 < 32 || b2 > 126 || b3 < 32 || b3 > 126 || end2 > size) {
      parseChunkHeader(buf.subarray(h, h + CHUNK_HEADER_LENGTH), offset, size);
    }
    let whole = end2 - bufAt <= buf.length;
    if (!whole && CHUNK_HEADER_LENGTH + length <= span) {
      await load(offset);
      h = 0;
      whole = true;
    }
    let r = visitor.chunk((b0 << 24 | b1 << 16 | b2 << 8 | b3) >>> 0, offset, length, crc, buf, h);
    if (r !== void 0 && r !== true && r !== false) r = await r;
    if (r === false) return offset;
    if (!whole && visitor.part) {
      for (let o = offset + CHUNK_HEADER_LENGTH; o < end2; ) {
        if (o - bufAt >= buf.length) await load(o);
        const piece = buf.subarray(o - bufAt, Math.min(buf.length, end2 - bufAt));
        o += piece.length;
        const p = visitor.part(piece, o === end2);
        if (p !== void 0) await p;
      }
    }
    offset = end2;
  }
  return offset;
}
async function* chunkObjects(src2, window, payloads) {
  let batch2 = [];
  let bytes = 0;
  let ended2 = false;
  let stopped = false;
  let failure2;
  let taken;
  let arrived;
  const full = () => batch2.length >= BATCH_CHUNKS || bytes >= BATCH_BYTES;
  const wake = () => {
    const a = arrived;
    arrived = void 0;
    a?.();
  };
  walkWindows(src2, {
    chunk(tag, offset, length, crc, win, at) {
      if (stopped) return false;
      const whole = payloads && at + CHUNK_HEADER_LENGTH + length <= win.length;
      batch2.push({
        offset,
        tag: tagOfCode(tag),
        length,
        crc,
        // A copy: the window is read over by the next load.
        payload: whole ? win.slice(at + CHUNK_HEADER_LENGTH, at + CHUNK_HEADER_LENGTH + length) : void 0
      });
      if (whole) bytes += length;
      if (!full()) return;
      return new Promise((resume) => {
        taken = resume;
        wake();
      });
    }
  }, {
    window
  }).then(() => {
  }, (error) => void (failure2 = {
    error
  })).finally(() => {
    ended2 = true;
    wake();
  });
  try {
    while (true) {
      if (!ended2 && !full()) await new Promise((r) => arrived = r);
      const out = batch2;
      batch2 = [];
      bytes = 0;
      const resume = taken;
      taken = void 0;
      resume?.();
      yield* out;
      if (ended2 && batch2.length === 0) break;
    }
    if (failure2) throw failure2.error;
  } finally {
    stopped = true;
    taken?.();
  }
}
async function* walkHeaders(src2) {
  for await (const c of chunkObjects(src2, CHUNK_HEADER_LENGTH, false)) {
    yield {
      offset: c.offset,
      tag: c.tag,
      length: c.length,
      crc: c.crc
    };
  }
}
async function* walkSource(src2) {
  for await (const c of chunkObjects(src2, WALK_WINDOW, true)) {
    const payload = c.payload ?? await src2.read(c.offset + CHUNK_HEADER_LENGTH, c.length);
    yield {
      offset: c.offset,
      tag: c.tag,
      length: c.length,
      crc: c.crc,
      payload
    };
  }
}
var WALK_WINDOW, EMPTY, BATCH_CHUNKS, BATCH_BYTES;
var init_chunk_walk = __esm({
  "lib/format/chunk_walk.ts"() {
    init_chunk();
    init_constants();
    WALK_WINDOW = 2 * 1024 * 1024;
    EMPTY = new Uint8Array(0);
    BATCH_CHUNKS = 256;
    BATCH_BYTES = WALK_WINDOW;
  }
});

// lib/format/chunk_types.ts
function need(v, tag, what) {
  if (v === void 0) {
    throw new H4Error("H4_BAD_ARGUMENT", `decoding ${tag} needs ${what}`);
  }
  return v;
}
function isStorageTag(tag) {
  return tag === "CORE" || tag === "SEGM";
}
var TABLE_POSITION, CHUNK_TYPES, KNOWN_TAGS, STORAGE_TAGS, SLOT_TAGS, REQUIRED_SLOTS, WHOLE_SLOTS, LOCATOR_ONLY_TAGS;
var init_chunk_types = __esm({
  "lib/format/chunk_types.ts"() {
    init_bidx();
    init_constants();
    init_errors();
    init_ksek();
    init_loca();
    init_meta();
    init_signature();
    init_tdir();
    init_trks();
    init_root();
    TABLE_POSITION = "after the storage chunks, before VERI; found through LOCA";
    CHUNK_TYPES = {
      CORE: {
        tag: "CORE",
        description: "storage chunk: the stored bytes of one block",
        kind: "storage",
        versions: [
          1
        ],
        position: "first, directly after the header, back to back in block order (H4-FMT-020)",
        section: "4",
        slot: null,
        rooted: false,
        required: false,
        paged: false,
        locatorOnly: false,
        decode: null
      },
      SEGM: {
        tag: "SEGM",
        description: "storage chunk: the stored bytes of consecutive blocks",
        kind: "storage",
        versions: [
          2
        ],
        position: "first, directly after the header, back to back in block order (H4-FMT-020)",
        section: "4",
        slot: null,
        rooted: false,
        required: false,
        paged: false,
        locatorOnly: false,
        decode: null
      },
      SEEK: {
        tag: "SEEK",
        description: "the original writer's seek table, always empty (payload u32 0)",
        kind: "legacy-table",
        versions: [
          1
        ],
        position: "v1: exactly one, directly after the storage chunks (H4-FMT-024)",
        section: "4",
        slot: null,
        rooted: false,
        required: false,
        paged: false,
        locatorOnly: false,
        decode: (p) => ({
          count: p.length >= 4 ? new DataView(p.buffer, p.byteOffset, 4).getUint32(0) : null
        })
      },
      BIDX: {
        tag: "BIDX",
        description: "block index: pages of per-block records",
        kind: "table",
        versions: [
          1,
          2
        ],
        position: TABLE_POSITION,
        section: "6.2",
        slot: "BIDX",
        rooted: false,
        required: true,
        paged: true,
        locatorOnly: true,
        decode: (p, ctx) => {
          const d = need(ctx.directory, "BIDX", "TDIR");
          const blockCount = need(ctx.blockCount, "BIDX", "LOCA's block count");
          const trackCodecs = need(ctx.trackCodecs, "BIDX", "TRKS");
          const pages = [];
          let at = 0;
          for (const [i, len] of d.bidxPageLengths.entries()) {
            const first = i * d.blocksPerPage;
            pages.push(decodeBidxPage(p.subarray(at, at + len), {
              first,
              count: Math.min(d.blocksPerPage, blockCount - first),
              trackCodecs,
              overhead: ctx.overhead ?? 0,
              base: (ctx.base ?? 0) + at
            }));
            at += len;
          }
          return pages;
        }
      },
      BHSH: {
        tag: "BHSH",
        description: "SHA-256 of every storage chunk's payload",
        kind: "table",
        versions: [
          1,
          2
        ],
        position: TABLE_POSITION,
        section: "6.4",
        slot: "BHSH",
        rooted: false,
        required: true,
        paged: true,
        locatorOnly: true,
        decode: (p) => Array.from({
          length: Math.floor(p.length / 32)
        }, (_, i) => p.subarray(32 * i, 32 * i + 32))
      },
      KSEK: {
        tag: "KSEK",
        description: "per-track seek tables",
        kind: "table",
        versions: [
          1,
          2
        ],
        position: TABLE_POSITION,
        section: "6.5",
        slot: "KSEK",
        rooted: true,
        required: true,
        paged: false,
        locatorOnly: true,
        decode: (p, ctx) => decodeKsek(p, need(ctx.trackCodecs, "KSEK", "the track count of TRKS").length, ctx.overhead ?? 0, ctx.base ?? 0)
      },
      TDIR: {
        tag: "TDIR",
        description: "table directory: BIDX page lengths and digests, BHSH page digests",
        kind: "table",
        versions: [
          1,
          2
        ],
        position: TABLE_POSITION,
        section: "6.3",
        slot: "TDIR",
        rooted: true,
        required: true,
        paged: false,
        locatorOnly: true,
        decode: (p, ctx) => decodeTdir(p, need(ctx.blockCount, "TDIR", "LOCA's block count"), need(ctx.chunkCount, "TDIR", "LOCA's chunk count"), ctx.base ?? 0)
      },
      TRKS: {
        tag: "TRKS",
        description: "tracks: id, codec, block and keyframe counts",
        kind: "table",
        versions: [
          1,
          2
        ],
        position: TABLE_POSITION,
        section: "6.1",
        slot: "TRKS",
        rooted: true,
        required: true,
        paged: false,
        locatorOnly: true,
        decode: (p, ctx) => decodeTrks(p, ctx.base ?? 0)
      },
      LIVC: {
        tag: "LIVC",
        description: "LivingCipher header, transcript and seal (encrypted files only)",
        kind: "cipher",
        versions: [
          1,
          2
        ],
        position: `${TABLE_POSITION}; only when LOCA's encrypted flag is set`,
        section: "12.8",
        slot: "LIVC",
        rooted: false,
        required: false,
        paged: false,
        locatorOnly: true,
        decode: null
      },
      RCPT: {
        tag: "RCPT",
        description: "LivingCipher recipient stanzas (outside the root and the seal)",
        kind: "cipher",
        versions: [
          1,
          2
        ],
        position: "at most one, directly after LIVC",
        section: "12.16",
        slot: null,
        rooted: false,
        required: false,
        paged: false,
        locatorOnly: false,
        decode: null
      },
      META: {
        tag: "META",
        description: "metadata: a JSON object",
        kind: "document",
        versions: [
          1,
          2
        ],
        position: TABLE_POSITION,
        section: "8",
        slot: "META",
        rooted: true,
        required: true,
        paged: false,
        locatorOnly: false,
        decode: (p, ctx) => decodeJsonDoc(p, "META", ctx.base)
      },
      SAFE: {
        tag: "SAFE",
        description: "safety metadata: a JSON object (may be absent)",
        kind: "document",
        versions: [
          1,
          2
        ],
        position: TABLE_POSITION,
        section: "8",
        slot: "SAFE",
        rooted: true,
        required: false,
        paged: false,
        locatorOnly: false,
        decode: (p, ctx) => decodeJsonDoc(p, "SAFE", ctx.base)
      },
      VERI: {
        tag: "VERI",
        description: "SHA-256 file digest (H4-INT-005)",
        kind: "integrity",
        versions: [
          1,
          2
        ],
        position: "exactly one, after the tables, before the SIGN chunks and LOCA (H4-FMT-022)",
        section: "9",
        slot: null,
        rooted: false,
        required: false,
        paged: false,
        locatorOnly: false,
        decode: (p) => p
      },
      SIGN: {
        tag: "SIGN",
        description: "an Ed25519 signature over the root",
        kind: "signature",
        versions: [
          1,
          2
        ],
        position: "between VERI and LOCA, back to back (H4-SIG-001)",
        section: "18.1",
        slot: null,
        rooted: false,
        required: false,
        paged: false,
        locatorOnly: false,
        decode: (p, ctx) => decodeSignPayload(p, (ctx.base ?? 12) - 12)
      },
      LOCA: {
        tag: "LOCA",
        description: "locator: the table slots, counts and the root digest",
        kind: "locator",
        versions: [
          1,
          2
        ],
        position: "last chunk of every file written by this specification (H4-LOC-001)",
        section: "7",
        slot: null,
        rooted: false,
        required: false,
        paged: false,
        locatorOnly: true,
        decode: (p, ctx) => decodeLoca(p, ctx.base ?? 0)
      }
    };
    KNOWN_TAGS = Object.keys(CHUNK_TYPES);
    STORAGE_TAGS = KNOWN_TAGS.filter((t) => CHUNK_TYPES[t].kind === "storage");
    SLOT_TAGS = LOCA_SLOTS;
    REQUIRED_SLOTS = SLOT_TAGS.filter((s) => CHUNK_TYPES[s].required);
    WHOLE_SLOTS = SLOT_TAGS.filter((s) => !CHUNK_TYPES[s].paged);
    LOCATOR_ONLY_TAGS = KNOWN_TAGS.filter((t) => CHUNK_TYPES[t].locatorOnly);
  }
});

// lib/format/block_context.ts
function contextOf(e) {
  return {
    index: e.index,
    track_id: e.track_id,
    pts_us: e.pts_us,
    kind: e.kind,
    keyframe: e.keyframe,
    codec: e.codec,
    plain_length: e.plain_length
  };
}
var init_block_context = __esm({
  "lib/format/block_context.ts"() {
  }
});

// lib/seek/rules.ts
function checkMagicAndVersion(h, where) {
  for (let i = 0; i < 4; i++) {
    if (h[i] !== MAGIC[i]) {
      const got = [
        ...h.subarray(0, 4)
      ].map((b) => b >= 32 && b < 127 ? String.fromCharCode(b) : ".").join("");
      throw new H4Error("H4_BAD_MAGIC", `${where}: expected "H4MK", got "${got}"`, {
        offset: 0,
        rule: "H4-FMT-001"
      });
    }
  }
  const version = h[4] << 8 | h[5];
  if (version !== VERSION_V1 && version !== VERSION_V2) {
    throw new H4Error("H4_UNSUPPORTED_VERSION", `${where}: version ${version}, this reader knows 1 and 2`, {
      offset: 4,
      rule: "H4-FMT-002"
    });
  }
  return version;
}
function checkHeaderCopy(header, copy, locaAt) {
  if (!equalBytes(header, copy)) {
    throw new H4Error("H4_BAD_LOCATOR", `LOCA header copy differs from the file header`, {
      offset: locaAt,
      chunk: "LOCA",
      rule: "H4-LOC-002"
    });
  }
}
function checkSlotTarget(slot, length, offset, head, cause) {
  if (!head) {
    throw new H4Error("H4_BAD_LOCATOR", `LOCA slot ${slot} at ${offset} does not point at a chunk`, {
      offset,
      chunk: "LOCA",
      rule: "H4-LOC-002",
      cause
    });
  }
  if (head.tag !== slot || head.length + CHUNK_HEADER_LENGTH !== length) {
    throw new H4Error("H4_BAD_LOCATOR", `LOCA slot ${slot} points at ${head.tag} of ${head.length + 12} bytes, expected ${slot} of ${length}`, {
      offset,
      chunk: "LOCA",
      rule: "H4-LOC-002"
    });
  }
}
function checkSlotChunk(slot, length, bytes, offset, size) {
  let head;
  let cause;
  try {
    head = parseChunkHeader(bytes, offset, size);
  } catch (e) {
    cause = e;
  }
  checkSlotTarget(slot, length, offset, head, cause);
  return head;
}
async function checkPageDigest(table, p, bytes, digest, at) {
  if (!equalBytes(await sha256Async(bytes), digest)) {
    throw new H4Error("H4_DIGEST_MISMATCH", `${table} page ${p} does not match its TDIR digest`, {
      offset: at,
      chunk: table,
      rule: "H4-TDR-002"
    });
  }
}
function checkBhshLength(length, chunkCount, how) {
  if (length !== chunkCount * 32) {
    throw new H4Error("H4_BAD_INDEX", `${how} has ${length} bytes, ${chunkCount} chunks need ${chunkCount * 32}`, {
      chunk: "BHSH",
      rule: "H4-BHS-001"
    });
  }
}
function checkSeekTableBounds(table, trackId, blockCount, storageEnd) {
  const id = JSON.stringify(trackId);
  for (let k = 0; k < table.count; k++) {
    if (table.block[k] >= blockCount) {
      throw new H4Error("H4_BAD_SEEK_TABLE", `track ${id} seek entry ${k} names block ${table.block[k]}, the file has ${blockCount}`, {
        chunk: "KSEK",
        rule: "H4-SEK-001"
      });
    }
    if (table.offset[k] < FIRST_BLOCK_OFFSET || table.offset[k] + table.stored[k] > storageEnd) {
      throw new H4Error("H4_INDEX_OUT_OF_FILE", `track ${id} seek entry ${k} points at ${table.offset[k]}+${table.stored[k]}, outside the storage region 20..${storageEnd}`, {
        chunk: "KSEK",
        rule: "H4-IDX-003"
      });
    }
  }
  return table;
}
function checkPageBlocks(cols, first, storageEnd, chunkCount, at) {
  const { offset, stored, chunk } = cols;
  const last = cols.count - 1;
  if (last < 0 || offset[0] >= FIRST_BLOCK_OFFSET && offset[last] + stored[last] <= storageEnd && chunk[last] < chunkCount) return;
  for (let k = 0; k <= last; k++) {
    if (offset[k] < FIRST_BLOCK_OFFSET || offset[k] + stored[k] > storageEnd) {
      throw new H4Error("H4_INDEX_OUT_OF_FILE", `block ${first + k} at ${offset[k]}+${stored[k]} is outside the storage region 20..${storageEnd}`, {
        offset: at,
        chunk: "BIDX",
        rule: "H4-IDX-003"
      });
    }
    if (chunk[k] >= chunkCount) {
      throw new H4Error("H4_INDEX_MISMATCH", `block ${first + k} is in storage chunk ${chunk[k]}, LOCA counts ${chunkCount}`, {
        offset: at,
        chunk: "BIDX",
        rule: "H4-IDX-004"
      });
    }
  }
}
function checkPageContinuity(p, prev, cur, at) {
  let offset = FIRST_BLOCK_OFFSET, chunk = 0;
  if (prev) {
    const l = prev.count - 1;
    offset = prev.offset[l] + prev.stored[l] + (cur.newChunk[0] ? CHUNK_HEADER_LENGTH : 0);
    chunk = prev.chunk[l] + cur.newChunk[0];
  } else if (!cur.newChunk[0]) offset = -1;
  if (cur.offset[0] !== offset || cur.chunk[0] !== chunk) {
    throw new H4Error("H4_BAD_INDEX", `BIDX page ${p} starts at offset ${cur.offset[0]} in chunk ${cur.chunk[0]}; the page before it ends at ${offset} in chunk ${chunk}`, {
      offset: at,
      chunk: "BIDX",
      rule: "H4-IDX-005"
    });
  }
}
function checkSegmentLimit(tag, at, length, blocks) {
  if (length > LIMITS.segmentBytes && blocks > 1) {
    throw new H4Error("H4_LIMIT_EXCEEDED", `${tag} at ${at} holds ${length} bytes in ${blocks} blocks, over 16 MiB`, {
      offset: at,
      chunk: tag,
      rule: "H4-LIM-001"
    });
  }
}
var init_rules = __esm({
  "lib/seek/rules.ts"() {
    init_chunk();
    init_bytes();
    init_constants();
    init_errors();
    init_sha256();
    init_chunk();
  }
});

// lib/seek/types.ts
var INDEX_COLUMNS;
var init_types = __esm({
  "lib/seek/types.ts"() {
    INDEX_COLUMNS = Symbol("h4mk.indexColumns");
  }
});

// lib/seek/unsealed.ts
async function unsealedChunks(c, walked) {
  const located = /* @__PURE__ */ new Set();
  if (c.locator) {
    for (const ref of Object.values(c.locator.slots)) if (ref) located.add(ref.offset);
  }
  const out = [];
  let seekSeen = false;
  for (let i = 0; i < walked.length; i++) {
    const w2 = walked[i];
    if (c.locator === null) {
      out.push({
        ...w2,
        reason: "a file without LOCA has no root digest"
      });
      continue;
    }
    if (i < c.chunkCount && isStorageTag(w2.tag)) continue;
    if (located.has(w2.offset)) continue;
    if (w2.tag === "LOCA" && w2.offset === c.size - LOCA_CHUNK_LENGTH) continue;
    if ((w2.tag === "VERI" || w2.tag === "SIGN") && onlySignaturesAfter(walked, i)) {
      if (w2.tag === "VERI" || walked.slice(0, i).some((x) => x.tag === "VERI")) continue;
    }
    const prev = walked[i - 1];
    if (w2.tag === "RCPT" && prev?.tag === "LIVC" && located.has(prev.offset)) continue;
    if (w2.tag === "SEEK" && c.version === 1 && !seekSeen && w2.length === 4) {
      seekSeen = true;
      const payload = await c.source.read(w2.offset + CHUNK_HEADER_LENGTH, 4);
      if (payload.every((b) => b === 0)) continue;
      out.push({
        ...w2,
        reason: "a SEEK chunk with entries, which the writer never writes"
      });
      continue;
    }
    out.push({
      ...w2,
      reason: reasonOf(w2.tag)
    });
  }
  return out;
}
function reasonOf(tag) {
  if (isStorageTag(tag)) return "a storage chunk that BHSH does not hash";
  if (TABLE_TAGS.has(tag)) return "a copy that LOCA does not point at";
  if (tag === "SEEK" || tag === "VERI" || tag === "LOCA") return `a ${tag} chunk out of place`;
  return "a chunk of a tag this version does not define";
}
function onlySignaturesAfter(walked, i) {
  if (walked.length < 2 || walked[walked.length - 1].tag !== "LOCA" || i >= walked.length - 1) {
    return false;
  }
  for (let k = i + 1; k < walked.length - 1; k++) if (walked[k].tag !== "SIGN") return false;
  return true;
}
var TABLE_TAGS;
var init_unsealed = __esm({
  "lib/seek/unsealed.ts"() {
    init_chunk_types();
    init_constants();
    TABLE_TAGS = new Set(SLOT_TAGS);
  }
});

// lib/seek/index_rows.ts
function indexColumnsOf(container) {
  return container[INDEX_COLUMNS];
}
var init_index_rows = __esm({
  "lib/seek/index_rows.ts"() {
    init_codec();
    init_types();
  }
});

// lib/seek/verify_seekm.ts
function checkSeekmKeys(meta, tracks, keyBlocks, keyPts) {
  if (typeof meta.seekm_b64 !== "string") {
    throw new H4Error("H4_BAD_SEEK_TABLE", "v1 META has no seekm_b64", {
      rule: "H4-LEG-004"
    });
  }
  let raw;
  try {
    raw = Uint8Array.fromBase64(meta.seekm_b64);
  } catch {
    throw new H4Error("H4_BAD_SEEK_TABLE", "META.seekm_b64 is not valid base64", {
      rule: "H4-LEG-004"
    });
  }
  const orders = keyBlocks.map((b, k) => {
    const p = keyPts[k];
    const want = b.map((_, j) => j);
    for (let j = 1; j < p.length; j++) {
      if (p[j] < p[j - 1]) return want.sort((x, y) => p[x] - p[y] || b[x] - b[y]);
    }
    return want;
  });
  if (seekmIs(raw, tracks, keyBlocks, keyPts, orders)) return;
  const got = decodeSeekm(raw);
  let same = got.length === tracks.length;
  for (let k = 0; same && k < tracks.length; k++) {
    const b = keyBlocks[k], p = keyPts[k], want = orders[k];
    const g = got[k];
    same = g.track_id === tracks[k].track_id && g.entries.length === want.length;
    for (let j = 0; same && j < want.length; j++) {
      const e = g.entries[j];
      same = e[0] === p[want[j]] && e[1] === b[want[j]];
    }
  }
  if (!same) {
    throw new H4Error("H4_BAD_SEEK_TABLE", "META.seekm_b64 differs from the index's keyframes", {
      rule: "H4-LEG-004"
    });
  }
}
function seekmIs(raw, tracks, keyBlocks, keyPts, orders) {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (raw.length < 4 || v.getUint32(0) !== tracks.length) return false;
  let p = 4;
  for (let k = 0; k < tracks.length; k++) {
    const id = new TextEncoder().encode(tracks[k].track_id);
    const want = orders[k], b = keyBlocks[k], pts = keyPts[k];
    if (p + 6 + id.length + want.length * 12 > raw.length) return false;
    if (v.getUint16(p) !== id.length) return false;
    for (let j = 0; j < id.length; j++) if (raw[p + 2 + j] !== id[j]) return false;
    p += 2 + id.length;
    if (v.getUint32(p) !== want.length) return false;
    p += 4;
    for (let j = 0; j < want.length; j++, p += 12) {
      const hi = v.getInt32(p), lo = v.getUint32(p + 4);
      if (hi * 4294967296 + lo !== pts[want[j]] || v.getUint32(p + 8) !== b[want[j]]) {
        return false;
      }
    }
  }
  return p === raw.length;
}
var init_verify_seekm = __esm({
  "lib/seek/verify_seekm.ts"() {
    init_errors();
    init_seekm();
  }
});

// lib/seek/verify_rows.ts
function checkRows(s, page, r, count, remap) {
  const { track, pts, kind, keyframe, codec, offset, stored, plain: plain2, chunk } = page;
  const { legacy, collectKeys, starts, chunks, sums, blocksIn, blocks, keys, firstKey } = s;
  const { firstKeyListed, firstUnlisted, badEntry, entries, decodeFrom, encrypted } = s;
  const m = entries.count, eBlock = entries.block;
  let prevOffset = s.prevOffset, prevStored = s.prevStored, prevChunk = s.prevChunk;
  let chunkSum = s.chunkSum, chunkBlocks = s.chunkBlocks, next = s.next;
  let nextBlock = next < m ? eBlock[next] : -1;
  const i0 = s.indexed;
  for (let row = r, i = i0; row < r + count; row++, i++) {
    const o = offset[row], ch = chunk[row], len = stored[row];
    if (!legacy) {
      const sameChunk = i > 0 && ch === prevChunk;
      const expectOffset = i === 0 ? FIRST_BLOCK_OFFSET : prevOffset + prevStored + (sameChunk ? 0 : CHUNK_HEADER_LENGTH);
      const expectChunk = i === 0 ? 0 : prevChunk + (sameChunk ? 0 : 1);
      if (o !== expectOffset || ch !== expectChunk) {
        s.indexed = i;
        throw new H4Error("H4_BAD_INDEX", `block ${i} at ${o} in chunk ${ch}, expected ${expectOffset} in chunk ${expectChunk}`, {
          rule: "H4-IDX-005"
        });
      }
      if (!sameChunk) {
        if (ch >= chunks || starts[ch] + CHUNK_HEADER_LENGTH !== o) {
          s.indexed = i;
          throw new H4Error("H4_INDEX_MISMATCH", `block ${i} should start storage chunk ${ch}, which is at ${ch < chunks ? starts[ch] : void 0}`, {
            rule: "H4-IDX-004"
          });
        }
        if (i > 0) sums[prevChunk] = chunkSum, blocksIn[prevChunk] = chunkBlocks;
        chunkSum = 0;
        chunkBlocks = 0;
      }
      chunkSum += len;
      chunkBlocks++;
    }
    prevOffset = o;
    prevStored = len;
    prevChunk = ch;
    const tk = remap === null ? track[row] : remap[track[row]];
    blocks[tk]++;
    const key = keyframe[row] === 1;
    if (key) {
      if (keys[tk]++ === 0) firstKey[tk] = i;
      if (collectKeys) s.keyBlocks[tk].push(i), s.keyPts[tk].push(pts[row]);
    }
    if (nextBlock === i) {
      let listed = false;
      for (; next < m && eBlock[next] === i; next++) {
        const et = entries.track[next];
        const ok = tk === et && key && pts[row] === entries.pts[next] && o === entries.offset[next] && len === entries.stored[next] && (legacy || kind[row] === entries.kind[next] && codec[row] === entries.codec[next] && plain2[row] === entries.plain[next]);
        if (!ok) {
          const k = entries.k[next];
          if (badEntry[et] < 0 || k < badEntry[et]) badEntry[et] = k;
        } else listed = true;
      }
      nextBlock = next < m ? eBlock[next] : -1;
      if (key) {
        if (listed && firstKey[tk] === i) firstKeyListed[tk] = 1;
        if (!listed && firstUnlisted[tk] < 0) firstUnlisted[tk] = i;
      }
    } else if (key && firstUnlisted[tk] < 0) firstUnlisted[tk] = i;
    if (i >= decodeFrom && (encrypted || codec[row] !== 0)) {
      s.toDecode.push(entryOf(page, row, i, s.trackIds[tk]));
    }
  }
  s.indexed = i0 + count;
  s.prevOffset = prevOffset;
  s.prevStored = prevStored;
  s.prevChunk = prevChunk;
  s.chunkSum = chunkSum;
  s.chunkBlocks = chunkBlocks;
  s.next = next;
}
function entryOf(page, row, i, trackId) {
  return {
    index: i,
    track_id: trackId,
    pts_us: page.pts[row],
    kind: KIND_NAMES[page.kind[row]],
    keyframe: page.keyframe[row] === 1,
    codec: CODEC_NAMES[page.codec[row]],
    offset: page.offset[row],
    stored_length: page.stored[row],
    plain_length: page.plain[row],
    chunk: page.chunk[row]
  };
}
function endRows(s) {
  if (!s.legacy && s.indexed > 0) {
    s.sums[s.prevChunk] = s.chunkSum;
    s.blocksIn[s.prevChunk] = s.chunkBlocks;
  }
}
function newRowState(o) {
  const T2 = o.trackIds.length;
  const keyBlocks = [], keyPts = [];
  if (o.collectKeys) {
    for (let t = 0; t < T2; t++) keyBlocks.push([]), keyPts.push([]);
  }
  return {
    legacy: o.legacy,
    collectKeys: o.collectKeys,
    starts: o.starts,
    chunks: o.chunks,
    sums: new Float64Array(o.legacy ? 0 : o.chunks),
    blocksIn: new Uint32Array(o.legacy ? 0 : o.chunks),
    blocks: new Float64Array(T2),
    keys: new Float64Array(T2),
    firstKey: new Float64Array(T2).fill(-1),
    firstKeyListed: new Uint8Array(T2),
    firstUnlisted: new Float64Array(T2).fill(-1),
    badEntry: new Float64Array(T2).fill(-1),
    keyBlocks,
    keyPts,
    entries: o.entries ?? seekEntries(0),
    next: 0,
    decodeFrom: o.decodeFrom,
    encrypted: o.encrypted,
    trackIds: o.trackIds,
    toDecode: [],
    indexed: 0,
    prevOffset: 0,
    prevStored: 0,
    prevChunk: 0,
    chunkSum: 0,
    chunkBlocks: 0
  };
}
function seekEntries(n) {
  return {
    count: 0,
    block: new Float64Array(n),
    track: new Uint16Array(n),
    k: new Uint32Array(n),
    pts: new Float64Array(n),
    offset: new Float64Array(n),
    stored: new Float64Array(n),
    kind: new Uint8Array(n),
    codec: new Uint8Array(n),
    plain: new Float64Array(n)
  };
}
function sortedEntries(tables2, total, n, badEntry) {
  const block2 = new Float64Array(total), track = new Uint16Array(total);
  const at = new Uint32Array(total);
  let m = 0;
  tables2.forEach((table, tk) => {
    if (!table) return;
    for (let k = 0; k < table.count; k++) {
      const i = table.block[k];
      if (!(Number.isInteger(i) && i >= 0 && i < n)) {
        if (badEntry[tk] < 0 || k < badEntry[tk]) badEntry[tk] = k;
        continue;
      }
      block2[m] = i;
      track[m] = tk;
      at[m++] = k;
    }
  });
  const order2 = byBlock(block2, track, m, tables2.length);
  const e = seekEntries(m);
  e.count = m;
  for (let j = 0; j < m; j++) {
    const from = order2 ? order2[j] : j, tk = track[from], k = at[from], table = tables2[tk];
    e.block[j] = block2[from];
    e.track[j] = tk;
    e.k[j] = k;
    e.pts[j] = table.pts[k];
    e.offset[j] = table.offset[k];
    e.stored[j] = table.stored[k];
    e.kind[j] = table.kind[k];
    e.codec[j] = table.codec[k];
    e.plain[j] = table.plain[k];
  }
  return e;
}
function byBlock(block2, track, m, tracks) {
  const start2 = new Uint32Array(tracks + 1);
  let ascending = true, sorted = true;
  for (let j = 0; j < m; j++) {
    start2[track[j] + 1] = j + 1;
    if (j > 0 && block2[j] < block2[j - 1]) {
      sorted = false;
      if (track[j] === track[j - 1]) ascending = false;
    }
  }
  if (sorted) return void 0;
  if (!ascending || tracks > 16) {
    return Array.from({
      length: m
    }, (_, j) => j).sort((a, b) => block2[a] - block2[b] || a - b);
  }
  for (let t = 1; t <= tracks; t++) start2[t] = Math.max(start2[t], start2[t - 1]);
  const head = start2.slice(0, tracks), order2 = new Uint32Array(m);
  for (let j = 0; j < m; j++) {
    let best = -1;
    for (let t = 0; t < tracks; t++) {
      if (head[t] < start2[t + 1] && (best < 0 || block2[head[t]] < block2[head[best]])) best = t;
    }
    order2[j] = head[best]++;
  }
  return order2;
}
var init_verify_rows = __esm({
  "lib/seek/verify_rows.ts"() {
    init_constants();
    init_errors();
  }
});

// lib/seek/verify_index.ts
async function scanIndex(c, storage, scan, decodeFrom) {
  const walk = "count" in storage ? ended(storage) : storage;
  const n = c.blockCount;
  const T2 = c.tracks.length;
  const legacy = c.profile === "legacy";
  scan.indexed = 0;
  const tables2 = [];
  const tableError = [];
  let total = 0;
  c.tracks.forEach((t, tk) => {
    try {
      tables2[tk] = c.seekTable(t.track_id);
      total += tables2[tk].count;
    } catch (e) {
      tableError[tk] = e;
    }
  });
  const state2 = newRowState({
    legacy,
    collectKeys: c.profile === "v1",
    starts: walk.storage().offset,
    // Room for LOCA's count (bounded by the file's size), grown should the walk find more.
    chunks: legacy ? 0 : Math.max(walk.storage().count, Math.min(c.chunkCount, Math.floor(c.size / 32))),
    trackIds: c.tracks.map((t) => t.track_id),
    entries: void 0,
    decodeFrom,
    encrypted: c.encrypted
  });
  state2.chunks = legacy ? 0 : walk.storage().count;
  state2.entries = sortedEntries(tables2, total, n, state2.badEntry);
  const { badEntry, blocks, keys, firstKey, firstKeyListed, firstUnlisted } = state2;
  scan.blocks = blocks;
  scan.keys = keys;
  scan.toDecode = state2.toDecode;
  const trackNumber = new Map(c.tracks.map((t, k) => [
    t.track_id,
    k
  ]));
  const access = indexColumnsOf(c);
  try {
    if (access) {
      const remap = access.trackIds.map((id) => trackNumber.get(id) ?? 0);
      const identity = remap.every((t, k) => t === k) ? null : remap;
      let i = 0;
      for await (const { first, cols: page } of access.all()) {
        if (i >= n) break;
        const r = i - first, count = Math.min(page.count - r, n - i);
        if (r < 0 || count <= 0) continue;
        if (!legacy) await reach(walk, state2, page.chunk[r + count - 1]);
        const head = i === 0 && count > 1 ? 1 : 0;
        if (head) checkRows(state2, page, r, 1, identity);
        checkRows(state2, page, r + head, count - head, identity);
        i += count;
      }
      if (i < n) {
        throw new H4Error("H4_BAD_INDEX", `the index pages hold ${i} of ${n} blocks`, {
          rule: "H4-IDX-004"
        });
      }
    } else {
      const page = allocColumns(LEGACY_PAGE);
      let rows = 0;
      for await (const e of c.entries()) {
        page.track[rows] = trackNumber.get(e.track_id) ?? 0;
        page.offset[rows] = e.offset;
        page.chunk[rows] = e.chunk;
        page.stored[rows] = e.stored_length;
        page.pts[rows] = e.pts_us;
        page.kind[rows] = KIND_IDS[e.kind];
        page.keyframe[rows] = e.keyframe ? 1 : 0;
        page.codec[rows] = CODEC_IDS[e.codec];
        page.plain[rows] = e.plain_length;
        if (++rows === LEGACY_PAGE) {
          if (!legacy) await reach(walk, state2, page.chunk[rows - 1]);
          checkRows(state2, page, 0, rows, null);
          rows = 0;
        }
      }
      if (!legacy && rows > 0) await reach(walk, state2, page.chunk[rows - 1]);
      checkRows(state2, page, 0, rows, null);
    }
  } finally {
    scan.indexed = state2.indexed;
  }
  if (!legacy) {
    await reach(walk, state2, Infinity);
    endRows(state2);
    checkChunkSums(walk.storage(), state2.sums, state2.blocksIn);
  }
  scan.checkSeekTables = () => {
    c.tracks.forEach((t, tk) => {
      if (tableError[tk] !== void 0) throw tableError[tk];
      const k = badEntry[tk];
      if (k >= 0) {
        throw new H4Error("H4_BAD_SEEK_TABLE", `track ${JSON.stringify(t.track_id)} entry ${k} (block ${tables2[tk].block[k]}) does not match a keyframe of the track`, {
          rule: "H4-SEK-001"
        });
      }
      if (firstKey[tk] >= 0 && !firstKeyListed[tk]) {
        throw new H4Error("H4_BAD_SEEK_TABLE", `track ${JSON.stringify(t.track_id)}: its first keyframe (block ${firstKey[tk]}) is not listed`, {
          rule: "H4-SEK-003"
        });
      }
    });
    let worst = -1, worstTrack = 0;
    for (let tk = 0; tk < T2; tk++) {
      const i = firstUnlisted[tk];
      if (i >= 0 && keys[tk] !== blocks[tk] && (worst < 0 || i < worst)) {
        worst = i;
        worstTrack = tk;
      }
    }
    if (worst >= 0) {
      throw new H4Error("H4_BAD_SEEK_TABLE", `track ${JSON.stringify(c.tracks[worstTrack].track_id)}: keyframe block ${worst} is not listed`, {
        rule: "H4-SEK-003"
      });
    }
  };
  scan.checkSeekm = (meta) => checkSeekmKeys(meta, c.tracks, state2.keyBlocks, state2.keyPts);
}
function ended(storage) {
  return {
    storage: () => storage,
    done: () => true,
    next: () => Promise.resolve()
  };
}
async function reach(walk, state2, chunk) {
  while (!walk.done() && walk.storage().count <= chunk) await walk.next();
  const s = walk.storage();
  state2.starts = s.offset;
  state2.chunks = s.count;
  if (state2.sums.length < s.count) {
    const room = Math.max(s.count, 2 * state2.sums.length);
    const sums = new Float64Array(room), blocksIn = new Uint32Array(room);
    sums.set(state2.sums);
    blocksIn.set(state2.blocksIn);
    state2.sums = sums;
    state2.blocksIn = blocksIn;
  }
}
function checkChunkSums(storage, sums, blocksIn) {
  for (let k = 0; k < storage.count; k++) {
    const at = storage.offset[k], length = storage.length[k];
    if (blocksIn[k] === 0) {
      throw new H4Error("H4_INDEX_MISMATCH", `storage chunk ${k} at ${at} holds no block`, {
        rule: "H4-IDX-004"
      });
    }
    if (sums[k] !== length) {
      throw new H4Error("H4_INDEX_MISMATCH", `storage chunk ${k} holds ${length} bytes, its blocks add up to ${sums[k]}`, {
        rule: "H4-IDX-004"
      });
    }
    checkSegmentLimit(storage.tag[k] === 1 ? "CORE" : "SEGM", at, length, blocksIn[k]);
  }
}
function checkTrackCounts(tracks, blocks, keys) {
  tracks.forEach((t, k) => {
    if (blocks[k] !== t.blocks || keys[k] !== t.keyframes) {
      throw new H4Error("H4_INDEX_MISMATCH", `track ${JSON.stringify(t.track_id)}: TRKS says ${t.blocks} blocks/${t.keyframes} keyframes, the index has ${blocks[k]}/${keys[k]}`, {
        rule: "H4-TRK-002"
      });
    }
  });
}
var LEGACY_PAGE;
var init_verify_index = __esm({
  "lib/seek/verify_index.ts"() {
    init_constants();
    init_errors();
    init_index_columns();
    init_index_rows();
    init_verify_seekm();
    init_rules();
    init_verify_rows();
    LEGACY_PAGE = 4096;
  }
});

// lib/hash/small_sha256.ts
function compress(b, p) {
  for (let i = 0; i < 16; i++, p += 4) {
    W[i] = b[p] << 24 | b[p + 1] << 16 | b[p + 2] << 8 | b[p + 3];
  }
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15], w2 = W[i - 2];
    const s0 = (w15 >>> 7 | w15 << 25) ^ (w15 >>> 18 | w15 << 14) ^ w15 >>> 3;
    const s1 = (w2 >>> 17 | w2 << 15) ^ (w2 >>> 19 | w2 << 13) ^ w2 >>> 10;
    W[i] = s1 + W[i - 7] + s0 + W[i - 16] | 0;
  }
  let a = H[0], b1 = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
  for (let i = 0; i < 64; i++) {
    const s1 = (e >>> 6 | e << 26) ^ (e >>> 11 | e << 21) ^ (e >>> 25 | e << 7);
    const t1 = h + s1 + (e & f ^ ~e & g) + SHA256_K2[i] + W[i] | 0;
    const s0 = (a >>> 2 | a << 30) ^ (a >>> 13 | a << 19) ^ (a >>> 22 | a << 10);
    const t2 = s0 + (a & b1 ^ a & c ^ b1 & c) | 0;
    h = g;
    g = f;
    f = e;
    e = d + t1 | 0;
    d = c;
    c = b1;
    b1 = a;
    a = t1 + t2 | 0;
  }
  H[0] = H[0] + a | 0;
  H[1] = H[1] + b1 | 0;
  H[2] = H[2] + c | 0;
  H[3] = H[3] + d | 0;
  H[4] = H[4] + e | 0;
  H[5] = H[5] + f | 0;
  H[6] = H[6] + g | 0;
  H[7] = H[7] + h | 0;
}
function putBitLength(buf, end2, length) {
  const bits = length * 8, high = Math.floor(bits / 4294967296);
  buf[end2 - 8] = high >>> 24;
  buf[end2 - 7] = high >>> 16;
  buf[end2 - 6] = high >>> 8;
  buf[end2 - 5] = high;
  buf[end2 - 4] = bits >>> 24;
  buf[end2 - 3] = bits >>> 16;
  buf[end2 - 2] = bits >>> 8;
  buf[end2 - 1] = bits;
}
function sha256Into(src2, at, length, out, outAt) {
  H.set(SHA256_IV2);
  const full = length - (length & 63);
  for (let p = 0; p < full; p += 64) compress(src2, at + p);
  const rest = length - full;
  TAIL.fill(0);
  TAIL.set(src2.subarray(at + full, at + length));
  TAIL[rest] = 128;
  const end2 = rest < 56 ? 64 : 128;
  putBitLength(TAIL, end2, length);
  compress(TAIL, 0);
  if (end2 === 128) compress(TAIL, 64);
  for (let i = 0; i < 8; i++) {
    const v = H[i], o = outAt + 4 * i;
    out[o] = v >>> 24;
    out[o + 1] = v >>> 16;
    out[o + 2] = v >>> 8;
    out[o + 3] = v;
  }
}
var SHA256_K2, SHA256_IV2, W, H, TAIL;
var init_small_sha256 = __esm({
  "lib/hash/small_sha256.ts"() {
    SHA256_K2 = new Int32Array([
      1116352408,
      1899447441,
      3049323471,
      3921009573,
      961987163,
      1508970993,
      2453635748,
      2870763221,
      3624381080,
      310598401,
      607225278,
      1426881987,
      1925078388,
      2162078206,
      2614888103,
      3248222580,
      3835390401,
      4022224774,
      264347078,
      604807628,
      770255983,
      1249150122,
      1555081692,
      1996064986,
      2554220882,
      2821834349,
      2952996808,
      3210313671,
      3336571891,
      3584528711,
      113926993,
      338241895,
      666307205,
      773529912,
      1294757372,
      1396182291,
      1695183700,
      1986661051,
      2177026350,
      2456956037,
      2730485921,
      2820302411,
      3259730800,
      3345764771,
      3516065817,
      3600352804,
      4094571909,
      275423344,
      430227734,
      506948616,
      659060556,
      883997877,
      958139571,
      1322822218,
      1537002063,
      1747873779,
      1955562222,
      2024104815,
      2227730452,
      2361852424,
      2428436474,
      2756734187,
      3204031479,
      3329325298
    ]);
    SHA256_IV2 = new Int32Array([
      1779033703,
      3144134277,
      1013904242,
      2773480762,
      1359893119,
      2600822924,
      528734635,
      1541459225
    ]);
    W = new Int32Array(64);
    H = new Int32Array(8);
    TAIL = new Uint8Array(128);
  }
});

// lib/hash/sha256_lanes_wasm.ts
function rotr2(x, n) {
  x();
  i32Const(n);
  simd(173);
  x();
  i32Const(32 - n);
  simd(171);
  simd(80);
}
function sigma(x, a, b, n, shift) {
  rotr2(x, a);
  rotr2(x, b);
  xor();
  if (shift) {
    x();
    i32Const(n);
    simd(173);
  } else rotr2(x, n);
  xor();
}
function runBody() {
  const REC = 0, GROUPS = 1, M = 2, J = 3, P = 4, ADDR = 5, Q = 9;
  const S = 10, OLD = 18, NB = 26, T1 = 27;
  const at = (offset) => () => (get(Q), v128Load(offset));
  block(), loop();
  get(GROUPS), i32Eqz(), brIf(1);
  get(REC), i32Load(0), set(M);
  get(REC), v128Load(16), set(NB);
  for (let i = 0; i < 8; i++) i32Const(SHA256_IV2[i]), splat(), set(S + i);
  i32Const(0), set(J);
  get(REC), i32Const(48), i32Add(), set(P);
  block(), loop();
  get(J), get(M), i32GeS(), brIf(1);
  for (let l = 0; l < 4; l++) get(P), i32Load(4 * l), set(ADDR + l);
  for (let t = 0; t < 16; t++) {
    get(ADDR), i32Load(4 * t), splat();
    for (let l = 1; l < 4; l++) get(ADDR + l), i32Load(4 * t), replaceLane(l);
    set(T1), i32Const(0), bswap(() => get(T1)), v128Store(16 * t);
  }
  i32Const(0), set(Q);
  block(), loop();
  get(Q), i32Const(768), i32GeS(), brIf(1);
  get(Q);
  sigma(at(224), 17, 19, 10, true), at(144)(), add2();
  sigma(at(16), 7, 18, 3, true), add2(), at(0)(), add2();
  v128Store(256);
  get(Q), i32Const(16), i32Add(), set(Q);
  br(0), end(), end();
  for (let i = 0; i < 8; i++) get(S + i), set(OLD + i);
  i32Const(0), set(Q);
  block(), loop();
  get(Q), i32Const(1024), i32GeS(), brIf(1);
  for (let t = 0; t < 8; t++) {
    const v = (i) => S + ((i - t) % 8 + 8) % 8;
    const a = v(0), b = v(1), cc = v(2), d = v(3), e = v(4), f = v(5), g = v(6), h = v(7);
    get(h), sigma(() => get(e), 6, 11, 25, false), add2();
    get(f), get(g), get(e), bitselect(), add2();
    at(1024 + 16 * t)(), add2(), at(16 * t)(), add2(), set(T1);
    get(d), get(T1), add2(), set(d);
    get(T1), sigma(() => get(a), 2, 13, 22, false), add2();
    get(cc), get(b), get(a), get(b), xor(), bitselect(), add2();
    set(h);
  }
  get(Q), i32Const(128), i32Add(), set(Q);
  br(0), end(), end();
  for (let i = 0; i < 8; i++) {
    get(OLD + i), get(S + i), add2(), get(OLD + i);
    get(NB), get(J), splat(), gtS(), bitselect(), set(S + i);
  }
  get(J), i32Const(1), i32Add(), set(J);
  get(P), i32Const(16), i32Add(), set(P);
  br(0), end(), end();
  for (let i = 0; i < 8; i++) {
    bswap(() => get(S + i)), set(S + i);
    for (let l = 0; l < 4; l++) {
      get(REC), i32Load(32 + 4 * l);
      get(S + i), extractLane(l), i32Store(4 * i);
    }
  }
  get(P), set(REC);
  get(GROUPS), i32Const(1), i32Sub(), set(GROUPS);
  br(0), end(), end();
}
function sha256LanesWasm(pages) {
  const I322 = 127, V128 = 123;
  w = wasmWriter(32 * 1024);
  const { section, name } = w;
  put(0, 97, 115, 109, 1, 0, 0, 0);
  section(1, () => put(1, 96, 2, I322, I322, 0));
  section(3, () => put(1, 0));
  section(5, () => (put(1, 0), uleb(pages)));
  section(7, () => {
    put(2);
    name("mem"), put(2, 0);
    name("run"), put(0, 0);
  });
  section(10, () => {
    put(1);
    section(-1, () => {
      put(2, 8, I322, 18, V128);
      runBody();
      end();
    });
  });
  section(11, () => {
    put(1, 0), i32Const(1024), end(), uleb(1024);
    for (const k of SHA256_K2) for (let l = 0; l < 4; l++) v128Lane(k);
  });
  const bytes = w.finish();
  w = wasmWriter(0);
  return bytes;
}
var w, put, uleb, sleb, block, loop, end, br, brIf, get, set, i32Load, i32Store, i32Const, i32Eqz, i32GeS, i32Add, i32Sub, simd, v128Load, v128Store, v128Lane, bswap, splat, extractLane, replaceLane, gtS, xor, bitselect, add2;
var init_sha256_lanes_wasm = __esm({
  "lib/hash/sha256_lanes_wasm.ts"() {
    init_small_sha256();
    init_wasm_writer();
    w = wasmWriter(0);
    put = (...bytes) => w.put(...bytes);
    uleb = (n) => w.uleb(n);
    sleb = (n) => w.sleb(n);
    block = () => put(2, 64);
    loop = () => put(3, 64);
    end = () => put(11);
    br = (d) => put(12, d);
    brIf = (d) => put(13, d);
    get = (l) => put(32, l);
    set = (l) => put(33, l);
    i32Load = (offset) => (put(40, 2), uleb(offset));
    i32Store = (offset) => (put(54, 2), uleb(offset));
    i32Const = (n) => (put(65), sleb(n));
    i32Eqz = () => put(69);
    i32GeS = () => put(78);
    i32Add = () => put(106);
    i32Sub = () => put(107);
    simd = (code) => (put(253), uleb(code));
    v128Load = (offset) => (simd(0), put(4), uleb(offset));
    v128Store = (offset) => (simd(11), put(4), uleb(offset));
    v128Lane = (v) => put(v & 255, v >>> 8 & 255, v >>> 16 & 255, v >>> 24);
    bswap = (x) => {
      x();
      x();
      simd(13);
      put(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
    };
    splat = () => simd(17);
    extractLane = (l) => (simd(27), put(l));
    replaceLane = (l) => (simd(28), put(l));
    gtS = () => simd(59);
    xor = () => simd(81);
    bitselect = () => simd(82);
    add2 = () => simd(174);
  }
});

// lib/hash/sha256_many.ts
function loadKernel2() {
  return kernel2 === void 0 ? kernel2 = instantiateWasm(() => sha256LanesWasm(1)) : kernel2;
}
function argError(message) {
  return new H4Error("H4_BAD_ARGUMENT", `sha256Many: ${message}`);
}
function sha256Many(src2, at, length, count, out) {
  if (!Number.isSafeInteger(count) || count < 0) throw argError(`count is ${count}`);
  if (at.length < count || length.length < count) {
    throw argError(`count is ${count}, offsets ${at.length}, lengths ${length.length}`);
  }
  if (out.length < 32 * count) throw argError(`out is ${out.length} bytes, needs ${32 * count}`);
  const size = src2.length;
  for (let i2 = 0; i2 < count; i2++) {
    const a = at[i2], n = length[i2];
    if (!(a >= 0 && n >= 0 && a + n <= size) || Math.floor(a) !== a || Math.floor(n) !== n) {
      throw argError(`message ${i2} at ${a} of ${n} bytes is outside ${src2.length} bytes`);
    }
  }
  const k = loadKernel2();
  let i = 0;
  while (i < count) {
    if (!k || length[i] > LANE_MAX) {
      sha256Into(src2, at[i], length[i], out, 32 * i);
      i++;
      continue;
    }
    let j = i, total = 0, blocks = 0, lo = at[i], hi = lo;
    while (j < count && length[j] <= LANE_MAX && total + length[j] <= BATCH_BYTES2) {
      const a = at[j], n = length[j++];
      total += n;
      blocks += (n >> 6) + ((n & 63) < 56 ? 1 : 2);
      if (a < lo) lo = a;
      if (a + n > hi) hi = a + n;
    }
    batch(k, src2, at, length, i, j, {
      total,
      blocks,
      lo,
      hi
    }, out);
    i = j;
  }
}
function batch(k, src2, at, length, i, j, { total, blocks, lo, hi }, out) {
  const n = j - i;
  const span = hi - lo <= 2 * total + 4096;
  const groups = Math.ceil(n / 4);
  const outAt = SCRATCH;
  const tailAt = outAt + 32 * n;
  const recAt = tailAt + 128 * n;
  const dataAt = recAt + 48 * groups + 16 * blocks;
  const need2 = dataAt + (span ? hi - lo : total);
  if (k.mem.buffer.byteLength < need2) {
    k.mem.grow(Math.ceil((need2 - k.mem.buffer.byteLength) / PAGE));
  }
  const mem = new Uint8Array(k.mem.buffer);
  const i32 = new Int32Array(k.mem.buffer);
  if (place.length < n) {
    const cap = Math.max(n, 2 * place.length);
    place = new Int32Array(cap), nbs = new Int32Array(cap), order = new Int32Array(cap);
  }
  if (span) mem.set(src2.subarray(lo, hi), dataAt);
  else {
    let p = dataAt;
    for (let m = 0; m < n; m++) {
      mem.set(src2.subarray(at[i + m], at[i + m] + length[i + m]), p);
      place[m] = p;
      p += length[i + m];
    }
  }
  mem.fill(0, tailAt, tailAt + 128 * n);
  let fewest = Infinity, most = 0;
  for (let m = 0; m < n; m++) {
    if (span) place[m] = dataAt + at[i + m] - lo;
    const len = length[i + m], rest = len & 63, full = len - rest, t = tailAt + 128 * m;
    if (rest > 0) mem.copyWithin(t, place[m] + full, place[m] + len);
    mem[t + rest] = 128;
    const nb = full / 64 + (rest < 56 ? 1 : 2);
    nbs[m] = nb;
    fewest = Math.min(fewest, nb);
    most = Math.max(most, nb);
    putBitLength(mem, t + (rest < 56 ? 64 : 128), len);
  }
  if (fewest === most) {
    for (let m = 0; m < n; m++) order[m] = m;
  } else {
    counts.fill(0);
    for (let m = 0; m < n; m++) counts[nbs[m] + 1]++;
    for (let b = 1; b < counts.length; b++) counts[b] += counts[b - 1];
    for (let m = 0; m < n; m++) order[counts[nbs[m]]++] = m;
  }
  let r = recAt;
  for (let g = 0; g < n; g += 4) {
    const lanes = Math.min(4, n - g);
    const q = r >> 2;
    let top = 0;
    for (let l = 0; l < 4; l++) {
      const m = l < lanes ? order[g + l] : -1;
      const nb = m < 0 ? 0 : nbs[m];
      top = Math.max(top, nb);
      i32[q + 4 + l] = nb;
      i32[q + 8 + l] = m < 0 ? 0 : outAt + 32 * m;
    }
    i32[q] = top;
    for (let l = 0; l < lanes; l++) {
      const m = order[g + l], nb = nbs[m], base = place[m], t = tailAt + 128 * m;
      const full = length[i + m] >> 6;
      for (let b = 0; b < top; b++) {
        i32[q + 12 + 4 * b + l] = b >= nb ? 0 : b < full ? base + 64 * b : t + 64 * (b - full);
      }
    }
    for (let l = lanes; l < 4; l++) for (let b = 0; b < top; b++) i32[q + 12 + 4 * b + l] = 0;
    r += 48 + 16 * top;
  }
  k.run(recAt, groups);
  out.set(mem.subarray(outAt, outAt + 32 * n), 32 * i);
}
var LANE_MAX, BATCH_BYTES2, SCRATCH, PAGE, kernel2, place, nbs, order, counts;
var init_sha256_many = __esm({
  "lib/hash/sha256_many.ts"() {
    init_errors();
    init_small_sha256();
    init_sha256_lanes_wasm();
    init_wasm_writer();
    LANE_MAX = 16 * 1024;
    BATCH_BYTES2 = 4 * 1024 * 1024;
    SCRATCH = 2048;
    PAGE = 65536;
    place = new Int32Array(0);
    nbs = new Int32Array(0);
    order = new Int32Array(0);
    counts = new Int32Array(LANE_MAX / 64 + 3);
  }
});

// lib/seek/verify_walk.ts
function veriOf(version, offset) {
  return version === 1 ? `SHA-256 of bytes 8..${offset}` : `the digest of bytes 0..${offset} with each storage chunk's payload hashed (H4-INT-005)`;
}
function emptyStorage() {
  const none = new Float64Array(0);
  return {
    count: 0,
    offset: none,
    length: none,
    tag: new Uint8Array(0)
  };
}
function grow(s, need2) {
  if (need2 <= s.offset.length) return s;
  const cap = Math.max(s.offset.length * 2, need2);
  const n = {
    count: s.count,
    offset: new Float64Array(cap),
    length: new Float64Array(cap),
    tag: new Uint8Array(cap)
  };
  n.offset.set(s.offset);
  n.length.set(s.length);
  n.tag.set(s.tag);
  return n;
}
async function walkForVerify(src2, version, size, out, expectStorage = 64, bhsh, window) {
  const walk = {
    total: 0,
    storage: grow(emptyStorage(), Math.max(1, expectStorage)),
    others: [],
    crcFailures: 0,
    findings: [],
    veriSeen: false
  };
  out.partial = walk;
  const header = await src2.read(0, HEADER_LENGTH);
  const veri = createVeriHash(version, header);
  let win = new Uint8Array(0);
  let winAt = 0;
  let run = HEADER_LENGTH;
  const flush = (to) => {
    if (!walk.veriSeen && to > run) veri.bytes(win.subarray(run - winAt, to - winAt));
    run = to;
  };
  const crcFailed = (tag, offset) => {
    if (++walk.crcFailures <= 5) {
      walk.findings.push({
        rule: "H4-FMT-011",
        ok: false,
        error: new H4Error("H4_CRC_MISMATCH", `${tag} at ${offset}: CRC mismatch`, {
          offset,
          chunk: tag,
          rule: "H4-FMT-011"
        })
      });
    }
  };
  const digest = new Uint8Array(32);
  let held = new Uint8Array(0), heldFrom = 0, heldTo = 0, heldBuf;
  let pageFrom = 0, pageTo = 0, pageAt = 0;
  const enterPage = async (k) => {
    const per = bhsh.perPage, q = Math.floor(k / per);
    const from = q * per, to = Math.min(bhsh.count, from + per);
    try {
      if (from < heldFrom || to > heldTo) {
        let end2 = to;
        while (end2 < bhsh.count && (end2 + per - from) * 32 <= BHSH_READ) {
          end2 = Math.min(bhsh.count, end2 + per);
        }
        const at = bhsh.at + from * 32, length = (end2 - from) * 32;
        if (src2.readInto) {
          if (!heldBuf || heldBuf.length < length) heldBuf = new Uint8Array(length);
          held = await src2.readInto(at, heldBuf.subarray(0, length));
        } else held = await src2.read(at, length);
        heldFrom = from;
        heldTo = end2;
      }
      const page = held.subarray((from - heldFrom) * 32, (to - heldFrom) * 32);
      await checkPageDigest("BHSH", q, page, bhsh.digests[q], bhsh.at + from * 32);
    } catch (e) {
      walk.bhshError = e;
      return;
    }
    pageFrom = from;
    pageTo = to;
    pageAt = (from - heldFrom) * 32;
  };
  const compare = (k, at, got = digest, from = 0) => {
    const e = pageAt + (k - pageFrom) * 32;
    for (let j = 0; j < 32; j++) {
      if (held[e + j] !== got[from + j]) {
        walk.bhshError = new H4Error("H4_BLOCK_HASH_MISMATCH", `storage chunk ${k} at ${at} differs from BHSH`, {
          offset: at,
          rule: "H4-INT-003"
        });
        return;
      }
    }
  };
  const veriWant = (offset) => {
    flush(offset);
    const want = walk.veriSeen ? void 0 : veri.finish();
    walk.veriSeen = true;
    return want;
  };
  const veriDone = (offset, length, payload, want) => {
    const fail2 = (code, message) => walk.findings.push({
      rule: "H4-INT-002",
      ok: false,
      error: new H4Error(code, message, {
        offset,
        rule: "H4-INT-002"
      })
    });
    if (!want) fail2("H4_VERI_MISMATCH", `second VERI chunk at ${offset}; a file has one`);
    else if (length !== 32) fail2("H4_BAD_CHUNK", `VERI payload is ${length} bytes, must be 32`);
    else if (!equalBytes(payload, want)) {
      fail2("H4_VERI_MISMATCH", `VERI at ${offset} differs from ${veriOf(version, offset)}`);
    } else {
      walk.findings.push({
        rule: "H4-INT-002",
        ok: true,
        message: `VERI matches ${veriOf(version, offset)}`
      });
    }
    walk.others.push({
      offset,
      tag: "VERI",
      length,
      ordinal: walk.total++
    });
  };
  let batched = 0, hashed = 0, settled2 = 0;
  let batchAt = new Float64Array(256), batchLength = new Float64Array(256);
  let batchK = new Float64Array(256), batchOffset = new Float64Array(256);
  let batchDigests = new Uint8Array(256 * 32);
  const batch2 = (k, offset, p, length) => {
    if (batched === batchAt.length) {
      const more = (a) => {
        const b = new Float64Array(2 * a.length);
        b.set(a);
        return b;
      };
      batchAt = more(batchAt), batchLength = more(batchLength);
      batchK = more(batchK), batchOffset = more(batchOffset);
      batchDigests = new Uint8Array(64 * batchAt.length);
    }
    batchAt[batched] = p, batchLength[batched] = length;
    batchK[batched] = k, batchOffset[batched++] = offset;
  };
  const hashBatch = (window2) => {
    if (hashed < batched) sha256Many(window2, batchAt, batchLength, batched, batchDigests);
    hashed = batched;
  };
  const settle = () => {
    while (settled2 < hashed) {
      const i = settled2, k = batchK[i];
      if (walk.bhshError === void 0 && k < bhsh.count) {
        if (k < pageFrom || k >= pageTo) {
          return enterPage(k).then(() => {
            if (walk.bhshError === void 0) compare(k, batchOffset[i], batchDigests, 32 * i);
            settled2++;
            return settle();
          });
        }
        compare(k, batchOffset[i], batchDigests, 32 * i);
      }
      settled2++;
    }
    if (settled2 === batched) batched = hashed = settled2 = 0;
  };
  const drain = (window2) => {
    hashBatch(window2);
    return settle();
  };
  const stored = (offset) => {
    const k = walk.storage.count++;
    if (bhsh && walk.bhshError === void 0 && k < bhsh.count) {
      if (k < pageFrom || k >= pageTo) {
        return enterPage(k).then(() => {
          if (walk.bhshError === void 0) compare(k, offset);
        });
      }
      compare(k, offset);
    }
  };
  let pTag = "", pOffset = 0, pCrc = 0, pGot = 0, pAt = 0, pStored = false, pVia = false;
  let pHead;
  let pHash;
  let pVeri;
  const storageViaDigest = veriPart(version, "CORE") === "digest";
  const visitor = {
    leave(window2, windowAt, end2) {
      win = window2;
      winAt = windowAt;
      flush(end2);
      hashBatch(window2);
    },
    chunk(code, offset, length, crc, window2, h) {
      if (hashed > settled2) {
        const wait = settle();
        if (wait) return wait.then(() => visitor.chunk(code, offset, length, crc, window2, h));
      }
      win = window2;
      winAt = offset - h;
      const st = code === CORE ? 1 : code === SEGM ? 2 : 0;
      const tag = st === 1 ? "CORE" : st === 2 ? "SEGM" : tagOfCode(code);
      const payloadStart = offset + CHUNK_HEADER_LENGTH;
      const payloadEnd = payloadStart + length;
      const p = h + CHUNK_HEADER_LENGTH;
      const whole = p + length <= window2.length;
      const batchable = st !== 0 && whole && length < SMALL_HASH && !storageViaDigest;
      if (st !== 0 && !batchable && batched > 0) {
        const wait = drain(window2);
        if (wait) return wait.then(() => visitor.chunk(code, offset, length, crc, window2, h));
      }
      if (code === VERI) {
        const want = veriWant(offset);
        if (whole) {
          const payload2 = window2.subarray(p, p + length);
          veriDone(offset, length, payload2, want);
          if (crc32(payload2) !== crc) crcFailed(tag, offset);
        } else {
          pTag = tag, pOffset = offset, pCrc = crc, pGot = 0, pAt = payloadStart;
          pStored = false, pVia = false, pHash = void 0;
          pVeri = {
            want,
            payload: length === 32 ? new Uint8Array(32) : void 0,
            length
          };
        }
        return;
      }
      const s = walk.storage;
      if (st !== 0) {
        if (s.count === s.offset.length) walk.storage = grow(s, s.count + 1);
        const g = walk.storage;
        g.offset[g.count] = offset;
        g.length[g.count] = length;
        g.tag[g.count] = st;
      } else walk.others.push({
        offset,
        tag,
        length,
        ordinal: walk.total
      });
      walk.total++;
      const viaDigest = st !== 0 && storageViaDigest;
      if (viaDigest) flush(offset);
      if (!whole) {
        if (viaDigest) run = payloadStart;
        else flush(payloadStart);
        pTag = tag, pOffset = offset, pCrc = crc, pGot = 0, pAt = payloadStart;
        pStored = st !== 0, pVia = viaDigest;
        pHead = viaDigest ? window2.slice(h, p) : void 0;
        pHash = st !== 0 ? createSha256() : void 0;
        pVeri = void 0;
        return;
      }
      const payload = window2.subarray(p, p + length);
      const got = crc32(payload);
      if (batchable) {
        const k = walk.storage.count++;
        if (bhsh && walk.bhshError === void 0 && k < bhsh.count) batch2(k, offset, p, length);
        if (got !== crc) crcFailed(tag, offset);
        return;
      }
      if (st !== 0) {
        if (length < SMALL_HASH) sha256Into(window2, p, length, digest, 0);
        else digest.set(sha2562(payload));
      }
      if (viaDigest) {
        if (!walk.veriSeen) veri.digest(window2.subarray(h, p), digest);
        run = payloadEnd;
      }
      if (st !== 0) {
        const wait = stored(offset);
        if (wait) {
          return wait.then(() => {
            if (got !== crc) crcFailed(tag, offset);
          });
        }
      }
      if (got !== crc) crcFailed(tag, offset);
    },
    part(bytes, last) {
      pVeri?.payload?.set(bytes, pAt - pOffset - CHUNK_HEADER_LENGTH);
      pGot = crc32(bytes, pGot);
      if (!pVia && !walk.veriSeen) veri.bytes(bytes);
      pHash?.update(bytes);
      pAt += bytes.length;
      run = pAt;
      if (!last) return;
      if (pHash) digest.set(pHash.digest());
      if (pVia && !walk.veriSeen) veri.digest(pHead, digest);
      const tag = pTag, offset = pOffset, got = pGot, crc = pCrc;
      if (pVeri) veriDone(offset, pVeri.length, pVeri.payload, pVeri.want);
      if (pStored) {
        const wait = stored(offset);
        if (wait) {
          return wait.then(() => {
            if (got !== crc) crcFailed(tag, offset);
          });
        }
      }
      if (got !== crc) crcFailed(tag, offset);
    }
  };
  try {
    await walkWindows(src2, visitor, {
      to: size,
      window
    });
  } finally {
    if (batched > 0) await drain(win);
  }
  return walk;
}
var BHSH_READ, SMALL_HASH, CORE, SEGM, VERI;
var init_verify_walk = __esm({
  "lib/seek/verify_walk.ts"() {
    init_chunk_walk();
    init_constants();
    init_crc32();
    init_errors();
    init_sha256();
    init_veri();
    init_bytes();
    init_rules();
    init_sha256_many();
    init_small_sha256();
    BHSH_READ = 1024 * 1024;
    SMALL_HASH = 1024;
    CORE = tagCode("CORE");
    SEGM = tagCode("SEGM");
    VERI = tagCode("VERI");
  }
});

// lib/seek/verify.ts
var verify_exports = {};
__export(verify_exports, {
  verifyContainer: () => verifyContainer
});
function allChunks(walk) {
  const out = [];
  const s = walk.storage;
  let k = 0;
  for (const o of walk.others) {
    while (k < s.count && s.offset[k] < o.offset) {
      out.push({
        offset: s.offset[k],
        tag: s.tag[k] === 1 ? "CORE" : "SEGM",
        length: s.length[k]
      });
      k++;
    }
    out.push({
      offset: o.offset,
      tag: o.tag,
      length: o.length
    });
  }
  for (; k < s.count; k++) {
    out.push({
      offset: s.offset[k],
      tag: s.tag[k] === 1 ? "CORE" : "SEGM",
      length: s.length[k]
    });
  }
  return out;
}
async function verifyContainer(c, opts = {}) {
  await loadNative();
  const checks = [];
  const pass = (rule, message) => checks.push({
    rule,
    ok: true,
    message
  });
  const failWith = (rule, e) => {
    const err = e instanceof H4Error ? e : new H4Error("H4_IO", String(e?.message ?? e).split("\n")[0]);
    checks.push({
      rule: err.rule ?? rule,
      ok: false,
      message: err.message,
      code: err.code
    });
  };
  const step = async (rule, message, f) => {
    try {
      await f();
      pass(rule, message);
    } catch (e) {
      failWith(rule, e);
    }
  };
  const src2 = c.source;
  const legacy = c.profile === "legacy";
  const locaAt = c.size - LOCA_CHUNK_LENGTH;
  await step("H4-FMT-001", "header magic and version", async () => {
    const h = await src2.read(0, HEADER_LENGTH);
    const v = checkMagicAndVersion(h, "header");
    if (v !== c.version) {
      throw new H4Error("H4_UNSUPPORTED_VERSION", `header version ${v}, opened as ${c.version}`, {
        rule: "H4-FMT-002"
      });
    }
    if (c.locator) checkHeaderCopy(h, c.locator.header, locaAt);
  });
  const out = {
    partial: void 0
  };
  const n = c.blockCount;
  const sealed = c.encrypted ? Math.min(opts.opener?.firstOpenBlock ?? 0, n) : 0;
  const scan = {
    indexed: 0
  };
  let walkEnded = false;
  let wake = () => {
  };
  let moved = new Promise((r) => wake = r);
  const advance = () => {
    const w2 = wake;
    moved = new Promise((r) => wake = r);
    w2();
  };
  const progress = {
    storage: () => out.partial?.storage ?? NO_STORAGE,
    done: () => walkEnded,
    next: () => moved
  };
  const watched = {
    size: src2.size,
    read: (offset, length) => (advance(), src2.read(offset, length)),
    readInto: src2.readInto && ((offset, buf) => (advance(), src2.readInto(offset, buf)))
  };
  const indexRun = scanIndex(c, progress, scan, c.encrypted && !opts.opener ? n : sealed).then(() => void 0, (error) => ({
    error
  }));
  await step("H4-FMT-010", "chunk framing from offset 8 to the end", async () => {
    try {
      await walkForVerify(watched, c.version, c.size, out, Math.min(c.chunkCount, Math.floor(c.size / 32)), c.locator && c.directory ? {
        at: c.locator.slots.BHSH.offset + CHUNK_HEADER_LENGTH,
        count: c.chunkCount,
        perPage: c.directory.hashesPerPage,
        digests: c.directory.bhshPageDigests
      } : void 0);
    } finally {
      walkEnded = true;
      advance();
      for (const f of out.partial?.findings ?? []) {
        if (f.ok) pass(f.rule, f.message);
        else failWith(f.rule, f.error);
      }
    }
  });
  const walk = out.partial;
  if (walk.crcFailures === 0) {
    pass("H4-FMT-011", `every chunk's CRC matches (${walk.total} chunks)`);
  }
  if (!walk.veriSeen) {
    if (legacy) pass("H4-INT-002", "no VERI chunk (legacy file)");
    else {
      failWith("H4-INT-001", new H4Error("H4_MISSING_CHUNK", "no VERI chunk", {
        rule: "H4-INT-001"
      }));
    }
  }
  const storage = walk.storage;
  const others = walk.others;
  if (!legacy) {
    await step("H4-FMT-020", "storage chunks come first, back to back, with the version's tag", () => {
      const want = c.version === 1 ? 1 : 2;
      const first = others[0];
      const misplaced = first !== void 0 && first.ordinal < storage.count ? first : void 0;
      const end2 = misplaced ? misplaced.ordinal : storage.count;
      for (let i = 0; i < end2; i++) {
        if (storage.tag[i] !== want) {
          throw new H4Error("H4_INDEX_MISMATCH", `${storage.tag[i] === 1 ? "CORE" : "SEGM"} at ${storage.offset[i]} in a version ${c.version} file`, {
            rule: "H4-FMT-021"
          });
        }
      }
      if (misplaced) {
        throw new H4Error("H4_INDEX_MISMATCH", `chunk ${misplaced.ordinal} at ${misplaced.offset} is ${misplaced.tag}, storage chunks must come first`, {
          rule: "H4-FMT-020"
        });
      }
    });
    await step("H4-LOC-002", "LOCA's slots point at whole chunks of their tags", () => {
      const byOffset = new Map(others.map((w2) => [
        w2.offset,
        w2
      ]));
      for (const [slot, ref] of Object.entries(c.locator.slots)) {
        if (ref) checkSlotTarget(slot, ref.length, ref.offset, byOffset.get(ref.offset));
      }
      const bhsh = others.find((w2) => w2.tag === "BHSH");
      if (bhsh) checkBhshLength(bhsh.length, c.chunkCount, "BHSH");
    });
    await step("H4-FMT-022", "VERI, then only SIGN chunks, then LOCA end the file", () => {
      const last = others.at(-1);
      const lastStorage = storage.count > 0 ? storage.offset[storage.count - 1] : -1;
      if (!last || last.offset < lastStorage || last.tag !== "LOCA" || last.offset !== locaAt) {
        throw new H4Error("H4_BAD_LOCATOR", "LOCA is not the last chunk", {
          rule: "H4-FMT-022"
        });
      }
      let k = others.length - 2;
      while (k >= 0 && others[k].tag === SIGN_TAG && others[k].offset > lastStorage) k--;
      const prev = k >= 0 && others[k].offset > lastStorage ? others[k] : void 0;
      const skipped = k < others.length - 2;
      if (!prev || prev.tag !== "VERI") {
        const tag = prev?.tag ?? (lastStorage >= 0 ? storage.tag[storage.count - 1] === 1 ? "CORE" : "SEGM" : void 0);
        throw new H4Error("H4_MISSING_CHUNK", `the chunk before LOCA${skipped ? " and its SIGN chunks" : ""} is ${tag ?? "missing"}, not VERI`, {
          rule: "H4-FMT-022"
        });
      }
      const stray = others.slice(0, k).find((w2) => w2.tag === SIGN_TAG);
      if (stray) {
        throw new H4Error("H4_BAD_SIGNATURE", `SIGN chunk at ${stray.offset} is not between VERI and LOCA`, {
          offset: stray.offset,
          chunk: SIGN_TAG,
          rule: "H4-SIG-001"
        });
      }
    });
    await step("H4-SIG-004", "every signature verifies", async () => {
      for (const sig of await c.signatures()) {
        if (!sig.valid) {
          throw new H4Error("H4_BAD_SIGNATURE", `the signature of key ${sig.key_id} (SIGN at ${sig.offset}) does not verify over this container's root`, {
            offset: sig.offset,
            chunk: SIGN_TAG,
            rule: "H4-SIG-004"
          });
        }
      }
    });
    await step("H4-INT-003", "every storage chunk matches its BHSH hash", () => {
      if (storage.count !== c.chunkCount) {
        throw new H4Error("H4_INDEX_MISMATCH", `${storage.count} storage chunks in the file, LOCA counts ${c.chunkCount}`, {
          rule: "H4-IDX-004"
        });
      }
      if (walk.bhshError) throw walk.bhshError;
    });
    pass("H4-INT-004", `root digest ${c.root.toHex()} matches the tables`);
  }
  await step("H4-IDX-004", "block index agrees with the storage chunks", async () => {
    const failed = await indexRun;
    if (failed) throw failed.error;
  });
  const indexOk = scan.indexed === n && checks[checks.length - 1]?.ok === true;
  if (indexOk) {
    await step("H4-TRK-002", "track counts match the index", () => checkTrackCounts(c.tracks, scan.blocks, scan.keys));
    await step("H4-SEK-001", "seek tables name keyframes with their index fields", () => scan.checkSeekTables());
  }
  if (c.profile === "v1" && indexOk) {
    await step("H4-LEG-004", "META.seekm_b64 lists exactly the keyframes", () => scan.checkSeekm(c.meta));
  }
  const lastChunk = others.at(-1);
  const whole = lastChunk?.tag === "LOCA" && lastChunk.offset === locaAt && (storage.count === 0 || storage.offset[storage.count - 1] < locaAt);
  if (!legacy && c.encrypted && opts.opener && whole) {
    await step("H4-LC-018", "every chunk is covered by the root digest or the seal", async () => {
      const outside = await unsealedChunks(c, allChunks(walk));
      if (outside.length === 0) return;
      const bytes = outside.reduce((n2, w2) => n2 + CHUNK_HEADER_LENGTH + w2.length, 0);
      const list = outside.slice(0, 5).map((w2) => `${JSON.stringify(w2.tag)} at ${w2.offset} (${CHUNK_HEADER_LENGTH + w2.length} bytes: ${w2.reason})`).join("; ");
      throw new H4Error("H4_CIPHER_UNSEALED_DATA", `${outside.length} chunk(s), ${bytes} bytes, outside the root digest and the seal: ${list}${outside.length > 5 ? "; ..." : ""}`, {
        offset: outside[0].offset,
        rule: "H4-LC-018"
      });
    });
  }
  if (indexOk && (!c.encrypted || opts.opener)) {
    await step("H4-COD-002", !c.encrypted ? "every block decodes to its plain length" : sealed === 0 ? "every block decrypts and decodes" : sealed === n ? `all ${sealed} blocks stay sealed to this key: none decrypted` : `blocks ${sealed}..${n - 1} decrypt and decode; blocks 0..${sealed - 1} stay sealed to this key`, async () => {
      for (const e of scan.toDecode) {
        let data = await src2.read(e.offset, e.stored_length);
        if (c.encrypted) {
          if (c.profile === "legacy") {
            throw new H4Error("H4_ENCRYPTED", "legacy encrypted blocks cannot be decoded", {
              rule: "H4-LEG-005"
            });
          }
          data = opts.opener.open(contextOf(e), data);
        }
        await decodePayload(e.codec, data, e.plain_length);
      }
    });
  }
  const transcript = opts.opener?.verifyTranscript;
  if (transcript && indexOk) {
    try {
      checks.push(...await transcript.call(opts.opener));
    } catch (e) {
      failWith("H4-LC-017", e);
    }
  }
  return {
    ok: checks.every((k) => k.ok),
    checks
  };
}
var NO_STORAGE;
var init_verify = __esm({
  "lib/seek/verify.ts"() {
    init_block_context();
    init_codec();
    init_constants();
    init_errors();
    init_native();
    init_signature();
    init_rules();
    init_unsealed();
    init_verify_index();
    init_verify_walk();
    NO_STORAGE = {
      count: 0,
      offset: new Float64Array(0),
      length: new Float64Array(0),
      tag: new Uint8Array(0)
    };
  }
});

// lib/format/writer.ts
init_bytes();
init_chunk();
init_codec();
init_constants();
init_crc32();
init_errors();
init_index_columns();
init_native();
init_trks();

// lib/format/writer_options.ts
init_codec();
init_constants();
init_errors();
init_meta();

// lib/hash/background_sha256.ts
init_native();
init_sha256();
var WORKER_BUFFER = 1 << 20;
var BACKGROUND_THRESHOLD = 64 << 20;

// lib/hash/hash_pool.ts
init_native();

// lib/format/writer_hashing.ts
init_sha256();
init_constants();
init_veri();
var ASYNC_HASH_MIN = 16 * 1024;
var ASYNC_HASH_MAX = 16 * 1024 * 1024;
var POOL_THRESHOLD = 64 << 20;
var POOL_WORTH = 128 << 20;

// lib/format/writer_segments.ts
init_constants();
var ARENA = 4 << 20;

// lib/format/writer_tables.ts
init_bidx();
init_bytes();
init_chunk();
init_constants();
init_ksek();
init_loca();
init_meta();
init_root();
init_seekm();
init_signature();
init_sha256();
init_tdir();
init_trak();
init_trks();

// lib/format/writer.ts
var DONE = Promise.resolve();
var BIG_BLOCK_COPY = 4 << 20;

// lib/format/byte_source.ts
init_errors();
function bytesSource(bytes) {
  return {
    size: bytes.length,
    read(offset, length) {
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
        return Promise.reject(new H4Error("H4_BAD_ARGUMENT", `bad read range ${offset}+${length}`));
      }
      if (offset + length > bytes.length) {
        return Promise.reject(new H4Error("H4_TRUNCATED", `read of ${length} bytes at ${offset} passes the end (${bytes.length})`, {
          offset
        }));
      }
      return Promise.resolve(bytes.subarray(offset, offset + length));
    }
  };
}

// lib/seek/container.ts
init_chunk();
init_constants();
init_errors();

// lib/seek/legacy.ts
init_bytes();
init_chunk();
init_chunk_walk();
init_chunk_types();
init_codec();
init_constants();
init_errors();
init_index_columns();
init_ksek();
init_meta();

// lib/seek/container_object.ts
init_block_context();
init_chunk();
init_chunk_walk();
init_codec();
init_constants();
init_errors();

// lib/seek/block_read.ts
init_bytes();
init_chunk();
init_codec();
init_constants();
init_errors();
init_sha256();

// lib/seek/page_cache.ts
function boundedCache(bounds) {
  const map = /* @__PURE__ */ new Map();
  const maxEntries = bounds.maxEntries ?? Infinity;
  const maxWeight = bounds.maxWeight ?? Infinity;
  const weigh = bounds.weigh ?? (() => 0);
  let weight = 0;
  const drop = (key) => {
    if (!map.has(key)) return;
    weight -= weigh(map.get(key));
    map.delete(key);
  };
  return {
    get: (key) => map.get(key),
    has: (key) => map.has(key),
    set(key, value) {
      const w2 = weigh(value);
      if (w2 > maxWeight / 4) return;
      drop(key);
      while (map.size > 0 && (map.size >= maxEntries || weight + w2 > maxWeight)) {
        drop(map.keys().next().value);
      }
      map.set(key, value);
      weight += w2;
    },
    delete: drop,
    get size() {
      return map.size;
    }
  };
}
function cachePromise(cache, key, got) {
  got.catch(() => {
    if (cache.get(key) === got) cache.delete(key);
  });
  cache.set(key, got);
  return got;
}

// lib/seek/block_read.ts
init_rules();
var CHUNK_CACHE_BYTES = 32 * 1024 * 1024;
function blockReader(x, f, entry) {
  async function readChunkChecked(e, hashed) {
    const cached = hashed ? verifiedChunks.get(e.chunk) : void 0;
    if (cached) {
      const at2 = e.offset - cached.offset;
      return cached.payload.slice(at2, at2 + e.stored_length);
    }
    let firstIndex = e.index, firstOffset = e.offset, lastIndex = e.index;
    let end2 = e.offset + e.stored_length;
    if (f.version === VERSION_V2) {
      const { first: pf, cols } = await x.page(x.pageOf(e.index));
      let lo = e.index - pf, hi = lo;
      while (lo > 0 && cols.chunk[lo - 1] === e.chunk) lo--;
      while (hi < cols.count - 1 && cols.chunk[hi + 1] === e.chunk) hi++;
      firstIndex = pf + lo;
      firstOffset = cols.offset[lo];
      lastIndex = pf + hi;
      end2 = cols.offset[hi] + cols.stored[hi];
      while (lo === 0 && firstIndex > 0) {
        const prev = await entry(firstIndex - 1);
        if (prev.chunk !== e.chunk) break;
        firstIndex = prev.index;
        firstOffset = prev.offset;
      }
      while (hi === cols.count - 1 && lastIndex < x.blockCount - 1) {
        const next = await entry(lastIndex + 1);
        if (next.chunk !== e.chunk) break;
        lastIndex = next.index;
        end2 = next.offset + next.stored_length;
      }
    }
    const headAt = firstOffset - CHUNK_HEADER_LENGTH;
    const wanted = hashed ? x.hash(e.chunk) : void 0;
    wanted?.catch(() => {
    });
    const bytes = await x.src.read(headAt, end2 - headAt);
    const head = parseChunkHeader(bytes.subarray(0, CHUNK_HEADER_LENGTH), headAt, f.size);
    const expectTag = f.version === VERSION_V1 ? "CORE" : "SEGM";
    if (head.tag !== expectTag || head.length !== end2 - headAt - CHUNK_HEADER_LENGTH) {
      throw new H4Error("H4_INDEX_MISMATCH", `block ${e.index} should lie in a ${expectTag} chunk of ${end2 - headAt - 12} bytes at ${headAt}, found ${head.tag} of ${head.length}`, {
        offset: headAt,
        rule: "H4-IDX-004"
      });
    }
    checkSegmentLimit(head.tag, headAt, head.length, lastIndex - firstIndex + 1);
    const payload = bytes.subarray(CHUNK_HEADER_LENGTH);
    if (hashed) {
      const want = await wanted;
      if (want && !equalBytes(await sha256Async(payload), want)) {
        throw new H4Error("H4_BLOCK_HASH_MISMATCH", `storage chunk ${e.chunk} at ${headAt} (block ${e.index}) differs from its BHSH hash`, {
          offset: headAt,
          chunk: head.tag,
          rule: "H4-INT-003"
        });
      }
    }
    checkChunkCrc(head, payload);
    if (hashed) rememberChunk(e.chunk, firstOffset, payload);
    const at = e.offset - firstOffset;
    const block2 = payload.subarray(at, at + e.stored_length);
    return hashed ? block2.slice() : block2;
  }
  const verifiedChunks = boundedCache({
    maxWeight: CHUNK_CACHE_BYTES,
    weigh: (v) => v.payload.length
  });
  const rememberChunk = (chunk, offset, payload) => verifiedChunks.set(chunk, {
    offset,
    payload
  });
  const increasing = [];
  const positions = [];
  const findInTable = (t, i) => {
    const table = f.table(t);
    increasing[t] ??= (() => {
      for (let j = 1; j < table.count; j++) if (table.block[j] <= table.block[j - 1]) return false;
      return true;
    })();
    if (increasing[t]) {
      const b = table.block;
      let lo = 0, hi = table.count - 1;
      while (lo <= hi) {
        const mid = lo + hi >>> 1;
        if (b[mid] < i) lo = mid + 1;
        else if (b[mid] > i) hi = mid - 1;
        else return mid;
      }
      return -1;
    }
    let m = positions[t];
    if (!m) {
      m = /* @__PURE__ */ new Map();
      for (let k = 0; k < table.count; k++) m.set(table.block[k], k);
      positions[t] = m;
    }
    return m.get(i) ?? -1;
  };
  const fromSeekTable = (i) => {
    if (x.legacy || !Number.isSafeInteger(i)) return void 0;
    let track = x.trackIds.length - 1, k = -1;
    for (; track >= 0; track--) {
      k = findInTable(track, i);
      if (k >= 0) break;
    }
    if (k < 0) return void 0;
    const t = f.table(track);
    return {
      index: i,
      track_id: x.trackIds[track],
      pts_us: t.pts[k],
      kind: KIND_NAMES[t.kind[k]],
      keyframe: true,
      codec: codecName(t.codec[k]),
      offset: t.offset[k],
      stored_length: t.stored[k],
      plain_length: t.plain[k],
      chunk: -1
    };
  };
  return {
    readChunkChecked,
    fromSeekTable
  };
}

// lib/seek/seek_table.ts
function seekEntry(table, pts) {
  const n = table.count;
  if (n === 0) return {
    entry: -1,
    found: false
  };
  const p = table.pts;
  if (pts < p[0]) return {
    entry: 0,
    found: false
  };
  let lo = 0, hi = n - 1;
  while (lo < hi) {
    const mid = lo + hi + 1 >>> 1;
    if (p[mid] <= pts) lo = mid;
    else hi = mid - 1;
  }
  const target = p[lo];
  let lo2 = 0, hi2 = lo;
  while (lo2 < hi2) {
    const mid = lo2 + hi2 >>> 1;
    if (p[mid] < target) lo2 = mid + 1;
    else hi2 = mid;
  }
  return {
    entry: lo2,
    found: true
  };
}

// lib/seek/container_object.ts
init_types();
var LISTED_TRACKS = 8;
function trackList(ids) {
  if (ids.length === 0) return "none";
  const shown = ids.slice(0, LISTED_TRACKS).map((s) => JSON.stringify(s)).join(", ");
  return ids.length > LISTED_TRACKS ? `${shown} and ${ids.length - LISTED_TRACKS} more` : shown;
}
function makeContainer(x, f) {
  const trackIndex = new Map(x.trackIds.map((id, i) => [
    id,
    i
  ]));
  function trackNumber(trackId) {
    const t = trackIndex.get(trackId);
    if (t === void 0) {
      throw new H4Error("H4_UNKNOWN_TRACK", `no track ${JSON.stringify(trackId.slice(0, 64))}; tracks are ${trackList(x.trackIds)}`, {
        rule: "H4-SEEK-001"
      });
    }
    return t;
  }
  async function entry(i) {
    if (!Number.isSafeInteger(i) || i < 0 || i >= x.blockCount) {
      throw new H4Error("H4_BLOCK_OUT_OF_RANGE", `block index ${i} is not in 0..${x.blockCount - 1}`);
    }
    const { first, cols } = await x.page(x.pageOf(i));
    const r = i - first;
    const codec = cols.codec[r];
    return {
      index: i,
      track_id: x.trackIds[cols.track[r]],
      pts_us: cols.pts[r],
      kind: KIND_NAMES[cols.kind[r]],
      keyframe: cols.keyframe[r] === 1,
      codec: codecName(codec),
      offset: cols.offset[r],
      stored_length: cols.stored[r],
      plain_length: x.plainLength ? await x.plainLength(i, cols, r) : cols.plain[r],
      chunk: cols.chunk[r]
    };
  }
  const verifying = (asked) => x.mustVerify || (asked ?? x.verifyBlocks);
  const { readChunkChecked, fromSeekTable } = blockReader(x, f, entry);
  const c = {
    version: f.version,
    profile: f.profile,
    size: f.size,
    tracks: f.tracks,
    blockCount: x.blockCount,
    chunkCount: x.chunkCount,
    meta: f.meta,
    safe: f.safe,
    encrypted: x.encrypted,
    livc: f.livc,
    root: f.root,
    locator: f.locator,
    directory: f.directory,
    source: x.src,
    signers: f.signers,
    trusted: f.trusted,
    signatures: f.signatures,
    seekTable: (trackId) => f.table(trackNumber(trackId)),
    seek(trackId, ptsUs) {
      if (!Number.isSafeInteger(ptsUs)) {
        throw new H4Error("H4_BAD_ARGUMENT", `pts_us must be a safe integer, got ${ptsUs}`);
      }
      const t = trackNumber(trackId);
      const table = f.table(t);
      const { entry: k, found } = seekEntry(table, ptsUs);
      if (k < 0) {
        throw new H4Error("H4_UNKNOWN_TRACK", `track ${JSON.stringify(trackId)} has no keyframe to seek to`, {
          rule: "H4-SEEK-002"
        });
      }
      return {
        track_id: trackId,
        pts_us: ptsUs,
        keyframe_pts_us: table.pts[k],
        core_index: table.block[k],
        found,
        offset: table.offset[k],
        stored_length: table.stored[k]
      };
    },
    entry,
    async *entries() {
      for (let i = 0; i < x.blockCount; i++) yield await entry(i);
    },
    async readStored(i, opts = {}) {
      if (verifying(opts.verify) && !x.legacy) {
        return await readChunkChecked(await entry(i), true);
      }
      const e = fromSeekTable(i) ?? await entry(i);
      return await x.src.read(e.offset, e.stored_length);
    },
    async readBlock(i, opts = {}) {
      const verify = verifying(opts.verify) && !x.legacy;
      const light = verify ? void 0 : fromSeekTable(i);
      const e = light ?? await entry(i);
      const stored = verify || f.version === VERSION_V1 ? await readChunkChecked(e, verify) : await x.src.read(e.offset, e.stored_length);
      if (light && !x.legacy && x.prefetch) x.page(x.pageOf(i)).catch(() => {
      });
      if (opts.raw) return stored;
      let data = stored;
      if (x.encrypted) {
        if (x.legacy) {
          throw new H4Error("H4_ENCRYPTED", `block ${i} was encrypted by the original LivingCipher v3, which no key can decrypt`, {
            rule: "H4-LEG-005"
          });
        }
        if (!opts.opener) {
          throw new H4Error("H4_ENCRYPTED", `block ${i} is encrypted: a key is needed`);
        }
        const ctx = contextOf(e);
        data = opts.opener.open(ctx, stored);
      }
      return await decodePayload(e.codec, data, e.plain_length);
    },
    storageHash(ch) {
      if (!Number.isSafeInteger(ch) || ch < 0 || ch >= x.chunkCount) {
        return Promise.reject(new H4Error("H4_BLOCK_OUT_OF_RANGE", `storage chunk ${ch} is not in 0..${x.chunkCount - 1}`));
      }
      return x.hash(ch);
    },
    // Loaded when asked for: a quick reader never needs it.
    verify: async (opts = {}) => (await Promise.resolve().then(() => (init_verify(), verify_exports))).verifyContainer(c, opts),
    async close() {
      await x.src.close?.();
    },
    async *chunks() {
      for await (const ch of walkSource(x.src)) {
        let crcOk = true;
        try {
          checkChunkCrc(ch, ch.payload);
        } catch (e) {
          if (!(e instanceof H4Error && e.code === "H4_CRC_MISMATCH")) throw e;
          crcOk = false;
        }
        yield {
          offset: ch.offset,
          tag: ch.tag,
          length: ch.length,
          crcOk
        };
      }
    }
  };
  if (!x.plainLength) {
    const access = {
      trackIds: x.trackIds,
      page: (i) => x.page(x.pageOf(i)),
      all: x.allPages ?? async function* () {
        for (let i = 0; i < x.blockCount; ) {
          const got = await x.page(x.pageOf(i));
          yield got;
          i = got.first + got.cols.count;
        }
      }
    };
    Object.defineProperty(c, INDEX_COLUMNS, {
      value: access
    });
  }
  return c;
}

// lib/seek/legacy.ts
var LOCATED_TAGS = new Set(LOCATOR_ONLY_TAGS);
async function openLegacy(src2, size, tail, tailStart, opts) {
  const [{ decodeTrak: decodeTrak2 }, { decodeSeekm: decodeSeekm2 }] = await Promise.all([
    Promise.resolve().then(() => (init_trak(), trak_exports)),
    Promise.resolve().then(() => (init_seekm(), seekm_exports))
  ]);
  const cores = [];
  let meta;
  let safe = null;
  let located;
  const whole = tailStart === 0 ? tail : size <= 64 * 1024 * 1024 ? await src2.read(0, size) : null;
  const read = (o, n2) => whole ? Promise.resolve(whole.subarray(o, o + n2)) : src2.read(o, n2);
  for await (const head of walkHeaders(whole ? bytesSource(whole) : src2)) {
    const offset = head.offset;
    const at = offset + CHUNK_HEADER_LENGTH;
    if (head.tag === "CORE") {
      cores.push({
        offset: at,
        length: head.length
      });
    } else if (head.tag === "META" || head.tag === "SAFE") {
      const payload = await read(at, head.length);
      checkChunkCrc(head, payload);
      const doc = decodeJsonDoc(payload, head.tag, at);
      if (head.tag === "META") meta = doc;
      else safe = doc;
    } else if (head.tag === "SEGM") {
      throw new H4Error("H4_INDEX_MISMATCH", `SEGM chunk at ${offset} in a version 1 file`, {
        offset,
        chunk: "SEGM",
        rule: "H4-FMT-021"
      });
    } else if (LOCATED_TAGS.has(head.tag)) located ??= {
      tag: head.tag,
      offset
    };
  }
  if (located) {
    throw new H4Error("H4_BAD_LOCATOR", `version 1 file has a ${located.tag} chunk at ${located.offset}, which only files with a LOCA hold, but its last 172 bytes are not LOCA`, {
      offset: located.offset,
      chunk: located.tag,
      rule: "H4-LOC-001"
    });
  }
  if (!meta) {
    throw new H4Error("H4_LEGACY_NO_INDEX", "legacy file has no META chunk", {
      rule: "H4-LEG-001"
    });
  }
  if (typeof meta.trak_b64 !== "string") {
    throw new H4Error("H4_LEGACY_NO_INDEX", "legacy META has no trak_b64 block list", {
      chunk: "META",
      rule: "H4-LEG-001"
    });
  }
  let trakBytes;
  try {
    trakBytes = Uint8Array.fromBase64(meta.trak_b64);
  } catch {
    throw new H4Error("H4_LEGACY_NO_INDEX", "META.trak_b64 is not valid base64", {
      chunk: "META",
      rule: "H4-LEG-001"
    });
  }
  const trak2 = decodeTrak2(trakBytes);
  if (trak2.length !== cores.length) {
    throw new H4Error("H4_INDEX_MISMATCH", `META.trak_b64 lists ${trak2.length} blocks, the file has ${cores.length} CORE chunks`, {
      chunk: "META",
      rule: "H4-LEG-001"
    });
  }
  const compression = meta.compression;
  const codec = compression?.engine === "geometric-reference" ? CODEC_IDS.rle : CODEC_IDS.none;
  const ids = [
    ...new Set(trak2.map((e) => e.track_id))
  ].sort(compareCodePoints);
  const trackOf = new Map(ids.map((id, i) => [
    id,
    i
  ]));
  const n = trak2.length;
  const cols = allocColumns(n);
  cols.count = n;
  const plainKnown = new Uint8Array(n);
  trak2.forEach((e, i) => {
    cols.track[i] = trackOf.get(e.track_id);
    cols.pts[i] = e.pts_us;
    cols.kind[i] = KIND_IDS[e.kind];
    cols.keyframe[i] = e.keyframe ? 1 : 0;
    cols.codec[i] = codec;
    cols.newChunk[i] = 1;
    cols.offset[i] = cores[i].offset;
    cols.stored[i] = cores[i].length;
    cols.chunk[i] = i;
    if (codec === CODEC_IDS.none) {
      cols.plain[i] = cores[i].length;
      plainKnown[i] = 1;
    }
  });
  const blocksPer = ids.map(() => 0);
  const keysPer = ids.map(() => 0);
  for (let i = 0; i < n; i++) {
    blocksPer[cols.track[i]]++;
    keysPer[cols.track[i]] += cols.keyframe[i];
  }
  const tables2 = legacySeekTables(meta, ids, cols, trackOf, decodeSeekm2);
  const internals = {
    src: src2,
    blockCount: n,
    chunkCount: n,
    encrypted: "encryption" in meta,
    legacy: true,
    prefetch: false,
    // Every legacy block is a whole CORE chunk whose CRC is checked on each read; there is no BHSH.
    verifyBlocks: opts.verifyBlocks === true,
    mustVerify: false,
    trackIds: ids,
    pageOf: () => 0,
    page: () => Promise.resolve({
      first: 0,
      cols
    }),
    hash: () => Promise.resolve(null),
    // rle plain lengths are the sum of the runs: known only after reading the block.
    async plainLength(i, c, row) {
      if (!plainKnown[i]) {
        const stored = await read(c.offset[row], c.stored[row]);
        let sum = 0;
        for (let k = 1; k < stored.length; k += 2) sum += stored[k];
        cols.plain[i] = sum;
        plainKnown[i] = 1;
      }
      return cols.plain[i];
    }
  };
  return makeContainer(internals, {
    version: 1,
    profile: "legacy",
    size,
    tracks: ids.map((id, t) => ({
      track_id: id,
      codec: codecName(codec),
      blocks: blocksPer[t],
      keyframes: keysPer[t],
      seek_entries: tables2[t].count
    })),
    table: (t) => tables2[t],
    meta,
    safe,
    livc: null,
    root: null,
    locator: null,
    directory: null,
    signers: [],
    trusted: false,
    signatures: () => Promise.resolve([])
  });
}
function legacySeekTables(meta, ids, cols, trackOf, decodeSeekm2) {
  const lists = ids.map(() => []);
  if ("seekm_b64" in meta) {
    let bytes;
    try {
      if (typeof meta.seekm_b64 !== "string") throw new TypeError("not a string");
      bytes = Uint8Array.fromBase64(meta.seekm_b64);
    } catch {
      throw new H4Error("H4_BAD_SEEK_TABLE", `META.seekm_b64 is not base64 text: ${JSON.stringify(meta.seekm_b64).slice(0, 40)}`, {
        chunk: "META",
        rule: "H4-LEG-003"
      });
    }
    for (const t of decodeSeekm2(bytes)) {
      const ti = trackOf.get(t.track_id);
      for (const [pts, idx] of t.entries) {
        if (ti === void 0 || idx >= cols.count || cols.track[idx] !== ti || !cols.keyframe[idx] || cols.pts[idx] !== pts) {
          throw new H4Error("H4_BAD_SEEK_TABLE", `SEEKM entry (${pts}, ${idx}) of track ${JSON.stringify(t.track_id)} is not a keyframe of that track at that pts`, {
            chunk: "META",
            rule: "H4-LEG-003"
          });
        }
        lists[ti].push([
          pts,
          idx
        ]);
      }
    }
  } else {
    for (let i = 0; i < cols.count; i++) {
      if (cols.keyframe[i]) lists[cols.track[i]].push([
        cols.pts[i],
        i
      ]);
    }
  }
  return lists.map((l) => {
    l.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (let k = 1; k < l.length; k++) {
      if (l[k][0] === l[k - 1][0] && l[k][1] === l[k - 1][1]) {
        throw new H4Error("H4_BAD_SEEK_TABLE", `SEEKM lists block ${l[k][1]} twice`, {
          chunk: "META",
          rule: "H4-LEG-003"
        });
      }
    }
    return seekTableFromRows(cols, l.map(([, i]) => i));
  });
}

// lib/seek/open_v2.ts
init_bytes();
init_chunk();
init_chunk_types();
init_constants();
init_errors();
init_ksek();
init_loca();
init_meta();
init_root();
init_signature();
init_tdir();
init_trks();

// lib/format/bhsh.ts
init_errors();
function bhshEntry(payload, c, first = 0) {
  const at = (c - first) * 32;
  if (!Number.isSafeInteger(at) || at < 0 || at + 32 > payload.length) {
    throw new H4Error("H4_BAD_INDEX", `BHSH has no entry ${c}`, {
      chunk: "BHSH",
      rule: "H4-BHS-001"
    });
  }
  return payload.subarray(at, at + 32);
}

// lib/seek/index_pages.ts
init_constants();
init_index_columns();
init_rules();
var HASH_SPAN_LIMIT = 1024 * 1024;
var READ_AHEAD = 256 * 1024;
var PAGES_KEPT = 64;
function indexPages(x) {
  const { src: src2, loca, tdir } = x;
  const pageStarts = [];
  let acc = loca.slots.BIDX.offset + CHUNK_HEADER_LENGTH;
  for (const l of tdir.bidxPageLengths) {
    pageStarts.push(acc);
    acc += l;
  }
  const P = tdir.blocksPerPage;
  const H2 = tdir.hashesPerPage;
  const bhshBase = loca.slots.BHSH.offset + CHUNK_HEADER_LENGTH;
  const hashCache = boundedCache({
    maxEntries: PAGES_KEPT
  });
  const rawCache = boundedCache({
    maxEntries: PAGES_KEPT
  });
  const checked = boundedCache({
    maxEntries: PAGES_KEPT
  });
  const decodePage = async (p, bytes, into) => {
    await checkPageDigest("BIDX", p, bytes, tdir.bidxPageDigests[p], pageStarts[p]);
    const first = p * P;
    const { decodeBidxPage: decodeBidxPage2 } = await Promise.resolve().then(() => (init_bidx(), bidx_exports));
    const cols = decodeBidxPage2(bytes, {
      first,
      count: Math.min(P, loca.blockCount - first),
      trackCodecs: x.trackCodecs,
      overhead: x.overhead,
      base: pageStarts[p]
    }, into);
    checkPageBlocks(cols, first, x.storageEnd, loca.chunkCount, pageStarts[p]);
    return {
      first,
      cols
    };
  };
  let spanStart = 0;
  let span = null;
  const inSpan = (p) => span !== null && pageStarts[p] >= spanStart && pageStarts[p] + tdir.bidxPageLengths[p] <= spanStart + span.length;
  const rawPage = (p) => {
    let got = rawCache.get(p);
    if (!got) {
      const at = pageStarts[p] - spanStart;
      got = inSpan(p) ? Promise.resolve(span.subarray(at, at + tdir.bidxPageLengths[p])).then((b) => decodePage(p, b)) : src2.read(pageStarts[p], tdir.bidxPageLengths[p]).then((b) => decodePage(p, b));
      cachePromise(rawCache, p, got);
    }
    return got;
  };
  const hashPageAt = (q) => bhshBase + q * H2 * 32;
  const hashPageLength = (q) => (Math.min(loca.chunkCount, (q + 1) * H2) - q * H2) * 32;
  const checkHashPage = async (q, bytes) => {
    await checkPageDigest("BHSH", q, bytes, tdir.bhshPageDigests[q], hashPageAt(q));
    return bytes.slice();
  };
  const bidxRef = loca.slots.BIDX, bhshRef = loca.slots.BHSH;
  const hashesFollowIndex = bidxRef.offset + bidxRef.length === bhshRef.offset;
  const pageWithHashes = async (p) => {
    if (!hashesFollowIndex || loca.chunkCount === 0) return;
    const from = p > 0 && !rawCache.has(p - 1) ? p - 1 : p;
    const lastBlock = Math.min(loca.blockCount, (p + 1) * P) - 1;
    const qhi = Math.floor(Math.min(loca.chunkCount - 1, lastBlock) / H2);
    const start2 = pageStarts[from];
    const end2 = hashPageAt(qhi) + hashPageLength(qhi);
    if (end2 - start2 > HASH_SPAN_LIMIT) return;
    let allCached = true;
    for (let q = 0; q <= qhi; q++) if (!hashCache.has(q)) allCached = false;
    if (allCached) return;
    const bytes = await src2.read(start2, end2 - start2);
    span = bytes;
    spanStart = start2;
    for (let q = 0; q <= qhi; q++) {
      if (hashCache.has(q)) continue;
      const at = hashPageAt(q) - start2;
      const page = bytes.subarray(at, at + hashPageLength(q));
      cachePromise(hashCache, q, Promise.resolve().then(() => checkHashPage(q, page)));
    }
  };
  return {
    pageOf: (i) => Math.floor(i / P),
    page(p) {
      let got = checked.get(p);
      if (!got) {
        got = (async () => {
          if (!rawCache.has(p) && !inSpan(p) && x.wantHashes) await pageWithHashes(p);
          if (p > 0 && !rawCache.has(p) && !rawCache.has(p - 1) && !inSpan(p - 1)) {
            const bytes = await src2.read(pageStarts[p - 1], tdir.bidxPageLengths[p - 1] + tdir.bidxPageLengths[p]);
            const split2 = tdir.bidxPageLengths[p - 1];
            cachePromise(rawCache, p - 1, Promise.resolve().then(() => decodePage(p - 1, bytes.subarray(0, split2))));
            cachePromise(rawCache, p, Promise.resolve().then(() => decodePage(p, bytes.subarray(split2))));
          }
          const cur = await rawPage(p);
          const prev = p > 0 ? (await rawPage(p - 1)).cols : null;
          checkPageContinuity(p, prev, cur.cols, pageStarts[p]);
          return cur;
        })();
        cachePromise(checked, p, got);
      }
      return got;
    },
    async *all() {
      const lengths = tdir.bidxPageLengths;
      let prev = null;
      const spare = [
        allocColumns(P),
        allocColumns(P)
      ];
      let own;
      for (let p = 0; p < lengths.length; ) {
        let q = p, length = 0;
        while (q < lengths.length && (q === p || length + lengths[q] <= READ_AHEAD)) {
          length += lengths[q++];
        }
        let bytes;
        if (src2.readInto) {
          if (!own || own.length < length) own = new Uint8Array(Math.max(length, READ_AHEAD));
          bytes = await src2.readInto(pageStarts[p], own.subarray(0, length));
        } else bytes = await src2.read(pageStarts[p], length);
        for (let at = 0; p < q; at += lengths[p++]) {
          const page = await decodePage(p, bytes.subarray(at, at + lengths[p]), spare[p & 1]);
          checkPageContinuity(p, prev, page.cols, pageStarts[p]);
          prev = page.cols;
          yield page;
        }
      }
    },
    hash(c) {
      const q = Math.floor(c / H2);
      let got = hashCache.get(q);
      if (!got) {
        got = src2.read(hashPageAt(q), hashPageLength(q)).then((b) => checkHashPage(q, b));
        cachePromise(hashCache, q, got);
      }
      return got.then((page) => bhshEntry(page, c, q * H2));
    }
  };
}

// lib/seek/open_v2.ts
init_rules();

// lib/seek/signatures.ts
init_bytes();
init_chunk();
init_chunk_walk();
init_constants();
init_errors();
init_signature();
var SIGN_CODE = tagCode(SIGN_TAG);
async function signatureArea(region, regionStart, loca, locaAt, size) {
  let offset = HEADER_LENGTH;
  for (const ref of Object.values(loca.slots)) {
    if (ref) offset = Math.max(offset, ref.offset + ref.length);
  }
  if (offset < locaAt && offset < regionStart) return [];
  const inRegion = {
    size,
    read: (at, length) => Promise.resolve(region.subarray(at - regionStart, at - regionStart + length))
  };
  let run = [];
  let end2;
  try {
    end2 = await walkWindows(inRegion, {
      chunk(tag, at, length, crc, window, h) {
        if (at + CHUNK_HEADER_LENGTH + length > locaAt) return false;
        if (tag === SIGN_CODE) {
          const p = h + CHUNK_HEADER_LENGTH;
          run.push({
            head: {
              offset: at,
              tag: SIGN_TAG,
              length,
              crc
            },
            payload: window.subarray(p, p + length)
          });
        } else run = [];
      }
    }, {
      from: offset,
      to: locaAt,
      window: size
    });
  } catch {
    return [];
  }
  if (end2 !== locaAt && offset < locaAt) return [];
  const records = run.map(({ head, payload }) => {
    checkChunkCrc(head, payload);
    return decodeSignPayload(payload, head.offset);
  });
  checkDistinctSigners(records);
  return records;
}
async function isTrusted(trust, root, signers, verify) {
  if (trust.root && equalBytes(trust.root, root)) return true;
  const keys = trust.keys ?? [];
  const invalid = [];
  for (const r of signers) {
    if (!keys.some((k) => equalBytes(k, r.publicKey))) continue;
    if (await verify(r)) return true;
    invalid.push(r.keyId);
  }
  const why = [
    trust.root ? `its root ${root.toHex().slice(0, 16)}\u2026 is not the pinned root` : "",
    keys.length ? signers.length === 0 ? "it has no signature" : invalid.length ? `the signature of trusted key ${invalid.join(", ")} does not verify` : `no trusted key signed it (signers: ${signers.slice(0, 8).map((r) => r.keyId).join(", ")}${signers.length > 8 ? ", \u2026" : ""})` : ""
  ].filter(Boolean).join(", and ");
  throw new H4Error("H4_UNTRUSTED", `container not trusted: ${why || "no trusted key or root was given"}`, {
    rule: "H4-SIG-005"
  });
}

// lib/seek/open_v2.ts
async function openIndexed(src2, size, tail, tailStart, realHeader, opts) {
  const locaAt = size - LOCA_CHUNK_LENGTH;
  const locaBytes = tail.subarray(locaAt - tailStart);
  const locaHead = parseChunkHeader(locaBytes, locaAt, size);
  if (locaHead.length !== LOCA_CHUNK_LENGTH - CHUNK_HEADER_LENGTH) {
    throw new H4Error("H4_BAD_LOCATOR", `LOCA payload is ${locaHead.length} bytes, must be 160`, {
      offset: locaAt,
      chunk: "LOCA",
      rule: "H4-LOC-002"
    });
  }
  const locaPayload = locaBytes.subarray(CHUNK_HEADER_LENGTH);
  checkChunkCrc(locaHead, locaPayload);
  const loca = decodeLoca(locaPayload, locaAt + CHUNK_HEADER_LENGTH);
  const version = checkMagicAndVersion(loca.header, "LOCA header copy");
  if (realHeader) checkHeaderCopy(realHeader, loca.header, locaAt);
  const encrypted = (loca.flags & LOCA_FLAG_ENCRYPTED) !== 0;
  for (const s of REQUIRED_SLOTS) {
    if (!loca.slots[s]) {
      throw new H4Error("H4_MISSING_CHUNK", `LOCA has no ${s}`, {
        offset: locaAt,
        chunk: "LOCA",
        rule: "H4-LOC-003"
      });
    }
  }
  if (encrypted !== (loca.slots.LIVC !== null)) {
    throw new H4Error("H4_MISSING_CHUNK", encrypted ? "LOCA flags say encrypted but there is no LIVC" : "LOCA has a LIVC but its flags say unencrypted", {
      offset: locaAt,
      chunk: "LOCA",
      rule: "H4-LOC-003"
    });
  }
  let storageEnd = locaAt;
  for (const [name, ref] of Object.entries(loca.slots)) {
    if (!ref) continue;
    if (ref.offset < HEADER_LENGTH || ref.length < CHUNK_HEADER_LENGTH || ref.offset + ref.length > locaAt) {
      throw new H4Error("H4_BAD_LOCATOR", `slot ${name} at ${ref.offset}+${ref.length} is outside 8..${locaAt}`, {
        offset: locaAt,
        chunk: "LOCA",
        rule: "H4-LOC-002"
      });
    }
    storageEnd = Math.min(storageEnd, ref.offset);
  }
  let low = tailStart;
  for (const s of WHOLE_SLOTS) if (loca.slots[s]) low = Math.min(low, loca.slots[s].offset);
  const region = low < tailStart ? concat([
    await src2.read(low, tailStart - low),
    tail
  ]) : tail;
  const regionStart = Math.min(low, tailStart);
  const payloads = {};
  for (const s of WHOLE_SLOTS) {
    const ref = loca.slots[s];
    if (!ref) continue;
    const at = ref.offset - regionStart;
    const head = checkSlotChunk(s, ref.length, region.subarray(at, at + CHUNK_HEADER_LENGTH), ref.offset, size);
    const payload = region.subarray(at + CHUNK_HEADER_LENGTH, at + ref.length);
    checkChunkCrc(head, payload);
    payloads[s] = payload;
  }
  const root = await computeRootAsync(locaPayload, {
    TRKS: payloads.TRKS,
    KSEK: payloads.KSEK,
    TDIR: payloads.TDIR,
    META: payloads.META,
    SAFE: payloads.SAFE ?? null
  });
  if (!equalBytes(root, loca.root)) {
    throw new H4Error("H4_DIGEST_MISMATCH", `root digest ${root.toHex().slice(0, 16)}\u2026 differs from LOCA's ${loca.root.toHex().slice(0, 16)}\u2026`, {
      offset: locaAt,
      chunk: "LOCA",
      rule: "H4-INT-004"
    });
  }
  if (opts.expectedRoot && !equalBytes(root, opts.expectedRoot)) {
    throw new H4Error("H4_DIGEST_MISMATCH", `root digest ${root.toHex()} is not the expected ${opts.expectedRoot.toHex()}`, {
      rule: "H4-INT-004"
    });
  }
  const signers = await signatureArea(region, regionStart, loca, locaAt, size);
  const livc = payloads.LIVC ?? null;
  const checkedSignatures = memo(() => Promise.all(signers.map(async (r) => ({
    r,
    ok: await verifySignature(r, locaPayload, livc)
  }))));
  let trusted = false;
  if (opts.trust) {
    trusted = await isTrusted(opts.trust, root, signers, (r) => verifySignature(r, locaPayload, livc));
  }
  const base = (s) => loca.slots[s].offset + CHUNK_HEADER_LENGTH;
  const trks = decodeTrks(payloads.TRKS, base("TRKS"));
  const mismatch = (m, rule) => {
    throw new H4Error("H4_INDEX_MISMATCH", m, {
      rule
    });
  };
  if (trks.length !== loca.trackCount) {
    mismatch(`TRKS has ${trks.length} tracks, LOCA says ${loca.trackCount}`, "H4-LOC-004");
  }
  const sum = trks.reduce((n, t) => n + t.blocks, 0);
  if (sum !== loca.blockCount) {
    mismatch(`TRKS counts ${sum} blocks, LOCA says ${loca.blockCount}`, "H4-TRK-002");
  }
  if (loca.blockCount > 4294967295) {
    throw new H4Error("H4_LIMIT_EXCEEDED", `${loca.blockCount} blocks exceed 2^32-1`, {
      rule: "H4-LIM-001"
    });
  }
  const tdir = decodeTdir(payloads.TDIR, loca.blockCount, loca.chunkCount, base("TDIR"));
  const bidxLen = loca.slots.BIDX.length - CHUNK_HEADER_LENGTH;
  const pageSum = tdir.bidxPageLengths.reduce((n, l) => n + l, 0);
  if (pageSum !== bidxLen) {
    throw new H4Error("H4_BAD_INDEX", `TDIR's BIDX pages add up to ${pageSum} bytes, BIDX (by its LOCA slot) has ${bidxLen}`, {
      chunk: "TDIR",
      rule: "H4-TDR-001"
    });
  }
  checkBhshLength(loca.slots.BHSH.length - CHUNK_HEADER_LENGTH, loca.chunkCount, "BHSH (by its LOCA slot)");
  if (loca.chunkCount > loca.blockCount) {
    mismatch(`${loca.chunkCount} storage chunks for ${loca.blockCount} blocks`, "H4-LOC-004");
  }
  const overhead = encrypted ? CIPHER_OVERHEAD : 0;
  const parts = splitKsek(payloads.KSEK, trks.length, base("KSEK"));
  const decoded = [];
  const table = (t) => decoded[t] ??= checkSeekTableBounds(decodeSeekTable(parts[t].bytes, overhead, parts[t].base), trks[t].track_id, loca.blockCount, storageEnd);
  const meta = decodeJsonDoc(payloads.META, "META", base("META"));
  const safe = payloads.SAFE ? decodeJsonDoc(payloads.SAFE, "SAFE", base("SAFE")) : null;
  const trackCodecs = trks.map((t) => CODEC_IDS[t.codec]);
  const pages = indexPages({
    src: src2,
    loca,
    tdir,
    trackCodecs,
    overhead,
    storageEnd,
    wantHashes: opts.verifyBlocks === true || trusted
  });
  const internals = {
    src: src2,
    blockCount: loca.blockCount,
    chunkCount: loca.chunkCount,
    encrypted,
    legacy: false,
    prefetch: opts.prefetch !== false,
    verifyBlocks: opts.verifyBlocks === true || trusted,
    mustVerify: trusted,
    trackIds: trks.map((t) => t.track_id),
    pageOf: pages.pageOf,
    page: pages.page,
    allPages: pages.all,
    hash: pages.hash
  };
  return makeContainer(internals, {
    version,
    profile: version === VERSION_V1 ? "v1" : "v2",
    size,
    tracks: trks.map((t, i) => ({
      track_id: t.track_id,
      codec: t.codec,
      blocks: t.blocks,
      keyframes: t.keyframes,
      seek_entries: parts[i].count
    })),
    table,
    meta,
    safe,
    livc: payloads.LIVC ? payloads.LIVC.slice() : null,
    root,
    locator: loca,
    directory: tdir,
    signers,
    trusted,
    signatures: async () => (await checkedSignatures()).map(({ r, ok }) => ({
      key_id: r.keyId,
      public_key: r.publicKey.toBase64(),
      valid: ok,
      offset: r.offset
    }))
  });
}
function memo(f) {
  let p;
  return () => p ??= f();
}

// lib/seek/container.ts
init_rules();
init_types();
async function openContainer(src2, opts = {}) {
  const source2 = src2 instanceof Uint8Array ? bytesSource(src2) : src2;
  const size = source2.size;
  if (!Number.isSafeInteger(size) || size < HEADER_LENGTH) {
    throw new H4Error("H4_TRUNCATED", `file of ${size} bytes is shorter than the 8-byte header`, {
      offset: 0,
      rule: "H4-FMT-001"
    });
  }
  const probe = Math.min(size, Math.max(LOCA_CHUNK_LENGTH, opts.tailProbe ?? DEFAULT_TAIL_PROBE));
  const tailStart = size - probe;
  const tail = await source2.read(tailStart, probe);
  const realHeader = tailStart === 0 ? tail.subarray(0, HEADER_LENGTH) : null;
  if (realHeader) checkMagicAndVersion(realHeader, "header");
  const locaAt = size - LOCA_CHUNK_LENGTH;
  const hasLoca = locaAt >= HEADER_LENGTH && String.fromCharCode(...tail.subarray(locaAt - tailStart, locaAt - tailStart + 4)) === "LOCA";
  if (!hasLoca) {
    const header = realHeader ?? await source2.read(0, HEADER_LENGTH);
    const version = checkMagicAndVersion(header, "header");
    if (version === VERSION_V2) {
      throw new H4Error("H4_BAD_LOCATOR", `version 2 file has no LOCA chunk in its last 172 bytes`, {
        offset: Math.max(0, locaAt),
        rule: "H4-LOC-001"
      });
    }
    if (opts.trust) {
      throw new H4Error("H4_UNTRUSTED", "container not trusted: a file of the original writer has no root digest to sign or pin", {
        rule: "H4-SIG-005"
      });
    }
    return await openLegacy(source2, size, tail, tailStart, opts);
  }
  return await openIndexed(source2, size, tail, tailStart, realHeader, opts);
}

// lib/web/browser.ts
init_verify();

// lib/io/http_source.ts
init_errors();

// lib/io/content_range.ts
function parseContentRange(value) {
  if (value === null) return null;
  const m = /^\s*bytes\s+(?:(\d{1,16})-(\d{1,16})|\*)\/(\d{1,16})\s*$/i.exec(value);
  if (!m) return null;
  const total = Number(m[3]);
  if (!Number.isSafeInteger(total)) return null;
  if (m[1] === void 0) return {
    start: null,
    end: null,
    total
  };
  const start2 = Number(m[1]);
  const end2 = Number(m[2]);
  if (!Number.isSafeInteger(end2) || start2 > end2 || end2 >= total) return null;
  return {
    start: start2,
    end: end2,
    total
  };
}

// lib/io/http_body.ts
init_bytes();
init_errors();

// lib/io/http_retry.ts
init_errors();
var Retryable = class extends Error {
  short;
  /** Makes a retryable failure. */
  constructor(message, short = false) {
    super(message), this.short = short;
  }
};
async function withRetries(p, what, attempt) {
  const { label } = p;
  const budget = AbortSignal.timeout(p.budgetMs);
  const outOfTime = (n, cause) => new H4Error("H4_IO", `${label}: ${what}: no complete answer within the time budget of ${seconds(p.budgetMs)} (${n} attempt${n === 1 ? "" : "s"}; see --timeout)`, {
    cause,
    rule: "H4-HTTP-005"
  });
  for (let n = 0; ; n++) {
    if (p.closed.aborted) throw new H4Error("H4_IO", `${label}: source is closed`);
    if (budget.aborted) throw outOfTime(n, budget.reason);
    try {
      return await attempt(budget);
    } catch (e) {
      if (isH4Error(e)) throw e;
      if (p.signal?.aborted) {
        throw new H4Error("H4_IO", `${label}: ${what} aborted`, {
          cause: e
        });
      }
      if (p.closed.aborted) throw new H4Error("H4_IO", `${label}: source is closed`);
      if (budget.aborted) throw outOfTime(n + 1, e);
      const message = e instanceof Error ? e.message : String(e);
      if (n >= p.retries) {
        const tries = `${n + 1} attempt${n ? "s" : ""}`;
        if (e instanceof Retryable && e.short) {
          throw new H4Error("H4_TRUNCATED", `${label}: ${what}: ${message} (${tries})`, {
            rule: "H4-HTTP-002"
          });
        }
        throw new H4Error("H4_IO", `${label}: ${what}: ${message} (${tries})`, {
          cause: e,
          rule: "H4-HTTP-005"
        });
      }
      const delay = Math.min(2e3, p.retryDelayMs * 2 ** n) * (0.5 + Math.random() / 2);
      await sleep(delay, AbortSignal.any([
        p.closed,
        budget
      ]));
      p.onRetry?.();
    }
  }
}
function seconds(ms) {
  return ms % 1e3 === 0 ? `${ms / 1e3} s` : `${ms} ms`;
}
function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done, {
      once: true
    });
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}

// lib/io/http_body.ts
async function readBody(res, expected, label, counted) {
  const out = new Uint8Array(expected);
  let got = 0;
  if (res.body) {
    const reader = res.body.getReader();
    try {
      for (; ; ) {
        let chunk;
        try {
          chunk = await reader.read();
        } catch (e) {
          const why = e instanceof Error ? e.message : String(e);
          throw new Retryable(`body failed after ${got} of ${expected} bytes: ${why}`, true);
        }
        if (chunk.done) break;
        counted(chunk.value.length);
        if (got + chunk.value.length > expected) {
          throw new H4Error("H4_IO", `${label}: answer body is longer than the ${expected} bytes announced`, {
            rule: "H4-HTTP-002"
          });
        }
        out.set(chunk.value, got);
        got += chunk.value.length;
      }
    } catch (e) {
      await reader.cancel().catch(() => {
      });
      throw e;
    }
  }
  if (got < expected) throw new Retryable(`short body: ${got} of ${expected} bytes`, true);
  return out;
}
async function readUpTo(res, limit, label, counted) {
  const parts = [];
  let got = 0;
  if (res.body) {
    try {
      for await (const chunk of res.body) {
        counted(chunk.length);
        got += chunk.length;
        if (got > limit) {
          throw new H4Error("H4_RANGE_UNSUPPORTED", `${label}: server ignores Range and sends the whole file (over ${limit} bytes)`, {
            rule: "H4-HTTP-004"
          });
        }
        parts.push(chunk);
      }
    } catch (e) {
      if (isH4Error(e)) throw e;
      const why = e instanceof Error ? e.message : String(e);
      throw new Retryable(`body failed after ${got} bytes: ${why}`, true);
    }
  }
  return concat(parts);
}
async function discard(res) {
  await res.body?.cancel().catch(() => {
  });
}

// lib/io/range_cache.ts
function createRangeCache(budget) {
  const recent = [];
  let held = 0;
  return {
    get(offset, length) {
      for (let i = recent.length - 1; i >= 0; i--) {
        const c = recent[i];
        if (offset >= c.start && offset + length <= c.start + c.bytes.length) {
          if (i !== recent.length - 1) recent.push(...recent.splice(i, 1));
          return c.bytes.slice(offset - c.start, offset - c.start + length);
        }
      }
      return null;
    },
    remember(start2, bytes) {
      if (bytes.length > budget / 4) return;
      recent.push({
        start: start2,
        bytes
      });
      held += bytes.length;
      while (held > budget) held -= recent.shift().bytes.length;
    },
    clear() {
      recent.length = 0;
      held = 0;
    }
  };
}

// lib/io/http_source.ts
var DEFAULT_TAIL_PROBE2 = 65536;
var DEFAULT_MAX_FULL_BODY = 1 << 20;
var DEFAULT_RETRIES = 3;
var DEFAULT_CACHE_BYTES = 4 << 20;
var DEFAULT_TIMEOUT = 12e4;
var MAX_READ = 1 << 30;
async function openHttpSource(url, opts = {}) {
  const target = parseUrl(url);
  const doFetch = opts.fetch ?? globalThis.fetch;
  const retries = intOption("retries", opts.retries, DEFAULT_RETRIES, 0, 100);
  const tailProbe = intOption("tailProbe", opts.tailProbe, DEFAULT_TAIL_PROBE2, 1, MAX_READ);
  const maxFullBody = intOption("maxFullBody", opts.maxFullBody, DEFAULT_MAX_FULL_BODY, 0, MAX_READ);
  const cacheBytes = intOption("cacheBytes", opts.cacheBytes, DEFAULT_CACHE_BYTES, 0, MAX_READ);
  const retryDelayMs = intOption("retryDelayMs", opts.retryDelayMs, 100, 0, 6e4);
  const timeoutMs = intOption("timeoutMs", opts.timeoutMs, 3e4, 1, 36e5);
  const budgetMs = intOption("timeout", opts.timeout, DEFAULT_TIMEOUT, 1, 864e5);
  const baseHeaders = new Headers(opts.headers);
  const closer = new AbortController();
  const stats = {
    requests: 0,
    bytes: 0,
    retries: 0,
    cacheHits: 0
  };
  const label = target.href;
  let etag = null;
  let weakEtag = null;
  let lastModified = null;
  let size = 0;
  let tail = {
    start: 0,
    bytes: new Uint8Array(0)
  };
  const recent = createRangeCache(cacheBytes);
  const policy = {
    label,
    retries,
    retryDelayMs,
    budgetMs,
    closed: closer.signal,
    signal: opts.signal,
    onRetry: () => stats.retries++
  };
  const withRetries2 = (what, attempt) => withRetries(policy, what, attempt);
  const counted = (n) => stats.bytes += n;
  async function send(range, conditional, budget) {
    const headers = new Headers(baseHeaders);
    headers.set("range", range);
    headers.set("accept-encoding", "identity");
    if (conditional) {
      if (etag) {
        headers.set("if-match", etag);
        headers.set("if-range", etag);
      } else if (lastModified) {
        headers.set("if-unmodified-since", lastModified);
        headers.set("if-range", lastModified);
      }
    }
    const signals = [
      closer.signal,
      AbortSignal.timeout(timeoutMs),
      budget
    ];
    if (opts.signal) signals.push(opts.signal);
    stats.requests++;
    let res;
    try {
      res = await doFetch(target, {
        headers,
        signal: AbortSignal.any(signals)
      });
    } catch (e) {
      throw new Retryable(`request failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (res.status >= 500 || res.status === 408 || res.status === 429) {
      await discard(res);
      throw new Retryable(`HTTP ${res.status} ${res.statusText}`.trim());
    }
    const encoding = res.headers.get("content-encoding");
    if (encoding && encoding.toLowerCase() !== "identity") {
      await discard(res);
      throw new H4Error("H4_IO", `${label}: answer has Content-Encoding "${encoding}"`, {
        rule: "H4-HTTP-002"
      });
    }
    return res;
  }
  function checkValidators(res) {
    const e = res.headers.get("etag");
    const lm = res.headers.get("last-modified");
    if (e !== null && (etag ?? weakEtag) !== null && e !== (etag ?? weakEtag)) {
      throw new H4Error("H4_SOURCE_CHANGED", `${label}: ETag changed from ${etag ?? weakEtag} to ${e}`, {
        rule: "H4-HTTP-003"
      });
    }
    if (lm !== null && lastModified !== null && lm !== lastModified) {
      throw new H4Error("H4_SOURCE_CHANGED", `${label}: Last-Modified changed from ${lastModified} to ${lm}`, {
        rule: "H4-HTTP-003"
      });
    }
  }
  async function probe() {
    await withRetries2("opening", async (budget) => {
      const res = await send(`bytes=-${tailProbe}`, false, budget);
      if (res.status === 206) {
        const cr = parseContentRange(res.headers.get("content-range"));
        if (!cr || cr.start === null) {
          await discard(res);
          throw new H4Error("H4_IO", `${label}: 206 answer with bad Content-Range ${JSON.stringify(res.headers.get("content-range"))}`, {
            rule: "H4-HTTP-002"
          });
        }
        const want = Math.max(0, cr.total - tailProbe);
        if (cr.start !== want || cr.end !== cr.total - 1) {
          await discard(res);
          throw new H4Error("H4_IO", `${label}: asked for the last ${tailProbe} bytes, got bytes ${cr.start}-${cr.end}/${cr.total}`, {
            rule: "H4-HTTP-002"
          });
        }
        const bytes = await readBody(res, cr.end - cr.start + 1, label, counted);
        size = cr.total;
        tail = {
          start: cr.start,
          bytes
        };
      } else if (res.status === 200) {
        const declared = res.headers.get("content-length");
        const n = declared === null ? null : Number(declared);
        if (n !== null && (!Number.isSafeInteger(n) || n < 0)) {
          await discard(res);
          throw new H4Error("H4_IO", `${label}: bad Content-Length ${JSON.stringify(declared)}`);
        }
        if (n !== null && n > maxFullBody) {
          await discard(res);
          throw new H4Error("H4_RANGE_UNSUPPORTED", `${label}: server ignores Range and sends the whole file (${n} bytes, limit ${maxFullBody})`, {
            rule: "H4-HTTP-004"
          });
        }
        const bytes = n !== null ? await readBody(res, n, label, counted) : await readUpTo(res, maxFullBody, label, counted);
        size = bytes.length;
        tail = {
          start: 0,
          bytes
        };
      } else if (res.status === 416) {
        await discard(res);
        const cr = parseContentRange(res.headers.get("content-range"));
        if (cr && cr.start === null && cr.total === 0) {
          size = 0;
          tail = {
            start: 0,
            bytes: new Uint8Array(0)
          };
        } else {
          throw new H4Error("H4_IO", `${label}: HTTP 416 to a suffix range`);
        }
      } else {
        await discard(res);
        throw new H4Error("H4_IO", `${label}: HTTP ${res.status} ${res.statusText}`.trim());
      }
      const e = res.headers.get("etag");
      if (e !== null && !e.startsWith("W/")) etag = e;
      else weakEtag = e;
      lastModified = res.headers.get("last-modified");
    });
  }
  function fetchRange(start2, length) {
    const end2 = start2 + length - 1;
    return withRetries2(`reading bytes ${start2}-${end2}`, async (budget) => {
      const res = await send(`bytes=${start2}-${end2}`, true, budget);
      if (res.status === 206) {
        try {
          checkValidators(res);
        } catch (e) {
          await discard(res);
          throw e;
        }
        const cr = parseContentRange(res.headers.get("content-range"));
        if (!cr || cr.start === null) {
          await discard(res);
          const ct = res.headers.get("content-type") ?? "";
          const what = ct.startsWith("multipart/") ? "a multipart answer" : "a bad Content-Range";
          throw new H4Error("H4_IO", `${label}: asked for bytes ${start2}-${end2}, got ${what}`, {
            rule: "H4-HTTP-002"
          });
        }
        if (cr.total !== size) {
          await discard(res);
          throw new H4Error("H4_SOURCE_CHANGED", `${label}: size changed from ${size} to ${cr.total} bytes`, {
            rule: "H4-HTTP-003"
          });
        }
        if (cr.start !== start2 || cr.end !== end2) {
          await discard(res);
          throw new H4Error("H4_IO", `${label}: asked for bytes ${start2}-${end2}, got bytes ${cr.start}-${cr.end}/${cr.total}`, {
            rule: "H4-HTTP-002"
          });
        }
        return await readBody(res, length, label, counted);
      }
      await discard(res);
      if (res.status === 412) {
        throw new H4Error("H4_SOURCE_CHANGED", `${label}: file changed (HTTP 412 to If-Match)`, {
          rule: "H4-HTTP-003"
        });
      }
      if (res.status === 200) {
        checkValidators(res);
        if (etag === null && lastModified === null) {
          throw new H4Error("H4_SOURCE_CHANGED", `${label}: HTTP 200 to a range request and no validator to tell whether the file changed`, {
            rule: "H4-HTTP-003"
          });
        }
        throw new H4Error("H4_RANGE_UNSUPPORTED", `${label}: HTTP 200 to a range request after a 206 for the same file`, {
          rule: "H4-HTTP-004"
        });
      }
      if (res.status === 416) {
        const cr = parseContentRange(res.headers.get("content-range"));
        if (cr && cr.total !== size) {
          throw new H4Error("H4_SOURCE_CHANGED", `${label}: size changed from ${size} to ${cr.total} bytes`, {
            rule: "H4-HTTP-003"
          });
        }
        throw new H4Error("H4_IO", `${label}: HTTP 416 for bytes ${start2}-${end2} of ${size}`);
      }
      if (res.status === 404 || res.status === 410) {
        throw new H4Error("H4_SOURCE_CHANGED", `${label}: HTTP ${res.status}, file is gone`, {
          rule: "H4-HTTP-003"
        });
      }
      throw new H4Error("H4_IO", `${label}: HTTP ${res.status} ${res.statusText}`.trim());
    });
  }
  await probe();
  const source2 = {
    url: label,
    get size() {
      return size;
    },
    stats,
    get etag() {
      return etag;
    },
    get lastModified() {
      return lastModified;
    },
    async read(offset, length) {
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
        throw new H4Error("H4_BAD_ARGUMENT", `read(${offset}, ${length}): not a byte range`);
      }
      if (offset + length > size) {
        throw new H4Error("H4_TRUNCATED", `read of ${length} bytes at ${offset} runs past the end (${size} bytes)`, {
          offset
        });
      }
      if (length > MAX_READ) {
        throw new H4Error("H4_LIMIT_EXCEEDED", `read of ${length} bytes is over 1 GiB`);
      }
      if (closer.signal.aborted) throw new H4Error("H4_IO", `${label}: source is closed`);
      if (length === 0) return new Uint8Array(0);
      const tailEnd = tail.start + tail.bytes.length;
      if (offset >= tail.start && offset + length <= tailEnd) {
        stats.cacheHits++;
        return tail.bytes.slice(offset - tail.start, offset - tail.start + length);
      }
      const hit = recent.get(offset, length);
      if (hit) {
        stats.cacheHits++;
        return hit;
      }
      if (offset < tail.start && offset + length > tail.start && tail.bytes.length > 0) {
        const head = await fetchRange(offset, tail.start - offset);
        const out = new Uint8Array(length);
        out.set(head, 0);
        out.set(tail.bytes.subarray(0, offset + length - tail.start), head.length);
        return out;
      }
      const bytes = await fetchRange(offset, length);
      recent.remember(offset, bytes);
      return bytes.slice();
    },
    close() {
      closer.abort();
      tail = {
        start: 0,
        bytes: new Uint8Array(0)
      };
      recent.clear();
    }
  };
  return source2;
}
function parseUrl(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    throw new H4Error("H4_BAD_ARGUMENT", `not a URL: ${JSON.stringify(String(url))}`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") {
    throw new H4Error("H4_BAD_ARGUMENT", `not an http(s) URL: ${u.protocol}`);
  }
  return u;
}
function intOption(name, value, fallback, min, max) {
  if (value === void 0) return fallback;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new H4Error("H4_BAD_ARGUMENT", `${name} must be an integer in ${min}..${max}, got ${value}`);
  }
  return value;
}

// lib/web/browser.ts
init_errors();

// npm:@noble/hashes/2.4.0/hmac.js
init_utils();
var _HMAC = class {
  oHash;
  iHash;
  blockLen;
  outputLen;
  canXOF = false;
  finished = false;
  destroyed = false;
  constructor(hash, key) {
    ahash(hash);
    abytes(key, void 0, "key");
    this.iHash = hash.create();
    if (typeof this.iHash.update !== "function") throw new Error("expected Hash instance");
    this.blockLen = this.iHash.blockLen;
    this.outputLen = this.iHash.outputLen;
    const blockLen = this.blockLen;
    const pad = new Uint8Array(blockLen);
    pad.set(key.length > blockLen ? hash.create().update(key).digest() : key);
    for (let i = 0; i < pad.length; i++) pad[i] ^= 54;
    this.iHash.update(pad);
    this.oHash = hash.create();
    for (let i = 0; i < pad.length; i++) pad[i] ^= 54 ^ 92;
    this.oHash.update(pad);
    clean(pad);
  }
  update(buf) {
    aexists(this);
    this.iHash.update(buf);
    return this;
  }
  digestInto(out) {
    aexists(this);
    aoutput(out, this);
    this.finished = true;
    const buf = out.subarray(0, this.outputLen);
    this.iHash.digestInto(buf);
    this.oHash.update(buf);
    this.oHash.digestInto(buf);
    this.destroy();
  }
  digest() {
    const out = new Uint8Array(this.oHash.outputLen);
    this.digestInto(out);
    return out;
  }
  _cloneInto(to) {
    to ||= Object.create(Object.getPrototypeOf(this), {});
    const { oHash, iHash, finished, destroyed, blockLen, outputLen, canXOF } = this;
    to = to;
    to.finished = finished;
    to.destroyed = destroyed;
    to.blockLen = blockLen;
    to.outputLen = outputLen;
    to.canXOF = canXOF;
    to.oHash = oHash._cloneInto(to.oHash);
    to.iHash = iHash._cloneInto(to.iHash);
    return to;
  }
  clone() {
    return this._cloneInto();
  }
  destroy() {
    this.destroyed = true;
    this.oHash.destroy();
    this.iHash.destroy();
  }
};
var hmac = /* @__PURE__ */ (() => {
  const hmac_ = (hash, key, message) => new _HMAC(hash, key).update(message).digest();
  hmac_.create = (hash, key) => new _HMAC(hash, key);
  return hmac_;
})();

// npm:@noble/hashes/2.4.0/hkdf.js
init_utils();
function extract(hash, ikm, salt) {
  ahash(hash);
  if (salt === void 0) salt = new Uint8Array(hash.outputLen);
  return hmac(hash, salt, ikm);
}
var HKDF_COUNTER = /* @__PURE__ */ Uint8Array.of(0);
var EMPTY_BUFFER = /* @__PURE__ */ Uint8Array.of();
function expand(hash, prk, info, length = 32, _recycled) {
  ahash(hash);
  anumber(length, "length");
  abytes(prk, void 0, "prk");
  const olen = hash.outputLen;
  if (prk.length < olen) throw new Error('"prk" must be at least HashLen octets');
  if (length > 255 * olen) throw new Error("Length must be <= 255*HashLen");
  const blocks = Math.ceil(length / olen);
  if (info === void 0) info = EMPTY_BUFFER;
  else abytes(info, void 0, "info");
  if (!blocks) {
    if (_recycled) clean(prk);
    return new Uint8Array();
  }
  const okm = _recycled && blocks === 1 ? prk : new Uint8Array(blocks * olen);
  const { iHash, oHash } = hmac.create(hash, prk);
  const T2 = _recycled ? prk : new Uint8Array(olen);
  const worker = blocks > 1 ? _recycled?.iHash || hash.create() : void 0;
  for (let counter = 0; counter < blocks - 1; counter++) {
    HKDF_COUNTER[0] = counter + 1;
    const iWork = iHash._cloneInto(worker);
    if (counter) iWork.update(T2);
    iWork.update(info).update(HKDF_COUNTER).digestInto(T2);
    oHash._cloneInto(worker).update(T2).digestInto(T2);
    okm.set(T2, olen * counter);
  }
  HKDF_COUNTER[0] = blocks;
  if (blocks > 1) iHash.update(T2);
  iHash.update(info).update(HKDF_COUNTER).digestInto(T2);
  oHash.update(T2).digestInto(T2);
  okm.set(T2, olen * (blocks - 1));
  iHash.destroy();
  oHash.destroy();
  worker?.destroy();
  if (T2 !== okm) clean(T2);
  clean(HKDF_COUNTER);
  if (length === okm.length) return okm;
  const res = okm.slice(0, length);
  clean(okm);
  return res;
}

// lib/living/keys.ts
init_errors();

// lib/living/constants.ts
var KEY_LENGTH = 32;
var CONTAINER_ID_LENGTH = 16;
var TAG_LENGTH = 16;
var NONCE_LENGTH = 12;
var KEY_CHECK_LENGTH = 16;
var DIGEST_LENGTH = 32;
var LIVC_VERSION = 1;
var AD_VERSION = 1;
var MAX_BLOCKS = 4294967295;
var MAX_EPOCHS = 1 << 20;
var MAX_SUITE_NAME_LENGTH = 32;
var LABELS = {
  /** info of E_0 = HKDF(root, salt = container id). */
  epochZero: "H4MK-LC1 epoch 0",
  /** info of the one-way step E_{e+1} = HKDF-Expand(E_e). */
  epochStep: "H4MK-LC1 epoch step",
  /** info prefix of the block key K_e; the suite name follows. */
  blockKey: "H4MK-LC1 block key ",
  /** info of the key check value, from the closing epoch key. */
  keyCheck: "H4MK-LC1 key check",
  /** info of the seal key, from the closing epoch key. */
  sealKey: "H4MK-LC1 seal key",
  /** salt of `deriveKeyFromSharedSecret`. */
  sharedSecret: "H4MK-LC1 shared secret",
  /** first bytes hashed into the transcript. */
  transcript: "H4MK-LC1 transcript",
  /** first bytes of the sealed message. */
  seal: "H4MK-LC1 seal"
};
var KEY_FILE_ROOT = "h4mk-key-1";
var KEY_FILE_EPOCH = "h4mk-epoch-key-1";

// lib/living/keys.ts
function badKey(message) {
  throw new H4Error("H4_CIPHER_BAD_KEY", message, {
    rule: "H4-LC-002"
  });
}
function toLivingKey(key) {
  if (key instanceof Uint8Array) {
    if (key.length !== KEY_LENGTH) badKey(`a root key is ${KEY_LENGTH} bytes, got ${key.length}`);
    return {
      kind: "root",
      key
    };
  }
  if (key === null || typeof key !== "object") {
    badKey(`expected a key, got ${key === null ? "null" : typeof key}`);
  }
  if (!(key.key instanceof Uint8Array) || key.key.length !== KEY_LENGTH) {
    badKey(`a key has ${KEY_LENGTH} bytes`);
  }
  if (key.kind === "root") return key;
  if (key.kind !== "epoch") badKey(`key kind must be root or epoch`);
  if (!(key.containerId instanceof Uint8Array) || key.containerId.length !== CONTAINER_ID_LENGTH) {
    badKey(`an epoch key's container id is ${CONTAINER_ID_LENGTH} bytes`);
  }
  if (!Number.isSafeInteger(key.epoch) || key.epoch < 0 || key.epoch > MAX_BLOCKS) {
    badKey(`an epoch key's epoch must be an integer 0..${MAX_BLOCKS}, got ${key.epoch}`);
  }
  return key;
}
function decodeKeyBase64(text) {
  if (!/^[A-Za-z0-9+/]{43}=$/.test(text)) {
    badKey(`key file: the key is not 44 characters of padded base64`);
  }
  const bytes = Uint8Array.fromBase64(text);
  if (bytes.length !== KEY_LENGTH || bytes.toBase64() !== text) {
    badKey(`key file: the key is not canonical base64 of 32 bytes`);
  }
  return bytes;
}
var KEY_FILE_TYPES = /* @__PURE__ */ new Map([
  [
    KEY_FILE_ROOT,
    {
      fields: 1,
      parse: ([b642]) => ({
        kind: "root",
        key: decodeKeyBase64(b642)
      })
    }
  ],
  [
    KEY_FILE_EPOCH,
    {
      fields: 3,
      parse: ([cidHex, epochText, keyText]) => {
        if (!/^[0-9a-f]{32}$/.test(cidHex)) {
          badKey(`key file: container id must be 32 lowercase hex digits`);
        }
        if (!/^(0|[1-9][0-9]{0,9})$/.test(epochText) || Number(epochText) > MAX_BLOCKS) {
          badKey(`key file: epoch must be a decimal integer 0..${MAX_BLOCKS} without leading zeros`);
        }
        return {
          kind: "epoch",
          containerId: Uint8Array.fromHex(cidHex),
          epoch: Number(epochText),
          key: decodeKeyBase64(keyText)
        };
      }
    }
  ]
]);
var MAX_KEY_FILE_LENGTH = 1024;
function keyFileWords(text) {
  if (text.length > MAX_KEY_FILE_LENGTH) {
    badKey(`key file of ${text.length} characters is too long for one key`);
  }
  const line = text.endsWith("\n") ? text.slice(0, -1) : text;
  if (line === "") badKey(text === "" ? "key file is empty" : "key file is an empty line");
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c >= 32 && c <= 126) continue;
    const at = `at character ${i + 1}`;
    if (c === 13) badKey(`key file has a CR ${at}: a key file ends with LF only, not CR LF`);
    if (c === 10) {
      badKey(`key file has a second line ${at}: one line, at most one final LF, no blank line`);
    }
    if (c === 9) badKey(`key file has a tab ${at}: fields are separated by one space`);
    if (c === 65279) badKey(`key file starts with a byte order mark: write plain ASCII`);
    badKey(`key file has a character outside printable ASCII ${at}`);
  }
  if (line.startsWith(" ") || line.endsWith(" ")) {
    badKey("key file has a space before its first or after its last field");
  }
  if (line.includes("  ")) badKey("key file has two spaces in a row: fields are separated by one");
  return line.split(" ");
}
function parseKeyFile(text) {
  if (typeof text !== "string") badKey(`key file must be text, got ${typeof text}`);
  const [type, ...fields] = keyFileWords(text);
  const t = KEY_FILE_TYPES.get(type);
  if (t === void 0) {
    const what = /^h4mk-[a-z0-9-]{1,24}$/.test(type) ? `type ${JSON.stringify(type)}` : "a line that is not a key file";
    return badKey(`key file: expected ${[
      ...KEY_FILE_TYPES.keys()
    ].join(" or ")}, got ${what}`);
  }
  if (fields.length !== t.fields) {
    badKey(`key file: ${type} takes ${t.fields} field(s), got ${fields.length}`);
  }
  return t.parse(fields);
}

// lib/living/sealer.ts
init_constants();
init_errors();

// lib/living/context.ts
init_constants();
init_errors();
init_trks();
var TWO_32 = 4294967296;
var MAX_AD_LENGTH = 1 + (1 + MAX_SUITE_NAME_LENGTH) + (1 + CONTAINER_ID_LENGTH) + (2 + 255) + 8 + 8 + 1 + 1 + 1 + 8;
function putU64(view, off, v) {
  view.setUint32(off, Math.floor(v / TWO_32));
  view.setUint32(off + 4, v % TWO_32);
}
function putI64(view, off, v) {
  const hi = Math.floor(v / TWO_32);
  view.setInt32(off, hi);
  view.setUint32(off + 4, v - hi * TWO_32);
}
function bad2(message) {
  throw new H4Error("H4_BAD_ARGUMENT", `block context: ${message}`);
}
function checkFields(ctx) {
  if (ctx === null || typeof ctx !== "object") {
    bad2(`expected an object, got ${ctx === null ? "null" : typeof ctx}`);
  }
  if (!Number.isSafeInteger(ctx.index) || ctx.index < 0 || ctx.index >= MAX_BLOCKS) {
    bad2(`index must be an integer 0..${MAX_BLOCKS - 1}, got ${ctx.index}`);
  }
  if (!Number.isSafeInteger(ctx.pts_us)) bad2(`pts_us must be a safe integer, got ${ctx.pts_us}`);
  if (!Object.hasOwn(KIND_IDS, ctx.kind)) {
    bad2(`kind must be I, P or B, got ${JSON.stringify(ctx.kind)}`);
  }
  if (typeof ctx.keyframe !== "boolean") {
    bad2(`keyframe must be a boolean, got ${typeof ctx.keyframe}`);
  }
  if (!Object.hasOwn(CODEC_IDS, ctx.codec)) {
    bad2(`codec must be none, deflate or rle, got ${JSON.stringify(ctx.codec)}`);
  }
  if (!Number.isSafeInteger(ctx.plain_length) || ctx.plain_length < 0 || ctx.plain_length > LIMITS.blockBytes) {
    bad2(`plain_length must be an integer 0..2^30, got ${ctx.plain_length}`);
  }
}
function createAdEncoder(suite, containerId) {
  const suiteBytes = new TextEncoder().encode(suite);
  if (suiteBytes.length < 1 || suiteBytes.length > MAX_SUITE_NAME_LENGTH) {
    bad2(`suite name of ${suiteBytes.length} bytes`);
  }
  if (containerId.length !== CONTAINER_ID_LENGTH) {
    bad2(`container id of ${containerId.length} bytes`);
  }
  const prefix = new Uint8Array(1 + 1 + suiteBytes.length + 1 + CONTAINER_ID_LENGTH);
  prefix[0] = AD_VERSION;
  prefix[1] = suiteBytes.length;
  prefix.set(suiteBytes, 2);
  prefix[2 + suiteBytes.length] = CONTAINER_ID_LENGTH;
  prefix.set(containerId, 3 + suiteBytes.length);
  const tracks = /* @__PURE__ */ new Map();
  function trackField(ctx) {
    let f = tracks.get(ctx.track_id);
    if (f === void 0) {
      const id = trackIdBytes(ctx.track_id);
      f = new Uint8Array(2 + id.length);
      f[0] = id.length >> 8;
      f[1] = id.length & 255;
      f.set(id, 2);
      if (tracks.size < 4096) tracks.set(ctx.track_id, f);
    }
    return f;
  }
  let lastOut = null;
  let lastView = null;
  function write(ctx, out, offset) {
    checkFields(ctx);
    const track = trackField(ctx);
    out.set(prefix, offset);
    let o = offset + prefix.length;
    out.set(track, o);
    o += track.length;
    if (out !== lastOut) {
      lastOut = out;
      lastView = new DataView(out.buffer, out.byteOffset, out.byteLength);
    }
    const view = lastView;
    putI64(view, o, ctx.pts_us);
    putU64(view, o + 8, ctx.index);
    out[o + 16] = KIND_IDS[ctx.kind];
    out[o + 17] = ctx.keyframe ? 1 : 0;
    out[o + 18] = CODEC_IDS[ctx.codec];
    putU64(view, o + 19, ctx.plain_length);
    return o + 27 - offset;
  }
  return {
    write,
    encode(ctx) {
      const out = new Uint8Array(MAX_AD_LENGTH);
      return out.slice(0, write(ctx, out, 0));
    }
  };
}
function blockNonce(index, out = new Uint8Array(NONCE_LENGTH)) {
  if (!Number.isSafeInteger(index) || index < 0) bad2(`index must be an integer \u2265 0, got ${index}`);
  const view = new DataView(out.buffer, out.byteOffset, NONCE_LENGTH);
  view.setUint32(0, 0);
  putU64(view, 4, index);
  return out;
}

// lib/living/key_schedule.ts
init_sha2();
init_errors();
var ASCII = new TextEncoder();
var EPOCH_ZERO_INFO = ASCII.encode(LABELS.epochZero);
var STEP_INFO = ASCII.encode(LABELS.epochStep);
var KEY_CHECK_INFO = ASCII.encode(LABELS.keyCheck);
var SEAL_KEY_INFO = ASCII.encode(LABELS.sealKey);
var SEAL_DOMAIN = ASCII.encode(LABELS.seal);
function epochZeroKey(rootKey, containerId) {
  if (rootKey.length !== KEY_LENGTH) {
    throw new H4Error("H4_CIPHER_BAD_KEY", `a root key is ${KEY_LENGTH} bytes, got ${rootKey.length}`, {
      rule: "H4-LC-001"
    });
  }
  if (containerId.length !== CONTAINER_ID_LENGTH) {
    throw new H4Error("H4_BAD_ARGUMENT", `a container id is ${CONTAINER_ID_LENGTH} bytes, got ${containerId.length}`);
  }
  return expand(sha256, extract(sha256, rootKey, containerId), EPOCH_ZERO_INFO, KEY_LENGTH);
}
function nextEpochKey(epochKey) {
  return hmac(sha256, epochKey, STEP_WITH_COUNTER);
}
var STEP_WITH_COUNTER = new Uint8Array([
  ...STEP_INFO,
  1
]);
function blockKey(epochKey, suite) {
  return expand(sha256, epochKey, ASCII.encode(LABELS.blockKey + suite), KEY_LENGTH);
}
function keyCheck(closingKey) {
  return expand(sha256, closingKey, KEY_CHECK_INFO, KEY_CHECK_LENGTH);
}
function computeSeal(closingKey, livcHead, root) {
  const sealKey = expand(sha256, closingKey, SEAL_KEY_INFO, KEY_LENGTH);
  const mac = hmac.create(sha256, sealKey).update(SEAL_DOMAIN).update(livcHead).update(root).digest();
  sealKey.fill(0);
  return mac;
}
function timingSafeEqual(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}
var MAX_CACHED_EPOCHS = 65536;
function createEpochChain(first, startKey, last) {
  const count = last - first + 1;
  const stride = Math.max(1, Math.ceil(count / MAX_CACHED_EPOCHS));
  const slots = Math.ceil(count / stride);
  const cache = new Uint8Array(slots * KEY_LENGTH);
  let k = startKey.slice();
  for (let e = first; e <= last; e++) {
    const rel = e - first;
    if (rel % stride === 0) cache.set(k, rel / stride * KEY_LENGTH);
    if (e < last) {
      const next = nextEpochKey(k);
      k.fill(0);
      k = next;
    }
  }
  k.fill(0);
  return {
    first,
    last,
    key(e) {
      if (!Number.isInteger(e) || e < first || e > last) {
        throw new H4Error("H4_CIPHER_WRONG_EPOCH", `epoch ${e} is outside the key's epochs ${first}..${last}`, {
          rule: "H4-LC-016"
        });
      }
      const rel = e - first;
      const slot = Math.floor(rel / stride);
      let key = cache.slice(slot * KEY_LENGTH, (slot + 1) * KEY_LENGTH);
      for (let s = slot * stride; s < rel; s++) {
        const next = nextEpochKey(key);
        key.fill(0);
        key = next;
      }
      return key;
    },
    wipe: () => cache.fill(0)
  };
}

// lib/living/livc.ts
init_errors();

// npm:@noble/ciphers/2.4.0/utils.js
function isBytes3(a) {
  return a instanceof Uint8Array || ArrayBuffer.isView(a) && a.constructor.name === "Uint8Array" && "BYTES_PER_ELEMENT" in a && a.BYTES_PER_ELEMENT === 1;
}
var atitle3 = (title) => title ? `"${title}" ` : "";
function abool2(value, title = "") {
  if (typeof value !== "boolean") throw new TypeError(atitle3(title) + "expected boolean, got type=" + typeof value);
  return value;
}
function anumber3(n, title = "") {
  if (typeof n !== "number") throw new TypeError(atitle3(title) + "expected number, got " + typeof n);
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(atitle3(title) + "expected integer >= 0, got " + n);
  return n;
}
function abytes3(value, length, title = "") {
  if (isBytes3(value) && (length === void 0 || value.length === length)) return value;
  if (length !== void 0) anumber3(length, "length");
  const bytes = isBytes3(value);
  const ofLen = length !== void 0 ? ` of length ${length}` : "";
  const got = bytes ? `length=${value.length}` : `type=${typeof value}`;
  const message = atitle3(title) + "expected Uint8Array" + ofLen + ", got " + got;
  if (!bytes) throw new TypeError(message);
  throw new RangeError(message);
}
var aobject3 = (value, label) => {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new TypeError(label === "object" ? "expected valid options object" : `"${label}" expected object, got type=${typeof value}`);
};
function aexists2(instance, checkFinished = true) {
  if (instance.destroyed) throw new Error("hash was destroyed");
  if (checkFinished && instance.finished) throw new Error("digest() was already called");
}
function aoutput2(out, instance) {
  abytes3(out, void 0, "output");
  const min = instance.outputLen;
  if (!(out.length >= min)) {
    throw new RangeError('"output" expected length >= ' + min);
  }
}
function u32(arr) {
  return new Uint32Array(arr.buffer, arr.byteOffset, Math.floor(arr.byteLength / 4));
}
function clean2(...arrays) {
  for (let i = 0; i < arrays.length; i++) {
    arrays[i].fill(0);
  }
}
function createView2(arr) {
  return new DataView(arr.buffer, arr.byteOffset, arr.byteLength);
}
var isLE = /* @__PURE__ */ (() => new Uint8Array(new Uint32Array([
  287454020
]).buffer)[0] === 68)();
function byteSwap(word) {
  return word << 24 & 4278190080 | word << 8 & 16711680 | word >>> 8 & 65280 | word >>> 24 & 255;
}
function byteSwap32(arr) {
  for (let i = 0; i < arr.length; i++) {
    arr[i] = byteSwap(arr[i]);
  }
  return arr;
}
var swap32IfBE = isLE ? (u) => u : byteSwap32;
function overlapBytes(a, b) {
  if (!a.byteLength || !b.byteLength) return false;
  return a.buffer === b.buffer && // best we can do, may fail with an obscure Proxy
  a.byteOffset < b.byteOffset + b.byteLength && // a starts before b end
  b.byteOffset < a.byteOffset + a.byteLength;
}
function complexOverlapBytes(input, output) {
  if (overlapBytes(input, output) && input.byteOffset < output.byteOffset) throw new Error("complex overlap of input and output is not supported");
}
function checkOpts2(defaults, opts) {
  aobject3(defaults, "defaults");
  aobject3(opts, "opts");
  const merged = Object.assign(defaults, opts);
  return merged;
}
function equalBytes3(a, b) {
  a = abytes3(a);
  b = abytes3(b);
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
function wrapMacConstructor(keyLen, macCons, fromMsg) {
  const mac = macCons;
  const getArgs = fromMsg || (() => []);
  const macC = (msg, key) => mac(key, ...getArgs(msg)).update(msg).digest();
  const tmp = mac(new Uint8Array(keyLen), ...getArgs(new Uint8Array(0)));
  macC.outputLen = tmp.outputLen;
  macC.blockLen = tmp.blockLen;
  macC.create = (key, ...args) => mac(key, ...args);
  return macC;
}
var wrapCipher = /* @__NO_SIDE_EFFECTS__ */ (params2, constructor) => {
  function wrappedCipher(key, ...args) {
    abytes3(key, void 0, "key");
    if (params2.nonceLength !== void 0) {
      const nonce = args[0];
      abytes3(nonce, params2.varSizeNonce ? void 0 : params2.nonceLength, "nonce");
    }
    const tagl = params2.tagLength;
    const aadStart = params2.nonceLength !== void 0 ? 1 : 0;
    if (!params2.withAAD) {
      for (let i = aadStart; i < args.length; i++) if (isBytes3(args[i])) throw new Error("AAD not supported");
    }
    if (params2.withAAD && args[aadStart] !== void 0) abytes3(args[aadStart], void 0, "AAD");
    const cipher = constructor(key, ...args);
    const checkOutput = (fnLength, output) => {
      if (output !== void 0) {
        if (fnLength !== 2) throw new Error("cipher output not supported");
        abytes3(output, void 0, "output");
      }
    };
    let called = false;
    const wrCipher = {
      encrypt(data, output) {
        if (called) throw new Error("cannot encrypt() twice with same key + nonce");
        called = true;
        abytes3(data, void 0, "data");
        checkOutput(cipher.encrypt.length, output);
        return cipher.encrypt(data, output);
      },
      decrypt(data, output) {
        abytes3(data, void 0, "data");
        if (tagl && data.length < tagl) throw new Error('"ciphertext" expected length >= tagLength=' + tagl);
        checkOutput(cipher.decrypt.length, output);
        return cipher.decrypt(data, output);
      }
    };
    return wrCipher;
  }
  Object.assign(wrappedCipher, params2);
  return wrappedCipher;
};
function getOutput(expectedLength, out, onlyAligned = true) {
  if (out === void 0) return new Uint8Array(expectedLength);
  abytes3(out, expectedLength, "output");
  if (onlyAligned && !isAligned32(out)) throw new Error("invalid output, must be aligned");
  return out;
}
function u64Lengths(dataLength, aadLength, isLE2) {
  anumber3(dataLength);
  anumber3(aadLength);
  abool2(isLE2);
  const num = new Uint8Array(16);
  const view = createView2(num);
  view.setBigUint64(0, BigInt(aadLength), isLE2);
  view.setBigUint64(8, BigInt(dataLength), isLE2);
  return num;
}
function isAligned32(bytes) {
  return bytes.byteOffset % 4 === 0;
}
function copyBytes2(bytes) {
  return Uint8Array.from(abytes3(bytes));
}

// npm:@noble/ciphers/2.4.0/_arx.js
var encodeStr = (str2) => Uint8Array.from(str2.split(""), (c) => c.charCodeAt(0));
var sigma16_32 = /* @__PURE__ */ (() => swap32IfBE(u32(encodeStr("expand 16-byte k"))))();
var sigma32_32 = /* @__PURE__ */ (() => swap32IfBE(u32(encodeStr("expand 32-byte k"))))();
function rotl(a, b) {
  return a << b | a >>> 32 - b;
}
var BLOCK_LEN = 64;
var BLOCK_LEN32 = 16;
var MAX_COUNTER = /* @__PURE__ */ (() => 2 ** 32 - 1)();
var U32_EMPTY = /* @__PURE__ */ Uint32Array.of();
function runCipher(core, sigma2, key, nonce, data, output, counter, rounds) {
  const len = data.length;
  const block2 = new Uint8Array(BLOCK_LEN);
  const b32 = u32(block2);
  const isAligned = isLE && isAligned32(data) && isAligned32(output);
  const d32 = isAligned ? u32(data) : U32_EMPTY;
  const o32 = isAligned ? u32(output) : U32_EMPTY;
  if (!isLE) {
    for (let pos = 0; pos < len; counter++) {
      core(sigma2, key, nonce, b32, counter, rounds);
      swap32IfBE(b32);
      if (counter >= MAX_COUNTER) throw new Error("arx: counter overflow");
      const take = Math.min(BLOCK_LEN, len - pos);
      for (let j = 0, posj; j < take; j++) {
        posj = pos + j;
        output[posj] = data[posj] ^ block2[j];
      }
      pos += take;
    }
    return;
  }
  for (let pos = 0; pos < len; counter++) {
    core(sigma2, key, nonce, b32, counter, rounds);
    if (counter >= MAX_COUNTER) throw new Error("arx: counter overflow");
    const take = Math.min(BLOCK_LEN, len - pos);
    if (isAligned && take === BLOCK_LEN) {
      const pos32 = pos / 4;
      if (pos % 4 !== 0) throw new Error("arx: invalid block position");
      for (let j = 0, posj; j < BLOCK_LEN32; j++) {
        posj = pos32 + j;
        o32[posj] = d32[posj] ^ b32[j];
      }
      pos += BLOCK_LEN;
      continue;
    }
    for (let j = 0, posj; j < take; j++) {
      posj = pos + j;
      output[posj] = data[posj] ^ block2[j];
    }
    pos += take;
  }
}
function createCipher(core, opts) {
  const { allowShortKeys, extendNonceFn, counterLength, counterRight, rounds } = checkOpts2({
    allowShortKeys: false,
    counterLength: 8,
    counterRight: false,
    rounds: 20
  }, opts);
  if (typeof core !== "function") throw new Error("core must be a function");
  anumber3(counterLength);
  anumber3(rounds);
  abool2(counterRight);
  abool2(allowShortKeys);
  return (key, nonce, data, output, counter = 0) => {
    abytes3(key, void 0, "key");
    abytes3(nonce, void 0, "nonce");
    abytes3(data, void 0, "data");
    const len = data.length;
    const hasOutput = output !== void 0;
    output = getOutput(len, output, false);
    if (hasOutput) complexOverlapBytes(data, output);
    anumber3(counter);
    if (counter < 0 || counter >= MAX_COUNTER) throw new Error("arx: counter overflow");
    const toClean = [];
    let l = key.length;
    let k;
    let sigma2;
    if (l === 32) {
      toClean.push(k = copyBytes2(key));
      sigma2 = sigma32_32;
    } else if (l === 16 && allowShortKeys) {
      k = new Uint8Array(32);
      k.set(key);
      k.set(key, 16);
      sigma2 = sigma16_32;
      toClean.push(k);
    } else {
      abytes3(key, 32, "arx key");
      throw new Error("invalid key size");
    }
    if (!isLE || !isAligned32(nonce)) toClean.push(nonce = copyBytes2(nonce));
    let k32 = u32(k);
    if (extendNonceFn) {
      if (nonce.length !== 24) throw new Error("arx: extended nonce must be 24 bytes");
      const n16 = nonce.subarray(0, 16);
      if (isLE) extendNonceFn(sigma2, k32, u32(n16), k32);
      else {
        const sigmaRaw = swap32IfBE(Uint32Array.from(sigma2));
        extendNonceFn(sigmaRaw, k32, u32(n16), k32);
        clean2(sigmaRaw);
        swap32IfBE(k32);
      }
      nonce = nonce.subarray(16);
    } else if (!isLE) swap32IfBE(k32);
    const nonceNcLen = 16 - counterLength;
    if (nonceNcLen !== nonce.length) throw new Error(`arx: nonce must be ${nonceNcLen} or 16 bytes`);
    if (nonceNcLen !== 12) {
      const nc = new Uint8Array(12);
      nc.set(nonce, counterRight ? 0 : 12 - nonce.length);
      nonce = nc;
      toClean.push(nonce);
    }
    const n32 = swap32IfBE(u32(nonce));
    try {
      runCipher(core, sigma2, k32, n32, data, output, counter, rounds);
      return output;
    } finally {
      clean2(...toClean);
    }
  };
}

// npm:@noble/ciphers/2.4.0/_poly1305.js
function u8to16(a, i) {
  return a[i++] & 255 | (a[i++] & 255) << 8;
}
var Poly1305 = class {
  blockLen = 16;
  outputLen = 16;
  buffer = new Uint8Array(16);
  r = new Uint16Array(10);
  h = new Uint16Array(10);
  pad = new Uint16Array(8);
  pos = 0;
  finished = false;
  destroyed = false;
  // Can be speed-up using BigUint64Array, at the cost of complexity
  constructor(key) {
    key = copyBytes2(abytes3(key, 32, "key"));
    const t0 = u8to16(key, 0);
    const t1 = u8to16(key, 2);
    const t2 = u8to16(key, 4);
    const t3 = u8to16(key, 6);
    const t4 = u8to16(key, 8);
    const t5 = u8to16(key, 10);
    const t6 = u8to16(key, 12);
    const t7 = u8to16(key, 14);
    this.r[0] = t0 & 8191;
    this.r[1] = (t0 >>> 13 | t1 << 3) & 8191;
    this.r[2] = (t1 >>> 10 | t2 << 6) & 7939;
    this.r[3] = (t2 >>> 7 | t3 << 9) & 8191;
    this.r[4] = (t3 >>> 4 | t4 << 12) & 255;
    this.r[5] = t4 >>> 1 & 8190;
    this.r[6] = (t4 >>> 14 | t5 << 2) & 8191;
    this.r[7] = (t5 >>> 11 | t6 << 5) & 8065;
    this.r[8] = (t6 >>> 8 | t7 << 8) & 8191;
    this.r[9] = t7 >>> 5 & 127;
    for (let i = 0; i < 8; i++) this.pad[i] = u8to16(key, 16 + 2 * i);
  }
  process(data, offset, isLast = false) {
    const hibit = isLast ? 0 : 1 << 11;
    const { h, r } = this;
    const r0 = r[0];
    const r1 = r[1];
    const r2 = r[2];
    const r3 = r[3];
    const r4 = r[4];
    const r5 = r[5];
    const r6 = r[6];
    const r7 = r[7];
    const r8 = r[8];
    const r9 = r[9];
    const t0 = u8to16(data, offset + 0);
    const t1 = u8to16(data, offset + 2);
    const t2 = u8to16(data, offset + 4);
    const t3 = u8to16(data, offset + 6);
    const t4 = u8to16(data, offset + 8);
    const t5 = u8to16(data, offset + 10);
    const t6 = u8to16(data, offset + 12);
    const t7 = u8to16(data, offset + 14);
    let h0 = h[0] + (t0 & 8191);
    let h1 = h[1] + ((t0 >>> 13 | t1 << 3) & 8191);
    let h2 = h[2] + ((t1 >>> 10 | t2 << 6) & 8191);
    let h3 = h[3] + ((t2 >>> 7 | t3 << 9) & 8191);
    let h4 = h[4] + ((t3 >>> 4 | t4 << 12) & 8191);
    let h5 = h[5] + (t4 >>> 1 & 8191);
    let h6 = h[6] + ((t4 >>> 14 | t5 << 2) & 8191);
    let h7 = h[7] + ((t5 >>> 11 | t6 << 5) & 8191);
    let h8 = h[8] + ((t6 >>> 8 | t7 << 8) & 8191);
    let h9 = h[9] + (t7 >>> 5 | hibit);
    let c = 0;
    let d0 = c + h0 * r0 + h1 * (5 * r9) + h2 * (5 * r8) + h3 * (5 * r7) + h4 * (5 * r6);
    c = d0 >>> 13;
    d0 &= 8191;
    d0 += h5 * (5 * r5) + h6 * (5 * r4) + h7 * (5 * r3) + h8 * (5 * r2) + h9 * (5 * r1);
    c += d0 >>> 13;
    d0 &= 8191;
    let d1 = c + h0 * r1 + h1 * r0 + h2 * (5 * r9) + h3 * (5 * r8) + h4 * (5 * r7);
    c = d1 >>> 13;
    d1 &= 8191;
    d1 += h5 * (5 * r6) + h6 * (5 * r5) + h7 * (5 * r4) + h8 * (5 * r3) + h9 * (5 * r2);
    c += d1 >>> 13;
    d1 &= 8191;
    let d2 = c + h0 * r2 + h1 * r1 + h2 * r0 + h3 * (5 * r9) + h4 * (5 * r8);
    c = d2 >>> 13;
    d2 &= 8191;
    d2 += h5 * (5 * r7) + h6 * (5 * r6) + h7 * (5 * r5) + h8 * (5 * r4) + h9 * (5 * r3);
    c += d2 >>> 13;
    d2 &= 8191;
    let d3 = c + h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * (5 * r9);
    c = d3 >>> 13;
    d3 &= 8191;
    d3 += h5 * (5 * r8) + h6 * (5 * r7) + h7 * (5 * r6) + h8 * (5 * r5) + h9 * (5 * r4);
    c += d3 >>> 13;
    d3 &= 8191;
    let d4 = c + h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;
    c = d4 >>> 13;
    d4 &= 8191;
    d4 += h5 * (5 * r9) + h6 * (5 * r8) + h7 * (5 * r7) + h8 * (5 * r6) + h9 * (5 * r5);
    c += d4 >>> 13;
    d4 &= 8191;
    let d5 = c + h0 * r5 + h1 * r4 + h2 * r3 + h3 * r2 + h4 * r1;
    c = d5 >>> 13;
    d5 &= 8191;
    d5 += h5 * r0 + h6 * (5 * r9) + h7 * (5 * r8) + h8 * (5 * r7) + h9 * (5 * r6);
    c += d5 >>> 13;
    d5 &= 8191;
    let d6 = c + h0 * r6 + h1 * r5 + h2 * r4 + h3 * r3 + h4 * r2;
    c = d6 >>> 13;
    d6 &= 8191;
    d6 += h5 * r1 + h6 * r0 + h7 * (5 * r9) + h8 * (5 * r8) + h9 * (5 * r7);
    c += d6 >>> 13;
    d6 &= 8191;
    let d7 = c + h0 * r7 + h1 * r6 + h2 * r5 + h3 * r4 + h4 * r3;
    c = d7 >>> 13;
    d7 &= 8191;
    d7 += h5 * r2 + h6 * r1 + h7 * r0 + h8 * (5 * r9) + h9 * (5 * r8);
    c += d7 >>> 13;
    d7 &= 8191;
    let d8 = c + h0 * r8 + h1 * r7 + h2 * r6 + h3 * r5 + h4 * r4;
    c = d8 >>> 13;
    d8 &= 8191;
    d8 += h5 * r3 + h6 * r2 + h7 * r1 + h8 * r0 + h9 * (5 * r9);
    c += d8 >>> 13;
    d8 &= 8191;
    let d9 = c + h0 * r9 + h1 * r8 + h2 * r7 + h3 * r6 + h4 * r5;
    c = d9 >>> 13;
    d9 &= 8191;
    d9 += h5 * r4 + h6 * r3 + h7 * r2 + h8 * r1 + h9 * r0;
    c += d9 >>> 13;
    d9 &= 8191;
    c = (c << 2) + c | 0;
    c = c + d0 | 0;
    d0 = c & 8191;
    c = c >>> 13;
    d1 += c;
    h[0] = d0;
    h[1] = d1;
    h[2] = d2;
    h[3] = d3;
    h[4] = d4;
    h[5] = d5;
    h[6] = d6;
    h[7] = d7;
    h[8] = d8;
    h[9] = d9;
  }
  finalize() {
    const { h, pad } = this;
    const g = new Uint16Array(10);
    let c = h[1] >>> 13;
    h[1] &= 8191;
    for (let i = 2; i < 10; i++) {
      h[i] += c;
      c = h[i] >>> 13;
      h[i] &= 8191;
    }
    h[0] += c * 5;
    c = h[0] >>> 13;
    h[0] &= 8191;
    h[1] += c;
    c = h[1] >>> 13;
    h[1] &= 8191;
    h[2] += c;
    g[0] = h[0] + 5;
    c = g[0] >>> 13;
    g[0] &= 8191;
    for (let i = 1; i < 10; i++) {
      g[i] = h[i] + c;
      c = g[i] >>> 13;
      g[i] &= 8191;
    }
    g[9] -= 1 << 13;
    let mask = (c ^ 1) - 1;
    for (let i = 0; i < 10; i++) g[i] &= mask;
    mask = ~mask;
    for (let i = 0; i < 10; i++) h[i] = h[i] & mask | g[i];
    h[0] = (h[0] | h[1] << 13) & 65535;
    h[1] = (h[1] >>> 3 | h[2] << 10) & 65535;
    h[2] = (h[2] >>> 6 | h[3] << 7) & 65535;
    h[3] = (h[3] >>> 9 | h[4] << 4) & 65535;
    h[4] = (h[4] >>> 12 | h[5] << 1 | h[6] << 14) & 65535;
    h[5] = (h[6] >>> 2 | h[7] << 11) & 65535;
    h[6] = (h[7] >>> 5 | h[8] << 8) & 65535;
    h[7] = (h[8] >>> 8 | h[9] << 5) & 65535;
    let f = h[0] + pad[0];
    h[0] = f & 65535;
    for (let i = 1; i < 8; i++) {
      f = (h[i] + pad[i] | 0) + (f >>> 16) | 0;
      h[i] = f & 65535;
    }
    clean2(g);
  }
  update(data) {
    aexists2(this);
    abytes3(data);
    data = copyBytes2(data);
    const { buffer, blockLen } = this;
    const len = data.length;
    for (let pos = 0; pos < len; ) {
      const take = Math.min(blockLen - this.pos, len - pos);
      if (take === blockLen) {
        for (; blockLen <= len - pos; pos += blockLen) this.process(data, pos);
        continue;
      }
      buffer.set(data.subarray(pos, pos + take), this.pos);
      this.pos += take;
      pos += take;
      if (this.pos === blockLen) {
        this.process(buffer, 0, false);
        this.pos = 0;
      }
    }
    return this;
  }
  destroy() {
    this.destroyed = true;
    clean2(this.h, this.r, this.buffer, this.pad);
  }
  digestInto(out) {
    aexists2(this);
    aoutput2(out, this);
    this.finished = true;
    const { buffer, h } = this;
    let { pos } = this;
    if (pos) {
      buffer[pos++] = 1;
      for (; pos < 16; pos++) buffer[pos] = 0;
      this.process(buffer, 0, true);
    }
    this.finalize();
    let opos = 0;
    for (let i = 0; i < 8; i++) {
      out[opos++] = h[i] >>> 0;
      out[opos++] = h[i] >>> 8;
    }
  }
  digest() {
    const { buffer, outputLen } = this;
    this.digestInto(buffer);
    const res = buffer.slice(0, outputLen);
    this.destroy();
    return res;
  }
};
var poly1305 = /* @__PURE__ */ wrapMacConstructor(32, (key) => new Poly1305(key));

// npm:@noble/ciphers/2.4.0/chacha.js
function chachaCore(s, k, n, out, cnt, rounds = 20) {
  let y00 = s[0], y01 = s[1], y02 = s[2], y03 = s[3], y04 = k[0], y05 = k[1], y06 = k[2], y07 = k[3], y08 = k[4], y09 = k[5], y10 = k[6], y11 = k[7], y12 = cnt, y13 = n[0], y14 = n[1], y15 = n[2];
  let x00 = y00, x01 = y01, x02 = y02, x03 = y03, x04 = y04, x05 = y05, x06 = y06, x07 = y07, x08 = y08, x09 = y09, x10 = y10, x11 = y11, x12 = y12, x13 = y13, x14 = y14, x15 = y15;
  for (let r = 0; r < rounds; r += 2) {
    x00 = x00 + x04 | 0;
    x12 = rotl(x12 ^ x00, 16);
    x08 = x08 + x12 | 0;
    x04 = rotl(x04 ^ x08, 12);
    x00 = x00 + x04 | 0;
    x12 = rotl(x12 ^ x00, 8);
    x08 = x08 + x12 | 0;
    x04 = rotl(x04 ^ x08, 7);
    x01 = x01 + x05 | 0;
    x13 = rotl(x13 ^ x01, 16);
    x09 = x09 + x13 | 0;
    x05 = rotl(x05 ^ x09, 12);
    x01 = x01 + x05 | 0;
    x13 = rotl(x13 ^ x01, 8);
    x09 = x09 + x13 | 0;
    x05 = rotl(x05 ^ x09, 7);
    x02 = x02 + x06 | 0;
    x14 = rotl(x14 ^ x02, 16);
    x10 = x10 + x14 | 0;
    x06 = rotl(x06 ^ x10, 12);
    x02 = x02 + x06 | 0;
    x14 = rotl(x14 ^ x02, 8);
    x10 = x10 + x14 | 0;
    x06 = rotl(x06 ^ x10, 7);
    x03 = x03 + x07 | 0;
    x15 = rotl(x15 ^ x03, 16);
    x11 = x11 + x15 | 0;
    x07 = rotl(x07 ^ x11, 12);
    x03 = x03 + x07 | 0;
    x15 = rotl(x15 ^ x03, 8);
    x11 = x11 + x15 | 0;
    x07 = rotl(x07 ^ x11, 7);
    x00 = x00 + x05 | 0;
    x15 = rotl(x15 ^ x00, 16);
    x10 = x10 + x15 | 0;
    x05 = rotl(x05 ^ x10, 12);
    x00 = x00 + x05 | 0;
    x15 = rotl(x15 ^ x00, 8);
    x10 = x10 + x15 | 0;
    x05 = rotl(x05 ^ x10, 7);
    x01 = x01 + x06 | 0;
    x12 = rotl(x12 ^ x01, 16);
    x11 = x11 + x12 | 0;
    x06 = rotl(x06 ^ x11, 12);
    x01 = x01 + x06 | 0;
    x12 = rotl(x12 ^ x01, 8);
    x11 = x11 + x12 | 0;
    x06 = rotl(x06 ^ x11, 7);
    x02 = x02 + x07 | 0;
    x13 = rotl(x13 ^ x02, 16);
    x08 = x08 + x13 | 0;
    x07 = rotl(x07 ^ x08, 12);
    x02 = x02 + x07 | 0;
    x13 = rotl(x13 ^ x02, 8);
    x08 = x08 + x13 | 0;
    x07 = rotl(x07 ^ x08, 7);
    x03 = x03 + x04 | 0;
    x14 = rotl(x14 ^ x03, 16);
    x09 = x09 + x14 | 0;
    x04 = rotl(x04 ^ x09, 12);
    x03 = x03 + x04 | 0;
    x14 = rotl(x14 ^ x03, 8);
    x09 = x09 + x14 | 0;
    x04 = rotl(x04 ^ x09, 7);
  }
  let oi = 0;
  out[oi++] = y00 + x00 | 0;
  out[oi++] = y01 + x01 | 0;
  out[oi++] = y02 + x02 | 0;
  out[oi++] = y03 + x03 | 0;
  out[oi++] = y04 + x04 | 0;
  out[oi++] = y05 + x05 | 0;
  out[oi++] = y06 + x06 | 0;
  out[oi++] = y07 + x07 | 0;
  out[oi++] = y08 + x08 | 0;
  out[oi++] = y09 + x09 | 0;
  out[oi++] = y10 + x10 | 0;
  out[oi++] = y11 + x11 | 0;
  out[oi++] = y12 + x12 | 0;
  out[oi++] = y13 + x13 | 0;
  out[oi++] = y14 + x14 | 0;
  out[oi++] = y15 + x15 | 0;
}
var chacha20 = /* @__PURE__ */ createCipher(chachaCore, {
  counterRight: false,
  counterLength: 4,
  allowShortKeys: false
});
var ZEROS16 = /* @__PURE__ */ new Uint8Array(16);
var updatePadded = (h, msg) => {
  h.update(msg);
  const leftover = msg.length % 16;
  if (leftover) h.update(ZEROS16.subarray(leftover));
};
var ZEROS32 = /* @__PURE__ */ new Uint8Array(32);
function computeTag(fn, key, nonce, ciphertext, AAD) {
  if (AAD !== void 0) abytes3(AAD, void 0, "AAD");
  const authKey = fn(key, nonce, ZEROS32);
  const lengths = u64Lengths(ciphertext.length, AAD ? AAD.length : 0, true);
  const h = poly1305.create(authKey);
  if (AAD) updatePadded(h, AAD);
  updatePadded(h, ciphertext);
  h.update(lengths);
  const res = h.digest();
  clean2(authKey, lengths);
  return res;
}
var _poly1305_aead = (xorStream) => (key, nonce, AAD) => {
  const tagLength = 16;
  return {
    encrypt(plaintext, output) {
      const plength = plaintext.length;
      output = getOutput(plength + tagLength, output, false);
      output.set(plaintext);
      const oPlain = output.subarray(0, -tagLength);
      xorStream(key, nonce, oPlain, oPlain, 1);
      const tag = computeTag(xorStream, key, nonce, oPlain, AAD);
      output.set(tag, plength);
      clean2(tag);
      return output;
    },
    decrypt(ciphertext, output) {
      output = getOutput(ciphertext.length - tagLength, output, false);
      const data = ciphertext.subarray(0, -tagLength);
      const passedTag = ciphertext.subarray(-tagLength);
      const tag = computeTag(xorStream, key, nonce, data, AAD);
      if (!equalBytes3(passedTag, tag)) {
        clean2(tag);
        throw new Error("invalid tag");
      }
      output.set(ciphertext.subarray(0, -tagLength));
      xorStream(key, nonce, output, output, 1);
      clean2(tag);
      return output;
    }
  };
};
var chacha20poly1305 = /* @__PURE__ */ wrapCipher({
  blockSize: 64,
  nonceLength: 12,
  tagLength: 16,
  withAAD: true
}, /* @__PURE__ */ _poly1305_aead(chacha20));

// lib/living/suites.ts
init_errors();
var SUITE_NAMES = [
  "chacha20-poly1305"
];
var nodeCrypto;
try {
  const mod2 = await Promise.resolve().then(() => __toESM(require_node_stub()));
  if (typeof mod2.createCipheriv === "function" && mod2.getCiphers().includes("chacha20-poly1305")) {
    nodeCrypto = mod2;
  }
} catch {
}
function plain(b) {
  if (b.byteOffset === 0 && b.buffer.byteLength === b.length) return new Uint8Array(b.buffer);
  return new Uint8Array(b);
}
function joinTag(ct, tag) {
  const n = ct.length;
  let out;
  const buf = ct.buffer;
  if (ct.byteOffset === 0 && buf.byteLength === n && buf instanceof ArrayBuffer && typeof buf.transfer === "function") {
    try {
      out = new Uint8Array(buf.transfer(n + TAG_LENGTH));
    } catch {
    }
  }
  if (out === void 0) {
    out = new Uint8Array(n + TAG_LENGTH);
    out.set(ct);
  }
  out.set(tag, n);
  return out;
}
function nativeChacha(crypto2) {
  const alg = "chacha20-poly1305";
  const opts = {
    authTagLength: TAG_LENGTH
  };
  return {
    name: alg,
    backend: "native",
    seal(key, nonce, ad, plaintext) {
      const c = crypto2.createCipheriv(alg, key, nonce, opts);
      c.setAAD(ad);
      const ct = c.update(plaintext);
      c.final();
      return joinTag(ct, c.getAuthTag());
    },
    open(key, nonce, ad, stored) {
      if (stored.length < TAG_LENGTH) return null;
      const n = stored.length - TAG_LENGTH;
      const d = crypto2.createDecipheriv(alg, key, nonce, opts);
      d.setAAD(ad);
      d.setAuthTag(stored.subarray(n));
      const pt = d.update(stored.subarray(0, n));
      try {
        d.final();
      } catch {
        pt.fill(0);
        return null;
      }
      return plain(pt);
    }
  };
}
function portableChacha() {
  return {
    name: "chacha20-poly1305",
    backend: "portable",
    seal: (key, nonce, ad, plaintext) => chacha20poly1305(key, nonce, ad).encrypt(plaintext),
    open(key, nonce, ad, stored) {
      if (stored.length < TAG_LENGTH) return null;
      try {
        return chacha20poly1305(key, nonce, ad).decrypt(stored);
      } catch {
        return null;
      }
    }
  };
}
var PORTABLE_CHACHA = portableChacha();
var NATIVE_CHACHA = nodeCrypto ? nativeChacha(nodeCrypto) : void 0;
function getSuite(name, backend2 = "auto") {
  if (name !== "chacha20-poly1305") {
    throw new H4Error("H4_CIPHER_UNKNOWN_SUITE", `unknown LivingCipher suite ${describeSuiteName(name)}; known: ${SUITE_NAMES.join(", ")}`, {
      rule: "H4-LC-003",
      chunk: "LIVC"
    });
  }
  if (backend2 === "portable") return PORTABLE_CHACHA;
  if (backend2 === "native") {
    if (!NATIVE_CHACHA) {
      throw new H4Error("H4_BAD_ARGUMENT", `no native ${name} in this runtime; use backend "portable" or "auto"`);
    }
    return NATIVE_CHACHA;
  }
  if (backend2 !== "auto") {
    throw new H4Error("H4_BAD_ARGUMENT", `backend must be auto, native or portable, got ${JSON.stringify(backend2)}`);
  }
  return NATIVE_CHACHA ?? PORTABLE_CHACHA;
}
function describeSuiteName(name) {
  return /^[\x20-\x7e]{0,64}$/.test(name) ? JSON.stringify(name) : `of ${name.length} non-printable characters`;
}

// lib/living/livc.ts
function livcLength(suiteLength) {
  return 2 + 1 + suiteLength + CONTAINER_ID_LENGTH + 4 + 8 + 8 + KEY_CHECK_LENGTH + DIGEST_LENGTH + DIGEST_LENGTH;
}
function epochCount(blockCount, epochBlocks) {
  return Math.ceil(blockCount / epochBlocks);
}
function badHeader(message, offset) {
  throw new H4Error("H4_CIPHER_BAD_HEADER", `LIVC: ${message}`, {
    chunk: "LIVC",
    rule: "H4-LC-010",
    offset
  });
}
function decodeLivc(bytes) {
  if (!(bytes instanceof Uint8Array)) badHeader(`expected bytes, got ${typeof bytes}`);
  if (bytes.length < 3) {
    badHeader(`payload of ${bytes.length} bytes is shorter than its first fields`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(0);
  if (version !== LIVC_VERSION) badHeader(`livc_version ${version} is not ${LIVC_VERSION}`, 0);
  const s = bytes[2];
  if (s < 1 || s > MAX_SUITE_NAME_LENGTH) {
    badHeader(`suite_length ${s} is not 1..${MAX_SUITE_NAME_LENGTH}`, 2);
  }
  if (bytes.length !== livcLength(s)) {
    badHeader(`payload of ${bytes.length} bytes; a suite name of ${s} bytes makes it ${livcLength(s)}`);
  }
  const suite = String.fromCharCode(...bytes.subarray(3, 3 + s));
  let o = 3 + s;
  const containerId = bytes.slice(o, o + CONTAINER_ID_LENGTH);
  o += CONTAINER_ID_LENGTH;
  const epochBlocks = view.getUint32(o);
  if (epochBlocks < 1) badHeader("epoch_blocks is 0", o);
  const readU64 = (at, what) => {
    const hi = view.getUint32(at);
    if (hi !== 0) badHeader(`${what} exceeds ${MAX_BLOCKS}`, at);
    return view.getUint32(at + 4);
  };
  const blockCount = readU64(o + 4, "block_count");
  const n = readU64(o + 12, "epoch_count");
  if (n !== epochCount(blockCount, epochBlocks)) {
    badHeader(`epoch_count ${n} is not ceil(${blockCount} / ${epochBlocks}) = ${epochCount(blockCount, epochBlocks)}`, o + 12);
  }
  o += 20;
  const keyCheck2 = bytes.slice(o, o + KEY_CHECK_LENGTH);
  o += KEY_CHECK_LENGTH;
  const transcript = bytes.slice(o, o + DIGEST_LENGTH);
  o += DIGEST_LENGTH;
  return {
    version,
    suite,
    containerId,
    epochBlocks,
    blockCount,
    epochCount: n,
    keyCheck: keyCheck2,
    transcript,
    seal: bytes.slice(o, o + DIGEST_LENGTH),
    sealedPart: bytes.subarray(0, o)
  };
}

// lib/living/transcript.ts
init_errors();
init_sha256();
function createTranscript(portable = false) {
  const h = portable ? createSha256Portable() : createSha256();
  h.update(new TextEncoder().encode(LABELS.transcript));
  const scratch = new Uint8Array(2 + MAX_AD_LENGTH + TAG_LENGTH);
  let count = 0;
  return {
    get count() {
      return count;
    },
    add(ad, tag) {
      if (ad.length > MAX_AD_LENGTH || tag.length !== TAG_LENGTH) {
        throw new H4Error("H4_BAD_ARGUMENT", `transcript record: AD of ${ad.length} bytes, tag of ${tag.length}`);
      }
      scratch[0] = ad.length >> 8;
      scratch[1] = ad.length & 255;
      scratch.set(ad, 2);
      scratch.set(tag, 2 + ad.length);
      h.update(scratch.subarray(0, 2 + ad.length + TAG_LENGTH));
      count++;
    },
    addRecord(record) {
      h.update(record);
      count++;
    },
    digest: () => h.digest()
  };
}

// lib/living/opener.ts
init_errors();

// lib/living/transcript_verify.ts
init_block_context();
init_errors();
function describeSealed(livc, sealed, e) {
  return `blocks 0..${sealed - 1} (${sealed} of ${livc.blockCount}, epochs 0..${e - 1}) stay sealed to this epoch-${e} key: in the transcript, not decrypted`;
}
async function verifyTranscriptOf(t) {
  const { source: container, livc, first, ad, open } = t;
  const n = livc.blockCount;
  const checks = [
    {
      rule: "H4-LC-010",
      ok: true,
      message: `LIVC: suite ${livc.suite}, container ${livc.containerId.toHex()}, ${n} blocks in ${livc.epochCount} epochs of ${livc.epochBlocks}`
    },
    {
      rule: "H4-LC-014",
      ok: true,
      message: `key check: the key opens epochs ${first} and later`
    },
    {
      rule: "H4-LC-015",
      ok: true,
      message: "seal over LIVC and the root digest holds"
    }
  ];
  const failures = [];
  const fail2 = (c) => {
    if (failures.length < 10) failures.push(c);
  };
  const transcript = createTranscript(t.backend === "portable");
  const record = new Uint8Array(2 + MAX_AD_LENGTH + TAG_LENGTH);
  let complete = true;
  let opened = 0;
  let failed = 0;
  for (let i = 0; i < n; i++) {
    let ctx;
    let stored;
    try {
      const entry = await container.entry(i);
      ctx = contextOf(entry);
      stored = await container.readStored(i);
    } catch (e) {
      if (!isH4Error(e)) throw e;
      complete = false;
      failed++;
      fail2({
        rule: e.rule ?? "H4-LC-017",
        ok: false,
        code: e.code,
        message: `block ${i}: ${e.message}`
      });
      continue;
    }
    const adLength = ad.write(ctx, record, 2);
    if (stored.length < TAG_LENGTH) {
      complete = false;
    } else {
      record[0] = adLength >> 8;
      record[1] = adLength & 255;
      record.set(stored.subarray(stored.length - TAG_LENGTH), 2 + adLength);
      transcript.addRecord(record.subarray(0, 2 + adLength + TAG_LENGTH));
    }
    if (Math.floor(i / livc.epochBlocks) < first) continue;
    try {
      open(ctx, stored).fill(0);
      opened++;
    } catch (e) {
      if (!isH4Error(e)) throw e;
      failed++;
      fail2({
        rule: e.rule ?? "H4-LC-007",
        ok: false,
        code: e.code,
        message: e.message
      });
    }
  }
  const sameTranscript = complete && timingSafeEqual(transcript.digest(), livc.transcript);
  const skipped = n - opened - failed;
  checks.push(failed === 0 ? {
    rule: "H4-LC-007",
    ok: true,
    message: `${opened} blocks authenticate` + (skipped ? `; ${describeSealed(livc, skipped, first)}` : "")
  } : {
    rule: "H4-LC-007",
    ok: false,
    code: failures[0]?.code ?? "H4_CIPHER_AUTH_FAILED",
    message: `${failed} of ${opened + failed} blocks fail to authenticate`
  }, ...failures);
  checks.push(sameTranscript ? {
    rule: "H4-LC-017",
    ok: true,
    message: `transcript of ${n} blocks matches the sealed transcript`
  } : {
    rule: "H4-LC-017",
    ok: false,
    code: "H4_CIPHER_TRANSCRIPT_MISMATCH",
    message: complete ? "transcript recomputed from the index and the stored tags differs from the sealed one: blocks were reordered, replaced or relabelled" : "transcript cannot be recomputed: some blocks are unreadable or shorter than a tag"
  });
  return checks;
}

// lib/living/opener.ts
init_block_context();
function openState(livcBytes, root, blockCount, key, backend2) {
  if (livcBytes === null || livcBytes === void 0) {
    throw new H4Error("H4_BAD_ARGUMENT", "container is not encrypted (no LIVC chunk)");
  }
  const k = toLivingKey(key);
  const livc = decodeLivc(livcBytes);
  if (!SUITE_NAMES.includes(livc.suite)) {
    throw new H4Error("H4_CIPHER_UNKNOWN_SUITE", `LIVC names suite ${describeSuiteName(livc.suite)}, which this reader does not know`, {
      chunk: "LIVC",
      rule: "H4-LC-003"
    });
  }
  const suite = getSuite(livc.suite, backend2);
  if (livc.epochCount > MAX_EPOCHS) {
    throw new H4Error("H4_LIMIT_EXCEEDED", `LIVC: ${livc.epochCount} epochs exceed ${MAX_EPOCHS}`, {
      chunk: "LIVC",
      rule: "H4-LC-010"
    });
  }
  if (root === null) {
    throw new H4Error("H4_CIPHER_BAD_HEADER", "container has LIVC but no root digest to check its seal", {
      chunk: "LIVC",
      rule: "H4-LC-015"
    });
  }
  if (root !== void 0 && root.length !== DIGEST_LENGTH) {
    throw new H4Error("H4_BAD_ARGUMENT", `root digest must be ${DIGEST_LENGTH} bytes, got ${root.length}`);
  }
  if (livc.blockCount !== blockCount) {
    throw new H4Error("H4_CIPHER_SEAL_MISMATCH", `LIVC seals ${livc.blockCount} blocks but the index has ${blockCount}: blocks were added or removed`, {
      chunk: "LIVC",
      rule: "H4-LC-011"
    });
  }
  let first = 0;
  let start2;
  if (k.kind === "epoch") {
    if (!timingSafeEqual(k.containerId, livc.containerId)) {
      throw new H4Error("H4_CIPHER_BAD_KEY", `epoch key is for container ${k.containerId.toHex()}, this is ${livc.containerId.toHex()}`, {
        rule: "H4-LC-016"
      });
    }
    if (k.epoch > livc.epochCount) {
      throw new H4Error("H4_CIPHER_WRONG_EPOCH", `epoch key starts at epoch ${k.epoch}; this container ends at epoch ${livc.epochCount}`, {
        rule: "H4-LC-016"
      });
    }
    first = k.epoch;
    start2 = k.key;
  } else {
    start2 = epochZeroKey(k.key, livc.containerId);
  }
  const chain = createEpochChain(first, start2, livc.epochCount);
  if (k.kind === "root") start2.fill(0);
  const closing = chain.key(livc.epochCount);
  try {
    if (!timingSafeEqual(keyCheck(closing), livc.keyCheck)) {
      chain.wipe();
      throw new H4Error("H4_CIPHER_BAD_KEY", k.kind === "root" ? "key does not open this container (its key check differs): wrong key, or LIVC's container id or epoch fields were changed" : `epoch key does not open this container from epoch ${first} (its key check differs)`, {
        chunk: "LIVC",
        rule: "H4-LC-014"
      });
    }
    if (root !== void 0 && !timingSafeEqual(computeSeal(closing, livc.sealedPart, root), livc.seal)) {
      chain.wipe();
      throw new H4Error("H4_CIPHER_SEAL_MISMATCH", "seal does not match LIVC and the root digest: the index, stored blocks, META, SAFE or LIVC were changed", {
        chunk: "LIVC",
        rule: "H4-LC-015"
      });
    }
  } finally {
    closing.fill(0);
  }
  return {
    livc,
    suite,
    first,
    chain
  };
}
var BLOCK_KEY_CACHE = 64;
function openCipher(container, key, opts = {}) {
  try {
    return Promise.resolve(createOpener(container, openState(container.livc, container.root ?? null, container.blockCount, key, opts.backend ?? "auto")));
  } catch (e) {
    return Promise.reject(e);
  }
}
function createOpener(container, state2) {
  const { livc, suite, first, chain } = state2;
  const ad = createAdEncoder(livc.suite, livc.containerId);
  const adScratch = new Uint8Array(MAX_AD_LENGTH);
  const nonce = new Uint8Array(12);
  const keys = /* @__PURE__ */ new Map();
  const firstOpenBlock = Math.min(first * livc.epochBlocks, livc.blockCount);
  function keyOf(e) {
    let k = keys.get(e);
    if (k === void 0) {
      const ek = chain.key(e);
      k = blockKey(ek, livc.suite);
      ek.fill(0);
      if (keys.size >= BLOCK_KEY_CACHE) {
        const oldest = keys.keys().next().value;
        keys.get(oldest).fill(0);
        keys.delete(oldest);
      }
      keys.set(e, k);
    }
    return k;
  }
  function where(ctx) {
    return `block ${ctx.index} (track ${JSON.stringify(ctx.track_id)}, pts ${ctx.pts_us})`;
  }
  function open(ctx, stored) {
    const adLength = ad.write(ctx, adScratch, 0);
    if (!(stored instanceof Uint8Array)) {
      throw new H4Error("H4_BAD_ARGUMENT", `stored bytes must be a Uint8Array`);
    }
    if (ctx.index >= livc.blockCount) {
      throw new H4Error("H4_BLOCK_OUT_OF_RANGE", `block ${ctx.index} is past the ${livc.blockCount} sealed blocks`);
    }
    const e = Math.floor(ctx.index / livc.epochBlocks);
    if (e < first) {
      throw new H4Error("H4_CIPHER_WRONG_EPOCH", `${where(ctx)} is in epoch ${e}; this key opens epochs ${first} to ${livc.epochCount - 1} only`, {
        rule: "H4-LC-016"
      });
    }
    if (stored.length < TAG_LENGTH) {
      throw new H4Error("H4_CIPHER_AUTH_FAILED", `${where(ctx)}: ${stored.length} stored bytes cannot hold the ${TAG_LENGTH}-byte tag`, {
        rule: "H4-LC-004"
      });
    }
    const plain2 = suite.open(keyOf(e), blockNonce(ctx.index, nonce), adScratch.subarray(0, adLength), stored);
    if (plain2 === null) {
      throw new H4Error("H4_CIPHER_AUTH_FAILED", `${where(ctx)}: authentication failed: the block, its index entry or the key is wrong`, {
        rule: "H4-LC-007"
      });
    }
    return plain2;
  }
  const verifyTranscript = () => verifyTranscriptOf({
    source: container,
    livc,
    first,
    ad,
    backend: suite.backend,
    open
  });
  return {
    info: {
      suite: livc.suite,
      containerId: livc.containerId.toHex(),
      epochBlocks: livc.epochBlocks,
      epochs: livc.epochCount,
      blockCount: livc.blockCount,
      firstEpoch: first,
      sealedBlocks: firstOpenBlock,
      backend: suite.backend
    },
    firstOpenBlock,
    open,
    verifyTranscript
  };
}

// lib/living/convert.ts
init_constants();
init_errors();

// lib/living/recipients_open.ts
init_chunk();
init_constants();
init_errors();

// lib/living/recipients.ts
init_errors();

// lib/living/identity.ts
init_errors();

// lib/living/recipients.ts
var MAX_STANZAS = 256;
var WRAPPED_LENGTH = KEY_LENGTH + 16;
var enc = new TextEncoder();

// lib/living/recipients_open.ts
var MAX_RCPT_LENGTH = 4 + MAX_STANZAS * (6 + 8 + 32 + WRAPPED_LENGTH);

// lib/web/player.ts
init_constants();

// lib/media/fmp4_mux.ts
init_bytes();
init_errors();
var U32_MAX = 4294967295;
var IDENTITY = [
  65536,
  0,
  0,
  0,
  65536,
  0,
  0,
  0,
  1073741824
];
var TRUN_FLAGS = 1 | 256 | 512 | 1024 | 2048;
var SYNC_FLAGS = 33554432;
var NON_SYNC_FLAGS = 16842752;
var Out = class {
  #buf = new Uint8Array(64);
  #view = new DataView(this.#buf.buffer);
  #n = 0;
  #room(k) {
    if (this.#n + k <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#n + k));
    next.set(this.#buf.subarray(0, this.#n));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }
  u8(v) {
    this.#room(1);
    this.#buf[this.#n++] = v & 255;
    return this;
  }
  u16(v) {
    this.#room(2);
    this.#view.setUint16(this.#n, v & 65535);
    this.#n += 2;
    return this;
  }
  u32(v) {
    this.#room(4);
    this.#view.setUint32(this.#n, v >>> 0);
    this.#n += 4;
    return this;
  }
  s32(v) {
    this.#room(4);
    this.#view.setInt32(this.#n, v | 0);
    this.#n += 4;
    return this;
  }
  u64(v) {
    const b = BigInt.asUintN(64, BigInt(v));
    return this.u32(Number(b >> 32n)).u32(Number(b & 0xffffffffn));
  }
  bytes(b) {
    this.#room(b.length);
    this.#buf.set(b, this.#n);
    this.#n += b.length;
    return this;
  }
  ascii(s) {
    for (let i = 0; i < s.length; i++) this.u8(s.charCodeAt(i));
    return this;
  }
  full(version, flags) {
    return this.u32(((version & 255) << 24 | flags & 16777215) >>> 0);
  }
  finish() {
    return this.#buf.slice(0, this.#n);
  }
};
function box(type, ...parts) {
  let n = 8;
  for (const p of parts) n += p.length;
  if (n > U32_MAX) throw new H4Error("H4_LIMIT_EXCEEDED", `${type} box of ${n} bytes is too large`);
  return concat([
    new Out().u32(n).ascii(type).finish(),
    ...parts
  ]);
}
function checkInt(v, what, min, max) {
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    throw new H4Error("H4_BAD_ARGUMENT", `${what} must be an integer in [${min}, ${max}], got ${v}`);
  }
}
function buildInitSegment(tracks) {
  if (tracks.length === 0) throw new H4Error("H4_BAD_ARGUMENT", "an MP4 needs at least one track");
  const ids = /* @__PURE__ */ new Set();
  for (const t of tracks) {
    checkInt(t.track_id, "track_id", 1, U32_MAX - 1);
    checkInt(t.timescale, `timescale of track ${t.track_id}`, 1, U32_MAX);
    if (ids.has(t.track_id)) {
      throw new H4Error("H4_BAD_ARGUMENT", `two tracks have track_id ${t.track_id}`);
    }
    ids.add(t.track_id);
    if (t.entries.length === 0) {
      throw new H4Error("H4_BAD_ARGUMENT", `track ${t.track_id} has no sample entry`);
    }
  }
  const ftyp = box("ftyp", new Out().ascii("iso6").u32(0).ascii("iso6iso5mp41").finish());
  const mvhd = new Out().full(0, 0).u32(0).u32(0).u32(1e3).u32(0).u32(65536).u16(256).u16(0).u32(0).u32(0);
  for (const m of IDENTITY) mvhd.u32(m);
  for (let i = 0; i < 6; i++) mvhd.u32(0);
  mvhd.u32(Math.max(...ids) + 1);
  const traks = tracks.map(trak);
  const trexes = tracks.map((t) => box("trex", new Out().full(0, 0).u32(t.track_id).u32(1).u32(0).u32(0).u32(0).finish()));
  return concat([
    ftyp,
    box("moov", box("mvhd", mvhd.finish()), ...traks, box("mvex", ...trexes))
  ]);
}
function trak(t) {
  const tkhd = new Out().full(0, 3).u32(0).u32(0).u32(t.track_id).u32(0).u32(0).u32(0).u32(0).u16(0).u16(0).u16(t.handler === "soun" ? 256 : 0).u16(0);
  for (const m of IDENTITY) tkhd.u32(m);
  tkhd.u32(Math.round((t.width ?? 0) * 65536)).u32(Math.round((t.height ?? 0) * 65536));
  const lang = /^[a-z]{3}$/.test(t.language ?? "") ? t.language : "und";
  const code = lang.charCodeAt(0) - 96 << 10 | lang.charCodeAt(1) - 96 << 5 | lang.charCodeAt(2) - 96;
  const mdhd = new Out().full(0, 0).u32(0).u32(0).u32(t.timescale).u32(0).u16(code).u16(0);
  const hdlr = new Out().full(0, 0).u32(0).ascii(t.handler.padEnd(4, " ").slice(0, 4)).u32(0).u32(0).u32(0).bytes(new TextEncoder().encode(t.handler_name ?? "")).u8(0);
  const header = t.handler === "vide" ? box("vmhd", new Out().full(0, 1).u32(0).u32(0).finish()) : t.handler === "soun" ? box("smhd", new Out().full(0, 0).u32(0).finish()) : box("nmhd", new Out().full(0, 0).finish());
  const dref = box("dref", new Out().full(0, 0).u32(1).finish(), box("url ", new Out().full(0, 1).finish()));
  const empty = (type, extra = 0) => {
    const o = new Out().full(0, 0);
    for (let i = 0; i <= extra; i++) o.u32(0);
    return box(type, o.finish());
  };
  const stbl = box("stbl", box("stsd", new Out().full(0, 0).u32(t.entries.length).finish(), ...t.entries), empty("stts"), empty("stsc"), empty("stsz", 1), empty("stco"));
  const minf = box("minf", header, box("dinf", dref), stbl);
  const parts = [
    box("tkhd", tkhd.finish())
  ];
  if (t.edits?.length) parts.push(box("edts", elst(t.edits)));
  parts.push(box("mdia", box("mdhd", mdhd.finish()), box("hdlr", hdlr.finish()), minf));
  return box("trak", ...parts);
}
function elst(edits) {
  const o = new Out().full(1, 0).u32(edits.length);
  for (const e of edits) {
    o.u64(e.segment_duration).u64(e.media_time).u16(e.media_rate_integer).u16(e.media_rate_fraction);
  }
  return box("elst", o.finish());
}
function buildFragment(sequence, runs2) {
  checkInt(sequence, "sequence", 1, U32_MAX);
  let payload = 0;
  for (const r of runs2) {
    checkInt(r.track_id, "track_id", 1, U32_MAX - 1);
    checkInt(r.base_decode_time, `base_decode_time of track ${r.track_id}`, 0, 2 ** 53 - 1);
    checkInt(r.entry ?? 1, `entry of track ${r.track_id}`, 1, U32_MAX);
    for (const s of r.samples) {
      checkInt(s.size, "sample size", 0, U32_MAX);
      checkInt(s.duration, "sample duration", 0, U32_MAX);
      checkInt(s.cts_offset, "composition offset", -2147483648, 2147483647);
      payload += s.size;
    }
  }
  if (payload > 2147418112) {
    throw new H4Error("H4_LIMIT_EXCEEDED", `a fragment of ${payload} bytes is too large`);
  }
  const trafs = [];
  const offsetAt = [];
  for (const r of runs2) {
    const tfhdFlags = 131072 | (r.entry && r.entry !== 1 ? 2 : 0);
    const tfhd = new Out().full(0, tfhdFlags).u32(r.track_id);
    if (tfhdFlags & 2) tfhd.u32(r.entry);
    const tfdt = new Out().full(1, 0).u64(r.base_decode_time);
    const trun = new Out().full(1, TRUN_FLAGS).u32(r.samples.length).s32(0);
    for (const s of r.samples) {
      trun.u32(s.duration).u32(s.size).u32(s.sync ? SYNC_FLAGS : NON_SYNC_FLAGS).s32(s.cts_offset);
    }
    const head = concat([
      box("tfhd", tfhd.finish()),
      box("tfdt", tfdt.finish())
    ]);
    offsetAt.push(8 + head.length + 16);
    trafs.push(box("traf", head, box("trun", trun.finish())));
  }
  const mfhd = box("mfhd", new Out().full(0, 0).u32(sequence).finish());
  const moof = box("moof", mfhd, ...trafs);
  const view = new DataView(moof.buffer, moof.byteOffset, moof.length);
  let pos = 8 + mfhd.length;
  let data = moof.length + 8;
  runs2.forEach((r, i) => {
    view.setInt32(pos + offsetAt[i], data);
    pos += trafs[i].length;
    for (const s of r.samples) data += s.size;
  });
  return concat([
    moof,
    new Out().u32(payload + 8).ascii("mdat").finish()
  ]);
}

// lib/media/media_meta.ts
init_errors();
var MEDIA_META_KEY = "media";
var MEDIA_META_VERSION = 1;
function bad3(path, what, got) {
  const shown = typeof got === "string" ? JSON.stringify(got.slice(0, 40)) : Array.isArray(got) ? "an array" : String(got);
  throw new H4Error("H4_BAD_ARGUMENT", `META.${path} must be ${what}, got ${shown.slice(0, 60)}`);
}
function obj(v, path) {
  if (v === null || typeof v !== "object" || Array.isArray(v)) bad3(path, "an object", v);
  return v;
}
function int(v, path, min = 0, max = Number.MAX_SAFE_INTEGER) {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min || v > max) {
    bad3(path, `an integer in ${min}..${max}`, v);
  }
  return v;
}
function str(v, path, max = 1024) {
  if (typeof v !== "string" || v.length > max) {
    bad3(path, `a string of at most ${max} characters`, v);
  }
  return v;
}
function fourcc(v, path) {
  if (typeof v !== "string" || !/^[\x20-\x7e]{4}$/.test(v)) {
    bad3(path, "four printable ASCII characters", v);
  }
  return v;
}
var BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
function b64(v, path) {
  if (typeof v !== "string" || !BASE64.test(v)) bad3(path, "standard padded base64", v);
  return v;
}
function runs(v, path, min, max) {
  if (!Array.isArray(v)) bad3(path, "a list of [count, value] runs", v);
  return v.map((r, i) => {
    if (!Array.isArray(r) || r.length !== 2) bad3(`${path}[${i}]`, "a [count, value] pair", r);
    return [
      int(r[0], `${path}[${i}][0]`, 1),
      int(r[1], `${path}[${i}][1]`, min, max)
    ];
  });
}
var U32 = 4294967295;
var S32_MIN = -2147483648;
function parseMediaMeta(value) {
  if (value === void 0) {
    throw new H4Error("H4_BAD_ARGUMENT", "container has no META.media: it was not made by importMedia, nothing to export");
  }
  const m = obj(value, "media");
  if (m.version !== MEDIA_META_VERSION) bad3("media.version", String(MEDIA_META_VERSION), m.version);
  if (m.format !== "mp4") bad3("media.format", '"mp4"', m.format);
  if (typeof m.fragmented !== "boolean") bad3("media.fragmented", "a boolean", m.fragmented);
  let ftyp = null;
  if (m.ftyp !== null) {
    const f = obj(m.ftyp, "media.ftyp");
    const brands = f.compatible_brands;
    if (!Array.isArray(brands) || brands.length > 256) {
      bad3("media.ftyp.compatible_brands", "a list", brands);
    }
    ftyp = {
      major_brand: fourcc(f.major_brand, "media.ftyp.major_brand"),
      minor_version: int(f.minor_version, "media.ftyp.minor_version", 0, U32),
      compatible_brands: brands.map((b, i) => fourcc(b, `media.ftyp.compatible_brands[${i}]`))
    };
  }
  const movieTimescale = int(m.movie_timescale, "media.movie_timescale", 1, U32);
  const tracksIn = obj(m.tracks, "media.tracks");
  const tracks = {};
  for (const [id, tv] of Object.entries(tracksIn)) {
    tracks[id] = parseTrack(tv, `media.tracks.${id}`);
  }
  const out = {
    version: MEDIA_META_VERSION,
    format: "mp4",
    fragmented: m.fragmented,
    ftyp,
    movie_timescale: movieTimescale,
    tracks
  };
  if (m.fragments !== void 0) out.fragments = parseFragments(m.fragments, tracks);
  return out;
}
function parseFragments(v, tracks) {
  const p = "media.fragments";
  if (!Array.isArray(v) || v.length > 16777216) bad3(p, "a list of fragments", v);
  const counts2 = /* @__PURE__ */ new Map();
  const out = v.map((f, i) => {
    if (!Array.isArray(f) || f.length === 0 || f.length > 1024) {
      bad3(`${p}[${i}]`, "a non-empty list of [track_id, blocks, base_time]", f);
    }
    return f.map((t, j) => {
      const q = `${p}[${i}][${j}]`;
      if (!Array.isArray(t) || t.length !== 3) bad3(q, "[track_id, blocks, base_time]", t);
      const [id, n, base] = t;
      if (typeof id !== "string" || !Object.hasOwn(tracks, id)) {
        bad3(`${q}[0]`, "a track id of media.tracks", id);
      }
      const blocks = int(n, `${q}[1]`, 1, U32);
      counts2.set(id, (counts2.get(id) ?? 0) + blocks);
      return [
        id,
        blocks,
        int(base, `${q}[2]`)
      ];
    });
  });
  for (const [id, t] of Object.entries(tracks)) {
    if ((counts2.get(id) ?? 0) !== t.samples) {
      bad3(`${p}`, `fragments covering the ${t.samples} blocks of ${id}`, `${counts2.get(id) ?? 0}`);
    }
  }
  return out;
}
function parseTrack(v, p) {
  const t = obj(v, p);
  const k = obj(t.tkhd, `${p}.tkhd`);
  const matrix = k.matrix;
  if (!Array.isArray(matrix) || matrix.length !== 9) {
    bad3(`${p}.tkhd.matrix`, "nine numbers", matrix);
  }
  const entries = t.sample_entries;
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > 1024) {
    bad3(`${p}.sample_entries`, "a non-empty list of base64 boxes", entries);
  }
  const out = {
    mp4_track_id: int(t.mp4_track_id, `${p}.mp4_track_id`, 1, U32),
    handler: fourcc(t.handler, `${p}.handler`),
    handler_name: str(t.handler_name, `${p}.handler_name`),
    codec: str(t.codec, `${p}.codec`),
    timescale: int(t.timescale, `${p}.timescale`, 1, U32),
    duration: int(t.duration, `${p}.duration`),
    tkhd_duration: int(t.tkhd_duration, `${p}.tkhd_duration`),
    samples: int(t.samples, `${p}.samples`, 0, U32),
    tkhd: {
      flags: int(k.flags, `${p}.tkhd.flags`, 0, 16777215),
      layer: int(k.layer, `${p}.tkhd.layer`, -32768, 32767),
      alternate_group: int(k.alternate_group, `${p}.tkhd.alternate_group`, -32768, 32767),
      volume: int(k.volume, `${p}.tkhd.volume`, -32768, 32767),
      matrix: matrix.map((x, i) => int(x, `${p}.tkhd.matrix[${i}]`, S32_MIN, 2147483647)),
      width: int(k.width, `${p}.tkhd.width`, 0, U32),
      height: int(k.height, `${p}.tkhd.height`, 0, U32)
    },
    sample_entries: entries.map((e, i) => b64(e, `${p}.sample_entries[${i}]`)),
    durations: runs(t.durations, `${p}.durations`, 0, U32)
  };
  if (t.language !== void 0) {
    out.language = str(t.language, `${p}.language`, 3);
    if (!/^[a-z]{3}$/.test(out.language)) {
      bad3(`${p}.language`, "three lowercase letters", out.language);
    }
  } else out.language_code = int(t.language_code, `${p}.language_code`, 0, 65535);
  if (t.bytes !== void 0) out.bytes = int(t.bytes, `${p}.bytes`);
  for (const key of [
    "width",
    "height",
    "sample_rate",
    "channels"
  ]) {
    if (t[key] !== void 0) out[key] = int(t[key], `${p}.${key}`, 0, U32);
  }
  if (t.config_box !== void 0) out.config_box = fourcc(t.config_box, `${p}.config_box`);
  if (t.config_b64 !== void 0) out.config_b64 = b64(t.config_b64, `${p}.config_b64`);
  if (t.edits !== void 0) {
    if (!Array.isArray(t.edits) || t.edits.length > 65536) bad3(`${p}.edits`, "a list", t.edits);
    out.edits = t.edits.map((e, i) => {
      const q = `${p}.edits[${i}]`;
      const o = obj(e, q);
      return {
        segment_duration: int(o.segment_duration, `${q}.segment_duration`),
        media_time: int(o.media_time, `${q}.media_time`, -1),
        media_rate_integer: int(o.media_rate_integer, `${q}.media_rate_integer`, -32768, 32767),
        media_rate_fraction: int(o.media_rate_fraction, `${q}.media_rate_fraction`, 0, 65535)
      };
    });
  }
  if (t.cts_offsets !== void 0) {
    out.cts_offsets = runs(t.cts_offsets, `${p}.cts_offsets`, S32_MIN, 2147483647);
  }
  if (t.entry_runs !== void 0) {
    out.entry_runs = runs(t.entry_runs, `${p}.entry_runs`, 1, out.sample_entries.length);
  }
  if (t.packed !== void 0) {
    const k2 = obj(t.packed, `${p}.packed`);
    out.packed = {
      sample_size: int(k2.sample_size, `${p}.packed.sample_size`, 1, U32),
      sample_duration: int(k2.sample_duration, `${p}.packed.sample_duration`, 0, U32),
      samples: int(k2.samples, `${p}.packed.samples`, 0, Number.MAX_SAFE_INTEGER)
    };
  }
  return out;
}
function fromBase64(text) {
  if (!BASE64.test(text)) {
    throw new H4Error("H4_BAD_ARGUMENT", `not standard padded base64: ${JSON.stringify(text.slice(0, 40))}`);
  }
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

// lib/web/span_source.ts
function spanSource(inner) {
  let span = null;
  return {
    get size() {
      return inner.size;
    },
    read(offset, length) {
      if (span && offset >= span.start && offset + length <= span.start + span.bytes.length) {
        return Promise.resolve(span.bytes.subarray(offset - span.start, offset - span.start + length));
      }
      return inner.read(offset, length);
    },
    async prefetch(offset, length) {
      span = {
        start: offset,
        bytes: await inner.read(offset, length)
      };
    },
    close: () => inner.close?.()
  };
}

// lib/web/player_plan.ts
function mime(kind, codec) {
  return `${kind}/mp4; codecs="${codec}"`;
}
function plan(c) {
  const play = /* @__PURE__ */ new Map();
  let media = null;
  try {
    media = c.meta[MEDIA_META_KEY] === void 0 ? null : parseMediaMeta(c.meta[MEDIA_META_KEY]);
  } catch (e) {
    return {
      media: null,
      play,
      why: `META.media is not valid: ${e.message}`
    };
  }
  if (!media) {
    return {
      media,
      play,
      why: "this container was not made by h4mk import: META has no codec configuration"
    };
  }
  if (typeof MediaSource === "undefined") {
    return {
      media,
      play,
      why: "this browser has no Media Source Extensions"
    };
  }
  const refused = [];
  let videos = 0, audios = 0;
  for (const [id, t] of Object.entries(media.tracks)) {
    const kind = t.handler === "vide" ? "video" : t.handler === "soun" ? "audio" : null;
    if (!kind) continue;
    if ((kind === "video" ? videos : audios) > 0) continue;
    if (MediaSource.isTypeSupported(mime(kind, t.codec))) {
      play.set(id, "yes");
      kind === "video" ? videos++ : audios++;
    } else refused.push(`${id} (${t.codec})`);
  }
  const why = refused.length ? `this browser cannot play ${refused.join(", ")}` : play.size ? "" : "no video or audio track in META.media";
  return {
    media,
    play,
    why
  };
}

// lib/web/player_view.ts
var $ = (id) => document.getElementById(id);
function showTracks(c, media, play) {
  const body = $("tracks").tBodies[0];
  body.replaceChildren();
  for (const t of c.tracks) {
    const m = media?.tracks[t.track_id];
    const row = body.insertRow();
    for (const v of [
      t.track_id,
      m ? `${m.codec}${m.width ? ` ${m.width}\xD7${m.height}` : ""}${m.sample_rate ? ` ${m.sample_rate} Hz` : ""}` : t.codec,
      String(t.blocks),
      String(t.keyframes),
      play.get(t.track_id) ?? "no"
    ]) row.insertCell().textContent = v;
  }
}
async function showBlocks(c, around) {
  const body = $("blocks").querySelector("tbody");
  const rows = [];
  for (let i = around; i < Math.min(c.blockCount, around + 12); i++) {
    const e = await c.entry(i);
    const row = document.createElement("tr");
    for (const v of [
      String(e.index),
      e.track_id,
      (e.pts_us / 1e6).toFixed(3),
      e.kind + (e.keyframe ? " key" : ""),
      String(e.plain_length)
    ]) row.insertCell().textContent = v;
    rows.push(row);
  }
  body.replaceChildren(...rows);
}
function showTimeline(video2, keyTimes, duration, onSeek) {
  const line = $("timeline");
  const cursor = $("cursor");
  const step = Math.max(1, Math.ceil(keyTimes.length / 1500));
  for (let i = 0; i < keyTimes.length; i += step) {
    const k = document.createElement("div");
    k.className = "k";
    k.style.left = `${(100 * keyTimes[i] / duration).toFixed(3)}%`;
    line.append(k);
  }
  line.addEventListener("click", (ev) => {
    const r = line.getBoundingClientRect();
    onSeek(Math.max(0, (ev.clientX - r.left) / r.width) * duration);
  });
  video2.addEventListener("timeupdate", () => {
    cursor.style.left = `${(100 * Math.min(1, video2.currentTime / duration)).toFixed(3)}%`;
  });
}

// lib/web/player.ts
var AHEAD_SECONDS = 15;
var BEHIND_SECONDS = 30;
var AUDIO_LOOKBACK = 400;
var $2 = (id) => document.getElementById(id);
var video = $2("video");
var statusLine = $2("status");
var params = new URLSearchParams(location.search);
var generation = 0;
var ownSeek = false;
var lastSeek = null;
var seekStats = null;
var openStats = null;
var failure = null;
var state = "loading";
var source = null;
var http = null;
function say(text, error = false) {
  statusLine.textContent = text;
  statusLine.classList.toggle("error", error);
}
function fail(e) {
  const msg = e instanceof Error ? e.message : String(e);
  const code = e?.code;
  failure = code ? `${code}: ${msg}` : msg;
  state = "error";
  say(failure, true);
  return failure;
}
function waitEvent(target, ...names) {
  return new Promise((resolve) => {
    const done = () => {
      for (const n of names) target.removeEventListener(n, done);
      resolve();
    };
    for (const n of names) target.addEventListener(n, done);
  });
}
async function settled(b) {
  while (b.updating) await waitEvent(b, "updateend", "error", "abort");
}
async function append(b, bytes) {
  await settled(b);
  b.appendBuffer(bytes);
  await settled(b);
}
function ticks(ptsUs, timescale) {
  return Math.round(ptsUs * timescale / 1e6);
}
function askKey(c) {
  const box2 = $2("keybox");
  const input = $2("key");
  box2.hidden = false;
  state = "needs-key";
  say("encrypted: choose the key file to play (it is not uploaded)");
  return new Promise((resolve) => {
    input.addEventListener("change", async () => {
      const file = input.files?.[0];
      if (!file) return;
      try {
        const opener = await openCipher(c, parseKeyFile(await file.text()));
        await c.readBlock(0, {
          opener
        });
        box2.hidden = true;
        resolve(opener);
      } catch (e) {
        fail(e);
        state = "needs-key";
      }
    });
  });
}
async function start(url) {
  http = await openHttpSource(new URL(url, location.href), {
    cacheBytes: 16 << 20
  });
  source = spanSource(http);
  const c = await openContainer(source);
  openStats = {
    requests: http.stats.requests,
    bytes: http.stats.bytes,
    ms: performance.now()
  };
  const { media, play, why } = plan(c);
  showTracks(c, media, play);
  const videoId = [
    ...play.keys()
  ].find((id) => media.tracks[id].handler === "vide");
  const keyTrack = videoId ?? [
    ...play.keys()
  ][0] ?? c.tracks.find((t2) => t2.keyframes > 0)?.track_id;
  const table = keyTrack ? c.seekTable(keyTrack) : null;
  const keyTimes = table ? [
    ...table.pts
  ].map((p) => p / 1e6) : [];
  let duration = 0;
  for (const t2 of Object.values(media?.tracks ?? {})) {
    if (t2.timescale > 0) duration = Math.max(duration, t2.duration / t2.timescale);
  }
  if (!(duration > 0)) duration = (keyTimes[keyTimes.length - 1] ?? 0) + 1;
  showTimeline(video, keyTimes, duration, (s) => void player.seek(s).catch(fail));
  if (!play.size || !table) {
    state = "not-playable";
    say(`cannot play: ${why || "no keyframes"}. Tracks and blocks are listed below.`, true);
    await showBlocks(c, 0);
    $2("blocks").open = true;
    return {
      playable: false,
      reason: why
    };
  }
  let opener;
  if (c.encrypted) opener = await askKey(c);
  const ms = new MediaSource();
  video.src = URL.createObjectURL(ms);
  await waitEvent(ms, "sourceopen");
  ms.duration = duration;
  const lanes = [
    ...play.keys()
  ].map((id) => {
    const meta = media.tracks[id];
    const kind = meta.handler === "vide" ? "video" : "audio";
    const buffer = ms.addSourceBuffer(mime(kind, meta.codec));
    return {
      id,
      meta,
      kind,
      buffer,
      lastDuration: meta.durations[0]?.[1] ?? 1
    };
  });
  for (const { meta, buffer } of lanes) {
    await append(buffer, buildInitSegment([
      {
        track_id: 1,
        handler: meta.handler,
        timescale: meta.timescale,
        entries: meta.sample_entries.map(fromBase64),
        width: meta.width,
        height: meta.height
      }
    ]));
  }
  const byId = new Map(lanes.map((l) => [
    l.id,
    l
  ]));
  let sequence = 1;
  const interval = (j) => [
    table.block[j],
    j + 1 < table.count ? table.block[j + 1] : c.blockCount
  ];
  async function feed(gen, j, keyPts, onFirst) {
    let lo = interval(j)[0];
    const audio = lanes.some((l) => l.kind === "audio");
    for (let i = lo - 1, n = 0; audio && i >= 0 && n < AUDIO_LOOKBACK; i--, n++) {
      const e = await c.entry(i);
      const lane = byId.get(e.track_id);
      if (lane?.kind !== "audio") continue;
      lo = i;
      if (e.pts_us <= keyPts) break;
    }
    for (; j < table.count && gen === generation; j++) {
      const [first, end2] = interval(j);
      const from = Math.min(lo, first);
      lo = Infinity;
      const entries = [];
      for (let i = from; i < end2; i++) entries.push(await c.entry(i));
      const a = entries[0], z = entries[entries.length - 1];
      const spanStart = a.offset - CHUNK_HEADER_LENGTH;
      await source.prefetch(spanStart, z.offset + z.stored_length - spanStart);
      if (gen !== generation) return;
      const nextKey = j + 1 < table.count ? table.pts[j + 1] : null;
      for (const lane of lanes) {
        const mine = entries.filter((e) => e.track_id === lane.id && (lane.kind === "video" ? e.index >= first : true));
        if (!mine.length) continue;
        const payloads = [];
        for (const e of mine) payloads.push(await c.readBlock(e.index, {
          opener
        }));
        const frag = fragment(lane, mine, payloads, nextKey);
        if (!frag) continue;
        if (gen !== generation) return;
        await append(lane.buffer, frag);
      }
      if (gen !== generation) return;
      onFirst();
      const behind = video.currentTime - BEHIND_SECONDS;
      for (const l of lanes) {
        const r = l.buffer.buffered;
        if (behind > 0 && r.length && r.start(0) < behind) {
          await settled(l.buffer);
          l.buffer.remove(0, behind);
          await settled(l.buffer);
        }
      }
      await until(gen, () => bufferedAhead() < AHEAD_SECONDS);
    }
    if (gen === generation && ms.readyState === "open") {
      for (const l of lanes) await settled(l.buffer);
      ms.endOfStream();
    }
  }
  function fragment(lane, mine, payloads, nextKeyPts) {
    const ts = lane.meta.timescale;
    let pres = mine.map((e) => ticks(e.pts_us, ts));
    let bytes = payloads;
    let sync = mine.map((e) => e.keyframe);
    if (lane.kind === "audio") {
      const keep = pres.map((p) => p >= 0);
      pres = pres.filter((_, i) => keep[i]);
      bytes = bytes.filter((_, i) => keep[i]);
      sync = sync.filter((_, i) => keep[i]);
      if (!pres.length) return null;
    }
    const dts = [
      ...pres
    ].sort((x, y) => x - y);
    const end2 = lane.kind === "video" && nextKeyPts !== null ? ticks(nextKeyPts, ts) : null;
    const samples = pres.map((p, i) => {
      const next = i + 1 < dts.length ? dts[i + 1] : end2;
      const d = next !== null && next > dts[i] ? next - dts[i] : lane.lastDuration;
      if (i + 1 < dts.length) lane.lastDuration = d || lane.lastDuration;
      return {
        size: bytes[i].length,
        duration: d,
        cts_offset: p - dts[i],
        sync: sync[i]
      };
    });
    const head = buildFragment(sequence++, [
      {
        track_id: 1,
        base_decode_time: dts[0],
        samples
      }
    ]);
    let n = head.length;
    for (const b of bytes) n += b.length;
    const out = new Uint8Array(n);
    out.set(head);
    let at = head.length;
    for (const b of bytes) {
      out.set(b, at);
      at += b.length;
    }
    return out;
  }
  function bufferedAhead() {
    let ahead = Infinity;
    for (const l of lanes) {
      const r = l.buffer.buffered;
      let endOf = video.currentTime;
      for (let i = 0; i < r.length; i++) {
        if (r.start(i) <= video.currentTime + 0.5 && r.end(i) > endOf) endOf = r.end(i);
      }
      ahead = Math.min(ahead, endOf - video.currentTime);
    }
    return ahead;
  }
  async function until(gen, ok) {
    while (gen === generation && !ok()) await waitEvent(video, "timeupdate", "seeking", "h4seek");
  }
  player.seek = async (seconds2) => {
    if (!Number.isFinite(seconds2) || seconds2 < 0) throw new RangeError(`bad time ${seconds2}`);
    const gen = ++generation;
    const before = {
      requests: http.stats.requests,
      bytes: http.stats.bytes,
      at: performance.now()
    };
    video.dispatchEvent(new Event("h4seek"));
    const hit = c.seek(keyTrack, Math.round(seconds2 * 1e6));
    lastSeek = hit;
    let j = 0;
    while (j + 1 < table.count && table.block[j + 1] <= hit.core_index) j++;
    for (const l of lanes) {
      await settled(l.buffer);
      if (l.buffer.buffered.length) {
        l.buffer.remove(0, Infinity);
        await settled(l.buffer);
      }
    }
    if (gen !== generation) return hit;
    ownSeek = true;
    video.currentTime = hit.keyframe_pts_us / 1e6;
    let first;
    const appended = new Promise((resolve) => first = resolve);
    const fed = feed(gen, j, hit.keyframe_pts_us, () => {
      if (seekStats?.generation === gen) return;
      seekStats = {
        generation: gen,
        requests: http.stats.requests - before.requests,
        bytes: http.stats.bytes - before.bytes,
        ms: performance.now() - before.at
      };
      first();
    });
    fed.catch((e) => {
      fail(e);
      first();
    });
    await appended;
    void showBlocks(c, hit.core_index);
    say(`${c.tracks.length} tracks \xB7 seek to ${seconds2.toFixed(2)} s \u2192 keyframe ${(hit.keyframe_pts_us / 1e6).toFixed(3)} s (block ${hit.core_index}) \xB7 ${http.stats.requests} requests, ${http.stats.bytes} bytes${why ? ` \xB7 ${why}` : ""}`);
    return hit;
  };
  video.addEventListener("seeking", () => {
    if (ownSeek) {
      ownSeek = false;
      return;
    }
    const at = video.currentTime;
    const held = lanes.every((l) => {
      const r = l.buffer.buffered;
      for (let i = 0; i < r.length; i++) if (r.start(i) <= at && at < r.end(i)) return true;
      return false;
    });
    if (!held) void player.seek(at).catch(fail);
  });
  video.addEventListener("error", () => fail(new Error(`media error: ${video.error?.message}`)));
  const t = Number(params.get("t") ?? 0);
  state = "playing";
  await player.seek(Number.isFinite(t) && t > 0 ? t : 0);
  if (params.get("autoplay") === "1") {
    video.muted = true;
    await video.play().catch(fail);
  }
  return {
    playable: true
  };
}
var player = {
  ready: null,
  /** HTTP requests made so far. */
  get requests() {
    return http?.stats.requests ?? 0;
  },
  /** Body bytes received so far. */
  get bytes() {
    return http?.stats.bytes ?? 0;
  },
  /** `loading`, `needs-key`, `playing`, `not-playable` or `error`. */
  get state() {
    return state;
  },
  /** The last error shown, or null. */
  get error() {
    return failure;
  },
  /** Requests, bytes and ms of opening the container (ms from the page's start). */
  get openStats() {
    return openStats;
  },
  /** Requests, bytes and ms from the last seek to its keyframe interval appended. */
  get seekStats() {
    return seekStats;
  },
  /** The last seek's answer from the library. */
  get lastSeek() {
    return lastSeek;
  },
  /** Seeks to the keyframe at or before `seconds`. */
  seek: (_seconds) => Promise.reject(new Error("not ready"))
};
globalThis.h4player = player;
var src = document.body.dataset.src ?? params.get("src");
if (src) {
  player.ready = start(src).catch((e) => {
    fail(e);
    throw e;
  });
} else {
  const form = $2("open");
  form.hidden = false;
  say("give the URL of a container served with Range requests (and CORS)");
  player.ready = new Promise((resolve, reject) => {
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const u = $2("url").value;
      history.replaceState(null, "", `?src=${encodeURIComponent(u)}`);
      form.hidden = true;
      start(u).then(resolve, (e) => reject(new Error(fail(e))));
    });
  });
}
player.ready.catch(() => {
});
/*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
/*! noble-ciphers - MIT License (c) 2023 Paul Miller (paulmillr.com) */
