import assert from "node:assert/strict";
import { packContainer } from "../format/writer.ts";
import { createHandler } from "./handler.ts";
import { createManifestCache } from "./manifest_cache.ts";
import { clipBlocks } from "./testdata/fixtures.ts";

const body = (text: string) => new Response(text).body!;

Deno.test("manifest cache: kept after a full read, bounded in total and per entry", async () => {
  const cache = createManifestCache(10, 6);
  await new Response(cache.tee("a", body("12345"))).text();
  assert.equal(new TextDecoder().decode(cache.get("a")), "12345");
  await new Response(cache.tee("big", body("1234567"))).text();
  assert.equal(cache.get("big"), undefined); // over the entry bound: not kept
  await new Response(cache.tee("b", body("abcde"))).text();
  await new Response(cache.tee("c", body("xyz"))).text(); // total 13 > 10: "a" goes
  assert.equal(cache.get("a"), undefined);
  assert.ok(cache.get("b") && cache.get("c"));
  // A body cancelled before its end is not kept.
  const s = cache.tee("d", body("12"));
  await s.cancel();
  assert.equal(cache.get("d"), undefined);
});

Deno.test("manifest cache: a named manifest is answered per file version (issue 16)", async () => {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "h4mk-mcache-" }));
  const path = `${root}/m.h4mk`;
  const bytes = await packContainer(clipBlocks(2), { meta: { title: "one" } });
  await Deno.writeFile(path, bytes);
  // No container kept open: without the manifest cache every request rereads the file.
  const handler = createHandler({ root, nameCacheMs: 0, cachedContainers: 0 });
  const manifest = async () => {
    const res = await handler(new Request("http://x/files/m.h4mk/manifest"));
    return [res.status, await res.text()] as const;
  };
  try {
    const [s1, first] = await manifest();
    assert.equal(s1, 200);
    const { mtime } = await Deno.stat(path);
    // The same bytes rewritten in place with another title, the modification time put back:
    // the same version for the server, so the kept answer is sent without reading the file.
    const other = await packContainer(clipBlocks(2), { meta: { title: "two" } });
    assert.equal(other.length, bytes.length);
    const f = await Deno.open(path, { write: true });
    await f.write(other);
    f.close();
    await Deno.utime(path, mtime!, mtime!);
    const [s2, second] = await manifest();
    assert.equal(s2, 200);
    assert.equal(second, first);
    // Another version (a new modification time): made again.
    await Deno.utime(path, new Date(mtime!.getTime() + 5000), new Date(mtime!.getTime() + 5000));
    const [s3, third] = await manifest();
    assert.equal(s3, 200);
    assert.match(third, /"title":"two"/);
  } finally {
    await handler.close();
    await Deno.remove(root, { recursive: true });
  }
});
