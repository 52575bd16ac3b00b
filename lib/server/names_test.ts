import assert from "node:assert/strict";
import { HttpError } from "./http_error.ts";
import { checkName, resolveName, splitPath } from "./names.ts";

function refused(f: () => unknown, status: number): void {
  assert.throws(f, (e) => e instanceof HttpError && e.status === status);
}

Deno.test("checkName refuses names that could leave the root", () => {
  assert.deepEqual(checkName("a.h4mk"), ["a.h4mk"]);
  assert.deepEqual(checkName("dir/sub/a b.h4mk"), ["dir", "sub", "a b.h4mk"]);
  assert.deepEqual(checkName("ünï/cödé.h4mk"), ["ünï", "cödé.h4mk"]);
  for (
    const n of [
      "",
      "..",
      "../a",
      "a/../../b",
      "./a",
      "/etc/passwd",
      "a//b",
      "a/",
      "a\\b",
      "..\\a",
      "a\u0000b",
      "a\nb",
      ".git/config",
      "x".repeat(1025),
    ]
  ) refused(() => checkName(n), 400);
});

Deno.test("splitPath decodes segments one by one", () => {
  assert.deepEqual(splitPath("a%20b/c.h4mk"), ["a b", "c.h4mk"]);
  refused(() => splitPath("a%2Fb"), 400);
  refused(() => splitPath("a%2fb"), 400);
  refused(() => splitPath("%2e%2e/x"), 400);
  refused(() => splitPath("a%5Cb"), 400);
  refused(() => splitPath("a%00"), 400);
  refused(() => splitPath("%E0%A4%A"), 400);
});

Deno.test("resolveName follows symlinks only inside the root", async () => {
  const base = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.mkdir(`${base}/root/d`, { recursive: true });
    await Deno.mkdir(`${base}/rootx`);
    await Deno.writeTextFile(`${base}/root/d/a.h4mk`, "a");
    await Deno.writeTextFile(`${base}/outside.h4mk`, "o");
    await Deno.writeTextFile(`${base}/rootx/b.h4mk`, "b");
    await Deno.symlink(`${base}/outside.h4mk`, `${base}/root/out.h4mk`);
    await Deno.symlink(`../rootx/b.h4mk`, `${base}/root/prefix.h4mk`); // /root vs /rootx
    await Deno.symlink(`d/a.h4mk`, `${base}/root/in.h4mk`);
    const root = `${base}/root`;
    assert.equal((await resolveName(root, ["d", "a.h4mk"])).info.size, 1);
    assert.equal((await resolveName(root, ["in.h4mk"])).path, `${root}/d/a.h4mk`);
    for (const s of [["out.h4mk"], ["prefix.h4mk"], ["d"], ["none"], ["d", "none"]]) {
      await assert.rejects(resolveName(root, s), (e) => e instanceof HttpError && e.status === 404);
    }
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});
