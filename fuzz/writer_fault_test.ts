/**
 * Writer faults (issue 9): a sink that fails part way, a full disk, and a writer killed at
 * random points. Whatever happens, the final name holds either the previous file, unchanged,
 * or a complete valid container; never a partial one (SECURITY.md, "Writing safely").
 *
 * @module
 */
import assert from "node:assert/strict";
import { isH4Error } from "../lib/format/errors.ts";
import { sha256 } from "../lib/hash/sha256.ts";
import type { BlockInput, ByteSink } from "../lib/format/types.ts";
import { packContainer, writeContainer, type WriterOptions } from "../lib/format/writer.ts";
import { openFileSource, writeFileAtomic } from "../lib/io/file.ts";
import { createVectorSealer } from "../lib/living/sealer.ts";
import { openContainer } from "../lib/seek/container.ts";
import { walkChunks } from "../lib/format/chunk.ts";
import { makeRng } from "./mutate.ts";

const CLI = new URL("../cli.ts", import.meta.url).pathname;
const decoder = new TextDecoder();

function blocks(seed: number): BlockInput[] {
  const rng = makeRng(seed);
  return Array.from({ length: 30 }, (_, i) => ({
    track_id: ["video", "audio", "字幕"][i % 3],
    pts_us: i * 20_000,
    kind: i % 3 === 0 && i % 6 !== 0 ? "P" : "I",
    keyframe: i % 3 !== 0 || i % 6 === 0,
    // One block above 16 KiB: its segment is hashed off the thread while the writer goes on.
    payload: Uint8Array.from({ length: i === 7 ? 40_000 : rng.int(3000) }, () => rng.int(256)),
  }));
}

/** Writer options by name; a fresh sealer each time (a sealer seals one container). */
const PROFILES: Record<string, () => WriterOptions> = {
  v2: () => ({ profile: "v2", segmentTarget: 8000, blocksPerPage: 8, meta: { t: "fault" } }),
  v1: () => ({ profile: "v1", codec: "deflate", safe: { s: 1 } }),
  "v2+cipher": () => ({
    profile: "v2",
    segmentTarget: 8000,
    sealer: createVectorSealer(new Uint8Array(32).fill(9), { containerId: new Uint8Array(16) }),
  }),
};

/** A sink that passes `limit` bytes through, then fails: synchronously, or after a short write. */
function failingSink(sink: ByteSink, limit: number, async: boolean): ByteSink {
  let written = 0;
  return {
    write(bytes: Uint8Array) {
      if (written + bytes.length <= limit) {
        written += bytes.length;
        return sink.write(bytes);
      }
      const error = new Error(`injected failure after ${limit} bytes`);
      if (!async) throw error;
      const head = bytes.subarray(0, limit - written);
      written = limit;
      return Promise.resolve(sink.write(head)).then(() => Promise.reject(error));
    },
  };
}

/** Failure points: around every chunk boundary, inside every chunk, and seeded random ones. */
function failurePoints(layout: Uint8Array, seed: number): number[] {
  const points = new Set([0, 1, 7, 8, 9, 19, 20, layout.length - 1, layout.length - 12]);
  for (const c of walkChunks(layout)) {
    const end = c.offset + 12 + c.length;
    for (
      const p of [c.offset, c.offset + 4, c.offset + 12, c.offset + 12 + (c.length >> 1), end - 1]
    ) {
      points.add(p);
    }
  }
  const rng = makeRng(seed);
  for (let k = 0; k < 20; k++) points.add(rng.int(layout.length));
  return [...points].filter((p) => p >= 0 && p < layout.length).sort((a, b) => a - b);
}

async function listDir(dir: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
}

