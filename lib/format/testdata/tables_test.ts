import assert from "node:assert/strict";
import { crc32 } from "../../hash/crc32.ts";
import { packContainer } from "../writer.ts";
import { avBlocks } from "./helpers.ts";
import { chunk } from "./forge.ts";
import {
  decodePage,
  editLoca,
  locaOf,
  parseFile,
  rebuild,
  setBhsh,
  setPage,
  tablesOf,
} from "./tables.ts";

const file = await packContainer(avBlocks(12, 4), {
  segmentTarget: 300,
  blocksPerPage: 8,
  safe: { a: 1 },
});

Deno.test("tables kit: rebuild of unedited tables gives the writer's bytes back", () => {
  assert.deepEqual(rebuild(tablesOf(file)), file);
  const v1 = packContainer(avBlocks(6, 3), { profile: "v1" });
  return v1.then((b) => assert.deepEqual(rebuild(tablesOf(b)), b));
});

Deno.test("tables kit: parseFile decodes every table without the reader", () => {
  const f = parseFile(file);
  assert.equal(f.rows.length, 24);
  assert.equal(f.tdir.bidxPageLengths.length, 3);
  assert.deepEqual(f.safe, { a: 1 });
  assert.equal(f.chunks.at(-1)!.tag, "LOCA");
  assert.equal(f.rows[0].offset, 20);
});

Deno.test("tables kit: edits go through (a page, BHSH, LOCA) with a fresh root", () => {
  const t = tablesOf(file);
  const cols = decodePage(t, 1);
  cols.pts[0] += 1;
  setPage(t, 1, cols);
  const edited = parseFile(rebuild(t));
  assert.equal(edited.rows[8].pts, parseFile(file).rows[8].pts + 1);
  assert.notDeepEqual(edited.loca.root, locaOf(file).root);
  const u = tablesOf(file);
  setBhsh(u, u.BHSH.slice(0, 32));
  assert.equal(locaOf(rebuild(u)).chunkCount, 1);
  const moved = editLoca(file, (l) => void (l.trackCount = 9));
  assert.equal(locaOf(moved).trackCount, 9);
  const loca = chunk(moved, "LOCA");
  assert.equal(loca.crc, crc32(loca.payload), "editLoca fixes LOCA's CRC");
});
