/**
 * Signing and trust at the command line (SPEC.md section 18), and blocks read from a URL checked
 * by default: every single-byte change of a block (CRC fixed) and a server that shifts bytes are
 * caught by a plain `h4mk block URL`.
 */
import assert from "node:assert/strict";
import { crc32 } from "../hash/crc32.ts";
import { openContainer } from "../seek/container.ts";
import { serveBytes } from "../io/testdata/range_server.ts";
import { runMain, smallBlocks, tempDir, writeContainer } from "./testdata/helpers.ts";

async function exists(p: string): Promise<boolean> {
  try {
    await Deno.stat(p);
    return true;
  } catch {
    return false;
  }
}

Deno.test("keygen --sign, sign, pack --sign-key, --trust and --root on read commands", async () => {
  await using t = await tempDir();
  const d = t.dir;
  const k = await runMain(["keygen", "--sign", "-o", `${d}/me.key`]);
  assert.equal(k.code, 0, k.stderr);
  assert.match(k.stdout, /Ed25519 signing key [0-9a-f]{16}, mode 0600/);
  assert.equal((await Deno.stat(`${d}/me.key`)).mode! & 0o777, 0o600);
  const pub = await Deno.readTextFile(`${d}/me.key.pub`);
  assert.match(pub, /^h4mk-sign-public-1 [0-9a-f]{16} \S+\n$/);
  const id = pub.split(" ")[1];
  assert.equal((await runMain(["keygen", "--sign", "-o", `${d}/other.key`])).code, 0);
  // Refuses to overwrite either file.
  assert.equal((await runMain(["keygen", "--sign", "-o", `${d}/me.key`])).code, 1);

  const file = `${d}/a.h4mk`;
  const bytes = await writeContainer(file);
  const trust = ["--trust", `${d}/me.key.pub`];
  // Unsigned: refused with --trust by every read command.
  for (
    const args of [
      ["manifest", file],
      ["seek", file, "--track", "video", "--pts-us", "0"],
      ["block", file, "--index", "0", "-o", `${d}/b0`],
      ["unpack", file, "-d", `${d}/u`],
    ]
  ) {
    const r = await runMain([...args, ...trust]);
    assert.equal(r.code, 1, args[0]);
    assert.match(r.stderr, /H4_UNTRUSTED/, args[0]);
  }
  const v0 = await runMain(["verify", file, ...trust, "--json"]);
  assert.equal(v0.code, 1);
  assert.equal(JSON.parse(v0.stdout).failed[0], "H4-SIG-005");

  // Signed in place: trusted, and shown with its key id.
  const s = await runMain(["sign", file, "--sign-key", `${d}/me.key`]);
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout, new RegExp(`with key ${id}`));
  const m = await runMain(["manifest", file, "--json", ...trust]);
  assert.equal(m.code, 0, m.stderr);
  const manifest = JSON.parse(m.stdout);
  assert.deepEqual(manifest.signatures.map((x: { key_id: string }) => x.key_id), [id]);
  assert.equal(manifest.signatures[0].valid, true);
  assert.equal(manifest.integrity.trusted, true);
  assert.match(
    (await runMain(["manifest", file])).stdout,
    new RegExp(`signed: +${id} \\(valid\\)`),
  );
  const v = await runMain(["verify", file, ...trust]);
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, new RegExp(`signed by ${id}: valid`));
  assert.equal((await runMain(["block", file, "--index", "3", "-o", `${d}/b3`, ...trust])).code, 0);
  // Another key's trust: refused; either key trusted: accepted (--trust repeats).
  const other = ["--trust", `${d}/other.key.pub`];
  assert.equal((await runMain(["manifest", file, ...other])).code, 1);
  assert.equal((await runMain(["manifest", file, ...other, ...trust])).code, 0);
  // --root pins a root without any key.
  const root = manifest.h4mk.root as string;
  assert.equal(
    (await runMain(["seek", file, "--track", "audio", "--pts-us", "0", "--root", root])).code,
    0,
  );
  const wrongRoot = (root[0] === "0" ? "1" : "0") + root.slice(1);
  assert.equal((await runMain(["manifest", file, "--root", wrongRoot])).code, 1);
  assert.equal((await runMain(["manifest", file, "--root", "abc"])).code, 1);
  // A secret key given for trust, a public key given for signing: refused, typed.
  const wrong = await runMain(["manifest", file, "--trust", `${d}/me.key`]);
  assert.match(wrong.stderr, /H4_BAD_ARGUMENT.*public key file/);
  assert.match(
    (await runMain(["sign", file, "--sign-key", `${d}/me.key.pub`])).stderr,
    /H4_BAD_ARGUMENT.*secret key file/,
  );

  // sign -o: a signed copy; the input is left as it was.
  const copy = await runMain([
    "sign",
    `${d}/p0.h4mk`,
    "--sign-key",
    `${d}/other.key`,
    "-o",
    `${d}/copy.h4mk`,
  ]);
  assert.equal(copy.code, 1); // no such input
  await Deno.writeFile(`${d}/p0.h4mk`, bytes);
  const c2 = await runMain([
    "sign",
    `${d}/p0.h4mk`,
    "--sign-key",
    `${d}/other.key`,
    "-o",
    `${d}/copy.h4mk`,
  ]);
  assert.equal(c2.code, 0, c2.stderr);
  assert.deepEqual(await Deno.readFile(`${d}/p0.h4mk`), bytes);
  assert.equal((await runMain(["manifest", `${d}/copy.h4mk`, ...other])).code, 0);
  assert.equal((await runMain(["manifest", `${d}/copy.h4mk`, ...trust])).code, 1);
  assert.deepEqual(
    (await Array.fromAsync(Deno.readDir(d))).filter((e) => e.name.endsWith(".tmp")),
    [],
  );

  // pack --sign-key signs as it writes; the same bytes as pack then sign.
  const jsonl = `${d}/blocks.jsonl`;
  await Deno.writeTextFile(
    jsonl,
    smallBlocks().map((b) =>
      JSON.stringify({ ...b, payload: undefined, payload_b64: b.payload.toBase64() })
    ).join("\n") + "\n",
  );
  const p = await runMain(["pack", jsonl, "-o", `${d}/p.h4mk`, "--sign-key", `${d}/me.key`]);
  assert.equal(p.code, 0, p.stderr);
  assert.deepEqual(await Deno.readFile(`${d}/p.h4mk`), await Deno.readFile(file));
  assert.ok(bytes.length < (await Deno.readFile(file)).length);
});

