import assert from "node:assert/strict";
import { ByteWriter } from "./bytes.ts";
import {
  allocSeekTable,
  decodeKsek,
  decodeSeekTable,
  encodeKsek,
  encodeSeekTable,
  type SeekTable,
} from "./ksek.ts";
import { rng, throwsH4 } from "./testdata/helpers.ts";

interface E {
  pts: number;
  block: number;
  offset: number;
  stored: number;
  kind?: number;
  codec?: number;
  plain?: number;
}

function table(entries: E[], overhead = 0): SeekTable {
  const t = allocSeekTable(entries.length);
  entries.forEach((e, i) => {
    t.pts[i] = e.pts;
    t.block[i] = e.block;
    t.offset[i] = e.offset;
    t.stored[i] = e.stored;
    t.kind[i] = e.kind ?? 0;
    t.codec[i] = e.codec ?? 0;
    t.plain[i] = e.codec ? e.plain ?? 0 : e.stored - overhead;
  });
  return t;
}

const plain = (t: SeekTable) => ({
  count: t.count,
  pts: [...t.pts],
  block: [...t.block],
  offset: [...t.offset],
  stored: [...t.stored],
  kind: [...t.kind],
  codec: [...t.codec],
  plain: [...t.plain],
});

Deno.test("ksek: tables round trip (negative pts, equal pts, codecs, kinds)", () => {
  const r = rng(71);
  const entries: E[] = [];
  let pts = -50_000, block = 0, offset = 20;
  for (let i = 0; i < 200; i++) {
    pts += i % 10 === 3 ? 0 : Math.floor(r() * 100_000);
    block += 1 + Math.floor(r() * 30);
    offset += 12 + Math.floor(r() * 10_000);
    const codec = i % 3;
    entries.push({
      pts,
      block,
      offset,
      stored: Math.floor(r() * 5000),
      kind: i % 4 === 0 ? 1 : 0,
      codec,
      plain: codec ? Math.floor(r() * 9000) : undefined,
    });
  }
  const t = table(entries);
  assert.deepEqual(plain(decodeSeekTable(encodeSeekTable(t), 0)), plain(t));
  // Encrypted: plain = stored - 16 for codec none.
  const enc = table([{ pts: 0, block: 0, offset: 20, stored: 116 }], 16);
  assert.equal(decodeSeekTable(encodeSeekTable(enc), 16).plain[0], 100);
  // Offsets may go down in a table sorted by pts (B-frames, equal pts in other order).
  const down = table([
    { pts: 0, block: 5, offset: 500, stored: 1 },
    { pts: 10, block: 1, offset: 100, stored: 1 },
  ]);
  assert.deepEqual(plain(decodeSeekTable(encodeSeekTable(down), 0)), plain(down));
});

Deno.test("ksek: KSEK holds one table per track, each readable alone", () => {
  const tables = [
    table([]),
    table([{ pts: 0, block: 0, offset: 20, stored: 10 }]),
    table([{ pts: -5, block: 1, offset: 42, stored: 3, codec: 2, plain: 9 }]),
  ];
  const bytes = encodeKsek(tables);
  assert.deepEqual(decodeKsek(bytes, 3, 0).map(plain), tables.map(plain));
  // Layout: u32 count, u32 lengths, tables back to back.
  const v = new DataView(bytes.buffer);
  assert.equal(v.getUint32(0), 3);
  const lens = [v.getUint32(4), v.getUint32(8), v.getUint32(12)];
  assert.equal(16 + lens[0] + lens[1] + lens[2], bytes.length);
  const second = bytes.subarray(16 + lens[0], 16 + lens[0] + lens[1]);
  assert.deepEqual(plain(decodeSeekTable(second, 0)), plain(tables[1]));
  assert.deepEqual(encodeSeekTable(table([])), Uint8Array.of(0), "an empty table is n = 0");
  assert.deepEqual(decodeKsek(encodeKsek([]), 0, 0), []);
});

Deno.test("ksek: track_count must equal TRKS's; lengths past the payload are rejected", () => {
  const bytes = encodeKsek([table([]), table([])]);
  throwsH4(() => decodeKsek(bytes, 3, 0), "H4_BAD_SEEK_TABLE");
  throwsH4(() => decodeKsek(bytes, 1, 0), "H4_BAD_SEEK_TABLE");
  const long = bytes.slice();
  long[7] = 200; // first table_length
  throwsH4(() => decodeKsek(long, 2, 0), "H4_BAD_SEEK_TABLE");
  throwsH4(() => decodeKsek(Uint8Array.from([...bytes, 0]), 2, 0), "H4_BAD_SEEK_TABLE");
  for (let n = 0; n < bytes.length; n++) {
    throwsH4(() => decodeKsek(bytes.subarray(0, n), 2, 0), "H4_BAD_SEEK_TABLE");
  }
  // 65535 tracks claimed in 8 bytes.
  const w = new ByteWriter();
  w.u32(65_535);
  w.u32(0);
  throwsH4(() => decodeKsek(w.finish(), 65_535, 0), "H4_BAD_SEEK_TABLE");
});