Deno.test("writer faults: a sink failing after N bytes leaves the previous file intact and no temp file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "h4mk-fault-" });
  try {
    const input = blocks(3);
    let tried = 0;
    for (const [name, options] of Object.entries(PROFILES)) {
      const layout = await packContainer(input, options());
      const tags = new Set(walkChunks(layout).map((c) => c.tag));
      for (const t of ["SEGM", "CORE", "BIDX", "TDIR", "TRKS", "META", "VERI", "LOCA"]) {
        if (t !== (name === "v1" ? "SEGM" : "CORE")) assert.ok(tags.has(t), `${name} has ${t}`);
      }
      const path = `${dir}/${name}.h4mk`;
      const previous = await packContainer(blocks(4), { profile: "v2" });
      await Deno.writeFile(path, previous);
      for (const [k, limit] of failurePoints(layout, layout.length).entries()) {
        tried++;
        const async = k % 2 === 1;
        let error: unknown;
        try {
          await writeFileAtomic(path, async (sink) => {
            await writeContainer(failingSink(sink, limit, async), input, options());
          }, { force: true });
        } catch (e) {
          error = e;
        }
        const where = `${name}: failing after ${limit} of ${layout.length} bytes (${
          async ? "short write, then a rejected promise" : "synchronous throw"
        })`;
        assert.ok(isH4Error(error), `${where}: expected an H4Error, got ${error}`);
        assert.deepEqual(await Deno.readFile(path), previous, `${where}: previous file changed`);
        assert.deepEqual(await listDir(dir), [`${name}.h4mk`], `${where}: files left behind`);
      }
      // With no failure the new container replaces the old one, byte for byte.
      await writeFileAtomic(path, async (sink) => {
        await writeContainer(failingSink(sink, layout.length, true), input, options());
      }, { force: true });
      assert.deepEqual(await Deno.readFile(path), layout);
      await Deno.remove(path);
      // A failed first write leaves nothing under the final name either.
      await assert.rejects(
        writeFileAtomic(
          path,
          (sink) => writeContainer(failingSink(sink, 100, false), input, options()).then(() => {}),
        ),
      );
      assert.deepEqual(await listDir(dir), []);
    }
    assert.ok(tried > 100, `only ${tried} failure points`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Writes a blocks JSONL whose payloads are files of `size` random bytes in `dir`. */
async function writeJsonl(dir: string, count: number, size: number, seed: number): Promise<string> {
  const rng = makeRng(seed);
  const lines: string[] = [];
  for (let i = 0; i < 4; i++) {
    const bytes = new Uint8Array(size);
    for (let o = 0; o < size; o += 65536) {
      crypto.getRandomValues(bytes.subarray(o, Math.min(size, o + 65536)));
    }
    bytes[0] = rng.int(256);
    await Deno.writeFile(`${dir}/p${i}.bin`, bytes);
  }
  for (let i = 0; i < count; i++) {
    lines.push(JSON.stringify({
      track_id: i % 5 === 4 ? "audio" : "video",
      pts_us: i * 40_000,
      kind: i % 10 === 0 || i % 5 === 4 ? "I" : "P",
      keyframe: i % 10 === 0 || i % 5 === 4,
      payload_file: `p${i % 4}.bin`,
    }));
  }
  await Deno.writeTextFile(`${dir}/blocks.jsonl`, lines.join("\n") + "\n");
  return `${dir}/blocks.jsonl`;
}

async function pack(args: string[]): Promise<{ code: number; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "pack", ...args],
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  return { code: out.code, stderr: decoder.decode(out.stderr) };
}

async function tryMount(dir: string): Promise<string | null> {
  if (Deno.build.os !== "linux") return "not Linux";
  try {
    const out = await new Deno.Command("mount", {
      args: ["-t", "tmpfs", "-o", "size=256k", "tmpfs", dir],
      stdout: "null",
      stderr: "piped",
    }).output();
    return out.success ? null : decoder.decode(out.stderr).trim() || `mount exited ${out.code}`;
  } catch (e) {
    return String(e);
  }
}

Deno.test("writer faults: a full disk (256 KiB tmpfs) fails `h4mk pack` with one line, leaving the previous file", async () => {
  const work = await Deno.makeTempDir({ prefix: "h4mk-full-" });
  const disk = `${work}/disk`;
  await Deno.mkdir(disk);
  const refused = await tryMount(disk);
  if (refused) {
    console.warn(`SKIPPED: cannot mount a tmpfs (${refused}); the full-disk case did not run`);
    await Deno.remove(work, { recursive: true });
    return;
  }
  try {
    const jsonl = await writeJsonl(work, 12, 64 * 1024, 5);
    const previous = await packContainer(blocks(6), { profile: "v2" });
    await Deno.writeFile(`${disk}/out.h4mk`, previous);
    for (const [target, force] of [["out.h4mk", true], ["new.h4mk", false]] as const) {
      const r = await pack([jsonl, "-o", `${disk}/${target}`, ...(force ? ["--force"] : [])]);
      const lines = r.stderr.trim().split("\n");
      assert.equal(r.code, 1, `exit ${r.code}: ${r.stderr}`);
      assert.equal(lines.length, 1, `one error line, got:\n${r.stderr}`);
      assert.match(lines[0], /^h4mk: error: H4_IO: .*(space|ENOSPC|full)/i);
      assert.deepEqual(await listDir(disk), ["out.h4mk"], `after packing to ${target}`);
      assert.deepEqual(await Deno.readFile(`${disk}/out.h4mk`), previous);
    }
  } finally {
    await new Deno.Command("umount", { args: [disk] }).output();
    await Deno.remove(work, { recursive: true });
  }
});

async function digestOf(path: string): Promise<string | null> {
  try {
    return sha256(await Deno.readFile(path)).toHex();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

Deno.test("writer faults: `h4mk pack` killed at random points leaves the old file or a complete new one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "h4mk-kill-" });
  try {
    // About 24 MiB through deflate: a second or more of work after start-up.
    const jsonl = await writeJsonl(dir, 24, 1 << 20, 7);
    const out = `${dir}/out.h4mk`;
    const args = [jsonl, "-o", out, "--force", "--codec", "deflate"];
    // A complete run first: the writer is deterministic, so every complete output is these bytes.
    const t0 = performance.now();
    const full = await pack(args);
    const fullMs = performance.now() - t0;
    assert.equal(full.code, 0, full.stderr);
    const complete = (await digestOf(out))!;
    const c = await openContainer(await openFileSource(out));
    try {
      assert.equal(c.blockCount, 24);
      assert.ok((await c.verify()).ok);
    } finally {
      await c.close();
    }
    // Start each run from an older, different container.
    const previous = await packContainer(blocks(8), { profile: "v1" });
    const rng = makeRng(424242);
    const seen = {
      previous: 0,
      complete: 0,
      tempFiles: [] as number[],
      tempBytes: new Map<string, number>(),
    };
    for (let run = 0; run < 8; run++) {
      if (run % 3 !== 2) await Deno.writeFile(out, previous); // else: keep the last outcome
      const before = await digestOf(out);
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", CLI, "pack", ...args],
        stdout: "null",
        stderr: "null",
      }).spawn();
      const delay = 100 + rng.int(Math.max(1, Math.round(fullMs * 1.1)));
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* already exited */ }
      }, delay);
      const status = await child.status;
      clearTimeout(timer);
      const after = await digestOf(out);
      const names = await listDir(dir);
      const temps = names.filter((n) => n.startsWith(".out.h4mk.") && n.endsWith(".tmp"));
      seen.tempFiles.push(temps.length);
      for (const t of temps) seen.tempBytes.set(t, (await Deno.stat(`${dir}/${t}`)).size);
      assert.deepEqual(
        names.filter((n) => !temps.includes(n)).sort(),
        ["blocks.jsonl", "out.h4mk", "p0.bin", "p1.bin", "p2.bin", "p3.bin"],
        `run ${run}: unexpected files`,
      );
      const where =
        `run ${run}, killed after ${delay} ms (exit ${status.code}, signal ${status.signal})`;
      if (after === complete) {
        seen.complete++;
        const c = await openContainer(await openFileSource(out));
        try {
          assert.ok((await c.verify()).ok, `${where}: the new file does not verify`);
        } finally {
          await c.close();
        }
      } else {
        assert.equal(after, before, `${where}: the final name holds a partial or other file`);
        seen.previous++;
      }
    }
    // Which outcomes occur depends on the machine's speed: reported, not asserted.
    console.log(
      `killed writers: ${seen.previous} left the previous file, ${seen.complete} a complete one; ` +
        `temp files after each run: ${seen.tempFiles.join(", ")}, holding ${
          [...seen.tempBytes.values()].join(", ")
        } bytes (a full run takes ${Math.round(fullMs)} ms)`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