Deno.test("manifest --verify exits 1 when integrity fails", async () => {
  await using t = await tempDir();
  const file = `${t.dir}/a.h4mk`;
  const bytes = await writeContainer(file);
  assert.equal((await runMain(["manifest", file, "--verify"])).code, 0);
  // A block byte changed, its SEGM's CRC left: the root still opens, verification fails.
  const c = await openContainer(bytes);
  const e = await c.entry(2);
  const bad = bytes.slice();
  bad[e.offset] ^= 1;
  await Deno.writeFile(file, bad);
  const r = await runMain(["manifest", file, "--verify", "--json"]);
  assert.equal(r.code, 1);
  assert.equal(JSON.parse(r.stdout).integrity.verified, false);
  assert.match(r.stderr, /verification failed/);
});

/** `bytes` with byte `at` of a block changed and its storage chunk's CRC fixed. */
function changed(bytes: Uint8Array, at: number, chunkAt: number): Uint8Array {
  const out = bytes.slice();
  out[at] ^= 0x5a;
  const v = new DataView(out.buffer);
  const len = v.getUint32(chunkAt + 4);
  v.setUint32(chunkAt + 8, crc32(out.subarray(chunkAt + 12, chunkAt + 12 + len)));
  return out;
}

Deno.test("block URL: every single-byte change of the block (CRC fixed) is caught by default", async () => {
  await using t = await tempDir();
  const bytes = await writeContainer(`${t.dir}/a.h4mk`);
  const c = await openContainer(bytes);
  const index = 5;
  const e = await c.entry(index);
  // The block's storage chunk header: the first block of its chunk is 12 bytes after it.
  let first = e;
  while (first.index > 0 && (await c.entry(first.index - 1)).chunk === e.chunk) {
    first = await c.entry(first.index - 1);
  }
  const chunkAt = first.offset - 12;
  const srv = serveBytes(bytes);
  try {
    const out = `${t.dir}/out.bin`;
    for (let k = 0; k < e.stored_length; k++) {
      srv.replace(changed(bytes, e.offset + k, chunkAt));
      const r = await runMain(["block", srv.url, "--index", String(index), "-o", out]);
      assert.equal(r.code, 1, `byte ${k}: exit ${r.code} ${r.stderr}`);
      assert.match(r.stderr, /H4_BLOCK_HASH_MISMATCH/, `byte ${k}`);
      assert.equal(await exists(out), false, `byte ${k}: nothing written`);
    }
    // --no-verify trusts the transport: the changed bytes are written (and the test sees them).
    srv.replace(changed(bytes, e.offset, chunkAt));
    const loose = await runMain([
      "block",
      srv.url,
      "--index",
      String(index),
      "-o",
      out,
      "--no-verify",
    ]);
    assert.equal(loose.code, 0, loose.stderr);
    assert.notDeepEqual(await Deno.readFile(out), await c.readBlock(index));
    // The sound file: written, right bytes.
    srv.replace(bytes);
    const ok = await runMain(["block", srv.url, "--index", String(index), "-o", out, "-f"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(await Deno.readFile(out), await c.readBlock(index));
  } finally {
    await srv.close();
  }
  // A local file: unchecked unless --verify.
  const local = `${t.dir}/bad.h4mk`;
  await Deno.writeFile(local, changed(bytes, e.offset, chunkAt));
  assert.equal((await runMain(["block", local, "--index", "5", "-o", `${t.dir}/l1`])).code, 0);
  const checked = await runMain(["block", local, "--index", "5", "-o", `${t.dir}/l2`, "--verify"]);
  assert.equal(checked.code, 1);
  assert.match(checked.stderr, /H4_BLOCK_HASH_MISMATCH/);
});

Deno.test("block URL: a server that shifts the bytes of a range by one is caught", async () => {
  await using t = await tempDir();
  // Large enough that the block lies outside the 64 KiB tail probe.
  const blocks = smallBlocks().map((b, i) => ({ ...b, payload: new Uint8Array(9000).fill(i) }));
  const bytes = await writeContainer(`${t.dir}/a.h4mk`, blocks);
  // Right headers, the body one byte further on, for every range but the tail.
  const ac = new AbortController();
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", signal: ac.signal, onListen: () => {} },
    (req) => {
      const m = /^bytes=(\d*)-(\d*)$/.exec(req.headers.get("range") ?? "");
      const size = bytes.length;
      let start = 0, end = size - 1;
      if (m && m[1] === "") start = Math.max(0, size - Number(m[2]));
      else if (m) {
        start = Number(m[1]);
        end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
      }
      const shift = start < size - 65536 ? 1 : 0;
      const body = new Uint8Array(end - start + 1);
      body.set(bytes.subarray(start + shift, end + 1 + shift));
      return new Response(body, {
        status: 206,
        headers: {
          "content-range": `bytes ${start}-${end}/${size}`,
          "etag": '"v1"',
          "accept-ranges": "bytes",
        },
      });
    },
  );
  try {
    const url = `http://127.0.0.1:${server.addr.port}/a.h4mk`;
    const out = `${t.dir}/out.bin`;
    const r = await runMain(["block", url, "--index", "0", "-o", out]);
    assert.equal(r.code, 1, r.stderr);
    // Reading the whole storage chunk to check it, the reader finds its header misplaced.
    assert.match(r.stderr, /^h4mk: error: H4_[A-Z_]+: /);
    assert.equal(await exists(out), false);
    // What happened before blocks from a URL were checked: wrong bytes, exit 0.
    const loose = await runMain(["block", url, "--index", "0", "-o", out, "--no-verify"]);
    assert.equal(loose.code, 0, loose.stderr);
    assert.notDeepEqual(await Deno.readFile(out), blocks[0].payload);
  } finally {
    ac.abort();
    await server.finished;
  }
});

Deno.test("import and encrypt --sign-key sign as they write", async () => {
  await using t = await tempDir();
  const d = t.dir;
  assert.equal((await runMain(["keygen", "--sign", "-o", `${d}/me.key`])).code, 0);
  assert.equal((await runMain(["keygen", "-o", `${d}/cipher.key`])).code, 0);
  const trust = ["--trust", `${d}/me.key.pub`];
  const mp4 = new URL("../media/testdata/av.mp4", import.meta.url).pathname;
  const imp = await runMain(["import", mp4, "-o", `${d}/av.h4mk`, "--sign-key", `${d}/me.key`]);
  assert.equal(imp.code, 0, imp.stderr);
  const v = await runMain(["verify", `${d}/av.h4mk`, ...trust, "--json"]);
  assert.equal(v.code, 0, v.stdout);
  assert.equal(JSON.parse(v.stdout).trusted, true);
  const enc = await runMain([
    "encrypt",
    `${d}/av.h4mk`,
    "-o",
    `${d}/enc.h4mk`,
    "--key-file",
    `${d}/cipher.key`,
    "--sign-key",
    `${d}/me.key`,
    ...trust,
  ]);
  assert.equal(enc.code, 0, enc.stderr);
  const m = JSON.parse((await runMain(["manifest", `${d}/enc.h4mk`, "--json", ...trust])).stdout);
  assert.equal(m.encrypted, true);
  assert.equal(m.signatures[0].valid, true);
  // The encrypted output decrypts block by block with trust on.
  const b = await runMain([
    "block",
    `${d}/enc.h4mk`,
    "--index",
    "0",
    "-o",
    `${d}/b0`,
    "--key-file",
    `${d}/cipher.key`,
    ...trust,
  ]);
  assert.equal(b.code, 0, b.stderr);
});

Deno.test("sign replaces the file by a signed copy (renamed over it); --in-place writes the same bytes", async () => {
  await using t = await tempDir();
  const d = t.dir;
  assert.equal((await runMain(["keygen", "--sign", "-o", `${d}/me.key`])).code, 0);
  const file = `${d}/a.h4mk`;
  const bytes = await writeContainer(file);
  await Deno.chmod(file, 0o640);
  const byCopy = await runMain(["sign", file, "--sign-key", `${d}/me.key`]);
  assert.equal(byCopy.code, 0, byCopy.stderr);
  const signed = await Deno.readFile(file);
  assert.equal((await Deno.stat(file)).mode! & 0o777, 0o640, "the file keeps its mode");
  assert.deepEqual(
    [...Deno.readDirSync(d)].map((e) => e.name).filter((n) => n.endsWith(".tmp")),
    [],
  );
  await Deno.writeFile(file, bytes);
  const inPlace = await runMain(["sign", file, "--sign-key", `${d}/me.key`, "--in-place"]);
  assert.equal(inPlace.code, 0, inPlace.stderr);
  assert.deepEqual(await Deno.readFile(file), signed);
  assert.equal(signed.length, bytes.length + 112); // one SIGN chunk: 12 + 100 bytes
  const both = await runMain([
    "sign",
    file,
    "--sign-key",
    `${d}/me.key`,
    "--in-place",
    "-o",
    `${d}/x`,
  ]);
  assert.equal(both.code, 1);
  assert.match(both.stderr, /H4_BAD_ARGUMENT/);
});
