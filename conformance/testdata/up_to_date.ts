/**
 * The check every vector generator's test makes: two runs write the same files, and the files
 * committed under conformance/vectors/ are those bytes.
 *
 * @module
 */
import assert from "node:assert/strict";

/**
 * The files under `dir`, as paths relative to it, sorted.
 *
 * @example
 * ```ts ignore
 * const names = await listFiles("conformance/vectors/cipher");
 * ```
 */
export async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory) out.push(...await listFiles(`${dir}/${e.name}`, `${prefix}${e.name}/`));
    else out.push(prefix + e.name);
  }
  return out.sort();
}

/**
 * Runs `write` twice into fresh folders and asserts both give the same files, byte for byte, and
 * that `committed` holds exactly those files with those bytes (`hint` says how to regenerate).
 *
 * @example
 * ```ts ignore
 * await assertGeneratedUpToDate(writeVectors, COMMITTED, "deno task vectors");
 * ```
 */
export async function assertGeneratedUpToDate(
  write: (dir: string) => Promise<unknown>,
  committed: URL,
  hint: string,
): Promise<void> {
  const a = await Deno.makeTempDir();
  const b = await Deno.makeTempDir();
  try {
    await write(a);
    await write(b);
    const files = await listFiles(a);
    assert.deepEqual(await listFiles(b), files);
    for (const f of files) {
      assert.deepEqual(await Deno.readFile(`${b}/${f}`), await Deno.readFile(`${a}/${f}`), f);
    }
    assert.deepEqual(
      await listFiles(committed.pathname),
      files,
      `committed vectors differ: run ${hint}`,
    );
    for (const f of files) {
      assert.deepEqual(
        await Deno.readFile(new URL(f, committed)),
        await Deno.readFile(`${a}/${f}`),
        `${f} is stale: run ${hint}`,
      );
    }
  } finally {
    await Deno.remove(a, { recursive: true });
    await Deno.remove(b, { recursive: true });
  }
}
