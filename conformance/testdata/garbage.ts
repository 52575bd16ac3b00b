/**
 * An implementation that answers every call with text that is not the protocol (for the
 * runner's crash test): `read` prints "hello" and exits 0; `seek` exits 1 without an ERROR
 * line; `write` declares itself UNSUPPORTED (exit 3).
 *
 * @module
 */

if (import.meta.main) {
  const cmd = Deno.args[0];
  if (cmd === "read") {
    console.log("hello");
    Deno.exit(0);
  }
  if (cmd === "write") {
    console.error("UNSUPPORTED writing");
    Deno.exit(3);
  }
  console.error("something went wrong");
  Deno.exit(1);
}
