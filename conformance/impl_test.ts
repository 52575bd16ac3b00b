import assert from "node:assert/strict";
import { commandImplementation, interpret, splitCommand, withTimeout } from "./impl.ts";

Deno.test("impl: splitCommand honours quotes and escapes", () => {
  assert.deepEqual(splitCommand(`a  'b c' "d \\" e" f\\ g ''`), ["a", "b c", 'd " e', "f g", ""]);
  assert.throws(() => splitCommand(`a "b`));
});

Deno.test("impl: interpret maps exit status and output to outcomes", () => {
  assert.deepEqual(interpret(0, '{"a":1}\n', "", true), { status: "ok", value: { a: 1 } });
  assert.deepEqual(interpret(0, "", "", false), { status: "ok", value: null });
  assert.equal(interpret(0, "not json", "", true).status, "crash");
  assert.deepEqual(interpret(1, "", "warning\nERROR H4_BAD_MAGIC got RIFF\n", true), {
    status: "error",
    code: "H4_BAD_MAGIC",
    message: "got RIFF",
  });
  assert.deepEqual(interpret(2, "", "ERROR H4_TRUNCATED\n", true), {
    status: "error",
    code: "H4_TRUNCATED",
    message: "",
  });
  assert.equal(interpret(3, "", "UNSUPPORTED write\n", false).status, "unsupported");
  assert.equal(interpret(1, "", "Traceback: boom\n", true).status, "crash");
  assert.equal(interpret(0, "{}", "", true, "SIGSEGV").status, "crash");
});

Deno.test("impl: a command that cannot start is a crash; withTimeout reports timeouts and throws", async () => {
  const impl = commandImplementation("/nonexistent/reader --flag", 1000);
  assert.equal((await impl.read("x")).status, "crash");
  assert.equal((await withTimeout(() => new Promise(() => {}), 5)).status, "timeout");
  const t = await withTimeout(() => Promise.reject(new TypeError("x is undefined")), 1000);
  assert.deepEqual(t, { status: "crash", detail: "threw TypeError: x is undefined" });
});

Deno.test("impl: a timeout kills the whole process group and retries once", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // A wrapper whose child outlives it unless the group is killed; it counts its runs.
    const script = `${dir}/wrapper.sh`;
    await Deno.writeTextFile(
      script,
      `echo run >> ${dir}/runs\nsleep 30 &\necho $! > ${dir}/pid\nwait\n`,
    );
    const impl = commandImplementation(`sh ${script}`, 300);
    const o = await impl.read("x");
    assert.equal(o.status, "timeout");
    assert.match((o as { detail: string }).detail, /twice/);
    assert.equal((await Deno.readTextFile(`${dir}/runs`)).trim().split("\n").length, 2);
    const pid = (await Deno.readTextFile(`${dir}/pid`)).trim();
    let state = "gone";
    try {
      state = (await Deno.readTextFile(`/proc/${pid}/stat`)).split(") ")[1]?.[0] ?? "gone";
    } catch {
      // no such process
    }
    assert.ok(state === "gone" || state === "Z", `sleep ${pid} still running (${state})`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
