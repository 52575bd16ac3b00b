/**
 * Issue 16 row 6 and 8: a writing command stopped by SIGINT, SIGTERM or SIGHUP removes its
 * temporary output and exits 130, 143 or 129; `unpack` writes a temporary folder renamed at
 * the end and names the file that failed; a device or FIFO output needs no --force. The CLI
 * runs in its own process.
 */

import assert from "node:assert/strict";
import { packContainer } from "../format/writer.ts";
import { pendingTemporaries, trackTemporary } from "../io/temporaries.ts";
import { removeTemporaries, SIGNAL_EXITS } from "./signals.ts";

const CLI = new URL("../../cli.ts", import.meta.url).pathname;
const dec = new TextDecoder();

/** Blocks JSONL of `count` payload lines over four random 1 MiB files. */
async function writeJsonl(dir: string, count: number): Promise<string> {
  for (let i = 0; i < 4; i++) {
    const bytes = new Uint8Array(1 << 20);
    for (let o = 0; o < bytes.length; o += 65536) {
      crypto.getRandomValues(bytes.subarray(o, o + 65536));
    }
    await Deno.writeFile(`${dir}/p${i}.bin`, bytes);
  }
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      track_id: "video",
      pts_us: i * 40_000,
      kind: i % 10 === 0 ? "I" : "P",
      keyframe: i % 10 === 0,
      payload_file: `p${i % 4}.bin`,
    }));
  await Deno.writeTextFile(`${dir}/blocks.jsonl`, lines.join("\n") + "\n");
  return `${dir}/blocks.jsonl`;
}

function spawn(args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args],
    stdout: "null",
    stderr: "piped",
    stdin: "null",
    env: { NO_COLOR: "1" },
  }).spawn();
}

/** Polls `dir` (bounded: 2,000 tries) until an entry matches `re`; false if never. */
async function appears(dir: string, re: RegExp, child: Deno.ChildProcess): Promise<boolean> {
  let exited = false;
  child.status.then(() => exited = true);
  for (let i = 0; i < 2000 && !exited; i++) {
    for await (const e of Deno.readDir(dir)) if (re.test(e.name)) return true;
    await new Promise((r) => setTimeout(r, 5));
  }
  return false;
}

async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

