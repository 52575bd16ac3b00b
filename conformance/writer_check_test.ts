import assert from "node:assert/strict";
import { craft, fileHeader } from "./builder/build.ts";
import { ourImplementation, parseBlocksJsonl } from "./adapter.ts";
import type { Implementation } from "./impl.ts";
import { blocksJsonl, runWriterChecks, writerBlockSets } from "./writer_check.ts";

Deno.test("writer checks: our writer passes every block set", async () => {
  const results = await runWriterChecks(ourImplementation());
  assert.deepEqual(
    results.filter((r) => r.verdict !== "pass").map((r) => `${r.set}: ${r.detail}`),
    [],
  );
  assert.equal(results.length, writerBlockSets().length);
});

/** A writer built on the builder (so a changed header still gets a consistent LOCA and root). */
function writer(
  name: string,
  opts: { reserved?: number; unsupportedV1?: boolean; dropLast?: boolean } = {},
): Implementation {
  return {
    name,
    read: () => Promise.reject(new Error("unused")),
    seek: () => Promise.reject(new Error("unused")),
    async write(input, out, args = []) {
      if (opts.unsupportedV1 && args.includes("v1")) {
        return { status: "unsupported", detail: "UNSUPPORTED v1" };
      }
      let blocks = parseBlocksJsonl(await Deno.readTextFile(input));
      if (opts.dropLast) blocks = blocks.slice(0, -1);
      const v1 = args.includes("v1");
      const s = craft(blocks.map((b) => ({ ...b, kind: b.kind })), {
        profile: v1 ? "v1" : "v2",
        hooks: opts.reserved ? { header: () => fileHeader(v1 ? 1 : 2, opts.reserved) } : {},
      });
      await Deno.writeFile(out, s.bytes);
      return { status: "ok", value: null };
    },
  };
}

Deno.test("writer checks: a writer that breaks a rule is caught under that rule", async () => {
  const sets = writerBlockSets().filter((s) => ["two-tracks", "v1-profile"].includes(s.name));
  const reserved = await runWriterChecks(writer("reserved", { reserved: 1 }), sets);
  assert.deepEqual(reserved.map((r) => [r.verdict, r.failures.map((f) => f.rule)]), [["fail", [
    "H4-FMT-003",
  ]], ["fail", ["H4-FMT-003"]]]);
  const lossy = await runWriterChecks(writer("drops a block", { dropLast: true }), sets);
  assert.deepEqual(lossy.map((r) => r.verdict), ["fail", "fail"]);
  assert.match(lossy[0].detail, /blocks read back/);
  const v2only = await runWriterChecks(writer("no v1", { unsupportedV1: true }), sets);
  assert.deepEqual(v2only.map((r) => r.verdict), ["pass", "skip"]);
});

Deno.test("writer checks: BLOCKS.jsonl round trip", () => {
  const set = writerBlockSets().find((s) => s.name === "all-codecs")!;
  const back = parseBlocksJsonl(blocksJsonl(set.blocks));
  assert.deepEqual(
    back.map((b) => [b.track_id, b.pts_us, b.kind, b.keyframe, b.codec, b.payload.length]),
    set.blocks.map((b) => [b.track_id, b.pts_us, b.kind, b.keyframe, b.codec, b.payload.length]),
  );
});