Deno.test("ksek: entries out of order are H4_BAD_SEEK_TABLE (H4-SEK-002)", () => {
  const dec = table([
    { pts: 10, block: 1, offset: 20, stored: 1 },
    { pts: 5, block: 2, offset: 40, stored: 1 },
  ]);
  throwsH4(() => decodeSeekTable(encodeSeekTable(dec), 0), "H4_BAD_SEEK_TABLE", "H4-SEK-002");
  const equalPtsWrongBlocks = table([
    { pts: 10, block: 4, offset: 20, stored: 1 },
    { pts: 10, block: 3, offset: 40, stored: 1 },
  ]);
  throwsH4(
    () => decodeSeekTable(encodeSeekTable(equalPtsWrongBlocks), 0),
    "H4_BAD_SEEK_TABLE",
    "H4-SEK-002",
  );
  const duplicate = table([
    { pts: 10, block: 4, offset: 20, stored: 1 },
    { pts: 10, block: 4, offset: 20, stored: 1 },
  ]);
  throwsH4(() => decodeSeekTable(encodeSeekTable(duplicate), 0), "H4_BAD_SEEK_TABLE", "H4-SEK-002");
});

/** One raw entry after n. */
function rawTable(n: number, entries: number[][], tail: number[] = []): Uint8Array {
  const w = new ByteWriter();
  w.varint(n);
  for (const [pts, idx, off, stored, info, plainLen] of entries) {
    w.svarint(pts);
    w.svarint(idx);
    w.svarint(off);
    w.varint(stored);
    w.varint(info);
    if (plainLen !== undefined) w.varint(plainLen);
  }
  for (const b of tail) w.u8(b);
  return w.finish();
}

Deno.test("ksek: bad kind, codec, block, offset and lengths", () => {
  throwsH4(
    () => decodeSeekTable(rawTable(1, [[0, 0, 20, 1, 3 << 2]]), 0),
    "H4_BAD_SEEK_TABLE",
    "H4-IDX-001",
  );
  throwsH4(
    () => decodeSeekTable(rawTable(1, [[0, 0, 20, 1, 12]]), 0),
    "H4_BAD_SEEK_TABLE",
    "H4-IDX-001",
  );
  throwsH4(
    () => decodeSeekTable(rawTable(1, [[0, 0, 20, 1, 3, 5]]), 0),
    "H4_UNKNOWN_CODEC",
    "H4-COD-001",
  );
  throwsH4(
    () => decodeSeekTable(rawTable(1, [[0, -1, 20, 1, 0]]), 0),
    "H4_BAD_SEEK_TABLE",
    "H4-SEK-001",
  );
  throwsH4(
    () => decodeSeekTable(rawTable(1, [[0, 0, -20, 1, 0]]), 0),
    "H4_BAD_SEEK_TABLE",
    "H4-SEK-001",
  );
  throwsH4(
    () => decodeSeekTable(rawTable(1, [[0, 0, 20, 2 ** 30 + 1, 0]]), 0),
    "H4_LIMIT_EXCEEDED",
    "H4-LIM-001",
  );
  throwsH4(
    () => decodeSeekTable(rawTable(1, [[0, 0, 20, 10, 1, 2 ** 30 + 1]]), 0),
    "H4_BAD_SEEK_TABLE",
    "H4-SEK-001",
  );
  // Codec none, encrypted, shorter than the tag.
  throwsH4(
    () => decodeSeekTable(rawTable(1, [[0, 0, 20, 10, 0]]), 16),
    "H4_BAD_SEEK_TABLE",
    "H4-SEK-001",
  );
  // Leftover bytes.
  throwsH4(() => decodeSeekTable(rawTable(1, [[0, 0, 20, 1, 0]], [0]), 0), "H4_BAD_SEEK_TABLE");
  // pts prediction leaving the safe range (H4-LIM-001: |pts| <= 2^50).
  throwsH4(
    () => decodeSeekTable(rawTable(2, [[2 ** 52 - 1, 0, 20, 1, 0], [2 ** 52 - 1, 1, 0, 1, 0]]), 0),
    "H4_LIMIT_EXCEEDED",
    "H4-LIM-001",
  );
});

Deno.test("ksek: a count claiming millions of entries in a tiny table fails before allocating", () => {
  for (const n of [1_000_000, 2 ** 40, Number.MAX_SAFE_INTEGER]) {
    throwsH4(() => decodeSeekTable(rawTable(n, [[0, 0, 20, 1, 0]]), 0), "H4_BAD_SEEK_TABLE");
  }
});