Deno.test("signals: pack stopped by SIGINT, SIGTERM or SIGHUP removes its temporary file and exits 130/143/129", async () => {
  const dir = await Deno.makeTempDir({ prefix: "h4mk-sig-" });
  try {
    // About 96 MiB through deflate: seconds of work after the temporary file exists.
    const jsonl = await writeJsonl(dir, 96);
    for (const [signal, code] of Object.entries(SIGNAL_EXITS)) {
      const child = spawn(["pack", jsonl, "-o", `${dir}/out.h4mk`, "--codec", "deflate"]);
      const seen = await appears(dir, /^\.out\.h4mk\..*\.tmp$/, child);
      assert.ok(seen, "the temporary file never appeared");
      child.kill(signal as Deno.Signal);
      const s = await child.status;
      const stderr = dec.decode(await new Response(child.stderr).bytes());
      assert.equal(s.code, code, `${signal}: exit ${s.code} ${s.signal} ${stderr}`);
      assert.deepEqual(await names(dir), ["blocks.jsonl", "p0.bin", "p1.bin", "p2.bin", "p3.bin"]);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("signals: unpack writes a temporary folder, renamed at the end, removed on SIGTERM", async () => {
  const dir = await Deno.makeTempDir({ prefix: "h4mk-sig-unpack-" });
  try {
    const blocks = Array.from({ length: 3000 }, (_, i) => ({
      track_id: "v",
      pts_us: i * 1000,
      kind: "I" as const,
      keyframe: true,
      payload: new Uint8Array(4096).fill(i & 255),
    }));
    await Deno.writeFile(`${dir}/in.h4mk`, await packContainer(blocks));
    const child = spawn(["unpack", `${dir}/in.h4mk`, "-d", `${dir}/out`]);
    assert.ok(await appears(dir, /^\.out\..*\.tmp$/, child), "no temporary folder");
    assert.ok(!(await names(dir)).includes("out"), "the final folder exists before the end");
    child.kill("SIGTERM");
    assert.equal((await child.status).code, 143);
    await child.stderr.cancel();
    assert.deepEqual(await names(dir), ["in.h4mk"]);
    // Run to the end: only the final folder is left.
    const done = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, "unpack", `${dir}/in.h4mk`, "-d", `${dir}/out`],
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(done.code, 0, dec.decode(done.stderr));
    assert.deepEqual(await names(dir), ["in.h4mk", "out"]);
    assert.equal((await names(`${dir}/out/blocks`)).length, 3000);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("unpack on a full disk: nothing left, and the error names the payload file (256 KiB tmpfs)", async () => {
  const work = await Deno.makeTempDir({ prefix: "h4mk-unpack-full-" });
  const disk = `${work}/disk`;
  await Deno.mkdir(disk);
  const mount = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", "size=256k", "tmpfs", disk],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => null);
  if (!mount?.success) {
    console.warn("SKIPPED: cannot mount a tmpfs; the full-disk case did not run");
    await Deno.remove(work, { recursive: true });
    return;
  }
  try {
    const blocks = Array.from({ length: 40 }, (_, i) => ({
      track_id: "v",
      pts_us: i,
      kind: "I" as const,
      keyframe: true,
      payload: new Uint8Array(32 * 1024).fill(i),
    }));
    await Deno.writeFile(`${work}/in.h4mk`, await packContainer(blocks));
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, "unpack", `${work}/in.h4mk`, "-d", `${disk}/out`],
      stdout: "null",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const stderr = dec.decode(r.stderr).trim();
    assert.equal(r.code, 1, stderr);
    assert.equal(stderr.split("\n").length, 1, stderr);
    assert.match(
      stderr,
      new RegExp(`^h4mk: error: H4_IO: cannot write ${disk}/out/blocks/\\d{6}\\.bin: `),
    );
    assert.ok(!stderr.includes(".tmp"), stderr);
    assert.deepEqual(await names(disk), []);
  } finally {
    await new Deno.Command("umount", { args: [disk] }).output();
    await Deno.remove(work, { recursive: true });
  }
});

Deno.test("outputs: /dev/null, a FIFO and /dev/stdout are written without --force", async () => {
  const dir = await Deno.makeTempDir({ prefix: "h4mk-dev-" });
  try {
    const jsonl = `${dir}/b.jsonl`;
    await Deno.writeTextFile(
      jsonl,
      '{"track_id":"v","pts_us":0,"kind":"I","keyframe":true,"payload_b64":"AAEC"}\n',
    );
    const run = (args: string[]) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", CLI, ...args],
        stdout: "null",
        stderr: "piped",
      }).output();
    const r = await run(["pack", jsonl, "-o", "/dev/null"]);
    assert.equal(r.code, 0, dec.decode(r.stderr));
    const fifo = `${dir}/pipe`;
    const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
    assert.ok(made.success);
    const reading = Deno.readFile(fifo);
    const w = await run(["pack", jsonl, "-o", fifo]);
    assert.equal(w.code, 0, dec.decode(w.stderr));
    const bytes = await reading;
    assert.deepEqual([...bytes.subarray(0, 4)], [0x48, 0x34, 0x4d, 0x4b]); // "H4MK"
    // /dev/stdout is standard output, even when it is redirected to a file.
    const so = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, "pack", jsonl, "-o", "/dev/stdout"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(so.code, 0, dec.decode(so.stderr));
    assert.deepEqual([...so.stdout.subarray(0, 4)], [0x48, 0x34, 0x4d, 0x4b]);
    // A regular file still needs --force.
    await Deno.writeTextFile(`${dir}/exists.h4mk`, "x");
    const e = await run(["pack", jsonl, "-o", `${dir}/exists.h4mk`]);
    assert.equal(e.code, 1);
    assert.match(dec.decode(e.stderr), /exists; pass --force/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("temporaries: tracked until done; removeTemporaries removes files and folders", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/.f.tmp`;
  const sub = `${dir}/.d.tmp`;
  await Deno.writeTextFile(file, "x");
  await Deno.mkdir(`${sub}/blocks`, { recursive: true });
  const a = trackTemporary(file);
  const b = trackTemporary(sub);
  assert.ok(pendingTemporaries().includes(file) && pendingTemporaries().includes(sub));
  removeTemporaries();
  assert.deepEqual(await names(dir), []);
  a();
  b();
  assert.ok(!pendingTemporaries().includes(file));
  await Deno.remove(dir, { recursive: true });
});
