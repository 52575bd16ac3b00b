import assert from "node:assert/strict";
import { H4Error } from "../format/errors.ts";
import { packContainer, writeContainer } from "../format/writer.ts";
import { avBlocks, rejectsH4 } from "../format/testdata/helpers.ts";
import { openContainer } from "../seek/container.ts";
import { openFileSource, writeFileAtomic } from "./file.ts";

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "h4mk-file-test-" });
}

const names = async (dir: string) =>
  (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();

Deno.test("openFileSource: size, positional reads, concurrent reads", async () => {
  const dir = await tempDir();
  try {
    const data = new Uint8Array(100_000).map((_, i) => (i * 7) & 0xff);
    await Deno.writeFile(`${dir}/f`, data);
    const src = await openFileSource(`${dir}/f`);
    assert.equal(src.size, data.length);
    assert.deepEqual(await src.read(0, 10), data.subarray(0, 10));
    assert.deepEqual(await src.read(99_990, 10), data.subarray(99_990));
    assert.deepEqual(await src.read(100_000, 0), new Uint8Array(0));
    const reads = await Promise.all(
      Array.from({ length: 50 }, (_, i) => src.read(i * 1999, 1000)),
    );
    reads.forEach((r, i) => assert.deepEqual(r, data.subarray(i * 1999, i * 1999 + 1000)));
    await src.close?.();
    await src.close?.(); // idempotent
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openFileSource: bounds errors are typed", async () => {
  const dir = await tempDir();
  try {
    await Deno.writeFile(`${dir}/f`, new Uint8Array(10));
    const src = await openFileSource(`${dir}/f`);
    await rejectsH4(src.read(5, 6), "H4_TRUNCATED");
    await rejectsH4(src.read(11, 0), "H4_TRUNCATED");
    await rejectsH4(src.read(0, 2 ** 40), "H4_TRUNCATED");
    for (const [o, n] of [[-1, 1], [0, -1], [NaN, 1], [1.5, 1], [0, Infinity]]) {
      await rejectsH4(src.read(o, n), "H4_BAD_ARGUMENT");
    }
    await src.close?.();
    await rejectsH4(openFileSource(`${dir}/missing`), "H4_IO");
    await rejectsH4(openFileSource(dir), "H4_IO");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openFileSource: a file that shrinks after opening is H4_SOURCE_CHANGED, not a hang", async () => {
  const dir = await tempDir();
  try {
    await Deno.writeFile(`${dir}/f`, new Uint8Array(1000));
    const src = await openFileSource(`${dir}/f`);
    await Deno.truncate(`${dir}/f`, 100);
    await rejectsH4(src.read(500, 100), "H4_SOURCE_CHANGED");
    await src.close?.();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic: writes through small and large writes", async () => {
  const dir = await tempDir();
  try {
    const parts = [new Uint8Array(10).fill(1), new Uint8Array(300_000).fill(2), new Uint8Array(3)];
    for (let i = 0; i < 2000; i++) parts.push(new Uint8Array(700).fill(i & 0xff));
    await writeFileAtomic(`${dir}/out.bin`, async (sink) => {
      for (const p of parts) await sink.write(p);
    });
    const got = await Deno.readFile(`${dir}/out.bin`);
    const want = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      want.set(p, o);
      o += p.length;
    }
    assert.deepEqual(got, want);
    assert.deepEqual(await names(dir), ["out.bin"], "no temporary file left");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic: refuses to overwrite without force; force replaces", async () => {
  const dir = await tempDir();
  try {
    const path = `${dir}/out.bin`;
    await Deno.writeFile(path, Uint8Array.of(1, 2, 3));
    let called = false;
    const e = await rejectsH4(
      writeFileAtomic(path, async (s) => {
        called = true;
        await s.write(Uint8Array.of(9));
      }),
      "H4_IO",
    );
    assert.match(e.message, /exists/);
    assert.equal(called, false, "nothing is written");
    assert.deepEqual(await Deno.readFile(path), Uint8Array.of(1, 2, 3));
    await writeFileAtomic(path, async (s) => await s.write(Uint8Array.of(9)), { force: true });
    assert.deepEqual(await Deno.readFile(path), Uint8Array.of(9));
    assert.deepEqual(await names(dir), ["out.bin"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic: a write callback that throws half way leaves no partial file", async () => {
  const dir = await tempDir();
  try {
    const path = `${dir}/out.h4mk`;
    // No previous file: nothing appears.
    const boom = new Error("boom");
    await assert.rejects(
      writeFileAtomic(path, async (s) => {
        await s.write(new Uint8Array(1000));
        await s.write(new Uint8Array(2_000_000)); // flushed to the temporary file
        throw boom;
      }),
    );
    assert.deepEqual(await names(dir), []);
    // A previous file is kept intact, even with force.
    await Deno.writeFile(path, Uint8Array.of(7, 7, 7));
    const mine = new H4Error("H4_CODEC_ERROR", "half way");
    await assert.rejects(
      writeFileAtomic(path, async (s) => {
        await s.write(new Uint8Array(5_000_000));
        throw mine;
      }, { force: true }),
      (e) => e === mine, // H4Errors pass through unchanged
    );
    assert.deepEqual(await Deno.readFile(path), Uint8Array.of(7, 7, 7));
    assert.deepEqual(await names(dir), ["out.h4mk"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic: a failing container write leaves the previous file", async () => {
  const dir = await tempDir();
  try {
    const path = `${dir}/c.h4mk`;
    const good = await packContainer(avBlocks(5));
    await Deno.writeFile(path, good);
    await assert.rejects(writeFileAtomic(path, async (sink) => {
      await writeContainer(sink, [
        ...avBlocks(5),
        { track_id: "", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array(1) },
      ]);
    }, { force: true }));
    assert.deepEqual(await Deno.readFile(path), good);
    assert.deepEqual(await names(dir), ["c.h4mk"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "writeFileAtomic: mode 0600 is honoured; by default others cannot write",
  ignore: Deno.build.os === "windows",
  async fn() {
    const dir = await tempDir();
    try {
      await writeFileAtomic(`${dir}/key`, async (s) => await s.write(Uint8Array.of(1)), {
        mode: 0o600,
      });
      assert.equal((await Deno.stat(`${dir}/key`)).mode! & 0o777, 0o600);
      // Replacing a 0644 file with mode 0600 gives 0600.
      await Deno.writeFile(`${dir}/k2`, Uint8Array.of(1), { mode: 0o644 });
      await Deno.chmod(`${dir}/k2`, 0o644);
      await writeFileAtomic(`${dir}/k2`, async (s) => await s.write(Uint8Array.of(2)), {
        mode: 0o600,
        force: true,
      });
      assert.equal((await Deno.stat(`${dir}/k2`)).mode! & 0o777, 0o600);
      await writeFileAtomic(`${dir}/plain`, async (s) => await s.write(Uint8Array.of(1)));
      const m = (await Deno.stat(`${dir}/plain`)).mode! & 0o777;
      assert.equal(m & 0o077 & ~0o044, 0, `default mode ${m.toString(8)} gives no write to others`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("writeFileAtomic + openFileSource: a container written to disk opens and verifies", async () => {
  const dir = await tempDir();
  try {
    const blocks = avBlocks(30);
    const path = `${dir}/c.h4mk`;
    await writeFileAtomic(path, async (sink) => {
      await writeContainer(sink, blocks, { codec: "deflate" });
    });
    assert.deepEqual(await Deno.readFile(path), await packContainer(blocks, { codec: "deflate" }));
    const c = await openContainer(await openFileSource(path));
    assert.ok((await c.verify()).ok);
    for (const [i, b] of blocks.entries()) assert.deepEqual(await c.readBlock(i), b.payload);
    await c.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openFileSource: readInto fills the given buffer; its bounds errors are typed", async () => {
  const dir = await tempDir();
  try {
    await Deno.writeFile(`${dir}/f`, new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    const src = await openFileSource(`${dir}/f`);
    const buf = new Uint8Array(4);
    const got = await src.readInto!(3, buf);
    assert.equal(got, buf);
    assert.deepEqual([...buf], [3, 4, 5, 6]);
    await rejectsH4(src.readInto!(8, buf), "H4_TRUNCATED");
    await rejectsH4(src.readInto!(-1, buf), "H4_BAD_ARGUMENT");
    await src.close?.();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
