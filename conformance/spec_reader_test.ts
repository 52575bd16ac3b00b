import assert from "node:assert/strict";
import { commandImplementation, type Implementation, interpret, type Outcome } from "./impl.ts";
import { DEFAULT_VECTORS_DIR, runVectors } from "./runner.ts";
import { loadVectors } from "./vectors.ts";

/**
 * The standalone Python reader (conformance/spec_reader/, written from SPEC.md alone) run as an
 * implementation: it must pass every format and legacy vector, and declare `--key` UNSUPPORTED.
 * One Python process answers every call (`h4mk_read.py serve`), so the test costs one
 * interpreter start, not one per call. Skipped, visibly, without python3.
 */
const READER = new URL("./spec_reader/h4mk_read.py", import.meta.url).pathname;

async function hasPython(): Promise<boolean> {
  try {
    const o = await new Deno.Command("python3", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return o.success;
  } catch {
    return false;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await Deno.stat(p);
    return true;
  } catch {
    return false;
  }
}

/** The reader's `serve` mode behind the Implementation interface: one call at a time. */
function servedReader(): Implementation & { close(): Promise<void> } {
  const child = new Deno.Command("python3", {
    args: [READER, "serve"],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const writer = child.stdin.getWriter();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  const nextLine = async (): Promise<string> => {
    while (!buffered.includes("\n")) {
      const { value, done } = await lines.read();
      if (done) throw new Error("spec reader exited");
      buffered += value;
    }
    const i = buffered.indexOf("\n");
    const line = buffered.slice(0, i);
    buffered = buffered.slice(i + 1);
    return line;
  };
  let queue: Promise<unknown> = Promise.resolve();
  const call = (args: string[], expectJson: boolean): Promise<Outcome> => {
    const p = queue.then(async () => {
      await writer.write(new TextEncoder().encode(JSON.stringify(args) + "\n"));
      const a = JSON.parse(await nextLine()) as { code: number; stdout: string; stderr: string };
      return interpret(a.code, a.stdout, a.stderr, expectJson);
    });
    queue = p.catch(() => {});
    return p;
  };
  return {
    name: "spec_reader (serve)",
    read: (file, args = []) => call(["read", file, ...args], true),
    seek: (file, track, pts, args = []) => call(["seek", file, track, String(pts), ...args], true),
    async close() {
      await writer.close();
      await lines.cancel();
      await child.status;
    },
  };
}

const available = (await hasPython()) && (await exists(READER));
if (!available) {
  console.warn(
    "spec_reader_test: python3 or conformance/spec_reader/h4mk_read.py missing: SKIPPED",
  );
}

Deno.test({
  name: "spec reader (Python): passes every format and legacy vector, in one process",
  ignore: !available,
  fn: async () => {
    const impl = servedReader();
    try {
      const vs = (await loadVectors(DEFAULT_VECTORS_DIR)).filter((v) =>
        !v.name.startsWith("cipher/") && !v.exp.read_args
      );
      assert.ok(vs.length >= 300, `${vs.length} vectors`);
      const results = await runVectors(impl, vs);
      const bad = results.filter((r) => r.verdict !== "pass");
      assert.deepEqual(bad.map((r) => `${r.vector}: ${r.verdict}: ${r.detail}`), []);
    } finally {
      await impl.close();
    }
  },
});

Deno.test({
  name: "spec reader (Python): --key is UNSUPPORTED (exit 3), not a usage error",
  ignore: !available,
  fn: async () => {
    const impl = commandImplementation(`python3 ${READER}`, 20_000, "spec_reader");
    const file = `${DEFAULT_VECTORS_DIR}/format/y_v2_two_tracks.h4mk`;
    const o = await impl.read(file, ["--key", "/nonexistent.key"]);
    assert.equal(o.status, "unsupported", JSON.stringify(o));
  },
});
